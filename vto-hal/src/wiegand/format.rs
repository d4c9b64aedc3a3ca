//! Wiegand card and keypad formats: what the bits of a frame mean.
//!
//! A [`Format`] knows its length, where its facility code and card number sit and which
//! parity bits protect them. [`decode`] picks the format by the frame's length among those
//! a site enables, in the order given, so that a 37-bit frame is read as H10302 or H10304
//! as the site decides. A frame that does not decode is an expected event, not a bug: the
//! [`FormatError`] says what is wrong with it (which parity bit, which length) so that the
//! access log can tell a dirty card from a misconfigured reader.
//!
//! Bit positions in this module and in its messages count from 1 for the first bit on the
//! wire, as the HID format sheets do. The layouts and parity masks agree with the
//! Proxmark3 client (`client/src/wiegand_formats.c`, `Pack_H10301`, `Pack_C1k35s`,
//! `Pack_H10302`, `Pack_H10304`); see `docs/wiegand.md` for the tables.

use core::fmt;
use core::str::FromStr;

use super::{Bits, MAX_BITS};

/// A card number as the format carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CardNumber(pub u64);

/// A facility (site) code: the part of a card's identity shared by a site's cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FacilityCode(pub u32);

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for FacilityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

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

impl Key {
    /// The key a keypad sends as `code` (0–9, 0xA for `*`, 0xB for `#`), if any.
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0..=9 => Some(Self::Digit(code)),
            0xA => Some(Self::Star),
            0xB => Some(Self::Hash),
            _ => None,
        }
    }

    /// The 4-bit code a keypad sends for this key; `None` for a digit above 9.
    pub const fn code(self) -> Option<u8> {
        match self {
            Self::Digit(d) if d <= 9 => Some(d),
            Self::Digit(_) => None,
            Self::Star => Some(0xA),
            Self::Hash => Some(0xB),
        }
    }
}

impl fmt::Display for Key {
    /// The key's legend: `0`–`9`, `*` or `#`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Digit(d) => write!(f, "{d}"),
            Self::Star => f.write_str("*"),
            Self::Hash => f.write_str("#"),
        }
    }
}

/// A frame layout.
///
/// Card formats have a fixed length; [`Raw`](Self::Raw) takes any length, so that a site
/// can log or forward cards in formats vto does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// HID H10301, 26 bits: even parity, facility code 8, card number 16, odd parity.
    H10301,
    /// HID H10306, 34 bits: even parity, facility code 16, card number 16, odd parity.
    H10306,
    /// HID H10302, 37 bits: even parity, card number 35, odd parity; no facility code.
    H10302,
    /// HID H10304, 37 bits: even parity, facility code 16, card number 19, odd parity.
    H10304,
    /// HID Corporate 1000, 35 bits: three parity bits, company code 12, card number 20.
    Corporate1000,
    /// Any length, passed through as [`Credential::Raw`].
    Raw,
    /// A keypad sending each key as a 4-bit burst (0–9, 0xA = `*`, 0xB = `#`).
    Keypad4,
    /// A keypad sending each key as an 8-bit burst: the complement of the code, then the
    /// code, so that a corrupted burst is detected.
    Keypad8,
}

/// Whether a parity bit makes the count of ones it covers even or odd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parity {
    /// The covered bits, parity bit included, hold an even number of ones.
    Even,
    /// The covered bits, parity bit included, hold an odd number of ones.
    Odd,
}

impl fmt::Display for Parity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Even => "even",
            Self::Odd => "odd",
        })
    }
}

/// One parity bit of a format and the bits it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParityCheck {
    position: u8,
    kind: Parity,
    /// Covered wire positions, parity bit included: bit `p - 1` for position `p`.
    wire_mask: u64,
    /// The same set over the frame's value, where position `p` is bit `len - p`.
    value_mask: u64,
}

impl ParityCheck {
    const fn new(len: u8, position: u8, kind: Parity, wire_mask: u64) -> Self {
        Self {
            position,
            kind,
            wire_mask,
            value_mask: wire_mask.reverse_bits() >> (64 - len as u32),
        }
    }

    /// The parity bit's position on the wire, from 1 for the first bit.
    pub const fn position(self) -> usize {
        self.position as usize
    }

    /// Even or odd.
    pub const fn kind(self) -> Parity {
        self.kind
    }

    /// Whether the bit at wire `position` (from 1) counts towards this parity.
    pub const fn covers(self, position: usize) -> bool {
        position >= 1 && position <= 64 && (self.wire_mask >> (position - 1)) & 1 == 1
    }

    /// Whether a frame of the format, as its binary value, satisfies this parity.
    fn holds(self, value: u64) -> bool {
        let odd = (value & self.value_mask).count_ones() % 2 == 1;
        odd == matches!(self.kind, Parity::Odd)
    }
}

/// Wire positions `first..=last` (from 1) as a mask: bit `p - 1` for position `p`.
const fn span(first: u8, last: u8) -> u64 {
    let mut mask = 0;
    let mut p = first;
    while p <= last {
        mask |= 1 << (p - 1);
        p += 1;
    }
    mask
}

