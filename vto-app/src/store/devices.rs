//! The SIP server's device lists (the manual's VTO No. Management, VTS Management and IPC
//! Setting). Each kind has its own fields; the common ones are columns, the rest is JSON
//! the REST layer defines.

use std::fmt;
use std::str::FromStr;

use rusqlite::{params, Row};

use super::columns::corrupt;
use super::error::StoreError;
use super::{limits, Durability, Store};

/// Which list a device is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceKind {
    /// Another door station (by its VTO number).
    Vto,
    /// A management centre (by its VTS number).
    Vts,
    /// A camera or NVR the monitors can watch (by its name).
    Ipc,
}

impl DeviceKind {
    /// Every kind.
    pub const ALL: [DeviceKind; 3] = [Self::Vto, Self::Vts, Self::Ipc];

    /// The kind's name in the database and the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Vto => "vto",
            Self::Vts => "vts",
            Self::Ipc => "ipc",
        }
    }
}

impl fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeviceKind {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| StoreError::invalid("kind", format!("{s:?} is not vto, vts or ipc")))
    }
}

/// A device on one of the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    /// Which list.
    pub kind: DeviceKind,
    /// The VTO number, VTS number or IPC name (1..=64 characters), unique per list.
    pub id: String,
    /// IP address or host name (0..=255 characters).
    pub address: String,
    /// The kind's other fields (build and unit number, port, protocol, stream, channel,
    /// and the device's login) as a JSON document.
    pub detail_json: String,
}

impl DeviceRecord {
    /// Checks every field against the store's limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        limits::text("id", &self.id, 1, limits::MAX_NAME_CHARS)?;
        limits::text("address", &self.address, 0, limits::MAX_ADDRESS_CHARS)?;
        limits::json("detail_json", &self.detail_json)
    }
}

fn device_row(row: &Row<'_>) -> rusqlite::Result<DeviceRecord> {
    let kind: String = row.get(0)?;
    Ok(DeviceRecord {
        kind: kind
            .parse()
            .map_err(|_| corrupt(0, format!("unknown device kind {kind:?}")))?,
        id: row.get(1)?,
        address: row.get(2)?,
        detail_json: row.get(3)?,
    })
}

impl Store {
    /// Adds the device or changes its address and details.
    pub fn upsert_device(&mut self, device: &DeviceRecord) -> Result<(), StoreError> {
        device.validate()?;
        self.write(Durability::PowerCut, |tx| {
            tx.prepare_cached(
                "INSERT INTO devices (kind, id, address, detail_json) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (kind, id) DO UPDATE SET
                     address = excluded.address, detail_json = excluded.detail_json",
            )?
            .execute(params![
                device.kind.as_str(),
                device.id,
                device.address,
                device.detail_json
            ])?;
            Ok(())
        })
    }

    /// Deletes the device; `false` if there was none.
    pub fn delete_device(&mut self, kind: DeviceKind, id: &str) -> Result<bool, StoreError> {
        self.write(Durability::PowerCut, |tx| {
            let n = tx
                .prepare_cached("DELETE FROM devices WHERE kind = ?1 AND id = ?2")?
                .execute(params![kind.as_str(), id])?;
            Ok(n > 0)
        })
    }

    /// The devices on one list, by id.
    pub fn devices(&self, kind: DeviceKind) -> Result<Vec<DeviceRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, id, address, detail_json FROM devices WHERE kind = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([kind.as_str()], device_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
