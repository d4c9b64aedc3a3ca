//! One open PCM stream: hw/sw parameters, blocking I/O with a timeout, xrun recovery.
//!
//! The PCM is opened non-blocking, so that opening a device another program holds fails at
//! once with `EBUSY` instead of waiting for it (the kernel would otherwise sleep in open),
//! and so that every wait goes through `snd_pcm_wait` with the configured timeout: a card
//! whose clock stopped gives [`AlsaError::Timeout`], never a hung thread.

use ::alsa::pcm::{Access, Format, Frames, HwParams, State, PCM};
use ::alsa::{Direction, ValueOr};

use super::config::{AlsaConfig, BufferSizes, MixerChoice, PERIODS_RANGE, PERIOD_RANGE};
use super::error::{is_gone, AlsaError, EAGAIN, ENODEV, EPIPE, ESTRPIPE};
use super::PcmClock;
use crate::audio::convert::upmix;
use crate::audio::{Channels, PcmFormat};
use crate::time::{Clock, Duration, Timestamp};

/// How often a suspended device (system sleep) is asked to resume before it is prepared
/// afresh.
const RESUME_TRIES: u32 = 20;

pub(super) struct Stream {
    pcm: PCM,
    device: String,
    direction: Direction,
    /// What the caller streams.
    format: PcmFormat,
    /// What the device runs at: the caller's channels, or stereo for a card that refuses
    /// mono (samples are duplicated or averaged on the way).
    device_channels: Channels,
    sizes: BufferSizes,
    timeout: Duration,
    xruns: u64,
    /// Samples in the device's channel layout.
    scratch: Vec<i16>,
}

impl core::fmt::Debug for Stream {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Stream")
            .field("device", &self.device)
            .field("direction", &self.stream_name())
            .field("format", &self.format)
            .field("device_channels", &self.device_channels)
            .field("sizes", &self.sizes)
            .field("xruns", &self.xruns)
            .finish_non_exhaustive()
    }
}

fn stream_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Playback => "playback",
        Direction::Capture => "capture",
    }
}

/// Checks the parts of the configuration that do not need the device.
pub(super) fn validate(config: &AlsaConfig) -> Result<(), AlsaError> {
    let bad = |reason: String| AlsaError::Config {
        device: config.device.clone(),
        reason,
    };
    if config.device.is_empty() || config.device.contains('\0') {
        return Err(bad(
            "a device name must be non-empty and without NUL bytes".into()
        ));
    }
    if let MixerChoice::Control(name) = &config.mixer {
        if name.is_empty() || name.contains('\0') {
            return Err(bad(format!(
                "mixer control {name:?} must be non-empty and without NUL bytes"
            )));
        }
    }
    if !PERIOD_RANGE.contains(&config.period) {
        return Err(bad(format!(
            "period {} µs is outside 1000..=500000 µs",
            config.period.as_micros()
        )));
    }
    if !PERIODS_RANGE.contains(&config.periods) {
        return Err(bad(format!(
            "{} periods per buffer is outside 2..=32",
            config.periods
        )));
    }
    if config.timeout < config.buffer() || config.timeout > Duration::from_secs(60) {
        return Err(bad(format!(
            "timeout {} ms must be at least the buffer ({} ms) and at most 60000 ms",
            config.timeout.as_millis(),
            config.buffer().as_millis()
        )));
    }
    Ok(())
}

impl Stream {
    pub(super) fn open(config: &AlsaConfig, direction: Direction) -> Result<Self, AlsaError> {
        validate(config)?;
        let device = config.device.clone();
        let pcm = PCM::new(&device, direction, true).map_err(|cause| AlsaError::Open {
            device: device.clone(),
            stream: stream_name(direction),
            cause,
        })?;
        let (device_channels, sizes) = set_hw_params(&pcm, config)?;
        set_sw_params(&pcm, &device, direction, sizes)?;
        Ok(Self {
            pcm,
            device,
            direction,
            format: config.format,
            device_channels,
            sizes,
            timeout: config.timeout,
            xruns: 0,
            scratch: Vec::new(),
        })
    }

