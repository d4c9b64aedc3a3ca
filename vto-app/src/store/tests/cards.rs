use vto_core::access::{CardId, CardState, RoomNumber, Validity};

use crate::store::{parse_cards_csv, write_cards_csv, CardRecord, ErrorKind, Store, StoreOptions};

use super::{card, memory, validity};

#[test]
fn a_lost_card_is_still_lost_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vto.db");
    let mut lost = card(1, 4242, 101);
    {
        let mut store = Store::open(&path, &StoreOptions::default()).unwrap();
        store.upsert_card(&lost).unwrap();
        lost.state = CardState::Lost;
        store.upsert_card(&lost).unwrap();
    }
    let store = Store::open(&path, &StoreOptions::default()).unwrap();
    let back = store.card(CardId::new(1, 4242)).unwrap().unwrap();
    assert_eq!(back.state, CardState::Lost);
    assert_eq!(back.to_core().state, CardState::Lost);
}

#[test]
fn updating_a_card_changes_its_fields_but_not_when_it_was_issued() {
    let mut store = memory();
    store.upsert_card(&card(1, 7, 101)).unwrap();
    let mut moved = card(1, 7, 202);
    moved.owner = "Bob".into();
    moved.validity = validity(100, 200);
    moved.created_at_ms = 9;
    store.upsert_card(&moved).unwrap();
    let back = store.card(CardId::new(1, 7)).unwrap().unwrap();
    assert_eq!(back.room, RoomNumber(202));
    assert_eq!(back.owner, "Bob");
    assert_eq!(back.validity, validity(100, 200));
    assert_eq!(back.created_at_ms, 1_700_000_000_000);
    assert_eq!(back.to_core().owner, None);
}

#[test]
fn the_same_number_on_two_sites_is_two_cards_and_delete_says_if_it_found_one() {
    let mut store = memory();
    store.upsert_card(&card(1, 7, 101)).unwrap();
    store.upsert_card(&card(2, 7, 101)).unwrap();
    assert_eq!(store.card_count().unwrap(), 2);
    assert!(store.delete_card(CardId::new(1, 7)).unwrap());
    assert!(!store.delete_card(CardId::new(1, 7)).unwrap());
    assert_eq!(store.cards().unwrap(), [card(2, 7, 101)]);
}

#[test]
fn cards_are_refused_with_the_field_that_is_wrong() {
    let mut store = memory();
    let cases = [
        (card(1, 1, 0), "room: 0 is outside 1..=999999999"),
        (card(1, 1, 1_000_000_000), "room: 1000000000 is outside"),
        (
            CardRecord {
                owner: "x".repeat(65),
                ..card(1, 1, 101)
            },
            "owner: 65 characters",
        ),
        (
            CardRecord {
                validity: validity(200, 100),
                ..card(1, 1, 101)
            },
            "valid_from: 200 is not before valid_until 100",
        ),
        (card(1, u64::MAX, 101), "number: card number"),
    ];
    for (bad, message) in cases {
        let e = store.upsert_card(&bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert!(e.to_string().starts_with(message), "{e} / {message}");
    }
    assert_eq!(store.card_count().unwrap(), 0);
}

#[test]
fn a_page_of_cards_is_one_rooms_cards_in_number_order() {
    let mut store = memory();
    store
        .import_cards((0..50).map(|n| card(1, 1_000 - n, 100 + (n % 2) as u32)))
        .unwrap();
    let page = store.cards_page(Some(RoomNumber(100)), 5, 10).unwrap();
    assert_eq!(page.len(), 10);
    assert!(page.iter().all(|c| c.room == RoomNumber(100)));
    assert!(page.windows(2).all(|w| w[0].id < w[1].id));
    let all_of_room: Vec<_> = store
        .cards()
        .unwrap()
        .into_iter()
        .filter(|c| c.room == RoomNumber(100))
        .collect();
    assert_eq!(page, all_of_room[5..15]);
    assert_eq!(store.cards_page(None, 45, 10).unwrap().len(), 5);
    assert_eq!(
        store.cards_page(None, 0, 0).unwrap_err().kind(),
        ErrorKind::Invalid
    );
}

#[test]
fn an_import_with_one_bad_card_stores_none_of_them() {
    let mut store = memory();
    let cards = vec![card(1, 1, 101), card(1, 2, 0), card(1, 3, 101)];
    let e = store.import_cards(cards).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().starts_with("card 1:2: room: 0"), "{e}");
    assert_eq!(store.card_count().unwrap(), 0);
}

