//! The README's first command, run as a user runs it: `vto-station run --sim`, driven
//! through its console.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// A running station and the lines it prints.
struct Station {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Station {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vto-station"))
            .args(["run", "--sim"])
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start vto-station");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    fn type_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write to the console");
    }

    /// Waits (at most 20 s) until a printed line contains `text`.
    fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.seen.iter().any(|l| l.contains(text)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!(
                    "no line with {text:?} within 20 s; printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Sends `quit` and waits (at most 20 s) for a clean exit.
    fn quit(mut self) -> Vec<String> {
        self.type_line("quit");
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "vto-station exited with {status}");
                break;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("vto-station did not stop on `quit`");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.seen.extend(self.lines.iter());
        std::mem::take(&mut self.seen)
    }
}

impl Drop for Station {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_simulated_station_boots_with_locks_released_and_reports_what_happens_at_the_door() {
    let mut station = Station::start();
    station.expect("lock 1 (local) relay released, lock 2 (RS-485) relay released (safe state)");
    for (command, reported) in [
        ("door 1 open", "door 1: Open"),
        ("call", "Call button: Pressed"),
        ("card 12:3456", "card read: H10301 26-bit FC 12 CN 3456"),
        ("keys 1#", "key pressed: Hash"),
        ("fire on", "fire alarm input: Alarm"),
        ("bogus", "unknown command \"bogus\""),
        ("card 300:1", "facility code 300 is outside 0..=255"),
    ] {
        station.type_line(command);
        station.expect(reported);
    }
    station.expect("key pressed: Digit(1)");
    station.expect("Call button: Released");
    let printed = station.quit().join("\n");
    assert!(printed.contains("lock 1: relay released"), "{printed}");
    assert!(printed.contains("lock 2: relay released"), "{printed}");
    assert!(printed.contains("station stopped"), "{printed}");
}

#[test]
fn run_without_sim_says_what_to_do_instead_of_starting() {
    let out = Command::new(env!("CARGO_BIN_EXE_vto-station"))
        .arg("run")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vto-station run --sim"));
}
