//! The station's heart: one thread owns the access engine and the database writer, and
//! is the only one that changes either. Hardware facts and API commands arrive on one
//! channel; the thread sleeps until the next of them or the engine's next deadline.
//!
//! Order of work at start: every relay is released first (and a relay found energized,
//! as after a crash mid-unlock, is logged), then the database is opened and loaded into
//! the engine. A change from the API is committed to SQLite before the engine hears of
//! it, so a crash never leaves the engine ahead of the disk.

pub mod live;
mod status;

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant as StdInstant};

use tokio::sync::{broadcast, oneshot};
use vto_core::access::{
    AccessControl, CardId, CardState, CredentialChange, DoorId, EventKind, Input, Outcome, Output,
    PortFunction, ReaderId, RemoteSource, UnixTime, ValidSettings, Validity,
};
use vto_core::time::Instant;
use vto_hal::wiegand::Credential;
use vto_hal::{ButtonState, Contact, RelayState};

use crate::hardware::port::{interpret, PortReading};
use crate::hardware::{ButtonKind, DynLock, Hardware, HardwareError, HwEvent};
use crate::store::{CardRecord, EventType, NewEvent, Store, StoreError, StoreOptions};
pub use live::EventView;
pub use status::{DoorStatus, StationStatus};

/// How often the engine is told the wall-clock time (validity periods follow NTP steps).
const WALL_CLOCK_REFRESH: Duration = Duration::from_secs(60);