/// Wire positions `first..=last`, except every third one from `skip_from` on.
const fn span_skipping_thirds(first: u8, last: u8, skip_from: u8) -> u64 {
    let mut mask = 0;
    let mut p = first;
    while p <= last {
        if p < skip_from || (p - skip_from) % 3 != 0 {
            mask |= 1 << (p - 1);
        }
        p += 1;
    }
    mask
}

use Parity::{Even, Odd};

/// Bit 1 even over bits 1–13, bit 26 odd over bits 14–26.
const H10301_PARITY: [ParityCheck; 2] = [
    ParityCheck::new(26, 1, Even, span(1, 13)),
    ParityCheck::new(26, 26, Odd, span(14, 26)),
];

/// Bit 1 even over bits 1–17, bit 34 odd over bits 18–34.
const H10306_PARITY: [ParityCheck; 2] = [
    ParityCheck::new(34, 1, Even, span(1, 17)),
    ParityCheck::new(34, 34, Odd, span(18, 34)),
];

/// Bit 1 even over bits 1–19, bit 37 odd over bits 19–37 (bit 19 counts in both).
const H1030X_PARITY: [ParityCheck; 2] = [
    ParityCheck::new(37, 1, Even, span(1, 19)),
    ParityCheck::new(37, 37, Odd, span(19, 37)),
];

/// Corporate 1000, in the order they are computed (each covers the ones before it):
/// bit 2 even over 2, 3, 4, 6, 7, 9, 10, …, 33, 34 (every third bit from 5 left out);
/// bit 35 odd over 2, 3, 5, 6, 8, 9, …, 32, 33, 35 (every third bit from 4 left out);
/// bit 1 odd over the whole frame.
const CORPORATE_1000_PARITY: [ParityCheck; 3] = [
    ParityCheck::new(35, 2, Even, span(2, 2) | span_skipping_thirds(3, 34, 5)),
    ParityCheck::new(35, 35, Odd, span(35, 35) | span_skipping_thirds(2, 33, 4)),
    ParityCheck::new(35, 1, Odd, span(1, 35)),
];

/// A number field: `width` bits from wire position `first` (from 1).
#[derive(Debug, Clone, Copy)]
struct Field {
    first: u8,
    width: u8,
}

impl Field {
    const fn max(self) -> u64 {
        (1 << self.width) - 1
    }

    const fn shift(self, len: u8) -> u32 {
        (len - (self.first - 1) - self.width) as u32
    }

    const fn read(self, value: u64, len: u8) -> u64 {
        (value >> self.shift(len)) & self.max()
    }

    /// `n` in place; `n` is at most [`max`](Self::max).
    const fn place(self, n: u64, len: u8) -> u64 {
        (n & self.max()) << self.shift(len)
    }
}

/// Where a card format keeps its fields.
#[derive(Debug, Clone, Copy)]
struct CardLayout {
    len: u8,
    facility: Option<Field>,
    number: Field,
    /// In the order the encoder computes them.
    parities: &'static [ParityCheck],
}

const H10301_LAYOUT: CardLayout = CardLayout {
    len: 26,
    facility: Some(Field { first: 2, width: 8 }),
    number: Field {
        first: 10,
        width: 16,
    },
    parities: &H10301_PARITY,
};

const H10306_LAYOUT: CardLayout = CardLayout {
    len: 34,
    facility: Some(Field {
        first: 2,
        width: 16,
    }),
    number: Field {
        first: 18,
        width: 16,
    },
    parities: &H10306_PARITY,
};

const H10302_LAYOUT: CardLayout = CardLayout {
    len: 37,
    facility: None,
    number: Field {
        first: 2,
        width: 35,
    },
    parities: &H1030X_PARITY,
};

const H10304_LAYOUT: CardLayout = CardLayout {
    len: 37,
    facility: Some(Field {
        first: 2,
        width: 16,
    }),
    number: Field {
        first: 18,
        width: 19,
    },
    parities: &H1030X_PARITY,
};

const CORPORATE_1000_LAYOUT: CardLayout = CardLayout {
    len: 35,
    facility: Some(Field {
        first: 3,
        width: 12,
    }),
    number: Field {
        first: 15,
        width: 20,
    },
    parities: &CORPORATE_1000_PARITY,
};

/// The longest fixed-length format; card values are held in a `u64`.
const LONGEST_FORMAT: usize = 37;
const _: () = assert!(LONGEST_FORMAT <= MAX_BITS && LONGEST_FORMAT <= 64);

/// A frame of `len` bits holding `value`; `len` is a format's length.
fn frame(value: u64, len: u8) -> Bits {
    // Every format length is at most LONGEST_FORMAT, checked against MAX_BITS above.
    Bits::from_value(u128::from(value), usize::from(len))
        .expect("format lengths are at most 37 bits, within MAX_BITS")
}

