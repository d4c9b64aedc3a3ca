//! The station's hardware as the engine loop sees it: two lock relays it drives, and a
//! channel of timestamped facts that backend threads feed (door ports, buttons, tamper,
//! card reader). Each backend builds a [`Hardware`]; a part that fails to come up is
//! listed in [`Hardware::degraded`] and the station runs without it.

#[cfg(feature = "linux")]
pub mod linux;
pub mod port;
#[cfg(feature = "sim")]
pub mod sim;
mod watch;

use std::fmt;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

use vto_hal::wiegand::Credential;
use vto_hal::{ButtonState, Clock, ErrorKind, Lock, RelayState, TamperState, Timestamp};

pub use port::{Circuit, PortReading};

/// A hardware error with its kind, from any backend.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part}: {message}")]
pub struct HardwareError {
    /// Which part (e.g. "lock 1 relay", "Wiegand reader").
    pub part: String,
    /// What the backend said.
    pub message: String,
    /// What kind of failure.
    pub kind: ErrorKind,
}

impl HardwareError {
    /// An error of `part` from a backend error.
    pub fn from_hal<E: vto_hal::Error>(part: impl Into<String>, e: &E) -> Self {
        Self {
            part: part.into(),
            message: e.to_string(),
            kind: e.kind(),
        }
    }
}

/// A lock relay behind any backend: the engine drives it without knowing which.
pub trait DynLock: Send {
    /// Drives the relay.
    fn set(&mut self, state: RelayState) -> Result<(), HardwareError>;
    /// Reads the relay back where the backend can.
    fn state(&mut self) -> Result<RelayState, HardwareError>;
}

/// Adapts any [`Lock`] to [`DynLock`], naming the part in its errors.
pub struct NamedLock<L> {
    name: String,
    lock: L,
}

impl<L: Lock + Send> NamedLock<L> {
    /// `lock`, called `name` in errors.
    pub fn new(name: impl Into<String>, lock: L) -> Self {
        Self {
            name: name.into(),
            lock,
        }
    }
}

impl<L: Lock + Send> DynLock for NamedLock<L> {
    fn set(&mut self, state: RelayState) -> Result<(), HardwareError> {
        self.lock
            .set(state)
            .map_err(|e| HardwareError::from_hal(&self.name, &e))
    }
    fn state(&mut self) -> Result<RelayState, HardwareError> {
        self.lock
            .state()
            .map_err(|e| HardwareError::from_hal(&self.name, &e))
    }
}

/// Which button.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ButtonKind {
    /// The call button on the front.
    Call,
    /// The exit button inside.
    Exit,
}

/// A fact from the hardware, with the time the hardware saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HwEvent {
    /// A lock's contact port changed (door contact or fire alarm, by configuration).
    Port {
        /// 0 for the local lock's port, 1 for the RS-485 lock's.
        index: usize,
        /// Whether the contact is closed.
        circuit: Circuit,
        /// When.
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
    /// The tamper switch changed.
    Tamper {
        /// Its state.
        state: TamperState,
        /// When.
        at: Timestamp,
    },
    /// The reader decoded a credential.
    Credential {
        /// What it was.
        credential: Credential,
        /// When its last pulse ended.
        at: Timestamp,
    },
    /// A part failed while running (unplugged reader, lost line).
    Failed(HardwareError),
}

/// Everything the station drives and listens to.
pub struct Hardware {
    /// The clock the hardware's timestamps are on; the engine runs on it too.
    pub clock: Arc<dyn Clock + Send + Sync>,
    /// Lock 1 (local) and lock 2 (RS-485); `None` if it failed to come up.
    pub locks: [Option<Box<dyn DynLock>>; 2],
    /// Facts from the backend threads.
    pub events: Receiver<HwEvent>,
    /// Parts that failed to come up: the station runs degraded without them.
    pub degraded: Vec<HardwareError>,
    /// The backend's name, for the status.
    pub backend: &'static str,
    /// Stops the backend threads when dropped or told.
    pub stop: StopSignal,
    /// Hands on the simulated world, when the backend is the simulation.
    #[cfg(feature = "sim")]
    pub sim: Option<sim::SimControls>,
}

impl fmt::Debug for Hardware {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hardware")
            .field("backend", &self.backend)
            .field("degraded", &self.degraded)
            .finish_non_exhaustive()
    }
}

/// Tells backend threads to stop; they check it at least every [`POLL`].
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<std::sync::atomic::AtomicBool>);

/// How long a backend thread blocks on its device before checking the stop signal.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(100);

impl StopSignal {
    /// Asks the threads to stop.
    pub fn stop(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether they should.
    pub fn is_stopped(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Starts a named backend thread that runs `body` until it returns or the stop signal.
pub(crate) fn spawn_watch(
    name: &str,
    stop: &StopSignal,
    tx: Sender<HwEvent>,
    mut body: impl FnMut(&Sender<HwEvent>) -> bool + Send + 'static,
) {
    let stop = stop.clone();
    let spawned = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            while !stop.is_stopped() {
                if !body(&tx) {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the {name} thread: {e}");
    }
}

/// The hardware `config` describes, for the backends compiled in.
pub fn build(config: &crate::config::StationConfig) -> Result<Hardware, String> {
    use crate::config::Backend;
    match config.station.backend {
        #[cfg(feature = "sim")]
        Backend::Sim => Ok(sim::build(
            vto_hal::sim::SimClock::system(),
            sim::default_port_configs(),
            &sim::SimOptions::default(),
        )),
        #[cfg(feature = "linux")]
        Backend::Linux => Ok(linux::build(config)),
        other => Err(format!(
            "backend {:?} is not available in this build or release: built with {}",
            other.name(),
            [
                #[cfg(feature = "sim")]
                "sim",
                #[cfg(feature = "linux")]
                "linux",
            ]
            .join(", ")
        )),
    }
}
