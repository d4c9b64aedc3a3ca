use vto_core::access::{FingerprintId, Password, PasswordHash, RoomNumber, UserId, Validity};

use crate::store::{
    AccountRecord, DeviceKind, DeviceRecord, DoorUserRecord, ErrorKind, FingerprintRecord,
    NewSnapshot, Role, RoomRecord,
};

use super::{card, memory, validity};

fn room(number: u32) -> RoomRecord {
    RoomRecord {
        number: RoomNumber(number),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        nick_name: "Flat 1".into(),
        registration_password: None,
    }
}

fn door_user(id: u32, room: u32) -> DoorUserRecord {
    let hash = PasswordHash::derive(&Password::new(b"4711").unwrap(), [7; 16], 10);
    let (salt, iterations, digest) = hash.parts();
    DoorUserRecord {
        id: UserId::new(id).unwrap(),
        room: RoomNumber(room),
        name: "Ada".into(),
        salt,
        iterations,
        digest,
        validity: Validity::ALWAYS,
    }
}

#[test]
fn a_room_with_cards_cannot_be_deleted_until_they_are_gone() {
    let mut store = memory();
    store.upsert_room(&room(101)).unwrap();
    store.upsert_card(&card(1, 1, 101)).unwrap();
    store.upsert_card(&card(1, 2, 101)).unwrap();
    let e = store.delete_room(RoomNumber(101)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InUse);
    assert!(e.to_string().contains("room 101 still has 2 cards"), "{e}");
    assert!(store.room(RoomNumber(101)).unwrap().is_some());

    let mut moved = card(1, 2, 102);
    moved.created_at_ms = 0;
    store.upsert_card(&moved).unwrap();
    store
        .delete_card(vto_core::access::CardId::new(1, 1))
        .unwrap();
    assert!(store.delete_room(RoomNumber(101)).unwrap());
    assert!(!store.delete_room(RoomNumber(101)).unwrap());
}

#[test]
fn a_room_with_a_password_user_or_fingerprint_is_in_use_too() {
    let mut store = memory();
    store.upsert_room(&room(5)).unwrap();
    store.upsert_door_user(&door_user(1, 5)).unwrap();
    assert_eq!(
        store.delete_room(RoomNumber(5)).unwrap_err().kind(),
        ErrorKind::InUse
    );
    store.delete_door_user(UserId::new(1).unwrap()).unwrap();
    let fp = FingerprintRecord {
        id: FingerprintId(3),
        room: RoomNumber(5),
        owner: "Ada".into(),
        validity: Validity::ALWAYS,
    };
    store.upsert_fingerprint(&fp).unwrap();
    assert_eq!(
        store.delete_room(RoomNumber(5)).unwrap_err().kind(),
        ErrorKind::InUse
    );
    store.delete_fingerprint(FingerprintId(3)).unwrap();
    assert!(store.delete_room(RoomNumber(5)).unwrap());
}

#[test]
fn rooms_keep_the_manuals_fields_and_refuse_bad_numbers() {
    let mut store = memory();
    let mut r = room(999_999_999);
    r.registration_password = Some("123456".into());
    store.upsert_room(&r).unwrap();
    store.upsert_room(&room(8)).unwrap();
    assert_eq!(store.rooms().unwrap(), [room(8), r.clone()]);
    let e = store.upsert_room(&room(0)).unwrap_err();
    assert!(e.to_string().starts_with("number: 0 is outside"), "{e}");
    let mut long = room(9);
    long.nick_name = "n".repeat(65);
    let e = store.upsert_room(&long).unwrap_err();
    assert!(e.to_string().starts_with("nick_name: 65 characters"), "{e}");
}

#[test]
fn a_stored_door_password_still_opens_and_a_wrong_one_does_not() {
    let mut store = memory();
    let mut user = door_user(12, 101);
    user.validity = validity(10, 20);
    store.upsert_door_user(&user).unwrap();
    let back = store.door_users().unwrap();
    assert_eq!(back, [user.clone()]);
    let core = back[0].to_core();
    assert!(core.hash.verify(&Password::new(b"4711").unwrap()));
    assert!(!core.hash.verify(&Password::new(b"4712").unwrap()));
    assert_eq!(core.validity, validity(10, 20));
    assert_eq!(
        store.door_user(UserId::new(12).unwrap()).unwrap(),
        Some(user)
    );
    let mut zero = door_user(13, 101);
    zero.iterations = 0;
    assert!(store.upsert_door_user(&zero).is_err());
}

