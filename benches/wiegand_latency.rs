//! Last-pulse-to-frame latency of a Wiegand reader, on a real clock.
//!
//! A card's frame can only be decided once the line has been quiet for the decoder's
//! end-of-frame gap (gap_factor × bit interval, 6 ms for a standard reader). This measures
//! what a caller of `read_frame` really sees: the time from the end of the frame's last
//! pulse to the frame being returned, including the wake-up of the waiting thread. The
//! simulated reader runs on the system's monotonic clock and the same `Decoder` as the
//! Linux and Pi backends.
//!
//! Run: `cargo bench --bench wiegand_latency` (about 15 s).

use std::time::Duration;

use vto::hal::sim::{Sim, SimClock};
use vto::hal::wiegand::format::{CardNumber, FacilityCode};
use vto::hal::wiegand::{Credential, DecoderConfig, Format, WiegandTiming};
use vto::hal::{Clock, WiegandReader};

const FRAMES: usize = 60;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn measure(label: &str, config: DecoderConfig, timing: WiegandTiming) {
    let sim = Sim::new(SimClock::system());
    let (mut reader, holder) = sim
        .wiegand_reader(config, timing)
        .expect("valid decoder config");
    let card = Credential::Card {
        format: Format::H10301,
        facility: FacilityCode(42),
        number: CardNumber(4242),
    };
    let mut latencies = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        holder
            .present(Format::H10301, &card)
            .expect("encodable card");
        let frame = reader
            .read_frame(Duration::from_secs(2))
            .expect("read")
            .expect("a frame");
        latencies.push(sim.clock().now() - frame.at);
    }
    latencies.sort();
    println!(
        "{label:<44} median {:>8.3} ms   p95 {:>8.3} ms   max {:>8.3} ms   ({FRAMES} frames)",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.95).as_secs_f64() * 1e3,
        latencies[latencies.len() - 1].as_secs_f64() * 1e3,
    );
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench` absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let standard = WiegandTiming::STANDARD;
    measure(
        "standard reader (50 µs / 2 ms), gap_factor 3",
        DecoderConfig::STANDARD,
        standard,
    );
    let tight = DecoderConfig {
        gap_factor: 2,
        ..DecoderConfig::STANDARD
    };
    measure(
        "standard reader (50 µs / 2 ms), gap_factor 2",
        tight,
        standard,
    );
    let fast = WiegandTiming::new(Duration::from_micros(40), Duration::from_millis(1))
        .expect("valid timing");
    measure(
        "fast reader (40 µs / 1 ms), gap_factor 3",
        DecoderConfig::STANDARD,
        fast,
    );
}
