//! The ALSA backend on the host, without a sound card: alsa-lib's `file` plugin records what
//! the speaker played to a raw file (and plays a raw file into the microphone), the `null`
//! plugin swallows it, and `multi` makes a device that only takes stereo.
//!
//! alsa-lib reads `$HOME/.asoundrc` once per process, so every test calls [`setup`] first,
//! which writes one `.asoundrc` with all the devices into a temp dir and points `HOME` at it
//! before any device is opened. Each test has its own devices and files, so they run in
//! parallel.
#![cfg(feature = "alsa")]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use vto_hal::alsa::{AlsaConfig, AlsaMicrophone, AlsaSpeaker, MixerChoice};
use vto_hal::audio::{
    analysis, AudioFrame, Channels, Gain, Microphone, PcmFormat, Prompt, PromptKind, SampleRate,
    Speaker, Tone, ToneGenerator, Volume, VolumeControl, CALL_FRAME,
};
use vto_hal::{Error, ErrorKind};

/// The devices, `@DIR@` replaced by the temp dir.
const ASOUNDRC: &str = r#"
pcm.vto_tone { type file; slave.pcm "null"; file "@DIR@/tone.raw"; format "raw" }
pcm.vto_gain { type file; slave.pcm "null"; file "@DIR@/gain.raw"; format "raw" }
pcm.vto_prompt { type file; slave.pcm "null"; file "@DIR@/prompt.raw"; format "raw" }
pcm.vto_reopen { type file; slave.pcm "null"; file "@DIR@/reopen.raw"; format "raw" }
pcm.vto_mic { type file; slave.pcm "null"; file "/dev/null"; infile "@DIR@/mic.raw"; format "raw" }
pcm.vto_left { type file; slave.pcm "null"; file "@DIR@/left.raw"; format "raw" }
pcm.vto_right { type file; slave.pcm "null"; file "@DIR@/right.raw"; format "raw" }
pcm.vto_stereo_only {
    type multi
    slaves.a { pcm "vto_left"; channels 1 }
    slaves.b { pcm "vto_right"; channels 1 }
    bindings.0 { slave a; channel 0 }
    bindings.1 { slave b; channel 0 }
}
"#;

fn setup() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("alsa-plugins-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let rc = ASOUNDRC.replace("@DIR@", dir.to_str().unwrap());
        std::fs::write(dir.join(".asoundrc"), rc).unwrap();
        // Before any ALSA call in this process (every test comes through here first).
        std::env::set_var("HOME", &dir);
        dir
    })
}

fn read_raw(path: &Path) -> Vec<i16> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

fn write_raw(path: &Path, samples: &[i16]) {
    let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    std::fs::write(path, bytes).unwrap();
}

/// Plays `frames` 20 ms blocks of `tone` and returns exactly what was written.
fn play_tone(speaker: &mut AlsaSpeaker, tone: Tone, frames: usize) -> Vec<i16> {
    let mut generator = ToneGenerator::new(tone, speaker.format());
    let mut played = Vec::new();
    for _ in 0..frames {
        let frame = generator.frame(CALL_FRAME);
        speaker.write(&frame).unwrap();
        played.extend_from_slice(frame.samples());
    }
    played
}

#[test]
fn a_tone_played_through_the_file_plugin_reaches_the_file_bit_for_bit() {
    let dir = setup();
    let mut speaker = AlsaSpeaker::open(AlsaConfig::new("vto_tone", PcmFormat::WIDEBAND)).unwrap();
    assert_eq!(speaker.mixer_control(), None, "a plugin has no mixer");
    let sizes = speaker.buffer_sizes().unwrap();
    assert_eq!((sizes.period_frames, sizes.buffer_frames), (160, 640));
    let played = play_tone(&mut speaker, Tone::new(1000.0), 25);
    speaker.drain().unwrap();
    drop(speaker);

    let file = read_raw(&dir.join("tone.raw"));
    assert_eq!(file, played);
    let f = analysis::dominant_frequency(&file, 16_000).unwrap();
    assert!((f - 1000.0).abs() < 1.0, "{f}");
}

