//! The trait-level test suite every backend must pass.
//!
//! One suite, run against the simulation on the host and against the Linux backend on the
//! kernel's own drivers in the test VM, so that the simulation cannot drift from what real
//! hardware does. A backend written outside vto-hal (an OEM board) can run it too: build a
//! rig that can see the physical side of the peripheral, and call the suite.
//!
//! The suites panic with a message naming the behaviour that broke, like any test.

mod input;
mod lock;
mod rs485;
mod wiegand;

pub use input::{input_suite, InputRig};
pub use lock::{lock_suite, LockRig};
pub use rs485::{rs485_suite, Rs485Rig};
pub use wiegand::{wiegand_reader_suite, WiegandRig};
