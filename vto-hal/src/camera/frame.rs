//! A captured frame: its bytes, what they encode, and when the picture was taken.

use bytes::Bytes;

use super::format::{PixelFormat, Resolution};
use crate::error::{Error, ErrorKind};
use crate::time::Timestamp;

/// One picture from a camera.
///
/// The bytes are a [`Bytes`], so handing a frame to the streamer, the recorder and the
/// snapshot writer shares one buffer. A raw frame is checked to hold a whole picture when it
/// is made, so code that reads it needs no bounds checks of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    data: Bytes,
    format: PixelFormat,
    resolution: Resolution,
    stride: u32,
    timestamp: Timestamp,
    sequence: u64,
}

/// A buffer that cannot be the frame it claims to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Fewer bytes than a picture of this size needs (a truncated transfer).
    #[error("{format} frame {resolution} needs {expected} bytes, got {actual}")]
    TooShort {
        /// The format.
        format: PixelFormat,
        /// The frame size.
        resolution: Resolution,
        /// Bytes a whole picture takes.
        expected: usize,
        /// Bytes there are.
        actual: usize,
    },
    /// A line pitch shorter than a line of pixels.
    #[error("{format} frame {resolution}: line pitch {stride} is below {min} bytes")]
    StrideTooSmall {
        /// The format.
        format: PixelFormat,
        /// The frame size.
        resolution: Resolution,
        /// The pitch given.
        stride: u32,
        /// The shortest possible pitch.
        min: u32,
    },
    /// A chroma-subsampled format with an odd width.
    #[error("{format} frames must have an even width, not {width}")]
    OddWidth {
        /// The format.
        format: PixelFormat,
        /// The width given.
        width: u32,
    },
    /// A compressed frame with no bytes at all.
    #[error("empty {0} frame")]
    Empty(PixelFormat),
}

impl Error for FrameError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Fault
    }
}

impl Frame {
    /// A frame whose lines are packed without padding.
    pub fn new(
        data: Bytes,
        format: PixelFormat,
        resolution: Resolution,
        timestamp: Timestamp,
        sequence: u64,
    ) -> Result<Self, FrameError> {
        let stride = format.min_stride(resolution.width()).unwrap_or(0);
        Self::with_stride(data, format, resolution, stride, timestamp, sequence)
    }

    /// A frame whose first plane has `stride` bytes per line (V4L2's `bytesperline`;
    /// ignored for compressed formats). Bytes past the picture are kept but not read.
    pub fn with_stride(
        data: Bytes,
        format: PixelFormat,
        resolution: Resolution,
        stride: u32,
        timestamp: Timestamp,
        sequence: u64,
    ) -> Result<Self, FrameError> {
        if !format.allows_width(resolution.width()) {
            return Err(FrameError::OddWidth {
                format,
                width: resolution.width(),
            });
        }
        let stride = match format.min_stride(resolution.width()) {
            None if data.is_empty() => return Err(FrameError::Empty(format)),
            None => 0,
            Some(min) if stride < min => {
                return Err(FrameError::StrideTooSmall {
                    format,
                    resolution,
                    stride,
                    min,
                })
            }
            Some(_) => stride,
        };
        if let Some(expected) = format.frame_len(resolution, stride) {
            if data.len() < expected {
                return Err(FrameError::TooShort {
                    format,
                    resolution,
                    expected,
                    actual: data.len(),
                });
            }
        }
        Ok(Self {
            data,
            format,
            resolution,
            stride,
            timestamp,
            sequence,
        })
    }

    /// The encoded picture.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// The encoded picture, without copying.
    pub fn into_data(self) -> Bytes {
        self.data
    }

    /// How the bytes encode the picture.
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// The frame size.
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// Bytes per line of the first plane (0 for compressed formats).
    pub fn stride(&self) -> u32 {
        self.stride
    }

    /// When the picture was taken, on the backend's clock (the kernel's `CLOCK_MONOTONIC`
    /// buffer timestamp for V4L2, the simulation clock for the simulated camera).
    pub fn timestamp(&self) -> Timestamp {
        self.timestamp
    }

    /// The frame's number since streaming started; a gap means frames were dropped.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// The luma (brightness) of every pixel, row by row, for the raw formats; `None` for
    /// compressed ones. Used to read the time overlay back and to compare pictures.
    pub fn luma(&self) -> Option<Vec<u8>> {
        let (w, h) = (
            self.resolution.width() as usize,
            self.resolution.height() as usize,
        );
        let stride = self.stride as usize;
        let d = &self.data[..];
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            let line = &d[y * stride..];
            match self.format {
                PixelFormat::Yuyv => out.extend(line[..w * 2].iter().step_by(2)),
                PixelFormat::Uyvy => out.extend(line[1..w * 2].iter().step_by(2)),
                PixelFormat::Nv12 | PixelFormat::Yuv420 | PixelFormat::Grey => {
                    out.extend_from_slice(&line[..w])
                }
                PixelFormat::Rgb24 | PixelFormat::Bgr24 => {
                    out.extend(line[..w * 3].chunks_exact(3).map(|p| {
                        let (r, b) = if self.format == PixelFormat::Rgb24 {
                            (p[0], p[2])
                        } else {
                            (p[2], p[0])
                        };
                        let y = 77 * u32::from(r) + 150 * u32::from(p[1]) + 29 * u32::from(b);
                        // Full-range RGB to limited-range luma like the YUV formats.
                        (16 + (y >> 8) * 219 / 255) as u8
                    }))
                }
                _ => return None,
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_buffer_is_a_typed_error_not_a_panic() {
        let e = Frame::new(
            Bytes::from(vec![0u8; 100]),
            PixelFormat::Yuyv,
            Resolution::QVGA,
            Timestamp::ZERO,
            0,
        )
        .unwrap_err();
        assert_eq!(
            e,
            FrameError::TooShort {
                format: PixelFormat::Yuyv,
                resolution: Resolution::QVGA,
                expected: 153_600,
                actual: 100
            }
        );
        assert_eq!(e.kind(), ErrorKind::Fault);
    }

    #[test]
    fn odd_widths_and_narrow_strides_are_refused() {
        let r = Resolution::new(3, 2).unwrap();
        assert!(matches!(
            Frame::new(
                Bytes::from(vec![0; 64]),
                PixelFormat::Yuyv,
                r,
                Timestamp::ZERO,
                0
            ),
            Err(FrameError::OddWidth { .. })
        ));
        let r = Resolution::new(4, 2).unwrap();
        assert!(matches!(
            Frame::with_stride(
                Bytes::from(vec![0; 64]),
                PixelFormat::Yuyv,
                r,
                6,
                Timestamp::ZERO,
                0
            ),
            Err(FrameError::StrideTooSmall { min: 8, .. })
        ));
        assert!(matches!(
            Frame::new(Bytes::new(), PixelFormat::Mjpeg, r, Timestamp::ZERO, 0),
            Err(FrameError::Empty(PixelFormat::Mjpeg))
        ));
    }

    #[test]
    fn luma_skips_line_padding() {
        let r = Resolution::new(2, 2).unwrap();
        // Two YUYV pixels per line, pitch 6 (2 bytes of padding).
        let data =
            Bytes::from_static(&[10, 128, 20, 128, 0xEE, 0xEE, 30, 128, 40, 128, 0xEE, 0xEE]);
        let f = Frame::with_stride(data, PixelFormat::Yuyv, r, 6, Timestamp::ZERO, 0).unwrap();
        assert_eq!(f.luma().unwrap(), vec![10, 20, 30, 40]);
    }
}
