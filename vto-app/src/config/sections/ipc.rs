//! Household Setting > IPC Setting (manual 5.4): cameras and recorders whose video the
//! indoor monitors can watch through this station.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{host_ipv4, max_len, optional_text, port, range, secret, text};
use super::{FieldError, Section};

/// The most cameras and recorders.
pub const MAX_IPCS: usize = 32;

/// The manual's "IPC Setting" list.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct IpcSettings {
    /// Up to 32 devices; no two with the same address and channel. Default none.
    pub devices: Vec<IpcEntry>,
}

/// One camera or recorder channel.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct IpcEntry {
    /// "IPC Name", 1–63 characters.
    pub name: String,
    /// "IP Address".
    pub ip_address: String,
    /// "Username" of the device, up to 32 characters.
    pub username: String,
    /// "Password" of the device, up to 64 characters.
    pub password: String,
    /// "Port": "keep it default" (554, RTSP).
    pub port: u16,
    /// "Protocol": `local` (the device's RTSP stream) or `onvif`.
    pub protocol: IpcProtocol,
    /// "Stream Type": `main` or `extra1`. Default `extra1` (what a monitor's screen needs).
    pub stream_type: IpcStreamType,
    /// "Channel": which of the device's channels, 1–256. Default 1.
    pub channel: u32,
    /// "Device Type": `ipc` or `nvr`.
    pub device_type: IpcDeviceType,
    /// "MediaEncrypt": the device's stream is encrypted. Default off.
    pub media_encrypt: bool,
}

impl Default for IpcEntry {
    fn default() -> Self {
        Self {
            name: String::new(),
            ip_address: String::new(),
            username: "admin".into(),
            password: String::new(),
            port: 554,
            protocol: IpcProtocol::Local,
            stream_type: IpcStreamType::Extra1,
            channel: 1,
            device_type: IpcDeviceType::Ipc,
            media_encrypt: false,
        }
    }
}

/// "Protocol".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum IpcProtocol {
    /// The device's own (RTSP) stream.
    #[default]
    Local,
    /// Found and pulled through ONVIF.
    Onvif,
}

/// "Stream Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum IpcStreamType {
    /// Better quality, more bandwidth.
    Main,
    /// Smoother, less bandwidth.
    #[default]
    Extra1,
}

/// "Device Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum IpcDeviceType {
    /// A network camera.
    #[default]
    Ipc,
    /// A network video recorder.
    Nvr,
}

impl IpcEntry {
    /// Checks one device.
    pub fn validate(&self) -> Result<(), FieldError> {
        text("name", &self.name, 63)?;
        host_ipv4("ip_address", &self.ip_address)?;
        optional_text("username", &self.username, 32)?;
        secret("password", &self.password, 64)?;
        port("port", self.port)?;
        range("channel", self.channel, 1..=256, "")
    }
}

impl Section for IpcSettings {
    const NAME: &'static str = "household.ipc";
    const PAGE: &'static str = "Household Setting > IPC Setting";

    fn validate(&self) -> Result<(), FieldError> {
        max_len("devices", &self.devices, MAX_IPCS)?;
        for (i, d) in self.devices.iter().enumerate() {
            d.validate()
                .map_err(|e| e.within(&format!("devices[{i}]")))?;
        }
        super::check::unique("devices", "channel", &self.devices, |d| {
            format!("{}:{} channel {}", d.ip_address, d.port, d.channel)
        })
    }
}
