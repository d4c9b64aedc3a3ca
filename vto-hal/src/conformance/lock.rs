use crate::lock::{Lock, RelayState};

/// A lock under test, and a view of what its relay really does.
pub trait LockRig {
    /// The lock under test.
    type Lock: Lock;
    /// The lock, freshly created by the backend.
    fn lock(&mut self) -> &mut Self::Lock;
    /// The relay as seen from outside: the simulation's probe, the line level that the
    /// kernel's gpio-sim shows in sysfs.
    fn observed(&mut self) -> RelayState;
}

/// A lock starts released, follows every command, and reports what it does.
pub fn lock_suite<R: LockRig>(rig: &mut R) {
    assert_eq!(
        rig.observed(),
        RelayState::Released,
        "a new lock must start released (locked)"
    );
    assert_eq!(
        rig.lock().state().ok(),
        Some(RelayState::Released),
        "a new lock must report released"
    );

    rig.lock().energize().expect("energize");
    assert_eq!(
        rig.observed(),
        RelayState::Energized,
        "energize must energise the relay"
    );
    assert_eq!(
        rig.lock().state().ok(),
        Some(RelayState::Energized),
        "state must report energized"
    );

    rig.lock().energize().expect("energize twice");
    assert_eq!(
        rig.observed(),
        RelayState::Energized,
        "energize twice must keep it energised"
    );

    rig.lock().release().expect("release");
    assert_eq!(
        rig.observed(),
        RelayState::Released,
        "release must release the relay"
    );
    assert_eq!(
        rig.lock().state().ok(),
        Some(RelayState::Released),
        "state must report released"
    );

    for _ in 0..3 {
        rig.lock()
            .set(RelayState::Energized)
            .expect("set energized");
        rig.lock().set(RelayState::Released).expect("set released");
    }
    assert_eq!(
        rig.observed(),
        RelayState::Released,
        "the relay must end where it was last told"
    );
}
