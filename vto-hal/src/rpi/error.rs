//! The one error type of the Raspberry Pi backend.

use std::io;

use crate::debounce::WindowOutOfRange;
use crate::error::{Error, ErrorKind};
use crate::lock::RelayState;
use crate::wiegand::decoder::FrameError;
use crate::wiegand::DecoderConfigError;

/// The BCM GPIO numbers on the 40-pin header.
pub const BCM_RANGE: core::ops::RangeInclusive<u8> = 0..=27;

/// A failure of a Pi GPIO pin or UART. Pins are named by their BCM number (GPIO17 is
/// header pin 11), as rppal and the Pi's documentation do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RpiError {
    /// `Bias::AsIs`, which rppal cannot honour: it sets a bias whenever it takes a pin.
    #[error("input on BCM pin {pin}: bias `as-is` is not available on the rpi backend; choose pull-up, pull-down or disabled")]
    BiasAsIs {
        /// The pin.
        pin: u8,
    },
    /// A BCM number that is not on the header.
    #[error("{role}: BCM pin {pin} is outside 0..=27 (GPIO numbers of the 40-pin header, not physical pin numbers)")]
    PinOutOfRange {
        /// What the pin was meant for.
        role: &'static str,
        /// The number given.
        pin: u8,
    },

    /// Two roles were given the same pin.
    #[error("BCM pin {pin} is configured twice (as {first} and as {second})")]
    SamePin {
        /// The pin.
        pin: u8,
        /// Its first role.
        first: &'static str,
        /// Its second role.
        second: &'static str,
    },

    /// The pin is already taken by another part of this process.
    #[error("{role}: BCM pin {pin} is already in use in this process")]
    Busy {
        /// What the pin was meant for.
        role: &'static str,
        /// The pin.
        pin: u8,
    },

    /// rppal failed on the pin (no permission on `/dev/gpiomem`, not a Pi, I/O).
    #[error("{role} on BCM pin {pin}: {op} failed")]
    Gpio {
        /// What the pin is for.
        role: &'static str,
        /// The pin.
        pin: u8,
        /// What was being done.
        op: &'static str,
        /// What rppal said.
        #[source]
        source: rppal::gpio::Error,
    },

    /// A relay pin read back something other than what it was just driven to.
    #[error("relay on BCM pin {pin} did not follow: driven {driven}, reads {reads}")]
    DidNotFollow {
        /// The pin.
        pin: u8,
        /// What it was told.
        driven: RelayState,
        /// What it reports.
        reads: RelayState,
    },

    /// A debounce window out of range.
    #[error("input on BCM pin {pin}: {reason}")]
    Window {
        /// The pin.
        pin: u8,
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

    /// A malformed frame on the wire.
    #[error("wiegand reader on {lines}: {source}")]
    Wiegand {
        /// D0 and D1.
        lines: String,
        /// What the decoder saw.
        #[source]
        source: FrameError,
    },

    /// The kernel's edge buffer overflowed, so bits were lost.
    #[error("wiegand reader on {lines} lost {lost} edge events on {line}; the frame in progress was dropped")]
    EventsLost {
        /// D0 and D1.
        lines: String,
        /// Which line lost them.
        line: &'static str,
        /// How many the sequence numbers say are missing.
        lost: u32,
    },

    /// A baud rate the UART cannot run at.
    #[error("uart {port}: baud rate {baud} is outside 300..=4000000")]
    BaudOutOfRange {
        /// The UART device.
        port: String,
        /// The rate asked for.
        baud: u32,
    },

    /// The UART failed.
    #[error("uart {port}: {op} failed")]
    Uart {
        /// The UART device.
        port: String,
        /// What was being done.
        op: &'static str,
        /// What rppal said.
        #[source]
        source: rppal::uart::Error,
    },

    /// The RS-485 direction control failed.
    #[error("uart {port}: direction control failed: {message}")]
    Direction {
        /// The UART device.
        port: String,
        /// The kind the direction control reported.
        kind: ErrorKind,
        /// Its message.
        message: String,
    },
}

impl Error for RpiError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::PinOutOfRange { .. }
            | Self::SamePin { .. }
            | Self::BiasAsIs { .. }
            | Self::Window { .. }
            | Self::DecoderConfig { .. }
            | Self::BaudOutOfRange { .. } => ErrorKind::InvalidConfig,
            Self::Busy { .. } => ErrorKind::Busy,
            Self::Gpio { source, .. } => match source {
                rppal::gpio::Error::PinUsed(_) => ErrorKind::Busy,
                rppal::gpio::Error::PinNotAvailable(_) => ErrorKind::InvalidConfig,
                _ => ErrorKind::Other,
            },
            Self::DidNotFollow { .. } | Self::Wiegand { .. } | Self::EventsLost { .. } => {
                ErrorKind::Fault
            }
            Self::Uart { source, .. } => match source {
                rppal::uart::Error::InvalidValue => ErrorKind::InvalidConfig,
                rppal::uart::Error::Io(e) => match e.kind() {
                    io::ErrorKind::NotFound => ErrorKind::InvalidConfig,
                    io::ErrorKind::TimedOut => ErrorKind::Timeout,
                    io::ErrorKind::BrokenPipe => ErrorKind::Disconnected,
                    _ => ErrorKind::Other,
                },
                rppal::uart::Error::Gpio(_) => ErrorKind::Other,
            },
            Self::Direction { kind, .. } => *kind,
        }
    }
}

/// Refuses a BCM number that is not on the header, before rppal is touched.
pub(crate) fn check_pin(role: &'static str, pin: u8) -> Result<(), RpiError> {
    if BCM_RANGE.contains(&pin) {
        Ok(())
    } else {
        Err(RpiError::PinOutOfRange { role, pin })
    }
}

/// Takes BCM pin `pin` from rppal, with errors that name it and its role.
pub(crate) fn take_pin(role: &'static str, pin: u8) -> Result<rppal::gpio::Pin, RpiError> {
    check_pin(role, pin)?;
    let gpio = rppal::gpio::Gpio::new().map_err(|source| RpiError::Gpio {
        role,
        pin,
        op: "opening the GPIO peripheral",
        source,
    })?;
    gpio.get(pin).map_err(|source| match source {
        rppal::gpio::Error::PinUsed(_) => RpiError::Busy { role, pin },
        source => RpiError::Gpio {
            role,
            pin,
            op: "taking the pin",
            source,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_physical_pin_number_past_27_is_refused_with_the_allowed_range() {
        let e = check_pin("door contact", 40).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(
            e.to_string(),
            "door contact: BCM pin 40 is outside 0..=27 (GPIO numbers of the 40-pin header, not physical pin numbers)"
        );
        assert!(check_pin("relay", 27).is_ok());
    }
}
