//! Cards as CSV, for bulk import and backup:
//!
//! ```text
//! facility,number,room,owner,state,valid_from,valid_until
//! 1,4242,101,Alice,normal,,
//! 1,4243,101,"Smith, Bob",lost,1700000000,1800000000
//! ```
//!
//! `state` is `normal`, `main` or `lost`; `valid_from` and `valid_until` are Unix seconds
//! or empty for an open end. Columns may come in any order; a UTF-8 byte-order mark (as
//! spreadsheets write) is skipped. Every error names the line and the column. Owners are
//! written exactly as stored, so an export imports back to the same cards.

use std::error::Error as StdError;
use std::fmt;
use std::io::{Read, Write};

use csv::StringRecord;
use vto_core::access::{CardId, RoomNumber, UnixTime, Validity};

use super::cards::{card_row, card_state_name, parse_card_state, CardRecord};
use super::error::{ErrorKind, StoreError};
use super::{limits, now_ms, Store};

/// The header line, in the order the export writes it.
pub const CARDS_CSV_HEADER: [&str; 7] = [
    "facility",
    "number",
    "room",
    "owner",
    "state",
    "valid_from",
    "valid_until",
];

const FACILITY: usize = 0;
const NUMBER: usize = 1;
const ROOM: usize = 2;
const OWNER: usize = 3;
const STATE: usize = 4;
const VALID_FROM: usize = 5;
const VALID_UNTIL: usize = 6;

/// A line of a cards CSV file that could not be read.
#[derive(Debug)]
pub struct CsvError {
    line: u64,
    column: Option<&'static str>,
    message: String,
}

impl CsvError {
    fn new(line: u64, column: Option<&'static str>, message: impl Into<String>) -> Self {
        Self {
            line,
            column,
            message: message.into(),
        }
    }

    fn at(line: u64, column: usize, what: impl fmt::Display) -> Self {
        let name = CARDS_CSV_HEADER[column];
        Self::new(line, Some(name), format!("{name}: {what}"))
    }

    /// The line of the file, from 1 (the header).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The column's header name, when the error is in one field.
    pub fn column(&self) -> Option<&'static str> {
        self.column
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl StdError for CsvError {}

impl From<CsvError> for StoreError {
    fn from(e: CsvError) -> Self {
        StoreError::new(ErrorKind::Invalid, e.to_string()).with_source(e)
    }
}

fn from_csv(e: csv::Error) -> CsvError {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields, the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
        _ => e.to_string(),
    };
    CsvError::new(line, None, message)
}

/// The cards of a CSV file, one `Result` per line; see [`parse_cards_csv`].
pub struct CardCsvReader<R: Read> {
    records: csv::StringRecordsIntoIter<R>,
    /// Where each of [`CARDS_CSV_HEADER`]'s columns is in the file.
    columns: [usize; 7],
    /// A header error, returned first and alone.
    header_error: Option<CsvError>,
    done: bool,
    created_at_ms: i64,
}

impl<R: Read> fmt::Debug for CardCsvReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardCsvReader")
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

/// Reads cards from CSV with the header [`CARDS_CSV_HEADER`]. The cards get the current
/// time as their creation time (kept for cards already stored when imported). Collect
/// into `Result<Vec<_>, _>` to stop at the first bad line, or keep going to list them all.
pub fn parse_cards_csv<R: Read>(r: R) -> CardCsvReader<R> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(r);
    let (columns, header_error) = match reader.headers() {
        Ok(header) => match header_columns(header) {
            Ok(columns) => (columns, None),
            Err(e) => ([0; 7], Some(e)),
        },
        Err(e) => ([0; 7], Some(from_csv(e))),
    };
    CardCsvReader {
        records: reader.into_records(),
        columns,
        header_error,
        done: false,
        created_at_ms: now_ms(),
    }
}

fn header_columns(header: &StringRecord) -> Result<[usize; 7], CsvError> {
    let mut columns = [usize::MAX; 7];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}').trim();
        let Some(known) = CARDS_CSV_HEADER
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
        else {
            return Err(CsvError::new(
                1,
                None,
                format!(
                    "unknown column {name:?}; expected {}",
                    CARDS_CSV_HEADER.join(",")
                ),
            ));
        };
        if columns[known] != usize::MAX {
            return Err(CsvError::at(1, known, "column appears twice"));
        }
        columns[known] = i;
    }
    match columns.iter().position(|&c| c == usize::MAX) {
        Some(missing) => Err(CsvError::at(1, missing, "column missing")),
        None => Ok(columns),
    }
}

