//! A debounced input on a Pi GPIO pin's edge interrupts.

use std::collections::VecDeque;

use rppal::gpio::{Event, InputPin, Trigger};

use super::error::{take_pin, RpiError};
use crate::debounce::Debouncer;
use crate::error::ErrorType;
use crate::input::{Input, InputEvent, InputState};
use crate::level::{Bias, InputConfig, InputWiring, Level};
use crate::time::{Clock, Duration, MonotonicClock, Timestamp};

/// An input on a BCM pin, watched through rppal's synchronous interrupts.
///
/// rppal reads the kernel's GPIO edge events, timestamped on `CLOCK_MONOTONIC`, so the
/// [`Debouncer`] works on when the contact moved. [`wait_event`](Input::wait_event) blocks
/// in the kernel until the next edge or the debounce deadline.
///
/// rppal serialises synchronous interrupt polling process-wide: while one `RpiInput`
/// waits, another one's `wait_event` waits for it. Watch several inputs from one thread
/// with short timeouts, or use the `linux` backend's `EdgeInput` on the Pi's gpiochip.
#[derive(Debug)]
pub struct RpiInput<S> {
    pin: InputPin,
    bcm: u8,
    wiring: InputWiring,
    debouncer: Debouncer<S>,
    ready: VecDeque<InputEvent<S>>,
    clock: MonotonicClock,
}

impl<S: InputState> RpiInput<S> {
    /// Takes BCM pin `pin` as an input with both-edge interrupts; the level at open is the
    /// settled state.
    pub fn open(pin: u8, config: InputConfig) -> Result<Self, RpiError> {
        let raw = take_pin("input", pin)?;
        let mut input = match config.bias {
            Bias::PullUp => raw.into_input_pullup(),
            Bias::PullDown => raw.into_input_pulldown(),
            Bias::Disabled => raw.into_input(),
            // rppal always sets a bias when it takes a pin.
            Bias::AsIs => return Err(RpiError::BiasAsIs { pin }),
        };
        input
            .set_interrupt(Trigger::Both, None)
            .map_err(|source| RpiError::Gpio {
                role: "input",
                pin,
                op: "enabling edge interrupts",
                source,
            })?;
        let initial = config.wiring.interpret::<S>(level_of(input.read()));
        let debouncer = Debouncer::new(initial, config.window)
            .map_err(|reason| RpiError::Window { pin, reason })?;
        Ok(Self {
            pin: input,
            bcm: pin,
            wiring: config.wiring,
            debouncer,
            ready: VecDeque::new(),
            clock: MonotonicClock,
        })
    }

    /// The BCM number of the pin.
    pub fn pin(&self) -> u8 {
        self.bcm
    }

    /// Before a pending change settles, reads the pin once to confirm it: an edge merged or
    /// lost in the kernel must not turn a spike into a change (as `linux::EdgeInput`).
    fn confirm(&mut self, now: Timestamp) {
        let Some(deadline) = self.debouncer.deadline() else {
            return;
        };
        if now < deadline {
            return;
        }
        let raw = self.wiring.interpret::<S>(level_of(self.pin.read()));
        let at = Timestamp::from_nanos(deadline.as_nanos().saturating_sub(1));
        self.ready.extend(self.debouncer.observe(raw, at));
    }

    /// Waits up to `timeout` for one edge and feeds it to the debouncer.
    fn poll_edge(&mut self, timeout: Duration) -> Result<bool, RpiError> {
        let event = self
            .pin
            .poll_interrupt(false, Some(timeout))
            .map_err(|source| RpiError::Gpio {
                role: "input",
                pin: self.bcm,
                op: "waiting for an edge",
                source,
            })?;
        let Some(event) = event else {
            return Ok(false);
        };
        let (level, at) = edge(&event);
        let raw = self.wiring.interpret::<S>(level);
        self.ready.extend(self.debouncer.observe(raw, at));
        Ok(true)
    }
}

impl<S> ErrorType for RpiInput<S> {
    type Error = RpiError;
}

impl<S: InputState> Input for RpiInput<S> {
    type State = S;

    fn state(&mut self) -> Result<S, RpiError> {
        while self.poll_edge(Duration::ZERO)? {}
        let now = self.clock.now();
        self.confirm(now);
        if let Some(event) = self.debouncer.poll(now) {
            self.ready.push_back(event);
        }
        Ok(self.debouncer.state())
    }

    fn wait_event(&mut self, timeout: Duration) -> Result<Option<InputEvent<S>>, RpiError> {
        let end = self.clock.now() + timeout;
        loop {
            while self.poll_edge(Duration::ZERO)? {}
            let now = self.clock.now();
            if self.ready.is_empty() {
                self.confirm(now);
            }
            if let Some(event) = self.ready.pop_front().or_else(|| self.debouncer.poll(now)) {
                return Ok(Some(event));
            }
            if now >= end {
                return Ok(None);
            }
            let wake = self.debouncer.deadline().map_or(end, |d| d.min(end));
            self.poll_edge(wake - now)?;
        }
    }
}

/// The level a pin has after an edge event, and when the edge happened.
pub(crate) fn edge(event: &Event) -> (Level, Timestamp) {
    let level = match event.trigger {
        Trigger::FallingEdge => Level::Low,
        _ => Level::High,
    };
    let nanos = u64::try_from(event.timestamp.as_nanos()).unwrap_or(u64::MAX);
    (level, Timestamp::from_nanos(nanos))
}

/// rppal's level as ours.
pub(crate) fn level_of(level: rppal::gpio::Level) -> Level {
    match level {
        rppal::gpio::Level::High => Level::High,
        rppal::gpio::Level::Low => Level::Low,
    }
}
