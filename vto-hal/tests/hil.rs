//! The Linux backend against the kernel's own GPIO drivers, in the HIL VM.
//!
//! Run with `scripts/hil-test.sh`: the VM's gpio-sim gives two 16-line chips and a sysfs
//! directory per line to act as the outside world (`pull` drives an input, `value` shows
//! what an output drives). Bank 0 holds the inputs the tests drive, bank 1 the outputs the
//! backend drives:
//!
//! | bank 0 | use                          | bank 1 | use                        |
//! |--------|------------------------------|--------|----------------------------|
//! | 0      | door contact (suite)         | 0      | active-high relay (suite)  |
//! | 1, 2   | Wiegand D0, D1 (suite)       | 1      | active-low relay (suite)   |
//! | 3      | pull-up bias                 | 2      | RS-485 DE                  |
//! | 4      | busy line                    | 3, 4   | Wiegand writer D0, D1      |
//! | 5      | chip by label                | 5, 6   | relays dropped energised   |
//! | 6, 7   | Wiegand D0 held low, D1      | 7      | busy relay                 |
//! | 8      | Wiegand on two chips         | 8      | Wiegand on two chips       |
//!
//! Timings are chosen for QEMU without KVM (TCG), where a 3 ms sleep can stretch to tens of
//! milliseconds: see `docs/backends.md`.
#![cfg(all(feature = "linux", feature = "conformance"))]

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::thread::sleep;
use std::time::Instant;

use serialport::{SerialPort, TTYPort};
use vto_hal::conformance::{
    input_suite, lock_suite, rs485_suite, wiegand_reader_suite, InputRig, LockRig, Rs485Rig,
    WiegandRig,
};
use vto_hal::level::Level;
use vto_hal::linux::{
    Bias, EdgeInput, GpioDirection, InputConfig, LineSpec, LinuxLock, LinuxWiegandReader,
    LinuxWiegandWriter, SerialRs485,
};
use vto_hal::time::Duration;
use vto_hal::wiegand::format::{CardNumber, FacilityCode};
use vto_hal::wiegand::{Bits, Credential, DecoderConfig, Format, WiegandTiming};
use vto_hal::{
    DoorState, Error, ErrorKind, Input, InputWiring, Lock, Polarity, RelayState, WiegandReader,
    WiegandWriter,
};

// ---------------------------------------------------------------------------------------
// The outside world: gpio-sim's sysfs.

fn env(key: &str) -> String {
    std::env::var(key)
        .unwrap_or_else(|_| panic!("{key} is not set: run through scripts/hil-test.sh"))
}

/// The character device of bank `bank`.
fn chip(bank: u8) -> String {
    env(&format!("HIL_GPIOCHIP_{bank}"))
}

/// Line `n` of bank `bank`.
fn line(bank: u8, n: u32) -> LineSpec {
    LineSpec::at(chip(bank), n)
}

/// The sysfs file `attr` of line `n` of bank `bank`.
fn sim_file(bank: u8, n: u32, attr: &str) -> PathBuf {
    PathBuf::from(env(&format!("HIL_GPIOSIM_SYSFS_{bank}"))).join(format!("sim_gpio{n}/{attr}"))
}

/// A hand on an input line: pulls it up or down like a contact or a reader would.
struct Hand {
    pull: File,
}

