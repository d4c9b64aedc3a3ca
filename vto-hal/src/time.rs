//! Monotonic timestamps for hardware events.
//!
//! Every edge, frame and relay change carries the time it happened, taken as close to the
//! hardware as the backend allows (the kernel's edge timestamp on Linux), so debouncing and
//! Wiegand decoding work on when things happened rather than when a thread got to them.

use core::ops::{Add, Sub};
pub use core::time::Duration;

/// A point on a monotonic clock, in nanoseconds since an arbitrary origin.
///
/// The Linux and Raspberry Pi backends use `CLOCK_MONOTONIC`, the clock of the kernel's
/// GPIO edge events; the simulation uses its own clock. Timestamps from different clocks
/// must not be compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The origin of the clock.
    pub const ZERO: Self = Self(0);

    /// A timestamp `nanos` nanoseconds after the origin.
    pub const fn from_nanos(nanos: u64) -> Self {
        Self(nanos)
    }

    /// A timestamp `micros` microseconds after the origin.
    pub const fn from_micros(micros: u64) -> Self {
        Self(micros.saturating_mul(1_000))
    }

    /// A timestamp `millis` milliseconds after the origin.
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis.saturating_mul(1_000_000))
    }

    /// Nanoseconds since the origin.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// The time elapsed since `earlier`, or zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// The time elapsed since `earlier`, or `None` if `earlier` is later.
    pub fn checked_duration_since(self, earlier: Self) -> Option<Duration> {
        self.0.checked_sub(earlier.0).map(Duration::from_nanos)
    }

    /// This timestamp moved `d` later, saturating at the end of the clock (584 years).
    pub fn saturating_add(self, d: Duration) -> Self {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Self(self.0.saturating_add(nanos))
    }
}

impl Add<Duration> for Timestamp {
    type Output = Timestamp;
    fn add(self, d: Duration) -> Timestamp {
        self.saturating_add(d)
    }
}

impl Sub for Timestamp {
    type Output = Duration;
    /// Saturating: a later `rhs` gives zero rather than a panic.
    fn sub(self, rhs: Timestamp) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

impl core::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{}.{:06}s",
            self.0 / 1_000_000_000,
            (self.0 % 1_000_000_000) / 1_000
        )
    }
}

/// A source of [`Timestamp`]s on the same clock as a backend's events.
pub trait Clock {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// `CLOCK_MONOTONIC`, the clock of the kernel's GPIO edge events.
#[cfg(any(feature = "linux", feature = "rpi"))]
#[derive(Debug, Clone, Copy, Default)]
pub struct MonotonicClock;

#[cfg(any(feature = "linux", feature = "rpi"))]
impl Clock for MonotonicClock {
    fn now(&self) -> Timestamp {
        let ts = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
        // CLOCK_MONOTONIC is never negative.
        let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
        let nanos = u64::try_from(ts.tv_nsec).unwrap_or(0);
        Timestamp::from_nanos(secs.saturating_mul(1_000_000_000).saturating_add(nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtraction_saturates_instead_of_panicking() {
        let a = Timestamp::from_millis(5);
        let b = Timestamp::from_millis(7);
        assert_eq!(b - a, Duration::from_millis(2));
        assert_eq!(a - b, Duration::ZERO);
        assert_eq!(a.checked_duration_since(b), None);
    }

    #[test]
    fn display_shows_seconds_and_microseconds() {
        assert_eq!(Timestamp::from_micros(1_500_250).to_string(), "1.500250s");
    }
}
