//! Reading the store's typed values back from SQLite columns; a value this program would
//! never have written is reported as a corrupt database, not a panic.

use rusqlite::types::Type;
use rusqlite::Row;
use vto_core::access::{CardId, RoomNumber};

/// A conversion failure of column `idx`, which [`super::StoreError`] maps to `Corrupt`.
pub(crate) fn corrupt(idx: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Integer, what.into())
}

/// Column `idx` as a `u32`.
pub(crate) fn u32_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<u32> {
    let v: i64 = row.get(idx)?;
    u32::try_from(v).map_err(|_| corrupt(idx, format!("{v} is not a 32-bit unsigned value")))
}

/// Column `idx` as a `u64`.
pub(crate) fn u64_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    let v: i64 = row.get(idx)?;
    u64::try_from(v).map_err(|_| corrupt(idx, format!("{v} is negative")))
}

/// Column `idx` as a room number.
pub(crate) fn room_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<RoomNumber> {
    u32_at(row, idx).map(RoomNumber)
}

/// A card id from its facility column `idx` and number column `idx + 1`.
pub(crate) fn card_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<CardId> {
    Ok(CardId::new(u32_at(row, idx)?, u64_at(row, idx + 1)?))
}

/// An optional card id from its facility column `idx` and number column `idx + 1`.
pub(crate) fn opt_card_at(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<CardId>> {
    let number: Option<i64> = row.get(idx + 1)?;
    match number {
        None => Ok(None),
        Some(_) => card_at(row, idx).map(Some),
    }
}
