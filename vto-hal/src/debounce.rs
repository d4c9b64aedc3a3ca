//! Debouncing on edge timestamps.
//!
//! A change is accepted once the line has stayed in its new state for the whole window,
//! and is reported with the time of the edge that started it. Nothing sleeps: the owner
//! feeds edges with [`Debouncer::observe`] and, when no edge comes, asks
//! [`Debouncer::poll`] at [`Debouncer::deadline`]. The same code therefore runs in the
//! simulation, on a Pi and in tests driven by a fake clock.
//!
//! Waiting for stability (rather than reporting the first edge at once) rejects noise
//! spikes shorter than the window, which matters more at a door than a few milliseconds:
//! a spike on a door contact must not raise a forced-open alarm.

use crate::input::{InputEvent, InputState};
use crate::time::{Duration, Timestamp};

/// Limits of the debounce window, in milliseconds.
pub const WINDOW_RANGE_MS: core::ops::RangeInclusive<u64> = 0..=1_000;

/// The default window: long enough for reed contacts and push buttons (which bounce for
/// 1–10 ms), short enough that a press feels immediate.
pub const DEFAULT_WINDOW: Duration = Duration::from_millis(20);

/// A window outside [`WINDOW_RANGE_MS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("debounce window {0} ms is outside 0..=1000 ms")]
pub struct WindowOutOfRange(pub u64);

/// Turns raw, bouncing changes of one line into debounced [`InputEvent`]s.
#[derive(Debug, Clone)]
pub struct Debouncer<S> {
    window: Duration,
    stable: S,
    raw: S,
    /// First and last edge since the line left `stable`.
    unsettled: Option<(Timestamp, Timestamp)>,
}

impl<S: InputState> Debouncer<S> {
    /// A debouncer whose line starts in `initial`.
    pub fn new(initial: S, window: Duration) -> Result<Self, WindowOutOfRange> {
        let ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
        if !WINDOW_RANGE_MS.contains(&ms) || window > Duration::from_millis(*WINDOW_RANGE_MS.end())
        {
            return Err(WindowOutOfRange(ms));
        }
        Ok(Self {
            window,
            stable: initial,
            raw: initial,
            unsettled: None,
        })
    }

    /// The debounced state.
    pub fn state(&self) -> S {
        self.stable
    }

    /// The window a change must outlast.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Feeds a raw edge: the line read `raw` from time `at` on.
    ///
    /// Returns a change that had already settled before this edge, if any. Edges must come
    /// in time order; one older than the last is treated as happening at the last edge.
    pub fn observe(&mut self, raw: S, at: Timestamp) -> Option<InputEvent<S>> {
        let settled = self.poll(at);
        let at = match self.unsettled {
            Some((_, last)) if at < last => last,
            _ => at,
        };
        if raw == self.raw {
            return settled;
        }
        self.raw = raw;
        self.unsettled = Some(match self.unsettled {
            Some((first, _)) => (first, at),
            None => (at, at),
        });
        if self.window.is_zero() {
            return settled.or_else(|| self.poll(at));
        }
        settled
    }

    /// Reports the pending change if it has been stable for the window by `now`.
    pub fn poll(&mut self, now: Timestamp) -> Option<InputEvent<S>> {
        let (first, _) = self.unsettled?;
        if now < self.deadline()? {
            return None;
        }
        self.unsettled = None;
        if self.raw == self.stable {
            // A glitch: the line came back before the window ran out.
            return None;
        }
        self.stable = self.raw;
        Some(InputEvent {
            state: self.stable,
            at: first,
        })
    }

    /// When [`poll`](Self::poll) will next have something to say, if anything is pending.
    pub fn deadline(&self) -> Option<Timestamp> {
        self.unsettled.map(|(_, last)| last + self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::DoorState::{self, Closed, Open};

    fn ms(v: u64) -> Timestamp {
        Timestamp::from_millis(v)
    }

    fn door() -> Debouncer<DoorState> {
        Debouncer::new(Closed, Duration::from_millis(20)).unwrap()
    }

    #[test]
    fn a_clean_change_is_reported_after_the_window_with_its_edge_time() {
        let mut d = door();
        assert_eq!(d.observe(Open, ms(100)), None);
        assert_eq!(d.deadline(), Some(ms(120)));
        assert_eq!(d.poll(ms(119)), None);
        assert_eq!(
            d.poll(ms(120)),
            Some(InputEvent {
                state: Open,
                at: ms(100)
            })
        );
        assert_eq!(d.state(), Open);
        assert_eq!(d.deadline(), None);
    }

    #[test]
    fn a_bouncing_contact_gives_one_event_timed_at_its_first_edge() {
        let mut d = door();
        for (i, s) in [Open, Closed, Open, Closed, Open].into_iter().enumerate() {
            assert_eq!(d.observe(s, ms(100 + i as u64)), None);
        }
        assert_eq!(d.poll(ms(123)), None, "window restarts at the last bounce");
        assert_eq!(
            d.poll(ms(124)),
            Some(InputEvent {
                state: Open,
                at: ms(100)
            })
        );
        assert_eq!(d.poll(ms(500)), None);
    }

    #[test]
    fn a_spike_shorter_than_the_window_is_ignored() {
        let mut d = door();
        d.observe(Open, ms(100));
        d.observe(Closed, ms(105));
        assert_eq!(d.poll(ms(200)), None);
        assert_eq!(d.state(), Closed);
    }

    #[test]
    fn an_edge_after_the_deadline_first_reports_the_settled_change() {
        let mut d = door();
        d.observe(Open, ms(100));
        // No poll in between: the next edge comes long after the window.
        assert_eq!(
            d.observe(Closed, ms(300)),
            Some(InputEvent {
                state: Open,
                at: ms(100)
            })
        );
        assert_eq!(
            d.poll(ms(320)),
            Some(InputEvent {
                state: Closed,
                at: ms(300)
            })
        );
    }

    #[test]
    fn a_zero_window_reports_every_change_at_once() {
        let mut d = Debouncer::new(Closed, Duration::ZERO).unwrap();
        assert_eq!(
            d.observe(Open, ms(1)),
            Some(InputEvent {
                state: Open,
                at: ms(1)
            })
        );
        assert_eq!(
            d.observe(Closed, ms(2)),
            Some(InputEvent {
                state: Closed,
                at: ms(2)
            })
        );
    }

    #[test]
    fn a_window_over_one_second_is_refused_with_its_value() {
        let err = Debouncer::new(Closed, Duration::from_millis(1500)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "debounce window 1500 ms is outside 0..=1000 ms"
        );
    }
}
