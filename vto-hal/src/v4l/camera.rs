//! A V4L2 capture device with memory-mapped streaming.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use v4l::buffer::{Flags as BufferFlags, Type as BufferType};
use v4l::control::{Control as V4lControl, Value};
use v4l::frameinterval::FrameIntervalEnum;
use v4l::framesize::FrameSizeEnum;
use v4l::io::mmap::Stream;
use v4l::io::traits::{CaptureStream, Stream as _};
use v4l::video::capture::Parameters;
use v4l::video::Capture;
use v4l::{Device, Format, FourCC, Fraction};

use super::controls::{self, ControlInfo, ControlKind};
use super::error::{describe_modes, FrameProblem, V4lError};
use crate::camera::{
    nearest_rate, Camera, Control, Frame, FrameRate, ImageControls, Level, Mode, PixelFormat,
    Resolution, Scene, Setting, StreamConfig, VideoStandard,
};
use crate::error::ErrorType;
use crate::time::{Duration, Timestamp};

/// Buffers queued to the driver: one being filled, one waiting, one with us, one spare,
/// so a slow reader costs dropped frames rather than a stalled sensor.
const BUFFERS: u32 = 4;

/// Rates tried on drivers that give a continuous or stepwise interval range.
const STANDARD_RATES: [u32; 9] = [60, 50, 30, 25, 20, 15, 10, 5, 1];

/// A V4L2 camera (`/dev/videoN`): USB webcams through uvcvideo, the Pi's camera through
/// its ISP's capture node, the kernel's vivid test driver.
///
/// Frames are captured through mmap streaming. The v4l crate gives the driver's buffer back
/// on the next dequeue, so each frame is copied once into its own [`Bytes`]; everything
/// after that (streaming, recording, snapshots) shares that copy.
pub struct V4lCamera {
    path: PathBuf,
    name: String,
    /// `None` after a reopen that failed: the old handle is closed first, so that the
    /// kernel can give the returning device its old node number.
    device: Option<Device>,
    config: Option<StreamConfig>,
    stride: u32,
    stream: Option<Stream<'static>>,
    /// Settings made through this handle, replayed by [`reopen`](Camera::reopen).
    settings: Vec<Setting>,
}

impl core::fmt::Debug for V4lCamera {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("V4lCamera")
            .field("path", &self.path)
            .field("config", &self.config)
            .field("streaming", &self.stream.is_some())
            .finish_non_exhaustive()
    }
}

