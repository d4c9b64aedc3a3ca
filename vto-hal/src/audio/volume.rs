//! Volume as the manual sets it (0–100), mute, and the software gain used when a card has
//! no mixer control.
//!
//! One curve serves both the hardware mixer and software gain, so a volume sounds the same
//! on every board: the amplitude is `(v / 100)³`, i.e. `60·log10(v / 100)` dB. This is the
//! curve of alsamixer's "mapped volume": 100 is 0 dB (the full level the hardware was
//! designed for), 80 is −5.8 dB, 50 is −18 dB, 10 is −60 dB and 0 is silence. Loudness
//! perception is roughly logarithmic, so equal steps of the slider sound like equal steps.

use core::fmt;

/// A volume from 0 (silent) to 100 (full level, 0 dB), as in the manual's "Microphone
/// Volume" and "Speaker Volume".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Volume(u8);

/// A volume outside 0–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("volume {0} is outside 0..=100")]
pub struct VolumeOutOfRange(pub u32);

impl crate::error::Error for VolumeOutOfRange {
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::InvalidConfig
    }
}

/// The quietest gain a volume above 0 maps to, in dB (volume 1); mixers whose range stops
/// higher clamp to their minimum.
pub const MIN_DB: f32 = -120.0;

impl Volume {
    /// Silent (not the same as mute: unmuting does not bring the sound back).
    pub const SILENT: Self = Self(0);
    /// Full level: 0 dB, no attenuation.
    pub const MAX: Self = Self(100);

    /// The volume `percent`, if it is within 0–100.
    pub fn new(percent: u32) -> Result<Self, VolumeOutOfRange> {
        match u8::try_from(percent) {
            Ok(v) if v <= 100 => Ok(Self(v)),
            _ => Err(VolumeOutOfRange(percent)),
        }
    }

    /// The value on the manual's 0–100 scale.
    pub const fn percent(self) -> u8 {
        self.0
    }

    /// The amplitude factor, `(v / 100)³`: 1.0 at 100, 0.0 at 0.
    pub fn amplitude(self) -> f32 {
        let x = f32::from(self.0) / 100.0;
        x * x * x
    }

    /// The gain in dB, `60·log10(v / 100)`, or `None` for 0 (silence, −∞ dB).
    pub fn gain_db(self) -> Option<f32> {
        (self.0 > 0).then(|| 60.0 * (f32::from(self.0) / 100.0).log10())
    }

    /// The volume whose gain is nearest `db` (0 dB and above is 100, far below is 1, never
    /// 0: a mixer at its minimum still plays).
    pub fn from_gain_db(db: f32) -> Self {
        if db.is_nan() || db >= 0.0 {
            return Self::MAX;
        }
        let v = 100.0 * 10f32.powf(db / 60.0);
        // `v` is within (0, 100) here, so the cast cannot truncate.
        Self((v.round() as u8).clamp(1, 100))
    }

    /// The volume nearest `fraction` of a mixer's raw range (for controls without dB
    /// information: their steps are taken as linear in amplitude).
    pub fn from_amplitude(amplitude: f32) -> Self {
        if amplitude.is_nan() || amplitude <= 0.0 {
            return Self::SILENT;
        }
        let v = 100.0 * amplitude.min(1.0).cbrt();
        Self(v.round() as u8)
    }
}

impl Default for Volume {
    /// Full level: vto does not attenuate unless told to.
    fn default() -> Self {
        Self::MAX
    }
}

impl fmt::Display for Volume {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A software gain in Q16 fixed point (65536 = unity), applied with saturation.
///
/// Fixed point rather than float because the 32-bit Pi boards do an integer multiply in one
/// cycle and the result is the same on every target; a gain never exceeds unity, so the
/// saturation only matters for gains built with [`Gain::from_q16`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Gain(u32);

impl Gain {
    /// No change.
    pub const UNITY: Self = Self(1 << 16);
    /// Silence.
    pub const ZERO: Self = Self(0);

    /// The gain of `volume`, or silence when `muted`.
    pub fn new(volume: Volume, muted: bool) -> Self {
        if muted {
            return Self::ZERO;
        }
        if volume == Volume::MAX {
            return Self::UNITY;
        }
        // amplitude ≤ 1, so this is at most 65536.
        Self((volume.amplitude() * 65536.0).round() as u32)
    }

