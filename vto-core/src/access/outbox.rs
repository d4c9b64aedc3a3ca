//! The queue of outputs waiting for [`poll_output`](super::AccessControl::poll_output).

use alloc::collections::VecDeque;

use super::event::{AccessEvent, EventKind, Output};
use crate::time::Instant;

/// Outputs in the order they were decided. Its capacity is reserved up front and reused,
/// so a decision does not allocate as long as the caller drains it.
#[derive(Debug)]
pub(crate) struct Outbox(VecDeque<Output>);

impl Outbox {
    /// Room for the outputs of a burst of decisions before the caller drains them.
    const CAPACITY: usize = 64;

    pub(crate) fn new() -> Self {
        Self(VecDeque::with_capacity(Self::CAPACITY))
    }

    pub(crate) fn push(&mut self, output: Output) {
        self.0.push_back(output);
    }

    pub(crate) fn record(&mut self, at: Instant, kind: EventKind) {
        self.0
            .push_back(Output::RecordEvent(AccessEvent { at, kind }));
    }

    pub(crate) fn pop(&mut self) -> Option<Output> {
        self.0.pop_front()
    }
}
