//! A sequence of Wiegand bits, in the order they crossed the wire.

use core::fmt;

/// The longest frame vto handles. Real formats stop at 37 bits (a few OEM ones at 64 or
/// 80); anything longer is reported as too long, never silently cut.
pub const MAX_BITS: usize = 128;

/// Up to [`MAX_BITS`] bits, first-received bit first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Bits {
    /// Bit `i` (0 = first received) lives at position `len - 1 - i`, so the value reads
    /// as the frame's binary number.
    value: u128,
    len: u8,
}

/// A frame would exceed [`MAX_BITS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("wiegand frame is longer than {MAX_BITS} bits")]
pub struct TooLong;

impl Bits {
    /// No bits.
    pub const EMPTY: Self = Self { value: 0, len: 0 };

    /// The low `len` bits of `value`, most significant first on the wire.
    pub fn from_value(value: u128, len: usize) -> Result<Self, TooLong> {
        if len > MAX_BITS {
            return Err(TooLong);
        }
        let mask = if len == MAX_BITS {
            u128::MAX
        } else {
            (1u128 << len) - 1
        };
        Ok(Self {
            value: value & mask,
            len: len as u8,
        })
    }

    /// Parses `"0101…"`; any other character is refused with its position.
    pub fn parse(s: &str) -> Result<Self, ParseBitsError> {
        let mut bits = Self::EMPTY;
        for (pos, c) in s.chars().enumerate() {
            let bit = match c {
                '0' => false,
                '1' => true,
                _ => return Err(ParseBitsError::BadChar { pos, c }),
            };
            bits.push(bit).map_err(|_| ParseBitsError::TooLong)?;
        }
        Ok(bits)
    }

    /// Appends one bit received after all the others.
    pub fn push(&mut self, bit: bool) -> Result<(), TooLong> {
        if self.len() == MAX_BITS {
            return Err(TooLong);
        }
        self.value = (self.value << 1) | u128::from(bit);
        self.len += 1;
        Ok(())
    }

    /// The number of bits.
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether there are no bits.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The frame as a binary number, first bit most significant.
    pub const fn value(&self) -> u128 {
        self.value
    }

    /// Bit `i`, counting from 0 for the first bit received; `None` past the end.
    pub fn get(&self, i: usize) -> Option<bool> {
        (i < self.len()).then(|| (self.value >> (self.len() - 1 - i)) & 1 == 1)
    }

    /// `count` bits starting at bit `start` as a number; `None` if they run past the end
    /// or do not fit 64 bits.
    pub fn field(&self, start: usize, count: usize) -> Option<u64> {
        if count > 64 || start.checked_add(count)? > self.len() {
            return None;
        }
        let shift = self.len() - start - count;
        let mask = if count == 64 {
            u64::MAX
        } else {
            (1u64 << count) - 1
        };
        Some((self.value >> shift) as u64 & mask)
    }

    /// The number of set bits among bits `start..start + count` (bounds as in [`field`](Self::field)).
    pub fn count_ones(&self, start: usize, count: usize) -> Option<u32> {
        if start.checked_add(count)? > self.len() {
            return None;
        }
        let shift = self.len() - start - count;
        let mask = if count == MAX_BITS {
            u128::MAX
        } else {
            (1u128 << count) - 1
        };
        Some(((self.value >> shift) & mask).count_ones())
    }

    /// The bits in wire order.
    pub fn iter(&self) -> impl Iterator<Item = bool> {
        let bits = *self;
        (0..bits.len()).map(move |i| bits.get(i).unwrap_or(false))
    }
}

impl fmt::Display for Bits {
    /// The bits as `0` and `1` in wire order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.iter() {
            f.write_str(if b { "1" } else { "0" })?;
        }
        Ok(())
    }
}

impl fmt::Debug for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bits({}:{self})", self.len)
    }
}

/// A string that is not a bit string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseBitsError {
    /// A character other than `0` or `1`.
    #[error("character {c:?} at position {pos} is not a bit (0 or 1)")]
    BadChar {
        /// Its position, from 0.
        pos: usize,
        /// The character.
        c: char,
    },
    /// More than [`MAX_BITS`] bits.
    #[error("wiegand frame is longer than {MAX_BITS} bits")]
    TooLong,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_keep_wire_order() {
        let b = Bits::parse("1000000001").unwrap();
        assert_eq!(b.len(), 10);
        assert_eq!(b.get(0), Some(true));
        assert_eq!(b.get(1), Some(false));
        assert_eq!(b.get(9), Some(true));
        assert_eq!(b.get(10), None);
        assert_eq!(b.value(), 0b1000000001);
        assert_eq!(b.to_string(), "1000000001");
    }

    #[test]
    fn fields_are_read_msb_first() {
        let b = Bits::parse("0110100").unwrap();
        assert_eq!(b.field(1, 4), Some(0b1101));
        assert_eq!(b.field(5, 3), None);
        assert_eq!(b.count_ones(0, 7), Some(3));
    }

    #[test]
    fn a_129th_bit_is_refused() {
        let mut b = Bits::from_value(0, MAX_BITS).unwrap();
        assert_eq!(b.push(true), Err(TooLong));
        assert_eq!(b.len(), MAX_BITS);
        assert!(Bits::from_value(0, MAX_BITS + 1).is_err());
    }

    #[test]
    fn parse_names_the_bad_character() {
        let e = Bits::parse("01x1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "character 'x' at position 2 is not a bit (0 or 1)"
        );
    }
}
