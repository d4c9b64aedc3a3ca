use vto_core::access::{CardId, RoomNumber};

use crate::store::{
    ErrorKind, EventQuery, EventRecord, EventType, NewEvent, Store, StoreOptions, EVENTS_CSV_HEADER,
};

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn with_cap(cap: u64) -> Store {
    Store::open_in_memory(&StoreOptions { event_cap: cap }).unwrap()
}

/// Event `n` of a test log: a decision of one of 20 cards of 10 rooms at either door,
/// or a door event; one second apart, with the clock stepped back an hour every 3,000.
fn event(n: u64) -> NewEvent {
    let at_ms = 1_700_000_000_000 + n as i64 * 1_000 - (n / 3_000) as i64 * 3_600_000;
    let mut e = NewEvent::new(
        at_ms,
        EventType::ALL[(n % 8) as usize],
        format!("event {n}"),
    );
    if n % 8 == 0 {
        e.card = Some(CardId::new(1, n % 20));
        e.room = Some(RoomNumber(100 + (n % 10) as u32));
        e.outcome = Some(if n % 3 == 0 { "denied" } else { "granted" }.into());
    }
    if n % 8 < 2 {
        e.door = Some(1 + (n % 2) as u8);
    }
    e
}

/// What `q` must return from `log`, by brute force.
fn expected(log: &[EventRecord], q: &EventQuery) -> Vec<EventRecord> {
    let mut hits: Vec<EventRecord> = log
        .iter()
        .filter(|r| {
            let e = &r.event;
            q.from_ms.is_none_or(|f| e.at_ms >= f)
                && q.to_ms.is_none_or(|t| e.at_ms < t)
                && q.kind.is_none_or(|k| e.kind == k)
                && q.door.is_none_or(|d| e.door == Some(d))
                && q.card.is_none_or(|c| e.card == Some(c))
                && q.room.is_none_or(|room| e.room == Some(room))
                && q.before_seq.is_none_or(|b| r.seq < b)
        })
        .cloned()
        .collect();
    hits.sort_by_key(|r| std::cmp::Reverse(r.seq));
    hits.truncate(q.limit as usize);
    hits
}

#[test]
fn a_full_ring_keeps_exactly_the_newest_cap_events() {
    let mut store = with_cap(1_000);
    let mut n = 0;
    let mut last = 0;
    while n < 2_500 {
        if n % 500 < 250 {
            last = store.append_event(&event(n)).unwrap();
            n += 1;
        } else {
            let batch: Vec<_> = (n..n + 50).map(event).collect();
            last = store.append_events(&batch).unwrap();
            n += 50;
        }
    }
    assert_eq!(last, 2_500);
    assert_eq!(store.event_count().unwrap(), 1_000);
    let all = store.query_events(&EventQuery::newest(10_000)).unwrap();
    let seqs: Vec<u64> = all.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1_501..=2_500).rev().collect::<Vec<_>>());
    assert!(all.iter().all(|r| r.event == event(r.seq - 1)));

    // Filters see only what is left.
    let card = CardId::new(1, 0);
    let q = EventQuery {
        card: Some(card),
        ..EventQuery::newest(10_000)
    };
    let by_card = store.query_events(&q).unwrap();
    assert_eq!(by_card, expected(&all, &q));
    assert!(!by_card.is_empty() && by_card.iter().all(|r| r.seq > 1_500));
}

#[test]
fn sequence_numbers_keep_growing_after_a_restart_and_a_smaller_ring() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vto.db");
    {
        let mut store = Store::open(&path, &StoreOptions { event_cap: 2_000 }).unwrap();
        let batch: Vec<_> = (0..1_500).map(event).collect();
        assert_eq!(store.append_events(&batch).unwrap(), 1_500);
    }
    let mut store = Store::open(&path, &StoreOptions { event_cap: 1_000 }).unwrap();
    assert_eq!(store.event_count().unwrap(), 1_000);
    assert_eq!(store.append_event(&event(1_500)).unwrap(), 1_501);
    let oldest = store.query_events(&EventQuery::newest(1_000)).unwrap();
    assert_eq!(oldest.last().unwrap().seq, 502);
}

