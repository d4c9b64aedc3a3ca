//! Configuration: `station.toml` (wiring and boot settings) and the runtime settings sections.
//!
//! Two levels, like a real door station:
//!
//! - [`StationConfig`] is `station.toml`: what needs a restart (backend, pins, devices,
//!   listen addresses, data directory). It is validated as a whole at start; a
//!   [`ConfigError`] names the key, the value, what is allowed and the line.
//! - [`sections`] are the pages of the web manual (Local Settings, Household Setting,
//!   Network Setting, Log Management), stored as JSON one versioned row per section and
//!   edited through `/api/v1/settings/{name}`. Each has the manual's defaults and limits.
//!
//! ```
//! use vto_app::config::{sections, StationConfig};
//!
//! let config = StationConfig::from_toml_str("[station]\nbackend = \"sim\"\n").unwrap();
//! assert_eq!(config.api.listen.port(), 8080);
//!
//! let err = StationConfig::from_toml_str("[station]\nbackend = \"sim\"\n[rs485]\nport = \"/dev/ttyS1\"\nbaud = 300\n")
//!     .unwrap_err();
//! assert!(err.to_string().contains("rs485.baud = 300 is outside 1200..=115200"));
//!
//! let json = sections::default_json("local.basic").unwrap();
//! assert_eq!(json["centre_call_number"], "888888");
//! ```

mod devices;
mod error;
mod locate;
mod pin;
mod rs485;
pub mod sections;
mod station;
mod validate;
mod wiegand;
mod wiring;

pub use devices::{AudioConfig, CameraConfig, TlsConfig};
pub use error::{ConfigError, ConfigErrorKind, Position};
pub use pin::{BiasSetting, ContactType, InputPin, Pin, PinSpec, PortPin, BCM_RANGE};
pub use rs485::{ParitySetting, Rs485Config, BAUD_RANGE};
pub use station::{
    check_config, ApiConfig, Backend, SipConfig, StationConfig, StationSection, MIN_RTP_PORTS,
    RTP_PORT_RANGE,
};
pub use wiegand::{WiegandConfig, DEFAULT_FORMATS};
pub use wiring::{
    DebounceConfig, InputsConfig, LockWiring, LocksConfig, Rs485LockWiring, MAX_CALL_BUTTONS,
    RS485_ADDRESS_RANGE,
};

pub use sections::{default_json, validate_json, FieldError, Section, SectionError, SECTION_NAMES};

/// The name of the access-control section, which the station loads into the core at start.
pub const ACCESS_CONTROL_SECTION: &str = <sections::AccessControl as Section>::NAME;

/// The core's settings from a stored `local.access_control` row, checked by the core's own
/// [`AccessSettings::validate`](vto_core::access::AccessSettings::validate).
pub fn access_control_from_json(
    json: &serde_json::Value,
) -> Result<vto_core::access::ValidSettings, SectionError> {
    let section: sections::AccessControl = sections::parse(json)?;
    section.to_core().map_err(|error| SectionError::Invalid {
        section: ACCESS_CONTROL_SECTION,
        error,
    })
}
