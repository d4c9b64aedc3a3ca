//! Measuring what was heard: level, the level of one frequency, the dominant frequency, and
//! when a tone starts.
//!
//! Used by tests ("the visitor heard the 425 Hz ring-back, not silence, not a click") and by
//! the simulation's speaker probe. Levels are fractions of full scale (1.0 = a sample of
//! ±32768); frequencies in Hz. Every function takes mono samples; pass one channel of a
//! stereo stream.

use core::f64::consts::PI;

const FULL_SCALE: f64 = 32768.0;

/// Below this RMS level (−80 dBFS) a block counts as silence and has no frequency.
pub const SILENCE_RMS: f64 = 1e-4;

/// The RMS level of `samples`, 0.0 for none.
pub fn rms(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples
        .iter()
        .map(|&s| {
            let x = f64::from(s) / FULL_SCALE;
            x * x
        })
        .sum();
    (sum / samples.len() as f64).sqrt()
}

/// The RMS level in dB relative to full scale (a full-scale sine is −3 dBFS); −∞ for silence.
pub fn rms_dbfs(samples: &[i16]) -> f64 {
    20.0 * rms(samples).log10()
}

/// The peak amplitude of the `frequency` component of `samples` (Goertzel's algorithm): a
/// sine of amplitude 0.5 at that frequency gives about 0.5, other frequencies far less.
///
/// The block is Hann-windowed, so a tone a few Hz off (a sound card's clock drift) still
/// counts, and a strong tone elsewhere leaks little into the measurement.
pub fn tone_level(samples: &[i16], rate: u32, frequency: f64) -> f64 {
    let n = samples.len();
    if n < 2 || rate == 0 {
        return 0.0;
    }
    let w = 2.0 * PI * frequency / f64::from(rate);
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    let mut window_sum = 0.0;
    for (i, &s) in samples.iter().enumerate() {
        let win = hann(i, n);
        window_sum += win;
        let s0 = f64::from(s) / FULL_SCALE * win + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    2.0 * power.max(0.0).sqrt() / window_sum
}

/// The frequency with the most energy in `samples`, to a fraction of the analysis
/// resolution; `None` for silence.
///
/// A Hann-windowed FFT over the block (zero-padded to a power of two, the first 65536
/// samples at most) with the peak refined by Gaussian interpolation between bins. A 200 ms
/// block resolves to well under 1 Hz for a clean tone.
pub fn dominant_frequency(samples: &[i16], rate: u32) -> Option<f64> {
    const MAX_LEN: usize = 1 << 16;
    let samples = &samples[..samples.len().min(MAX_LEN)];
    if samples.len() < 4 || rate == 0 || rms(samples) < SILENCE_RMS {
        return None;
    }
    let n = samples.len();
    // Pad to at least 4× the block so the interpolation works on a smooth peak.
    let size = (n * 4).next_power_of_two().min(MAX_LEN * 2);
    let mut re = vec![0.0; size];
    let mut im = vec![0.0; size];
    for (i, &s) in samples.iter().enumerate() {
        re[i] = f64::from(s) * hann(i, n);
    }
    fft(&mut re, &mut im);
    let mag = |k: usize| (re[k] * re[k] + im[k] * im[k]).sqrt();
    // Skip DC and the bins next to it: an offset is not a tone.
    let first = (size / n).max(1) * 2;
    let (peak, peak_mag) = (first..size / 2)
        .map(|k| (k, mag(k)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if peak_mag <= 0.0 {
        return None;
    }
    let offset = if peak > 0 && peak + 1 < size / 2 {
        let (a, b, c) = (mag(peak - 1), peak_mag, mag(peak + 1));
        if a > 0.0 && c > 0.0 {
            let (la, lb, lc) = (a.ln(), b.ln(), c.ln());
            let denom = la - 2.0 * lb + lc;
            if denom.abs() > f64::EPSILON {
                (0.5 * (la - lc) / denom).clamp(-0.5, 0.5)
            } else {
                0.0
            }
        } else {
            0.0
        }
    } else {
        0.0
    };
    Some((peak as f64 + offset) * f64::from(rate) / size as f64)
}

/// The frequency of a clean tone from the time between its zero crossings; `None` when
/// fewer than two periods are there.
///
/// A cheap cross-check of [`dominant_frequency`]: it needs no FFT but is fooled by noise
/// and by mixtures of tones. Crossings need the signal to swing past ±`1/64` of its peak,
/// so small noise around zero is not counted.
pub fn zero_crossing_frequency(samples: &[i16], rate: u32) -> Option<f64> {
    let peak = samples.iter().map(|s| i32::from(*s).abs()).max()?;
    let hysteresis = (peak / 64).max(1);
    let mut positive: Option<bool> = None;
    let mut crossings: Vec<usize> = Vec::new();
    for (i, &s) in samples.iter().enumerate() {
        let s = i32::from(s);
        let now = if s > hysteresis {
            Some(true)
        } else if s < -hysteresis {
            Some(false)
        } else {
            None
        };
        if let Some(now) = now {
            if positive.is_some_and(|p| p != now) {
                crossings.push(i);
            }
            positive = Some(now);
        }
    }
    if crossings.len() < 5 || rate == 0 {
        return None;
    }
    let span = (crossings[crossings.len() - 1] - crossings[0]) as f64;
    let half_periods = (crossings.len() - 1) as f64;
    Some(half_periods / 2.0 * f64::from(rate) / span)
}

/// The index of the first sample of a `frequency` tone at least `min_level` loud (peak
/// amplitude, fraction of full scale), or `None` if it never starts.
///
/// Scans blocks of four periods with [`tone_level`], then finds the first sample of
/// the first loud block (or the one before) that swings past half of `min_level`: a
/// resolution of a fraction of a period, enough to measure latency to a fraction of a
/// millisecond at 1 kHz.
pub fn tone_onset(samples: &[i16], rate: u32, frequency: f64, min_level: f64) -> Option<usize> {
    if frequency <= 0.0 || rate == 0 {
        return None;
    }
    let block = ((4.0 * f64::from(rate) / frequency).ceil() as usize).max(8);
    let first = samples
        .chunks(block)
        .position(|b| b.len() == block && tone_level(b, rate, frequency) >= min_level)?;
    let from = first.saturating_sub(1) * block;
    let threshold = min_level * FULL_SCALE / 2.0;
    samples[from..]
        .iter()
        .position(|&s| f64::from(s).abs() >= threshold)
        .map(|i| from + i)
}

fn hann(i: usize, n: usize) -> f64 {
    if n < 2 {
        return 1.0;
    }
    0.5 - 0.5 * (2.0 * PI * i as f64 / (n - 1) as f64).cos()
}

/// In-place iterative radix-2 FFT; `re.len()` must be a power of two.
fn fft(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    debug_assert!(n.is_power_of_two() && im.len() == n);
    let bits = n.trailing_zeros();
    if bits == 0 {
        return;
    }
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if j > i {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let angle = -2.0 * PI / len as f64;
        let (w_re, w_im) = (angle.cos(), angle.sin());
        for start in (0..n).step_by(len) {
            let (mut c_re, mut c_im) = (1.0, 0.0);
            for k in 0..len / 2 {
                let (a, b) = (start + k, start + k + len / 2);
                let t_re = re[b] * c_re - im[b] * c_im;
                let t_im = re[b] * c_im + im[b] * c_re;
                re[b] = re[a] - t_re;
                im[b] = im[a] - t_im;
                re[a] += t_re;
                im[a] += t_im;
                let next = c_re * w_re - c_im * w_im;
                c_im = c_re * w_im + c_im * w_re;
                c_re = next;
            }
        }
        len <<= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::format::PcmFormat;
    use crate::audio::tone::Tone;
    use crate::time::Duration;

    fn tone(freq: f64, ms: u64, format: PcmFormat) -> Vec<i16> {
        Tone::new(freq).samples(format, Duration::from_millis(ms))
    }

    #[test]
    fn the_dominant_frequency_of_a_tone_is_its_frequency() {
        for (freq, format) in [
            (425.0, PcmFormat::NARROWBAND),
            (1000.0, PcmFormat::WIDEBAND),
            (3150.0, PcmFormat::PROMPT),
            (17.5e3, PcmFormat::PROMPT),
        ] {
            let s = tone(freq, 200, format);
            let got = dominant_frequency(&s, format.rate.hz()).unwrap();
            assert!((got - freq).abs() < freq * 0.002, "{freq}: {got}");
            let zc = zero_crossing_frequency(&s, format.rate.hz()).unwrap();
            assert!((zc - freq).abs() < freq * 0.01, "{freq}: {zc}");
        }
    }

    #[test]
    fn the_louder_of_two_tones_dominates() {
        let f = PcmFormat::WIDEBAND;
        let a = Tone::new(700.0)
            .with_amplitude(0.4)
            .samples(f, Duration::from_millis(100));
        let b = Tone::new(1900.0)
            .with_amplitude(0.1)
            .samples(f, Duration::from_millis(100));
        let mix: Vec<i16> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        let got = dominant_frequency(&mix, 16_000).unwrap();
        assert!((got - 700.0).abs() < 2.0, "{got}");
        assert!((tone_level(&mix, 16_000, 700.0) - 0.4).abs() < 0.02);
        assert!((tone_level(&mix, 16_000, 1900.0) - 0.1).abs() < 0.02);
        assert!(tone_level(&mix, 16_000, 1200.0) < 0.01);
    }

    #[test]
    fn silence_has_no_frequency() {
        let s = vec![0i16; 1600];
        assert_eq!(dominant_frequency(&s, 8000), None);
        assert_eq!(zero_crossing_frequency(&s, 8000), None);
        assert_eq!(rms(&s), 0.0);
        assert_eq!(rms_dbfs(&s), f64::NEG_INFINITY);
        assert_eq!(dominant_frequency(&[], 8000), None);
        assert_eq!(tone_level(&[], 8000, 1000.0), 0.0);
    }

    #[test]
    fn a_tone_after_silence_is_found_where_it_starts() {
        let f = PcmFormat::WIDEBAND;
        let mut s = vec![0i16; 1234];
        s.extend(tone(1000.0, 100, f));
        let onset = tone_onset(&s, 16_000, 1000.0, 0.2).unwrap();
        // Within a quarter period (4 samples at 1 kHz / 16 kHz) of the true start.
        assert!((1234..1234 + 4).contains(&onset), "{onset}");
        assert_eq!(tone_onset(&s[..1234], 16_000, 1000.0, 0.2), None);
        // Another frequency is not the tone.
        assert_eq!(tone_onset(&tone(2000.0, 100, f), 16_000, 1000.0, 0.2), None);
    }
}
