//! A debounced input sampled from an embedded-hal pin.

use core::marker::PhantomData;

use embedded_hal::delay::DelayNs;
use embedded_hal::digital::InputPin;

use super::error::PinError;
use super::read_level;
use crate::debounce::Debouncer;
use crate::error::ErrorType;
use crate::input::{Input, InputEvent, InputState};
use crate::level::InputWiring;
use crate::time::{Clock, Duration};

/// An input on a pin without edge interrupts: sampled every `period` while waiting.
///
/// Sampling finds an edge up to one period late; choose a period well under the debounce
/// window (1 ms against the default 20 ms).
pub struct PolledInput<P, S, C, D> {
    pin: P,
    wiring: InputWiring,
    debouncer: Debouncer<S>,
    clock: C,
    delay: D,
    period: Duration,
    _state: PhantomData<S>,
}

impl<P, S, C, D> PolledInput<P, S, C, D>
where
    P: InputPin,
    S: InputState,
    C: Clock,
    D: DelayNs,
{
    /// Takes the pin; the current level is the starting state, without debouncing.
    pub fn new(
        mut pin: P,
        wiring: InputWiring,
        window: Duration,
        clock: C,
        delay: D,
        period: Duration,
    ) -> Result<Self, PinError<P::Error>> {
        let initial = wiring.interpret::<S>(read_level(&mut pin).map_err(PinError::Pin)?);
        let debouncer = Debouncer::new(initial, window)?;
        Ok(Self {
            pin,
            wiring,
            debouncer,
            clock,
            delay,
            period,
            _state: PhantomData,
        })
    }

    /// Samples the pin once and reports a change that has settled.
    pub fn sample(&mut self) -> Result<Option<InputEvent<S>>, PinError<P::Error>> {
        let now = self.clock.now();
        let raw = self
            .wiring
            .interpret::<S>(read_level(&mut self.pin).map_err(PinError::Pin)?);
        Ok(self
            .debouncer
            .observe(raw, now)
            .or_else(|| self.debouncer.poll(now)))
    }
}

impl<P: InputPin, S, C, D> ErrorType for PolledInput<P, S, C, D> {
    type Error = PinError<P::Error>;
}

impl<P, S, C, D> Input for PolledInput<P, S, C, D>
where
    P: InputPin,
    S: InputState,
    C: Clock,
    D: DelayNs,
{
    type State = S;

    fn state(&mut self) -> Result<S, Self::Error> {
        self.sample()?;
        Ok(self.debouncer.state())
    }

    fn wait_event(&mut self, timeout: Duration) -> Result<Option<InputEvent<S>>, Self::Error> {
        let end = self.clock.now() + timeout;
        loop {
            if let Some(event) = self.sample()? {
                return Ok(Some(event));
            }
            let now = self.clock.now();
            if now >= end {
                return Ok(None);
            }
            let nap = self.period.min(end - now);
            self.delay
                .delay_ns(u32::try_from(nap.as_nanos()).unwrap_or(u32::MAX));
        }
    }
}
