//! The Wiegand bit-timing decoder: edge timestamps in, frames out.
//!
//! Nothing here reads a pin or a clock. The owner feeds the edges of D0 and D1 with
//! [`Decoder::edge`], in time order, and asks [`Decoder::poll`] for finished frames; when
//! no edge comes, it wakes at [`Decoder::deadline`]. The same code therefore runs on
//! kernel edge timestamps on Linux, in an interrupt handler on a microcontroller, in the
//! simulation and in tests.
//!
//! A bit is accepted at the end of its pulse, when the pulse lasted at least
//! [`min_pulse`](DecoderConfig::min_pulse): shorter pulses are noise, dropped and counted.
//! A frame ends after a silence of `gap_factor` times the longest bit interval (pulse start
//! to pulse start) seen in it, clamped to `min_gap..=max_gap`, counted from the end of its
//! last pulse. The gap adapts to each reader, so a standard reader (a bit every 2 ms) is
//! decided 6 ms after its last pulse while a slow one (16 ms) still works, and the latency
//! is deterministic. A line held low for [`max_pulse`](DecoderConfig::max_pulse), or both
//! lines low at once, is a wiring fault: the frame under way is dropped and the fault
//! reported, because a shorted line or an unpowered reader must not be decoded as a card.

use super::{Bits, DataLine, Edge, WiegandFrame, MAX_BITS};
use crate::time::{Duration, Timestamp};

/// Decoder limits; [`STANDARD`](Self::STANDARD) suits every reader that keeps to the
/// Wiegand interface (20–100 µs pulses, 0.2–20 ms apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecoderConfig {
    /// Pulses shorter than this are noise and dropped; within [`Self::MIN_PULSE_RANGE`].
    pub min_pulse: Duration,
    /// A line low for this long is a fault, not a bit; within [`Self::MAX_PULSE_RANGE`].
    pub max_pulse: Duration,
    /// The frame ends after this many times the longest bit interval seen in it; within
    /// [`Self::GAP_FACTOR_RANGE`].
    pub gap_factor: u32,
    /// Lower bound of the end-of-frame gap; within [`Self::GAP_RANGE`].
    pub min_gap: Duration,
    /// Upper bound of the end-of-frame gap, and the gap after a single bit; within
    /// [`Self::GAP_RANGE`] and not below `min_gap`.
    pub max_gap: Duration,
}

impl DecoderConfig {
    /// The defaults: 10 µs noise floor, 5 ms fault limit, frame end after 3 intervals
    /// clamped to 1–50 ms (so readers with up to ~16 ms between bits work).
    pub const STANDARD: Self = Self {
        min_pulse: Duration::from_micros(10),
        max_pulse: Duration::from_millis(5),
        gap_factor: 3,
        min_gap: Duration::from_millis(1),
        max_gap: Duration::from_millis(50),
    };

    /// Allowed `min_pulse`: up to 5 ms. A standard reader's line wants at most 20 µs
    /// (the interface's shortest pulse); the longer settings are for lines whose pulses
    /// are stretched (opto-couplers, slow level shifters, an emulator) and whose noise is
    /// stretched with them. Must also be below `max_pulse`.
    pub const MIN_PULSE_RANGE: core::ops::RangeInclusive<Duration> =
        Duration::ZERO..=Duration::from_millis(5);
    /// Allowed `max_pulse`: above the interface's longest pulse, below a second.
    pub const MAX_PULSE_RANGE: core::ops::RangeInclusive<Duration> =
        Duration::from_micros(200)..=Duration::from_secs(1);
    /// Allowed `gap_factor`: 2 tolerates one late bit at most, 20 is slow to answer.
    pub const GAP_FACTOR_RANGE: core::ops::RangeInclusive<u32> = 2..=20;
    /// Allowed `min_gap` and `max_gap`.
    pub const GAP_RANGE: core::ops::RangeInclusive<Duration> =
        Duration::from_micros(100)..=Duration::from_secs(1);

