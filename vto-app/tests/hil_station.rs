//! The whole station on the Linux backend against the kernel's own GPIO driver, in the
//! HIL VM (`scripts/hil-test.sh`): `station.toml` names gpio-sim lines, the station thread
//! runs as in production, and the test acts as the world through gpio-sim's sysfs.
//!
//! | bank 0 (inputs the test drives) | bank 1 (outputs the station drives) |
//! |---|---|
//! | 0: exit button (NO to ground, pull-up) | 0: lock 1 relay (active high) |
//! | 1: lock 1 door contact (NC to ground) | 1: lock 2 relay (active low) |
#![cfg(feature = "linux")]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vto_app::config::StationConfig;
use vto_app::hardware::linux;
use vto_app::station::{Station, StationOptions};
use vto_app::store::{EventQuery, Store, StoreOptions};

fn env(key: &str) -> String {
    std::env::var(key)
        .unwrap_or_else(|_| panic!("{key} is not set: run through scripts/hil-test.sh"))
}

fn sim_file(bank: u8, n: u32, attr: &str) -> PathBuf {
    PathBuf::from(env(&format!("HIL_GPIOSIM_SYSFS_{bank}"))).join(format!("sim_gpio{n}/{attr}"))
}

fn pull(bank: u8, n: u32, up: bool) {
    std::fs::write(
        sim_file(bank, n, "pull"),
        if up { "pull-up" } else { "pull-down" },
    )
    .unwrap();
}

fn value(bank: u8, n: u32) -> u8 {
    std::fs::read_to_string(sim_file(bank, n, "value"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Polls `line` until it reads `want`; the time it did, or a panic after `patience`.
fn wait_for(bank: u8, n: u32, want: u8, patience: Duration) -> Instant {
    let deadline = Instant::now() + patience;
    loop {
        if value(bank, n) == want {
            return Instant::now();
        }
        assert!(
            Instant::now() < deadline,
            "bank {bank} line {n} did not read {want} within {patience:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn config(data: &std::path::Path) -> StationConfig {
    let (c0, c1) = (env("HIL_GPIOCHIP_0"), env("HIL_GPIOCHIP_1"));
    StationConfig::from_toml_str(&format!(
        r#"
[station]
backend = "linux"
data_dir = "{data}"

[locks.local]
relay = {{ chip = "{c1}", offset = 0 }}
active_low = false
contact = {{ chip = "{c0}", offset = 1 }}

[locks.rs485]
relay = {{ chip = "{c1}", offset = 1 }}
active_low = true

[inputs]
exit_button = {{ chip = "{c0}", offset = 0 }}

[debounce]
window_ms = 30
"#,
        data = data.display()
    ))
    .expect("the test's station.toml is valid")
}

#[test]
#[ignore = "needs the HIL VM"]
fn the_exit_button_on_a_real_gpio_line_opens_lock_1_for_its_unlock_period() {
    let dir = tempfile::tempdir().unwrap();
    // The world at rest: button released (line pulled up), door shut (NC contact closed
    // to ground: the line reads low).
    pull(0, 0, true);
    pull(0, 1, false);
    // The relay boards' own resistors hold each coil off while no one drives the line
    // (an active-low board pulls its input up): what the line shows once the station's
    // process has let go of it.
    pull(1, 0, false);
    pull(1, 1, true);
    let config = config(dir.path());
    let hardware = linux::build(&config);
    assert!(
        hardware.degraded.is_empty(),
        "every part comes up: {:?}",
        hardware.degraded
    );
    let database = dir.path().join("vto.sqlite3");
    let station = Station::start(
        hardware,
        StationOptions {
            database: database.clone(),
            store: StoreOptions::default(),
        },
    )
    .expect("the station starts");
    // Boot: both relays released, in their own polarity.
    assert_eq!(value(1, 0), 0, "lock 1 (active high) released at boot");
    assert_eq!(value(1, 1), 1, "lock 2 (active low) released at boot");

    // Shut the door (the station's pull-up bias had opened the contact's line when it
    // requested it).
    pull(0, 1, false);
    std::thread::sleep(Duration::from_millis(300));

    // A press of 300 ms, as a person would. The unlock period runs from the press (the
    // kernel's timestamp of the edge), so the relay is released 2 s after it, however
    // long the debouncing and the emulated CPU took to energize it.
    let pressed = Instant::now();
    pull(0, 0, false);
    std::thread::sleep(Duration::from_millis(300));
    pull(0, 0, true);
    let on = wait_for(1, 0, 1, Duration::from_secs(3));
    let off = wait_for(1, 0, 0, Duration::from_secs(5));
    assert!(
        on - pressed < Duration::from_millis(1_000),
        "energized {:?} after the press",
        on - pressed
    );
    let released_after = off - pressed;
    assert!(
        (Duration::from_millis(1_950)..Duration::from_millis(2_600)).contains(&released_after),
        "released {released_after:?} after the press, expected the 2 s unlock period"
    );
    assert_eq!(value(1, 1), 1, "lock 2 untouched");

    // The door opens while locked: forced open is not raised without the sensor check,
    // but the contact's change is logged (door-sensor sync is off, the log is not).
    pull(0, 1, true);
    std::thread::sleep(Duration::from_millis(500));
    station.stop();
    assert_eq!(value(1, 0), 0, "lock 1 released at stop");
    assert_eq!(value(1, 1), 1, "lock 2 released at stop");

    let store = Store::open(&database, &StoreOptions::default()).unwrap();
    let events = store.query_events(&EventQuery::newest(50)).unwrap();
    let details: Vec<&str> = events.iter().map(|e| e.event.detail.as_str()).collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("exit button: lock 1 unlocked")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("door 1 opened")),
        "{details:?}"
    );
}
