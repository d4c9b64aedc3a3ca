//! What a card costs the station's CPU: edges through the bit-timing decoder, then the
//! format decode, for a 26-bit H10301 and a 35-bit Corporate 1000 card; and the format
//! decode alone. Figures are recorded in `docs/wiegand.md`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use vto_hal::time::Timestamp;
use vto_hal::wiegand::format::{self, CardNumber, FacilityCode};
use vto_hal::wiegand::{
    Bits, Credential, DataLine, Decoder, DecoderConfig, Edge, Format, WiegandTiming,
};

const READER_FORMATS: &[Format] = &[
    Format::H10301,
    Format::H10306,
    Format::Corporate1000,
    Format::H10302,
    Format::Keypad4,
];

fn card(format: Format, facility: u32, number: u64) -> Bits {
    format
        .encode(&Credential::Card {
            format,
            facility: FacilityCode(facility),
            number: CardNumber(number),
        })
        .expect("bench cards are within range")
}

/// The edges a standard reader (50 µs pulses every 2 ms) sends for `bits`.
fn edges(bits: Bits) -> Vec<(DataLine, Edge, Timestamp)> {
    WiegandTiming::STANDARD
        .edges(bits, Timestamp::from_millis(1))
        .collect()
}

/// Feeds the edges, polls once after each as a backend does, then decodes the frame.
fn edges_to_credential(edges: &[(DataLine, Edge, Timestamp)]) -> Credential {
    let mut decoder = Decoder::new(DecoderConfig::STANDARD).expect("standard config");
    for &(line, edge, at) in edges {
        decoder.edge(line, edge, at);
        black_box(decoder.poll(at));
    }
    let end = decoder.deadline().expect("a frame is pending");
    let frame = decoder
        .poll(end)
        .expect("the frame ends at its deadline")
        .expect("a clean frame");
    format::decode(&frame.bits, READER_FORMATS).expect("a known card")
}

fn bench(c: &mut Criterion) {
    let h10301 = card(Format::H10301, 123, 45678);
    let corp1000 = card(Format::Corporate1000, 1234, 567_890);
    let (h10301_edges, corp1000_edges) = (edges(h10301), edges(corp1000));

    c.bench_function("edges to credential, H10301 26-bit", |b| {
        b.iter(|| edges_to_credential(black_box(&h10301_edges)))
    });
    c.bench_function("edges to credential, Corporate 1000 35-bit", |b| {
        b.iter(|| edges_to_credential(black_box(&corp1000_edges)))
    });
    c.bench_function("format decode, H10301 26-bit", |b| {
        b.iter(|| format::decode(black_box(&h10301), READER_FORMATS))
    });
    c.bench_function("format decode, Corporate 1000 35-bit", |b| {
        b.iter(|| format::decode(black_box(&corp1000), READER_FORMATS))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
