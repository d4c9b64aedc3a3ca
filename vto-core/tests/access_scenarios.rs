//! The manual's access-control rules (sections 4.3 and 5.2), one scenario each.

mod common;

use common::*;
use vto_core::access::*;
use vto_core::time::Instant;
use vto_hal::wiegand::format::Key;
use vto_hal::{Contact, DoorState, FireAlarmState, TamperState};

const LOCAL: DoorId = DoorId::Local;
const RS485: DoorId = DoorId::Rs485;

fn with_contact_check(check_s: u64) -> AccessSettings {
    let mut s = AccessSettings::default();
    s.local.door_sensor_check = Some(secs(check_s));
    s
}

#[test]
fn boot_configures_both_ports_and_releases_both_locks() {
    let bench = Bench::new(AccessSettings::default());
    let outs: Vec<_> = bench.outputs.iter().map(|(_, o)| *o).collect();
    for door in DoorId::ALL {
        assert!(outs.contains(&Output::ReleaseLock(door)), "{outs:?}");
        assert!(outs.contains(&Output::ConfigurePort {
            door,
            function: PortFunction::DoorContact,
            contact: Contact::NormallyClosed,
        }));
    }
    assert_eq!(bench.access.poll_timeout(), None);
}

#[test]
fn valid_card_opens_the_local_lock_for_the_unlock_period() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Normal));
    b.advance_to(at(1_000));
    b.swipe(CardId::new(1, 42));
    assert_eq!(b.last_outcome(), granted(LOCAL));
    b.advance(secs(60));
    assert_eq!(
        b.relay_commands(LOCAL)[1..],
        [(at(1_000), true), (at(3_000), false)],
        "energized at the swipe, released 2 s (the default unlock period) later"
    );
}

#[test]
fn relay_releases_at_unlock_period_even_if_door_stays_open_without_sensor_check() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Normal));
    b.door(LOCAL, DoorState::Closed);
    b.swipe(CardId::new(1, 42));
    b.door(LOCAL, DoorState::Open);
    b.advance(secs(600));
    assert_eq!(b.relay_commands(LOCAL).last(), Some(&(at(2_000), false)));
    assert!(b.alarms().is_empty(), "no alarm without the sensor check");
}

#[test]
fn unknown_card_is_denied_and_logged() {
    let mut b = Bench::new(AccessSettings::default());
    let outs = b.swipe(CardId::new(1, 7));
    assert_eq!(b.last_outcome(), denied(DenyReason::UnknownCard));
    assert!(!outs
        .iter()
        .any(|o| matches!(o, Output::EnergizeLock { .. })));
}

#[test]
fn card_on_lost_list_is_denied_and_logged_as_lost() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Lost));
    let outs = b.swipe(CardId::new(1, 42));
    assert_eq!(
        outs,
        [Output::RecordEvent(AccessEvent {
            at: Instant::ZERO,
            kind: EventKind::Decision(Decision {
                reader: Some(READER),
                method: Method::Card(CardId::new(1, 42)),
                room: Some(RoomNumber(101)),
                outcome: Outcome::Denied(DenyReason::LostCard),
            }),
        })]
    );
}

#[test]
fn expired_and_not_yet_valid_cards_are_denied_and_need_the_date() {
    let mut b = Bench::new(AccessSettings::default());
    let mut c = card(42, 101, CardState::Normal);
    c.validity = Validity {
        from: UnixTime(1_000_000),
        until: UnixTime(2_000_000),
    };
    b.add_card(c);
    b.swipe(c.id);
    assert_eq!(b.last_outcome(), denied(DenyReason::ClockNotSet));
    b.input(Input::WallClockSet {
        unix: UnixTime(999_990),
    });
    b.advance(secs(5));
    b.swipe(c.id);
    assert_eq!(b.last_outcome(), denied(DenyReason::NotYetValid));
    b.input(Input::WallClockSet {
        unix: UnixTime(1_500_000),
    });
    b.swipe(c.id);
    assert_eq!(b.last_outcome(), granted(LOCAL));
    b.input(Input::WallClockSet {
        unix: UnixTime(1_999_990),
    });
    b.advance(secs(10));
    b.swipe(c.id);
    assert_eq!(b.last_outcome(), denied(DenyReason::Expired));
}

