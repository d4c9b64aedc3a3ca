//! The RIFF/WAVE parser behind prompt uploads: files from another encoder, every way a file
//! can be wrong, and arbitrary bytes (it must refuse, never panic).
#![cfg(feature = "std")]

use proptest::prelude::*;
use vto_hal::audio::wav::{self, FourCc, SampleBits, WavError};
use vto_hal::audio::{analysis, Channels, PcmFormat, Prompt, PromptKind};
use vto_hal::{Error, ErrorKind};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/audio/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A WAV file built chunk by chunk, so each test can break one thing.
fn riff(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    for (id, data) in chunks {
        body.extend_from_slice(*id);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}

fn fmt(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let align = channels * bits / 8;
    let mut f = Vec::new();
    f.extend_from_slice(&tag.to_le_bytes());
    f.extend_from_slice(&channels.to_le_bytes());
    f.extend_from_slice(&rate.to_le_bytes());
    f.extend_from_slice(&(rate * u32::from(align)).to_le_bytes());
    f.extend_from_slice(&align.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f
}

/// WAVE_FORMAT_EXTENSIBLE with the sub-format `code` in the standard GUID.
fn fmt_extensible(code: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let mut f = fmt(0xFFFE, channels, rate, bits);
    f.extend_from_slice(&22u16.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f.extend_from_slice(&4u32.to_le_bytes()); // front centre
    f.extend_from_slice(&code.to_le_bytes());
    f.extend_from_slice(&[
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ]);
    f
}

#[test]
fn an_8_bit_file_from_pythons_wave_module_is_a_1_khz_tone() {
    let w = wav::parse(&fixture("pcm8_mono_8k_1khz.wav")).unwrap();
    assert_eq!(
        (w.sample_rate, w.channels, w.bits),
        (8000, Channels::Mono, SampleBits::U8)
    );
    assert_eq!(w.samples.len(), 800);
    // Unsigned 8-bit: 128 is silence; 100/128 of full scale peak.
    assert_eq!(w.samples[0], 0);
    let f = analysis::dominant_frequency(&w.samples, 8000).unwrap();
    assert!((f - 1000.0).abs() < 2.0, "{f}");
    let level = analysis::tone_level(&w.samples, 8000, 1000.0);
    assert!((level - 100.0 / 128.0).abs() < 0.02, "{level}");
}

#[test]
fn a_22_khz_stereo_file_becomes_a_16_khz_mono_prompt_with_both_channels_mixed() {
    let file = fixture("pcm16_stereo_22k_440_660.wav");
    let w = wav::parse(&file).unwrap();
    assert_eq!((w.sample_rate, w.channels), (22_050, Channels::Stereo));
    assert_eq!(w.samples.len(), 1103 * 2);
    let p = Prompt::from_wav(PromptKind::RingBack, &file, PcmFormat::WIDEBAND).unwrap();
    assert_eq!(p.samples().len(), 1103 * 16_000 / 22_050);
    let s = &p.samples()[100..700];
    // Each channel at 12000/32768, averaged: half of that each.
    for freq in [440.0, 660.0] {
        let level = analysis::tone_level(s, 16_000, freq);
        assert!((level - 6000.0 / 32768.0).abs() < 0.02, "{freq}: {level}");
    }
}

#[test]
fn a_mu_law_file_is_refused_by_name() {
    let e = wav::parse(&fixture("ulaw_8k.wav")).unwrap_err();
    assert_eq!(
        e,
        WavError::NotPcm {
            tag: 7,
            name: "µ-law"
        }
    );
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = Prompt::from_wav(
        PromptKind::DoorOpen,
        &fixture("ulaw_8k.wav"),
        PcmFormat::PROMPT,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "door open prompt: WAV file is µ-law (format tag 0x0007), not PCM: export it as 16-bit PCM"
    );
}

#[test]
fn extensible_pcm_is_accepted_and_extensible_float_is_not() {
    let data = vec![1, 0, 2, 0];
    let ok = riff(&[
        (b"fmt ", fmt_extensible(1, 1, 48_000, 16)),
        (b"data", data.clone()),
    ]);
    assert_eq!(wav::parse(&ok).unwrap().samples, [1, 2]);
    let float = riff(&[(b"fmt ", fmt_extensible(3, 1, 48_000, 32)), (b"data", data)]);
    assert_eq!(
        wav::parse(&float).unwrap_err(),
        WavError::NotPcm {
            tag: 3,
            name: "IEEE float"
        }
    );
    let short = riff(&[(b"fmt ", fmt(0xFFFE, 1, 48_000, 16)), (b"data", vec![0, 0])]);
    assert_eq!(
        wav::parse(&short).unwrap_err(),
        WavError::FmtTooShort {
            len: 16,
            needed: 40
        }
    );
}

#[test]
fn metadata_chunks_are_skipped_including_odd_sized_ones() {
    let file = riff(&[
        (b"LIST", b"INFOINAM\x05\0\0\0door\0".to_vec()), // 17 bytes, padded
        (b"fmt ", fmt(1, 1, 8000, 16)),
        (b"fact", 2u32.to_le_bytes().to_vec()),
        (b"data", vec![0x34, 0x12, 0xff, 0xff]),
        (b"cue ", vec![0; 3]),
    ]);
    assert_eq!(wav::parse(&file).unwrap().samples, [0x1234, -1]);
}

#[test]
fn each_kind_of_bad_file_gets_its_own_error() {
    let pcm = |ch, rate, bits| fmt(1, ch, rate, bits);
    let cases: Vec<(Vec<u8>, WavError)> = vec![
        (
            b"OggS\0\x02\0\0\0\0\0\0".to_vec(),
            WavError::NotRiff(FourCc(*b"OggS")),
        ),
        (
            b"RIFF\x04\0\0\0AVI ".to_vec(),
            WavError::NotWave(FourCc(*b"AVI ")),
        ),
        (
            b"RIFX\x04\0\0\0WAVE".to_vec(),
            WavError::UnsupportedContainer(FourCc(*b"RIFX")),
        ),
        (
            b"RF64\xff\xff\xff\xffWAVE".to_vec(),
            WavError::UnsupportedContainer(FourCc(*b"RF64")),
        ),
        (
            riff(&[(b"data", vec![0; 4])]),
            WavError::MissingChunk(FourCc(*b"fmt ")),
        ),
        (
            riff(&[(b"fmt ", pcm(1, 8000, 16))]),
            WavError::MissingChunk(FourCc(*b"data")),
        ),
        (
            riff(&[(b"fmt ", pcm(1, 8000, 24)), (b"data", vec![0; 6])]),
            WavError::UnsupportedBits(24),
        ),
        (
            riff(&[(b"fmt ", pcm(1, 8000, 32)), (b"data", vec![0; 8])]),
            WavError::UnsupportedBits(32),
        ),
        (
            riff(&[(b"fmt ", pcm(6, 48_000, 16)), (b"data", vec![0; 12])]),
            WavError::UnsupportedChannels(6),
        ),
        (
            riff(&[(b"fmt ", pcm(0, 48_000, 16)), (b"data", vec![0; 12])]),
            WavError::UnsupportedChannels(0),
        ),
        (
            riff(&[(b"fmt ", pcm(1, 4000, 16)), (b"data", vec![0; 2])]),
            WavError::UnsupportedRate(4000),
        ),
        (
            riff(&[(b"fmt ", pcm(1, 0, 16)), (b"data", vec![0; 2])]),
            WavError::UnsupportedRate(0),
        ),
        (
            riff(&[(b"fmt ", pcm(1, 8000, 16)), (b"data", vec![0; 3])]),
            WavError::PartialSampleFrame {
                len: 3,
                block_align: 2,
            },
        ),
        (
            riff(&[(b"fmt ", pcm(1, 8000, 16)), (b"data", vec![])]),
            WavError::NoSamples,
        ),
        (
            riff(&[(b"fmt ", vec![1, 0, 1, 0]), (b"data", vec![0; 2])]),
            WavError::FmtTooShort { len: 4, needed: 16 },
        ),
        (
            riff(&[(b"fmt ", fmt(0x55, 2, 44_100, 0)), (b"data", vec![0; 2])]),
            WavError::NotPcm {
                tag: 0x55,
                name: "MP3",
            },
        ),
    ];
    for (file, expected) in cases {
        assert_eq!(wav::parse(&file).unwrap_err(), expected);
    }
    // A block alignment that lies about the sample layout.
    let mut f = pcm(2, 8000, 16);
    f[12] = 2;
    let e = wav::parse(&riff(&[(b"fmt ", f), (b"data", vec![0; 4])])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "WAV block alignment 2 does not match 2 channel(s) of 16 bits (4)"
    );
}

#[test]
fn a_file_cut_off_in_its_data_says_how_much_is_missing() {
    let mut file = wav::encode(8000, Channels::Mono, &[7; 1000]);
    file.truncate(44 + 1000);
    let e = wav::parse(&file).unwrap_err();
    assert_eq!(
        e.to_string(),
        "truncated WAV file: the \"data\" chunk needs 2000 bytes, only 1000 are there"
    );
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = wav::parse(&bytes);
        let mut riffed = b"RIFF\0\0\0\0WAVE".to_vec();
        riffed.extend(&bytes);
        let _ = wav::parse(&riffed);
    }

    #[test]
    fn a_valid_file_with_one_byte_changed_never_panics(
        samples in proptest::collection::vec(any::<i16>(), 1..64),
        at in any::<prop::sample::Index>(),
        value in any::<u8>(),
    ) {
        let mut file = wav::encode(16_000, Channels::Mono, &samples);
        let i = at.index(file.len());
        file[i] = value;
        if let Ok(w) = wav::parse(&file) {
            // Whatever was accepted is consistent with itself.
            prop_assert_eq!(w.samples.len() % w.channels.count(), 0);
            prop_assert!(!w.samples.is_empty());
        }
    }

    #[test]
    fn encode_then_parse_is_the_identity(
        samples in proptest::collection::vec(any::<i16>(), 1..256),
        stereo in any::<bool>(),
        rate in 8_000u32..=192_000,
    ) {
        let channels = if stereo { Channels::Stereo } else { Channels::Mono };
        let mut samples = samples;
        samples.truncate(samples.len() - samples.len() % channels.count());
        prop_assume!(!samples.is_empty());
        let w = wav::parse(&wav::encode(rate, channels, &samples)).unwrap();
        prop_assert_eq!(w.samples, samples);
        prop_assert_eq!(w.sample_rate, rate);
        prop_assert_eq!(w.channels, channels);
    }
}
