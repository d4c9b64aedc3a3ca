//! Local Settings > Basic (manual 4.1): what the station is, its numbers, when it may call.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{digits, max_len, range, text};
use super::period::DailyPeriod;
use super::{FieldError, Section};

/// The most call periods ("Periods in which Calls can be Made").
pub const MAX_CALL_PERIODS: usize = 4;

/// The manual's "Basic" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Basic {
    /// "Device Type": villa station (one household, the call button rings its VTH) or small
    /// apartment (the visitor enters a room number). Default villa station.
    pub device_type: DeviceType,
    /// "Device Name", shown on monitoring images: 1–32 characters. Default `Villa Station`.
    pub device_name: String,
    /// "No.": the station's number on the SIP server (by unit or building): 1–9 digits, not
    /// the centre call number. Default `8001`.
    pub vto_number: String,
    /// "Center Call No.": the management centre's number, up to 9 digits. Default `888888`.
    pub centre_call_number: String,
    /// "Calling Center Period": when the management centre can be called. Default the
    /// whole day.
    pub calling_centre_period: DailyPeriod,
    /// "Periods in which Calls can be Made": 1–4 daily periods. Default the whole day.
    pub call_periods: Vec<DailyPeriod>,
    /// "Group Call": a call to a room rings the main VTH and all its extensions (on the
    /// station that works as SIP server). Default off.
    pub group_call: bool,
    /// How long a call rings before it is given up, 5–120 s. Default 30 s.
    pub ring_timeout_s: u32,
    /// The longest conversation, after which the station hangs up, 30–1800 s. Default
    /// 120 s.
    pub talk_limit_s: u32,
    /// "Auto Capture (Unlock)": two snapshots each time the door is unlocked. Default on.
    pub auto_capture_unlock: bool,
    /// "Auto Capture (Calling)": a snapshot when the station calls. Default off.
    pub auto_capture_calling: bool,
    /// "Upload Video Messages": keep video messages on the VTH's and the VTO's SD card.
    /// Default off.
    pub upload_video_messages: bool,
    /// "Auto Recording (Call)": record calls on the station. Default off.
    pub auto_recording_call: bool,
}

/// "Device Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    /// "Villa Station": one household.
    #[default]
    VillaStation,
    /// "Small Apartment": several households, chosen by room number.
    SmallApartment,
}

impl Default for Basic {
    fn default() -> Self {
        Self {
            device_type: DeviceType::VillaStation,
            device_name: "Villa Station".into(),
            vto_number: "8001".into(),
            centre_call_number: "888888".into(),
            calling_centre_period: DailyPeriod::whole_day(),
            call_periods: vec![DailyPeriod::whole_day()],
            group_call: false,
            ring_timeout_s: 30,
            talk_limit_s: 120,
            auto_capture_unlock: true,
            auto_capture_calling: false,
            upload_video_messages: false,
            auto_recording_call: false,
        }
    }
}

impl Section for Basic {
    const NAME: &'static str = "local.basic";
    const PAGE: &'static str = "Local Settings > Basic";

    fn validate(&self) -> Result<(), FieldError> {
        text("device_name", &self.device_name, 32)?;
        digits("vto_number", &self.vto_number, 1, 9)?;
        digits("centre_call_number", &self.centre_call_number, 1, 9)?;
        if self.vto_number == self.centre_call_number {
            return Err(FieldError::new(
                "vto_number",
                format!("{:?}", self.vto_number),
                "a number other than the centre call number",
            ));
        }
        self.calling_centre_period
            .validate()
            .map_err(|e| e.within("calling_centre_period"))?;
        if self.call_periods.is_empty() {
            return Err(FieldError::new(
                "call_periods",
                "[]",
                "1 to 4 periods (00:00 to 24:00 for the whole day)",
            ));
        }
        max_len("call_periods", &self.call_periods, MAX_CALL_PERIODS)?;
        for (i, p) in self.call_periods.iter().enumerate() {
            p.validate()
                .map_err(|e| e.within(&format!("call_periods[{i}]")))?;
        }
        range("ring_timeout_s", self.ring_timeout_s, 5..=120, "s")?;
        range("talk_limit_s", self.talk_limit_s, 30..=1800, "s")
    }
}
