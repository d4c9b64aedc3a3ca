//! Volume and mute through a card's mixer, with software gain as the fallback.
//!
//! The manual's 0–100 maps onto the control's dB scale with the curve of
//! [`Volume`](crate::audio::Volume) (`60·log10(v/100)` dB, clamped to the control's range),
//! so the same number sounds the same on every card. Controls without dB information are
//! taken as linear in amplitude. Volume 0 sets the control to its minimum and also silences
//! the samples in software, since a minimum is not always silence. A control with a switch
//! mutes through it; otherwise mute is software.

use ::alsa::mixer::{MilliBel, Mixer, Selem, SelemChannelId, SelemId};
use ::alsa::{Direction, Round};

use super::config::MixerChoice;
use super::error::AlsaError;
use crate::audio::{Gain, Volume};

const PLAYBACK_NAMES: [&str; 6] = [
    "Speaker",
    "Master",
    "PCM",
    "Headphone",
    "Line Out",
    "Digital",
];
const CAPTURE_NAMES: [&str; 5] = ["Capture", "Mic", "Digital", "Front Mic", "Internal Mic"];

/// A simple mixer control of a card, for one direction.
pub(super) struct MixerControl {
    mixer: Mixer,
    card: String,
    name: String,
    index: u32,
    direction: Direction,
    has_db: bool,
    has_switch: bool,
}

impl core::fmt::Debug for MixerControl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MixerControl")
            .field("card", &self.card)
            .field("name", &self.name)
            .field("has_db", &self.has_db)
            .field("has_switch", &self.has_switch)
            .finish_non_exhaustive()
    }
}

fn has_volume(selem: &Selem<'_>, direction: Direction) -> bool {
    match direction {
        Direction::Playback => selem.has_playback_volume(),
        Direction::Capture => selem.has_capture_volume(),
    }
}

fn stream_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Playback => "playback",
        Direction::Capture => "capture",
    }
}

impl MixerControl {
    /// The control `choice` names on card number `card`; `None` for software gain.
    pub(super) fn find(
        card: Option<i32>,
        direction: Direction,
        choice: &MixerChoice,
    ) -> Result<Option<Self>, AlsaError> {
        if *choice == MixerChoice::Software {
            return Ok(None);
        }
        let Some(card) = card else {
            // A plugin without a card (null, file): nothing to turn.
            return match choice {
                MixerChoice::Control(name) => Err(AlsaError::NoSuchControl {
                    card: "(no sound card behind this device)".into(),
                    control: name.clone(),
                    stream: stream_name(direction),
                    available: "none".into(),
                }),
                _ => Ok(None),
            };
        };
        let card_name = format!("hw:{card}");
        let mixer = match Mixer::new(&card_name, false) {
            Ok(m) => m,
            // A card without a control interface has no mixer: software gain.
            Err(_) if *choice == MixerChoice::Auto => return Ok(None),
            Err(cause) => {
                return Err(AlsaError::Mixer {
                    card: card_name,
                    control: String::new(),
                    op: "opening the mixer",
                    cause,
                })
            }
        };
        let usable = |name: &str| {
            mixer
                .find_selem(&SelemId::new(name, 0))
                .is_some_and(|s| has_volume(&s, direction))
        };
        let name = match choice {
            MixerChoice::Control(name) if usable(name) => name.clone(),
            MixerChoice::Control(name) => {
                let available: Vec<String> = mixer
                    .iter()
                    .filter_map(Selem::new)
                    .filter_map(|s| s.get_id().get_name().ok().map(str::to_owned))
                    .collect();
                return Err(AlsaError::NoSuchControl {
                    card: card_name,
                    control: name.clone(),
                    stream: stream_name(direction),
                    available: if available.is_empty() {
                        "none".into()
                    } else {
                        available.join(", ")
                    },
                });
            }
            _ => {
                let names: &[&str] = match direction {
                    Direction::Playback => &PLAYBACK_NAMES,
                    Direction::Capture => &CAPTURE_NAMES,
                };
                match names.iter().find(|n| usable(n)) {
                    Some(n) => (*n).to_owned(),
                    None => return Ok(None),
                }
            }
        };
        let (has_db, has_switch) = {
            let selem = mixer.find_selem(&SelemId::new(&name, 0)).ok_or_else(|| {
                AlsaError::NoSuchControl {
                    card: card_name.clone(),
                    control: name.clone(),
                    stream: stream_name(direction),
                    available: String::new(),
                }
            })?;
            match direction {
                Direction::Playback => {
                    let (min, _) = selem.get_playback_volume_range();
                    let (lo, hi) = selem.get_playback_db_range();
                    (
                        selem.ask_playback_vol_db(min).is_ok() && lo < hi,
                        selem.has_playback_switch(),
                    )
                }
                Direction::Capture => {
                    let (min, _) = selem.get_capture_volume_range();
                    let (lo, hi) = selem.get_capture_db_range();
                    (
                        selem.ask_capture_vol_db(min).is_ok() && lo < hi,
                        selem.has_capture_switch(),
                    )
                }
            }
        };
        Ok(Some(Self {
            mixer,
            card: card_name,
            name,
            index: 0,
            direction,
            has_db,
            has_switch,
        }))
    }

