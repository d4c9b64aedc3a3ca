//! Access control: who may open which door, and what the locks, contacts and alarms do.
//!
//! [`AccessControl`] implements the manual's Access Control Settings (sections 4.3 and
//! 5.2): two locks with unlock period, responding interval, door-sensor check, NC/NO
//! contact, door-status sync and fire-alarm mode; cards (normal, main, lost) with
//! validity periods, passwords and fingerprints; the exit button and remote unlocks; a
//! per-reader lockout after failed attempts. It is sans-IO: the caller passes facts and
//! the time in and carries out the commands it polls.
//!
//! ```
//! use vto_core::access::{AccessControl, Card, CardId, CardState, CredentialChange,
//!     DoorId, Input, Output, ReaderId, RoomNumber, ValidSettings, Validity};
//! use vto_core::time::{Duration, Instant};
//!
//! let mut access = AccessControl::new(ValidSettings::default(), Instant::ZERO);
//! let card = CardId::new(1, 4242);
//! access.handle_input(Instant::ZERO, Input::CredentialsChanged(CredentialChange::CardUpserted(
//!     Card { id: card, room: RoomNumber(101), owner: None, state: CardState::Normal,
//!            validity: Validity::ALWAYS },
//! )));
//! while access.poll_output().is_some() {} // boot: both locks released
//!
//! let now = Instant::from_millis(1_000);
//! access.handle_input(now, Input::CardPresented { reader: ReaderId::BUILT_IN, card });
//! assert_eq!(
//!     access.poll_output(),
//!     Some(Output::EnergizeLock { door: DoorId::Local, until: Some(now + Duration::from_secs(2)) })
//! );
//! // The relay is released by the engine's own deadline.
//! assert_eq!(access.poll_timeout(), Some(now + Duration::from_secs(2)));
//! ```

mod credentials;
mod door;
mod event;
mod ids;
mod keypad;
mod lockout;
mod outbox;
mod password;
mod settings;
mod wall_clock;

pub use credentials::{Card, CardState, CredentialChange, Fingerprint, PasswordUser};
pub use event::{
    AccessEvent, Alarm, Decision, DenyReason, EventKind, Input, IssueModeEnd, Method, Outcome,
    Output, PortFunction, RemoteSource,
};
pub use ids::{CardId, DoorId, FingerprintId, ReaderId, RoomNumber, UserId};
pub use password::{Password, PasswordHash, DEFAULT_ITERATIONS, MAX_PASSWORD_LEN};
pub use settings::{
    AccessSettings, LockSettings, LockoutSettings, NonRemoteLock, SecondsRange, SettingsError,
    SettingsErrorKind, ValidSettings,
};
pub use wall_clock::{UnixTime, Validity, ValidityCheck};

/// The limits of every setting, for documentation and user interfaces.
pub mod limits {
    pub use super::settings::{
        DOOR_SENSOR_CHECK, ISSUE_MODE_TIMEOUT, KEYPAD_TIMEOUT, LOCKOUT_DURATION, LOCKOUT_WINDOW,
        MAX_FAILURES, RESPONDING_INTERVAL, UNLOCK_PERIOD,
    };
}

use vto_hal::{FireAlarmState, TamperState};

use self::credentials::Credentials;
use self::door::{port_function, Door};
use self::keypad::{KeyOutcome, KeypadEntry};
use self::lockout::ReaderGuard;
use self::outbox::Outbox;
use self::wall_clock::WallClock;
use crate::time::Instant;

/// A main card's issue mode: the next unknown card goes to its room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IssueMode {
    card: CardId,
    room: RoomNumber,
    until: Instant,
}

/// The access-control engine. See the [module documentation](self).
#[derive(Debug)]
pub struct AccessControl {
    settings: ValidSettings,
    doors: [Door; 2],
    credentials: Credentials,
    readers: [ReaderGuard; ReaderId::MAX],
    keypads: [KeypadEntry; ReaderId::MAX],
    issue: Option<IssueMode>,
    /// Fire alarm raised on each lock's port.
    fire: [bool; 2],
    tamper: bool,
    wall: WallClock,
    now: Instant,
    out: Outbox,
}

