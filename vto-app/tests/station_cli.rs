//! The README's first command, run as a user runs it: `vto-station run --sim`, driven
//! through its console; and the other subcommands.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// A running station and the lines it prints (standard output and the log).
struct Station {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Station {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("station.toml");
        std::fs::write(
            &config,
            "[station]\nbackend = \"sim\"\ndata_dir = \"data\"\n[api]\nlisten = \"127.0.0.1:0\"\n",
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vto-station"))
            .args(["run", "--sim", "--config"])
            .arg(&config)
            .current_dir(dir.path())
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .env_remove("JOURNAL_STREAM")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vto-station");
        let (tx, lines) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        return;
                    }
                }
            });
        }
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            lines,
            seen: Vec::new(),
            _dir: dir,
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
        drop(self.stdin.take());
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(500)) {
            self.seen.push(line);
        }
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
fn the_simulated_station_boots_safe_serves_its_api_and_says_what_happens_at_the_door() {
    let mut station = Station::start();
    station.expect("relays released (safe state)");
    station.expect("API ready at http://127.0.0.1:");
    for (command, reported) in [
        ("card 12:3456", "card 12:3456: denied (unknown_card)"),
        ("exit", "exit button: lock 1 unlocked"),
        ("status", "lock 1 (local) relay"),
        ("bogus", "unknown command \"bogus\""),
        ("card 300:1", "facility code 300 is outside 0..=255"),
    ] {
        station.type_line(command);
        station.expect(reported);
    }
    station.expect("lock 1 locked (relay released)");
    let printed = station.quit().join("\n");
    assert!(printed.contains("lock 1: relay released"), "{printed}");
    assert!(printed.contains("lock 2: relay released"), "{printed}");
    assert!(printed.contains("station stopped"), "{printed}");
}

#[test]
fn run_without_a_config_or_sim_says_what_to_do_instead_of_starting() {
    let out = Command::new(env!("CARGO_BIN_EXE_vto-station"))
        .arg("run")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sim"));
}

#[test]
fn check_config_accepts_the_shipped_example_and_names_the_bad_key() {
    // The shipped example, minus its TLS files (check-config reads them; they exist only
    // on an installed station).
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/station.toml"))
            .unwrap();
    let without_tls: String = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("[tls]")
                || t.starts_with("tls_listen")
                || t.starts_with("certificate")
                || t.starts_with("private_key")
            {
                format!("# {l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let example = dir.path().join("station.toml");
    std::fs::write(&example, without_tls).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vto-station"))
        .arg("check-config")
        .arg(&example)
        .output()
        .unwrap();
    // The example wires a Linux board: valid where the linux backend is compiled in,
    // refused with a hint otherwise.
    if cfg!(feature = "linux") {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        assert!(String::from_utf8_lossy(&out.stderr).contains("--features linux"));
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[station]\nbackend = \"sim\"\n[rs485]\nport = \"/dev/ttyS1\"\nbaud = 300\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vto-station"))
        .arg("check-config")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rs485.baud = 300"));
}

#[test]
fn init_reads_the_password_from_a_file_and_refuses_weak_ones() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("station.toml");
    std::fs::write(
        &config,
        format!(
            "[station]\nbackend = \"sim\"\ndata_dir = \"{}\"\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let weak = dir.path().join("weak");
    std::fs::write(&weak, "12345678\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vto-station"))
        .args(["init", "--email", "ops@example.com", "--config"])
        .arg(&config)
        .arg("--password-file")
        .arg(&weak)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password refused"));
    let good = dir.path().join("good");
    std::fs::write(&good, "Door-Keeper7\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vto-station"))
        .args(["init", "--email", "ops@example.com", "--config"])
        .arg(&config)
        .arg("--password-file")
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Door-Keeper7"));
}
