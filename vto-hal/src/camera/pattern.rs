//! A deterministic moving test pattern: eight colour bars that scroll a little every frame,
//! with the time overlay, and the image controls applied the way a sensor would.
//!
//! Tests know what every pixel must be ([`TestPattern::bar_at`]), so a snapshot can be
//! checked for content after a JPEG round trip, and consecutive frames differ, so a frozen
//! stream is caught.

use super::control::Level;
use super::format::Resolution;
use super::overlay;
use crate::time::Timestamp;

/// The eight bars of the 100 % colour bar signal, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bar {
    /// R, G, B full.
    White,
    /// R, G.
    Yellow,
    /// G, B.
    Cyan,
    /// G.
    Green,
    /// R, B.
    Magenta,
    /// R.
    Red,
    /// B.
    Blue,
    /// None.
    Black,
}

impl Bar {
    /// The bars in order.
    pub const ALL: [Bar; 8] = [
        Self::White,
        Self::Yellow,
        Self::Cyan,
        Self::Green,
        Self::Magenta,
        Self::Red,
        Self::Blue,
        Self::Black,
    ];

    /// Full-range RGB, what a decoded snapshot shows.
    pub const fn rgb(self) -> [u8; 3] {
        match self {
            Self::White => [255, 255, 255],
            Self::Yellow => [255, 255, 0],
            Self::Cyan => [0, 255, 255],
            Self::Green => [0, 255, 0],
            Self::Magenta => [255, 0, 255],
            Self::Red => [255, 0, 0],
            Self::Blue => [0, 0, 255],
            Self::Black => [0, 0, 0],
        }
    }

    /// Limited-range BT.601 Y'CbCr, what the camera sends.
    pub const fn ycbcr(self) -> [u8; 3] {
        match self {
            Self::White => [235, 128, 128],
            Self::Yellow => [210, 16, 146],
            Self::Cyan => [170, 166, 16],
            Self::Green => [145, 54, 34],
            Self::Magenta => [106, 202, 222],
            Self::Red => [81, 90, 240],
            Self::Blue => [41, 240, 110],
            Self::Black => [16, 128, 128],
        }
    }
}

/// The image controls as a sensor's processing applies them; all 50 leaves the picture as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Adjustments {
    /// Adds to luma.
    pub brightness: Level,
    /// Stretches luma around mid-grey.
    pub contrast: Level,
    /// Turns chroma, ±90° at the ends.
    pub hue: Level,
    /// Scales chroma.
    pub saturation: Level,
    /// Bends luma: above 50 brightens the dark parts.
    pub gamma: Level,
    /// Multiplies luma, up to twice.
    pub gain: Level,
}

impl Adjustments {
    /// `colour` (limited-range Y'CbCr) after the adjustments.
    pub fn apply(&self, [y, cb, cr]: [u8; 3]) -> [u8; 3] {
        let signed = |l: Level| (f32::from(l.get()) - 50.0) / 50.0;
        let mut l = (f32::from(y) - 16.0) / 219.0;
        l *= 1.0 + signed(self.gain);
        l = l.max(0.0).powf(2f32.powf(-signed(self.gamma)));
        l = (l - 0.5) * (1.0 + signed(self.contrast)) + 0.5;
        l += 0.5 * signed(self.brightness);
        let y = 16.0 + 219.0 * l.clamp(0.0, 1.0);
        let sat = 1.0 + signed(self.saturation);
        let (sin, cos) = (signed(self.hue) * core::f32::consts::FRAC_PI_2).sin_cos();
        let (u, v) = (f32::from(cb) - 128.0, f32::from(cr) - 128.0);
        let (u, v) = ((u * cos - v * sin) * sat, (u * sin + v * cos) * sat);
        let c = |c: f32| (128.0 + c).clamp(16.0, 240.0).round() as u8;
        [y.round() as u8, c(u), c(v)]
    }
}

/// The picture a simulated camera sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPattern {
    resolution: Resolution,
    /// Sensor processing.
    pub adjustments: Adjustments,
    /// Left and right reversed (the overlay stays readable, as on a real camera's OSD).
    pub mirror: bool,
    /// Upside down.
    pub flip: bool,
    /// Whether the time overlay is drawn.
    pub display_time: bool,
}

impl TestPattern {
    /// The pattern at `resolution`, unadjusted, with the time overlay.
    pub fn new(resolution: Resolution) -> Self {
        Self {
            resolution,
            adjustments: Adjustments::default(),
            mirror: false,
            flip: false,
            display_time: true,
        }
    }

    /// The frame size.
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// Pixels the bars move left per frame: a 64th of the width, even so that 4:2:2 pixel
    /// pairs keep one colour.
    pub fn step(&self) -> u32 {
        let s = (self.resolution.width() / 64).max(2);
        s + s % 2
    }

    /// The bar at column `x`, row `y` of frame `sequence`, mirror and flip applied (the
    /// overlay aside). The bottom quarter shows the bars in reverse order, so that a flipped
    /// picture looks different.
    pub fn bar_at(&self, x: u32, y: u32, sequence: u64) -> Bar {
        let (w, h) = (self.resolution.width(), self.resolution.height());
        let x = if self.mirror { w - 1 - x.min(w - 1) } else { x };
        let y = if self.flip { h - 1 - y.min(h - 1) } else { y };
        let offset = (sequence % u64::from(w)) * u64::from(self.step()) % u64::from(w);
        let pos = (u64::from(x) + offset) % u64::from(w);
        let index = usize::try_from(pos * 8 / u64::from(w)).unwrap_or(7);
        if y >= h - h / 4 {
            Bar::ALL[7 - index]
        } else {
            Bar::ALL[index]
        }
    }

