//! Wiegand on GPIO lines: a reader on kernel edge events, a writer on two outputs.

use std::collections::{BTreeMap, VecDeque};

use gpiocdev::line::{Bias, EdgeDetection, EdgeKind, EventClock, Value};
use gpiocdev::Request;

use super::delay::MonotonicDelay;
use super::error::LinuxError;
use super::events::EdgeEvents;
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

/// Allowed kernel debounce periods for a reader, in µs: none, up to 100 ms (an emulator's
/// slow edges; real readers want a few µs at most).
pub const KERNEL_DEBOUNCE_RANGE_US: core::ops::RangeInclusive<u64> = 0..=100_000;

/// How long an edge waits for an earlier one (by sequence number) that the kernel has not
/// delivered yet, before the earlier one is declared lost.
///
/// Each line has its own interrupt thread, so the two lines' events can reach the queue
/// out of order; the request-wide sequence number, taken in the hard interrupt, is the
/// true order. Kernel threads are microseconds late on a quiet Pi and milliseconds late in
/// an emulator: 50 ms covers both and stays under an end-of-frame gap.
pub const REORDER_HOLD: Duration = Duration::from_millis(50);

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
    events: EdgeEvents,
    d0: ResolvedLine,
    d1: ResolvedLine,
    lines: String,
    config: DecoderConfig,
    decoder: Decoder,
    ready: VecDeque<Result<WiegandFrame, LinuxError>>,
    /// Edges read but not yet decoded, by (sequence number, timestamp).
    held: BTreeMap<(u32, u64), (DataLine, Edge, Timestamp)>,
    next_seqno: Option<u32>,
    /// Edges the kernel lost while no frame was under way (noise), for diagnostics.
    lost_between_frames: u32,
    clock: MonotonicClock,
}

impl LinuxWiegandReader {
    /// Requests D0 and D1 (on the same chip) as pulled-up inputs with both-edge detection.
    pub fn open(d0: &LineSpec, d1: &LineSpec, config: DecoderConfig) -> Result<Self, LinuxError> {
        Self::open_with_kernel_debounce(d0, d1, config, Duration::ZERO)
    }

