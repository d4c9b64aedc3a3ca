//! Image controls with the manual's meaning and ranges ("Local Settings > Video & Audio"):
//! sliders are 0–100 with 50 the neutral default, whatever range the sensor uses.

use core::fmt;

/// A slider position on the manual's 0–100 scale; 50 is the neutral default.
///
/// Backends scale it onto the device's own range with [`DeviceRange`], so "brightness 50"
/// means the same on every camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level(u8);

/// A slider value above 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("level {0} is outside 0..=100")]
pub struct LevelOutOfRange(pub u32);

impl Level {
    /// The lowest position.
    pub const MIN: Self = Self(0);
    /// The neutral middle, the manual's default.
    pub const DEFAULT: Self = Self(50);
    /// The highest position.
    pub const MAX: Self = Self(100);

    /// A level, if `value` is within 0..=100.
    pub const fn new(value: u32) -> Result<Self, LevelOutOfRange> {
        if value > 100 {
            return Err(LevelOutOfRange(value));
        }
        Ok(Self(value as u8))
    }

    /// The position, 0..=100.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// The device value this level stands for on `range`: linear from `min` (0) to `max`
    /// (100), rounded to the nearest multiple of the device's step above `min`.
    pub fn to_device(self, range: DeviceRange) -> i64 {
        let span = i128::from(range.max) - i128::from(range.min);
        // Nearest, halves up: 50 on 0..=255 is 128, like most drivers' default.
        let offset = (span * i128::from(self.0) * 2 + 100) / 200;
        let step = i128::from(range.step);
        let mut snapped = (offset + step / 2) / step * step;
        if snapped > span {
            snapped -= step;
        }
        let value = i128::from(range.min) + snapped.max(0);
        // Within min..=max, which are i64.
        i64::try_from(value).unwrap_or(range.max)
    }

    /// The level a device value stands for on `range`, rounded to the nearest; values
    /// outside the range are clamped. A range with one value reads as 0.
    pub fn from_device(value: i64, range: DeviceRange) -> Self {
        let span = i128::from(range.max) - i128::from(range.min);
        if span <= 0 {
            return Self::MIN;
        }
        let offset = (i128::from(value) - i128::from(range.min)).clamp(0, span);
        let level = (offset * 200 + span) / (span * 2);
        Self(u8::try_from(level.clamp(0, 100)).unwrap_or(100))
    }
}

impl Default for Level {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A device's own range for an integer control (V4L2's minimum, maximum, step, default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeviceRange {
    min: i64,
    max: i64,
    step: u64,
    default: i64,
}

/// A device range that cannot be scaled onto (minimum above maximum, or a zero step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("device range {min}..={max} step {step} is not a range")]
pub struct BadDeviceRange {
    /// The minimum reported.
    pub min: i64,
    /// The maximum reported.
    pub max: i64,
    /// The step reported.
    pub step: u64,
}

impl DeviceRange {
    /// A range `min..=max` in steps of `step` above `min`, with the device's `default`.
    pub fn new(min: i64, max: i64, step: u64, default: i64) -> Result<Self, BadDeviceRange> {
        if min > max || step == 0 || i64::try_from(step).is_err() {
            return Err(BadDeviceRange { min, max, step });
        }
        Ok(Self {
            min,
            max,
            step,
            default: default.clamp(min, max),
        })
    }

    /// The lowest value.
    pub const fn min(self) -> i64 {
        self.min
    }

    /// The highest value.
    pub const fn max(self) -> i64 {
        self.max
    }

    /// The distance between two settable values.
    pub const fn step(self) -> u64 {
        self.step
    }

    /// The device's default.
    pub const fn default_value(self) -> i64 {
        self.default
    }
}

/// The manual's "Scene Mode" and "Compensation Mode": how exposure handles difficult light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Scene {
    /// Automatic exposure without compensation, the manual's default.
    #[default]
    Auto,
    /// Back light compensation: a visitor in front of a bright street stays visible.
    Blc,
    /// Wide dynamic range: brighter dark areas and darker bright ones.
    Wdr,
    /// High light compensation: headlights and torches are dimmed.
    Hlc,
}

impl fmt::Display for Scene {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Auto => "Auto",
            Self::Blc => "BLC",
            Self::Wdr => "WDR",
            Self::Hlc => "HLC",
        })
    }
}

