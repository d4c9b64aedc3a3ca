//! Enrolled fingerprints (the manual's Issue Fingerprint): the scanner keeps the
//! templates; the station keeps which id belongs to which room and person.

use rusqlite::{params, OptionalExtension, Row};
use vto_core::access::{Fingerprint, FingerprintId, RoomNumber, Validity};

use super::columns::{room_at, u32_at};
use super::error::StoreError;
use super::{limits, Durability, Store};

/// A fingerprint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerprintRecord {
    /// The template id the scanner reports.
    pub id: FingerprintId,
    /// The room it opens for.
    pub room: RoomNumber,
    /// Whose finger (0..=64 characters).
    pub owner: String,
    /// When it may be used.
    pub validity: Validity,
}

impl FingerprintRecord {
    /// The fingerprint as the access engine needs it.
    pub fn to_core(&self) -> Fingerprint {
        Fingerprint {
            id: self.id,
            room: self.room,
            owner: None,
            validity: self.validity,
        }
    }

    /// Checks every field against the store's limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        limits::room("room", self.room)?;
        limits::name("owner", &self.owner)?;
        limits::validity(self.validity)
    }
}

const COLUMNS: &str = "id, room, owner, valid_from, valid_until";

fn fingerprint_row(row: &Row<'_>) -> rusqlite::Result<FingerprintRecord> {
    Ok(FingerprintRecord {
        id: FingerprintId(u32_at(row, 0)?),
        room: room_at(row, 1)?,
        owner: row.get(2)?,
        validity: limits::validity_from_columns(row.get(3)?, row.get(4)?),
    })
}

impl Store {
    /// Adds the fingerprint or changes every field of it.
    pub fn upsert_fingerprint(&mut self, fp: &FingerprintRecord) -> Result<(), StoreError> {
        fp.validate()?;
        let (from, until) = limits::validity_columns(fp.validity);
        self.write(Durability::PowerCut, |tx| {
            tx.prepare_cached(
                "INSERT INTO fingerprints (id, room, owner, valid_from, valid_until)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET
                     room = excluded.room, owner = excluded.owner,
                     valid_from = excluded.valid_from, valid_until = excluded.valid_until",
            )?
            .execute(params![fp.id.0, fp.room.0, fp.owner, from, until])?;
            Ok(())
        })
    }

    /// Deletes the fingerprint; `false` if there was none.
    pub fn delete_fingerprint(&mut self, id: FingerprintId) -> Result<bool, StoreError> {
        self.write(Durability::PowerCut, |tx| {
            let n = tx
                .prepare_cached("DELETE FROM fingerprints WHERE id = ?1")?
                .execute([id.0])?;
            Ok(n > 0)
        })
    }

    /// The fingerprint `id`, if stored.
    pub fn fingerprint(&self, id: FingerprintId) -> Result<Option<FingerprintRecord>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM fingerprints WHERE id = ?1"))?
            .query_row([id.0], fingerprint_row)
            .optional()?)
    }

    /// Every fingerprint, by id.
    pub fn fingerprints(&self) -> Result<Vec<FingerprintRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM fingerprints ORDER BY id"))?;
        let rows = stmt.query_map([], fingerprint_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
