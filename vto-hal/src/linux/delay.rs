//! A delay precise enough for Wiegand pulses.

use embedded_hal::delay::DelayNs;

use crate::time::{Clock, Duration, MonotonicClock};

/// Below this a delay spins on the clock; above it, it sleeps.
pub const SPIN_LIMIT: Duration = Duration::from_millis(1);

/// A [`DelayNs`] that busy-waits on `CLOCK_MONOTONIC` for delays under [`SPIN_LIMIT`] and
/// sleeps for longer ones.
///
/// A 50 µs Wiegand pulse must not become 150 µs because the scheduler took the CPU away:
/// `nanosleep` on a stock kernel overshoots by 50–100 µs, a spin by a few. Longer waits
/// (the 2 ms between bits) sleep, since an overshoot there only slows the frame down and
/// receivers accept up to 20 ms. The spin costs one core for the pulse, a few ms per frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct MonotonicDelay;

impl DelayNs for MonotonicDelay {
    fn delay_ns(&mut self, ns: u32) {
        let d = Duration::from_nanos(u64::from(ns));
        if d >= SPIN_LIMIT {
            std::thread::sleep(d);
            return;
        }
        let clock = MonotonicClock;
        let end = clock.now() + d;
        while clock.now() < end {
            core::hint::spin_loop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_delay_lasts_at_least_what_was_asked() {
        let clock = MonotonicClock;
        let start = clock.now();
        MonotonicDelay.delay_us(50);
        assert!(clock.now() - start >= Duration::from_micros(50));
        let start = clock.now();
        MonotonicDelay.delay_ms(2);
        assert!(clock.now() - start >= Duration::from_millis(2));
    }
}
