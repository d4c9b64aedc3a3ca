//! Failed-attempt lockout per reader: too many denials in a short window and the reader
//! refuses everything for a while, so guessing card numbers or PINs does not scale.

use super::settings::LockoutSettings;
use crate::time::Instant;

/// The most failures a window can need (the top of the `max_failures` range).
const MAX_TRACKED: usize = 10;

/// One reader's recent failures and lockout.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ReaderGuard {
    /// Times of the failures still inside the window, oldest first.
    failures: [Option<Instant>; MAX_TRACKED],
    locked_until: Option<Instant>,
}

impl ReaderGuard {
    /// Whether the reader is locked out at `now`.
    pub(crate) fn is_locked(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// When the lockout ends, if one is running.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.locked_until
    }

    /// Counts a failure at `now`; returns the end of the lockout it starts, if it does.
    pub(crate) fn record_failure(
        &mut self,
        now: Instant,
        settings: &LockoutSettings,
    ) -> Option<Instant> {
        let mut kept = [None; MAX_TRACKED];
        let mut n = 0;
        for at in self.failures.iter().flatten() {
            let inside = now - *at < settings.window;
            if inside && n < MAX_TRACKED - 1 {
                kept[n] = Some(*at);
                n += 1;
            }
        }
        kept[n] = Some(now);
        n += 1;
        if n >= usize::from(settings.max_failures) {
            let until = now + settings.duration;
            self.failures = [None; MAX_TRACKED];
            self.locked_until = Some(until);
            Some(until)
        } else {
            self.failures = kept;
            None
        }
    }

    /// A successful credential: earlier failures no longer count.
    pub(crate) fn clear_failures(&mut self) {
        self.failures = [None; MAX_TRACKED];
    }

    /// Ends a lockout whose time has come; returns whether it did.
    pub(crate) fn on_timeout(&mut self, now: Instant) -> bool {
        match self.locked_until {
            Some(until) if now >= until => {
                self.locked_until = None;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    fn at(s: u64) -> Instant {
        Instant::from_millis(s * 1_000)
    }

    #[test]
    fn the_fifth_failure_within_the_window_locks_the_reader() {
        let settings = LockoutSettings::default();
        let mut guard = ReaderGuard::default();
        for s in 100..104 {
            assert_eq!(guard.record_failure(at(s), &settings), None);
        }
        assert_eq!(
            guard.record_failure(at(104), &settings),
            Some(at(104) + Duration::from_secs(300))
        );
        assert!(guard.is_locked(at(105)));
        assert!(!guard.on_timeout(at(403)));
        assert!(guard.on_timeout(at(404)));
        assert!(!guard.is_locked(at(404)));
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let settings = LockoutSettings::default();
        let mut guard = ReaderGuard::default();
        for s in [100, 110, 120, 130] {
            assert_eq!(guard.record_failure(at(s), &settings), None);
        }
        // 100 has left the 60 s window by 161.
        assert_eq!(guard.record_failure(at(161), &settings), None);
        assert!(guard.record_failure(at(162), &settings).is_some());
    }
}
