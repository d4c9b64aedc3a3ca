//! Safety invariants of the access engine over random sequences of inputs, and replay.
//!
//! - a relay is never energized past its unlock period unless a fire alarm or the
//!   door-sensor rule (check on, door still open) holds it;
//! - during a fire alarm every door is open;
//! - a lost or expired card never opens a door;
//! - the lockout always engages at the N-th counted failure inside the window;
//! - the relay commands the app received always match the engine's own state;
//! - a log of (time, input) replays to exactly the same outputs, however often the
//!   original run polled its deadlines.

mod common;

use common::*;
use proptest::prelude::*;
use vto_core::access::*;
use vto_core::time::{Duration, Instant};
use vto_hal::{DoorState, FireAlarmState};

/// Cards 0..=3 normal, 4 lost, 5 expired, 6 main, 7..=9 unknown.
fn pool() -> Vec<Card> {
    let mut cards: Vec<Card> = (0..4).map(|n| card(n, 101, CardState::Normal)).collect();
    cards.push(card(4, 101, CardState::Lost));
    let mut expired = card(5, 101, CardState::Normal);
    expired.validity = Validity {
        from: UnixTime(0),
        until: UnixTime(1_000),
    };
    cards.push(expired);
    cards.push(card(6, 101, CardState::Main));
    cards
}

const LOST: u64 = 4;
const EXPIRED: u64 = 5;

#[derive(Debug, Clone)]
enum Step {
    Wait(u64),
    Swipe(u8, u64),
    Exit,
    Remote(DoorId),
    Door(DoorId, DoorState),
    Fire(DoorId, FireAlarmState),
    Settings(u8),
    /// Call `handle_timeout` at an arbitrary time (the app's loop waking early).
    Poll(u64),
}

fn door() -> impl Strategy<Value = DoorId> {
    prop_oneof![Just(DoorId::Local), Just(DoorId::Rs485)]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u64..40_000).prop_map(Step::Wait),
        6 => (0u8..2, 0u64..10).prop_map(|(r, c)| Step::Swipe(r, c)),
        1 => Just(Step::Exit),
        1 => door().prop_map(Step::Remote),
        3 => (door(), prop_oneof![Just(DoorState::Open), Just(DoorState::Closed)])
            .prop_map(|(d, s)| Step::Door(d, s)),
        1 => (door(), prop_oneof![Just(FireAlarmState::Alarm), Just(FireAlarmState::Normal)])
            .prop_map(|(d, s)| Step::Fire(d, s)),
        1 => (0u8..6).prop_map(Step::Settings),
        1 => (0u64..5_000).prop_map(Step::Poll),
    ]
}

/// A handful of valid settings: periods, sensor checks and fire modes in combination.
fn settings(n: u8) -> AccessSettings {
    let mut s = AccessSettings::default();
    s.local.responding_interval = secs(1);
    s.rs485.responding_interval = secs(3);
    match n {
        0 => {}
        1 => {
            s.local.unlock_period = secs(10);
            s.local.door_sensor_check = Some(secs(12));
        }
        2 => {
            s.local.fire_alarm = true;
            s.rs485.unlock_period = secs(1);
        }
        3 => {
            s.rs485.fire_alarm = true;
            s.rs485.door_sensor_sync = true;
            s.local.door_sensor_check = Some(secs(2));
        }
        4 => {
            s.local.unlock_period = secs(20);
            s.rs485.unlock_period = secs(20);
            s.rs485.door_sensor_check = Some(secs(300));
            s.non_remote_lock = NonRemoteLock::Rs485;
        }
        _ => {
            s.local.unlock_period = secs(1);
            s.local.door_sensor_sync = true;
        }
    }
    s
}

/// What the test knows independently of the engine.
struct Model {
    last_grant: [Option<Instant>; 2],
    contact: [Option<DoorState>; 2],
    fire_alarms: usize,
    relay: [bool; 2],
    failures: [Vec<Instant>; 2],
}

