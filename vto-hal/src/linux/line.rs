//! Naming a GPIO line: by chip and offset, or by the line's name.
//!
//! The configuration says `gpiochip0:17`, `/dev/gpiochip1:4`, `hil-bank0:3` (a chip
//! label, as `gpiodetect` shows it) or `name:DOOR_CONTACT` (a line name from the device
//! tree, as `gpioinfo` shows it). Names survive a kernel update that renumbers chips, so
//! they are the better choice on boards whose device tree names its lines (the Pi's does:
//! `name:GPIO17`).

use core::fmt;
use core::str::FromStr;
use std::path::{Path, PathBuf};

use gpiocdev::chip::{self, Chip};
use gpiocdev::request::Builder;
use gpiocdev::Request;

use super::error::LinuxError;

/// The consumer label vto's requests carry, so `gpioinfo` shows who holds a line.
pub const CONSUMER: &str = "vto";

/// A GPIO chip, as the configuration names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChipRef {
    /// A character device path, `/dev/gpiochipN`; `gpiochipN` alone means the same.
    Path(PathBuf),
    /// A chip label (`pinctrl-bcm2711`, `hil-bank0`), for chips whose number is not stable.
    Label(String),
}

impl fmt::Display for ChipRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(p) => write!(f, "{}", p.display()),
            Self::Label(l) => write!(f, "labelled {l:?}"),
        }
    }
}

/// A GPIO line, as the configuration names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LineSpec {
    /// A line by its chip and offset.
    Offset {
        /// The chip.
        chip: ChipRef,
        /// The line's offset on the chip, from 0.
        offset: u32,
    },
    /// A line by its name, searched on every chip; must be unique.
    Name(String),
}

impl LineSpec {
    /// Line `offset` of the chip at `path`.
    pub fn at(path: impl Into<PathBuf>, offset: u32) -> Self {
        Self::Offset {
            chip: ChipRef::Path(path.into()),
            offset,
        }
    }

    /// The line called `name`.
    pub fn named(name: impl Into<String>) -> Self {
        Self::Name(name.into())
    }

    /// Finds the line: checks the chip exists, the offset is in range and the name is
    /// unique, so every configuration mistake is reported before anything is requested.
    pub fn resolve(&self) -> Result<ResolvedLine, LinuxError> {
        match self {
            Self::Offset { chip, offset } => {
                let (path, info) = open_chip(chip)?;
                if *offset >= info.num_lines {
                    return Err(LinuxError::OffsetOutOfRange {
                        offset: *offset,
                        chip: path.display().to_string(),
                        lines: info.num_lines,
                    });
                }
                let name = Chip::from_path(&path)
                    .and_then(|c| c.line_info(*offset))
                    .map(|i| i.name)
                    .unwrap_or_default();
                Ok(ResolvedLine {
                    chip: path,
                    offset: *offset,
                    name,
                })
            }
            Self::Name(name) => {
                let names = [name.as_str()];
                let found = gpiocdev::find_named_lines(&names, true).map_err(|e| match e {
                    gpiocdev::Error::NonuniqueLineName(_) => {
                        LinuxError::LineNameNotUnique { name: name.clone() }
                    }
                    _ => LinuxError::LineNameNotFound { name: name.clone() },
                })?;
                let line = found
                    .get(name.as_str())
                    .ok_or_else(|| LinuxError::LineNameNotFound { name: name.clone() })?;
                Ok(ResolvedLine {
                    chip: line.chip.clone(),
                    offset: line.info.offset,
                    name: line.info.name.clone(),
                })
            }
        }
    }
}

impl fmt::Display for LineSpec {
    /// The form [`FromStr`] parses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Offset {
                chip: ChipRef::Path(p),
                offset,
            } => write!(f, "{}:{offset}", p.display()),
            Self::Offset {
                chip: ChipRef::Label(l),
                offset,
            } => write!(f, "{l}:{offset}"),
            Self::Name(n) => write!(f, "name:{n}"),
        }
    }
}