/// The manual's "Video Standard": the mains frequency the anti-flicker filter follows
/// (PAL regions run on 50 Hz, NTSC regions on 60 Hz).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VideoStandard {
    /// 50 Hz mains (China, Europe).
    Pal,
    /// 60 Hz mains (United States, Japan).
    Ntsc,
}

impl VideoStandard {
    /// The mains frequency in hertz.
    pub const fn mains_hz(self) -> u32 {
        match self {
            Self::Pal => 50,
            Self::Ntsc => 60,
        }
    }
}

impl fmt::Display for VideoStandard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pal => "PAL",
            Self::Ntsc => "NTSC",
        })
    }
}

/// An image control of the manual, named as there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Control {
    /// "The larger the value, the brighter the image."
    Brightness,
    /// "Larger value for more contrast between bright and dark areas."
    Contrast,
    /// "Make the color brighter or darker."
    Hue,
    /// "The larger the value, the thicker the color."
    Saturation,
    /// "Changes the picture brightness ... in a non-linear way."
    Gamma,
    /// "Amplify the video signal to increase image brightness" (turns automatic gain off).
    Gain,
    /// "Display the image with left and right side reversed."
    Mirror,
    /// "Display the image upside down."
    Flip,
    /// Scene and compensation mode: Auto, BLC, WDR, HLC.
    Scene,
    /// PAL or NTSC: the anti-flicker mains frequency.
    VideoStandard,
    /// "Display the current time and date on the video image."
    DisplayTime,
}

impl Control {
    /// Every control, in the manual's order.
    pub const ALL: [Control; 11] = [
        Self::Scene,
        Self::VideoStandard,
        Self::Brightness,
        Self::Contrast,
        Self::Hue,
        Self::Saturation,
        Self::Gamma,
        Self::Gain,
        Self::Mirror,
        Self::Flip,
        Self::DisplayTime,
    ];

    /// Whether the control is a 0–100 slider.
    pub const fn is_level(self) -> bool {
        matches!(
            self,
            Self::Brightness
                | Self::Contrast
                | Self::Hue
                | Self::Saturation
                | Self::Gamma
                | Self::Gain
        )
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Brightness => "Brightness",
            Self::Contrast => "Contrast",
            Self::Hue => "Hue",
            Self::Saturation => "Saturation",
            Self::Gamma => "Gamma",
            Self::Gain => "Gain",
            Self::Mirror => "Mirror",
            Self::Flip => "Flip",
            Self::Scene => "Scene Mode",
            Self::VideoStandard => "Video Standard",
            Self::DisplayTime => "Display Time",
        })
    }
}

/// A control with its value: what [`ImageControls::set`](super::ImageControls::set) takes
/// and [`get`](super::ImageControls::get) returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// Brightness, 0–100.
    Brightness(Level),
    /// Contrast, 0–100.
    Contrast(Level),
    /// Hue, 0–100 (50: unchanged).
    Hue(Level),
    /// Saturation, 0–100.
    Saturation(Level),
    /// Gamma, 0–100.
    Gamma(Level),
    /// Manual gain, 0–100.
    Gain(Level),
    /// Left and right reversed.
    Mirror(bool),
    /// Upside down.
    Flip(bool),
    /// Scene and compensation mode.
    Scene(Scene),
    /// PAL or NTSC mains frequency.
    VideoStandard(VideoStandard),
    /// Time stamp drawn into the picture.
    DisplayTime(bool),
}

impl Setting {
    /// Which control this sets.
    pub const fn control(self) -> Control {
        match self {
            Self::Brightness(_) => Control::Brightness,
            Self::Contrast(_) => Control::Contrast,
            Self::Hue(_) => Control::Hue,
            Self::Saturation(_) => Control::Saturation,
            Self::Gamma(_) => Control::Gamma,
            Self::Gain(_) => Control::Gain,
            Self::Mirror(_) => Control::Mirror,
            Self::Flip(_) => Control::Flip,
            Self::Scene(_) => Control::Scene,
            Self::VideoStandard(_) => Control::VideoStandard,
            Self::DisplayTime(_) => Control::DisplayTime,
        }
    }