/// What the API asks of the station thread.
pub enum Command {
    /// Open a lock remotely; replies with the outcome.
    Unlock {
        /// Which lock.
        door: DoorId,
        /// Who, in words, for the log.
        actor: String,
        /// The answer.
        reply: oneshot::Sender<Outcome>,
    },
    /// Store a credential change, then tell the engine.
    Credentials {
        /// What to write (the store's form).
        write: CredentialWrite,
        /// The answer.
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// Store a settings section, then apply it (the access-control section reaches the
    /// engine as new settings).
    Section {
        /// The section's name.
        name: String,
        /// Its validated JSON.
        json: String,
        /// Optimistic concurrency: the version the client last read.
        expected_version: Option<u64>,
        /// Core settings to apply after the write, for the access-control section.
        core: Option<ValidSettings>,
        /// The new version.
        reply: oneshot::Sender<Result<u64, StoreError>>,
    },
    /// Stop: release every relay and end the thread.
    Shutdown,
}

/// A credential change in the store's terms.
pub enum CredentialWrite {
    /// Add or change a card.
    UpsertCard(CardRecord),
    /// Delete a card.
    DeleteCard(CardId),
    /// Add or change many cards in one transaction.
    ImportCards(Vec<CardRecord>),
    /// Add or change a door-password user.
    UpsertDoorUser(crate::store::DoorUserRecord),
    /// Delete a door-password user.
    DeleteDoorUser(vto_core::access::UserId),
}

enum Msg {
    Hw(HwEvent),
    Api(Command),
}

/// Where the station keeps its data and how.
#[derive(Debug, Clone)]
pub struct StationOptions {
    /// The database file.
    pub database: PathBuf,
    /// The event ring's size and other store options.
    pub store: StoreOptions,
}

/// What the rest of the app holds to talk to the station thread.
#[derive(Clone)]
pub struct StationHandle {
    commands: mpsc::Sender<Msg>,
    /// The latest status, updated by the station thread.
    pub status: Arc<RwLock<StationStatus>>,
    /// Every recorded event, as it happens.
    pub events: broadcast::Sender<EventView>,
}

/// The station thread could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or loaded.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// The thread could not be created.
    #[error("cannot start the station thread: {0}")]
    Thread(#[from] std::io::Error),
}

impl StationHandle {
    /// Sends a command; `false` if the station thread has stopped.
    pub fn send(&self, command: Command) -> bool {
        self.commands.send(Msg::Api(command)).is_ok()
    }
}

/// The running station thread.
pub struct Station {
    /// The handle for the API.
    pub handle: StationHandle,
    thread: std::thread::JoinHandle<()>,
}

impl Station {
    /// Releases every relay, opens and loads the database, and starts the thread.
    /// Returns once the relays are safe and the engine is loaded.
    pub fn start(mut hardware: Hardware, options: StationOptions) -> Result<Self, StartError> {
        let started = StdInstant::now();
        let mut boot_events = Vec::new();
        // 1. Relays safe, before anything else.
        for (i, lock) in hardware.locks.iter_mut().enumerate() {
            let Some(lock) = lock else { continue };
            release_at_boot(i, lock.as_mut(), &mut boot_events);
        }
        let relays_safe = started.elapsed();
        tracing::info!("relays released (safe state) {relays_safe:.1?} after start");
        for part in &hardware.degraded {
            tracing::error!("degraded: {part}");
            boot_events.push(system_event(format!("degraded: {part}")));
        }

        // 2. The database and the engine.
        let store = Store::open(&options.database, &options.store)?;
        let settings = load_core_settings(&store);
        let clock = hardware.clock.clone();
        let now = Instant::from(clock.now());
        let mut engine = AccessControl::new(settings, now);
        engine.handle_input(now, Input::WallClockSet { unix: unix_now() });
        let cards = store.cards()?;
        let card_count = cards.len();
        engine.handle_input(
            now,
            Input::CredentialsChanged(CredentialChange::CardsReplaced(
                cards.iter().map(CardRecord::to_core).collect(),
            )),
        );
        drop(cards);
        let users = store.door_users()?;
        engine.handle_input(
            now,
            Input::CredentialsChanged(CredentialChange::UsersReplaced(
                users.iter().map(|u| u.to_core()).collect(),
            )),
        );
        tracing::info!(
            "{card_count} cards and {} door users loaded {:.1?} after start",
            users.len(),
            started.elapsed()
        );

        let (tx, rx) = mpsc::channel();
        let forward = tx.clone();
        let hw_events = std::mem::replace(&mut hardware.events, mpsc::channel().1);
        std::thread::Builder::new()
            .name("hw events".into())
            .spawn(move || {
                for event in hw_events {
                    if forward.send(Msg::Hw(event)).is_err() {
                        return;
                    }
                }
            })?;

        let status = Arc::new(RwLock::new(StationStatus::new(
            hardware.backend,
            &hardware.degraded,
            relays_safe,
        )));
        let (events, _) = broadcast::channel(1024);
        let mut worker = Worker {
            engine,
            store,
            locks: std::mem::take(&mut hardware.locks),
            clock,
            ports: [crate::hardware::port::DEFAULT_PORT; 2],
            #[cfg(feature = "sim")]
            sim_ports: None,
            status: status.clone(),
            events: events.clone(),
            actor: None,
            decision: None,
            hardware_stop: hardware.stop.clone(),
        };
        #[cfg(feature = "sim")]
        {
            worker.sim_ports = hardware.sim.as_ref().map(|s| s.port_configs());
        }
        for event in boot_events {
            worker.record(event);
        }
        worker.drain();
        worker.set_status(|s| s.cards = card_count);
        let thread = std::thread::Builder::new()
            .name("station".into())
            .spawn(move || worker.run(rx))?;
        Ok(Self {
            handle: StationHandle {
                commands: tx,
                status,
                events,
            },
            thread,
        })
    }

