//! What goes into the engine (facts, in the past tense) and what comes out (commands, in
//! the imperative, and the events to record).

use vto_hal::wiegand::format::Key;
use vto_hal::{Contact, DoorState, FireAlarmState, TamperState};

use super::credentials::CredentialChange;
use super::ids::{CardId, DoorId, FingerprintId, ReaderId, RoomNumber, UserId};
use super::password::Password;
use super::settings::ValidSettings;
use super::wall_clock::UnixTime;
use crate::time::Instant;

/// Who asked for a remote unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RemoteSource {
    /// The web interface or the REST API.
    Web,
    /// An indoor monitor's unlock key.
    Monitor(RoomNumber),
    /// The first or second unlock command keyed as DTMF during a call.
    Dtmf,
    /// The management centre.
    ManagementCentre,
}

/// A fact the engine must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A card was read.
    CardPresented {
        /// Where.
        reader: ReaderId,
        /// Which card.
        card: CardId,
    },
    /// A key was pressed on a keypad (the station's, or a reader's keypad burst).
    /// `user# password#` opens the door; `*` starts over.
    KeyPressed {
        /// Where.
        reader: ReaderId,
        /// Which key.
        key: Key,
    },
    /// A user number and password were entered in one piece.
    PasswordEntered {
        /// Where.
        reader: ReaderId,
        /// The user number entered.
        user: UserId,
        /// The password entered.
        password: Password,
    },
    /// The scanner matched an enrolled fingerprint.
    FingerprintMatched {
        /// Where.
        reader: ReaderId,
        /// The template matched.
        fingerprint: FingerprintId,
    },
    /// The exit button (inside the door) was pressed: opens the local lock.
    ExitButtonPressed,
    /// Someone with the right to do so asked to open a door.
    RemoteUnlockRequested {
        /// Which door.
        door: DoorId,
        /// Who asked.
        source: RemoteSource,
    },
    /// A door's contact changed (ignored when that port carries a fire alarm).
    DoorContactChanged {
        /// Which door.
        door: DoorId,
        /// Its new state.
        state: DoorState,
    },
    /// The fire alarm on a lock's contact port changed (ignored unless fire-alarm mode is
    /// on for that lock).
    FireAlarmChanged {
        /// The lock whose port carries the alarm.
        door: DoorId,
        /// Raised or cleared.
        state: FireAlarmState,
    },
    /// The station's tamper switch changed.
    TamperChanged {
        /// Its new state.
        state: TamperState,
    },
    /// The wall-clock time is `unix` now (start, NTP, a manual change).
    WallClockSet {
        /// Seconds since the Unix epoch.
        unix: UnixTime,
    },
    /// New settings, already stored; applied atomically.
    SettingsChanged(ValidSettings),
    /// A credential change, already stored.
    CredentialsChanged(CredentialChange),
}

/// How someone asked for the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// A card at a reader.
    Card(CardId),
    /// A user number and password.
    Password(UserId),
    /// A fingerprint.
    Fingerprint(FingerprintId),
    /// The exit button.
    ExitButton,
    /// A remote unlock.
    Remote(RemoteSource),
}

impl Method {
    /// Cards, passwords and fingerprints open the lock chosen in the settings; the exit
    /// button and remote unlocks name their own.
    pub const fn is_remote(&self) -> bool {
        matches!(self, Self::ExitButton | Self::Remote(_))
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DenyReason {
    /// No such card.
    UnknownCard,
    /// The card is reported lost.
    LostCard,
    /// The credential's validity period has ended.
    Expired,
    /// The credential's validity period has not begun.
    NotYetValid,
    /// The credential has a validity period and the station does not know the date yet.
    ClockNotSet,
    /// No such password user.
    UnknownUser,
    /// The password is wrong.
    WrongPassword,
    /// No such fingerprint.
    UnknownFingerprint,
    /// The reader is locked out after too many failures.
    LockedOut,
    /// The lock setting gives non-remote methods no lock.
    NoLockForMethod,
    /// The door was unlocked less than the responding interval ago.
    RespondingInterval,
}

impl DenyReason {
    /// Whether this denial counts towards the reader's lockout: a wrong or unusable
    /// credential does, being too quick or a configuration choice does not.
    pub const fn counts_as_failure(self) -> bool {
        !matches!(
            self,
            Self::LockedOut | Self::NoLockForMethod | Self::RespondingInterval
        )
    }
}

/// The result of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The door opens.
    Granted(DoorId),
    /// It does not, and why.
    Denied(DenyReason),
}

/// One decision, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decision {
    /// Where the credential was presented (none for the exit button and remote unlocks).
    pub reader: Option<ReaderId>,
    /// How.
    pub method: Method,
    /// The room the credential belongs to, if it is known.
    pub room: Option<RoomNumber>,
    /// Granted or denied.
    pub outcome: Outcome,
}

