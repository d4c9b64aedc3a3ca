//! RS-485 on a serial port, with the transceiver's direction switched by a GPIO line or
//! by the transceiver itself.

use std::io::{Read, Write};
use std::path::Path;

use gpiocdev::line::Value;
use serialport::{SerialPort, TTYPort};

use super::error::LinuxError;
use super::line::{LineSpec, ResolvedLine};
use super::lock::{from_pin_error, pin_error};
use crate::ehal::{DirectionControl, DirectionPin};
use crate::error::{Error, ErrorType};
use crate::level::{Level, Polarity};
use crate::rs485::{char_time, Rs485};
use crate::time::Duration;

/// Parity bit of each character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Parity {
    /// No parity bit (8N1, what most lock controllers speak).
    #[default]
    None,
    /// Even parity (Modbus RTU's default: 8E1).
    Even,
    /// Odd parity.
    Odd,
}

/// Stop bits after each character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StopBits {
    /// One stop bit.
    #[default]
    One,
    /// Two stop bits (Modbus RTU without parity).
    Two,
}

/// Line settings of the port: always 8 data bits, no flow control (RS-485 has no
/// handshake lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SerialConfig {
    /// Bits per second.
    pub baud: u32,
    /// Parity.
    pub parity: Parity,
    /// Stop bits.
    pub stop_bits: StopBits,
}

/// The range of baud rates accepted, from the slowest legacy device to fast USB adapters.
pub const BAUD_RANGE: core::ops::RangeInclusive<u32> = 300..=4_000_000;

impl SerialConfig {
    /// 8N1 at `baud`.
    pub const fn new(baud: u32) -> Self {
        Self {
            baud,
            parity: Parity::None,
            stop_bits: StopBits::One,
        }
    }
}

impl Default for SerialConfig {
    /// 9600 8N1, the rate most RS-485 lock controllers ship with.
    fn default() -> Self {
        Self::new(9600)
    }
}

/// A half-duplex RS-485 port on a serial device (`/dev/ttyS1`, `/dev/ttyUSB0`, a pty).
///
/// [`transmit`](Rs485::transmit) asserts the driver, writes, waits for the UART to drain
/// (`tcdrain`), then one more character time — `tcdrain` returns when the last byte left
/// the driver's buffer, and on many UARTs its stop bit is still in the shift register —
/// and only then releases the bus. The bus is released even if the write fails: a
/// station stuck driving the bus silences every other device on it.
///
/// The kernel's own RS-485 mode (`TIOCSRS485`, RTS as DE) is not used: few USB adapters
/// support it, and a GPIO line works everywhere.
#[derive(Debug)]
pub struct SerialRs485<D> {
    port: TTYPort,
    name: String,
    baud: u32,
    direction: D,
}

