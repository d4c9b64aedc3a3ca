//! Prompt sounds: ring-back while calling, door open, call failed; built in, or uploaded as
//! WAV files ("Local Settings > Upload File").
//!
//! An uploaded file is checked and converted once, when it is loaded: decoded by the
//! [`wav`] parser, mixed down to mono (the station has one speaker) and resampled
//! to the speaker's rate by the [`Resampler`](super::resample::Resampler). Playing it is then
//! a plain copy, frame by frame.

use core::fmt;

use super::convert::Converter;
use super::format::{PcmFormat, CALL_FRAME};
use super::frame::AudioFrame;
use super::tone::Tone;
use super::wav::{self, WavError};
use super::Speaker;
use crate::error::{Error, ErrorKind};
use crate::time::{Duration, Timestamp};

/// The longest prompt accepted: longer files are a mistake (a song), and would hold memory
/// and the speaker.
pub const MAX_PROMPT: Duration = Duration::from_secs(30);

/// The largest WAV file accepted, in bytes: 30 s of 48 kHz 16-bit stereo with room for
/// metadata chunks.
pub const MAX_FILE_BYTES: usize = 6 * 1024 * 1024;

/// Which situation a prompt is played in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PromptKind {
    /// The visitor is calling and the other end is ringing.
    RingBack,
    /// The door has been unlocked.
    DoorOpen,
    /// The call could not be made (busy, no answer, unreachable).
    CallFailed,
}

impl PromptKind {
    /// Every kind.
    pub const ALL: [PromptKind; 3] = [Self::RingBack, Self::DoorOpen, Self::CallFailed];
}

impl fmt::Display for PromptKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RingBack => "ring-back",
            Self::DoorOpen => "door open",
            Self::CallFailed => "call failed",
        })
    }
}

/// Why a prompt file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PromptError {
    /// The file is not a WAV vto can play.
    #[error("{kind} prompt: {reason}")]
    Wav {
        /// The prompt it was meant for.
        kind: PromptKind,
        /// What is wrong with the file.
        reason: WavError,
    },
    /// The file is bigger than [`MAX_FILE_BYTES`].
    #[error("{kind} prompt: file of {bytes} bytes is larger than the {max} bytes allowed")]
    FileTooLarge {
        /// The prompt it was meant for.
        kind: PromptKind,
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The sound lasts longer than [`MAX_PROMPT`].
    #[error("{kind} prompt: {length_ms} ms is longer than the {max_ms} ms allowed")]
    TooLong {
        /// The prompt it was meant for.
        kind: PromptKind,
        /// Its length.
        length_ms: u128,
        /// The limit.
        max_ms: u128,
    },
}

impl Error for PromptError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Wav { reason, .. } => reason.kind(),
            Self::FileTooLarge { .. } | Self::TooLong { .. } => ErrorKind::InvalidConfig,
        }
    }
}

/// A prompt ready to play on a speaker of one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    kind: PromptKind,
    format: PcmFormat,
    samples: Vec<i16>,
}

impl Prompt {
    /// Loads an uploaded WAV file for a speaker streaming `format`.
    pub fn from_wav(kind: PromptKind, file: &[u8], format: PcmFormat) -> Result<Self, PromptError> {
        if file.len() > MAX_FILE_BYTES {
            return Err(PromptError::FileTooLarge {
                kind,
                bytes: file.len(),
                max: MAX_FILE_BYTES,
            });
        }
        let wav = wav::parse(file).map_err(|reason| PromptError::Wav { kind, reason })?;
        let length = wav.duration();
        if length > MAX_PROMPT {
            return Err(PromptError::TooLong {
                kind,
                length_ms: length.as_millis(),
                max_ms: MAX_PROMPT.as_millis(),
            });
        }
        let samples = wav.convert_to(format);
        Ok(Self {
            kind,
            format,
            samples,
        })
    }

    /// The built-in sound for `kind`, used until a file is uploaded:
    /// - ring-back: 425 Hz, 1 s on, 4 s off (ETSI ES 201 970), one cycle;
    /// - door open: two rising beeps, 880 Hz then 1320 Hz, 150 ms each;
    /// - call failed: the busy tone, 425 Hz, 0.5 s on, 0.5 s off, three times.
    pub fn builtin(kind: PromptKind, format: PcmFormat) -> Self {
        let ms = Duration::from_millis;
        let parts: &[(Option<f64>, Duration)] = match kind {
            PromptKind::RingBack => &[(Some(425.0), ms(1000)), (None, ms(4000))],
            PromptKind::DoorOpen => &[
                (Some(880.0), ms(150)),
                (None, ms(50)),
                (Some(1320.0), ms(150)),
            ],
            PromptKind::CallFailed => &[
                (Some(425.0), ms(500)),
                (None, ms(500)),
                (Some(425.0), ms(500)),
                (None, ms(500)),
                (Some(425.0), ms(500)),
            ],
        };
        let mut samples = Vec::new();
        for &(freq, length) in parts {
            match freq {
                Some(f) => samples.extend(Tone::new(f).samples(format, length)),
                None => samples.resize(samples.len() + format.samples_in(length), 0),
            }
        }
        Self {
            kind,
            format,
            samples,
        }
    }

