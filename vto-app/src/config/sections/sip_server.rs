//! Network > SIP Server (manual 6.3): whether this station is the SIP server of the
//! intercom network, or which server it registers with.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{host, port, range, secret, sip_user};
use super::{FieldError, Section};

/// The manual's "SIP Server" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SipServer {
    /// "SIP Server": this station is the server; indoor monitors and other stations
    /// register here. Default on (a villa station is its own server).
    pub server_enabled: bool,
    /// "Server Type" when another device is the server: `vto`, `platform` (a management
    /// platform) or `third_party`. Default `vto`.
    pub server_type: SipServerType,
    /// "IP Addr.": the server's address when this station is not it. Default
    /// 192.168.1.108.
    pub ip_address: String,
    /// "Port": 5060 with a VTO as server, 5080 with a platform; 1–65535. Default 5060.
    pub port: u16,
    /// "Username": this station's account on the server, "keep it default" (its number).
    /// Default `8001`.
    pub username: String,
    /// "Password": the registration password, up to 64 characters.
    pub password: String,
    /// "SIP Domain". Default `VDP`.
    pub sip_domain: String,
    /// "SIP Server Username": the server's web login. Default `admin`.
    pub sip_server_username: String,
    /// "SIP Server Password": the server's web login password, up to 64 characters.
    pub sip_server_password: String,
    /// Registration lifetime asked for in REGISTER (`Expires`), 60–3600 s. Default 3600 s.
    pub registration_expiry_s: u32,
}

/// "Server Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SipServerType {
    /// Another door station.
    #[default]
    Vto,
    /// A management platform.
    Platform,
    /// Any other SIP server.
    ThirdParty,
}

impl Default for SipServer {
    fn default() -> Self {
        Self {
            server_enabled: true,
            server_type: SipServerType::Vto,
            ip_address: "192.168.1.108".into(),
            port: 5060,
            username: "8001".into(),
            password: String::new(),
            sip_domain: "VDP".into(),
            sip_server_username: "admin".into(),
            sip_server_password: String::new(),
            registration_expiry_s: 3600,
        }
    }
}

impl Section for SipServer {
    const NAME: &'static str = "network.sip_server";
    const PAGE: &'static str = "Network > SIP Server";

    fn validate(&self) -> Result<(), FieldError> {
        host("ip_address", &self.ip_address)?;
        port("port", self.port)?;
        sip_user("username", &self.username, 32)?;
        secret("password", &self.password, 64)?;
        let domain_ok = !self.sip_domain.is_empty()
            && self.sip_domain.len() <= 63
            && self
                .sip_domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'));
        if !domain_ok {
            return Err(FieldError::new(
                "sip_domain",
                format!("{:?}", self.sip_domain),
                "1 to 63 letters, digits, '-' or '.'",
            ));
        }
        sip_user("sip_server_username", &self.sip_server_username, 32)?;
        secret("sip_server_password", &self.sip_server_password, 64)?;
        range(
            "registration_expiry_s",
            self.registration_expiry_s,
            60..=3600,
            "s",
        )
    }
}