    /// Stops the thread, which releases every relay first, and waits for it.
    pub fn stop(self) {
        let _ = self.handle.commands.send(Msg::Api(Command::Shutdown));
        let _ = self.thread.join();
    }
}

fn release_at_boot(i: usize, lock: &mut dyn DynLock, events: &mut Vec<NewEvent>) {
    let was = lock.state();
    match lock.set(RelayState::Released) {
        Ok(()) => {
            if let Ok(RelayState::Energized) = was {
                tracing::warn!("lock {}: relay found energized at start; released", i + 1);
                let mut e = system_event(format!(
                    "lock {} relay was energized at start (crash or power loss mid-unlock); released",
                    i + 1
                ));
                e.kind = EventType::Door;
                e.door = Some(i as u8 + 1);
                events.push(e);
            }
        }
        Err(e) => {
            tracing::error!("lock {}: cannot release the relay at start: {e}", i + 1);
            events.push(system_event(format!(
                "lock {} relay could not be released at start: {e}",
                i + 1
            )));
        }
    }
}

fn system_event(detail: String) -> NewEvent {
    NewEvent::new(crate::store::now_ms(), EventType::System, detail)
}

/// The access-control settings stored, or the manual's defaults.
fn load_core_settings(store: &Store) -> ValidSettings {
    let stored = match store.load_section(crate::config::ACCESS_CONTROL_SECTION) {
        Ok(Some(section)) => section,
        Ok(None) => return ValidSettings::default(),
        Err(e) => {
            tracing::error!("cannot read the access-control settings, using defaults: {e}");
            return ValidSettings::default();
        }
    };
    let parsed = serde_json::from_str(&stored.json)
        .map_err(|e| e.to_string())
        .and_then(|json| crate::config::access_control_from_json(&json).map_err(|e| e.to_string()));
    match parsed {
        Ok(settings) => settings,
        Err(e) => {
            tracing::error!("stored access-control settings are invalid, using defaults: {e}");
            ValidSettings::default()
        }
    }
}

fn unix_now() -> UnixTime {
    UnixTime(crate::store::now_ms() / 1000)
}

struct Worker {
    engine: AccessControl,
    store: Store,
    locks: [Option<Box<dyn DynLock>>; 2],
    clock: Arc<dyn vto_hal::Clock + Send + Sync>,
    ports: [(PortFunction, Contact); 2],
    #[cfg(feature = "sim")]
    sim_ports: Option<crate::hardware::sim::PortConfigs>,
    status: Arc<RwLock<StationStatus>>,
    events: broadcast::Sender<EventView>,
    /// Who asked, for the decision the current command produces.
    actor: Option<String>,
    /// The outcome of the current command's decision.
    decision: Option<Outcome>,
    hardware_stop: crate::hardware::StopSignal,
}

impl Worker {
    fn now(&self) -> Instant {
        Instant::from(self.clock.now())
    }

    fn run(mut self, rx: mpsc::Receiver<Msg>) {
        let mut next_wall_clock = StdInstant::now() + WALL_CLOCK_REFRESH;
        loop {
            let now = self.now();
            let until_deadline = self
                .engine
                .poll_timeout()
                .map(|t| Duration::from_micros(t.as_micros().saturating_sub(now.as_micros())));
            let wait = until_deadline
                .unwrap_or(WALL_CLOCK_REFRESH)
                .min(next_wall_clock.saturating_duration_since(StdInstant::now()));
            match rx.recv_timeout(wait) {
                Ok(Msg::Api(Command::Shutdown)) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Msg::Api(command)) => self.command(command),
                Ok(Msg::Hw(event)) => self.hardware(event),
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.engine.handle_timeout(self.now());
            if StdInstant::now() >= next_wall_clock {
                next_wall_clock = StdInstant::now() + WALL_CLOCK_REFRESH;
                let now = self.now();
                self.engine
                    .handle_input(now, Input::WallClockSet { unix: unix_now() });
            }
            self.drain();
        }
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.hardware_stop.stop();
        for (i, lock) in self.locks.iter_mut().enumerate() {
            if let Some(lock) = lock {
                match lock.set(RelayState::Released) {
                    Ok(()) => tracing::info!("lock {}: relay released", i + 1),
                    Err(e) => tracing::error!("lock {}: {e}", i + 1),
                }
            }
        }
        self.record(system_event("station stopped; every relay released".into()));
    }

