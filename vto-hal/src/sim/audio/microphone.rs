//! A simulated microphone, and the visitor (or test) in front of it.

use std::sync::Arc;

use super::timeline::{captured_by, index_at, time_of, Timeline};
use super::SimAudioError;
use crate::audio::wav::{self, WavError};
use crate::audio::{
    AudioFrame, Converter, Gain, Microphone, PcmFormat, Tone, Volume, VolumeControl,
};
use crate::error::ErrorType;
use crate::sim::waiter::Shared;
use crate::sim::SimClock;
use crate::time::{Clock, Duration, Timestamp};

/// How much a simulated microphone buffers: a reader that falls further behind loses the
/// oldest samples (an overrun), as with a sound card.
pub const MICROPHONE_BUFFER: Duration = Duration::from_millis(100);

#[derive(Debug)]
struct Air {
    /// What will reach the microphone, and when.
    sounds: Timeline,
    /// The next sample the station reads; `None` until the stream starts with a read.
    position: Option<u64>,
    volume: Volume,
    muted: bool,
    unplugged: bool,
    overruns: u64,
}

/// A simulated microphone: it captures in real time on the simulation clock.
///
/// The stream starts with the first read. A read returns once its last sample has been
/// captured (a manual clock skips ahead to that moment), stamped with the time of its first
/// sample. Sound is whatever the [`MicrophoneFeed`] put in the air at that time, silence
/// otherwise, with the volume applied in software.
#[derive(Debug)]
pub struct SimMicrophone {
    shared: Arc<Shared<Air>>,
    clock: SimClock,
    format: PcmFormat,
}

/// The sound in front of a [`SimMicrophone`]: tones, recorded speech, pauses, one after the
/// other; and a way to unplug it.
#[derive(Debug, Clone)]
pub struct MicrophoneFeed {
    shared: Arc<Shared<Air>>,
    clock: SimClock,
    format: PcmFormat,
}

pub(super) fn pair(clock: SimClock, format: PcmFormat) -> (SimMicrophone, MicrophoneFeed) {
    let shared = Arc::new(Shared::new(Air {
        sounds: Timeline::new(format.channels.count()),
        position: None,
        volume: Volume::default(),
        muted: false,
        unplugged: false,
        overruns: 0,
    }));
    (
        SimMicrophone {
            shared: shared.clone(),
            clock: clock.clone(),
            format,
        },
        MicrophoneFeed {
            shared,
            clock,
            format,
        },
    )
}

impl ErrorType for SimMicrophone {
    type Error = SimAudioError;
}

impl VolumeControl for SimMicrophone {
    fn volume(&mut self) -> Result<Volume, SimAudioError> {
        Ok(self.shared.lock().volume)
    }
    fn set_volume(&mut self, volume: Volume) -> Result<(), SimAudioError> {
        self.shared.update(|a| a.volume = volume);
        Ok(())
    }
    fn is_muted(&mut self) -> Result<bool, SimAudioError> {
        Ok(self.shared.lock().muted)
    }
    fn set_muted(&mut self, muted: bool) -> Result<(), SimAudioError> {
        self.shared.update(|a| a.muted = muted);
        Ok(())
    }
}

impl Microphone for SimMicrophone {
    fn format(&self) -> PcmFormat {
        self.format
    }

    fn read(&mut self, frame: &mut AudioFrame) -> Result<(), SimAudioError> {
        frame.check_format(self.format)?;
        let rate = self.format.rate.hz();
        let frames = frame.frames() as u64;
        let buffer = (self.format.frames_in(MICROPHONE_BUFFER) as u64).max(frames);
        let shared = self.shared.clone();
        let mut air = shared.lock();
        let start = loop {
            if air.unplugged {
                // Like a real card, an unplugged microphone ends the stream.
                air.position = None;
                return Err(SimAudioError::Disconnected("microphone"));
            }
            let now = self.clock.now();
            let captured = captured_by(now, rate);
            let mut pos = *air.position.get_or_insert(index_at(now, rate));
            if captured.saturating_sub(pos) > buffer {
                // The station fell behind: the oldest samples were overwritten.
                air.overruns += 1;
                pos = captured - frames;
                air.position = Some(pos);
            }
            if captured >= pos + frames {
                break pos;
            }
            air = shared.wait_until(air, &self.clock, time_of(pos + frames, rate));
        };
        air.sounds.read(start, frame.samples_mut());
        Gain::new(air.volume, air.muted).apply(frame.samples_mut());
        frame.set_timestamp(time_of(start, rate));
        air.position = Some(start + frames);
        air.sounds.forget_before(start + frames);
        Ok(())
    }
}

impl MicrophoneFeed {
    /// Where the next sound goes: after what is queued, or now.
    fn next_start(&self, air: &Air) -> u64 {
        let now = index_at(self.clock.now(), self.format.rate.hz());
        air.sounds.end().map_or(now, |end| end.max(now))
    }

    /// Puts interleaved `samples` in `format` in the air after what is already queued (or
    /// now), converted to the microphone's format; returns when they start.
    pub fn play(&self, format: PcmFormat, samples: &[i16]) -> Timestamp {
        let converted;
        let samples = if format == self.format {
            samples
        } else {
            converted = Converter::convert_all(format, self.format, samples);
            &converted[..]
        };
        self.shared.update(|air| {
            let start = self.next_start(air);
            air.sounds.push(start, samples);
            time_of(start, self.format.rate.hz())
        })
    }

    /// A tone for `duration`, after what is queued; returns when it starts.
    pub fn play_tone(&self, tone: Tone, duration: Duration) -> Timestamp {
        self.play(self.format, &tone.samples(self.format, duration))
    }

    /// Recorded speech (or any sound) from a WAV file, after what is queued; returns when
    /// it starts.
    pub fn play_wav(&self, file: &[u8]) -> Result<Timestamp, WavError> {
        let wav = wav::parse(file)?;
        Ok(self.play(self.format, &wav.convert_to(self.format)))
    }

    /// Silence for `duration` before the next sound.
    pub fn pause(&self, duration: Duration) {
        let silence = vec![0; self.format.samples_in(duration)];
        self.play(self.format, &silence);
    }

    /// When everything queued will have reached the microphone.
    pub fn idle_at(&self) -> Timestamp {
        let air = self.shared.lock();
        time_of(self.next_start(&air), self.format.rate.hz())
    }

    /// How often the station read too late and lost samples.
    pub fn overruns(&self) -> u64 {
        self.shared.lock().overruns
    }

    /// The volume the station set.
    pub fn volume(&self) -> Volume {
        self.shared.lock().volume
    }

    /// Whether the station muted the microphone.
    pub fn is_muted(&self) -> bool {
        self.shared.lock().muted
    }

    /// Pulls the microphone's cable: reads fail as disconnected.
    pub fn unplug(&self) {
        self.shared.update(|a| a.unplugged = true);
    }

    /// Plugs it back in; the next read starts a new stream.
    pub fn plug(&self) {
        self.shared.update(|a| a.unplugged = false);
    }
}