    /// Checks every field against its range, naming the first one that is off.
    pub fn validate(&self) -> Result<(), DecoderConfigError> {
        if !Self::MIN_PULSE_RANGE.contains(&self.min_pulse) {
            return Err(DecoderConfigError::MinPulse(self.min_pulse));
        }
        if !Self::MAX_PULSE_RANGE.contains(&self.max_pulse) {
            return Err(DecoderConfigError::MaxPulse(self.max_pulse));
        }
        if self.min_pulse >= self.max_pulse {
            return Err(DecoderConfigError::PulseOrder {
                min_pulse: self.min_pulse,
                max_pulse: self.max_pulse,
            });
        }
        if !Self::GAP_FACTOR_RANGE.contains(&self.gap_factor) {
            return Err(DecoderConfigError::GapFactor(self.gap_factor));
        }
        if !Self::GAP_RANGE.contains(&self.min_gap) {
            return Err(DecoderConfigError::MinGap(self.min_gap));
        }
        if !Self::GAP_RANGE.contains(&self.max_gap) {
            return Err(DecoderConfigError::MaxGap(self.max_gap));
        }
        if self.min_gap > self.max_gap {
            return Err(DecoderConfigError::GapOrder {
                min_gap: self.min_gap,
                max_gap: self.max_gap,
            });
        }
        Ok(())
    }

    /// The end-of-frame gap after a frame whose longest bit interval is `interval`
    /// (`None` after a single bit).
    pub fn gap(&self, interval: Option<Duration>) -> Duration {
        match interval {
            None => self.max_gap,
            Some(interval) => interval
                .checked_mul(self.gap_factor)
                .unwrap_or(self.max_gap)
                .max(self.min_gap)
                .min(self.max_gap),
        }
    }
}

impl Default for DecoderConfig {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// A [`DecoderConfig`] field outside its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecoderConfigError {
    /// `min_pulse` outside [`DecoderConfig::MIN_PULSE_RANGE`].
    #[error("wiegand min_pulse {0:?} is outside 0µs..=5ms")]
    MinPulse(Duration),
    /// `max_pulse` outside [`DecoderConfig::MAX_PULSE_RANGE`].
    #[error("wiegand max_pulse {0:?} is outside 200µs..=1s")]
    MaxPulse(Duration),
    /// `gap_factor` outside [`DecoderConfig::GAP_FACTOR_RANGE`].
    #[error("wiegand gap_factor {0} is outside 2..=20")]
    GapFactor(u32),
    /// `min_gap` outside [`DecoderConfig::GAP_RANGE`].
    #[error("wiegand min_gap {0:?} is outside 100µs..=1s")]
    MinGap(Duration),
    /// `max_gap` outside [`DecoderConfig::GAP_RANGE`].
    #[error("wiegand max_gap {0:?} is outside 100µs..=1s")]
    MaxGap(Duration),
    /// `min_pulse` not below `max_pulse`.
    #[error("wiegand min_pulse {min_pulse:?} is not shorter than max_pulse {max_pulse:?}")]
    PulseOrder {
        /// The noise threshold given.
        min_pulse: Duration,
        /// The fault threshold given.
        max_pulse: Duration,
    },
    /// `min_gap` above `max_gap`.
    #[error("wiegand min_gap {min_gap:?} is longer than max_gap {max_gap:?}")]
    GapOrder {
        /// The lower bound given.
        min_gap: Duration,
        /// The upper bound given.
        max_gap: Duration,
    },
}

