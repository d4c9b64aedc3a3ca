//! A lock relay on a Pi GPIO pin.

use crate::ehal::{GpioLock, PinError};
use crate::error::ErrorType;
use crate::level::{Level, Polarity};
use crate::lock::{Lock, RelayState};

use super::error::{take_pin, RpiError};

/// A lock relay on one BCM GPIO pin.
///
/// The pin is switched to an output already at the released level (rppal sets the level
/// before the mode), so the relay never pulls in at open.
///
/// rppal's own `reset_on_drop` would put the pin back into the mode it had before, usually
/// a floating input; whether a floating input means "released" depends on the relay
/// board, and a 5 V active-low board on a 3.3 V pin may even pull in weakly. So it is
/// turned off, and on drop the relay is driven released and the pin is left an output at
/// that level — the Pi's GPIO registers keep it after the process exits. A process killed
/// outright (SIGKILL, power loss of the Pi alone) runs no drop at all: the pin keeps its
/// last level, which is why an unlock must be short and a hardware timer relay is the only
/// real guarantee.
#[derive(Debug)]
pub struct RpiLock {
    inner: GpioLock<rppal::gpio::OutputPin>,
    pin: u8,
}

impl RpiLock {
    /// Takes BCM pin `pin` as an output at the released level.
    pub fn open(pin: u8, polarity: Polarity) -> Result<Self, RpiError> {
        let raw = take_pin("lock relay", pin)?;
        let mut out = match polarity.relay_level(RelayState::Released) {
            Level::High => raw.into_output_high(),
            Level::Low => raw.into_output_low(),
        };
        out.set_reset_on_drop(false);
        let inner = GpioLock::new(out, polarity).map_err(|e| pin_error(pin, e))?;
        Ok(Self { inner, pin })
    }

    /// The BCM number of the relay pin.
    pub fn pin(&self) -> u8 {
        self.pin
    }
}

impl ErrorType for RpiLock {
    type Error = RpiError;
}

impl Lock for RpiLock {
    fn set(&mut self, state: RelayState) -> Result<(), RpiError> {
        self.inner.set(state).map_err(|e| pin_error(self.pin, e))
    }

    fn state(&mut self) -> Result<RelayState, RpiError> {
        self.inner.state().map_err(|e| pin_error(self.pin, e))
    }
}

impl Drop for RpiLock {
    /// Releases the relay and leaves the pin driving the released level.
    fn drop(&mut self) {
        // rppal pins cannot fail to write; a DidNotFollow cannot be acted on in a drop.
        let _ = self.inner.set(RelayState::Released);
    }
}

/// An error of an embedded-hal adapter over an rppal pin (whose own error is infallible).
pub(crate) fn pin_error(pin: u8, e: PinError<core::convert::Infallible>) -> RpiError {
    match e {
        PinError::Pin(never) => match never {},
        PinError::DidNotFollow { driven, reads } => RpiError::DidNotFollow { pin, driven, reads },
        PinError::Window(reason) => RpiError::Window { pin, reason },
    }
}