    fn hardware(&mut self, event: HwEvent) {
        let input = match event {
            HwEvent::Port { index, circuit, at } => {
                let door = DoorId::ALL[index.min(1)];
                let (function, contact) = self.ports[index.min(1)];
                match interpret(function, contact, circuit) {
                    PortReading::Door(state) => {
                        self.set_status(|s| s.doors[index.min(1)].door = Some(state.into()));
                        Some((at, Input::DoorContactChanged { door, state }))
                    }
                    PortReading::Fire(state) => Some((at, Input::FireAlarmChanged { door, state })),
                }
            }
            HwEvent::Button {
                button: ButtonKind::Exit,
                state: ButtonState::Pressed,
                at,
            } => Some((at, Input::ExitButtonPressed)),
            HwEvent::Button {
                button: ButtonKind::Call,
                state: ButtonState::Pressed,
                ..
            } => {
                let mut e = system_event("call button pressed".into());
                e.kind = EventType::Call;
                self.record(e);
                None
            }
            HwEvent::Button { .. } => None,
            HwEvent::Tamper { state, at } => Some((at, Input::TamperChanged { state })),
            HwEvent::Credential { credential, at } => match credential {
                Credential::Card { .. } => CardId::from_credential(&credential).map(|card| {
                    (
                        at,
                        Input::CardPresented {
                            reader: ReaderId::BUILT_IN,
                            card,
                        },
                    )
                }),
                Credential::Key(key) => Some((
                    at,
                    Input::KeyPressed {
                        reader: ReaderId::BUILT_IN,
                        key,
                    },
                )),
                Credential::Raw(bits) => {
                    self.record(system_event(format!(
                        "reader sent a frame of {} bits in no configured format",
                        bits.len()
                    )));
                    None
                }
            },
            HwEvent::Failed(error) => {
                self.degrade(&error);
                None
            }
        };
        if let Some((at, input)) = input {
            self.engine.handle_input(Instant::from(at), input);
        }
    }

    fn degrade(&mut self, error: &HardwareError) {
        tracing::error!("hardware failure: {error}");
        self.set_status(|s| s.note_failure(error));
        self.record(system_event(format!("hardware failure: {error}")));
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Unlock { door, actor, reply } => {
                self.actor = Some(actor);
                self.decision = None;
                let now = self.now();
                self.engine.handle_input(
                    now,
                    Input::RemoteUnlockRequested {
                        door,
                        source: RemoteSource::Web,
                    },
                );
                self.drain();
                self.actor = None;
                if let Some(outcome) = self.decision.take() {
                    let _ = reply.send(outcome);
                }
            }
            Command::Credentials { write, reply } => {
                let result = self.write_credentials(write);
                let _ = reply.send(result);
            }
            Command::Section {
                name,
                json,
                expected_version,
                core,
                reply,
            } => {
                let result = self.store.save_section(&name, &json, expected_version);
                if result.is_ok() {
                    if let Some(settings) = core {
                        let now = self.now();
                        self.engine
                            .handle_input(now, Input::SettingsChanged(settings));
                    }
                }
                let _ = reply.send(result);
            }
            Command::Shutdown => {}
        }
    }

    /// Write-through: the store first, then the engine.
    fn write_credentials(&mut self, write: CredentialWrite) -> Result<(), StoreError> {
        let changes = match write {
            CredentialWrite::UpsertCard(card) => {
                self.store.upsert_card(&card)?;
                vec![CredentialChange::CardUpserted(card.to_core())]
            }
            CredentialWrite::DeleteCard(id) => {
                self.store.delete_card(id)?;
                vec![CredentialChange::CardRemoved(id)]
            }
            CredentialWrite::ImportCards(cards) => {
                // The import upserts in one transaction; the engine, in step with the
                // store before it, takes the same upserts instead of re-reading the table.
                self.store.import_cards(cards.iter().cloned())?;
                cards
                    .iter()
                    .map(|card| CredentialChange::CardUpserted(card.to_core()))
                    .collect()
            }
            CredentialWrite::UpsertDoorUser(user) => {
                self.store.upsert_door_user(&user)?;
                vec![CredentialChange::UserUpserted(user.to_core())]
            }
            CredentialWrite::DeleteDoorUser(id) => {
                self.store.delete_door_user(id)?;
                vec![CredentialChange::UserRemoved(id)]
            }
        };
        let now = self.now();
        for change in changes {
            self.engine
                .handle_input(now, Input::CredentialsChanged(change));
        }
        let count = self.engine.card_count();
        self.set_status(|s| s.cards = count);
        Ok(())
    }

