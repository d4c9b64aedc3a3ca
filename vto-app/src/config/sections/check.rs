//! The checks sections share: ranges, digit strings, names, addresses, ports.

use core::fmt::Display;
use core::ops::RangeInclusive;
use std::net::Ipv4Addr;

use super::FieldError;

/// `value` must lie in `range`; `unit` follows the range in the message (`s`, `min`, `kb/s`).
pub(crate) fn range<T>(
    field: &str,
    value: T,
    range: RangeInclusive<T>,
    unit: &str,
) -> Result<(), FieldError>
where
    T: PartialOrd + Display + Copy,
{
    if range.contains(&value) {
        return Ok(());
    }
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    Err(FieldError::new(
        field,
        value,
        format!("{}..={}{unit}", range.start(), range.end()),
    ))
}

/// A number written as digits only (`888888`), `min..=max` of them.
pub(crate) fn digits(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    if value.len() >= min && value.len() <= max && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let count = if min == max {
        format!("{max} digits")
    } else {
        format!("{min} to {max} digits")
    };
    Err(FieldError::new(
        field,
        format!("{value:?}"),
        format!("{count} (0-9 only)"),
    ))
}

/// Free text: 1..=`max` characters, none of them control characters.
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(
            field,
            format!("{value:?}"),
            format!("1 to {max} characters"),
        ));
    }
    optional_text(field, value, max)
}

/// Like [`text`], but may be empty.
pub(crate) fn optional_text(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            format!("{value:?}"),
            format!("at most {max} characters, no control characters"),
        ));
    }
    Ok(())
}

/// A SIP user or account name: 1..=`max` characters without spaces, `@`, `:` or `;`,
/// which would break a SIP URI.
pub(crate) fn sip_user(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '@' | ':' | ';' | '<' | '>' | '"')
    };
    if value.is_empty() || value.chars().count() > max || value.chars().any(bad) {
        return Err(FieldError::new(
            field,
            format!("{value:?}"),
            format!("1 to {max} characters without spaces, @, :, ;, <, > or quotes"),
        ));
    }
    Ok(())
}

/// A password stored for a peer: 0..=`max` characters, no control characters.
pub(crate) fn secret(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "(hidden)",
            format!("at most {max} characters, no control characters"),
        ));
    }
    Ok(())
}

/// An IPv4 address, as text.
pub(crate) fn ipv4(field: &str, value: &str) -> Result<Ipv4Addr, FieldError> {
    value
        .parse::<Ipv4Addr>()
        .map_err(|_| FieldError::new(field, format!("{value:?}"), "an IPv4 address a.b.c.d"))
}

/// An IPv4 address a host can have: not 0.0.0.0, loopback, multicast, broadcast or
/// reserved (240/4).
pub(crate) fn host_ipv4(field: &str, value: &str) -> Result<Ipv4Addr, FieldError> {
    let ip = ipv4(field, value)?;
    let o = ip.octets();
    if ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || ip.is_broadcast()
        || o[0] >= 240
        || o[0] == 0
    {
        return Err(FieldError::new(
            field,
            format!("{value:?}"),
            "a unicast IPv4 address (not 0.x, 127.x, multicast, 240/4 or 255.255.255.255)",
        ));
    }
    Ok(ip)
}

/// A host name (RFC 1123) or an IPv4 address.
pub(crate) fn host(field: &str, value: &str) -> Result<(), FieldError> {
    if value.parse::<Ipv4Addr>().is_ok() {
        return host_ipv4(field, value).map(|_| ());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let name = value.strip_suffix('.').unwrap_or(value);
    let all_numeric = name
        .split('.')
        .all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    if name.is_empty() || name.len() > 253 || all_numeric || !name.split('.').all(label_ok) {
        return Err(FieldError::new(
            field,
            format!("{value:?}"),
            "a host name (letters, digits, '-', dots; at most 253 characters) or an IPv4 address",
        ));
    }
    Ok(())
}

/// A TCP or UDP port other than 0.
pub(crate) fn port(field: &str, value: u16) -> Result<(), FieldError> {
    range(field, value, 1..=65535, "")
}

/// A MAC address, six hex pairs separated by `:` or `-`, not broadcast or multicast.
pub(crate) fn mac(field: &str, value: &str) -> Result<[u8; 6], FieldError> {
    let err = || {
        FieldError::new(
            field,
            format!("{value:?}"),
            "a unicast MAC address such as 00:1a:2b:3c:4d:5e (':' or '-' between pairs)",
        )
    };
    let sep = if value.contains('-') { '-' } else { ':' };
    let parts: Vec<&str> = value.split(sep).collect();
    if parts.len() != 6 {
        return Err(err());
    }
    let mut out = [0u8; 6];
    for (o, p) in out.iter_mut().zip(&parts) {
        if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err());
        }
        *o = u8::from_str_radix(p, 16).map_err(|_| err())?;
    }
    if out[0] & 1 == 1 || out == [0; 6] {
        return Err(err());
    }
    Ok(out)
}

