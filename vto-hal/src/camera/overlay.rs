//! The manual's "Display Time": the time drawn into the picture in a small built-in bitmap
//! font, and read back out of a frame or a decoded snapshot.
//!
//! Reading it back is what lets tests (and a station's self-check) tell that a snapshot is
//! current: the digits survive JPEG compression, so the time in a decoded picture can be
//! compared with the frame's timestamp.

use crate::time::Timestamp;

/// Glyph size in font pixels; each character cell adds one column of spacing.
const GLYPH_W: usize = 5;
const GLYPH_H: usize = 7;
const CELL_W: usize = GLYPH_W + 1;

/// The characters the font has, with their 5×7 bitmaps (one byte per row, low 5 bits,
/// most significant bit on the left).
const GLYPHS: [(char, [u8; GLYPH_H]); 13] = [
    ('0', [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E]),
    ('1', [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E]),
    ('2', [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F]),
    ('3', [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E]),
    ('4', [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02]),
    ('5', [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E]),
    ('6', [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E]),
    ('7', [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08]),
    ('8', [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E]),
    ('9', [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C]),
    (':', [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00]),
    ('.', [0x00, 0x00, 0x00, 0x00, 0x00, 0x0E, 0x0E]),
    (' ', [0x00; GLYPH_H]),
];

/// Limited-range luma of the text and of the box behind it.
const INK: u8 = 235;
const PAPER: u8 = 16;

/// The overlay text for a frame: the time since the clock's origin and the frame number,
/// `HH:MM:SS.mmm NNNNNN` (hours and frame number wrap at 100 and 1,000,000).
pub fn text(timestamp: Timestamp, sequence: u64) -> String {
    let ms = timestamp.as_nanos() / 1_000_000;
    format!(
        "{:02}:{:02}:{:02}.{:03} {:06}",
        (ms / 3_600_000) % 100,
        (ms / 60_000) % 60,
        (ms / 1000) % 60,
        ms % 1000,
        sequence % 1_000_000
    )
}

/// Where the overlay goes in a picture: font pixels are `scale` picture pixels, the text
/// starts two font pixels in from the top-left corner, on a dark box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    scale: usize,
    chars: usize,
}

impl Layout {
    /// The largest scale up to `height / 120` (at least 1) at which `chars` characters fit
    /// into `width`; QVGA gets 2, 720P 6. `None` if the picture is too small even at 1.
    pub fn fit(width: u32, height: u32, chars: usize) -> Option<Self> {
        let (w, h) = (width as usize, height as usize);
        let mut scale = (h / 120).max(1);
        loop {
            let l = Self { scale, chars };
            let (bw, bh) = l.box_size();
            if bw <= w && bh <= h {
                return Some(l);
            }
            if scale == 1 {
                return None;
            }
            scale -= 1;
        }
    }

    /// Picture pixels per font pixel.
    pub fn scale(self) -> usize {
        self.scale
    }

    /// The dark box's size, its width even so it covers whole 4:2:2 pixel pairs.
    pub fn box_size(self) -> (usize, usize) {
        let s = self.scale;
        let w = 4 * s + self.chars * CELL_W * s;
        (w + w % 2, 4 * s + GLYPH_H * s)
    }

    /// The top-left picture pixel of font pixel (`gx`, `gy`) of character `i`.
    fn pixel(self, i: usize, gx: usize, gy: usize) -> (usize, usize) {
        let s = self.scale;
        (2 * s + (i * CELL_W + gx) * s, 2 * s + gy * s)
    }
}

/// Draws `text` into a packed 4:2:2 picture (`YUYV`, or `UYVY` when `luma_first` is false)
/// of `width`×`height` with `stride` bytes per line: white digits on a black box with
/// neutral chroma, in the top-left corner. Characters the font lacks are left blank; a
/// picture too small for the text gets none.
pub fn draw_yuyv(
    buf: &mut [u8],
    width: u32,
    height: u32,
    stride: usize,
    luma_first: bool,
    text: &str,
) {
    let chars: Vec<char> = text.chars().collect();
    let Some(layout) = Layout::fit(width, height, chars.len()) else {
        return;
    };
    let (y_off, c_off) = if luma_first { (0, 1) } else { (1, 0) };
    let (bw, bh) = layout.box_size();
    for row in 0..bh {
        let line = &mut buf[row * stride..row * stride + bw * 2];
        for px in line.chunks_exact_mut(2) {
            px[y_off] = PAPER;
            px[c_off] = 128;
        }
    }
    let s = layout.scale;
    for (i, c) in chars.iter().enumerate() {
        let Some(bitmap) = glyph(*c) else { continue };
        for (gy, bits) in bitmap.iter().enumerate() {
            for gx in 0..GLYPH_W {
                if bits & (0x10 >> gx) == 0 {
                    continue;
                }
                let (x0, y0) = layout.pixel(i, gx, gy);
                for y in y0..y0 + s {
                    for x in x0..x0 + s {
                        buf[y * stride + x * 2 + y_off] = INK;
                    }
                }
            }
        }
    }
}