#[test]
fn fingerprints_round_trip() {
    let mut store = memory();
    let fp = FingerprintRecord {
        id: FingerprintId(0),
        room: RoomNumber(7),
        owner: "Ada".into(),
        validity: validity(1, 2),
    };
    store.upsert_fingerprint(&fp).unwrap();
    assert_eq!(store.fingerprints().unwrap(), std::slice::from_ref(&fp));
    assert_eq!(
        store.fingerprint(FingerprintId(0)).unwrap(),
        Some(fp.clone())
    );
    assert_eq!(fp.to_core().room, RoomNumber(7));
    assert!(store.delete_fingerprint(FingerprintId(0)).unwrap());
    assert!(store.fingerprints().unwrap().is_empty());
}

#[test]
fn accounts_keep_their_creation_time_when_the_password_changes() {
    let mut store = memory();
    let admin = AccountRecord {
        username: "admin".into(),
        role: Role::Admin,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at_ms: 5,
    };
    store.upsert_account(&admin).unwrap();
    store
        .upsert_account(&AccountRecord {
            password_hash: "$argon2id$new".into(),
            role: Role::User,
            created_at_ms: 99,
            ..admin.clone()
        })
        .unwrap();
    let back = store.account("admin").unwrap().unwrap();
    assert_eq!((back.role, back.created_at_ms), (Role::User, 5));
    assert_eq!(back.password_hash, "$argon2id$new");
    assert_eq!(store.accounts().unwrap().len(), 1);
    assert!(store.delete_account("admin").unwrap());
    assert_eq!(store.account("admin").unwrap(), None);
    assert_eq!("admin".parse::<Role>().unwrap(), Role::Admin);
    let e = store
        .upsert_account(&AccountRecord {
            username: String::new(),
            ..admin
        })
        .unwrap_err();
    assert!(e.to_string().starts_with("username: 0 characters"), "{e}");
}

#[test]
fn each_device_list_holds_its_own_devices() {
    let mut store = memory();
    let vto = DeviceRecord {
        kind: DeviceKind::Vto,
        id: "8001".into(),
        address: "192.168.1.110".into(),
        detail_json: r#"{"build":"1","unit":"1"}"#.into(),
    };
    let ipc = DeviceRecord {
        kind: DeviceKind::Ipc,
        id: "8001".into(),
        address: "192.168.1.64".into(),
        detail_json: r#"{"protocol":"onvif","channel":1}"#.into(),
    };
    store.upsert_device(&vto).unwrap();
    store.upsert_device(&ipc).unwrap();
    assert_eq!(
        store.devices(DeviceKind::Vto).unwrap(),
        std::slice::from_ref(&vto)
    );
    assert_eq!(store.devices(DeviceKind::Ipc).unwrap(), [ipc]);
    assert!(store.devices(DeviceKind::Vts).unwrap().is_empty());
    assert!(store.delete_device(DeviceKind::Vto, "8001").unwrap());
    assert_eq!(store.devices(DeviceKind::Ipc).unwrap().len(), 1);
    let e = store
        .upsert_device(&DeviceRecord {
            detail_json: "not json".into(),
            ..vto
        })
        .unwrap_err();
    assert!(e.to_string().starts_with("detail_json: not JSON"), "{e}");
    assert_eq!("vts".parse::<DeviceKind>().unwrap(), DeviceKind::Vts);
}

#[test]
fn snapshots_are_listed_newest_first_and_can_be_forgotten() {
    let mut store = memory();
    let ids: Vec<u64> = (0..3)
        .map(|n| {
            store
                .add_snapshot(&NewSnapshot {
                    event_seq: (n == 1).then_some(42),
                    path: format!("/var/lib/vto/snapshots/{n}.jpg"),
                    taken_at_ms: n,
                    bytes: 50_000,
                })
                .unwrap()
        })
        .collect();
    let listed = store.snapshots(2).unwrap();
    assert_eq!(
        listed.iter().map(|s| s.id).collect::<Vec<_>>(),
        [ids[2], ids[1]]
    );
    assert_eq!(listed[1].event_seq, Some(42));
    assert!(store.delete_snapshot(ids[1]).unwrap());
    assert_eq!(store.snapshot(ids[1]).unwrap(), None);
    assert_eq!(store.snapshots(10).unwrap().len(), 2);
}
