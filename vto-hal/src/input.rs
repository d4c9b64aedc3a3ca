//! Digital inputs with a meaning: door contact, exit and call buttons, fire alarm, tamper.
//!
//! Each kind of input has its own state type, so a door contact can never be mistaken for
//! a button. Backends report debounced changes with the time of the edge that started them.

use core::fmt::Debug;

use crate::error::ErrorType;
use crate::time::{Duration, Timestamp};

/// A two-valued meaning of an input line. "Active" is the state that calls for attention
/// (door open, button pressed, alarm raised, case opened).
pub trait InputState: Copy + Eq + Debug + Send + 'static {
    /// The state that calls for attention.
    const ACTIVE: Self;
    /// The rest state.
    const INACTIVE: Self;

    /// The state for an active (`true`) or inactive line.
    fn from_active(active: bool) -> Self {
        if active {
            Self::ACTIVE
        } else {
            Self::INACTIVE
        }
    }

    /// Whether this is the active state.
    fn is_active(self) -> bool {
        self == Self::ACTIVE
    }
}

macro_rules! input_state {
    ($(#[$doc:meta])* $name:ident { $(#[$idoc:meta])* $inactive:ident, $(#[$adoc:meta])* $active:ident }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[$idoc])*
            $inactive,
            $(#[$adoc])*
            $active,
        }

        impl InputState for $name {
            const ACTIVE: Self = Self::$active;
            const INACTIVE: Self = Self::$inactive;
        }
    };
}

input_state!(
    /// The door, as its contact reports it.
    DoorState {
        /// Shut: the contact is in its rest position.
        Closed,
        /// Open.
        Open
    }
);
input_state!(
    /// A push button: exit button or call button.
    ButtonState {
        /// Not pressed.
        Released,
        /// Held down.
        Pressed
    }
);
input_state!(
    /// The fire-alarm input (the door-contact port in the manual's fire-alarm mode).
    FireAlarmState {
        /// No alarm.
        Normal,
        /// The fire alarm is raised: every door must unlock.
        Alarm
    }
);
input_state!(
    /// The tamper switch behind the station's case.
    TamperState {
        /// The case is shut on the wall.
        Intact,
        /// The case was opened or pulled off the wall.
        Tampered
    }
);

/// A debounced change of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputEvent<S> {
    /// The new state.
    pub state: S,
    /// When the line first moved towards it (the first edge of the bounce).
    pub at: Timestamp,
}

/// A debounced digital input.
pub trait Input: ErrorType {
    /// What this input means.
    type State: InputState;

    /// The current debounced state.
    fn state(&mut self) -> Result<Self::State, Self::Error>;

    /// Waits up to `timeout` for the next debounced change; `Ok(None)` if none came.
    fn wait_event(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<InputEvent<Self::State>>, Self::Error>;
}

impl<T: Input + ?Sized> Input for &mut T {
    type State = T::State;
    fn state(&mut self) -> Result<Self::State, Self::Error> {
        T::state(self)
    }
    fn wait_event(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<InputEvent<Self::State>>, Self::Error> {
        T::wait_event(self, timeout)
    }
}

/// A door contact: an [`Input`] that reports [`DoorState`].
pub trait DoorContact: Input<State = DoorState> {}
impl<T: Input<State = DoorState> + ?Sized> DoorContact for T {}

/// An exit or call button: an [`Input`] that reports [`ButtonState`].
pub trait Button: Input<State = ButtonState> {}
impl<T: Input<State = ButtonState> + ?Sized> Button for T {}

/// A fire-alarm input: an [`Input`] that reports [`FireAlarmState`].
pub trait FireAlarmInput: Input<State = FireAlarmState> {}
impl<T: Input<State = FireAlarmState> + ?Sized> FireAlarmInput for T {}

/// A tamper switch: an [`Input`] that reports [`TamperState`].
pub trait TamperSwitch: Input<State = TamperState> {}
impl<T: Input<State = TamperState> + ?Sized> TamperSwitch for T {}
