//! A test bench for the access engine: drives it like the station does (deadlines on
//! time, inputs at their instants) and keeps every output with the time it came out.
#![allow(dead_code)]

use vto_core::access::*;
use vto_core::time::{Duration, Instant};

/// The engine, the current time and everything it said.
pub struct Bench {
    pub access: AccessControl,
    pub now: Instant,
    pub outputs: Vec<(Instant, Output)>,
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub fn at(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

pub const READER: ReaderId = ReaderId::BUILT_IN;

impl Bench {
    pub fn new(settings: AccessSettings) -> Self {
        let settings = settings.validate().expect("test settings are valid");
        let mut bench = Self {
            access: AccessControl::new(settings, Instant::ZERO),
            now: Instant::ZERO,
            outputs: Vec::new(),
        };
        bench.drain();
        bench
    }

    fn drain(&mut self) {
        while let Some(out) = self.access.poll_output() {
            self.outputs.push((self.now, out));
        }
    }

    /// Lets time pass to `to`, handling each deadline at its exact instant.
    pub fn advance_to(&mut self, to: Instant) {
        while let Some(deadline) = self.access.poll_timeout() {
            if deadline > to {
                break;
            }
            self.now = self.now.max(deadline);
            self.access.handle_timeout(self.now);
            self.drain();
        }
        self.now = self.now.max(to);
        self.access.handle_timeout(self.now);
        self.drain();
    }

    pub fn advance(&mut self, d: Duration) {
        let to = self.now + d;
        self.advance_to(to);
    }

    /// Feeds `input` at the current time; returns the outputs it produced.
    pub fn input(&mut self, input: Input) -> Vec<Output> {
        let start = self.outputs.len();
        self.access.handle_input(self.now, input);
        self.drain();
        self.outputs[start..].iter().map(|(_, o)| *o).collect()
    }

    /// Outputs since index `from`.
    pub fn since(&self, from: usize) -> Vec<Output> {
        self.outputs[from..].iter().map(|(_, o)| *o).collect()
    }

    pub fn add_card(&mut self, card: Card) {
        self.input(Input::CredentialsChanged(CredentialChange::CardUpserted(
            card,
        )));
    }

    pub fn swipe(&mut self, card: CardId) -> Vec<Output> {
        self.input(Input::CardPresented {
            reader: READER,
            card,
        })
    }

    pub fn door(&mut self, door: DoorId, state: vto_hal::DoorState) -> Vec<Output> {
        self.input(Input::DoorContactChanged { door, state })
    }

    /// The outcome of the last decision recorded.
    pub fn last_outcome(&self) -> Option<Outcome> {
        self.outputs.iter().rev().find_map(|(_, o)| match o {
            Output::RecordEvent(AccessEvent {
                kind: EventKind::Decision(d),
                ..
            }) => Some(d.outcome),
            _ => None,
        })
    }

    /// When each relay command came out, for `door`: (time, energized?).
    pub fn relay_commands(&self, door: DoorId) -> Vec<(Instant, bool)> {
        self.outputs
            .iter()
            .filter_map(|(t, o)| match o {
                Output::EnergizeLock { door: d, .. } if *d == door => Some((*t, true)),
                Output::ReleaseLock(d) if *d == door => Some((*t, false)),
                _ => None,
            })
            .collect()
    }

    pub fn alarms(&self) -> Vec<Alarm> {
        self.outputs
            .iter()
            .filter_map(|(_, o)| match o {
                Output::RaiseAlarm(a) => Some(*a),
                _ => None,
            })
            .collect()
    }
}

pub fn card(number: u64, room: u32, state: CardState) -> Card {
    Card {
        id: CardId::new(1, number),
        room: RoomNumber(room),
        owner: None,
        state,
        validity: Validity::ALWAYS,
    }
}

pub fn granted(door: DoorId) -> Option<Outcome> {
    Some(Outcome::Granted(door))
}

pub fn denied(reason: DenyReason) -> Option<Outcome> {
    Some(Outcome::Denied(reason))
}
