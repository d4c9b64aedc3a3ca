//! First-run initialisation (the manual's device initialisation): the admin account's
//! password, checked against the manual's password rules, and a recovery email.
//! `vto-station init` calls it for provisioning; the web UI will call it too.

use vto_core::access::{Password, PasswordHash};

use crate::run::RunSettings;
use crate::store::{AccountRecord, Role, Store, StoreError};

/// Iterations of PBKDF2-HMAC-SHA256 for login passwords: about 20 ms on a PC, 0.2 s on a
/// Raspberry Pi 3, once per login.
pub const LOGIN_ITERATIONS: u32 = 100_000;

/// The name of the stored section that holds the recovery email.
pub const RECOVERY_SECTION: &str = "account.recovery";

/// Why initialisation was refused.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The password breaks one of the manual's rules.
    #[error("password refused: {0}")]
    Password(&'static str),
    /// The email does not look like one.
    #[error("recovery email {0:?} is not an address like name@example.com")]
    Email(String),
    /// The station is already initialised.
    #[error("the station is already initialised (account {0:?} exists)")]
    Already(String),
    /// The database failed.
    #[error("database: {0}")]
    Store(#[from] StoreError),
}

/// Checks `password` for `username` against the manual's rules: 8–32 characters, at
/// least two of upper case, lower case, digits and symbols, not containing the username
/// or its reverse, no runs of three like `123` or `abc`, no three equal characters in a
/// row like `111`.
pub fn check_password(username: &str, password: &str) -> Result<(), &'static str> {
    let chars: Vec<char> = password.chars().collect();
    if !(8..=32).contains(&chars.len()) {
        return Err("it must have 8 to 32 characters");
    }
    let classes = [
        chars.iter().any(|c| c.is_ascii_uppercase()),
        chars.iter().any(|c| c.is_ascii_lowercase()),
        chars.iter().any(|c| c.is_ascii_digit()),
        chars.iter().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|&&c| c).count() < 2 {
        return Err("it must mix at least two of upper case, lower case, digits and symbols");
    }
    let lower = password.to_lowercase();
    let user = username.to_lowercase();
    let reversed: String = user.chars().rev().collect();
    if !user.is_empty() && (lower.contains(&user) || lower.contains(&reversed)) {
        return Err("it must not contain the username or the username reversed");
    }
    for w in chars.windows(3) {
        let (a, b, c) = (w[0] as i64, w[1] as i64, w[2] as i64);
        if a == b && b == c {
            return Err("it must not repeat a character three times in a row (like 111)");
        }
        if w.iter().all(|ch| ch.is_ascii_alphanumeric())
            && ((b - a == 1 && c - b == 1) || (a - b == 1 && b - c == 1))
        {
            return Err("it must not contain a run like 123, abc or cba");
        }
    }
    Ok(())
}

/// A login password hash as stored: `pbkdf2-sha256$<iterations>$<salt hex>$<digest hex>`.
pub fn hash_login_password(password: &str) -> Result<String, InitError> {
    let p = Password::new(password.as_bytes())
        .ok_or(InitError::Password("it must have 8 to 32 characters"))?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| InitError::Password("no randomness for the salt"))?;
    let (salt, iterations, digest) = PasswordHash::derive(&p, salt, LOGIN_ITERATIONS).parts();
    Ok(format!(
        "pbkdf2-sha256${iterations}${}${}",
        hex(&salt),
        hex(&digest)
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates the admin account and stores the recovery email. Refuses a second time.
pub fn initialise(
    settings: &RunSettings,
    username: &str,
    password: &str,
    email: &str,
) -> Result<(), InitError> {
    check_password(username, password).map_err(InitError::Password)?;
    let (local, domain) = email.split_once('@').unwrap_or(("", ""));
    if local.is_empty() || !domain.contains('.') || email.chars().any(char::is_whitespace) {
        return Err(InitError::Email(email.to_string()));
    }
    let mut store = Store::open(&settings.database(), &settings.store)?;
    if let Some(existing) = store.accounts()?.first() {
        return Err(InitError::Already(existing.username.clone()));
    }
    let account = AccountRecord {
        username: username.to_string(),
        role: Role::Admin,
        password_hash: hash_login_password(password)?,
        created_at_ms: crate::store::now_ms(),
    };
    store.upsert_account(&account)?;
    let json = serde_json::json!({ "email": email }).to_string();
    store.save_section(RECOVERY_SECTION, &json, None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manuals_password_rules_are_enforced() {
        assert!(check_password("admin", "Door-Keeper7").is_ok());
        assert!(check_password("admin", "Short1!").is_err());
        assert!(check_password("admin", "alllowercase").is_err());
        assert!(check_password("admin", "xAdmin-9xyz").is_err());
        assert!(check_password("admin", "xnimda-9Q").is_err());
        assert!(check_password("admin", "Pass-1234x").is_err());
        assert!(check_password("admin", "Paaass-9x").is_err());
        assert!(check_password("admin", "Qwerty-cbaQ").is_err());
    }

    #[test]
    fn initialisation_stores_a_hash_not_the_password_and_refuses_a_second_time() {
        let dir = tempfile::tempdir().unwrap();
        let settings = RunSettings {
            data_dir: dir.path().to_path_buf(),
            store: Default::default(),
        };
        initialise(&settings, "admin", "Door-Keeper7", "ops@example.com").unwrap();
        let store = Store::open(&settings.database(), &settings.store).unwrap();
        let account = &store.accounts().unwrap()[0];
        assert!(account.password_hash.starts_with("pbkdf2-sha256$100000$"));
        assert!(!account.password_hash.contains("Door-Keeper7"));
        assert!(matches!(
            initialise(&settings, "admin", "Door-Keeper8", "ops@example.com"),
            Err(InitError::Already(_))
        ));
    }
}
