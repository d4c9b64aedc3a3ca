//! Generic Linux: GPIO through the character device, RS-485 through serial ports.
//!
//! GPIO goes through `/dev/gpiochipN` with the **uAPI v2** (via the `gpiocdev` and
//! `gpiocdev-embedded-hal` crates), not through `linux-embedded-hal`'s `gpio-cdev`: that
//! crate speaks uAPI v1, which the kernel deprecated in 5.10 and which has no per-line
//! bias, no choice of event clock and no sequence numbers to detect lost edges. Outputs
//! go through the generic [`crate::ehal`] adapters ([`GpioLock`](crate::ehal::GpioLock),
//! [`GpioWiegandWriter`](crate::ehal::GpioWiegandWriter),
//! [`DirectionPin`](crate::ehal::DirectionPin)), so the polarity logic is the one every
//! board shares; inputs use the kernel's edge events, timestamped on `CLOCK_MONOTONIC`
//! in the interrupt handler, fed to the sans-IO [`Debouncer`](crate::debounce::Debouncer)
//! and Wiegand [`Decoder`](crate::wiegand::Decoder). Every request carries the consumer
//! label [`CONSUMER`] ("vto"), so `gpioinfo` shows who holds a line.
//!
//! Lines are named in the configuration as [`LineSpec`]s: `gpiochip0:17`,
//! `/dev/gpiochip1:4`, `LABEL:3` or `name:DOOR_CONTACT`. Mistakes (no such chip, an
//! offset past the end, an unknown name, a line someone else holds) are reported when the
//! device is opened, with the chip and line named. See `docs/backends.md`.
//!
//! ```no_run
//! use vto_hal::linux::{EdgeInput, InputConfig, LineSpec, LinuxLock};
//! use vto_hal::{DoorState, Input, Lock, Polarity};
//! use vto_hal::time::Duration;
//!
//! # fn main() -> Result<(), vto_hal::linux::LinuxError> {
//! let mut relay = LinuxLock::open(&"gpiochip0:17".parse()?, Polarity::ActiveLow)?;
//! let mut door = EdgeInput::<DoorState>::open(&"name:DOOR_CONTACT".parse()?, InputConfig::NC_DOOR_CONTACT)?;
//! relay.energize()?;
//! if let Some(event) = door.wait_event(Duration::from_secs(5))? {
//!     println!("door {:?} at {}", event.state, event.at);
//! }
//! relay.release()?;
//! # Ok(())
//! # }
//! ```

mod delay;
mod error;
mod events;
mod input;
mod line;
mod lock;
mod rs485;
mod wiegand;

pub use crate::level::{Bias, InputConfig};
pub use delay::{MonotonicDelay, SPIN_LIMIT};
pub use error::LinuxError;
pub use input::EdgeInput;
pub use line::{ChipRef, LineSpec, ParseLineSpecError, ResolvedLine, CONSUMER};
pub use lock::LinuxLock;
pub use rs485::{GpioDirection, Parity, SerialConfig, SerialRs485, StopBits, BAUD_RANGE};
pub use wiegand::{
    LinuxWiegandReader, LinuxWiegandWriter, KERNEL_DEBOUNCE_RANGE_US, KERNEL_EVENT_BUFFER,
    REORDER_HOLD,
};
