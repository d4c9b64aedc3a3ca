//! A lock relay on a GPIO line of the character device.

use gpiocdev::line::Value;

use super::error::LinuxError;
use super::line::{LineSpec, ResolvedLine};
use crate::ehal::{GpioLock, PinError};
use crate::error::ErrorType;
use crate::level::{Level, Polarity};
use crate::lock::{Lock, RelayState};

/// A lock relay on one GPIO output line.
///
/// Built on the generic [`GpioLock`] over a `gpiocdev-embedded-hal` output pin, so the
/// polarity logic is the one every board shares. The line is requested already at the
/// released level: there is no instant, not even between the request and the first
/// write, in which the relay could pull in.
///
/// On drop the relay is driven to [`RelayState::Released`] before the line is let go.
/// What the line does after that is up to the chip's driver: most SoC drivers keep the last
/// value (released, then), some revert to an input, where the relay board's own pull
/// decides (gpio-sim falls back to its simulated pull). An active-low board needs a pull-up
/// on its input for a freed line to stay released; see `docs/backends.md`.
#[derive(Debug)]
pub struct LinuxLock {
    inner: GpioLock<gpiocdev_embedded_hal::OutputPin>,
    line: ResolvedLine,
}

impl LinuxLock {
    /// Requests the line as an output at the released level, labelled "vto".
    pub fn open(spec: &LineSpec, polarity: Polarity) -> Result<Self, LinuxError> {
        let line = spec.resolve()?;
        let released = match polarity.relay_level(RelayState::Released) {
            Level::High => Value::Active,
            Level::Low => Value::Inactive,
        };
        let req = line.request(line.builder().as_output(released))?;
        let pin = gpiocdev_embedded_hal::OutputPin::try_from(req)
            .map_err(|e| pin_error(&line, "taking the line as a pin", e))?;
        let inner = GpioLock::new(pin, polarity)
            .map_err(|e| from_pin_error(&line, "releasing the relay", e))?;
        Ok(Self { inner, line })
    }

    /// The line the relay is on.
    pub fn line(&self) -> &ResolvedLine {
        &self.line
    }
}

impl ErrorType for LinuxLock {
    type Error = LinuxError;
}

impl Lock for LinuxLock {
    fn set(&mut self, state: RelayState) -> Result<(), LinuxError> {
        let op = match state {
            RelayState::Energized => "energizing the relay",
            RelayState::Released => "releasing the relay",
        };
        self.inner
            .set(state)
            .map_err(|e| from_pin_error(&self.line, op, e))
    }

    fn state(&mut self) -> Result<RelayState, LinuxError> {
        self.inner
            .state()
            .map_err(|e| from_pin_error(&self.line, "reading the relay", e))
    }
}

impl Drop for LinuxLock {
    /// Releases the relay: a lock must never stay open because its owner went away.
    fn drop(&mut self) {
        // Nothing can be reported from a drop; a failure here means the chip is gone, and
        // the line with it.
        let _ = self.inner.set(RelayState::Released);
    }
}

/// An error of a `gpiocdev-embedded-hal` pin on `line`.
pub(crate) fn pin_error(
    line: &ResolvedLine,
    op: &'static str,
    e: gpiocdev_embedded_hal::Error,
) -> LinuxError {
    match e {
        gpiocdev_embedded_hal::Error::Cdev(source) => line.error(op, source),
        other => LinuxError::Gpio {
            line: line.to_string(),
            op,
            source: gpiocdev::Error::InvalidArgument(other.to_string()),
        },
    }
}

/// An error of an embedded-hal adapter over a `gpiocdev-embedded-hal` pin on `line`.
pub(crate) fn from_pin_error(
    line: &ResolvedLine,
    op: &'static str,
    e: PinError<gpiocdev_embedded_hal::Error>,
) -> LinuxError {
    match e {
        PinError::Pin(e) => pin_error(line, op, e),
        PinError::DidNotFollow { driven, reads } => LinuxError::DidNotFollow {
            line: line.to_string(),
            driven,
            reads,
        },
        PinError::Window(reason) => LinuxError::Window {
            line: line.to_string(),
            reason,
        },
    }
}
