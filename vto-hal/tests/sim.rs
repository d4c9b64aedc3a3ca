//! The simulation backend: the conformance suite every backend passes, then the probes and
//! faults only the simulation has.
#![cfg(all(feature = "sim", feature = "conformance"))]

use std::time::Duration;

use vto_hal::conformance::{self, InputRig, LockRig, Rs485Rig, WiegandRig};
use vto_hal::sim::{
    BusPeer, InputControl, InputFault, LockFault, LockProbe, ReaderControl, Sim, SimClock,
    SimInput, SimLock, SimRs485, SimWiegandReader,
};
use vto_hal::wiegand::format::{CardNumber, FacilityCode};
use vto_hal::wiegand::{Bits, Credential, DecoderConfig, Format, WiegandTiming, WiegandWriter};
use vto_hal::{
    Clock, DoorState, Error, ErrorKind, Input, Lock, RelayState, Rs485, Timestamp, WiegandReader,
};

struct SimLockRig(SimLock, LockProbe);
impl LockRig for SimLockRig {
    type Lock = SimLock;
    fn lock(&mut self) -> &mut SimLock {
        &mut self.0
    }
    fn observed(&mut self) -> RelayState {
        self.1.state()
    }
}

struct SimInputRig(SimInput<DoorState>, InputControl<DoorState>);
impl InputRig for SimInputRig {
    type Input = SimInput<DoorState>;
    fn input(&mut self) -> &mut Self::Input {
        &mut self.0
    }
    fn drive(&mut self, state: DoorState) {
        self.1.set(state);
    }
    fn bounce(&mut self, state: DoorState, bounces: u32) {
        self.1.bounce(state, bounces);
    }
    fn spike(&mut self) {
        self.1.pulse(Duration::from_millis(3));
    }
    fn patience(&self) -> Duration {
        Duration::from_secs(1)
    }
}

struct SimWiegandRig(SimWiegandReader, ReaderControl);
impl WiegandRig for SimWiegandRig {
    type Reader = SimWiegandReader;
    fn reader(&mut self) -> &mut SimWiegandReader {
        &mut self.0
    }
    fn send(&mut self, bits: &Bits) {
        self.1.send(bits);
    }
    fn glitch(&mut self) {
        self.1.glitch();
    }
    fn patience(&self) -> Duration {
        Duration::from_secs(1)
    }
}

struct SimRs485Rig(SimRs485, BusPeer);
impl Rs485Rig for SimRs485Rig {
    type Port = SimRs485;
    fn port(&mut self) -> &mut SimRs485 {
        &mut self.0
    }
    fn peer_send(&mut self, bytes: &[u8]) {
        self.1.send(bytes);
    }
    fn peer_receive(&mut self, timeout: Duration) -> Vec<u8> {
        self.1.receive(timeout)
    }
    fn driving(&mut self) -> Option<bool> {
        Some(self.1.driving())
    }
}

fn clocks() -> [SimClock; 2] {
    [SimClock::manual(), SimClock::system()]
}

fn door(sim: &Sim) -> (SimInput<DoorState>, InputControl<DoorState>) {
    sim.input(DoorState::Closed, Duration::from_millis(20))
        .unwrap()
}

fn card(fc: u32, cn: u64) -> Credential {
    Credential::Card {
        format: Format::H10301,
        facility: FacilityCode(fc),
        number: CardNumber(cn),
    }
}

#[test]
fn sim_lock_passes_the_conformance_suite_on_both_clocks() {
    for clock in clocks() {
        let (lock, probe) = Sim::new(clock).lock();
        conformance::lock_suite(&mut SimLockRig(lock, probe));
    }
}

#[test]
fn sim_door_contact_passes_the_conformance_suite_on_both_clocks() {
    for clock in clocks() {
        let (input, control) = door(&Sim::new(clock));
        conformance::input_suite(&mut SimInputRig(input, control));
    }
}

