//! Door-password users (the manual's Password Management): a user number, a room and a
//! salted PBKDF2 hash. The password itself is never stored.

use rusqlite::{params, OptionalExtension, Row};
use vto_core::access::{PasswordHash, PasswordUser, RoomNumber, UserId, Validity};

use super::columns::{corrupt, room_at, u32_at};
use super::error::StoreError;
use super::{limits, Durability, Store};

/// A password user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorUserRecord {
    /// The number keyed in before the password.
    pub id: UserId,
    /// The room the user belongs to.
    pub room: RoomNumber,
    /// The user's name (0..=64 characters).
    pub name: String,
    /// The hash's 16 random bytes.
    pub salt: [u8; 16],
    /// PBKDF2 iterations (at least 1).
    pub iterations: u32,
    /// PBKDF2-HMAC-SHA256 of the password.
    pub digest: [u8; 32],
    /// When the password may be used.
    pub validity: Validity,
}

impl DoorUserRecord {
    /// The user as the access engine needs it.
    pub fn to_core(&self) -> PasswordUser {
        PasswordUser {
            id: self.id,
            room: self.room,
            hash: PasswordHash::from_parts(self.salt, self.iterations, self.digest),
            validity: self.validity,
        }
    }

    /// Checks every field against the store's limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        limits::room("room", self.room)?;
        limits::name("name", &self.name)?;
        if self.iterations == 0 {
            return Err(StoreError::invalid("iterations", "0 is below 1"));
        }
        limits::validity(self.validity)
    }
}

const COLUMNS: &str = "id, room, name, salt, iterations, digest, valid_from, valid_until";

fn user_row(row: &Row<'_>) -> rusqlite::Result<DoorUserRecord> {
    let id = u32_at(row, 0)?;
    let salt: Vec<u8> = row.get(3)?;
    let digest: Vec<u8> = row.get(5)?;
    Ok(DoorUserRecord {
        id: UserId::new(id).ok_or_else(|| corrupt(0, "user id 0".into()))?,
        room: room_at(row, 1)?,
        name: row.get(2)?,
        salt: salt
            .try_into()
            .map_err(|_| corrupt(3, "salt is not 16 bytes".into()))?,
        iterations: u32_at(row, 4)?,
        digest: digest
            .try_into()
            .map_err(|_| corrupt(5, "digest is not 32 bytes".into()))?,
        validity: limits::validity_from_columns(row.get(6)?, row.get(7)?),
    })
}

impl Store {
    /// Adds the user or changes every field of it.
    pub fn upsert_door_user(&mut self, user: &DoorUserRecord) -> Result<(), StoreError> {
        user.validate()?;
        let (from, until) = limits::validity_columns(user.validity);
        self.write(Durability::PowerCut, |tx| {
            tx.prepare_cached(
                "INSERT INTO door_users
                     (id, room, name, salt, iterations, digest, valid_from, valid_until)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET
                     room = excluded.room, name = excluded.name, salt = excluded.salt,
                     iterations = excluded.iterations, digest = excluded.digest,
                     valid_from = excluded.valid_from, valid_until = excluded.valid_until",
            )?
            .execute(params![
                user.id.get(),
                user.room.0,
                user.name,
                &user.salt[..],
                user.iterations,
                &user.digest[..],
                from,
                until
            ])?;
            Ok(())
        })
    }

    /// Deletes the user; `false` if there was none.
    pub fn delete_door_user(&mut self, id: UserId) -> Result<bool, StoreError> {
        self.write(Durability::PowerCut, |tx| {
            let n = tx
                .prepare_cached("DELETE FROM door_users WHERE id = ?1")?
                .execute([id.get()])?;
            Ok(n > 0)
        })
    }

    /// The user `id`, if stored.
    pub fn door_user(&self, id: UserId) -> Result<Option<DoorUserRecord>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM door_users WHERE id = ?1"))?
            .query_row([id.get()], user_row)
            .optional()?)
    }

    /// Every password user, by id.
    pub fn door_users(&self) -> Result<Vec<DoorUserRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM door_users ORDER BY id"))?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
