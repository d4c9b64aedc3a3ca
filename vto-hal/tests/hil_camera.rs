//! The V4L2 camera against the kernel's vivid driver, in the HIL VM (scripts/hil-test.sh).
//!
//! vivid's "Webcam 0" input offers fixed sizes (320x180, 640x360, 640x480, 1280x720, ...)
//! in dozens of raw formats, draws 75 % colour bars with a text overlay whose frame counter
//! changes every frame, and has brightness, contrast, saturation, hue, gain (with
//! autogain) and flips. It has no MJPEG or H.264, no gamma, power line frequency or
//! exposure controls: those paths are tested on the host with constructed data.
//!
//! Frames are kept small and waits bounded: the VM runs without KVM.
#![cfg(all(feature = "v4l", feature = "sim"))]

use std::io::Cursor;
use std::time::Duration;

use vto_hal::camera::{
    snapshot, Camera, Control, Frame, FrameRate, ImageControls, Level, PixelFormat, Quality,
    Resolution, Setting, StreamConfig,
};
use vto_hal::v4l::V4lCamera;
use vto_hal::{Error, ErrorKind};

const WAIT: Duration = Duration::from_secs(10);

fn device() -> String {
    std::env::var("HIL_VIDEO").expect("HIL_VIDEO is not set: run through scripts/hil-test.sh")
}

fn open() -> V4lCamera {
    V4lCamera::open(device()).expect("vivid opens")
}

fn config(format: PixelFormat, width: u32, height: u32, fps: u32) -> StreamConfig {
    StreamConfig {
        format,
        resolution: Resolution::new(width, height).unwrap(),
        frame_rate: FrameRate::per_second(fps).unwrap(),
    }
}

/// The kind of a failure, or `None` on success (a frame's Debug output is megabytes).
fn kind<T>(r: Result<T, vto_hal::v4l::V4lError>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

fn small() -> StreamConfig {
    config(PixelFormat::Yuyv, 320, 180, 25)
}

/// Configures, starts and takes `n` frames.
fn capture(cam: &mut V4lCamera, cfg: &StreamConfig, n: usize) -> Vec<Frame> {
    cam.configure(cfg).unwrap();
    cam.start().unwrap();
    let frames = (0..n).map(|_| cam.frame(WAIT).unwrap()).collect();
    cam.stop().unwrap();
    frames
}

/// A decoded snapshot.
struct Picture {
    width: usize,
    height: usize,
    channels: usize,
    pixels: Vec<u8>,
}

impl Picture {
    /// The pixel at (`x`, `y`) as RGB.
    fn rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * self.channels;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }
}

fn decode(frame: &Frame) -> Picture {
    let jpeg = snapshot(frame, Quality::DEFAULT).unwrap();
    let mut d = zune_jpeg::JpegDecoder::new(Cursor::new(jpeg.into_bytes().to_vec()));
    let pixels = d.decode().expect("the snapshot decodes");
    let info = d.info().unwrap();
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    Picture {
        width,
        height,
        channels: pixels.len() / (width * height),
        pixels,
    }
}

fn mean_luma(frame: &Frame) -> f64 {
    let l = frame.luma().unwrap();
    l.iter().map(|&v| f64::from(v)).sum::<f64>() / l.len() as f64
}

#[test]
#[ignore = "needs the HIL VM"]
fn vivid_offers_its_webcam_sizes_in_several_formats() {
    let mut cam = open();
    let modes = cam.modes().unwrap();
    let has = |f: PixelFormat, w: u32, h: u32| {
        modes
            .iter()
            .any(|m| m.format == f && m.resolution == Resolution::new(w, h).unwrap())
    };
    for f in [PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Rgb24] {
        assert!(
            has(f, 320, 180) && has(f, 640, 360) && has(f, 1280, 720),
            "{f}"
        );
    }
    let yuyv_small = modes
        .iter()
        .find(|m| m.format == PixelFormat::Yuyv && m.resolution.width() == 320)
        .unwrap();
    assert!(yuyv_small.frame_rates.contains(&FrameRate::FPS_25));
    // No compressed formats on vivid.
    assert!(!modes.iter().any(|m| m.format.is_compressed()));
}

