//! `[rs485]`: the serial bus that drives the second lock's controller.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::pin::{polarity, Pin};
use super::validate::{in_range, Checker};

/// Baud rates accepted: what lock controllers speak. vto-hal's serial ports take more
/// (300..=4000000); below 1200 a frame takes too long for a door, above 115200 the
/// turnaround after `tcdrain` is shorter than the scheduler's latency (`docs/backends.md`).
pub const BAUD_RANGE: core::ops::RangeInclusive<u32> = 1200..=115_200;

/// The serial port and transceiver of the RS-485 bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rs485Config {
    /// The serial device: `/dev/ttyS1`, `/dev/ttyUSB0`, `/dev/serial0`.
    pub port: PathBuf,
    /// Bits per second, 1200..=115200; default 9600.
    #[serde(default = "default_baud")]
    pub baud: u32,
    /// Parity bit; default none (8N1).
    #[serde(default)]
    pub parity: ParitySetting,
    /// Stop bits, 1 or 2; default 1.
    #[serde(default = "one")]
    pub stop_bits: u32,
    /// The transceiver's driver-enable line (DE, with RE tied to it); absent for
    /// transceivers that switch direction by themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de_re: Option<Pin>,
    /// DE is asserted by a low line; default false.
    #[serde(default)]
    pub de_re_active_low: bool,
}

fn default_baud() -> u32 {
    9600
}

fn one() -> u32 {
    1
}

impl Rs485Config {
    /// The polarity of the DE/RE line.
    pub fn de_re_polarity(&self) -> vto_hal::Polarity {
        polarity(self.de_re_active_low)
    }

    /// Whether the transceiver switches direction by itself (no DE/RE pin).
    pub fn auto_direction(&self) -> bool {
        self.de_re.is_none()
    }

    /// The line settings for the `linux` backend's serial port.
    #[cfg(feature = "linux")]
    pub fn serial_config(&self) -> vto_hal::linux::SerialConfig {
        use vto_hal::linux::{Parity, SerialConfig, StopBits};
        SerialConfig {
            baud: self.baud,
            parity: match self.parity {
                ParitySetting::None => Parity::None,
                ParitySetting::Even => Parity::Even,
                ParitySetting::Odd => Parity::Odd,
            },
            stop_bits: if self.stop_bits == 2 {
                StopBits::Two
            } else {
                StopBits::One
            },
        }
    }

    /// The line settings for the `rpi` backend's UART.
    #[cfg(feature = "rpi")]
    pub fn uart_config(&self) -> vto_hal::rpi::UartConfig {
        use vto_hal::rpi::{Parity, UartConfig};
        UartConfig {
            baud: self.baud,
            parity: match self.parity {
                ParitySetting::None => Parity::None,
                ParitySetting::Even => Parity::Even,
                ParitySetting::Odd => Parity::Odd,
            },
            stop_bits: if self.stop_bits == 2 { 2 } else { 1 },
        }
    }

    pub(crate) fn check(&self, c: &mut Checker) -> Result<(), ConfigError> {
        if self.port.as_os_str().is_empty() {
            return Err(ConfigError::invalid(
                "rs485.port",
                "\"\"",
                "a serial device path such as /dev/ttyS1",
            ));
        }
        in_range("rs485.baud", self.baud, BAUD_RANGE)?;
        if !matches!(self.stop_bits, 1 | 2) {
            return Err(ConfigError::out_of_range(
                "rs485.stop_bits",
                self.stop_bits,
                "1..=2",
            ));
        }
        if let Some(p) = &self.de_re {
            c.pin("rs485.de_re", p.resolve())?;
        }
        Ok(())
    }
}

/// The parity bit of each character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParitySetting {
    /// `none` (8N1, most lock controllers).
    #[default]
    None,
    /// `even` (8E1, Modbus RTU's default).
    Even,
    /// `odd`.
    Odd,
}
