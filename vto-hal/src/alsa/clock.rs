//! The clock of the ALSA backend's timestamps.

use crate::time::{Clock, Timestamp};

/// `CLOCK_MONOTONIC`, the clock every [`AlsaSpeaker`](super::AlsaSpeaker) and
/// [`AlsaMicrophone`](super::AlsaMicrophone) timestamp is on: the same clock as the Linux
/// GPIO backend's edge events, so a door-bell press and the ring tone it caused can be
/// compared.
#[derive(Debug, Clone, Copy, Default)]
pub struct PcmClock;

impl Clock for PcmClock {
    fn now(&self) -> Timestamp {
        let ts = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
        // CLOCK_MONOTONIC is never negative.
        let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
        let nanos = u64::try_from(ts.tv_nsec).unwrap_or(0);
        Timestamp::from_nanos(secs.saturating_mul(1_000_000_000).saturating_add(nanos))
    }
}