impl AccessControl {
    /// An engine at boot: its first outputs wire both contact ports and release both
    /// locks, so every relay starts in its safe state whatever it did before a restart.
    pub fn new(settings: ValidSettings, now: Instant) -> Self {
        let mut out = Outbox::new();
        for door in DoorId::ALL {
            let lock = settings.lock(door);
            out.push(Output::ConfigurePort {
                door,
                function: port_function(lock),
                contact: lock.contact,
            });
            out.push(Output::ReleaseLock(door));
        }
        Self {
            settings,
            doors: DoorId::ALL.map(Door::new),
            credentials: Credentials::default(),
            readers: [ReaderGuard::default(); ReaderId::MAX],
            keypads: Default::default(),
            issue: None,
            fire: [false; 2],
            tamper: false,
            wall: WallClock::default(),
            now,
            out,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &ValidSettings {
        &self.settings
    }

    /// How many cards are loaded.
    pub fn card_count(&self) -> usize {
        self.credentials.card_count()
    }

    /// Whether the engine holds `door`'s relay energized.
    pub fn is_energized(&self, door: DoorId) -> bool {
        self.doors[door.index()].is_energized()
    }

    /// Whether `reader` refuses credentials at the last time the engine was given.
    pub fn is_locked_out(&self, reader: ReaderId) -> bool {
        self.readers[reader.index()].is_locked(self.now)
    }

    /// Takes in a fact that happened at `now`. Deadlines up to `now` are handled first,
    /// so a late call cannot reorder events. A `now` earlier than one seen before is
    /// taken as that one: the engine's time never runs backwards.
    pub fn handle_input(&mut self, now: Instant, input: Input) {
        self.handle_timeout(now);
        let now = self.now;
        match input {
            Input::CardPresented { reader, card } => self.card_presented(now, reader, card),
            Input::KeyPressed { reader, key } => match self.keypads[reader.index()].key(now, key) {
                KeyOutcome::Pending => {}
                KeyOutcome::Entered(user, password) => {
                    self.password_entered(now, reader, user, &password)
                }
                KeyOutcome::Discarded => self
                    .out
                    .record(now, EventKind::KeypadEntryDiscarded(reader)),
            },
            Input::PasswordEntered {
                reader,
                user,
                password,
            } => self.password_entered(now, reader, user, &password),
            Input::FingerprintMatched {
                reader,
                fingerprint,
            } => self.fingerprint_matched(now, reader, fingerprint),
            Input::ExitButtonPressed => {
                self.unlock(now, None, Method::ExitButton, None, Some(DoorId::Local))
            }
            Input::RemoteUnlockRequested { door, source } => {
                let room = match source {
                    RemoteSource::Monitor(room) => Some(room),
                    _ => None,
                };
                self.unlock(now, None, Method::Remote(source), room, Some(door))
            }
            Input::DoorContactChanged { door, state } => {
                let settings = *self.settings.lock(door);
                self.doors[door.index()].on_contact(now, state, &settings, &mut self.out);
            }
            Input::FireAlarmChanged { door, state } => {
                if self.settings.lock(door).fire_alarm {
                    self.set_fire(now, door, state == FireAlarmState::Alarm);
                }
            }
            Input::TamperChanged { state } => {
                let active = state == TamperState::Tampered;
                if active != self.tamper {
                    self.tamper = active;
                    self.alarm(now, Alarm::Tamper, active);
                }
            }
            Input::WallClockSet { unix } => self.wall.set(now, unix),
            Input::SettingsChanged(settings) => self.apply_settings(now, settings),
            Input::CredentialsChanged(change) => self.credentials.apply(change),
        }
    }

    /// Acts on every deadline up to `now`, each at its own instant and in time order:
    /// relocks, alarms, the end of lockouts, issue mode and keypad entries. The outputs
    /// are therefore the same however often this is called, so a log of inputs replays
    /// exactly.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.now.max(now);
        // Every round clears or moves the earliest deadline, so this ends; the bound is a
        // belt for the braces.
        for _ in 0..1_000 {
            match self.poll_timeout() {
                Some(at) if at <= now => {
                    self.now = self.now.max(at);
                    self.fire_deadlines(self.now);
                }
                _ => break,
            }
        }
        self.now = now;
    }

    /// Runs the components whose deadline is `now`.
    fn fire_deadlines(&mut self, now: Instant) {
        for door in DoorId::ALL {
            let settings = *self.settings.lock(door);
            self.doors[door.index()].on_timeout(now, &settings, &mut self.out);
        }
        for (i, guard) in self.readers.iter_mut().enumerate() {
            if guard.on_timeout(now) {
                let reader = ReaderId::new(i as u8).unwrap_or(ReaderId::BUILT_IN);
                let alarm = Alarm::ReaderLockedOut(reader);
                self.out.record(now, EventKind::LockoutEnded(reader));
                self.out.push(Output::ClearAlarm(alarm));
                self.out.record(now, EventKind::AlarmCleared(alarm));
            }
        }
        let keypad_timeout = self.settings.get().keypad_timeout;
        for (i, entry) in self.keypads.iter_mut().enumerate() {
            if entry.on_timeout(now, keypad_timeout) {
                let reader = ReaderId::new(i as u8).unwrap_or(ReaderId::BUILT_IN);
                self.out
                    .record(now, EventKind::KeypadEntryDiscarded(reader));
            }
        }
        if let Some(issue) = self.issue.filter(|i| now >= i.until) {
            self.issue = None;
            self.out.record(
                now,
                EventKind::IssueModeEnded {
                    room: issue.room,
                    how: IssueModeEnd::TimedOut,
                },
            );
        }
    }

    /// The next command or event, in the order decided.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let doors = DoorId::ALL
            .iter()
            .filter_map(|&d| self.doors[d.index()].deadline(self.settings.lock(d)));
        let readers = self.readers.iter().filter_map(ReaderGuard::deadline);
        let timeout = self.settings.get().keypad_timeout;
        let keypads = self.keypads.iter().filter_map(|k| k.deadline(timeout));
        let issue = self.issue.map(|i| i.until);
        doors.chain(readers).chain(keypads).chain(issue).min()
    }

