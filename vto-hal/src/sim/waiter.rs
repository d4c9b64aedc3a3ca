//! Blocking waits that respect the clock mode.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::SimClock;
use crate::time::{Clock, Timestamp};

/// A device's state shared with its outside-world handle, with a way to wait for change.
#[derive(Debug, Default)]
pub(crate) struct Shared<T> {
    state: Mutex<T>,
    changed: Condvar,
}

impl<T> Shared<T> {
    pub(crate) fn new(state: T) -> Self {
        Self {
            state: Mutex::new(state),
            changed: Condvar::new(),
        }
    }

    /// Locks the state. A panic in another holder cannot corrupt plain data here, so a
    /// poisoned lock is used as is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes the state and wakes waiters.
    pub(crate) fn update<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let r = f(&mut self.lock());
        self.changed.notify_all();
        r
    }

    /// Waits until `wake` or a change. A manual clock jumps to `wake` instead of waiting,
    /// since in a deterministic test nothing else can happen before it.
    pub(crate) fn wait_until<'a>(
        &'a self,
        guard: MutexGuard<'a, T>,
        clock: &SimClock,
        wake: Timestamp,
    ) -> MutexGuard<'a, T> {
        if clock.is_manual() {
            clock.advance_to(wake);
            return guard;
        }
        let d = wake - clock.now();
        if d.is_zero() {
            return guard;
        }
        match self.changed.wait_timeout(guard, d) {
            Ok((g, _)) => g,
            Err(poisoned) => poisoned.into_inner().0,
        }
    }
}
