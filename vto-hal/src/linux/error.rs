//! The one error type of the Linux backend.
//!
//! Every variant names the line (`/dev/gpiochip0:17`, with its name when it has one) or the
//! serial port it is about, so a log line is enough to find the wire; [`Error::kind`]
//! says what generic code should do about it.

use std::io;

use crate::debounce::WindowOutOfRange;
use crate::error::{Error, ErrorKind};
use crate::lock::RelayState;
use crate::wiegand::decoder::FrameError;
use crate::wiegand::DecoderConfigError;

/// A failure of a Linux GPIO line or serial port.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinuxError {
    /// A line specification that does not parse.
    #[error(transparent)]
    Spec(#[from] super::line::ParseLineSpecError),

    /// The configuration names a chip that is not there.
    #[error("no GPIO chip {chip} (chips present: {present})")]
    ChipNotFound {
        /// The chip as configured (a path, or a label).
        chip: String,
        /// The chips that do exist, with their labels and sizes.
        present: String,
    },

    /// The configured path exists but is not a GPIO character device.
    #[error("{path} is not a GPIO character device")]
    NotAChip {
        /// The path as configured.
        path: String,
    },

    /// The offset is past the last line of the chip.
    #[error("line {offset} is out of range on {chip}, which has {lines} lines (0..={last})", last = lines.saturating_sub(1))]
    OffsetOutOfRange {
        /// The offset asked for.
        offset: u32,
        /// The chip's path.
        chip: String,
        /// How many lines the chip has.
        lines: u32,
    },

    /// No line on any chip carries the configured name.
    #[error("no GPIO line is named {name:?} on any chip (`gpioinfo` lists the names)")]
    LineNameNotFound {
        /// The name asked for.
        name: String,
    },

    /// Several lines carry the configured name, so it does not say which one is meant.
    #[error("GPIO line name {name:?} is not unique; name the line by chip and offset instead")]
    LineNameNotUnique {
        /// The name asked for.
        name: String,
    },

    /// The two Wiegand data lines are on different chips, so one request cannot hold both.
    #[error("wiegand D0 ({d0}) and D1 ({d1}) must be on the same GPIO chip")]
    SplitChips {
        /// D0's line.
        d0: String,
        /// D1's line.
        d1: String,
    },

    /// Two roles were given the same line.
    #[error("line {line} is configured twice (as {first} and as {second})")]
    SameLine {
        /// The line.
        line: String,
        /// Its first role.
        first: &'static str,
        /// Its second role.
        second: &'static str,
    },

    /// Another consumer (a kernel driver, this or another process) holds the line.
    #[error("line {line} is busy: already requested by {consumer}")]
    Busy {
        /// The line.
        line: String,
        /// Who holds it, as the kernel reports it (quoted), or a note that it gave no name.
        consumer: String,
    },

    /// The chip went away while the line was in use (a USB GPIO expander unplugged).
    #[error("line {line}: its GPIO chip is gone ({op})")]
    Disconnected {
        /// The line.
        line: String,
        /// What was being done.
        op: &'static str,
        /// What the kernel said.
        #[source]
        source: gpiocdev::Error,
    },

    /// A GPIO operation failed for another reason.
    #[error("line {line}: {op} failed")]
    Gpio {
        /// The line.
        line: String,
        /// What was being done.
        op: &'static str,
        /// What the kernel said.
        #[source]
        source: gpiocdev::Error,
    },

    /// A relay line read back something other than what it was just driven to.
    #[error("relay on line {line} did not follow: driven {driven}, reads {reads}")]
    DidNotFollow {
        /// The line.
        line: String,
        /// What it was told.
        driven: RelayState,
        /// What it reports.
        reads: RelayState,
    },

    /// A debounce window out of range.
    #[error("input {line}: {reason}")]
    Window {
        /// The line.
        line: String,
        /// The window and the allowed range.
        reason: WindowOutOfRange,
    },

    /// An invalid Wiegand decoder configuration.
    #[error("wiegand reader on {lines}: {reason}")]
    DecoderConfig {
        /// D0 and D1.
        lines: String,
        /// What is wrong with it.
        reason: DecoderConfigError,
    },

    /// A kernel debounce period out of range.
    #[error("wiegand reader on {lines}: kernel debounce {period_us} µs is outside 0..=100000 µs")]
    KernelDebounce {
        /// D0 and D1.
        lines: String,
        /// The period asked for.
        period_us: u64,
    },

    /// A malformed frame on the wire (a line held low, too many bits).
    #[error("wiegand reader on {lines}: {source}")]
    Wiegand {
        /// D0 and D1.
        lines: String,
        /// What the decoder saw.
        #[source]
        source: FrameError,
    },

    /// The kernel lost edges of a frame (buffer overrun, or edges merged), so bits were lost.
    #[error("wiegand reader on {lines} lost {lost} edge events in a frame; the frame was dropped")]
    EventsLost {
        /// D0 and D1.
        lines: String,
        /// How many events the sequence numbers say are missing.
        lost: u32,
    },

    /// A baud rate a UART cannot run at.
    #[error("serial port {port}: baud rate {baud} is outside 300..=4000000")]
    BaudOutOfRange {
        /// The port.
        port: String,
        /// The rate asked for.
        baud: u32,
    },

    /// The serial port cannot be opened or configured.
    #[error("serial port {port}: {source}")]
    SerialOpen {
        /// The port.
        port: String,
        /// What the serial layer said.
        #[source]
        source: serialport::Error,
    },

    /// Reading from or writing to the serial port failed.
    #[error("serial port {port}: {op} failed")]
    SerialIo {
        /// The port.
        port: String,
        /// What was being done.
        op: &'static str,
        /// The system error.
        #[source]
        source: io::Error,
    },

    /// The RS-485 direction control (DE/RE line) failed.
    #[error("serial port {port}: direction control failed: {message}")]
    Direction {
        /// The port.
        port: String,
        /// The kind the direction control reported.
        kind: ErrorKind,
        /// Its message.
        message: String,
    },
}