    /// The slider position, for the 0–100 controls.
    pub const fn level(self) -> Option<Level> {
        match self {
            Self::Brightness(l)
            | Self::Contrast(l)
            | Self::Hue(l)
            | Self::Saturation(l)
            | Self::Gamma(l)
            | Self::Gain(l) => Some(l),
            _ => None,
        }
    }

    /// The slider control `control` at `level`, or `None` if `control` is not a slider.
    pub const fn with_level(control: Control, level: Level) -> Option<Self> {
        Some(match control {
            Control::Brightness => Self::Brightness(level),
            Control::Contrast => Self::Contrast(level),
            Control::Hue => Self::Hue(level),
            Control::Saturation => Self::Saturation(level),
            Control::Gamma => Self::Gamma(level),
            Control::Gain => Self::Gain(level),
            _ => return None,
        })
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on_off = |b: bool| if b { "on" } else { "off" };
        match *self {
            s if s.level().is_some() => {
                write!(f, "{} {}", s.control(), s.level().unwrap_or_default())
            }
            Self::Mirror(b) | Self::Flip(b) | Self::DisplayTime(b) => {
                write!(f, "{} {}", self.control(), on_off(b))
            }
            Self::Scene(s) => write!(f, "Scene Mode {s}"),
            Self::VideoStandard(s) => write!(f, "Video Standard {s}"),
            _ => write!(f, "{}", self.control()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: i64, max: i64, step: u64) -> DeviceRange {
        DeviceRange::new(min, max, step, min).unwrap()
    }

    #[test]
    fn the_neutral_level_lands_on_the_usual_driver_default() {
        assert_eq!(Level::DEFAULT.to_device(range(0, 255, 1)), 128);
        assert_eq!(Level::DEFAULT.to_device(range(-128, 128, 1)), 0);
        assert_eq!(Level::from_device(128, range(0, 255, 1)), Level::DEFAULT);
        assert_eq!(Level::from_device(0, range(-128, 128, 1)), Level::DEFAULT);
    }

    #[test]
    fn the_ends_map_to_the_device_ends_even_with_coarse_steps() {
        let r = range(-64, 64, 1);
        assert_eq!(Level::MIN.to_device(r), -64);
        assert_eq!(Level::MAX.to_device(r), 64);
        // 0..=100 in steps of 30: 0, 30, 60, 90; 100 is not settable.
        let r = range(0, 100, 30);
        assert_eq!(Level::MAX.to_device(r), 90);
        assert_eq!(Level::new(40).unwrap().to_device(r), 30);
        assert_eq!(Level::new(46).unwrap().to_device(r), 60);
        // A boolean-like range.
        let r = range(0, 1, 1);
        assert_eq!(Level::new(49).unwrap().to_device(r), 0);
        assert_eq!(Level::new(50).unwrap().to_device(r), 1);
    }

    #[test]
    fn device_values_out_of_range_are_clamped() {
        let r = range(100, 200, 1);
        assert_eq!(Level::from_device(0, r), Level::MIN);
        assert_eq!(Level::from_device(1000, r), Level::MAX);
        assert_eq!(Level::from_device(5, range(5, 5, 1)), Level::MIN);
        assert!(Level::new(101).is_err());
        assert!(DeviceRange::new(1, 0, 1, 0).is_err());
        assert!(DeviceRange::new(0, 1, 0, 0).is_err());
    }

    #[test]
    fn every_level_survives_a_round_trip_through_a_fine_range() {
        for r in [range(0, 255, 1), range(-128, 128, 1), range(0, 10_000, 1)] {
            for l in 0..=100 {
                let level = Level::new(l).unwrap();
                assert_eq!(Level::from_device(level.to_device(r), r), level, "{r:?}");
            }
        }
    }

    #[test]
    fn settings_name_their_control() {
        assert_eq!(Setting::Hue(Level::DEFAULT).control(), Control::Hue);
        assert_eq!(
            Setting::Brightness(Level::MAX).to_string(),
            "Brightness 100"
        );
        assert_eq!(Setting::Scene(Scene::Wdr).to_string(), "Scene Mode WDR");
        assert_eq!(
            Setting::with_level(Control::Gain, Level::MIN),
            Some(Setting::Gain(Level::MIN))
        );
        assert_eq!(Setting::with_level(Control::Mirror, Level::MIN), None);
    }
}
