//! Direction control of an RS-485 transceiver.

use embedded_hal::digital::OutputPin;

use super::drive_level;
use super::error::PinError;
use crate::level::Polarity;

/// Switches a half-duplex transceiver between sending and listening.
pub trait DirectionControl {
    /// The error of the control line.
    type Error: crate::error::Error;
    /// Enables the driver (DE) before sending.
    fn transmit(&mut self) -> Result<(), Self::Error>;
    /// Releases the bus to listen.
    fn receive(&mut self) -> Result<(), Self::Error>;
}

/// A transceiver that switches direction by itself (e.g. MAX13487, or boards with an
/// automatic direction circuit): no pin to drive.
#[derive(Debug, Clone, Copy, Default)]
pub struct AutoDirection;

impl DirectionControl for AutoDirection {
    type Error = core::convert::Infallible;
    fn transmit(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    fn receive(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A DE/RE pin (DE and the inverted RE tied together, as on most MAX485 boards).
#[derive(Debug)]
pub struct DirectionPin<P> {
    pin: P,
    polarity: Polarity,
}

impl<P: OutputPin> DirectionPin<P> {
    /// Takes the pin and starts listening, so the station never holds the bus at boot.
    pub fn new(pin: P, polarity: Polarity) -> Result<Self, PinError<P::Error>> {
        let mut d = Self { pin, polarity };
        d.receive()?;
        Ok(d)
    }
}

impl<P: OutputPin> DirectionControl for DirectionPin<P> {
    type Error = PinError<P::Error>;
    fn transmit(&mut self) -> Result<(), Self::Error> {
        drive_level(&mut self.pin, self.polarity.level(true)).map_err(PinError::Pin)
    }
    fn receive(&mut self) -> Result<(), Self::Error> {
        drive_level(&mut self.pin, self.polarity.level(false)).map_err(PinError::Pin)
    }
}