    /// Frame `sequence` taken at `timestamp`, as packed YUYV without line padding.
    pub fn render_yuyv(&self, timestamp: Timestamp, sequence: u64) -> Vec<u8> {
        let (w, h) = (self.resolution.width(), self.resolution.height());
        let stride = w as usize * 2;
        let colours = Bar::ALL.map(|b| self.adjustments.apply(b.ycbcr()));
        // Rows come in two kinds (bars, reversed bars): build each once, copy it.
        let line = |y: u32| {
            let mut line = Vec::with_capacity(stride + 4);
            let mut x = 0;
            while x < w {
                let a = colours[self.bar_at(x, y, sequence) as usize];
                let b = colours[self.bar_at((x + 1).min(w - 1), y, sequence) as usize];
                // A pair shares its chroma: the first pixel's.
                line.extend_from_slice(&[a[0], a[1], b[0], a[2]]);
                x += 2;
            }
            line.truncate(stride);
            line
        };
        // Whether row `y` shows the reversed bars.
        let reversed = |y: u32| {
            let y = if self.flip { h - 1 - y } else { y };
            y >= h - h / 4
        };
        let (first, last) = (line(0), line(h - 1));
        let mut buf = Vec::with_capacity(stride * h as usize);
        for y in 0..h {
            buf.extend_from_slice(if reversed(y) == reversed(0) {
                &first
            } else {
                &last
            });
        }
        if self.display_time {
            // Drawn after mirror and flip, like a camera's OSD, so it stays readable.
            let text = overlay::text(timestamp, sequence);
            overlay::draw_yuyv(&mut buf, w, h, stride, true, &text);
        }
        buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_zero_starts_with_white_and_ends_with_black() {
        let p = TestPattern::new(Resolution::QVGA);
        assert_eq!(p.bar_at(0, 0, 0), Bar::White);
        assert_eq!(p.bar_at(45, 0, 0), Bar::Yellow);
        assert_eq!(p.bar_at(319, 0, 0), Bar::Black);
        // The bars scroll left by one step per frame.
        assert_eq!(p.bar_at(40 - p.step(), 0, 1), Bar::Yellow);
        let mut m = p.clone();
        m.mirror = true;
        assert_eq!(m.bar_at(0, 0, 0), Bar::Black);
    }

    #[test]
    fn the_rendered_bars_carry_the_broadcast_colours() {
        let p = TestPattern::new(Resolution::QVGA);
        let buf = p.render_yuyv(Timestamp::ZERO, 0);
        assert_eq!(buf.len(), 320 * 240 * 2);
        // Row 100, column 100: bar 2 (cyan); bottom row: reversed, bar 5 (red).
        let px = &buf[100 * 640 + 200..100 * 640 + 204];
        assert_eq!([px[0], px[1], px[3]], Bar::Cyan.ycbcr());
        let px = &buf[239 * 640 + 200..239 * 640 + 204];
        assert_eq!([px[0], px[1], px[3]], Bar::Red.ycbcr());
        assert_eq!(p.bar_at(100, 239, 0), Bar::Red);
    }

    #[test]
    fn neutral_adjustments_change_nothing_and_brightness_brightens() {
        let a = Adjustments::default();
        for b in Bar::ALL {
            let [y, cb, cr] = a.apply(b.ycbcr());
            let [y0, cb0, cr0] = b.ycbcr();
            assert!(y.abs_diff(y0) <= 1 && cb.abs_diff(cb0) <= 1 && cr.abs_diff(cr0) <= 1);
        }
        let bright = Adjustments {
            brightness: Level::new(80).unwrap(),
            ..a
        };
        assert!(bright.apply(Bar::Blue.ycbcr())[0] > Bar::Blue.ycbcr()[0] + 50);
        let grey = Adjustments {
            saturation: Level::MIN,
            ..a
        };
        assert_eq!(&grey.apply(Bar::Red.ycbcr())[1..], &[128, 128]);
    }

    #[test]
    fn a_flipped_picture_shows_the_reversed_bars_on_top_and_keeps_the_overlay() {
        let mut p = TestPattern::new(Resolution::QVGA);
        p.flip = true;
        assert_eq!(p.bar_at(0, 0, 0), Bar::Black);
        assert_eq!(p.bar_at(0, 239, 0), Bar::White);
        let buf = p.render_yuyv(Timestamp::from_millis(1234), 7);
        // Frame 7: the bars have moved 7 steps left.
        assert_eq!(p.bar_at(0, 239, 7), Bar::Yellow);
        assert_eq!(buf[239 * 640], Bar::Yellow.ycbcr()[0]);
        // Row 50 (below the overlay) is in the reversed quarter, now on top.
        assert_eq!(p.bar_at(100, 50, 7), Bar::Magenta);
        assert_eq!(buf[50 * 640 + 200], Bar::Magenta.ycbcr()[0]);
        let luma: Vec<u8> = buf.iter().step_by(2).copied().collect();
        assert_eq!(
            overlay::read(&luma, 320, 240, overlay::TEXT_LEN).as_deref(),
            Some("00:00:01.234 000007")
        );
    }
}