/// A problem on the wire, reported instead of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// More than [`MAX_BITS`] bits before the end-of-frame gap: reported whole, never cut.
    #[error("wiegand frame of {bits} bits is longer than the {MAX_BITS} bits supported")]
    TooLong {
        /// How many bits came.
        bits: u32,
        /// When its last pulse ended.
        at: Timestamp,
    },
    /// A line stayed low for `max_pulse` or longer: a shorted line or a reader losing
    /// power. The frame under way is dropped.
    #[error("wiegand line {line:?} held low since {since}: shorted line or unpowered reader")]
    LineHeldLow {
        /// The line.
        line: DataLine,
        /// When it went low.
        since: Timestamp,
    },
    /// Both lines low at once, which no reader does: a short between them or a reader
    /// losing power. The frame under way is dropped.
    #[error("both wiegand lines low at {at}: shorted lines or unpowered reader")]
    BothLinesLow {
        /// When the second line went low.
        at: Timestamp,
    },
}

impl FrameError {
    /// When the fault was seen or the frame ended, for ordering reports.
    pub const fn at(&self) -> Timestamp {
        match *self {
            Self::TooLong { at, .. } | Self::BothLinesLow { at } => at,
            Self::LineHeldLow { since, .. } => since,
        }
    }
}

/// What [`Decoder::poll`] reports: a frame, or why there is none.
pub type FrameReport = Result<WiegandFrame, FrameError>;

/// How many reports wait for [`Decoder::poll`] before the oldest are dropped.
pub const REPORT_QUEUE_LEN: usize = 8;

/// The frame being received.
#[derive(Debug, Clone, Copy)]
struct PendingFrame {
    bits: Bits,
    /// Bits received, including those past [`MAX_BITS`].
    count: u32,
    last_start: Timestamp,
    last_end: Timestamp,
    /// Longest pulse-start to pulse-start interval; `None` after one bit.
    longest_interval: Option<Duration>,
}

impl PendingFrame {
    fn first(bit: bool, start: Timestamp, end: Timestamp) -> Self {
        let mut bits = Bits::EMPTY;
        // An empty Bits has room for one bit.
        let _ = bits.push(bit);
        Self {
            bits,
            count: 1,
            last_start: start,
            last_end: end,
            longest_interval: None,
        }
    }

    fn push(&mut self, bit: bool, start: Timestamp, end: Timestamp) {
        let interval = start.saturating_duration_since(self.last_start);
        self.longest_interval = Some(self.longest_interval.map_or(interval, |l| l.max(interval)));
        // Past MAX_BITS the bit is only counted: the frame is reported as too long.
        let _ = self.bits.push(bit);
        self.count = self.count.saturating_add(1);
        self.last_start = start;
        self.last_end = end;
    }

    fn deadline(&self, config: &DecoderConfig) -> Timestamp {
        self.last_end + config.gap(self.longest_interval)
    }

    fn finish(self) -> FrameReport {
        if self.count as usize > MAX_BITS {
            Err(FrameError::TooLong {
                bits: self.count,
                at: self.last_end,
            })
        } else {
            Ok(WiegandFrame {
                bits: self.bits,
                at: self.last_end,
            })
        }
    }
}

/// Reports waiting for [`Decoder::poll`], oldest first, without allocating.
#[derive(Debug, Clone)]
struct ReportQueue {
    items: [Option<FrameReport>; REPORT_QUEUE_LEN],
    len: usize,
}

impl ReportQueue {
    const EMPTY: Self = Self {
        items: [None; REPORT_QUEUE_LEN],
        len: 0,
    };

    /// Queues `report`; returns whether the oldest one had to be dropped for it.
    fn push(&mut self, report: FrameReport) -> bool {
        let full = self.len == REPORT_QUEUE_LEN;
        if full {
            self.items.rotate_left(1);
            self.len -= 1;
        }
        self.items[self.len] = Some(report);
        self.len += 1;
        full
    }

    fn pop(&mut self) -> Option<FrameReport> {
        let first = self.items[0].take()?;
        self.items.rotate_left(1);
        self.len -= 1;
        Some(first)
    }

    fn front(&self) -> Option<&FrameReport> {
        self.items[0].as_ref()
    }
}