    /// What the prompt is for.
    pub fn kind(&self) -> PromptKind {
        self.kind
    }

    /// The format it is ready for.
    pub fn format(&self) -> PcmFormat {
        self.format
    }

    /// The samples, interleaved in [`format`](Self::format).
    pub fn samples(&self) -> &[i16] {
        &self.samples
    }

    /// How long it plays.
    pub fn duration(&self) -> Duration {
        self.format
            .duration_of((self.samples.len() / self.format.channels.count()) as u64)
    }

    /// The prompt as frames of [`CALL_FRAME`] (the last one padded with silence).
    pub fn frames(&self) -> impl Iterator<Item = AudioFrame> + '_ {
        let len = self.format.samples_in(CALL_FRAME);
        self.samples.chunks(len).map(move |chunk| {
            let mut samples = chunk.to_vec();
            samples.resize(len, 0);
            // `len` is a whole, non-zero number of sample frames of `format`.
            AudioFrame::new(self.format, samples)
                .unwrap_or_else(|_| AudioFrame::silence(self.format, CALL_FRAME))
        })
    }

    /// Plays the prompt on `speaker` and returns when the first sample will be heard; the
    /// speaker keeps playing the rest of its buffer after this returns.
    ///
    /// A prompt loaded for another format is converted on the way (slower, but never
    /// wrong).
    pub fn play<S: Speaker + ?Sized>(&self, speaker: &mut S) -> Result<Timestamp, S::Error> {
        let target = speaker.format();
        if target != self.format {
            let converted = Self {
                kind: self.kind,
                format: target,
                samples: Converter::convert_all(self.format, target, &self.samples),
            };
            return converted.play(speaker);
        }
        let mut start = None;
        for frame in self.frames() {
            let at = speaker.write(&frame)?;
            start.get_or_insert(at);
        }
        Ok(start.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::analysis::dominant_frequency;
    use crate::audio::format::{Channels, SampleRate};

    #[test]
    fn a_44_1_khz_stereo_upload_plays_as_48_khz_mono() {
        let n = 44_100 / 2;
        let mut stereo = Vec::with_capacity(n * 2);
        for i in 0..n {
            let s = (12000.0 * (2.0 * core::f64::consts::PI * 600.0 * i as f64 / 44_100.0).sin())
                as i16;
            stereo.extend([s, s]);
        }
        let file = wav::encode(44_100, Channels::Stereo, &stereo);
        let p = Prompt::from_wav(PromptKind::DoorOpen, &file, PcmFormat::PROMPT).unwrap();
        assert_eq!(p.samples().len(), 24_000);
        assert_eq!(p.duration(), Duration::from_millis(500));
        let f = dominant_frequency(&p.samples()[4000..20000], 48_000).unwrap();
        assert!((f - 600.0).abs() < 1.0, "{f}");
    }

    #[test]
    fn a_song_is_too_long_for_a_prompt() {
        let file = wav::encode(8_000, Channels::Mono, &vec![0; 8_000 * 31]);
        let e = Prompt::from_wav(PromptKind::RingBack, &file, PcmFormat::NARROWBAND).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ring-back prompt: 31000 ms is longer than the 30000 ms allowed"
        );
    }

    #[test]
    fn a_text_file_is_refused_with_the_reason() {
        let e = Prompt::from_wav(PromptKind::CallFailed, b"hello, world", PcmFormat::PROMPT)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "call failed prompt: not a WAV file: it starts with \"hell\", not \"RIFF\""
        );
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    }

    #[test]
    fn the_builtin_ring_back_is_one_second_of_425_hz_then_four_of_silence() {
        let f = PcmFormat::mono(SampleRate::Hz16000);
        let p = Prompt::builtin(PromptKind::RingBack, f);
        assert_eq!(p.duration(), Duration::from_secs(5));
        let on = &p.samples()[..16_000];
        assert!((dominant_frequency(on, 16_000).unwrap() - 425.0).abs() < 1.0);
        assert!(p.samples()[16_000..].iter().all(|&s| s == 0));
        assert_eq!(p.frames().count(), 250);
    }
}
