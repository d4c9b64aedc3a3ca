//! Electrical levels and how wiring maps them to meaning.
//!
//! This is the only module that knows about high and low: adapters read or drive a
//! [`Level`] and turn it into a semantic state here, once, so the rest of vto never has to
//! remember whether a relay board is active-low or a door contact normally closed.

use crate::input::InputState;
use crate::lock::RelayState;

/// The electrical level of a line. Only backend adapters use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Logic low.
    Low,
    /// Logic high.
    High,
}

impl Level {
    /// The other level.
    pub const fn inverted(self) -> Self {
        match self {
            Self::Low => Self::High,
            Self::High => Self::Low,
        }
    }
}

/// Which level means "asserted": the relay coil driven, or the input contact closed.
///
/// Many relay boards are active-low (the opto-coupler conducts when the pin is low), and
/// contacts to ground with a pull-up read low when closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Polarity {
    /// High means asserted.
    #[default]
    ActiveHigh,
    /// Low means asserted.
    ActiveLow,
}

impl Polarity {
    /// The level that asserts (`true`) or deasserts (`false`) the line.
    pub const fn level(self, asserted: bool) -> Level {
        match (self, asserted) {
            (Self::ActiveHigh, true) | (Self::ActiveLow, false) => Level::High,
            (Self::ActiveHigh, false) | (Self::ActiveLow, true) => Level::Low,
        }
    }

    /// Whether `level` asserts the line.
    pub const fn is_asserted(self, level: Level) -> bool {
        matches!(
            (self, level),
            (Self::ActiveHigh, Level::High) | (Self::ActiveLow, Level::Low)
        )
    }

    /// The level that drives a relay coil into `state`.
    pub const fn relay_level(self, state: RelayState) -> Level {
        self.level(matches!(state, RelayState::Energized))
    }

    /// The relay state that `level` on the coil line means.
    pub const fn relay_state(self, level: Level) -> RelayState {
        if self.is_asserted(level) {
            RelayState::Energized
        } else {
            RelayState::Released
        }
    }
}

/// The rest state of a sensor's contact (the manual's "door contact type").
///
/// A normally-closed door contact is closed while the door is shut, so a cut wire reads as
/// an open door: the safe choice, and the manual's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Contact {
    /// NO: the contact closes when the input becomes active (door opens, button pressed).
    NormallyOpen,
    /// NC: the contact opens when the input becomes active.
    #[default]
    NormallyClosed,
}

/// How a sensor is wired to its line: contact type and electrical polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InputWiring {
    /// NC or NO.
    pub contact: Contact,
    /// Which level the line shows while the contact is closed.
    pub polarity: Polarity,
}

impl InputWiring {
    /// A normally-open push button to ground with a pull-up: low while pressed.
    pub const BUTTON_TO_GROUND: Self = Self {
        contact: Contact::NormallyOpen,
        polarity: Polarity::ActiveLow,
    };
    /// A normally-closed reed door contact to ground with a pull-up: low while the door is shut.
    pub const NC_CONTACT_TO_GROUND: Self = Self {
        contact: Contact::NormallyClosed,
        polarity: Polarity::ActiveLow,
    };

    /// The semantic state that `level` means with this wiring.
    pub fn interpret<S: InputState>(self, level: Level) -> S {
        let closed = self.polarity.is_asserted(level);
        let active = match self.contact {
            Contact::NormallyOpen => closed,
            Contact::NormallyClosed => !closed,
        };
        S::from_active(active)
    }

    /// The level the line shows in `state`; what a test rig drives to simulate it.
    pub fn level_for<S: InputState>(self, state: S) -> Level {
        let closed = match self.contact {
            Contact::NormallyOpen => state.is_active(),
            Contact::NormallyClosed => !state.is_active(),
        };
        self.polarity.level(closed)
    }
}

/// The resistor the SoC puts on an input line (set through the kernel or rppal).
///
/// A contact to ground needs a pull-up somewhere; the SoC's internal one (tens of kΩ) is
/// enough on short runs, a door contact at the end of a long cable wants an external one
/// and [`Bias::Disabled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Bias {
    /// The internal pull-up: an open contact reads high.
    #[default]
    PullUp,
    /// The internal pull-down: an open contact reads low.
    PullDown,
    /// No internal resistor: the circuit outside defines the level.
    Disabled,
    /// Leave whatever the line has (the device tree's or the previous user's setting).
    AsIs,
}

/// How an input is wired and filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputConfig {
    /// Contact type and polarity.
    pub wiring: InputWiring,
    /// The SoC's resistor on the line.
    pub bias: Bias,
    /// How long a change must hold before it counts.
    pub window: crate::time::Duration,
}

impl InputConfig {
    /// A normally-closed door contact to ground on the internal pull-up: the manual's
    /// default, where a cut wire reads as an open door.
    pub const NC_DOOR_CONTACT: Self = Self {
        wiring: InputWiring::NC_CONTACT_TO_GROUND,
        bias: Bias::PullUp,
        window: crate::debounce::DEFAULT_WINDOW,
    };

    /// A normally-open push button to ground on the internal pull-up.
    pub const BUTTON_TO_GROUND: Self = Self {
        wiring: InputWiring::BUTTON_TO_GROUND,
        bias: Bias::PullUp,
        window: crate::debounce::DEFAULT_WINDOW,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{ButtonState, DoorState};

    #[test]
    fn nc_door_contact_to_ground_reads_low_as_closed_and_a_cut_wire_as_open() {
        let w = InputWiring::NC_CONTACT_TO_GROUND;
        assert_eq!(w.interpret::<DoorState>(Level::Low), DoorState::Closed);
        // A cut wire leaves the pull-up: high, the same as an open door.
        assert_eq!(w.interpret::<DoorState>(Level::High), DoorState::Open);
    }

    #[test]
    fn every_wiring_round_trips_through_its_level() {
        for contact in [Contact::NormallyOpen, Contact::NormallyClosed] {
            for polarity in [Polarity::ActiveHigh, Polarity::ActiveLow] {
                let w = InputWiring { contact, polarity };
                for s in [ButtonState::Pressed, ButtonState::Released] {
                    assert_eq!(w.interpret::<ButtonState>(w.level_for(s)), s);
                }
            }
        }
    }

    #[test]
    fn active_low_relay_board_is_energized_by_a_low_pin() {
        let p = Polarity::ActiveLow;
        assert_eq!(p.relay_level(RelayState::Energized), Level::Low);
        assert_eq!(p.relay_level(RelayState::Released), Level::High);
        assert_eq!(p.relay_state(Level::High), RelayState::Released);
    }
}