impl V4lCamera {
    /// Opens the capture device at `path` (e.g. `/dev/video0`), keeping the format the
    /// driver currently has. A missing node is `Disconnected`: for a station, a camera
    /// that is not there is one that was unplugged.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, V4lError> {
        let path = path.as_ref().to_path_buf();
        let name = path.display().to_string();
        let device = open_device(&path, &name)?;
        let mut cam = Self {
            path,
            name,
            device: Some(device),
            config: None,
            stride: 0,
            stream: None,
            settings: Vec::new(),
        };
        cam.read_config()?;
        Ok(cam)
    }

    /// The device node.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open device, or `Disconnected` after a reopen that failed.
    fn dev(&self) -> Result<&Device, V4lError> {
        const ENODEV: i32 = 19;
        self.device.as_ref().ok_or_else(|| V4lError::Disconnected {
            device: self.name.clone(),
            op: "closed after a failed reopen",
            source: std::io::Error::from_raw_os_error(ENODEV),
        })
    }

    fn io(&self, op: &'static str) -> impl FnOnce(std::io::Error) -> V4lError + '_ {
        move |e| V4lError::from_io(&self.name, op, e)
    }

    /// Reads the driver's current format and rate.
    fn read_config(&mut self) -> Result<(), V4lError> {
        let fmt = self.dev()?.format().map_err(self.io("VIDIOC_G_FMT"))?;
        let params = self.dev()?.params().map_err(self.io("VIDIOC_G_PARM"))?;
        self.stride = fmt.stride;
        self.config = match (
            PixelFormat::from_fourcc(fmt.fourcc.repr),
            Resolution::new(fmt.width, fmt.height),
        ) {
            (Some(format), Ok(resolution)) => Some(StreamConfig {
                format,
                resolution,
                frame_rate: rate_of(params.interval),
            }),
            _ => None,
        };
        Ok(())
    }

    fn stream_off(&mut self) -> Result<(), V4lError> {
        let Some(mut stream) = self.stream.take() else {
            return Ok(());
        };
        match stream.stop() {
            Ok(()) => Ok(()),
            // The device is gone: dropping the stream unmaps the buffers and ignores ENODEV.
            Err(e) if e.raw_os_error() == Some(19) => {
                Err(V4lError::from_io(&self.name, "VIDIOC_STREAMOFF", e))
            }
            Err(e) => {
                // The v4l crate panics when a stream it cannot stop is dropped; keep the
                // buffers mapped (a leak until the process ends) rather than abort.
                std::mem::forget(stream);
                Err(V4lError::from_io(&self.name, "VIDIOC_STREAMOFF", e))
            }
        }
    }

    fn control_info(&self, cid: u32) -> Result<Option<ControlInfo>, V4lError> {
        controls::query(self.dev()?.handle().fd(), cid).map_err(self.io("VIDIOC_QUERY_EXT_CTRL"))
    }

    fn read_control(&self, cid: u32) -> Result<i64, V4lError> {
        let c = self
            .dev()?
            .control(cid)
            .map_err(self.io("VIDIOC_G_EXT_CTRLS"))?;
        Ok(match c.value {
            Value::Integer(v) => v,
            Value::Boolean(b) => i64::from(b),
            _ => 0,
        })
    }

    fn write_control(&self, cid: u32, info: ControlInfo, value: i64) -> Result<(), V4lError> {
        let value = match info.kind {
            ControlKind::Boolean => Value::Boolean(value != 0),
            ControlKind::Integer | ControlKind::Menu => Value::Integer(value),
        };
        self.dev()?
            .set_control(V4lControl { id: cid, value })
            .map_err(self.io("VIDIOC_S_EXT_CTRLS"))
    }

    fn unsupported(&self, control: Control) -> V4lError {
        V4lError::Unsupported {
            device: self.name.clone(),
            control,
        }
    }

    /// The control's info, or `Unsupported`.
    fn require(&self, control: Control, cid: u32) -> Result<ControlInfo, V4lError> {
        self.control_info(cid)?
            .ok_or_else(|| self.unsupported(control))
    }

    fn get_scene(&self) -> Result<Scene, V4lError> {
        let blc = self.control_info(controls::BACKLIGHT_COMPENSATION)?;
        let wdr = self.control_info(controls::WIDE_DYNAMIC_RANGE)?;
        let exposure = self.control_info(controls::EXPOSURE_AUTO)?;
        if blc.is_none() && wdr.is_none() && exposure.is_none() {
            return Err(self.unsupported(Control::Scene));
        }
        if wdr.is_some() && self.read_control(controls::WIDE_DYNAMIC_RANGE)? != 0 {
            return Ok(Scene::Wdr);
        }
        if let Some(blc) = blc {
            if self.read_control(controls::BACKLIGHT_COMPENSATION)? > blc.range.min() {
                return Ok(Scene::Blc);
            }
        }
        Ok(Scene::Auto)
    }

    /// Auto: automatic exposure, compensations off. BLC: compensation at its strongest.
    /// WDR: the WDR switch on. Each only where the device has the control.
    fn set_scene(&self, scene: Scene) -> Result<(), V4lError> {
        let blc = self.control_info(controls::BACKLIGHT_COMPENSATION)?;
        let wdr = self.control_info(controls::WIDE_DYNAMIC_RANGE)?;
        let exposure = self.control_info(controls::EXPOSURE_AUTO)?;
        let possible = match scene {
            Scene::Auto => blc.is_some() || wdr.is_some() || exposure.is_some(),
            Scene::Blc => blc.is_some(),
            Scene::Wdr => wdr.is_some(),
            Scene::Hlc => false,
        };
        if !possible {
            return Err(self.unsupported(Control::Scene));
        }
        if let Some(info) = exposure {
            // The first automatic mode the menu accepts.
            let mut done = false;
            for mode in controls::EXPOSURE_AUTO_MODES {
                if self
                    .write_control(controls::EXPOSURE_AUTO, info, mode)
                    .is_ok()
                {
                    done = true;
                    break;
                }
            }
            if !done && scene == Scene::Auto && blc.is_none() && wdr.is_none() {
                return Err(self.unsupported(Control::Scene));
            }
        }
        if let Some(info) = wdr {
            let on = i64::from(scene == Scene::Wdr);
            self.write_control(controls::WIDE_DYNAMIC_RANGE, info, on)?;
        }
        if let Some(info) = blc {
            let v = if scene == Scene::Blc {
                info.range.max()
            } else {
                info.range.min()
            };
            self.write_control(controls::BACKLIGHT_COMPENSATION, info, v)?;
        }
        Ok(())
    }

    fn apply(&mut self, setting: Setting) -> Result<Setting, V4lError> {
        let control = setting.control();
        if let Some(level) = setting.level() {
            let cid = controls::level_cid(control).ok_or_else(|| self.unsupported(control))?;
            let info = self.require(control, cid)?;
            if let Some(auto) = controls::auto_companion(cid) {
                if let Some(auto_info) = self.control_info(auto)? {
                    self.write_control(auto, auto_info, 0)?;
                }
            }
            self.write_control(cid, info, level.to_device(info.range))?;
            return self.get(control);
        }
        match setting {
            Setting::Mirror(on) | Setting::Flip(on) => {
                let cid = if control == Control::Mirror {
                    controls::HFLIP
                } else {
                    controls::VFLIP
                };
                let info = self.require(control, cid)?;
                self.write_control(cid, info, i64::from(on))?;
            }
            Setting::Scene(scene) => self.set_scene(scene)?,
            Setting::VideoStandard(std) => {
                let cid = controls::POWER_LINE_FREQUENCY;
                let info = self.require(control, cid)?;
                let v = match std {
                    VideoStandard::Pal => controls::POWER_LINE_50HZ,
                    VideoStandard::Ntsc => controls::POWER_LINE_60HZ,
                };
                self.write_control(cid, info, v)?;
            }
            _ => return Err(self.unsupported(control)),
        }
        self.get(control)
    }

    fn remember(&mut self, setting: Setting) {
        self.settings.retain(|s| s.control() != setting.control());
        self.settings.push(setting);
    }
}