/// A line specification that is not `CHIP:OFFSET` or `name:LINE_NAME`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("GPIO line {spec:?} is not CHIP:OFFSET (gpiochip0:17, /dev/gpiochip1:4, LABEL:3) or name:LINE_NAME: {reason}")]
pub struct ParseLineSpecError {
    /// The text as given.
    pub spec: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for LineSpec {
    type Err = ParseLineSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| ParseLineSpecError {
            spec: s.to_owned(),
            reason,
        };
        if let Some(name) = s.strip_prefix("name:") {
            if name.is_empty() {
                return Err(err("the line name is empty"));
            }
            return Ok(Self::Name(name.to_owned()));
        }
        let (chip, offset) = s.rsplit_once(':').ok_or_else(|| err("there is no ':'"))?;
        if chip.is_empty() {
            return Err(err("the chip is empty"));
        }
        let offset = offset
            .parse::<u32>()
            .map_err(|_| err("the offset is not a number"))?;
        let chip = if chip.starts_with('/') {
            ChipRef::Path(PathBuf::from(chip))
        } else if chip
            .strip_prefix("gpiochip")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            ChipRef::Path(Path::new("/dev").join(chip))
        } else {
            ChipRef::Label(chip.to_owned())
        };
        Ok(Self::Offset { chip, offset })
    }
}

/// A line that exists: its chip's path, its offset and its name (empty if it has none).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResolvedLine {
    chip: PathBuf,
    offset: u32,
    name: String,
}

impl ResolvedLine {
    /// The chip's character device.
    pub fn chip(&self) -> &Path {
        &self.chip
    }

    /// The offset on the chip.
    pub fn offset(&self) -> u32 {
        self.offset
    }

    /// The line's name, if the device tree gives it one.
    pub fn name(&self) -> Option<&str> {
        (!self.name.is_empty()).then_some(self.name.as_str())
    }

    /// A request builder for this line alone, labelled with [`CONSUMER`].
    pub(crate) fn builder(&self) -> Builder {
        let mut b = Request::builder();
        b.on_chip(self.chip.clone())
            .with_consumer(CONSUMER)
            .with_line(self.offset);
        b
    }

    /// Makes the request, explaining a failure in terms of this line (busy and by whom,
    /// or the chip gone).
    pub(crate) fn request(&self, builder: &mut Builder) -> Result<Request, LinuxError> {
        builder.request().map_err(|e| request_error(&[self], e))
    }

    /// Wraps a failed operation on this line: a vanished chip is a disconnection.
    pub(crate) fn error(&self, op: &'static str, source: gpiocdev::Error) -> LinuxError {
        if self.chip.exists() {
            LinuxError::Gpio {
                line: self.to_string(),
                op,
                source,
            }
        } else {
            LinuxError::Disconnected {
                line: self.to_string(),
                op,
                source,
            }
        }
    }
}

impl fmt::Display for ResolvedLine {
    /// `/dev/gpiochip0:17`, with ` (NAME)` when the line has a name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.chip.display(), self.offset)?;
        if !self.name.is_empty() {
            write!(f, " ({})", self.name)?;
        }
        Ok(())
    }
}

/// Explains why a request for `lines` failed: the kernel only says EBUSY, the line info
/// says who holds the line.
pub(crate) fn request_error(lines: &[&ResolvedLine], e: gpiocdev::Error) -> LinuxError {
    for line in lines {
        let info = Chip::from_path(&line.chip).and_then(|c| c.line_info(line.offset));
        if let Ok(info) = info {
            if info.used {
                let consumer = if info.consumer.is_empty() {
                    "a consumer that gave no name".to_owned()
                } else {
                    format!("{:?}", info.consumer)
                };
                return LinuxError::Busy {
                    line: line.to_string(),
                    consumer,
                };
            }
        }
    }
    match lines.first() {
        Some(line) => line.error("requesting the line", e),
        None => LinuxError::Gpio {
            line: String::new(),
            op: "requesting lines",
            source: e,
        },
    }
}

