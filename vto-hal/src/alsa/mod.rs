//! Audio through ALSA: the station's speaker and microphone on any Linux sound card.
//!
//! Devices are named as in `aplay -L`: `hw:CARD,DEV` for a card as it is (lowest latency,
//! but only the rates and channels the codec has), `plughw:CARD,DEV` to let alsa-lib
//! convert, `default` or a PCM from `asound.conf`. Each stream is opened with explicit
//! period and buffer sizes ([`AlsaConfig`]: 10 ms × 4 by default), samples are signed
//! 16-bit, and a card that only runs stereo gets the station's mono duplicated (speaker) or
//! averaged (microphone).
//!
//! Underruns and overruns are recovered inside `write`/`read` without closing the stream;
//! a card that disappears gives [`ErrorKind::Disconnected`](crate::ErrorKind::Disconnected)
//! and is reopened with `reopen`; a device another program holds gives
//! [`ErrorKind::Busy`](crate::ErrorKind::Busy) at once (the PCM is opened non-blocking).
//! Volume and mute use the card's mixer when it has a suitable control
//! ([`MixerChoice`]), software gain otherwise. Timestamps are on [`PcmClock`]
//! (`CLOCK_MONOTONIC`). `docs/audio.md` has the measured latency.
//!
//! ```no_run
//! use vto_hal::alsa::{AlsaConfig, AlsaSpeaker};
//! use vto_hal::audio::{PcmFormat, Prompt, PromptKind, Speaker};
//!
//! let mut speaker = AlsaSpeaker::open(AlsaConfig::new("plughw:0", PcmFormat::PROMPT))?;
//! Prompt::builtin(PromptKind::DoorOpen, PcmFormat::PROMPT).play(&mut speaker)?;
//! speaker.drain()?;
//! # Ok::<(), vto_hal::alsa::AlsaError>(())
//! ```

mod clock;
mod config;
mod device;
mod error;
mod microphone;
mod mixer;
mod pcm;
mod speaker;

pub use clock::PcmClock;
pub use config::{AlsaConfig, BufferSizes, MixerChoice, PERIODS_RANGE, PERIOD_RANGE};
pub use error::AlsaError;
pub use microphone::AlsaMicrophone;
pub use speaker::AlsaSpeaker;
