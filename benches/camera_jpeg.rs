//! What a snapshot costs the station's CPU: a raw frame to a JPEG file at the manual's
//! sizes (YUYV, what USB webcams send raw, and NV12, what the Pi's ISP gives), an MJPEG
//! frame checked and passed through, and the simulated camera's test pattern. Figures are
//! recorded in `docs/performance.md`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use vto_hal::camera::pattern::TestPattern;
use vto_hal::camera::{snapshot, Frame, PixelFormat, Quality, Resolution};
use vto_hal::time::Timestamp;

/// The test pattern's frame 0 at `r` (colour bars and the time: sharp edges, like text).
fn yuyv(r: Resolution) -> Frame {
    let data = TestPattern::new(r).render_yuyv(Timestamp::from_millis(1234), 0);
    Frame::new(data.into(), PixelFormat::Yuyv, r, Timestamp::ZERO, 0).expect("pattern fits")
}

/// The same picture as NV12 (luma plane, then interleaved CbCr every other line).
fn nv12(r: Resolution) -> Frame {
    let src = yuyv(r);
    let (w, h) = (r.width() as usize, r.height() as usize);
    let d = src.data();
    let mut out: Vec<u8> = d.iter().step_by(2).copied().collect();
    for y in (0..h).step_by(2) {
        for x in (0..w).step_by(2) {
            let i = y * w * 2 + x * 2;
            out.extend_from_slice(&[d[i + 1], d[i + 3]]);
        }
    }
    Frame::new(out.into(), PixelFormat::Nv12, r, Timestamp::ZERO, 0).expect("layout fits")
}

fn snapshots(c: &mut Criterion) {
    let mut g = c.benchmark_group("snapshot");
    g.sample_size(20);
    for r in [Resolution::QVGA, Resolution::P720, Resolution::P1080] {
        let name = r.manual_name().unwrap_or("?");
        g.throughput(Throughput::Elements(r.pixels()));
        let frame = yuyv(r);
        g.bench_with_input(
            BenchmarkId::new("YUYV to JPEG q85", name),
            &frame,
            |b, f| b.iter(|| snapshot(black_box(f), Quality::DEFAULT).expect("encodes")),
        );
        if r == Resolution::P720 {
            let frame = nv12(r);
            g.bench_with_input(
                BenchmarkId::new("NV12 to JPEG q85", name),
                &frame,
                |b, f| b.iter(|| snapshot(black_box(f), Quality::DEFAULT).expect("encodes")),
            );
            let jpeg = snapshot(&yuyv(r), Quality::DEFAULT).expect("encodes");
            let mjpeg = Frame::new(jpeg.into_bytes(), PixelFormat::Mjpeg, r, Timestamp::ZERO, 0)
                .expect("non-empty");
            g.bench_with_input(
                BenchmarkId::new("MJPEG checked, passed through", name),
                &mjpeg,
                |b, f| b.iter(|| snapshot(black_box(f), Quality::DEFAULT).expect("valid")),
            );
            let pattern = TestPattern::new(r);
            g.bench_function(BenchmarkId::new("sim test pattern with time", name), |b| {
                b.iter(|| pattern.render_yuyv(black_box(Timestamp::from_millis(1234)), 7))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, snapshots);
criterion_main!(benches);
