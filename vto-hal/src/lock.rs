//! Lock relays.
//!
//! vto drives every lock through a relay whose released (de-energised) position is the
//! locked one: an electric strike sits on the relay's NO terminal, a fail-safe magnetic
//! lock on its NC terminal. So [`RelayState::Released`] is always the safe state a station
//! boots into and falls back to after a crash, whatever the lock type.

use crate::error::ErrorType;

/// What the relay coil is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RelayState {
    /// De-energised: the door is locked. The state at boot and after any failure.
    #[default]
    Released,
    /// Energised: the door is unlocked for as long as this lasts.
    Energized,
}

impl core::fmt::Display for RelayState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Released => "released",
            Self::Energized => "energized",
        })
    }
}

/// A lock relay.
///
/// Implementations apply polarity once; callers only ever speak of [`RelayState`]. How
/// long a relay stays energised is the caller's decision (the core's unlock period):
/// a `Lock` holds whatever it was last told.
pub trait Lock: ErrorType {
    /// Drives the relay into `state`.
    fn set(&mut self, state: RelayState) -> Result<(), Self::Error>;

    /// The state the relay is in, read back from the hardware where the backend can.
    fn state(&mut self) -> Result<RelayState, Self::Error>;

    /// Energises the relay: unlocks the door.
    fn energize(&mut self) -> Result<(), Self::Error> {
        self.set(RelayState::Energized)
    }

    /// Releases the relay: locks the door.
    fn release(&mut self) -> Result<(), Self::Error> {
        self.set(RelayState::Released)
    }
}

impl<T: Lock + ?Sized> Lock for &mut T {
    fn set(&mut self, state: RelayState) -> Result<(), Self::Error> {
        T::set(self, state)
    }
    fn state(&mut self) -> Result<RelayState, Self::Error> {
        T::state(self)
    }
}
