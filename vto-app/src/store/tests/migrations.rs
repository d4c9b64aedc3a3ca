use rusqlite::Connection;
use vto_core::access::{CardId, CardState, FingerprintId, RoomNumber, UserId};

use crate::store::schema::{migrate_to, LATEST_VERSION};
use crate::store::{DeviceKind, ErrorKind, EventQuery, EventType, Store, StoreOptions};

use super::validity;

#[test]
fn an_empty_file_opens_at_the_latest_schema_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vto.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path, &StoreOptions::default()).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert!(store.integrity_check().unwrap().is_empty());
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[cfg(unix)]
#[test]
fn a_new_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vto.db");
    let mut store = Store::open(&path, &StoreOptions::default()).unwrap();
    store.save_section("sip", "{}", None).unwrap();
    for file in ["vto.db", "vto.db-wal"] {
        let mode = std::fs::metadata(dir.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
}

/// Writes rows into every table that exists at `version`, with plain SQL as the program
/// of that version would have.
fn fill(conn: &Connection, version: u32) {
    if version >= 1 {
        conn.execute_batch(
            "INSERT INTO settings VALUES ('access', 3, '{\"unlock_s\":2}', 1700000000000);
             INSERT INTO rooms VALUES (101, 'Ada', 'Lovelace', 'A', 'secret');
             INSERT INTO cards VALUES (1, 4242, 101, 'Ada', 'lost', 100, 200, 5);
             INSERT INTO door_users VALUES
                 (7, 101, 'Ada', zeroblob(16), 2000, zeroblob(32), NULL, NULL);
             INSERT INTO fingerprints VALUES (3, 101, 'Ada', NULL, 99);",
        )
        .unwrap();
    }
    if version >= 2 {
        conn.execute_batch(
            "INSERT INTO accounts VALUES ('admin', 'admin', '$argon2id$x', 1);
             INSERT INTO devices VALUES ('vts', '888888', '10.0.0.2', '{}');",
        )
        .unwrap();
    }
    if version >= 3 {
        conn.execute_batch(
            "INSERT INTO events (at_ms, kind, door, card_facility, card_number, room, detail)
             VALUES (1700000000000, 'decision', 1, 1, 4242, 101, 'lost card denied');",
        )
        .unwrap();
    }
    if version >= 4 {
        conn.execute_batch(
            "INSERT INTO snapshots (event_seq, path, taken_at_ms, bytes)
             VALUES (1, '/snap/1.jpg', 1700000000000, 51200);",
        )
        .unwrap();
    }
}

/// Checks that what [`fill`] wrote at `version` is still there.
fn check(store: &Store, version: u32) {
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert!(store.integrity_check().unwrap().is_empty());
    if version >= 1 {
        let s = store.load_section("access").unwrap().unwrap();
        assert_eq!((s.version, s.json.as_str()), (3, "{\"unlock_s\":2}"));
        let room = store.room(RoomNumber(101)).unwrap().unwrap();
        assert_eq!(room.registration_password.as_deref(), Some("secret"));
        let card = store.card(CardId::new(1, 4242)).unwrap().unwrap();
        assert_eq!(
            (card.state, card.validity),
            (CardState::Lost, validity(100, 200))
        );
        let user = store.door_user(UserId::new(7).unwrap()).unwrap().unwrap();
        assert_eq!(user.iterations, 2_000);
        let fp = store.fingerprint(FingerprintId(3)).unwrap().unwrap();
        assert_eq!(fp.validity.until.0, 99);
    } else {
        assert!(store.cards().unwrap().is_empty());
    }
    if version >= 2 {
        assert!(store.account("admin").unwrap().is_some());
        assert_eq!(
            store.devices(DeviceKind::Vts).unwrap()[0].address,
            "10.0.0.2"
        );
    }
    let events = store.query_events(&EventQuery::newest(10)).unwrap();
    if version >= 3 {
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event.kind, EventType::Decision);
        assert_eq!(events[0].event.card, Some(CardId::new(1, 4242)));
    } else {
        assert!(events.is_empty());
    }
    let in_range = EventQuery {
        from_ms: Some(1_700_000_000_000),
        to_ms: Some(1_700_000_000_001),
        ..EventQuery::newest(10)
    };
    let expected = usize::from(version >= 3);
    assert_eq!(store.query_events(&in_range).unwrap().len(), expected);
    assert_eq!(
        store.snapshots(10).unwrap().len(),
        usize::from(version >= 4)
    );
}

#[test]
fn a_database_of_every_earlier_version_upgrades_and_keeps_its_data() {
    for version in 0..LATEST_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vto.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            assert_eq!(migrate_to(&mut conn, version).unwrap(), version);
            fill(&conn, version);
        }
        let mut store = Store::open(&path, &StoreOptions::default()).unwrap();
        check(&store, version);
        // The upgraded database takes new rows in every table.
        let mut card = store
            .card(CardId::new(1, 4242))
            .unwrap()
            .unwrap_or_else(|| crate::store::CardRecord {
                id: CardId::new(1, 4242),
                room: RoomNumber(101),
                owner: String::new(),
                state: CardState::Normal,
                validity: validity(100, 200),
                created_at_ms: 0,
            });
        card.owner = "upgraded".into();
        store.upsert_card(&card).unwrap();
        let seq = store
            .append_event(&crate::store::NewEvent::new(
                0,
                EventType::System,
                "upgraded",
            ))
            .unwrap();
        assert_eq!(seq, if version >= 3 { 2 } else { 1 });
        drop(store);
        // Opening again is a no-op.
        let store = Store::open(&path, &StoreOptions::default()).unwrap();
        assert_eq!(store.card(card.id).unwrap().unwrap().owner, "upgraded");
    }
}

#[test]
fn a_database_from_a_newer_program_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vto.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
    }
    let e = Store::open(&path, &StoreOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Other);
    assert!(e.to_string().contains("newer than this program"), "{e}");
}

#[test]
fn a_file_that_is_not_a_database_is_corrupt_and_a_missing_directory_is_io() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vto.db");
    std::fs::write(&path, vec![0x5a; 8_192]).unwrap();
    let e = Store::open(&path, &StoreOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Corrupt, "{e}");
    assert!(e.to_string().contains("vto.db"), "{e}");
    let e = Store::open(&dir.path().join("no/such/vto.db"), &StoreOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
}
