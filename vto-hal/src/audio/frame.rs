//! A block of PCM audio with the time of its first sample.

use super::format::PcmFormat;
use crate::error::{Error, ErrorKind};
use crate::time::{Duration, Timestamp};

/// A block of interleaved samples (typically [`CALL_FRAME`](super::CALL_FRAME) long) and
/// when its first sample was captured or will be heard.
///
/// The format travels with the samples so that a 16 kHz block can never be played as
/// 8 kHz by mistake: devices refuse a frame whose format is not theirs. A frame always holds
/// whole sample frames (a multiple of the channel count) and at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFrame {
    format: PcmFormat,
    timestamp: Timestamp,
    samples: Vec<i16>,
}

/// A sample buffer that cannot be a frame of the format it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// No samples at all.
    #[error("an audio frame needs at least one sample")]
    Empty,
    /// A sample count that is not a multiple of the channel count (half a stereo pair).
    #[error("{samples} samples are not whole {format} sample frames")]
    PartialSampleFrame {
        /// The format.
        format: PcmFormat,
        /// The samples given.
        samples: usize,
    },
    /// A frame in another format than the device's.
    #[error("frame is {frame}, the device streams {device}")]
    FormatMismatch {
        /// The frame's format.
        frame: PcmFormat,
        /// The device's format.
        device: PcmFormat,
    },
}

impl Error for FrameError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidConfig
    }
}

impl AudioFrame {
    /// A frame of `samples`, interleaved in `format`, at time zero.
    pub fn new(format: PcmFormat, samples: Vec<i16>) -> Result<Self, FrameError> {
        if samples.is_empty() {
            return Err(FrameError::Empty);
        }
        if samples.len() % format.channels.count() != 0 {
            return Err(FrameError::PartialSampleFrame {
                format,
                samples: samples.len(),
            });
        }
        Ok(Self {
            format,
            timestamp: Timestamp::ZERO,
            samples,
        })
    }

    /// A silent frame lasting `duration` (at least one sample frame).
    pub fn silence(format: PcmFormat, duration: Duration) -> Self {
        let len = format.samples_in(duration).max(format.channels.count());
        Self {
            format,
            timestamp: Timestamp::ZERO,
            samples: vec![0; len],
        }
    }

    /// The format of the samples.
    pub fn format(&self) -> PcmFormat {
        self.format
    }

    /// When the first sample was captured (microphone) or will be heard (speaker), on the
    /// device's clock.
    pub fn timestamp(&self) -> Timestamp {
        self.timestamp
    }

    /// Sets the time of the first sample.
    pub fn set_timestamp(&mut self, t: Timestamp) {
        self.timestamp = t;
    }

    /// The interleaved samples.
    pub fn samples(&self) -> &[i16] {
        &self.samples
    }

    /// The interleaved samples, to fill or change in place (the length is fixed).
    pub fn samples_mut(&mut self) -> &mut [i16] {
        &mut self.samples
    }

    /// The number of sample frames (samples per channel).
    pub fn frames(&self) -> usize {
        self.samples.len() / self.format.channels.count()
    }

    /// How long the frame lasts.
    pub fn duration(&self) -> Duration {
        self.format.duration_of(self.frames() as u64)
    }

    /// The time just after the last sample.
    pub fn end(&self) -> Timestamp {
        self.timestamp + self.duration()
    }

    /// Takes the samples out.
    pub fn into_samples(self) -> Vec<i16> {
        self.samples
    }

    /// Checks that the frame is in `device`'s format.
    pub fn check_format(&self, device: PcmFormat) -> Result<(), FrameError> {
        if self.format == device {
            Ok(())
        } else {
            Err(FrameError::FormatMismatch {
                frame: self.format,
                device,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::format::{Channels, SampleRate, CALL_FRAME};

    #[test]
    fn half_a_stereo_pair_is_not_a_frame() {
        let stereo = PcmFormat {
            rate: SampleRate::Hz48000,
            channels: Channels::Stereo,
        };
        assert_eq!(
            AudioFrame::new(stereo, vec![0; 3]),
            Err(FrameError::PartialSampleFrame {
                format: stereo,
                samples: 3
            })
        );
        assert_eq!(AudioFrame::new(stereo, vec![]), Err(FrameError::Empty));
        let f = AudioFrame::new(stereo, vec![0; 4]).unwrap();
        assert_eq!(f.frames(), 2);
    }

    #[test]
    fn a_silent_call_frame_lasts_20_ms() {
        let mut f = AudioFrame::silence(PcmFormat::NARROWBAND, CALL_FRAME);
        assert_eq!(f.samples().len(), 160);
        assert_eq!(f.duration(), CALL_FRAME);
        f.set_timestamp(Timestamp::from_millis(100));
        assert_eq!(f.end(), Timestamp::from_millis(120));
        assert!(f.check_format(PcmFormat::WIDEBAND).is_err());
    }
}
