//! `station.toml`: the settings that need a restart — backend, pins, devices, listen
//! addresses and the data directory. Validated as a whole at start, so a station never
//! boots on half a configuration; every error names the key, the value, what is allowed
//! and the line.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::devices::{AudioConfig, CameraConfig, TlsConfig};
use super::error::{ConfigError, Position};
use super::locate::Document;
use super::rs485::Rs485Config;
use super::validate::{in_range, text, Checker};
use super::wiegand::WiegandConfig;
use super::wiring::{DebounceConfig, InputsConfig, LocksConfig};

/// The whole of `station.toml`. Only `[station] backend` is required; every other key has
/// the default documented in `docs/configuration.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationConfig {
    /// `[station]`: backend, name, data directory.
    pub station: StationSection,
    /// `[api]`: the web UI and REST API.
    #[serde(default)]
    pub api: ApiConfig,
    /// `[sip]`: SIP signalling and RTP media.
    #[serde(default)]
    pub sip: SipConfig,
    /// `[tls]`: certificate and key for HTTPS and SIP over TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
    /// `[locks.local]`, `[locks.rs485]`.
    #[serde(default)]
    pub locks: LocksConfig,
    /// `[rs485]`: the bus of the second lock's controller; absent if there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rs485: Option<Rs485Config>,
    /// `[inputs]`: exit button, call buttons, tamper switch.
    #[serde(default)]
    pub inputs: InputsConfig,
    /// `[wiegand]`: the card reader.
    #[serde(default)]
    pub wiegand: WiegandConfig,
    /// `[camera]`; absent if none is fitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<CameraConfig>,
    /// `[audio]`; absent if the station has no speaker and microphone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioConfig>,
    /// `[debounce]`: how long inputs must settle.
    #[serde(default)]
    pub debounce: DebounceConfig,
}

/// Which hardware the station drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Simulated hardware (no pins needed; any given are checked for form only).
    Sim,
    /// Any Linux board: GPIO through `/dev/gpiochipN`, serial ports.
    Linux,
    /// A Raspberry Pi through rppal: BCM pin numbers.
    Rpi,
}

impl Backend {
    /// The name used in `station.toml`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sim => "sim",
            Self::Linux => "linux",
            Self::Rpi => "rpi",
        }
    }

    /// Whether this binary was built with the backend's cargo feature.
    pub const fn is_compiled_in(self) -> bool {
        match self {
            Self::Sim => cfg!(feature = "sim"),
            Self::Linux => cfg!(feature = "linux"),
            Self::Rpi => cfg!(feature = "rpi"),
        }
    }
}

/// `[station]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationSection {
    /// `sim`, `linux` or `rpi`; required.
    pub backend: Backend,
    /// The station's name in logs and on the console, 1..=64 characters; default `vto`.
    /// (The name indoor monitors show is the runtime setting `local.basic.device_name`.)
    #[serde(default = "default_name")]
    pub name: String,
    /// Where the database, snapshots and certificates live; default `./vto-data`.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
}

fn default_name() -> String {
    "vto".into()
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./vto-data")
}

/// `[api]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Where the web UI and REST API listen; default `127.0.0.1:8080`.
    pub listen: SocketAddr,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
        }
    }
}

/// Limits of the RTP port range: above the well-known ports.
pub const RTP_PORT_RANGE: core::ops::RangeInclusive<u32> = 1024..=65535;
/// The fewest RTP ports: one call's audio and video, each with its RTCP port.
pub const MIN_RTP_PORTS: u32 = 4;

/// `[sip]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SipConfig {
    /// SIP over UDP and TCP; default `0.0.0.0:5060`.
    pub listen: SocketAddr,
    /// SIP over TLS (`sips:`), usually port 5061; needs `[tls]`. Absent: no TLS listener.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_listen: Option<SocketAddr>,
    /// First UDP port for RTP media (even), 1024..=65535; default 10000.
    pub rtp_port_min: u32,
    /// Last UDP port for RTP media, at least 3 above `rtp_port_min`; default 10999.
    pub rtp_port_max: u32,
}

