//! The event log (the manual's Log Management): a ring of at most `event_cap` events. Each
//! append gets the next sequence number and, once the ring is full, deletes the oldest
//! rows in the same transaction ("if storage is full, the oldest records will be
//! overwritten"). Sequence numbers are the table's rowid: they only grow, across
//! restarts too, because the ring never empties.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Row, Transaction};
use vto_core::access::{CardId, RoomNumber};

use super::columns::{corrupt, opt_card_at, u32_at, u64_at};
use super::error::StoreError;
use super::{limits, sql_u64, Durability, Store};

/// What an event is about, for filtering the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// A card, password, fingerprint, exit button or remote unlock granted or denied.
    Decision,
    /// A door opened, closed or relocked.
    Door,
    /// An alarm raised or cleared (fire, held open, forced open, tamper).
    Alarm,
    /// A reader locked out after failures, or accepting again.
    Lockout,
    /// A main card's issue mode started or ended.
    IssueMode,
    /// Settings changed.
    Settings,
    /// The station started, stopped, or something failed.
    System,
    /// A call placed, answered or ended.
    Call,
}

impl EventType {
    /// Every type.
    pub const ALL: [EventType; 8] = [
        Self::Decision,
        Self::Door,
        Self::Alarm,
        Self::Lockout,
        Self::IssueMode,
        Self::Settings,
        Self::System,
        Self::Call,
    ];

    /// The type's name in the database, the CSV export and the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Decision => "decision",
            Self::Door => "door",
            Self::Alarm => "alarm",
            Self::Lockout => "lockout",
            Self::IssueMode => "issue_mode",
            Self::Settings => "settings",
            Self::System => "system",
            Self::Call => "call",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| StoreError::invalid("kind", format!("{s:?} is not an event type")))
    }
}

/// An event to record. Text fields are cut to their limits rather than refused, so an
/// event is never lost for its wording: `actor`, `outcome` and `reason` to 64
/// characters, `detail` to [`limits::MAX_EVENT_DETAIL_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// When it happened, in Unix milliseconds.
    pub at_ms: i64,
    /// What it is about.
    pub kind: EventType,
    /// The door: 1 for the local lock, 2 for the RS-485 lock.
    pub door: Option<u8>,
    /// The card presented.
    pub card: Option<CardId>,
    /// The room concerned.
    pub room: Option<RoomNumber>,
    /// Who: `web:admin`, `room 101`, `exit button`.
    pub actor: Option<String>,
    /// `granted` or `denied`, for decisions.
    pub outcome: Option<String>,
    /// Why, in a word: `lost_card`, `expired`.
    pub reason: Option<String>,
    /// The message shown in the log.
    pub detail: String,
}

impl NewEvent {
    /// An event of `kind` at `at_ms` with only a message; set the other fields as needed.
    pub fn new(at_ms: i64, kind: EventType, detail: impl Into<String>) -> Self {
        Self {
            at_ms,
            kind,
            door: None,
            card: None,
            room: None,
            actor: None,
            outcome: None,
            reason: None,
            detail: detail.into(),
        }
    }
}

/// A recorded event: what was appended and where it sits in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    /// Its place in the log: larger is newer, never reused.
    pub seq: u64,
    /// The event as appended (text fields cut to their limits).
    pub event: NewEvent,
}

/// A search of the log: every filter given must match. Results are newest first (by
/// `seq`); the next page is the same query with `before_seq` set to the last `seq` seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventQuery {
    /// Only events at or after this time (Unix ms, inclusive).
    pub from_ms: Option<i64>,
    /// Only events before this time (Unix ms, exclusive).
    pub to_ms: Option<i64>,
    /// Only this type.
    pub kind: Option<EventType>,
    /// Only this door (1 or 2).
    pub door: Option<u8>,
    /// Only this card.
    pub card: Option<CardId>,
    /// Only this room.
    pub room: Option<RoomNumber>,
    /// Only events older than this one (for paging).
    pub before_seq: Option<u64>,
    /// At most this many (1..=10,000). The CSV export ignores it and writes every match.
    pub limit: u32,
}