    fn stream_name(&self) -> &'static str {
        stream_name(self.direction)
    }

    pub(super) fn sizes(&self) -> BufferSizes {
        self.sizes
    }

    pub(super) fn device_channels(&self) -> Channels {
        self.device_channels
    }

    pub(super) fn xruns(&self) -> u64 {
        self.xruns
    }

    /// The card number behind the PCM, if it is a hardware device (not a plugin like
    /// `null`), for its mixer.
    pub(super) fn card(&self) -> Option<i32> {
        let card = self.pcm.info().ok()?.get_card();
        (card >= 0).then_some(card)
    }

    fn io_error(&self, op: &'static str, cause: ::alsa::Error) -> AlsaError {
        AlsaError::Io {
            device: self.device.clone(),
            op,
            cause,
        }
    }

    /// Brings the stream back after an xrun or a system suspend; the error if that is not
    /// what happened or recovery failed.
    fn recover(&mut self, err: ::alsa::Error, op: &'static str) -> Result<(), AlsaError> {
        match err.errno() {
            EPIPE => {
                self.xruns += 1;
                self.pcm
                    .prepare()
                    .map_err(|e| self.io_error("xrun recovery", e))
            }
            ESTRPIPE => {
                for _ in 0..RESUME_TRIES {
                    match self.pcm.resume() {
                        Ok(()) => return Ok(()),
                        Err(e) if e.errno() == EAGAIN => {
                            std::thread::sleep(Duration::from_millis(10));
                        }
                        Err(_) => break,
                    }
                }
                self.pcm.prepare().map_err(|e| self.io_error("resume", e))
            }
            _ => Err(self.io_error(op, err)),
        }
    }

    /// Waits until the device can take or give at least one period, or the timeout.
    fn wait(&mut self, op: &'static str) -> Result<(), AlsaError> {
        let ms = u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX);
        match self.pcm.wait(Some(ms)) {
            Ok(true) => Ok(()),
            Ok(false) => Err(AlsaError::Timeout {
                device: self.device.clone(),
                waited: self.timeout,
            }),
            Err(e) => self.recover(e, op),
        }
    }

    /// Puts a stream that was drained or stopped back in the prepared state.
    fn ensure_prepared(&mut self) -> Result<(), AlsaError> {
        match self.pcm.state() {
            State::XRun => {
                // The station stalled between two calls and the device ran dry or over.
                self.xruns += 1;
                self.pcm.prepare().map_err(|e| self.io_error("prepare", e))
            }
            State::Setup | State::Open => {
                self.pcm.prepare().map_err(|e| self.io_error("prepare", e))
            }
            State::Disconnected => {
                Err(self.io_error("stream", ::alsa::Error::new("snd_pcm_state", ENODEV)))
            }
            _ => Ok(()),
        }
    }

    /// Plays interleaved `samples` in the caller's format, applying `gain`; returns when the
    /// first of them will be heard.
    pub(super) fn write(
        &mut self,
        samples: &[i16],
        gain: crate::audio::Gain,
    ) -> Result<Timestamp, AlsaError> {
        self.ensure_prepared()?;
        let mut scratch = core::mem::take(&mut self.scratch);
        scratch.clear();
        if self.device_channels == self.format.channels {
            scratch.extend_from_slice(samples);
        } else {
            upmix(samples, &mut scratch);
        }
        gain.apply(&mut scratch);
        let result = self.write_device(&scratch);
        self.scratch = scratch;
        result
    }

    fn write_device(&mut self, data: &[i16]) -> Result<Timestamp, AlsaError> {
        let ch = self.device_channels.count();
        let frames = data.len() / ch;
        let mut done = 0;
        let mut first: Option<Timestamp> = None;
        while done < frames {
            let written = {
                let io = self.pcm.io_i16().map_err(|e| self.io_error("write", e))?;
                io.writei(&data[done * ch..])
            };
            match written {
                Ok(n) => {
                    if first.is_none() {
                        // Everything queued before this write plays first.
                        let written = frames_of(n);
                        let queued = self.pcm.delay().unwrap_or(written).max(written);
                        let ahead = u64::try_from(queued - written).unwrap_or(0);
                        first = Some(PcmClock.now() + self.duration_of(ahead));
                    }
                    done += n;
                }
                Err(e) if e.errno() == EAGAIN => self.wait("write")?,
                Err(e) if is_gone(e.errno()) => return Err(self.io_error("write", e)),
                Err(e) => {
                    // An underrun: the samples written before it were played or dropped;
                    // write the rest after recovering.
                    self.recover(e, "write")?;
                }
            }
        }
        Ok(first.unwrap_or_else(|| PcmClock.now()))
    }

    /// Fills `samples` (the caller's format) and returns when the first was captured.
    pub(super) fn read(&mut self, samples: &mut [i16]) -> Result<Timestamp, AlsaError> {
        self.ensure_prepared()?;
        if self.pcm.state() == State::Prepared {
            self.pcm.start().map_err(|e| self.io_error("start", e))?;
        }
        let ch = self.device_channels.count();
        let frames = samples.len() / self.format.channels.count();
        let mut scratch = core::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.resize(frames * ch, 0);
        let result = self.read_device(&mut scratch, frames);
        if result.is_ok() {
            if self.device_channels == self.format.channels {
                samples.copy_from_slice(&scratch[..samples.len()]);
            } else {
                // A stereo-only card: the average of left and right, as `downmix` does.
                for (out, lr) in samples.iter_mut().zip(scratch.chunks_exact(2)) {
                    *out = ((i32::from(lr[0]) + i32::from(lr[1])) >> 1) as i16;
                }
            }
        }
        self.scratch = scratch;
        result
    }

    fn read_device(&mut self, data: &mut [i16], frames: usize) -> Result<Timestamp, AlsaError> {
        let ch = self.device_channels.count();
        let mut done = 0;
        while done < frames {
            let read = {
                let io = self.pcm.io_i16().map_err(|e| self.io_error("read", e))?;
                io.readi(&mut data[done * ch..frames * ch])
            };
            match read {
                Ok(0) => self.wait("read")?,
                Ok(n) => done += n,
                Err(e) if e.errno() == EAGAIN => self.wait("read")?,
                Err(e) if is_gone(e.errno()) => return Err(self.io_error("read", e)),
                Err(e) => {
                    // An overrun: what was read so far no longer joins what comes next, so
                    // the frame starts again after the gap.
                    self.recover(e, "read")?;
                    self.pcm.start().map_err(|e| self.io_error("start", e))?;
                    done = 0;
                }
            }
        }
        // Samples still waiting in the buffer were captured after this frame.
        let waiting = u64::try_from(self.pcm.delay().unwrap_or(0).max(0)).unwrap_or(0);
        let back = self.duration_of(waiting + frames as u64);
        let now = PcmClock.now();
        Ok(Timestamp::from_nanos(now.as_nanos().saturating_sub(
            u64::try_from(back.as_nanos()).unwrap_or(u64::MAX),
        )))
    }

    /// Blocks until everything written has been played (bounded by the timeout plus the
    /// buffer).
    pub(super) fn drain(&mut self) -> Result<(), AlsaError> {
        if self.pcm.state() != State::Running && self.pcm.state() != State::Prepared {
            return Ok(());
        }
        match self.pcm.drain() {
            Ok(()) => return Ok(()),
            Err(e) if e.errno() == EAGAIN => {}
            Err(e) if e.errno() == EPIPE => {
                // It ran dry while draining: everything has been played.
                return self.pcm.prepare().map_err(|e| self.io_error("prepare", e));
            }
            Err(e) => return Err(self.io_error("drain", e)),
        }
        // Non-blocking drain: the card plays out in the background; poll its state.
        let deadline = PcmClock.now() + self.timeout + self.sizes.buffer();
        let step = self.sizes.period().max(Duration::from_millis(1));
        while self.pcm.state() == State::Draining {
            if PcmClock.now() > deadline {
                return Err(AlsaError::Timeout {
                    device: self.device.clone(),
                    waited: self.timeout,
                });
            }
            std::thread::sleep(step);
        }
        Ok(())
    }

    fn duration_of(&self, frames: u64) -> Duration {
        let nanos = u128::from(frames) * 1_000_000_000 / u128::from(self.sizes.rate.max(1));
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// A count of sample frames as alsa-lib's `snd_pcm_sframes_t` (a C `long`: 32 bits on the
/// armv7 Pis, 64 on aarch64), saturating.
fn frames_of(n: usize) -> Frames {
    Frames::try_from(n).unwrap_or(Frames::MAX)
}

fn set_hw_params(pcm: &PCM, config: &AlsaConfig) -> Result<(Channels, BufferSizes), AlsaError> {
    let device = &config.device;
    let setup = |op, cause| AlsaError::Setup {
        device: device.clone(),
        op,
        cause,
    };
    let unsupported = |what: String, offers: String| AlsaError::Unsupported {
        device: device.clone(),
        what,
        offers,
    };
    let hw = HwParams::any(pcm).map_err(|e| setup("reading hardware parameters", e))?;
    hw.set_access(Access::RWInterleaved)
        .map_err(|_| unsupported("interleaved read/write access".into(), String::new()))?;
    hw.set_format(Format::s16()).map_err(|_| {
        unsupported(
            "signed 16-bit samples".into(),
            " (use the plughw: device to convert)".into(),
        )
    })?;
    let wanted = config.format.channels;
    let channels = if hw.set_channels(wanted.count() as u32).is_ok() {
        wanted
    } else if wanted == Channels::Mono && hw.set_channels(2).is_ok() {
        // Many codecs only run stereo: the station's mono is duplicated / averaged.
        Channels::Stereo
    } else {
        let offers = match (hw.get_channels_min(), hw.get_channels_max()) {
            (Ok(a), Ok(b)) => format!(" (it offers {a}..={b} channels)"),
            _ => String::new(),
        };
        return Err(unsupported(format!("{wanted} audio"), offers));
    };
    let rate = config.format.rate.hz();
    if hw.set_rate(rate, ValueOr::Nearest).is_err() {
        let offers = match (hw.get_rate_min(), hw.get_rate_max()) {
            (Ok(a), Ok(b)) => format!(" (it offers {a}..={b} Hz; plughw: resamples)"),
            _ => String::new(),
        };
        return Err(unsupported(format!("{rate} Hz"), offers));
    }
    let period = frames_of(config.format.frames_in(config.period).max(1));
    let period = hw
        .set_period_size_near(period, ValueOr::Nearest)
        .map_err(|e| setup("setting the period size", e))?;
    let buffer = hw
        .set_buffer_size_near(period.saturating_mul(Frames::from(
            u8::try_from(config.periods).unwrap_or(u8::MAX),
        )))
        .map_err(|e| setup("setting the buffer size", e))?;
    pcm.hw_params(&hw)
        .map_err(|e| setup("applying hardware parameters", e))?;
    let sizes = BufferSizes {
        period_frames: usize::try_from(period).unwrap_or(1).max(1),
        buffer_frames: usize::try_from(buffer).unwrap_or(1).max(1),
        rate,
    };
    Ok((channels, sizes))
}

fn set_sw_params(
    pcm: &PCM,
    device: &str,
    direction: Direction,
    sizes: BufferSizes,
) -> Result<(), AlsaError> {
    let setup = |op, cause| AlsaError::Setup {
        device: device.to_owned(),
        op,
        cause,
    };
    let sw = pcm
        .sw_params_current()
        .map_err(|e| setup("reading software parameters", e))?;
    let period = frames_of(sizes.period_frames);
    let buffer = frames_of(sizes.buffer_frames);
    let start = match direction {
        // Start once all but one period is queued: a cushion against the next write being
        // a little late, without waiting for a full buffer.
        Direction::Playback => (buffer - period).max(period),
        // Capture is started explicitly by the first read.
        Direction::Capture => 1,
    };
    sw.set_start_threshold(start)
        .map_err(|e| setup("setting the start threshold", e))?;
    sw.set_avail_min(period)
        .map_err(|e| setup("setting avail_min", e))?;
    pcm.sw_params(&sw)
        .map_err(|e| setup("applying software parameters", e))?;
    Ok(())
}
