//! Local Settings > Access Control Settings (manual 4.3.1 Local, 4.3.2 RS-485): the two
//! locks, mapped field for field onto `vto_core::access::AccessSettings` and checked by the
//! core's own `validate`, plus what the core does not hold (the DTMF unlock commands and
//! "IC Card Encrypt").

use core::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vto_core::access::{
    AccessSettings, LockSettings, LockoutSettings, NonRemoteLock, ValidSettings,
};

use super::check::range;
use super::{FieldError, Section};

/// The longest DTMF unlock command, in keys.
pub const MAX_UNLOCK_COMMAND_LEN: usize = 8;

/// The manual's "Access Control Settings", both locks.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AccessControl {
    /// The local lock (the station's relay, manual 4.3.1).
    pub local: LockSection,
    /// The lock on the RS-485 port (manual 4.3.2).
    pub rs485: LockSection,
    /// "Lock": which lock cards, passwords and fingerprints open. Default the local lock.
    pub lock: NonRemoteLockSetting,
    /// "First Unlock Command": DTMF keys a caller (a SIP phone) sends to open the local
    /// lock; 1–8 of `0-9*#`. Default `123`.
    pub first_unlock_command: String,
    /// "Second Unlock Command": DTMF keys that open the RS-485 lock; 1–8 of `0-9*#`, not
    /// the first command nor starting with it (or it with this). Default `456`.
    pub second_unlock_command: String,
    /// "IC Card Encrypt": cards issued by the station are written encrypted (needs a
    /// reader that can write cards). Default off.
    pub ic_card_encrypt: bool,
    /// Failed-attempt lockout per reader.
    pub lockout: Lockout,
    /// How long a main card's issue mode waits for a new card, 10–120 s. Default 30 s.
    pub issue_mode_timeout_s: u64,
    /// How long a keypad entry may pause between keys, 3–60 s. Default 10 s.
    pub keypad_timeout_s: u64,
}

/// One lock's parameters (the same table serves both locks).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LockSection {
    /// "Unlock Responding Interval": the door can be unlocked again only after this,
    /// 1–20 s. Default 15 s.
    pub responding_interval_s: u64,
    /// "Unlock Period": how long the lock stays unlocked, 1–20 s. Default 2 s.
    pub unlock_period_s: u64,
    /// "Door Sensor Check Duration" switch: the lock is not released until the door has
    /// closed, and a door unlocked longer than the duration raises the door-sensor alarm.
    /// Needs a door contact. Default off.
    pub door_sensor_check: bool,
    /// The duration, 1–300 s and not shorter than the unlock period when the check is on.
    /// Default 60 s.
    pub door_sensor_check_s: u64,
    /// "Door Contact Type": NC or NO. Default NC.
    pub door_contact_type: DoorContactType,
    /// "Door Sensor Enable": every change of the door contact goes to the indoor monitors.
    /// Default off.
    pub door_sensor_sync: bool,
    /// "Fire Alarm": the contact port carries a fire alarm instead of a door contact; on
    /// alarm every door unlocks until it clears. Default off.
    pub fire_alarm: bool,
}

/// "Door Contact Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum DoorContactType {
    /// Normally closed: a cut wire reads as an open door.
    #[default]
    Nc,
    /// Normally open.
    No,
}

/// "Lock": the door non-remote methods open.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum NonRemoteLockSetting {
    /// The local lock.
    #[default]
    Local,
    /// The RS-485 lock.
    Rs485,
    /// Neither: only the exit button and remote unlocks open doors.
    Disabled,
}

/// The failed-attempt lockout.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Lockout {
    /// Denials at one reader that lock it, 3–10. Default 5.
    pub max_failures: u8,
    /// The window they must fall in, 10–600 s. Default 60 s.
    pub window_s: u64,
    /// How long the reader then refuses everything, 60–1800 s. Default 300 s.
    pub duration_s: u64,
}

impl Default for Lockout {
    fn default() -> Self {
        let core = LockoutSettings::default();
        Self {
            max_failures: core.max_failures,
            window_s: core.window.as_secs(),
            duration_s: core.duration.as_secs(),
        }
    }
}

