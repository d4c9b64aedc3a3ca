//! Properties of the Wiegand codecs: formats round-trip over their whole ranges, parity
//! catches every single-bit error, and neither the formats nor the decoder panic or invent
//! bits whatever arrives on the wire.

use proptest::prelude::*;
use vto_hal::time::{Duration, Timestamp};
use vto_hal::wiegand::format::{self, CardNumber, FacilityCode};
use vto_hal::wiegand::{
    Bits, Credential, DataLine, Decoder, DecoderConfig, Edge, Format, FormatError, Key,
    WiegandTiming, MAX_BITS,
};

const CARD_FORMATS: [Format; 5] = [
    Format::H10301,
    Format::H10306,
    Format::Corporate1000,
    Format::H10302,
    Format::H10304,
];

/// A card format and a card anywhere in its facility and number ranges.
fn any_card() -> impl Strategy<Value = (Format, Credential)> {
    proptest::sample::select(&CARD_FORMATS[..]).prop_flat_map(|format| {
        let max_fc = format.max_facility().map_or(0, |fc| fc.0);
        let max_cn = format.max_number().map_or(0, |cn| cn.0);
        (0..=max_fc, 0..=max_cn).prop_map(move |(fc, cn)| {
            (
                format,
                Credential::Card {
                    format,
                    facility: FacilityCode(fc),
                    number: CardNumber(cn),
                },
            )
        })
    })
}

fn any_key() -> impl Strategy<Value = Key> {
    prop_oneof![
        (0u8..=9).prop_map(Key::Digit),
        Just(Key::Star),
        Just(Key::Hash)
    ]
}

fn any_bits() -> impl Strategy<Value = Bits> {
    (any::<u128>(), 0..=MAX_BITS)
        .prop_map(|(value, len)| Bits::from_value(value, len).expect("len is at most MAX_BITS"))
}

fn line(d1: bool) -> DataLine {
    if d1 {
        DataLine::D1
    } else {
        DataLine::D0
    }
}

fn edge(start: bool) -> Edge {
    if start {
        Edge::PulseStart
    } else {
        Edge::PulseEnd
    }
}

/// Edges as a broken wire, a buggy backend or a noisy reader might deliver them: random
/// lines and edges at random times in any order; the same as small steps that sometimes
/// go back in time; and well-formed pulses of random widths (noise to stuck lines) at
/// random spacings, sometimes overlapping.
fn any_edges() -> impl Strategy<Value = Vec<(DataLine, Edge, Timestamp)>> {
    prop_oneof![
        prop::collection::vec((any::<bool>(), any::<bool>(), 0u64..200_000_000), 0..400).prop_map(
            |edges| edges
                .into_iter()
                .map(|(d1, start, t)| (line(d1), edge(start), Timestamp::from_nanos(t)))
                .collect()
        ),
        prop::collection::vec(
            (any::<bool>(), any::<bool>(), -1_000_000i64..10_000_000),
            0..400
        )
        .prop_map(|steps| {
            let mut t = 0i64;
            steps
                .into_iter()
                .map(|(d1, start, step)| {
                    t = (t + step).max(0);
                    (line(d1), edge(start), Timestamp::from_nanos(t as u64))
                })
                .collect()
        }),
        prop::collection::vec((any::<bool>(), 0u64..6_000_000, 0u64..60_000_000), 0..200).prop_map(
            |pulses| {
                let mut t = 0u64;
                let mut edges = Vec::new();
                for (d1, width, spacing) in pulses {
                    t += spacing;
                    edges.push((line(d1), Edge::PulseStart, Timestamp::from_nanos(t)));
                    edges.push((line(d1), Edge::PulseEnd, Timestamp::from_nanos(t + width)));
                }
                edges.sort_by_key(|e| e.2);
                edges
            }
        ),
    ]
}

fn flip(bits: Bits, i: usize) -> Bits {
    Bits::from_value(bits.value() ^ (1 << (bits.len() - 1 - i)), bits.len()).expect("same length")
}