/// Opens the chip `chip` names and reads its info.
fn open_chip(chip: &ChipRef) -> Result<(PathBuf, chip::Info), LinuxError> {
    match chip {
        ChipRef::Path(path) => {
            if !path.exists() {
                return Err(LinuxError::ChipNotFound {
                    chip: chip.to_string(),
                    present: present_chips(),
                });
            }
            let c = Chip::from_path(path).map_err(|e| match e {
                gpiocdev::Error::GpioChip(..) => LinuxError::NotAChip {
                    path: path.display().to_string(),
                },
                _ => LinuxError::ChipNotFound {
                    chip: chip.to_string(),
                    present: present_chips(),
                },
            })?;
            let info = c.info().map_err(|_| LinuxError::NotAChip {
                path: path.display().to_string(),
            })?;
            Ok((c.path().to_path_buf(), info))
        }
        ChipRef::Label(label) => chips()
            .into_iter()
            .find(|(_, info)| &info.label == label || &info.name == label)
            .ok_or_else(|| LinuxError::ChipNotFound {
                chip: chip.to_string(),
                present: present_chips(),
            }),
    }
}

/// Every chip the process can open, with its info.
fn chips() -> Vec<(PathBuf, chip::Info)> {
    chip::chips()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let c = Chip::from_path(&p).ok()?;
            let info = c.info().ok()?;
            Some((p, info))
        })
        .collect()
}

/// The chips present, for an error message: `/dev/gpiochip0 "hil-bank0" (16 lines)`.
fn present_chips() -> String {
    let list: Vec<String> = chips()
        .iter()
        .map(|(p, i)| format!("{} {:?} ({} lines)", p.display(), i.label, i.num_lines))
        .collect();
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_by_path_chip_number_label_and_name() {
        assert_eq!(
            "gpiochip0:17".parse::<LineSpec>(),
            Ok(LineSpec::at("/dev/gpiochip0", 17))
        );
        assert_eq!(
            "/dev/gpiochip1:4".parse::<LineSpec>(),
            Ok(LineSpec::at("/dev/gpiochip1", 4))
        );
        assert_eq!(
            "hil-bank0:3".parse::<LineSpec>(),
            Ok(LineSpec::Offset {
                chip: ChipRef::Label("hil-bank0".into()),
                offset: 3
            })
        );
        assert_eq!(
            "name:DOOR_CONTACT".parse::<LineSpec>(),
            Ok(LineSpec::named("DOOR_CONTACT"))
        );
    }

    #[test]
    fn specs_print_as_they_parse() {
        for s in [
            "/dev/gpiochip0:17",
            "pinctrl-bcm2711:4",
            "name:GPIO17",
            "gpiochipX:2",
        ] {
            assert_eq!(s.parse::<LineSpec>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn a_bad_spec_is_refused_with_the_text_and_the_reason() {
        let e = "gpiochip0".parse::<LineSpec>().unwrap_err();
        assert_eq!(e.spec, "gpiochip0");
        assert_eq!(e.reason, "there is no ':'");
        assert!(e.to_string().contains("\"gpiochip0\""), "{e}");
        assert_eq!(
            "gpiochip0:x".parse::<LineSpec>().unwrap_err().reason,
            "the offset is not a number"
        );
        assert_eq!(
            "gpiochip0:-1".parse::<LineSpec>().unwrap_err().reason,
            "the offset is not a number"
        );
        assert_eq!(
            ":3".parse::<LineSpec>().unwrap_err().reason,
            "the chip is empty"
        );
        assert_eq!(
            "name:".parse::<LineSpec>().unwrap_err().reason,
            "the line name is empty"
        );
    }

    #[test]
    fn a_missing_chip_path_is_invalid_configuration_naming_it() {
        use crate::error::{Error, ErrorKind};
        let e = LineSpec::at("/dev/gpiochip-vto-test-absent", 1)
            .resolve()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert!(
            e.to_string()
                .starts_with("no GPIO chip /dev/gpiochip-vto-test-absent (chips present: "),
            "{e}"
        );
    }
}