#[test]
fn software_volume_and_mute_change_the_samples_the_card_gets() {
    let dir = setup();
    let mut speaker =
        AlsaSpeaker::open(AlsaConfig::new("vto_gain", PcmFormat::NARROWBAND)).unwrap();
    speaker.set_volume(Volume::new(50).unwrap()).unwrap();
    let half = play_tone(&mut speaker, Tone::new(440.0), 10);
    speaker.set_muted(true).unwrap();
    play_tone(&mut speaker, Tone::new(440.0), 10);
    speaker.set_muted(false).unwrap();
    let back = play_tone(&mut speaker, Tone::new(440.0), 10);
    speaker.drain().unwrap();
    drop(speaker);

    let file = read_raw(&dir.join("gain.raw"));
    assert_eq!(file.len(), 4800);
    let mut expected = half.clone();
    Gain::new(Volume::new(50).unwrap(), false).apply(&mut expected);
    assert_eq!(file[..1600], expected[..]);
    assert!(file[1600..3200].iter().all(|&s| s == 0), "muted");
    let mut expected = back;
    Gain::new(Volume::new(50).unwrap(), false).apply(&mut expected);
    assert_eq!(file[3200..], expected[..], "unmuted at the chosen volume");
    let db = analysis::rms_dbfs(&file[..1600]) - analysis::rms_dbfs(&half);
    assert!((db - -18.06).abs() < 0.05, "{db}");
}

#[test]
fn a_mono_station_on_a_stereo_only_device_plays_on_both_channels() {
    let dir = setup();
    let mut speaker =
        AlsaSpeaker::open(AlsaConfig::new("vto_stereo_only", PcmFormat::NARROWBAND)).unwrap();
    assert_eq!(speaker.device_channels(), Some(Channels::Stereo));
    let played = play_tone(&mut speaker, Tone::new(600.0), 10);
    speaker.drain().unwrap();
    drop(speaker);
    assert_eq!(read_raw(&dir.join("left.raw")), played);
    assert_eq!(read_raw(&dir.join("right.raw")), played);
}

#[test]
fn the_microphone_captures_what_the_file_plugin_feeds_it() {
    let dir = setup();
    let visitor = Tone::new(700.0).samples(PcmFormat::WIDEBAND, Duration::from_millis(400));
    write_raw(&dir.join("mic.raw"), &visitor);
    let mut mic = AlsaMicrophone::open(AlsaConfig::new("vto_mic", PcmFormat::WIDEBAND)).unwrap();
    let mut frame = AudioFrame::silence(PcmFormat::WIDEBAND, CALL_FRAME);
    let mut captured = Vec::new();
    let mut last = None;
    for _ in 0..20 {
        mic.read(&mut frame).unwrap();
        assert!(last.is_none_or(|t| frame.timestamp() >= t));
        last = Some(frame.timestamp());
        captured.extend_from_slice(frame.samples());
    }
    assert_eq!(captured, visitor);
    // Volume 80 on the way in: −5.8 dB.
    mic.set_volume(Volume::new(80).unwrap()).unwrap();
    assert_eq!(mic.volume().unwrap().percent(), 80);
}

#[test]
fn an_uploaded_prompt_plays_converted_to_the_speakers_format() {
    let dir = setup();
    let n = 22_050 / 2;
    let samples: Vec<i16> = (0..n)
        .map(|i| (9000.0 * (2.0 * std::f64::consts::PI * 523.0 * i as f64 / 22_050.0).sin()) as i16)
        .collect();
    let file = vto_hal::audio::wav::encode(22_050, Channels::Mono, &samples);
    let format = PcmFormat::mono(SampleRate::Hz48000);
    let prompt = Prompt::from_wav(PromptKind::DoorOpen, &file, format).unwrap();
    let mut speaker = AlsaSpeaker::open(AlsaConfig::new("vto_prompt", format)).unwrap();
    prompt.play(&mut speaker).unwrap();
    speaker.drain().unwrap();
    drop(speaker);
    let out = read_raw(&dir.join("prompt.raw"));
    // Whole 20 ms frames: 500 ms of prompt.
    assert_eq!(out.len(), 24_000);
    let f = analysis::dominant_frequency(&out[2400..21600], 48_000).unwrap();
    assert!((f - 523.0).abs() < 1.0, "{f}");
}

