//! JPEG snapshots of frames: for the visitor log, the monitor's call picture and the
//! "auto snapshot" on a call or unlock.
//!
//! Raw frames are encoded with the pure-Rust `jpeg-encoder` (no C library to cross-compile
//! for the Pi); the Y'CbCr formats go in without a round trip through RGB. MJPEG frames are
//! already JPEG pictures and pass through after [`mjpeg::to_jpeg`](super::mjpeg::to_jpeg)
//! checked them.

use bytes::Bytes;
use jpeg_encoder::{ColorType, Encoder, EncodingError, ImageBuffer, JpegColorType, SamplingFactor};

use super::format::{PixelFormat, Resolution};
use super::frame::Frame;
use super::mjpeg::{self, MjpegError};
use crate::error::{Error, ErrorKind};

/// JPEG quality, 1..=100 (the encoder's quantisation scale, as in libjpeg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quality(u8);

/// A quality of 0 or above 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("JPEG quality {0} is outside 1..=100")]
pub struct QualityOutOfRange(pub u32);

impl Quality {
    /// 85: the usual balance of size and detail for a face at the door.
    pub const DEFAULT: Self = Self(85);

    /// A quality, if within 1..=100.
    pub const fn new(q: u32) -> Result<Self, QualityOutOfRange> {
        if q == 0 || q > 100 {
            return Err(QualityOutOfRange(q));
        }
        Ok(Self(q as u8))
    }

    /// The value, 1..=100.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for Quality {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A JPEG file in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jpeg {
    data: Bytes,
    resolution: Resolution,
}

impl Jpeg {
    /// The file's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    /// The file's bytes, without copying.
    pub fn into_bytes(self) -> Bytes {
        self.data
    }

    /// The picture's size.
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }
}

/// Why a frame could not become a JPEG file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The format is not a picture on its own (an H.264 access unit needs a decoder).
    #[error("cannot make a JPEG snapshot from {0} frames")]
    UnsupportedFormat(PixelFormat),
    /// The MJPEG frame is broken.
    #[error("MJPEG frame is not a usable picture: {0}")]
    Mjpeg(#[from] MjpegError),
    /// The encoder failed.
    #[error("JPEG encoding failed: {0}")]
    Encode(#[from] EncodingError),
}

impl Error for SnapshotError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::UnsupportedFormat(_) => ErrorKind::Unsupported,
            Self::Mjpeg(_) => ErrorKind::Fault,
            Self::Encode(_) => ErrorKind::Other,
        }
    }
}

/// The frame as a JPEG file at `quality` (ignored for MJPEG frames, which pass through).
///
/// Colour pictures are encoded with 4:2:0 chroma subsampling, which every viewer decodes.
pub fn snapshot(frame: &Frame, quality: Quality) -> Result<Jpeg, SnapshotError> {
    let resolution = frame.resolution();
    let data = match frame.format() {
        PixelFormat::Mjpeg => mjpeg::to_jpeg(frame.data(), resolution)?,
        PixelFormat::H264 => return Err(SnapshotError::UnsupportedFormat(PixelFormat::H264)),
        format => {
            let pixels = RawPicture {
                frame,
                format,
                // Resolution caps sides at 8192, within u16.
                width: u16::try_from(resolution.width()).unwrap_or(u16::MAX),
                height: u16::try_from(resolution.height()).unwrap_or(u16::MAX),
            };
            let mut out = Vec::with_capacity(estimate(resolution, quality));
            let mut encoder = Encoder::new(&mut out, quality.get());
            encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
            encoder.encode_image(pixels)?;
            Bytes::from(out)
        }
    };
    Ok(Jpeg { data, resolution })
}

/// A first guess at the file size, so the output rarely reallocates.
fn estimate(resolution: Resolution, quality: Quality) -> usize {
    let bits_per_pixel = 1 + u64::from(quality.get()) / 25;
    usize::try_from(resolution.pixels() * bits_per_pixel / 8).unwrap_or(0) + 1024
}

/// A raw frame as rows of JPEG components, converted one row at a time as the encoder
/// asks for them.
struct RawPicture<'a> {
    frame: &'a Frame,
    format: PixelFormat,
    width: u16,
    height: u16,
}