#[test]
fn the_door_opens_again_only_after_the_responding_interval() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Normal));
    b.swipe(CardId::new(1, 42));
    b.advance(secs(14));
    b.swipe(CardId::new(1, 42));
    assert_eq!(b.last_outcome(), denied(DenyReason::RespondingInterval));
    b.input(Input::ExitButtonPressed);
    assert_eq!(b.last_outcome(), denied(DenyReason::RespondingInterval));
    b.advance(secs(1));
    b.swipe(CardId::new(1, 42));
    assert_eq!(b.last_outcome(), granted(LOCAL));
}

#[test]
fn responding_interval_denials_do_not_lock_the_reader_out() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Normal));
    for _ in 0..10 {
        b.swipe(CardId::new(1, 42));
    }
    assert!(!b.access.is_locked_out(READER));
}

#[test]
fn non_remote_methods_open_the_lock_chosen_in_the_settings() {
    let s = AccessSettings {
        non_remote_lock: NonRemoteLock::Rs485,
        ..Default::default()
    };
    let mut b = Bench::new(s);
    b.add_card(card(42, 101, CardState::Normal));
    b.swipe(CardId::new(1, 42));
    assert_eq!(b.last_outcome(), granted(RS485));
    // The exit button always opens the local lock.
    b.input(Input::ExitButtonPressed);
    assert_eq!(b.last_outcome(), granted(LOCAL));
}

#[test]
fn lock_disabled_for_non_remote_methods_denies_cards_but_not_remote_unlock() {
    let s = AccessSettings {
        non_remote_lock: NonRemoteLock::Disabled,
        ..Default::default()
    };
    let mut b = Bench::new(s);
    b.add_card(card(42, 101, CardState::Normal));
    b.swipe(CardId::new(1, 42));
    assert_eq!(b.last_outcome(), denied(DenyReason::NoLockForMethod));
    b.input(Input::RemoteUnlockRequested {
        door: RS485,
        source: RemoteSource::Monitor(RoomNumber(101)),
    });
    assert_eq!(b.last_outcome(), granted(RS485));
}

#[test]
fn each_lock_has_its_own_unlock_period() {
    let mut s = AccessSettings::default();
    s.rs485.unlock_period = secs(5);
    let mut b = Bench::new(s);
    b.input(Input::RemoteUnlockRequested {
        door: RS485,
        source: RemoteSource::Dtmf,
    });
    b.input(Input::RemoteUnlockRequested {
        door: LOCAL,
        source: RemoteSource::Web,
    });
    b.advance(secs(30));
    assert_eq!(
        b.relay_commands(RS485)[1..],
        [(at(0), true), (at(5_000), false)]
    );
    assert_eq!(
        b.relay_commands(LOCAL)[1..],
        [(at(0), true), (at(2_000), false)]
    );
}

#[test]
fn with_the_sensor_check_the_lock_waits_for_the_door_to_close() {
    let mut b = Bench::new(with_contact_check(30));
    b.door(LOCAL, DoorState::Closed);
    b.input(Input::ExitButtonPressed);
    b.advance(secs(1));
    b.door(LOCAL, DoorState::Open);
    b.advance(secs(9));
    assert!(b.access.is_energized(LOCAL), "door open: not relocked");
    let outs = b.door(LOCAL, DoorState::Closed);
    assert!(outs.contains(&Output::ReleaseLock(LOCAL)), "{outs:?}");
    assert!(b.alarms().is_empty());
}

#[test]
fn with_the_sensor_check_a_closed_door_relocks_at_the_end_of_the_period() {
    let mut b = Bench::new(with_contact_check(30));
    b.door(LOCAL, DoorState::Closed);
    b.input(Input::ExitButtonPressed);
    b.advance(secs(60));
    assert_eq!(b.relay_commands(LOCAL).last(), Some(&(at(2_000), false)));
}

#[test]
fn door_held_open_past_check_duration_raises_alarm() {
    let mut b = Bench::new(with_contact_check(30));
    b.door(LOCAL, DoorState::Closed);
    b.input(Input::ExitButtonPressed);
    b.door(LOCAL, DoorState::Open);
    b.advance(secs(29));
    assert!(b.alarms().is_empty());
    b.advance(secs(1));
    assert_eq!(b.alarms(), [Alarm::DoorHeldOpen(LOCAL)]);
    assert!(b.access.is_energized(LOCAL));
    let outs = b.door(LOCAL, DoorState::Closed);
    assert!(outs.contains(&Output::ClearAlarm(Alarm::DoorHeldOpen(LOCAL))));
    assert!(outs.contains(&Output::ReleaseLock(LOCAL)));
}

