//! A debounced input on kernel edge events.

use std::collections::VecDeque;

use gpiocdev::line::{EdgeDetection, EdgeKind, EventClock, Value};
use gpiocdev::Request;

use super::error::LinuxError;
use super::events::EdgeEvents;
use super::line::{LineSpec, ResolvedLine};
use crate::debounce::Debouncer;
use crate::error::ErrorType;
use crate::input::{Input, InputEvent, InputState};
use crate::level::{Bias, InputConfig, InputWiring, Level};
use crate::time::{Clock, Duration, MonotonicClock, Timestamp};

/// An input line watched through the kernel's edge events.
///
/// The kernel timestamps every edge on `CLOCK_MONOTONIC` in its interrupt handler, so the
/// [`Debouncer`] works on when the contact moved, not on when this thread woke up; and
/// [`wait_event`](Input::wait_event) sleeps in `poll(2)` until the next edge or the
/// debounce deadline, whichever is first. Nothing is sampled, nothing sleeps blindly.
///
/// The state at open is read from the line and taken as settled. Before a change is
/// reported the line is read once more to confirm it, so an edge the kernel merged or lost
/// cannot turn a spike into a change.
#[derive(Debug)]
pub struct EdgeInput<S> {
    req: Request,
    events: EdgeEvents,
    line: ResolvedLine,
    wiring: InputWiring,
    debouncer: Debouncer<S>,
    ready: VecDeque<InputEvent<S>>,
    last_seqno: Option<u32>,
    clock: MonotonicClock,
}

impl<S: InputState> EdgeInput<S> {
    /// Requests the line as an input with both-edge detection, labelled "vto".
    pub fn open(spec: &LineSpec, config: InputConfig) -> Result<Self, LinuxError> {
        let line = spec.resolve()?;
        let mut builder = line.builder();
        builder
            .as_input()
            .with_bias(cdev_bias(config.bias))
            .with_edge_detection(EdgeDetection::BothEdges)
            .with_event_clock(EventClock::Monotonic);
        let req = line.request(&mut builder)?;
        let value = req
            .value(line.offset())
            .map_err(|e| line.error("reading the line", e))?;
        let initial = config.wiring.interpret::<S>(level(value));
        let debouncer =
            Debouncer::new(initial, config.window).map_err(|reason| LinuxError::Window {
                line: line.to_string(),
                reason,
            })?;
        Ok(Self {
            events: EdgeEvents::new(&req, 16),
            req,
            line,
            wiring: config.wiring,
            debouncer,
            ready: VecDeque::new(),
            last_seqno: None,
            clock: MonotonicClock,
        })
    }

    /// The line the input is on.
    pub fn line(&self) -> &ResolvedLine {
        &self.line
    }

    /// Feeds every edge the kernel has buffered to the debouncer, without blocking.
    fn pump(&mut self) -> Result<(), LinuxError> {
        let mut gap_at = None;
        while let Some(ev) = self
            .events
            .next(&self.req)
            .map_err(|e| self.line.error("reading an edge", e))?
        {
            let at = Timestamp::from_nanos(ev.timestamp_ns);
            if self
                .last_seqno
                .is_some_and(|last| ev.line_seqno != last.wrapping_add(1))
            {
                gap_at = Some(at);
            }
            self.last_seqno = Some(ev.line_seqno);
            let raw = self.wiring.interpret::<S>(match ev.kind {
                EdgeKind::Rising => Level::High,
                EdgeKind::Falling => Level::Low,
            });
            self.ready.extend(self.debouncer.observe(raw, at));
        }
        if let Some(at) = gap_at {
            // The kernel buffer overflowed and dropped edges: the last edge kind may not be
            // where the line is now, so resynchronise on the line itself.
            let value = self
                .req
                .value(self.line.offset())
                .map_err(|e| self.line.error("reading the line", e))?;
            let raw = self.wiring.interpret::<S>(level(value));
            self.ready.extend(self.debouncer.observe(raw, at));
        }
        Ok(())
    }

    /// Before a pending change settles, reads the line once to confirm it.
    ///
    /// An edge can go missing without a trace: two edges before the kernel's interrupt
    /// thread runs become one event (with the later level), and gpio-sim drops an edge
    /// outright in that case. A spike could then look like a change. The level read is fed
    /// just before the deadline, so a line that came back restarts the window and ends as
    /// a glitch, and a confirmed one settles as usual.
    fn confirm(&mut self, now: Timestamp) -> Result<(), LinuxError> {
        let Some(deadline) = self.debouncer.deadline() else {
            return Ok(());
        };
        if now < deadline {
            return Ok(());
        }
        let value = self
            .req
            .value(self.line.offset())
            .map_err(|e| self.line.error("reading the line", e))?;
        let raw = self.wiring.interpret::<S>(level(value));
        let at = Timestamp::from_nanos(deadline.as_nanos().saturating_sub(1));
        self.ready.extend(self.debouncer.observe(raw, at));
        Ok(())
    }

    /// The next settled change at `now`, from the queue or the debouncer.
    fn next_event(&mut self, now: Timestamp) -> Result<Option<InputEvent<S>>, LinuxError> {
        if let Some(event) = self.ready.pop_front() {
            return Ok(Some(event));
        }
        self.confirm(now)?;
        Ok(self.ready.pop_front().or_else(|| self.debouncer.poll(now)))
    }
}

impl<S> ErrorType for EdgeInput<S> {
    type Error = LinuxError;
}

impl<S: InputState> Input for EdgeInput<S> {
    type State = S;

    fn state(&mut self) -> Result<S, LinuxError> {
        self.pump()?;
        let now = self.clock.now();
        self.confirm(now)?;
        if let Some(event) = self.debouncer.poll(now) {
            self.ready.push_back(event);
        }
        Ok(self.debouncer.state())
    }

    fn wait_event(&mut self, timeout: Duration) -> Result<Option<InputEvent<S>>, LinuxError> {
        let end = self.clock.now() + timeout;
        loop {
            self.pump()?;
            let now = self.clock.now();
            if let Some(event) = self.next_event(now)? {
                return Ok(Some(event));
            }
            if now >= end {
                return Ok(None);
            }
            // Sleep until an edge comes or the pending change settles.
            let wake = self.debouncer.deadline().map_or(end, |d| d.min(end));
            self.req
                .wait_edge_event(wake - now)
                .map_err(|e| self.line.error("waiting for an edge", e))?;
        }
    }
}

/// The level a line value is (requests are active-high: polarity lives in the wiring).
pub(crate) fn level(value: Value) -> Level {
    match value {
        Value::Active => Level::High,
        Value::Inactive => Level::Low,
    }
}

/// The gpiocdev bias, `None` for [`Bias::AsIs`].
pub(crate) fn cdev_bias(bias: Bias) -> Option<gpiocdev::line::Bias> {
    match bias {
        Bias::PullUp => Some(gpiocdev::line::Bias::PullUp),
        Bias::PullDown => Some(gpiocdev::line::Bias::PullDown),
        Bias::Disabled => Some(gpiocdev::line::Bias::Disabled),
        Bias::AsIs => None,
    }
}
