//! Events as the outside world sees them: one JSON shape for the log, the SSE stream and
//! the API, with the wall-clock time the station assigns.

use serde::Serialize;
use utoipa::ToSchema;
use vto_core::access::{
    AccessEvent, Alarm, CardId, DenyReason, DoorId, EventKind, IssueModeEnd, Method, Outcome,
    RemoteSource,
};

use crate::store::{EventType, NewEvent};

/// 1 for the local lock, 2 for the RS-485 lock: the numbering of the manual and the API.
pub fn door_number(door: DoorId) -> u8 {
    door.index() as u8 + 1
}

/// The lock called `n` (1 or 2) in the API.
pub fn door_from_number(n: u8) -> Option<DoorId> {
    match n {
        1 => Some(DoorId::Local),
        2 => Some(DoorId::Rs485),
        _ => None,
    }
}

/// A card as the API writes it: `facility:number`.
pub fn card_text(card: CardId) -> String {
    format!("{}:{}", card.facility.0, card.number.0)
}

/// A reason as a stable snake_case code.
pub fn reason_code(reason: DenyReason) -> &'static str {
    match reason {
        DenyReason::UnknownCard => "unknown_card",
        DenyReason::LostCard => "lost_card",
        DenyReason::Expired => "expired",
        DenyReason::NotYetValid => "not_yet_valid",
        DenyReason::ClockNotSet => "clock_not_set",
        DenyReason::UnknownUser => "unknown_user",
        DenyReason::WrongPassword => "wrong_password",
        DenyReason::UnknownFingerprint => "unknown_fingerprint",
        DenyReason::LockedOut => "locked_out",
        DenyReason::NoLockForMethod => "no_lock_for_method",
        DenyReason::RespondingInterval => "responding_interval",
    }
}

fn alarm_text(alarm: Alarm) -> (String, Option<u8>) {
    match alarm {
        Alarm::Fire(d) => ("fire alarm".into(), Some(door_number(d))),
        Alarm::DoorHeldOpen(d) => ("door held open".into(), Some(door_number(d))),
        Alarm::ForcedOpen(d) => ("door forced open".into(), Some(door_number(d))),
        Alarm::ReaderLockedOut(r) => (format!("{r} locked out after failed attempts"), None),
        Alarm::Tamper => ("station case opened (tamper)".into(), None),
    }
}

/// The text form of how someone asked, for the log's `actor`.
fn method_actor(method: &Method) -> String {
    match method {
        Method::Card(c) => format!("card {}", card_text(*c)),
        Method::Password(u) => format!("password of user {}", u.get()),
        Method::Fingerprint(f) => format!("fingerprint {}", f.0),
        Method::ExitButton => "exit button".into(),
        Method::Remote(RemoteSource::Web) => "web".into(),
        Method::Remote(RemoteSource::Monitor(room)) => format!("monitor of room {}", room.0),
        Method::Remote(RemoteSource::Dtmf) => "DTMF unlock command".into(),
        Method::Remote(RemoteSource::ManagementCentre) => "management centre".into(),
    }
}

