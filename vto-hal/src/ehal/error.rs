//! The error of the embedded-hal adapters.

use crate::error::ErrorKind;

/// A pin operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError<E> {
    /// The underlying pin reported an error.
    #[error("gpio pin error: {0:?}")]
    Pin(E),
    /// A relay read back a state other than the one it was just driven to.
    #[error("relay did not follow: driven {driven}, reads {reads}")]
    DidNotFollow {
        /// What it was told.
        driven: crate::RelayState,
        /// What it reports.
        reads: crate::RelayState,
    },
    /// The debounce window is out of range.
    #[error(transparent)]
    Window(#[from] crate::debounce::WindowOutOfRange),
}

impl<E: core::fmt::Debug> crate::error::Error for PinError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Pin(_) => ErrorKind::Other,
            Self::DidNotFollow { .. } => ErrorKind::Fault,
            Self::Window(_) => ErrorKind::InvalidConfig,
        }
    }
}