#[test]
fn door_opened_while_locked_raises_forced_open_alarm() {
    let mut s = AccessSettings::default();
    s.local.door_sensor_sync = true;
    let mut b = Bench::new(s);
    b.door(LOCAL, DoorState::Closed);
    b.door(LOCAL, DoorState::Open);
    assert_eq!(b.alarms(), [Alarm::ForcedOpen(LOCAL)]);
    let outs = b.door(LOCAL, DoorState::Closed);
    assert!(outs.contains(&Output::ClearAlarm(Alarm::ForcedOpen(LOCAL))));
}

#[test]
fn a_door_opened_during_its_unlock_is_not_forced() {
    let mut s = AccessSettings::default();
    s.local.door_sensor_sync = true;
    let mut b = Bench::new(s);
    b.door(LOCAL, DoorState::Closed);
    b.input(Input::ExitButtonPressed);
    b.door(LOCAL, DoorState::Open);
    b.advance(secs(10));
    b.door(LOCAL, DoorState::Closed);
    assert!(b.alarms().is_empty());
}

#[test]
fn without_a_door_contact_fitted_no_forced_open_alarm() {
    let mut b = Bench::new(AccessSettings::default());
    b.door(LOCAL, DoorState::Closed);
    b.door(LOCAL, DoorState::Open);
    assert!(b.alarms().is_empty());
}

#[test]
fn door_sensor_status_is_synced_to_the_monitors_on_every_change() {
    let mut s = AccessSettings::default();
    s.rs485.door_sensor_sync = true;
    let mut b = Bench::new(s);
    let outs = b.door(RS485, DoorState::Open);
    assert!(outs.contains(&Output::SyncDoorState {
        door: RS485,
        state: DoorState::Open
    }));
    assert!(
        b.door(RS485, DoorState::Open).is_empty(),
        "no change, no sync"
    );
    // Sync is per lock: the local lock's contact is not synced.
    let outs = b.door(LOCAL, DoorState::Open);
    assert!(!outs
        .iter()
        .any(|o| matches!(o, Output::SyncDoorState { .. })));
}

#[test]
fn fire_alarm_unlocks_every_door_until_it_clears() {
    let mut s = AccessSettings::default();
    s.local.fire_alarm = true;
    let mut b = Bench::new(s);
    assert!(b.outputs.iter().any(|(_, o)| *o
        == Output::ConfigurePort {
            door: LOCAL,
            function: PortFunction::FireAlarm,
            contact: Contact::NormallyClosed
        }));
    b.advance(secs(5));
    let outs = b.input(Input::FireAlarmChanged {
        door: LOCAL,
        state: FireAlarmState::Alarm,
    });
    for door in DoorId::ALL {
        assert!(outs.contains(&Output::EnergizeLock { door, until: None }));
    }
    assert_eq!(b.alarms(), [Alarm::Fire(LOCAL)]);
    b.advance(secs(3_600));
    assert!(b.access.is_energized(LOCAL) && b.access.is_energized(RS485));
    let outs = b.input(Input::FireAlarmChanged {
        door: LOCAL,
        state: FireAlarmState::Normal,
    });
    for door in DoorId::ALL {
        assert!(outs.contains(&Output::ReleaseLock(door)));
    }
}

#[test]
fn a_fire_alarm_on_a_port_not_in_fire_mode_is_ignored() {
    let mut b = Bench::new(AccessSettings::default());
    let outs = b.input(Input::FireAlarmChanged {
        door: LOCAL,
        state: FireAlarmState::Alarm,
    });
    assert!(outs.is_empty());
    assert!(!b.access.is_energized(LOCAL));
}

#[test]
fn in_fire_mode_the_port_is_no_door_contact() {
    let mut s = AccessSettings::default();
    s.local.fire_alarm = true;
    s.local.door_sensor_sync = true;
    let mut b = Bench::new(s);
    assert!(b.door(LOCAL, DoorState::Open).is_empty());
}

#[test]
fn main_card_issues_next_card_to_its_room() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(1, 101, CardState::Main));
    let main = CardId::new(1, 1);
    let new = CardId::new(1, 555);
    let outs = b.swipe(main);
    assert!(
        !outs
            .iter()
            .any(|o| matches!(o, Output::EnergizeLock { .. })),
        "a main card issues cards; it does not open the door"
    );
    assert!(outs.iter().any(|o| matches!(
        o,
        Output::RecordEvent(AccessEvent {
            kind: EventKind::IssueModeStarted {
                room: RoomNumber(101),
                ..
            },
            ..
        })
    )));
    let outs = b.swipe(new);
    assert!(outs.contains(&Output::IssueCard {
        card: new,
        room: RoomNumber(101)
    }));
    // The station stores it and tells the engine; from then on it opens the door.
    b.add_card(card(555, 101, CardState::Normal));
    b.swipe(new);
    assert_eq!(b.last_outcome(), granted(LOCAL));
    // Issue mode ended with the first card: the next unknown card is just unknown.
    b.swipe(CardId::new(1, 556));
    assert_eq!(b.last_outcome(), denied(DenyReason::UnknownCard));
}