/// Turns the edges of D0 and D1 into [`WiegandFrame`]s, sans I/O.
#[derive(Debug, Clone)]
pub struct Decoder {
    config: DecoderConfig,
    /// When each line went low, if it is low; indexed by [`line_index`].
    low_since: [Option<Timestamp>; 2],
    frame: Option<PendingFrame>,
    /// A fault was reported: no bit is taken until both lines are back high.
    faulted: bool,
    last_edge: Timestamp,
    ready: ReportQueue,
    noise_pulses: u32,
    stray_edges: u32,
    dropped_reports: u32,
}

const fn line_index(line: DataLine) -> usize {
    match line {
        DataLine::D0 => 0,
        DataLine::D1 => 1,
    }
}

const fn other(line: DataLine) -> DataLine {
    match line {
        DataLine::D0 => DataLine::D1,
        DataLine::D1 => DataLine::D0,
    }
}

impl Decoder {
    /// A decoder with both lines idle (high); refuses a config outside the ranges.
    pub fn new(config: DecoderConfig) -> Result<Self, DecoderConfigError> {
        config.validate()?;
        Ok(Self {
            config,
            low_since: [None; 2],
            frame: None,
            faulted: false,
            last_edge: Timestamp::ZERO,
            ready: ReportQueue::EMPTY,
            noise_pulses: 0,
            stray_edges: 0,
            dropped_reports: 0,
        })
    }

    /// The limits it was built with.
    pub fn config(&self) -> &DecoderConfig {
        &self.config
    }

    /// Feeds an edge of `line` that happened at `at`.
    ///
    /// Edges must come in time order; one older than the previous edge is taken as
    /// happening at the previous edge. A frame whose gap ran out before `at` is completed
    /// first and queued for [`poll`](Self::poll), so feeding edges late loses nothing.
    /// An edge that makes no sense (a pulse end without a start, a second start) is
    /// ignored and counted in [`stray_edges`](Self::stray_edges).
    pub fn edge(&mut self, line: DataLine, edge: Edge, at: Timestamp) {
        let at = at.max(self.last_edge);
        self.last_edge = at;
        self.expire(at);
        match edge {
            Edge::PulseStart => self.pulse_start(line, at),
            Edge::PulseEnd => self.pulse_end(line, at),
        }
    }

    /// The next finished frame or fault, once `now` has reached [`deadline`](Self::deadline).
    ///
    /// Call it until it returns `None`: several reports may be waiting after a burst of
    /// edges fed late.
    pub fn poll(&mut self, now: Timestamp) -> Option<FrameReport> {
        if let Some(report) = self.ready.pop() {
            return Some(report);
        }
        self.expire(now);
        self.ready.pop()
    }

    /// When [`poll`](Self::poll) will next have something to report, if anything is
    /// pending: a time in the past if reports are waiting, the end of the frame's gap, or
    /// when a line held low becomes a fault.
    pub fn deadline(&self) -> Option<Timestamp> {
        if let Some(report) = self.ready.front() {
            return Some(match report {
                Ok(frame) => frame.at,
                Err(e) => e.at(),
            });
        }
        if self.faulted {
            return None;
        }
        if let Some(since) = self.earliest_low() {
            return Some(since + self.config.max_pulse);
        }
        self.frame.map(|frame| frame.deadline(&self.config))
    }

    /// Pulses dropped for being shorter than `min_pulse`: a measure of line noise.
    pub fn noise_pulses(&self) -> u32 {
        self.noise_pulses
    }

    /// Edges ignored because they made no sense: a pulse end without a start, or a
    /// second start on a line already low. Lost kernel events show up here.
    pub fn stray_edges(&self) -> u32 {
        self.stray_edges
    }

    /// Reports dropped because more than [`REPORT_QUEUE_LEN`] waited for
    /// [`poll`](Self::poll); the oldest go first.
    pub fn dropped_reports(&self) -> u32 {
        self.dropped_reports
    }

