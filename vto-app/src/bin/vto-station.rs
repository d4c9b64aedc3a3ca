//! `vto-station`: the door station program. A thin shell over the `vto_app` library.

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use vto_app::console::{Command, HELP};
use vto_app::sim_station::SimStation;
use vto_hal::sim::SimClock;

/// How often the simulated hardware is polled; the most a reported event can lag.
const POLL_PERIOD: Duration = Duration::from_millis(10);

#[derive(Parser)]
#[command(name = "vto-station", version, about = "IP video door station")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the station.
    Run {
        /// Run on simulated hardware (the only hardware this release drives from here).
        #[arg(long)]
        sim: bool,
    },
    /// Print the version.
    Version,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_target(false)
        .init();
    match Cli::parse().command {
        Cmd::Version => {
            println!("vto-station {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Cmd::Run { sim: false } => {
            eprintln!(
                "error: this release runs on simulated hardware only: use `vto-station run --sim`"
            );
            ExitCode::from(2)
        }
        Cmd::Run { sim: true } => run_sim(),
    }
}

enum Line {
    Command(Command),
    Error(String),
    Stop,
}

fn run_sim() -> ExitCode {
    let mut station = match SimStation::boot(SimClock::system()) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let [a, b] = station.relays();
    tracing::info!(
        "simulated station up: lock 1 (local) relay {a}, lock 2 (RS-485) relay {b} (safe state)"
    );
    tracing::info!(
        "watching door contacts 1-2, exit and call buttons, fire alarm, tamper, Wiegand reader"
    );
    tracing::info!("type `help` for commands that drive the simulated world; Ctrl-C stops");

    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Line::Stop);
    }) {
        tracing::warn!("cannot catch Ctrl-C/SIGTERM: {e}");
    }
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if line.trim().is_empty() {
                continue;
            }
            let parsed = match Command::parse(&line) {
                Ok(c) => Line::Command(c),
                Err(e) => Line::Error(e.to_string()),
            };
            if tx.send(parsed).is_err() {
                return;
            }
        }
        // Standard input closed (a service, or `< /dev/null`): keep running until a signal.
    });

    loop {
        for line in rx.try_iter() {
            match line {
                Line::Stop | Line::Command(Command::Quit) => return shutdown(&mut station),
                Line::Error(e) => tracing::warn!("{e}"),
                Line::Command(Command::Help) => println!("{HELP}"),
                Line::Command(c) => match station.apply(&c) {
                    Ok(Some(text)) => tracing::info!("{text}"),
                    Ok(None) => {}
                    Err(e) => tracing::warn!("{e}"),
                },
            }
        }
        match station.poll_events(POLL_PERIOD) {
            Ok(events) => events.iter().for_each(|e| tracing::info!("{e}")),
            Err(e) => tracing::error!("hardware: {e}"),
        }
    }
}

fn shutdown(station: &mut SimStation) -> ExitCode {
    let mut ok = true;
    for (lock, result) in station.shutdown() {
        match result {
            Ok(()) => tracing::info!("lock {lock}: relay released"),
            Err(e) => {
                ok = false;
                tracing::error!("lock {lock}: {e}");
            }
        }
    }
    tracing::info!("station stopped");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