impl Error for LinuxError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Spec(_)
            | Self::ChipNotFound { .. }
            | Self::NotAChip { .. }
            | Self::OffsetOutOfRange { .. }
            | Self::LineNameNotFound { .. }
            | Self::LineNameNotUnique { .. }
            | Self::SplitChips { .. }
            | Self::SameLine { .. }
            | Self::Window { .. }
            | Self::DecoderConfig { .. }
            | Self::KernelDebounce { .. }
            | Self::BaudOutOfRange { .. } => ErrorKind::InvalidConfig,
            Self::Busy { .. } => ErrorKind::Busy,
            Self::Disconnected { .. } => ErrorKind::Disconnected,
            Self::Gpio { .. } => ErrorKind::Other,
            Self::DidNotFollow { .. } | Self::Wiegand { .. } | Self::EventsLost { .. } => {
                ErrorKind::Fault
            }
            Self::SerialOpen { source, .. } => match source.kind() {
                // serialport reports a port locked by another process (TIOCEXCL) so.
                serialport::ErrorKind::NoDevice => ErrorKind::Busy,
                serialport::ErrorKind::InvalidInput => ErrorKind::InvalidConfig,
                serialport::ErrorKind::Io(io::ErrorKind::NotFound) => ErrorKind::InvalidConfig,
                serialport::ErrorKind::Io(io::ErrorKind::ResourceBusy) => ErrorKind::Busy,
                serialport::ErrorKind::Io(k) => io_kind(k, None),
                serialport::ErrorKind::Unknown => ErrorKind::Other,
            },
            Self::SerialIo { source, .. } => io_kind(source.kind(), source.raw_os_error()),
            Self::Direction { kind, .. } => *kind,
        }
    }
}

/// The kind of a serial I/O error: a port whose other end or device went away is
/// disconnected, not merely failing.
fn io_kind(kind: io::ErrorKind, errno: Option<i32>) -> ErrorKind {
    const EIO: i32 = 5;
    const ENXIO: i32 = 6;
    const ENODEV: i32 = 19;
    match (kind, errno) {
        (io::ErrorKind::TimedOut, _) => ErrorKind::Timeout,
        (io::ErrorKind::BrokenPipe | io::ErrorKind::NotConnected, _) => ErrorKind::Disconnected,
        (_, Some(EIO | ENXIO | ENODEV)) => ErrorKind::Disconnected,
        _ => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_past_the_end_names_the_chip_and_its_range() {
        let e = LinuxError::OffsetOutOfRange {
            offset: 40,
            chip: "/dev/gpiochip0".into(),
            lines: 16,
        };
        assert_eq!(
            e.to_string(),
            "line 40 is out of range on /dev/gpiochip0, which has 16 lines (0..=15)"
        );
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    }

    #[test]
    fn a_dead_pty_peer_is_a_disconnection() {
        let e = LinuxError::SerialIo {
            port: "/dev/pts/3".into(),
            op: "write",
            source: io::Error::from(io::ErrorKind::BrokenPipe),
        };
        assert_eq!(e.kind(), ErrorKind::Disconnected);
        let e = LinuxError::SerialIo {
            port: "/dev/ttyUSB0".into(),
            op: "write",
            source: io::Error::from_raw_os_error(5),
        };
        assert_eq!(e.kind(), ErrorKind::Disconnected);
    }
}
