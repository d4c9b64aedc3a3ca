//! Local Settings > Video & Audio (manual 4.2): the two video streams, the image controls,
//! the prompts and the volumes. The image controls are vto-hal's camera controls, with the
//! same names and 0–100 scale.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::range;
use super::{FieldError, Section};

/// Bit rates offered for either stream, kb/s.
pub const BIT_RATE_RANGE_KBPS: core::ops::RangeInclusive<u32> = 32..=8192;

/// The manual's "Video & Audio" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct VideoAudio {
    /// "Main Stream": what recordings and the management centre get. Default 720P, 25 fps,
    /// 2048 kb/s.
    pub main_stream: Stream,
    /// "Sub Stream": what indoor monitors show; WVGA or smaller and not larger than the main
    /// stream. Default WVGA, 25 fps, 512 kb/s.
    pub sub_stream: Stream,
    /// "Scene Mode" and "Compensation Mode" (one control in vto-hal): `auto` (the
    /// manual's default), `blc`, `wdr` or `hlc`.
    pub scene_mode: SceneMode,
    /// "Video Standard": PAL (50 Hz mains, at most 25 fps) or NTSC (60 Hz, at most
    /// 30 fps). Default PAL.
    pub video_standard: VideoStandard,
    /// "Brightness", 0–100. Default 50.
    pub brightness: u8,
    /// "Contrast", 0–100. Default 50.
    pub contrast: u8,
    /// "Hue", 0–100 (50 leaves colours as the sensor gives them). Default 50.
    pub hue: u8,
    /// "Saturation", 0–100. Default 50.
    pub saturation: u8,
    /// "Gamma", 0–100. Default 50.
    pub gamma: u8,
    /// "Gain Adjustment", 0–100. Default 50.
    pub gain: u8,
    /// "Mirror": left and right reversed. Default off.
    pub mirror: bool,
    /// "Flip": upside down. Default off.
    pub flip: bool,
    /// "Display Time": date and time drawn into the picture. Default on.
    pub display_time: bool,
    /// "Audio Control": each prompt on or off.
    pub sounds: PromptSounds,
    /// "Microphone Volume", 0–100. Default 80.
    pub microphone_volume: u8,
    /// "Speaker Volume", 0–100. Default 80.
    pub speaker_volume: u8,
}

/// One video stream.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Stream {
    /// "Video Format": 1080P, 720P, WVGA, D1, CIF or QVGA.
    pub resolution: Resolution,
    /// "Frame Rate", frames per second: 1–25 with PAL, 1–30 with NTSC.
    pub frame_rate: u32,
    /// "Bit Rate", kb/s: 32–8192.
    pub bit_rate_kbps: u32,
}

impl Default for Stream {
    fn default() -> Self {
        Self {
            resolution: Resolution::P720,
            frame_rate: 25,
            bit_rate_kbps: 2048,
        }
    }
}

/// The manual's video formats.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// 1920 × 1080.
    #[serde(rename = "1080P")]
    P1080,
    /// 1280 × 720.
    #[serde(rename = "720P")]
    P720,
    /// 800 × 480.
    #[serde(rename = "WVGA")]
    Wvga,
    /// 720 × 480.
    #[serde(rename = "D1")]
    D1,
    /// 352 × 288.
    #[serde(rename = "CIF")]
    Cif,
    /// 320 × 240.
    #[serde(rename = "QVGA")]
    Qvga,
}

impl Resolution {
    /// Width and height in pixels.
    pub const fn size(self) -> (u32, u32) {
        match self {
            Self::P1080 => (1920, 1080),
            Self::P720 => (1280, 720),
            Self::Wvga => (800, 480),
            Self::D1 => (720, 480),
            Self::Cif => (352, 288),
            Self::Qvga => (320, 240),
        }
    }

    /// The name as the manual writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::P1080 => "1080P",
            Self::P720 => "720P",
            Self::Wvga => "WVGA",
            Self::D1 => "D1",
            Self::Cif => "CIF",
            Self::Qvga => "QVGA",
        }
    }

    fn pixels(self) -> u32 {
        let (w, h) = self.size();
        w * h
    }
}

