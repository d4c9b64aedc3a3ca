//! The manual's Access Control Settings (sections 4.3.1 Local and 4.3.2 RS-485) with their
//! limits, plus the failed-attempt lockout and main-card issuing. A [`ValidSettings`] can
//! only be made by [`AccessSettings::validate`], so the engine never runs on values a user
//! could not have entered.

use core::time::Duration;

use vto_hal::Contact;

use super::ids::DoorId;

/// An inclusive range of durations in whole seconds, as the web page offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondsRange {
    /// The smallest value allowed.
    pub min: u64,
    /// The largest value allowed.
    pub max: u64,
}

impl SecondsRange {
    fn contains(self, d: Duration) -> bool {
        d >= Duration::from_secs(self.min) && d <= Duration::from_secs(self.max)
    }
}

impl core::fmt::Display for SecondsRange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}..={} s", self.min, self.max)
    }
}

/// Unlock period: 1–20 s.
pub const UNLOCK_PERIOD: SecondsRange = SecondsRange { min: 1, max: 20 };
/// Unlock responding interval: 1–20 s.
pub const RESPONDING_INTERVAL: SecondsRange = SecondsRange { min: 1, max: 20 };
/// Door-sensor check duration: 1–300 s, and not shorter than the unlock period.
pub const DOOR_SENSOR_CHECK: SecondsRange = SecondsRange { min: 1, max: 300 };
/// Window in which failed attempts are counted: 10 s–10 min.
pub const LOCKOUT_WINDOW: SecondsRange = SecondsRange { min: 10, max: 600 };
/// How long a reader stays locked out: 1–30 min.
pub const LOCKOUT_DURATION: SecondsRange = SecondsRange { min: 60, max: 1800 };
/// How long a main card's issue mode waits for a new card: 10–120 s.
pub const ISSUE_MODE_TIMEOUT: SecondsRange = SecondsRange { min: 10, max: 120 };
/// How long a keypad waits for the next key before discarding the entry: 3–60 s.
pub const KEYPAD_TIMEOUT: SecondsRange = SecondsRange { min: 3, max: 60 };
/// Failed attempts before a lockout: 3–10.
pub const MAX_FAILURES: core::ops::RangeInclusive<u8> = 3..=10;

/// The settings of one lock (the same table serves the local and the RS-485 lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockSettings {
    /// The door can only be unlocked again this long after the last unlock.
    pub responding_interval: Duration,
    /// How long the relay stays energized for one unlock.
    pub unlock_period: Duration,
    /// `Some(duration)`: the lock is not released until the door has closed, and a door
    /// unlocked longer than `duration` raises the held-open alarm. `None`: the lock is
    /// released after the unlock period whatever the door does.
    pub door_sensor_check: Option<Duration>,
    /// The door contact's type (NC or NO); the app wires the input with it.
    pub contact: Contact,
    /// Report every change of the door contact to the indoor monitors.
    pub door_sensor_sync: bool,
    /// The contact port carries a fire alarm instead of a door contact: on alarm every
    /// door unlocks and stays unlocked until the alarm clears.
    pub fire_alarm: bool,
}

impl LockSettings {
    /// Whether a door contact is fitted: the manual asks for one before the door-sensor
    /// check or the status sync can be enabled, and forced-open detection needs it too.
    pub const fn has_door_contact(&self) -> bool {
        !self.fire_alarm && (self.door_sensor_check.is_some() || self.door_sensor_sync)
    }
}

impl Default for LockSettings {
    /// A lock that opens for 2 s, at most once every 15 s, with no door contact fitted.
    fn default() -> Self {
        Self {
            responding_interval: Duration::from_secs(15),
            unlock_period: Duration::from_secs(2),
            door_sensor_check: None,
            contact: Contact::NormallyClosed,
            door_sensor_sync: false,
            fire_alarm: false,
        }
    }
}

