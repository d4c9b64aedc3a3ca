//! Unlock a simulated door for its unlock period, then lock it again.
//!
//! Wiring this stands for (see `rpi_lock_unlock.rs` for the real thing):
//!
//! ```text
//!   station GPIO ──► relay module IN      relay COM ── lock supply +12 V
//!                                         relay NO  ── electric strike + (fail-secure)
//!                                         relay NC  ── maglock +        (fail-safe)
//! ```
//!
//! Safety: the released relay is the locked door, so the example releases it on every
//! path out, and the probe proves the relay was energised for the unlock period only.
//!
//! Run: `cargo run --example sim_lock_unlock`

use std::time::Duration;

use vto::hal::sim::{Sim, SimClock};
use vto::hal::{Clock, Lock, RelayState};

/// The manual's default unlock period.
const UNLOCK_PERIOD: Duration = Duration::from_secs(2);

fn main() -> Result<(), vto::hal::sim::SimError> {
    // A manual clock: the example runs instantly and prints the same times every run.
    let sim = Sim::new(SimClock::manual());
    let (mut lock, probe) = sim.lock();
    println!("{} boot: relay {}", sim.clock().now(), probe.state());

    sim.clock().advance(Duration::from_millis(500));
    lock.energize()?;
    println!("{} unlock: relay {}", sim.clock().now(), probe.state());

    sim.clock().advance(UNLOCK_PERIOD);
    lock.release()?;
    println!(
        "{} unlock period over: relay {}",
        sim.clock().now(),
        probe.state()
    );

    for (start, length) in probe.energized_spans() {
        println!("the relay was energised at {start} for {length:?}");
        assert_eq!(length, UNLOCK_PERIOD);
    }
    assert_eq!(probe.state(), RelayState::Released);
    Ok(())
}
