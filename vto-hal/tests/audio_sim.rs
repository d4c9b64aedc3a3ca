//! The simulated microphone and speaker on a manual clock: what the visitor hears, what the
//! station captures, volume and mute, underruns, overruns and unplugging.
#![cfg(feature = "sim")]

use std::time::Duration;

use vto_hal::audio::{
    analysis, wav, AudioFrame, Channels, Converter, Microphone, PcmFormat, Prompt, PromptKind,
    SampleRate, Speaker, Tone, ToneGenerator, Volume, VolumeControl, CALL_FRAME,
};
use vto_hal::sim::audio::SPEAKER_BUFFER;
use vto_hal::sim::{Sim, SimClock};
use vto_hal::{Clock, ErrorKind, Timestamp};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn sim() -> Sim {
    Sim::new(SimClock::manual())
}

#[test]
fn the_visitor_hears_one_second_of_425_hz_ring_back_then_four_of_silence() {
    let sim = sim();
    sim.clock().advance(ms(1000));
    let (mut speaker, ears) = sim.speaker(PcmFormat::PROMPT);
    let prompt = Prompt::builtin(PromptKind::RingBack, PcmFormat::PROMPT);
    let start = prompt.play(&mut speaker).unwrap();
    assert_eq!(start, Timestamp::from_millis(1000));
    // The write blocked like a sound card's: the clock moved on to within a buffer of the end.
    assert_eq!(
        sim.clock().now() + SPEAKER_BUFFER,
        Timestamp::from_millis(6000)
    );
    speaker.drain().unwrap();
    assert_eq!(sim.clock().now(), Timestamp::from_millis(6000));

    let onset = ears.tone_onset(425.0, 0.25).unwrap();
    assert!(onset - start < ms(1), "ring-back started late: {onset}");
    let f = ears.dominant_frequency(start, ms(1000)).unwrap();
    assert!((f - 425.0).abs() < 1.0, "{f}");
    assert!(ears.rms(start + ms(1000), ms(4000)) < 1e-4);
    assert_eq!(ears.underruns(), 0);
    assert!(!ears.is_playing());
}

#[test]
fn the_builtin_door_open_prompt_rises_from_880_to_1320_hz() {
    let sim = sim();
    let (mut speaker, ears) = sim.speaker(PcmFormat::WIDEBAND);
    // Loaded for 48 kHz, played on a 16 kHz speaker: converted on the way.
    let start = Prompt::builtin(PromptKind::DoorOpen, PcmFormat::PROMPT)
        .play(&mut speaker)
        .unwrap();
    let first = ears.dominant_frequency(start + ms(10), ms(130)).unwrap();
    let second = ears.dominant_frequency(start + ms(210), ms(130)).unwrap();
    assert!((first - 880.0).abs() < 2.0, "{first}");
    assert!((second - 1320.0).abs() < 2.0, "{second}");
}

#[test]
fn call_audio_flows_from_the_visitor_through_the_station_with_exact_timestamps() {
    let sim = sim();
    let (mut mic, visitor) = sim.microphone(PcmFormat::WIDEBAND);
    let (mut speaker, ears) = sim.speaker(PcmFormat::NARROWBAND);
    visitor.pause(ms(100));
    visitor.play_tone(Tone::new(1000.0), ms(400));

    // The station's call loop: 20 ms from the microphone, converted to 8 kHz, played back.
    let mut conv = Converter::new(PcmFormat::WIDEBAND, PcmFormat::NARROWBAND);
    let mut frame = AudioFrame::silence(PcmFormat::WIDEBAND, CALL_FRAME);
    for i in 0..30u64 {
        mic.read(&mut frame).unwrap();
        assert_eq!(frame.timestamp(), Timestamp::from_millis(20 * i));
        let out = conv.convert(&frame).unwrap();
        assert_eq!(out.samples().len(), 160);
        speaker.write(&out).unwrap();
    }
    let onset = ears.tone_onset(1000.0, 0.25).unwrap();
    // Heard 100 ms in on the visitor's side, plus one frame of capture and the resampler.
    let delay = onset - Timestamp::from_millis(100);
    assert!(
        delay >= CALL_FRAME && delay < CALL_FRAME + ms(5),
        "{delay:?}"
    );
    let f = ears.dominant_frequency(onset + ms(50), ms(300)).unwrap();
    assert!((f - 1000.0).abs() < 2.0, "{f}");
    let level = ears.recording().tone_level(onset + ms(50), ms(300), 1000.0);
    assert!((level - 0.5).abs() < 0.03, "{level}");
}

