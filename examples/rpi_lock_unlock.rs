//! Unlock a door on a Raspberry Pi for the unlock period, then lock it again.
//!
//! Wiring (BCM numbering; header pin numbers in brackets):
//!
//! ```text
//!   Pi                                  1-channel relay module (opto-isolated)
//!   GPIO17 [11] ──────────────────────► IN
//!   5V     [2]  ──────────────────────► VCC
//!   GND    [6]  ──────────────────────► GND
//!
//!   relay COM ── lock supply +12 V
//!   relay NO  ── electric strike +   (fail-secure: locked when unpowered)
//!   relay NC  ── maglock +           (fail-safe: use NC instead of NO)
//!   lock −    ── lock supply −        + a flyback diode across a DC strike's coil
//! ```
//!
//! Level warning: the Pi's GPIOs are 3.3 V and not 5 V tolerant. Most cheap modules are
//! active-low with the opto-coupler's LED between VCC (5 V) and IN: a 3.3 V "high" may not
//! switch them off completely. Use a module rated for 3.3 V inputs, or a transistor /
//! ULN2803 stage (then active-high), and never feed 5 V back into a GPIO.
//!
//! Safety: a released relay is a locked door. The relay is released at open, after the
//! unlock period, on every error path (the lock releases itself when dropped), and on
//! Ctrl-C: the relay is driven by a child process in its own process group, which Ctrl-C
//! does not reach; the child listens on a pipe from this process and releases the relay
//! the moment the pipe closes, i.e. when this process ends for any reason. Only killing
//! the child itself with SIGKILL (or cutting the Pi's power alone) can leave the relay
//! energised; the next run releases it at open.
//!
//! Run on the Pi: `cargo run --features rpi --example rpi_lock_unlock -- [BCM_PIN] [SECONDS] [active-low|active-high]`
//! (defaults: 17, 3, active-low).

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use vto::hal::rpi::RpiLock;
use vto::hal::{Lock, Polarity};

const USAGE: &str = "usage: rpi_lock_unlock [BCM_PIN (0..=27, default 17)] [SECONDS (1..=20, default 3)] [active-low|active-high (default active-low)]";
/// The hidden first argument that makes the process the relay driver.
const CHILD: &str = "--drive-relay";

struct Args {
    pin: u8,
    seconds: u64,
    polarity: Polarity,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        pin: 17,
        seconds: 3,
        polarity: Polarity::ActiveLow,
    };
    if let Some(a) = args.first() {
        parsed.pin = a
            .parse()
            .map_err(|_| format!("BCM pin {a:?} is not a number"))?;
    }
    if let Some(a) = args.get(1) {
        parsed.seconds = a
            .parse()
            .ok()
            .filter(|s| (1..=20).contains(s))
            .ok_or_else(|| format!("unlock period {a:?} is not 1..=20 seconds"))?;
    }
    if let Some(a) = args.get(2) {
        parsed.polarity = match a.as_str() {
            "active-low" => Polarity::ActiveLow,
            "active-high" => Polarity::ActiveHigh,
            _ => return Err(format!("polarity {a:?} is not active-low or active-high")),
        };
    }
    if args.len() > 3 {
        return Err("too many arguments".into());
    }
    Ok(parsed)
}

/// The relay driver: energise, wait for the period or for the parent to go away, release.
fn drive(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut lock = RpiLock::open(args.pin, args.polarity)?;
    // The parent holds our stdin's pipe: EOF means it is gone (Ctrl-C, kill, crash).
    let (parent_gone, gone) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        let _ = parent_gone.send(());
    });
    lock.energize()?;
    eprintln!("GPIO{}: relay energized, door unlocked", args.pin);
    let why = match gone.recv_timeout(Duration::from_secs(args.seconds)) {
        Err(mpsc::RecvTimeoutError::Timeout) => "unlock period over",
        _ => "interrupted",
    };
    lock.release()?;
    eprintln!("GPIO{}: relay released, door locked ({why})", args.pin);
    Ok(())
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
    let all: Vec<String> = std::env::args().skip(1).collect();
    let (child, rest) = match all.first().map(String::as_str) {
        Some(CHILD) => (true, &all[1..]),
        _ => (false, &all[..]),
    };
    let args = match parse(rest) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if child {
        return match drive(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {}", chain(e.as_ref()));
                ExitCode::FAILURE
            }
        };
    }

    // The parent: start the driver out of the terminal's reach and wait for it.
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("error: cannot find this program to start the relay driver: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut driver = match Command::new(exe)
        .arg(CHILD)
        .args(rest)
        .stdin(Stdio::piped())
        .process_group(0)
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot start the relay driver: {e}");
            return ExitCode::FAILURE;
        }
    };
    // `wait` would close the pipe first, which the driver takes for Ctrl-C: hold it here.
    let _pipe = driver.stdin.take();
    println!(
        "unlocking for {} s (GPIO{}, {:?}); Ctrl-C locks at once",
        args.seconds, args.pin, args.polarity
    );
    match driver.wait() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            eprintln!("relay driver failed ({status})");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: waiting for the relay driver: {e}");
            ExitCode::FAILURE
        }
    }
}