impl EventQuery {
    /// The newest `limit` events, unfiltered.
    pub fn newest(limit: u32) -> Self {
        Self {
            from_ms: None,
            to_ms: None,
            kind: None,
            door: None,
            card: None,
            room: None,
            before_seq: None,
            limit,
        }
    }

    fn validate(&self) -> Result<(), StoreError> {
        super::cards::check_page_limit(u64::from(self.limit))?;
        self.validate_filters()
    }

    pub(crate) fn validate_filters(&self) -> Result<(), StoreError> {
        if let Some(door) = self.door {
            check_door(door)?;
        }
        Ok(())
    }
}

impl Default for EventQuery {
    /// The newest 100 events.
    fn default() -> Self {
        Self::newest(100)
    }
}

fn check_door(door: u8) -> Result<(), StoreError> {
    if matches!(door, 1 | 2) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "door",
            format!("{door} is not 1 (local) or 2 (RS-485)"),
        ))
    }
}

/// The longest actor, outcome and reason, in characters.
const MAX_TAG_CHARS: usize = limits::MAX_NAME_CHARS;

pub(crate) const COLUMNS: &str =
    "seq, at_ms, kind, door, card_facility, card_number, room, actor, outcome, reason, detail";

pub(crate) fn event_row(row: &Row<'_>) -> rusqlite::Result<EventRecord> {
    let kind: String = row.get(2)?;
    let door: Option<i64> = row.get(3)?;
    let room: Option<i64> = row.get(6)?;
    Ok(EventRecord {
        seq: u64_at(row, 0)?,
        event: NewEvent {
            at_ms: row.get(1)?,
            kind: kind
                .parse()
                .map_err(|_| corrupt(2, format!("unknown event type {kind:?}")))?,
            door: door
                .map(|d| u8::try_from(d).map_err(|_| corrupt(3, format!("door {d}"))))
                .transpose()?,
            card: opt_card_at(row, 4)?,
            room: match room {
                Some(_) => Some(RoomNumber(u32_at(row, 6)?)),
                None => None,
            },
            actor: row.get(7)?,
            outcome: row.get(8)?,
            reason: row.get(9)?,
            detail: row.get(10)?,
        },
    })
}

fn insert(tx: &Transaction<'_>, e: &NewEvent) -> Result<u64, StoreError> {
    if let Some(door) = e.door {
        check_door(door)?;
    }
    if let Some(card) = e.card {
        limits::card("card", card)?;
    }
    let tag = |s: &Option<String>| {
        s.as_deref()
            .map(|s| limits::truncate(s, MAX_TAG_CHARS).to_owned())
    };
    tx.prepare_cached(
        "INSERT INTO events
             (at_ms, kind, door, card_facility, card_number, room, actor, outcome, reason, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.at_ms,
        e.kind.as_str(),
        e.door,
        e.card.map(|c| c.facility.0),
        e.card.map(|c| sql_u64(c.number.0)),
        e.room.map(|r| r.0),
        tag(&e.actor),
        tag(&e.outcome),
        tag(&e.reason),
        limits::truncate(&e.detail, limits::MAX_EVENT_DETAIL_CHARS),
    ])?;
    Ok(tx.last_insert_rowid().max(0) as u64)
}

/// Sequence numbers per block of the time index (`event_blocks`): 1,024.
const BLOCK_SHIFT: u32 = 10;

/// The time bounds of the blocks an append touches, written once per block.
#[derive(Default)]
struct BlockBounds {
    /// Block, earliest and latest `at_ms` seen in it.
    open: Option<(u64, i64, i64)>,
}

impl BlockBounds {
    fn note(&mut self, tx: &Transaction<'_>, seq: u64, at_ms: i64) -> Result<(), StoreError> {
        let block = seq >> BLOCK_SHIFT;
        match &mut self.open {
            Some((b, min, max)) if *b == block => {
                *min = (*min).min(at_ms);
                *max = (*max).max(at_ms);
            }
            _ => {
                self.flush(tx)?;
                self.open = Some((block, at_ms, at_ms));
            }
        }
        Ok(())
    }

