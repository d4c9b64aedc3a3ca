//! Network > Basic > P2P (manual 6.1.3): reaching the station from the phone app through a
//! relay service.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{FieldError, Section};

/// The manual's "P2P" switch.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct P2p {
    /// Register with the P2P service so the app can add the station by QR code. Default
    /// off (it exposes the station beyond the LAN).
    pub enabled: bool,
}

impl Section for P2p {
    const NAME: &'static str = "network.p2p";
    const PAGE: &'static str = "Network > Basic > P2P";

    fn validate(&self) -> Result<(), FieldError> {
        Ok(())
    }
}
