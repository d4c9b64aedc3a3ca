//! The Linux RS-485 port over a pseudo-terminal pair: the conformance suite with an
//! auto-direction transceiver, and what happens to the bus when a transmission fails.
#![cfg(all(feature = "linux", feature = "conformance"))]

use std::cell::RefCell;
use std::convert::Infallible;
use std::io::{Read, Write};
use std::rc::Rc;
use std::time::Instant;

use serialport::{SerialPort, TTYPort};
use vto_hal::conformance::{rs485_suite, Rs485Rig};
use vto_hal::ehal::{AutoDirection, DirectionControl};
use vto_hal::linux::{SerialConfig, SerialRs485};
use vto_hal::time::Duration;
use vto_hal::{Error, ErrorKind, Rs485};

/// Reads what the peer end of the pty gets until `timeout`, or until 100 ms of silence
/// once something came.
fn read_quiet(peer: &mut TTYPort, timeout: Duration) -> Vec<u8> {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    peer.set_timeout(Duration::from_millis(100))
        .expect("peer timeout");
    while start.elapsed() < timeout {
        match peer.read(&mut buf) {
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

struct PtyRig {
    port: SerialRs485<AutoDirection>,
    peer: TTYPort,
}

impl Rs485Rig for PtyRig {
    type Port = SerialRs485<AutoDirection>;
    fn port(&mut self) -> &mut Self::Port {
        &mut self.port
    }
    fn peer_send(&mut self, bytes: &[u8]) {
        self.peer.write_all(bytes).expect("peer write");
        self.peer.flush().expect("peer flush");
    }
    fn peer_receive(&mut self, timeout: Duration) -> Vec<u8> {
        read_quiet(&mut self.peer, timeout)
    }
    fn driving(&mut self) -> Option<bool> {
        None
    }
}

#[test]
fn a_port_on_a_pty_passes_the_rs485_suite() {
    let (peer, port) = TTYPort::pair().expect("pty pair");
    let port = SerialRs485::from_port(port, "pty", 9600, AutoDirection).expect("port");
    rs485_suite(&mut PtyRig { port, peer });
}

/// A direction control that writes down what it is told.
#[derive(Debug, Clone, Default)]
struct Recorder(Rc<RefCell<Vec<&'static str>>>);

impl DirectionControl for Recorder {
    type Error = Infallible;
    fn transmit(&mut self) -> Result<(), Infallible> {
        self.0.borrow_mut().push("drive");
        Ok(())
    }
    fn receive(&mut self) -> Result<(), Infallible> {
        self.0.borrow_mut().push("listen");
        Ok(())
    }
}

#[test]
fn a_new_port_listens_before_anything_is_sent() {
    let (_peer, port) = TTYPort::pair().expect("pty pair");
    let log = Recorder::default();
    let _rs = SerialRs485::from_port(port, "pty", 9600, log.clone()).expect("port");
    assert_eq!(*log.0.borrow(), ["listen"]);
}

#[test]
fn a_transmission_that_fails_still_releases_the_bus() {
    let (peer, port) = TTYPort::pair().expect("pty pair");
    let log = Recorder::default();
    let mut rs = SerialRs485::from_port(port, "pty-under-test", 9600, log.clone()).expect("port");
    // The far end goes away: writing to a pty whose master is closed fails.
    drop(peer);
    let err = rs.transmit(&[0x02, 0x10, 0x03]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Disconnected, "{err}");
    assert!(
        err.to_string()
            .starts_with("serial port pty-under-test: write"),
        "the error names the port: {err}"
    );
    assert_eq!(
        *log.0.borrow(),
        ["listen", "drive", "listen"],
        "the driver must be released after a failed write"
    );
}

#[test]
fn the_bus_is_released_only_after_the_bytes_are_out() {
    let (mut peer, port) = TTYPort::pair().expect("pty pair");
    let log = Recorder::default();
    let mut rs = SerialRs485::from_port(port, "pty", 9600, log.clone()).expect("port");
    rs.transmit(b"0123456789").expect("transmit");
    assert_eq!(*log.0.borrow(), ["listen", "drive", "listen"]);
    // Everything was handed to the line before `transmit` returned.
    assert_eq!(read_quiet(&mut peer, Duration::from_secs(1)), b"0123456789");
}

#[test]
fn a_port_that_does_not_exist_is_invalid_configuration_naming_it() {
    let err = SerialRs485::open(
        "/dev/ttyVTO-does-not-exist",
        SerialConfig::default(),
        AutoDirection,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{err}");
    assert!(
        err.to_string().contains("/dev/ttyVTO-does-not-exist"),
        "{err}"
    );
}

#[test]
fn a_baud_rate_of_zero_is_refused_with_the_range() {
    let err = SerialRs485::open("/dev/null", SerialConfig::new(0), AutoDirection).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert_eq!(
        err.to_string(),
        "serial port /dev/null: baud rate 0 is outside 300..=4000000"
    );
}
