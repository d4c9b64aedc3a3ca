//! The core's own notion of time: the caller's clock, passed in as `now`.
//!
//! `Instant` is an opaque point on whatever monotonic clock the caller uses (the app uses
//! `CLOCK_MONOTONIC`, tests use a number they choose), so the core can run anywhere and
//! be replayed from a log.

use core::ops::{Add, Sub};
pub use core::time::Duration;

/// A point on the caller's monotonic clock, in microseconds since its origin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    /// The clock's origin.
    pub const ZERO: Self = Self(0);

    /// `micros` microseconds after the origin.
    pub const fn from_micros(micros: u64) -> Self {
        Self(micros)
    }

    /// `millis` milliseconds after the origin.
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis.saturating_mul(1_000))
    }

    /// Microseconds since the origin.
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// The time from `earlier` to this instant; zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration::from_micros(self.0.saturating_sub(earlier.0))
    }

    /// This instant moved `d` later, saturating rather than wrapping.
    pub fn saturating_add(self, d: Duration) -> Self {
        Self(
            self.0
                .saturating_add(u64::try_from(d.as_micros()).unwrap_or(u64::MAX)),
        )
    }
}

impl From<vto_hal::Timestamp> for Instant {
    /// Hardware timestamps (nanoseconds) become core instants (microseconds) on the same clock.
    fn from(t: vto_hal::Timestamp) -> Self {
        Self(t.as_nanos() / 1_000)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        self.saturating_add(d)
    }
}

impl Sub for Instant {
    type Output = Duration;
    /// Saturating, so a late timestamp can never panic the core.
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_never_underflow_or_overflow() {
        let a = Instant::from_millis(1);
        assert_eq!(Instant::ZERO - a, Duration::ZERO);
        assert_eq!(
            Instant::from_micros(u64::MAX) + Duration::from_secs(1),
            Instant::from_micros(u64::MAX)
        );
    }

    #[test]
    fn hardware_timestamps_convert_on_the_same_clock() {
        let t = vto_hal::Timestamp::from_micros(1_234_567);
        assert_eq!(Instant::from(t), Instant::from_micros(1_234_567));
    }
}
