//! Bit-timing decoder. (Being implemented: see the decoder helper.)

use super::{DataLine, Edge, WiegandFrame};
use crate::time::{Duration, Timestamp};

/// Decoder limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecoderConfig {
    /// Pulses shorter than this are noise and dropped.
    pub min_pulse: Duration,
    /// A line held low longer than this is a fault.
    pub max_pulse: Duration,
    /// The frame ends after this many times the longest bit interval seen.
    pub gap_factor: u32,
    /// Lower bound of the end-of-frame gap.
    pub min_gap: Duration,
    /// Upper bound of the end-of-frame gap (and the gap after a single bit).
    pub max_gap: Duration,
}

/// An invalid decoder configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecoderConfigError {
    /// min_gap > max_gap.
    #[error("wiegand min_gap is larger than max_gap")]
    GapBounds,
}

/// A problem on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// More than 128 bits.
    #[error("wiegand frame longer than 128 bits")]
    TooLong {
        /// When it ended.
        at: Timestamp,
    },
}

/// Edge timestamps in, frames out.
#[derive(Debug, Clone)]
pub struct Decoder {
    config: DecoderConfig,
}

impl Decoder {
    /// A decoder.
    pub fn new(config: DecoderConfig) -> Result<Self, DecoderConfigError> {
        Ok(Self { config })
    }
    /// Feeds an edge.
    pub fn edge(&mut self, _line: DataLine, _edge: Edge, _at: Timestamp) {
        let _ = self.config;
    }
    /// Completed frames.
    pub fn poll(&mut self, _now: Timestamp) -> Option<Result<WiegandFrame, FrameError>> {
        None
    }
    /// When poll has something.
    pub fn deadline(&self) -> Option<Timestamp> {
        None
    }
}
