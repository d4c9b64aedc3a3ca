//! Household Setting > VTH Management (manual 5.2): the settings of the page; the rooms
//! themselves are rows of the store, checked with [`VthRoom::validate`].

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vto_core::access::RoomNumber;

use super::check::{digits, optional_text, range, secret};
use super::{FieldError, Section};

/// The manual's "VTH Management" page, without the room list.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct VthManagement {
    /// "Registration Type" of new rooms: `public` (the manual's choice, default) or `local`.
    pub registration_type: RegistrationType,
    /// "Issue Card": how long the station waits for the card to be swiped after **Issue
    /// Card** is clicked (the countdown), 10–120 s. Default 60 s.
    pub card_issue_countdown_s: u32,
}

impl Default for VthManagement {
    fn default() -> Self {
        Self {
            registration_type: RegistrationType::Public,
            card_issue_countdown_s: 60,
        }
    }
}

/// "Registration Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationType {
    /// Registers with the public (shared) password.
    #[default]
    Public,
    /// Registers with its own password.
    Local,
}

/// One room ("Add a room number", table 5-2), as the store keeps it.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct VthRoom {
    /// "First Name", up to 63 characters.
    pub first_name: String,
    /// "Last Name", up to 63 characters.
    pub last_name: String,
    /// "Nick Name", up to 63 characters.
    pub nick_name: String,
    /// "Room No.", configured on the VTH too: 1–9 digits.
    pub room_number: String,
    /// "Registration Type".
    pub registration_type: RegistrationType,
    /// "Registration Password", up to 64 characters; "keep it default" (empty).
    pub registration_password: String,
}

impl VthRoom {
    /// Checks one room.
    pub fn validate(&self) -> Result<(), FieldError> {
        for (field, value) in [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("nick_name", &self.nick_name),
        ] {
            optional_text(field, value, 63)?;
        }
        digits("room_number", &self.room_number, 1, 9)?;
        secret("registration_password", &self.registration_password, 64)
    }

    /// The room as the core numbers it; `None` unless [`validate`](Self::validate) passes.
    pub fn room_number(&self) -> Option<RoomNumber> {
        self.validate().ok()?;
        self.room_number.parse().ok().map(RoomNumber)
    }
}

impl Section for VthManagement {
    const NAME: &'static str = "household.vth";
    const PAGE: &'static str = "Household Setting > VTH Management";

    fn validate(&self) -> Result<(), FieldError> {
        range(
            "card_issue_countdown_s",
            self.card_issue_countdown_s,
            10..=120,
            "s",
        )
    }
}