impl LockSection {
    fn from_core(core: &LockSettings) -> Self {
        Self {
            responding_interval_s: core.responding_interval.as_secs(),
            unlock_period_s: core.unlock_period.as_secs(),
            door_sensor_check: core.door_sensor_check.is_some(),
            door_sensor_check_s: core.door_sensor_check.map_or(60, |d| d.as_secs()),
            door_contact_type: match core.contact {
                vto_hal::Contact::NormallyOpen => DoorContactType::No,
                vto_hal::Contact::NormallyClosed => DoorContactType::Nc,
            },
            door_sensor_sync: core.door_sensor_sync,
            fire_alarm: core.fire_alarm,
        }
    }

    fn to_core(&self) -> LockSettings {
        LockSettings {
            responding_interval: Duration::from_secs(self.responding_interval_s),
            unlock_period: Duration::from_secs(self.unlock_period_s),
            door_sensor_check: self
                .door_sensor_check
                .then(|| Duration::from_secs(self.door_sensor_check_s)),
            contact: match self.door_contact_type {
                DoorContactType::Nc => vto_hal::Contact::NormallyClosed,
                DoorContactType::No => vto_hal::Contact::NormallyOpen,
            },
            door_sensor_sync: self.door_sensor_sync,
            fire_alarm: self.fire_alarm,
        }
    }
}

impl Default for LockSection {
    fn default() -> Self {
        Self::from_core(&LockSettings::default())
    }
}

impl Default for AccessControl {
    /// The core's defaults, which are the manual's, plus commands `123` and `456`.
    fn default() -> Self {
        let core = AccessSettings::default();
        Self {
            local: LockSection::from_core(&core.local),
            rs485: LockSection::from_core(&core.rs485),
            lock: match core.non_remote_lock {
                NonRemoteLock::Local => NonRemoteLockSetting::Local,
                NonRemoteLock::Rs485 => NonRemoteLockSetting::Rs485,
                NonRemoteLock::Disabled => NonRemoteLockSetting::Disabled,
            },
            first_unlock_command: "123".into(),
            second_unlock_command: "456".into(),
            ic_card_encrypt: false,
            lockout: Lockout::default(),
            issue_mode_timeout_s: core.issue_mode_timeout.as_secs(),
            keypad_timeout_s: core.keypad_timeout.as_secs(),
        }
    }
}

impl AccessControl {
    /// The settings as the core takes them, unchecked.
    pub fn to_core_unchecked(&self) -> AccessSettings {
        AccessSettings {
            local: self.local.to_core(),
            rs485: self.rs485.to_core(),
            non_remote_lock: match self.lock {
                NonRemoteLockSetting::Local => NonRemoteLock::Local,
                NonRemoteLockSetting::Rs485 => NonRemoteLock::Rs485,
                NonRemoteLockSetting::Disabled => NonRemoteLock::Disabled,
            },
            lockout: LockoutSettings {
                max_failures: self.lockout.max_failures,
                window: Duration::from_secs(self.lockout.window_s),
                duration: Duration::from_secs(self.lockout.duration_s),
            },
            issue_mode_timeout: Duration::from_secs(self.issue_mode_timeout_s),
            keypad_timeout: Duration::from_secs(self.keypad_timeout_s),
        }
    }

    /// The settings checked by the core's own `AccessSettings::validate`, with its error
    /// renamed to this section's field (`local.unlock_period` → `local.unlock_period_s`).
    pub fn to_core(&self) -> Result<ValidSettings, FieldError> {
        self.to_core_unchecked().validate().map_err(|e| {
            let field = core_field(e.field());
            let value = self.value_of(field);
            FieldError::new(field, value, e.allowed())
        })
    }

    fn value_of(&self, field: &str) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| field.split('.').try_fold(v, |v, k| v.get(k).cloned()))
            .map_or_else(|| "?".to_owned(), |v| v.to_string())
    }

    fn check_commands(&self) -> Result<(), FieldError> {
        for (field, cmd) in [
            ("first_unlock_command", &self.first_unlock_command),
            ("second_unlock_command", &self.second_unlock_command),
        ] {
            let ok = !cmd.is_empty()
                && cmd.len() <= MAX_UNLOCK_COMMAND_LEN
                && cmd
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'*' || b == b'#');
            if !ok {
                return Err(FieldError::new(
                    field,
                    format!("{cmd:?}"),
                    "1 to 8 DTMF keys: 0-9, * and #",
                ));
            }
        }
        let (a, b) = (&self.first_unlock_command, &self.second_unlock_command);
        if a.starts_with(b.as_str()) || b.starts_with(a.as_str()) {
            return Err(FieldError::new(
                "second_unlock_command",
                format!("{b:?}"),
                format!("a command that neither starts with nor begins the first command ({a:?}), so each key sequence opens one lock"),
            ));
        }
        Ok(())
    }
}

