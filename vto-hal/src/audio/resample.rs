//! Sample-rate conversion: a polyphase windowed-sinc filter.
//!
//! Linear interpolation would be shorter, but going down from 48 kHz to 8 kHz it folds
//! everything above 4 kHz back into the call band (a 5 kHz chime comes out as a 3 kHz
//! whistle). This filter cuts at 90 % of the lower Nyquist frequency with a Blackman-windowed
//! sinc of 16 zero crossings a side: the stop band is about −70 dB, the pass band flat to
//! within a fraction of a dB up to ~75 % of the lower Nyquist frequency (3 kHz for 8 kHz).
//!
//! The filter coefficients are precomputed for each fractional position between input
//! samples (one per output phase when the ratio of the rates reduces to at most
//! [`MAX_PHASES`] phases, as 8/16/48 kHz and 44.1→48 kHz do; otherwise positions are rounded
//! to 1/[`MAX_PHASES`] of a sample). Streaming keeps the last few input samples, so blocks
//! join without a click and each 20 ms block at 8, 16 or 48 kHz gives exactly one 20 ms block
//! out. The price is a constant delay of [`Resampler::delay`] (about 2 ms).

/// The most filter phases precomputed; more exotic ratios round the position.
pub const MAX_PHASES: usize = 256;

/// Zero crossings of the sinc on each side: the filter's length and sharpness.
const ZERO_CROSSINGS: f64 = 16.0;

/// Cut-off as a fraction of the lower of the two Nyquist frequencies.
const ROLLOFF: f64 = 0.9;

/// A streaming converter of interleaved `i16` audio from one rate to another.
#[derive(Debug, Clone)]
pub struct Resampler {
    from: u64,
    to: u64,
    from_hz: u32,
    channels: usize,
    taps: usize,
    phases: usize,
    /// `phases` rows of `taps` coefficients, each row summing to 1.
    table: Vec<f32>,
    /// Input samples from (padded) index `base` on, one buffer per channel, as `f32` so
    /// each is converted once rather than once per tap. Padded indices count `taps - 1`
    /// samples of silence before the first real input sample.
    bufs: Vec<Vec<f32>>,
    base: u64,
    /// Padded input sample frames received.
    total_in: u64,
    /// Index of the next output sample frame.
    next_out: u64,
}

impl Resampler {
    /// A converter from `from_hz` to `to_hz` for `channels` interleaved channels.
    ///
    /// Rates of zero are taken as 1 Hz and zero channels as one, so a caller's mistake
    /// gives wrong audio rather than a panic; the audio types never build such a converter.
    pub fn new(from_hz: u32, to_hz: u32, channels: usize) -> Self {
        let (from_hz, to_hz, channels) = (from_hz.max(1), to_hz.max(1), channels.max(1));
        let g = gcd(u64::from(from_hz), u64::from(to_hz));
        let (from, to) = (u64::from(from_hz) / g, u64::from(to_hz) / g);
        // Cut-off in cycles per input sample.
        let cutoff = 0.5 * ROLLOFF * (f64::from(to_hz) / f64::from(from_hz)).min(1.0);
        // Equal rates pass samples through; the table is then never used.
        let half = if from == to {
            1
        } else {
            (ZERO_CROSSINGS / (2.0 * cutoff)).ceil() as usize
        };
        let taps = 2 * half;
        let phases = usize::try_from(to).map_or(MAX_PHASES, |p| p.min(MAX_PHASES));
        let mut table = Vec::with_capacity(phases * taps);
        for p in 0..phases {
            let frac = p as f64 / phases as f64;
            let start = table.len();
            for j in 0..taps {
                // Distance from the output position to tap j's input sample.
                let x = frac + half as f64 - 1.0 - j as f64;
                table.push(
                    (2.0 * cutoff * sinc(2.0 * cutoff * x) * blackman(x, half as f64)) as f32,
                );
            }
            let sum: f32 = table[start..].iter().sum();
            if sum.abs() > f32::EPSILON {
                table[start..].iter_mut().for_each(|c| *c /= sum);
            }
        }
        let history = taps - 1;
        Self {
            from,
            to,
            from_hz,
            channels,
            taps,
            phases,
            table,
            bufs: vec![vec![0.0; history]; channels],
            base: 0,
            total_in: history as u64,
            next_out: 0,
        }
    }

    /// How much later a sound comes out than it went in: half the filter, in input time
    /// (zero when the rates are equal and samples pass through).
    pub fn delay(&self) -> crate::time::Duration {
        if self.from == self.to {
            return crate::time::Duration::ZERO;
        }
        let half = (self.taps / 2) as u64;
        crate::time::Duration::from_nanos(half * 1_000_000_000 / u64::from(self.from_hz))
    }

