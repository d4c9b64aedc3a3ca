use std::collections::VecDeque;
use std::sync::Arc;

use super::waiter::Shared;
use super::{SimClock, SimError};
use crate::debounce::{Debouncer, WindowOutOfRange};
use crate::error::ErrorType;
use crate::input::{Input, InputEvent, InputState};
use crate::time::{Clock, Duration, Timestamp};

/// A fault of an input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFault {
    /// Every change springs back this many times, `spacing` apart, before it settles
    /// (a worn contact).
    Bouncing {
        /// Extra edges before the line settles.
        bounces: u32,
        /// Time between them.
        spacing: Duration,
    },
}

#[derive(Debug)]
struct LineState<S> {
    /// The level the line is at after the last scheduled edge.
    level: S,
    /// Raw edges not yet seen by the device, in time order.
    edges: VecDeque<(S, Timestamp)>,
    fault: Option<InputFault>,
}

/// A simulated debounced input (door contact, button, fire alarm, tamper switch).
#[derive(Debug)]
pub struct SimInput<S> {
    shared: Arc<Shared<LineState<S>>>,
    clock: SimClock,
    debouncer: Debouncer<S>,
    /// Settled changes not yet handed out by `wait_event`.
    settled: VecDeque<InputEvent<S>>,
}

/// The outside world's hand on a [`SimInput`]'s line.
#[derive(Debug, Clone)]
pub struct InputControl<S> {
    shared: Arc<Shared<LineState<S>>>,
    clock: SimClock,
}

pub(super) fn pair<S: InputState>(
    clock: SimClock,
    initial: S,
    window: Duration,
) -> Result<(SimInput<S>, InputControl<S>), WindowOutOfRange> {
    let debouncer = Debouncer::new(initial, window)?;
    let shared = Arc::new(Shared::new(LineState {
        level: initial,
        edges: VecDeque::new(),
        fault: None,
    }));
    Ok((
        SimInput {
            shared: shared.clone(),
            clock: clock.clone(),
            debouncer,
            settled: VecDeque::new(),
        },
        InputControl { shared, clock },
    ))
}

impl<S: InputState> InputControl<S> {
    /// The time the next edge can happen: now, or after the last one already scheduled.
    fn next_slot(line: &LineState<S>, now: Timestamp) -> Timestamp {
        line.edges
            .back()
            .map_or(now, |(_, t)| (*t + Duration::from_micros(1)).max(now))
    }

    /// Schedules a move to `state` in which the contact springs back `bounces` times,
    /// `spacing` apart, before it settles: `2 × bounces + 1` edges.
    fn schedule(
        line: &mut LineState<S>,
        now: Timestamp,
        state: S,
        bounces: u32,
        spacing: Duration,
    ) {
        let back = line.level;
        let mut t = Self::next_slot(line, now);
        for _ in 0..bounces {
            line.edges.push_back((state, t));
            line.edges.push_back((back, t + spacing));
            t = t + spacing * 2;
        }
        line.edges.push_back((state, t));
        line.level = state;
    }

    /// Moves the line to `state` (with the injected bounce, if any).
    pub fn set(&self, state: S) {
        let now = self.clock.now();
        self.shared.update(|line| {
            if line.level == state {
                return;
            }
            let (bounces, spacing) = match line.fault {
                Some(InputFault::Bouncing { bounces, spacing }) => (bounces, spacing),
                None => (0, Duration::ZERO),
            };
            Self::schedule(line, now, state, bounces, spacing);
        });
    }

    /// Moves the line to `state`, springing back `bounces` times 1 ms apart on the way.
    pub fn bounce(&self, state: S, bounces: u32) {
        let now = self.clock.now();
        self.shared
            .update(|line| Self::schedule(line, now, state, bounces, Duration::from_millis(1)));
    }

    /// Flips the line for `width` and back: a button press, or noise when `width` is
    /// shorter than the debounce window.
    pub fn pulse(&self, width: Duration) {
        let now = self.clock.now();
        self.shared.update(|line| {
            let back = line.level;
            let away = if back.is_active() {
                S::INACTIVE
            } else {
                S::ACTIVE
            };
            let t = Self::next_slot(line, now);
            line.edges.push_back((away, t));
            line.edges.push_back((back, t + width));
        });
    }

    /// The level the line is at (or will be, once scheduled bounces are over).
    pub fn level(&self) -> S {
        self.shared.lock().level
    }

    /// Makes the line misbehave from now on.
    pub fn inject(&self, fault: InputFault) {
        self.shared.update(|line| line.fault = Some(fault));
    }

    /// Makes the line behave again.
    pub fn repair(&self) {
        self.shared.update(|line| line.fault = None);
    }
}

impl<S: InputState> SimInput<S> {
    /// Feeds the debouncer every edge up to `now`, queueing the changes that settle.
    fn catch_up(&mut self, line: &mut LineState<S>, now: Timestamp) {
        while let Some(&(state, at)) = line.edges.front() {
            if at > now {
                break;
            }
            line.edges.pop_front();
            self.settled.extend(self.debouncer.observe(state, at));
        }
        self.settled.extend(self.debouncer.poll(now));
    }
}

impl<S: InputState> ErrorType for SimInput<S> {
    type Error = SimError;
}

impl<S: InputState> Input for SimInput<S> {
    type State = S;

    fn state(&mut self) -> Result<S, SimError> {
        let shared = self.shared.clone();
        let mut line = shared.lock();
        // Changes that settle here are queued for wait_event, not lost.
        self.catch_up(&mut line, self.clock.now());
        Ok(self.debouncer.state())
    }

    fn wait_event(&mut self, timeout: Duration) -> Result<Option<InputEvent<S>>, SimError> {
        let shared = self.shared.clone();
        let end = self.clock.now() + timeout;
        let mut line = shared.lock();
        loop {
            let now = self.clock.now();
            self.catch_up(&mut line, now);
            if let Some(event) = self.settled.pop_front() {
                return Ok(Some(event));
            }
            if now >= end {
                return Ok(None);
            }
            let next_edge = line.edges.front().map(|(_, t)| *t);
            let wake = [next_edge, self.debouncer.deadline(), Some(end)]
                .into_iter()
                .flatten()
                .min();
            line = shared.wait_until(line, &self.clock, wake.unwrap_or(end));
        }
    }
}