    fn earliest_low(&self) -> Option<Timestamp> {
        match self.low_since {
            [Some(a), Some(b)] => Some(a.min(b)),
            [a, b] => a.or(b),
        }
    }

    fn report(&mut self, report: FrameReport) {
        if self.ready.push(report) {
            self.dropped_reports = self.dropped_reports.saturating_add(1);
        }
    }

    fn fault(&mut self, error: FrameError) {
        self.faulted = true;
        self.frame = None;
        self.report(Err(error));
    }

    /// Reports what time alone decides by `now`: a line held low too long, or the end of
    /// the pending frame. A pulse under way holds the frame open: it started before the
    /// frame's gap ran out, so it may be one of its bits.
    fn expire(&mut self, now: Timestamp) {
        if self.faulted {
            return;
        }
        for line in [DataLine::D0, DataLine::D1] {
            if let Some(since) = self.low_since[line_index(line)] {
                if now >= since + self.config.max_pulse {
                    self.fault(FrameError::LineHeldLow { line, since });
                    return;
                }
            }
        }
        if self.earliest_low().is_some() {
            return;
        }
        if let Some(frame) = self.frame {
            if now >= frame.deadline(&self.config) {
                self.frame = None;
                self.report(frame.finish());
            }
        }
    }

    fn pulse_start(&mut self, line: DataLine, at: Timestamp) {
        if self.low_since[line_index(line)].is_some() {
            self.stray_edges = self.stray_edges.saturating_add(1);
            return;
        }
        self.low_since[line_index(line)] = Some(at);
        if !self.faulted && self.low_since[line_index(other(line))].is_some() {
            self.fault(FrameError::BothLinesLow { at });
        }
    }

