//! Read cards from a Wiegand reader on a Raspberry Pi and print them as FC:CN.
//!
//! Wiring (BCM numbering; header pin numbers in brackets):
//!
//! ```text
//!   reader                         level shifter (BSS138, 2 channels)        Pi
//!   green  D0 ──────────────────── HV1            LV1 ───────────────────── GPIO5 [29]
//!   white  D1 ──────────────────── HV2            LV2 ───────────────────── GPIO6 [31]
//!                                  HV ── +5 V     LV ── 3V3 [1]
//!   red    +12 V ── 12 V supply +
//!   black  GND  ─── 12 V supply − ── level shifter GND ── Pi GND [30]   (common ground)
//! ```
//!
//! Level warning: reader data lines idle at 5 V (open collector with pull-ups inside the
//! reader); the Pi's GPIOs are 3.3 V and not 5 V tolerant. Never wire D0/D1 to the Pi
//! directly: use a level shifter, a divider (e.g. 1 kΩ over 2 kΩ) or opto-couplers.
//! The backend enables the Pi's internal pull-ups, so a line left open reads idle.
//!
//! Run on the Pi: `cargo run --features rpi --example rpi_wiegand_read -- [D0_BCM] [D1_BCM]`
//! (defaults: 5 6). Present a card; Ctrl-C to stop (nothing is driven, nothing to release).

use std::process::ExitCode;
use std::time::Duration;

use vto::hal::rpi::RpiWiegandReader;
use vto::hal::wiegand::{format, Credential, DecoderConfig, Format, WiegandFrame};
use vto::hal::WiegandReader;

const USAGE: &str = "usage: rpi_wiegand_read [D0_BCM (default 5)] [D1_BCM (default 6)]";
/// The formats tried, in order.
const FORMATS: &[Format] = &[Format::H10301, Format::H10306];

fn describe(frame: &WiegandFrame) -> String {
    match format::decode(&frame.bits, FORMATS) {
        Ok(Credential::Card {
            format,
            facility,
            number,
        }) => format!("{format:?} card {}:{}", facility.0, number.0),
        Ok(Credential::Key(key)) => format!("key {key:?}"),
        Ok(Credential::Raw(bits)) => format!("raw frame {bits}"),
        Err(e) => format!(
            "unreadable {}-bit frame {}: {e}",
            frame.bits.len(),
            frame.bits
        ),
    }
}

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
    let pin = |i: usize, default: u8| -> Result<u8, String> {
        args.get(i).map_or(Ok(default), |a| {
            a.parse()
                .map_err(|_| format!("BCM pin {a:?} is not a number"))
        })
    };
    let (d0, d1) = match (pin(0, 5), pin(1, 6), args.len() <= 2) {
        (Ok(d0), Ok(d1), true) => (d0, d1),
        (Err(e), _, _) | (_, Err(e), _) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
        (_, _, false) => {
            eprintln!("too many arguments\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut reader = match RpiWiegandReader::open(d0, d1, DecoderConfig::STANDARD) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            return ExitCode::FAILURE;
        }
    };
    println!("reading Wiegand on D0 GPIO{d0}, D1 GPIO{d1}; present a card");
    loop {
        match reader.read_frame(Duration::from_secs(1)) {
            Ok(Some(frame)) => println!("{} {}", frame.at, describe(&frame)),
            Ok(None) => {}
            // A malformed frame is an event to log, not a reason to stop.
            Err(e) => eprintln!("{}", chain(&e)),
        }
    }
}
