//! How to open an ALSA device: its name, the stream format, buffer sizes and volume.

use crate::audio::{PcmFormat, Volume};
use crate::time::Duration;

/// Allowed period lengths: 1 ms (below, interrupts swamp a Pi) to 500 ms.
pub const PERIOD_RANGE: core::ops::RangeInclusive<Duration> =
    Duration::from_millis(1)..=Duration::from_millis(500);

/// Allowed periods per buffer: two (double buffering) to 32.
pub const PERIODS_RANGE: core::ops::RangeInclusive<u32> = 2..=32;

/// Which mixer control sets the volume.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MixerChoice {
    /// The first simple control the card has among the usual names (playback: `Speaker`,
    /// `Master`, `PCM`, `Headphone`, `Line Out`, `Digital`; capture: `Capture`, `Mic`,
    /// `Digital`, `Front Mic`, `Internal Mic`), software gain if none.
    #[default]
    Auto,
    /// This simple control (as `amixer scontrols` lists it); opening fails if the card does
    /// not have it.
    Control(String),
    /// Software gain, leaving the card's mixer alone (a card shared with other programs).
    Software,
}

/// Everything needed to open a microphone or speaker on an ALSA device.
///
/// The defaults are for calls with low latency: 10 ms periods, 4 per buffer (40 ms).
/// `docs/audio.md` has the measured latency and what to change on a busy system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlsaConfig {
    /// The ALSA device: `hw:CARD,DEV[,SUB]` for a card as is, `plughw:...` to let alsa-lib
    /// convert rate and channels, `default`, or any PCM defined in `asound.conf`.
    pub device: String,
    /// The format the station streams in (the device may run stereo; see the module docs).
    pub format: PcmFormat,
    /// The period: how often the card interrupts and how finely the buffer fills.
    pub period: Duration,
    /// Periods in the ring buffer; the buffer (`period × periods`) is the most audio queued.
    pub periods: u32,
    /// Where the volume goes.
    pub mixer: MixerChoice,
    /// The volume applied when the device is opened (and re-applied when it is reopened).
    pub volume: Volume,
    /// Whether the device starts muted.
    pub muted: bool,
    /// The longest a read or write waits for the device before reporting a timeout (a card
    /// whose clock stopped); well above a buffer's length.
    pub timeout: Duration,
}

impl AlsaConfig {
    /// The default configuration for `device` streaming `format`.
    pub fn new(device: impl Into<String>, format: PcmFormat) -> Self {
        Self {
            device: device.into(),
            format,
            period: Duration::from_millis(10),
            periods: 4,
            mixer: MixerChoice::Auto,
            volume: Volume::MAX,
            muted: false,
            timeout: Duration::from_secs(2),
        }
    }

    /// The same with another period length and count.
    pub fn with_buffer(mut self, period: Duration, periods: u32) -> Self {
        self.period = period;
        self.periods = periods;
        self
    }

    /// The same with another mixer choice.
    pub fn with_mixer(mut self, mixer: MixerChoice) -> Self {
        self.mixer = mixer;
        self
    }

    /// The buffer length asked for.
    pub fn buffer(&self) -> Duration {
        self.period.saturating_mul(self.periods)
    }
}

/// The period and buffer the device agreed to (they may differ from those asked for: a
/// driver rounds to what its DMA can do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferSizes {
    /// Sample frames per period.
    pub period_frames: usize,
    /// Sample frames in the ring buffer.
    pub buffer_frames: usize,
    /// The device's sample rate.
    pub rate: u32,
}

impl BufferSizes {
    /// The period as time.
    pub fn period(&self) -> Duration {
        frames_to_duration(self.period_frames, self.rate)
    }

    /// The buffer as time: the most a speaker has queued, so its worst-case added latency.
    pub fn buffer(&self) -> Duration {
        frames_to_duration(self.buffer_frames, self.rate)
    }
}

fn frames_to_duration(frames: usize, rate: u32) -> Duration {
    let nanos = frames as u128 * 1_000_000_000 / u128::from(rate.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}
