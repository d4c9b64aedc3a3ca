//! `[camera]`, `[audio]` and `[tls]`: the devices and files the station opens at boot.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::validate::text;

/// The camera; absent when none is fitted (the station then sends no video).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CameraConfig {
    /// The V4L2 device; default `/dev/video0`.
    pub device: PathBuf,
}

impl Default for CameraConfig {
    fn default() -> Self {
        Self {
            device: PathBuf::from("/dev/video0"),
        }
    }
}

impl CameraConfig {
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.device.as_os_str().is_empty() {
            return Err(ConfigError::invalid(
                "camera.device",
                "\"\"",
                "a V4L2 device path such as /dev/video0",
            ));
        }
        Ok(())
    }
}

/// The speaker and microphone, as ALSA PCM names (`aplay -L`, `arecord -L`); absent when
/// the station has no audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AudioConfig {
    /// Playback PCM; default `default`.
    pub playback: String,
    /// Capture PCM; default `default`.
    pub capture: String,
}

impl Default for AudioConfig {
    fn default() -> Self {
        Self {
            playback: "default".into(),
            capture: "default".into(),
        }
    }
}

impl AudioConfig {
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        text("audio.playback", &self.playback, 255)?;
        text("audio.capture", &self.capture, 255)
    }
}

/// The certificate and key for HTTPS and SIP over TLS (PEM files), created by
/// `vto-station init` or provided by the installer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// The certificate chain, PEM.
    pub certificate: PathBuf,
    /// The private key, PEM.
    pub private_key: PathBuf,
}

impl TlsConfig {
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        for (key, path) in [
            ("tls.certificate", &self.certificate),
            ("tls.private_key", &self.private_key),
        ] {
            if path.as_os_str().is_empty() {
                return Err(ConfigError::invalid(key, "\"\"", "the path of a PEM file"));
            }
        }
        Ok(())
    }

    /// Reads both files, so `check-config` reports a missing or unreadable one by key.
    pub(crate) fn check_files(&self) -> Result<(), ConfigError> {
        for (key, path) in [
            ("tls.certificate", &self.certificate),
            ("tls.private_key", &self.private_key),
        ] {
            std::fs::File::open(path).map_err(|e| ConfigError::io(path, Some(key), e))?;
        }
        Ok(())
    }
}
