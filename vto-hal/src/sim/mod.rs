//! Simulated hardware: every trait of vto-hal, with probes and a fault injector.
//!
//! The simulation is a first-class backend, not a mock: it runs the same debouncer and
//! Wiegand decoder as the real backends, fed with the edges a real contact or reader
//! would produce, and it passes the same [`conformance`](crate::conformance) suite. Each
//! peripheral comes as a pair: the device the station uses (it implements the trait) and
//! a handle for the outside world (press, present, open, look at what the relay did,
//! inject a fault).
//!
//! Time comes from a [`SimClock`]: the system's monotonic clock for a running station,
//! or a manual clock for deterministic tests. With a manual clock, a wait that would block
//! moves the clock forward to the next thing that can happen instead (like tokio's paused
//! time), so tests never sleep and always see the same timestamps.
//!
//! ```
//! use vto_hal::sim::{Sim, SimClock};
//! use vto_hal::{Lock, RelayState};
//!
//! let sim = Sim::new(SimClock::manual());
//! let (mut lock, probe) = sim.lock();
//! lock.energize().unwrap();
//! sim.clock().advance(std::time::Duration::from_secs(2));
//! lock.release().unwrap();
//! assert_eq!(probe.state(), RelayState::Released);
//! assert_eq!(probe.energized_spans()[0].1, std::time::Duration::from_secs(2));
//! ```

pub mod audio;
pub mod camera;
mod clock;
mod error;
mod input;
mod lock;
mod rs485;
mod waiter;
mod wiegand;

pub use clock::SimClock;
pub use error::SimError;
pub use input::{InputControl, InputFault, SimInput};
pub use lock::{LockFault, LockProbe, SimLock};
pub use rs485::{BusPeer, SimRs485};
pub use wiegand::{ReaderControl, SimWiegandReader, SimWiegandWriter, WriterProbe};

use crate::debounce::WindowOutOfRange;
use crate::input::InputState;
use crate::time::Duration;
use crate::wiegand::{DecoderConfig, DecoderConfigError, WiegandTiming};

/// Makes simulated peripherals that share one clock.
#[derive(Debug, Clone)]
pub struct Sim {
    clock: SimClock,
}

impl Sim {
    /// A simulation running on `clock`.
    pub fn new(clock: SimClock) -> Self {
        Self { clock }
    }

    /// The shared clock.
    pub fn clock(&self) -> &SimClock {
        &self.clock
    }

    /// A lock relay, released, and its probe.
    pub fn lock(&self) -> (SimLock, LockProbe) {
        lock::pair(self.clock.clone())
    }

    /// A debounced input starting in `initial`, and the hand that moves it.
    pub fn input<S: InputState>(
        &self,
        initial: S,
        window: Duration,
    ) -> Result<(SimInput<S>, InputControl<S>), WindowOutOfRange> {
        input::pair(self.clock.clone(), initial, window)
    }

    /// A Wiegand reader decoding with `config`, and the card holder in front of it, who
    /// sends with `timing`.
    pub fn wiegand_reader(
        &self,
        config: DecoderConfig,
        timing: WiegandTiming,
    ) -> Result<(SimWiegandReader, ReaderControl), DecoderConfigError> {
        wiegand::reader_pair(self.clock.clone(), config, timing)
    }

    /// A Wiegand output, and a probe of the frames it sent.
    pub fn wiegand_writer(&self, timing: WiegandTiming) -> (SimWiegandWriter, WriterProbe) {
        wiegand::writer_pair(self.clock.clone(), timing)
    }

    /// An RS-485 port, and the device at the other end of the bus.
    pub fn rs485(&self) -> (SimRs485, BusPeer) {
        rs485::pair(self.clock.clone())
    }
}