#[test]
fn sim_wiegand_reader_passes_the_conformance_suite_on_both_clocks() {
    for clock in clocks() {
        let (reader, control) = Sim::new(clock)
            .wiegand_reader(DecoderConfig::STANDARD, WiegandTiming::STANDARD)
            .unwrap();
        conformance::wiegand_reader_suite(&mut SimWiegandRig(reader, control));
    }
}

#[test]
fn sim_rs485_passes_the_conformance_suite_on_both_clocks() {
    for clock in clocks() {
        let (port, peer) = Sim::new(clock).rs485();
        conformance::rs485_suite(&mut SimRs485Rig(port, peer));
    }
}

#[test]
fn lock_probe_records_when_and_how_long_the_relay_was_energized() {
    let sim = Sim::new(SimClock::manual());
    let (mut lock, probe) = sim.lock();
    sim.clock().advance(Duration::from_secs(10));
    lock.energize().unwrap();
    sim.clock().advance(Duration::from_millis(3500));
    lock.release().unwrap();
    assert_eq!(
        probe.history(),
        vec![
            (Timestamp::ZERO, RelayState::Released),
            (Timestamp::from_millis(10_000), RelayState::Energized),
            (Timestamp::from_millis(13_500), RelayState::Released),
        ]
    );
    assert_eq!(
        probe.energized_spans(),
        vec![(Timestamp::from_millis(10_000), Duration::from_millis(3500))]
    );
}

#[test]
fn a_relay_stuck_released_reports_a_fault_and_the_probe_shows_it_never_moved() {
    let sim = Sim::new(SimClock::manual());
    let (mut lock, probe) = sim.lock();
    probe.inject(LockFault::StuckAt(RelayState::Released));
    let err = lock.energize().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Fault);
    assert_eq!(
        err.to_string(),
        "relay did not follow: driven energized, reads released"
    );
    assert_eq!(probe.state(), RelayState::Released);
    assert!(probe.energized_spans().is_empty());
}

#[test]
fn a_welded_relay_stays_energized_and_the_lock_says_so_when_released() {
    let sim = Sim::new(SimClock::manual());
    let (mut lock, probe) = sim.lock();
    probe.inject(LockFault::StuckAt(RelayState::Energized));
    assert_eq!(lock.release().unwrap_err().kind(), ErrorKind::Fault);
    assert_eq!(
        lock.state().unwrap(),
        RelayState::Energized,
        "state reads the feedback contact"
    );
    probe.repair();
    lock.release().unwrap();
    assert_eq!(probe.state(), RelayState::Released);
}

#[test]
fn a_bouncing_contact_fault_still_gives_one_event_per_real_change() {
    let sim = Sim::new(SimClock::manual());
    let (mut input, control) = door(&sim);
    control.inject(InputFault::Bouncing {
        bounces: 7,
        spacing: Duration::from_millis(2),
    });
    sim.clock().advance(Duration::from_secs(1));
    control.set(DoorState::Open);
    let event = input.wait_event(Duration::from_secs(1)).unwrap().unwrap();
    assert_eq!(event.state, DoorState::Open);
    assert_eq!(
        event.at,
        Timestamp::from_millis(1000),
        "the event carries the first edge's time"
    );
    // 15 edges 2 ms apart: the contact settles at 1028 ms, then the 20 ms window.
    assert_eq!(sim.clock().now(), Timestamp::from_millis(1048));
    assert_eq!(input.wait_event(Duration::from_secs(1)).unwrap(), None);
}

#[test]
fn a_bounce_window_longer_than_a_second_is_refused() {
    let sim = Sim::new(SimClock::manual());
    let err = sim
        .input(DoorState::Closed, Duration::from_secs(2))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "debounce window 2000 ms is outside 0..=1000 ms"
    );
}

