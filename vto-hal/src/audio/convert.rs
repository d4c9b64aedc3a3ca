//! Format conversion between streams: channels (downmix, duplicate) and rate.

use super::format::{Channels, PcmFormat};
use super::frame::AudioFrame;
use super::resample::Resampler;
use crate::time::{Duration, Timestamp};

/// Converts a stream from one [`PcmFormat`] to another, block after block.
///
/// Stereo becomes mono by averaging the two channels (before resampling, so half the work);
/// mono becomes stereo by playing the same signal on both (after resampling). Rates go
/// through a [`Resampler`], whose state carries over from block to block.
#[derive(Debug, Clone)]
pub struct Converter {
    from: PcmFormat,
    to: PcmFormat,
    resampler: Resampler,
    mixed: Vec<i16>,
    resampled: Vec<i16>,
}

impl Converter {
    /// A converter from `from` to `to`.
    pub fn new(from: PcmFormat, to: PcmFormat) -> Self {
        let mid = middle_channels(from, to);
        Self {
            from,
            to,
            resampler: Resampler::new(from.rate.hz(), to.rate.hz(), mid.count()),
            mixed: Vec::new(),
            resampled: Vec::new(),
        }
    }

    /// The input format.
    pub fn from(&self) -> PcmFormat {
        self.from
    }

    /// The output format.
    pub fn to(&self) -> PcmFormat {
        self.to
    }

    /// How much later a sound comes out than it went in (the resampler's filter).
    pub fn delay(&self) -> Duration {
        self.resampler.delay()
    }

    /// Converts interleaved `input` in the input format and appends the result to `out`.
    pub fn process(&mut self, input: &[i16], out: &mut Vec<i16>) {
        let mid = middle_channels(self.from, self.to);
        let mut resampled = core::mem::take(&mut self.resampled);
        resampled.clear();
        if self.from.channels != mid {
            let mut mixed = core::mem::take(&mut self.mixed);
            downmix(input, &mut mixed);
            self.resampler.process(&mixed, &mut resampled);
            self.mixed = mixed;
        } else {
            self.resampler.process(input, &mut resampled);
        }
        if mid != self.to.channels {
            upmix(&resampled, out);
        } else {
            out.extend_from_slice(&resampled);
        }
        self.resampled = resampled;
    }

    /// Converts one frame; `None` while the converter has too little input to produce a
    /// sample (only when going down in rate with frames of a few samples). The output's
    /// timestamp is the input's, less the converter's delay.
    pub fn convert(&mut self, frame: &AudioFrame) -> Option<AudioFrame> {
        let mut out = Vec::with_capacity(self.to.samples_in(frame.duration()) + 8);
        self.process(frame.samples(), &mut out);
        let mut converted = AudioFrame::new(self.to, out).ok()?;
        let delay = u64::try_from(self.delay().as_nanos()).unwrap_or(u64::MAX);
        let t = frame.timestamp().as_nanos().saturating_sub(delay);
        converted.set_timestamp(Timestamp::from_nanos(t));
        Some(converted)
    }

    /// Converts a whole recording at once: aligned, with nothing lost at the end.
    pub fn convert_all(from: PcmFormat, to: PcmFormat, input: &[i16]) -> Vec<i16> {
        let mid = middle_channels(from, to);
        let mut mixed = Vec::new();
        let src = if from.channels != mid {
            downmix(input, &mut mixed);
            &mixed[..]
        } else {
            input
        };
        let resampled = Resampler::convert_all(from.rate.hz(), to.rate.hz(), mid.count(), src);
        if mid != to.channels {
            let mut out = Vec::with_capacity(resampled.len() * 2);
            upmix(&resampled, &mut out);
            out
        } else {
            resampled
        }
    }
}

/// The channels the resampler works on: mono if either side is mono.
fn middle_channels(from: PcmFormat, to: PcmFormat) -> Channels {
    if from.channels == Channels::Stereo && to.channels == Channels::Stereo {
        Channels::Stereo
    } else {
        Channels::Mono
    }
}

/// Stereo to mono: the average of left and right (never clips).
pub fn downmix(stereo: &[i16], mono: &mut Vec<i16>) {
    mono.clear();
    mono.extend(
        stereo
            .chunks_exact(2)
            .map(|lr| ((i32::from(lr[0]) + i32::from(lr[1])) >> 1) as i16),
    );
}

/// Mono to stereo: the same sample on both channels.
pub fn upmix(mono: &[i16], stereo: &mut Vec<i16>) {
    let start = stereo.len();
    stereo.resize(start + mono.len() * 2, 0);
    for (pair, &s) in stereo[start..].chunks_exact_mut(2).zip(mono) {
        pair[0] = s;
        pair[1] = s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::analysis::dominant_frequency;
    use crate::audio::format::{SampleRate, CALL_FRAME};
    use crate::audio::tone::ToneGenerator;
    use crate::audio::Tone;

    #[test]
    fn stereo_averages_to_mono_and_mono_duplicates_to_stereo() {
        let mut mono = Vec::new();
        downmix(
            &[100, 300, i16::MAX, i16::MAX, i16::MIN, i16::MIN, 7],
            &mut mono,
        );
        assert_eq!(mono, [200, i16::MAX, i16::MIN]);
        let mut stereo = Vec::new();
        upmix(&[1, -2], &mut stereo);
        assert_eq!(stereo, [1, 1, -2, -2]);
    }

    #[test]
    fn a_wideband_call_frame_becomes_a_48_khz_stereo_frame() {
        let stereo48 = PcmFormat {
            rate: SampleRate::Hz48000,
            channels: Channels::Stereo,
        };
        let mut conv = Converter::new(PcmFormat::WIDEBAND, stereo48);
        let mut tone = ToneGenerator::new(Tone::new(1000.0), PcmFormat::WIDEBAND);
        let mut all = Vec::new();
        for i in 0..10u64 {
            let mut f = tone.frame(CALL_FRAME);
            f.set_timestamp(Timestamp::from_millis(100 + 20 * i));
            let out = conv.convert(&f).unwrap();
            assert_eq!(out.format(), stereo48);
            assert_eq!(out.duration(), CALL_FRAME);
            let delay = u64::try_from(conv.delay().as_nanos()).unwrap();
            assert_eq!(out.timestamp().as_nanos(), f.timestamp().as_nanos() - delay);
            all.extend_from_slice(out.samples());
        }
        let left: Vec<i16> = all.iter().step_by(2).copied().collect();
        let f = dominant_frequency(&left[4800..], 48_000).unwrap();
        assert!((f - 1000.0).abs() < 2.0, "{f}");
    }
}