/// Scene and compensation mode, as `vto_hal::camera::Scene`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SceneMode {
    /// Automatic exposure, no compensation.
    #[default]
    Auto,
    /// Back light compensation.
    Blc,
    /// Wide dynamic range.
    Wdr,
    /// High light compensation.
    Hlc,
}

impl From<SceneMode> for vto_hal::camera::Scene {
    fn from(s: SceneMode) -> Self {
        match s {
            SceneMode::Auto => Self::Auto,
            SceneMode::Blc => Self::Blc,
            SceneMode::Wdr => Self::Wdr,
            SceneMode::Hlc => Self::Hlc,
        }
    }
}

/// PAL or NTSC, as `vto_hal::camera::VideoStandard`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum VideoStandard {
    /// 50 Hz regions (China, Europe).
    #[default]
    Pal,
    /// 60 Hz regions (United States, Japan).
    Ntsc,
}

impl VideoStandard {
    /// The highest frame rate the standard allows.
    pub const fn max_frame_rate(self) -> u32 {
        match self {
            Self::Pal => 25,
            Self::Ntsc => 30,
        }
    }
}

impl From<VideoStandard> for vto_hal::camera::VideoStandard {
    fn from(s: VideoStandard) -> Self {
        match s {
            VideoStandard::Pal => Self::Pal,
            VideoStandard::Ntsc => Self::Ntsc,
        }
    }
}

/// "Audio Control": each of vto-hal's prompts on or off.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PromptSounds {
    /// The ring-back tone while the call rings. Default on.
    pub ring_back: bool,
    /// The door-open sound. Default on.
    pub door_open: bool,
    /// The call-failed (busy) tone. Default on.
    pub call_failed: bool,
}

impl Default for PromptSounds {
    fn default() -> Self {
        Self {
            ring_back: true,
            door_open: true,
            call_failed: true,
        }
    }
}

impl Default for VideoAudio {
    fn default() -> Self {
        Self {
            main_stream: Stream::default(),
            sub_stream: Stream {
                resolution: Resolution::Wvga,
                frame_rate: 25,
                bit_rate_kbps: 512,
            },
            scene_mode: SceneMode::Auto,
            video_standard: VideoStandard::Pal,
            brightness: 50,
            contrast: 50,
            hue: 50,
            saturation: 50,
            gamma: 50,
            gain: 50,
            mirror: false,
            flip: false,
            display_time: true,
            sounds: PromptSounds::default(),
            microphone_volume: 80,
            speaker_volume: 80,
        }
    }
}

impl Stream {
    fn validate(&self, standard: VideoStandard) -> Result<(), FieldError> {
        range(
            "frame_rate",
            self.frame_rate,
            1..=standard.max_frame_rate(),
            "fps",
        )?;
        range(
            "bit_rate_kbps",
            self.bit_rate_kbps,
            BIT_RATE_RANGE_KBPS,
            "kb/s",
        )
    }
}

impl Section for VideoAudio {
    const NAME: &'static str = "local.video";
    const PAGE: &'static str = "Local Settings > Video & Audio";

    fn validate(&self) -> Result<(), FieldError> {
        self.main_stream
            .validate(self.video_standard)
            .map_err(|e| e.within("main_stream"))?;
        self.sub_stream
            .validate(self.video_standard)
            .map_err(|e| e.within("sub_stream"))?;
        let sub = self.sub_stream.resolution;
        if sub.pixels() > Resolution::Wvga.pixels()
            || sub.pixels() > self.main_stream.resolution.pixels()
        {
            return Err(FieldError::new(
                "sub_stream.resolution",
                format!("{:?}", sub.name()),
                format!(
                    "WVGA, D1, CIF or QVGA, and not larger than the main stream ({})",
                    self.main_stream.resolution.name()
                ),
            ));
        }
        for (field, value) in [
            ("brightness", self.brightness),
            ("contrast", self.contrast),
            ("hue", self.hue),
            ("saturation", self.saturation),
            ("gamma", self.gamma),
            ("gain", self.gain),
            ("microphone_volume", self.microphone_volume),
            ("speaker_volume", self.speaker_volume),
        ] {
            range(field, value, 0..=100, "")?;
        }
        Ok(())
    }
}