    fn flush(&mut self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if let Some((block, min, max)) = self.open.take() {
            tx.prepare_cached(
                "INSERT INTO event_blocks (block, min_at, max_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (block) DO UPDATE SET
                     min_at = min(min_at, excluded.min_at), max_at = max(max_at, excluded.max_at)",
            )?
            .execute(params![sql_u64(block), min, max])?;
        }
        Ok(())
    }
}

/// Appends `es` and overwrites what falls out of a ring of `cap`; returns the last seq.
fn append(tx: &Transaction<'_>, es: &[NewEvent], cap: u64) -> Result<u64, StoreError> {
    let mut last = last_seq(tx)?;
    let mut blocks = BlockBounds::default();
    for e in es {
        last = insert(tx, e)?;
        blocks.note(tx, last, e.at_ms)?;
    }
    blocks.flush(tx)?;
    overwrite_oldest(tx, last, cap)?;
    Ok(last)
}

/// Deletes the events that fell out of a ring of `cap` ending at `last`, and the time
/// index of blocks left empty. A block partly overwritten keeps its wider bounds.
fn overwrite_oldest(tx: &Transaction<'_>, last: u64, cap: u64) -> Result<(), StoreError> {
    if last > cap {
        let oldest_kept = last - cap + 1;
        tx.prepare_cached("DELETE FROM events WHERE seq < ?1")?
            .execute([sql_u64(oldest_kept)])?;
        tx.prepare_cached("DELETE FROM event_blocks WHERE block < ?1")?
            .execute([sql_u64(oldest_kept >> BLOCK_SHIFT)])?;
    }
    Ok(())
}

/// The WHERE clause of `q` restricted to `lower <= seq < upper`, and its parameters.
fn where_clause(q: &EventQuery, lower: Option<u64>, upper: Option<u64>) -> (String, Vec<Value>) {
    let mut terms: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(from) = q.from_ms {
        terms.push("at_ms >= ?");
        values.push(from.into());
    }
    if let Some(to) = q.to_ms {
        terms.push("at_ms < ?");
        values.push(to.into());
    }
    if let Some(kind) = q.kind {
        terms.push("kind = ?");
        values.push(kind.as_str().to_owned().into());
    }
    if let Some(door) = q.door {
        terms.push("door = ?");
        values.push(i64::from(door).into());
    }
    if let Some(card) = q.card {
        terms.push("card_number = ? AND card_facility = ?");
        values.push(sql_u64(card.number.0).into());
        values.push(i64::from(card.facility.0).into());
    }
    if let Some(room) = q.room {
        terms.push("room = ?");
        values.push(i64::from(room.0).into());
    }
    let upper = match (upper, q.before_seq) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if let Some(upper) = upper {
        terms.push("seq < ?");
        values.push(sql_u64(upper).into());
    }
    if let Some(lower) = lower {
        terms.push("seq >= ?");
        values.push(sql_u64(lower).into());
    }
    let sql = if terms.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", terms.join(" AND "))
    };
    (sql, values)
}

impl Store {
    /// Records one event and returns its sequence number.
    pub fn append_event(&mut self, e: &NewEvent) -> Result<u64, StoreError> {
        let cap = self.event_cap;
        self.write(Durability::ProcessCrash, |tx| {
            append(tx, std::slice::from_ref(e), cap)
        })
    }

    /// Records the events in one transaction (all or none) and returns the last one's
    /// sequence number (the newest existing one if `es` is empty).
    pub fn append_events(&mut self, es: &[NewEvent]) -> Result<u64, StoreError> {
        let cap = self.event_cap;
        self.write(Durability::ProcessCrash, |tx| append(tx, es, cap))
    }

    /// How many events the ring holds (at most the cap).
    pub fn event_count(&self) -> Result<u64, StoreError> {
        // The ring holds a contiguous run of sequence numbers, so this needs no scan.
        let (min, max): (Option<i64>, Option<i64>) = self
            .conn
            .prepare_cached("SELECT min(seq), max(seq) FROM events")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(match (min, max) {
            (Some(min), Some(max)) => (max - min + 1).max(0) as u64,
            _ => 0,
        })
    }

    /// The newest event's sequence number, 0 if there is none.
    pub fn last_event_seq(&self) -> Result<u64, StoreError> {
        last_seq(&self.conn)
    }

