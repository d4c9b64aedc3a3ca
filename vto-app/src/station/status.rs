//! What `/api/v1/status` shows: the station's parts, the locks and doors, and what failed.

use std::time::Duration;

use serde::Serialize;
use utoipa::ToSchema;
use vto_core::access::PortFunction;
use vto_hal::{DoorState, RelayState};

use crate::hardware::HardwareError;

/// A relay's state in the API.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RelayView {
    /// Released: the door is locked.
    Released,
    /// Energized: the door is unlocked.
    Energized,
}

impl From<RelayState> for RelayView {
    fn from(s: RelayState) -> Self {
        match s {
            RelayState::Released => Self::Released,
            RelayState::Energized => Self::Energized,
        }
    }
}

/// A door contact's state in the API.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DoorView {
    /// Shut.
    Closed,
    /// Open.
    Open,
}

impl From<DoorState> for DoorView {
    fn from(s: DoorState) -> Self {
        match s {
            DoorState::Closed => Self::Closed,
            DoorState::Open => Self::Open,
        }
    }
}

/// What a lock's contact port carries.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PortView {
    /// A door contact.
    DoorContact,
    /// A fire alarm.
    FireAlarm,
}

impl From<PortFunction> for PortView {
    fn from(f: PortFunction) -> Self {
        match f {
            PortFunction::DoorContact => Self::DoorContact,
            PortFunction::FireAlarm => Self::FireAlarm,
        }
    }
}

/// One lock and its door.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct DoorStatus {
    /// 1 (local) or 2 (RS-485).
    pub lock: u8,
    /// The relay.
    pub relay: RelayView,
    /// The door contact's last report, if any.
    pub door: Option<DoorView>,
    /// What the contact port carries.
    pub port: PortView,
    /// Whether the relay works (false when it failed to come up or to switch).
    pub available: bool,
}

/// A part that failed.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Failure {
    /// Which part.
    pub part: String,
    /// What happened.
    pub message: String,
}

/// The station's status.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct StationStatus {
    /// vto-station's version.
    pub version: String,
    /// sim, linux or rpi.
    pub backend: String,
    /// `true` when some part failed: see `failures`.
    pub degraded: bool,
    /// Parts that failed to come up or while running.
    pub failures: Vec<Failure>,
    /// Both locks.
    pub doors: Vec<DoorStatus>,
    /// Cards loaded.
    pub cards: usize,
    /// Milliseconds from start until every relay was released.
    pub relays_safe_ms: f64,
}

impl StationStatus {
    pub(crate) fn new(backend: &str, degraded: &[HardwareError], relays_safe: Duration) -> Self {
        let mut status = Self {
            version: env!("CARGO_PKG_VERSION").to_string(),
            backend: backend.to_string(),
            degraded: false,
            failures: Vec::new(),
            doors: (1..=2)
                .map(|lock| DoorStatus {
                    lock,
                    relay: RelayView::Released,
                    door: None,
                    port: PortView::DoorContact,
                    available: true,
                })
                .collect(),
            cards: 0,
            relays_safe_ms: relays_safe.as_secs_f64() * 1000.0,
        };
        for e in degraded {
            status.note_failure(e);
        }
        status
    }

    pub(crate) fn note_failure(&mut self, e: &HardwareError) {
        self.degraded = true;
        for (i, door) in self.doors.iter_mut().enumerate() {
            if e.part.starts_with(&format!("lock {}", i + 1)) {
                door.available = false;
            }
        }
        if !self
            .failures
            .iter()
            .any(|f| f.part == e.part && f.message == e.message)
        {
            self.failures.push(Failure {
                part: e.part.clone(),
                message: e.message.clone(),
            });
        }
    }
}
