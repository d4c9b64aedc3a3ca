//! Door passwords (the manual's Password Management), kept only as salted PBKDF2-HMAC-SHA256
//! hashes and compared in constant time, so neither the core's memory nor a database dump
//! reveals a PIN, and the time to refuse a guess says nothing about how close it was.
//!
//! The salt comes from the caller (the core has no random source); the app draws it from
//! the operating system.

use core::fmt;

use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The longest password accepted, in bytes.
pub const MAX_PASSWORD_LEN: usize = 32;

/// Iterations the app uses for new hashes: about 5 ms on a Raspberry Pi 3, once per entry.
pub const DEFAULT_ITERATIONS: u32 = 2_000;

/// A password as entered, wiped from memory when dropped and never printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Password {
    bytes: [u8; MAX_PASSWORD_LEN],
    len: u8,
}

impl Password {
    /// The password `text`; `None` if it is empty or longer than [`MAX_PASSWORD_LEN`].
    pub fn new(text: &[u8]) -> Option<Self> {
        if text.is_empty() || text.len() > MAX_PASSWORD_LEN {
            return None;
        }
        let mut bytes = [0; MAX_PASSWORD_LEN];
        bytes[..text.len()].copy_from_slice(text);
        Some(Self {
            bytes,
            len: text.len() as u8,
        })
    }

    /// The password's bytes.
    pub fn expose(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A salted password hash, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash {
    salt: [u8; 16],
    iterations: u32,
    digest: [u8; 32],
}

impl PasswordHash {
    /// Hashes `password` with `salt` (16 random bytes) and `iterations` (at least 1).
    pub fn derive(password: &Password, salt: [u8; 16], iterations: u32) -> Self {
        let iterations = iterations.max(1);
        let mut digest = [0; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(password.expose(), &salt, iterations, &mut digest);
        Self {
            salt,
            iterations,
            digest,
        }
    }

    /// A hash as stored by [`PasswordHash::parts`].
    pub fn from_parts(salt: [u8; 16], iterations: u32, digest: [u8; 32]) -> Self {
        Self {
            salt,
            iterations: iterations.max(1),
            digest,
        }
    }

    /// Salt, iteration count and digest, for storage.
    pub fn parts(&self) -> ([u8; 16], u32, [u8; 32]) {
        (self.salt, self.iterations, self.digest)
    }

    /// Whether `password` hashes to this, compared in constant time.
    pub fn verify(&self, password: &Password) -> bool {
        let mut digest = [0; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(password.expose(), &self.salt, self.iterations, &mut digest);
        let equal = digest.ct_eq(&self.digest).into();
        digest.zeroize();
        equal
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PasswordHash(pbkdf2-sha256, {} iterations)",
            self.iterations
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn the_right_password_verifies_and_a_near_miss_does_not() {
        let hash = PasswordHash::derive(&Password::new(b"4711").unwrap(), [7; 16], 10);
        assert!(hash.verify(&Password::new(b"4711").unwrap()));
        assert!(!hash.verify(&Password::new(b"4712").unwrap()));
        assert!(!hash.verify(&Password::new(b"47110").unwrap()));
    }

    #[test]
    fn the_same_password_with_another_salt_hashes_differently() {
        let p = Password::new(b"4711").unwrap();
        assert_ne!(
            PasswordHash::derive(&p, [1; 16], 10),
            PasswordHash::derive(&p, [2; 16], 10)
        );
    }

    #[test]
    fn known_answer_matches_rfc_7914_pbkdf2_sha256() {
        // RFC 7914 section 11: P = "passwd", S = "salt", c = 1, first 32 bytes.
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(out[..8], [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f]);
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let p = Password::new(b"123456").unwrap();
        let h = PasswordHash::derive(&p, [0; 16], 1);
        assert!(!format!("{p:?}{h:?}").contains("123456"));
        assert_eq!(Password::new(b""), None);
        assert_eq!(Password::new(&[b'1'; 33]), None);
    }
}
