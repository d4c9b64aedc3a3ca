//! [`run`]: the one seam through which the binary, the examples and the tests start a
//! station: settings, hardware and listeners in; it serves until `shutdown` resolves,
//! then releases every relay and returns.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;

use crate::api::{self, AppState};
use crate::hardware::Hardware;
use crate::station::{Station, StationOptions};
use crate::store::{Store, StoreError, StoreOptions};

/// Where the station keeps its data and how big its event log may grow.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// The data directory (the manual's "SD card"): database, snapshots.
    pub data_dir: PathBuf,
    /// Store options (event ring size).
    pub store: StoreOptions,
}

impl RunSettings {
    /// The database file inside the data directory.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join("vto.sqlite3")
    }
}

/// Sockets the station serves on, bound by the caller (tests bind port 0).
#[derive(Debug)]
pub struct Listeners {
    /// The REST API.
    pub api: TcpListener,
}

/// Why the station stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The data directory could not be created.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The station could not start.
    #[error(transparent)]
    Start(#[from] crate::station::StartError),
    /// The API's database connection could not be opened.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// Serving failed.
    #[error("API server: {0}")]
    Serve(std::io::Error),
}

/// Runs a station until `shutdown` resolves.
pub async fn run(
    settings: RunSettings,
    hardware: Hardware,
    listeners: Listeners,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    std::fs::create_dir_all(&settings.data_dir).map_err(|source| RunError::DataDir {
        path: settings.data_dir.clone(),
        source,
    })?;
    #[cfg(feature = "sim")]
    let sim = hardware.sim.clone();
    let options = StationOptions {
        database: settings.database(),
        store: settings.store.clone(),
    };
    let station = tokio::task::spawn_blocking(move || Station::start(hardware, options))
        .await
        .map_err(|e| RunError::Serve(std::io::Error::other(e)))??;
    let reads = Store::open(&settings.database(), &settings.store)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let state = AppState {
        station: station.handle.clone(),
        reads: Arc::new(Mutex::new(reads)),
        stopping: stop_rx,
        #[cfg(feature = "sim")]
        sim,
    };
    let addr: Option<SocketAddr> = listeners.api.local_addr().ok();
    if let Some(addr) = addr {
        tracing::info!(
            "API ready at http://{addr}/api/v1 (OpenAPI at /api/v1/openapi.json); data in {}",
            settings.data_dir.display()
        );
    }
    let served = axum::serve(listeners.api, api::router(state))
        .with_graceful_shutdown(async move {
            shutdown.await;
            // Ends the event streams, which would otherwise keep the server open.
            let _ = stop_tx.send(true);
        })
        .await;
    tokio::task::spawn_blocking(move || station.stop())
        .await
        .map_err(|e| RunError::Serve(std::io::Error::other(e)))?;
    tracing::info!("station stopped");
    served.map_err(RunError::Serve)
}