impl<D: DirectionControl> SerialRs485<D> {
    /// Opens the serial device at `path` (exclusively) and starts listening.
    pub fn open(
        path: impl AsRef<Path>,
        config: SerialConfig,
        direction: D,
    ) -> Result<Self, LinuxError> {
        let name = path.as_ref().display().to_string();
        if !BAUD_RANGE.contains(&config.baud) {
            return Err(LinuxError::BaudOutOfRange {
                port: name,
                baud: config.baud,
            });
        }
        let port = serialport::new(name.clone(), config.baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(match config.parity {
                Parity::None => serialport::Parity::None,
                Parity::Even => serialport::Parity::Even,
                Parity::Odd => serialport::Parity::Odd,
            })
            .stop_bits(match config.stop_bits {
                StopBits::One => serialport::StopBits::One,
                StopBits::Two => serialport::StopBits::Two,
            })
            .flow_control(serialport::FlowControl::None)
            .open_native()
            .map_err(|source| LinuxError::SerialOpen {
                port: name.clone(),
                source,
            })?;
        Self::from_port(port, name, config.baud, direction)
    }

    /// Wraps a port that is already open and configured (a pty in tests, a port set up
    /// by other code); `baud` is what it runs at, for the turnaround time.
    pub fn from_port(
        port: TTYPort,
        name: impl Into<String>,
        baud: u32,
        direction: D,
    ) -> Result<Self, LinuxError> {
        let mut rs485 = Self {
            port,
            name: name.into(),
            baud: baud.max(1),
            direction,
        };
        rs485
            .direction
            .receive()
            .map_err(|e| direction_error(&rs485.name, &e))?;
        Ok(rs485)
    }

    /// The direction control, e.g. to read back what it does.
    pub fn direction(&self) -> &D {
        &self.direction
    }

    fn write_drained(&mut self, bytes: &[u8]) -> Result<(), LinuxError> {
        // Give the write as long as the bytes take on the wire, plus a second of slack
        // for a congested USB adapter.
        let n = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let budget = char_time(self.baud).saturating_mul(n) + Duration::from_secs(1);
        self.port
            .set_timeout(budget)
            .map_err(|source| LinuxError::SerialOpen {
                port: self.name.clone(),
                source,
            })?;
        self.port
            .write_all(bytes)
            .map_err(|source| self.io_error("write", source))?;
        self.port
            .flush()
            .map_err(|source| self.io_error("drain (tcdrain)", source))?;
        std::thread::sleep(char_time(self.baud));
        Ok(())
    }

    fn io_error(&self, op: &'static str, source: std::io::Error) -> LinuxError {
        LinuxError::SerialIo {
            port: self.name.clone(),
            op,
            source,
        }
    }
}

impl<D> ErrorType for SerialRs485<D> {
    type Error = LinuxError;
}

impl<D: DirectionControl> Rs485 for SerialRs485<D> {
    fn transmit(&mut self, bytes: &[u8]) -> Result<(), LinuxError> {
        self.direction
            .transmit()
            .map_err(|e| direction_error(&self.name, &e))?;
        let sent = self.write_drained(bytes);
        let released = self
            .direction
            .receive()
            .map_err(|e| direction_error(&self.name, &e));
        sent?;
        released
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, LinuxError> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.port
            .set_timeout(timeout)
            .map_err(|source| LinuxError::SerialOpen {
                port: self.name.clone(),
                source,
            })?;
        match self.port.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => Ok(0),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(0),
            Err(source) => Err(self.io_error("read", source)),
        }
    }
}

/// A direction control's error, as the port's: its kind and message are kept.
fn direction_error<E: Error>(port: &str, e: &E) -> LinuxError {
    LinuxError::Direction {
        port: port.to_owned(),
        kind: e.kind(),
        message: e.to_string(),
    }
}

/// The DE/RE pin of a transceiver on a GPIO line (MAX485-style boards).
///
/// The line is requested at the listening level, so opening the port never grabs the bus.
#[derive(Debug)]
pub struct GpioDirection {
    inner: DirectionPin<gpiocdev_embedded_hal::OutputPin>,
    line: ResolvedLine,
}

impl GpioDirection {
    /// Requests the line as an output, at the level that disables the driver.
    pub fn open(spec: &LineSpec, polarity: Polarity) -> Result<Self, LinuxError> {
        let line = spec.resolve()?;
        let listen = match polarity.level(false) {
            Level::High => Value::Active,
            Level::Low => Value::Inactive,
        };
        let req = line.request(line.builder().as_output(listen))?;
        let pin = gpiocdev_embedded_hal::OutputPin::try_from(req)
            .map_err(|e| pin_error(&line, "taking the line as a pin", e))?;
        let inner = DirectionPin::new(pin, polarity)
            .map_err(|e| from_pin_error(&line, "releasing the bus", e))?;
        Ok(Self { inner, line })
    }

    /// The line DE/RE is on.
    pub fn line(&self) -> &ResolvedLine {
        &self.line
    }
}

impl DirectionControl for GpioDirection {
    type Error = LinuxError;

    fn transmit(&mut self) -> Result<(), LinuxError> {
        self.inner
            .transmit()
            .map_err(|e| from_pin_error(&self.line, "enabling the driver", e))
    }

    fn receive(&mut self) -> Result<(), LinuxError> {
        self.inner
            .receive()
            .map_err(|e| from_pin_error(&self.line, "releasing the bus", e))
    }
}

impl Drop for GpioDirection {
    /// Lets go of the bus before the line is freed.
    fn drop(&mut self) {
        // Nothing can be reported from a drop; a failure means the chip is gone.
        let _ = self.inner.receive();
    }
}