impl Default for SipConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::UNSPECIFIED, 5060)),
            tls_listen: None,
            rtp_port_min: 10_000,
            rtp_port_max: 10_999,
        }
    }
}

impl StationConfig {
    /// Parses and validates the text of a `station.toml`.
    pub fn from_toml_str(text: &str) -> Result<StationConfig, ConfigError> {
        let doc = Document::parse(text).map_err(|e| {
            let at = e.span().map(|s| Position::of(text, s.start));
            ConfigError::syntax(e.message().trim().to_owned()).at(at)
        })?;
        let config: StationConfig = toml::from_str(text).map_err(|e| from_serde(&e, &doc, text))?;
        config.validate().map_err(|e| {
            let at = e.key().and_then(|k| doc.position_of(k));
            e.at(at)
        })?;
        Ok(config)
    }

    /// Reads, parses and validates the file at `path`; errors name the file.
    pub fn load(path: &Path) -> Result<StationConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, None, e))?;
        Self::from_toml_str(&text).map_err(|e| e.in_file(path))
    }

    /// What `vto-station run --sim` uses without a file: simulated hardware, the API on
    /// 127.0.0.1:8080, SIP on 127.0.0.1:5060, data in `./vto-data`.
    pub fn sim_default() -> StationConfig {
        StationConfig {
            station: StationSection {
                backend: Backend::Sim,
                name: default_name(),
                data_dir: default_data_dir(),
            },
            api: ApiConfig::default(),
            sip: SipConfig {
                listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 5060)),
                ..SipConfig::default()
            },
            tls: None,
            locks: LocksConfig::default(),
            rs485: None,
            inputs: InputsConfig::default(),
            wiegand: WiegandConfig::default(),
            camera: None,
            audio: None,
            debounce: DebounceConfig::default(),
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.station.backend
    }

    /// Checks every rule that involves more than one key's type: ranges, pins in the
    /// backend's form and used once, listeners that do not collide.
    pub fn validate(&self) -> Result<(), ConfigError> {
        text("station.name", &self.station.name, 64)?;
        if self.station.data_dir.as_os_str().is_empty() {
            return Err(ConfigError::invalid(
                "station.data_dir",
                "\"\"",
                "a directory path such as ./vto-data or /var/lib/vto",
            ));
        }
        self.check_listeners()?;
        if let Some(tls) = &self.tls {
            tls.check()?;
        }
        let mut c = Checker::new(self.station.backend);
        self.locks.check(&mut c, self.rs485.is_some())?;
        if let Some(rs485) = &self.rs485 {
            rs485.check(&mut c)?;
        }
        self.inputs.check(&mut c)?;
        self.wiegand.check(&mut c)?;
        self.debounce.check()?;
        if let Some(camera) = &self.camera {
            camera.check()?;
        }
        if let Some(audio) = &self.audio {
            audio.check()?;
        }
        Ok(())
    }

    fn check_listeners(&self) -> Result<(), ConfigError> {
        let sip = &self.sip;
        in_range("sip.rtp_port_min", sip.rtp_port_min, RTP_PORT_RANGE)?;
        in_range("sip.rtp_port_max", sip.rtp_port_max, RTP_PORT_RANGE)?;
        if sip.rtp_port_min % 2 != 0 {
            return Err(ConfigError::invalid(
                "sip.rtp_port_min",
                sip.rtp_port_min,
                "an even port (RTP on even ports, RTCP on the next odd one)",
            ));
        }
        if sip.rtp_port_max < sip.rtp_port_min + (MIN_RTP_PORTS - 1) {
            return Err(ConfigError::out_of_range(
                "sip.rtp_port_max",
                sip.rtp_port_max,
                format!(
                    "{}..=65535 (at least {MIN_RTP_PORTS} ports from rtp_port_min)",
                    sip.rtp_port_min + MIN_RTP_PORTS - 1
                ),
            ));
        }
        if (sip.rtp_port_min..=sip.rtp_port_max).contains(&u32::from(sip.listen.port())) {
            return Err(ConfigError::invalid(
                "sip.listen",
                sip.listen,
                format!(
                    "a port outside the RTP range sip.rtp_port_min..=sip.rtp_port_max ({}..={})",
                    sip.rtp_port_min, sip.rtp_port_max
                ),
            ));
        }
        if sip.tls_listen.is_some() && self.tls.is_none() {
            return Err(ConfigError::missing(
                "tls",
                "sip.tls_listen needs a [tls] table with certificate and private_key",
            ));
        }
        let mut tcp = vec![("api.listen", self.api.listen), ("sip.listen", sip.listen)];
        if let Some(a) = sip.tls_listen {
            tcp.push(("sip.tls_listen", a));
        }
        for (i, (key, addr)) in tcp.iter().enumerate() {
            if let Some((other, _)) = tcp[..i].iter().find(|(_, o)| collide(*o, *addr)) {
                return Err(ConfigError::invalid(
                    *key,
                    addr,
                    format!("an address and port not already taken by {other}"),
                ));
            }
        }
        Ok(())
    }
}

