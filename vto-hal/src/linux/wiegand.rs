//! Wiegand on GPIO lines: a reader on kernel edge events, a writer on two outputs.

use std::collections::VecDeque;

use gpiocdev::line::{Bias, EdgeDetection, EdgeKind, EventClock, Value};
use gpiocdev::Request;

use super::delay::MonotonicDelay;
use super::error::LinuxError;
use super::line::{request_error, LineSpec, ResolvedLine};
use super::lock::{from_pin_error, pin_error};
use crate::ehal::GpioWiegandWriter;
use crate::error::ErrorType;
use crate::time::{Clock, Duration, MonotonicClock, Timestamp};
use crate::wiegand::{
    Bits, DataLine, Decoder, DecoderConfig, Edge, WiegandFrame, WiegandReader, WiegandTiming,
    WiegandWriter,
};

/// How many edges the kernel keeps for us while no thread reads them: two 128-bit frames.
///
/// The kernel's default is 16 per line, under half a 26-bit frame; a reader thread that is
/// busy for a few milliseconds would lose bits.
pub const KERNEL_EVENT_BUFFER: u32 = 512;

/// A Wiegand reader on two input lines of one chip.
///
/// Both lines are in ONE request, so their edges come through one file descriptor in the
/// order the kernel saw them, each with its `CLOCK_MONOTONIC` timestamp from the interrupt
/// handler: bit order and pulse widths are exact even when this thread is late. The lines
/// get the internal pull-up (idle is high; most readers drive open-collector outputs).
/// [`read_frame`](WiegandReader::read_frame) sleeps in `poll(2)` until the next edge or
/// the decoder's end-of-frame deadline.
#[derive(Debug)]
pub struct LinuxWiegandReader {
    req: Request,
    d0: ResolvedLine,
    d1: ResolvedLine,
    lines: String,
    config: DecoderConfig,
    decoder: Decoder,
    ready: VecDeque<Result<WiegandFrame, LinuxError>>,
    last_seqno: Option<u32>,
    clock: MonotonicClock,
}

impl LinuxWiegandReader {
    /// Requests D0 and D1 (on the same chip) as pulled-up inputs with both-edge detection.
    pub fn open(d0: &LineSpec, d1: &LineSpec, config: DecoderConfig) -> Result<Self, LinuxError> {
        let (d0, d1) = (d0.resolve()?, d1.resolve()?);
        let lines = format!("D0 {d0}, D1 {d1}");
        if d0.chip() != d1.chip() {
            return Err(LinuxError::SplitChips {
                d0: d0.to_string(),
                d1: d1.to_string(),
            });
        }
        if d0.offset() == d1.offset() {
            return Err(LinuxError::SameLine {
                line: d0.to_string(),
                first: "wiegand D0",
                second: "wiegand D1",
            });
        }
        let decoder = Decoder::new(config).map_err(|reason| LinuxError::DecoderConfig {
            lines: lines.clone(),
            reason,
        })?;
        let mut builder = d0.builder();
        builder
            .with_line(d1.offset())
            .as_input()
            .with_bias(Bias::PullUp)
            .with_edge_detection(EdgeDetection::BothEdges)
            .with_event_clock(EventClock::Monotonic)
            .with_kernel_event_buffer_size(KERNEL_EVENT_BUFFER);
        let req = builder
            .request()
            .map_err(|e| request_error(&[&d0, &d1], e))?;
        Ok(Self {
            req,
            d0,
            d1,
            lines,
            config,
            decoder,
            ready: VecDeque::new(),
            last_seqno: None,
            clock: MonotonicClock,
        })
    }

    /// D0's line.
    pub fn d0(&self) -> &ResolvedLine {
        &self.d0
    }

    /// D1's line.
    pub fn d1(&self) -> &ResolvedLine {
        &self.d1
    }

    /// Queues what the decoder has to say at `now`.
    fn drain_decoder(&mut self, now: Timestamp) {
        // A decoder reports at most a frame (or an error) per end of frame; the bound only
        // keeps a misbehaving one from looping here.
        for _ in 0..4 {
            match self.decoder.poll(now) {
                Some(result) => {
                    self.ready
                        .push_back(result.map_err(|source| LinuxError::Wiegand {
                            lines: self.lines.clone(),
                            source,
                        }))
                }
                None => break,
            }
        }
    }

