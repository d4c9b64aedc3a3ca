//! Sine tones: test signals, and the built-in ring-back and busy tones.

use super::format::PcmFormat;
use super::frame::AudioFrame;
use crate::time::Duration;

/// A sine tone: a frequency and a peak level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tone {
    /// Frequency in Hz.
    pub frequency: f64,
    /// Peak amplitude as a fraction of full scale (0.0–1.0; larger values clip).
    pub amplitude: f64,
}

impl Tone {
    /// A tone of `frequency` Hz at half of full scale (−6 dBFS), loud enough to detect and
    /// far from clipping after resampling.
    pub const fn new(frequency: f64) -> Self {
        Self {
            frequency,
            amplitude: 0.5,
        }
    }

    /// The same tone at `amplitude` of full scale.
    pub const fn with_amplitude(self, amplitude: f64) -> Self {
        Self {
            frequency: self.frequency,
            amplitude,
        }
    }

    /// `duration` of this tone in `format`, starting at phase 0, the same on every channel.
    pub fn samples(self, format: PcmFormat, duration: Duration) -> Vec<i16> {
        let mut generator = ToneGenerator::new(self, format);
        let mut out = vec![0; format.samples_in(duration)];
        generator.fill(&mut out);
        out
    }
}

/// Generates a continuous tone block after block, without a phase jump between blocks
/// (a jump would click).
#[derive(Debug, Clone)]
pub struct ToneGenerator {
    tone: Tone,
    format: PcmFormat,
    /// Sample frames generated so far; the phase is computed from it, so it never drifts.
    position: u64,
}

impl ToneGenerator {
    /// A generator of `tone` in `format`.
    pub fn new(tone: Tone, format: PcmFormat) -> Self {
        Self {
            tone,
            format,
            position: 0,
        }
    }

    /// Fills `samples` (interleaved, whole sample frames) with the next part of the tone.
    pub fn fill(&mut self, samples: &mut [i16]) {
        let channels = self.format.channels.count();
        let rate = f64::from(self.format.rate.hz());
        // The phase is reduced to one period before it multiplies, so precision holds for
        // hours of tone.
        let period = rate / self.tone.frequency;
        let scale = self.tone.amplitude * f64::from(i16::MAX);
        for frame in samples.chunks_mut(channels) {
            let phase = if period.is_finite() && period > 0.0 {
                (self.position as f64 % period) / period
            } else {
                0.0
            };
            let v = (scale * (core::f64::consts::TAU * phase).sin()).round();
            let s = v.clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16;
            frame.fill(s);
            self.position += 1;
        }
    }

    /// The next `duration` of the tone as a frame.
    pub fn frame(&mut self, duration: Duration) -> AudioFrame {
        let mut frame = AudioFrame::silence(self.format, duration);
        self.fill(frame.samples_mut());
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::analysis;
    use crate::audio::format::CALL_FRAME;

    #[test]
    fn blocks_join_without_a_phase_jump() {
        let f = PcmFormat::NARROWBAND;
        let whole = Tone::new(1000.0).samples(f, Duration::from_millis(40));
        let mut g = ToneGenerator::new(Tone::new(1000.0), f);
        let mut a = g.frame(CALL_FRAME).into_samples();
        a.extend(g.frame(CALL_FRAME).into_samples());
        assert_eq!(a, whole);
    }

    #[test]
    fn the_tone_has_its_frequency_and_level() {
        let f = PcmFormat::WIDEBAND;
        let s = Tone::new(440.0).samples(f, Duration::from_millis(500));
        let freq = analysis::dominant_frequency(&s, f.rate.hz()).unwrap();
        assert!((freq - 440.0).abs() < 2.0, "{freq}");
        // A sine's RMS is its peak / √2.
        assert!((analysis::rms(&s) - 0.5 / 2f64.sqrt()).abs() < 0.01);
    }
}
