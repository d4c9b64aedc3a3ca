//! An ALSA playback device as the station's speaker.

use ::alsa::Direction;

use super::config::{AlsaConfig, BufferSizes};
use super::device::Device;
use super::error::AlsaError;
use crate::audio::{AudioFrame, Channels, PcmFormat, Speaker, Volume, VolumeControl};
use crate::error::ErrorType;
use crate::time::Timestamp;

/// A speaker on an ALSA playback device.
///
/// Writes block while the ring buffer is full and return when the frame's first sample
/// will be heard (on [`PcmClock`](super::PcmClock)). Playing starts once all but one period
/// of the buffer is queued, or on [`drain`](Speaker::drain). An underrun (the station wrote
/// too late) is recovered on the next write, which plays; [`xruns`](Self::xruns) counts them.
#[derive(Debug)]
pub struct AlsaSpeaker {
    device: Device,
}

impl AlsaSpeaker {
    /// Opens `config.device` for playback and sets its volume and mute.
    ///
    /// Fails with [`ErrorKind::Busy`](crate::ErrorKind::Busy) if another program holds the
    /// device, [`ErrorKind::Disconnected`](crate::ErrorKind::Disconnected) if there is no
    /// such card, [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) if it cannot
    /// stream the format.
    pub fn open(config: AlsaConfig) -> Result<Self, AlsaError> {
        Ok(Self {
            device: Device::open(config, Direction::Playback)?,
        })
    }

    /// Closes the device and opens it again with the same configuration and the current
    /// volume and mute: after it was unplugged and is back, or was busy and is free.
    pub fn reopen(&mut self) -> Result<(), AlsaError> {
        self.device.reopen()
    }

    /// The configuration it was opened with.
    pub fn config(&self) -> &AlsaConfig {
        &self.device.config
    }

    /// The period and buffer the device agreed to; `None` while closed.
    pub fn buffer_sizes(&self) -> Option<BufferSizes> {
        self.device.sizes()
    }

    /// The channels the device runs (stereo for a card that refuses mono); `None` while
    /// closed.
    pub fn device_channels(&self) -> Option<Channels> {
        self.device.device_channels()
    }

    /// How many underruns were recovered from since the device was (re)opened.
    pub fn xruns(&self) -> u64 {
        self.device.xruns()
    }

    /// The mixer control that sets the volume, `None` for software gain.
    pub fn mixer_control(&self) -> Option<&str> {
        self.device.mixer_control()
    }

    /// The mixer control's level in dB as the card reports it, if it has a dB scale.
    pub fn mixer_db(&self) -> Result<Option<f32>, AlsaError> {
        self.device.mixer_db()
    }
}

impl ErrorType for AlsaSpeaker {
    type Error = AlsaError;
}

impl VolumeControl for AlsaSpeaker {
    fn volume(&mut self) -> Result<Volume, AlsaError> {
        Ok(self.device.volume.volume)
    }
    fn set_volume(&mut self, volume: Volume) -> Result<(), AlsaError> {
        self.device.set_volume(volume)
    }
    fn is_muted(&mut self) -> Result<bool, AlsaError> {
        Ok(self.device.volume.muted)
    }
    fn set_muted(&mut self, muted: bool) -> Result<(), AlsaError> {
        self.device.set_muted(muted)
    }
}

impl Speaker for AlsaSpeaker {
    fn format(&self) -> PcmFormat {
        self.device.config.format
    }

    fn write(&mut self, frame: &AudioFrame) -> Result<Timestamp, AlsaError> {
        frame
            .check_format(self.device.config.format)
            .map_err(|reason| AlsaError::Frame {
                device: self.device.config.device.clone(),
                reason,
            })?;
        let gain = self.device.volume.software_gain();
        let result = self
            .device
            .stream()
            .and_then(|s| s.write(frame.samples(), gain));
        self.device.check(result)
    }

    fn drain(&mut self) -> Result<(), AlsaError> {
        let result = self.device.stream().and_then(|s| s.drain());
        self.device.check(result)
    }
}
