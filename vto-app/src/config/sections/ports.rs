//! Network > Basic > Port (manual 6.1.2): the ports the station's services listen on.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{FieldError, Section};

/// Ports emergency maintenance occupies (manual 4.4), never given to another service.
pub const RESERVED_PORTS: [u16; 2] = [8087, 8088];

/// The manual's "Port" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Ports {
    /// "Port" (HTTP): 80, or 1025–65535 if 80 is taken. Default 80.
    pub http_port: u16,
    /// "HTTPS Port" switch: serve the web UI over HTTPS (needs a server certificate).
    /// Default off.
    pub https_enabled: bool,
    /// "HTTPS Port": 443 or 1025–65535. Default 443.
    pub https_port: u16,
    /// RTSP: 554 or 1025–65535. Default 554.
    pub rtsp_port: u16,
    /// "TCP Port" for devices in other networks (see UPnP): 1025–65535. Default 37777.
    pub tcp_port: u16,
    /// "UDP Port": 1025–65535. Default 37778.
    pub udp_port: u16,
}

impl Default for Ports {
    fn default() -> Self {
        Self {
            http_port: 80,
            https_enabled: false,
            https_port: 443,
            rtsp_port: 554,
            tcp_port: 37777,
            udp_port: 37778,
        }
    }
}

impl Section for Ports {
    const NAME: &'static str = "network.ports";
    const PAGE: &'static str = "Network > Basic > Port";

    fn validate(&self) -> Result<(), FieldError> {
        let ports = [
            ("http_port", self.http_port, Some(80)),
            ("https_port", self.https_port, Some(443)),
            ("rtsp_port", self.rtsp_port, Some(554)),
            ("tcp_port", self.tcp_port, None),
            ("udp_port", self.udp_port, None),
        ];
        for (field, value, well_known) in ports {
            let ok = Some(value) == well_known || (1025..=65535).contains(&value);
            if !ok || RESERVED_PORTS.contains(&value) {
                let allowed = match well_known {
                    Some(w) => {
                        format!("{w} or 1025..=65535, except 8087 and 8088 (emergency maintenance)")
                    }
                    None => "1025..=65535, except 8087 and 8088 (emergency maintenance)".to_owned(),
                };
                return Err(FieldError::new(field, value, allowed));
            }
        }
        for (i, (field, value, _)) in ports.iter().enumerate() {
            if let Some((other, ..)) = ports[..i].iter().find(|(_, v, _)| v == value) {
                return Err(FieldError::new(
                    *field,
                    value,
                    format!("a port other than {other}'s: no two services share a port"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_takes_80_or_1025_and_above() {
        for (port, ok) in [
            (80, true),
            (1000, false),
            (1024, false),
            (1025, true),
            (8088, false),
        ] {
            let s = Ports {
                http_port: port,
                ..Ports::default()
            };
            assert_eq!(s.validate().is_ok(), ok, "{port}");
        }
    }

    #[test]
    fn two_services_on_one_port_are_refused() {
        let s = Ports {
            udp_port: 37777,
            ..Ports::default()
        };
        let e = s.validate().expect_err("same port");
        assert_eq!(e.field, "udp_port");
        assert!(e.allowed.contains("tcp_port"));
    }
}