fn check(b: &Bench, model: &mut Model, seen: &mut usize) -> Result<(), TestCaseError> {
    let settings = *b.access.settings().get();
    let lockout = settings.lockout;
    // Outputs in order, with the model updated as the app would see them.
    for (t, out) in &b.outputs[*seen..] {
        match out {
            Output::EnergizeLock { door, .. } => model.relay[door.index()] = true,
            Output::ReleaseLock(door) => model.relay[door.index()] = false,
            Output::RaiseAlarm(Alarm::Fire(_)) => model.fire_alarms += 1,
            Output::ClearAlarm(Alarm::Fire(_)) => model.fire_alarms -= 1,
            Output::RecordEvent(AccessEvent {
                kind: EventKind::Decision(d),
                ..
            }) => {
                if let Outcome::Granted(door) = d.outcome {
                    if let Method::Card(c) = d.method {
                        prop_assert!(
                            c.number.0 != LOST && c.number.0 != EXPIRED,
                            "{c} opened {door}"
                        );
                    }
                    if model.fire_alarms == 0 {
                        model.last_grant[door.index()] = Some(*t);
                    }
                    if let Some(r) = d.reader {
                        model.failures[r.index()].clear();
                    }
                }
                if let (Outcome::Denied(reason), Some(r)) = (d.outcome, d.reader) {
                    if reason.counts_as_failure() {
                        let fails = &mut model.failures[r.index()];
                        fails.retain(|f| *t - *f < lockout.window);
                        fails.push(*t);
                        if fails.len() >= usize::from(lockout.max_failures) {
                            fails.clear();
                            // The engine must be locked now (checked below at this time).
                            prop_assert!(
                                b.outputs.iter().any(|(t2, o)| t2 == t
                                    && *o == Output::RaiseAlarm(Alarm::ReaderLockedOut(r))),
                                "{} failures at {r} did not lock it out",
                                lockout.max_failures
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
    *seen = b.outputs.len();
    for door in DoorId::ALL {
        let i = door.index();
        let energized = b.access.is_energized(door);
        prop_assert_eq!(
            energized,
            model.relay[i],
            "the app's relay and the engine disagree on {}",
            door
        );
        if model.fire_alarms > 0 {
            prop_assert!(energized, "fire alarm, but {} is locked", door);
            continue;
        }
        if !energized {
            continue;
        }
        let lock = b.access.settings().lock(door);
        let within = model.last_grant[i].is_some_and(|g| b.now < g + lock.unlock_period);
        let sensor_holds =
            lock.door_sensor_check.is_some() && model.contact[i] == Some(DoorState::Open);
        prop_assert!(
            within || sensor_holds,
            "{} energized at {:?}, last grant {:?}, period {:?}",
            door,
            b.now,
            model.last_grant[i],
            lock.unlock_period
        );
    }
    Ok(())
}

fn run(steps: &[Step]) -> Result<(Bench, Vec<(Instant, Input)>), TestCaseError> {
    let mut b = Bench::new(settings(0));
    let mut log = Vec::new();
    let mut model = Model {
        last_grant: [None; 2],
        contact: [None; 2],
        fire_alarms: 0,
        relay: [false; 2],
        failures: [Vec::new(), Vec::new()],
    };
    let mut seen = 0;
    let feed = |b: &mut Bench, log: &mut Vec<(Instant, Input)>, input: Input| {
        log.push((b.now, input.clone()));
        b.input(input);
    };
    feed(
        &mut b,
        &mut log,
        Input::CredentialsChanged(CredentialChange::CardsReplaced(pool())),
    );
    feed(
        &mut b,
        &mut log,
        Input::WallClockSet {
            unix: UnixTime(1_700_000_000),
        },
    );
    check(&b, &mut model, &mut seen)?;
    for step in steps {
        match step {
            Step::Wait(ms) => {
                // Check at every deadline on the way, not only at the end.
                let to = b.now + Duration::from_millis(*ms);
                while let Some(d) = b.access.poll_timeout().filter(|d| *d <= to) {
                    b.advance_to(d);
                    check(&b, &mut model, &mut seen)?;
                }
                b.advance_to(to);
            }
            Step::Poll(ms) => {
                let t = b.now + Duration::from_millis(*ms);
                b.access.handle_timeout(t);
                b.now = t;
                while let Some(o) = b.access.poll_output() {
                    b.outputs.push((t, o));
                }
            }
            Step::Swipe(r, c) => feed(
                &mut b,
                &mut log,
                Input::CardPresented {
                    reader: ReaderId::new(*r).unwrap(),
                    card: CardId::new(1, *c),
                },
            ),
            Step::Exit => feed(&mut b, &mut log, Input::ExitButtonPressed),
            Step::Remote(door) => feed(
                &mut b,
                &mut log,
                Input::RemoteUnlockRequested {
                    door: *door,
                    source: RemoteSource::Web,
                },
            ),
            Step::Door(door, state) => {
                if !b.access.settings().lock(*door).fire_alarm {
                    model.contact[door.index()] = Some(*state);
                }
                feed(
                    &mut b,
                    &mut log,
                    Input::DoorContactChanged {
                        door: *door,
                        state: *state,
                    },
                )
            }
            Step::Fire(door, state) => feed(
                &mut b,
                &mut log,
                Input::FireAlarmChanged {
                    door: *door,
                    state: *state,
                },
            ),
            Step::Settings(n) => {
                let new = settings(*n);
                for door in DoorId::ALL {
                    let (old, next) = (b.access.settings().lock(door), new_lock(&new, door));
                    if old.fire_alarm != next.fire_alarm || old.contact != next.contact {
                        // The port is rewired: its old state no longer applies.
                        model.contact[door.index()] = None;
                    }
                }
                feed(
                    &mut b,
                    &mut log,
                    Input::SettingsChanged(new.validate().unwrap()),
                )
            }
        }
        check(&b, &mut model, &mut seen)?;
    }
    Ok((b, log))
}

fn new_lock(s: &AccessSettings, door: DoorId) -> LockSettings {
    match door {
        DoorId::Local => s.local,
        DoorId::Rs485 => s.rs485,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn safety_invariants_hold_for_any_sequence(steps in prop::collection::vec(step(), 1..120)) {
        run(&steps)?;
    }

    #[test]
    fn a_log_of_inputs_replays_to_the_same_outputs(steps in prop::collection::vec(step(), 1..80)) {
        let (original, log) = run(&steps)?;
        // Replay: only the inputs at their times, no deadline polling in between.
        let mut replay = AccessControl::new(settings(0).validate().unwrap(), Instant::ZERO);
        let mut outputs = Vec::new();
        for (t, input) in log {
            replay.handle_input(t, input);
            while let Some(o) = replay.poll_output() {
                outputs.push(o);
            }
        }
        replay.handle_timeout(original.now);
        while let Some(o) = replay.poll_output() {
            outputs.push(o);
        }
        let expected: Vec<Output> = original.outputs.iter().map(|(_, o)| *o).collect();
        prop_assert_eq!(outputs, expected);
    }
}

#[test]
fn fire_mode_always_opens_whatever_the_doors_were_doing() {
    // The exhaustive small case behind the property: every state a door can be in when
    // the alarm comes.
    for contact_first in [None, Some(DoorState::Open), Some(DoorState::Closed)] {
        for unlocked in [false, true] {
            let mut s = AccessSettings::default();
            s.rs485.fire_alarm = true;
            s.local.door_sensor_check = Some(secs(5));
            let mut b = Bench::new(s);
            if let Some(state) = contact_first {
                b.door(DoorId::Local, state);
            }
            if unlocked {
                b.input(Input::ExitButtonPressed);
            }
            b.advance(secs(3));
            b.input(Input::FireAlarmChanged {
                door: DoorId::Rs485,
                state: FireAlarmState::Alarm,
            });
            b.advance(secs(100));
            assert!(b.access.is_energized(DoorId::Local));
            assert!(b.access.is_energized(DoorId::Rs485));
        }
    }
}
