//! A lock relay on a Modbus RTU relay board over RS-485, against a simulated board that
//! answers as real ones do (echo for write-coil, a byte for read-coils, exceptions).
#![cfg(feature = "sim")]

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use vto_hal::rs485::modbus::{crc16, ModbusRelay};
use vto_hal::sim::{BusPeer, Sim, SimClock};
use vto_hal::{Error, ErrorKind, Lock, RelayState};

fn with_crc(mut frame: Vec<u8>) -> Vec<u8> {
    let crc = crc16(&frame).to_le_bytes();
    frame.extend_from_slice(&crc);
    frame
}

/// A relay board at `address` with 8 coils, on its own thread until `stop`.
struct Board {
    coils: Arc<AtomicU32>,
    garble_next: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Board {
    fn start(peer: BusPeer, address: u8) -> Self {
        let coils = Arc::new(AtomicU32::new(0));
        let garble_next = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, g, s) = (coils.clone(), garble_next.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let req = peer.receive(Duration::from_millis(20));
                if req.len() < 8
                    || req[0] != address
                    || crc16(&req[..6]).to_le_bytes() != [req[6], req[7]]
                {
                    continue;
                }
                let coil = u16::from_be_bytes([req[2], req[3]]);
                let reply = if coil >= 8 {
                    with_crc(vec![address, req[1] | 0x80, 0x02])
                } else if req[1] == 0x05 {
                    if req[4] == 0xFF {
                        c.fetch_or(1 << coil, Ordering::Relaxed);
                    } else {
                        c.fetch_and(!(1 << coil), Ordering::Relaxed);
                    }
                    req[..8].to_vec()
                } else {
                    let on = (c.load(Ordering::Relaxed) >> coil) & 1;
                    with_crc(vec![address, 0x01, 1, on as u8])
                };
                if g.swap(false, Ordering::Relaxed) {
                    let mut bad = reply.clone();
                    let last = bad.len() - 1;
                    bad[last] ^= 0xFF;
                    peer.send(&bad);
                } else {
                    peer.send(&reply);
                }
            }
        });
        Self {
            coils,
            garble_next,
            stop,
        }
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[test]
fn the_relay_board_coil_follows_energize_and_release_and_reads_back() {
    let sim = Sim::new(SimClock::system());
    let (port, peer) = sim.rs485();
    let board = Board::start(peer, 3);
    let mut relay = ModbusRelay::new(port, 3, 1);
    relay.energize().unwrap();
    assert_eq!(board.coils.load(Ordering::Relaxed), 0b10);
    assert_eq!(relay.state().unwrap(), RelayState::Energized);
    relay.release().unwrap();
    assert_eq!(board.coils.load(Ordering::Relaxed), 0);
    assert_eq!(relay.state().unwrap(), RelayState::Released);
}

#[test]
fn a_garbled_answer_is_retried_and_the_command_still_gets_through() {
    let sim = Sim::new(SimClock::system());
    let (port, peer) = sim.rs485();
    let board = Board::start(peer, 1);
    board.garble_next.store(true, Ordering::Relaxed);
    let mut relay = ModbusRelay::new(port, 1, 0);
    relay.energize().unwrap();
    assert_eq!(board.coils.load(Ordering::Relaxed), 1);
}

#[test]
fn a_silent_board_is_a_timeout_and_a_missing_coil_a_fault() {
    let sim = Sim::new(SimClock::system());
    let (port, _peer) = sim.rs485();
    let mut relay = ModbusRelay::new(port, 9, 0);
    let err = relay.energize().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("device 9 did not answer"), "{err}");

    let (port, peer) = sim.rs485();
    let _board = Board::start(peer, 2);
    let mut relay = ModbusRelay::new(port, 2, 12);
    let err = relay.energize().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Fault);
    assert!(err.to_string().contains("exception 2"), "{err}");
}

#[test]
fn a_cut_bus_is_reported_as_disconnected() {
    let sim = Sim::new(SimClock::system());
    let (port, peer) = sim.rs485();
    peer.disconnect();
    let mut relay = ModbusRelay::new(port, 1, 0);
    assert_eq!(
        relay.energize().unwrap_err().kind(),
        ErrorKind::Disconnected
    );
}
