//! An ALSA capture device as the station's microphone.

use ::alsa::Direction;

use super::config::{AlsaConfig, BufferSizes};
use super::device::Device;
use super::error::AlsaError;
use crate::audio::{AudioFrame, Channels, Microphone, PcmFormat, Volume, VolumeControl};
use crate::error::ErrorType;

/// A microphone on an ALSA capture device.
///
/// Capture starts with the first read. Each read blocks until the frame is filled and
/// stamps it with the capture time of its first sample (on [`PcmClock`](super::PcmClock)),
/// computed from the samples still waiting in the buffer. An overrun (the station read too
/// late) restarts the stream; the frame is filled from after the gap, which shows in the
/// timestamps, and [`xruns`](Self::xruns) counts it.
#[derive(Debug)]
pub struct AlsaMicrophone {
    device: Device,
}

impl AlsaMicrophone {
    /// Opens `config.device` for capture and sets its volume and mute.
    ///
    /// Fails with [`ErrorKind::Busy`](crate::ErrorKind::Busy) if another program holds the
    /// device, [`ErrorKind::Disconnected`](crate::ErrorKind::Disconnected) if there is no
    /// such card, [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) if it cannot
    /// stream the format.
    pub fn open(config: AlsaConfig) -> Result<Self, AlsaError> {
        Ok(Self {
            device: Device::open(config, Direction::Capture)?,
        })
    }

    /// Closes the device and opens it again with the same configuration and the current
    /// volume and mute.
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

    /// The channels the device runs (stereo for a card that refuses mono, averaged to
    /// mono); `None` while closed.
    pub fn device_channels(&self) -> Option<Channels> {
        self.device.device_channels()
    }

    /// How many overruns were recovered from since the device was (re)opened.
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

impl ErrorType for AlsaMicrophone {
    type Error = AlsaError;
}

impl VolumeControl for AlsaMicrophone {
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

impl Microphone for AlsaMicrophone {
    fn format(&self) -> PcmFormat {
        self.device.config.format
    }

    fn read(&mut self, frame: &mut AudioFrame) -> Result<(), AlsaError> {
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
            .and_then(|s| s.read(frame.samples_mut()));
        let t = self.device.check(result)?;
        gain.apply(frame.samples_mut());
        frame.set_timestamp(t);
        Ok(())
    }
}
