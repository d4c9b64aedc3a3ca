//! The one error type of the ALSA backend.
//!
//! Every variant names the device (`hw:Loopback,0,0`) or mixer control it is about, so a log
//! line is enough to find the cable, and carries what alsa-lib reported in its message
//! (not as a `source()`, so printing the chain never shows it twice). [`Error::kind`] says
//! what generic code should do: a `Busy` device may be retried, a `Disconnected` one
//! reopened once it is back.

use crate::audio::FrameError;
use crate::error::{Error, ErrorKind};
use crate::time::Duration;

const EPERM: i32 = 1;
const ENOENT: i32 = 2;
const EIO: i32 = 5;
const ENXIO: i32 = 6;
const EBADF: i32 = 9;
pub(super) const EAGAIN: i32 = 11;
const EACCES: i32 = 13;
const EBUSY: i32 = 16;
pub(super) const ENODEV: i32 = 19;
const EINVAL: i32 = 22;
pub(super) const EPIPE: i32 = 32;
pub(super) const ESTRPIPE: i32 = 86;
const ESHUTDOWN: i32 = 108;

/// A failure of an ALSA microphone, speaker or mixer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AlsaError {
    /// A configuration value out of range, or a device name alsa-lib cannot take.
    #[error("ALSA device {device:?}: {reason}")]
    Config {
        /// The device.
        device: String,
        /// What is wrong and what is allowed.
        reason: String,
    },

    /// The device could not be opened.
    #[error("cannot open ALSA device {device} for {stream}: {cause}")]
    Open {
        /// The device.
        device: String,
        /// `playback` or `capture`.
        stream: &'static str,
        /// What alsa-lib said.
        cause: ::alsa::Error,
    },

    /// The device cannot stream what was asked (a rate its clock cannot make, 16-bit
    /// samples on a 24-bit-only codec).
    #[error("ALSA device {device} cannot do {what}{offers}")]
    Unsupported {
        /// The device.
        device: String,
        /// What it cannot do.
        what: String,
        /// What it offers instead, `""` or `" (it offers ...)"`.
        offers: String,
    },

    /// Setting the device up failed after it agreed to the format.
    #[error("ALSA device {device}: {op} failed: {cause}")]
    Setup {
        /// The device.
        device: String,
        /// What was being done.
        op: &'static str,
        /// What alsa-lib said.
        cause: ::alsa::Error,
    },

    /// Reading or writing failed, and could not be recovered.
    #[error("ALSA device {device}: {op} failed: {cause}")]
    Io {
        /// The device.
        device: String,
        /// What was being done.
        op: &'static str,
        /// What alsa-lib said.
        cause: ::alsa::Error,
    },

    /// The device stopped moving samples for longer than the configured timeout.
    #[error("ALSA device {device}: no progress within {waited:?}")]
    Timeout {
        /// The device.
        device: String,
        /// How long it was waited for.
        waited: Duration,
    },

    /// The device is closed (a reopen failed); call `reopen` again.
    #[error("ALSA device {device} is closed after an error; reopen it")]
    Closed {
        /// The device.
        device: String,
    },

    /// The configured mixer control is not on the card.
    #[error("ALSA card {card} has no mixer control {control:?} with a {stream} volume (it has: {available})")]
    NoSuchControl {
        /// The card's control device (`hw:0`).
        card: String,
        /// The control asked for.
        control: String,
        /// `playback` or `capture`.
        stream: &'static str,
        /// The simple controls the card does have.
        available: String,
    },

    /// A mixer operation failed.
    #[error("ALSA mixer {card} control {control:?}: {op} failed: {cause}")]
    Mixer {
        /// The card's control device.
        card: String,
        /// The control.
        control: String,
        /// What was being done.
        op: &'static str,
        /// What alsa-lib said.
        cause: ::alsa::Error,
    },

    /// A frame that does not fit the device.
    #[error("ALSA device {device}: {reason}")]
    Frame {
        /// The device.
        device: String,
        /// What is wrong with the frame.
        reason: FrameError,
    },
}

impl Error for AlsaError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Config { .. } | Self::NoSuchControl { .. } | Self::Frame { .. } => {
                ErrorKind::InvalidConfig
            }
            Self::Open { cause, .. } => match cause.errno() {
                EBUSY | EAGAIN => ErrorKind::Busy,
                // A card that is not there: unplugged, or not yet probed.
                ENOENT | ENODEV | ENXIO | ESHUTDOWN => ErrorKind::Disconnected,
                EINVAL => ErrorKind::InvalidConfig,
                EPERM | EACCES => ErrorKind::Other,
                e => errno_kind(e),
            },
            Self::Unsupported { .. } => ErrorKind::Unsupported,
            Self::Setup { cause, .. } | Self::Io { cause, .. } | Self::Mixer { cause, .. } => {
                errno_kind(cause.errno())
            }
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Closed { .. } => ErrorKind::Disconnected,
        }
    }
}

/// The kind of an error in the middle of streaming: a card that went away is disconnected.
pub(super) fn errno_kind(errno: i32) -> ErrorKind {
    match errno {
        ENODEV | ENXIO | EIO | ESHUTDOWN | EBADF => ErrorKind::Disconnected,
        EBUSY => ErrorKind::Busy,
        _ => ErrorKind::Other,
    }
}

/// Whether an error means the device is gone, so the stream cannot continue.
pub(super) fn is_gone(errno: i32) -> bool {
    errno_kind(errno) == ErrorKind::Disconnected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_error_says_what_generic_code_should_do() {
        let open = |errno| AlsaError::Open {
            device: "hw:Loopback,0,0".into(),
            stream: "playback",
            cause: ::alsa::Error::new("snd_pcm_open", errno),
        };
        assert_eq!(open(EBUSY).kind(), ErrorKind::Busy);
        assert_eq!(open(ENOENT).kind(), ErrorKind::Disconnected);
        assert_eq!(open(ENODEV).kind(), ErrorKind::Disconnected);
        assert_eq!(open(EINVAL).kind(), ErrorKind::InvalidConfig);
        assert!(open(EBUSY)
            .to_string()
            .starts_with("cannot open ALSA device hw:Loopback,0,0 for playback: "));
    }
}