impl Hand {
    fn on(bank: u8, n: u32) -> Self {
        let path = sim_file(bank, n, "pull");
        let pull = File::options()
            .write(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self { pull }
    }

    /// Drives the line to `level`: one `pwrite`, so back-to-back calls are microseconds apart.
    fn set(&self, level: Level) {
        let what: &[u8] = match level {
            Level::High => b"pull-up",
            Level::Low => b"pull-down",
        };
        self.pull.write_at(what, 0).expect("write gpio-sim pull");
    }
}

/// The level an output line of bank 1 drives, as gpio-sim shows it.
fn driven(n: u32) -> Level {
    let path = sim_file(1, n, "value");
    match std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
    {
        "1" => Level::High,
        "0" => Level::Low,
        other => panic!("{}: unexpected value {other:?}", path.display()),
    }
}

// ---------------------------------------------------------------------------------------
// Lock relays.

struct RelayRig {
    lock: LinuxLock,
    n: u32,
    polarity: Polarity,
}

impl LockRig for RelayRig {
    type Lock = LinuxLock;
    fn lock(&mut self) -> &mut LinuxLock {
        &mut self.lock
    }
    fn observed(&mut self) -> RelayState {
        self.polarity.relay_state(driven(self.n))
    }
}

fn relay_rig(n: u32, polarity: Polarity) -> RelayRig {
    let lock = LinuxLock::open(&line(1, n), polarity).expect("open relay");
    RelayRig { lock, n, polarity }
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_active_high_relay_passes_the_lock_suite() {
    lock_suite(&mut relay_rig(0, Polarity::ActiveHigh));
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_active_low_relay_passes_the_lock_suite() {
    let mut rig = relay_rig(1, Polarity::ActiveLow);
    assert_eq!(
        driven(1),
        Level::High,
        "an active-low relay is released by a high line"
    );
    lock_suite(&mut rig);
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_lock_dropped_while_energized_leaves_the_relay_released() {
    let mut lock = LinuxLock::open(&line(1, 5), Polarity::ActiveHigh).expect("open");
    lock.energize().expect("energize");
    assert_eq!(driven(5), Level::High);
    drop(lock);
    assert_eq!(
        driven(5),
        Level::Low,
        "active-high relay released after drop"
    );

    // An active-low board pulls its input up; gpio-sim's pull plays that resistor, and the
    // freed line falls back to it.
    Hand::on(1, 6).set(Level::High);
    let mut lock = LinuxLock::open(&line(1, 6), Polarity::ActiveLow).expect("open");
    lock.energize().expect("energize");
    assert_eq!(driven(6), Level::Low);
    drop(lock);
    assert_eq!(
        driven(6),
        Level::High,
        "active-low relay released after drop"
    );
}

// ---------------------------------------------------------------------------------------
// Door contact.

/// Debounce window for the VM: a TCG sleep of 3 ms stays well under it.
const VM_WINDOW: Duration = Duration::from_millis(80);
/// Between two bounces of a contact.
const BOUNCE: Duration = Duration::from_millis(3);

struct ContactRig {
    input: EdgeInput<DoorState>,
    hand: Hand,
    wiring: InputWiring,
    state: DoorState,
}

impl ContactRig {
    fn level(&self, state: DoorState) -> Level {
        self.wiring.level_for(state)
    }
}

impl InputRig for ContactRig {
    type Input = EdgeInput<DoorState>;
    fn input(&mut self) -> &mut Self::Input {
        &mut self.input
    }
    fn drive(&mut self, state: DoorState) {
        self.hand.set(self.level(state));
        self.state = state;
    }
    fn bounce(&mut self, state: DoorState, bounces: u32) {
        let (to, from) = (self.level(state), self.level(state).inverted());
        for _ in 0..bounces {
            self.hand.set(to);
            sleep(BOUNCE);
            self.hand.set(from);
            sleep(BOUNCE);
        }
        self.hand.set(to);
        self.state = state;
    }
    fn spike(&mut self) {
        let rest = self.level(self.state);
        self.hand.set(rest.inverted());
        sleep(BOUNCE);
        self.hand.set(rest);
    }
    fn patience(&self) -> Duration {
        Duration::from_secs(3)
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_nc_door_contact_passes_the_input_suite() {
    let wiring = InputWiring::NC_CONTACT_TO_GROUND;
    let hand = Hand::on(0, 0);
    // The door is shut: the NC contact pulls the line to ground.
    hand.set(wiring.level_for(DoorState::Closed));
    let config = InputConfig {
        wiring,
        // The test's pull is the circuit's resistor.
        bias: Bias::Disabled,
        window: VM_WINDOW,
    };
    let input = EdgeInput::open(&line(0, 0), config).expect("open contact");
    input_suite(&mut ContactRig {
        input,
        hand,
        wiring,
        state: DoorState::Closed,
    });
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_nc_contact_on_the_kernel_pull_up_reads_a_cut_wire_as_an_open_door() {
    // Nothing drives the line but the pull-up the backend asks the kernel for.
    Hand::on(0, 3).set(Level::Low);
    let mut input =
        EdgeInput::<DoorState>::open(&line(0, 3), InputConfig::NC_DOOR_CONTACT).expect("open");
    assert_eq!(input.state().ok(), Some(DoorState::Open));
}

// ---------------------------------------------------------------------------------------
// Wiegand.

/// Pulse width the VM's rig produces (sleep between two sysfs writes).
const VM_PULSE: Duration = Duration::from_millis(6);
/// Bit interval, pulse start to pulse start.
const VM_INTERVAL: Duration = Duration::from_millis(14);
/// Silence after each frame: longer than the decoder's `max_gap`.
const VM_FRAME_GAP: Duration = Duration::from_millis(500);

/// A decoder for TCG timing: 6 ms pulses every 14 ms, and an end-of-frame gap far beyond
/// any stretched interval. The rig's glitch (two back-to-back sysfs writes, 150-300 µs
/// apart under TCG) is dropped by `min_pulse`, or, when the kernel's interrupt thread
/// handles both edges at once, reaches the reader as one lost edge between frames, which
/// it counts as noise.
const VM_DECODER: DecoderConfig = DecoderConfig {
    min_pulse: Duration::from_millis(1),
    max_pulse: Duration::from_millis(200),
    gap_factor: 8,
    min_gap: Duration::from_millis(150),
    max_gap: Duration::from_millis(300),
};

/// The kernel's debouncer as the VM runs it: "1 ms" is scheduled in jiffies (HZ=250 in
/// Debian's kernel), so it confirms an edge 4-8 ms later; pulses must outlast that.
const VM_KERNEL_DEBOUNCE: Duration = Duration::from_millis(1);
/// Pulses and interval that outlast the jiffy-rounded kernel debounce.
const VM_SLOW_PULSE: Duration = Duration::from_millis(20);
const VM_SLOW_INTERVAL: Duration = Duration::from_millis(40);

struct ReaderRig {
    reader: LinuxWiegandReader,
    d0: Hand,
    d1: Hand,
    pulse: Duration,
    interval: Duration,
}

impl WiegandRig for ReaderRig {
    type Reader = LinuxWiegandReader;
    fn reader(&mut self) -> &mut LinuxWiegandReader {
        &mut self.reader
    }
    fn send(&mut self, bits: &Bits) {
        for bit in bits.iter() {
            let start = Instant::now();
            let hand = if bit { &self.d1 } else { &self.d0 };
            hand.set(Level::Low);
            sleep(self.pulse);
            hand.set(Level::High);
            if let Some(rest) = self.interval.checked_sub(start.elapsed()) {
                sleep(rest);
            }
        }
        sleep(VM_FRAME_GAP);
    }
    fn glitch(&mut self) {
        self.d0.set(Level::Low);
        self.d0.set(Level::High);
        sleep(self.interval);
    }
    fn patience(&self) -> Duration {
        Duration::from_secs(5)
    }
}

fn reader_rig(d0: u32, d1: u32) -> ReaderRig {
    let (h0, h1) = (Hand::on(0, d0), Hand::on(0, d1));
    h0.set(Level::High);
    h1.set(Level::High);
    let reader =
        LinuxWiegandReader::open(&line(0, d0), &line(0, d1), VM_DECODER).expect("open reader");
    ReaderRig {
        reader,
        d0: h0,
        d1: h1,
        pulse: VM_PULSE,
        interval: VM_INTERVAL,
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_wiegand_reader_passes_the_reader_suite() {
    let mut rig = reader_rig(1, 2);
    wiegand_reader_suite(&mut rig);
    assert!(
        rig.reader.lost_between_frames() <= 2,
        "only the glitch may lose edges, lost {}",
        rig.reader.lost_between_frames()
    );
}

#[test]
#[ignore = "needs the HIL VM"]
fn the_kernel_debouncer_drops_a_glitch_and_passes_a_card() {
    let (h0, h1) = (Hand::on(0, 12), Hand::on(0, 13));
    h0.set(Level::High);
    h1.set(Level::High);
    let reader = LinuxWiegandReader::open_with_kernel_debounce(
        &line(0, 12),
        &line(0, 13),
        VM_DECODER,
        VM_KERNEL_DEBOUNCE,
    )
    .expect("open reader");
    let mut rig = ReaderRig {
        reader,
        d0: h0,
        d1: h1,
        pulse: VM_SLOW_PULSE,
        interval: VM_SLOW_INTERVAL,
    };
    let card = Credential::Card {
        format: Format::H10301,
        facility: FacilityCode(77),
        number: CardNumber(31337),
    };
    let bits = Format::H10301.encode(&card).expect("encode");
    rig.glitch();
    rig.send(&bits);
    let frame = rig
        .reader
        .read_frame(Duration::from_secs(5))
        .expect("read")
        .expect("the card must pass the kernel debouncer");
    assert_eq!(frame.bits, bits, "the glitch must not add a bit");
    assert_eq!(
        rig.reader.lost_between_frames(),
        0,
        "the kernel filtered the glitch"
    );
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_data_line_held_low_is_a_fault_naming_the_lines() {
    let mut rig = reader_rig(6, 7);
    rig.d0.set(Level::Low);
    sleep(VM_DECODER.max_pulse + Duration::from_millis(100));
    rig.d0.set(Level::High);
    sleep(VM_FRAME_GAP);
    let err = rig
        .reader
        .read_frame(Duration::from_secs(2))
        .expect_err("a line held low must be reported");
    assert_eq!(err.kind(), ErrorKind::Fault, "{err}");
    assert!(
        err.to_string().contains(&format!("D0 {}:6", chip(0))),
        "{err}"
    );
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_wiegand_writer_leaves_both_lines_idle_high() {
    let mut writer =
        LinuxWiegandWriter::open(&line(1, 3), &line(1, 4), WiegandTiming::STANDARD).expect("open");
    assert_eq!(
        (driven(3), driven(4)),
        (Level::High, Level::High),
        "idle at open"
    );
    let card = Credential::Card {
        format: Format::H10301,
        facility: FacilityCode(12),
        number: CardNumber(3456),
    };
    let bits = Format::H10301.encode(&card).expect("encode");
    writer.write_frame(&bits).expect("write");
    assert_eq!(
        (driven(3), driven(4)),
        (Level::High, Level::High),
        "idle after a frame"
    );
}

// ---------------------------------------------------------------------------------------
// RS-485: a pty for the bus, DE on a gpio-sim output.

struct BusRig {
    port: SerialRs485<GpioDirection>,
    peer: TTYPort,
}

impl Rs485Rig for BusRig {
    type Port = SerialRs485<GpioDirection>;
    fn port(&mut self) -> &mut Self::Port {
        &mut self.port
    }
    fn peer_send(&mut self, bytes: &[u8]) {
        self.peer.write_all(bytes).expect("peer write");
        self.peer.flush().expect("peer flush");
    }
    fn peer_receive(&mut self, timeout: Duration) -> Vec<u8> {
        let start = Instant::now();
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        self.peer
            .set_timeout(Duration::from_millis(100))
            .expect("peer timeout");
        while start.elapsed() < timeout {
            match self.peer.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                    if !got.is_empty() {
                        break;
                    }
                }
                Err(e) => panic!("peer read: {e}"),
            }
        }
        got
    }
    fn driving(&mut self) -> Option<bool> {
        Some(driven(2) == Level::High)
    }
}

#[test]
#[ignore = "needs the HIL VM"]
fn an_rs485_port_with_de_on_a_gpio_passes_the_rs485_suite() {
    let (peer, port) = TTYPort::pair().expect("pty pair");
    let de = GpioDirection::open(&line(1, 2), Polarity::ActiveHigh).expect("open DE");
    let port = SerialRs485::from_port(port, "pty", 9600, de).expect("port");
    rs485_suite(&mut BusRig { port, peer });
}

// ---------------------------------------------------------------------------------------
// Bad configuration.

#[test]
#[ignore = "needs the HIL VM"]
fn an_offset_past_the_end_of_the_chip_names_the_chip_and_its_range() {
    let err = LinuxLock::open(&line(0, 99), Polarity::ActiveHigh).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert_eq!(
        err.to_string(),
        format!(
            "line 99 is out of range on {}, which has 16 lines (0..=15)",
            chip(0)
        )
    );
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_chip_that_does_not_exist_is_named_with_the_chips_present() {
    let err = EdgeInput::<DoorState>::open(
        &"gpiochip9:0".parse().unwrap(),
        InputConfig::NC_DOOR_CONTACT,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    let msg = err.to_string();
    assert!(
        msg.starts_with("no GPIO chip /dev/gpiochip9 (chips present: "),
        "{msg}"
    );
    assert!(msg.contains("\"hil-bank0\" (16 lines)"), "{msg}");

    let err = "hil-bank7:1"
        .parse::<LineSpec>()
        .unwrap()
        .resolve()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert!(
        err.to_string()
            .starts_with("no GPIO chip labelled \"hil-bank7\""),
        "{err}"
    );
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_chip_can_be_named_by_its_label() {
    let line = "hil-bank0:5"
        .parse::<LineSpec>()
        .unwrap()
        .resolve()
        .expect("resolve by label");
    assert_eq!(line.chip().to_str(), Some(chip(0).as_str()));
    assert_eq!(line.offset(), 5);
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_line_name_that_does_not_exist_is_named() {
    let err =
        LinuxLock::open(&LineSpec::named("VTO_NO_SUCH_LINE"), Polarity::ActiveHigh).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert!(err.to_string().contains("\"VTO_NO_SUCH_LINE\""), "{err}");
}

#[test]
#[ignore = "needs the HIL VM"]
fn a_line_held_by_another_request_is_busy_naming_the_holder() {
    let _first =
        EdgeInput::<DoorState>::open(&line(0, 4), InputConfig::NC_DOOR_CONTACT).expect("first");
    let err = EdgeInput::<DoorState>::open(&line(0, 4), InputConfig::NC_DOOR_CONTACT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Busy);
    assert_eq!(
        err.to_string(),
        format!("line {}:4 is busy: already requested by \"vto\"", chip(0))
    );

    let _other = gpiocdev::Request::builder()
        .on_chip(chip(1))
        .with_consumer("door-daemon")
        .with_line(7)
        .as_output(gpiocdev::line::Value::Inactive)
        .request()
        .expect("foreign request");
    let err = LinuxLock::open(&line(1, 7), Polarity::ActiveHigh).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Busy);
    assert!(err.to_string().contains("\"door-daemon\""), "{err}");
}

#[test]
#[ignore = "needs the HIL VM"]
fn wiegand_lines_on_two_chips_are_refused() {
    let err =
        LinuxWiegandReader::open(&line(0, 8), &line(1, 8), DecoderConfig::STANDARD).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert!(
        err.to_string().contains("must be on the same GPIO chip"),
        "{err}"
    );
}
