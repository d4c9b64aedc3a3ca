//! A simulated speaker that keeps what it played, for tests to listen to.

use std::sync::Arc;

use super::recording::Recording;
use super::timeline::{index_at, time_of, Timeline};
use super::SimAudioError;
use crate::audio::{AudioFrame, Gain, PcmFormat, Speaker, Volume, VolumeControl};
use crate::error::ErrorType;
use crate::sim::waiter::Shared;
use crate::sim::SimClock;
use crate::time::{Clock, Duration, Timestamp};

/// How much a simulated speaker buffers: a write blocks while more than this is queued,
/// like a sound card's ring buffer (the ALSA backend's default is 40 ms too).
pub const SPEAKER_BUFFER: Duration = Duration::from_millis(40);

/// How much of what was played the probe keeps; older sound is forgotten, so a simulated
/// station can run for days (2 min of 48 kHz mono is 11 MiB).
pub const RECORDING_SPAN: Duration = Duration::from_secs(120);

#[derive(Debug)]
struct Played {
    timeline: Timeline,
    volume: Volume,
    muted: bool,
    unplugged: bool,
    underruns: u64,
    /// The station drained the speaker, so the silence that follows is not an underrun.
    drained: bool,
}

/// A simulated speaker: it plays in real time on the simulation clock.
///
/// A write is placed right after what is still queued, or now if the speaker ran dry; it
/// blocks (a manual clock skips ahead) while more than [`SPEAKER_BUFFER`] is queued. The
/// volume is applied in software with [`Gain`], so the probe hears what the visitor would.
#[derive(Debug)]
pub struct SimSpeaker {
    shared: Arc<Shared<Played>>,
    clock: SimClock,
    format: PcmFormat,
}

/// The visitor's ears in front of a [`SimSpeaker`], and a way to unplug it.
#[derive(Debug, Clone)]
pub struct SpeakerProbe {
    shared: Arc<Shared<Played>>,
    clock: SimClock,
    format: PcmFormat,
}

pub(super) fn pair(clock: SimClock, format: PcmFormat) -> (SimSpeaker, SpeakerProbe) {
    let shared = Arc::new(Shared::new(Played {
        timeline: Timeline::new(format.channels.count()),
        volume: Volume::default(),
        muted: false,
        unplugged: false,
        underruns: 0,
        drained: false,
    }));
    (
        SimSpeaker {
            shared: shared.clone(),
            clock: clock.clone(),
            format,
        },
        SpeakerProbe {
            shared,
            clock,
            format,
        },
    )
}

impl ErrorType for SimSpeaker {
    type Error = SimAudioError;
}

impl VolumeControl for SimSpeaker {
    fn volume(&mut self) -> Result<Volume, SimAudioError> {
        Ok(self.shared.lock().volume)
    }
    fn set_volume(&mut self, volume: Volume) -> Result<(), SimAudioError> {
        self.shared.update(|p| p.volume = volume);
        Ok(())
    }
    fn is_muted(&mut self) -> Result<bool, SimAudioError> {
        Ok(self.shared.lock().muted)
    }
    fn set_muted(&mut self, muted: bool) -> Result<(), SimAudioError> {
        self.shared.update(|p| p.muted = muted);
        Ok(())
    }
}

impl Speaker for SimSpeaker {
    fn format(&self) -> PcmFormat {
        self.format
    }

