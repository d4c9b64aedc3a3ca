//! The one error type of the V4L2 camera backend.
//!
//! Every variant names the device node, so a log line says which camera; [`Error::kind`]
//! tells generic code whether to retry later (`Busy`), reopen (`Disconnected`) or give up
//! on a feature (`Unsupported`).

use std::io;

use crate::camera::{Control, FrameError, Mode, StreamConfig};
use crate::error::{Error, ErrorKind};

/// A failure of a V4L2 camera.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum V4lError {
    /// The device node is missing or the device went away (unplugged USB camera).
    #[error("camera {device}: disconnected ({op}: {source})")]
    Disconnected {
        /// The device node.
        device: String,
        /// What was being done.
        op: &'static str,
        /// What the kernel said.
        #[source]
        source: io::Error,
    },

    /// Another program (or another handle of this one) is streaming from the camera.
    #[error("camera {device}: busy, another user holds its stream ({op})")]
    Busy {
        /// The device node.
        device: String,
        /// What was being done.
        op: &'static str,
    },

    /// The node exists but cannot capture video by streaming (a metadata node, an output).
    #[error("camera {device}: not a video capture device with streaming I/O")]
    NotACamera {
        /// The device node.
        device: String,
    },

    /// The camera does not offer this format and size.
    #[error("camera {device}: cannot deliver {wanted}; it offers {offered}")]
    NoSuchMode {
        /// The device node.
        device: String,
        /// What was asked for.
        wanted: StreamConfig,
        /// What it offers, for the log.
        offered: String,
    },

    /// The camera runs a pixel format vto does not know, and nothing was configured yet.
    #[error(
        "camera {device}: runs pixel format {fourcc:?}, which vto does not handle; configure one"
    )]
    UnknownFormat {
        /// The device node.
        device: String,
        /// The four-character code, printable.
        fourcc: String,
    },

    /// The camera lacks this image control.
    #[error("camera {device}: has no {control} control")]
    Unsupported {
        /// The device node.
        device: String,
        /// The manual's control.
        control: Control,
    },

    /// The control holds a value the manual's setting cannot express (power line
    /// frequency "disabled" or "auto" is neither PAL nor NTSC).
    #[error("camera {device}: {control} is at device value {value}, which has no manual setting")]
    UnmappedValue {
        /// The device node.
        device: String,
        /// The manual's control.
        control: Control,
        /// The device's value.
        value: i64,
    },

    /// A frame was asked for while not streaming.
    #[error("camera {device}: not streaming (call start first)")]
    NotStreaming {
        /// The device node.
        device: String,
    },

    /// No frame within the timeout.
    #[error("camera {device}: no frame within {timeout_ms} ms")]
    Timeout {
        /// The device node.
        device: String,
        /// The timeout.
        timeout_ms: u128,
    },

    /// The driver marked a frame as corrupt, or delivered one that is not a whole picture.
    #[error("camera {device}: bad frame {sequence}: {reason}")]
    BadFrame {
        /// The device node.
        device: String,
        /// The frame's sequence number.
        sequence: u32,
        /// What is wrong with it.
        reason: FrameProblem,
    },

    /// Any other failure of a V4L2 call.
    #[error("camera {device}: {op} failed: {source}")]
    Io {
        /// The device node.
        device: String,
        /// What was being done.
        op: &'static str,
        /// What the kernel said.
        #[source]
        source: io::Error,
    },
}

/// Why a frame was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrameProblem {
    /// The driver set `V4L2_BUF_FLAG_ERROR` (a USB transfer lost packets).
    #[error("the driver flagged it as corrupt")]
    Flagged,
    /// It is not a whole picture.
    #[error(transparent)]
    Frame(#[from] FrameError),
}

impl Error for V4lError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Disconnected { .. } => ErrorKind::Disconnected,
            Self::Busy { .. } => ErrorKind::Busy,
            Self::NotACamera { .. } | Self::NotStreaming { .. } => ErrorKind::InvalidConfig,
            Self::NoSuchMode { .. } | Self::UnknownFormat { .. } | Self::Unsupported { .. } => {
                ErrorKind::Unsupported
            }
            Self::UnmappedValue { .. } | Self::Io { .. } => ErrorKind::Other,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::BadFrame { .. } => ErrorKind::Fault,
        }
    }
}

impl V4lError {
    /// Classifies a failed V4L2 call by errno: a device that is gone is `Disconnected`, a
    /// queue owned by another file handle is `Busy`, a timed-out poll is `Timeout`.
    pub(crate) fn from_io(device: &str, op: &'static str, source: io::Error) -> Self {
        const EPERM: i32 = 1;
        const ENOENT: i32 = 2;
        const EIO: i32 = 5;
        const ENXIO: i32 = 6;
        const EBUSY: i32 = 16;
        const ENODEV: i32 = 19;
        let device = device.to_owned();
        if source.kind() == io::ErrorKind::TimedOut {
            return Self::Io { device, op, source };
        }
        match source.raw_os_error() {
            Some(ENOENT | EIO | ENXIO | ENODEV) => Self::Disconnected { device, op, source },
            Some(EBUSY) => Self::Busy { device, op },
            // EPERM on S_FMT/REQBUFS: another file handle has the priority (VIDIOC_S_PRIORITY).
            Some(EPERM) if op != "open" => Self::Busy { device, op },
            _ => Self::Io { device, op, source },
        }
    }
}

/// Modes as a short list for error messages: `YUYV 640x360, 1280x720; MJPG 1920x1080`.
pub(crate) fn describe_modes(modes: &[Mode]) -> String {
    let mut out = String::new();
    let mut last = None;
    for m in modes {
        if last != Some(m.format) {
            if last.is_some() {
                out.push_str("; ");
            }
            out.push_str(&format!("{} {}", m.format, m.resolution));
            last = Some(m.format);
        } else {
            out.push_str(&format!(", {}", m.resolution));
        }
    }
    if out.is_empty() {
        out.push_str("nothing vto can use");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_decides_the_kind() {
        let e = |errno| {
            V4lError::from_io(
                "/dev/video0",
                "VIDIOC_S_FMT",
                io::Error::from_raw_os_error(errno),
            )
        };
        assert_eq!(e(16).kind(), ErrorKind::Busy);
        assert_eq!(e(19).kind(), ErrorKind::Disconnected);
        assert_eq!(e(2).kind(), ErrorKind::Disconnected);
        assert_eq!(e(22).kind(), ErrorKind::Other);
        assert_eq!(
            e(16).to_string(),
            "camera /dev/video0: busy, another user holds its stream (VIDIOC_S_FMT)"
        );
    }
}
