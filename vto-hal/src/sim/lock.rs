use std::sync::Arc;

use super::waiter::Shared;
use super::{SimClock, SimError};
use crate::error::ErrorType;
use crate::lock::{Lock, RelayState};
use crate::time::{Clock, Duration, Timestamp};

/// A fault of the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockFault {
    /// The relay stays in this state whatever it is told (welded contacts, dead coil).
    StuckAt(RelayState),
}

#[derive(Debug, Default)]
struct LockState {
    relay: RelayState,
    history: Vec<(Timestamp, RelayState)>,
    fault: Option<LockFault>,
}

/// A simulated lock relay with a feedback contact.
#[derive(Debug)]
pub struct SimLock {
    shared: Arc<Shared<LockState>>,
    clock: SimClock,
}

/// What the relay of a [`SimLock`] did, and a way to break it.
#[derive(Debug, Clone)]
pub struct LockProbe {
    shared: Arc<Shared<LockState>>,
    clock: SimClock,
}

pub(super) fn pair(clock: SimClock) -> (SimLock, LockProbe) {
    let shared = Arc::new(Shared::new(LockState::default()));
    shared
        .lock()
        .history
        .push((clock.now(), RelayState::Released));
    (
        SimLock {
            shared: shared.clone(),
            clock: clock.clone(),
        },
        LockProbe { shared, clock },
    )
}

impl ErrorType for SimLock {
    type Error = SimError;
}

impl Lock for SimLock {
    fn set(&mut self, driven: RelayState) -> Result<(), SimError> {
        let now = self.clock.now();
        self.shared.update(|s| {
            let reads = match s.fault {
                Some(LockFault::StuckAt(stuck)) => stuck,
                None => driven,
            };
            if reads != s.relay {
                s.relay = reads;
                s.history.push((now, reads));
            }
            if reads == driven {
                Ok(())
            } else {
                Err(SimError::RelayStuck { driven, reads })
            }
        })
    }

    fn state(&mut self) -> Result<RelayState, SimError> {
        Ok(self.shared.lock().relay)
    }
}

impl LockProbe {
    /// What the relay is doing now.
    pub fn state(&self) -> RelayState {
        self.shared.lock().relay
    }

    /// Every change of the relay with its time, starting with the released state at creation.
    pub fn history(&self) -> Vec<(Timestamp, RelayState)> {
        self.shared.lock().history.clone()
    }

    /// Each period the relay was energised: its start and length (up to now if it still is).
    pub fn energized_spans(&self) -> Vec<(Timestamp, Duration)> {
        let history = self.history();
        let now = self.clock.now();
        let mut spans = Vec::new();
        for (i, (at, state)) in history.iter().enumerate() {
            if *state == RelayState::Energized {
                let end = history.get(i + 1).map_or(now, |(t, _)| *t);
                spans.push((*at, end - *at));
            }
        }
        spans
    }

    /// Breaks the relay.
    pub fn inject(&self, fault: LockFault) {
        self.shared.update(|s| {
            s.fault = Some(fault);
            let LockFault::StuckAt(state) = fault;
            if s.relay != state {
                s.relay = state;
                s.history.push((self.clock.now(), state));
            }
        });
    }

    /// Repairs the relay; it stays where it is until told again.
    pub fn repair(&self) {
        self.shared.update(|s| s.fault = None);
    }
}
