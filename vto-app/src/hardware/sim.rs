//! The simulated station: every peripheral of a villa door station, with hands on it
//! ([`SimControls`]) for the console, the `/api/v1/sim` endpoints and tests.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vto_core::access::{DoorId, PortFunction};
use vto_hal::sim::{InputControl, LockProbe, ReaderControl, Sim, SimClock};
use vto_hal::wiegand::{Bits, Credential, DecoderConfig, Format, FormatError, Key, WiegandTiming};
use vto_hal::{ButtonState, Contact, InputState, Lock, RelayState, TamperState, Timestamp};

use super::port::{circuit_for, Circuit};
use super::{watch, ButtonKind, Hardware, HardwareError, HwEvent, NamedLock, StopSignal};

/// How long a contact must be stable before a change counts.
const DEBOUNCE: Duration = vto_hal::debounce::DEFAULT_WINDOW;

/// How long a simulated visitor holds a button.
const PRESS_LENGTH: Duration = Duration::from_millis(200);

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

/// How each lock's contact port is configured now; kept current by the station so that
/// "open the door" closes or opens the contact as an NC or NO contact would.
pub type PortConfigs = Arc<Mutex<[(PortFunction, Contact); 2]>>;

/// Both ports at [`DEFAULT_PORT`](super::port::DEFAULT_PORT), as at boot.
pub fn default_port_configs() -> PortConfigs {
    Arc::new(Mutex::new([super::port::DEFAULT_PORT; 2]))
}

/// Options for the simulated hardware.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Relays found energized at boot, as after a crash in the middle of an unlock.
    pub energized_at_boot: [bool; 2],
    /// Parts that fail to come up (`"lock 2"`, `"reader"`), to test degraded starts.
    pub missing: Vec<String>,
}

/// Hands on the simulated world. Cheap to clone; every clone drives the same world.
#[derive(Clone)]
pub struct SimControls {
    clock: SimClock,
    /// Contact ports: `Pressed` stands for a closed contact (the line carries the raw
    /// circuit; its meaning is applied by the station).
    ports: [InputControl<ButtonState>; 2],
    port_configs: PortConfigs,
    exit: InputControl<ButtonState>,
    call: InputControl<ButtonState>,
    tamper: InputControl<TamperState>,
    reader: ReaderControl,
    relays: [LockProbe; 2],
}

/// A simulated action that could not be done.
#[derive(Debug, thiserror::Error)]
pub enum SimActionError {
    /// The credential cannot be encoded in that format.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// No such door, port or device.
    #[error("{0}")]
    NoSuch(String),
}

/// A relay's state and history, from the probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayProbe {
    /// What the relay does now.
    pub state: RelayState,
    /// Every change with its time.
    pub history: Vec<(Timestamp, RelayState)>,
}

impl SimControls {
    /// The simulation's clock.
    pub fn clock(&self) -> &SimClock {
        &self.clock
    }

    /// The shared port configuration the station keeps current.
    pub fn port_configs(&self) -> PortConfigs {
        self.port_configs.clone()
    }

    /// Opens or closes the door of `door`: moves its contact as the configured contact
    /// type would. On a port in fire-alarm mode this raises or clears the alarm instead.
    pub fn set_door(&self, door: DoorId, open: bool) {
        self.set_port(door, open);
    }

    /// Raises or clears the fire alarm wired to `door`'s contact port.
    pub fn set_fire_alarm(&self, door: DoorId, alarm: bool) {
        self.set_port(door, alarm);
    }

    fn set_port(&self, door: DoorId, active: bool) {
        let contact = self
            .port_configs
            .lock()
            .map(|c| c[door.index()].1)
            .unwrap_or_default();
        let closed = circuit_for(contact, active) == Circuit::Closed;
        self.ports[door.index()].set(ButtonState::from_active(closed));
    }

    /// Presses and releases a button.
    pub fn press(&self, button: ButtonKind) {
        match button {
            ButtonKind::Call => self.call.pulse(PRESS_LENGTH),
            ButtonKind::Exit => self.exit.pulse(PRESS_LENGTH),
        }
    }

    /// Opens (`true`) or closes the station's case.
    pub fn set_tamper(&self, open: bool) {
        self.tamper.set(TamperState::from_active(open));
    }

    /// Presents a credential at the reader, encoded in `format`.
    pub fn present(&self, format: Format, credential: &Credential) -> Result<(), SimActionError> {
        Ok(self.reader.present(format, credential)?)
    }

    /// Puts a raw frame on the reader's lines.
    pub fn send_bits(&self, bits: &Bits) {
        self.reader.send(bits);
    }