    /// Converts `input` (whole interleaved sample frames; a trailing partial frame is
    /// ignored) and appends what can be computed so far to `out`.
    pub fn process(&mut self, input: &[i16], out: &mut Vec<i16>) {
        let whole = input.len() - input.len() % self.channels;
        if self.from == self.to {
            out.extend_from_slice(&input[..whole]);
            return;
        }
        for (c, buf) in self.bufs.iter_mut().enumerate() {
            buf.extend(
                input[..whole]
                    .iter()
                    .skip(c)
                    .step_by(self.channels)
                    .map(|&s| f32::from(s)),
            );
        }
        self.total_in += (whole / self.channels) as u64;
        self.run(out);
    }

    /// Feeds silence through the filter so the end of the input comes out.
    pub fn finish(&mut self, out: &mut Vec<i16>) {
        if self.from == self.to {
            return;
        }
        let half = self.taps / 2;
        let zeros = vec![0; half * self.channels];
        self.process(&zeros, out);
    }

    /// Converts a whole recording, aligned (no leading delay) and with its end flushed.
    pub fn convert_all(from_hz: u32, to_hz: u32, channels: usize, input: &[i16]) -> Vec<i16> {
        let mut r = Self::new(from_hz, to_hz, channels);
        let frames_in = (input.len() / r.channels) as u64;
        let expected = usize::try_from(frames_in * r.to / r.from).unwrap_or(0);
        let mut out = Vec::with_capacity((expected + r.taps) * r.channels);
        r.process(input, &mut out);
        r.finish(&mut out);
        if r.from != r.to {
            // Outputs before the input's first sample are the filter filling up.
            let half = (r.taps / 2) as u64;
            let skip = usize::try_from((half * r.to).div_ceil(r.from)).unwrap_or(usize::MAX);
            let skip = skip.saturating_mul(r.channels).min(out.len());
            out.drain(..skip);
        }
        out.truncate(expected * r.channels);
        out
    }

    fn run(&mut self, out: &mut Vec<i16>) {
        let taps = self.taps as u64;
        loop {
            let (i, p) = self.position(self.next_out);
            // The taps read padded input samples i..i + taps.
            if i + taps > self.total_in {
                break;
            }
            let offset = usize::try_from(i - self.base).unwrap_or(0);
            let row = &self.table[p * self.taps..(p + 1) * self.taps];
            for buf in &self.bufs {
                let acc = dot(row, &buf[offset..offset + self.taps]);
                out.push(acc.round().clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16);
            }
            self.next_out += 1;
        }
        // Drop input no later output needs.
        let (keep_from, _) = self.position(self.next_out);
        let keep_from = keep_from.clamp(self.base, self.total_in);
        let drop = usize::try_from(keep_from - self.base).unwrap_or(0);
        if drop > 0 {
            for buf in &mut self.bufs {
                buf.drain(..drop.min(buf.len()));
            }
            self.base = keep_from;
        }
    }

    /// The first (padded) input sample and the filter phase of output sample frame `k`.
    fn position(&self, k: u64) -> (u64, usize) {
        let num = k * self.from;
        let i = num / self.to;
        let frac = num % self.to;
        if self.phases as u64 == self.to {
            return (i, usize::try_from(frac).unwrap_or(0));
        }
        // Positions quantised to 1/phases of a sample, rounded to nearest.
        let p = (frac as f64 * self.phases as f64 / self.to as f64).round() as usize;
        if p >= self.phases {
            (i + 1, 0)
        } else {
            (i, p)
        }
    }
}

/// The dot product of two equally long slices, in four independent sums so the compiler
/// can use SIMD lanes (f32 addition is not associative, so one running sum would not be
/// vectorised).
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0.0f32; 4];
    let (a4, a_rest) = a.split_at(a.len() - a.len() % 4);
    let (b4, b_rest) = b.split_at(a4.len());
    for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
        for k in 0..4 {
            sums[k] += x[k] * y[k];
        }
    }
    let tail: f32 = a_rest.iter().zip(b_rest).map(|(x, y)| x * y).sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

fn sinc(x: f64) -> f64 {
    if x.abs() < 1e-12 {
        1.0
    } else {
        let px = core::f64::consts::PI * x;
        px.sin() / px
    }
}