/// Two TCP listeners that cannot both bind.
fn collide(a: SocketAddr, b: SocketAddr) -> bool {
    let overlap = |x: IpAddr, y: IpAddr| x == y || x.is_unspecified() || y.is_unspecified();
    a.port() != 0 && a.port() == b.port() && overlap(a.ip(), b.ip())
}

/// Loads `path` as `vto-station check-config` does: the file must parse and validate, its
/// backend must be compiled into this binary, and the TLS files it names must be readable.
pub fn check_config(path: &Path) -> Result<StationConfig, ConfigError> {
    let config = StationConfig::load(path)?;
    let backend = config.backend();
    if !backend.is_compiled_in() {
        let built: Vec<&str> = [Backend::Sim, Backend::Linux, Backend::Rpi]
            .into_iter()
            .filter(|b| b.is_compiled_in())
            .map(Backend::name)
            .collect();
        return Err(ConfigError::invalid(
            "station.backend",
            format!("{:?}", backend.name()),
            format!(
                "a backend compiled into this binary: {} (rebuild with --features {})",
                built.join(", "),
                backend.name()
            ),
        )
        .in_file(path));
    }
    if let Some(tls) = &config.tls {
        tls.check_files()?;
    }
    Ok(config)
}

/// Turns serde's message and span into a keyed error.
fn from_serde(e: &toml::de::Error, doc: &Document<'_>, text: &str) -> ConfigError {
    let message = e.message().trim();
    let span = e.span();
    let at = span.clone().map(|s| Position::of(text, s.start));
    // An empty span is serde's way of pointing at the whole document (a missing table).
    let key = span
        .clone()
        .filter(|s| !s.is_empty())
        .and_then(|s| doc.key_at(s.start))
        .unwrap_or_default();
    let value = span
        .and_then(|s| doc.slice(s))
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    let expected = message
        .split_once(", expected ")
        .map(|(_, x)| x.replace('`', ""))
        .unwrap_or_default();
    let field = message.split('`').nth(1).unwrap_or("");
    let err = if message.starts_with("unknown field") {
        let key = if key.rsplit('.').next() == Some(field) {
            key
        } else {
            join(&key, field)
        };
        ConfigError::unknown_key(key, expected.trim_start_matches("one of "))
    } else if message.starts_with("missing field") {
        ConfigError::missing(join(&key, field), "this key is required")
    } else if message.starts_with("unknown variant") {
        ConfigError::invalid(key, value, expected)
    } else if message.starts_with("invalid value: integer") {
        let range = integer_range(&expected);
        ConfigError::out_of_range(key, value, range.trim_start_matches("an integer "))
    } else if !expected.is_empty() {
        ConfigError::invalid(key, value, integer_range(&expected))
    } else {
        ConfigError::invalid(key, value, message)
    };
    err.at(at)
}

fn join(prefix: &str, key: &str) -> String {
    match (prefix.is_empty(), key.is_empty()) {
        (true, _) => key.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{key}"),
    }
}

/// serde's name of an integer type as the range a user can write.
fn integer_range(expected: &str) -> String {
    match expected {
        "u8" => "an integer 0..=255".into(),
        "u16" => "an integer 0..=65535".into(),
        "u32" => "an integer 0..=4294967295".into(),
        "u64" => "an integer 0..=18446744073709551615".into(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests;
