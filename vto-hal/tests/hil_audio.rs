//! The ALSA backend against the kernel's snd-aloop driver, in the HIL VM (scripts/hil-test.sh).
//!
//! What is played on `HIL_ALSA_PLAYBACK` (`hw:Loopback,0,0`) is captured on
//! `HIL_ALSA_CAPTURE` (`hw:Loopback,1,0`), in real time on the loopback's timer: a tone
//! goes through the real PCM core (hw/sw params, ring buffers, xruns, hot unplug). The
//! Loopback card has no mixer, so volume is software there; `HIL_ALSA_DUMMY` (snd-dummy)
//! has mixer controls with a dB scale for the mixer path.
//!
//! The VM has no KVM: every wait is bounded, frequencies are checked with a tolerance and
//! latencies are printed (`scripts/hil-test.sh --nocapture`), not asserted tightly.
#![cfg(all(feature = "alsa", feature = "sim"))]

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use vto_hal::alsa::{AlsaConfig, AlsaMicrophone, AlsaSpeaker, MixerChoice, PcmClock};
use vto_hal::audio::{
    analysis, AudioFrame, Microphone, PcmFormat, Prompt, PromptKind, SampleRate, Speaker, Tone,
    ToneGenerator, Volume, VolumeControl, CALL_FRAME,
};
use vto_hal::{Clock, Error, ErrorKind, Timestamp};

fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run through scripts/hil-test.sh"))
}

fn playback() -> String {
    env("HIL_ALSA_PLAYBACK")
}