impl Format {
    /// Every format, in the order [`decode`] would try them if all were enabled.
    pub const ALL: [Format; 8] = [
        Format::H10301,
        Format::H10306,
        Format::Corporate1000,
        Format::H10302,
        Format::H10304,
        Format::Keypad4,
        Format::Keypad8,
        Format::Raw,
    ];

    /// The configuration names accepted by [`FromStr`], in the order of [`ALL`](Self::ALL).
    pub const NAMES: [&'static str; 8] = [
        "h10301", "h10306", "corp1000", "h10302", "h10304", "keypad4", "keypad8", "raw",
    ];

    const fn layout(self) -> Option<&'static CardLayout> {
        match self {
            Self::H10301 => Some(&H10301_LAYOUT),
            Self::H10306 => Some(&H10306_LAYOUT),
            Self::H10302 => Some(&H10302_LAYOUT),
            Self::H10304 => Some(&H10304_LAYOUT),
            Self::Corporate1000 => Some(&CORPORATE_1000_LAYOUT),
            Self::Raw | Self::Keypad4 | Self::Keypad8 => None,
        }
    }

    /// The frame length; `None` for [`Raw`](Self::Raw), which takes any.
    pub const fn bit_len(self) -> Option<usize> {
        match self {
            Self::Keypad4 => Some(4),
            Self::Keypad8 => Some(8),
            Self::Raw => None,
            _ => match self.layout() {
                Some(layout) => Some(layout.len as usize),
                None => None,
            },
        }
    }

    /// The name used in configuration files and accepted by [`FromStr`].
    pub const fn name(self) -> &'static str {
        match self {
            Self::H10301 => "h10301",
            Self::H10306 => "h10306",
            Self::H10302 => "h10302",
            Self::H10304 => "h10304",
            Self::Corporate1000 => "corp1000",
            Self::Raw => "raw",
            Self::Keypad4 => "keypad4",
            Self::Keypad8 => "keypad8",
        }
    }

    /// The name in messages, as the format sheets write it: `H10301`, `Corporate 1000`.
    pub const fn label(self) -> &'static str {
        match self {
            Self::H10301 => "H10301",
            Self::H10306 => "H10306",
            Self::H10302 => "H10302",
            Self::H10304 => "H10304",
            Self::Corporate1000 => "Corporate 1000",
            Self::Raw => "raw",
            Self::Keypad4 => "4-bit keypad",
            Self::Keypad8 => "8-bit keypad",
        }
    }

    /// The largest facility code the format carries; `None` if it has no facility code.
    pub const fn max_facility(self) -> Option<FacilityCode> {
        match self.layout() {
            Some(CardLayout {
                facility: Some(field),
                ..
            }) => Some(FacilityCode(field.max() as u32)),
            _ => None,
        }
    }

    /// The largest card number the format carries; `None` if it carries no card.
    pub const fn max_number(self) -> Option<CardNumber> {
        match self.layout() {
            Some(layout) => Some(CardNumber(layout.number.max())),
            None => None,
        }
    }

    /// The parity bits that protect the format's frames (empty for keypads and raw).
    pub const fn parity_checks(self) -> &'static [ParityCheck] {
        match self.layout() {
            Some(layout) => layout.parities,
            None => &[],
        }
    }

    /// Encodes a credential as a frame of this format.
    ///
    /// A card's own `format` field is not consulted: a card read in one format can be
    /// passed on in another, as long as its numbers fit.
    pub fn encode(self, credential: &Credential) -> Result<Bits, FormatError> {
        match (self, credential) {
            (Self::Raw, Credential::Raw(bits)) => Ok(*bits),
            (Self::Keypad4 | Self::Keypad8, Credential::Key(key)) => self.encode_key(*key),
            (
                _,
                Credential::Card {
                    facility, number, ..
                },
            ) => match self.layout() {
                Some(layout) => self.encode_card(layout, *facility, *number),
                None => Err(self.cannot_carry(credential)),
            },
            _ => Err(self.cannot_carry(credential)),
        }
    }

    /// Decodes a frame that is known to be in this format.
    ///
    /// To pick the format by the frame's length, use the free function [`decode`].
    pub fn decode(self, bits: &Bits) -> Result<Credential, FormatError> {
        match self {
            Self::Raw => Ok(Credential::Raw(*bits)),
            Self::Keypad4 => {
                self.check_len(bits, 4)?;
                let code = bits.value() as u8;
                Key::from_code(code)
                    .map(Credential::Key)
                    .ok_or(FormatError::KeyCode { code })
            }
            Self::Keypad8 => {
                self.check_len(bits, 8)?;
                let burst = bits.value() as u8;
                let (high, code) = (burst >> 4, burst & 0xF);
                if high != !code & 0xF {
                    return Err(FormatError::KeyComplement { burst });
                }
                Key::from_code(code)
                    .map(Credential::Key)
                    .ok_or(FormatError::KeyCode { code })
            }
            _ => match self.layout() {
                Some(layout) => self.decode_card(layout, bits),
                None => Ok(Credential::Raw(*bits)),
            },
        }
    }

    fn check_len(self, bits: &Bits, expected: usize) -> Result<(), FormatError> {
        if bits.len() == expected {
            Ok(())
        } else {
            Err(FormatError::WrongLength {
                format: self,
                expected,
                len: bits.len(),
            })
        }
    }

    fn cannot_carry(self, credential: &Credential) -> FormatError {
        FormatError::CannotCarry {
            format: self,
            credential: credential.kind(),
        }
    }

    fn encode_key(self, key: Key) -> Result<Bits, FormatError> {
        let code = match key.code() {
            Some(code) => code,
            None => {
                let Key::Digit(digit) = key else {
                    // Only a digit above 9 has no code.
                    return Err(self.cannot_carry(&Credential::Key(key)));
                };
                return Err(FormatError::KeyDigit { digit });
            }
        };
        Ok(match self {
            Self::Keypad8 => frame(u64::from((!code & 0xF) << 4 | code), 8),
            _ => frame(u64::from(code), 4),
        })
    }

    fn encode_card(
        self,
        layout: &CardLayout,
        facility: FacilityCode,
        number: CardNumber,
    ) -> Result<Bits, FormatError> {
        let mut value = 0;
        match layout.facility {
            Some(field) if u64::from(facility.0) > field.max() => {
                return Err(FormatError::FacilityOutOfRange {
                    format: self,
                    facility,
                    max: FacilityCode(field.max() as u32),
                })
            }
            Some(field) => value |= field.place(u64::from(facility.0), layout.len),
            None if facility.0 != 0 => {
                return Err(FormatError::NoFacility {
                    format: self,
                    facility,
                })
            }
            None => {}
        }
        if number.0 > layout.number.max() {
            return Err(FormatError::NumberOutOfRange {
                format: self,
                number,
                max: CardNumber(layout.number.max()),
            });
        }
        value |= layout.number.place(number.0, layout.len);
        for check in layout.parities {
            if !check.holds(value) {
                value |= 1 << (layout.len - check.position);
            }
        }
        Ok(frame(value, layout.len))
    }

    fn decode_card(self, layout: &CardLayout, bits: &Bits) -> Result<Credential, FormatError> {
        self.check_len(bits, usize::from(layout.len))?;
        // At most LONGEST_FORMAT (37) bits, checked just above.
        let value = bits.value() as u64;
        let failed = layout
            .parities
            .iter()
            .enumerate()
            .filter(|(_, check)| !check.holds(value))
            .fold(0u8, |mask, (i, _)| mask | 1 << i);
        if failed != 0 {
            return Err(FormatError::Parity {
                format: self,
                failed: FailedParities {
                    format: self,
                    mask: failed,
                },
            });
        }
        Ok(Credential::Card {
            format: self,
            facility: FacilityCode(layout.facility.map_or(0, |f| f.read(value, layout.len)) as u32),
            number: CardNumber(layout.number.read(value, layout.len)),
        })
    }
}

