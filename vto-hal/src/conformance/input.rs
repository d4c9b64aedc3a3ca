use crate::input::{DoorState, Input};
use crate::time::Duration;

/// A door contact under test, and a hand on its physical line.
pub trait InputRig {
    /// The input under test; its line starts with the door closed.
    type Input: Input<State = DoorState>;
    /// The input.
    fn input(&mut self) -> &mut Self::Input;
    /// Moves the line cleanly to `state`.
    fn drive(&mut self, state: DoorState);
    /// Makes the line bounce `bounces` times on its way to `state`, faster than the
    /// debounce window.
    fn bounce(&mut self, state: DoorState, bounces: u32);
    /// Pulses the line away from its state and back, shorter than the debounce window.
    fn spike(&mut self);
    /// How long to wait for an event before declaring it missing (real hardware in an
    /// emulated VM needs more than the simulation).
    fn patience(&self) -> Duration;
}

/// Changes are reported once, debounced, in order; spikes are not reported at all.
pub fn input_suite<R: InputRig>(rig: &mut R) {
    let patience = rig.patience();
    assert_eq!(
        rig.input().state().ok(),
        Some(DoorState::Closed),
        "the door starts closed"
    );
    assert_eq!(
        rig.input().wait_event(Duration::from_millis(50)).ok(),
        Some(None),
        "no event while nothing happens"
    );

    rig.drive(DoorState::Open);
    let open = rig
        .input()
        .wait_event(patience)
        .expect("wait")
        .expect("opening the door must be reported");
    assert_eq!(open.state, DoorState::Open);
    assert_eq!(
        rig.input().state().ok(),
        Some(DoorState::Open),
        "state follows the event"
    );

    rig.drive(DoorState::Closed);
    let closed = rig
        .input()
        .wait_event(patience)
        .expect("wait")
        .expect("closing the door must be reported");
    assert_eq!(closed.state, DoorState::Closed);
    assert!(
        closed.at > open.at,
        "events carry increasing edge times ({} then {})",
        open.at,
        closed.at
    );

    rig.bounce(DoorState::Open, 4);
    let bounced = rig
        .input()
        .wait_event(patience)
        .expect("wait")
        .expect("a bouncing opening must be reported");
    assert_eq!(bounced.state, DoorState::Open);
    assert_eq!(
        rig.input().wait_event(patience / 4).ok(),
        Some(None),
        "a bouncing contact must be reported once"
    );

    rig.drive(DoorState::Closed);
    let closed = rig
        .input()
        .wait_event(patience)
        .expect("wait")
        .expect("closing again");
    assert_eq!(closed.state, DoorState::Closed);

    rig.spike();
    assert_eq!(
        rig.input().wait_event(patience / 4).ok(),
        Some(None),
        "a spike shorter than the debounce window must not be reported"
    );
    assert_eq!(
        rig.input().state().ok(),
        Some(DoorState::Closed),
        "a spike leaves the door closed"
    );
}