    fn pulse_end(&mut self, line: DataLine, at: Timestamp) {
        let Some(start) = self.low_since[line_index(line)].take() else {
            self.stray_edges = self.stray_edges.saturating_add(1);
            return;
        };
        if self.faulted {
            // The fault ends when both lines are back high; that release is not a bit.
            self.faulted = self.earliest_low().is_some();
            return;
        }
        // `expire(at)` ran first: a pulse of max_pulse or more has already faulted.
        if at - start < self.config.min_pulse {
            self.noise_pulses = self.noise_pulses.saturating_add(1);
            // The noise may have held a finished frame open past its gap.
            self.expire(at);
            return;
        }
        match &mut self.frame {
            Some(frame) => frame.push(line.bit(), start, at),
            None => self.frame = Some(PendingFrame::first(line.bit(), start, at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wiegand::format::{self, CardNumber, Credential, FacilityCode, Format};
    use crate::wiegand::WiegandTiming;
    use DataLine::{D0, D1};
    use Edge::{PulseEnd, PulseStart};

    fn us(v: u64) -> Timestamp {
        Timestamp::from_micros(v)
    }

    fn ms(v: u64) -> Timestamp {
        Timestamp::from_millis(v)
    }

    fn decoder() -> Decoder {
        Decoder::new(DecoderConfig::STANDARD).unwrap()
    }

    fn bits(s: &str) -> Bits {
        Bits::parse(s).unwrap()
    }

    /// Feeds `bits` at `timing` from `start`; returns when the last pulse ended.
    fn send(d: &mut Decoder, timing: WiegandTiming, b: Bits, start: Timestamp) -> Timestamp {
        let mut last = start;
        for (line, edge, at) in timing.edges(b, start) {
            d.edge(line, edge, at);
            last = at;
        }
        last
    }

    fn pulse(d: &mut Decoder, line: DataLine, start: Timestamp, width: Duration) {
        d.edge(line, PulseStart, start);
        d.edge(line, PulseEnd, start + width);
    }

    fn h10301(fc: u32, cn: u64) -> Bits {
        Format::H10301
            .encode(&Credential::Card {
                format: Format::H10301,
                facility: FacilityCode(fc),
                number: CardNumber(cn),
            })
            .unwrap()
    }

    #[test]
    fn standard_card_frame_decodes_with_the_end_of_its_last_pulse() {
        let mut d = decoder();
        let card = h10301(123, 45678);
        let last_end = send(&mut d, WiegandTiming::STANDARD, card, ms(10));
        assert_eq!(
            last_end,
            ms(10) + Duration::from_millis(50) + Duration::from_micros(50)
        );
        let report = d.poll(ms(1_000)).unwrap().unwrap();
        assert_eq!(
            report,
            WiegandFrame {
                bits: card,
                at: last_end
            }
        );
        assert_eq!(
            format::decode(&report.bits, &[Format::H10301]),
            Ok(Credential::Card {
                format: Format::H10301,
                facility: FacilityCode(123),
                number: CardNumber(45678)
            })
        );
        assert_eq!(d.poll(ms(2_000)), None);
        assert_eq!(d.deadline(), None);
    }

    #[test]
    fn card_is_decided_within_gap_factor_intervals_of_its_last_pulse() {
        let mut d = decoder();
        let last_end = send(&mut d, WiegandTiming::STANDARD, h10301(1, 1), ms(0));
        // 3 × 2 ms after the end of the last pulse, exactly.
        let expected = last_end + Duration::from_millis(6);
        assert_eq!(d.deadline(), Some(expected));
        assert_eq!(d.poll(Timestamp::from_nanos(expected.as_nanos() - 1)), None);
        assert!(matches!(d.poll(expected), Some(Ok(_))));
    }

    #[test]
    fn slow_reader_at_16_ms_per_bit_is_one_frame() {
        let mut d = decoder();
        let slow =
            WiegandTiming::new(Duration::from_micros(100), Duration::from_millis(16)).unwrap();
        let card = h10301(7, 4242);
        let last_end = send(&mut d, slow, card, ms(0));
        assert_eq!(d.deadline(), Some(last_end + Duration::from_millis(48)));
        assert_eq!(
            d.poll(ms(10_000)),
            Some(Ok(WiegandFrame {
                bits: card,
                at: last_end
            }))
        );
    }

    #[test]
    fn single_bit_waits_the_longest_gap() {
        let mut d = decoder();
        pulse(&mut d, D1, ms(5), Duration::from_micros(50));
        assert_eq!(d.deadline(), Some(us(5_050) + Duration::from_millis(50)));
        assert_eq!(d.poll(us(55_049)), None);
        assert_eq!(
            d.poll(us(55_050)),
            Some(Ok(WiegandFrame {
                bits: bits("1"),
                at: us(5_050)
            }))
        );
    }

    #[test]
    fn gap_is_clamped_to_min_gap_for_fast_readers() {
        let mut d = decoder();
        let fast =
            WiegandTiming::new(Duration::from_micros(20), Duration::from_micros(200)).unwrap();
        let last_end = send(&mut d, fast, bits("1010"), ms(0));
        // 3 × 0.2 ms = 0.6 ms, below the 1 ms floor.
        assert_eq!(d.deadline(), Some(last_end + Duration::from_millis(1)));
    }

    #[test]
    fn noise_pulse_shorter_than_min_width_is_dropped() {
        let mut d = decoder();
        let timing = WiegandTiming::STANDARD;
        let card = h10301(1, 1);
        // A 2 µs glitch on D1 between every two bits.
        for (i, (line, edge, at)) in timing.edges(card, ms(0)).enumerate() {
            d.edge(line, edge, at);
            if edge == PulseEnd && i + 1 < card.len() * 2 {
                pulse(
                    &mut d,
                    D1,
                    at + Duration::from_millis(1),
                    Duration::from_micros(2),
                );
            }
        }
        assert_eq!(d.poll(ms(1_000)).unwrap().unwrap().bits, card);
        assert_eq!(d.noise_pulses(), 25);
    }

    #[test]
    fn noise_does_not_hold_a_frame_or_start_one() {
        let mut d = decoder();
        pulse(&mut d, D0, ms(0), Duration::from_micros(5));
        assert_eq!(d.deadline(), None);
        assert_eq!(d.poll(ms(100)), None);
        assert_eq!(d.noise_pulses(), 1);
    }

    #[test]
    fn line_held_low_is_reported_once_and_not_decoded() {
        let mut d = decoder();
        pulse(&mut d, D1, ms(0), Duration::from_micros(50));
        pulse(&mut d, D0, ms(2), Duration::from_micros(50));
        d.edge(D0, PulseStart, ms(4));
        assert_eq!(d.deadline(), Some(ms(9)));
        assert_eq!(d.poll(ms(8)), None);
        let e = d.poll(ms(9)).unwrap().unwrap_err();
        assert_eq!(
            e,
            FrameError::LineHeldLow {
                line: D0,
                since: ms(4)
            }
        );
        assert_eq!(
            e.to_string(),
            "wiegand line D0 held low since 0.004000s: shorted line or unpowered reader"
        );
        assert_eq!(d.poll(ms(100)), None, "reported once, the two bits dropped");
        assert_eq!(d.deadline(), None);
        // Released: the release is not a bit, and the next card decodes.
        d.edge(D0, PulseEnd, ms(200));
        assert_eq!(d.poll(ms(300)), None);
        let card = h10301(2, 2);
        send(&mut d, WiegandTiming::STANDARD, card, ms(400));
        assert_eq!(d.poll(ms(600)).unwrap().unwrap().bits, card);
    }

    #[test]
    fn a_pulse_ending_after_max_pulse_is_a_fault_even_without_poll() {
        let mut d = decoder();
        pulse(&mut d, D1, ms(0), Duration::from_millis(7));
        assert_eq!(
            d.poll(ms(7)),
            Some(Err(FrameError::LineHeldLow {
                line: D1,
                since: ms(0)
            }))
        );
        assert_eq!(d.poll(ms(100)), None);
    }

    #[test]
    fn both_lines_low_aborts_the_frame() {
        let mut d = decoder();
        pulse(&mut d, D1, ms(0), Duration::from_micros(50));
        d.edge(D0, PulseStart, ms(2));
        d.edge(D1, PulseStart, us(2_010));
        assert_eq!(
            d.poll(us(2_010)),
            Some(Err(FrameError::BothLinesLow { at: us(2_010) }))
        );
        d.edge(D0, PulseEnd, us(2_050));
        d.edge(D1, PulseEnd, us(2_060));
        assert_eq!(
            d.poll(ms(1_000)),
            None,
            "neither the first bit nor the releases"
        );
        assert_eq!(
            FrameError::BothLinesLow { at: ms(2) }.to_string(),
            "both wiegand lines low at 0.002000s: shorted lines or unpowered reader"
        );
    }

    #[test]
    fn more_than_128_bits_is_too_long_with_the_count() {
        let mut d = decoder();
        let timing = WiegandTiming::STANDARD;
        let mut end = Timestamp::ZERO;
        for i in 0..130u64 {
            let start = Timestamp::from_millis(2 * i);
            pulse(&mut d, D0, start, timing.pulse_width());
            end = start + timing.pulse_width();
        }
        let e = d.poll(ms(10_000)).unwrap().unwrap_err();
        assert_eq!(e, FrameError::TooLong { bits: 130, at: end });
        assert_eq!(
            e.to_string(),
            "wiegand frame of 130 bits is longer than the 128 bits supported"
        );
    }

    #[test]
    fn frames_fed_late_are_queued_in_order() {
        let mut d = decoder();
        let (a, b, c) = (h10301(1, 1), h10301(2, 2), h10301(3, 3));
        let t = WiegandTiming::STANDARD;
        let end_a = send(&mut d, t, a, ms(0));
        let end_b = send(&mut d, t, b, ms(100));
        let end_c = send(&mut d, t, c, ms(200));
        assert!(d.deadline().unwrap() <= end_a + Duration::from_millis(6));
        assert_eq!(d.poll(ms(0)), Some(Ok(WiegandFrame { bits: a, at: end_a })));
        assert_eq!(d.poll(ms(0)), Some(Ok(WiegandFrame { bits: b, at: end_b })));
        assert_eq!(d.poll(ms(0)), None, "the last frame is not over yet");
        assert_eq!(
            d.poll(ms(300)),
            Some(Ok(WiegandFrame { bits: c, at: end_c }))
        );
        assert_eq!(d.dropped_reports(), 0);
    }

    #[test]
    fn a_full_queue_drops_the_oldest_reports_and_counts_them() {
        let mut d = decoder();
        for i in 0..REPORT_QUEUE_LEN as u64 + 3 {
            pulse(&mut d, D1, ms(100 * i), Duration::from_micros(50));
        }
        assert_eq!(d.dropped_reports(), 2);
        let first = d.poll(ms(0)).unwrap().unwrap();
        assert_eq!(first.at, us(200_050));
    }

    #[test]
    fn stray_and_out_of_order_edges_do_not_panic_or_decode() {
        let mut d = decoder();
        d.edge(D0, PulseEnd, ms(5));
        d.edge(D1, PulseStart, ms(6));
        d.edge(D1, PulseStart, ms(6));
        d.edge(D1, PulseEnd, ms(3)); // older: taken as 6 ms, a zero-width pulse
        assert_eq!(d.stray_edges(), 2);
        assert_eq!(d.noise_pulses(), 1);
        assert_eq!(d.poll(ms(1_000)), None);
    }

    #[test]
    fn config_errors_name_the_field_value_and_range() {
        let cases = [
            (
                DecoderConfig {
                    min_pulse: Duration::from_millis(6),
                    ..DecoderConfig::STANDARD
                },
                "wiegand min_pulse 6ms is outside 0µs..=5ms",
            ),
            (
                DecoderConfig {
                    min_pulse: Duration::from_millis(2),
                    max_pulse: Duration::from_millis(1),
                    ..DecoderConfig::STANDARD
                },
                "wiegand min_pulse 2ms is not shorter than max_pulse 1ms",
            ),
            (
                DecoderConfig {
                    max_pulse: Duration::from_micros(100),
                    ..DecoderConfig::STANDARD
                },
                "wiegand max_pulse 100µs is outside 200µs..=1s",
            ),
            (
                DecoderConfig {
                    gap_factor: 1,
                    ..DecoderConfig::STANDARD
                },
                "wiegand gap_factor 1 is outside 2..=20",
            ),
            (
                DecoderConfig {
                    min_gap: Duration::from_micros(50),
                    ..DecoderConfig::STANDARD
                },
                "wiegand min_gap 50µs is outside 100µs..=1s",
            ),
            (
                DecoderConfig {
                    max_gap: Duration::from_secs(2),
                    ..DecoderConfig::STANDARD
                },
                "wiegand max_gap 2s is outside 100µs..=1s",
            ),
            (
                DecoderConfig {
                    min_gap: Duration::from_millis(60),
                    ..DecoderConfig::STANDARD
                },
                "wiegand min_gap 60ms is longer than max_gap 50ms",
            ),
        ];
        for (config, message) in cases {
            assert_eq!(Decoder::new(config).unwrap_err().to_string(), message);
        }
        assert!(Decoder::new(DecoderConfig::default()).is_ok());
    }

    #[test]
    fn gap_factor_two_decides_a_standard_card_in_four_ms() {
        let config = DecoderConfig {
            gap_factor: 2,
            ..DecoderConfig::STANDARD
        };
        let mut d = Decoder::new(config).unwrap();
        let last_end = send(&mut d, WiegandTiming::STANDARD, h10301(1, 1), ms(0));
        assert_eq!(d.deadline(), Some(last_end + Duration::from_millis(4)));
    }
}