#[test]
fn speaker_volume_follows_the_manuals_curve_and_mute_silences_it() {
    let sim = sim();
    let (mut speaker, ears) = sim.speaker(PcmFormat::NARROWBAND);
    let mut tone = ToneGenerator::new(Tone::new(500.0), PcmFormat::NARROWBAND);
    let mut play = |speaker: &mut vto_hal::sim::audio::SimSpeaker| {
        let start = speaker.write(&tone.frame(CALL_FRAME)).unwrap();
        for _ in 0..9 {
            speaker.write(&tone.frame(CALL_FRAME)).unwrap();
        }
        start
    };
    let full = play(&mut speaker);
    speaker.set_volume(Volume::new(50).unwrap()).unwrap();
    let half = play(&mut speaker);
    speaker.set_muted(true).unwrap();
    let muted = play(&mut speaker);
    speaker.set_muted(false).unwrap();
    let back = play(&mut speaker);
    assert_eq!(speaker.volume().unwrap(), Volume::new(50).unwrap());
    assert!(!speaker.is_muted().unwrap());
    assert_eq!(ears.volume().percent(), 50);

    let level = |t| ears.rms(t, ms(200));
    let db = 20.0 * (level(half) / level(full)).log10();
    assert!((db - -18.06).abs() < 0.1, "volume 50 is {db} dB");
    assert_eq!(level(muted), 0.0);
    // Unmuting restores the chosen volume, not full level.
    assert!((level(back) / level(half) - 1.0).abs() < 0.01);
}

#[test]
fn a_muted_microphone_sends_silence_and_its_volume_scales_the_visitor() {
    let sim = sim();
    let (mut mic, visitor) = sim.microphone(PcmFormat::NARROWBAND);
    visitor.play_tone(Tone::new(800.0), ms(1000));
    let mut frame = AudioFrame::silence(PcmFormat::NARROWBAND, ms(100));
    mic.read(&mut frame).unwrap();
    let full = analysis::rms(frame.samples());
    mic.set_volume(Volume::new(80).unwrap()).unwrap();
    mic.read(&mut frame).unwrap();
    let db = 20.0 * (analysis::rms(frame.samples()) / full).log10();
    assert!((db - -5.81).abs() < 0.1, "{db}");
    mic.set_muted(true).unwrap();
    mic.read(&mut frame).unwrap();
    assert!(frame.samples().iter().all(|&s| s == 0));
    assert!(visitor.is_muted());
}

#[test]
fn a_speaker_that_ran_dry_resumes_with_the_next_write_and_counts_the_underrun() {
    let sim = sim();
    let (mut speaker, ears) = sim.speaker(PcmFormat::NARROWBAND);
    let mut tone = ToneGenerator::new(Tone::new(600.0), PcmFormat::NARROWBAND);
    for _ in 0..5 {
        speaker.write(&tone.frame(CALL_FRAME)).unwrap();
    }
    // The station stalls for half a second.
    sim.clock().advance(ms(500));
    let resumed = speaker.write(&tone.frame(CALL_FRAME)).unwrap();
    assert_eq!(resumed, sim.clock().now());
    assert_eq!(ears.underruns(), 1);
    // The gap is silence in what the visitor heard, then the tone again.
    let rec = ears.recording();
    assert!(rec.rms(Timestamp::from_millis(150), ms(300)) < 1e-4);
    assert!(rec.rms(resumed, CALL_FRAME) > 0.3);
    // Draining and later playing a prompt is not an underrun.
    speaker.drain().unwrap();
    sim.clock().advance(ms(2000));
    speaker.write(&tone.frame(CALL_FRAME)).unwrap();
    assert_eq!(ears.underruns(), 1);
}

