//! vto-station: the reference door station, as a program and as a library.
//!
//! [`run`] is the one seam: settings, [`hardware`] and listeners in; it serves the REST
//! API ([`api`]) until told to stop. Inside, one thread ([`station`]) owns the access
//! engine of vto-core and the database writer ([`store`]); hardware facts arrive on a
//! channel from backend threads. [`config`] reads `station.toml` and validates the
//! runtime settings sections.
//!
//! ```no_run
//! # async fn example() -> Result<(), vto_app::RunError> {
//! use vto_app::hardware::sim::{self, SimOptions};
//! use vto_app::{run, Listeners, RunSettings};
//!
//! let ports = sim::default_port_configs();
//! let hardware = sim::build(vto_hal::sim::SimClock::system(), ports, &SimOptions::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! let settings = RunSettings { data_dir: "vto-data".into(), store: Default::default() };
//! run(settings, hardware, Listeners { api: listener }, async { /* until stopped */ }).await
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod api;
pub mod config;
pub mod console;
pub mod hardware;
pub mod init;
pub mod run;
pub mod station;
pub mod store;

pub use run::{run, Listeners, RunError, RunSettings};
