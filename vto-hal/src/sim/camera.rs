//! A simulated camera: the moving [`TestPattern`] with the time overlay, in the requested
//! size and rate, timed by the simulation clock.
//!
//! Frame `n` of a stream is taken at `start + n × interval` on the [`SimClock`]; with a
//! manual clock, asking for a frame moves the clock to that instant, so tests see the same
//! timestamps and pictures every run. A consumer that falls behind a running clock loses
//! frames like on a real camera: the next frame is the latest one due, and the sequence
//! number shows the gap.
//!
//! The [`CameraProbe`] is the outside world: unplug the camera, let another program hold
//! it, count the frames delivered.

use std::sync::Arc;

use bytes::Bytes;

use super::waiter::Shared;
use super::SimClock;
use crate::camera::pattern::{Adjustments, TestPattern};
use crate::camera::{
    nearest_rate, snapshot, Camera, Control, Frame, FrameError, FrameRate, ImageControls, Mode,
    PixelFormat, Quality, Resolution, Scene, Setting, SnapshotError, StreamConfig, VideoStandard,
};
use crate::error::{Error, ErrorKind, ErrorType};
use crate::time::{Clock, Duration, Timestamp};

/// The rates the simulated camera offers at every size, fastest first.
const RATES: [u32; 7] = [30, 25, 20, 15, 10, 5, 1];

/// What a simulated camera reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimCameraError {
    /// The camera was unplugged ([`CameraProbe::unplug`]).
    #[error("simulated camera is disconnected")]
    Disconnected,
    /// Another program holds the camera ([`CameraProbe::occupy`]), or the stream runs.
    #[error("simulated camera is busy: {0}")]
    Busy(&'static str),
    /// The camera was built without this control.
    #[error("simulated camera has no {0} control")]
    Unsupported(Control),
    /// The format and size asked for are not among the camera's modes.
    #[error("simulated camera cannot deliver {0}; it offers YUYV and MJPEG at the manual's sizes")]
    NoSuchMode(StreamConfig),
    /// A frame was asked for while not streaming.
    #[error("simulated camera is not streaming")]
    NotStreaming,
    /// No frame within the timeout.
    #[error("no frame from the simulated camera within {0:?}")]
    Timeout(Duration),
    /// A frame the pattern generator made does not fit its own size (a bug).
    #[error("simulated camera made a bad frame: {0}")]
    Frame(#[from] FrameError),
    /// The MJPEG encoder failed.
    #[error("simulated camera could not encode its MJPEG frame: {0}")]
    Encode(#[from] SnapshotError),
}

impl Error for SimCameraError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Disconnected => ErrorKind::Disconnected,
            Self::Busy(_) => ErrorKind::Busy,
            Self::Unsupported(_) | Self::NoSuchMode(_) => ErrorKind::Unsupported,
            Self::NotStreaming => ErrorKind::InvalidConfig,
            Self::Timeout(_) => ErrorKind::Timeout,
            Self::Frame(_) | Self::Encode(_) => ErrorKind::Other,
        }
    }
}

/// The camera's side that the outside world changes.
#[derive(Debug, Default)]
struct World {
    unplugged: bool,
    occupied: bool,
    delivered: u64,
}

/// A simulated camera: YUYV or MJPEG at the manual's six sizes, 1 to 30 fps, with every
/// control of the manual unless built [`with_controls`](Self::with_controls) fewer.
#[derive(Debug)]
pub struct SimCamera {
    clock: SimClock,
    world: Arc<Shared<World>>,
    config: StreamConfig,
    controls: Vec<Control>,
    pattern: TestPattern,
    scene: Scene,
    standard: VideoStandard,
    stream: Option<Stream>,
}

#[derive(Debug, Clone, Copy)]
struct Stream {
    started: Timestamp,
    next: u64,
}

/// The outside world of a [`SimCamera`].
#[derive(Debug, Clone)]
pub struct CameraProbe {
    world: Arc<Shared<World>>,
}

impl SimCamera {
    /// A camera at 720P YUYV, 25 fps, stopped, with every control at its default.
    pub fn new(clock: SimClock) -> Self {
        let config = StreamConfig {
            format: PixelFormat::Yuyv,
            resolution: Resolution::P720,
            frame_rate: FrameRate::FPS_25,
        };
        Self {
            clock,
            world: Arc::new(Shared::new(World::default())),
            config,
            controls: Control::ALL.to_vec(),
            pattern: TestPattern::new(config.resolution),
            scene: Scene::Auto,
            standard: VideoStandard::Pal,
            stream: None,
        }
    }