/// An access event as a row for the log. `actor` overrides the method's own description
/// (a remote unlock names the user who asked).
pub fn to_new_event(event: &AccessEvent, at_ms: i64, actor: Option<&str>) -> NewEvent {
    let mut row = NewEvent {
        at_ms,
        kind: EventType::System,
        door: None,
        card: None,
        room: None,
        actor: None,
        outcome: None,
        reason: None,
        detail: String::new(),
    };
    match event.kind {
        EventKind::Decision(d) => {
            row.kind = EventType::Decision;
            row.card = match d.method {
                Method::Card(c) => Some(c),
                _ => None,
            };
            row.room = d.room;
            let who = actor.map_or_else(|| method_actor(&d.method), str::to_string);
            match d.outcome {
                Outcome::Granted(door) => {
                    row.door = Some(door_number(door));
                    row.outcome = Some("granted".into());
                    row.detail = format!("{who}: lock {} unlocked", door_number(door));
                }
                Outcome::Denied(reason) => {
                    row.outcome = Some("denied".into());
                    row.reason = Some(reason_code(reason).into());
                    row.detail = format!("{who}: denied ({})", reason_code(reason));
                }
            }
            row.actor = Some(who);
        }
        EventKind::LockReleased(door) => {
            row.kind = EventType::Door;
            row.door = Some(door_number(door));
            row.detail = format!("lock {} locked (relay released)", door_number(door));
        }
        EventKind::Door(door, state) => {
            row.kind = EventType::Door;
            row.door = Some(door_number(door));
            row.detail = format!(
                "door {} {}",
                door_number(door),
                match state {
                    vto_hal::DoorState::Open => "opened",
                    vto_hal::DoorState::Closed => "closed",
                }
            );
        }
        EventKind::IssueModeStarted { card, room, .. } => {
            row.kind = EventType::IssueMode;
            row.card = Some(card);
            row.room = Some(room);
            row.detail = format!(
                "main card {} issues cards for room {}",
                card_text(card),
                room.0
            );
        }
        EventKind::IssueModeEnded { room, how } => {
            row.kind = EventType::IssueMode;
            row.room = Some(room);
            row.detail = match how {
                IssueModeEnd::CardIssued(card) => {
                    row.card = Some(card);
                    format!("card {} issued to room {}", card_text(card), room.0)
                }
                IssueModeEnd::Cancelled => format!("issuing for room {} cancelled", room.0),
                IssueModeEnd::TimedOut => format!("issuing for room {} timed out", room.0),
            };
        }
        EventKind::LockoutStarted { reader, .. } => {
            row.kind = EventType::Lockout;
            row.detail = format!("{reader} locked out after failed attempts");
        }
        EventKind::LockoutEnded(reader) => {
            row.kind = EventType::Lockout;
            row.detail = format!("{reader} accepts credentials again");
        }
        EventKind::AlarmRaised(alarm) => {
            row.kind = EventType::Alarm;
            let (text, door) = alarm_text(alarm);
            row.door = door;
            row.outcome = Some("raised".into());
            row.detail = format!("alarm: {text}");
        }
        EventKind::AlarmCleared(alarm) => {
            row.kind = EventType::Alarm;
            let (text, door) = alarm_text(alarm);
            row.door = door;
            row.outcome = Some("cleared".into());
            row.detail = format!("alarm cleared: {text}");
        }
        EventKind::KeypadEntryDiscarded(reader) => {
            row.detail = format!("keypad entry at {reader} discarded");
        }
        EventKind::SettingsApplied => {
            row.kind = EventType::Settings;
            row.detail = "access-control settings applied".into();
        }
    }
    row
}

/// An event as the API and the SSE stream show it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct EventView {
    /// Position in the log (increasing).
    pub seq: u64,
    /// Unix time in milliseconds.
    pub at_ms: i64,
    /// decision, door, alarm, lockout, issue_mode, settings, system, call.
    pub kind: String,
    /// 1 (local) or 2 (RS-485).
    pub door: Option<u8>,
    /// `facility:number`.
    pub card: Option<String>,
    /// Room number.
    pub room: Option<u32>,
    /// Who or what acted.
    pub actor: Option<String>,
    /// granted, denied, raised, cleared.
    pub outcome: Option<String>,
    /// Why a request was denied (stable code).
    pub reason: Option<String>,
    /// A sentence for people.
    pub detail: String,
}

impl EventView {
    /// The view of a stored row.
    pub fn new(seq: u64, e: &NewEvent) -> Self {
        Self {
            seq,
            at_ms: e.at_ms,
            kind: e.kind.as_str().to_string(),
            door: e.door,
            card: e.card.map(card_text),
            room: e.room.map(|r| r.0),
            actor: e.actor.clone(),
            outcome: e.outcome.clone(),
            reason: e.reason.clone(),
            detail: e.detail.clone(),
        }
    }
}
