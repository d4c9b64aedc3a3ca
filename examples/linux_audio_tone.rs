//! Play a tone, a built-in prompt or a WAV file on an ALSA device: check the speaker
//! wiring and the volume before the station goes live.
//!
//! Wiring:
//!
//! ```text
//!   USB sound card / codec HAT (I2S) ──► amplifier ──► door station speaker (4–8 Ω)
//!   station ── ALSA ──► hw:CARD,DEV   (`aplay -l` lists cards and devices)
//! ```
//!
//! Safety: start with a low volume (the default here is 50, −18 dB); a full-scale tone on a
//! small door-station speaker driven by a 3 W amplifier is loud and can damage it. `hw:`
//! devices only take the rates their codec has (often 48 kHz only): use `plughw:` to let
//! alsa-lib convert, or `--rate 48000`. A device another program holds is reported as busy.
//!
//! Run:
//! `cargo run --features alsa --example linux_audio_tone -- DEVICE [SOUND] [OPTIONS]`
//! where SOUND is a frequency in Hz (default 1000), `ring-back`, `door-open`,
//! `call-failed`, or a WAV file (PCM 8/16-bit, mono/stereo; converted to the device's
//! format), and OPTIONS are `--seconds S` (tones, default 2), `--rate 8000|16000|48000`
//! (default 48000), `--volume 0..100` (default 50), `--period-ms N` (default 10).

use std::process::ExitCode;
use std::time::Duration;

use vto::hal::alsa::{AlsaConfig, AlsaSpeaker, PcmClock};
use vto::hal::audio::{
    PcmFormat, Prompt, PromptKind, SampleRate, Speaker, Tone, ToneGenerator, Volume, CALL_FRAME,
};
use vto::hal::{Clock, Error};

const USAGE: &str = "usage: linux_audio_tone DEVICE [HZ|ring-back|door-open|call-failed|FILE.wav] [--seconds S] [--rate 8000|16000|48000] [--volume 0..100] [--period-ms N]";

/// The error with its causes, `a: b: c`, since a log line is all a field engineer gets.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s = format!("{s}: {c}");
        cause = c.source();
    }
    s
}

enum Sound {
    Tone(f64),
    Prompt(Prompt),
}

struct Options {
    device: String,
    sound: String,
    seconds: f64,
    rate: SampleRate,
    volume: Volume,
    period: Duration,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut positional = Vec::new();
    let mut o = Options {
        device: String::new(),
        sound: "1000".into(),
        seconds: 2.0,
        rate: SampleRate::Hz48000,
        volume: Volume::new(50).map_err(|e| e.to_string())?,
        period: Duration::from_millis(10),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--seconds" => {
                o.seconds = value("--seconds")?
                    .parse()
                    .ok()
                    .filter(|s: &f64| (0.02..=600.0).contains(s))
                    .ok_or("--seconds must be 0.02..=600")?;
            }
            "--rate" => {
                let hz: u32 = value("--rate")?.parse().map_err(|_| "--rate is a number")?;
                o.rate = SampleRate::from_hz(hz).ok_or("--rate must be 8000, 16000 or 48000")?;
            }
            "--volume" => {
                let v: u32 = value("--volume")?
                    .parse()
                    .map_err(|_| "--volume is a number")?;
                o.volume = Volume::new(v).map_err(|e| e.to_string())?;
            }
            "--period-ms" => {
                let ms: u64 = value("--period-ms")?
                    .parse()
                    .map_err(|_| "--period-ms is a number")?;
                o.period = Duration::from_millis(ms);
            }
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => positional.push(arg.clone()),
        }
    }
    match positional.as_slice() {
        [device] => o.device = device.clone(),
        [device, sound] => {
            o.device = device.clone();
            o.sound = sound.clone();
        }
        _ => return Err("expected DEVICE [SOUND]".into()),
    }
    Ok(o)
}

fn sound(o: &Options, format: PcmFormat) -> Result<Sound, String> {
    let kind = match o.sound.as_str() {
        "ring-back" => Some(PromptKind::RingBack),
        "door-open" => Some(PromptKind::DoorOpen),
        "call-failed" => Some(PromptKind::CallFailed),
        _ => None,
    };
    if let Some(kind) = kind {
        return Ok(Sound::Prompt(Prompt::builtin(kind, format)));
    }
    if let Ok(hz) = o.sound.parse::<f64>() {
        let nyquist = f64::from(format.rate.hz()) / 2.0;
        if !(20.0..nyquist).contains(&hz) {
            return Err(format!(
                "{hz} Hz is outside 20..{nyquist} Hz at {}",
                format.rate
            ));
        }
        return Ok(Sound::Tone(hz));
    }
    let file = std::fs::read(&o.sound).map_err(|e| format!("{}: {e}", o.sound))?;
    Prompt::from_wav(PromptKind::DoorOpen, &file, format)
        .map(Sound::Prompt)
        .map_err(|e| format!("{}: {}", o.sound, chain(&e)))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = match parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let format = PcmFormat::mono(o.rate);
    let sound = match sound(&o, format) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut config = AlsaConfig::new(o.device.clone(), format).with_buffer(o.period, 4);
    config.volume = o.volume;
    let mut speaker = match AlsaSpeaker::open(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{} ({})", chain(&e), e.kind());
            return ExitCode::FAILURE;
        }
    };
    if let Some(sizes) = speaker.buffer_sizes() {
        println!(
            "{}: {format}, period {} frames ({:?}), buffer {} frames ({:?}), volume {} via {}",
            o.device,
            sizes.period_frames,
            sizes.period(),
            sizes.buffer_frames,
            sizes.buffer(),
            o.volume,
            speaker.mixer_control().unwrap_or("software gain"),
        );
    }
    let started = PcmClock.now();
    let result = match sound {
        Sound::Tone(hz) => {
            let mut generator = ToneGenerator::new(Tone::new(hz), format);
            let frames = (o.seconds / CALL_FRAME.as_secs_f64()).ceil() as usize;
            (0..frames).try_for_each(|_| speaker.write(&generator.frame(CALL_FRAME)).map(|_| ()))
        }
        Sound::Prompt(prompt) => prompt.play(&mut speaker).map(|_| ()),
    };
    if let Err(e) = result.and_then(|()| speaker.drain()) {
        eprintln!("{} ({})", chain(&e), e.kind());
        return ExitCode::FAILURE;
    }
    println!(
        "played for {:.2} s, {} underrun(s) recovered",
        (PcmClock.now() - started).as_secs_f64(),
        speaker.xruns()
    );
    ExitCode::SUCCESS
}
