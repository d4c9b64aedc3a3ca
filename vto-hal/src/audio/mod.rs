//! Audio in and out: PCM frames with timestamps, volume and mute with the manual's meaning.
//!
//! A door station has one [`Microphone`] (the visitor's voice, for calls) and one
//! [`Speaker`] (the resident's voice, ring-back and prompts). Both stream signed 16-bit
//! samples in a [`PcmFormat`]: 8 or 16 kHz mono during calls, 48 kHz for prompts. Reads
//! and writes block, a [`CALL_FRAME`] (20 ms, one RTP packet) at a time, and every
//! [`AudioFrame`] carries the time its first sample was captured or will be heard, so the
//! echo canceller and lip sync work on when sound happened rather than when a thread got to
//! it.
//!
//! Volume is the manual's 0–100 ([`Volume`]) with mute beside it ([`VolumeControl`]);
//! backends use the card's mixer when it has one and [`Gain`] in software otherwise, on the
//! same curve.
//!
//! Pure parts, usable without any backend: the [`wav`] parser, the [`Resampler`] and
//! [`Converter`], the [`Tone`] generator, [`prompt`]s, and [`analysis`] (level, dominant
//! frequency, tone onset) for tests and probes.
//!
//! ```
//! use vto_hal::audio::{analysis, Converter, PcmFormat, Tone, CALL_FRAME};
//!
//! // A 20 ms block of 1 kHz from a wideband call, converted for a 48 kHz speaker.
//! let call = Tone::new(1000.0).samples(PcmFormat::WIDEBAND, CALL_FRAME * 10);
//! let mut conv = Converter::new(PcmFormat::WIDEBAND, PcmFormat::PROMPT);
//! let mut out = Vec::new();
//! conv.process(&call, &mut out);
//! assert_eq!(out.len(), 9600);
//! let f = analysis::dominant_frequency(&out[960..], 48_000).unwrap();
//! assert!((f - 1000.0).abs() < 2.0);
//! ```

pub mod analysis;
pub mod convert;
pub mod format;
pub mod frame;
pub mod prompt;
pub mod resample;
pub mod tone;
pub mod volume;
pub mod wav;

pub use convert::Converter;
pub use format::{Channels, PcmFormat, SampleRate, CALL_FRAME};
pub use frame::{AudioFrame, FrameError};
pub use prompt::{Prompt, PromptError, PromptKind};
pub use resample::Resampler;
pub use tone::{Tone, ToneGenerator};
pub use volume::{Gain, Volume, VolumeOutOfRange};
pub use wav::{Wav, WavError};

use crate::error::ErrorType;
use crate::time::Timestamp;

/// The volume and mute of a microphone or speaker ("Microphone Volume", "Speaker Volume"
/// and "Audio Control" in the manual).
///
/// Mute is separate from volume 0 so that unmuting restores the level the user chose.
pub trait VolumeControl: ErrorType {
    /// The current volume.
    fn volume(&mut self) -> Result<Volume, Self::Error>;
    /// Sets the volume; it applies to the next samples read or written.
    fn set_volume(&mut self, volume: Volume) -> Result<(), Self::Error>;
    /// Whether the sound is cut off.
    fn is_muted(&mut self) -> Result<bool, Self::Error>;
    /// Cuts the sound off or brings it back at the set volume.
    fn set_muted(&mut self, muted: bool) -> Result<(), Self::Error>;
}

/// The station's microphone: what the visitor says.
pub trait Microphone: VolumeControl {
    /// The format samples are delivered in.
    fn format(&self) -> PcmFormat;

    /// Fills `frame` (its length decides how much is read), blocking until the samples have
    /// been captured, and sets its timestamp to when the first of them was.
    ///
    /// After an overrun (the caller was too slow and the device dropped samples) reading
    /// carries on; the gap shows as a jump in the timestamps. A frame in another format is
    /// refused.
    fn read(&mut self, frame: &mut AudioFrame) -> Result<(), Self::Error>;
}

/// The station's speaker: what the visitor hears.
pub trait Speaker: VolumeControl {
    /// The format samples must be written in.
    fn format(&self) -> PcmFormat;

    /// Queues `frame` for playing, blocking while the device's buffer is full, and returns
    /// when its first sample will be heard.
    ///
    /// If the caller fell behind and the device ran dry (an underrun), playing resumes with
    /// this frame; the stream is not dropped. A frame in another format is refused.
    fn write(&mut self, frame: &AudioFrame) -> Result<Timestamp, Self::Error>;

    /// Blocks until everything written has been played.
    fn drain(&mut self) -> Result<(), Self::Error>;
}

impl<T: VolumeControl + ?Sized> VolumeControl for &mut T {
    fn volume(&mut self) -> Result<Volume, Self::Error> {
        T::volume(self)
    }
    fn set_volume(&mut self, volume: Volume) -> Result<(), Self::Error> {
        T::set_volume(self, volume)
    }
    fn is_muted(&mut self) -> Result<bool, Self::Error> {
        T::is_muted(self)
    }
    fn set_muted(&mut self, muted: bool) -> Result<(), Self::Error> {
        T::set_muted(self, muted)
    }
}

impl<T: Microphone + ?Sized> Microphone for &mut T {
    fn format(&self) -> PcmFormat {
        T::format(self)
    }
    fn read(&mut self, frame: &mut AudioFrame) -> Result<(), Self::Error> {
        T::read(self, frame)
    }
}

impl<T: Speaker + ?Sized> Speaker for &mut T {
    fn format(&self) -> PcmFormat {
        T::format(self)
    }
    fn write(&mut self, frame: &AudioFrame) -> Result<Timestamp, Self::Error> {
        T::write(self, frame)
    }
    fn drain(&mut self) -> Result<(), Self::Error> {
        T::drain(self)
    }
}
