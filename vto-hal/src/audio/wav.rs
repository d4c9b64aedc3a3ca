//! RIFF/WAVE files: the uploaded prompt sounds ("Local Settings > Upload File").
//!
//! Only uncompressed integer PCM is accepted: 8-bit (unsigned) or 16-bit (signed,
//! little-endian), mono or stereo, 8–192 kHz, as a `WAVE_FORMAT_PCM` file or a
//! `WAVE_FORMAT_EXTENSIBLE` one whose sub-format is PCM. Anything else is refused with an
//! error that says what the file is (µ-law, IEEE float, MP3, 24-bit, 6 channels, cut off
//! after 1000 of 2000 bytes...), so the web page can tell the installer what to re-export.
//!
//! The parser walks the chunks of the buffer it is given and never reads past it: a
//! declared size larger than what is there is [`WavError::Truncated`], not a panic. Chunks
//! other than `fmt ` and `data` (`LIST` metadata, `fact`, `cue `...) are skipped, and
//! anything after the first `fmt ` and `data` chunks is ignored. The `byte_rate` field is
//! not checked (some encoders get it wrong and it is redundant); `block_align` is, because
//! it says where each sample is.

use core::fmt;

use super::convert::{downmix, upmix};
use super::format::{Channels, PcmFormat};
use super::resample::Resampler;
use crate::error::{Error, ErrorKind};
use crate::time::Duration;

/// The sample rates a WAV file may have, in Hz; the file is converted to the speaker's rate.
pub const RATE_RANGE: core::ops::RangeInclusive<u32> = 8_000..=192_000;

/// A four-character chunk or container code, shown with anything unprintable escaped.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FourCc(pub [u8; 4]);

impl fmt::Display for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for &b in &self.0 {
            if b.is_ascii_graphic() || b == b' ' {
                write!(f, "{}", b as char)?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        f.write_str("\"")
    }
}

impl fmt::Debug for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a file is not a WAV vto can play.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WavError {
    /// The file does not start with `RIFF` (an MP3, an OGG, a text file...).
    #[error("not a WAV file: it starts with {0}, not \"RIFF\"")]
    NotRiff(FourCc),
    /// A RIFF file of another kind (`AVI `, `WEBP`...).
    #[error("not a WAV file: a RIFF {0} file, not \"WAVE\"")]
    NotWave(FourCc),
    /// Big-endian RIFF (`RIFX`) or 64-bit RF64/BW64 containers.
    #[error("unsupported WAV container {0}: save as a standard little-endian RIFF WAVE")]
    UnsupportedContainer(FourCc),
    /// The file ends inside a header or chunk.
    #[error("truncated WAV file: {what} needs {needed} bytes, only {available} are there")]
    Truncated {
        /// What was being read: the RIFF header, a chunk header, or a named chunk.
        what: String,
        /// Bytes it declares or needs.
        needed: u64,
        /// Bytes left in the file.
        available: u64,
    },
    /// No chunk of this kind before the end of the file.
    #[error("WAV file has no {0} chunk")]
    MissingChunk(FourCc),
    /// A `fmt ` chunk too short for the fields its format needs.
    #[error("WAV \"fmt \" chunk of {len} bytes is too short (needs {needed})")]
    FmtTooShort {
        /// Its length.
        len: u32,
        /// The length its format tag needs.
        needed: u32,
    },
    /// A compressed or floating-point encoding.
    #[error("WAV file is {name} (format tag {tag:#06x}), not PCM: export it as 16-bit PCM")]
    NotPcm {
        /// The format tag (the sub-format's for extensible files).
        tag: u16,
        /// What the tag means.
        name: &'static str,
    },
    /// PCM with a sample size other than 8 or 16 bits.
    #[error("WAV file has {0}-bit samples; 8- and 16-bit PCM are supported")]
    UnsupportedBits(u16),
    /// More than two channels, or none.
    #[error("WAV file has {0} channels; mono and stereo are supported")]
    UnsupportedChannels(u16),
    /// A sample rate outside [`RATE_RANGE`].
    #[error("WAV sample rate {0} Hz is outside 8000..=192000 Hz")]
    UnsupportedRate(u32),
    /// A block alignment that does not match the channels and sample size.
    #[error("WAV block alignment {declared} does not match {channels} channel(s) of {bits} bits ({expected})")]
    BadBlockAlign {
        /// The declared alignment.
        declared: u16,
        /// What channels and sample size give.
        expected: u16,
        /// Channels.
        channels: u16,
        /// Bits per sample.
        bits: u16,
    },
    /// A data chunk that ends in the middle of a sample frame.
    #[error("WAV data of {len} bytes is not a whole number of {block_align}-byte sample frames")]
    PartialSampleFrame {
        /// The data length.
        len: u32,
        /// Bytes per sample frame.
        block_align: u16,
    },
    /// A data chunk without a single sample.
    #[error("WAV file has no samples")]
    NoSamples,
}

