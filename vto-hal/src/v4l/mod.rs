//! Cameras through Video4Linux2: USB webcams (uvcvideo), CSI cameras behind a capture node,
//! and the kernel's vivid test driver, with mmap streaming.
//!
//! [`V4lCamera`] implements [`Camera`](crate::camera::Camera) and
//! [`ImageControls`](crate::camera::ImageControls). Formats: YUYV, UYVY, NV12, YU12, RGB3,
//! BGR3, GREY, MJPEG and H.264, whichever the device offers. The manual's controls map to
//! V4L2 controls by meaning (the table is in `docs/camera.md`), with the device's own range
//! scaled from 0–100. Errors say `Busy` when another handle streams, `Disconnected` when the
//! node is gone, and [`Camera::reopen`](crate::camera::Camera::reopen) brings a camera back.
//!
//! ```no_run
//! use std::time::Duration;
//! use vto_hal::camera::{snapshot, Camera, Quality};
//! use vto_hal::v4l::V4lCamera;
//!
//! let mut cam = V4lCamera::open("/dev/video0")?;
//! cam.start()?;
//! let frame = cam.frame(Duration::from_secs(2))?;
//! std::fs::write("door.jpg", snapshot(&frame, Quality::DEFAULT)?.as_bytes())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod camera;
mod controls;
mod error;

pub use camera::V4lCamera;
pub use error::{FrameProblem, V4lError};
