//! What the audio path costs the station's CPU per 20 ms frame: the call path from the
//! simulated microphone through volume and rate conversion to the simulated speaker, and
//! its parts (software gain, the resampler at the rates a call meets, mono to stereo for
//! cards that refuse mono), plus loading an uploaded prompt. Figures are recorded in
//! `docs/performance.md`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use vto_hal::audio::convert::upmix;
use vto_hal::audio::{
    wav, AudioFrame, Channels, Converter, Gain, Microphone, PcmFormat, Prompt, PromptKind, Speaker,
    Tone, Volume, VolumeControl, CALL_FRAME,
};
use vto_hal::sim::{Sim, SimClock};
use vto_hal::time::Duration;

fn tone_frame(format: PcmFormat) -> AudioFrame {
    let samples = Tone::new(1000.0).samples(format, CALL_FRAME);
    AudioFrame::new(format, samples).expect("a call frame is whole sample frames")
}

/// Microphone (16 kHz) → volume 80 → 8 kHz → speaker: one frame of a narrowband call whose
/// microphone runs wideband, everything on the manual clock so no time is spent waiting.
fn call_path(c: &mut Criterion) {
    let mut g = c.benchmark_group("audio call path");
    g.throughput(Throughput::Elements(1));
    for (name, from, to) in [
        (
            "16k mic to 8k speaker",
            PcmFormat::WIDEBAND,
            PcmFormat::NARROWBAND,
        ),
        (
            "16k mic to 16k speaker",
            PcmFormat::WIDEBAND,
            PcmFormat::WIDEBAND,
        ),
        (
            "16k mic to 48k speaker",
            PcmFormat::WIDEBAND,
            PcmFormat::PROMPT,
        ),
    ] {
        let sim = Sim::new(SimClock::manual());
        let (mut mic, visitor) = sim.microphone(from);
        let (mut speaker, _ears) = sim.speaker(to);
        mic.set_volume(Volume::new(80).expect("in range"))
            .expect("sim volume");
        // Ten minutes of voice-band tone in the air: more than criterion reads.
        visitor.play_tone(Tone::new(440.0), Duration::from_secs(600));
        let mut conv = Converter::new(from, to);
        let mut frame = AudioFrame::silence(from, CALL_FRAME);
        g.bench_function(BenchmarkId::new("frame", name), |b| {
            b.iter(|| {
                mic.read(&mut frame).expect("sim read");
                let out = conv
                    .convert(black_box(&frame))
                    .expect("20 ms in, 20 ms out");
                speaker.write(&out).expect("sim write")
            })
        });
    }
    g.finish();
}

fn parts(c: &mut Criterion) {
    let mut g = c.benchmark_group("audio frame");
    g.throughput(Throughput::Elements(1));
    let gain = Gain::new(Volume::new(50).expect("in range"), false);
    for format in [PcmFormat::NARROWBAND, PcmFormat::PROMPT] {
        let frame = tone_frame(format);
        g.bench_with_input(
            BenchmarkId::new("software gain", format.rate.hz()),
            &frame,
            |b, f| {
                b.iter(|| {
                    let mut s = f.samples().to_vec();
                    gain.apply(black_box(&mut s));
                    s
                })
            },
        );
    }
    for (from, to) in [
        (PcmFormat::WIDEBAND, PcmFormat::NARROWBAND),
        (PcmFormat::NARROWBAND, PcmFormat::WIDEBAND),
        (PcmFormat::NARROWBAND, PcmFormat::PROMPT),
        (PcmFormat::PROMPT, PcmFormat::NARROWBAND),
        (PcmFormat::PROMPT, PcmFormat::WIDEBAND),
    ] {
        let frame = tone_frame(from);
        let mut conv = Converter::new(from, to);
        let name = format!("{}k to {}k", from.rate.hz() / 1000, to.rate.hz() / 1000);
        g.bench_function(BenchmarkId::new("resample", name), |b| {
            b.iter(|| conv.convert(black_box(&frame)))
        });
    }
    let frame = tone_frame(PcmFormat::PROMPT);
    g.bench_function("mono to stereo 48k", |b| {
        let mut out = Vec::with_capacity(1920);
        b.iter(|| {
            out.clear();
            upmix(black_box(frame.samples()), &mut out);
            out.len()
        })
    });
    g.finish();
}

/// Loading a 5 s 44.1 kHz stereo upload as a 48 kHz mono prompt: parse, downmix, resample.
fn prompt_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("audio prompt");
    g.sample_size(10);
    let stereo = PcmFormat {
        rate: vto_hal::audio::SampleRate::Hz48000,
        channels: Channels::Stereo,
    };
    // A 44.1 kHz file: the tone at 48 kHz relabelled is fine for timing.
    let samples = Tone::new(523.0).samples(stereo, Duration::from_secs(5));
    let file = wav::encode(44_100, Channels::Stereo, &samples[..44_100 * 5 * 2]);
    g.bench_function("5 s 44.1k stereo WAV to 48k mono", |b| {
        b.iter(|| {
            Prompt::from_wav(PromptKind::RingBack, black_box(&file), PcmFormat::PROMPT)
                .expect("valid")
        })
    });
    g.finish();
}

criterion_group!(benches, call_path, parts, prompt_load);
criterion_main!(benches);
