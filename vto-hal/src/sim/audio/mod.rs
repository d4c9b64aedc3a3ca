//! Simulated audio: a speaker whose probe hears what the visitor would, and a microphone
//! fed with tones or recorded speech.
//!
//! Both run in real time on the [`SimClock`](super::SimClock): a speaker plays each sample
//! at its time, a microphone captures it at its time, so timestamps are exact sample times
//! and, with a manual clock, the same on every run. A test can then say "the visitor heard
//! 425 Hz ring-back from 0 s to 1 s, then silence", or "the call carried the visitor's
//! 1 kHz tone with 20 ms of delay".
//!
//! ```
//! use std::time::Duration;
//! use vto_hal::audio::{Microphone, PcmFormat, Prompt, PromptKind, Speaker, AudioFrame, Tone, CALL_FRAME};
//! use vto_hal::sim::{Sim, SimClock};
//!
//! let sim = Sim::new(SimClock::manual());
//! let (mut speaker, ears) = sim.speaker(PcmFormat::PROMPT);
//! let started = Prompt::builtin(PromptKind::RingBack, PcmFormat::PROMPT).play(&mut speaker).unwrap();
//! let f = ears.dominant_frequency(started, Duration::from_millis(500)).unwrap();
//! assert!((f - 425.0).abs() < 1.0);
//!
//! let (mut mic, visitor) = sim.microphone(PcmFormat::NARROWBAND);
//! visitor.play_tone(Tone::new(1000.0), Duration::from_millis(100));
//! let mut frame = AudioFrame::silence(PcmFormat::NARROWBAND, CALL_FRAME);
//! mic.read(&mut frame).unwrap();
//! assert!(vto_hal::audio::analysis::rms(frame.samples()) > 0.3);
//! ```

mod microphone;
mod recording;
mod speaker;
mod timeline;

pub use microphone::{MicrophoneFeed, SimMicrophone, MICROPHONE_BUFFER};
pub use recording::Recording;
pub use speaker::{SimSpeaker, SpeakerProbe, RECORDING_SPAN, SPEAKER_BUFFER};

use super::Sim;
use crate::audio::{FrameError, PcmFormat};
use crate::error::{Error, ErrorKind};

/// What a simulated microphone or speaker reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimAudioError {
    /// The device was unplugged (its probe's `unplug`).
    #[error("simulated {0} is disconnected")]
    Disconnected(&'static str),
    /// A frame that does not fit the device.
    #[error("simulated audio: {0}")]
    Frame(FrameError),
}

impl From<FrameError> for SimAudioError {
    fn from(e: FrameError) -> Self {
        Self::Frame(e)
    }
}

impl Error for SimAudioError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Disconnected(_) => ErrorKind::Disconnected,
            Self::Frame(e) => e.kind(),
        }
    }
}

impl Sim {
    /// A speaker streaming `format`, and the probe that hears what it plays.
    pub fn speaker(&self, format: PcmFormat) -> (SimSpeaker, SpeakerProbe) {
        speaker::pair(self.clock().clone(), format)
    }

    /// A microphone streaming `format`, and the feed of sound in front of it.
    pub fn microphone(&self, format: PcmFormat) -> (SimMicrophone, MicrophoneFeed) {
        microphone::pair(self.clock().clone(), format)
    }
}