fn open_device(path: &Path, name: &str) -> Result<Device, V4lError> {
    let device = Device::with_path(path).map_err(|e| V4lError::from_io(name, "open", e))?;
    let caps = device
        .query_caps()
        .map_err(|e| V4lError::from_io(name, "VIDIOC_QUERYCAP", e))?;
    use v4l::capability::Flags;
    if !caps.capabilities.contains(Flags::VIDEO_CAPTURE)
        || !caps.capabilities.contains(Flags::STREAMING)
    {
        return Err(V4lError::NotACamera {
            device: name.to_owned(),
        });
    }
    Ok(device)
}

/// The rate for a V4L2 frame interval; drivers that report none (0/0) are taken as 30 fps.
fn rate_of(interval: Fraction) -> FrameRate {
    FrameRate::from_interval(interval.numerator, interval.denominator).unwrap_or(FrameRate::FPS_30)
}

impl ErrorType for V4lCamera {
    type Error = V4lError;
}

impl Camera for V4lCamera {
    fn modes(&mut self) -> Result<Vec<Mode>, V4lError> {
        let formats = self
            .dev()?
            .enum_formats()
            .map_err(self.io("VIDIOC_ENUM_FMT"))?;
        let mut modes = Vec::new();
        for desc in formats {
            let Some(format) = PixelFormat::from_fourcc(desc.fourcc.repr) else {
                continue;
            };
            let sizes = self
                .dev()?
                .enum_framesizes(desc.fourcc)
                .map_err(self.io("VIDIOC_ENUM_FRAMESIZES"))?;
            let mut resolutions = Vec::new();
            for size in sizes {
                match size.size {
                    FrameSizeEnum::Discrete(d) => {
                        resolutions.extend(Resolution::new(d.width, d.height))
                    }
                    // Continuous or stepwise: the manual's sizes that fit, and the largest.
                    FrameSizeEnum::Stepwise(s) => {
                        let fits = |r: &Resolution| {
                            (s.min_width..=s.max_width).contains(&r.width())
                                && (s.min_height..=s.max_height).contains(&r.height())
                                && (r.width() - s.min_width) % s.step_width.max(1) == 0
                                && (r.height() - s.min_height) % s.step_height.max(1) == 0
                        };
                        resolutions.extend(Resolution::MANUAL.into_iter().filter(fits));
                        resolutions.extend(Resolution::new(s.max_width, s.max_height));
                    }
                }
            }
            resolutions.sort_by_key(|r| std::cmp::Reverse(r.pixels()));
            resolutions.dedup();
            for resolution in resolutions {
                let frame_rates = self.rates(desc.fourcc, resolution);
                modes.push(Mode {
                    format,
                    resolution,
                    frame_rates,
                });
            }
        }
        Ok(modes)
    }

