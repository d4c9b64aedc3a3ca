//! The access-control engine driving simulated hardware in real time: a Wiegand reader,
//! a lock relay and a door contact, with a visitor script of cards and door movements.
//!
//! Wiring this stands for (see `rpi_lock_unlock.rs` and `rpi_wiegand_read.rs`):
//!
//! ```text
//!   reader D0 (green), D1 (white) ──► station GPIO inputs (via 5 V → 3.3 V level shifter)
//!   station GPIO ──► relay module IN; relay NO ── electric strike (fail-secure)
//!   door contact (NC reed, to ground) ──► station GPIO input with pull-up
//! ```
//!
//! The loop is the station's in miniature: it sleeps until the engine's next deadline,
//! the next frame from the reader or the next door change, hands each fact to the engine
//! with the hardware's timestamp, and carries out what the engine says. The relay is
//! released by the engine's deadline, never by a sleep.
//!
//! Run: `cargo run --example sim_access_card_swipe` (about 8 s).

use std::time::Duration;

use vto::core::access::*;
use vto::core::time::Instant;
use vto::hal::sim::{Sim, SimClock};
use vto::hal::wiegand::format::{self, CardNumber, FacilityCode};
use vto::hal::wiegand::{Credential, DecoderConfig, Format, WiegandTiming};
use vto::hal::{Clock, DoorState, Input as _, Lock, WiegandReader};

/// A visitor's action at a time after start.
enum Act {
    Card(u32, u64),
    Door(DoorState),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = Sim::new(SimClock::system());
    let (mut lock, relay) = sim.lock();
    let (mut contact, door) = sim.input(DoorState::Closed, Duration::from_millis(20))?;
    let (mut reader, holder) =
        sim.wiegand_reader(DecoderConfig::default(), WiegandTiming::default())?;

    let mut settings = AccessSettings::default();
    settings.local.unlock_period = Duration::from_secs(1);
    settings.local.responding_interval = Duration::from_secs(1);
    settings.local.door_sensor_check = Some(Duration::from_secs(5));
    settings.local.door_sensor_sync = true;
    let now = || Instant::from(sim.clock().now());
    let start = now();
    let mut access = AccessControl::new(settings.validate()?, start);
    let card = |n, room, state| Card {
        id: CardId::new(1, n),
        room: RoomNumber(room),
        owner: None,
        state,
        validity: Validity::ALWAYS,
    };
    access.handle_input(
        start,
        Input::CredentialsChanged(CredentialChange::CardsReplaced(vec![
            card(42, 101, CardState::Normal),
            card(77, 102, CardState::Lost),
            card(1, 101, CardState::Main),
        ])),
    );

    let script = [
        (300, Act::Card(1, 42)), // a resident: granted
        (600, Act::Door(DoorState::Open)),
        (2_000, Act::Door(DoorState::Closed)), // held open past the period: relocks now
        (2_500, Act::Card(1, 77)),             // a lost card: denied
        (3_000, Act::Card(2, 5)),              // a stranger's card: denied
        (3_500, Act::Card(1, 1)),              // the room's main card: issue mode
        (4_000, Act::Card(1, 900)),            // a new card: issued to room 101
        (4_500, Act::Card(1, 900)),            // ... and it opens the door
        (6_500, Act::Door(DoorState::Open)),   // the door is forced
        (7_000, Act::Door(DoorState::Closed)),
    ];
    let end = start + Duration::from_millis(7_500);
    let mut next = script.iter().peekable();
    let mut forced = false;

    while now() < end {
        // What is due from the visitor.
        while let Some((ms, act)) = next.peek() {
            if now() < start + Duration::from_millis(*ms) {
                break;
            }
            match act {
                Act::Card(fc, n) => holder.present(
                    Format::H10301,
                    &Credential::Card {
                        format: Format::H10301,
                        facility: FacilityCode(*fc),
                        number: CardNumber(*n),
                    },
                )?,
                Act::Door(state) => door.set(*state),
            }
            next.next();
        }
        // Facts from the hardware, with their own timestamps.
        if let Some(frame) = reader.read_frame(Duration::from_millis(10))? {
            if let Ok(credential) = format::decode(&frame.bits, &[Format::H10301]) {
                if let Some(card) = CardId::from_credential(&credential) {
                    let input = Input::CardPresented {
                        reader: ReaderId::BUILT_IN,
                        card,
                    };
                    access.handle_input(Instant::from(frame.at), input);
                }
            }
        }
        if let Some(event) = contact.wait_event(Duration::ZERO)? {
            let input = Input::DoorContactChanged {
                door: DoorId::Local,
                state: event.state,
            };
            access.handle_input(Instant::from(event.at), input);
        }
        access.handle_timeout(now());
        // Commands to carry out.
        while let Some(output) = access.poll_output() {
            let t = now() - start;
            match output {
                Output::EnergizeLock { .. } => lock.energize()?,
                Output::ReleaseLock(_) => lock.release()?,
                Output::IssueCard { card, room } => {
                    println!("{t:>8.3?}  issue {card} to {room}: stored");
                    let new = Card {
                        id: card,
                        room,
                        owner: None,
                        state: CardState::Normal,
                        validity: Validity::ALWAYS,
                    };
                    access.handle_input(
                        now(),
                        Input::CredentialsChanged(CredentialChange::CardUpserted(new)),
                    );
                }
                Output::RaiseAlarm(alarm) => {
                    forced |= alarm == Alarm::ForcedOpen(DoorId::Local);
                    println!("{t:>8.3?}  ALARM {alarm:?}");
                }
                Output::RecordEvent(event) => println!("{t:>8.3?}  {:?}", event.kind),
                other => println!("{t:>8.3?}  {other:?}"),
            }
        }
    }

    println!("relay energized:");
    for (at, length) in relay.energized_spans() {
        println!("  at {at} for {length:.3?}");
    }
    let spans = relay.energized_spans();
    assert_eq!(spans.len(), 2, "two grants opened the door");
    assert!(
        spans[0].1 > Duration::from_millis(1_500),
        "held until the door closed"
    );
    assert!(
        spans[1].1 < Duration::from_millis(1_200),
        "one unlock period"
    );
    assert!(forced, "the forced door raised an alarm");
    Ok(())
}
