//! The simulated camera and JPEG snapshots, checked the way a user would: decode the JPEG
//! with an independent decoder (zune-jpeg) and look at the picture.
#![cfg(feature = "sim")]

use std::io::Cursor;

use bytes::Bytes;
use vto_hal::camera::overlay::{self, TEXT_LEN};
use vto_hal::camera::pattern::{Bar, TestPattern};
use vto_hal::camera::{
    snapshot, Camera, Control, Frame, FrameRate, ImageControls, Level, PixelFormat, Quality,
    Resolution, Scene, Setting, SnapshotError, StreamConfig,
};
use vto_hal::sim::camera::SimCamera;
use vto_hal::sim::SimClock;
use vto_hal::time::{Clock, Duration, Timestamp};
use vto_hal::{Error, ErrorKind};

/// A decoded picture: width, height, channels (3: RGB, 1: grey), pixels.
struct Picture {
    width: usize,
    height: usize,
    channels: usize,
    pixels: Vec<u8>,
}

impl Picture {
    fn decode(jpeg: &[u8]) -> Picture {
        let mut d = zune_jpeg::JpegDecoder::new(Cursor::new(jpeg.to_vec()));
        let pixels = d.decode().expect("the JPEG decodes");
        let info = d.info().expect("decoded pictures have info");
        let (width, height) = (usize::from(info.width), usize::from(info.height));
        let channels = pixels.len() / (width * height);
        Picture {
            width,
            height,
            channels,
            pixels,
        }
    }

    fn rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * self.channels;
        if self.channels == 1 {
            [self.pixels[i]; 3]
        } else {
            [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
        }
    }

    /// Full-range luma of every pixel.
    fn luma(&self) -> Vec<u8> {
        (0..self.width * self.height)
            .map(|i| {
                let [r, g, b] = self.rgb(i % self.width, i / self.width);
                ((77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b)) >> 8) as u8
            })
            .collect()
    }

    fn mean_luma(&self) -> f64 {
        let l = self.luma();
        l.iter().map(|&v| f64::from(v)).sum::<f64>() / l.len() as f64
    }
}

fn close(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
}

/// Checks the middle of every bar on a line below the overlay.
fn assert_bars(pic: &Picture, pattern: &TestPattern, sequence: u64, tolerance: u8) {
    let y = pic.height / 2;
    let bar_w = pic.width / 8;
    for i in 0..8 {
        // The middle of the i-th bar in the unshifted pattern, then wherever it is now.
        let x = (i * bar_w + bar_w / 2) as u32;
        let want = pattern.bar_at(x, y as u32, sequence);
        let got = pic.rgb(x as usize, y);
        assert!(
            close(got, want.rgb(), tolerance),
            "x {x}: expected {want:?} {:?}, decoded {got:?}",
            want.rgb()
        );
    }
}

fn config(format: PixelFormat, resolution: Resolution, fps: u32) -> StreamConfig {
    StreamConfig {
        format,
        resolution,
        frame_rate: FrameRate::per_second(fps).unwrap(),
    }
}

fn camera(format: PixelFormat, resolution: Resolution) -> (SimCamera, SimClock) {
    let clock = SimClock::manual();
    let mut cam = SimCamera::new(clock.clone());
    cam.configure(&config(format, resolution, 25)).unwrap();
    cam.start().unwrap();
    (cam, clock)
}

const WAIT: Duration = Duration::from_secs(1);

#[test]
fn a_sim_snapshot_decodes_to_the_colour_bars_at_their_place() {
    let (mut cam, _) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    let frame = cam.frame(WAIT).unwrap();
    let jpeg = snapshot(&frame, Quality::DEFAULT).unwrap();
    let pic = Picture::decode(jpeg.as_bytes());
    assert_eq!((pic.width, pic.height, pic.channels), (320, 240, 3));
    assert_bars(&pic, cam.pattern(), frame.sequence(), 24);
    assert_eq!(cam.pattern().bar_at(20, 120, 0), Bar::White);
}