/// The Blackman window over `[-half, half]`.
fn blackman(x: f64, half: f64) -> f64 {
    if x.abs() >= half {
        return 0.0;
    }
    let t = core::f64::consts::PI * x / half;
    0.42 + 0.5 * t.cos() + 0.08 * (2.0 * t).cos()
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::analysis::{dominant_frequency, rms, tone_level};
    use crate::audio::format::{PcmFormat, SampleRate};
    use crate::audio::tone::Tone;
    use crate::time::Duration;

    fn tone(freq: f64, rate: SampleRate, ms: u64) -> Vec<i16> {
        Tone::new(freq).samples(PcmFormat::mono(rate), Duration::from_millis(ms))
    }

    #[test]
    fn a_tone_keeps_its_pitch_and_level_across_rates() {
        for (from, to, freq) in [
            (SampleRate::Hz48000, SampleRate::Hz8000, 1000.0),
            (SampleRate::Hz8000, SampleRate::Hz48000, 1000.0),
            (SampleRate::Hz16000, SampleRate::Hz8000, 425.0),
            (SampleRate::Hz8000, SampleRate::Hz16000, 3000.0),
        ] {
            let input = tone(freq, from, 300);
            let out = Resampler::convert_all(from.hz(), to.hz(), 1, &input);
            assert_eq!(
                out.len(),
                input.len() * to.hz() as usize / from.hz() as usize
            );
            let mid = &out[out.len() / 4..out.len() * 3 / 4];
            let got = dominant_frequency(mid, to.hz()).unwrap();
            assert!((got - freq).abs() < 2.0, "{from} → {to}: {got}");
            let level = rms(mid) / rms(&input);
            assert!((level - 1.0).abs() < 0.03, "{from} → {to}: level {level}");
        }
    }

    #[test]
    fn sound_above_the_new_nyquist_frequency_is_removed_not_folded() {
        // 5 kHz cannot exist at 8 kHz; linear interpolation would fold it to 3 kHz.
        let input = tone(5000.0, SampleRate::Hz48000, 300);
        let out = Resampler::convert_all(48_000, 8_000, 1, &input);
        let mid = &out[200..out.len() - 200];
        assert!(tone_level(mid, 8000, 3000.0) < 0.5 * 10f64.powf(-50.0 / 20.0));
        assert!(rms(mid) < rms(&input) * 0.01, "{}", rms(mid));
    }

    #[test]
    fn streaming_in_call_frames_equals_converting_at_once() {
        let input = tone(700.0, SampleRate::Hz16000, 200);
        let mut whole = Vec::new();
        let mut r = Resampler::new(16_000, 48_000, 1);
        r.process(&input, &mut whole);
        let mut blocks = Vec::new();
        let mut r = Resampler::new(16_000, 48_000, 1);
        for block in input.chunks(320) {
            let before = blocks.len();
            r.process(block, &mut blocks);
            // 20 ms in, 20 ms out.
            assert_eq!(blocks.len() - before, 960);
        }
        assert_eq!(blocks, whole);
        assert!(r.delay() < Duration::from_millis(3));
    }

    #[test]
    fn odd_ratios_and_stereo_work() {
        // 44.1 kHz stereo → 48 kHz stereo: 160 phases; left and right stay apart.
        let n = 44_100 / 5;
        let mut input = Vec::with_capacity(n * 2);
        for i in 0..n {
            let t = i as f64 / 44_100.0;
            input.push((8000.0 * (2.0 * core::f64::consts::PI * 440.0 * t).sin()) as i16);
            input.push((8000.0 * (2.0 * core::f64::consts::PI * 1000.0 * t).sin()) as i16);
        }
        let out = Resampler::convert_all(44_100, 48_000, 2, &input);
        assert_eq!(out.len(), 48_000 / 5 * 2);
        let l: Vec<i16> = out.iter().step_by(2).copied().collect();
        let r: Vec<i16> = out.iter().skip(1).step_by(2).copied().collect();
        assert!((dominant_frequency(&l, 48_000).unwrap() - 440.0).abs() < 2.0);
        assert!((dominant_frequency(&r, 48_000).unwrap() - 1000.0).abs() < 2.0);
        // A rate whose ratio has too many phases still converts (rounded positions).
        let odd = Resampler::convert_all(44_099, 8_000, 1, &vec![1000; 4410]);
        assert_eq!(odd.len(), 4410 * 8000 / 44_099);
        assert!(odd[100..odd.len() - 100]
            .iter()
            .all(|&s| (s - 1000).abs() <= 2));
    }

    #[test]
    fn the_same_rate_passes_samples_through() {
        let input = tone(440.0, SampleRate::Hz8000, 20);
        assert_eq!(Resampler::convert_all(8000, 8000, 1, &input), input);
    }
}