    /// Feeds every buffered edge to the decoder, without blocking.
    fn pump(&mut self) -> Result<(), LinuxError> {
        while self
            .req
            .has_edge_event()
            .map_err(|e| self.d0.error("polling for edges", e))?
        {
            let ev = self
                .req
                .read_edge_event()
                .map_err(|e| self.d0.error("reading an edge", e))?;
            let at = Timestamp::from_nanos(ev.timestamp_ns);
            // Whatever ended before this edge ends now, not when it is read.
            self.drain_decoder(at);
            if let Some(last) = self.last_seqno {
                let lost = ev.seqno.wrapping_sub(last).wrapping_sub(1);
                if lost != 0 {
                    self.ready.push_back(Err(LinuxError::EventsLost {
                        lines: self.lines.clone(),
                        lost,
                    }));
                    // The frame in progress misses bits: start over. Config was accepted
                    // by `open`, so a fresh decoder is built from it again.
                    if let Ok(fresh) = Decoder::new(self.config) {
                        self.decoder = fresh;
                    }
                }
            }
            self.last_seqno = Some(ev.seqno);
            let line = if ev.offset == self.d1.offset() {
                DataLine::D1
            } else {
                DataLine::D0
            };
            // Idle is high: a falling edge starts a pulse.
            let edge = match ev.kind {
                EdgeKind::Falling => Edge::PulseStart,
                EdgeKind::Rising => Edge::PulseEnd,
            };
            self.decoder.edge(line, edge, at);
        }
        Ok(())
    }
}

impl ErrorType for LinuxWiegandReader {
    type Error = LinuxError;
}

impl WiegandReader for LinuxWiegandReader {
    fn read_frame(&mut self, timeout: Duration) -> Result<Option<WiegandFrame>, LinuxError> {
        let end = self.clock.now() + timeout;
        loop {
            self.pump()?;
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
            // Sleep until an edge comes or the frame in progress ends. A deadline already
            // past that produced nothing is waited out briefly rather than spun on.
            let wake = self.decoder.deadline().map_or(end, |d| d.min(end));
            let nap = (wake - now).max(Duration::from_micros(200));
            self.req
                .wait_edge_event(nap)
                .map_err(|e| self.d0.error("waiting for an edge", e))?;
        }
    }
}

/// A Wiegand output on two GPIO lines: the station passing a credential to an access
/// controller.
///
/// Built on the generic [`GpioWiegandWriter`] with [`MonotonicDelay`], which spins through
/// the pulses and sleeps between bits. The lines are requested high (idle) and driven
/// push-pull at the SoC's voltage: put a buffer (open-drain, 5 V tolerant) between them
/// and the controller's inputs.
#[derive(Debug)]
pub struct LinuxWiegandWriter {
    inner: GpioWiegandWriter<
        gpiocdev_embedded_hal::OutputPin,
        gpiocdev_embedded_hal::OutputPin,
        MonotonicDelay,
    >,
    d0: ResolvedLine,
}

impl LinuxWiegandWriter {
    /// Requests D0 and D1 as outputs, idle (high).
    pub fn open(d0: &LineSpec, d1: &LineSpec, timing: WiegandTiming) -> Result<Self, LinuxError> {
        let (d0, d1) = (d0.resolve()?, d1.resolve()?);
        if d0 == d1 {
            return Err(LinuxError::SameLine {
                line: d0.to_string(),
                first: "wiegand D0",
                second: "wiegand D1",
            });
        }
        let pin0 = idle_output(&d0)?;
        let pin1 = idle_output(&d1)?;
        let inner = GpioWiegandWriter::new(pin0, pin1, MonotonicDelay, timing)
            .map_err(|e| from_pin_error(&d0, "setting the data lines idle", e))?;
        Ok(Self { inner, d0 })
    }
}

/// One data line, requested high so the receiver sees no pulse at open.
fn idle_output(line: &ResolvedLine) -> Result<gpiocdev_embedded_hal::OutputPin, LinuxError> {
    let req = line.request(line.builder().as_output(Value::Active))?;
    gpiocdev_embedded_hal::OutputPin::try_from(req)
        .map_err(|e| pin_error(line, "taking the line as a pin", e))
}

impl ErrorType for LinuxWiegandWriter {
    type Error = LinuxError;
}

impl WiegandWriter for LinuxWiegandWriter {
    fn write_frame(&mut self, bits: &Bits) -> Result<(), LinuxError> {
        // The adapter's error does not say which of the two lines failed; D0 stands for
        // the pair (and the adapter has set both idle again).
        self.inner
            .write_frame(bits)
            .map_err(|e| from_pin_error(&self.d0, "sending a frame", e))
    }
}