impl fmt::Display for Format {
    /// The label and the length: `H10301 26-bit`, `raw`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::H10301 | Self::H10306 | Self::H10302 | Self::H10304 | Self::Corporate1000 => {
                write!(f, "{} {}-bit", self.label(), self.bit_len().unwrap_or(0))
            }
            _ => f.write_str(self.label()),
        }
    }
}

/// A format name that is not one of [`Format::NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown wiegand format name; expected one of h10301, h10306, corp1000, h10302, h10304, \
     keypad4, keypad8, raw"
)]
pub struct UnknownFormatName;

impl FromStr for Format {
    type Err = UnknownFormatName;

    /// Parses a configuration name such as `h10301` or `corp1000`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(s))
            .ok_or(UnknownFormatName)
    }
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

/// The kind of a [`Credential`], for messages about what a format cannot carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// [`Credential::Card`].
    Card,
    /// [`Credential::Key`].
    Key,
    /// [`Credential::Raw`].
    Raw,
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Card => "a card",
            Self::Key => "a keypad key",
            Self::Raw => "a raw frame",
        })
    }
}

impl Credential {
    /// Card, key or raw frame.
    pub const fn kind(&self) -> CredentialKind {
        match self {
            Self::Card { .. } => CredentialKind::Card,
            Self::Key(_) => CredentialKind::Key,
            Self::Raw(_) => CredentialKind::Raw,
        }
    }
}

impl fmt::Display for Credential {
    /// As an access log shows it: `H10301 123:45678`, `H10302 12345`, `key #`,
    /// `raw 3-bit frame 101`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Card {
                format,
                facility,
                number,
            } if format.max_facility().is_some() => {
                write!(f, "{} {facility}:{number}", format.label())
            }
            Self::Card { format, number, .. } => write!(f, "{} {number}", format.label()),
            Self::Key(key) => write!(f, "key {key}"),
            Self::Raw(bits) => write!(f, "raw {}-bit frame {bits}", bits.len()),
        }
    }
}

