//! Local Settings > Wiegand (manual 4.6): whether the Wiegand port reads a card reader or
//! passes cards on to another controller, and the output's format and pulse timing. The
//! reader's wiring and the formats it decodes are boot settings (`[wiegand]` in
//! station.toml).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vto_hal::wiegand::{Format, INTERVAL_RANGE_US, PULSE_WIDTH_RANGE_US};

use super::check::range;
use super::{FieldError, Section};

/// The manual's "Wiegand" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct WiegandSettings {
    /// `input` (a reader is connected; default) or `output` (the station sends the cards
    /// it reads to an access controller).
    pub mode: WiegandMode,
    /// The output's card format. Default `h10301` (26 bits).
    pub output_format: WiegandCardFormat,
    /// Output pulse width, 20–100 µs (the Wiegand interface). Default 50 µs.
    pub pulse_width_us: u32,
    /// Output bit interval, pulse start to pulse start, 200–20000 µs, and longer than the
    /// pulse. Default 2000 µs.
    pub pulse_interval_us: u32,
}

/// The Wiegand port's direction.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum WiegandMode {
    /// Read a card reader.
    #[default]
    Input,
    /// Send cards to another controller.
    Output,
}

/// The card formats vto-hal can encode.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum WiegandCardFormat {
    /// HID H10301, 26 bits.
    #[default]
    H10301,
    /// HID H10306, 34 bits.
    H10306,
    /// HID H10302, 37 bits without facility code.
    H10302,
    /// HID H10304, 37 bits with facility code.
    H10304,
    /// HID Corporate 1000, 35 bits.
    Corp1000,
}

impl From<WiegandCardFormat> for Format {
    fn from(f: WiegandCardFormat) -> Self {
        match f {
            WiegandCardFormat::H10301 => Format::H10301,
            WiegandCardFormat::H10306 => Format::H10306,
            WiegandCardFormat::H10302 => Format::H10302,
            WiegandCardFormat::H10304 => Format::H10304,
            WiegandCardFormat::Corp1000 => Format::Corporate1000,
        }
    }
}

impl Default for WiegandSettings {
    fn default() -> Self {
        Self {
            mode: WiegandMode::Input,
            output_format: WiegandCardFormat::H10301,
            pulse_width_us: 50,
            pulse_interval_us: 2000,
        }
    }
}

impl WiegandSettings {
    /// The output timing for vto-hal's Wiegand writer.
    pub fn timing(&self) -> Result<vto_hal::wiegand::WiegandTiming, FieldError> {
        self.validate()?;
        vto_hal::wiegand::WiegandTiming::new(
            vto_hal::Duration::from_micros(u64::from(self.pulse_width_us)),
            vto_hal::Duration::from_micros(u64::from(self.pulse_interval_us)),
        )
        .map_err(|e| FieldError::new("pulse_width_us", self.pulse_width_us, e.to_string()))
    }
}

impl Section for WiegandSettings {
    const NAME: &'static str = "local.wiegand";
    const PAGE: &'static str = "Local Settings > Wiegand";

    fn validate(&self) -> Result<(), FieldError> {
        range(
            "pulse_width_us",
            u64::from(self.pulse_width_us),
            PULSE_WIDTH_RANGE_US,
            "µs",
        )?;
        range(
            "pulse_interval_us",
            u64::from(self.pulse_interval_us),
            INTERVAL_RANGE_US,
            "µs",
        )
    }
}
