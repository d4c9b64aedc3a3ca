//! One lock and its door: the relay, the door contact and the alarms they raise.
//!
//! The relay's deadline lives in its state, so the engine's `poll_timeout` is exact and a
//! relay is released by the core's own clock, never by a sleeping thread.

use vto_hal::DoorState;

use super::event::{Alarm, EventKind, Output, PortFunction};
use super::ids::DoorId;
use super::outbox::Outbox;
use super::settings::LockSettings;
use crate::time::Instant;

/// What holds the relay, apart from a fire alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relay {
    /// Not energized: the door is locked.
    Released,
    /// Energized for an unlock, until the end of the unlock period.
    Unlocked { since: Instant, until: Instant },
    /// The unlock period is over but the door is open and the door-sensor check is on:
    /// the lock is released when the door closes.
    AwaitingClose { since: Instant },
}

/// One lock's state.
#[derive(Debug, Clone)]
pub(crate) struct Door {
    id: DoorId,
    relay: Relay,
    /// A fire alarm holds every relay energized.
    fire_held: bool,
    /// When the door was last unlocked, for the responding interval.
    last_unlock: Option<Instant>,
    /// The door contact's last report; `None` until the first one (and when none is fitted).
    contact: Option<DoorState>,
    held_open_alarm: bool,
    forced_open_alarm: bool,
}

impl Door {
    /// A door at boot: released, which the engine tells the app at once.
    pub(crate) fn new(id: DoorId) -> Self {
        Self {
            id,
            relay: Relay::Released,
            fire_held: false,
            last_unlock: None,
            contact: None,
            held_open_alarm: false,
            forced_open_alarm: false,
        }
    }

    /// Whether the relay is energized.
    pub(crate) fn is_energized(&self) -> bool {
        self.fire_held || self.relay != Relay::Released
    }

    /// The next time this door has something to do.
    pub(crate) fn deadline(&self, settings: &LockSettings) -> Option<Instant> {
        match self.relay {
            Relay::Released => None,
            Relay::Unlocked { since, until } => Some(match held_open_at(since, settings) {
                Some(alarm) if !self.held_open_alarm => until.min(alarm),
                _ => until,
            }),
            Relay::AwaitingClose { since } => {
                held_open_at(since, settings).filter(|_| !self.held_open_alarm)
            }
        }
    }

    /// Opens the door for one unlock period, unless it was opened less than the
    /// responding interval ago.
    pub(crate) fn unlock(
        &mut self,
        now: Instant,
        settings: &LockSettings,
        out: &mut Outbox,
    ) -> Result<(), super::event::DenyReason> {
        if self.fire_held {
            // Every door is open until the fire alarm clears; nothing to do.
            return Ok(());
        }
        if let Some(last) = self.last_unlock {
            if now < last + settings.responding_interval {
                return Err(super::event::DenyReason::RespondingInterval);
            }
        }
        self.last_unlock = Some(now);
        let until = now + settings.unlock_period;
        self.relay = Relay::Unlocked { since: now, until };
        out.push(Output::EnergizeLock {
            door: self.id,
            until: Some(until),
        });
        Ok(())
    }

    /// Acts on every deadline that has passed.
    pub(crate) fn on_timeout(&mut self, now: Instant, settings: &LockSettings, out: &mut Outbox) {
        if let Relay::Unlocked { since, until } = self.relay {
            if now >= until {
                self.end_unlock_period(since, until, settings, out);
            }
        }
        if let Relay::AwaitingClose { since } = self.relay {
            if let Some(at) = held_open_at(since, settings) {
                if now >= at && !self.held_open_alarm {
                    self.held_open_alarm = true;
                    let alarm = Alarm::DoorHeldOpen(self.id);
                    out.push(Output::RaiseAlarm(alarm));
                    out.record(at, EventKind::AlarmRaised(alarm));
                }
            }
        }
    }

    /// The unlock period ended at `until`: release, or hold for a door still open.
    fn end_unlock_period(
        &mut self,
        since: Instant,
        until: Instant,
        settings: &LockSettings,
        out: &mut Outbox,
    ) {
        if settings.door_sensor_check.is_some() && self.contact == Some(DoorState::Open) {
            self.relay = Relay::AwaitingClose { since };
            if !self.fire_held {
                out.push(Output::EnergizeLock {
                    door: self.id,
                    until: None,
                });
            }
        } else {
            self.release(until, out);
        }
    }

