//! RS-485 on a Pi UART, with DE/RE on a GPIO pin or an auto-direction transceiver.

use std::path::Path;

use rppal::uart::Uart;

use super::error::{take_pin, RpiError};
use super::lock::pin_error;
use crate::ehal::{DirectionControl, DirectionPin};
use crate::error::{Error, ErrorType};
use crate::level::{Level, Polarity};
use crate::rs485::{char_time, Rs485};
use crate::time::{Clock, Duration, MonotonicClock};

/// Parity bit of each character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Parity {
    /// No parity bit (8N1).
    #[default]
    None,
    /// Even parity (8E1, Modbus RTU's default).
    Even,
    /// Odd parity.
    Odd,
}

/// Line settings of the UART: always 8 data bits, no flow control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UartConfig {
    /// Bits per second.
    pub baud: u32,
    /// Parity.
    pub parity: Parity,
    /// Stop bits, 1 or 2.
    pub stop_bits: u8,
}

impl UartConfig {
    /// 8N1 at `baud`.
    pub const fn new(baud: u32) -> Self {
        Self {
            baud,
            parity: Parity::None,
            stop_bits: 1,
        }
    }
}

impl Default for UartConfig {
    /// 9600 8N1.
    fn default() -> Self {
        Self::new(9600)
    }
}

/// The longest read timeout the UART's `VTIME` can express.
const VTIME_MAX: Duration = Duration::from_millis(25_500);
/// `VTIME`'s resolution.
const VTIME_STEP: Duration = Duration::from_millis(100);

/// A half-duplex RS-485 port on a Pi UART (`/dev/serial0`, `/dev/ttyAMA0`, a USB adapter).
///
/// Same sequence as the Linux backend: assert the driver, write, `tcdrain`, one more
/// character time for the last stop bit, release — and release even if the write fails.
/// rppal reads with the terminal's `VTIME`, which counts in tenths of a second, so a
/// [`receive`](Rs485::receive) may wait up to 100 ms longer than asked.
#[derive(Debug)]
pub struct RpiRs485<D> {
    uart: Uart,
    name: String,
    baud: u32,
    direction: D,
    clock: MonotonicClock,
}

impl<D: DirectionControl> RpiRs485<D> {
    /// Opens the UART at `path` and starts listening.
    pub fn open(
        path: impl AsRef<Path>,
        config: UartConfig,
        direction: D,
    ) -> Result<Self, RpiError> {
        let name = path.as_ref().display().to_string();
        if !(300..=4_000_000).contains(&config.baud) {
            return Err(RpiError::BaudOutOfRange {
                port: name,
                baud: config.baud,
            });
        }
        let parity = match config.parity {
            Parity::None => rppal::uart::Parity::None,
            Parity::Even => rppal::uart::Parity::Even,
            Parity::Odd => rppal::uart::Parity::Odd,
        };
        let uart_error = |op, source| RpiError::Uart {
            port: name.clone(),
            op,
            source,
        };
        let mut uart = Uart::with_path(path.as_ref(), config.baud, parity, 8, config.stop_bits)
            .map_err(|e| uart_error("opening", e))?;
        uart.set_write_mode(true)
            .map_err(|e| uart_error("setting blocking writes", e))?;
        let mut rs485 = Self {
            uart,
            name: name.clone(),
            baud: config.baud,
            direction,
            clock: MonotonicClock,
        };
        rs485
            .direction
            .receive()
            .map_err(|e| direction_error(&name, &e))?;
        Ok(rs485)
    }

    fn uart_error(&self, op: &'static str, source: rppal::uart::Error) -> RpiError {
        RpiError::Uart {
            port: self.name.clone(),
            op,
            source,
        }
    }

    fn write_drained(&mut self, bytes: &[u8]) -> Result<(), RpiError> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = self
                .uart
                .write(rest)
                .map_err(|e| self.uart_error("write", e))?;
            rest = rest.get(n..).unwrap_or_default();
        }
        self.uart
            .drain()
            .map_err(|e| self.uart_error("drain (tcdrain)", e))?;
        std::thread::sleep(char_time(self.baud));
        Ok(())
    }
}

impl<D> ErrorType for RpiRs485<D> {
    type Error = RpiError;
}

impl<D: DirectionControl> Rs485 for RpiRs485<D> {
    fn transmit(&mut self, bytes: &[u8]) -> Result<(), RpiError> {
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

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, RpiError> {
        if buf.is_empty() {
            return Ok(0);
        }
        let end = self.clock.now() + timeout;
        loop {
            let left = end - self.clock.now();
            // Round up to VTIME's tenths, so a short timeout still waits.
            let tenths = left.as_millis().div_ceil(100);
            let step = VTIME_STEP
                .saturating_mul(u32::try_from(tenths).unwrap_or(u32::MAX))
                .min(VTIME_MAX);
            self.uart
                .set_read_mode(0, step)
                .map_err(|e| self.uart_error("setting the read timeout", e))?;
            let n = self
                .uart
                .read(buf)
                .map_err(|e| self.uart_error("read", e))?;
            if n > 0 || self.clock.now() >= end {
                return Ok(n);
            }
        }
    }
}

/// A direction control's error, as the port's.
fn direction_error<E: Error>(port: &str, e: &E) -> RpiError {
    RpiError::Direction {
        port: port.to_owned(),
        kind: e.kind(),
        message: e.to_string(),
    }
}

/// The DE/RE pin of a transceiver on a BCM GPIO.
#[derive(Debug)]
pub struct RpiDirection {
    inner: DirectionPin<rppal::gpio::OutputPin>,
    pin: u8,
}

impl RpiDirection {
    /// Takes BCM pin `pin` as an output at the level that disables the driver.
    pub fn open(pin: u8, polarity: Polarity) -> Result<Self, RpiError> {
        let raw = take_pin("RS-485 DE/RE", pin)?;
        let mut out = match polarity.level(false) {
            Level::High => raw.into_output_high(),
            Level::Low => raw.into_output_low(),
        };
        // Keep listening after exit rather than leave DE floating (see `RpiLock`).
        out.set_reset_on_drop(false);
        let inner = DirectionPin::new(out, polarity).map_err(|e| pin_error(pin, e))?;
        Ok(Self { inner, pin })
    }

    /// The BCM number of the DE/RE pin.
    pub fn pin(&self) -> u8 {
        self.pin
    }
}

impl DirectionControl for RpiDirection {
    type Error = RpiError;

    fn transmit(&mut self) -> Result<(), RpiError> {
        self.inner.transmit().map_err(|e| pin_error(self.pin, e))
    }

    fn receive(&mut self) -> Result<(), RpiError> {
        self.inner.receive().map_err(|e| pin_error(self.pin, e))
    }
}

impl Drop for RpiDirection {
    /// Lets go of the bus; the pin stays an output at the listening level.
    fn drop(&mut self) {
        let _ = self.inner.receive();
    }
}
