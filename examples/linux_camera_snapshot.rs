//! Take a JPEG snapshot from a V4L2 camera: a USB webcam, or the Pi's camera behind its
//! capture node.
//!
//! Wiring:
//!
//! ```text
//!   USB webcam ── USB ──► station (uvcvideo)  ──► /dev/video0
//!   Pi camera  ── CSI ribbon ──► Pi (libcamera/unicam + ISP) ──► /dev/videoN capture node
//! ```
//!
//! `v4l2-ctl --list-devices` shows which node captures. The camera must not be in use by
//! another program (the example says `busy` then). MJPEG frames are saved as they are
//! (checked, Huffman tables added if the camera leaves them out); raw frames are encoded.
//! The first frames are skipped: webcams settle their exposure over about half a second.
//!
//! Run: `cargo run --features v4l --example linux_camera_snapshot -- /dev/video0 [OUTPUT.jpg] [SIZE]`
//! (SIZE: 1080P, 720P, WVGA, D1, CIF, QVGA or WIDTHxHEIGHT; without it the camera's
//! current format is kept).

use std::process::ExitCode;
use std::time::Duration;

use vto::hal::camera::{
    snapshot, Camera, FrameRate, ImageControls, PixelFormat, Quality, Resolution, StreamConfig,
};
use vto::hal::v4l::{V4lCamera, V4lError};
use vto::hal::{Error, ErrorKind};

const USAGE: &str =
    "usage: linux_camera_snapshot DEVICE [OUTPUT.jpg] [SIZE]   (e.g. /dev/video0 door.jpg 720P)";
/// Frames dropped before the snapshot, for auto exposure to settle.
const SETTLE_FRAMES: usize = 10;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(device) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let output = args.next().unwrap_or_else(|| "snapshot.jpg".into());
    let size = match args.next().map(|s| s.parse::<Resolution>()) {
        None => None,
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            eprintln!("linux_camera_snapshot: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&device, &output, size) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let kind = e.downcast_ref::<V4lError>().map(|e| e.kind());
            let hint = match kind.unwrap_or(ErrorKind::Other) {
                ErrorKind::Disconnected => " (is the camera plugged in, and is this its node?)",
                ErrorKind::Busy => " (close the other program using the camera)",
                ErrorKind::Unsupported => " (pick a size from the list above)",
                _ => "",
            };
            eprintln!("linux_camera_snapshot: {e}{hint}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    device: &str,
    output: &str,
    size: Option<Resolution>,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut cam = V4lCamera::open(device)?;
    let modes = cam.modes()?;
    for m in &modes {
        let rates: Vec<String> = m.frame_rates.iter().map(|r| r.to_string()).collect();
        println!("  {} {} ({})", m.format, m.resolution, rates.join(", "));
    }
    if let Some(resolution) = size {
        // A ready-made JPEG is cheapest; a raw format otherwise.
        let format = [PixelFormat::Mjpeg, PixelFormat::Yuyv, PixelFormat::Nv12]
            .into_iter()
            .chain(PixelFormat::ALL)
            .find(|f| {
                !matches!(f, PixelFormat::H264)
                    && modes
                        .iter()
                        .any(|m| m.format == *f && m.resolution == resolution)
            })
            .unwrap_or(PixelFormat::Yuyv);
        cam.configure(&StreamConfig {
            format,
            resolution,
            frame_rate: FrameRate::FPS_25,
        })?;
    }
    println!("capturing {}", cam.config()?);
    for control in vto::hal::camera::Control::ALL {
        match cam.get(control) {
            Ok(setting) => println!("  {setting}"),
            Err(e) if e.kind() == ErrorKind::Unsupported => {
                println!("  {control}: not on this camera")
            }
            Err(e) => println!("  {control}: {e}"),
        }
    }
    cam.start()?;
    let mut frame = cam.frame(Duration::from_secs(5))?;
    for _ in 0..SETTLE_FRAMES {
        frame = cam.frame(Duration::from_secs(5))?;
    }
    cam.stop()?;
    let jpeg = snapshot(&frame, Quality::DEFAULT)?;
    std::fs::write(output, jpeg.as_bytes()).map_err(|e| format!("cannot write {output}: {e}"))?;
    println!(
        "frame {} ({} at {}): {} bytes of JPEG written to {output}",
        frame.sequence(),
        frame.format(),
        frame.timestamp(),
        jpeg.as_bytes().len()
    );
    Ok(())
}
