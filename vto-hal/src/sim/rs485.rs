use std::collections::VecDeque;
use std::sync::Arc;

use super::waiter::Shared;
use super::{SimClock, SimError};
use crate::error::ErrorType;
use crate::rs485::Rs485;
use crate::time::{Clock, Duration, Timestamp};

#[derive(Debug, Default)]
struct Bus {
    to_peer: VecDeque<u8>,
    to_port: VecDeque<u8>,
    /// Every transmission: when the driver was enabled and how many bytes it sent.
    transmissions: Vec<(Timestamp, usize)>,
    driving: bool,
    disconnected: bool,
}

/// A simulated RS-485 port.
#[derive(Debug)]
pub struct SimRs485 {
    shared: Arc<Shared<Bus>>,
    clock: SimClock,
}

/// The device at the other end of a [`SimRs485`] bus (the second lock's controller).
#[derive(Debug, Clone)]
pub struct BusPeer {
    shared: Arc<Shared<Bus>>,
    clock: SimClock,
}

pub(super) fn pair(clock: SimClock) -> (SimRs485, BusPeer) {
    let shared = Arc::new(Shared::new(Bus::default()));
    (
        SimRs485 {
            shared: shared.clone(),
            clock: clock.clone(),
        },
        BusPeer { shared, clock },
    )
}

impl ErrorType for SimRs485 {
    type Error = SimError;
}

impl Rs485 for SimRs485 {
    fn transmit(&mut self, bytes: &[u8]) -> Result<(), SimError> {
        let now = self.clock.now();
        self.shared.update(|bus| {
            if bus.disconnected {
                return Err(SimError::Disconnected("rs-485 bus"));
            }
            bus.driving = true;
            bus.to_peer.extend(bytes);
            bus.transmissions.push((now, bytes.len()));
            bus.driving = false;
            Ok(())
        })
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, SimError> {
        let shared = self.shared.clone();
        let end = self.clock.now() + timeout;
        let mut bus = shared.lock();
        loop {
            if bus.disconnected {
                return Err(SimError::Disconnected("rs-485 bus"));
            }
            if !bus.to_port.is_empty() || buf.is_empty() {
                let n = buf.len().min(bus.to_port.len());
                for (slot, byte) in buf.iter_mut().zip(bus.to_port.drain(..n)) {
                    *slot = byte;
                }
                return Ok(n);
            }
            if self.clock.now() >= end {
                return Ok(0);
            }
            bus = shared.wait_until(bus, &self.clock, end);
        }
    }
}

impl BusPeer {
    /// Sends bytes to the port.
    pub fn send(&self, bytes: &[u8]) {
        self.shared.update(|bus| bus.to_port.extend(bytes));
    }

    /// Takes what the port has sent so far, waiting up to `timeout` for at least one byte.
    pub fn receive(&self, timeout: Duration) -> Vec<u8> {
        let end = self.clock.now() + timeout;
        let mut bus = self.shared.lock();
        while bus.to_peer.is_empty() && self.clock.now() < end {
            bus = self.shared.wait_until(bus, &self.clock, end);
        }
        bus.to_peer.drain(..).collect()
    }

    /// Whether the port's driver is enabled now.
    pub fn driving(&self) -> bool {
        self.shared.lock().driving
    }

    /// Each transmission of the port: when, and how many bytes.
    pub fn transmissions(&self) -> Vec<(Timestamp, usize)> {
        self.shared.lock().transmissions.clone()
    }

    /// Cuts the bus: the port's reads and writes fail as disconnected.
    pub fn disconnect(&self) {
        self.shared.update(|bus| bus.disconnected = true);
    }

    /// Reconnects the bus.
    pub fn reconnect(&self) {
        self.shared.update(|bus| bus.disconnected = false);
    }
}