    fn card_presented(&mut self, now: Instant, reader: ReaderId, card: CardId) {
        let method = Method::Card(card);
        if self.readers[reader.index()].is_locked(now) {
            return self.deny(now, Some(reader), method, None, DenyReason::LockedOut);
        }
        let Some(entry) = self.credentials.card(&card).copied() else {
            if let Some(issue) = self.issue.take() {
                self.out.push(Output::IssueCard {
                    card,
                    room: issue.room,
                });
                self.out.record(
                    now,
                    EventKind::IssueModeEnded {
                        room: issue.room,
                        how: IssueModeEnd::CardIssued(card),
                    },
                );
                return;
            }
            return self.deny(now, Some(reader), method, None, DenyReason::UnknownCard);
        };
        let room = Some(entry.room);
        if entry.state == CardState::Lost {
            return self.deny(now, Some(reader), method, room, DenyReason::LostCard);
        }
        if let Err(reason) = self.check_validity(now, &entry.validity) {
            return self.deny(now, Some(reader), method, room, reason);
        }
        if entry.state == CardState::Main {
            return self.main_card(now, card, entry.room);
        }
        let door = self.settings.get().non_remote_lock.door();
        self.unlock(now, Some(reader), method, room, door);
    }

    /// A main card starts issue mode for its room, or ends the one it started.
    fn main_card(&mut self, now: Instant, card: CardId, room: RoomNumber) {
        if let Some(issue) = self.issue.take() {
            self.out.record(
                now,
                EventKind::IssueModeEnded {
                    room: issue.room,
                    how: IssueModeEnd::Cancelled,
                },
            );
            if issue.card == card {
                return;
            }
        }
        let until = now + self.settings.get().issue_mode_timeout;
        self.issue = Some(IssueMode { card, room, until });
        self.out
            .record(now, EventKind::IssueModeStarted { card, room, until });
    }

    fn password_entered(
        &mut self,
        now: Instant,
        reader: ReaderId,
        user: UserId,
        password: &Password,
    ) {
        let method = Method::Password(user);
        if self.readers[reader.index()].is_locked(now) {
            return self.deny(now, Some(reader), method, None, DenyReason::LockedOut);
        }
        let Some(record) = self.credentials.user(&user) else {
            // Spend the same time as for a real user, so timing does not reveal which
            // user numbers exist.
            let _ = PasswordHash::from_parts([0; 16], DEFAULT_ITERATIONS, [0; 32]).verify(password);
            return self.deny(now, Some(reader), method, None, DenyReason::UnknownUser);
        };
        let room = Some(record.room);
        let validity = record.validity;
        if !record.hash.verify(password) {
            return self.deny(now, Some(reader), method, room, DenyReason::WrongPassword);
        }
        if let Err(reason) = self.check_validity(now, &validity) {
            return self.deny(now, Some(reader), method, room, reason);
        }
        let door = self.settings.get().non_remote_lock.door();
        self.unlock(now, Some(reader), method, room, door);
    }