    /// As [`open`](Self::open), with the kernel's debouncer on both lines: pulses shorter
    /// than `period` never leave the kernel.
    ///
    /// For noisy lines the decoder's `min_pulse` (at most 100 µs) cannot filter. The
    /// kernel confirms each edge after `period` (in hardware where the chip can, else in
    /// a workqueue) and timestamps it then, so every edge is reported `period` plus the
    /// workqueue's latency late: pulse widths and intervals keep their length, but keep
    /// `period` well under the reader's pulse width (a few µs for 50 µs pulses). Within
    /// [`KERNEL_DEBOUNCE_RANGE_US`].
    pub fn open_with_kernel_debounce(
        d0: &LineSpec,
        d1: &LineSpec,
        config: DecoderConfig,
        period: Duration,
    ) -> Result<Self, LinuxError> {
        let (d0, d1) = (d0.resolve()?, d1.resolve()?);
        let lines = format!("D0 {d0}, D1 {d1}");
        let period_us = u64::try_from(period.as_micros()).unwrap_or(u64::MAX);
        if !KERNEL_DEBOUNCE_RANGE_US.contains(&period_us) {
            return Err(LinuxError::KernelDebounce { lines, period_us });
        }
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
        // `with_lines` selects BOTH lines: gpiocdev applies each setting only to the lines
        // selected last, and `with_line(d1)` alone would leave D0 without edge detection.
        builder
            .with_lines(&[d0.offset(), d1.offset()])
            .as_input()
            .with_bias(Bias::PullUp)
            .with_edge_detection(EdgeDetection::BothEdges)
            .with_event_clock(EventClock::Monotonic)
            .with_kernel_event_buffer_size(KERNEL_EVENT_BUFFER);
        if !period.is_zero() {
            builder.with_debounce_period(period);
        }
        let req = builder
            .request()
            .map_err(|e| request_error(&[&d0, &d1], e))?;
        Ok(Self {
            events: EdgeEvents::new(&req, 64),
            req,
            d0,
            d1,
            lines,
            config,
            decoder,
            ready: VecDeque::new(),
            held: BTreeMap::new(),
            // The kernel numbers a request's events from 1.
            next_seqno: Some(1),
            lost_between_frames: 0,
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

    /// Edges the kernel lost while no frame was under way: merged noise spikes. A steadily
    /// rising count points at a noisy cable or a missing pull-up.
    pub fn lost_between_frames(&self) -> u32 {
        self.lost_between_frames
    }

    /// Queues what the decoder has to say at `now`.
    fn drain_decoder(&mut self, now: Timestamp) {
        // Several reports may wait after a burst of edges fed late.
        while let Some(report) = self.decoder.poll(now) {
            self.ready
                .push_back(report.map_err(|source| LinuxError::Wiegand {
                    lines: self.lines.clone(),
                    source,
                }));
        }
    }

    /// Reads every edge the kernel has, without blocking, and decodes those whose turn
    /// has come.
    fn pump(&mut self) -> Result<(), LinuxError> {
        while let Some(ev) = self
            .events
            .next(&self.req)
            .map_err(|e| self.d0.error("reading an edge", e))?
        {
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
            let at = Timestamp::from_nanos(ev.timestamp_ns);
            self.held
                .insert((ev.seqno, ev.timestamp_ns), (line, edge, at));
        }
        self.release(self.clock.now());
        Ok(())
    }

    /// Feeds held edges to the decoder in sequence order; a missing sequence number is
    /// waited for [`REORDER_HOLD`], then reported lost.
    fn release(&mut self, now: Timestamp) {
        while let Some((&(seqno, _), &(line, edge, at))) = self.held.first_key_value() {
            if let Some(next) = self.next_seqno.filter(|&next| seqno > next) {
                if now < at + REORDER_HOLD {
                    break;
                }
                // The kernel's buffer overflowed, or two edges came so close together
                // that its interrupt thread ran once for both (a noise spike of a few µs
                // does that). Between frames that is noise like any other, counted; in a
                // frame, bits are missing, so the frame is dropped and reported.
                self.drain_decoder(at);
                if self.decoder.deadline().is_some() {
                    self.ready.push_back(Err(LinuxError::EventsLost {
                        lines: self.lines.clone(),
                        lost: seqno - next,
                    }));
                } else {
                    self.lost_between_frames =
                        self.lost_between_frames.saturating_add(seqno - next);
                }
                // `open` accepted this configuration, so it is accepted again.
                if let Ok(fresh) = Decoder::new(self.config) {
                    self.decoder = fresh;
                }
            }
            self.held.pop_first();
            // Whatever ended before this edge ends now, not when it is read.
            self.drain_decoder(at);
            self.decoder.edge(line, edge, at);
            let after = seqno.wrapping_add(1);
            self.next_seqno = Some(self.next_seqno.map_or(after, |n| n.max(after)));
        }
    }

    /// The earliest time the decoder may be asked about: not past an edge still held.
    fn horizon(&self, now: Timestamp) -> Timestamp {
        self.held
            .values()
            .next()
            .map_or(now, |&(_, _, at)| at.min(now))
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
                self.drain_decoder(self.horizon(now));
            }
            if let Some(result) = self.ready.pop_front() {
                return result.map(Some);
            }
            if now >= end {
                return Ok(None);
            }
            // Sleep until an edge comes, the frame in progress ends or a held edge's wait
            // for a missing one runs out. A deadline already past that produced nothing is
            // waited out briefly rather than spun on.
            let hold = self
                .held
                .values()
                .next()
                .map(|&(_, _, at)| at + REORDER_HOLD);
            let wake = [self.decoder.deadline(), hold]
                .into_iter()
                .flatten()
                .fold(end, Timestamp::min);
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
