//! What a PCM stream carries: its sample rate and channels.
//!
//! Samples are always signed 16-bit in native byte order: that is what G.711/G.722 codecs,
//! the echo canceller and every codec chip of a door station use, and it keeps the copy path
//! free of format dispatch. Backends convert at their edge if the hardware wants another
//! sample format.

use core::fmt;

use crate::time::Duration;

/// A sample rate vto streams at.
///
/// Calls run at 8 kHz (narrowband, G.711) or 16 kHz (wideband, G.722); prompts and ring
/// tones at 48 kHz, the native rate of most codec chips. Files at other rates (a 44.1 kHz
/// WAV) are converted to one of these when they are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SampleRate {
    /// 8 kHz: narrowband calls (G.711 µ-law/A-law).
    Hz8000,
    /// 16 kHz: wideband calls (G.722, Opus wideband).
    Hz16000,
    /// 48 kHz: prompts, ring tones, and the rate most codec chips run at natively.
    Hz48000,
}

impl SampleRate {
    /// Every rate, lowest first.
    pub const ALL: [SampleRate; 3] = [Self::Hz8000, Self::Hz16000, Self::Hz48000];

    /// Samples per second.
    pub const fn hz(self) -> u32 {
        match self {
            Self::Hz8000 => 8_000,
            Self::Hz16000 => 16_000,
            Self::Hz48000 => 48_000,
        }
    }

    /// The rate of `hz` samples per second, if vto streams at it.
    pub fn from_hz(hz: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.hz() == hz)
    }
}

impl fmt::Display for SampleRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Hz", self.hz())
    }
}

/// How many channels are interleaved in a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channels {
    /// One channel: a door station has one microphone and one speaker.
    Mono,
    /// Two channels, interleaved left then right: sound cards that refuse mono, WAV files.
    Stereo,
}

impl Channels {
    /// The number of channels.
    pub const fn count(self) -> usize {
        match self {
            Self::Mono => 1,
            Self::Stereo => 2,
        }
    }
}

impl fmt::Display for Channels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Mono => "mono",
            Self::Stereo => "stereo",
        })
    }
}

/// A stream's format: signed 16-bit samples at a rate, interleaved over some channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PcmFormat {
    /// Samples per second per channel.
    pub rate: SampleRate,
    /// Channels per sample frame.
    pub channels: Channels,
}

/// The length of one block of call audio: 20 ms, the RTP packet time of G.711 and G.722,
/// so one block read from the microphone is one packet.
pub const CALL_FRAME: Duration = Duration::from_millis(20);

impl PcmFormat {
    /// 8 kHz mono: narrowband calls.
    pub const NARROWBAND: Self = Self::mono(SampleRate::Hz8000);
    /// 16 kHz mono: wideband calls.
    pub const WIDEBAND: Self = Self::mono(SampleRate::Hz16000);
    /// 48 kHz mono: prompts and ring tones.
    pub const PROMPT: Self = Self::mono(SampleRate::Hz48000);

    /// A mono format at `rate`.
    pub const fn mono(rate: SampleRate) -> Self {
        Self {
            rate,
            channels: Channels::Mono,
        }
    }

    /// Sample frames (one sample per channel) in `d`, rounded down.
    pub fn frames_in(self, d: Duration) -> usize {
        let frames = d.as_nanos() * u128::from(self.rate.hz()) / 1_000_000_000;
        usize::try_from(frames).unwrap_or(usize::MAX)
    }

    /// Interleaved samples (all channels) in `d`, rounded down to whole sample frames.
    pub fn samples_in(self, d: Duration) -> usize {
        self.frames_in(d).saturating_mul(self.channels.count())
    }

    /// How long `frames` sample frames last.
    pub fn duration_of(self, frames: u64) -> Duration {
        let nanos = u128::from(frames) * 1_000_000_000 / u128::from(self.rate.hz());
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

impl fmt::Display for PcmFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S16 {} {}", self.rate, self.channels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_frame_is_one_rtp_packet_of_samples() {
        assert_eq!(PcmFormat::NARROWBAND.samples_in(CALL_FRAME), 160);
        assert_eq!(PcmFormat::WIDEBAND.samples_in(CALL_FRAME), 320);
        assert_eq!(PcmFormat::PROMPT.samples_in(CALL_FRAME), 960);
        let stereo = PcmFormat {
            rate: SampleRate::Hz48000,
            channels: Channels::Stereo,
        };
        assert_eq!(stereo.frames_in(CALL_FRAME), 960);
        assert_eq!(stereo.samples_in(CALL_FRAME), 1920);
    }

    #[test]
    fn durations_round_trip_through_sample_counts() {
        assert_eq!(
            PcmFormat::PROMPT.duration_of(48_000),
            Duration::from_secs(1)
        );
        assert_eq!(PcmFormat::NARROWBAND.duration_of(160), CALL_FRAME);
        assert_eq!(SampleRate::from_hz(16_000), Some(SampleRate::Hz16000));
        assert_eq!(SampleRate::from_hz(44_100), None);
        assert_eq!(PcmFormat::WIDEBAND.to_string(), "S16 16000 Hz mono");
    }
}
