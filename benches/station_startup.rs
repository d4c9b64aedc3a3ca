//! How fast `vto-station` comes up with a full database, and what it costs at idle:
//! time from process start to "relays released" and to "API ready" with 100,000 cards
//! and 1,000,000 events, and the resident memory once idle. Runs the real binary (built
//! in release by this bench) as a user would, on simulated hardware.
//!
//! Run: `cargo bench --bench station_startup` (about a minute, most of it filling the
//! database once).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vto::app::store::{CardRecord, EventType, NewEvent, Store, StoreOptions};
use vto::core::access::{CardId, CardState, RoomNumber, Validity};

const CARDS: u64 = 100_000;
const EVENTS: u64 = 1_000_000;

fn fill(db: &Path) {
    let mut store = Store::open(db, &StoreOptions::default()).expect("open");
    let started = Instant::now();
    store
        .import_cards((0..CARDS).map(|n| CardRecord {
            id: CardId::new((n % 10) as u32, n),
            room: RoomNumber(100 + (n % 500) as u32),
            owner: format!("Resident {n}"),
            state: CardState::Normal,
            validity: Validity::ALWAYS,
            created_at_ms: 1_700_000_000_000,
        }))
        .expect("import");
    let batch: Vec<NewEvent> = (0..10_000)
        .map(|i| {
            let mut e = NewEvent::new(1_700_000_000_000 + i, EventType::Decision, "card granted");
            e.card = Some(CardId::new(1, i as u64));
            e.room = Some(RoomNumber(101));
            e.door = Some(1);
            e
        })
        .collect();
    for _ in 0..EVENTS / 10_000 {
        store.append_events(&batch).expect("events");
    }
    println!(
        "filled {CARDS} cards and {EVENTS} events in {:.1?}",
        started.elapsed()
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = write!(
        s,
        "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    );
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "-q",
            "-p",
            "vto-app",
            "--bin",
            "vto-station",
        ])
        .current_dir(root)
        .status()
        .expect("cargo build");
    assert!(status.success());
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| root.join("target").display().to_string());
    let binary = Path::new(&target).join("release/vto-station");

    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    fill(&data.join("vto.sqlite3"));

    for round in 1..=3 {
        let port = free_port();
        let config = dir.path().join("station.toml");
        std::fs::write(
            &config,
            format!(
                "[station]\nbackend = \"sim\"\ndata_dir = \"{}\"\n[api]\nlisten = \"127.0.0.1:{port}\"\n",
                data.display()
            ),
        )
        .unwrap();
        let started = Instant::now();
        let mut child = Command::new(&binary)
            .args(["run", "--config"])
            .arg(&config)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vto-station");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("relays released (safe state)") {
                    let _ = tx.send(Instant::now());
                }
                if line.contains("cards and") || line.contains("API ready") {
                    println!("  station: {}", line.trim());
                }
            }
        });
        let safe = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("relays released within 30 s")
            - started;
        while !healthy(port) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "API not ready in 60 s"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let ready = started.elapsed();
        std::thread::sleep(Duration::from_secs(3));
        let rss = rss_kib(child.id());
        println!(
            "round {round}: relays safe {safe:.1?}, API ready {ready:.1?}, idle RSS {:.1} MiB",
            rss as f64 / 1024.0
        );
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().expect("wait");
        assert!(status.success(), "vto-station exited with {status}");
    }
}