/// The parity bits a frame fails, out of its format's [`ParityCheck`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FailedParities {
    format: Format,
    /// Bit `i` set: `format.parity_checks()[i]` failed.
    mask: u8,
}

impl FailedParities {
    /// The failed parity bits, by position on the wire.
    pub fn iter(self) -> impl Iterator<Item = ParityCheck> {
        let mut failed = [None; 3];
        let checks = self.format.parity_checks();
        for (slot, (_, check)) in failed.iter_mut().zip(
            checks
                .iter()
                .enumerate()
                .filter(move |(i, _)| self.mask >> i & 1 == 1),
        ) {
            *slot = Some(*check);
        }
        failed.sort_unstable_by_key(|c| c.map_or(usize::MAX, |c| c.position()));
        failed.into_iter().flatten()
    }

    /// How many parity bits failed.
    pub const fn len(self) -> usize {
        self.mask.count_ones() as usize
    }

    /// Whether none failed (never the case in a [`FormatError::Parity`]).
    pub const fn is_empty(self) -> bool {
        self.mask == 0
    }

    /// Whether every parity bit of the format failed.
    pub const fn all(self) -> bool {
        self.len() == self.format.parity_checks().len()
    }

    /// Whether the parity bit at wire `position` (from 1) failed.
    pub fn includes_bit(self, position: usize) -> bool {
        self.iter().any(|check| check.position() == position)
    }
}

impl fmt::Display for FailedParities {
    /// `its even parity (bit 1)`, `both parities (bits 1 and 26)`, `all three parities
    /// (bits 1, 2 and 35)`, or the failed ones joined by `and`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut failed = self.iter();
        match (
            self.len(),
            self.all(),
            failed.next(),
            failed.next(),
            failed.next(),
        ) {
            (2, true, Some(a), Some(b), _) => write!(
                f,
                "both parities (bits {} and {})",
                a.position(),
                b.position()
            ),
            (3, true, Some(a), Some(b), Some(c)) => write!(
                f,
                "all three parities (bits {}, {} and {})",
                a.position(),
                b.position(),
                c.position()
            ),
            _ => {
                for (i, check) in self.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" and ")?;
                    }
                    write!(f, "its {} parity (bit {})", check.kind(), check.position())?;
                }
                Ok(())
            }
        }
    }
}

/// A frame that does not decode, or a credential a format cannot encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// No enabled format has this many bits (and raw passthrough is off).
    #[error("no enabled wiegand format has {len} bits")]
    UnknownLength {
        /// The frame length.
        len: usize,
    },
    /// A frame given to a format of another length.
    #[error("{} frames have {expected} bits, not {len}", .format.label())]
    WrongLength {
        /// The format.
        format: Format,
        /// Its length.
        expected: usize,
        /// The frame's length.
        len: usize,
    },
    /// The frame has the right length but fails parity: a misread or a dirty card.
    #[error("{} frame fails {failed}", .format.label())]
    Parity {
        /// The format.
        format: Format,
        /// Which of its parity bits failed.
        failed: FailedParities,
    },
    /// A keypad code that is no key (0xC–0xF).
    #[error("keypad code 0x{code:X} is not a key (0x0-0x9 are digits, 0xA is * and 0xB is #)")]
    KeyCode {
        /// The 4-bit code.
        code: u8,
    },
    /// An 8-bit keypad burst whose two halves disagree.
    #[error(
        "8-bit keypad burst 0x{burst:02X} is corrupt: its high nibble is not the complement \
         of its low nibble"
    )]
    KeyComplement {
        /// The burst as received.
        burst: u8,
    },
    /// A facility code too large for the format.
    #[error("facility code {facility} is outside 0..={max} for {}", .format.label())]
    FacilityOutOfRange {
        /// The format.
        format: Format,
        /// The facility code.
        facility: FacilityCode,
        /// The largest the format carries.
        max: FacilityCode,
    },
    /// A card number too large for the format.
    #[error("card number {number} is outside 0..={max} for {}", .format.label())]
    NumberOutOfRange {
        /// The format.
        format: Format,
        /// The card number.
        number: CardNumber,
        /// The largest the format carries.
        max: CardNumber,
    },
    /// A non-zero facility code for a format that has none.
    #[error("{} has no facility code, so facility code {facility} cannot be encoded (only 0)", .format.label())]
    NoFacility {
        /// The format.
        format: Format,
        /// The facility code.
        facility: FacilityCode,
    },
    /// A keypad digit above 9.
    #[error("keypad digit {digit} is outside 0..=9")]
    KeyDigit {
        /// The digit.
        digit: u8,
    },
    /// A card given to a keypad format, a key to a card format, and so on.
    #[error("{} cannot carry {credential}", .format.label())]
    CannotCarry {
        /// The format.
        format: Format,
        /// What it was given.
        credential: CredentialKind,
    },
}