/// Conditions the management centre must hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alarm {
    /// A fire alarm on a lock's contact port: every door is open.
    Fire(DoorId),
    /// The door stayed unlocked longer than its door-sensor check duration.
    DoorHeldOpen(DoorId),
    /// The door opened while its lock was not released.
    ForcedOpen(DoorId),
    /// Too many failed attempts at a reader.
    ReaderLockedOut(ReaderId),
    /// The station's housing was opened.
    Tamper,
}

/// How a main card's issue mode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssueModeEnd {
    /// A new card was issued.
    CardIssued(CardId),
    /// The main card was presented again.
    Cancelled,
    /// No new card came in time.
    TimedOut,
}

/// Something worth a line in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A request was granted or denied.
    Decision(Decision),
    /// A lock's relay was released (relocked).
    LockReleased(DoorId),
    /// A door opened or closed.
    Door(DoorId, DoorState),
    /// A main card started issuing cards for its room.
    IssueModeStarted {
        /// The main card.
        card: CardId,
        /// The room new cards go to.
        room: RoomNumber,
        /// When issue mode ends if no card comes.
        until: Instant,
    },
    /// Issue mode ended.
    IssueModeEnded {
        /// The room.
        room: RoomNumber,
        /// How.
        how: IssueModeEnd,
    },
    /// A reader stopped accepting credentials.
    LockoutStarted {
        /// Which reader.
        reader: ReaderId,
        /// Until when.
        until: Instant,
    },
    /// A reader accepts credentials again.
    LockoutEnded(ReaderId),
    /// An alarm was raised.
    AlarmRaised(Alarm),
    /// An alarm's condition ended.
    AlarmCleared(Alarm),
    /// A keypad entry was discarded: too long a pause, a malformed entry, or `*`.
    KeypadEntryDiscarded(ReaderId),
    /// New settings took effect.
    SettingsApplied,
}

/// An event to record, with the time it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessEvent {
    /// When.
    pub at: Instant,
    /// What.
    pub kind: EventKind,
}

/// What the contact port of a lock carries, so the app wires its input accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortFunction {
    /// A door contact.
    DoorContact,
    /// A fire-alarm device.
    FireAlarm,
}

/// A command for the app, or an event to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Output {
    /// Energize the lock's relay (open the door). `until` is the time the core will
    /// release it, for a watchdog that releases the relay if the core stops answering;
    /// `None` while a fire alarm or the door-sensor rule holds it.
    EnergizeLock {
        /// Which lock.
        door: DoorId,
        /// When the core will release it, if it knows.
        until: Option<Instant>,
    },
    /// Release the lock's relay (the door locks).
    ReleaseLock(DoorId),
    /// Wire a lock's contact port for this function and contact type.
    ConfigurePort {
        /// Which lock's port.
        door: DoorId,
        /// Door contact or fire alarm.
        function: PortFunction,
        /// NC or NO.
        contact: Contact,
    },
    /// Tell the indoor monitors the door's state (door-sensor status sync).
    SyncDoorState {
        /// Which door.
        door: DoorId,
        /// Open or closed.
        state: DoorState,
    },
    /// Tell the management centre.
    RaiseAlarm(Alarm),
    /// Tell the management centre the condition ended.
    ClearAlarm(Alarm),
    /// Store this new card for this room (a main card's issue mode), then send it back
    /// as [`CredentialChange::CardUpserted`].
    IssueCard {
        /// The new card.
        card: CardId,
        /// Its room.
        room: RoomNumber,
    },
    /// Append to the event log.
    RecordEvent(AccessEvent),
}
