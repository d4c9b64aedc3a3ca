use crate::time::Duration;
use crate::wiegand::format::{self, CardNumber, FacilityCode};
use crate::wiegand::{Bits, Credential, Format, WiegandReader};

/// A Wiegand reader under test, and a card reader's hand on D0/D1.
pub trait WiegandRig {
    /// The reader under test.
    type Reader: WiegandReader;
    /// The reader.
    fn reader(&mut self) -> &mut Self::Reader;
    /// Puts `bits` on D0/D1 as a reader would.
    fn send(&mut self, bits: &Bits);
    /// Puts one pulse on a data line that is too short to be a bit.
    fn glitch(&mut self);
    /// How long to wait for a frame before declaring it missing.
    fn patience(&self) -> Duration;
}

fn card(format: Format, facility: u32, number: u64) -> Bits {
    let credential = Credential::Card {
        format,
        facility: FacilityCode(facility),
        number: CardNumber(number),
    };
    format.encode(&credential).expect("encodable test card")
}

/// Frames arrive whole, in order, with the right FC:CN; noise is not a frame.
pub fn wiegand_reader_suite<R: WiegandRig>(rig: &mut R) {
    let patience = rig.patience();
    assert_eq!(
        rig.reader().read_frame(Duration::from_millis(50)).ok(),
        Some(None),
        "no frame while nobody presents a card"
    );

    let sent = card(Format::H10301, 123, 45678);
    rig.send(&sent);
    let frame = rig
        .reader()
        .read_frame(patience)
        .expect("read")
        .expect("a presented card must be read");
    assert_eq!(
        frame.bits, sent,
        "the frame must carry exactly the bits sent"
    );
    assert_eq!(
        format::decode(&frame.bits, &[Format::H10301]).ok(),
        Some(Credential::Card {
            format: Format::H10301,
            facility: FacilityCode(123),
            number: CardNumber(45678)
        }),
        "the frame must decode to the card's FC:CN"
    );

    let first = card(Format::H10301, 1, 1);
    let second = card(Format::H10306, 65535, 65535);
    rig.send(&first);
    rig.send(&second);
    let a = rig
        .reader()
        .read_frame(patience)
        .expect("read")
        .expect("first of two cards");
    let b = rig
        .reader()
        .read_frame(patience)
        .expect("read")
        .expect("second of two cards");
    assert_eq!(
        (a.bits, b.bits),
        (first, second),
        "two cards in a row are two frames, in order"
    );
    assert!(b.at > a.at, "frames carry increasing times");

    rig.glitch();
    let sent = card(Format::H10301, 7, 4242);
    rig.send(&sent);
    let frame = rig
        .reader()
        .read_frame(patience)
        .expect("read")
        .expect("a card after a glitch");
    assert_eq!(
        frame.bits, sent,
        "a glitch before a card must not add a bit to it"
    );
}