/// Decodes a frame with the first of `formats` whose length matches.
///
/// The order resolves lengths shared by several formats: list [`Format::H10302`] before
/// [`Format::H10304`] to read 37-bit frames as H10302. A frame of another length passes
/// through as [`Credential::Raw`] if `formats` contains [`Format::Raw`], and is refused
/// with its length otherwise.
pub fn decode(bits: &Bits, formats: &[Format]) -> Result<Credential, FormatError> {
    let len = bits.len();
    if let Some(format) = formats.iter().find(|f| f.bit_len() == Some(len)) {
        return format.decode(bits);
    }
    if formats.contains(&Format::Raw) {
        return Ok(Credential::Raw(*bits));
    }
    Err(FormatError::UnknownLength { len })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(format: Format, facility: u32, number: u64) -> Credential {
        Credential::Card {
            format,
            facility: FacilityCode(facility),
            number: CardNumber(number),
        }
    }

    fn bits(s: &str) -> Bits {
        Bits::parse(s).unwrap()
    }

    /// `bits` with wire position `p` (from 1) flipped.
    fn flip(b: Bits, p: usize) -> Bits {
        Bits::from_value(b.value() ^ 1 << (b.len() - p), b.len()).unwrap()
    }

    // H10301 FC 1 CN 1, by hand: FC = 00000001, CN = 0000000000000001.
    // Bits 2–13 (FC + first 4 CN bits) hold one 1, so even parity bit 1 is 1;
    // bits 14–25 (last 12 CN bits) hold one 1, so odd parity bit 26 is 0.
    const H10301_FC1_CN1: &str = "10000000100000000000000010";
    // H10301 FC 123 CN 45678: FC = 01111011 (six 1s), CN = 1011 001001101110 (0xB26E).
    // Bits 2–13 hold 6 + 3 = 9 ones: bit 1 = 1. Bits 14–25 hold 6 ones: bit 26 = 1.
    const H10301_FC123_CN45678: &str = "10111101110110010011011101";

    #[test]
    fn h10301_fc1_cn1_encodes_to_the_known_frame() {
        let encoded = Format::H10301.encode(&card(Format::H10301, 1, 1)).unwrap();
        assert_eq!(encoded.to_string(), H10301_FC1_CN1);
        assert_eq!(
            Format::H10301.decode(&bits(H10301_FC1_CN1)),
            Ok(card(Format::H10301, 1, 1))
        );
    }

    #[test]
    fn h10301_fc123_cn45678_encodes_to_the_known_frame() {
        let encoded = Format::H10301
            .encode(&card(Format::H10301, 123, 45678))
            .unwrap();
        assert_eq!(encoded.to_string(), H10301_FC123_CN45678);
        assert_eq!(
            decode(&bits(H10301_FC123_CN45678), &[Format::H10301]),
            Ok(card(Format::H10301, 123, 45678))
        );
    }

    #[test]
    fn h10301_frame_with_bad_even_parity_names_the_leading_bit() {
        let e = Format::H10301
            .decode(&flip(bits(H10301_FC1_CN1), 1))
            .unwrap_err();
        assert_eq!(e.to_string(), "H10301 frame fails its even parity (bit 1)");
    }

    #[test]
    fn h10301_frame_with_bad_odd_parity_names_the_trailing_bit() {
        let e = Format::H10301
            .decode(&flip(bits(H10301_FC1_CN1), 26))
            .unwrap_err();
        assert_eq!(e.to_string(), "H10301 frame fails its odd parity (bit 26)");
        let FormatError::Parity { failed, .. } = e else {
            panic!("{e:?}")
        };
        assert!(failed.includes_bit(26) && !failed.includes_bit(1));
    }

    #[test]
    fn h10301_frame_failing_both_parities_says_both() {
        let e = Format::H10301
            .decode(&flip(flip(bits(H10301_FC1_CN1), 1), 26))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "H10301 frame fails both parities (bits 1 and 26)"
        );
    }

    #[test]
    fn h10306_vectors_match_the_reference_packing() {
        // Computed with the Proxmark3 Pack_H10306 layout.
        for (fc, cn, frame) in [
            (1, 1, "1000000000000000100000000000000010"),
            (65535, 65535, "0111111111111111111111111111111111"),
        ] {
            let c = card(Format::H10306, fc, cn);
            assert_eq!(Format::H10306.encode(&c).unwrap().to_string(), frame);
            assert_eq!(Format::H10306.decode(&bits(frame)), Ok(c));
        }
    }

    #[test]
    fn corporate_1000_vectors_match_the_reference_packing() {
        // Computed with Proxmark3's Pack_C1k35s (masks 0xB6DB6DB6 / 0x6DB6DB6C).
        for (fc, cn, frame) in [
            (1, 1, "11000000000001000000000000000000011"),
            (222, 12345, "01000011011110000000110000001110010"),
            (118, 1603, "11000001110110000000000110010000111"),
            (4095, 1_048_575, "10111111111111111111111111111111110"),
        ] {
            let c = card(Format::Corporate1000, fc, cn);
            assert_eq!(Format::Corporate1000.encode(&c).unwrap().to_string(), frame);
            assert_eq!(Format::Corporate1000.decode(&bits(frame)), Ok(c));
        }
    }

    #[test]
    fn corporate_1000_parity_masks_follow_the_every_third_bit_pattern() {
        let [even, odd, overall] = CORPORATE_1000_PARITY;
        assert_eq!((even.position(), even.kind()), (2, Even));
        assert!([2, 3, 4, 6, 7, 9, 10, 33, 34]
            .iter()
            .all(|&p| even.covers(p)));
        assert!(![1, 5, 8, 32, 35].iter().any(|&p| even.covers(p)));
        // Bits 3–34 less every third one from 5 (ten of them), plus bit 2 itself.
        assert_eq!((1..=35).filter(|&p| even.covers(p)).count(), 23);
        assert_eq!((odd.position(), odd.kind()), (35, Odd));
        assert!([2, 3, 5, 6, 8, 9, 32, 33, 35]
            .iter()
            .all(|&p| odd.covers(p)));
        assert!(![1, 4, 7, 31, 34].iter().any(|&p| odd.covers(p)));
        assert_eq!((1..=35).filter(|&p| overall.covers(p)).count(), 35);
    }

    #[test]
    fn corporate_1000_names_which_of_its_three_parities_failed() {
        let good = bits("11000001110110000000000110010000111");
        let e = Format::Corporate1000.decode(&flip(good, 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Corporate 1000 frame fails its odd parity (bit 1)"
        );
        // Bit 2 is covered by all three checks.
        let e = Format::Corporate1000.decode(&flip(good, 2)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Corporate 1000 frame fails all three parities (bits 1, 2 and 35)"
        );
        // Bit 4 is covered by the even (bit 2) and overall (bit 1) parities only.
        let e = Format::Corporate1000.decode(&flip(good, 4)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Corporate 1000 frame fails its odd parity (bit 1) and its even parity (bit 2)"
        );
    }

    #[test]
    fn h10302_and_h10304_vectors_match_the_reference_packing() {
        let c = card(Format::H10302, 0, 123_456_789);
        let frame = "1000000001110101101111001101000101011";
        assert_eq!(Format::H10302.encode(&c).unwrap().to_string(), frame);
        assert_eq!(Format::H10302.decode(&bits(frame)), Ok(c));
        let c = card(Format::H10304, 118, 1603);
        let frame = "1000000000111011000000000110010000110";
        assert_eq!(Format::H10304.encode(&c).unwrap().to_string(), frame);
        assert_eq!(Format::H10304.decode(&bits(frame)), Ok(c));
    }

    #[test]
    fn the_order_of_enabled_formats_resolves_37_bit_frames() {
        let frame = Format::H10304
            .encode(&card(Format::H10304, 118, 1603))
            .unwrap();
        assert_eq!(
            decode(&frame, &[Format::H10302, Format::H10304]),
            Ok(card(Format::H10302, 0, (118 << 19) | 1603))
        );
        assert_eq!(
            decode(&frame, &[Format::H10304, Format::H10302]),
            Ok(card(Format::H10304, 118, 1603))
        );
    }

    #[test]
    fn unknown_length_is_refused_whole_unless_raw_is_enabled() {
        let odd = bits("1010101010101010101010101010101"); // 31 bits
        assert_eq!(
            decode(&odd, &[Format::H10301, Format::H10306]),
            Err(FormatError::UnknownLength { len: 31 })
        );
        assert_eq!(
            FormatError::UnknownLength { len: 31 }.to_string(),
            "no enabled wiegand format has 31 bits"
        );
        assert_eq!(
            decode(&odd, &[Format::H10301, Format::Raw]),
            Ok(Credential::Raw(odd))
        );
        // Raw does not take over a length another enabled format claims.
        let bad = flip(bits(H10301_FC1_CN1), 26);
        assert!(matches!(
            decode(&bad, &[Format::Raw, Format::H10301]),
            Err(FormatError::Parity { .. })
        ));
    }

    #[test]
    fn a_frame_of_the_wrong_length_for_a_format_is_named() {
        let e = Format::H10306.decode(&bits(H10301_FC1_CN1)).unwrap_err();
        assert_eq!(e.to_string(), "H10306 frames have 34 bits, not 26");
    }

    #[test]
    fn encode_refuses_out_of_range_numbers_naming_value_and_maximum() {
        let e = Format::H10301
            .encode(&card(Format::H10301, 256, 1))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "facility code 256 is outside 0..=255 for H10301"
        );
        let e = Format::H10301
            .encode(&card(Format::H10301, 1, 65_536))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "card number 65536 is outside 0..=65535 for H10301"
        );
        let e = Format::Corporate1000
            .encode(&card(Format::Corporate1000, 4096, 1))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "facility code 4096 is outside 0..=4095 for Corporate 1000"
        );
    }

    #[test]
    fn encode_refuses_a_facility_code_on_a_format_without_one() {
        let e = Format::H10302
            .encode(&card(Format::H10302, 7, 1))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "H10302 has no facility code, so facility code 7 cannot be encoded (only 0)"
        );
    }

    #[test]
    fn keypad4_sends_one_key_per_burst() {
        for (code, key) in [
            (0, Key::Digit(0)),
            (9, Key::Digit(9)),
            (0xA, Key::Star),
            (0xB, Key::Hash),
        ] {
            let frame = Bits::from_value(code, 4).unwrap();
            assert_eq!(Format::Keypad4.encode(&Credential::Key(key)), Ok(frame));
            assert_eq!(decode(&frame, &[Format::Keypad4]), Ok(Credential::Key(key)));
        }
    }

    #[test]
    fn keypad4_codes_above_hash_are_refused() {
        let e = Format::Keypad4.decode(&bits("1100")).unwrap_err();
        assert_eq!(e, FormatError::KeyCode { code: 0xC });
        assert_eq!(
            e.to_string(),
            "keypad code 0xC is not a key (0x0-0x9 are digits, 0xA is * and 0xB is #)"
        );
    }

    #[test]
    fn keypad8_checks_the_complement_nibble() {
        // '5': complement 1010, then 0101.
        assert_eq!(
            Format::Keypad8.encode(&Credential::Key(Key::Digit(5))),
            Ok(bits("10100101"))
        );
        assert_eq!(
            Format::Keypad8.decode(&bits("10100101")),
            Ok(Credential::Key(Key::Digit(5)))
        );
        assert_eq!(
            Format::Keypad8.decode(&bits("01001011")),
            Ok(Credential::Key(Key::Hash))
        );
        let e = Format::Keypad8.decode(&bits("10110101")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "8-bit keypad burst 0xB5 is corrupt: its high nibble is not the complement of its low nibble"
        );
    }

    #[test]
    fn a_digit_above_nine_cannot_be_sent() {
        let e = Format::Keypad4
            .encode(&Credential::Key(Key::Digit(12)))
            .unwrap_err();
        assert_eq!(e.to_string(), "keypad digit 12 is outside 0..=9");
    }

    #[test]
    fn formats_refuse_credentials_they_cannot_carry() {
        let e = Format::Keypad4
            .encode(&card(Format::H10301, 1, 1))
            .unwrap_err();
        assert_eq!(e.to_string(), "4-bit keypad cannot carry a card");
        let e = Format::H10301
            .encode(&Credential::Key(Key::Hash))
            .unwrap_err();
        assert_eq!(e.to_string(), "H10301 cannot carry a keypad key");
    }

    #[test]
    fn a_card_read_in_one_format_can_be_sent_in_another() {
        let frame = Format::H10306
            .encode(&card(Format::H10301, 123, 45678))
            .unwrap();
        assert_eq!(
            Format::H10306.decode(&frame),
            Ok(card(Format::H10306, 123, 45678))
        );
    }

    #[test]
    fn formats_print_and_parse_by_name() {
        assert_eq!(Format::H10301.to_string(), "H10301 26-bit");
        assert_eq!(Format::Corporate1000.to_string(), "Corporate 1000 35-bit");
        assert_eq!(Format::Raw.to_string(), "raw");
        for (format, name) in Format::ALL.into_iter().zip(Format::NAMES) {
            assert_eq!(format.name(), name);
            assert_eq!(name.parse(), Ok(format));
        }
        assert_eq!("H10301".parse(), Ok(Format::H10301));
        assert_eq!(
            "h10303".parse::<Format>().unwrap_err().to_string(),
            "unknown wiegand format name; expected one of h10301, h10306, corp1000, h10302, \
             h10304, keypad4, keypad8, raw"
        );
    }

    #[test]
    fn credentials_print_as_the_access_log_shows_them() {
        assert_eq!(
            card(Format::H10301, 123, 45678).to_string(),
            "H10301 123:45678"
        );
        assert_eq!(card(Format::H10302, 0, 99).to_string(), "H10302 99");
        assert_eq!(Credential::Key(Key::Star).to_string(), "key *");
        assert_eq!(
            Credential::Raw(bits("101")).to_string(),
            "raw 3-bit frame 101"
        );
    }

    #[test]
    fn every_format_knows_its_length_and_ranges() {
        assert_eq!(
            Format::ALL.map(Format::bit_len),
            [
                Some(26),
                Some(34),
                Some(35),
                Some(37),
                Some(37),
                Some(4),
                Some(8),
                None
            ]
        );
        assert_eq!(Format::H10304.max_facility(), Some(FacilityCode(65_535)));
        assert_eq!(Format::H10304.max_number(), Some(CardNumber((1 << 19) - 1)));
        assert_eq!(Format::H10302.max_facility(), None);
        assert_eq!(Format::H10302.max_number(), Some(CardNumber((1 << 35) - 1)));
    }
}
