//! What a camera can deliver: pixel formats, frame sizes (with the manual's names) and
//! frame rates.

use core::fmt;
use core::str::FromStr;

use crate::time::Duration;

/// How the bytes of a frame encode the picture.
///
/// The raw formats are the ones a JPEG snapshot can be made from; `Mjpeg` frames already
/// are JPEG pictures; `H264` frames are for streaming only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PixelFormat {
    /// Packed 4:2:2 Y'CbCr, `Y0 Cb Y1 Cr` (V4L2 `YUYV`), what most USB webcams send raw.
    Yuyv,
    /// Packed 4:2:2 Y'CbCr, `Cb Y0 Cr Y1` (V4L2 `UYVY`), common on CSI bridges.
    Uyvy,
    /// 4:2:0 with a luma plane and one interleaved CbCr plane (V4L2 `NV12`), the Pi's ISP.
    Nv12,
    /// 4:2:0 with three planes Y, Cb, Cr (V4L2 `YU12`, "I420").
    Yuv420,
    /// Packed 8-bit R, G, B (V4L2 `RGB3`).
    Rgb24,
    /// Packed 8-bit B, G, R (V4L2 `BGR3`).
    Bgr24,
    /// 8-bit luma only (V4L2 `GREY`), night-vision sensors.
    Grey,
    /// Each frame a complete JPEG picture (V4L2 `MJPG`), possibly without Huffman tables.
    Mjpeg,
    /// H.264 access units (V4L2 `H264`), for streaming without re-encoding.
    H264,
}

impl PixelFormat {
    /// Every format vto knows, in order of preference for snapshots.
    pub const ALL: [PixelFormat; 9] = [
        Self::Mjpeg,
        Self::Yuyv,
        Self::Uyvy,
        Self::Nv12,
        Self::Yuv420,
        Self::Rgb24,
        Self::Bgr24,
        Self::Grey,
        Self::H264,
    ];

    /// The V4L2 four-character code.
    pub const fn fourcc(self) -> [u8; 4] {
        match self {
            Self::Yuyv => *b"YUYV",
            Self::Uyvy => *b"UYVY",
            Self::Nv12 => *b"NV12",
            Self::Yuv420 => *b"YU12",
            Self::Rgb24 => *b"RGB3",
            Self::Bgr24 => *b"BGR3",
            Self::Grey => *b"GREY",
            Self::Mjpeg => *b"MJPG",
            Self::H264 => *b"H264",
        }
    }

    /// The format with this four-character code; `JPEG` (sent by some older drivers) is
    /// taken as MJPEG.
    pub fn from_fourcc(code: [u8; 4]) -> Option<Self> {
        if &code == b"JPEG" {
            return Some(Self::Mjpeg);
        }
        Self::ALL.into_iter().find(|f| f.fourcc() == code)
    }

    /// Whether frames are compressed (their length varies from frame to frame).
    pub const fn is_compressed(self) -> bool {
        matches!(self, Self::Mjpeg | Self::H264)
    }

    /// The smallest line pitch of the first plane in bytes, or `None` for compressed formats.
    pub const fn min_stride(self, width: u32) -> Option<u32> {
        match self {
            Self::Yuyv | Self::Uyvy => Some(width * 2),
            Self::Nv12 | Self::Yuv420 | Self::Grey => Some(width),
            Self::Rgb24 | Self::Bgr24 => Some(width * 3),
            Self::Mjpeg | Self::H264 => None,
        }
    }

    /// The bytes a frame of `resolution` needs with a first-plane pitch of `stride`, or
    /// `None` for compressed formats.
    ///
    /// For the 4:2:0 formats the chroma planes follow the luma plane with the pitch V4L2
    /// gives them: `stride` for NV12's CbCr plane, `stride / 2` for each of YU12's.
    pub fn frame_len(self, resolution: Resolution, stride: u32) -> Option<usize> {
        let stride = stride as usize;
        let height = resolution.height() as usize;
        match self {
            Self::Yuyv | Self::Uyvy | Self::Rgb24 | Self::Bgr24 | Self::Grey => {
                Some(stride * height)
            }
            Self::Nv12 => Some(stride * height + stride * height.div_ceil(2)),
            Self::Yuv420 => Some(stride * height + 2 * (stride / 2) * height.div_ceil(2)),
            Self::Mjpeg | Self::H264 => None,
        }
    }

    /// Whether a frame `width` pixels wide can be stored: 4:2:2 and 4:2:0 formats share
    /// chroma between two neighbouring pixels, so their width must be even.
    pub const fn allows_width(self, width: u32) -> bool {
        match self {
            Self::Yuyv | Self::Uyvy | Self::Nv12 | Self::Yuv420 => width % 2 == 0,
            _ => true,
        }
    }
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.fourcc();
        // Every four-character code above is ASCII.
        f.write_str(core::str::from_utf8(&code).unwrap_or("????"))
    }
}