    fn configure(&mut self, config: &StreamConfig) -> Result<StreamConfig, V4lError> {
        if self.stream.is_some() {
            return Err(V4lError::Busy {
                device: self.name.clone(),
                op: "configure while streaming; stop first",
            });
        }
        let modes = self.modes()?;
        let Some(mode) = modes.iter().find(|m| m.matches(config)) else {
            return Err(V4lError::NoSuchMode {
                device: self.name.clone(),
                wanted: *config,
                offered: describe_modes(&modes),
            });
        };
        let fourcc = FourCC::new(&config.format.fourcc());
        let res = config.resolution;
        let got = self
            .dev()?
            .set_format(&Format::new(res.width(), res.height(), fourcc))
            .map_err(self.io("VIDIOC_S_FMT"))?;
        if got.width != res.width() || got.height != res.height() || got.fourcc != fourcc {
            return Err(V4lError::NoSuchMode {
                device: self.name.clone(),
                wanted: *config,
                offered: format!(
                    "the driver chose {} {}x{}",
                    got.fourcc, got.width, got.height
                ),
            });
        }
        self.stride = got.stride;
        let rate = nearest_rate(&mode.frame_rates, config.frame_rate);
        let params = Parameters::new(Fraction::new(rate.seconds(), rate.frames()));
        let frame_rate = match self.dev()?.set_params(&params) {
            Ok(p) => rate_of(p.interval),
            // Drivers without frame rate control run at their own rate.
            Err(e) if matches!(e.raw_os_error(), Some(22 | 25)) => rate,
            Err(e) => return Err(V4lError::from_io(&self.name, "VIDIOC_S_PARM", e)),
        };
        let applied = StreamConfig {
            frame_rate,
            ..*config
        };
        self.config = Some(applied);
        Ok(applied)
    }

    fn config(&mut self) -> Result<StreamConfig, V4lError> {
        self.config.ok_or_else(|| {
            let fourcc = self
                .dev()
                .ok()
                .and_then(|d| d.format().ok())
                .map(|f| f.fourcc.to_string())
                .unwrap_or_else(|| "?".into());
            V4lError::UnknownFormat {
                device: self.name.clone(),
                fourcc,
            }
        })
    }

    /// Allocates and maps the buffers; the driver starts capturing at the first
    /// [`frame`](Camera::frame). A camera another handle streams from is `Busy` here.
    fn start(&mut self) -> Result<(), V4lError> {
        if self.stream.is_some() {
            return Ok(());
        }
        self.config()?;
        let stream = Stream::with_buffers(self.dev()?, BufferType::VideoCapture, BUFFERS)
            .map_err(self.io("VIDIOC_REQBUFS"))?;
        self.stream = Some(stream);
        Ok(())
    }

    fn stop(&mut self) -> Result<(), V4lError> {
        self.stream_off()
    }

    fn frame(&mut self, timeout: Duration) -> Result<Frame, V4lError> {
        let config = self.config()?;
        let stride = self.stride;
        let name = self.name.clone();
        let Some(stream) = self.stream.as_mut() else {
            return Err(V4lError::NotStreaming { device: name });
        };
        // poll() takes milliseconds as an i32; the v4l crate panics above that.
        let ms = timeout.as_millis().min(i32::MAX as u128);
        stream.set_timeout(Duration::from_millis(ms as u64));
        let (buf, meta) = match CaptureStream::next(stream) {
            Ok(x) => x,
            Err(e) => {
                // The v4l crate re-queues the last buffer before it waits, and would queue it
                // again on the next call: after a failed wait the stream must be rebuilt.
                let _ = self.stream_off();
                if e.kind() == std::io::ErrorKind::TimedOut {
                    self.start()?;
                    return Err(V4lError::Timeout {
                        device: name,
                        timeout_ms: timeout.as_millis(),
                    });
                }
                return Err(V4lError::from_io(&name, "VIDIOC_DQBUF", e));
            }
        };
        let sequence = meta.sequence;
        let bad = |reason| V4lError::BadFrame {
            device: name.clone(),
            sequence,
            reason,
        };
        if meta.flags.contains(BufferFlags::ERROR) {
            return Err(bad(FrameProblem::Flagged));
        }
        let used = (meta.bytesused as usize).min(buf.len());
        let data = Bytes::copy_from_slice(&buf[..used]);
        let secs = u64::try_from(meta.timestamp.sec).unwrap_or(0);
        let micros = u64::try_from(meta.timestamp.usec).unwrap_or(0);
        let timestamp = Timestamp::from_nanos(
            secs.saturating_mul(1_000_000_000)
                .saturating_add(micros.saturating_mul(1000)),
        );
        Frame::with_stride(
            data,
            config.format,
            config.resolution,
            stride,
            timestamp,
            u64::from(sequence),
        )
        .map_err(|e| bad(FrameProblem::Frame(e)))
    }