    fn fingerprint_matched(&mut self, now: Instant, reader: ReaderId, id: FingerprintId) {
        let method = Method::Fingerprint(id);
        if self.readers[reader.index()].is_locked(now) {
            return self.deny(now, Some(reader), method, None, DenyReason::LockedOut);
        }
        let Some(fp) = self.credentials.fingerprint(&id).copied() else {
            return self.deny(
                now,
                Some(reader),
                method,
                None,
                DenyReason::UnknownFingerprint,
            );
        };
        if let Err(reason) = self.check_validity(now, &fp.validity) {
            return self.deny(now, Some(reader), method, Some(fp.room), reason);
        }
        let door = self.settings.get().non_remote_lock.door();
        self.unlock(now, Some(reader), method, Some(fp.room), door);
    }

    fn check_validity(&self, now: Instant, validity: &Validity) -> Result<(), DenyReason> {
        if !validity.is_bounded() {
            return Ok(());
        }
        match self.wall.at(now).map(|t| validity.check(t)) {
            None => Err(DenyReason::ClockNotSet),
            Some(ValidityCheck::Valid) => Ok(()),
            Some(ValidityCheck::NotYetValid) => Err(DenyReason::NotYetValid),
            Some(ValidityCheck::Expired) => Err(DenyReason::Expired),
        }
    }

    /// Opens `door` for an accepted request, or records why it cannot.
    fn unlock(
        &mut self,
        now: Instant,
        reader: Option<ReaderId>,
        method: Method,
        room: Option<RoomNumber>,
        door: Option<DoorId>,
    ) {
        let Some(door) = door else {
            return self.deny(now, reader, method, room, DenyReason::NoLockForMethod);
        };
        let settings = *self.settings.lock(door);
        match self.doors[door.index()].unlock(now, &settings, &mut self.out) {
            Ok(()) => {
                if let Some(reader) = reader {
                    self.readers[reader.index()].clear_failures();
                }
                let decision = Decision {
                    reader,
                    method,
                    room,
                    outcome: Outcome::Granted(door),
                };
                self.out.record(now, EventKind::Decision(decision));
            }
            Err(reason) => self.deny(now, reader, method, room, reason),
        }
    }

    fn deny(
        &mut self,
        now: Instant,
        reader: Option<ReaderId>,
        method: Method,
        room: Option<RoomNumber>,
        reason: DenyReason,
    ) {
        let decision = Decision {
            reader,
            method,
            room,
            outcome: Outcome::Denied(reason),
        };
        self.out.record(now, EventKind::Decision(decision));
        let Some(reader) = reader.filter(|_| reason.counts_as_failure()) else {
            return;
        };
        let lockout = self.settings.get().lockout;
        if let Some(until) = self.readers[reader.index()].record_failure(now, &lockout) {
            self.out
                .record(now, EventKind::LockoutStarted { reader, until });
            self.alarm(now, Alarm::ReaderLockedOut(reader), true);
        }
    }

    fn alarm(&mut self, now: Instant, alarm: Alarm, raised: bool) {
        if raised {
            self.out.push(Output::RaiseAlarm(alarm));
            self.out.record(now, EventKind::AlarmRaised(alarm));
        } else {
            self.out.push(Output::ClearAlarm(alarm));
            self.out.record(now, EventKind::AlarmCleared(alarm));
        }
    }

    /// The fire alarm on `port` is now `active`; every door follows the union of all.
    fn set_fire(&mut self, now: Instant, port: DoorId, active: bool) {
        if self.fire[port.index()] == active {
            return;
        }
        self.fire[port.index()] = active;
        self.alarm(now, Alarm::Fire(port), active);
        let any = self.fire.iter().any(|&f| f);
        for door in &mut self.doors {
            door.set_fire(now, any, &mut self.out);
        }
    }

    fn apply_settings(&mut self, now: Instant, settings: ValidSettings) {
        let old = core::mem::replace(&mut self.settings, settings);
        for door in DoorId::ALL {
            // A port that no longer carries a fire alarm cannot hold the doors open.
            if !settings.lock(door).fire_alarm && self.fire[door.index()] {
                self.set_fire(now, door, false);
            }
        }
        for door in DoorId::ALL {
            self.doors[door.index()].apply_settings(
                now,
                old.lock(door),
                settings.lock(door),
                &mut self.out,
            );
        }
        self.out.record(now, EventKind::SettingsApplied);
    }
}
