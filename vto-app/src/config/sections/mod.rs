//! The runtime settings: one section per page of the door station's web manual, stored by
//! the store as JSON (one versioned row per section) and read and written through
//! `GET`/`PUT /api/v1/settings/{name}`.
//!
//! Every section has the manual's defaults ([`Default`]), refuses unknown fields, fills
//! missing ones with their defaults, and checks the manual's limits in
//! [`Section::validate`]; where the manual gives no limit the one chosen is named in the
//! field's documentation and in `docs/configuration.md`. The API handles sections
//! generically by name through [`validate_json`], [`default_json`], [`merge_json`] and
//! [`visit`].
//!
//! ```
//! use vto_app::config::sections::{self, SectionError};
//! use serde_json::json;
//!
//! let ok = sections::validate_json("local.basic", &json!({ "centre_call_number": "123456789" })).unwrap();
//! assert_eq!(ok["vto_number"], "8001"); // missing fields take the manual's defaults
//!
//! let err = sections::validate_json("local.basic", &json!({ "centre_call_number": "1234567890" }))
//!     .unwrap_err();
//! let SectionError::Invalid { error, .. } = err else { panic!() };
//! assert_eq!(error.field, "centre_call_number");
//! ```

mod access_control;
mod basic;
mod check;
mod firewall;
mod ipc;
mod locate;
mod logs;
mod p2p;
mod period;
mod ports;
mod security;
mod sip_server;
mod system;
mod tcp_ip;
mod upnp;
mod video;
mod vth;
mod vto_numbers;
mod vts;
mod wiegand;

use core::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

pub use access_control::{
    AccessControl, DoorContactType, LockSection, Lockout, NonRemoteLockSetting,
};
pub use basic::{Basic, DeviceType};
pub use firewall::{AccessMode, Firewall, FirewallRule, NetworkAccess, MAX_FIREWALL_RULES};
pub use ipc::{IpcDeviceType, IpcEntry, IpcProtocol, IpcSettings, IpcStreamType, MAX_IPCS};
pub use logs::{LogManagement, LogProtocol, NetworkLog, EVENT_CAP_RANGE};
pub use p2p::P2p;
pub use period::DailyPeriod;
pub use ports::{Ports, RESERVED_PORTS};
pub use security::{AuthenticationMode, AvEncryption, LoginPolicy, Security, SipTransport};
pub use sip_server::{SipServer, SipServerType};
pub use system::{
    AutoReboot, DateFormat, Dst, DstKind, DstPoint, Ntp, RebootDay, System, TimeFormat, Weekday,
};
pub use tcp_ip::TcpIp;
pub use upnp::{Upnp, UpnpProtocol, UpnpService, MAX_UPNP_SERVICES, UPNP_PORT_RANGE};
pub use video::{PromptSounds, Resolution, SceneMode, Stream, VideoAudio, VideoStandard};
pub use vth::{RegistrationType, VthManagement, VthRoom};
pub use vto_numbers::{VtoEntry, VtoNumbers, MAX_VTOS};
pub use vts::{VtsEntry, VtsManagement, MAX_VTS};
pub use wiegand::{WiegandCardFormat, WiegandMode, WiegandSettings};

/// A page (or part of a page) of the manual, stored as one row.
pub trait Section:
    Serialize
    + DeserializeOwned
    + Default
    + Clone
    + fmt::Debug
    + PartialEq
    + ToSchema
    + Send
    + Sync
    + 'static
{
    /// The section's name in the store and the API path (`local.access_control`).
    const NAME: &'static str;
    /// Where the manual describes it (`Local Settings > Basic`), for the docs and the UI.
    const PAGE: &'static str;

    /// Checks every field against its limit; the first one outside is named.
    fn validate(&self) -> Result<(), FieldError>;
}

/// A field outside its limits: names the field (a dotted path inside the section, such as
/// `centre_call_number` or `services[2].external_port`), the value and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, ToSchema)]
#[error("`{field}` = {value} is not allowed: {allowed}")]
pub struct FieldError {
    /// The field, as a dotted path inside the section.
    pub field: String,
    /// The refused value, as JSON text.
    pub value: String,
    /// What is allowed, in words.
    pub allowed: String,
}

impl FieldError {
    /// `field` = `value` is refused; `allowed` says what would be accepted.
    pub fn new(
        field: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    /// The same error for a field inside `prefix` (`main_stream` + `frame_rate`).
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_owned()
        } else if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

/// Why a section could not be read or written through the generic API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectionError {
    /// No section has this name (404).
    #[error("no settings section is named {0:?}; the sections are {names}", names = SECTION_NAMES.join(", "))]
    UnknownSection(String),
    /// The JSON does not fit the section, or a value is outside its limits (422).
    #[error("{section}: {error}")]
    Invalid {
        /// The section's name.
        section: &'static str,
        /// The field to blame.
        #[source]
        error: FieldError,
    },
}

