//! Checking MJPEG frames before they are stored or sent as JPEG files.
//!
//! A webcam's MJPEG frame is a JPEG picture, but not always a complete JPEG *file*: many
//! USB cameras leave out the Huffman tables (the AVI1 convention, where decoders are
//! expected to use the standard tables of ITU T.81 Annex K.3), and some pad the buffer after
//! the end-of-image marker. [`to_jpeg`] walks the marker segments, checks that the picture
//! has the frame's size and ends properly, trims the padding and adds the standard tables
//! when they are missing. A complete frame passes through without a copy.

use bytes::{Bytes, BytesMut};

use super::format::Resolution;

/// An MJPEG frame that is not a usable JPEG picture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MjpegError {
    /// The frame does not start with the start-of-image marker (`FF D8`).
    #[error("not a JPEG picture: no start-of-image marker")]
    NoStartOfImage,
    /// A marker segment runs past the end of the frame (a truncated transfer).
    #[error("JPEG marker segment at byte {offset} runs past the end of the frame")]
    Truncated {
        /// Where the segment starts.
        offset: usize,
    },
    /// Something other than a marker where one must be.
    #[error("JPEG marker expected at byte {offset}, found {found:#04x}")]
    BadMarker {
        /// Where.
        offset: usize,
        /// The byte found.
        found: u8,
    },
    /// No frame header (SOF) before the scan, so the picture has no size.
    #[error("JPEG picture has no frame header before its scan")]
    NoFrameHeader,
    /// The picture ends before its scan starts.
    #[error("JPEG picture has no scan")]
    NoScan,
    /// No end-of-image marker after the scan (a frame cut short).
    #[error("JPEG picture has no end-of-image marker")]
    NoEndOfImage,
    /// The picture's size is not the frame's.
    #[error("JPEG picture is {actual}, the frame is {expected}")]
    SizeMismatch {
        /// The frame's size as configured.
        expected: Resolution,
        /// The picture's size.
        actual: Resolution,
    },
    /// A frame header with a zero or oversized dimension.
    #[error("JPEG frame header gives an impossible size {width}x{height}")]
    BadSize {
        /// The width in the header.
        width: u16,
        /// The height in the header.
        height: u16,
    },
}

/// What the marker walk found out about a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MjpegInfo {
    /// The picture's size from its frame header.
    pub resolution: Resolution,
    /// Whether it carries its own Huffman tables.
    pub has_huffman_tables: bool,
    /// The length of the picture up to and including its end-of-image marker.
    pub len: usize,
}

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const DHT: u8 = 0xC4;

/// Walks the marker segments of `data` up to the scan and finds the end of the picture.
pub fn inspect(data: &[u8]) -> Result<MjpegInfo, MjpegError> {
    if data.len() < 2 || data[0] != 0xFF || data[1] != SOI {
        return Err(MjpegError::NoStartOfImage);
    }
    let mut pos = 2;
    let mut resolution = None;
    let mut has_huffman_tables = false;
    let scan_start = loop {
        let Some(&b) = data.get(pos) else {
            return Err(MjpegError::NoScan);
        };
        if b != 0xFF {
            return Err(MjpegError::BadMarker {
                offset: pos,
                found: b,
            });
        }
        // Any number of fill bytes may precede a marker.
        while data.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = data.get(pos) else {
            return Err(MjpegError::NoScan);
        };
        let segment = pos - 1;
        pos += 1;
        match marker {
            EOI => return Err(MjpegError::NoScan),
            // Markers without a length: TEM and RSTn.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = match data.get(pos..pos + 2) {
            Some(l) => usize::from(u16::from_be_bytes([l[0], l[1]])),
            None => return Err(MjpegError::Truncated { offset: segment }),
        };
        if len < 2 || pos + len > data.len() {
            return Err(MjpegError::Truncated { offset: segment });
        }
        let body = &data[pos + 2..pos + len];
        match marker {
            DHT => has_huffman_tables = true,
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC8 | 0xCC) => {
                if body.len() < 5 {
                    return Err(MjpegError::Truncated { offset: segment });
                }
                let height = u16::from_be_bytes([body[1], body[2]]);
                let width = u16::from_be_bytes([body[3], body[4]]);
                resolution = Some(
                    Resolution::new(u32::from(width), u32::from(height))
                        .map_err(|_| MjpegError::BadSize { width, height })?,
                );
            }
            _ => {}
        }
        pos += len;
        if marker == SOS {
            break pos;
        }
    };
    let resolution = resolution.ok_or(MjpegError::NoFrameHeader)?;
    // The entropy-coded data never contains FF D9 (a data FF is followed by 00 or RSTn), so
    // the last FF D9 ends the picture; what follows is the driver's padding.
    let end = data[scan_start..]
        .windows(2)
        .rposition(|w| w == [0xFF, EOI])
        .map(|i| scan_start + i + 2)
        .ok_or(MjpegError::NoEndOfImage)?;
    Ok(MjpegInfo {
        resolution,
        has_huffman_tables,
        len: end,
    })
}