    /// The control's name.
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    fn error(&self, op: &'static str, cause: ::alsa::Error) -> AlsaError {
        AlsaError::Mixer {
            card: self.card.clone(),
            control: self.name.clone(),
            op,
            cause,
        }
    }

    fn selem(&self) -> Result<Selem<'_>, AlsaError> {
        self.mixer
            .find_selem(&SelemId::new(&self.name, self.index))
            .ok_or_else(|| {
                self.error(
                    "finding the control",
                    ::alsa::Error::new("snd_mixer_find_selem", super::error::ENODEV),
                )
            })
    }

    /// Sets the control to `volume`.
    pub(super) fn set_volume(&self, volume: Volume) -> Result<(), AlsaError> {
        let selem = self.selem()?;
        let playback = self.direction == Direction::Playback;
        let (min, max) = if playback {
            selem.get_playback_volume_range()
        } else {
            selem.get_capture_volume_range()
        };
        let result = match (self.has_db, volume.gain_db()) {
            (true, Some(db)) => {
                let (lo, _) = if playback {
                    selem.get_playback_db_range()
                } else {
                    selem.get_capture_db_range()
                };
                // Never louder than asked: round down to the control's step.
                let mb = MilliBel((f64::from(db) * 100.0).round() as i64).max(lo);
                if playback {
                    selem.set_playback_db_all(mb, Round::Floor)
                } else {
                    selem.set_capture_db_all(mb, Round::Floor)
                }
            }
            _ => {
                let raw = min + ((max - min) as f64 * f64::from(volume.amplitude())).round() as i64;
                if playback {
                    selem.set_playback_volume_all(raw)
                } else {
                    selem.set_capture_volume_all(raw)
                }
            }
        };
        result.map_err(|e| self.error("setting the volume", e))
    }

    /// The control's level in dB, if it has a dB scale.
    pub(super) fn db(&self) -> Result<Option<f32>, AlsaError> {
        if !self.has_db {
            return Ok(None);
        }
        let _ = self.mixer.handle_events();
        let selem = self.selem()?;
        let ch = SelemChannelId::mono();
        let mb = if self.direction == Direction::Playback {
            selem.get_playback_vol_db(ch)
        } else {
            selem.get_capture_vol_db(ch)
        };
        mb.map(|mb| Some(mb.to_db()))
            .map_err(|e| self.error("reading the volume", e))
    }

    /// Mutes through the control's switch; `false` if it has none (then the caller mutes
    /// in software).
    pub(super) fn set_muted(&self, muted: bool) -> Result<bool, AlsaError> {
        if !self.has_switch {
            return Ok(false);
        }
        let selem = self.selem()?;
        let on = i32::from(!muted);
        if self.direction == Direction::Playback {
            selem.set_playback_switch_all(on)
        } else {
            selem.set_capture_switch_all(on)
        }
        .map_err(|e| self.error("setting the switch", e))?;
        Ok(true)
    }
}

/// Volume and mute of one stream: through a mixer control when there is one, in software
/// otherwise.
#[derive(Debug)]
pub(super) struct VolumeState {
    pub(super) volume: Volume,
    pub(super) muted: bool,
    pub(super) control: Option<MixerControl>,
    /// Whether the control's switch does the muting.
    switch_mutes: bool,
}

impl VolumeState {
    pub(super) fn new(control: Option<MixerControl>, volume: Volume, muted: bool) -> Self {
        Self {
            volume,
            muted,
            control,
            switch_mutes: false,
        }
    }

    /// Applies the volume and mute to the control (after opening or reopening).
    pub(super) fn apply(&mut self) -> Result<(), AlsaError> {
        self.set_volume(self.volume)?;
        self.set_muted(self.muted)
    }

    pub(super) fn set_volume(&mut self, volume: Volume) -> Result<(), AlsaError> {
        if let Some(c) = &self.control {
            c.set_volume(volume)?;
        }
        self.volume = volume;
        Ok(())
    }

    pub(super) fn set_muted(&mut self, muted: bool) -> Result<(), AlsaError> {
        self.switch_mutes = match &self.control {
            Some(c) => c.set_muted(muted)?,
            None => false,
        };
        self.muted = muted;
        Ok(())
    }

    /// The gain to apply to the samples: what the mixer does not do.
    pub(super) fn software_gain(&self) -> Gain {
        let muted = self.muted && !self.switch_mutes;
        match &self.control {
            None => Gain::new(self.volume, muted),
            Some(_) if self.volume == Volume::SILENT => Gain::ZERO,
            Some(_) => Gain::new(Volume::MAX, muted),
        }
    }
}
