//! Commands that drive the simulated world, one per line, as a person at the door would.

use vto_hal::wiegand::format::{CardNumber, FacilityCode};
use vto_hal::wiegand::{Credential, Format, Key};

/// What the person at the door (or the installer at the console) does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Press and release the call button.
    Call,
    /// Press and release the exit button.
    Exit,
    /// Open or close the door of lock 1 or 2.
    Door {
        /// 1 (local lock) or 2 (RS-485 lock).
        lock: u8,
        /// Open (`true`) or closed.
        open: bool,
    },
    /// Present a credential at the Wiegand reader.
    Present(Format, Credential),
    /// Type keys on the reader's keypad (4-bit bursts).
    Keys(Vec<Key>),
    /// Raise or clear the fire alarm.
    Fire(bool),
    /// Open or close the station's case.
    Tamper(bool),
    /// Show the relays.
    Status,
    /// List the commands.
    Help,
    /// Stop the station.
    Quit,
}

/// A line that is not a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The first word is unknown.
    #[error("unknown command {0:?}; type `help` for the list")]
    Unknown(String),
    /// The words after the command are wrong.
    #[error("usage: {0}")]
    Usage(&'static str),
    /// A number is out of range.
    #[error("{what} {value} is outside {range}")]
    OutOfRange {
        /// What the number is.
        what: &'static str,
        /// The number given.
        value: u64,
        /// What is allowed.
        range: &'static str,
    },
}

/// The console's help text.
pub const HELP: &str = "\
commands:
  call                      press the call button
  exit                      press the exit button
  door <1|2> <open|close>   move the door of lock 1 (local) or 2 (RS-485)
  card <fc>:<cn>            present an H10301 card (fc 0..=255, cn 0..=65535)
  card <cn>                 present an H10302 card (cn 0..=34359738367)
  keys <digits, * or #>     type on the reader's keypad
  fire <on|off>             raise or clear the fire alarm on lock 1's port
  tamper <on|off>           open or close the station's case
  status                    show the relays
  help                      this list
  quit                      stop the station";

fn on_off(word: Option<&str>, usage: &'static str) -> Result<bool, ParseError> {
    match word {
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        _ => Err(ParseError::Usage(usage)),
    }
}

fn number(
    word: &str,
    what: &'static str,
    max: u64,
    range: &'static str,
    usage: &'static str,
) -> Result<u64, ParseError> {
    let value: u64 = word.parse().map_err(|_| ParseError::Usage(usage))?;
    if value > max {
        return Err(ParseError::OutOfRange { what, value, range });
    }
    Ok(value)
}

impl Command {
    /// Parses one line.
    pub fn parse(line: &str) -> Result<Self, ParseError> {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            return Err(ParseError::Usage("a command; type `help` for the list"));
        };
        let rest: Vec<&str> = words.collect();
        let one = || if rest.len() == 1 { Some(rest[0]) } else { None };
        match first {
            "call" if rest.is_empty() => Ok(Self::Call),
            "exit" if rest.is_empty() => Ok(Self::Exit),
            "status" if rest.is_empty() => Ok(Self::Status),
            "help" => Ok(Self::Help),
            "quit" | "q" => Ok(Self::Quit),
            "fire" => Ok(Self::Fire(on_off(one(), "fire <on|off>")?)),
            "tamper" => Ok(Self::Tamper(on_off(one(), "tamper <on|off>")?)),
            "door" => {
                const USAGE: &str = "door <1|2> <open|close>";
                let [lock, state] = rest[..] else {
                    return Err(ParseError::Usage(USAGE));
                };
                let lock = match lock {
                    "1" => 1,
                    "2" => 2,
                    _ => return Err(ParseError::Usage(USAGE)),
                };
                let open = match state {
                    "open" => true,
                    "close" | "closed" => false,
                    _ => return Err(ParseError::Usage(USAGE)),
                };
                Ok(Self::Door { lock, open })
            }
            "card" => {
                const USAGE: &str = "card <fc>:<cn> or card <cn>";
                let arg = one().ok_or(ParseError::Usage(USAGE))?;
                if let Some((fc, cn)) = arg.split_once(':') {
                    let fc = number(fc, "facility code", 255, "0..=255", USAGE)?;
                    let cn = number(cn, "card number", 65_535, "0..=65535", USAGE)?;
                    let card = Credential::Card {
                        format: Format::H10301,
                        facility: FacilityCode(fc as u32),
                        number: CardNumber(cn),
                    };
                    Ok(Self::Present(Format::H10301, card))
                } else {
                    let cn = number(arg, "card number", (1 << 35) - 1, "0..=34359738367", USAGE)?;
                    let card = Credential::Card {
                        format: Format::H10302,
                        facility: FacilityCode(0),
                        number: CardNumber(cn),
                    };
                    Ok(Self::Present(Format::H10302, card))
                }
            }
            "keys" => {
                const USAGE: &str = "keys <digits, * or #>";
                let arg = one().ok_or(ParseError::Usage(USAGE))?;
                let keys = arg
                    .chars()
                    .map(|c| match c {
                        '0'..='9' => Ok(Key::Digit(c as u8 - b'0')),
                        '*' => Ok(Key::Star),
                        '#' => Ok(Key::Hash),
                        _ => Err(ParseError::Usage(USAGE)),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Self::Keys(keys))
            }
            "call" | "exit" | "status" => Err(ParseError::Usage("the command takes no arguments")),
            other => Err(ParseError::Unknown(other.to_string())),
        }
    }
}