    /// The events matching `q`, newest first.
    pub fn query_events(&self, q: &EventQuery) -> Result<Vec<EventRecord>, StoreError> {
        q.validate()?;
        let mut out = Vec::with_capacity(q.limit.min(1_024) as usize);
        self.search(q, Some(u64::from(q.limit)), |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Every event matching `q` (ignoring its limit), newest first, to `f`.
    pub(crate) fn for_each_event(
        &self,
        q: &EventQuery,
        f: impl FnMut(EventRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        q.validate_filters()?;
        self.search(q, None, f)
    }

    /// Hands at most `limit` events matching `q` to `f`, newest first.
    ///
    /// A card or room is selective: its index is walked backwards in `seq` order, the
    /// time range checked on each row. Otherwise a time range is looked up in the block
    /// index, and only the blocks that can hold a match are walked, newest first, until
    /// the page is full. Without either, the table (or the kind or door index) is walked
    /// backwards.
    fn search(
        &self,
        q: &EventQuery,
        limit: Option<u64>,
        mut f: impl FnMut(EventRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let has_time = q.from_ms.is_some() || q.to_ms.is_some();
        if !has_time || q.card.is_some() || q.room.is_some() {
            return self.scan(q, None, None, limit, f);
        }
        let mut left = limit;
        for block in self.blocks_in_time_range(q)? {
            let lower = block << BLOCK_SHIFT;
            let upper = (block + 1) << BLOCK_SHIFT;
            let mut found = 0;
            self.scan(q, Some(lower), Some(upper), left, |r| {
                found += 1;
                f(r)
            })?;
            if let Some(left) = &mut left {
                *left -= found.min(*left);
                if *left == 0 {
                    break;
                }
            }
        }
        Ok(())
    }

    /// The blocks whose events may fall in `q`'s time range and before its `before_seq`,
    /// newest first.
    fn blocks_in_time_range(&self, q: &EventQuery) -> Result<Vec<u64>, StoreError> {
        let top = q
            .before_seq
            .map_or(i64::MAX, |b| sql_u64(b.saturating_sub(1) >> BLOCK_SHIFT));
        let mut stmt = self.conn.prepare_cached(
            "SELECT block FROM event_blocks
             WHERE block <= ?1 AND max_at >= ?2 AND min_at < ?3
             ORDER BY block DESC",
        )?;
        let rows = stmt.query_map(
            params![
                top,
                q.from_ms.unwrap_or(i64::MIN),
                q.to_ms.unwrap_or(i64::MAX)
            ],
            |r| r.get::<_, i64>(0),
        )?;
        let mut blocks = Vec::new();
        for block in rows {
            blocks.push(block?.max(0) as u64);
        }
        Ok(blocks)
    }

    /// Runs one search of `q` within `lower <= seq < upper`, newest first.
    fn scan(
        &self,
        q: &EventQuery,
        lower: Option<u64>,
        upper: Option<u64>,
        limit: Option<u64>,
        mut f: impl FnMut(EventRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (clause, mut values) = where_clause(q, lower, upper);
        let limit_sql = match limit {
            Some(n) => {
                values.push(sql_u64(n).into());
                " LIMIT ?"
            }
            None => "",
        };
        let sql = format!("SELECT {COLUMNS} FROM events{clause} ORDER BY seq DESC{limit_sql}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        while let Some(row) = rows.next()? {
            f(event_row(row)?)?;
        }
        Ok(())
    }

    /// Drops the oldest events beyond the cap (after the cap was lowered).
    pub(crate) fn trim_events(&mut self) -> Result<(), StoreError> {
        let cap = self.event_cap;
        let last = self.last_event_seq()?;
        if last > cap && self.event_count()? > cap {
            self.write(Durability::ProcessCrash, |tx| {
                overwrite_oldest(tx, last, cap)
            })?;
        }
        Ok(())
    }
}

fn last_seq(conn: &rusqlite::Connection) -> Result<u64, StoreError> {
    let max: Option<i64> = conn
        .prepare_cached("SELECT max(seq) FROM events")?
        .query_row([], |r| r.get(0))?;
    Ok(max.unwrap_or(0).max(0) as u64)
}
