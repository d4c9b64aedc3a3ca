//! What the SQLite store costs on the station: appending events to a full ring of a
//! million, searching it, importing and loading 100,000 cards. Figures are recorded in
//! `docs/performance.md` (section Storage).
//!
//! The database is a real file in the system's temporary directory (WAL, the store's own
//! durability settings: `synchronous=NORMAL` for events, `FULL` for cards), removed at the
//! end. Building the million-event ring takes about a minute.
//!
//! Run: `cargo bench --bench store` (about 3 minutes).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, BatchSize, Criterion};
use vto_app::store::{CardRecord, EventQuery, EventType, NewEvent, Store, StoreOptions};
use vto_core::access::{CardId, CardState, RoomNumber, Validity};

const EVENTS: u64 = 1_000_000;
const CARDS: u64 = 100_000;
const ROOMS: u32 = 5_000;
/// The ring spans 30 days: one event every 2.6 s.
const SPACING_MS: i64 = 2_592;
const T0: i64 = 1_700_000_000_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn card_id(n: u64) -> CardId {
    CardId::new(
        (n % 10) as u32 + 1,
        n.wrapping_mul(2_654_435_761) % (1 << 24),
    )
}

fn card(n: u64) -> CardRecord {
    CardRecord {
        id: card_id(n),
        room: RoomNumber(1 + (n % u64::from(ROOMS)) as u32),
        owner: format!("Resident {n}"),
        state: if n % 50 == 0 {
            CardState::Lost
        } else {
            CardState::Normal
        },
        validity: Validity::ALWAYS,
        created_at_ms: T0,
    }
}

/// splitmix64: scatters event numbers over the cards.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce5_e4b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The card of decision `n`: a quarter come from 100 cards used every day (about 1,500
/// events each in the ring), the rest from all 100,000 (about 5 each).
fn decision_card(n: u64) -> u64 {
    if n % 4 == 0 {
        mix(n) % 100 * 1_000
    } else {
        mix(n) % CARDS
    }
}

/// Event `n`: 60 % card decisions (the card's room, door 1), 30 % door events, the rest
/// alarms, calls and system events.
fn event(n: u64) -> NewEvent {
    let at_ms = T0 + n as i64 * SPACING_MS;
    match n % 10 {
        0..=5 => {
            let c = decision_card(n);
            let mut e = NewEvent::new(at_ms, EventType::Decision, "card granted at reader 0");
            e.door = Some(1);
            e.card = Some(card_id(c));
            e.room = Some(RoomNumber(1 + (c % u64::from(ROOMS)) as u32));
            e.actor = Some("reader 0".into());
            e.outcome = Some("granted".into());
            e
        }
        6..=8 => {
            let mut e = NewEvent::new(at_ms, EventType::Door, "door opened");
            e.door = Some(1 + (n % 2) as u8);
            e
        }
        _ => NewEvent::new(
            at_ms,
            [EventType::Alarm, EventType::Call, EventType::System][(n / 10 % 3) as usize],
            "something else happened",
        ),
    }
}

struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("vto-store-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn open(path: &Path) -> Store {
    Store::open(path, &StoreOptions { event_cap: EVENTS }).unwrap()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Fills a ring of a million events; prints the bulk rate and the size on disk.
fn fill(path: &Path) -> Store {
    let mut store = open(path);
    let start = Instant::now();
    for chunk in (0..EVENTS).collect::<Vec<_>>().chunks(10_000) {
        let batch: Vec<NewEvent> = chunk.iter().map(|&n| event(n)).collect();
        store.append_events(&batch).unwrap();
    }
    let took = start.elapsed();
    println!(
        "store: filled {EVENTS} events in {took:.1?} ({:.0} events/s in batches of 10,000); \
         database {:.0} MB ({:.0} bytes per event)",
        EVENTS as f64 / took.as_secs_f64(),
        file_size(path) as f64 / 1e6,
        file_size(path) as f64 / EVENTS as f64
    );
    store
}

/// The queries a log page asks, each returning (at most) 100 rows.
fn queries(newest_ms: i64) -> Vec<(&'static str, EventQuery)> {
    let page = EventQuery::newest(100);
    vec![
        ("newest", page.clone()),
        (
            "time_last_hour",
            EventQuery {
                from_ms: Some(newest_ms - HOUR),
                ..page.clone()
            },
        ),
        (
            "time_one_hour_a_week_ago",
            EventQuery {
                from_ms: Some(newest_ms - 7 * DAY),
                to_ms: Some(newest_ms - 7 * DAY + HOUR),
                ..page.clone()
            },
        ),
        (
            "time_one_day_ten_days_ago",
            EventQuery {
                from_ms: Some(newest_ms - 10 * DAY),
                to_ms: Some(newest_ms - 9 * DAY),
                ..page.clone()
            },
        ),
        (
            "time_all_but_last_day_worst_case",
            EventQuery {
                to_ms: Some(newest_ms - DAY),
                ..page.clone()
            },
        ),
        (
            "card_daily",
            EventQuery {
                card: Some(card_id(42_000)),
                ..page.clone()
            },
        ),
        (
            "card_occasional",
            EventQuery {
                card: Some(card_id(4_243)),
                ..page.clone()
            },
        ),
        (
            "room",
            EventQuery {
                room: Some(RoomNumber(42_000 % ROOMS + 1)),
                ..page.clone()
            },
        ),
        (
            "kind_alarm",
            EventQuery {
                kind: Some(EventType::Alarm),
                ..page.clone()
            },
        ),
        (
            "door_2_last_week",
            EventQuery {
                door: Some(2),
                from_ms: Some(newest_ms - 7 * DAY),
                ..page.clone()
            },
        ),
        (
            "card_and_time_range",
            EventQuery {
                card: Some(card_id(42_000)),
                from_ms: Some(newest_ms - 20 * DAY),
                to_ms: Some(newest_ms - 5 * DAY),
                ..page.clone()
            },
        ),
        (
            "page_deep_in_the_ring",
            EventQuery {
                before_seq: Some(EVENTS / 2),
                ..page
            },
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let scratch = Scratch::new();
    let events_db = scratch.file("events.db");
    let mut store = fill(&events_db);
    let newest_ms = store.query_events(&EventQuery::newest(1)).unwrap()[0]
        .event
        .at_ms;

    let mut group = c.benchmark_group("store");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, q) in queries(newest_ms) {
        let rows = store.query_events(&q).unwrap().len();
        println!("store: query {name} returns {rows} rows");
        group.bench_function(format!("query_1m_{name}"), |b| {
            b.iter(|| store.query_events(black_box(&q)).unwrap())
        });
    }

    // Appends to the full ring: each also overwrites the oldest event.
    let mut n = EVENTS;
    group.bench_function("append_event_full_ring", |b| {
        b.iter(|| {
            n += 1;
            store.append_event(&event(n)).unwrap()
        })
    });
    group.bench_function("append_events_batch_100_full_ring", |b| {
        b.iter_batched(
            || {
                n += 100;
                (n - 100..n).map(event).collect::<Vec<_>>()
            },
            |batch| store.append_events(&batch).unwrap(),
            BatchSize::SmallInput,
        )
    });
    assert_eq!(store.event_count().unwrap(), EVENTS);

    let start = Instant::now();
    let rows = store
        .export_events_csv(&EventQuery::newest(1), std::io::sink())
        .unwrap();
    println!(
        "store: CSV export of {rows} events in {:.1?}",
        start.elapsed()
    );
    drop(store);

    let cards: Vec<CardRecord> = (0..CARDS).map(card).collect();
    group.sample_size(10);
    let mut round = 0;
    group.bench_function("import_100k_cards_new_file", |b| {
        b.iter_batched(
            || {
                round += 1;
                let path = scratch.file(&format!("import-{round}.db"));
                (open(&path), cards.clone(), path)
            },
            |(mut store, cards, path)| {
                assert_eq!(store.import_cards(cards).unwrap(), CARDS as usize);
                drop(store);
                let _ = std::fs::remove_file(&path);
            },
            BatchSize::PerIteration,
        )
    });
    let cards_db = scratch.file("cards.db");
    let mut store = open(&cards_db);
    store.import_cards(cards.clone()).unwrap();
    group.bench_function("load_100k_cards", |b| {
        b.iter(|| {
            let loaded = store.cards().unwrap();
            assert_eq!(loaded.len(), CARDS as usize);
            loaded
        })
    });
    group.bench_function("load_100k_cards_to_core", |b| {
        b.iter(|| {
            store
                .cards()
                .unwrap()
                .iter()
                .map(CardRecord::to_core)
                .collect::<Vec<_>>()
        })
    });
    group.sample_size(100);
    let mut k = 0;
    group.bench_function("upsert_card_synchronous_full", |b| {
        b.iter(|| {
            k += 1;
            store.upsert_card(&card(k % CARDS)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
