//! Assembles `user # password #` from single key presses, whether they come from the
//! station's keypad or as keypad bursts from a Wiegand reader.

use core::time::Duration;

use vto_hal::wiegand::format::Key;

use super::ids::UserId;
use super::password::{Password, MAX_PASSWORD_LEN};
use crate::time::Instant;

/// The most digits a user number may have.
const MAX_USER_DIGITS: usize = 9;

/// What a key press led to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeyOutcome {
    /// Keep typing.
    Pending,
    /// A complete entry.
    Entered(UserId, Password),
    /// The entry was thrown away (`*`, an empty or impossible field).
    Discarded,
}

/// One keypad's entry in progress.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeypadEntry {
    user: Option<u32>,
    user_digits: usize,
    password: [u8; MAX_PASSWORD_LEN],
    password_len: usize,
    /// `true` once `#` ended the user number.
    in_password: bool,
    last_key: Option<Instant>,
}

impl KeypadEntry {
    /// When the entry is thrown away if no key comes.
    pub(crate) fn deadline(&self, timeout: Duration) -> Option<Instant> {
        self.last_key.map(|at| at + timeout)
    }

    /// Throws the entry away if it has waited `timeout`; returns whether it did.
    pub(crate) fn on_timeout(&mut self, now: Instant, timeout: Duration) -> bool {
        match self.deadline(timeout) {
            Some(at) if now >= at => {
                self.reset();
                true
            }
            _ => false,
        }
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    /// Takes one key.
    pub(crate) fn key(&mut self, now: Instant, key: Key) -> KeyOutcome {
        self.last_key = Some(now);
        match key {
            Key::Star => {
                self.reset();
                KeyOutcome::Discarded
            }
            Key::Digit(d) if d <= 9 => {
                if self.in_password {
                    if self.password_len == MAX_PASSWORD_LEN {
                        self.reset();
                        return KeyOutcome::Discarded;
                    }
                    self.password[self.password_len] = b'0' + d;
                    self.password_len += 1;
                } else {
                    if self.user_digits == MAX_USER_DIGITS {
                        self.reset();
                        return KeyOutcome::Discarded;
                    }
                    self.user = Some(self.user.unwrap_or(0) * 10 + u32::from(d));
                    self.user_digits += 1;
                }
                KeyOutcome::Pending
            }
            Key::Digit(_) => {
                self.reset();
                KeyOutcome::Discarded
            }
            Key::Hash if !self.in_password => match self.user.and_then(UserId::new) {
                Some(_) => {
                    self.in_password = true;
                    KeyOutcome::Pending
                }
                None => {
                    self.reset();
                    KeyOutcome::Discarded
                }
            },
            Key::Hash => {
                let entry = self
                    .user
                    .and_then(UserId::new)
                    .zip(Password::new(&self.password[..self.password_len]));
                self.password = [0; MAX_PASSWORD_LEN];
                self.reset();
                match entry {
                    Some((user, password)) => KeyOutcome::Entered(user, password),
                    None => KeyOutcome::Discarded,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_keys(entry: &mut KeypadEntry, keys: &str) -> KeyOutcome {
        let mut last = KeyOutcome::Pending;
        for c in keys.chars() {
            let key = match c {
                '*' => Key::Star,
                '#' => Key::Hash,
                d => Key::Digit(d.to_digit(10).unwrap() as u8),
            };
            last = entry.key(Instant::ZERO, key);
        }
        last
    }

    #[test]
    fn user_hash_password_hash_is_one_entry() {
        let mut entry = KeypadEntry::default();
        assert_eq!(
            type_keys(&mut entry, "101#4711#"),
            KeyOutcome::Entered(UserId::new(101).unwrap(), Password::new(b"4711").unwrap())
        );
        assert_eq!(entry.deadline(Duration::from_secs(10)), None);
    }

    #[test]
    fn star_empty_fields_and_overlong_entries_are_discarded() {
        let mut entry = KeypadEntry::default();
        assert_eq!(type_keys(&mut entry, "10*"), KeyOutcome::Discarded);
        assert_eq!(type_keys(&mut entry, "#"), KeyOutcome::Discarded);
        assert_eq!(type_keys(&mut entry, "0#"), KeyOutcome::Discarded);
        assert_eq!(type_keys(&mut entry, "5##"), KeyOutcome::Discarded);
        assert_eq!(type_keys(&mut entry, "1234567890"), KeyOutcome::Discarded);
    }

    #[test]
    fn a_pause_longer_than_the_timeout_discards_the_entry() {
        let mut entry = KeypadEntry::default();
        entry.key(Instant::ZERO, Key::Digit(1));
        let timeout = Duration::from_secs(10);
        assert!(!entry.on_timeout(Instant::from_millis(9_999), timeout));
        assert!(entry.on_timeout(Instant::from_millis(10_000), timeout));
        assert_eq!(entry.deadline(timeout), None);
    }
}
