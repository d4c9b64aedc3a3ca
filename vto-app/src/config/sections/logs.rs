//! Log Management (manual 7): how many events the station keeps ("if storage is full, the
//! oldest records will be overwritten") and the network log the manual's cybersecurity
//! appendix recommends.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{host, port, range};
use super::{FieldError, Section};

/// How many events the ring may hold.
pub const EVENT_CAP_RANGE: core::ops::RangeInclusive<u64> = 1_000..=10_000_000;

/// The manual's "Log Management".
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LogManagement {
    /// Events kept before the oldest are overwritten ("ring overwrite"), 1,000–10,000,000.
    /// Default 1,000,000.
    pub event_cap: u64,
    /// Copies of the log sent to a syslog server.
    pub network_log: NetworkLog,
}

/// "Network Log": critical logs synchronised to a log server for tracing.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkLog {
    /// Send logs to the server. Default off.
    pub enabled: bool,
    /// Host name or IPv4 address; required when enabled.
    pub server: String,
    /// 1–65535. Default 514 (6514 is usual for TLS).
    pub port: u16,
    /// `udp` (RFC 5426), `tcp` or `tls` (RFC 5425, recommended). Default `udp`.
    pub protocol: LogProtocol,
}

impl Default for NetworkLog {
    fn default() -> Self {
        Self {
            enabled: false,
            server: String::new(),
            port: 514,
            protocol: LogProtocol::Udp,
        }
    }
}

/// Syslog transport.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogProtocol {
    /// UDP.
    #[default]
    Udp,
    /// TCP.
    Tcp,
    /// TLS over TCP.
    Tls,
}

impl Default for LogManagement {
    fn default() -> Self {
        Self {
            event_cap: 1_000_000,
            network_log: NetworkLog::default(),
        }
    }
}

impl Section for LogManagement {
    const NAME: &'static str = "logs.management";
    const PAGE: &'static str = "Log Management";

    fn validate(&self) -> Result<(), FieldError> {
        range("event_cap", self.event_cap, EVENT_CAP_RANGE, "events")?;
        port("network_log.port", self.network_log.port)?;
        if self.network_log.enabled || !self.network_log.server.is_empty() {
            host("network_log.server", &self.network_log.server)?;
        }
        Ok(())
    }
}
