//! What a speaker and a microphone share: opening, reopening, volume.

use ::alsa::Direction;

use super::config::{AlsaConfig, BufferSizes};
use super::error::AlsaError;
use super::mixer::{MixerControl, VolumeState};
use super::pcm::Stream;
use crate::audio::{Channels, Volume};
use crate::error::Error;
use crate::error::ErrorKind;

#[derive(Debug)]
pub(super) struct Device {
    pub(super) config: AlsaConfig,
    direction: Direction,
    pub(super) stream: Option<Stream>,
    pub(super) volume: VolumeState,
}

impl Device {
    pub(super) fn open(config: AlsaConfig, direction: Direction) -> Result<Self, AlsaError> {
        let stream = Stream::open(&config, direction)?;
        let control = MixerControl::find(stream.card(), direction, &config.mixer)?;
        let mut volume = VolumeState::new(control, config.volume, config.muted);
        volume.apply()?;
        Ok(Self {
            config,
            direction,
            stream: Some(stream),
            volume,
        })
    }

    /// Closes the device and opens it again with the same configuration, volume and mute.
    pub(super) fn reopen(&mut self) -> Result<(), AlsaError> {
        // Release the device first: reopening a held hw: device would be busy with itself.
        self.stream = None;
        let stream = Stream::open(&self.config, self.direction)?;
        let control = MixerControl::find(stream.card(), self.direction, &self.config.mixer)?;
        let mut volume = VolumeState::new(control, self.volume.volume, self.volume.muted);
        volume.apply()?;
        self.volume = volume;
        self.stream = Some(stream);
        Ok(())
    }

    pub(super) fn stream(&mut self) -> Result<&mut Stream, AlsaError> {
        self.stream.as_mut().ok_or_else(|| AlsaError::Closed {
            device: self.config.device.clone(),
        })
    }

    /// Closes the stream after an error that means the device is gone, so the next call
    /// reports it closed until `reopen` succeeds, instead of failing differently each time.
    pub(super) fn check<T>(&mut self, result: Result<T, AlsaError>) -> Result<T, AlsaError> {
        if let Err(e) = &result {
            if e.kind() == ErrorKind::Disconnected {
                self.stream = None;
            }
        }
        result
    }

    pub(super) fn sizes(&self) -> Option<BufferSizes> {
        self.stream.as_ref().map(Stream::sizes)
    }

    pub(super) fn device_channels(&self) -> Option<Channels> {
        self.stream.as_ref().map(Stream::device_channels)
    }

    pub(super) fn xruns(&self) -> u64 {
        self.stream.as_ref().map_or(0, Stream::xruns)
    }

    pub(super) fn mixer_control(&self) -> Option<&str> {
        self.volume.control.as_ref().map(MixerControl::name)
    }

    pub(super) fn mixer_db(&self) -> Result<Option<f32>, AlsaError> {
        match &self.volume.control {
            Some(c) => c.db(),
            None => Ok(None),
        }
    }

    pub(super) fn set_volume(&mut self, volume: Volume) -> Result<(), AlsaError> {
        self.volume.set_volume(volume)
    }

    pub(super) fn set_muted(&mut self, muted: bool) -> Result<(), AlsaError> {
        self.volume.set_muted(muted)
    }
}
