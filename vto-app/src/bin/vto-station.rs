//! `vto-station`: the door station program. A thin shell over the `vto_app` library:
//! arguments, logging, signals; everything else is `vto_app::run`.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vto_app::config::{Backend, StationConfig};
use vto_app::store::StoreOptions;
use vto_app::{Listeners, RunSettings};

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
        /// station.toml; without it, the simulated station's defaults.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Run on simulated hardware, whatever the file's backend says.
        #[arg(long)]
        sim: bool,
    },
    /// First-run initialisation for provisioning: sets the admin password (read from a
    /// file or standard input, never from the command line).
    Init {
        /// station.toml (for the data directory); default: the simulated station's.
        #[arg(long)]
        config: Option<PathBuf>,
        /// A file holding the admin password on its first line; `-` for standard input.
        #[arg(long, value_name = "FILE")]
        password_file: PathBuf,
        /// The recovery email for password resets.
        #[arg(long)]
        email: String,
    },
    /// Check a station.toml and exit: 0 if valid, 1 with the key, value and allowed
    /// range otherwise.
    CheckConfig {
        /// The file.
        file: PathBuf,
    },
    /// Print the version.
    Version,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use tracing_subscriber::prelude::*;
    // Under systemd, stderr goes to the journal anyway; log to it natively for levels
    // and fields.
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        if let Ok(journald) = tracing_journald::layer() {
            tracing_subscriber::registry()
                .with(filter)
                .with(journald)
                .init();
            return;
        }
    }
    // Colours only on a terminal, and never with NO_COLOR set.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    init_logging();
    match Cli::parse().command {
        Cmd::Version => {
            println!("vto-station {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Cmd::CheckConfig { file } => match vto_app::config::check_config(&file)
            .map_err(|e| e.to_string())
            .and_then(|c| check_loopback(&c).map(|()| c))
        {
            Ok(config) => {
                println!(
                    "{}: valid ({} backend, API on {})",
                    file.display(),
                    config.station.backend.name(),
                    config.api.listen
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                ExitCode::FAILURE
            }
        },
        Cmd::Init {
            config,
            password_file,
            email,
        } => match load(config.as_deref(), false).and_then(|c| init(&c, &password_file, &email)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Cmd::Run { config, sim } => {
            match load(config.as_deref(), sim).and_then(|c| check_loopback(&c).map(|()| c)) {
                Ok(config) => run(config),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn load(path: Option<&Path>, sim: bool) -> Result<StationConfig, String> {
    let mut config = match path {
        Some(p) => StationConfig::load(p).map_err(|e| format!("{}: {e}", p.display()))?,
        None if sim => StationConfig::sim_default(),
        None => {
            return Err(
                "give `--config station.toml`, or `--sim` to run on simulated hardware".into(),
            )
        }
    };
    if sim {
        config.station.backend = Backend::Sim;
    }
    Ok(config)
}

/// The API has no authentication in this release: it may only listen on loopback.
fn check_loopback(config: &StationConfig) -> Result<(), String> {
    if config.api.listen.ip().is_loopback() {
        Ok(())
    } else {
        Err(format!(
            "api.listen = {} is refused: the API has no authentication in this release, so it \
             listens on loopback only (use 127.0.0.1:{})",
            config.api.listen,
            config.api.listen.port()
        ))
    }
}

fn settings(config: &StationConfig) -> RunSettings {
    RunSettings {
        data_dir: config.station.data_dir.clone(),
        store: StoreOptions::default(),
    }
}

fn run(config: StationConfig) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let hardware = match vto_app::hardware::build(&config) {
            Ok(h) => h,
            Err(e) => {
                tracing::error!("{e}");
                return ExitCode::FAILURE;
            }
        };
        #[cfg(feature = "sim")]
        let quit = hardware.sim.clone().map(vto_app::console::spawn_stdin);
        #[cfg(not(feature = "sim"))]
        let quit: Option<tokio::sync::oneshot::Receiver<()>> = None;
        let stop = async move {
            match quit {
                Some(quit) => tokio::select! {
                    _ = signal() => {}
                    Ok(()) = quit => tracing::info!("quit: stopping"),
                },
                None => signal().await,
            }
        };
        let listener = match tokio::net::TcpListener::bind(config.api.listen).await {
            Ok(l) => l,
            Err(e) => {
                tracing::error!("cannot listen on {} for the API: {e}", config.api.listen);
                return ExitCode::FAILURE;
            }
        };
        tracing::info!(
            "vto-station {} starting: {} backend, API on http://{}, data in {}",
            env!("CARGO_PKG_VERSION"),
            config.station.backend.name(),
            config.api.listen,
            config.station.data_dir.display()
        );
        match vto_app::run(
            settings(&config),
            hardware,
            Listeners { api: listener },
            stop,
        )
        .await
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("{e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Resolves on SIGTERM or SIGINT.
async fn signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::warn!("cannot catch SIGTERM/SIGINT; stop with SIGKILL only");
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
        _ = int.recv() => tracing::info!("SIGINT: stopping"),
    }
}

fn init(config: &StationConfig, password_file: &Path, email: &str) -> Result<(), String> {
    let mut text = String::new();
    if password_file == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_line(&mut text)
            .map_err(|e| format!("reading the password from standard input: {e}"))?;
    } else {
        std::fs::File::open(password_file)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| format!("{}: {e}", password_file.display()))?;
    }
    let password = text.lines().next().unwrap_or("").to_string();
    let settings = settings(config);
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| format!("{}: {e}", settings.data_dir.display()))?;
    vto_app::init::initialise(&settings, "admin", &password, email).map_err(|e| e.to_string())?;
    println!(
        "initialised: account `admin` created in {}",
        settings.database().display()
    );
    Ok(())
}
