//! The door station's brain: sans-IO state machines for access control and calls.
//!
//! vto-core knows nothing of sockets, threads or clocks. The caller passes facts and the
//! current time in, and polls for commands and for when to call again:
//!
//! ```text
//! core.handle_input(now, Input::CardPresented { .. });
//! while let Some(output) = core.poll_output() { /* energise a relay, send a datagram */ }
//! let wake_at = core.poll_timeout();
//! ```
//!
//! So every decision is deterministic and a test is a list of inputs and the outputs they
//! must produce. The crate is `no_std` with `alloc`, so it runs on a microcontroller as
//! well as in `vto-station`; a `clippy.toml` forbids clocks, sleeping and threads here.
//!
//! [`access`] holds the access-control engine: every unlock rule of the manual's Access
//! Control Settings. The call machine follows.
//!
//! ```
//! use vto_core::time::{Duration, Instant};
//!
//! let unlocked_at = Instant::from_millis(1_000);
//! let relock_at = unlocked_at + Duration::from_secs(2);
//! assert_eq!(relock_at - unlocked_at, Duration::from_secs(2));
//! ```
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod access;
pub mod time;