/// The section's field for a field name of `vto_core`'s `SettingsError`.
fn core_field(core: &str) -> &'static str {
    match core {
        "local.unlock_period" => "local.unlock_period_s",
        "local.responding_interval" => "local.responding_interval_s",
        "local.door_sensor_check" => "local.door_sensor_check_s",
        "rs485.unlock_period" => "rs485.unlock_period_s",
        "rs485.responding_interval" => "rs485.responding_interval_s",
        "rs485.door_sensor_check" => "rs485.door_sensor_check_s",
        "lockout.max_failures" => "lockout.max_failures",
        "lockout.window" => "lockout.window_s",
        "lockout.duration" => "lockout.duration_s",
        "issue_mode_timeout" => "issue_mode_timeout_s",
        "keypad_timeout" => "keypad_timeout_s",
        _ => "",
    }
}

impl Section for AccessControl {
    const NAME: &'static str = "local.access_control";
    const PAGE: &'static str = "Local Settings > Access Control Settings";

    fn validate(&self) -> Result<(), FieldError> {
        // The duration is kept while the check is off, so it must be valid either way.
        for (prefix, lock) in [("local", &self.local), ("rs485", &self.rs485)] {
            range(
                "door_sensor_check_s",
                lock.door_sensor_check_s,
                1..=300,
                "s",
            )
            .map_err(|e| e.within(prefix))?;
        }
        self.to_core()?;
        self.check_commands()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_cores_defaults() {
        let core = AccessControl::default().to_core().expect("valid defaults");
        assert_eq!(*core.get(), AccessSettings::default());
        assert_eq!(core, ValidSettings::default());
    }

    #[test]
    fn every_core_field_has_a_section_field() {
        let s = AccessControl::default();
        for core in [
            "local.unlock_period",
            "local.responding_interval",
            "local.door_sensor_check",
            "rs485.unlock_period",
            "rs485.responding_interval",
            "rs485.door_sensor_check",
            "lockout.max_failures",
            "lockout.window",
            "lockout.duration",
            "issue_mode_timeout",
            "keypad_timeout",
        ] {
            assert_ne!(s.value_of(core_field(core)), "?", "{core}");
        }
    }

    #[test]
    fn a_core_refusal_names_the_section_field_and_value() {
        let mut s = AccessControl::default();
        s.rs485.unlock_period_s = 21;
        let e = s.validate().expect_err("21 s is too long");
        assert_eq!(e.field, "rs485.unlock_period_s");
        assert_eq!(e.value, "21");
        assert_eq!(e.allowed, "1 to 20 s");
    }

    #[test]
    fn a_check_shorter_than_the_unlock_period_is_refused_only_when_on() {
        let mut s = AccessControl::default();
        s.local.unlock_period_s = 10;
        s.local.door_sensor_check_s = 5;
        assert!(s.validate().is_ok());
        s.local.door_sensor_check = true;
        assert_eq!(
            s.validate().map_err(|e| e.field),
            Err("local.door_sensor_check_s".into())
        );
    }

    #[test]
    fn unlock_commands_are_dtmf_and_do_not_shadow_each_other() {
        let mut s = AccessControl {
            first_unlock_command: "12a".into(),
            ..AccessControl::default()
        };
        assert_eq!(
            s.validate().map_err(|e| e.field),
            Err("first_unlock_command".into())
        );
        s.first_unlock_command = "12".into();
        s.second_unlock_command = "123".into();
        assert_eq!(
            s.validate().map_err(|e| e.field),
            Err("second_unlock_command".into())
        );
        s.second_unlock_command = "*9#".into();
        assert!(s.validate().is_ok());
    }
}