    /// Types keys on the reader's keypad (4-bit bursts).
    pub fn type_keys(&self, keys: &[Key]) -> Result<(), SimActionError> {
        for key in keys {
            self.reader
                .present(Format::Keypad4, &Credential::Key(*key))?;
        }
        Ok(())
    }

    /// Unplugs (`false`) or plugs back (`true`) a device: `"reader"`.
    pub fn set_plugged(&self, device: &str, plugged: bool) -> Result<(), SimActionError> {
        match device {
            "reader" if plugged => self.reader.plug(),
            "reader" => self.reader.unplug(),
            other => {
                return Err(SimActionError::NoSuch(format!(
                    "no simulated device {other:?}; devices: reader"
                )))
            }
        }
        Ok(())
    }

    /// The relay of `door`, from its probe.
    pub fn relay(&self, door: DoorId) -> RelayProbe {
        let probe = &self.relays[door.index()];
        RelayProbe {
            state: probe.state(),
            history: probe.history(),
        }
    }
}

/// Builds the simulated hardware and starts its threads.
pub fn build(clock: SimClock, ports: PortConfigs, options: &SimOptions) -> Hardware {
    let sim = Sim::new(clock.clone());
    let stop = StopSignal::default();
    let (tx, events) = mpsc::channel();
    let mut degraded = Vec::new();

    let mut locks: [Option<Box<dyn super::DynLock>>; 2] = [None, None];
    let mut relays = Vec::new();
    for (i, slot) in locks.iter_mut().enumerate() {
        let (mut lock, probe) = sim.lock();
        if options.energized_at_boot[i] {
            let _ = lock.energize();
        }
        relays.push(probe);
        let name = format!("lock {}", i + 1);
        if options.missing.contains(&name) {
            degraded.push(HardwareError {
                part: format!("{name} relay"),
                message: "not found".into(),
                kind: vto_hal::ErrorKind::Disconnected,
            });
        } else {
            *slot = Some(Box::new(NamedLock::new(format!("{name} relay"), lock)));
        }
    }

    let line = |initial| {
        sim.input(initial, DEBOUNCE)
            .expect("the default window is in range")
    };
    // At rest the configured contact shows its inactive circuit.
    let rest = |i: usize| {
        let contact = ports.lock().map(|c| c[i].1).unwrap_or_default();
        ButtonState::from_active(circuit_for(contact, false) == Circuit::Closed)
    };
    let (port0, port0_control) = line(rest(0));
    let (port1, port1_control) = line(rest(1));
    let (exit, exit_control) = line(ButtonState::Released);
    let (call, call_control) = line(ButtonState::Released);
    let (tamper, tamper_control) = sim
        .input(TamperState::Intact, DEBOUNCE)
        .expect("the default window is in range");
    let (reader, reader_control) = sim
        .wiegand_reader(DecoderConfig::STANDARD, WiegandTiming::STANDARD)
        .expect("the standard decoder configuration is valid");

    for (index, port) in [port0, port1].into_iter().enumerate() {
        watch::input(
            &format!("sim port {}", index + 1),
            &clock,
            &stop,
            &tx,
            port,
            move |e| HwEvent::Port {
                index,
                circuit: if e.state == ButtonState::Pressed {
                    Circuit::Closed
                } else {
                    Circuit::Open
                },
                at: e.at,
            },
        );
    }
    for (button, input) in [(ButtonKind::Exit, exit), (ButtonKind::Call, call)] {
        watch::input("sim button", &clock, &stop, &tx, input, move |e| {
            HwEvent::Button {
                button,
                state: e.state,
                at: e.at,
            }
        });
    }
    watch::input("sim tamper", &clock, &stop, &tx, tamper, |e| {
        HwEvent::Tamper {
            state: e.state,
            at: e.at,
        }
    });
    if options.missing.iter().any(|m| m == "reader") {
        degraded.push(HardwareError {
            part: "Wiegand reader".into(),
            message: "not found".into(),
            kind: vto_hal::ErrorKind::Disconnected,
        });
    } else {
        watch::reader(&stop, &tx, reader, READER_FORMATS.to_vec());
    }

    let controls = SimControls {
        clock: clock.clone(),
        ports: [port0_control, port1_control],
        port_configs: ports,
        exit: exit_control,
        call: call_control,
        tamper: tamper_control,
        reader: reader_control,
        relays: [relays.remove(0), relays.remove(0)],
    };
    Hardware {
        clock: Arc::new(clock),
        locks,
        events,
        degraded,
        backend: "sim",
        stop,
        sim: Some(controls),
    }
}