/// The JPEG file for an MJPEG frame of size `expected`: the frame itself without trailing
/// padding (no copy) when it is complete, or with the standard Huffman tables added when
/// the camera left them out.
pub fn to_jpeg(frame: &Bytes, expected: Resolution) -> Result<Bytes, MjpegError> {
    let info = inspect(frame)?;
    if info.resolution != expected {
        return Err(MjpegError::SizeMismatch {
            expected,
            actual: info.resolution,
        });
    }
    let picture = frame.slice(..info.len);
    if info.has_huffman_tables {
        return Ok(picture);
    }
    let mut out = BytesMut::with_capacity(picture.len() + STANDARD_DHT_LEN);
    out.extend_from_slice(&picture[..2]);
    append_standard_huffman_tables(&mut out);
    out.extend_from_slice(&picture[2..]);
    Ok(out.freeze())
}

const STANDARD_DHT_LEN: usize = 4 + 4 * (1 + 16) + 12 + 12 + 162 + 162;

/// Appends one DHT segment holding the four tables of T.81 Annex K.3.
fn append_standard_huffman_tables(out: &mut BytesMut) {
    let body = STANDARD_DHT_LEN - 2;
    out.extend_from_slice(&[0xFF, DHT]);
    out.extend_from_slice(&u16::try_from(body).unwrap_or(u16::MAX).to_be_bytes());
    for (class_id, bits, values) in [
        (0x00, &LUMA_DC_BITS, &DC_VALUES[..]),
        (0x10, &LUMA_AC_BITS, &LUMA_AC_VALUES[..]),
        (0x01, &CHROMA_DC_BITS, &DC_VALUES[..]),
        (0x11, &CHROMA_AC_BITS, &CHROMA_AC_VALUES[..]),
    ] {
        out.extend_from_slice(&[class_id]);
        out.extend_from_slice(bits);
        out.extend_from_slice(values);
    }
}

// T.81 Annex K.3, Tables K.3 to K.6: code counts per length 1..=16, then the symbols.
const LUMA_DC_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const CHROMA_DC_BITS: [u8; 16] = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const LUMA_AC_BITS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D];
const LUMA_AC_VALUES: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
    0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5,
    0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
    0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
    0xF9, 0xFA,
];
const CHROMA_AC_BITS: [u8; 16] = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const CHROMA_AC_VALUES: [u8; 162] = [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
    0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
    0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5,
    0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3,
    0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
    0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
    0xF9, 0xFA,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, a SOF0 for 16x8, a SOS with one byte of scan data, EOI.
    fn minimal(width: u16, height: u16) -> Vec<u8> {
        let mut v = vec![0xFF, SOI];
        v.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8]);
        v.extend_from_slice(&height.to_be_bytes());
        v.extend_from_slice(&width.to_be_bytes());
        v.extend_from_slice(&[1, 1, 0x11, 0]);
        v.extend_from_slice(&[0xFF, SOS, 0, 8, 1, 1, 0, 0, 63, 0]);
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, EOI]);
        v
    }

    #[test]
    fn the_walk_finds_size_tables_and_end() {
        let mut v = minimal(16, 8);
        let end = v.len();
        v.extend_from_slice(&[0, 0, 0, 0]);
        let info = inspect(&v).unwrap();
        assert_eq!(info.resolution, Resolution::new(16, 8).unwrap());
        assert!(!info.has_huffman_tables);
        assert_eq!(info.len, end);
    }

    #[test]
    fn missing_tables_are_added_and_padding_trimmed() {
        let mut v = minimal(16, 8);
        v.extend_from_slice(&[0; 7]);
        let jpeg = to_jpeg(&Bytes::from(v.clone()), Resolution::new(16, 8).unwrap()).unwrap();
        assert_eq!(jpeg.len(), v.len() - 7 + STANDARD_DHT_LEN);
        let info = inspect(&jpeg).unwrap();
        assert!(info.has_huffman_tables);
        assert_eq!(info.len, jpeg.len());
    }

    #[test]
    fn broken_frames_are_typed_errors() {
        let good = minimal(16, 8);
        let r = Resolution::new(16, 8).unwrap();
        assert_eq!(inspect(&[]), Err(MjpegError::NoStartOfImage));
        assert_eq!(inspect(&good[..1]), Err(MjpegError::NoStartOfImage));
        assert_eq!(inspect(&good[..2]), Err(MjpegError::NoScan));
        assert_eq!(
            inspect(&good[..10]),
            Err(MjpegError::Truncated { offset: 2 })
        );
        assert_eq!(
            inspect(&good[..good.len() - 2]),
            Err(MjpegError::NoEndOfImage)
        );
        assert_eq!(inspect(&[0xFF, SOI, 0xFF, EOI]), Err(MjpegError::NoScan));
        assert_eq!(
            inspect(&[0xFF, SOI, 0x00, 0x00]),
            Err(MjpegError::BadMarker {
                offset: 2,
                found: 0
            })
        );
        let no_sof: Vec<u8> = [&good[..2], &good[15..]].concat();
        assert_eq!(inspect(&no_sof), Err(MjpegError::NoFrameHeader));
        assert_eq!(
            inspect(&minimal(0, 8)),
            Err(MjpegError::BadSize {
                width: 0,
                height: 8
            })
        );
        assert_eq!(
            to_jpeg(&Bytes::from(good), Resolution::QVGA),
            Err(MjpegError::SizeMismatch {
                expected: Resolution::QVGA,
                actual: r
            })
        );
    }

    #[test]
    fn no_prefix_of_a_frame_panics() {
        let good = minimal(16, 8);
        for n in 0..good.len() {
            let _ = inspect(&good[..n]);
        }
    }
}
