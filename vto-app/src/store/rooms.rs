//! Rooms: the SIP server's VTH list (the manual's VTH Management > Add). Cards, passwords
//! and fingerprints name a room; a room still named by one cannot be deleted, so no
//! credential is left pointing at a household that no longer exists.

use rusqlite::{params, OptionalExtension, Row};
use vto_core::access::RoomNumber;

use super::columns::room_at;
use super::error::{ErrorKind, StoreError};
use super::{limits, Durability, Store};

/// A room as entered in the manual's "Room information" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRecord {
    /// The number the indoor monitor registers with (1..=999,999,999).
    pub number: RoomNumber,
    /// First name of the household (0..=64 characters).
    pub first_name: String,
    /// Last name (0..=64 characters).
    pub last_name: String,
    /// Nick name (0..=64 characters).
    pub nick_name: String,
    /// The monitor's SIP registration password, if not the default. Kept in clear: the
    /// SIP server needs it to check digest authentication.
    pub registration_password: Option<String>,
}

impl RoomRecord {
    /// Checks every field against the store's limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        limits::room("number", self.number)?;
        limits::name("first_name", &self.first_name)?;
        limits::name("last_name", &self.last_name)?;
        limits::name("nick_name", &self.nick_name)?;
        if let Some(p) = &self.registration_password {
            limits::text("registration_password", p, 1, limits::MAX_NAME_CHARS)?;
        }
        Ok(())
    }
}

const COLUMNS: &str = "number, first_name, last_name, nick_name, registration_password";

fn room_row(row: &Row<'_>) -> rusqlite::Result<RoomRecord> {
    Ok(RoomRecord {
        number: room_at(row, 0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        nick_name: row.get(3)?,
        registration_password: row.get(4)?,
    })
}

impl Store {
    /// Adds the room or changes its names and password.
    pub fn upsert_room(&mut self, room: &RoomRecord) -> Result<(), StoreError> {
        room.validate()?;
        self.write(Durability::PowerCut, |tx| {
            tx.prepare_cached(
                "INSERT INTO rooms (number, first_name, last_name, nick_name, registration_password)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (number) DO UPDATE SET
                     first_name = excluded.first_name, last_name = excluded.last_name,
                     nick_name = excluded.nick_name,
                     registration_password = excluded.registration_password",
            )?
            .execute(params![
                room.number.0,
                room.first_name,
                room.last_name,
                room.nick_name,
                room.registration_password
            ])?;
            Ok(())
        })
    }

    /// Deletes the room; `false` if there was none. Refused with [`ErrorKind::InUse`]
    /// while a card, password user or fingerprint belongs to it.
    pub fn delete_room(&mut self, number: RoomNumber) -> Result<bool, StoreError> {
        self.write(Durability::PowerCut, |tx| {
            let count = |table: &str| -> Result<i64, StoreError> {
                Ok(tx
                    .prepare_cached(&format!("SELECT count(*) FROM {table} WHERE room = ?1"))?
                    .query_row([number.0], |r| r.get(0))?)
            };
            let (cards, users, fingerprints) = (
                count("cards")?,
                count("door_users")?,
                count("fingerprints")?,
            );
            if cards + users + fingerprints > 0 {
                return Err(StoreError::new(
                    ErrorKind::InUse,
                    format!(
                        "{number} still has {cards} cards, {users} password users and \
                         {fingerprints} fingerprints; delete or move them first"
                    ),
                ));
            }
            let n = tx
                .prepare_cached("DELETE FROM rooms WHERE number = ?1")?
                .execute([number.0])?;
            Ok(n > 0)
        })
    }

    /// The room `number`, if stored.
    pub fn room(&self, number: RoomNumber) -> Result<Option<RoomRecord>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM rooms WHERE number = ?1"))?
            .query_row([number.0], room_row)
            .optional()?)
    }

    /// Every room, by number.
    pub fn rooms(&self) -> Result<Vec<RoomRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM rooms ORDER BY number"))?;
        let rows = stmt.query_map([], room_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
