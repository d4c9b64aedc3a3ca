//! Household Setting > VTS Management (manual 5.3): management-centre consoles registered on
//! this station when it works as the SIP server.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{digits, host_ipv4, max_len, secret, unique};
use super::{FieldError, Section};

/// The most management consoles on one SIP server.
pub const MAX_VTS: usize = 8;

/// The manual's "VTS Management" list.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct VtsManagement {
    /// Up to 8 consoles, numbers and addresses unique. Default none.
    pub consoles: Vec<VtsEntry>,
}

/// One management console.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct VtsEntry {
    /// "VTS No.", 1–9 digits (the centre call number when it answers centre calls).
    pub number: String,
    /// "Registration Password", up to 64 characters; "keep it default" (empty).
    pub registration_password: String,
    /// "IP Address".
    pub ip_address: String,
}

impl VtsEntry {
    /// Checks one entry.
    pub fn validate(&self) -> Result<(), FieldError> {
        digits("number", &self.number, 1, 9)?;
        secret("registration_password", &self.registration_password, 64)?;
        host_ipv4("ip_address", &self.ip_address).map(|_| ())
    }
}

impl Section for VtsManagement {
    const NAME: &'static str = "household.vts";
    const PAGE: &'static str = "Household Setting > VTS Management";

    fn validate(&self) -> Result<(), FieldError> {
        max_len("consoles", &self.consoles, MAX_VTS)?;
        for (i, v) in self.consoles.iter().enumerate() {
            v.validate()
                .map_err(|e| e.within(&format!("consoles[{i}]")))?;
        }
        unique("consoles", "number", &self.consoles, |v| v.number.clone())?;
        unique("consoles", "ip_address", &self.consoles, |v| {
            v.ip_address.clone()
        })
    }
}
