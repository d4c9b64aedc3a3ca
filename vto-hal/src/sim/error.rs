use crate::error::ErrorKind;
use crate::lock::RelayState;
use crate::wiegand::decoder::FrameError;

/// What a simulated device reports when a fault is injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The relay's feedback contact shows it did not move (welded contacts, dead coil).
    #[error("relay did not follow: driven {driven}, reads {reads}")]
    RelayStuck {
        /// What the relay was told.
        driven: RelayState,
        /// What it is doing.
        reads: RelayState,
    },
    /// The device was unplugged.
    #[error("{0} is disconnected")]
    Disconnected(&'static str),
    /// The reader's lines carried something that is not a frame.
    #[error("wiegand line fault: {0}")]
    Frame(FrameError),
}

impl crate::error::Error for SimError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::RelayStuck { .. } | Self::Frame(_) => ErrorKind::Fault,
            Self::Disconnected(_) => ErrorKind::Disconnected,
        }
    }
}
