//! Household Setting > VTO No. Management (manual 5.1): the door stations registered on this
//! station when it works as the SIP server, so that they can call each other.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{digits, host_ipv4, max_len, secret, sip_user, unique};
use super::{FieldError, Section};

/// The most door stations on one SIP server.
pub const MAX_VTOS: usize = 32;

/// The manual's "VTO No. Management" list.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct VtoNumbers {
    /// Up to 32 door stations, numbers and addresses unique. Default none.
    pub vtos: Vec<VtoEntry>,
}

/// One door station.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct VtoEntry {
    /// "No.": its number (`local.basic.vto_number` on that station), 1–9 digits.
    pub number: String,
    /// "Registration Password": what it registers with, up to 64 characters; "keep it
    /// default" (empty: the SIP server's default).
    pub registration_password: String,
    /// "Build No.", only with another SIP server: up to 3 digits, empty if unused.
    pub build_no: String,
    /// "Unit No.", only with another SIP server: up to 3 digits, empty if unused.
    pub unit_no: String,
    /// "IP Address".
    pub ip_address: String,
    /// "Username" of its web interface. Default `admin`.
    pub username: String,
    /// "Password" of its web interface, up to 64 characters.
    pub password: String,
}

impl Default for VtoEntry {
    fn default() -> Self {
        Self {
            number: String::new(),
            registration_password: String::new(),
            build_no: String::new(),
            unit_no: String::new(),
            ip_address: String::new(),
            username: "admin".into(),
            password: String::new(),
        }
    }
}

impl VtoEntry {
    /// Checks one entry; fields are named without the list's prefix.
    pub fn validate(&self) -> Result<(), FieldError> {
        digits("number", &self.number, 1, 9)?;
        secret("registration_password", &self.registration_password, 64)?;
        if !self.build_no.is_empty() {
            digits("build_no", &self.build_no, 1, 3)?;
        }
        if !self.unit_no.is_empty() {
            digits("unit_no", &self.unit_no, 1, 3)?;
        }
        host_ipv4("ip_address", &self.ip_address)?;
        sip_user("username", &self.username, 32)?;
        secret("password", &self.password, 64)
    }
}

impl Section for VtoNumbers {
    const NAME: &'static str = "household.vto_numbers";
    const PAGE: &'static str = "Household Setting > VTO No. Management";

    fn validate(&self) -> Result<(), FieldError> {
        max_len("vtos", &self.vtos, MAX_VTOS)?;
        for (i, v) in self.vtos.iter().enumerate() {
            v.validate().map_err(|e| e.within(&format!("vtos[{i}]")))?;
        }
        unique("vtos", "number", &self.vtos, |v| v.number.clone())?;
        unique("vtos", "ip_address", &self.vtos, |v| v.ip_address.clone())
    }
}
