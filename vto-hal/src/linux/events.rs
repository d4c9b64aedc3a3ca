//! Reading edge events from a request without losing any.
//!
//! gpiocdev 0.8's `Request::read_edge_event` (uAPI v2 build) reads into a buffer of
//! `size_of::<LineEdgeEvent>()` **u64s**, i.e. room for eight events, and returns only the
//! first: up to seven edges vanish per read whenever several are queued. So events are
//! read here in batches through `read_edge_events_into_slice` and handed out one by one.

use gpiocdev::line::EdgeEvent;
use gpiocdev::Request;

/// Events read from the kernel in one `read(2)`, not yet handed out.
#[derive(Debug)]
pub(crate) struct EdgeEvents {
    buf: Vec<u64>,
    event_words: usize,
    filled: usize,
    read: usize,
}

impl EdgeEvents {
    /// A buffer for up to `capacity` events of `req`.
    pub(crate) fn new(req: &Request, capacity: usize) -> Self {
        let event_words = req.edge_event_u64_size().max(1);
        Self {
            buf: vec![0; event_words * capacity.max(1)],
            event_words,
            filled: 0,
            read: 0,
        }
    }

    /// The next event, reading from the kernel only if the buffer is empty and the kernel
    /// has one; `None` without blocking if there is none.
    pub(crate) fn next(&mut self, req: &Request) -> Result<Option<EdgeEvent>, gpiocdev::Error> {
        if self.read >= self.filled {
            if !req.has_edge_event()? {
                return Ok(None);
            }
            self.filled = req.read_edge_events_into_slice(&mut self.buf)?;
            self.read = 0;
        }
        let end = self.read + self.event_words;
        let Some(words) = self.buf.get(self.read..end.min(self.filled)) else {
            return Ok(None);
        };
        self.read = end;
        req.edge_event_from_slice(words).map(Some)
    }
}
