//! Backend threads: one per input or reader, blocking on the device and turning what it
//! reports into [`HwEvent`]s. Shared by every backend, so a failure is reported the same
//! way everywhere: once when it starts, not on every retry.

use std::sync::mpsc::Sender;

use vto_hal::wiegand::{format, Format};
use vto_hal::{Clock, Error, ErrorKind, Input, InputEvent, WiegandReader};

use super::{spawn_watch, HardwareError, HwEvent, StopSignal, POLL};

/// Watches `input` on a thread called `name`. Its state at start is reported first, so
/// the engine knows a door was shut before it opens (a forced door is one that goes from
/// closed to open).
pub(crate) fn input<I>(
    name: &str,
    clock: &dyn Clock,
    stop: &StopSignal,
    tx: &Sender<HwEvent>,
    mut input: I,
    event: impl Fn(InputEvent<I::State>) -> HwEvent + Send + 'static,
) where
    I: Input + Send + 'static,
{
    if let Ok(state) = input.state() {
        let _ = tx.send(event(InputEvent {
            state,
            at: clock.now(),
        }));
    }
    let part = name.to_string();
    let mut failed = false;
    spawn_watch(name, stop, tx.clone(), move |tx| {
        match input.wait_event(POLL) {
            Ok(Some(e)) => {
                failed = false;
                tx.send(event(e)).is_ok()
            }
            Ok(None) => true,
            Err(e) => report_once(&mut failed, tx, &part, &e),
        }
    });
}

/// Watches a Wiegand reader, decoding frames in `formats`. Line faults (noise, a frame
/// that is no frame) are logged and the reader carries on.
pub(crate) fn reader<R>(
    stop: &StopSignal,
    tx: &Sender<HwEvent>,
    mut reader: R,
    formats: Vec<Format>,
) where
    R: WiegandReader + Send + 'static,
{
    let mut failed = false;
    spawn_watch("wiegand", stop, tx.clone(), move |tx| {
        match reader.read_frame(POLL) {
            Ok(Some(frame)) => {
                failed = false;
                match format::decode(&frame.bits, &formats) {
                    Ok(credential) => tx
                        .send(HwEvent::Credential {
                            credential,
                            at: frame.at,
                        })
                        .is_ok(),
                    Err(e) => {
                        tracing::warn!("unreadable card frame ({} bits): {e}", frame.bits.len());
                        true
                    }
                }
            }
            Ok(None) => true,
            Err(e) if e.kind() == ErrorKind::Fault => {
                tracing::warn!("Wiegand reader: {e}");
                true
            }
            Err(e) => report_once(&mut failed, tx, "Wiegand reader", &e),
        }
    });
}

/// Reports a device failure the first time it happens and backs off; `false` once the
/// station has stopped listening.
fn report_once<E: Error>(failed: &mut bool, tx: &Sender<HwEvent>, part: &str, e: &E) -> bool {
    let first = !*failed;
    *failed = true;
    std::thread::sleep(POLL);
    !first
        || tx
            .send(HwEvent::Failed(HardwareError::from_hal(part, e)))
            .is_ok()
}
