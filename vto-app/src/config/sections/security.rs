//! Local Settings > Security (manual 4.5) with the settings the security guide adds: SIP
//! over TLS with `sips:`, SRTP ("Audio/Video Transmission Encryption"), refusing anonymous
//! and unsolicited calls, and the web login's lockout and session timeout. Defaults are the
//! manual's recommendations (each switch is set the way its warning advises).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::range;
use super::{FieldError, Section};

/// The manual's "Security" page and the guide's call and login protections.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Security {
    /// "CGI Enable": the legacy CGI command interface. Recommended off (default).
    pub cgi_enabled: bool,
    /// "Mobile Push Notification" to the smartphone app. Recommended off (default).
    pub mobile_push_notification: bool,
    /// "Password Reset": off means a forgotten password cannot be reset. Default on.
    pub password_reset: bool,
    /// "Audio/Video Transmission Encryption" (SRTP): `off`, `offered` (encrypt when the
    /// peer can; default) or `required` (refuse calls without SRTP).
    pub audio_video_encryption: AvEncryption,
    /// "ONVIF On": third parties may pull video over ONVIF. Recommended off (default).
    pub onvif_enabled: bool,
    /// "RTSP Over TLS": RTSP streams only encrypted. Recommended on (default).
    pub rtsp_over_tls: bool,
    /// "Outbound Service Information Protection": no passwords in clear in outbound
    /// service data. Recommended on (default).
    pub outbound_service_information_protection: bool,
    /// "Multicast/Broadcast Search": other devices can discover the station. Recommended
    /// off (default).
    pub multicast_broadcast_search: bool,
    /// "Authentication Mode": `security` (digest only, recommended, default) or
    /// `compatible` (older clients' login too).
    pub authentication_mode: AuthenticationMode,
    /// SIP transport for calls and registration: `udp` (default, what indoor monitors
    /// speak), `tcp` or `tls` (recommended by the guide; needs `[tls]` and
    /// `sip.tls_listen` in station.toml).
    pub sip_transport: SipTransport,
    /// With TLS, use `sips:` URIs so the whole path must be encrypted, not just the first
    /// hop. Default on.
    pub sips_uri_scheme: bool,
    /// With TLS, check that the peer's certificate names the domain ("Check Domain
    /// Certificate"). Default on.
    pub check_domain_certificate: bool,
    /// With TLS, validate the peer's certificate chain ("Validate Certification Chain").
    /// Default on.
    pub validate_certificate_chain: bool,
    /// "Reject anonymous call": refuse INVITEs whose caller is anonymous. Default on.
    pub reject_anonymous_calls: bool,
    /// "Only Accept SIP Requests from Known Servers": refuse requests from addresses that
    /// are neither the SIP server nor registered devices. Default on.
    pub only_known_servers: bool,
    /// "Check SIP User ID for Incoming INVITE": refuse an INVITE whose Request-URI is not
    /// this station's number. Default on.
    pub check_sip_user_id: bool,
    /// "Validate Incoming INVITE": challenge INVITEs with 401 (digest). Default off (most
    /// indoor monitors do not answer a challenge).
    pub validate_incoming_invite: bool,
    /// The web login's protections.
    pub login: LoginPolicy,
}

/// SRTP policy.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum AvEncryption {
    /// Plain RTP only.
    Off,
    /// SRTP offered; plain RTP accepted from peers without it.
    #[default]
    Offered,
    /// SRTP only; calls that cannot encrypt are refused.
    Required,
}

/// "Authentication Mode".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum AuthenticationMode {
    /// "Security Mode": digest authentication only.
    #[default]
    Security,
    /// "Compatible Mode": the old login method as well.
    Compatible,
}

/// SIP transport.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SipTransport {
    /// UDP.
    #[default]
    Udp,
    /// TCP.
    Tcp,
    /// TLS over TCP.
    Tls,
}

/// Web login protections (the manual's "Account Lock" recommendation and the guide's
/// login timeout).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LoginPolicy {
    /// Lock an account and source address after repeated wrong passwords. Default on.
    pub lockout_enabled: bool,
    /// Wrong passwords in a row that lock, 3–10. Default 5 (as the manual's security code).
    pub max_attempts: u32,
    /// How long the lock lasts, 1–30 min. Default 5 min.
    pub lockout_min: u32,
    /// A web session without activity ends after this, 1–60 min. Default 10 min.
    pub session_timeout_min: u32,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            lockout_enabled: true,
            max_attempts: 5,
            lockout_min: 5,
            session_timeout_min: 10,
        }
    }
}

impl Default for Security {
    fn default() -> Self {
        Self {
            cgi_enabled: false,
            mobile_push_notification: false,
            password_reset: true,
            audio_video_encryption: AvEncryption::Offered,
            onvif_enabled: false,
            rtsp_over_tls: true,
            outbound_service_information_protection: true,
            multicast_broadcast_search: false,
            authentication_mode: AuthenticationMode::Security,
            sip_transport: SipTransport::Udp,
            sips_uri_scheme: true,
            check_domain_certificate: true,
            validate_certificate_chain: true,
            reject_anonymous_calls: true,
            only_known_servers: true,
            check_sip_user_id: true,
            validate_incoming_invite: false,
            login: LoginPolicy::default(),
        }
    }
}

impl Section for Security {
    const NAME: &'static str = "local.security";
    const PAGE: &'static str = "Local Settings > Security";

    fn validate(&self) -> Result<(), FieldError> {
        range("login.max_attempts", self.login.max_attempts, 3..=10, "")?;
        range("login.lockout_min", self.login.lockout_min, 1..=30, "min")?;
        range(
            "login.session_timeout_min",
            self.login.session_timeout_min,
            1..=60,
            "min",
        )
    }
}
