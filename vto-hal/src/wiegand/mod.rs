//! Wiegand: card readers and keypads on two open-collector data lines, D0 and D1.
//!
//! Idle, both lines are high. Each bit is a short low pulse (20–100 µs, typically 50 µs)
//! on D0 for a 0 or on D1 for a 1, one every 0.2–20 ms (typically 2 ms); a frame ends
//! with silence. [`Decoder`] turns edge timestamps into frames, [`format`] turns frames
//! into card numbers and keys, and the [`WiegandReader`] / [`WiegandWriter`] traits are
//! what backends provide.

mod bits;
pub mod decoder;
pub mod format;

pub use bits::{Bits, ParseBitsError, TooLong, MAX_BITS};
pub use decoder::{Decoder, DecoderConfig, DecoderConfigError};
pub use format::{Credential, Format, FormatError, Key};

use crate::error::ErrorType;
use crate::time::{Duration, Timestamp};

/// One of the two data lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataLine {
    /// Pulses on D0 carry 0 bits.
    D0,
    /// Pulses on D1 carry 1 bits.
    D1,
}

impl DataLine {
    /// The line that carries `bit`.
    pub const fn for_bit(bit: bool) -> Self {
        if bit {
            Self::D1
        } else {
            Self::D0
        }
    }

    /// The bit this line carries.
    pub const fn bit(self) -> bool {
        matches!(self, Self::D1)
    }
}

/// Which way a data line moved. Idle is high, so a pulse starts falling and ends rising.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edge {
    /// The line was pulled low: a pulse starts.
    PulseStart,
    /// The line was let go: the pulse ends.
    PulseEnd,
}

/// A complete frame as it came off the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WiegandFrame {
    /// The bits, in wire order.
    pub bits: Bits,
    /// When the last pulse of the frame ended.
    pub at: Timestamp,
}

/// A source of Wiegand frames: a card reader or a keypad.
pub trait WiegandReader: ErrorType {
    /// Waits up to `timeout` for the next frame; `Ok(None)` if none came.
    ///
    /// Frames are returned as received, whatever their length or parity: deciding what
    /// they mean is [`format`]'s job, so that a bad frame can be logged as such.
    fn read_frame(&mut self, timeout: Duration) -> Result<Option<WiegandFrame>, Self::Error>;
}

/// A Wiegand output: the station passing credentials on to an external access controller.
pub trait WiegandWriter: ErrorType {
    /// Sends `bits` as one frame and returns once the last pulse is over.
    fn write_frame(&mut self, bits: &Bits) -> Result<(), Self::Error>;
}

/// Pulse timing of a Wiegand output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WiegandTiming {
    pulse_width: Duration,
    interval: Duration,
}

/// Allowed pulse widths, in µs (the SIA Wiegand interface allows 20–100 µs).
pub const PULSE_WIDTH_RANGE_US: core::ops::RangeInclusive<u64> = 20..=100;
/// Allowed bit intervals (pulse start to pulse start), in µs: 0.2–20 ms.
pub const INTERVAL_RANGE_US: core::ops::RangeInclusive<u64> = 200..=20_000;

/// A pulse timing outside the ranges Wiegand receivers accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimingError {
    /// Pulse width outside [`PULSE_WIDTH_RANGE_US`].
    #[error("wiegand pulse width {0} µs is outside 20..=100 µs")]
    PulseWidth(u64),
    /// Interval outside [`INTERVAL_RANGE_US`].
    #[error("wiegand bit interval {0} µs is outside 200..=20000 µs")]
    Interval(u64),
}

impl WiegandTiming {
    /// The common timing: 50 µs pulses every 2 ms.
    pub const STANDARD: Self = Self {
        pulse_width: Duration::from_micros(50),
        interval: Duration::from_millis(2),
    };

    /// A timing, checked against the ranges receivers accept.
    pub fn new(pulse_width: Duration, interval: Duration) -> Result<Self, TimingError> {
        let pw = u64::try_from(pulse_width.as_micros()).unwrap_or(u64::MAX);
        let iv = u64::try_from(interval.as_micros()).unwrap_or(u64::MAX);
        if !PULSE_WIDTH_RANGE_US.contains(&pw) {
            return Err(TimingError::PulseWidth(pw));
        }
        if !INTERVAL_RANGE_US.contains(&iv) {
            return Err(TimingError::Interval(iv));
        }
        Ok(Self {
            pulse_width,
            interval,
        })
    }

    /// How long each pulse lasts.
    pub const fn pulse_width(&self) -> Duration {
        self.pulse_width
    }

    /// Time from the start of one pulse to the start of the next.
    pub const fn interval(&self) -> Duration {
        self.interval
    }

    /// The gap between the end of one pulse and the start of the next.
    pub fn gap(&self) -> Duration {
        self.interval.saturating_sub(self.pulse_width)
    }

    /// The edges that send `bits` starting at `start`, in time order: what a writer
    /// drives and what the simulation feeds its reader.
    pub fn edges(
        self,
        bits: Bits,
        start: Timestamp,
    ) -> impl Iterator<Item = (DataLine, Edge, Timestamp)> {
        let (pw, iv) = (self.pulse_width, self.interval);
        bits.iter().enumerate().flat_map(move |(i, bit)| {
            let line = DataLine::for_bit(bit);
            let t = start + iv * i as u32;
            [(line, Edge::PulseStart, t), (line, Edge::PulseEnd, t + pw)]
        })
    }
}

impl Default for WiegandTiming {
    fn default() -> Self {
        Self::STANDARD
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_outside_the_interface_limits_is_refused_with_the_value() {
        let e = WiegandTiming::new(Duration::from_micros(5), Duration::from_millis(2)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "wiegand pulse width 5 µs is outside 20..=100 µs"
        );
        let e =
            WiegandTiming::new(Duration::from_micros(50), Duration::from_millis(50)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "wiegand bit interval 50000 µs is outside 200..=20000 µs"
        );
    }

    #[test]
    fn edges_of_a_frame_follow_the_timing() {
        let bits = Bits::parse("10").unwrap();
        let edges: Vec<_> = WiegandTiming::STANDARD
            .edges(bits, Timestamp::from_millis(1))
            .collect();
        assert_eq!(
            edges,
            vec![
                (
                    DataLine::D1,
                    Edge::PulseStart,
                    Timestamp::from_micros(1_000)
                ),
                (DataLine::D1, Edge::PulseEnd, Timestamp::from_micros(1_050)),
                (
                    DataLine::D0,
                    Edge::PulseStart,
                    Timestamp::from_micros(3_000)
                ),
                (DataLine::D0, Edge::PulseEnd, Timestamp::from_micros(3_050)),
            ]
        );
    }
}