#[test]
#[ignore = "needs the HIL VM"]
fn frames_in_three_formats_at_two_sizes_make_snapshots_of_the_colour_bars() {
    let mut cam = open();
    for format in [PixelFormat::Yuyv, PixelFormat::Nv12, PixelFormat::Rgb24] {
        for (w, h) in [(320, 180), (640, 360)] {
            let cfg = config(format, w, h, 25);
            let applied = cam.configure(&cfg).unwrap();
            assert_eq!(applied.resolution, cfg.resolution);
            assert_eq!(applied.frame_rate, FrameRate::FPS_25);
            let frames = capture(&mut cam, &cfg, 2);
            let f = &frames[1];
            assert_eq!(f.format(), format);
            assert_eq!(f.resolution(), cfg.resolution);
            assert!(f.stride() >= format.min_stride(w).unwrap());
            assert!(frames[1].timestamp() > frames[0].timestamp());
            assert!(frames[1].sequence() > frames[0].sequence());

            let pic = decode(f);
            let (dw, dh) = (pic.width, pic.height);
            assert_eq!((dw, dh), (w as usize, h as usize), "{format}");
            // 75 % bars, below vivid's text: light grey on the left, black on the right.
            let y = h as usize - 4;
            let left = pic.rgb(dw / 16, y);
            let yellow = pic.rgb(dw * 3 / 16, y);
            let right = pic.rgb(dw * 15 / 16, y);
            assert!(
                left.iter().all(|&c| (150..=230).contains(&c)),
                "{format} {w}x{h}: {left:?}"
            );
            assert!(
                yellow[0] > 150 && yellow[2] < 60,
                "{format} {w}x{h}: {yellow:?}"
            );
            assert!(right.iter().all(|&c| c < 50), "{format} {w}x{h}: {right:?}");
        }
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn consecutive_frames_differ() {
    let mut cam = open();
    let frames = capture(&mut cam, &small(), 3);
    // vivid's overlay counts frames.
    assert_ne!(frames[0].data(), frames[1].data());
    assert_ne!(frames[1].data(), frames[2].data());
    assert_eq!(frames[0].data().len(), 320 * 180 * 2);
}

#[test]
#[ignore = "needs the HIL VM"]
fn brightness_changes_the_control_and_the_picture() {
    let mut cam = open();
    assert_eq!(
        cam.get(Control::Brightness).unwrap(),
        Setting::Brightness(Level::DEFAULT)
    );
    let before = mean_luma(&capture(&mut cam, &small(), 2)[1]);
    let applied = cam
        .set(Setting::Brightness(Level::new(80).unwrap()))
        .unwrap();
    assert_eq!(applied, Setting::Brightness(Level::new(80).unwrap()));
    assert_eq!(
        cam.get(Control::Brightness).unwrap(),
        Setting::Brightness(Level::new(80).unwrap())
    );
    let after = mean_luma(&capture(&mut cam, &small(), 2)[1]);
    assert!(after > before + 20.0, "mean luma {before} -> {after}");
    cam.set(Setting::Brightness(Level::DEFAULT)).unwrap();
}

#[test]
#[ignore = "needs the HIL VM"]
fn the_manuals_controls_map_onto_vivids() {
    let mut cam = open();
    for s in [
        Setting::Contrast(Level::new(30).unwrap()),
        Setting::Saturation(Level::new(70).unwrap()),
        Setting::Hue(Level::new(25).unwrap()),
        // Gain turns vivid's autogain off first, or the value would not stick.
        Setting::Gain(Level::new(40).unwrap()),
        Setting::Flip(true),
    ] {
        assert_eq!(cam.set(s).unwrap(), s);
        assert_eq!(cam.get(s.control()).unwrap(), s);
    }
    cam.set(Setting::Flip(false)).unwrap();
    cam.set(Setting::Mirror(true)).unwrap();
    let pic = decode(&capture(&mut cam, &small(), 2)[1]);
    // Mirrored: the black bar is now on the left (below vivid's text).
    let left = pic.rgb(pic.width / 16, 170);
    assert!(left.iter().all(|&c| c < 50), "{left:?}");
    cam.set(Setting::Mirror(false)).unwrap();
    for c in [Control::Contrast, Control::Saturation, Control::Hue] {
        cam.set(Setting::with_level(c, Level::DEFAULT).unwrap())
            .unwrap();
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn controls_vivid_lacks_are_unsupported() {
    let mut cam = open();
    for c in [
        Control::Gamma,
        Control::VideoStandard,
        Control::Scene,
        Control::DisplayTime,
    ] {
        assert!(!cam.supports(c).unwrap(), "{c}");
        assert_eq!(
            cam.get(c).unwrap_err().kind(),
            ErrorKind::Unsupported,
            "{c}"
        );
    }
    let e = cam.set(Setting::Gamma(Level::MAX)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(cam.supports(Control::Brightness).unwrap());
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_size_vivid_lacks_is_unsupported_not_another_size() {
    let mut cam = open();
    let e = cam
        .configure(&config(PixelFormat::Yuyv, 320, 240, 25))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.to_string().contains("320x180"), "{e}");
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_missing_device_is_disconnected() {
    let e = V4lCamera::open("/dev/video9").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Disconnected);
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_second_handle_is_busy_while_the_first_streams() {
    let mut first = open();
    first.configure(&small()).unwrap();
    first.start().unwrap();
    first.frame(WAIT).unwrap();
    let mut second = open();
    assert_eq!(
        second.configure(&small()).unwrap_err().kind(),
        ErrorKind::Busy
    );
    assert_eq!(second.start().unwrap_err().kind(), ErrorKind::Busy);
    // Reconfiguring one's own running stream is refused too.
    assert_eq!(
        first.configure(&small()).unwrap_err().kind(),
        ErrorKind::Busy
    );
    first.stop().unwrap();
    drop(first);
    second.start().unwrap();
    second.frame(WAIT).unwrap();
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_timeout_leaves_the_stream_usable() {
    let mut cam = open();
    cam.configure(&config(PixelFormat::Yuyv, 320, 180, 1))
        .unwrap();
    cam.start().unwrap();
    cam.frame(WAIT).unwrap();
    // The next frame is a second away.
    assert_eq!(
        kind(cam.frame(Duration::from_millis(1))),
        Some(ErrorKind::Timeout)
    );
    cam.frame(WAIT).unwrap();
    cam.frame(WAIT).unwrap();
}

#[test]
#[ignore = "needs the HIL VM"]
fn reopen_after_close_keeps_configuration_and_controls() {
    let mut cam = open();
    let cfg = config(PixelFormat::Nv12, 640, 360, 10);
    cam.configure(&cfg).unwrap();
    cam.set(Setting::Brightness(Level::new(70).unwrap()))
        .unwrap();
    cam.start().unwrap();
    cam.frame(WAIT).unwrap();
    cam.reopen().unwrap();
    assert_eq!(cam.config().unwrap(), cfg);
    assert_eq!(
        cam.get(Control::Brightness).unwrap(),
        Setting::Brightness(Level::new(70).unwrap())
    );
    cam.start().unwrap();
    assert_eq!(cam.frame(WAIT).unwrap().resolution(), cfg.resolution);
    cam.set(Setting::Brightness(Level::DEFAULT)).unwrap();
}

/// Unbinding vivid from its driver is what unplugging a USB camera does to the node.
fn vivid_bound(bound: bool) {
    let path = format!(
        "/sys/bus/platform/drivers/vivid/{}",
        if bound { "bind" } else { "unbind" }
    );
    std::fs::write(path, "vivid.0").expect("vivid can be unbound and bound in the VM");
}

/// Plugs vivid back in even if the test fails, so the other tests still have a camera.
struct Replug;

impl Drop for Replug {
    fn drop(&mut self) {
        if !std::path::Path::new("/sys/bus/platform/drivers/vivid/vivid.0").exists() {
            vivid_bound(true);
        }
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_unplugged_camera_is_disconnected_and_reopens_when_back() {
    let mut cam = open();
    cam.configure(&small()).unwrap();
    cam.start().unwrap();
    cam.frame(WAIT).unwrap();
    let _replug = Replug;
    vivid_bound(false);
    assert_eq!(kind(cam.frame(WAIT)), Some(ErrorKind::Disconnected));
    assert_eq!(kind(cam.reopen()), Some(ErrorKind::Disconnected));
    // Closed now: everything says so, nothing panics.
    assert_eq!(kind(cam.modes()), Some(ErrorKind::Disconnected));
    vivid_bound(true);
    // devtmpfs recreates the node as the driver registers it.
    let mut reopened = Err(None);
    for _ in 0..50 {
        match cam.reopen() {
            Ok(()) => {
                reopened = Ok(());
                break;
            }
            Err(e) => reopened = Err(Some(e)),
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reopened.unwrap_or_else(|e| panic!("reopen after replug: {e:?}"));
    assert_eq!(cam.config().unwrap(), small());
    cam.start().unwrap();
    cam.frame(WAIT).unwrap();
}