impl Error for WavError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::UnsupportedContainer(_)
            | Self::NotPcm { .. }
            | Self::UnsupportedBits(_)
            | Self::UnsupportedChannels(_)
            | Self::UnsupportedRate(_) => ErrorKind::Unsupported,
            _ => ErrorKind::InvalidConfig,
        }
    }
}

/// Bits per sample of a PCM WAV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SampleBits {
    /// Unsigned 8-bit, 128 is silence.
    U8,
    /// Signed 16-bit little-endian.
    S16,
}

/// A decoded WAV file: its format and its samples as signed 16-bit, interleaved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wav {
    /// Samples per second.
    pub sample_rate: u32,
    /// Channels.
    pub channels: Channels,
    /// The sample size in the file (samples are widened to 16 bits).
    pub bits: SampleBits,
    /// Interleaved samples.
    pub samples: Vec<i16>,
}

impl Wav {
    /// How long the sound lasts.
    pub fn duration(&self) -> Duration {
        let frames = (self.samples.len() / self.channels.count()) as u128;
        let nanos = frames * 1_000_000_000 / u128::from(self.sample_rate.max(1));
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// The sound in `format`: stereo averaged to mono (or mono copied to both channels),
    /// then resampled from the file's rate with the windowed-sinc
    /// [`Resampler`], aligned and with nothing lost at the end.
    pub fn convert_to(&self, format: PcmFormat) -> Vec<i16> {
        let mut channels = self.channels;
        let mut mono = Vec::new();
        let samples = if channels == Channels::Stereo && format.channels == Channels::Mono {
            downmix(&self.samples, &mut mono);
            channels = Channels::Mono;
            &mono[..]
        } else {
            &self.samples[..]
        };
        let out = Resampler::convert_all(
            self.sample_rate,
            format.rate.hz(),
            channels.count(),
            samples,
        );
        if channels == Channels::Mono && format.channels == Channels::Stereo {
            let mut stereo = Vec::with_capacity(out.len() * 2);
            upmix(&out, &mut stereo);
            stereo
        } else {
            out
        }
    }
}

const WAVE_FORMAT_PCM: u16 = 0x0001;
const WAVE_FORMAT_EXTENSIBLE: u16 = 0xFFFE;
/// The 14 bytes after the format code in every KSDATAFORMAT_SUBTYPE GUID.
const SUBTYPE_GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

fn tag_name(tag: u16) -> &'static str {
    match tag {
        0x0002 => "Microsoft ADPCM",
        0x0003 => "IEEE float",
        0x0006 => "A-law",
        0x0007 => "µ-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG audio",
        0x0055 => "MP3",
        0x0064 | 0x028F => "G.726 ADPCM",
        0x0065 => "G.722 ADPCM",
        0x00FF | 0x1600 | 0x1610 => "AAC",
        0x0160..=0x0163 => "Windows Media Audio",
        0x674F..=0x6751 => "Ogg Vorbis",
        0xF1AC => "FLAC",
        _ => "an unknown encoding",
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn four_cc(b: &[u8], at: usize) -> FourCc {
    FourCc([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

struct Fmt {
    channels: Channels,
    rate: u32,
    bits: SampleBits,
    block_align: u16,
}

/// Decodes a WAV file held in memory.
pub fn parse(file: &[u8]) -> Result<Wav, WavError> {
    if file.len() < 12 {
        if file.len() >= 4 && &file[..4] != b"RIFF" {
            return Err(container_error(four_cc(file, 0)));
        }
        return Err(WavError::Truncated {
            what: "the RIFF header".into(),
            needed: 12,
            available: file.len() as u64,
        });
    }
    let riff = four_cc(file, 0);
    if &riff.0 != b"RIFF" {
        return Err(container_error(riff));
    }
    let form = four_cc(file, 8);
    if &form.0 != b"WAVE" {
        return Err(WavError::NotWave(form));
    }
    let mut fmt: Option<Fmt> = None;
    let mut data: Option<&[u8]> = None;
    let mut pos = 12usize;
    while fmt.is_none() || data.is_none() {
        let left = file.len() - pos;
        if left == 0 {
            break;
        }
        if left < 8 {
            return Err(WavError::Truncated {
                what: "a chunk header".into(),
                needed: 8,
                available: left as u64,
            });
        }
        let id = four_cc(file, pos);
        let size = u32_at(file, pos + 4);
        let body = pos + 8;
        let available = file.len() - body;
        let wanted = &id.0 == b"fmt " || &id.0 == b"data";
        if wanted && size as usize > available {
            return Err(WavError::Truncated {
                what: format!("the {id} chunk"),
                needed: u64::from(size),
                available: available as u64,
            });
        }
        let end = body.saturating_add(size as usize).min(file.len());
        match &id.0 {
            b"fmt " if fmt.is_none() => fmt = Some(parse_fmt(&file[body..end])?),
            b"data" if data.is_none() => data = Some(&file[body..end]),
            _ => {}
        }
        // Chunks are padded to an even length; a missing pad byte at the very end is fine.
        pos = end.saturating_add(size as usize & 1).min(file.len());
    }
    let fmt = fmt.ok_or(WavError::MissingChunk(FourCc(*b"fmt ")))?;
    let data = data.ok_or(WavError::MissingChunk(FourCc(*b"data")))?;
    if data.len() % usize::from(fmt.block_align) != 0 {
        return Err(WavError::PartialSampleFrame {
            len: data.len() as u32,
            block_align: fmt.block_align,
        });
    }
    if data.is_empty() {
        return Err(WavError::NoSamples);
    }
    let samples = match fmt.bits {
        SampleBits::U8 => data.iter().map(|&b| (i16::from(b) - 128) << 8).collect(),
        SampleBits::S16 => data
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect(),
    };
    Ok(Wav {
        sample_rate: fmt.rate,
        channels: fmt.channels,
        bits: fmt.bits,
        samples,
    })
}

fn container_error(code: FourCc) -> WavError {
    match &code.0 {
        b"RIFX" | b"RF64" | b"BW64" => WavError::UnsupportedContainer(code),
        _ => WavError::NotRiff(code),
    }
}

fn parse_fmt(b: &[u8]) -> Result<Fmt, WavError> {
    let len = b.len() as u32;
    if b.len() < 16 {
        return Err(WavError::FmtTooShort { len, needed: 16 });
    }
    let mut tag = u16_at(b, 0);
    let channels = u16_at(b, 2);
    let rate = u32_at(b, 4);
    let block_align = u16_at(b, 12);
    let bits = u16_at(b, 14);
    if tag == WAVE_FORMAT_EXTENSIBLE {
        if b.len() < 40 {
            return Err(WavError::FmtTooShort { len, needed: 40 });
        }
        // The sub-format GUID at offset 24: its first two bytes are the real format tag.
        tag = u16_at(b, 24);
        if b[26..40] != SUBTYPE_GUID_TAIL {
            return Err(WavError::NotPcm {
                tag,
                name: "a vendor-specific encoding",
            });
        }
    }
    if tag != WAVE_FORMAT_PCM {
        return Err(WavError::NotPcm {
            tag,
            name: tag_name(tag),
        });
    }
    let channels_kind = match channels {
        1 => Channels::Mono,
        2 => Channels::Stereo,
        n => return Err(WavError::UnsupportedChannels(n)),
    };
    let sample_bits = match bits {
        8 => SampleBits::U8,
        16 => SampleBits::S16,
        n => return Err(WavError::UnsupportedBits(n)),
    };
    if !RATE_RANGE.contains(&rate) {
        return Err(WavError::UnsupportedRate(rate));
    }
    let expected = channels * (bits / 8);
    if block_align != expected {
        return Err(WavError::BadBlockAlign {
            declared: block_align,
            expected,
            channels,
            bits,
        });
    }
    Ok(Fmt {
        channels: channels_kind,
        rate,
        bits: sample_bits,
        block_align,
    })
}

/// Encodes 16-bit PCM as a minimal WAV file (a `fmt ` and a `data` chunk): for fixtures,
/// recordings and exporting the built-in prompts.
pub fn encode(sample_rate: u32, channels: Channels, samples: &[i16]) -> Vec<u8> {
    let ch = channels.count() as u16;
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&WAVE_FORMAT_PCM.to_le_bytes());
    out.extend_from_slice(&ch.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * u32::from(ch) * 2).to_le_bytes());
    out.extend_from_slice(&(ch * 2).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_16_bit_file_round_trips() {
        let samples = [0i16, 1, -1, i16::MAX, i16::MIN, 1234];
        let wav = parse(&encode(16_000, Channels::Stereo, &samples)).unwrap();
        assert_eq!(wav.sample_rate, 16_000);
        assert_eq!(wav.channels, Channels::Stereo);
        assert_eq!(wav.bits, SampleBits::S16);
        assert_eq!(wav.samples, samples);
    }

    #[test]
    fn an_mp3_is_named_as_such() {
        let e = parse(b"ID3\x04\0\0\0\0\0\x21TIT2....").unwrap_err();
        assert_eq!(e, WavError::NotRiff(FourCc(*b"ID3\x04")));
        assert_eq!(
            e.to_string(),
            "not a WAV file: it starts with \"ID3\\x04\", not \"RIFF\""
        );
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    }

    #[test]
    fn float_is_not_pcm() {
        let mut f = encode(48_000, Channels::Mono, &[0; 4]);
        f[20] = 3; // format tag: IEEE float
        let e = parse(&f).unwrap_err();
        assert_eq!(
            e.to_string(),
            "WAV file is IEEE float (format tag 0x0003), not PCM: export it as 16-bit PCM"
        );
        assert_eq!(e.kind(), ErrorKind::Unsupported);
    }

    #[test]
    fn every_prefix_of_a_valid_file_is_refused_without_panicking() {
        let f = encode(8_000, Channels::Mono, &[100, 200, 300]);
        for len in 0..f.len() {
            assert!(parse(&f[..len]).is_err(), "prefix of {len} bytes");
        }
        assert!(parse(&f).is_ok());
    }
}