/// Which lock non-remote methods (card, password, fingerprint) open: the manual's "Lock".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NonRemoteLock {
    /// The local lock.
    #[default]
    Local,
    /// The RS-485 lock.
    Rs485,
    /// Neither: only the exit button and remote unlocks open doors.
    Disabled,
}

impl NonRemoteLock {
    /// The door it names, if any.
    pub const fn door(self) -> Option<DoorId> {
        match self {
            Self::Local => Some(DoorId::Local),
            Self::Rs485 => Some(DoorId::Rs485),
            Self::Disabled => None,
        }
    }
}

/// Failed-attempt lockout: `max_failures` denials at one reader within `window` lock that
/// reader for `duration` and raise an alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutSettings {
    /// Denials that trigger the lockout (default 5).
    pub max_failures: u8,
    /// The window they must fall in (default 60 s).
    pub window: Duration,
    /// How long the reader refuses everything (default 5 min).
    pub duration: Duration,
}

impl Default for LockoutSettings {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::from_secs(60),
            duration: Duration::from_secs(300),
        }
    }
}

/// Everything the access engine is configured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessSettings {
    /// The local lock (manual 4.3.1).
    pub local: LockSettings,
    /// The RS-485 lock (manual 4.3.2).
    pub rs485: LockSettings,
    /// Which lock cards, passwords and fingerprints open.
    pub non_remote_lock: NonRemoteLock,
    /// Failed-attempt lockout.
    pub lockout: LockoutSettings,
    /// How long a main card's issue mode lasts (default 30 s).
    pub issue_mode_timeout: Duration,
    /// How long a keypad entry may pause between keys (default 10 s).
    pub keypad_timeout: Duration,
}

impl Default for AccessSettings {
    fn default() -> Self {
        Self {
            local: LockSettings::default(),
            rs485: LockSettings::default(),
            non_remote_lock: NonRemoteLock::Local,
            lockout: LockoutSettings::default(),
            issue_mode_timeout: Duration::from_secs(30),
            keypad_timeout: Duration::from_secs(10),
        }
    }
}

/// Why a setting was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsErrorKind {
    /// The value is outside the allowed range.
    OutOfRange,
    /// The value contradicts another setting.
    Inconsistent,
}

/// A setting outside its limits: names the field, the value and what is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field} = {value} is not allowed: {allowed}")]
pub struct SettingsError {
    field: &'static str,
    value: DisplayValue,
    allowed: &'static str,
    kind: SettingsErrorKind,
}

impl SettingsError {
    /// The setting's name, e.g. `rs485.unlock_period`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// What is wrong with it.
    pub fn kind(&self) -> SettingsErrorKind {
        self.kind
    }

    /// The allowed values, in words.
    pub fn allowed(&self) -> &'static str {
        self.allowed
    }
}

/// A refused value, printed as the user entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DisplayValue {
    Duration(Duration),
    Count(u8),
}

impl core::fmt::Display for DisplayValue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Duration(d) if d.subsec_millis() == 0 => write!(f, "{} s", d.as_secs()),
            Self::Duration(d) => write!(f, "{} ms", d.as_millis()),
            Self::Count(n) => write!(f, "{n}"),
        }
    }
}

/// Settings that passed [`AccessSettings::validate`]; the default is the manual's defaults,
/// which are valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ValidSettings(AccessSettings);

impl ValidSettings {
    /// The settings.
    pub fn get(&self) -> &AccessSettings {
        &self.0
    }

    /// The settings of `door`.
    pub fn lock(&self, door: DoorId) -> &LockSettings {
        match door {
            DoorId::Local => &self.0.local,
            DoorId::Rs485 => &self.0.rs485,
        }
    }
}

fn check(
    field: &'static str,
    value: Duration,
    range: SecondsRange,
    allowed: &'static str,
) -> Result<(), SettingsError> {
    if range.contains(value) {
        Ok(())
    } else {
        Err(SettingsError {
            field,
            value: DisplayValue::Duration(value),
            allowed,
            kind: SettingsErrorKind::OutOfRange,
        })
    }
}