#[test]
fn every_filter_combination_returns_what_brute_force_finds() {
    // Many blocks of the time index, with the clock stepping back so that time order is
    // not seq order and block time bounds overlap; the oldest blocks partly overwritten.
    let mut store = with_cap(10_000);
    for chunk in (0..14_000).collect::<Vec<u64>>().chunks(700) {
        let batch: Vec<_> = chunk.iter().map(|&n| event(n)).collect();
        store.append_events(&batch).unwrap();
    }
    let log = store.query_events(&EventQuery::newest(10_000)).unwrap();
    assert_eq!(log.len(), 10_000);
    let (t0, t1) = (
        log.iter().map(|r| r.event.at_ms).min().unwrap(),
        log.iter().map(|r| r.event.at_ms).max().unwrap(),
    );
    let mut rng = Lcg(7);
    for _ in 0..400 {
        let time = |rng: &mut Lcg| t0 - 5_000 + rng.below((t1 - t0 + 10_000) as u64) as i64;
        let from = (rng.below(2) == 0).then(|| time(&mut rng));
        let to = (rng.below(2) == 0).then(|| time(&mut rng));
        let q = EventQuery {
            from_ms: from,
            to_ms: to,
            kind: (rng.below(4) == 0).then(|| EventType::ALL[rng.below(8) as usize]),
            door: (rng.below(5) == 0).then(|| 1 + rng.below(2) as u8),
            card: (rng.below(5) == 0).then(|| CardId::new(1, rng.below(22))),
            room: (rng.below(5) == 0).then(|| RoomNumber(100 + rng.below(11) as u32)),
            before_seq: (rng.below(3) == 0).then(|| 4_000 + rng.below(10_500)),
            limit: 1 + rng.below(300) as u32,
        };
        assert_eq!(store.query_events(&q).unwrap(), expected(&log, &q), "{q:?}");
    }
}

#[test]
fn paging_with_before_seq_walks_the_whole_log_once() {
    let mut store = with_cap(1_000);
    let batch: Vec<_> = (0..1_000).map(event).collect();
    store.append_events(&batch).unwrap();
    let mut q = EventQuery {
        kind: Some(EventType::Decision),
        ..EventQuery::newest(7)
    };
    let mut seen = Vec::new();
    loop {
        let page = store.query_events(&q).unwrap();
        let Some(last) = page.last() else { break };
        q.before_seq = Some(last.seq);
        seen.extend(page.iter().map(|r| r.seq));
    }
    assert_eq!(seen, (0..125).rev().map(|k| k * 8 + 1).collect::<Vec<_>>());
}

#[test]
fn the_csv_export_quotes_what_needs_quoting_and_defuses_formulas() {
    let mut store = with_cap(1_000);
    let mut tricky = NewEvent::new(
        1_700_000_000_123,
        EventType::Call,
        "said \"hello\", then\nhung up",
    );
    tricky.actor = Some("=HYPERLINK(\"http://evil\")".into());
    tricky.room = Some(RoomNumber(101));
    store.append_event(&tricky).unwrap();
    let mut plain = NewEvent::new(1_700_000_001_000, EventType::Door, "door 1 opened");
    plain.door = Some(1);
    plain.card = Some(CardId::new(3, 99));
    store.append_event(&plain).unwrap();

    let mut out = Vec::new();
    let rows = store
        .export_events_csv(&EventQuery::newest(1), &mut out)
        .unwrap();
    assert_eq!(rows, 2, "the export ignores the page limit");
    let mut reader = csv::Reader::from_reader(&out[..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        EVENTS_CSV_HEADER
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&records[0][1], "2023-11-14T22:13:21.000Z");
    assert_eq!(
        (&records[0][4], &records[0][5], &records[0][6]),
        ("1", "3", "99")
    );
    assert_eq!(&records[1][11], "said \"hello\", then\nhung up");
    assert_eq!(&records[1][8], "'=HYPERLINK(\"http://evil\")");
    assert_eq!(&records[1][7], "101");
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("\"said \"\"hello\"\", then\nhung up\""),
        "{text}"
    );

    let mut filtered = Vec::new();
    let q = EventQuery {
        kind: Some(EventType::Door),
        ..EventQuery::default()
    };
    assert_eq!(store.export_events_csv(&q, &mut filtered).unwrap(), 1);
}

#[test]
fn bad_events_and_queries_are_refused_but_long_messages_are_cut() {
    let mut store = with_cap(1_000);
    let mut e = NewEvent::new(0, EventType::Door, "x".repeat(5_000));
    e.door = Some(3);
    let err = store.append_event(&e).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().starts_with("door: 3"), "{err}");
    e.door = None;
    e.actor = Some("a".repeat(100));
    store.append_event(&e).unwrap();
    let back = &store.query_events(&EventQuery::newest(1)).unwrap()[0].event;
    assert_eq!(back.detail.len(), 1_024);
    assert_eq!(back.actor.as_deref().map(str::len), Some(64));
    for limit in [0, 10_001] {
        let err = store.query_events(&EventQuery::newest(limit)).unwrap_err();
        assert!(err.to_string().starts_with("limit: "), "{err}");
    }
    assert_eq!(
        Store::open_in_memory(&StoreOptions { event_cap: 999 })
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
    assert_eq!(
        "issue_mode".parse::<EventType>().unwrap(),
        EventType::IssueMode
    );
    assert!("nope".parse::<EventType>().is_err());
}
