//! What the store accepts, checked before anything is written so a refused value never
//! reaches the disk and the message names the field the user typed into.

use std::ops::RangeInclusive;

use vto_core::access::{CardId, RoomNumber, UnixTime, Validity};

use super::error::StoreError;

/// Longest name, owner, username or device id, in characters (the web forms' limit).
pub const MAX_NAME_CHARS: usize = 64;
/// Room numbers: up to 9 digits, as the manual allows for the station's call numbers.
pub const ROOM_NUMBERS: RangeInclusive<u32> = 1..=999_999_999;
/// Largest card number: SQLite integers are signed 64-bit (Wiegand formats use ≤ 35 bits).
pub const MAX_CARD_NUMBER: u64 = i64::MAX as u64;
/// Allowed event ring capacities.
pub const EVENT_CAPS: RangeInclusive<u64> = 1_000..=10_000_000;
/// Allowed page sizes of an event query.
pub const QUERY_LIMITS: RangeInclusive<u32> = 1..=10_000;
/// Largest settings section or device detail, in bytes of JSON.
pub const MAX_JSON_BYTES: usize = 1 << 20;
/// Longest event detail, in characters; longer messages are cut, not refused, so an event
/// is never lost for its wording.
pub const MAX_EVENT_DETAIL_CHARS: usize = 1_024;
/// Longest device address (a host name is at most 253 characters).
pub const MAX_ADDRESS_CHARS: usize = 255;
/// Longest stored password hash (a PHC string).
pub const MAX_PASSWORD_HASH_CHARS: usize = 512;
/// Longest snapshot path.
pub const MAX_PATH_CHARS: usize = 4_096;

/// A free-text field of at most `max` characters, at least `min`, without control
/// characters (a newline in a nick name is always a mistake).
pub(crate) fn text(field: &str, value: &str, min: usize, max: usize) -> Result<(), StoreError> {
    let chars = value.chars().count();
    if chars < min || chars > max {
        let allowed = if min == 0 {
            format!("at most {max}")
        } else {
            format!("{min}..={max}")
        };
        return Err(StoreError::invalid(
            field,
            format!("{chars} characters, {allowed} allowed"),
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(StoreError::invalid(
            field,
            format!("control character {:?} not allowed", c),
        ));
    }
    Ok(())
}

/// A name of 0..=64 characters.
pub(crate) fn name(field: &str, value: &str) -> Result<(), StoreError> {
    text(field, value, 0, MAX_NAME_CHARS)
}

/// A room number within [`ROOM_NUMBERS`].
pub(crate) fn room(field: &str, room: RoomNumber) -> Result<(), StoreError> {
    if ROOM_NUMBERS.contains(&room.0) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            field,
            format!(
                "{} is outside {}..={}",
                room.0,
                ROOM_NUMBERS.start(),
                ROOM_NUMBERS.end()
            ),
        ))
    }
}

/// A card number SQLite can hold.
pub(crate) fn card(field: &str, id: CardId) -> Result<(), StoreError> {
    if id.number.0 <= MAX_CARD_NUMBER {
        Ok(())
    } else {
        Err(StoreError::invalid(
            field,
            format!("card number {} is above {MAX_CARD_NUMBER}", id.number.0),
        ))
    }
}

/// A validity period that contains at least one second.
pub(crate) fn validity(v: Validity) -> Result<(), StoreError> {
    if v.from < v.until {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "valid_from",
            format!("{} is not before valid_until {}", v.from.0, v.until.0),
        ))
    }
}

/// Well-formed JSON of at most [`MAX_JSON_BYTES`].
pub(crate) fn json(field: &str, value: &str) -> Result<(), StoreError> {
    if value.len() > MAX_JSON_BYTES {
        return Err(StoreError::invalid(
            field,
            format!("{} bytes, at most {MAX_JSON_BYTES} allowed", value.len()),
        ));
    }
    serde_json::from_str::<serde::de::IgnoredAny>(value)
        .map(|_| ())
        .map_err(|e| StoreError::invalid(field, format!("not JSON: {e}")))
}

/// `value` cut to at most `max` characters, on a character boundary.
pub(crate) fn truncate(value: &str, max: usize) -> &str {
    match value.char_indices().nth(max) {
        Some((end, _)) => &value[..end],
        None => value,
    }
}

/// The two columns of a validity period; an open end is NULL.
pub(crate) fn validity_columns(v: Validity) -> (Option<i64>, Option<i64>) {
    let from = (v.from != UnixTime::MIN).then_some(v.from.0);
    let until = (v.until != UnixTime::MAX).then_some(v.until.0);
    (from, until)
}

/// A validity period from its two columns.
pub(crate) fn validity_from_columns(from: Option<i64>, until: Option<i64>) -> Validity {
    Validity {
        from: from.map_or(UnixTime::MIN, UnixTime),
        until: until.map_or(UnixTime::MAX, UnixTime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ErrorKind;

    #[test]
    fn a_name_of_65_characters_is_refused_naming_the_field() {
        let long = "é".repeat(65);
        let e = name("owner", &long).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.to_string().starts_with("owner: 65 characters"), "{e}");
        assert!(name("owner", &"é".repeat(64)).is_ok());
        assert!(name("owner", "a\nb").is_err());
    }

    #[test]
    fn room_numbers_have_at_most_nine_digits_and_zero_is_none() {
        assert!(room("room", RoomNumber(999_999_999)).is_ok());
        assert!(room("room", RoomNumber(1_000_000_000)).is_err());
        assert!(room("room", RoomNumber(0)).is_err());
    }

    #[test]
    fn validity_must_contain_a_second_and_open_ends_are_null() {
        let v = |a, b| Validity {
            from: UnixTime(a),
            until: UnixTime(b),
        };
        assert!(validity(v(5, 5)).is_err());
        assert!(validity(v(5, 6)).is_ok());
        assert_eq!(validity_columns(Validity::ALWAYS), (None, None));
        let bounded = v(10, 20);
        let (f, u) = validity_columns(bounded);
        assert_eq!(validity_from_columns(f, u), bounded);
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncate("ääää", 2), "ää");
        assert_eq!(truncate("ab", 5), "ab");
    }
}