/// Reads an overlay of `chars` characters back from a picture's luma (one byte per pixel,
/// row by row, `width` per row; full or limited range), as drawn by [`draw_yuyv`] at the
/// same size. `None` if some character is not recognisable (no overlay, or the picture was
/// flipped or mirrored).
///
/// Each font pixel is sampled at its centre and thresholded at mid-grey; a character is
/// the glyph that differs in fewest pixels, if that is at most 2 of 35: glyphs differ in at
/// least 6, so two pixels lost to JPEG ringing cannot turn one glyph into another.
pub fn read(luma: &[u8], width: u32, height: u32, chars: usize) -> Option<String> {
    let layout = Layout::fit(width, height, chars)?;
    let w = width as usize;
    if luma.len() < w * height as usize {
        return None;
    }
    let s = layout.scale;
    let mut out = String::with_capacity(chars);
    for i in 0..chars {
        let mut seen = [0u8; GLYPH_H];
        for (gy, bits) in seen.iter_mut().enumerate() {
            for gx in 0..GLYPH_W {
                let (x0, y0) = layout.pixel(i, gx, gy);
                if luma[(y0 + s / 2) * w + x0 + s / 2] >= 128 {
                    *bits |= 0x10 >> gx;
                }
            }
        }
        let (c, distance) = GLYPHS
            .iter()
            .map(|(c, g)| {
                let d: u32 = g.iter().zip(&seen).map(|(a, b)| (a ^ b).count_ones()).sum();
                (*c, d)
            })
            .min_by_key(|(_, d)| *d)?;
        if distance > 2 {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// The length of [`text`]'s output, for [`read`].
pub const TEXT_LEN: usize = 19;

fn glyph(c: char) -> Option<&'static [u8; GLYPH_H]> {
    GLYPHS.iter().find(|(g, _)| *g == c).map(|(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_shows_time_and_frame_number() {
        let t = Timestamp::from_millis(3_723_045);
        assert_eq!(text(t, 42), "01:02:03.045 000042");
        assert_eq!(text(t, 42).len(), TEXT_LEN);
    }

    #[test]
    fn glyphs_are_far_enough_apart_to_survive_compression() {
        for (i, (a, ga)) in GLYPHS.iter().enumerate() {
            for (b, gb) in &GLYPHS[i + 1..] {
                let d: u32 = ga.iter().zip(gb).map(|(x, y)| (x ^ y).count_ones()).sum();
                // Two wrong pixels (what read() tolerates) must still pick the right glyph.
                assert!(d > 2 * 2, "{a} and {b} differ in {d}");
            }
        }
    }

    #[test]
    fn drawn_text_reads_back_at_every_manual_size() {
        for r in crate::camera::Resolution::MANUAL {
            let (w, h) = (r.width(), r.height());
            let stride = w as usize * 2;
            let mut buf = vec![128u8; stride * h as usize];
            let t = text(Timestamp::from_millis(98_765_432), 123_456);
            draw_yuyv(&mut buf, w, h, stride, true, &t);
            let luma: Vec<u8> = buf.iter().step_by(2).copied().collect();
            assert_eq!(read(&luma, w, h, TEXT_LEN).as_deref(), Some(&t[..]), "{r}");
        }
    }

    #[test]
    fn a_picture_too_small_gets_no_overlay_and_no_panic() {
        let mut buf = vec![0u8; 16 * 2 * 8];
        draw_yuyv(&mut buf, 16, 8, 32, true, "12:00");
        assert!(buf.iter().all(|&b| b == 0));
        assert_eq!(read(&buf, 16, 8, TEXT_LEN), None);
    }
}