#[test]
fn a_microphone_read_late_loses_the_oldest_samples_and_says_so_in_the_timestamps() {
    let sim = sim();
    let (mut mic, visitor) = sim.microphone(PcmFormat::NARROWBAND);
    let mut frame = AudioFrame::silence(PcmFormat::NARROWBAND, CALL_FRAME);
    mic.read(&mut frame).unwrap();
    assert_eq!(frame.timestamp(), Timestamp::ZERO);
    mic.read(&mut frame).unwrap();
    assert_eq!(frame.timestamp(), Timestamp::from_millis(20));
    sim.clock().advance(ms(500));
    mic.read(&mut frame).unwrap();
    assert_eq!(visitor.overruns(), 1);
    // The freshest frame, ending now.
    assert_eq!(frame.end(), sim.clock().now());
    mic.read(&mut frame).unwrap();
    assert_eq!(frame.timestamp(), Timestamp::from_millis(540));
}

#[test]
fn recorded_speech_from_a_wav_file_reaches_the_station_intact() {
    // A vowel-like sound: 150 Hz voice with harmonics, strongest at 450 Hz, 44.1 kHz stereo.
    let n = 44_100 / 2;
    let mut stereo = Vec::with_capacity(n * 2);
    for i in 0..n {
        let t = i as f64 / 44_100.0;
        let v: f64 = [(150.0, 0.15), (300.0, 0.2), (450.0, 0.3), (600.0, 0.1)]
            .iter()
            .map(|(f, a)| a * (2.0 * std::f64::consts::PI * f * t).sin())
            .sum();
        let s = (v * 32767.0) as i16;
        stereo.extend([s, s]);
    }
    let file = wav::encode(44_100, Channels::Stereo, &stereo);

    let sim = sim();
    let (mut mic, visitor) = sim.microphone(PcmFormat::WIDEBAND);
    let start = visitor.play_wav(&file).unwrap();
    assert_eq!(visitor.idle_at() - start, ms(500));
    let mut frame = AudioFrame::silence(PcmFormat::WIDEBAND, ms(500));
    mic.read(&mut frame).unwrap();
    let s = &frame.samples()[800..7200];
    let f = analysis::dominant_frequency(s, 16_000).unwrap();
    assert!((f - 450.0).abs() < 2.0, "{f}");
    for (freq, level) in [(150.0, 0.15), (300.0, 0.2), (600.0, 0.1)] {
        let got = analysis::tone_level(s, 16_000, freq);
        assert!((got - level).abs() < 0.02, "{freq} Hz: {got}");
    }
    // A file that is not a WAV is refused, and nothing is queued.
    let idle = visitor.idle_at();
    assert!(visitor.play_wav(b"not a wav file").is_err());
    assert_eq!(visitor.idle_at(), idle);
}

#[test]
fn unplugged_devices_report_disconnected_and_work_again_when_plugged_back() {
    let sim = sim();
    let (mut speaker, ears) = sim.speaker(PcmFormat::NARROWBAND);
    let (mut mic, visitor) = sim.microphone(PcmFormat::NARROWBAND);
    let mut frame = AudioFrame::silence(PcmFormat::NARROWBAND, CALL_FRAME);
    ears.unplug();
    visitor.unplug();
    let e = speaker.write(&frame).unwrap_err();
    assert_eq!(vto_hal::Error::kind(&e), ErrorKind::Disconnected);
    assert_eq!(e.to_string(), "simulated speaker is disconnected");
    let e = mic.read(&mut frame).unwrap_err();
    assert_eq!(vto_hal::Error::kind(&e), ErrorKind::Disconnected);
    ears.plug();
    visitor.plug();
    speaker.write(&frame).unwrap();
    mic.read(&mut frame).unwrap();
}

#[test]
fn a_frame_in_another_format_is_refused() {
    let sim = sim();
    let (mut speaker, _) = sim.speaker(PcmFormat::NARROWBAND);
    let (mut mic, _) = sim.microphone(PcmFormat::NARROWBAND);
    let stereo = PcmFormat {
        rate: SampleRate::Hz8000,
        channels: Channels::Stereo,
    };
    let mut wrong = AudioFrame::silence(stereo, CALL_FRAME);
    let e = speaker.write(&wrong).unwrap_err();
    assert_eq!(vto_hal::Error::kind(&e), ErrorKind::InvalidConfig);
    assert_eq!(
        e.to_string(),
        "simulated audio: frame is S16 8000 Hz stereo, the device streams S16 8000 Hz mono"
    );
    assert!(mic.read(&mut wrong).is_err());
}
