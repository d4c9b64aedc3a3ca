//! vto-station: the reference door station, as a program and as a library.
//!
//! This release starts the station's simulated hardware: it boots every lock into its safe
//! (released) state, watches the door contacts, buttons, fire alarm, tamper switch and card
//! reader, and reports what they do. A console drives the simulated world (press the call
//! button, present a card, open a door). The access-control and call logic of vto-core and
//! the network side follow in later releases.
//!
//! ```
//! use std::time::Duration;
//! use vto_app::sim_station::{HardwareEvent, SimStation};
//! use vto_app::console::Command;
//! use vto_hal::sim::SimClock;
//!
//! let mut station = SimStation::boot(SimClock::manual()).unwrap();
//! station.apply(&Command::parse("door 1 open").unwrap()).unwrap();
//! let events = station.poll_events(Duration::from_millis(100)).unwrap();
//! assert!(events.iter().any(|e| matches!(e, HardwareEvent::Door { lock: 1, .. })));
//! ```
#![forbid(unsafe_code)]

pub mod config;
pub mod console;
pub mod sim_station;
pub mod store;