#[test]
fn a_card_is_decided_a_few_bit_intervals_after_its_last_pulse() {
    let sim = Sim::new(SimClock::manual());
    let (mut reader, control) = sim
        .wiegand_reader(DecoderConfig::STANDARD, WiegandTiming::STANDARD)
        .unwrap();
    control.present(Format::H10301, &card(12, 3456)).unwrap();
    let frame = reader.read_frame(Duration::from_secs(1)).unwrap().unwrap();
    let last_pulse_end = control.idle_at();
    assert_eq!(
        frame.at, last_pulse_end,
        "the frame is stamped with its last pulse"
    );
    let latency = sim.clock().now() - last_pulse_end;
    assert!(
        latency <= Duration::from_millis(7),
        "decided {latency:?} after the last pulse; a standard reader must be decided within ~6 ms"
    );
    let decoded = vto_hal::wiegand::format::decode(&frame.bits, &[Format::H10301]).unwrap();
    assert_eq!(decoded, card(12, 3456));
}

#[test]
fn glitches_between_the_bits_of_a_noisy_cable_do_not_change_the_card() {
    let sim = Sim::new(SimClock::manual());
    let (mut reader, control) = sim
        .wiegand_reader(DecoderConfig::STANDARD, WiegandTiming::STANDARD)
        .unwrap();
    control.set_noisy(true);
    control.present(Format::H10301, &card(200, 65000)).unwrap();
    let frame = reader.read_frame(Duration::from_secs(1)).unwrap().unwrap();
    assert_eq!(
        vto_hal::wiegand::format::decode(&frame.bits, &[Format::H10301]).unwrap(),
        card(200, 65000)
    );
}

#[test]
fn an_unplugged_reader_reports_disconnected_and_works_again_when_plugged_back() {
    let sim = Sim::new(SimClock::manual());
    let (mut reader, control) = sim
        .wiegand_reader(DecoderConfig::STANDARD, WiegandTiming::STANDARD)
        .unwrap();
    control.unplug();
    let err = reader.read_frame(Duration::from_millis(100)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Disconnected);
    assert_eq!(err.to_string(), "wiegand reader is disconnected");
    control.plug();
    control.present(Format::H10301, &card(1, 2)).unwrap();
    assert!(reader.read_frame(Duration::from_secs(1)).unwrap().is_some());
}

#[test]
fn the_wiegand_output_probe_sees_each_frame_and_the_clock_moves_by_its_length() {
    let sim = Sim::new(SimClock::manual());
    let (mut writer, probe) = sim.wiegand_writer(WiegandTiming::STANDARD);
    let bits = Format::H10301.encode(&card(5, 6)).unwrap();
    writer.write_frame(&bits).unwrap();
    assert_eq!(probe.frames(), vec![(Timestamp::ZERO, bits)]);
    // 25 intervals of 2 ms plus the last 50 µs pulse.
    assert_eq!(sim.clock().now(), Timestamp::from_micros(50_050));
    probe.unplug();
    assert_eq!(
        writer.write_frame(&bits).unwrap_err().kind(),
        ErrorKind::Disconnected
    );
}

#[test]
fn a_cut_rs485_bus_fails_both_ways_as_disconnected() {
    let sim = Sim::new(SimClock::manual());
    let (mut port, peer) = sim.rs485();
    peer.disconnect();
    assert_eq!(
        port.transmit(&[1]).unwrap_err().kind(),
        ErrorKind::Disconnected
    );
    assert_eq!(
        port.receive(&mut [0; 4], Duration::from_millis(10))
            .unwrap_err()
            .kind(),
        ErrorKind::Disconnected
    );
    peer.reconnect();
    port.transmit(&[1, 2]).unwrap();
    assert_eq!(peer.transmissions(), vec![(Timestamp::ZERO, 2)]);
}

#[test]
fn a_manual_clock_never_moves_by_itself() {
    let clock = SimClock::manual();
    let t = clock.now();
    std::thread::sleep(Duration::from_millis(2));
    assert_eq!(clock.now(), t);
}
