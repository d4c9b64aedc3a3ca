//! Access cards (the manual's VTH Management > Issue Card), keyed by facility code and
//! number. The core keeps the working set in memory; this is its source of truth.

use rusqlite::{params, CachedStatement, OptionalExtension, Row};
use vto_core::access::{Card, CardId, CardState, RoomNumber, Validity};

use super::columns::{card_at, corrupt, room_at};
use super::error::StoreError;
use super::{limits, sql_u64, Durability, Store};

/// A card as stored: the core's [`Card`] plus what only people need (the owner's name,
/// when it was issued).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    /// Facility code and number.
    pub id: CardId,
    /// The room it opens for.
    pub room: RoomNumber,
    /// Who holds it, as typed in the web interface (0..=64 characters).
    pub owner: String,
    /// Normal, main or lost.
    pub state: CardState,
    /// When it may be used.
    pub validity: Validity,
    /// When it was first stored, in Unix milliseconds; kept when the card is updated.
    pub created_at_ms: i64,
}

impl CardRecord {
    /// The card as the access engine needs it (the engine does not know owners by name).
    pub fn to_core(&self) -> Card {
        Card {
            id: self.id,
            room: self.room,
            owner: None,
            state: self.state,
            validity: self.validity,
        }
    }

    /// Checks every field against the store's limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        limits::card("number", self.id)?;
        limits::room("room", self.room)?;
        limits::name("owner", &self.owner)?;
        limits::validity(self.validity)
    }
}

/// The state's name in the database, the CSV files and the API.
pub fn card_state_name(state: CardState) -> &'static str {
    match state {
        CardState::Normal => "normal",
        CardState::Main => "main",
        CardState::Lost => "lost",
    }
}

/// The state named `name` (`normal`, `main`, `lost`; any case).
pub fn parse_card_state(name: &str) -> Option<CardState> {
    [CardState::Normal, CardState::Main, CardState::Lost]
        .into_iter()
        .find(|s| card_state_name(*s).eq_ignore_ascii_case(name))
}

const COLUMNS: &str =
    "facility, number, room, owner, state, valid_from, valid_until, created_at_ms";

pub(crate) fn card_row(row: &Row<'_>) -> rusqlite::Result<CardRecord> {
    let state: String = row.get(4)?;
    Ok(CardRecord {
        id: card_at(row, 0)?,
        room: room_at(row, 2)?,
        owner: row.get(3)?,
        state: parse_card_state(&state)
            .ok_or_else(|| corrupt(4, format!("unknown card state {state:?}")))?,
        validity: limits::validity_from_columns(row.get(5)?, row.get(6)?),
        created_at_ms: row.get(7)?,
    })
}

const UPSERT: &str = "INSERT INTO cards
        (facility, number, room, owner, state, valid_from, valid_until, created_at_ms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
    ON CONFLICT (facility, number) DO UPDATE SET
        room = excluded.room, owner = excluded.owner, state = excluded.state,
        valid_from = excluded.valid_from, valid_until = excluded.valid_until";

fn upsert(stmt: &mut CachedStatement<'_>, card: &CardRecord) -> Result<(), StoreError> {
    let (from, until) = limits::validity_columns(card.validity);
    stmt.execute(params![
        card.id.facility.0,
        sql_u64(card.id.number.0),
        card.room.0,
        card.owner,
        card_state_name(card.state),
        from,
        until,
        card.created_at_ms,
    ])?;
    Ok(())
}

impl Store {
    /// Adds the card, or changes every field of it but its creation time.
    pub fn upsert_card(&mut self, card: &CardRecord) -> Result<(), StoreError> {
        card.validate()?;
        self.write(Durability::PowerCut, |tx| {
            upsert(&mut tx.prepare_cached(UPSERT)?, card)
        })
    }

    /// Deletes the card; `false` if there was none.
    pub fn delete_card(&mut self, id: CardId) -> Result<bool, StoreError> {
        limits::card("number", id)?;
        self.write(Durability::PowerCut, |tx| {
            let n = tx
                .prepare_cached("DELETE FROM cards WHERE facility = ?1 AND number = ?2")?
                .execute(params![id.facility.0, sql_u64(id.number.0)])?;
            Ok(n > 0)
        })
    }

    /// The card `id`, if stored.
    pub fn card(&self, id: CardId) -> Result<Option<CardRecord>, StoreError> {
        if id.number.0 > limits::MAX_CARD_NUMBER {
            return Ok(None);
        }
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM cards WHERE facility = ?1 AND number = ?2"
            ))?
            .query_row(params![id.facility.0, sql_u64(id.number.0)], card_row)
            .optional()?)
    }

    /// Every card, by facility and number: what the core is loaded with at start.
    pub fn cards(&self) -> Result<Vec<CardRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM cards ORDER BY facility, number"
        ))?;
        let rows = stmt.query_map([], card_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many cards are stored.
    pub fn card_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM cards")?
            .query_row([], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// One page of cards by facility and number, of one room or of all; `limit` is
    /// 1..=10,000.
    pub fn cards_page(
        &self,
        room: Option<RoomNumber>,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<CardRecord>, StoreError> {
        check_page_limit(limit)?;
        let (offset, limit) = (sql_u64(offset), sql_u64(limit));
        let mut stmt;
        let rows = match room {
            Some(room) => {
                stmt = self.conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM cards WHERE room = ?1
                     ORDER BY facility, number LIMIT ?2 OFFSET ?3"
                ))?;
                stmt.query_map(params![room.0, limit, offset], card_row)?
            }
            None => {
                stmt = self.conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM cards ORDER BY facility, number LIMIT ?1 OFFSET ?2"
                ))?;
                stmt.query_map(params![limit, offset], card_row)?
            }
        };
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds or updates every card in one transaction: all of them or, if one is
    /// refused, none. Returns how many were written.
    pub fn import_cards<I: IntoIterator<Item = CardRecord>>(
        &mut self,
        cards: I,
    ) -> Result<usize, StoreError> {
        self.write(Durability::PowerCut, |tx| {
            let mut stmt = tx.prepare_cached(UPSERT)?;
            let mut n = 0;
            for card in cards {
                card.validate()
                    .map_err(|e| e.with_context(&card.id.to_string()))?;
                upsert(&mut stmt, &card)?;
                n += 1;
            }
            Ok(n)
        })
    }
}

/// A page size of 1..=10,000 rows.
pub(crate) fn check_page_limit(limit: u64) -> Result<(), StoreError> {
    let allowed = limits::QUERY_LIMITS;
    if (u64::from(*allowed.start())..=u64::from(*allowed.end())).contains(&limit) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "limit",
            format!("{limit} is outside {}..={}", allowed.start(), allowed.end()),
        ))
    }
}
