//! The simulated hardware of a villa door station, booted into its safe state.

use std::fmt;

use vto_hal::sim::{
    InputControl, LockProbe, ReaderControl, Sim, SimClock, SimError, SimInput, SimLock,
    SimWiegandReader,
};
use vto_hal::wiegand::{
    format, Bits, Credential, DecoderConfig, Format, FormatError, WiegandTiming,
};
use vto_hal::{
    ButtonState, Clock, DoorState, FireAlarmState, Input, InputState, Lock, RelayState,
    TamperState, Timestamp, WiegandReader,
};

use crate::console::Command;

/// How long a contact must be stable before a change counts (reed contacts, push buttons).
const DEBOUNCE: std::time::Duration = vto_hal::debounce::DEFAULT_WINDOW;

/// How long a simulated visitor holds a button.
const PRESS_LENGTH: std::time::Duration = std::time::Duration::from_millis(200);

/// The formats the reader accepts, in the order 37-bit frames are tried.
pub const READER_FORMATS: &[Format] = &[
    Format::H10301,
    Format::H10306,
    Format::Corporate1000,
    Format::H10302,
    Format::Keypad4,
    Format::Keypad8,
    Format::Raw,
];

/// Which button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonKind {
    /// The call button on the front.
    Call,
    /// The exit button inside.
    Exit,
}

/// Something the hardware reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HardwareEvent {
    /// A door contact changed.
    Door {
        /// 1 (local lock) or 2 (RS-485 lock).
        lock: u8,
        /// The door.
        state: DoorState,
        /// When its contact moved.
        at: Timestamp,
    },
    /// A button changed.
    Button {
        /// Which.
        button: ButtonKind,
        /// Pressed or released.
        state: ButtonState,
        /// When.
        at: Timestamp,
    },
    /// The fire alarm input changed.
    FireAlarm {
        /// Alarm or normal.
        state: FireAlarmState,
        /// When.
        at: Timestamp,
    },
    /// The tamper switch changed.
    Tamper {
        /// Tampered or intact.
        state: TamperState,
        /// When.
        at: Timestamp,
    },
    /// The reader sent a frame.
    Credential {
        /// The frame as received.
        bits: Bits,
        /// What it means, or why it means nothing.
        decoded: Result<Credential, FormatError>,
        /// When its last pulse ended.
        at: Timestamp,
    },
    /// The reader's lines carried something that is not a frame.
    ReaderFault {
        /// What was wrong.
        error: SimError,
    },
}

impl fmt::Display for HardwareEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Door { lock, state, at } => write!(f, "{at} door {lock}: {state:?}"),
            Self::Button { button, state, at } => write!(f, "{at} {button:?} button: {state:?}"),
            Self::FireAlarm { state, at } => write!(f, "{at} fire alarm input: {state:?}"),
            Self::Tamper { state, at } => write!(f, "{at} tamper switch: {state:?}"),
            Self::Credential { bits, decoded, at } => match decoded {
                Ok(Credential::Card {
                    format,
                    facility,
                    number,
                }) => {
                    write!(
                        f,
                        "{at} card read: {format} FC {} CN {}",
                        facility.0, number.0
                    )
                }
                Ok(Credential::Key(key)) => write!(f, "{at} key pressed: {key:?}"),
                Ok(Credential::Raw(bits)) => {
                    write!(f, "{at} raw frame ({} bits): {bits}", bits.len())
                }
                Err(e) => write!(f, "{at} unreadable frame ({} bits {bits}): {e}", bits.len()),
            },
            Self::ReaderFault { error } => write!(f, "reader fault: {error}"),
        }
    }
}

struct Line<S: InputState> {
    input: SimInput<S>,
    control: InputControl<S>,
}

impl<S: InputState> Line<S> {
    fn new(sim: &Sim, initial: S) -> Self {
        let (input, control) = sim
            .input(initial, DEBOUNCE)
            .expect("the default window is in range");
        Self { input, control }
    }

    fn poll(&mut self) -> Option<vto_hal::InputEvent<S>> {
        self.input
            .wait_event(std::time::Duration::ZERO)
            .unwrap_or(None)
    }

    fn press(&self) {
        self.control.pulse(PRESS_LENGTH);
    }
}

/// Every peripheral of a villa station, simulated.
pub struct SimStation {
    sim: Sim,
    locks: [(SimLock, LockProbe); 2],
    doors: [Line<DoorState>; 2],
    exit: Line<ButtonState>,
    call: Line<ButtonState>,
    fire: Line<FireAlarmState>,
    tamper: Line<TamperState>,
    reader: SimWiegandReader,
    card_holder: ReaderControl,
}

/// The station's hardware failed to come up.
#[derive(Debug, thiserror::Error)]
#[error("lock {lock} could not be released at boot: {source}")]
pub struct BootError {
    lock: u8,
    source: SimError,
}

