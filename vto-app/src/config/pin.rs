//! GPIO pins as `station.toml` names them: `{ chip = "gpiochip0", offset = 17 }` or
//! `{ name = "RELAY1" }` (optionally with its `chip`) for the `linux` backend, `{ bcm = 17 }`
//! for the `rpi` backend. The forms mirror `vto_hal::linux::LineSpec` and the BCM numbers of
//! `vto_hal::rpi`, so a pin that passes here is one the backend can try to open.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::station::Backend;

/// The BCM GPIO numbers of the Pi's 40-pin header (as `vto_hal::rpi::BCM_RANGE`).
pub const BCM_RANGE: core::ops::RangeInclusive<u32> = 0..=27;

/// A pin, resolved to one of the forms the backends accept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PinSpec {
    /// Line `offset` of a GPIO chip (`gpiochip0`, `/dev/gpiochip1` or a chip label).
    Line {
        /// The chip's device name, path or label.
        chip: String,
        /// The line's offset on the chip, from 0.
        offset: u32,
    },
    /// The line with this name (device-tree `gpio-line-names`, as `gpioinfo` shows it),
    /// searched on every chip; `chip` is kept for the reader of the file only.
    Named {
        /// The chip the author expects the line on.
        chip: Option<String>,
        /// The line's name; must be unique on the board.
        name: String,
    },
    /// A Raspberry Pi BCM GPIO number, 0..=27.
    Bcm(u8),
}

impl PinSpec {
    /// The `vto_hal::linux` line this pin names; `None` for a BCM number.
    #[cfg(feature = "linux")]
    pub fn line_spec(&self) -> Option<vto_hal::linux::LineSpec> {
        match self {
            Self::Line { chip, offset } => format!("{chip}:{offset}").parse().ok(),
            Self::Named { name, .. } => Some(vto_hal::linux::LineSpec::named(name.clone())),
            Self::Bcm(_) => None,
        }
    }

    /// The BCM number for `vto_hal::rpi`; `None` for a Linux line.
    pub fn bcm(&self) -> Option<u8> {
        match self {
            Self::Bcm(n) => Some(*n),
            _ => None,
        }
    }

    /// What makes two pins the same line, as far as the text can tell (`gpiochip0` and
    /// `/dev/gpiochip0` are one chip; a line named once by offset and once by name is not
    /// caught here but by the kernel, which refuses the second request as busy).
    pub(crate) fn identity(&self) -> String {
        match self {
            Self::Line { chip, offset } => {
                format!("{}:{offset}", chip.strip_prefix("/dev/").unwrap_or(chip))
            }
            Self::Named { name, .. } => format!("name:{name}"),
            Self::Bcm(n) => format!("BCM {n}"),
        }
    }

    /// Refuses a form the backend cannot open.
    pub(crate) fn check_backend(&self, backend: Backend) -> Result<(), &'static str> {
        match (backend, self) {
            (Backend::Linux, Self::Bcm(_)) => Err(
                "the linux backend names lines { chip = \"gpiochip0\", offset = 17 } or { name = \"GPIO17\" }; BCM numbers need backend = \"rpi\"",
            ),
            (Backend::Rpi, Self::Line { .. } | Self::Named { .. }) => Err(
                "the rpi backend names pins by BCM number, { bcm = 17 }; chip lines need backend = \"linux\"",
            ),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for PinSpec {
    /// The form `gpioinfo` users recognise: `gpiochip0:17`, `name:RELAY1`, `BCM 17`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line { chip, offset } => write!(f, "{chip}:{offset}"),
            Self::Named { name, .. } => write!(f, "name:{name}"),
            Self::Bcm(n) => write!(f, "BCM {n}"),
        }
    }
}

/// Why the keys of a pin table do not make a pin: the key below the pin's own path, the
/// value and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PinFormError {
    /// `""` for the table itself, or `.chip`, `.bcm` ...
    pub(crate) suffix: &'static str,
    pub(crate) value: Option<String>,
    pub(crate) allowed: &'static str,
    pub(crate) out_of_range: bool,
}

const FORMS: &str =
    "a pin is { chip, offset }, { name } (optionally with chip) or { bcm }, not a mix of them";