#[test]
fn the_time_read_from_a_decoded_snapshot_is_the_frames_timestamp() {
    for resolution in [Resolution::QVGA, Resolution::P720] {
        let (mut cam, _) = camera(PixelFormat::Yuyv, resolution);
        let mut frame = cam.frame(WAIT).unwrap();
        for _ in 0..3 {
            frame = cam.frame(WAIT).unwrap();
        }
        assert_eq!(frame.timestamp(), Timestamp::from_millis(120));
        let jpeg = snapshot(&frame, Quality::DEFAULT).unwrap();
        let pic = Picture::decode(jpeg.as_bytes());
        let text = overlay::read(
            &pic.luma(),
            resolution.width(),
            resolution.height(),
            TEXT_LEN,
        );
        assert_eq!(text.as_deref(), Some("00:00:00.120 000003"), "{resolution}");
    }
}

#[test]
fn frames_come_at_the_configured_rate_and_differ() {
    let (mut cam, clock) = camera(PixelFormat::Yuyv, Resolution::CIF);
    let frames: Vec<Frame> = (0..3).map(|_| cam.frame(WAIT).unwrap()).collect();
    let times: Vec<u64> = frames
        .iter()
        .map(|f| f.timestamp().as_nanos() / 1_000_000)
        .collect();
    assert_eq!(times, [0, 40, 80]);
    assert_eq!(
        frames.iter().map(Frame::sequence).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(clock.now(), Timestamp::from_millis(80));
    assert_ne!(frames[0].data(), frames[1].data());
    assert_eq!(frames[0].data().len(), 352 * 288 * 2);
    assert_eq!(cam.probe().frames_delivered(), 3);
}

#[test]
fn a_slow_reader_loses_frames_not_time() {
    let (mut cam, clock) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    cam.frame(WAIT).unwrap();
    clock.advance(Duration::from_millis(1010));
    let f = cam.frame(WAIT).unwrap();
    // 1010 ms at 25 fps: frame 25 (1000 ms) is the latest due.
    assert_eq!(f.sequence(), 25);
    assert_eq!(f.timestamp(), Timestamp::from_millis(1000));
}

#[test]
fn no_frame_within_the_timeout_is_a_timeout_on_the_sim_clock() {
    let clock = SimClock::manual();
    let mut cam = SimCamera::new(clock.clone());
    cam.configure(&config(PixelFormat::Yuyv, Resolution::QVGA, 1))
        .unwrap();
    cam.start().unwrap();
    cam.frame(WAIT).unwrap();
    let e = cam.frame(Duration::from_millis(100)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(clock.now(), Timestamp::from_millis(100));
    assert_eq!(
        cam.frame(WAIT).unwrap().timestamp(),
        Timestamp::from_millis(1000)
    );
}

#[test]
fn an_unplugged_camera_is_disconnected_and_reopen_brings_it_back_with_its_settings() {
    let (mut cam, _) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    let probe = cam.probe();
    cam.set(Setting::Brightness(Level::new(70).unwrap()))
        .unwrap();
    probe.unplug();
    assert_eq!(cam.frame(WAIT).unwrap_err().kind(), ErrorKind::Disconnected);
    assert_eq!(cam.reopen().unwrap_err().kind(), ErrorKind::Disconnected);
    probe.plug();
    cam.reopen().unwrap();
    // Reopened stopped, with its configuration and controls.
    assert_eq!(
        cam.frame(WAIT).unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );
    assert_eq!(cam.config().unwrap().resolution, Resolution::QVGA);
    assert_eq!(
        cam.get(Control::Brightness).unwrap(),
        Setting::Brightness(Level::new(70).unwrap())
    );
    cam.start().unwrap();
    cam.frame(WAIT).unwrap();
}

#[test]
fn a_camera_held_by_another_program_is_busy_and_so_is_reconfiguring_a_running_one() {
    let clock = SimClock::manual();
    let mut cam = SimCamera::new(clock);
    let probe = cam.probe();
    probe.occupy();
    assert_eq!(cam.start().unwrap_err().kind(), ErrorKind::Busy);
    probe.release();
    cam.start().unwrap();
    let e = cam
        .configure(&config(PixelFormat::Yuyv, Resolution::QVGA, 25))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Busy);
    cam.stop().unwrap();
    cam.configure(&config(PixelFormat::Yuyv, Resolution::QVGA, 25))
        .unwrap();
}

#[test]
fn sizes_and_controls_the_camera_lacks_are_unsupported_not_faked() {
    let clock = SimClock::manual();
    let mut cam = SimCamera::new(clock).with_controls(&[Control::Brightness, Control::Mirror]);
    let e = cam
        .configure(&config(
            PixelFormat::Yuyv,
            Resolution::new(640, 360).unwrap(),
            25,
        ))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = cam
        .configure(&config(PixelFormat::H264, Resolution::P720, 25))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(!cam.supports(Control::Hue).unwrap());
    assert_eq!(
        cam.get(Control::Hue).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    assert_eq!(
        cam.set(Setting::Scene(Scene::Hlc)).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    assert!(cam.supports(Control::Brightness).unwrap());
}

#[test]
fn the_frame_rate_is_the_nearest_the_camera_offers() {
    let mut cam = SimCamera::new(SimClock::manual());
    let applied = cam
        .configure(&config(PixelFormat::Yuyv, Resolution::D1, 24))
        .unwrap();
    assert_eq!(applied.frame_rate, FrameRate::FPS_25);
    let modes = cam.modes().unwrap();
    assert_eq!(modes.len(), 12);
    assert!(modes
        .iter()
        .all(|m| m.frame_rates.contains(&FrameRate::FPS_30)));
}

#[test]
fn mirror_flip_brightness_and_saturation_show_in_the_snapshot() {
    let (mut cam, _) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    let base = Picture::decode(
        snapshot(&cam.frame(WAIT).unwrap(), Quality::DEFAULT)
            .unwrap()
            .as_bytes(),
    );
    cam.set(Setting::Mirror(true)).unwrap();
    cam.set(Setting::Flip(true)).unwrap();
    let f = cam.frame(WAIT).unwrap();
    let pic = Picture::decode(snapshot(&f, Quality::DEFAULT).unwrap().as_bytes());
    assert_bars(&pic, cam.pattern(), f.sequence(), 24);
    // Mirrored and flipped, the middle row's leftmost bar is the reversed pattern's last one.
    assert_eq!(cam.pattern().bar_at(20, 50, 0), Bar::White);
    // The overlay stays readable, like a camera's OSD.
    assert!(overlay::read(&pic.luma(), 320, 240, TEXT_LEN).is_some());
    cam.set(Setting::Mirror(false)).unwrap();
    cam.set(Setting::Flip(false)).unwrap();

    cam.set(Setting::Brightness(Level::new(80).unwrap()))
        .unwrap();
    let bright = Picture::decode(
        snapshot(&cam.frame(WAIT).unwrap(), Quality::DEFAULT)
            .unwrap()
            .as_bytes(),
    );
    assert!(bright.mean_luma() > base.mean_luma() + 30.0);

    cam.set(Setting::Brightness(Level::DEFAULT)).unwrap();
    cam.set(Setting::Saturation(Level::MIN)).unwrap();
    let grey = Picture::decode(
        snapshot(&cam.frame(WAIT).unwrap(), Quality::DEFAULT)
            .unwrap()
            .as_bytes(),
    );
    let [r, g, b] = grey.rgb(100, 120);
    assert!(
        r.abs_diff(g) < 12 && g.abs_diff(b) < 12,
        "not grey: {r} {g} {b}"
    );
}

#[test]
fn display_time_off_leaves_no_overlay() {
    let (mut cam, _) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    cam.set(Setting::DisplayTime(false)).unwrap();
    let f = cam.frame(WAIT).unwrap();
    assert_eq!(overlay::read(&f.luma().unwrap(), 320, 240, TEXT_LEN), None);
    assert_eq!(f.luma().unwrap()[0], Bar::White.ycbcr()[0]);
}

#[test]
fn mjpeg_frames_pass_through_without_a_copy_and_decode() {
    let (mut cam, _) = camera(PixelFormat::Mjpeg, Resolution::CIF);
    let f = cam.frame(WAIT).unwrap();
    assert_eq!(f.format(), PixelFormat::Mjpeg);
    let jpeg = snapshot(&f, Quality::new(10).unwrap()).unwrap();
    assert_eq!(jpeg.as_bytes().as_ptr(), f.data().as_ptr());
    assert_eq!(jpeg.as_bytes().len(), f.data().len());
    let pic = Picture::decode(jpeg.as_bytes());
    assert_eq!((pic.width, pic.height), (352, 288));
    assert_bars(&pic, cam.pattern(), f.sequence(), 24);
}

/// Removes every DHT segment, as webcams that follow the AVI1 convention do.
fn strip_huffman_tables(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    let mut pos = 2;
    loop {
        let marker = jpeg[pos + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        if marker != 0xC4 {
            out.extend_from_slice(&jpeg[pos..pos + 2 + len]);
        }
        pos += 2 + len;
        if marker == 0xDA {
            out.extend_from_slice(&jpeg[pos..]);
            return out;
        }
    }
}

#[test]
fn mjpeg_without_huffman_tables_gets_the_standard_ones_and_decodes_the_same() {
    let (mut cam, _) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    let f = cam.frame(WAIT).unwrap();
    let full = snapshot(&f, Quality::DEFAULT).unwrap();
    let stripped = strip_huffman_tables(full.as_bytes());
    assert!(stripped.len() < full.as_bytes().len());
    let mut padded = stripped.clone();
    padded.extend_from_slice(&[0; 100]); // drivers round buffers up
    let mjpeg = Frame::new(
        Bytes::from(padded),
        PixelFormat::Mjpeg,
        Resolution::QVGA,
        f.timestamp(),
        f.sequence(),
    )
    .unwrap();
    let fixed = snapshot(&mjpeg, Quality::DEFAULT).unwrap();
    assert_eq!(
        Picture::decode(fixed.as_bytes()).pixels,
        Picture::decode(full.as_bytes()).pixels
    );
}

#[test]
fn broken_mjpeg_and_h264_are_typed_errors() {
    let (mut cam, _) = camera(PixelFormat::Mjpeg, Resolution::QVGA);
    let f = cam.frame(WAIT).unwrap();
    let half = f.data().slice(..f.data().len() / 2);
    let broken = Frame::new(half, PixelFormat::Mjpeg, Resolution::QVGA, f.timestamp(), 0).unwrap();
    let e = snapshot(&broken, Quality::DEFAULT).unwrap_err();
    assert!(matches!(e, SnapshotError::Mjpeg(_)), "{e}");
    assert_eq!(e.kind(), ErrorKind::Fault);
    let wrong_size = Frame::new(
        f.data().clone(),
        PixelFormat::Mjpeg,
        Resolution::CIF,
        f.timestamp(),
        0,
    )
    .unwrap();
    assert_eq!(
        snapshot(&wrong_size, Quality::DEFAULT).unwrap_err().kind(),
        ErrorKind::Fault
    );
    let h264 = Frame::new(
        Bytes::from_static(&[0, 0, 0, 1, 0x65]),
        PixelFormat::H264,
        Resolution::QVGA,
        f.timestamp(),
        0,
    )
    .unwrap();
    assert_eq!(
        snapshot(&h264, Quality::DEFAULT).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
}

/// The pattern's frame in another raw layout, as vivid and other drivers deliver it, with
/// `pad` bytes of line padding.
fn convert(yuyv: &[u8], w: usize, h: usize, format: PixelFormat, pad: usize) -> (Vec<u8>, u32) {
    let y = |x: usize, r: usize| yuyv[r * w * 2 + x * 2];
    let u = |x: usize, r: usize| yuyv[r * w * 2 + (x / 2) * 4 + 1];
    let v = |x: usize, r: usize| yuyv[r * w * 2 + (x / 2) * 4 + 3];
    let mut out = Vec::new();
    let stride;
    match format {
        PixelFormat::Uyvy => {
            stride = w * 2 + pad;
            for r in 0..h {
                for x in (0..w).step_by(2) {
                    out.extend_from_slice(&[u(x, r), y(x, r), v(x, r), y(x + 1, r)]);
                }
                out.extend(std::iter::repeat_n(0xAA, pad));
            }
        }
        PixelFormat::Grey | PixelFormat::Nv12 | PixelFormat::Yuv420 => {
            stride = w + pad;
            for r in 0..h {
                out.extend((0..w).map(|x| y(x, r)));
                out.extend(std::iter::repeat_n(0xAA, pad));
            }
            if format == PixelFormat::Nv12 {
                for r in (0..h).step_by(2) {
                    for x in (0..w).step_by(2) {
                        out.extend_from_slice(&[u(x, r), v(x, r)]);
                    }
                    out.extend(std::iter::repeat_n(0xAA, pad));
                }
            } else if format == PixelFormat::Yuv420 {
                for plane in [0, 1] {
                    for r in (0..h).step_by(2) {
                        out.extend((0..w).step_by(2).map(|x| {
                            if plane == 0 {
                                u(x, r)
                            } else {
                                v(x, r)
                            }
                        }));
                        out.extend(std::iter::repeat_n(0xAA, pad / 2));
                    }
                }
            }
        }
        PixelFormat::Rgb24 | PixelFormat::Bgr24 => {
            stride = w * 3 + pad;
            for r in 0..h {
                for x in 0..w {
                    // Straight from the pattern: these formats are full-range RGB.
                    let [cr, cg, cb] = PATTERN_RGB.with(|p| p.borrow()[r * w + x]);
                    if format == PixelFormat::Rgb24 {
                        out.extend_from_slice(&[cr, cg, cb]);
                    } else {
                        out.extend_from_slice(&[cb, cg, cr]);
                    }
                }
                out.extend(std::iter::repeat_n(0xAA, pad));
            }
        }
        _ => unreachable!(),
    }
    (out, stride as u32)
}

thread_local! {
    static PATTERN_RGB: std::cell::RefCell<Vec<[u8; 3]>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[test]
fn every_raw_format_vivid_offers_makes_a_correct_snapshot() {
    let (mut cam, _) = camera(PixelFormat::Yuyv, Resolution::QVGA);
    cam.set(Setting::DisplayTime(false)).unwrap();
    let f = cam.frame(WAIT).unwrap();
    let (w, h) = (320, 240);
    PATTERN_RGB.with(|p| {
        *p.borrow_mut() = (0..w * h)
            .map(|i| {
                cam.pattern()
                    .bar_at((i % w) as u32, (i / w) as u32, f.sequence())
                    .rgb()
            })
            .collect()
    });
    for format in [
        PixelFormat::Uyvy,
        PixelFormat::Nv12,
        PixelFormat::Yuv420,
        PixelFormat::Rgb24,
        PixelFormat::Bgr24,
        PixelFormat::Grey,
    ] {
        let (data, stride) = convert(f.data(), w, h, format, 8);
        let frame = Frame::with_stride(
            Bytes::from(data),
            format,
            Resolution::QVGA,
            stride,
            f.timestamp(),
            f.sequence(),
        )
        .unwrap();
        let pic = Picture::decode(snapshot(&frame, Quality::DEFAULT).unwrap().as_bytes());
        assert_eq!((pic.width, pic.height), (w, h), "{format}");
        if format == PixelFormat::Grey {
            // A one-component JPEG (zune-jpeg expands it to grey RGB): white bar white,
            // black bar black, yellow bar a light grey.
            let [r, g, b] = pic.rgb(60, 120);
            assert!(r == g && g == b && r > 200, "{format}: {r} {g} {b}");
            assert!(pic.rgb(20, 120)[0] > 235, "{format}");
            assert!(pic.rgb(300, 120)[0] < 20, "{format}");
        } else {
            assert_bars(&pic, cam.pattern(), f.sequence(), 24);
        }
    }
}

#[test]
fn every_manual_size_makes_a_snapshot_of_that_size() {
    for resolution in Resolution::MANUAL {
        let (mut cam, _) = camera(PixelFormat::Yuyv, resolution);
        let f = cam.frame(WAIT).unwrap();
        let pic = Picture::decode(snapshot(&f, Quality::new(50).unwrap()).unwrap().as_bytes());
        assert_eq!(
            (pic.width as u32, pic.height as u32),
            (resolution.width(), resolution.height())
        );
    }
}

mod malformed_input {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A real MJPEG frame of the sim camera (QVGA), made once.
    fn good_mjpeg() -> &'static [u8] {
        static FRAME: OnceLock<Vec<u8>> = OnceLock::new();
        FRAME.get_or_init(|| {
            let (mut cam, _) = camera(PixelFormat::Mjpeg, Resolution::QVGA);
            cam.frame(WAIT).unwrap().data().to_vec()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_as_mjpeg_are_an_error_or_a_checked_picture(
            data in proptest::collection::vec(any::<u8>(), 0..600)
        ) {
            let f = Frame::new(data.into(), PixelFormat::Mjpeg, Resolution::QVGA, Timestamp::ZERO, 0);
            if let Ok(f) = f {
                let _ = snapshot(&f, Quality::DEFAULT);
            }
        }

        #[test]
        fn a_damaged_or_cut_mjpeg_frame_never_panics(
            cut in 0usize..12_000,
            flips in proptest::collection::vec((0usize..12_000, any::<u8>()), 0..8)
        ) {
            let mut data = good_mjpeg().to_vec();
            for (at, byte) in flips {
                let n = data.len();
                data[at % n] = byte;
            }
            data.truncate(cut.max(1));
            let f = Frame::new(data.into(), PixelFormat::Mjpeg, Resolution::QVGA, Timestamp::ZERO, 0)
                .unwrap();
            match snapshot(&f, Quality::DEFAULT) {
                // Whatever passes the checks starts and ends like a JPEG file.
                Ok(jpeg) => {
                    let b = jpeg.as_bytes();
                    prop_assert_eq!(&b[..2], &[0xFF, 0xD8]);
                    prop_assert_eq!(&b[b.len() - 2..], &[0xFF, 0xD9]);
                }
                Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Fault),
            }
        }

        #[test]
        fn raw_frames_of_any_length_are_checked_before_use(
            len in 0usize..2000,
            w in 1u32..40,
            h in 1u32..40,
            stride_extra in 0u32..8,
            format in proptest::sample::select(vec![
                PixelFormat::Yuyv, PixelFormat::Uyvy, PixelFormat::Nv12, PixelFormat::Yuv420,
                PixelFormat::Rgb24, PixelFormat::Bgr24, PixelFormat::Grey,
            ]),
        ) {
            let r = Resolution::new(w, h).unwrap();
            let stride = format.min_stride(w).unwrap() + stride_extra;
            let f = Frame::with_stride(vec![0x80; len].into(), format, r, stride, Timestamp::ZERO, 0);
            if let Ok(f) = f {
                let jpeg = snapshot(&f, Quality::DEFAULT).unwrap();
                prop_assert_eq!(jpeg.resolution(), r);
                prop_assert_eq!(f.luma().unwrap().len(), (w * h) as usize);
            }
        }
    }
}
