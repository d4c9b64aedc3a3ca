//! Network > UPnP (manual 6.2): port mappings the router opens for WAN devices.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{max_len, optional_text, range, text};
use super::{FieldError, Section};

/// Ports a mapping may use: "from 1024 through 5000".
pub const UPNP_PORT_RANGE: core::ops::RangeInclusive<u16> = 1024..=5000;
/// The most mappings.
pub const MAX_UPNP_SERVICES: usize = 16;

/// The manual's "UPnP" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Upnp {
    /// "Enable": ask the router for the mappings below. Default off.
    pub enabled: bool,
    /// Up to 16 mappings, each port used once. Default none.
    pub services: Vec<UpnpService>,
}

/// One mapping ("Add a UPnP service", table 6-2).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct UpnpService {
    /// Whether this mapping is requested ("enable the services listed"). Default on.
    pub enabled: bool,
    /// "Service Name", 1–31 characters.
    pub name: String,
    /// "Service Type", up to 31 characters.
    pub service_type: String,
    /// "Protocol": TCP or UDP.
    pub protocol: UpnpProtocol,
    /// "Internal Port", 1024–5000.
    pub internal_port: u16,
    /// "External Port", 1024–5000, the same as the internal port.
    pub external_port: u16,
}

impl Default for UpnpService {
    fn default() -> Self {
        Self {
            enabled: true,
            name: String::new(),
            service_type: String::new(),
            protocol: UpnpProtocol::Tcp,
            internal_port: 0,
            external_port: 0,
        }
    }
}

/// "Protocol".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum UpnpProtocol {
    /// TCP.
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

impl UpnpService {
    /// Checks one mapping.
    pub fn validate(&self) -> Result<(), FieldError> {
        text("name", &self.name, 31)?;
        optional_text("service_type", &self.service_type, 31)?;
        range("internal_port", self.internal_port, UPNP_PORT_RANGE, "")?;
        range("external_port", self.external_port, UPNP_PORT_RANGE, "")?;
        if self.external_port != self.internal_port {
            return Err(FieldError::new(
                "external_port",
                self.external_port,
                format!(
                    "the internal port ({}): the manual requires them equal",
                    self.internal_port
                ),
            ));
        }
        Ok(())
    }
}

impl Section for Upnp {
    const NAME: &'static str = "network.upnp";
    const PAGE: &'static str = "Network > UPnP";

    fn validate(&self) -> Result<(), FieldError> {
        max_len("services", &self.services, MAX_UPNP_SERVICES)?;
        for (i, s) in self.services.iter().enumerate() {
            s.validate()
                .map_err(|e| e.within(&format!("services[{i}]")))?;
        }
        super::check::unique("services", "external_port", &self.services, |s| {
            s.external_port
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(port: u16) -> UpnpService {
        UpnpService {
            name: "web".into(),
            internal_port: port,
            external_port: port,
            ..UpnpService::default()
        }
    }

    #[test]
    fn an_external_port_above_5000_is_refused() {
        let mut s = Upnp {
            enabled: true,
            services: vec![service(5000)],
        };
        assert!(s.validate().is_ok());
        s.services[0].external_port = 5001;
        let e = s.validate().expect_err("5001");
        assert_eq!(e.field, "services[0].external_port");
        assert_eq!(e.allowed, "1024..=5000");
    }

    #[test]
    fn two_mappings_may_not_share_a_port() {
        let s = Upnp {
            enabled: true,
            services: vec![service(2000), service(2000)],
        };
        assert_eq!(
            s.validate().map_err(|e| e.field),
            Err("services[1].external_port".into())
        );
    }
}