fn resolve(
    chip: &Option<String>,
    offset: Option<u32>,
    name: &Option<String>,
    bcm: Option<u32>,
) -> Result<PinSpec, PinFormError> {
    let err = |suffix, value: Option<String>, allowed| PinFormError {
        suffix,
        value,
        allowed,
        out_of_range: false,
    };
    if let Some(n) = bcm {
        if chip.is_some() || offset.is_some() || name.is_some() {
            return Err(err(".bcm", Some(n.to_string()), FORMS));
        }
        return match u8::try_from(n) {
            Ok(b) if BCM_RANGE.contains(&n) => Ok(PinSpec::Bcm(b)),
            _ => Err(PinFormError {
                suffix: ".bcm",
                value: Some(n.to_string()),
                allowed: "0..=27 (BCM GPIO numbers, not physical header pin numbers)",
                out_of_range: true,
            }),
        };
    }
    if let Some(c) = chip {
        if c.trim().is_empty() || c.contains(':') {
            return Err(err(
                ".chip",
                Some(format!("{c:?}")),
                "a chip name (gpiochip0), path (/dev/gpiochip0) or label, without ':'",
            ));
        }
    }
    match (chip, offset, name) {
        (_, Some(o), Some(_)) => Err(err(".offset", Some(o.to_string()), FORMS)),
        (Some(c), Some(o), None) => Ok(PinSpec::Line {
            chip: c.clone(),
            offset: o,
        }),
        (None, Some(_), None) => Err(err(
            ".chip",
            None,
            "an offset needs its chip: { chip = \"gpiochip0\", offset = 17 }",
        )),
        (c, None, Some(n)) => {
            if n.trim().is_empty() {
                return Err(err(
                    ".name",
                    Some(format!("{n:?}")),
                    "a line name as gpioinfo shows it",
                ));
            }
            Ok(PinSpec::Named {
                chip: c.clone(),
                name: n.clone(),
            })
        }
        (Some(_), None, None) => Err(err(
            ".offset",
            None,
            "a chip needs the line's offset or name: { chip = \"gpiochip0\", offset = 17 }",
        )),
        (None, None, None) => Err(err("", Some("{}".into()), FORMS)),
    }
}

/// An output pin (relay coil, RS-485 DE/RE) or a Wiegand data line: only where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// GPIO chip: `gpiochip0`, `/dev/gpiochip1` or a chip label (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chip: Option<String>,
    /// Line offset on `chip` (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    /// Line name, unique on the board (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// BCM GPIO number, 0..=27 (`rpi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcm: Option<u32>,
}

impl Pin {
    /// `{ chip, offset }`.
    pub fn line(chip: &str, offset: u32) -> Self {
        Self {
            chip: Some(chip.to_owned()),
            offset: Some(offset),
            ..Self::default()
        }
    }

    /// `{ bcm }`.
    pub fn bcm(bcm: u32) -> Self {
        Self {
            bcm: Some(bcm),
            ..Self::default()
        }
    }

    /// The pin, or `None` if its keys do not make one (refused when the file is loaded).
    pub fn spec(&self) -> Option<PinSpec> {
        self.resolve().ok()
    }

    pub(crate) fn resolve(&self) -> Result<PinSpec, PinFormError> {
        resolve(&self.chip, self.offset, &self.name, self.bcm)
    }
}

/// The input behind a lock's contact port (door contact, or fire alarm when the runtime
/// setting says so). Its NC/NO type is a runtime setting (`local.access_control`), so only
/// the electrical side is here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortPin {
    /// GPIO chip (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chip: Option<String>,
    /// Line offset on `chip` (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    /// Line name (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// BCM GPIO number (`rpi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcm: Option<u32>,
    /// The SoC's resistor on the line; default the pull-up (a contact to ground).
    #[serde(default)]
    pub bias: BiasSetting,
    /// The line reads low while the contact is closed (a contact to ground); default true.
    #[serde(default = "yes")]
    pub active_low: bool,
}

impl Default for PortPin {
    fn default() -> Self {
        Self {
            chip: None,
            offset: None,
            name: None,
            bcm: None,
            bias: BiasSetting::default(),
            active_low: true,
        }
    }
}

impl PortPin {
    /// The pin, or `None` if its keys do not make one (refused when the file is loaded).
    pub fn spec(&self) -> Option<PinSpec> {
        self.resolve().ok()
    }

    pub(crate) fn resolve(&self) -> Result<PinSpec, PinFormError> {
        resolve(&self.chip, self.offset, &self.name, self.bcm)
    }

    /// The hal input configuration, with the contact type from the runtime settings.
    pub fn input_config(
        &self,
        contact: vto_hal::Contact,
        window: vto_hal::Duration,
    ) -> vto_hal::InputConfig {
        input_config(contact, self.active_low, self.bias, window)
    }
}

/// A button or switch input: exit button, call button, tamper switch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputPin {
    /// GPIO chip (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chip: Option<String>,
    /// Line offset on `chip` (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    /// Line name (`linux`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// BCM GPIO number (`rpi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcm: Option<u32>,
    /// NO (a push button, the default) or NC (most tamper switches).
    #[serde(default = "normally_open")]
    pub contact: ContactType,
    /// The SoC's resistor on the line; default the pull-up.
    #[serde(default)]
    pub bias: BiasSetting,
    /// The line reads low while the contact is closed; default true.
    #[serde(default = "yes")]
    pub active_low: bool,
}

