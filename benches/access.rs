//! What a card decision costs with 100,000 cards loaded, and what the cards cost to load
//! and keep. Figures are recorded in `docs/performance.md`.
//!
//! Besides criterion's means, this measures every single decision of a long run to give
//! p50 and p99 (each sample includes one `Instant::now` pair, about 20–40 ns here), counts
//! allocations on the card path (there must be none) and the heap bytes per card.
//!
//! Run: `cargo bench --bench access` (about 30 s).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::time::Instant as WallInstant;

use criterion::{criterion_group, Criterion};
use vto::core::access::*;
use vto::core::time::{Duration, Instant};

/// Counts allocations and live heap bytes.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const CARDS: u64 = 100_000;

/// Card `n` of the loaded set: ten sites, numbers scattered over 24 bits.
fn card_id(n: u64) -> CardId {
    CardId::new(
        (n % 10) as u32 + 1,
        (n.wrapping_mul(2_654_435_761)) % (1 << 24),
    )
}

fn cards() -> Vec<Card> {
    (0..CARDS)
        .map(|n| Card {
            id: card_id(n),
            room: RoomNumber(100 + (n % 500) as u32),
            owner: UserId::new(n as u32 + 1),
            state: if n % 1000 == 0 {
                CardState::Lost
            } else {
                CardState::Normal
            },
            validity: Validity::ALWAYS,
        })
        .collect()
}

fn loaded() -> AccessControl {
    let mut access = AccessControl::new(ValidSettings::default(), Instant::ZERO);
    access.handle_input(
        Instant::ZERO,
        Input::CredentialsChanged(CredentialChange::CardsReplaced(cards())),
    );
    while access.poll_output().is_some() {}
    access
}

/// One swipe, 61 s after the previous one (past the responding interval and the
/// lockout window), with its outputs drained as the station would.
struct Swiper {
    access: AccessControl,
    now: Instant,
}

impl Swiper {
    fn swipe(&mut self, card: CardId) -> usize {
        self.now = self.now + Duration::from_secs(61);
        self.access.handle_input(
            self.now,
            Input::CardPresented {
                reader: ReaderId::BUILT_IN,
                card,
            },
        );
        let mut n = 0;
        while let Some(o) = self.access.poll_output() {
            black_box(o);
            n += 1;
        }
        n
    }
}

fn percentiles(label: &str, swiper: &mut Swiper, card: impl Fn(u64) -> CardId) {
    const SAMPLES: u64 = 200_000;
    let mut samples = Vec::with_capacity(SAMPLES as usize);
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    for i in 0..SAMPLES {
        let c = card(i.wrapping_mul(7_919) % CARDS);
        let start = WallInstant::now();
        black_box(swiper.swipe(c));
        samples.push(start.elapsed());
    }
    let allocated = ALLOCATIONS.load(Ordering::Relaxed) - allocations;
    samples.sort_unstable();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize];
    println!(
        "{label:<34} p50 {:>7.0?}  p99 {:>7.0?}  p99.9 {:>7.0?}  max {:>7.0?}  allocations {allocated}",
        at(0.50),
        at(0.99),
        at(0.999),
        samples[samples.len() - 1],
    );
}

fn report() {
    println!("access: {CARDS} cards loaded");
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let start = WallInstant::now();
    let access = loaded();
    let load = start.elapsed();
    let bytes = LIVE_BYTES.load(Ordering::Relaxed) - before;
    assert_eq!(access.card_count(), CARDS as usize);
    println!(
        "load {CARDS} cards (build list + table): {load:.1?}; heap {:.1} MiB, {:.0} bytes per card",
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / CARDS as f64
    );
    let mut swiper = Swiper {
        access,
        now: Instant::ZERO,
    };
    // Warm-up sizes the output queue.
    for n in 0..1_000 {
        swiper.swipe(card_id(n));
    }
    percentiles("decision, known card (granted)", &mut swiper, card_id);
    percentiles("decision, unknown card (denied)", &mut swiper, |n| {
        CardId::new(99, n)
    });
}

fn bench(c: &mut Criterion) {
    let mut swiper = Swiper {
        access: loaded(),
        now: Instant::ZERO,
    };
    let mut n = 0u64;
    c.bench_function("access/decision_granted_100k_cards", |b| {
        b.iter(|| {
            n = (n + 7_919) % CARDS;
            swiper.swipe(card_id(n))
        })
    });
    c.bench_function("access/decision_unknown_100k_cards", |b| {
        b.iter(|| {
            n += 1;
            swiper.swipe(CardId::new(99, n))
        })
    });
    let hash = PasswordHash::derive(
        &Password::new(b"135790").unwrap(),
        [9; 16],
        DEFAULT_ITERATIONS,
    );
    let attempt = Password::new(b"135791").unwrap();
    c.bench_function("access/password_verify_default_iterations", |b| {
        b.iter(|| hash.verify(black_box(&attempt)))
    });
    let list = cards();
    let mut group = c.benchmark_group("access");
    group.sample_size(20);
    group.bench_function("load_100k_cards", |b| {
        b.iter_batched(
            || list.clone(),
            |list| {
                let mut access = AccessControl::new(ValidSettings::default(), Instant::ZERO);
                access.handle_input(
                    Instant::ZERO,
                    Input::CredentialsChanged(CredentialChange::CardsReplaced(list)),
                );
                access
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    report();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