#[test]
fn a_hundred_thousand_cards_round_trip_through_csv() {
    let cards: Vec<CardRecord> = (0..100_000u64)
        .map(|n| CardRecord {
            id: CardId::new((n % 7) as u32, n * 31 % 16_777_216 + n / 16_777_216),
            room: RoomNumber(1 + (n % 5_000) as u32),
            owner: match n % 4 {
                0 => String::new(),
                1 => format!("Smith, \"Bob\" {n}"),
                2 => format!("Müller-Lüdenscheid {n}"),
                _ => format!("=cmd|' /C calc'!A{n}"),
            },
            state: [CardState::Normal, CardState::Main, CardState::Lost][(n % 3) as usize],
            validity: if n % 5 == 0 {
                validity(1_700_000_000, 1_800_000_000 + n as i64)
            } else {
                Validity::ALWAYS
            },
            created_at_ms: 0,
        })
        .collect();
    let mut csv = Vec::new();
    assert_eq!(write_cards_csv(&cards, &mut csv).unwrap(), 100_000);

    let parsed: Vec<CardRecord> = parse_cards_csv(&csv[..]).collect::<Result<_, _>>().unwrap();
    let mut store = memory();
    assert_eq!(store.import_cards(parsed).unwrap(), 100_000);

    let mut exported = Vec::new();
    assert_eq!(store.export_cards_csv(&mut exported).unwrap(), 100_000);
    let mut back: Vec<CardRecord> = parse_cards_csv(&exported[..])
        .collect::<Result<_, _>>()
        .unwrap();
    let mut expected = cards;
    expected.sort_by_key(|c| c.id);
    back.sort_by_key(|c| c.id);
    for c in expected.iter_mut().chain(back.iter_mut()) {
        c.created_at_ms = 0;
    }
    assert_eq!(back, expected);
}

#[test]
fn a_csv_error_names_the_line_and_the_column() {
    let header = "facility,number,room,owner,state,valid_from,valid_until\n";
    let error_of = |body: &str| {
        let text = format!("{header}{body}");
        parse_cards_csv(text.as_bytes())
            .find_map(Result::err)
            .map(|e| (e.line(), e.column(), e.to_string()))
            .unwrap()
    };
    let (line, column, message) = error_of("1,2,101,A,normal,,\n1,3,0,B,normal,,\n");
    assert_eq!((line, column), (3, Some("room")));
    assert_eq!(message, "line 3: room: 0 is outside 1..=999999999");
    let (line, column, message) = error_of("1,2,101,A,stolen,,\n");
    assert_eq!((line, column), (2, Some("state")));
    assert!(
        message.contains("\"stolen\" is not normal, main or lost"),
        "{message}"
    );
    let (line, column, _) = error_of("1,x,101,A,normal,,\n");
    assert_eq!((line, column), (2, Some("number")));
    let (line, column, _) = error_of("1,2,101,A,normal,200,100\n");
    assert_eq!((line, column), (2, Some("valid_from")));
    let (line, _, message) = error_of("1,2,101\n");
    assert_eq!(line, 2);
    assert!(message.contains("3 fields, the header has 7"), "{message}");

    let e = parse_cards_csv("facility,number,room,owner,state,valid_from\n".as_bytes())
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!((e.line(), e.column()), (1, Some("valid_until")));
    let e = parse_cards_csv("facility,numbr\n".as_bytes())
        .next()
        .unwrap()
        .unwrap_err();
    assert!(e.to_string().contains("unknown column \"numbr\""), "{e}");
}

#[test]
fn a_spreadsheet_csv_with_a_byte_order_mark_and_shuffled_columns_is_read() {
    let text = "\u{feff}room,facility,number,owner,state,valid_until,valid_from\r\n\
                101,1,42,\"Smith, Bob\",Lost,1800000000,\r\n";
    let cards: Vec<_> = parse_cards_csv(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(cards.len(), 1);
    let c = &cards[0];
    assert_eq!((c.id, c.room), (CardId::new(1, 42), RoomNumber(101)));
    assert_eq!((c.owner.as_str(), c.state), ("Smith, Bob", CardState::Lost));
    assert_eq!(c.validity.until.0, 1_800_000_000);
    assert!(c.validity.from < c.validity.until);
}
