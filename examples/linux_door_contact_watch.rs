//! Watch a door contact on any Linux board's GPIO character device and print each
//! debounced change with the time of the edge that started it.
//!
//! Wiring (a reed contact between the line and ground; the kernel's pull-up holds the
//! line high while the contact is open):
//!
//! ```text
//!   board GPIO line ────────┐
//!                           ○ reed contact (NC: closed while the door is shut)
//!   board GND ──────────────┘
//! ```
//!
//! Level warning: contacts on a 12 V alarm loop must not go to a 3.3 V GPIO directly; use
//! an opto-coupler (then the polarity may invert). With the NC default a cut wire reads
//! as an open door, which is what a door station should assume.
//!
//! Run: `cargo run --features linux --example linux_door_contact_watch -- gpiochip0:17 [nc|no]`
//! (or `name:DOOR_CONTACT`). Ctrl-C to stop: nothing is driven.

use std::process::ExitCode;
use std::time::Duration;

use vto::hal::linux::{Bias, EdgeInput, InputConfig, LineSpec};
use vto::hal::{Contact, DoorState, Input, InputWiring, Polarity};

const USAGE: &str = "usage: linux_door_contact_watch LINE [nc|no]   (LINE as gpiochip0:17, /dev/gpiochip1:4, LABEL:3 or name:LINE_NAME; contact type default nc)";

/// The error with its causes, `a: b: c`, since a log line is all a field engineer gets.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s = format!("{s}: {c}");
        cause = c.source();
    }
    s
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (spec, contact) = match args.as_slice() {
        [line] => (line, "nc"),
        [line, contact] => (line, contact.as_str()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let spec: LineSpec = match spec.parse() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let contact = match contact {
        "nc" | "NC" => Contact::NormallyClosed,
        "no" | "NO" => Contact::NormallyOpen,
        other => {
            eprintln!("contact type {other:?} is not nc or no\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = InputConfig {
        // A contact to ground reads low while closed.
        wiring: InputWiring {
            contact,
            polarity: Polarity::ActiveLow,
        },
        bias: Bias::PullUp,
        ..InputConfig::NC_DOOR_CONTACT
    };
    let mut door = match EdgeInput::<DoorState>::open(&spec, config) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            return ExitCode::FAILURE;
        }
    };
    match door.state() {
        Ok(state) => println!(
            "door contact on {} ({contact:?}): door {state:?}",
            door.line()
        ),
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            return ExitCode::FAILURE;
        }
    }
    loop {
        match door.wait_event(Duration::from_secs(60)) {
            Ok(Some(event)) => println!("{} door {:?}", event.at, event.state),
            Ok(None) => {}
            Err(e) => {
                eprintln!("error: {}", chain(&e));
                return ExitCode::FAILURE;
            }
        }
    }
}
