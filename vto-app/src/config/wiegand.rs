//! `[wiegand]`: the card reader's data lines, the formats it may send, and the decoder's
//! timing limits (vto-hal's `DecoderConfig`, in microseconds).

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use vto_hal::wiegand::{DecoderConfig, DecoderConfigError, Format};
use vto_hal::Duration;

use super::error::ConfigError;
use super::pin::{Pin, PinSpec};
use super::station::Backend;
use super::validate::Checker;

/// The reader: D0 and D1 (both or neither; neither means no reader is fitted), the formats
/// to decode, and the decoder's limits. The defaults suit every reader that keeps to the
/// Wiegand interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WiegandConfig {
    /// The DATA0 line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d0: Option<Pin>,
    /// The DATA1 line; on `linux` on the same chip as D0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d1: Option<Pin>,
    /// Formats to decode, by `vto_hal::wiegand::Format` name; when two share a length
    /// (`h10302`, `h10304`: 37 bits) the first listed wins.
    pub formats: Vec<String>,
    /// Pulses shorter than this are noise, µs (0..=5000).
    pub min_pulse_us: u64,
    /// A line low this long is a fault, µs (200..=1000000).
    pub max_pulse_us: u64,
    /// A frame ends after this many times its longest bit interval (2..=20).
    pub gap_factor: u32,
    /// Shortest end-of-frame gap, µs (100..=1000000).
    pub min_gap_us: u64,
    /// Longest end-of-frame gap, µs (100..=1000000, not below `min_gap_us`).
    pub max_gap_us: u64,
}

/// The formats decoded when the file names none: every format vto knows, except H10304,
/// which shares its 37 bits with H10302.
pub const DEFAULT_FORMATS: [&str; 7] = [
    "h10301", "h10306", "corp1000", "h10302", "keypad4", "keypad8", "raw",
];

impl Default for WiegandConfig {
    fn default() -> Self {
        let std = DecoderConfig::STANDARD;
        Self {
            d0: None,
            d1: None,
            formats: DEFAULT_FORMATS.iter().map(|s| (*s).to_owned()).collect(),
            min_pulse_us: micros(std.min_pulse),
            max_pulse_us: micros(std.max_pulse),
            gap_factor: std.gap_factor,
            min_gap_us: micros(std.min_gap),
            max_gap_us: micros(std.max_gap),
        }
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl WiegandConfig {
    /// Whether a reader is wired (both data lines given).
    pub fn reader_fitted(&self) -> bool {
        self.d0.is_some() && self.d1.is_some()
    }

    /// The formats, in the order given; names that are not formats are skipped (they are
    /// refused when the file is loaded).
    pub fn formats(&self) -> Vec<Format> {
        self.formats
            .iter()
            .filter_map(|n| Format::from_str(n).ok())
            .collect()
    }

    /// The decoder's limits.
    pub fn decoder_config(&self) -> DecoderConfig {
        DecoderConfig {
            min_pulse: Duration::from_micros(self.min_pulse_us),
            max_pulse: Duration::from_micros(self.max_pulse_us),
            gap_factor: self.gap_factor,
            min_gap: Duration::from_micros(self.min_gap_us),
            max_gap: Duration::from_micros(self.max_gap_us),
        }
    }

    pub(crate) fn check(&self, c: &mut Checker) -> Result<(), ConfigError> {
        match (&self.d0, &self.d1) {
            (Some(d0), Some(d1)) => {
                c.pin("wiegand.d0", d0.resolve())?;
                c.pin("wiegand.d1", d1.resolve())?;
                if let (
                    Backend::Linux,
                    Some(PinSpec::Line { chip: a, .. }),
                    Some(PinSpec::Line { chip: b, .. }),
                ) = (c.backend(), d0.spec(), d1.spec())
                {
                    if a.strip_prefix("/dev/").unwrap_or(&a)
                        != b.strip_prefix("/dev/").unwrap_or(&b)
                    {
                        return Err(ConfigError::invalid(
                            "wiegand.d1",
                            format!("{b:?}"),
                            format!("D0 and D1 on one GPIO chip (D0 is on {a:?}): the backend reads both in one request"),
                        ));
                    }
                }
            }
            (Some(_), None) => {
                return Err(ConfigError::missing("wiegand.d1", "D1 with D0, or neither"))
            }
            (None, Some(_)) => {
                return Err(ConfigError::missing("wiegand.d0", "D0 with D1, or neither"))
            }
            (None, None) => {}
        }
        self.check_formats()?;
        self.check_timing()
    }

    fn check_formats(&self) -> Result<(), ConfigError> {
        if self.formats.is_empty() {
            return Err(ConfigError::invalid(
                "wiegand.formats",
                "[]",
                format!("at least one of {}", Format::NAMES.join(", ")),
            ));
        }
        for (i, name) in self.formats.iter().enumerate() {
            let key = format!("wiegand.formats[{i}]");
            let format = Format::from_str(name).map_err(|_| {
                ConfigError::invalid(
                    &key,
                    format!("{name:?}"),
                    format!("one of {}", Format::NAMES.join(", ")),
                )
            })?;
            if self.formats[..i]
                .iter()
                .any(|n| Format::from_str(n).ok() == Some(format))
            {
                return Err(ConfigError::invalid(
                    key,
                    format!("{name:?}"),
                    "each format once",
                ));
            }
        }
        Ok(())
    }

    fn check_timing(&self) -> Result<(), ConfigError> {
        let e = match self.decoder_config().validate() {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        Err(match e {
            DecoderConfigError::MinPulse(_) => {
                ConfigError::out_of_range("wiegand.min_pulse_us", self.min_pulse_us, "0..=5000")
            }
            DecoderConfigError::MaxPulse(_) => ConfigError::out_of_range(
                "wiegand.max_pulse_us",
                self.max_pulse_us,
                "200..=1000000",
            ),
            DecoderConfigError::GapFactor(_) => {
                ConfigError::out_of_range("wiegand.gap_factor", self.gap_factor, "2..=20")
            }
            DecoderConfigError::MinGap(_) => {
                ConfigError::out_of_range("wiegand.min_gap_us", self.min_gap_us, "100..=1000000")
            }
            DecoderConfigError::MaxGap(_) => {
                ConfigError::out_of_range("wiegand.max_gap_us", self.max_gap_us, "100..=1000000")
            }
            DecoderConfigError::PulseOrder { .. } => ConfigError::invalid(
                "wiegand.min_pulse_us",
                self.min_pulse_us,
                format!("shorter than max_pulse_us ({})", self.max_pulse_us),
            ),
            DecoderConfigError::GapOrder { .. } => ConfigError::invalid(
                "wiegand.min_gap_us",
                self.min_gap_us,
                format!("not above max_gap_us ({})", self.max_gap_us),
            ),
            other => ConfigError::invalid("wiegand", "timing", other.to_string()),
        })
    }
}