    /// The same camera with only `controls`; the others are `Unsupported`, like a cheap
    /// sensor's.
    pub fn with_controls(mut self, controls: &[Control]) -> Self {
        self.controls = controls.to_vec();
        self
    }

    /// The handle to unplug, occupy and watch this camera.
    pub fn probe(&self) -> CameraProbe {
        CameraProbe {
            world: Arc::clone(&self.world),
        }
    }

    /// The picture the camera sends, with its current controls: tests compute expected
    /// pixels from it.
    pub fn pattern(&self) -> &TestPattern {
        &self.pattern
    }

    fn check_plugged(&self) -> Result<(), SimCameraError> {
        if self.world.lock().unplugged {
            return Err(SimCameraError::Disconnected);
        }
        Ok(())
    }

    fn check_supported(&self, control: Control) -> Result<(), SimCameraError> {
        if !self.controls.contains(&control) {
            return Err(SimCameraError::Unsupported(control));
        }
        Ok(())
    }

    fn render(&self, timestamp: Timestamp, sequence: u64) -> Result<Frame, SimCameraError> {
        let res = self.config.resolution;
        let yuyv = Bytes::from(self.pattern.render_yuyv(timestamp, sequence));
        // The pattern is built for its own size: the frame cannot be short.
        let frame = Frame::new(yuyv, PixelFormat::Yuyv, res, timestamp, sequence)?;
        match self.config.format {
            PixelFormat::Mjpeg => {
                let jpeg = snapshot(&frame, Quality::DEFAULT)?;
                Ok(Frame::new(
                    jpeg.into_bytes(),
                    PixelFormat::Mjpeg,
                    res,
                    timestamp,
                    sequence,
                )?)
            }
            _ => Ok(frame),
        }
    }
}

impl ErrorType for SimCamera {
    type Error = SimCameraError;
}

impl Camera for SimCamera {
    fn modes(&mut self) -> Result<Vec<Mode>, SimCameraError> {
        self.check_plugged()?;
        let rates: Vec<FrameRate> = RATES
            .iter()
            .filter_map(|&fps| FrameRate::per_second(fps).ok())
            .collect();
        Ok([PixelFormat::Mjpeg, PixelFormat::Yuyv]
            .into_iter()
            .flat_map(|format| {
                let rates = rates.clone();
                Resolution::MANUAL.into_iter().map(move |resolution| Mode {
                    format,
                    resolution,
                    frame_rates: rates.clone(),
                })
            })
            .collect())
    }

    fn configure(&mut self, config: &StreamConfig) -> Result<StreamConfig, SimCameraError> {
        self.check_plugged()?;
        if self.stream.is_some() {
            return Err(SimCameraError::Busy("stop streaming before configuring"));
        }
        let modes = self.modes()?;
        let mode = modes
            .iter()
            .find(|m| m.matches(config))
            .ok_or(SimCameraError::NoSuchMode(*config))?;
        let applied = StreamConfig {
            frame_rate: nearest_rate(&mode.frame_rates, config.frame_rate),
            ..*config
        };
        self.config = applied;
        let mut pattern = TestPattern::new(applied.resolution);
        pattern.adjustments = self.pattern.adjustments;
        pattern.mirror = self.pattern.mirror;
        pattern.flip = self.pattern.flip;
        pattern.display_time = self.pattern.display_time;
        self.pattern = pattern;
        Ok(applied)
    }

    fn config(&mut self) -> Result<StreamConfig, SimCameraError> {
        self.check_plugged()?;
        Ok(self.config)
    }

    fn start(&mut self) -> Result<(), SimCameraError> {
        self.check_plugged()?;
        if self.stream.is_some() {
            return Ok(());
        }
        if self.world.lock().occupied {
            return Err(SimCameraError::Busy("another program is streaming from it"));
        }
        self.stream = Some(Stream {
            started: self.clock.now(),
            next: 0,
        });
        Ok(())
    }

    fn stop(&mut self) -> Result<(), SimCameraError> {
        self.stream = None;
        self.check_plugged()
    }

