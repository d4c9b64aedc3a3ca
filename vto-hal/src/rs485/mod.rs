//! RS-485: a half-duplex serial bus, here used for the second lock.
//!
//! One transceiver talks at a time. Before sending, the driver enable (DE, usually tied to
//! the inverted receiver enable RE) is asserted; once the last stop bit has left the UART
//! it is released so the peer can answer. Transceivers with automatic direction control
//! need no pin. Framing (Modbus, a lock vendor's protocol) is the caller's.

pub mod modbus;

use crate::error::ErrorType;
use crate::time::Duration;

/// A half-duplex RS-485 port.
pub trait Rs485: ErrorType {
    /// Sends `bytes` and returns once they are on the wire and the bus is released.
    fn transmit(&mut self, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Waits up to `timeout` for bytes from the bus; returns how many were read (0 if none
    /// came in time).
    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, Self::Error>;
}

impl<T: Rs485 + ?Sized> Rs485 for &mut T {
    fn transmit(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        T::transmit(self, bytes)
    }
    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, Self::Error> {
        T::receive(self, buf, timeout)
    }
}

/// How long one character takes on the wire at `baud` with 10 bits per character
/// (start, 8 data, stop): the least a driver must wait after the UART reports empty.
pub fn char_time(baud: u32) -> Duration {
    Duration::from_nanos(10_000_000_000 / u64::from(baud.max(1)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_character_at_9600_baud_takes_just_over_a_millisecond() {
        assert_eq!(super::char_time(9600).as_micros(), 1041);
    }
}