    fn reopen(&mut self) -> Result<(), V4lError> {
        // A stream on a vanished device cannot be stopped; its buffers go with it.
        let _ = self.stream_off();
        // Close the old handle first: while it is open the kernel keeps the old node's
        // number, and a replugged camera would come back under another one.
        self.device = None;
        self.device = Some(open_device(&self.path, &self.name)?);
        match self.config {
            Some(config) => {
                self.configure(&config)?;
            }
            None => self.read_config()?,
        }
        for setting in self.settings.clone() {
            self.apply(setting)?;
        }
        Ok(())
    }
}

impl V4lCamera {
    fn rates(&self, fourcc: FourCC, r: Resolution) -> Vec<FrameRate> {
        let Ok(dev) = self.dev() else {
            return Vec::new();
        };
        let Ok(intervals) = dev.enum_frameintervals(fourcc, r.width(), r.height()) else {
            return Vec::new();
        };
        let mut rates = Vec::new();
        for i in intervals {
            match i.interval {
                FrameIntervalEnum::Discrete(f) => {
                    rates.extend(FrameRate::from_interval(f.numerator, f.denominator))
                }
                FrameIntervalEnum::Stepwise(s) => {
                    // Interval bounds: the shortest interval is the fastest rate.
                    let fastest = FrameRate::from_interval(s.min.numerator, s.min.denominator);
                    let slowest = FrameRate::from_interval(s.max.numerator, s.max.denominator);
                    if let (Ok(fast), Ok(slow)) = (fastest, slowest) {
                        rates.extend(
                            STANDARD_RATES
                                .iter()
                                .filter_map(|&fps| FrameRate::per_second(fps).ok())
                                .filter(|r| r.fps() <= fast.fps() && r.fps() >= slow.fps()),
                        );
                    }
                }
            }
        }
        rates.sort_by(|a, b| b.fps().total_cmp(&a.fps()));
        rates.dedup();
        rates
    }
}

impl ImageControls for V4lCamera {
    fn supports(&mut self, control: Control) -> Result<bool, V4lError> {
        match self.get(control) {
            Ok(_) => Ok(true),
            Err(V4lError::Unsupported { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn get(&mut self, control: Control) -> Result<Setting, V4lError> {
        if let Some(cid) = controls::level_cid(control) {
            let info = self.require(control, cid)?;
            let level = Level::from_device(self.read_control(cid)?, info.range);
            return Setting::with_level(control, level).ok_or_else(|| self.unsupported(control));
        }
        match control {
            Control::Mirror | Control::Flip => {
                let cid = if control == Control::Mirror {
                    controls::HFLIP
                } else {
                    controls::VFLIP
                };
                self.require(control, cid)?;
                let on = self.read_control(cid)? != 0;
                Ok(if control == Control::Mirror {
                    Setting::Mirror(on)
                } else {
                    Setting::Flip(on)
                })
            }
            Control::Scene => Ok(Setting::Scene(self.get_scene()?)),
            Control::VideoStandard => {
                let cid = controls::POWER_LINE_FREQUENCY;
                self.require(control, cid)?;
                match self.read_control(cid)? {
                    controls::POWER_LINE_50HZ => Ok(Setting::VideoStandard(VideoStandard::Pal)),
                    controls::POWER_LINE_60HZ => Ok(Setting::VideoStandard(VideoStandard::Ntsc)),
                    value => Err(V4lError::UnmappedValue {
                        device: self.name.clone(),
                        control,
                        value,
                    }),
                }
            }
            _ => Err(self.unsupported(control)),
        }
    }

    fn set(&mut self, setting: Setting) -> Result<Setting, V4lError> {
        let applied = self.apply(setting)?;
        self.remember(setting);
        Ok(applied)
    }
}

impl Drop for V4lCamera {
    fn drop(&mut self) {
        let _ = self.stream_off();
    }
}
