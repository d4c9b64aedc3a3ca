//! Sound placed on the simulation clock, sample by sample.

use std::collections::VecDeque;

use crate::time::Timestamp;

/// The index of the first sample at or after `t` in a stream of `rate` samples per second
/// counted from the clock's origin.
pub(super) fn index_at(t: Timestamp, rate: u32) -> u64 {
    let n = (u128::from(t.as_nanos()) * u128::from(rate)).div_ceil(1_000_000_000);
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// When sample `n` of a stream of `rate` samples per second happens.
pub(super) fn time_of(n: u64, rate: u32) -> Timestamp {
    let nanos = u128::from(n) * 1_000_000_000 / u128::from(rate.max(1));
    Timestamp::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// How many samples of a stream are complete at `t`: sample `k` is complete once the
/// time of sample `k + 1` has come.
pub(super) fn captured_by(t: Timestamp, rate: u32) -> u64 {
    let next = index_at(t, rate);
    if time_of(next, rate) == t {
        next
    } else {
        next.saturating_sub(1)
    }
}

/// Runs of interleaved samples at sample indices; what is not covered is silence.
#[derive(Debug)]
pub(super) struct Timeline {
    channels: usize,
    /// (index of the first sample frame, interleaved samples), in order, not overlapping.
    runs: VecDeque<(u64, Vec<i16>)>,
}

impl Timeline {
    pub(super) fn new(channels: usize) -> Self {
        Self {
            channels: channels.max(1),
            runs: VecDeque::new(),
        }
    }

    /// The index just after the last sample, if there is any.
    pub(super) fn end(&self) -> Option<u64> {
        self.runs
            .back()
            .map(|(start, s)| start + (s.len() / self.channels) as u64)
    }

    /// The index of the first sample, if there is any.
    pub(super) fn start(&self) -> Option<u64> {
        self.runs.front().map(|(start, _)| *start)
    }

    /// Appends `samples` at `start`, which must not be before [`end`](Self::end).
    pub(super) fn push(&mut self, start: u64, samples: &[i16]) {
        let start = start.max(self.end().unwrap_or(0));
        match self.runs.back_mut() {
            Some((s, run)) if *s + (run.len() / self.channels) as u64 == start => {
                run.extend_from_slice(samples)
            }
            _ => self.runs.push_back((start, samples.to_vec())),
        }
    }

    /// Fills `out` with the samples from index `start` on, silence where there are none.
    pub(super) fn read(&self, start: u64, out: &mut [i16]) {
        out.fill(0);
        let frames = (out.len() / self.channels) as u64;
        let end = start + frames;
        for (run_start, run) in &self.runs {
            let run_end = run_start + (run.len() / self.channels) as u64;
            if run_end <= start || *run_start >= end {
                continue;
            }
            let from = start.max(*run_start);
            let to = end.min(run_end);
            let src = ((from - run_start) as usize) * self.channels;
            let dst = ((from - start) as usize) * self.channels;
            let len = ((to - from) as usize) * self.channels;
            out[dst..dst + len].copy_from_slice(&run[src..src + len]);
        }
    }

    /// Drops the samples before `index`, once more than `slack` of them have piled up
    /// (so trimming a long run costs one copy per `slack` samples, not one per write).
    pub(super) fn trim_before(&mut self, index: u64, slack: u64) {
        if self.start().is_none_or(|s| s + slack >= index) {
            return;
        }
        self.forget_before(index);
        if let Some((start, run)) = self.runs.front_mut() {
            if *start < index {
                let cut = usize::try_from(index - *start).unwrap_or(usize::MAX) * self.channels;
                run.drain(..cut.min(run.len()));
                *start = index;
            }
        }
    }

    /// Drops runs that end before `index`.
    pub(super) fn forget_before(&mut self, index: u64) {
        while let Some((s, run)) = self.runs.front() {
            if s + (run.len() / self.channels) as u64 <= index {
                self.runs.pop_front();
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_indices_and_times_agree() {
        for n in [0u64, 1, 159, 160, 47_999, 1 << 40] {
            for rate in [8000, 16000, 48000] {
                assert_eq!(index_at(time_of(n, rate), rate), n);
            }
        }
        assert_eq!(time_of(160, 8000), Timestamp::from_millis(20));
        assert_eq!(captured_by(Timestamp::from_millis(20), 8000), 160);
        assert_eq!(captured_by(Timestamp::from_micros(20_100), 8000), 160);
        assert_eq!(captured_by(Timestamp::from_micros(19_999), 8000), 159);
    }

    #[test]
    fn gaps_between_runs_read_as_silence() {
        let mut t = Timeline::new(1);
        t.push(2, &[1, 2]);
        t.push(4, &[3]);
        t.push(7, &[4]);
        let mut out = [9; 8];
        t.read(1, &mut out);
        assert_eq!(out, [0, 1, 2, 3, 0, 0, 4, 0]);
        assert_eq!(t.end(), Some(8));
        t.forget_before(5);
        assert_eq!(t.start(), Some(7));
    }
}
