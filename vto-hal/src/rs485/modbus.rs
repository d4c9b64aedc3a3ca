//! A lock relay behind an RS-485 bus, spoken to in Modbus RTU: the common protocol of
//! RS-485 relay boards and lock controllers. The relay is one coil of the board at
//! `address`; energizing writes the coil on (function 05), reading asks for it
//! (function 01). Every request waits for the board's answer, checked by CRC, and is
//! retried on silence or a garbled reply, so a command that returns `Ok` reached the
//! board.

use crate::error::{Error, ErrorKind, ErrorType};
use crate::lock::{Lock, RelayState};
use crate::rs485::Rs485;
use crate::time::Duration;

/// How long to wait for a board's answer: 9600 baud answers in under 20 ms.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_millis(100);
/// How many times a request is sent before the lock reports the failure.
pub const ATTEMPTS: u32 = 3;

/// Modbus's CRC-16 (polynomial 0xA001 reflected, initial 0xFFFF), low byte first on the
/// wire.
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc = 0xFFFFu16;
    for &b in bytes {
        crc ^= u16::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xA001
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// What went wrong talking to the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModbusError<E> {
    /// The serial port failed.
    Port(E),
    /// The board did not answer, `ATTEMPTS` times.
    NoAnswer {
        /// The board's address.
        address: u8,
    },
    /// The answer was garbled (bad CRC, wrong length, another address or function).
    BadAnswer {
        /// The board's address.
        address: u8,
    },
    /// The board refused the request with a Modbus exception code (2: no such coil).
    Exception {
        /// The board's address.
        address: u8,
        /// The exception code.
        code: u8,
    },
}

impl<E: core::fmt::Display> core::fmt::Display for ModbusError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Port(e) => write!(f, "RS-485 port: {e}"),
            Self::NoAnswer { address } => {
                write!(
                    f,
                    "Modbus device {address} did not answer ({ATTEMPTS} attempts)"
                )
            }
            Self::BadAnswer { address } => {
                write!(f, "Modbus device {address} sent a garbled answer")
            }
            Self::Exception { address, code } => {
                write!(
                    f,
                    "Modbus device {address} refused the request (exception {code})"
                )
            }
        }
    }
}

impl<E: Error> Error for ModbusError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Port(e) => e.kind(),
            Self::NoAnswer { .. } => ErrorKind::Timeout,
            Self::BadAnswer { .. } | Self::Exception { .. } => ErrorKind::Fault,
        }
    }
}

/// A lock relay that is coil `coil` of the Modbus RTU device at `address`.
#[derive(Debug)]
pub struct ModbusRelay<P> {
    port: P,
    address: u8,
    coil: u16,
}

impl<P: Rs485> ModbusRelay<P> {
    /// Coil `coil` (from 0) of device `address` (1–247) on `port`.
    pub fn new(port: P, address: u8, coil: u16) -> Self {
        Self {
            port,
            address,
            coil,
        }
    }

    /// Sends `pdu` (function and data) and returns the answer's PDU, checked.
    fn request(
        &mut self,
        pdu: &[u8],
        answer: &mut [u8; 16],
    ) -> Result<usize, ModbusError<P::Error>> {
        let mut frame = [0u8; 16];
        frame[0] = self.address;
        frame[1..=pdu.len()].copy_from_slice(pdu);
        let n = pdu.len() + 1;
        let crc = crc16(&frame[..n]).to_le_bytes();
        frame[n..n + 2].copy_from_slice(&crc);
        let mut garbled = false;
        for _ in 0..ATTEMPTS {
            self.port
                .transmit(&frame[..n + 2])
                .map_err(ModbusError::Port)?;
            let mut len = 0;
            // Collect until a whole answer has come or the line stays quiet.
            loop {
                let got = self
                    .port
                    .receive(&mut answer[len..], RESPONSE_TIMEOUT)
                    .map_err(ModbusError::Port)?;
                if got == 0 {
                    break;
                }
                len += got;
                if (len >= 5 && complete(&answer[..len])) || len == answer.len() {
                    break;
                }
            }
            if len == 0 {
                continue;
            }
            let body = &answer[..len];
            let crc_ok =
                len >= 4 && crc16(&body[..len - 2]).to_le_bytes() == [body[len - 2], body[len - 1]];
            if !crc_ok || body[0] != self.address {
                garbled = true;
                continue;
            }
            if body[1] == pdu[0] | 0x80 {
                return Err(ModbusError::Exception {
                    address: self.address,
                    code: body[2],
                });
            }
            if body[1] != pdu[0] {
                garbled = true;
                continue;
            }
            return Ok(len - 2);
        }
        Err(if garbled {
            ModbusError::BadAnswer {
                address: self.address,
            }
        } else {
            ModbusError::NoAnswer {
                address: self.address,
            }
        })
    }
}

/// Whether `frame` (address first) holds a whole answer: an exception (5 bytes), a
/// read-coils answer (3 + count + 2) or a write echo (8).
fn complete(frame: &[u8]) -> bool {
    match frame.get(1) {
        Some(f) if f & 0x80 != 0 => frame.len() >= 5,
        Some(0x01) => frame
            .get(2)
            .is_some_and(|&n| frame.len() >= 3 + usize::from(n) + 2),
        Some(_) => frame.len() >= 8,
        None => false,
    }
}

impl<P: Rs485> ErrorType for ModbusRelay<P> {
    type Error = ModbusError<P::Error>;
}

impl<P: Rs485> Lock for ModbusRelay<P> {
    fn set(&mut self, state: RelayState) -> Result<(), Self::Error> {
        let [hi, lo] = self.coil.to_be_bytes();
        let value = if state == RelayState::Energized {
            0xFF
        } else {
            0x00
        };
        let mut answer = [0u8; 16];
        let len = self.request(&[0x05, hi, lo, value, 0x00], &mut answer)?;
        // The board echoes the request.
        if len != 6 || answer[2..6] != [hi, lo, value, 0x00] {
            return Err(ModbusError::BadAnswer {
                address: self.address,
            });
        }
        Ok(())
    }

    fn state(&mut self) -> Result<RelayState, Self::Error> {
        let [hi, lo] = self.coil.to_be_bytes();
        let mut answer = [0u8; 16];
        let len = self.request(&[0x01, hi, lo, 0x00, 0x01], &mut answer)?;
        if len < 4 || answer[2] != 1 {
            return Err(ModbusError::BadAnswer {
                address: self.address,
            });
        }
        Ok(if answer[3] & 1 != 0 {
            RelayState::Energized
        } else {
            RelayState::Released
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_modbus_specification_example() {
        // Modbus over serial line spec, 6.2.2: "02 07" → CRC 0x1241 (sent 41 12).
        assert_eq!(crc16(&[0x02, 0x07]).to_le_bytes(), [0x41, 0x12]);
        // Write single coil 1 of device 1 on: 01 05 00 00 FF 00 → 8C 3A.
        assert_eq!(
            crc16(&[0x01, 0x05, 0x00, 0x00, 0xFF, 0x00]).to_le_bytes(),
            [0x8C, 0x3A]
        );
    }
}