/// A time of day `HH:MM` (24-hour clock); `24:00` too when `end` is set, for a period that
/// runs to midnight. Returns minutes since midnight.
pub(crate) fn time_of_day(field: &str, value: &str, end: bool) -> Result<u16, FieldError> {
    let err = || {
        FieldError::new(
            field,
            format!("{value:?}"),
            if end {
                "HH:MM from 00:00 to 24:00"
            } else {
                "HH:MM from 00:00 to 23:59"
            },
        )
    };
    let (h, m) = value.split_once(':').ok_or_else(err)?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return Err(err());
    }
    let h: u16 = h.parse().map_err(|_| err())?;
    let m: u16 = m.parse().map_err(|_| err())?;
    let minutes = h * 60 + m;
    if m > 59 || minutes > 24 * 60 || (minutes == 24 * 60 && !end) {
        return Err(err());
    }
    Ok(minutes)
}

/// Every item of a list at most once, by `key`; names the second occurrence.
pub(crate) fn unique<T, K: PartialEq + Display>(
    list: &str,
    field: &str,
    items: &[T],
    key: impl Fn(&T) -> K,
) -> Result<(), FieldError> {
    for (i, item) in items.iter().enumerate() {
        let k = key(item);
        if let Some(j) = items[..i].iter().position(|o| key(o) == k) {
            return Err(FieldError::new(
                format!("{list}[{i}].{field}"),
                k,
                format!("a value not already used by {list}[{j}]"),
            ));
        }
    }
    Ok(())
}

/// At most `max` items.
pub(crate) fn max_len<T>(field: &str, items: &[T], max: usize) -> Result<(), FieldError> {
    if items.len() > max {
        return Err(FieldError::new(
            field,
            format!("{} entries", items.len()),
            format!("at most {max} entries"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_strings_are_counted_and_limited_to_digits() {
        assert!(digits("n", "888888", 1, 9).is_ok());
        assert!(digits("n", "1234567890", 1, 9).is_err());
        assert!(digits("n", "12a", 1, 9).is_err());
        assert!(digits("n", "", 1, 9).is_err());
    }

    #[test]
    fn hosts_are_names_or_unicast_addresses() {
        assert!(host("h", "pool.ntp.org").is_ok());
        assert!(host("h", "192.168.1.10").is_ok());
        assert!(host("h", "255.255.255.255").is_err());
        assert!(host("h", "999.1.1.1").is_err());
        assert!(host("h", "bad_name").is_err());
        assert!(host("h", "").is_err());
    }

    #[test]
    fn times_of_day_allow_24_00_only_as_an_end() {
        assert_eq!(time_of_day("t", "23:59", false), Ok(1439));
        assert!(time_of_day("t", "24:00", false).is_err());
        assert_eq!(time_of_day("t", "24:00", true), Ok(1440));
        assert!(time_of_day("t", "24:01", true).is_err());
        assert!(time_of_day("t", "7:00", false).is_err());
        assert!(time_of_day("t", "+1:00", false).is_err());
    }

    #[test]
    fn macs_need_six_pairs_and_a_unicast_address() {
        assert!(mac("m", "00:1a:2b:3c:4d:5e").is_ok());
        assert!(mac("m", "00-1A-2B-3C-4D-5E").is_ok());
        assert!(mac("m", "01:00:5e:00:00:01").is_err());
        assert!(mac("m", "00:1a:2b:3c:4d").is_err());
        assert!(mac("m", "00:+1:2b:3c:4d:5e").is_err());
    }
}