#[test]
fn the_null_device_swallows_playback_and_captures_silence() {
    setup();
    let mut speaker = AlsaSpeaker::open(AlsaConfig::new("null", PcmFormat::PROMPT)).unwrap();
    play_tone(&mut speaker, Tone::new(1000.0), 10);
    speaker.drain().unwrap();
    assert_eq!(speaker.xruns(), 0);
    let mut mic = AlsaMicrophone::open(AlsaConfig::new("null", PcmFormat::NARROWBAND)).unwrap();
    let mut frame = AudioFrame::new(PcmFormat::NARROWBAND, vec![1234; 160]).unwrap();
    mic.read(&mut frame).unwrap();
    assert!(frame.samples().iter().all(|&s| s == 0));
}

#[test]
fn a_card_that_does_not_exist_is_disconnected_and_bad_settings_are_invalid() {
    setup();
    let e = AlsaSpeaker::open(AlsaConfig::new("hw:NoSuchCard", PcmFormat::NARROWBAND)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Disconnected, "{e}");
    assert!(e.to_string().contains("hw:NoSuchCard"), "{e}");
    let e = AlsaMicrophone::open(AlsaConfig::new("vto_not_defined", PcmFormat::NARROWBAND))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Disconnected, "{e}");

    let bad = |config: AlsaConfig| AlsaSpeaker::open(config).unwrap_err();
    let e = bad(AlsaConfig::new("vto\0tone", PcmFormat::NARROWBAND));
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    let e = bad(AlsaConfig::new("vto_tone", PcmFormat::NARROWBAND).with_buffer(Duration::ZERO, 4));
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert_eq!(
        e.to_string(),
        "ALSA device \"vto_tone\": period 0 µs is outside 1000..=500000 µs"
    );
    let e = bad(AlsaConfig::new("vto_tone", PcmFormat::NARROWBAND)
        .with_buffer(Duration::from_millis(10), 1));
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    let e = bad(AlsaConfig::new("vto_tone", PcmFormat::NARROWBAND)
        .with_mixer(MixerChoice::Control("Speaker".into())));
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert!(
        e.to_string().contains("no mixer control \"Speaker\""),
        "{e}"
    );
    // A NUL byte would make alsa-lib's bindings panic: refused before it gets there.
    let e = bad(AlsaConfig::new("vto_tone", PcmFormat::NARROWBAND)
        .with_mixer(MixerChoice::Control("Spea\0ker".into())));
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
}

#[test]
fn a_frame_in_another_format_is_refused_and_the_device_reopens_with_its_volume() {
    let dir = setup();
    let config = AlsaConfig::new("vto_reopen", PcmFormat::NARROWBAND);
    let mut speaker = AlsaSpeaker::open(config).unwrap();
    let e = speaker
        .write(&AudioFrame::silence(PcmFormat::WIDEBAND, CALL_FRAME))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    speaker.set_volume(Volume::new(50).unwrap()).unwrap();
    speaker.reopen().unwrap();
    assert_eq!(speaker.volume().unwrap().percent(), 50);
    let played = play_tone(&mut speaker, Tone::new(300.0), 5);
    speaker.drain().unwrap();
    drop(speaker);
    let mut expected = played;
    Gain::new(Volume::new(50).unwrap(), false).apply(&mut expected);
    assert_eq!(read_raw(&dir.join("reopen.raw")), expected);
}