#[test]
fn issue_mode_times_out_and_the_main_card_can_cancel_it() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(1, 101, CardState::Main));
    b.swipe(CardId::new(1, 1));
    b.advance(secs(30));
    assert!(b.outputs.iter().any(|(_, o)| matches!(
        o,
        Output::RecordEvent(AccessEvent {
            kind: EventKind::IssueModeEnded {
                how: IssueModeEnd::TimedOut,
                ..
            },
            ..
        })
    )));
    b.swipe(CardId::new(1, 9));
    assert_eq!(b.last_outcome(), denied(DenyReason::UnknownCard));

    b.swipe(CardId::new(1, 1));
    let outs = b.swipe(CardId::new(1, 1));
    assert!(outs.iter().any(|o| matches!(
        o,
        Output::RecordEvent(AccessEvent {
            kind: EventKind::IssueModeEnded {
                how: IssueModeEnd::Cancelled,
                ..
            },
            ..
        })
    )));
    assert_eq!(b.access.poll_timeout(), None);
}

#[test]
fn a_lost_card_is_not_reissued_in_issue_mode() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(1, 101, CardState::Main));
    b.add_card(card(2, 102, CardState::Lost));
    b.swipe(CardId::new(1, 1));
    let outs = b.swipe(CardId::new(1, 2));
    assert!(!outs.iter().any(|o| matches!(o, Output::IssueCard { .. })));
    assert_eq!(b.last_outcome(), denied(DenyReason::LostCard));
}

#[test]
fn five_failures_lock_the_reader_out_for_five_minutes_and_raise_an_alarm() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Normal));
    for n in 0..5 {
        b.swipe(CardId::new(9, n));
        b.advance(secs(1));
    }
    assert_eq!(b.alarms(), [Alarm::ReaderLockedOut(READER)]);
    b.swipe(CardId::new(1, 42));
    assert_eq!(
        b.last_outcome(),
        denied(DenyReason::LockedOut),
        "a locked-out reader refuses even a valid card"
    );
    // The keypad is another reader and still works.
    b.input(Input::RemoteUnlockRequested {
        door: LOCAL,
        source: RemoteSource::Web,
    });
    assert_eq!(b.last_outcome(), granted(LOCAL));
    b.advance(secs(300));
    assert!(!b.access.is_locked_out(READER));
    b.swipe(CardId::new(1, 42));
    assert_eq!(b.last_outcome(), granted(LOCAL));
}

fn password_user(id: u32, pin: &[u8]) -> PasswordUser {
    PasswordUser {
        id: UserId::new(id).unwrap(),
        room: RoomNumber(101),
        hash: PasswordHash::derive(&Password::new(pin).unwrap(), [3; 16], 10),
        validity: Validity::ALWAYS,
    }
}

fn keys(b: &mut Bench, reader: ReaderId, text: &str) {
    for c in text.chars() {
        let key = match c {
            '#' => Key::Hash,
            '*' => Key::Star,
            d => Key::Digit(d.to_digit(10).unwrap() as u8),
        };
        b.input(Input::KeyPressed { reader, key });
    }
}

#[test]
fn user_number_and_password_on_the_keypad_open_the_door() {
    let mut b = Bench::new(AccessSettings::default());
    b.input(Input::CredentialsChanged(CredentialChange::UserUpserted(
        password_user(7, b"2468"),
    )));
    keys(&mut b, ReaderId::KEYPAD, "7#1357#");
    assert_eq!(b.last_outcome(), denied(DenyReason::WrongPassword));
    keys(&mut b, ReaderId::KEYPAD, "8#2468#");
    assert_eq!(b.last_outcome(), denied(DenyReason::UnknownUser));
    b.advance(secs(20));
    keys(&mut b, ReaderId::KEYPAD, "7#2468#");
    assert_eq!(b.last_outcome(), granted(LOCAL));
}