    fn frame(&mut self, timeout: Duration) -> Result<Frame, SimCameraError> {
        let Some(stream) = self.stream else {
            return Err(SimCameraError::NotStreaming);
        };
        self.check_plugged()?;
        let interval = self.config.frame_rate.interval();
        let frame_time = |n: u64| {
            let nanos = interval.as_nanos().saturating_mul(u128::from(n));
            stream.started + Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
        };
        let now = self.clock.now();
        // A consumer that fell behind gets the latest frame due, not a backlog.
        let elapsed = now - stream.started;
        let latest =
            u64::try_from(elapsed.as_nanos() / interval.as_nanos().max(1)).unwrap_or(u64::MAX);
        let sequence = if frame_time(stream.next) < now {
            stream.next.max(latest)
        } else {
            stream.next
        };
        let due = frame_time(sequence);
        let deadline = now + timeout;
        let mut world = self.world.lock();
        loop {
            if world.unplugged {
                return Err(SimCameraError::Disconnected);
            }
            let now = self.clock.now();
            if now >= due {
                break;
            }
            if now >= deadline {
                return Err(SimCameraError::Timeout(timeout));
            }
            // A manual clock jumps to the frame, or to the deadline if that comes first.
            world = self.world.wait_until(world, &self.clock, due.min(deadline));
        }
        world.delivered += 1;
        drop(world);
        self.stream = Some(Stream {
            next: sequence + 1,
            ..stream
        });
        self.render(due, sequence)
    }

    fn reopen(&mut self) -> Result<(), SimCameraError> {
        self.stream = None;
        self.check_plugged()
    }
}

impl ImageControls for SimCamera {
    fn supports(&mut self, control: Control) -> Result<bool, SimCameraError> {
        self.check_plugged()?;
        Ok(self.controls.contains(&control))
    }

    fn get(&mut self, control: Control) -> Result<Setting, SimCameraError> {
        self.check_plugged()?;
        self.check_supported(control)?;
        let a = &self.pattern.adjustments;
        Ok(match control {
            Control::Brightness => Setting::Brightness(a.brightness),
            Control::Contrast => Setting::Contrast(a.contrast),
            Control::Hue => Setting::Hue(a.hue),
            Control::Saturation => Setting::Saturation(a.saturation),
            Control::Gamma => Setting::Gamma(a.gamma),
            Control::Gain => Setting::Gain(a.gain),
            Control::Mirror => Setting::Mirror(self.pattern.mirror),
            Control::Flip => Setting::Flip(self.pattern.flip),
            Control::Scene => Setting::Scene(self.scene),
            Control::VideoStandard => Setting::VideoStandard(self.standard),
            Control::DisplayTime => Setting::DisplayTime(self.pattern.display_time),
        })
    }

    fn set(&mut self, setting: Setting) -> Result<Setting, SimCameraError> {
        self.check_plugged()?;
        self.check_supported(setting.control())?;
        let a: &mut Adjustments = &mut self.pattern.adjustments;
        match setting {
            Setting::Brightness(l) => a.brightness = l,
            Setting::Contrast(l) => a.contrast = l,
            Setting::Hue(l) => a.hue = l,
            Setting::Saturation(l) => a.saturation = l,
            Setting::Gamma(l) => a.gamma = l,
            Setting::Gain(l) => a.gain = l,
            Setting::Mirror(on) => self.pattern.mirror = on,
            Setting::Flip(on) => self.pattern.flip = on,
            Setting::Scene(s) => self.scene = s,
            Setting::VideoStandard(s) => self.standard = s,
            Setting::DisplayTime(on) => self.pattern.display_time = on,
        }
        Ok(setting)
    }
}

impl CameraProbe {
    /// Pulls the cable: every call fails with `Disconnected` until [`plug`](Self::plug),
    /// and a waiting [`frame`](Camera::frame) call returns.
    pub fn unplug(&self) {
        self.world.update(|w| w.unplugged = true);
    }

    /// Plugs the camera back in; the station must [`reopen`](Camera::reopen) it.
    pub fn plug(&self) {
        self.world.update(|w| w.unplugged = false);
    }

    /// Another program takes the camera: starting a stream fails with `Busy`.
    pub fn occupy(&self) {
        self.world.update(|w| w.occupied = true);
    }

    /// The other program lets go.
    pub fn release(&self) {
        self.world.update(|w| w.occupied = false);
    }

    /// Frames delivered so far.
    pub fn frames_delivered(&self) -> u64 {
        self.world.lock().delivered
    }
}
