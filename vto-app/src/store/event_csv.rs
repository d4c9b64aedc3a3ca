//! The log's CSV export (the manual's Search Log > Export), streamed row by row so a full
//! ring of a million events needs no more memory than one.
//!
//! Fields are quoted as RFC 4180 requires (commas, quotes, line breaks). Text that came
//! from outside (actor, reason, detail: a SIP display name, a user name) and starts with
//! `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so a spreadsheet shows
//! it as text instead of running it as a formula.

use std::io::Write;

use super::error::StoreError;
use super::events::{EventQuery, EventRecord};
use super::Store;

/// The export's header line.
pub const EVENTS_CSV_HEADER: [&str; 12] = [
    "seq",
    "time_utc",
    "at_ms",
    "kind",
    "door",
    "card_facility",
    "card_number",
    "room",
    "actor",
    "outcome",
    "reason",
    "detail",
];

/// `text` made safe to open in a spreadsheet (see the module's documentation).
fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn format_utc(at_ms: i64) -> String {
    let secs = at_ms.div_euclid(1_000);
    let ms = at_ms.rem_euclid(1_000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        tod / 3_600,
        tod % 3_600 / 60,
        tod % 60
    )
}

fn write_row<W: Write>(out: &mut csv::Writer<W>, r: &EventRecord) -> Result<(), csv::Error> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let e = &r.event;
    out.write_record([
        r.seq.to_string().as_str(),
        &format_utc(e.at_ms),
        &e.at_ms.to_string(),
        e.kind.as_str(),
        &opt(e.door.map(|d| d.to_string())),
        &opt(e.card.map(|c| c.facility.0.to_string())),
        &opt(e.card.map(|c| c.number.0.to_string())),
        &opt(e.room.map(|r| r.0.to_string())),
        &defuse(e.actor.as_deref().unwrap_or("")),
        &defuse(e.outcome.as_deref().unwrap_or("")),
        &defuse(e.reason.as_deref().unwrap_or("")),
        &defuse(&e.detail),
    ])
}

fn csv_error(e: csv::Error) -> StoreError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => StoreError::new(super::ErrorKind::Other, format!("csv: {other:?}")),
    }
}

impl Store {
    /// Writes every event matching `q` (its `limit` is ignored) as CSV to `w`, newest
    /// first, with the header [`EVENTS_CSV_HEADER`]; returns the number of rows.
    pub fn export_events_csv<W: Write>(&self, q: &EventQuery, w: W) -> Result<u64, StoreError> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(EVENTS_CSV_HEADER).map_err(csv_error)?;
        let mut rows = 0u64;
        self.for_each_event(q, |e| {
            write_row(&mut out, &e).map_err(csv_error)?;
            rows += 1;
            Ok(())
        })?;
        out.flush()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_utc_with_milliseconds() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_utc(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn formulas_are_shown_as_text() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("room 101"), "room 101");
    }
}
