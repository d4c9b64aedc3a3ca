use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::time::{Clock, Duration, Timestamp};

/// The simulation's clock: the system's monotonic time, or a manual clock for tests.
#[derive(Debug, Clone)]
pub struct SimClock(Arc<Source>);

#[derive(Debug)]
enum Source {
    Manual(AtomicU64),
    System(std::time::Instant),
}

impl SimClock {
    /// A clock that only moves when told to (or when a wait skips ahead), starting at 0.
    pub fn manual() -> Self {
        Self(Arc::new(Source::Manual(AtomicU64::new(0))))
    }

    /// Real monotonic time, starting at 0 now.
    pub fn system() -> Self {
        Self(Arc::new(Source::System(std::time::Instant::now())))
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        matches!(*self.0, Source::Manual(_))
    }

    /// Moves a manual clock forward by `d`; does nothing to a system clock.
    pub fn advance(&self, d: Duration) {
        let now = self.now();
        self.advance_to(now + d);
    }

    /// Moves a manual clock forward to `t` (never backwards); does nothing to a system clock.
    pub fn advance_to(&self, t: Timestamp) {
        if let Source::Manual(nanos) = &*self.0 {
            nanos.fetch_max(t.as_nanos(), Ordering::SeqCst);
        }
    }
}

impl Clock for SimClock {
    fn now(&self) -> Timestamp {
        match &*self.0 {
            Source::Manual(nanos) => Timestamp::from_nanos(nanos.load(Ordering::SeqCst)),
            Source::System(origin) => Timestamp::from_nanos(
                u64::try_from(origin.elapsed().as_nanos()).unwrap_or(u64::MAX),
            ),
        }
    }
}
