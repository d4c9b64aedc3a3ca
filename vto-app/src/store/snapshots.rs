//! Snapshot images: the files live on disk (or the SD card); the rows say where, how big,
//! when, and for which event, so the media layer can list and prune them.

use rusqlite::{params, OptionalExtension, Row};

use super::columns::u64_at;
use super::error::StoreError;
use super::{limits, sql_u64, Durability, Store};

/// A snapshot to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSnapshot {
    /// The event it illustrates (a call, an unlock), if any.
    pub event_seq: Option<u64>,
    /// Where the file is (1..=4096 characters).
    pub path: String,
    /// When it was taken, in Unix milliseconds.
    pub taken_at_ms: i64,
    /// The file's size.
    pub bytes: u64,
}

/// A recorded snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRecord {
    /// Its id: larger is newer.
    pub id: u64,
    /// The event it illustrates.
    pub event_seq: Option<u64>,
    /// Where the file is.
    pub path: String,
    /// When it was taken, in Unix milliseconds.
    pub taken_at_ms: i64,
    /// The file's size.
    pub bytes: u64,
}

const COLUMNS: &str = "id, event_seq, path, taken_at_ms, bytes";

fn snapshot_row(row: &Row<'_>) -> rusqlite::Result<SnapshotRecord> {
    let event_seq: Option<i64> = row.get(1)?;
    Ok(SnapshotRecord {
        id: u64_at(row, 0)?,
        event_seq: match event_seq {
            Some(_) => Some(u64_at(row, 1)?),
            None => None,
        },
        path: row.get(2)?,
        taken_at_ms: row.get(3)?,
        bytes: u64_at(row, 4)?,
    })
}

impl Store {
    /// Records a snapshot and returns its id.
    pub fn add_snapshot(&mut self, s: &NewSnapshot) -> Result<u64, StoreError> {
        limits::text("path", &s.path, 1, limits::MAX_PATH_CHARS)?;
        self.write(Durability::ProcessCrash, |tx| {
            tx.prepare_cached(
                "INSERT INTO snapshots (event_seq, path, taken_at_ms, bytes)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                s.event_seq.map(sql_u64),
                s.path,
                s.taken_at_ms,
                sql_u64(s.bytes)
            ])?;
            Ok(tx.last_insert_rowid().max(0) as u64)
        })
    }

    /// The snapshot `id`, if recorded.
    pub fn snapshot(&self, id: u64) -> Result<Option<SnapshotRecord>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM snapshots WHERE id = ?1"))?
            .query_row([sql_u64(id)], snapshot_row)
            .optional()?)
    }

    /// The newest `limit` snapshots, newest first.
    pub fn snapshots(&self, limit: u32) -> Result<Vec<SnapshotRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM snapshots ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], snapshot_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets the snapshot (the caller deletes the file); `false` if there was none.
    pub fn delete_snapshot(&mut self, id: u64) -> Result<bool, StoreError> {
        self.write(Durability::ProcessCrash, |tx| {
            let n = tx
                .prepare_cached("DELETE FROM snapshots WHERE id = ?1")?
                .execute([sql_u64(id)])?;
            Ok(n > 0)
        })
    }
}
