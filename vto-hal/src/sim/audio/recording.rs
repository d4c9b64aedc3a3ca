//! What a simulated speaker played, as one continuous recording.

use super::timeline::{index_at, time_of};
use crate::audio::{analysis, PcmFormat};
use crate::time::{Duration, Timestamp};

/// The sound a simulated speaker made, from its first sample to the end of what was
/// written, with silence where it ran dry.
///
/// The analysis methods look at the first channel, over a window of time on the
/// simulation clock: "between 1 s and 2 s the visitor heard 425 Hz".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    format: PcmFormat,
    /// Sample index of the first sample on the stream's timeline.
    first: u64,
    samples: Vec<i16>,
}

impl Recording {
    pub(super) fn new(format: PcmFormat, first: u64, samples: Vec<i16>) -> Self {
        Self {
            format,
            first,
            samples,
        }
    }

    /// The format of the samples.
    pub fn format(&self) -> PcmFormat {
        self.format
    }

    /// When the first sample was heard.
    pub fn start(&self) -> Timestamp {
        time_of(self.first, self.format.rate.hz())
    }

    /// When the last sample ends.
    pub fn end(&self) -> Timestamp {
        time_of(self.first + self.frames() as u64, self.format.rate.hz())
    }

    /// All samples, interleaved.
    pub fn samples(&self) -> &[i16] {
        &self.samples
    }

    /// Whether nothing was played at all.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    fn frames(&self) -> usize {
        self.samples.len() / self.format.channels.count()
    }

    /// The first channel from `from` for `length`; silence outside the recording.
    pub fn window(&self, from: Timestamp, length: Duration) -> Vec<i16> {
        let rate = self.format.rate.hz();
        let ch = self.format.channels.count();
        let start = index_at(from, rate);
        let len = self.format.frames_in(length);
        (0..len as u64)
            .map(|i| {
                (start + i)
                    .checked_sub(self.first)
                    .and_then(|k| self.samples.get(usize::try_from(k).ok()? * ch))
                    .copied()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// The RMS level (fraction of full scale) over the window.
    pub fn rms(&self, from: Timestamp, length: Duration) -> f64 {
        analysis::rms(&self.window(from, length))
    }

    /// The frequency with the most energy in the window; `None` if it was silent.
    pub fn dominant_frequency(&self, from: Timestamp, length: Duration) -> Option<f64> {
        analysis::dominant_frequency(&self.window(from, length), self.format.rate.hz())
    }

    /// The level (peak amplitude) of `frequency` in the window.
    pub fn tone_level(&self, from: Timestamp, length: Duration, frequency: f64) -> f64 {
        analysis::tone_level(&self.window(from, length), self.format.rate.hz(), frequency)
    }

    /// When a `frequency` tone at least `min_level` loud first started; `None` if never.
    pub fn tone_onset(&self, frequency: f64, min_level: f64) -> Option<Timestamp> {
        let ch = self.format.channels.count();
        let first: Vec<i16> = self.samples.iter().step_by(ch).copied().collect();
        let rate = self.format.rate.hz();
        analysis::tone_onset(&first, rate, frequency, min_level)
            .map(|i| time_of(self.first + i as u64, rate))
    }
}