/// Parses `json` as section `S` (missing fields take their defaults) and validates it.
pub fn parse<S: Section>(json: &Value) -> Result<S, SectionError> {
    let invalid = |error| SectionError::Invalid {
        section: S::NAME,
        error,
    };
    let section: S =
        serde_json::from_value(json.clone()).map_err(|e| invalid(locate::blame::<S>(json, &e)))?;
    section.validate().map_err(invalid)?;
    Ok(section)
}

/// Does something with a section's type, chosen by name at run time (see [`visit`]).
pub trait SectionVisitor {
    /// What the visit produces.
    type Output;
    /// Called with the section's type.
    fn visit<S: Section>(self) -> Self::Output;
}

macro_rules! registry {
    ($($ty:ty),+ $(,)?) => {
        /// Every section's name, in the manual's order.
        pub const SECTION_NAMES: &[&str] = &[$(<$ty as Section>::NAME),+];

        /// Calls `visitor` with the type of the section called `name`; `None` if there is
        /// no such section.
        pub fn visit<V: SectionVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            $(
                if name == <$ty as Section>::NAME {
                    return Some(visitor.visit::<$ty>());
                }
            )+
            None
        }
    };
}

registry!(
    Basic,
    VideoAudio,
    AccessControl,
    System,
    Security,
    WiegandSettings,
    VtoNumbers,
    VthManagement,
    VtsManagement,
    IpcSettings,
    TcpIp,
    Ports,
    P2p,
    Upnp,
    SipServer,
    Firewall,
    LogManagement,
);

struct Normalize<'a>(&'a Value);

impl SectionVisitor for Normalize<'_> {
    type Output = Result<Value, SectionError>;
    fn visit<S: Section>(self) -> Self::Output {
        let section: S = parse(self.0)?;
        serde_json::to_value(section).map_err(|e| SectionError::Invalid {
            section: S::NAME,
            error: FieldError::new("", "?", e.to_string()),
        })
    }
}

struct Defaults;

impl SectionVisitor for Defaults {
    type Output = Value;
    fn visit<S: Section>(self) -> Value {
        serde_json::to_value(S::default()).unwrap_or(Value::Null)
    }
}

struct Page;

impl SectionVisitor for Page {
    type Output = &'static str;
    fn visit<S: Section>(self) -> &'static str {
        S::PAGE
    }
}

struct Schemas;

impl SectionVisitor for Schemas {
    type Output = Vec<(String, RefOr<Schema>)>;
    fn visit<S: Section>(self) -> Self::Output {
        let mut out = vec![(S::name().into_owned(), S::schema())];
        S::schemas(&mut out);
        out
    }
}

/// Checks `json` against section `name` and returns it normalized: every field present,
/// defaults filled in. This is what the store writes.
pub fn validate_json(name: &str, json: &Value) -> Result<Value, SectionError> {
    visit(name, Normalize(json))
        .unwrap_or_else(|| Err(SectionError::UnknownSection(name.to_owned())))
}

/// The manual's defaults of section `name`, as JSON; `None` if there is no such section.
pub fn default_json(name: &str) -> Option<Value> {
    visit(name, Defaults)
}

/// Applies a JSON merge patch (RFC 7396: objects merge, `null` removes a field, so it
/// takes its default) to the stored `current` value and validates the result, for
/// `PATCH` requests that change a few fields.
pub fn merge_json(name: &str, current: &Value, patch: &Value) -> Result<Value, SectionError> {
    let mut merged = current.clone();
    merge(&mut merged, patch);
    validate_json(name, &merged)
}

fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(t) = target {
        for (k, v) in patch {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

/// Where the manual describes section `name` (`Network > Port`).
pub fn page(name: &str) -> Option<&'static str> {
    visit(name, Page)
}

/// The OpenAPI schemas of every section and of the types inside them, named by type
/// (`Basic`, `VideoAudio`, `Stream` ...), for the API's components.
pub fn openapi_schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut out: Vec<(String, RefOr<Schema>)> = Vec::new();
    for name in SECTION_NAMES {
        for (n, s) in visit(name, Schemas).unwrap_or_default() {
            if !out.iter().any(|(o, _)| *o == n) {
                out.push((n, s));
            }
        }
    }
    out
}

/// The schema name of section `name` (`local.basic` → `Basic`).
pub fn schema_name(name: &str) -> Option<String> {
    struct Name;
    impl SectionVisitor for Name {
        type Output = String;
        fn visit<S: Section>(self) -> String {
            S::name().into_owned()
        }
    }
    visit(name, Name)
}

#[cfg(test)]
mod tests;
