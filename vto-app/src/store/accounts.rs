//! Web login accounts. The password hash is a PHC string produced and checked by the
//! security layer; the store keeps it opaque.

use std::fmt;
use std::str::FromStr;

use rusqlite::{params, OptionalExtension, Row};

use super::columns::corrupt;
use super::error::StoreError;
use super::{limits, Durability, Store};

/// What an account may do in the web interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including accounts and credentials.
    Admin,
    /// Viewing and opening the door.
    User,
}

impl Role {
    /// The role's name in the database and the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::User => "user",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Admin, Self::User]
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| StoreError::invalid("role", format!("{s:?} is not admin or user")))
    }
}

/// A web login account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// The login name (1..=64 characters).
    pub username: String,
    /// Admin or user.
    pub role: Role,
    /// The password's hash as a PHC string (1..=512 characters).
    pub password_hash: String,
    /// When the account was created, in Unix milliseconds; kept when it is updated.
    pub created_at_ms: i64,
}

impl AccountRecord {
    /// Checks every field against the store's limits.
    pub fn validate(&self) -> Result<(), StoreError> {
        limits::text("username", &self.username, 1, limits::MAX_NAME_CHARS)?;
        limits::text(
            "password_hash",
            &self.password_hash,
            1,
            limits::MAX_PASSWORD_HASH_CHARS,
        )
    }
}

const COLUMNS: &str = "username, role, password_hash, created_at_ms";

fn account_row(row: &Row<'_>) -> rusqlite::Result<AccountRecord> {
    let role: String = row.get(1)?;
    Ok(AccountRecord {
        username: row.get(0)?,
        role: role
            .parse()
            .map_err(|_| corrupt(1, format!("unknown role {role:?}")))?,
        password_hash: row.get(2)?,
        created_at_ms: row.get(3)?,
    })
}

impl Store {
    /// Adds the account, or changes its role and password hash.
    pub fn upsert_account(&mut self, account: &AccountRecord) -> Result<(), StoreError> {
        account.validate()?;
        self.write(Durability::PowerCut, |tx| {
            tx.prepare_cached(
                "INSERT INTO accounts (username, role, password_hash, created_at_ms)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (username) DO UPDATE SET
                     role = excluded.role, password_hash = excluded.password_hash",
            )?
            .execute(params![
                account.username,
                account.role.as_str(),
                account.password_hash,
                account.created_at_ms
            ])?;
            Ok(())
        })
    }

    /// Deletes the account; `false` if there was none.
    pub fn delete_account(&mut self, username: &str) -> Result<bool, StoreError> {
        self.write(Durability::PowerCut, |tx| {
            let n = tx
                .prepare_cached("DELETE FROM accounts WHERE username = ?1")?
                .execute([username])?;
            Ok(n > 0)
        })
    }

    /// The account `username`, if stored.
    pub fn account(&self, username: &str) -> Result<Option<AccountRecord>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM accounts WHERE username = ?1"
            ))?
            .query_row([username], account_row)
            .optional()?)
    }

    /// Every account, by username.
    pub fn accounts(&self) -> Result<Vec<AccountRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM accounts ORDER BY username"))?;
        let rows = stmt.query_map([], account_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
