use std::collections::VecDeque;
use std::sync::Arc;

use super::waiter::Shared;
use super::{SimClock, SimError};
use crate::error::ErrorType;
use crate::time::{Clock, Duration, Timestamp};
use crate::wiegand::{
    Bits, Credential, DataLine, Decoder, DecoderConfig, DecoderConfigError, Edge, Format,
    FormatError, WiegandFrame, WiegandReader, WiegandTiming, WiegandWriter,
};

/// Quiet time the simulated card holder leaves between two frames: a real reader sends a
/// card at most every few hundred milliseconds.
pub const FRAME_SPACING: Duration = Duration::from_millis(100);

/// A glitch on a data line: 2 µs, far below any pulse a reader sends.
const GLITCH_WIDTH: Duration = Duration::from_micros(2);

#[derive(Debug)]
struct Wire {
    /// Edges the card holder put on D0/D1, in time order, not yet seen by the reader.
    edges: VecDeque<(DataLine, Edge, Timestamp)>,
    /// When the last scheduled edge happens.
    busy_until: Timestamp,
    timing: WiegandTiming,
    unplugged: bool,
    /// A glitch between every two bits of every frame.
    noisy: bool,
}

/// A simulated Wiegand reader: edges go through the real [`Decoder`].
#[derive(Debug)]
pub struct SimWiegandReader {
    shared: Arc<Shared<Wire>>,
    clock: SimClock,
    decoder: Decoder,
}

/// The card holder in front of a [`SimWiegandReader`], and the fault injector of its lines.
#[derive(Debug, Clone)]
pub struct ReaderControl {
    shared: Arc<Shared<Wire>>,
    clock: SimClock,
}

pub(super) fn reader_pair(
    clock: SimClock,
    config: DecoderConfig,
    timing: WiegandTiming,
) -> Result<(SimWiegandReader, ReaderControl), DecoderConfigError> {
    let decoder = Decoder::new(config)?;
    let wire = Wire {
        edges: VecDeque::new(),
        busy_until: Timestamp::ZERO,
        timing,
        unplugged: false,
        noisy: false,
    };
    let shared = Arc::new(Shared::new(wire));
    Ok((
        SimWiegandReader {
            shared: shared.clone(),
            clock: clock.clone(),
            decoder,
        },
        ReaderControl { shared, clock },
    ))
}

impl ReaderControl {
    /// Puts `bits` on the lines as one frame, after anything already under way.
    pub fn send(&self, bits: &Bits) {
        let now = self.clock.now();
        self.shared.update(|wire| {
            let start = if wire.edges.is_empty() && wire.busy_until <= now {
                now.max(wire.busy_until + FRAME_SPACING)
            } else {
                wire.busy_until + FRAME_SPACING
            };
            let half = wire.timing.interval() / 2;
            for (i, (line, edge, at)) in wire.timing.edges(*bits, start).enumerate() {
                wire.edges.push_back((line, edge, at));
                wire.busy_until = at;
                let last = i + 1 == bits.len() * 2;
                if wire.noisy && edge == Edge::PulseEnd && !last {
                    let t = at + half;
                    wire.edges.push_back((DataLine::D0, Edge::PulseStart, t));
                    wire.edges
                        .push_back((DataLine::D0, Edge::PulseEnd, t + GLITCH_WIDTH));
                }
            }
        });
    }

    /// Presents a credential encoded in `format`.
    pub fn present(&self, format: Format, credential: &Credential) -> Result<(), FormatError> {
        self.send(&format.encode(credential)?);
        Ok(())
    }

    /// Puts one 2 µs pulse on D1: noise, not a bit.
    pub fn glitch(&self) {
        let now = self.clock.now();
        self.shared.update(|wire| {
            let t = now.max(wire.busy_until + FRAME_SPACING / 2);
            wire.edges.push_back((DataLine::D1, Edge::PulseStart, t));
            wire.edges
                .push_back((DataLine::D1, Edge::PulseEnd, t + GLITCH_WIDTH));
            wire.busy_until = t + GLITCH_WIDTH;
        });
    }

