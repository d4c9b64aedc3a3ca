//! Numbered schema migrations. The database's `PRAGMA user_version` is the number of the
//! last step applied; opening a store applies the missing steps in order, each in its own
//! transaction together with the new version number, so a crash leaves the database at a
//! whole step. Steps are never edited once released: a change is a new step.

use rusqlite::{Connection, TransactionBehavior};

use super::error::{ErrorKind, StoreError};

/// One schema step.
struct Migration {
    /// The `user_version` after this step.
    version: u32,
    /// The SQL it runs.
    sql: &'static str,
}

/// Every step, in order; `MIGRATIONS[i].version == i + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: V1_CREDENTIALS_AND_SETTINGS,
    },
    Migration {
        version: 2,
        sql: V2_ACCOUNTS_AND_DEVICES,
    },
    Migration {
        version: 3,
        sql: V3_EVENT_RING,
    },
    Migration {
        version: 4,
        sql: V4_SNAPSHOTS,
    },
    Migration {
        version: 5,
        sql: V5_EVENT_BLOCKS,
    },
];

/// The schema version this program writes.
pub const LATEST_VERSION: u32 = 5;

/// Settings sections, rooms (the SIP server's VTH list) and the three credential tables.
const V1_CREDENTIALS_AND_SETTINGS: &str = "
CREATE TABLE settings (
    name          TEXT PRIMARY KEY NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    json          TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE TABLE rooms (
    number                INTEGER PRIMARY KEY NOT NULL CHECK (number BETWEEN 1 AND 999999999),
    first_name            TEXT NOT NULL,
    last_name             TEXT NOT NULL,
    nick_name             TEXT NOT NULL,
    registration_password TEXT
);
CREATE TABLE cards (
    facility      INTEGER NOT NULL CHECK (facility >= 0),
    number        INTEGER NOT NULL CHECK (number >= 0),
    room          INTEGER NOT NULL,
    owner         TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('normal', 'main', 'lost')),
    valid_from    INTEGER,
    valid_until   INTEGER,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (facility, number)
) WITHOUT ROWID;
CREATE INDEX cards_room ON cards (room);
CREATE TABLE door_users (
    id          INTEGER PRIMARY KEY NOT NULL CHECK (id >= 1),
    room        INTEGER NOT NULL,
    name        TEXT NOT NULL,
    salt        BLOB NOT NULL CHECK (length(salt) = 16),
    iterations  INTEGER NOT NULL CHECK (iterations >= 1),
    digest      BLOB NOT NULL CHECK (length(digest) = 32),
    valid_from  INTEGER,
    valid_until INTEGER
);
CREATE INDEX door_users_room ON door_users (room);
CREATE TABLE fingerprints (
    id          INTEGER PRIMARY KEY NOT NULL,
    room        INTEGER NOT NULL,
    owner       TEXT NOT NULL,
    valid_from  INTEGER,
    valid_until INTEGER
);
CREATE INDEX fingerprints_room ON fingerprints (room);
";

/// Web login accounts and the SIP server's VTO, VTS and IPC lists.
const V2_ACCOUNTS_AND_DEVICES: &str = "
CREATE TABLE accounts (
    username      TEXT PRIMARY KEY NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    password_hash TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE devices (
    kind        TEXT NOT NULL CHECK (kind IN ('vto', 'vts', 'ipc')),
    id          TEXT NOT NULL,
    address     TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
";

/// The event log. `seq` is the rowid, so newest-first is a backwards walk of the table and
/// every index below ends in `seq`: an equality filter reads its index backwards and stops
/// after one page, with no sort. The partial indexes skip the many events without a card,
/// room or door.
const V3_EVENT_RING: &str = "
CREATE TABLE events (
    seq           INTEGER PRIMARY KEY NOT NULL,
    at_ms         INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    door          INTEGER,
    card_facility INTEGER,
    card_number   INTEGER,
    room          INTEGER,
    actor         TEXT,
    outcome       TEXT,
    reason        TEXT,
    detail        TEXT NOT NULL
);
CREATE INDEX events_at ON events (at_ms);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_door ON events (door) WHERE door IS NOT NULL;
CREATE INDEX events_card ON events (card_number, card_facility) WHERE card_number IS NOT NULL;
CREATE INDEX events_room ON events (room) WHERE room IS NOT NULL;
";

/// Snapshot files (stored on disk; the rows say where and for which event).
const V4_SNAPSHOTS: &str = "
CREATE TABLE snapshots (
    id          INTEGER PRIMARY KEY NOT NULL,
    event_seq   INTEGER,
    path        TEXT NOT NULL,
    taken_at_ms INTEGER NOT NULL,
    bytes       INTEGER NOT NULL CHECK (bytes >= 0)
);
CREATE INDEX snapshots_event ON snapshots (event_seq) WHERE event_seq IS NOT NULL;
";

/// The time index of the event log, replacing `events_at`: for each block of 1,024
/// sequence numbers, the earliest and latest `at_ms` in it. A time-range search reads
/// this small table (about 1,000 rows for a full ring of a million), then walks only the
/// blocks that can hold a match, newest first, and stops after one page. `events_at`
/// could only be read in time order, so a page in `seq` order meant sorting the whole
/// range (0.8 s for a month of events); and the clock can step back, so time order is
/// not `seq` order. Bounds are only widened, never narrowed, so a block is never skipped
/// wrongly. Existing events are summarized here.
const V5_EVENT_BLOCKS: &str = "
CREATE TABLE event_blocks (
    block  INTEGER PRIMARY KEY NOT NULL,
    min_at INTEGER NOT NULL,
    max_at INTEGER NOT NULL
);
INSERT INTO event_blocks (block, min_at, max_at)
    SELECT seq >> 10, min(at_ms), max(at_ms) FROM events GROUP BY seq >> 10;
DROP INDEX events_at;
";

/// The database's schema version.
pub(crate) fn version(conn: &Connection) -> Result<u32, StoreError> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    u32::try_from(v).map_err(|_| {
        StoreError::new(
            ErrorKind::Corrupt,
            format!("schema version {v} is negative"),
        )
    })
}

/// Applies the steps after the database's version up to `target`.
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32, StoreError> {
    debug_assert!(MIGRATIONS
        .iter()
        .enumerate()
        .all(|(i, m)| m.version as usize == i + 1));
    let current = version(conn)?;
    if current > LATEST_VERSION {
        return Err(StoreError::new(
            ErrorKind::Other,
            format!(
                "schema version {current} is newer than this program's {LATEST_VERSION}: \
                 the database was written by a newer vto"
            ),
        ));
    }
    for step in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        // IMMEDIATE: take the write lock first, so two processes opening a fresh file do
        // not both start the same step.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have applied it while we waited for the lock.
        if version(&tx)? >= step.version {
            continue;
        }
        tx.execute_batch(step.sql).map_err(|e| {
            StoreError::from(e).with_context(&format!("schema step {}", step.version))
        })?;
        tx.pragma_update(None, "user_version", step.version)?;
        tx.commit()?;
    }
    version(conn)
}

/// Brings the database to [`LATEST_VERSION`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    migrate_to(conn, LATEST_VERSION)
}
