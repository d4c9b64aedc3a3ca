//! A lock's contact port: a door contact or, in the manual's fire-alarm mode, a fire
//! alarm; NC or NO. Backends report only whether the contact is closed; what that means
//! is decided here from the runtime settings, so changing "Door Contact Type" or "Fire
//! Alarm" in the web UI needs no rewiring.

use vto_core::access::PortFunction;
use vto_hal::{Contact, DoorState, FireAlarmState};

/// What a lock's contact port is until the settings say otherwise: a normally-closed
/// door contact, the manual's default.
pub const DEFAULT_PORT: (PortFunction, Contact) =
    (PortFunction::DoorContact, Contact::NormallyClosed);

/// The electrical state of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Circuit {
    /// The contact is closed (current flows).
    Closed,
    /// The contact is open.
    Open,
}

/// What a port's circuit means under its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortReading {
    /// A door contact's state.
    Door(DoorState),
    /// A fire alarm's state.
    Fire(FireAlarmState),
}

/// Whether a contact of type `contact` is in its active position (door open, alarm
/// raised) when its circuit is `circuit`. NC contacts are closed at rest, so a cut wire
/// reads as active: the safe failure.
pub fn is_active(contact: Contact, circuit: Circuit) -> bool {
    match contact {
        Contact::NormallyOpen => circuit == Circuit::Closed,
        Contact::NormallyClosed => circuit == Circuit::Open,
    }
}

/// The circuit a contact of type `contact` shows when `active`.
pub fn circuit_for(contact: Contact, active: bool) -> Circuit {
    match (contact, active) {
        (Contact::NormallyOpen, true) | (Contact::NormallyClosed, false) => Circuit::Closed,
        _ => Circuit::Open,
    }
}

/// What `circuit` means on a port configured for `function` with `contact`.
pub fn interpret(function: PortFunction, contact: Contact, circuit: Circuit) -> PortReading {
    let active = is_active(contact, circuit);
    match function {
        PortFunction::DoorContact => PortReading::Door(if active {
            DoorState::Open
        } else {
            DoorState::Closed
        }),
        PortFunction::FireAlarm => PortReading::Fire(if active {
            FireAlarmState::Alarm
        } else {
            FireAlarmState::Normal
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_nc_door_contact_reads_a_cut_wire_as_an_open_door() {
        assert_eq!(
            interpret(
                PortFunction::DoorContact,
                Contact::NormallyClosed,
                Circuit::Open
            ),
            PortReading::Door(DoorState::Open)
        );
        assert_eq!(
            interpret(
                PortFunction::DoorContact,
                Contact::NormallyOpen,
                Circuit::Open
            ),
            PortReading::Door(DoorState::Closed)
        );
    }

    #[test]
    fn the_same_circuit_is_a_fire_alarm_in_fire_mode() {
        assert_eq!(
            interpret(
                PortFunction::FireAlarm,
                Contact::NormallyClosed,
                Circuit::Open
            ),
            PortReading::Fire(FireAlarmState::Alarm)
        );
        for contact in [Contact::NormallyOpen, Contact::NormallyClosed] {
            for active in [false, true] {
                assert_eq!(is_active(contact, circuit_for(contact, active)), active);
            }
        }
    }
}
