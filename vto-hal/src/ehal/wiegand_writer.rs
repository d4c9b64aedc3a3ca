//! A Wiegand output on two pins.

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::OutputPin;

use super::error::PinError;
use crate::error::ErrorType;
use crate::wiegand::{Bits, WiegandTiming, WiegandWriter};

/// Sends Wiegand frames on two open-drain (or open-collector buffered) pins.
///
/// Idle is high; each bit pulls D0 or D1 low for the pulse width. Timing comes from the
/// [`DelayNs`] given, so its precision is the board's: a busy-wait delay holds 50 µs
/// pulses to within a few µs, a sleeping one may stretch them (receivers accept up to
/// about 100 µs).
#[derive(Debug)]
pub struct GpioWiegandWriter<D0, D1, D> {
    d0: D0,
    d1: D1,
    delay: D,
    timing: WiegandTiming,
}

impl<D0, D1, D, E> GpioWiegandWriter<D0, D1, D>
where
    D0: OutputPin<Error = E>,
    D1: OutputPin<Error = E>,
    D: DelayNs,
{
    /// Takes the two data pins and sets them idle (high).
    pub fn new(
        mut d0: D0,
        mut d1: D1,
        delay: D,
        timing: WiegandTiming,
    ) -> Result<Self, PinError<E>> {
        d0.set_high().map_err(PinError::Pin)?;
        d1.set_high().map_err(PinError::Pin)?;
        Ok(Self {
            d0,
            d1,
            delay,
            timing,
        })
    }
}

impl<D0, D1, D, E> ErrorType for GpioWiegandWriter<D0, D1, D>
where
    D0: OutputPin<Error = E>,
    D1: OutputPin<Error = E>,
    E: core::fmt::Debug,
{
    type Error = PinError<E>;
}

impl<D0, D1, D, E> WiegandWriter for GpioWiegandWriter<D0, D1, D>
where
    D0: OutputPin<Error = E>,
    D1: OutputPin<Error = E>,
    D: DelayNs,
    E: core::fmt::Debug,
{
    fn write_frame(&mut self, bits: &Bits) -> Result<(), Self::Error> {
        let pulse = u32::try_from(self.timing.pulse_width().as_nanos()).unwrap_or(u32::MAX);
        let gap = u32::try_from(self.timing.gap().as_nanos()).unwrap_or(u32::MAX);
        for (i, bit) in bits.iter().enumerate() {
            if i > 0 {
                self.delay.delay_ns(gap);
            }
            let result = if bit {
                self.d1.set_low().and_then(|()| {
                    self.delay.delay_ns(pulse);
                    self.d1.set_high()
                })
            } else {
                self.d0.set_low().and_then(|()| {
                    self.delay.delay_ns(pulse);
                    self.d0.set_high()
                })
            };
            if let Err(e) = result {
                // Never leave a line held low: a receiver would read it as a fault.
                let _ = self.d0.set_high();
                let _ = self.d1.set_high();
                return Err(PinError::Pin(e));
            }
        }
        Ok(())
    }
}