fn capture() -> String {
    env("HIL_ALSA_CAPTURE")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Captured audio laid out on the capture clock: the timestamp of its first sample and the
/// samples, with silence where an overrun lost some (a frame whose timestamp jumps ahead
/// by more than half a frame starts where its timestamp says).
struct Capture {
    start: Timestamp,
    samples: Vec<i16>,
    rate: u32,
    xruns: u64,
}

impl Capture {
    fn new(frames: Vec<AudioFrame>, rate: u32, xruns: u64) -> Self {
        let start = frames
            .first()
            .map_or(Timestamp::ZERO, AudioFrame::timestamp);
        let mut capture = Self {
            start,
            samples: Vec::new(),
            rate,
            xruns,
        };
        for frame in frames {
            let at = capture.index_of(frame.timestamp());
            let len = frame.samples().len();
            if at > capture.samples.len() + len / 2 {
                capture.samples.resize(at, 0);
            }
            capture.samples.extend_from_slice(frame.samples());
        }
        capture
    }

    fn time_of(&self, index: usize) -> Timestamp {
        self.start + Duration::from_nanos(index as u64 * 1_000_000_000 / u64::from(self.rate))
    }

    fn index_of(&self, t: Timestamp) -> usize {
        let d = t - self.start;
        (d.as_nanos() * u128::from(self.rate) / 1_000_000_000) as usize
    }

    fn window(&self, from: Timestamp, length: Duration) -> &[i16] {
        let a = self.index_of(from).min(self.samples.len());
        let n = (length.as_nanos() * u128::from(self.rate) / 1_000_000_000) as usize;
        &self.samples[a..(a + n).min(self.samples.len())]
    }
}

/// A capture configuration for `format`: 10 ms periods like the speaker, but 16 of them,
/// since a longer capture buffer costs no latency and rides out the VM's scheduling.
fn capture_config(format: PcmFormat) -> AlsaConfig {
    AlsaConfig::new(capture(), format).with_buffer(ms(10), 16)
}

/// Records `length` from the capture side in a thread, starting now.
fn record(format: PcmFormat, length: Duration) -> thread::JoinHandle<Capture> {
    record_with(capture_config(format), length)
}

fn record_with(config: AlsaConfig, length: Duration) -> thread::JoinHandle<Capture> {
    let format = config.format;
    let mut mic = AlsaMicrophone::open(config).expect("open the loopback's capture side");
    thread::spawn(move || {
        let count = (length.as_millis() / CALL_FRAME.as_millis()) as usize;
        let mut frames = Vec::with_capacity(count);
        for _ in 0..count {
            let mut frame = AudioFrame::silence(format, CALL_FRAME);
            mic.read(&mut frame).expect("capture from the loopback");
            frames.push(frame);
        }
        Capture::new(frames, format.rate.hz(), mic.xruns())
    })
}

/// Writes `length` of `tone` (or silence) in 20 ms frames; returns when its first sample
/// plays.
fn play(speaker: &mut AlsaSpeaker, tone: Option<Tone>, length: Duration) -> Timestamp {
    let format = speaker.format();
    let mut generator = tone.map(|t| ToneGenerator::new(t, format));
    let mut first = None;
    for _ in 0..length.as_millis() / CALL_FRAME.as_millis() {
        let frame = match &mut generator {
            Some(g) => g.frame(CALL_FRAME),
            None => AudioFrame::silence(format, CALL_FRAME),
        };
        let at = speaker.write(&frame).expect("write to the loopback");
        first.get_or_insert(at);
    }
    first.unwrap_or_default()
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_tone_played_into_the_loopback_is_captured_at_its_frequency() {
    for (format, freq) in [
        (PcmFormat::NARROWBAND, 440.0),
        (PcmFormat::WIDEBAND, 1000.0),
        (PcmFormat::PROMPT, 3150.0),
    ] {
        let recording = record(format, ms(1200));
        let mut speaker = AlsaSpeaker::open(AlsaConfig::new(playback(), format)).unwrap();
        assert_eq!(
            speaker.mixer_control(),
            None,
            "the Loopback card has no mixer"
        );
        let started = play(&mut speaker, Some(Tone::new(freq)), ms(800));
        speaker.drain().unwrap();
        let rec = recording.join().unwrap();
        let tone = rec.window(started + ms(200), ms(400));
        assert!(tone.len() > 1000, "{format}: captured too little");
        let got = analysis::dominant_frequency(tone, format.rate.hz())
            .unwrap_or_else(|| panic!("{format}: silence where the tone should be"));
        assert!(
            (got - freq).abs() < freq * 0.01,
            "{format}: {got} Hz, played {freq}"
        );
        let zc = analysis::zero_crossing_frequency(tone, format.rate.hz()).unwrap();
        assert!(
            (zc - freq).abs() < freq * 0.02,
            "{format}: zero crossings say {zc} Hz"
        );
        let level = analysis::tone_level(tone, format.rate.hz(), freq);
        assert!(
            (level - 0.5).abs() < 0.05,
            "{format}: level {level}, {} overruns",
            rec.xruns
        );
        // Before the tone (less a margin for the timestamps' period granularity), silence.
        let quiet = (started - rec.start).saturating_sub(ms(20));
        let before = analysis::rms(rec.window(rec.start, quiet));
        assert!(before < 0.01, "{format}: {before} before the tone");
        println!(
            "{format}: {freq} Hz captured as {got:.1} Hz at level {level:.3}, {} overruns",
            rec.xruns
        );
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn latency_from_write_to_capture_is_measured() {
    for (period, periods) in [(ms(5), 4), (ms(10), 4), (ms(20), 4)] {
        let format = PcmFormat::WIDEBAND;
        let config = AlsaConfig::new(playback(), format).with_buffer(period, periods);
        let recording = record_with(
            AlsaConfig::new(capture(), format).with_buffer(period, 16),
            ms(3000),
        );
        let mut speaker = AlsaSpeaker::open(config).unwrap();
        let sizes = speaker.buffer_sizes().unwrap();
        let mut writes = Vec::new();
        play(&mut speaker, None, ms(300));
        for _ in 0..5 {
            // The station decides to play the burst now; the writer keeps the buffer full.
            let decided = PcmClock.now();
            let predicted = play(&mut speaker, Some(Tone::new(1000.0)), ms(100));
            writes.push((decided, predicted));
            play(&mut speaker, None, ms(300));
        }
        speaker.drain().unwrap();
        let rec = recording.join().unwrap();
        let mut latencies = Vec::new();
        for (decided, predicted) in &writes {
            let from = rec.index_of(*decided).min(rec.samples.len());
            let onset = analysis::tone_onset(&rec.samples[from..], rec.rate, 1000.0, 0.25)
                .unwrap_or_else(|| panic!("burst written at {decided} never captured"));
            let heard = rec.time_of(from + onset);
            let latency = heard - *decided;
            assert!(latency < ms(1000), "latency {latency:?}");
            // The speaker's own estimate of when the burst is heard holds on the
            // microphone's clock (the same CLOCK_MONOTONIC).
            let error = heard.as_nanos().abs_diff(predicted.as_nanos());
            assert!(error < 50_000_000, "heard {heard}, predicted {predicted}");
            latencies.push((
                latency,
                heard.as_nanos() as i64 - predicted.as_nanos() as i64,
            ));
        }
        latencies.sort();
        let (median, err) = latencies[latencies.len() / 2];
        let (max, _) = latencies[latencies.len() - 1];
        println!(
            "LATENCY period {} frames ({:?}), buffer {} frames ({:?}): write→capture median {:.1} ms, max {:.1} ms; heard − predicted {:+.1} ms; xruns play {} capture {}",
            sizes.period_frames,
            sizes.period(),
            sizes.buffer_frames,
            sizes.buffer(),
            median.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            err as f64 / 1e6,
            speaker.xruns(),
            rec.xruns,
        );
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_underrun_is_recovered_without_reopening_and_audio_flows_again() {
    let format = PcmFormat::WIDEBAND;
    let recording = record(format, ms(2000));
    let mut speaker = AlsaSpeaker::open(AlsaConfig::new(playback(), format)).unwrap();
    play(&mut speaker, Some(Tone::new(500.0)), ms(300));
    // The station stalls far longer than the 40 ms buffer: the card runs dry.
    thread::sleep(ms(400));
    let resumed = play(&mut speaker, Some(Tone::new(1500.0)), ms(600));
    speaker.drain().unwrap();
    assert!(speaker.xruns() >= 1, "the stall must have been an underrun");
    let rec = recording.join().unwrap();
    let after = rec.window(resumed + ms(100), ms(400));
    let f = analysis::dominant_frequency(after, 16_000).expect("audio after the underrun");
    assert!((f - 1500.0).abs() < 15.0, "{f}");
    println!("underruns recovered: {}", speaker.xruns());
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_microphone_read_late_recovers_from_the_overrun_and_the_timestamps_show_the_gap() {
    let format = PcmFormat::NARROWBAND;
    let mut mic = AlsaMicrophone::open(AlsaConfig::new(capture(), format)).unwrap();
    let mut frame = AudioFrame::silence(format, CALL_FRAME);
    mic.read(&mut frame).unwrap();
    let before = frame.timestamp();
    thread::sleep(ms(500));
    mic.read(&mut frame).unwrap();
    mic.read(&mut frame).unwrap();
    assert!(mic.xruns() >= 1);
    let gap = frame.timestamp() - before;
    assert!(gap >= ms(400), "{gap:?}");
    // It keeps capturing in real time afterwards: consecutive frames are 20 ms apart.
    let t = frame.timestamp();
    mic.read(&mut frame).unwrap();
    let step = frame.timestamp() - t;
    assert!(step > ms(10) && step < ms(30), "{step:?}");
}

#[test]
#[ignore = "needs the HIL VM"]
fn software_volume_on_the_loopback_follows_the_manuals_curve() {
    let format = PcmFormat::WIDEBAND;
    let recording = record(format, ms(1600));
    let mut config = AlsaConfig::new(playback(), format);
    config.volume = Volume::new(50).unwrap();
    let mut speaker = AlsaSpeaker::open(config).unwrap();
    let half = play(&mut speaker, Some(Tone::new(800.0)), ms(400));
    speaker.set_volume(Volume::MAX).unwrap();
    let full = play(&mut speaker, Some(Tone::new(800.0)), ms(400));
    speaker.set_muted(true).unwrap();
    let muted = play(&mut speaker, Some(Tone::new(800.0)), ms(400));
    speaker.drain().unwrap();
    let rec = recording.join().unwrap();
    let level = |t: Timestamp| analysis::rms(rec.window(t + ms(100), ms(200)));
    let db = 20.0 * (level(half) / level(full)).log10();
    assert!((db - -18.06).abs() < 0.5, "volume 50 is {db:.2} dB");
    assert!(level(muted) < 1e-4, "muted {}", level(muted));
}

#[test]
#[ignore = "needs the HIL VM"]
fn the_dummy_cards_mixer_carries_the_volume_in_db() {
    let dummy = env("HIL_ALSA_DUMMY");
    let config = AlsaConfig::new(dummy.clone(), PcmFormat::mono(SampleRate::Hz48000));
    let mut speaker = AlsaSpeaker::open(config.clone()).unwrap();
    assert_eq!(speaker.mixer_control(), Some("Master"));
    // snd-dummy's controls run from −45 dB to 0 dB in 0.3 dB steps.
    speaker.set_volume(Volume::new(50).unwrap()).unwrap();
    let db = speaker.mixer_db().unwrap().unwrap();
    assert!((db - -18.06).abs() <= 0.31, "{db}");
    speaker.set_volume(Volume::MAX).unwrap();
    assert_eq!(speaker.mixer_db().unwrap(), Some(0.0));
    // Below the control's range: its minimum.
    speaker.set_volume(Volume::new(5).unwrap()).unwrap();
    assert_eq!(speaker.mixer_db().unwrap(), Some(-45.0));
    // Prompts play through it.
    Prompt::builtin(PromptKind::DoorOpen, PcmFormat::PROMPT)
        .play(&mut speaker)
        .unwrap();
    speaker.drain().unwrap();
    drop(speaker);

    let mut mic = AlsaMicrophone::open(config.clone()).unwrap();
    assert!(
        mic.mixer_control().is_some(),
        "a capture control on the Dummy card"
    );
    mic.set_volume(Volume::new(80).unwrap()).unwrap();
    let db = mic.mixer_db().unwrap().unwrap();
    assert!((db - -5.81).abs() <= 0.31, "{db}");

    let e = AlsaSpeaker::open(config.with_mixer(MixerChoice::Control("Bass".into()))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert!(
        e.to_string().contains("Master"),
        "lists the controls it has: {e}"
    );
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_device_held_by_another_stream_is_busy_and_opens_once_released() {
    let config = AlsaConfig::new(playback(), PcmFormat::NARROWBAND);
    let mut first = AlsaSpeaker::open(config.clone()).unwrap();
    let started = PcmClock.now();
    let e = AlsaSpeaker::open(config.clone()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Busy, "{e}");
    // At once, not after waiting for the device.
    assert!(PcmClock.now() - started < ms(2000));
    // Reopening the holder works: it lets go before it opens again.
    first.reopen().unwrap();
    assert_eq!(
        AlsaSpeaker::open(config.clone()).unwrap_err().kind(),
        ErrorKind::Busy
    );
    drop(first);
    let mut second = AlsaSpeaker::open(config).unwrap();
    play(&mut second, Some(Tone::new(440.0)), ms(100));
    second.drain().unwrap();
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_card_that_does_not_exist_is_disconnected() {
    for name in ["hw:NoSuchCard", "hw:7,0"] {
        let e = AlsaSpeaker::open(AlsaConfig::new(name, PcmFormat::NARROWBAND)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Disconnected, "{name}: {e}");
        let e = AlsaMicrophone::open(AlsaConfig::new(name, PcmFormat::NARROWBAND)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Disconnected, "{name}: {e}");
    }
}

/// Unbinding snd-aloop from its driver is what unplugging a USB sound card does to the
/// card. The kernel waits for open handles to close before it lets go of the card, so
/// this runs in a thread and reports when it is done.
fn aloop_bound(bound: bool) -> mpsc::Receiver<std::io::Result<()>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let path = format!(
            "/sys/bus/platform/drivers/snd_aloop/{}",
            if bound { "bind" } else { "unbind" }
        );
        let _ = tx.send(std::fs::write(path, "snd_aloop.0"));
    });
    rx
}

/// Plugs the Loopback card back in even if the test fails.
struct Replug;

impl Drop for Replug {
    fn drop(&mut self) {
        if !std::path::Path::new("/sys/bus/platform/drivers/snd_aloop/snd_aloop.0").exists() {
            let _ = aloop_bound(true).recv_timeout(Duration::from_secs(10));
        }
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_unplugged_card_is_disconnected_and_reopens_when_back() {
    let format = PcmFormat::NARROWBAND;
    let mut speaker = AlsaSpeaker::open(AlsaConfig::new(playback(), format)).unwrap();
    play(&mut speaker, Some(Tone::new(440.0)), ms(100));
    let _replug = Replug;
    let unbound = aloop_bound(false);
    let mut generator = ToneGenerator::new(Tone::new(440.0), format);
    let mut error = None;
    for _ in 0..500 {
        if let Err(e) = speaker.write(&generator.frame(CALL_FRAME)) {
            error = Some(e);
            break;
        }
    }
    let e = error.expect("writing to an unplugged card fails");
    assert_eq!(e.kind(), ErrorKind::Disconnected, "{e}");
    // The stream was closed on the error, so the kernel can let go of the card.
    unbound
        .recv_timeout(Duration::from_secs(10))
        .expect("the card is released once its handles are closed")
        .expect("unbind snd_aloop");
    let e = speaker.write(&generator.frame(CALL_FRAME)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Disconnected, "{e}");
    assert_eq!(
        speaker.reopen().unwrap_err().kind(),
        ErrorKind::Disconnected
    );

    aloop_bound(true)
        .recv_timeout(Duration::from_secs(10))
        .expect("bind returns")
        .expect("bind snd_aloop");
    let mut reopened = Err(None);
    for _ in 0..50 {
        match speaker.reopen() {
            Ok(()) => {
                reopened = Ok(());
                break;
            }
            Err(e) => reopened = Err(Some(e)),
        }
        thread::sleep(ms(100));
    }
    reopened.unwrap_or_else(|e| panic!("reopen after replug: {e:?}"));
    // And it plays again: the tone comes out of the other side.
    let recording = record(format, ms(800));
    let started = play(&mut speaker, Some(Tone::new(440.0)), ms(600));
    speaker.drain().unwrap();
    let rec = recording.join().unwrap();
    let f = analysis::dominant_frequency(rec.window(started + ms(100), ms(300)), 8000)
        .expect("audio after the replug");
    assert!((f - 440.0).abs() < 5.0, "{f}");
}