impl<R: Read> CardCsvReader<R> {
    fn card(&self, record: &StringRecord) -> Result<CardRecord, CsvError> {
        let line = record.position().map_or(0, |p| p.line());
        let field = |c: usize| record.get(self.columns[c]).unwrap_or("");
        let number = |c: usize| -> Result<Option<i128>, CsvError> {
            let text = field(c).trim();
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<i128>()
                .map(Some)
                .map_err(|_| CsvError::at(line, c, format!("{text:?} is not a whole number")))
        };
        let required = |c: usize| -> Result<i128, CsvError> {
            number(c)?.ok_or_else(|| CsvError::at(line, c, "empty"))
        };
        let in_range = |c: usize, v: i128, max: i128| -> Result<i128, CsvError> {
            if (0..=max).contains(&v) {
                Ok(v)
            } else {
                Err(CsvError::at(line, c, format!("{v} is outside 0..={max}")))
            }
        };
        let facility = in_range(FACILITY, required(FACILITY)?, i128::from(u32::MAX))? as u32;
        let card_number = in_range(
            NUMBER,
            required(NUMBER)?,
            i128::from(limits::MAX_CARD_NUMBER),
        )? as u64;
        let room = in_range(ROOM, required(ROOM)?, i128::from(u32::MAX))? as u32;
        let room = RoomNumber(room);
        limits::room("room", room).map_err(|e| CsvError::new(line, Some("room"), e.to_string()))?;
        let owner = field(OWNER).to_owned();
        limits::name("owner", &owner)
            .map_err(|e| CsvError::new(line, Some("owner"), e.to_string()))?;
        let state_text = field(STATE).trim();
        let state = parse_card_state(state_text).ok_or_else(|| {
            CsvError::at(
                line,
                STATE,
                format!("{state_text:?} is not normal, main or lost"),
            )
        })?;
        let seconds = |c: usize, open: UnixTime| -> Result<UnixTime, CsvError> {
            match number(c)? {
                None => Ok(open),
                Some(v) => i64::try_from(v)
                    .map(UnixTime)
                    .map_err(|_| CsvError::at(line, c, format!("{v} is out of range"))),
            }
        };
        let validity = Validity {
            from: seconds(VALID_FROM, UnixTime::MIN)?,
            until: seconds(VALID_UNTIL, UnixTime::MAX)?,
        };
        limits::validity(validity)
            .map_err(|e| CsvError::new(line, Some("valid_from"), e.to_string()))?;
        Ok(CardRecord {
            id: CardId::new(facility, card_number),
            room,
            owner,
            state,
            validity,
            created_at_ms: self.created_at_ms,
        })
    }
}

impl<R: Read> Iterator for CardCsvReader<R> {
    type Item = Result<CardRecord, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if let Some(e) = self.header_error.take() {
            self.done = true;
            return Some(Err(e));
        }
        match self.records.next()? {
            Ok(record) => Some(self.card(&record)),
            Err(e) => {
                // An I/O error ends the file; a malformed line does not.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.done = true;
                }
                Some(Err(from_csv(e)))
            }
        }
    }
}

fn write_error(e: csv::Error) -> StoreError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => StoreError::new(ErrorKind::Other, format!("csv: {other:?}")),
    }
}

fn write_card<W: Write>(out: &mut csv::Writer<W>, card: &CardRecord) -> Result<(), StoreError> {
    let (from, until) = limits::validity_columns(card.validity);
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    out.write_record([
        card.id.facility.0.to_string().as_str(),
        &card.id.number.0.to_string(),
        &card.room.0.to_string(),
        &card.owner,
        card_state_name(card.state),
        &opt(from),
        &opt(until),
    ])
    .map_err(write_error)
}

/// Writes `cards` as CSV with the header [`CARDS_CSV_HEADER`]; returns the number of rows.
pub fn write_cards_csv<'a, I: IntoIterator<Item = &'a CardRecord>, W: Write>(
    cards: I,
    w: W,
) -> Result<u64, StoreError> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CARDS_CSV_HEADER).map_err(write_error)?;
    let mut rows = 0;
    for card in cards {
        write_card(&mut out, card)?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

impl Store {
    /// Writes every card as CSV, by facility and number, straight from the database.
    pub fn export_cards_csv<W: Write>(&self, w: W) -> Result<u64, StoreError> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(CARDS_CSV_HEADER).map_err(write_error)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT facility, number, room, owner, state, valid_from, valid_until, created_at_ms
             FROM cards ORDER BY facility, number",
        )?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            write_card(&mut out, &card_row(row)?)?;
            n += 1;
        }
        out.flush()?;
        Ok(n)
    }
}
