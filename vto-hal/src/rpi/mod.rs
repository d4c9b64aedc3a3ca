//! The Raspberry Pi through rppal: relays, inputs and Wiegand readers on BCM GPIO pins,
//! RS-485 on a UART.
//!
//! Pins are named by BCM number (GPIO17 is header pin 11), 0..=27; anything else is
//! refused with the allowed range before the hardware is touched. Outputs go through the
//! generic [`crate::ehal`] adapters over rppal's embedded-hal pins; inputs use rppal's
//! synchronous interrupts, whose events carry the kernel's `CLOCK_MONOTONIC` timestamps,
//! fed to the sans-IO [`Debouncer`](crate::debounce::Debouncer) and Wiegand
//! [`Decoder`](crate::wiegand::Decoder).
//!
//! The Pi's GPIOs are 3.3 V and not 5 V tolerant: Wiegand readers (5 V data lines), 5 V
//! relay boards and 12 V door contacts need level shifting or opto-isolation. See
//! `docs/backends.md` for the wiring and every limit.
//!
//! The `linux` backend works on a Pi too (`/dev/gpiochip0`, lines named `GPIO17`); it
//! has no process-wide interrupt lock and a larger edge buffer for Wiegand, at the cost of
//! needing the line names or chip offsets rather than BCM numbers.

mod error;
mod input;
mod lock;
mod rs485;
mod wiegand;

pub use crate::level::{Bias, InputConfig};
pub use error::{RpiError, BCM_RANGE};
pub use input::RpiInput;
pub use lock::RpiLock;
pub use rs485::{Parity, RpiDirection, RpiRs485, UartConfig};
pub use wiegand::RpiWiegandReader;
