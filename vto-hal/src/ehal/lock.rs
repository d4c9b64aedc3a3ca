//! A lock relay on one output pin.

use embedded_hal::digital::StatefulOutputPin;

use super::error::PinError;
use super::{drive_level, Level};
use crate::error::ErrorType;
use crate::level::Polarity;
use crate::lock::{Lock, RelayState};

/// A lock relay driven by one output pin with a [`Polarity`].
///
/// Creating it releases the relay, so whatever the pin did before (boot glitches, a
/// crashed process), the door starts locked.
#[derive(Debug)]
pub struct GpioLock<P> {
    pin: P,
    polarity: Polarity,
}

impl<P: StatefulOutputPin> GpioLock<P> {
    /// Takes the pin and releases the relay.
    pub fn new(pin: P, polarity: Polarity) -> Result<Self, PinError<P::Error>> {
        let mut lock = Self { pin, polarity };
        lock.set(RelayState::Released)?;
        Ok(lock)
    }

    /// Gives the pin back, leaving it as it is.
    pub fn into_inner(self) -> P {
        self.pin
    }
}

impl<P: StatefulOutputPin> ErrorType for GpioLock<P> {
    type Error = PinError<P::Error>;
}

impl<P: StatefulOutputPin> Lock for GpioLock<P> {
    fn set(&mut self, state: RelayState) -> Result<(), Self::Error> {
        drive_level(&mut self.pin, self.polarity.relay_level(state)).map_err(PinError::Pin)?;
        let reads = self.state()?;
        if reads != state {
            return Err(PinError::DidNotFollow {
                driven: state,
                reads,
            });
        }
        Ok(())
    }

    fn state(&mut self) -> Result<RelayState, Self::Error> {
        let level = if self.pin.is_set_high().map_err(PinError::Pin)? {
            Level::High
        } else {
            Level::Low
        };
        Ok(self.polarity.relay_state(level))
    }
}
