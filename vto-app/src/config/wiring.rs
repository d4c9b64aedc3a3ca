//! Locks, buttons and switches: which pin each one is on and how it is wired
//! (`[locks.local]`, `[locks.rs485]`, `[inputs]`, `[debounce]`).

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::pin::{polarity, InputPin, Pin, PortPin};
use super::validate::{in_range, Checker};

/// The two locks of the manual's Access Control Settings (4.3.1 Local, 4.3.2 RS-485).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LocksConfig {
    /// The station's own lock relay and door contact.
    pub local: LockWiring,
    /// The second lock, on the RS-485 port or on a second relay.
    pub rs485: Rs485LockWiring,
}

/// The local lock: a relay on a GPIO and the contact port next to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LockWiring {
    /// The relay's coil line; required by the `linux` and `rpi` backends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay: Option<Pin>,
    /// The relay board pulls in on a low line (most opto-isolated boards); default false.
    pub active_low: bool,
    /// The door-contact input (or fire-alarm input, by runtime setting); absent if none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<PortPin>,
}

impl LockWiring {
    /// The hal polarity of the relay line.
    pub fn polarity(&self) -> vto_hal::Polarity {
        polarity(self.active_low)
    }
}

/// Bus addresses a lock controller can have (the Modbus RTU slave range).
pub const RS485_ADDRESS_RANGE: core::ops::RangeInclusive<u32> = 1..=247;

/// The second lock: a lock controller on the `[rs485]` bus, or a relay pin like the local
/// lock on boards without a bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rs485LockWiring {
    /// A relay driving the second lock directly; leave out when `[rs485]` drives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay: Option<Pin>,
    /// The relay board pulls in on a low line; default false.
    pub active_low: bool,
    /// The lock controller's address on the bus, 1..=247; default 1.
    pub address: u32,
    /// The door-contact (or fire-alarm) input of the second door; absent if none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<PortPin>,
}

impl Default for Rs485LockWiring {
    fn default() -> Self {
        Self {
            relay: None,
            active_low: false,
            address: 1,
            contact: None,
        }
    }
}

impl Rs485LockWiring {
    /// The hal polarity of the relay line.
    pub fn polarity(&self) -> vto_hal::Polarity {
        polarity(self.active_low)
    }
}

impl LocksConfig {
    pub(crate) fn check(&self, c: &mut Checker, bus: bool) -> Result<(), ConfigError> {
        c.required(
            "locks.local.relay",
            &self.local.relay,
            "the local lock's relay pin",
        )?;
        if let Some(p) = &self.local.relay {
            c.pin("locks.local.relay", p.resolve())?;
        }
        if let Some(p) = &self.local.contact {
            c.pin("locks.local.contact", p.resolve())?;
        }
        if let Some(p) = &self.rs485.relay {
            c.pin("locks.rs485.relay", p.resolve())?;
            if bus {
                return Err(ConfigError::invalid(
                    "locks.rs485.relay",
                    p.spec().map_or_else(String::new, |s| s.to_string()),
                    "the second lock is driven either by this relay or by the [rs485] bus, not both; remove one",
                ));
            }
        }
        in_range(
            "locks.rs485.address",
            self.rs485.address,
            RS485_ADDRESS_RANGE,
        )?;
        if let Some(p) = &self.rs485.contact {
            c.pin("locks.rs485.contact", p.resolve())?;
        }
        Ok(())
    }
}

/// The most call buttons a panel may have (one per household on small apartment panels).
pub const MAX_CALL_BUTTONS: usize = 16;

/// Buttons and switches other than the locks' contact ports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputsConfig {
    /// The exit (request-to-exit) button inside, which opens the local lock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_button: Option<InputPin>,
    /// The call buttons, in panel order (a villa station has one); at most 16.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub call_buttons: Vec<InputPin>,
    /// The case's tamper switch (usually `contact = "nc"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tamper: Option<InputPin>,
}

impl InputsConfig {
    pub(crate) fn check(&self, c: &mut Checker) -> Result<(), ConfigError> {
        if let Some(p) = &self.exit_button {
            c.pin("inputs.exit_button", p.resolve())?;
        }
        if self.call_buttons.len() > MAX_CALL_BUTTONS {
            return Err(ConfigError::out_of_range(
                "inputs.call_buttons",
                format!("{} buttons", self.call_buttons.len()),
                format!("0..={MAX_CALL_BUTTONS} buttons"),
            ));
        }
        for (i, p) in self.call_buttons.iter().enumerate() {
            c.pin(&format!("inputs.call_buttons[{i}]"), p.resolve())?;
        }
        if let Some(p) = &self.tamper {
            c.pin("inputs.tamper", p.resolve())?;
        }
        Ok(())
    }
}

/// How long a contact or button must hold a change before it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DebounceConfig {
    /// The window in milliseconds, 0..=1000 (vto-hal's limits); default 20.
    pub window_ms: u64,
}

impl Default for DebounceConfig {
    fn default() -> Self {
        Self {
            window_ms: vto_hal::debounce::DEFAULT_WINDOW.as_millis() as u64,
        }
    }
}

impl DebounceConfig {
    /// The window as the hal's debouncer takes it.
    pub fn window(&self) -> vto_hal::Duration {
        vto_hal::Duration::from_millis(self.window_ms)
    }

    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        in_range(
            "debounce.window_ms",
            self.window_ms,
            vto_hal::debounce::WINDOW_RANGE_MS,
        )
    }
}
