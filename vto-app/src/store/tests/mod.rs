//! The store's behaviour as a user of the station would notice it.

mod cards;
mod events;
mod migrations;
mod records;
mod settings;

use vto_core::access::{CardId, CardState, RoomNumber, UnixTime, Validity};

use super::{CardRecord, Store, StoreOptions};

fn memory() -> Store {
    Store::open_in_memory(&StoreOptions::default()).unwrap()
}

fn card(facility: u32, number: u64, room: u32) -> CardRecord {
    CardRecord {
        id: CardId::new(facility, number),
        room: RoomNumber(room),
        owner: format!("owner {number}"),
        state: CardState::Normal,
        validity: Validity::ALWAYS,
        created_at_ms: 1_700_000_000_000,
    }
}

fn validity(from: i64, until: i64) -> Validity {
    Validity {
        from: UnixTime(from),
        until: UnixTime(until),
    }
}

#[test]
fn the_store_can_move_to_the_station_thread() {
    fn send<T: Send>() {}
    send::<Store>();
}