/// A frame size in pixels, 1..=8192 on each side.
///
/// The manual's six video formats are constants with their names ([`Resolution::P1080`]
/// is "1080P"); [`FromStr`] accepts those names or `WIDTHxHEIGHT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resolution {
    width: u32,
    height: u32,
}

/// A frame size outside 1..=8192 pixels on a side, or a name that is none of the manual's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolutionError {
    /// A side is zero or larger than 8192 pixels.
    #[error("frame size {width}x{height} is outside 1x1..=8192x8192")]
    OutOfRange {
        /// The width asked for.
        width: u32,
        /// The height asked for.
        height: u32,
    },
    /// Not `WIDTHxHEIGHT` nor one of the manual's names.
    #[error("{0:?} is not a frame size: use 1080P, 720P, WVGA, D1, CIF, QVGA or WIDTHxHEIGHT")]
    Unparsable(String),
}

impl Resolution {
    /// The largest side vto accepts: 8K, which also keeps a frame's size within `u32`.
    pub const MAX_SIDE: u32 = 8192;
    /// "1080P", 1920 × 1080.
    pub const P1080: Self = Self::known(1920, 1080);
    /// "720P", 1280 × 720.
    pub const P720: Self = Self::known(1280, 720);
    /// "WVGA", 800 × 480.
    pub const WVGA: Self = Self::known(800, 480);
    /// "D1", 720 × 480 (the NTSC D1; PAL's is 720 × 576).
    pub const D1: Self = Self::known(720, 480);
    /// "CIF", 352 × 288.
    pub const CIF: Self = Self::known(352, 288);
    /// "QVGA", 320 × 240.
    pub const QVGA: Self = Self::known(320, 240);
    /// The manual's video formats, largest first.
    pub const MANUAL: [Self; 6] = [
        Self::P1080,
        Self::P720,
        Self::WVGA,
        Self::D1,
        Self::CIF,
        Self::QVGA,
    ];

    const fn known(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    /// A frame size, if both sides are within 1..=8192.
    pub const fn new(width: u32, height: u32) -> Result<Self, ResolutionError> {
        if width == 0 || height == 0 || width > Self::MAX_SIDE || height > Self::MAX_SIDE {
            return Err(ResolutionError::OutOfRange { width, height });
        }
        Ok(Self { width, height })
    }

    /// Width in pixels.
    pub const fn width(self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub const fn height(self) -> u32 {
        self.height
    }

    /// Pixels per frame.
    pub const fn pixels(self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// The manual's name for this size ("720P"), if it has one.
    pub fn manual_name(self) -> Option<&'static str> {
        const NAMES: [&str; 6] = ["1080P", "720P", "WVGA", "D1", "CIF", "QVGA"];
        Self::MANUAL
            .iter()
            .position(|r| *r == self)
            .map(|i| NAMES[i])
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for Resolution {
    type Err = ResolutionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Some(r) = Self::MANUAL
            .into_iter()
            .find(|r| r.manual_name().is_some_and(|n| n.eq_ignore_ascii_case(t)))
        {
            return Ok(r);
        }
        let bad = || ResolutionError::Unparsable(s.to_owned());
        let (w, h) = t.split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let w = w.trim().parse().map_err(|_| bad())?;
        let h = h.trim().parse().map_err(|_| bad())?;
        Self::new(w, h)
    }
}

/// Frames per second as an exact fraction, `frames` every `seconds`, as V4L2 keeps it
/// (NTSC's 30000/1001 is not a whole number).
///
/// Stored reduced, so `30/1` and `60/2` compare equal. Between 1 frame an hour and 240
/// frames a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameRate {
    frames: u32,
    seconds: u32,
}

/// A frame rate of zero, or outside 1/3600..=240 frames per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("frame rate {frames}/{seconds} fps is outside 1/3600..=240 fps")]
pub struct FrameRateError {
    /// Frames.
    pub frames: u32,
    /// Per this many seconds.
    pub seconds: u32,
}

impl FrameRate {
    /// 25 fps, PAL's rate.
    pub const FPS_25: Self = Self {
        frames: 25,
        seconds: 1,
    };
    /// 30 fps, NTSC's rate in whole frames.
    pub const FPS_30: Self = Self {
        frames: 30,
        seconds: 1,
    };

    /// `frames` frames every `seconds` seconds.
    pub const fn new(frames: u32, seconds: u32) -> Result<Self, FrameRateError> {
        let err = FrameRateError { frames, seconds };
        if frames == 0 || seconds == 0 {
            return Err(err);
        }
        let g = gcd(frames, seconds);
        let (frames, seconds) = (frames / g, seconds / g);
        // frames / seconds <= 240 and >= 1 / 3600, in integers.
        if frames as u64 > 240 * seconds as u64 || seconds as u64 > 3600 * frames as u64 {
            return Err(err);
        }
        Ok(Self { frames, seconds })
    }

    /// `fps` whole frames per second (1..=240).
    pub const fn per_second(fps: u32) -> Result<Self, FrameRateError> {
        Self::new(fps, 1)
    }

    /// The rate whose frame interval is `numerator / denominator` seconds (V4L2's
    /// `timeperframe`).
    pub const fn from_interval(numerator: u32, denominator: u32) -> Result<Self, FrameRateError> {
        Self::new(denominator, numerator)
    }

    /// Frames in [`seconds`](Self::seconds).
    pub const fn frames(self) -> u32 {
        self.frames
    }

    /// The seconds [`frames`](Self::frames) take.
    pub const fn seconds(self) -> u32 {
        self.seconds
    }

    /// Frames per second, for display.
    pub fn fps(self) -> f64 {
        f64::from(self.frames) / f64::from(self.seconds)
    }

    /// The time between two frames, rounded to the nanosecond.
    pub fn interval(self) -> Duration {
        let nanos = (u64::from(self.seconds) * 1_000_000_000 + u64::from(self.frames) / 2)
            / u64::from(self.frames);
        Duration::from_nanos(nanos)
    }
}

impl fmt::Display for FrameRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 1 {
            write!(f, "{} fps", self.frames)
        } else {
            write!(f, "{}/{} fps", self.frames, self.seconds)
        }
    }
}

const fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// What to capture: the manual's "video format" (size), the pixel format and the frame rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamConfig {
    /// How pixels are encoded.
    pub format: PixelFormat,
    /// The frame size.
    pub resolution: Resolution,
    /// Frames per second.
    pub frame_rate: FrameRate,
}

impl fmt::Display for StreamConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} at {}",
            self.format, self.resolution, self.frame_rate
        )
    }
}

/// One combination a camera offers: a pixel format at one frame size, with the frame rates
/// it can run at there (fastest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mode {
    /// How pixels are encoded.
    pub format: PixelFormat,
    /// The frame size.
    pub resolution: Resolution,
    /// The rates offered at this size, fastest first; empty if the device does not say.
    pub frame_rates: Vec<FrameRate>,
}

impl Mode {
    /// Whether `config` asks for this mode's format and size (any rate).
    pub fn matches(&self, config: &StreamConfig) -> bool {
        self.format == config.format && self.resolution == config.resolution
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manuals_names_parse_and_print() {
        assert_eq!("1080p".parse::<Resolution>().unwrap(), Resolution::P1080);
        assert_eq!(
            "D1".parse::<Resolution>().unwrap(),
            Resolution::new(720, 480).unwrap()
        );
        assert_eq!(
            "640x360".parse::<Resolution>().unwrap().to_string(),
            "640x360"
        );
        assert_eq!(Resolution::CIF.manual_name(), Some("CIF"));
        assert_eq!(Resolution::new(640, 360).unwrap().manual_name(), None);
        assert!(matches!(
            "0x10".parse::<Resolution>(),
            Err(ResolutionError::OutOfRange { .. })
        ));
        assert!(matches!(
            "big".parse::<Resolution>(),
            Err(ResolutionError::Unparsable(_))
        ));
    }

    #[test]
    fn frame_rates_are_exact_fractions() {
        let ntsc = FrameRate::from_interval(1001, 30000).unwrap();
        assert_eq!(ntsc.interval(), Duration::from_nanos(33_366_667));
        assert_eq!(
            FrameRate::new(60, 2).unwrap(),
            FrameRate::per_second(30).unwrap()
        );
        assert_eq!(
            FrameRate::per_second(25).unwrap().interval(),
            Duration::from_millis(40)
        );
        assert!(FrameRate::per_second(0).is_err());
        assert!(FrameRate::per_second(241).is_err());
        assert!(FrameRate::new(1, 3601).is_err());
    }

    #[test]
    fn frame_lengths_follow_v4l2_plane_layouts() {
        let r = Resolution::QVGA;
        assert_eq!(PixelFormat::Yuyv.frame_len(r, 640), Some(320 * 240 * 2));
        assert_eq!(PixelFormat::Nv12.frame_len(r, 320), Some(320 * 240 * 3 / 2));
        assert_eq!(
            PixelFormat::Yuv420.frame_len(r, 320),
            Some(320 * 240 * 3 / 2)
        );
        assert_eq!(PixelFormat::Mjpeg.frame_len(r, 0), None);
        assert_eq!(PixelFormat::from_fourcc(*b"JPEG"), Some(PixelFormat::Mjpeg));
        assert_eq!(
            PixelFormat::from_fourcc(*b"YU12"),
            Some(PixelFormat::Yuv420)
        );
        assert_eq!(PixelFormat::Nv12.to_string(), "NV12");
    }
}