proptest! {
    #[test]
    fn every_card_format_round_trips_over_its_full_range((format, card) in any_card()) {
        let bits = format.encode(&card).unwrap();
        prop_assert_eq!(Some(bits.len()), format.bit_len());
        prop_assert_eq!(format.decode(&bits), Ok(card));
        prop_assert_eq!(format::decode(&bits, &[format]), Ok(card));
    }

    #[test]
    fn every_key_round_trips_through_both_keypad_formats(key in any_key()) {
        for format in [Format::Keypad4, Format::Keypad8] {
            let bits = format.encode(&Credential::Key(key)).unwrap();
            prop_assert_eq!(format.decode(&bits), Ok(Credential::Key(key)));
        }
    }

    #[test]
    fn raw_round_trips_any_frame(bits in any_bits()) {
        let raw = Credential::Raw(bits);
        prop_assert_eq!(Format::Raw.encode(&raw), Ok(bits));
        prop_assert_eq!(Format::Raw.decode(&bits), Ok(raw));
    }

    #[test]
    fn flipping_any_single_bit_of_a_card_frame_is_detected(
        (format, card) in any_card(),
        position in any::<prop::sample::Index>(),
    ) {
        let bits = format.encode(&card).unwrap();
        let i = position.index(bits.len());
        match format.decode(&flip(bits, i)) {
            Err(FormatError::Parity { format: f, failed }) => {
                prop_assert_eq!(f, format);
                prop_assert!(!failed.is_empty());
                // Every failed parity bit covers the flipped one.
                for check in failed.iter() {
                    prop_assert!(check.covers(i + 1), "{} does not cover bit {}", check.position(), i + 1);
                }
            }
            other => prop_assert!(false, "flip of bit {} in {} gave {:?}", i + 1, format, other),
        }
    }

    #[test]
    fn flipping_any_single_bit_of_a_keypad8_burst_is_detected(
        key in any_key(),
        i in 0usize..8,
    ) {
        let bits = Format::Keypad8.encode(&Credential::Key(key)).unwrap();
        prop_assert!(
            matches!(Format::Keypad8.decode(&flip(bits, i)), Err(FormatError::KeyComplement { .. })),
            "flip of bit {} of {}", i + 1, bits
        );
    }

    #[test]
    fn decoding_any_bit_string_never_panics(bits in any_bits(), raw in any::<bool>()) {
        let mut formats = Format::ALL.to_vec();
        if !raw {
            formats.retain(|f| *f != Format::Raw);
        }
        let result = format::decode(&bits, &formats);
        if let Err(FormatError::UnknownLength { len }) = result {
            prop_assert_eq!(len, bits.len());
            prop_assert!(!raw);
        }
        for format in Format::ALL {
            let _ = format.decode(&bits);
        }
    }

    #[test]
    fn random_edges_never_panic_nor_yield_more_bits_than_pulses(edges in any_edges()) {
        let mut decoder = Decoder::new(DecoderConfig::STANDARD).unwrap();
        let mut pulse_ends = 0usize;
        let mut bits_out = 0usize;
        let mut now = Timestamp::ZERO;
        for (line, edge, at) in edges {
            pulse_ends += usize::from(edge == Edge::PulseEnd);
            decoder.edge(line, edge, at);
            now = now.max(at);
            let _ = decoder.deadline();
            while let Some(report) = decoder.poll(now) {
                if let Ok(frame) = report {
                    prop_assert!(!frame.bits.is_empty());
                    bits_out += frame.bits.len();
                }
            }
        }
        let end = now + Duration::from_secs(2);
        while let Some(report) = decoder.poll(end) {
            if let Ok(frame) = report {
                bits_out += frame.bits.len();
            }
        }
        prop_assert!(bits_out <= pulse_ends, "{} bits out of {} pulse ends", bits_out, pulse_ends);
        prop_assert_eq!(decoder.deadline(), None);
    }

    #[test]
    fn frames_sent_at_any_allowed_timing_come_back_whole(
        bits in (any::<u128>(), 1usize..=MAX_BITS)
            .prop_map(|(v, len)| Bits::from_value(v, len).expect("len is at most MAX_BITS")),
        pulse_us in 20u64..=100,
        interval_us in 200u64..=20_000,
        start_ms in 0u64..1_000_000,
    ) {
        let config = DecoderConfig::STANDARD;
        let timing = WiegandTiming::new(
            Duration::from_micros(pulse_us),
            Duration::from_micros(interval_us),
        ).unwrap();
        let mut decoder = Decoder::new(config).unwrap();
        let mut last_end = Timestamp::ZERO;
        for (line, edge, at) in timing.edges(bits, Timestamp::from_millis(start_ms)) {
            decoder.edge(line, edge, at);
            prop_assert_eq!(decoder.poll(at), None, "frame cut at {}", at);
            last_end = at;
        }
        let deadline = decoder.deadline().expect("a frame is pending");
        // The frame ends gap_factor intervals after its last pulse; only the min_gap floor
        // (fast readers) or the single-bit max_gap can make it later.
        let interval = timing.interval();
        let bound = if bits.len() == 1 {
            config.max_gap
        } else {
            (interval * config.gap_factor).max(config.min_gap)
        };
        prop_assert!(deadline <= last_end + bound + timing.pulse_width());
        prop_assert!(deadline > last_end);
        prop_assert_eq!(
            decoder.poll(deadline),
            Some(Ok(vto_hal::WiegandFrame { bits, at: last_end }))
        );
        prop_assert_eq!(decoder.poll(deadline + Duration::from_secs(1)), None);
    }
}