/// Does what `command` says to the simulated world; returns text to show, if any.
#[cfg(feature = "sim")]
pub fn apply(
    sim: &crate::hardware::sim::SimControls,
    command: &Command,
) -> Result<Option<String>, crate::hardware::sim::SimActionError> {
    use crate::hardware::ButtonKind;
    use vto_core::access::DoorId;
    let door = |lock: u8| {
        if lock == 2 {
            DoorId::Rs485
        } else {
            DoorId::Local
        }
    };
    match command {
        Command::Call => sim.press(ButtonKind::Call),
        Command::Exit => sim.press(ButtonKind::Exit),
        Command::Door { lock, open } => sim.set_door(door(*lock), *open),
        Command::Present(format, credential) => sim.present(*format, credential)?,
        Command::Keys(keys) => sim.type_keys(keys)?,
        Command::Fire(on) => sim.set_fire_alarm(DoorId::Local, *on),
        Command::Tamper(on) => sim.set_tamper(*on),
        Command::Status => {
            let a = sim.relay(DoorId::Local).state;
            let b = sim.relay(DoorId::Rs485).state;
            return Ok(Some(format!(
                "lock 1 (local) relay {a}; lock 2 (RS-485) relay {b}"
            )));
        }
        Command::Help => return Ok(Some(HELP.to_string())),
        Command::Quit => {}
    }
    Ok(None)
}

/// Reads commands from standard input on a thread of its own and applies them to the
/// simulated world. The receiver resolves on `quit`, for the caller to stop the station as
/// on SIGINT. When standard input is closed (a service, `< /dev/null`) the thread ends
/// and the station runs on.
#[cfg(feature = "sim")]
pub fn spawn_stdin(sim: crate::hardware::sim::SimControls) -> tokio::sync::oneshot::Receiver<()> {
    use std::io::BufRead;
    let (quit, quitting) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("console".into())
        .spawn(move || {
            for line in std::io::stdin().lock().lines().map_while(Result::ok) {
                if line.trim().is_empty() {
                    continue;
                }
                match Command::parse(&line) {
                    Ok(Command::Quit) => {
                        let _ = quit.send(());
                        return;
                    }
                    Ok(command) => match apply(&sim, &command) {
                        Ok(Some(text)) => println!("{text}"),
                        Ok(None) => {}
                        Err(e) => tracing::warn!("{e}"),
                    },
                    Err(e) => tracing::warn!("{e}"),
                }
            }
            // Standard input closed: `quit` is dropped, which the caller ignores.
        });
    if let Err(e) = spawned {
        tracing::warn!("no console: {e}");
    }
    quitting
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_with_facility_code_is_an_h10301_card() {
        assert_eq!(
            Command::parse("card 12:3456").unwrap(),
            Command::Present(
                Format::H10301,
                Credential::Card {
                    format: Format::H10301,
                    facility: FacilityCode(12),
                    number: CardNumber(3456)
                }
            )
        );
    }

    #[test]
    fn out_of_range_numbers_name_the_field_and_the_range() {
        assert_eq!(
            Command::parse("card 300:1").unwrap_err().to_string(),
            "facility code 300 is outside 0..=255"
        );
    }

    #[test]
    fn unknown_words_point_to_help() {
        assert_eq!(
            Command::parse("dance").unwrap_err().to_string(),
            "unknown command \"dance\"; type `help` for the list"
        );
        assert_eq!(
            Command::parse("door 3 open").unwrap_err().to_string(),
            "usage: door <1|2> <open|close>"
        );
        assert!(Command::parse("keys 12a").is_err());
    }
}
