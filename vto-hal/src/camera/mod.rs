//! Cameras: formats, frames with timestamps, image controls with the manual's meaning, and
//! JPEG snapshots.
//!
//! Two traits in the embedded-hal style, so the station works the same on any camera:
//! [`Camera`] (what it can deliver, configure, start, stop, next frame) and
//! [`ImageControls`] (the manual's "Image" settings on a 0–100 scale). Backends: the
//! `v4l` feature's [`V4lCamera`](crate::v4l::V4lCamera) for USB and CSI cameras, the
//! `sim` feature's [`SimCamera`](crate::sim::camera::SimCamera) with a moving test pattern.
//! A control the device lacks is an [`ErrorKind::Unsupported`](crate::ErrorKind) error,
//! never a silent no-op.
//!
//! ```
//! # #[cfg(feature = "sim")] {
//! use vto_hal::camera::{snapshot, Camera, FrameRate, ImageControls, Level, PixelFormat,
//!     Quality, Resolution, Setting, StreamConfig};
//! use vto_hal::sim::{camera::SimCamera, SimClock};
//! use std::time::Duration;
//!
//! let mut cam = SimCamera::new(SimClock::manual());
//! cam.configure(&StreamConfig {
//!     format: PixelFormat::Yuyv,
//!     resolution: Resolution::QVGA,
//!     frame_rate: FrameRate::per_second(25).unwrap(),
//! }).unwrap();
//! cam.set(Setting::Brightness(Level::new(60).unwrap())).unwrap();
//! cam.start().unwrap();
//! let frame = cam.frame(Duration::from_secs(1)).unwrap();
//! let jpeg = snapshot(&frame, Quality::DEFAULT).unwrap();
//! assert_eq!(jpeg.resolution(), Resolution::QVGA);
//! # }
//! ```

mod control;
mod format;
mod frame;
mod jpeg;
pub mod mjpeg;
pub mod overlay;
pub mod pattern;

pub use control::{
    BadDeviceRange, Control, DeviceRange, Level, LevelOutOfRange, Scene, Setting, VideoStandard,
};
pub use format::{
    FrameRate, FrameRateError, Mode, PixelFormat, Resolution, ResolutionError, StreamConfig,
};
pub use frame::{Frame, FrameError};
pub use jpeg::{snapshot, Jpeg, Quality, QualityOutOfRange, SnapshotError};

use crate::error::ErrorType;
use crate::time::Duration;

/// A camera that streams frames.
///
/// The life cycle follows V4L2's: [`configure`](Self::configure) while stopped,
/// [`start`](Self::start), take [`frame`](Self::frame)s, [`stop`](Self::stop). A camera
/// that was unplugged reports [`ErrorKind::Disconnected`](crate::ErrorKind) and comes back
/// with [`reopen`](Self::reopen) once it is there again.
pub trait Camera: ErrorType {
    /// Every format, size and frame rate the camera offers.
    fn modes(&mut self) -> Result<Vec<Mode>, Self::Error>;

    /// Selects format, size and rate; returns what the device runs at. Format and size are
    /// exact (a size the device lacks is `Unsupported`, never silently another); the rate
    /// may be the nearest the device offers. Refused with `Busy` while streaming.
    fn configure(&mut self, config: &StreamConfig) -> Result<StreamConfig, Self::Error>;

    /// The configuration in effect.
    fn config(&mut self) -> Result<StreamConfig, Self::Error>;

    /// Starts streaming; `Busy` if another user holds the camera. Starting a running
    /// stream does nothing.
    fn start(&mut self) -> Result<(), Self::Error>;

    /// Stops streaming and drops queued frames. Stopping a stopped stream does nothing.
    fn stop(&mut self) -> Result<(), Self::Error>;

    /// The next frame, waiting at most `timeout` (`Timeout` then).
    fn frame(&mut self, timeout: Duration) -> Result<Frame, Self::Error>;

    /// Closes and opens the device again with the same configuration and controls, stopped:
    /// the way back after a `Disconnected` error once the camera is plugged in again.
    fn reopen(&mut self) -> Result<(), Self::Error>;
}

/// The manual's image settings.
pub trait ImageControls: ErrorType {
    /// Whether the camera has `control` (a `false` here is an `Unsupported` error from
    /// [`get`](Self::get) and [`set`](Self::set)).
    fn supports(&mut self, control: Control) -> Result<bool, Self::Error>;

    /// The control's current value.
    fn get(&mut self, control: Control) -> Result<Setting, Self::Error>;

    /// Applies `setting`; returns the value the device took, which can differ from the
    /// request by the device's step.
    fn set(&mut self, setting: Setting) -> Result<Setting, Self::Error>;
}

impl<T: Camera + ?Sized> Camera for &mut T {
    fn modes(&mut self) -> Result<Vec<Mode>, Self::Error> {
        T::modes(self)
    }
    fn configure(&mut self, config: &StreamConfig) -> Result<StreamConfig, Self::Error> {
        T::configure(self, config)
    }
    fn config(&mut self) -> Result<StreamConfig, Self::Error> {
        T::config(self)
    }
    fn start(&mut self) -> Result<(), Self::Error> {
        T::start(self)
    }
    fn stop(&mut self) -> Result<(), Self::Error> {
        T::stop(self)
    }
    fn frame(&mut self, timeout: Duration) -> Result<Frame, Self::Error> {
        T::frame(self, timeout)
    }
    fn reopen(&mut self) -> Result<(), Self::Error> {
        T::reopen(self)
    }
}

impl<T: ImageControls + ?Sized> ImageControls for &mut T {
    fn supports(&mut self, control: Control) -> Result<bool, Self::Error> {
        T::supports(self, control)
    }
    fn get(&mut self, control: Control) -> Result<Setting, Self::Error> {
        T::get(self, control)
    }
    fn set(&mut self, setting: Setting) -> Result<Setting, Self::Error> {
        T::set(self, setting)
    }
}

/// The rate among `offered` nearest to `wanted` (by frame interval), or `wanted` if the
/// device offers none; what backends pick when the exact rate is not there.
pub fn nearest_rate(offered: &[FrameRate], wanted: FrameRate) -> FrameRate {
    offered
        .iter()
        .copied()
        .min_by_key(|r| r.interval().abs_diff(wanted.interval()))
        .unwrap_or(wanted)
}