impl SimStation {
    /// Creates the hardware and releases every lock, the safe state.
    pub fn boot(clock: SimClock) -> Result<Self, BootError> {
        let sim = Sim::new(clock);
        let mut locks = [sim.lock(), sim.lock()];
        for (i, (lock, _)) in locks.iter_mut().enumerate() {
            lock.release().map_err(|source| BootError {
                lock: i as u8 + 1,
                source,
            })?;
        }
        let (reader, card_holder) = sim
            .wiegand_reader(DecoderConfig::STANDARD, WiegandTiming::STANDARD)
            .expect("the standard decoder configuration is valid");
        Ok(Self {
            doors: [
                Line::new(&sim, DoorState::Closed),
                Line::new(&sim, DoorState::Closed),
            ],
            exit: Line::new(&sim, ButtonState::Released),
            call: Line::new(&sim, ButtonState::Released),
            fire: Line::new(&sim, FireAlarmState::Normal),
            tamper: Line::new(&sim, TamperState::Intact),
            locks,
            reader,
            card_holder,
            sim,
        })
    }

    /// The relays of lock 1 and lock 2.
    pub fn relays(&self) -> [RelayState; 2] {
        [self.locks[0].1.state(), self.locks[1].1.state()]
    }

    /// The simulation's clock.
    pub fn clock(&self) -> &SimClock {
        self.sim.clock()
    }

    /// Does what the command says to the simulated world. Returns text to show, if any.
    pub fn apply(&mut self, command: &Command) -> Result<Option<String>, FormatError> {
        match command {
            Command::Call => self.call.press(),
            Command::Exit => self.exit.press(),
            Command::Door { lock, open } => {
                let state = if *open {
                    DoorState::Open
                } else {
                    DoorState::Closed
                };
                self.doors[usize::from(lock.saturating_sub(1).min(1))]
                    .control
                    .set(state);
            }
            Command::Present(format, credential) => {
                self.card_holder.present(*format, credential)?
            }
            Command::Keys(keys) => {
                for key in keys {
                    self.card_holder
                        .present(Format::Keypad4, &Credential::Key(*key))?;
                }
            }
            Command::Fire(on) => self.fire.control.set(FireAlarmState::from_active(*on)),
            Command::Tamper(on) => self.tamper.control.set(TamperState::from_active(*on)),
            Command::Status => {
                let [a, b] = self.relays();
                return Ok(Some(format!(
                    "lock 1 (local) relay {a}; lock 2 (RS-485) relay {b}"
                )));
            }
            Command::Help => return Ok(Some(crate::console::HELP.to_string())),
            Command::Quit => {}
        }
        Ok(None)
    }

    /// Collects what the hardware reported within `timeout`.
    ///
    /// With a manual clock the clock moves on by `timeout`; with the system clock the call
    /// sleeps that long first, so a loop calling it polls at that period.
    pub fn poll_events(
        &mut self,
        timeout: std::time::Duration,
    ) -> Result<Vec<HardwareEvent>, SimError> {
        if self.clock().is_manual() {
            self.clock().advance(timeout);
        } else {
            std::thread::sleep(timeout);
        }
        let mut events = Vec::new();
        for (i, door) in self.doors.iter_mut().enumerate() {
            while let Some(e) = door.poll() {
                events.push(HardwareEvent::Door {
                    lock: i as u8 + 1,
                    state: e.state,
                    at: e.at,
                });
            }
        }
        for (button, line) in [
            (ButtonKind::Exit, &mut self.exit),
            (ButtonKind::Call, &mut self.call),
        ] {
            while let Some(e) = line.poll() {
                events.push(HardwareEvent::Button {
                    button,
                    state: e.state,
                    at: e.at,
                });
            }
        }
        while let Some(e) = self.fire.poll() {
            events.push(HardwareEvent::FireAlarm {
                state: e.state,
                at: e.at,
            });
        }
        while let Some(e) = self.tamper.poll() {
            events.push(HardwareEvent::Tamper {
                state: e.state,
                at: e.at,
            });
        }
        loop {
            match self.reader.read_frame(std::time::Duration::ZERO) {
                Ok(Some(frame)) => events.push(HardwareEvent::Credential {
                    bits: frame.bits,
                    decoded: format::decode(&frame.bits, READER_FORMATS),
                    at: frame.at,
                }),
                Ok(None) => break,
                Err(error @ SimError::Frame(_)) => {
                    events.push(HardwareEvent::ReaderFault { error })
                }
                Err(e) => return Err(e),
            }
        }
        events.sort_by_key(|e| match e {
            HardwareEvent::Door { at, .. }
            | HardwareEvent::Button { at, .. }
            | HardwareEvent::FireAlarm { at, .. }
            | HardwareEvent::Tamper { at, .. }
            | HardwareEvent::Credential { at, .. } => *at,
            HardwareEvent::ReaderFault { .. } => self.sim.clock().now(),
        });
        Ok(events)
    }

    /// Releases every lock: the state the station must leave its doors in.
    pub fn shutdown(&mut self) -> Vec<(u8, Result<(), SimError>)> {
        self.locks
            .iter_mut()
            .enumerate()
            .map(|(i, (lock, _))| (i as u8 + 1, lock.release()))
            .collect()
    }
}
