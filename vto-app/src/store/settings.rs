//! Settings, one row per section (network, access, SIP, ...) holding the section's JSON.
//! Each save bumps the section's version, so two administrators editing the same page
//! cannot silently overwrite each other: the second save names a stale version and fails.

use rusqlite::{params, OptionalExtension, Row};

use super::error::{ErrorKind, StoreError};
use super::{limits, now_ms, Durability, Store};

/// A settings section as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSection {
    /// The section's name (`access`, `network`, ...).
    pub name: String,
    /// 1 after the first save, one more after each save.
    pub version: u64,
    /// The section's settings as JSON; the typed layer parses and validates them.
    pub json: String,
    /// When it was last saved, in Unix milliseconds.
    pub updated_at_ms: i64,
}

fn section(row: &Row<'_>) -> rusqlite::Result<StoredSection> {
    Ok(StoredSection {
        name: row.get(0)?,
        version: row.get::<_, i64>(1)?.max(0) as u64,
        json: row.get(2)?,
        updated_at_ms: row.get(3)?,
    })
}

/// A section name: 1..=64 of `a-z A-Z 0-9 _ - .`, so it can appear in a URL unescaped.
fn check_name(name: &str) -> Result<(), StoreError> {
    limits::text("section", name, 1, limits::MAX_NAME_CHARS)?;
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        Some(c) => Err(StoreError::invalid(
            "section",
            format!("{name:?} contains {c:?}; allowed are a-z, A-Z, 0-9, '_', '-', '.'"),
        )),
        None => Ok(()),
    }
}

impl Store {
    /// The section `name`, if it was ever saved.
    pub fn load_section(&self, name: &str) -> Result<Option<StoredSection>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name, version, json, updated_at_ms FROM settings WHERE name = ?1",
            )?
            .query_row([name], section)
            .optional()?)
    }

    /// Saves section `name` and returns its new version. With `expected_version`
    /// `Some(v)`, the save happens only if the stored version is `v` (`Some(0)`: only if
    /// the section does not exist yet), otherwise it fails with [`ErrorKind::Conflict`];
    /// `None` saves unconditionally.
    pub fn save_section(
        &mut self,
        name: &str,
        json: &str,
        expected_version: Option<u64>,
    ) -> Result<u64, StoreError> {
        check_name(name)?;
        limits::json("json", json)?;
        self.write(Durability::PowerCut, |tx| {
            let current: u64 = tx
                .prepare_cached("SELECT version FROM settings WHERE name = ?1")?
                .query_row([name], |r| r.get::<_, i64>(0))
                .optional()?
                .map_or(0, |v| v.max(0) as u64);
            if let Some(expected) = expected_version {
                if expected != current {
                    return Err(StoreError::new(
                        ErrorKind::Conflict,
                        format!(
                            "section {name}: version {expected} is stale, the stored version is {current}"
                        ),
                    ));
                }
            }
            let version = current + 1;
            tx.prepare_cached(
                "INSERT INTO settings (name, version, json, updated_at_ms) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET
                     version = excluded.version, json = excluded.json,
                     updated_at_ms = excluded.updated_at_ms",
            )?
            .execute(params![name, super::sql_u64(version), json, now_ms()])?;
            Ok(version)
        })
    }

    /// Every stored section, by name.
    pub fn sections(&self) -> Result<Vec<StoredSection>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, version, json, updated_at_ms FROM settings ORDER BY name",
        )?;
        let rows = stmt.query_map([], section)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
