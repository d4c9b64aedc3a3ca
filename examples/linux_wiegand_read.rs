//! Read cards from a Wiegand reader on any Linux board's GPIO character device.
//!
//! Wiring (any two lines of one gpiochip; `gpioinfo` lists them):
//!
//! ```text
//!   reader                         level shifter / opto-coupler             board
//!   green  D0 ──────────────────── 5 V side   3.3 V side ────────────────── D0 line
//!   white  D1 ──────────────────── 5 V side   3.3 V side ────────────────── D1 line
//!   red    +12 V ── 12 V supply +
//!   black  GND  ─── 12 V supply − ── board GND                 (common ground)
//! ```
//!
//! Level warning: reader data lines idle at 5 V; SoC GPIOs are usually 3.3 V and not 5 V
//! tolerant. Always shift the levels. The backend requests both lines in one request with
//! the kernel's pull-up and both-edge detection, and decodes on the kernel's timestamps.
//!
//! Run: `cargo run --features linux --example linux_wiegand_read -- gpiochip0:5 gpiochip0:6`
//! (or `name:WIEGAND_D0 name:WIEGAND_D1`). Ctrl-C to stop: nothing is driven.

use std::process::ExitCode;
use std::time::Duration;

use vto::hal::linux::{LineSpec, LinuxWiegandReader};
use vto::hal::wiegand::{format, Credential, DecoderConfig, Format, WiegandFrame};
use vto::hal::{Error, ErrorKind, WiegandReader};

const USAGE: &str = "usage: linux_wiegand_read D0_LINE D1_LINE   (lines as gpiochip0:5, /dev/gpiochip1:4, LABEL:3 or name:LINE_NAME)";
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
    let [d0, d1] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let specs = d0
        .parse::<LineSpec>()
        .and_then(|d0| Ok((d0, d1.parse::<LineSpec>()?)));
    let (d0, d1) = match specs {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut reader = match LinuxWiegandReader::open(&d0, &d1, DecoderConfig::STANDARD) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            return ExitCode::FAILURE;
        }
    };
    println!(
        "reading Wiegand on D0 {}, D1 {}; present a card",
        reader.d0(),
        reader.d1()
    );
    loop {
        match reader.read_frame(Duration::from_secs(1)) {
            Ok(Some(frame)) => println!("{} {}", frame.at, describe(&frame)),
            Ok(None) => {}
            // A malformed frame is an event to log, not a reason to stop; a vanished chip is.
            Err(e) if e.kind() == ErrorKind::Disconnected => {
                eprintln!("error: {}", chain(&e));
                return ExitCode::FAILURE;
            }
            Err(e) => eprintln!("{}", chain(&e)),
        }
    }
}
