//! A Wiegand reader on two Pi GPIO pins.

use std::collections::VecDeque;

use rppal::gpio::{Gpio, InputPin, Trigger};

use super::error::{check_pin, take_pin, RpiError};
use super::input::edge;
use crate::error::ErrorType;
use crate::level::Level;
use crate::time::{Clock, Duration, MonotonicClock, Timestamp};
use crate::wiegand::{DataLine, Decoder, DecoderConfig, Edge, WiegandFrame, WiegandReader};

/// A Wiegand reader on two BCM pins with the internal pull-ups.
///
/// Edges come from `Gpio::poll_interrupts` over both pins with their kernel timestamps.
/// rppal keeps one kernel request per pin, so when this thread is late the two pins'
/// queued edges are collected and merged in timestamp order before the decoder sees them.
/// rppal does not let us enlarge the kernel's buffer (16 edges per pin, 8 bits): a thread
/// that is held up for more than about 16 ms (at 2 ms per bit) loses bits, which is
/// reported as [`RpiError::EventsLost`]. The `linux` backend's reader on the Pi's gpiochip
/// has no such limit.
#[derive(Debug)]
pub struct RpiWiegandReader {
    gpio: Gpio,
    d0: InputPin,
    d1: InputPin,
    bcm_d1: u8,
    lines: String,
    config: DecoderConfig,
    decoder: Decoder,
    ready: VecDeque<Result<WiegandFrame, RpiError>>,
    last_seqno: [Option<u32>; 2],
    clock: MonotonicClock,
}

impl RpiWiegandReader {
    /// Takes BCM pins `d0` and `d1` as pulled-up inputs with both-edge interrupts.
    pub fn open(d0: u8, d1: u8, config: DecoderConfig) -> Result<Self, RpiError> {
        check_pin("wiegand D0", d0)?;
        check_pin("wiegand D1", d1)?;
        if d0 == d1 {
            return Err(RpiError::SamePin {
                pin: d0,
                first: "wiegand D0",
                second: "wiegand D1",
            });
        }
        let lines = format!("D0 GPIO{d0}, D1 GPIO{d1}");
        let decoder = Decoder::new(config).map_err(|reason| RpiError::DecoderConfig {
            lines: lines.clone(),
            reason,
        })?;
        let gpio = Gpio::new().map_err(|source| RpiError::Gpio {
            role: "wiegand D0",
            pin: d0,
            op: "opening the GPIO peripheral",
            source,
        })?;
        let pin0 = listen("wiegand D0", d0)?;
        let pin1 = listen("wiegand D1", d1)?;
        Ok(Self {
            gpio,
            d0: pin0,
            d1: pin1,
            bcm_d1: d1,
            lines,
            config,
            decoder,
            ready: VecDeque::new(),
            last_seqno: [None, None],
            clock: MonotonicClock,
        })
    }

    fn drain_decoder(&mut self, now: Timestamp) {
        // Several reports may wait after a burst of edges fed late.
        while let Some(report) = self.decoder.poll(now) {
            self.ready
                .push_back(report.map_err(|source| RpiError::Wiegand {
                    lines: self.lines.clone(),
                    source,
                }));
        }
    }

    /// Collects every edge waiting on either pin (after waiting up to `timeout` for the
    /// first), merges them in time order and feeds them to the decoder.
    fn pump(&mut self, timeout: Duration) -> Result<(), RpiError> {
        let mut edges = Vec::new();
        let mut wait = timeout;
        loop {
            let got = self
                .gpio
                .poll_interrupts(&[&self.d0, &self.d1], false, Some(wait))
                .map_err(|source| RpiError::Gpio {
                    role: "wiegand D0/D1",
                    pin: self.d0.pin(),
                    op: "waiting for an edge",
                    source,
                })?;
            let Some((pin, event)) = got else { break };
            let line = if pin.pin() == self.bcm_d1 {
                DataLine::D1
            } else {
                DataLine::D0
            };
            edges.push((line, event));
            wait = Duration::ZERO;
        }
        edges.sort_by_key(|(_, event)| event.timestamp);
        for (line, event) in edges {
            let (level, at) = edge(&event);
            self.drain_decoder(at);
            let slot = usize::from(line.bit());
            if let Some(last) = self.last_seqno[slot] {
                let lost = event.seqno.wrapping_sub(last).wrapping_sub(1);
                if lost != 0 {
                    self.ready.push_back(Err(RpiError::EventsLost {
                        lines: self.lines.clone(),
                        line: if line.bit() { "D1" } else { "D0" },
                        lost,
                    }));
                    if let Ok(fresh) = Decoder::new(self.config) {
                        self.decoder = fresh;
                    }
                }
            }
            self.last_seqno[slot] = Some(event.seqno);
            let edge = match level {
                Level::Low => Edge::PulseStart,
                Level::High => Edge::PulseEnd,
            };
            self.decoder.edge(line, edge, at);
        }
        Ok(())
    }
}

/// One data line: pulled up (idle high), interrupts on both edges.
fn listen(role: &'static str, pin: u8) -> Result<InputPin, RpiError> {
    let mut input = take_pin(role, pin)?.into_input_pullup();
    input
        .set_interrupt(Trigger::Both, None)
        .map_err(|source| RpiError::Gpio {
            role,
            pin,
            op: "enabling edge interrupts",
            source,
        })?;
    Ok(input)
}

impl ErrorType for RpiWiegandReader {
    type Error = RpiError;
}

impl WiegandReader for RpiWiegandReader {
    fn read_frame(&mut self, timeout: Duration) -> Result<Option<WiegandFrame>, RpiError> {
        let end = self.clock.now() + timeout;
        self.pump(Duration::ZERO)?;
        loop {
            let now = self.clock.now();
            if self.ready.is_empty() {
                self.drain_decoder(now);
            }
            if let Some(result) = self.ready.pop_front() {
                return result.map(Some);
            }
            if now >= end {
                return Ok(None);
            }
            let wake = self.decoder.deadline().map_or(end, |d| d.min(end));
            self.pump((wake - now).max(Duration::from_micros(200)))?;
        }
    }
}
