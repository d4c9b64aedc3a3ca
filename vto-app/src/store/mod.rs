//! SQLite storage: settings, rooms, credentials, accounts, devices, the event ring and
//! snapshots.
//!
//! The [`Store`] owns one connection and is meant for one task (the station calls it from
//! a dedicated thread or `spawn_blocking`). Every method that writes commits before it
//! returns: an `Ok` means the change survives a crash of the process. Credential and
//! configuration writes also survive a power cut (`synchronous=FULL`); event appends use
//! `synchronous=NORMAL` (durable against a crash of the process, the last few may be lost
//! on a power cut) so a burst of events does not wait for the SD card. See
//! `docs/storage.md`.
//!
//! ```
//! use vto_app::store::{CardRecord, EventQuery, EventType, NewEvent, Store, StoreOptions};
//! use vto_core::access::{CardId, CardState, RoomNumber, Validity};
//!
//! let mut store = Store::open_in_memory(&StoreOptions::default()).unwrap();
//! let card = CardRecord {
//!     id: CardId::new(1, 4242),
//!     room: RoomNumber(101),
//!     owner: "Alice".into(),
//!     state: CardState::Normal,
//!     validity: Validity::ALWAYS,
//!     created_at_ms: 1_700_000_000_000,
//! };
//! store.upsert_card(&card).unwrap();
//! let core_cards: Vec<_> = store.cards().unwrap().iter().map(CardRecord::to_core).collect();
//! assert_eq!(core_cards.len(), 1);
//!
//! let seq = store.append_event(&NewEvent::new(1_700_000_000_000, EventType::Decision, "card granted")).unwrap();
//! let newest = store.query_events(&EventQuery::newest(10)).unwrap();
//! assert_eq!(newest[0].seq, seq);
//! ```

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

mod accounts;
mod card_csv;
mod cards;
mod columns;
mod devices;
mod error;
mod event_csv;
mod events;
mod fingerprints;
pub mod limits;
mod rooms;
mod schema;
mod settings;
mod snapshots;
mod users;

pub use accounts::{AccountRecord, Role};
pub use card_csv::{parse_cards_csv, write_cards_csv, CardCsvReader, CsvError, CARDS_CSV_HEADER};
pub use cards::{card_state_name, parse_card_state, CardRecord};
pub use devices::{DeviceKind, DeviceRecord};
pub use error::{ErrorKind, StoreError};
pub use event_csv::EVENTS_CSV_HEADER;
pub use events::{EventQuery, EventRecord, EventType, NewEvent};
pub use fingerprints::FingerprintRecord;
pub use rooms::RoomRecord;
pub use schema::LATEST_VERSION;
pub use settings::StoredSection;
pub use snapshots::{NewSnapshot, SnapshotRecord};
pub use users::DoorUserRecord;

/// How long a write waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// The WAL is cut back to this size after a checkpoint, so it does not keep the space of
/// its largest burst on a small SD card.
const JOURNAL_SIZE_LIMIT: i64 = 8 << 20;
/// SQLite's page cache, in KiB (negative in the pragma): enough for the hot index pages of
/// a full event ring, so an append does not read them back from the OS.
const CACHE_KIB: i64 = 16 * 1024;

/// Choices made when the store is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// How many events the log keeps; when full, the oldest are overwritten (the manual's
    /// "ring overwrite"). Allowed: [`limits::EVENT_CAPS`].
    pub event_cap: u64,
}

impl StoreOptions {
    /// The default event ring capacity: a million events, about 110 MB on disk.
    pub const DEFAULT_EVENT_CAP: u64 = 1_000_000;
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            event_cap: Self::DEFAULT_EVENT_CAP,
        }
    }
}

/// How much a write must survive: chosen per transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// Credentials and configuration: survive a power cut (`synchronous=FULL`).
    PowerCut,
    /// Events and snapshots: survive a crash of the process (`synchronous=NORMAL`).
    ProcessCrash,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Self::PowerCut => "FULL",
            Self::ProcessCrash => "NORMAL",
        }
    }
}

/// The station's database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    event_cap: u64,
    durability: Durability,
}

impl Store {
    /// Opens (creating the file, not its directory) the database at `path`, brings its
    /// schema up to date and trims the event ring to `options.event_cap`.
    pub fn open(path: &Path, options: &StoreOptions) -> Result<Store, StoreError> {
        check_options(options)?;
        create_private(path).map_err(|e| e.with_context(&path.display().to_string()))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::from(e).with_context(&path.display().to_string()))?;
        Self::set_up(conn, options).map_err(|e| e.with_context(&path.display().to_string()))
    }

    /// A store that lives in memory, for tests and simulations.
    pub fn open_in_memory(options: &StoreOptions) -> Result<Store, StoreError> {
        check_options(options)?;
        Self::set_up(Connection::open_in_memory()?, options)
    }

    fn set_up(mut conn: Connection, options: &StoreOptions) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the mode also proves the file is a database.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", Durability::PowerCut.pragma())?;
        conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        schema::migrate(&mut conn)?;
        let mut store = Store {
            conn,
            event_cap: options.event_cap,
            durability: Durability::PowerCut,
        };
        store.trim_events()?;
        Ok(store)
    }

    /// The schema version of the open database ([`LATEST_VERSION`] once opened).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.conn)
    }

    /// How many events the ring keeps.
    pub fn event_cap(&self) -> u64 {
        self.event_cap
    }

    /// Whether SQLite finds the database file sound (`PRAGMA integrity_check`); the
    /// problems it lists otherwise.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let problems: Vec<String> = rows.collect::<Result<_, _>>()?;
        Ok(if problems == ["ok"] {
            Vec::new()
        } else {
            problems
        })
    }

    /// Runs `f` in one IMMEDIATE transaction at `durability` and commits; nothing is
    /// written if `f` fails.
    fn write<T>(
        &mut self,
        durability: Durability,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.durability != durability {
            self.conn
                .pragma_update(None, "synchronous", durability.pragma())?;
            self.durability = durability;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Creates the database file readable by its owner only, if it does not exist: it holds
/// SIP registration passwords and device logins. SQLite gives the WAL and shared-memory
/// files the same permissions.
fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    match file.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn check_options(options: &StoreOptions) -> Result<(), StoreError> {
    if limits::EVENT_CAPS.contains(&options.event_cap) {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "event_cap",
            format!(
                "{} is outside {}..={}",
                options.event_cap,
                limits::EVENT_CAPS.start(),
                limits::EVENT_CAPS.end()
            ),
        ))
    }
}

/// The wall-clock time in Unix milliseconds: `updated_at` stamps, event times.
pub fn now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// A `u64` count or id as an SQLite integer, saturating (SQLite has no unsigned type).
fn sql_u64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
