//! Adapters over any embedded-hal 1.0 pin, so vto-hal runs on any board.
//!
//! This is where logic levels end: [`GpioLock`] turns a [`RelayState`](crate::RelayState)
//! into a level with its [`Polarity`](crate::Polarity), [`PolledInput`] turns a level into
//! a door, button or alarm state with its [`InputWiring`](crate::InputWiring). The Linux and
//! Raspberry Pi backends build on these with their own pins.
//!
//! embedded-hal has no edge events, so [`PolledInput`] samples; a board with interrupts
//! feeds edges to a [`Debouncer`](crate::debounce::Debouncer) (and Wiegand edges to a
//! [`Decoder`](crate::wiegand::Decoder)) from its handler instead.

mod direction;
mod error;
mod input;
mod lock;
mod wiegand_writer;

pub use direction::{AutoDirection, DirectionControl, DirectionPin};
pub use error::PinError;
pub use input::PolledInput;
pub use lock::GpioLock;
pub use wiegand_writer::GpioWiegandWriter;

use crate::level::Level;

/// Reads a pin as a [`Level`].
pub(crate) fn read_level<P: embedded_hal::digital::InputPin>(
    pin: &mut P,
) -> Result<Level, P::Error> {
    Ok(if pin.is_high()? {
        Level::High
    } else {
        Level::Low
    })
}

/// Drives a pin to a [`Level`].
pub(crate) fn drive_level<P: embedded_hal::digital::OutputPin>(
    pin: &mut P,
    level: Level,
) -> Result<(), P::Error> {
    match level {
        Level::High => pin.set_high(),
        Level::Low => pin.set_low(),
    }
}