    /// Releases the relay (unless a fire alarm holds it) and records it.
    fn release(&mut self, at: Instant, out: &mut Outbox) {
        self.relay = Relay::Released;
        if !self.fire_held {
            out.push(Output::ReleaseLock(self.id));
            out.record(at, EventKind::LockReleased(self.id));
        }
    }

    /// The door contact reported `state`.
    pub(crate) fn on_contact(
        &mut self,
        now: Instant,
        state: DoorState,
        settings: &LockSettings,
        out: &mut Outbox,
    ) {
        if settings.fire_alarm {
            return;
        }
        let previous = self.contact.replace(state);
        if previous == Some(state) {
            return;
        }
        out.record(now, EventKind::Door(self.id, state));
        if settings.door_sensor_sync {
            out.push(Output::SyncDoorState {
                door: self.id,
                state,
            });
        }
        match state {
            DoorState::Open => {
                let forced = previous == Some(DoorState::Closed)
                    && !self.is_energized()
                    && settings.has_door_contact();
                if forced && !self.forced_open_alarm {
                    self.forced_open_alarm = true;
                    let alarm = Alarm::ForcedOpen(self.id);
                    out.push(Output::RaiseAlarm(alarm));
                    out.record(now, EventKind::AlarmRaised(alarm));
                }
            }
            DoorState::Closed => {
                self.clear_alarms(now, out);
                if let Relay::AwaitingClose { .. } = self.relay {
                    self.release(now, out);
                }
            }
        }
    }

    fn clear_alarms(&mut self, now: Instant, out: &mut Outbox) {
        for (raised, alarm) in [
            (&mut self.forced_open_alarm, Alarm::ForcedOpen(self.id)),
            (&mut self.held_open_alarm, Alarm::DoorHeldOpen(self.id)),
        ] {
            if core::mem::take(raised) {
                out.push(Output::ClearAlarm(alarm));
                out.record(now, EventKind::AlarmCleared(alarm));
            }
        }
    }

    /// A fire alarm anywhere started (`true`) or every fire alarm cleared (`false`).
    pub(crate) fn set_fire(&mut self, now: Instant, active: bool, out: &mut Outbox) {
        if self.fire_held == active {
            return;
        }
        self.fire_held = active;
        match (active, self.relay) {
            (true, _) => out.push(Output::EnergizeLock {
                door: self.id,
                until: None,
            }),
            (false, Relay::Released) => {
                out.push(Output::ReleaseLock(self.id));
                out.record(now, EventKind::LockReleased(self.id));
            }
            (false, Relay::Unlocked { until, .. }) => out.push(Output::EnergizeLock {
                door: self.id,
                until: Some(until),
            }),
            (false, Relay::AwaitingClose { .. }) => {}
        }
    }

    /// New settings for this lock: rewire the port if its use changed, and shorten a
    /// running unlock to the new period.
    pub(crate) fn apply_settings(
        &mut self,
        now: Instant,
        old: &LockSettings,
        new: &LockSettings,
        out: &mut Outbox,
    ) {
        if old.fire_alarm != new.fire_alarm || old.contact != new.contact {
            out.push(Output::ConfigurePort {
                door: self.id,
                function: port_function(new),
                contact: new.contact,
            });
            // What the port said under the old wiring means nothing now.
            self.contact = None;
            self.clear_alarms(now, out);
        }
        if !new.has_door_contact() {
            self.clear_alarms(now, out);
        }
        match self.relay {
            Relay::Unlocked { since, until } => {
                let shortened = since + new.unlock_period;
                if shortened <= now {
                    self.end_unlock_period(since, now, new, out);
                } else if shortened != until {
                    self.relay = Relay::Unlocked {
                        since,
                        until: shortened,
                    };
                    if !self.fire_held {
                        out.push(Output::EnergizeLock {
                            door: self.id,
                            until: Some(shortened),
                        });
                    }
                }
            }
            Relay::AwaitingClose { .. } if new.door_sensor_check.is_none() => {
                self.clear_alarms(now, out);
                self.release(now, out);
            }
            Relay::AwaitingClose { .. } | Relay::Released => {}
        }
    }
}

/// When a door unlocked at `since` raises the held-open alarm, if the check is on.
fn held_open_at(since: Instant, settings: &LockSettings) -> Option<Instant> {
    settings.door_sensor_check.map(|d| since + d)
}

/// What a lock's contact port carries under `settings`.
pub(crate) fn port_function(settings: &LockSettings) -> PortFunction {
    if settings.fire_alarm {
        PortFunction::FireAlarm
    } else {
        PortFunction::DoorContact
    }
}