    /// Carries out everything the engine decided.
    fn drain(&mut self) {
        let now = self.now();
        let wall_now = crate::store::now_ms();
        while let Some(output) = self.engine.poll_output() {
            match output {
                Output::EnergizeLock { door, .. } => self.drive(door, RelayState::Energized),
                Output::ReleaseLock(door) => self.drive(door, RelayState::Released),
                Output::ConfigurePort {
                    door,
                    function,
                    contact,
                } => {
                    self.ports[door.index()] = (function, contact);
                    #[cfg(feature = "sim")]
                    if let Some(ports) = &self.sim_ports {
                        if let Ok(mut p) = ports.lock() {
                            p[door.index()] = (function, contact);
                        }
                    }
                    self.set_status(|s| {
                        s.doors[door.index()].port = function.into();
                        s.doors[door.index()].door = None;
                    });
                }
                Output::SyncDoorState { door, state } => {
                    tracing::debug!("sync to monitors: door {} {state:?}", door.index() + 1);
                }
                Output::RaiseAlarm(alarm) => tracing::warn!("alarm raised: {alarm:?}"),
                Output::ClearAlarm(alarm) => tracing::info!("alarm cleared: {alarm:?}"),
                Output::IssueCard { card, room } => {
                    let record = CardRecord {
                        id: card,
                        room,
                        owner: String::new(),
                        state: CardState::Normal,
                        validity: Validity::ALWAYS,
                        created_at_ms: wall_now,
                    };
                    if let Err(e) = self.write_credentials(CredentialWrite::UpsertCard(record)) {
                        tracing::error!("cannot store the issued card: {e}");
                    }
                }
                Output::RecordEvent(event) => {
                    // A remote unlock's decision answers the command and names who asked.
                    let remote = match event.kind {
                        EventKind::Decision(d)
                            if matches!(d.method, vto_core::access::Method::Remote(_)) =>
                        {
                            Some(d.outcome)
                        }
                        _ => None,
                    };
                    if remote.is_some() {
                        self.decision = remote;
                    }
                    let actor = remote.and(self.actor.clone());
                    let age =
                        Duration::from_micros(now.as_micros().saturating_sub(event.at.as_micros()));
                    let at_ms = wall_now - age.as_millis() as i64;
                    let row = live::to_new_event(&event, at_ms, actor.as_deref());
                    self.record(row);
                }
            }
        }
    }

    fn drive(&mut self, door: DoorId, state: RelayState) {
        let i = door.index();
        let result = match &mut self.locks[i] {
            Some(lock) => lock.set(state),
            None => return,
        };
        match result {
            Ok(()) => self.set_status(|s| s.doors[i].relay = state.into()),
            Err(e) => self.degrade(&e),
        }
    }

    fn record(&mut self, event: NewEvent) {
        tracing::info!("{}", event.detail);
        match self.store.append_event(&event) {
            Ok(seq) => {
                let _ = self.events.send(EventView::new(seq, &event));
            }
            Err(e) => tracing::error!("cannot log event ({}): {e}", event.detail),
        }
    }

    fn set_status(&self, f: impl FnOnce(&mut StationStatus)) {
        if let Ok(mut s) = self.status.write() {
            f(&mut s);
        }
    }
}