    /// A raw Q16 gain (65536 = unity, up to 65535/65536 below 256× boost).
    pub const fn from_q16(q16: u32) -> Self {
        Self(q16)
    }

    /// The Q16 value.
    pub const fn q16(self) -> u32 {
        self.0
    }

    /// Whether applying the gain leaves samples as they are.
    pub const fn is_unity(self) -> bool {
        self.0 == 1 << 16
    }

    /// Scales one sample, rounding to nearest and saturating.
    #[inline]
    pub fn apply_sample(self, s: i16) -> i16 {
        let scaled = (i64::from(s) * i64::from(self.0) + (1 << 15)) >> 16;
        scaled.clamp(i64::from(i16::MIN), i64::from(i16::MAX)) as i16
    }

    /// Scales samples in place.
    pub fn apply(self, samples: &mut [i16]) {
        if self.is_unity() {
            return;
        }
        if self.0 == 0 {
            samples.fill(0);
            return;
        }
        if self.0 <= 1 << 16 {
            // At most unity: the product fits an i32 and the result an i16, so no clamp
            // (and the loop vectorises).
            let g = self.0 as i32;
            for s in samples {
                *s = ((i32::from(*s) * g + (1 << 15)) >> 16) as i16;
            }
            return;
        }
        for s in samples {
            *s = self.apply_sample(*s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_range_is_0_to_100() {
        assert_eq!(Volume::new(100).unwrap().percent(), 100);
        assert_eq!(Volume::new(0).unwrap(), Volume::SILENT);
        assert_eq!(Volume::new(101), Err(VolumeOutOfRange(101)));
        assert_eq!(Volume::new(256), Err(VolumeOutOfRange(256)));
        assert_eq!(
            VolumeOutOfRange(101).to_string(),
            "volume 101 is outside 0..=100"
        );
    }

    #[test]
    fn the_curve_is_alsamixers_mapped_volume() {
        let db = |v| Volume::new(v).unwrap().gain_db().unwrap();
        assert_eq!(db(100), 0.0);
        assert!((db(50) - -18.06).abs() < 0.01);
        assert!((db(10) - -60.0).abs() < 0.01);
        assert_eq!(Volume::SILENT.gain_db(), None);
        for v in 1..=100 {
            let vol = Volume::new(v).unwrap();
            assert_eq!(Volume::from_gain_db(vol.gain_db().unwrap()), vol);
            assert_eq!(Volume::from_amplitude(vol.amplitude()), vol);
        }
        assert_eq!(Volume::from_gain_db(-500.0).percent(), 1);
        assert_eq!(Volume::from_gain_db(6.0), Volume::MAX);
    }

    #[test]
    fn software_gain_follows_the_curve_and_mute_silences() {
        let half = Gain::new(Volume::new(50).unwrap(), false);
        let mut s = [16000i16, -16000, 0, i16::MAX, i16::MIN];
        half.apply(&mut s);
        // 0.5³ = 0.125
        assert_eq!(s, [2000, -2000, 0, 4096, -4096]);
        let mut s = [1234i16, -1];
        Gain::new(Volume::MAX, false).apply(&mut s);
        assert_eq!(s, [1234, -1]);
        Gain::new(Volume::MAX, true).apply(&mut s);
        assert_eq!(s, [0, 0]);
    }

    #[test]
    fn the_fast_path_for_attenuation_rounds_like_the_exact_one() {
        for v in [1, 7, 33, 50, 80, 99] {
            let g = Gain::new(Volume::new(v).unwrap(), false);
            let mut all: Vec<i16> = (i16::MIN..=i16::MAX).step_by(7).collect();
            all.push(i16::MAX);
            let exact: Vec<i16> = all.iter().map(|&s| g.apply_sample(s)).collect();
            g.apply(&mut all);
            assert_eq!(all, exact, "volume {v}");
        }
    }

    #[test]
    fn a_boost_saturates_instead_of_wrapping() {
        let double = Gain::from_q16(2 << 16);
        assert_eq!(double.apply_sample(20000), i16::MAX);
        assert_eq!(double.apply_sample(-20000), i16::MIN);
    }
}