    /// From now on, adds a glitch between every two bits of each frame (a noisy cable).
    pub fn set_noisy(&self, noisy: bool) {
        self.shared.update(|wire| wire.noisy = noisy);
    }

    /// Pulls the reader's cable out.
    pub fn unplug(&self) {
        self.shared.update(|wire| wire.unplugged = true);
    }

    /// Plugs the reader back in.
    pub fn plug(&self) {
        self.shared.update(|wire| wire.unplugged = false);
    }

    /// When everything sent so far is on the wire.
    pub fn idle_at(&self) -> Timestamp {
        self.shared.lock().busy_until
    }
}

impl ErrorType for SimWiegandReader {
    type Error = SimError;
}

impl WiegandReader for SimWiegandReader {
    fn read_frame(&mut self, timeout: Duration) -> Result<Option<WiegandFrame>, SimError> {
        let shared = self.shared.clone();
        let end = self.clock.now() + timeout;
        let mut wire = shared.lock();
        loop {
            if wire.unplugged {
                wire.edges.clear();
                return Err(SimError::Disconnected("wiegand reader"));
            }
            let now = self.clock.now();
            while let Some(&(line, edge, at)) = wire.edges.front() {
                if at > now {
                    break;
                }
                wire.edges.pop_front();
                self.decoder.edge(line, edge, at);
            }
            if let Some(result) = self.decoder.poll(now) {
                return result.map(Some).map_err(SimError::Frame);
            }
            if now >= end {
                return Ok(None);
            }
            let next_edge = wire.edges.front().map(|(_, _, t)| *t);
            let wake = [next_edge, self.decoder.deadline(), Some(end)]
                .into_iter()
                .flatten()
                .min();
            wire = shared.wait_until(wire, &self.clock, wake.unwrap_or(end));
        }
    }
}

#[derive(Debug, Default)]
struct Sent {
    frames: Vec<(Timestamp, Bits)>,
    unplugged: bool,
}

/// A simulated Wiegand output.
#[derive(Debug)]
pub struct SimWiegandWriter {
    shared: Arc<Shared<Sent>>,
    clock: SimClock,
    timing: WiegandTiming,
}

/// What a [`SimWiegandWriter`] sent, as the access controller at the other end saw it.
#[derive(Debug, Clone)]
pub struct WriterProbe {
    shared: Arc<Shared<Sent>>,
}

pub(super) fn writer_pair(
    clock: SimClock,
    timing: WiegandTiming,
) -> (SimWiegandWriter, WriterProbe) {
    let shared = Arc::new(Shared::new(Sent::default()));
    (
        SimWiegandWriter {
            shared: shared.clone(),
            clock,
            timing,
        },
        WriterProbe { shared },
    )
}

impl ErrorType for SimWiegandWriter {
    type Error = SimError;
}

impl WiegandWriter for SimWiegandWriter {
    /// Records the frame; a manual clock moves on by the frame's length on the wire.
    fn write_frame(&mut self, bits: &Bits) -> Result<(), SimError> {
        let start = self.clock.now();
        if self.shared.lock().unplugged {
            return Err(SimError::Disconnected("wiegand output"));
        }
        let length = self.timing.interval() * bits.len().saturating_sub(1) as u32
            + self.timing.pulse_width();
        self.clock.advance(length);
        self.shared.update(|s| s.frames.push((start, *bits)));
        Ok(())
    }
}

impl WriterProbe {
    /// Every frame sent, with the time its first pulse started.
    pub fn frames(&self) -> Vec<(Timestamp, Bits)> {
        self.shared.lock().frames.clone()
    }

    /// Cuts the output's cable: writes fail as disconnected.
    pub fn unplug(&self) {
        self.shared.update(|s| s.unplugged = true);
    }

    /// Reconnects it.
    pub fn plug(&self) {
        self.shared.update(|s| s.unplugged = false);
    }
}