impl LockSettings {
    fn validate(&self, lock: &'static [&'static str; 3]) -> Result<(), SettingsError> {
        check(lock[0], self.unlock_period, UNLOCK_PERIOD, "1 to 20 s")?;
        check(
            lock[1],
            self.responding_interval,
            RESPONDING_INTERVAL,
            "1 to 20 s",
        )?;
        if let Some(duration) = self.door_sensor_check {
            check(lock[2], duration, DOOR_SENSOR_CHECK, "1 to 300 s")?;
            if duration < self.unlock_period {
                return Err(SettingsError {
                    field: lock[2],
                    value: DisplayValue::Duration(duration),
                    allowed: "at least the unlock period",
                    kind: SettingsErrorKind::Inconsistent,
                });
            }
        }
        Ok(())
    }
}

impl AccessSettings {
    /// Checks every value against the limits in `docs/access.md`; the first one outside
    /// them is named in the error.
    pub fn validate(self) -> Result<ValidSettings, SettingsError> {
        self.local.validate(&[
            "local.unlock_period",
            "local.responding_interval",
            "local.door_sensor_check",
        ])?;
        self.rs485.validate(&[
            "rs485.unlock_period",
            "rs485.responding_interval",
            "rs485.door_sensor_check",
        ])?;
        if !MAX_FAILURES.contains(&self.lockout.max_failures) {
            return Err(SettingsError {
                field: "lockout.max_failures",
                value: DisplayValue::Count(self.lockout.max_failures),
                allowed: "3 to 10",
                kind: SettingsErrorKind::OutOfRange,
            });
        }
        check(
            "lockout.window",
            self.lockout.window,
            LOCKOUT_WINDOW,
            "10 to 600 s",
        )?;
        check(
            "lockout.duration",
            self.lockout.duration,
            LOCKOUT_DURATION,
            "60 to 1800 s",
        )?;
        check(
            "issue_mode_timeout",
            self.issue_mode_timeout,
            ISSUE_MODE_TIMEOUT,
            "10 to 120 s",
        )?;
        check(
            "keypad_timeout",
            self.keypad_timeout,
            KEYPAD_TIMEOUT,
            "3 to 60 s",
        )?;
        Ok(ValidSettings(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn defaults_are_valid() {
        assert!(AccessSettings::default().validate().is_ok());
    }

    #[test]
    fn an_unlock_period_of_21_s_is_refused_naming_the_field_and_range() {
        let mut s = AccessSettings::default();
        s.rs485.unlock_period = Duration::from_secs(21);
        let err = s.validate().unwrap_err();
        assert_eq!(err.field(), "rs485.unlock_period");
        assert_eq!(err.kind(), SettingsErrorKind::OutOfRange);
        assert_eq!(
            err.to_string(),
            "rs485.unlock_period = 21 s is not allowed: 1 to 20 s"
        );
    }

    #[test]
    fn a_check_duration_shorter_than_the_unlock_period_is_inconsistent() {
        let mut s = AccessSettings::default();
        s.local.unlock_period = Duration::from_secs(10);
        s.local.door_sensor_check = Some(Duration::from_secs(5));
        let err = s.validate().unwrap_err();
        assert_eq!(err.field(), "local.door_sensor_check");
        assert_eq!(err.kind(), SettingsErrorKind::Inconsistent);
    }

    #[test]
    fn sub_second_values_are_printed_in_milliseconds() {
        let mut s = AccessSettings::default();
        s.local.unlock_period = Duration::from_millis(500);
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "local.unlock_period = 500 ms is not allowed: 1 to 20 s"
        );
    }

    #[test]
    fn lockout_limits_are_enforced() {
        let mut s = AccessSettings::default();
        s.lockout.max_failures = 2;
        assert_eq!(s.validate().unwrap_err().field(), "lockout.max_failures");
        let mut s = AccessSettings::default();
        s.lockout.duration = Duration::from_secs(59);
        assert_eq!(s.validate().unwrap_err().field(), "lockout.duration");
    }
}