    fn write(&mut self, frame: &AudioFrame) -> Result<Timestamp, SimAudioError> {
        frame.check_format(self.format)?;
        let rate = self.format.rate.hz();
        let frames = frame.frames() as u64;
        let buffer = (self.format.frames_in(SPEAKER_BUFFER) as u64).max(frames);
        let shared = self.shared.clone();
        let mut played = shared.lock();
        let start = loop {
            if played.unplugged {
                return Err(SimAudioError::Disconnected("speaker"));
            }
            let now = index_at(self.clock.now(), rate);
            match played.timeline.end() {
                Some(end) if end >= now => {
                    if end - now + frames <= buffer {
                        break end;
                    }
                    let wake = time_of(end + frames - buffer, rate);
                    played = shared.wait_until(played, &self.clock, wake);
                }
                Some(_) => {
                    if !played.drained {
                        played.underruns += 1;
                    }
                    break now;
                }
                None => break now,
            }
        };
        let mut samples = frame.samples().to_vec();
        Gain::new(played.volume, played.muted).apply(&mut samples);
        played.timeline.push(start, &samples);
        played.drained = false;
        let span = self.format.frames_in(RECORDING_SPAN) as u64;
        if let Some(end) = played.timeline.end() {
            played
                .timeline
                .trim_before(end.saturating_sub(span), span / 4);
        }
        drop(played);
        shared.update(|_| ());
        Ok(time_of(start, rate))
    }

    fn drain(&mut self) -> Result<(), SimAudioError> {
        let rate = self.format.rate.hz();
        let shared = self.shared.clone();
        let mut played = shared.lock();
        loop {
            if played.unplugged {
                return Err(SimAudioError::Disconnected("speaker"));
            }
            let end = played.timeline.end().unwrap_or(0);
            if index_at(self.clock.now(), rate) >= end {
                played.drained = true;
                return Ok(());
            }
            played = shared.wait_until(played, &self.clock, time_of(end, rate));
        }
    }
}

impl SpeakerProbe {
    /// Everything played (up to [`RECORDING_SPAN`] back), including what is still queued.
    pub fn recording(&self) -> Recording {
        let played = self.shared.lock();
        let (Some(start), Some(end)) = (played.timeline.start(), played.timeline.end()) else {
            return Recording::new(self.format, 0, Vec::new());
        };
        let len = usize::try_from(end - start).unwrap_or(0) * self.format.channels.count();
        let mut samples = vec![0; len];
        played.timeline.read(start, &mut samples);
        Recording::new(self.format, start, samples)
    }

    /// The frequency heard most in the window; `None` if it was silent.
    pub fn dominant_frequency(&self, from: Timestamp, length: Duration) -> Option<f64> {
        self.recording().dominant_frequency(from, length)
    }

    /// The RMS level heard in the window (fraction of full scale).
    pub fn rms(&self, from: Timestamp, length: Duration) -> f64 {
        self.recording().rms(from, length)
    }

    /// When a `frequency` tone at least `min_level` loud was first heard.
    pub fn tone_onset(&self, frequency: f64, min_level: f64) -> Option<Timestamp> {
        self.recording().tone_onset(frequency, min_level)
    }

    /// When the speaker will have played everything written so far; `None` before the
    /// first write.
    pub fn playing_until(&self) -> Option<Timestamp> {
        let end = self.shared.lock().timeline.end()?;
        Some(time_of(end, self.format.rate.hz()))
    }

    /// Whether the speaker is playing at this moment (something is queued past now).
    pub fn is_playing(&self) -> bool {
        self.playing_until().is_some_and(|t| t > self.clock.now())
    }

    /// How often the speaker ran dry while the station was still writing.
    pub fn underruns(&self) -> u64 {
        self.shared.lock().underruns
    }

    /// The volume the station set.
    pub fn volume(&self) -> Volume {
        self.shared.lock().volume
    }

    /// Whether the station muted the speaker.
    pub fn is_muted(&self) -> bool {
        self.shared.lock().muted
    }

    /// Forgets what was played so far (the next recording starts afresh).
    pub fn clear(&self) {
        self.shared.update(|p| {
            if let Some(end) = p.timeline.end() {
                let now = index_at(self.clock.now(), self.format.rate.hz());
                p.timeline.trim_before(end.min(now), 0);
            }
        });
    }

    /// Pulls the speaker's cable: writes fail as disconnected.
    pub fn unplug(&self) {
        self.shared.update(|p| p.unplugged = true);
    }

    /// Plugs it back in.
    pub fn plug(&self) {
        self.shared.update(|p| p.unplugged = false);
    }
}
