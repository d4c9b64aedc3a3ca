use crate::rs485::Rs485;
use crate::time::Duration;

/// An RS-485 port under test, and the device at the other end of the bus.
pub trait Rs485Rig {
    /// The port under test.
    type Port: Rs485;
    /// The port.
    fn port(&mut self) -> &mut Self::Port;
    /// Sends bytes from the other end.
    fn peer_send(&mut self, bytes: &[u8]);
    /// Reads what reached the other end within `timeout`.
    fn peer_receive(&mut self, timeout: Duration) -> Vec<u8>;
    /// Whether the port's driver is enabled right now (`None` for auto-direction).
    fn driving(&mut self) -> Option<bool>;
}

/// Bytes cross the bus intact both ways, and the port lets go of the bus after sending.
pub fn rs485_suite<R: Rs485Rig>(rig: &mut R) {
    let mut buf = [0u8; 64];
    assert!(
        !rig.driving().unwrap_or(false),
        "a new port must listen, not drive the bus"
    );
    assert_eq!(
        rig.port().receive(&mut buf, Duration::from_millis(50)).ok(),
        Some(0),
        "receive times out with nothing when the bus is quiet"
    );

    let command = [0x02, 0x01, 0x10, 0x05, 0xA5, 0x5A, 0x00, 0xFF, 0x03];
    rig.port().transmit(&command).expect("transmit");
    assert!(
        !rig.driving().unwrap_or(false),
        "the port must release the bus after sending"
    );
    assert_eq!(
        rig.peer_receive(Duration::from_secs(2)),
        command.to_vec(),
        "the peer must get every byte"
    );

    let answer = [0x06, 0x00, 0x7F, 0x80];
    rig.peer_send(&answer);
    let mut got = Vec::new();
    for _ in 0..20 {
        let n = rig
            .port()
            .receive(&mut buf, Duration::from_millis(100))
            .expect("receive");
        got.extend_from_slice(&buf[..n]);
        if got.len() >= answer.len() {
            break;
        }
    }
    assert_eq!(
        got,
        answer.to_vec(),
        "the port must get the peer's answer intact"
    );
}
