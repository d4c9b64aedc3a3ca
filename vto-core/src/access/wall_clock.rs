//! Calendar time for validity periods, without a clock: the caller tells the engine what
//! the wall-clock time is at some `now`, and the engine carries it forward on the
//! monotonic clock it is driven with. NTP steps and manual changes are just new facts.

use crate::time::Instant;

/// Seconds since 1970-01-01 00:00:00 UTC, the unit of card validity periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// Before every date: an open start.
    pub const MIN: Self = Self(i64::MIN);
    /// After every date: an open end.
    pub const MAX: Self = Self(i64::MAX);
}

/// When a credential may be used: from `from` (inclusive) until `until` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    /// First second of validity.
    pub from: UnixTime,
    /// First second after validity.
    pub until: UnixTime,
}

impl Validity {
    /// Valid forever: needs no wall clock.
    pub const ALWAYS: Self = Self {
        from: UnixTime::MIN,
        until: UnixTime::MAX,
    };

    /// Whether this validity needs the date to be known.
    pub fn is_bounded(&self) -> bool {
        *self != Self::ALWAYS
    }

    /// Where `t` falls relative to the period.
    pub fn check(&self, t: UnixTime) -> ValidityCheck {
        if t < self.from {
            ValidityCheck::NotYetValid
        } else if t >= self.until {
            ValidityCheck::Expired
        } else {
            ValidityCheck::Valid
        }
    }
}

impl Default for Validity {
    fn default() -> Self {
        Self::ALWAYS
    }
}

/// The outcome of [`Validity::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityCheck {
    /// Inside the period.
    Valid,
    /// Before its start.
    NotYetValid,
    /// At or after its end.
    Expired,
}

/// The wall-clock time as last told, anchored to the monotonic clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WallClock {
    anchor: Option<(Instant, UnixTime)>,
}

impl WallClock {
    /// Records that it is `unix` at `now`.
    pub(crate) fn set(&mut self, now: Instant, unix: UnixTime) {
        self.anchor = Some((now, unix));
    }

    /// The wall-clock time at `now`, if it was ever told.
    pub(crate) fn at(&self, now: Instant) -> Option<UnixTime> {
        self.anchor.map(|(at, unix)| {
            let elapsed = i64::try_from((now - at).as_secs()).unwrap_or(i64::MAX);
            UnixTime(unix.0.saturating_add(elapsed))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    #[test]
    fn the_wall_clock_runs_on_the_monotonic_clock_it_was_anchored_to() {
        let mut clock = WallClock::default();
        assert_eq!(clock.at(Instant::from_millis(5)), None);
        clock.set(Instant::from_millis(1_000), UnixTime(1_700_000_000));
        let later = Instant::from_millis(1_000) + Duration::from_secs(90);
        assert_eq!(clock.at(later), Some(UnixTime(1_700_000_090)));
    }

    #[test]
    fn validity_is_inclusive_at_the_start_and_exclusive_at_the_end() {
        let v = Validity {
            from: UnixTime(100),
            until: UnixTime(200),
        };
        assert_eq!(v.check(UnixTime(99)), ValidityCheck::NotYetValid);
        assert_eq!(v.check(UnixTime(100)), ValidityCheck::Valid);
        assert_eq!(v.check(UnixTime(200)), ValidityCheck::Expired);
        assert!(!Validity::ALWAYS.is_bounded());
    }
}