impl Default for InputPin {
    fn default() -> Self {
        Self {
            chip: None,
            offset: None,
            name: None,
            bcm: None,
            contact: ContactType::No,
            bias: BiasSetting::default(),
            active_low: true,
        }
    }
}

impl InputPin {
    /// The pin, or `None` if its keys do not make one (refused when the file is loaded).
    pub fn spec(&self) -> Option<PinSpec> {
        self.resolve().ok()
    }

    pub(crate) fn resolve(&self) -> Result<PinSpec, PinFormError> {
        resolve(&self.chip, self.offset, &self.name, self.bcm)
    }

    /// The hal input configuration.
    pub fn input_config(&self, window: vto_hal::Duration) -> vto_hal::InputConfig {
        input_config(self.contact.into(), self.active_low, self.bias, window)
    }
}

fn input_config(
    contact: vto_hal::Contact,
    active_low: bool,
    bias: BiasSetting,
    window: vto_hal::Duration,
) -> vto_hal::InputConfig {
    vto_hal::InputConfig {
        wiring: vto_hal::InputWiring {
            contact,
            polarity: polarity(active_low),
        },
        bias: bias.into(),
        window,
    }
}

/// The hal polarity for an `active_low` key.
pub(crate) fn polarity(active_low: bool) -> vto_hal::Polarity {
    if active_low {
        vto_hal::Polarity::ActiveLow
    } else {
        vto_hal::Polarity::ActiveHigh
    }
}

fn yes() -> bool {
    true
}

fn normally_open() -> ContactType {
    ContactType::No
}

/// The resistor on an input line, as `vto_hal::Bias`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BiasSetting {
    /// `pull-up`: an open contact reads high (the default: contacts to ground).
    #[default]
    PullUp,
    /// `pull-down`: an open contact reads low.
    PullDown,
    /// `disabled`: an external resistor defines the level (long cables).
    Disabled,
    /// `as-is`: keep the device tree's setting (`linux` only; rppal cannot).
    AsIs,
}

impl From<BiasSetting> for vto_hal::Bias {
    fn from(b: BiasSetting) -> Self {
        match b {
            BiasSetting::PullUp => Self::PullUp,
            BiasSetting::PullDown => Self::PullDown,
            BiasSetting::Disabled => Self::Disabled,
            BiasSetting::AsIs => Self::AsIs,
        }
    }
}

/// NC or NO, as `vto_hal::Contact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactType {
    /// `nc`: normally closed, opens when the input becomes active.
    Nc,
    /// `no`: normally open, closes when the input becomes active.
    No,
}

impl From<ContactType> for vto_hal::Contact {
    fn from(c: ContactType) -> Self {
        match c {
            ContactType::Nc => Self::NormallyClosed,
            ContactType::No => Self::NormallyOpen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_resolves() {
        assert_eq!(
            Pin::line("gpiochip0", 17).spec(),
            Some(PinSpec::Line {
                chip: "gpiochip0".into(),
                offset: 17
            })
        );
        let named = Pin {
            chip: Some("gpiochip0".into()),
            name: Some("RELAY1".into()),
            ..Pin::default()
        };
        assert_eq!(
            named.spec().map(|s| s.to_string()).as_deref(),
            Some("name:RELAY1")
        );
        assert_eq!(Pin::bcm(17).spec(), Some(PinSpec::Bcm(17)));
    }

    #[test]
    fn mixed_or_incomplete_tables_are_refused_naming_the_key() {
        let mixed = Pin {
            bcm: Some(17),
            ..Pin::line("gpiochip0", 17)
        };
        assert_eq!(mixed.resolve().map_err(|e| e.suffix), Err(".bcm"));
        let no_chip = Pin {
            offset: Some(3),
            ..Pin::default()
        };
        assert_eq!(no_chip.resolve().map_err(|e| e.suffix), Err(".chip"));
        let e = Pin::bcm(40).resolve().expect_err("out of range");
        assert!(e.out_of_range && e.allowed.starts_with("0..=27"));
    }

    #[cfg(feature = "linux")]
    #[test]
    fn lines_become_the_linux_backends_line_specs() {
        use vto_hal::linux::LineSpec;
        let line = Pin::line("gpiochip0", 17)
            .spec()
            .and_then(|s| s.line_spec());
        assert_eq!(line, Some(LineSpec::at("/dev/gpiochip0", 17)));
        let named = Pin {
            name: Some("DOOR".into()),
            ..Pin::default()
        };
        assert_eq!(
            named.spec().and_then(|s| s.line_spec()),
            Some(LineSpec::named("DOOR"))
        );
        assert_eq!(PinSpec::Bcm(4).line_spec(), None);
    }

    #[test]
    fn the_same_chip_by_name_or_path_is_the_same_line() {
        let a = Pin::line("gpiochip0", 4).spec().map(|s| s.identity());
        let b = Pin::line("/dev/gpiochip0", 4).spec().map(|s| s.identity());
        assert_eq!(a, b);
    }
}
