//! Wiegand card and keypad formats. (Being implemented: see the decoder helper.)

use super::Bits;

/// A card number as the format carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardNumber(pub u64);

/// A facility (site) code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FacilityCode(pub u32);

/// A key of a reader's keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// 0–9.
    Digit(u8),
    /// `*` (often "clear").
    Star,
    /// `#` (often "enter").
    Hash,
}

/// A frame layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// HID H10301, 26 bits: FC 8 + CN 16.
    H10301,
    /// Raw passthrough of any length.
    Raw,
}

/// What a frame means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A card.
    Card {
        /// The format it was read in.
        format: Format,
        /// Its facility code (0 for formats without one).
        facility: FacilityCode,
        /// Its number.
        number: CardNumber,
    },
    /// A key pressed on the reader's keypad.
    Key(Key),
    /// A frame passed through undecoded.
    Raw(Bits),
}

/// A frame that does not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// No enabled format has this many bits.
    #[error("no enabled wiegand format has {len} bits")]
    UnknownLength {
        /// The frame length.
        len: usize,
    },
}

impl Format {
    /// Encodes a credential.
    pub fn encode(self, _credential: &Credential) -> Result<Bits, FormatError> {
        Err(FormatError::UnknownLength { len: 0 })
    }

    /// Decodes a frame.
    pub fn decode(self, bits: &Bits) -> Result<Credential, FormatError> {
        Err(FormatError::UnknownLength { len: bits.len() })
    }
}
