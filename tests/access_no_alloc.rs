//! The card path does not allocate: a decision with the card list loaded reuses the
//! engine's memory, so it cannot fail or stall on the allocator of a small device.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use vto_core::access::*;
use vto_core::time::{Duration, Instant};

/// Counts every allocation made by this test binary.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn card_decisions_and_relocks_do_not_allocate() {
    let cards: Vec<Card> = (0..10_000)
        .map(|n| Card {
            id: CardId::new(1, n),
            room: RoomNumber(100 + (n % 50) as u32),
            owner: UserId::new(n as u32 + 1),
            state: match n % 100 {
                0 => CardState::Lost,
                _ => CardState::Normal,
            },
            validity: Validity::ALWAYS,
        })
        .collect();
    let mut access = AccessControl::new(ValidSettings::default(), Instant::ZERO);
    access.handle_input(
        Instant::ZERO,
        Input::CredentialsChanged(CredentialChange::CardsReplaced(cards)),
    );
    while access.poll_output().is_some() {}

    let mut now = Instant::ZERO;
    let mut decide = |access: &mut AccessControl, card: CardId| {
        now = now + Duration::from_secs(61);
        access.handle_input(
            now,
            Input::CardPresented {
                reader: ReaderId::BUILT_IN,
                card,
            },
        );
        let mut n = 0;
        while access.poll_output().is_some() {
            n += 1;
        }
        n
    };
    // Warm-up: the first decisions may size the output queue.
    for n in 0..100 {
        decide(&mut access, CardId::new(1, n));
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut outputs = 0;
    for n in 0..5_000 {
        outputs += decide(&mut access, CardId::new(1, n)); // granted, lost
        outputs += decide(&mut access, CardId::new(2, n)); // unknown
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert!(outputs > 20_000, "decisions were made ({outputs} outputs)");
    assert_eq!(
        allocations, 0,
        "the card path allocated {allocations} times"
    );
}
