//! Take a JPEG snapshot from the simulated camera: moving colour bars with the time drawn
//! in, what later issues use to check that video flows and snapshots are current.
//!
//! What this stands for (see `linux_camera_snapshot.rs` for the real thing):
//!
//! ```text
//!   camera module ── USB / CSI ribbon ──► station SoC  (/dev/video0)
//! ```
//!
//! The simulation runs on a manual clock, so the example is instant and writes the same
//! picture every run: frame 75 at 25 fps, taken at 00:00:03.000.
//!
//! Run: `cargo run --example sim_camera_snapshot -- [OUTPUT.jpg] [SIZE]`
//! (SIZE: 1080P, 720P, WVGA, D1, CIF, QVGA or WIDTHxHEIGHT; default 720P).

use std::process::ExitCode;
use std::time::Duration;

use vto::hal::camera::overlay::{self, TEXT_LEN};
use vto::hal::camera::{
    snapshot, Camera, FrameRate, ImageControls, Level, PixelFormat, Quality, Resolution, Setting,
    StreamConfig,
};
use vto::hal::sim::camera::SimCamera;
use vto::hal::sim::SimClock;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let output = args.next().unwrap_or_else(|| "sim_snapshot.jpg".into());
    let resolution = match args.next().map(|s| s.parse::<Resolution>()) {
        None => Resolution::P720,
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            eprintln!("sim_camera_snapshot: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&output, resolution) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sim_camera_snapshot: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(output: &str, resolution: Resolution) -> Result<(), Box<dyn std::error::Error>> {
    let clock = SimClock::manual();
    let mut cam = SimCamera::new(clock.clone());
    let applied = cam.configure(&StreamConfig {
        format: PixelFormat::Yuyv,
        resolution,
        frame_rate: FrameRate::FPS_25,
    })?;
    println!("camera: {applied}");
    // The manual's image settings, as an installer would tune them for a dim porch.
    cam.set(Setting::Brightness(Level::new(55)?))?;
    cam.set(Setting::DisplayTime(true))?;
    cam.start()?;
    // Three seconds of video; the reader keeps up, so every frame arrives.
    let mut frame = cam.frame(Duration::from_secs(1))?;
    while frame.timestamp().as_nanos() < 3_000_000_000 {
        frame = cam.frame(Duration::from_secs(1))?;
    }
    cam.stop()?;
    let jpeg = snapshot(&frame, Quality::DEFAULT)?;
    std::fs::write(output, jpeg.as_bytes())?;
    let shown = frame
        .luma()
        .and_then(|l| overlay::read(&l, resolution.width(), resolution.height(), TEXT_LEN));
    println!(
        "frame {} at {}: {} bytes of JPEG written to {output}; the picture shows \"{}\"",
        frame.sequence(),
        frame.timestamp(),
        jpeg.as_bytes().len(),
        shown.as_deref().unwrap_or("(too small for the time)")
    );
    Ok(())
}
