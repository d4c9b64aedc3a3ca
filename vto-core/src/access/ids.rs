//! Names for the things access control talks about, so a room can never be passed where a
//! card or a reader was meant.

use core::fmt;
use core::num::NonZeroU32;

use vto_hal::wiegand::format::{CardNumber, FacilityCode};
use vto_hal::wiegand::Credential;

/// One of the station's two locks (the manual's Local and RS-485 pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DoorId {
    /// The lock on the station's own relay port.
    Local,
    /// The lock driven through the RS-485 port.
    Rs485,
}

impl DoorId {
    /// Both locks, in index order.
    pub const ALL: [DoorId; 2] = [DoorId::Local, DoorId::Rs485];

    /// 0 for the local lock, 1 for the RS-485 lock.
    pub const fn index(self) -> usize {
        match self {
            Self::Local => 0,
            Self::Rs485 => 1,
        }
    }
}

impl fmt::Display for DoorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Local => "local lock",
            Self::Rs485 => "RS-485 lock",
        })
    }
}

/// A place where credentials are presented: a Wiegand reader, the station's keypad, a
/// fingerprint scanner. Failed attempts are counted per reader, so a brute-force attempt
/// at one reader does not lock out the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReaderId(u8);

impl ReaderId {
    /// How many readers the engine tracks; ids are `0..MAX`.
    pub const MAX: usize = 8;
    /// The station's built-in card reader.
    pub const BUILT_IN: Self = Self(0);
    /// The station's own keypad.
    pub const KEYPAD: Self = Self(1);
    /// The fingerprint scanner.
    pub const FINGERPRINT: Self = Self(2);
    /// An external Wiegand reader.
    pub const EXTERNAL: Self = Self(3);

    /// Reader `n`, if `n` is below [`ReaderId::MAX`].
    pub const fn new(n: u8) -> Option<Self> {
        if (n as usize) < Self::MAX {
            Some(Self(n))
        } else {
            None
        }
    }

    /// The reader's number, `0..MAX`.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for ReaderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reader {}", self.0)
    }
}

/// A room (an indoor monitor's household), as numbered on the SIP server's VTH list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoomNumber(pub u32);

impl fmt::Display for RoomNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "room {}", self.0)
    }
}

/// A person with credentials (the owner of a card, a password or a fingerprint). The
/// name and other details live in the station's database; the core needs only the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(NonZeroU32);

impl UserId {
    /// User `n`; `None` for 0, which no user has (keypads use it for "no entry").
    pub const fn new(n: u32) -> Option<Self> {
        match NonZeroU32::new(n) {
            Some(n) => Some(Self(n)),
            None => None,
        }
    }

    /// The user's number.
    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user {}", self.0)
    }
}

/// A fingerprint template's id, as the scanner reports a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FingerprintId(pub u32);

impl fmt::Display for FingerprintId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fingerprint {}", self.0)
    }
}

/// A card's identity: facility code and card number as decoded by vto-hal's Wiegand
/// formats. Two cards with the same number on different sites are different cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardId {
    /// The site code (0 for formats without one).
    pub facility: FacilityCode,
    /// The card's number.
    pub number: CardNumber,
}

impl CardId {
    /// Card `number` of facility `facility`.
    pub const fn new(facility: u32, number: u64) -> Self {
        Self {
            facility: FacilityCode(facility),
            number: CardNumber(number),
        }
    }

    /// The card a decoded Wiegand frame carries; `None` for keypad keys and raw frames.
    pub fn from_credential(credential: &Credential) -> Option<Self> {
        match credential {
            Credential::Card {
                facility, number, ..
            } => Some(Self {
                facility: *facility,
                number: *number,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "card {}:{}", self.facility.0, self.number.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vto_hal::wiegand::{format::Key, Format};

    #[test]
    fn a_decoded_card_keeps_its_site_and_number_and_a_key_is_no_card() {
        let card = Credential::Card {
            format: Format::H10301,
            facility: FacilityCode(12),
            number: CardNumber(3456),
        };
        assert_eq!(CardId::from_credential(&card), Some(CardId::new(12, 3456)));
        assert_eq!(CardId::from_credential(&Credential::Key(Key::Hash)), None);
    }

    #[test]
    fn reader_and_user_ids_refuse_what_they_cannot_hold() {
        assert_eq!(ReaderId::new(8), None);
        assert_eq!(ReaderId::new(7).map(ReaderId::index), Some(7));
        assert_eq!(UserId::new(0), None);
    }
}