impl ImageBuffer for RawPicture<'_> {
    fn get_jpeg_color_type(&self) -> JpegColorType {
        match self.format {
            PixelFormat::Grey => JpegColorType::Luma,
            _ => JpegColorType::Ycbcr,
        }
    }

    fn width(&self) -> u16 {
        self.width
    }

    fn height(&self) -> u16 {
        self.height
    }

    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        let w = usize::from(self.width);
        let h = usize::from(self.height);
        let y = usize::from(y);
        let stride = self.frame.stride() as usize;
        let data = &self.frame.data()[..];
        // Frame::with_stride checked that every plane below is within `data`.
        let line = &data[y * stride..];
        let [yb, cb, cr, _] = buffers;
        match self.format {
            PixelFormat::Yuyv | PixelFormat::Uyvy => {
                let (y0, u, y1, v) = if self.format == PixelFormat::Yuyv {
                    (0, 1, 2, 3)
                } else {
                    (1, 0, 3, 2)
                };
                for p in line[..w * 2].chunks_exact(4) {
                    let (u, v) = (chroma(p[u]), chroma(p[v]));
                    yb.extend_from_slice(&[luma(p[y0]), luma(p[y1])]);
                    cb.extend_from_slice(&[u, u]);
                    cr.extend_from_slice(&[v, v]);
                }
            }
            PixelFormat::Nv12 | PixelFormat::Yuv420 => {
                yb.extend(line[..w].iter().map(|&l| luma(l)));
                let plane = stride * h;
                let (u_line, v_line, step) = if self.format == PixelFormat::Nv12 {
                    let c = &data[plane + (y / 2) * stride..];
                    (c, &c[1..], 2)
                } else {
                    let cs = stride / 2;
                    let u = &data[plane + (y / 2) * cs..];
                    let v = &data[plane + cs * h.div_ceil(2) + (y / 2) * cs..];
                    (u, v, 1)
                };
                for x in 0..w {
                    let i = (x / 2) * step;
                    cb.push(chroma(u_line[i]));
                    cr.push(chroma(v_line[i]));
                }
            }
            // V4L2 takes GREY as limited-range luma too, unless told otherwise.
            PixelFormat::Grey => yb.extend(line[..w].iter().map(|&l| luma(l))),
            PixelFormat::Rgb24 | PixelFormat::Bgr24 => {
                let color = if self.format == PixelFormat::Rgb24 {
                    ColorType::Rgb
                } else {
                    ColorType::Bgr
                };
                for p in line[..w * 3].chunks_exact(3) {
                    let (r, g, b) = match color {
                        ColorType::Rgb => (p[0], p[1], p[2]),
                        _ => (p[2], p[1], p[0]),
                    };
                    let (l, u, v) = jpeg_encoder::rgb_to_ycbcr(r, g, b);
                    yb.push(l);
                    cb.push(u);
                    cr.push(v);
                }
            }
            // snapshot() handles the compressed formats before building a RawPicture.
            PixelFormat::Mjpeg | PixelFormat::H264 => {}
        }
    }
}

/// Limited-range (studio swing, 16..=235) luma, as V4L2 Y'CbCr formats carry by default,
/// to the full range JPEG (JFIF) expects.
fn luma(y: u8) -> u8 {
    LUMA_TO_FULL[usize::from(y)]
}

/// Limited-range chroma (16..=240) to full range.
fn chroma(c: u8) -> u8 {
    CHROMA_TO_FULL[usize::from(c)]
}

static LUMA_TO_FULL: [u8; 256] = expand_range(16, 219);
static CHROMA_TO_FULL: [u8; 256] = expand_range(16, 224);

/// The table mapping `lo..=lo+span` onto 0..=255 around the same centre, clamped.
const fn expand_range(lo: i32, span: i32) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let v = ((i as i32 - lo) * 255 * 2 + span) / (span * 2);
        t[i] = if v < 0 {
            0
        } else if v > 255 {
            255
        } else {
            v as u8
        };
        i += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn studio_swing_expands_to_full_range() {
        assert_eq!(luma(16), 0);
        assert_eq!(luma(235), 255);
        assert_eq!(luma(0), 0);
        assert_eq!(luma(255), 255);
        assert_eq!(chroma(128), 128);
        assert_eq!(chroma(16), 0);
        assert_eq!(chroma(240), 255);
    }

    #[test]
    fn quality_is_bounded() {
        assert!(Quality::new(0).is_err());
        assert!(Quality::new(101).is_err());
        assert_eq!(Quality::new(100).unwrap().get(), 100);
    }
}