#[test]
fn a_keypad_entry_left_unfinished_is_discarded_after_the_timeout() {
    let mut b = Bench::new(AccessSettings::default());
    b.input(Input::CredentialsChanged(CredentialChange::UserUpserted(
        password_user(7, b"2468"),
    )));
    keys(&mut b, ReaderId::KEYPAD, "7#24");
    b.advance(secs(10));
    keys(&mut b, ReaderId::KEYPAD, "68#");
    assert_eq!(b.last_outcome(), None, "the half entry is gone");
    assert!(!b.access.is_energized(LOCAL));
}

#[test]
fn fingerprints_open_the_door_and_unknown_ones_are_denied() {
    let mut b = Bench::new(AccessSettings::default());
    b.input(Input::CredentialsChanged(
        CredentialChange::FingerprintUpserted(Fingerprint {
            id: FingerprintId(3),
            room: RoomNumber(101),
            owner: None,
            validity: Validity::ALWAYS,
        }),
    ));
    b.input(Input::FingerprintMatched {
        reader: ReaderId::FINGERPRINT,
        fingerprint: FingerprintId(4),
    });
    assert_eq!(b.last_outcome(), denied(DenyReason::UnknownFingerprint));
    b.input(Input::FingerprintMatched {
        reader: ReaderId::FINGERPRINT,
        fingerprint: FingerprintId(3),
    });
    assert_eq!(b.last_outcome(), granted(LOCAL));
}

#[test]
fn a_shorter_unlock_period_releases_a_lock_already_past_it() {
    let mut b = Bench::new(AccessSettings::default());
    let mut s = AccessSettings::default();
    s.local.unlock_period = secs(10);
    b.input(Input::SettingsChanged(s.validate().unwrap()));
    b.input(Input::ExitButtonPressed);
    b.advance(secs(4));
    assert!(b.access.is_energized(LOCAL));
    s.local.unlock_period = secs(3);
    let outs = b.input(Input::SettingsChanged(s.validate().unwrap()));
    assert!(outs.contains(&Output::ReleaseLock(LOCAL)), "{outs:?}");

    // And one not yet past it runs to the new, shorter end.
    b.advance(secs(20));
    b.input(Input::ExitButtonPressed);
    let start = b.now;
    s.local.unlock_period = secs(1);
    let outs = b.input(Input::SettingsChanged(s.validate().unwrap()));
    assert!(outs.contains(&Output::EnergizeLock {
        door: LOCAL,
        until: Some(start + secs(1))
    }));
    b.advance(secs(5));
    assert_eq!(
        b.relay_commands(LOCAL).last(),
        Some(&(start + secs(1), false))
    );
}

#[test]
fn turning_fire_mode_off_during_an_alarm_releases_the_doors() {
    let mut s = AccessSettings::default();
    s.rs485.fire_alarm = true;
    let mut b = Bench::new(s);
    b.input(Input::FireAlarmChanged {
        door: RS485,
        state: FireAlarmState::Alarm,
    });
    s.rs485.fire_alarm = false;
    let outs = b.input(Input::SettingsChanged(s.validate().unwrap()));
    assert!(outs.contains(&Output::ClearAlarm(Alarm::Fire(RS485))));
    assert!(outs.contains(&Output::ReleaseLock(LOCAL)));
    assert!(outs.contains(&Output::ReleaseLock(RS485)));
    assert!(outs.contains(&Output::ConfigurePort {
        door: RS485,
        function: PortFunction::DoorContact,
        contact: Contact::NormallyClosed
    }));
}

#[test]
fn tamper_raises_and_clears_an_alarm() {
    let mut b = Bench::new(AccessSettings::default());
    b.input(Input::TamperChanged {
        state: TamperState::Tampered,
    });
    let outs = b.input(Input::TamperChanged {
        state: TamperState::Intact,
    });
    assert_eq!(b.alarms(), [Alarm::Tamper]);
    assert!(outs.contains(&Output::ClearAlarm(Alarm::Tamper)));
}

#[test]
fn time_that_runs_backwards_is_taken_as_the_latest_time_seen() {
    let mut b = Bench::new(AccessSettings::default());
    b.add_card(card(42, 101, CardState::Normal));
    b.advance_to(at(10_000));
    b.access.handle_input(
        at(1_000),
        Input::CardPresented {
            reader: READER,
            card: CardId::new(1, 42),
        },
    );
    assert_eq!(
        b.access.poll_output(),
        Some(Output::EnergizeLock {
            door: LOCAL,
            until: Some(at(12_000))
        })
    );
}
