//! The store's one error type, with a kind the REST layer can map to a status code without
//! parsing messages.

use std::error::Error as StdError;
use std::fmt;

/// What went wrong, for callers that react differently to each (404, 409, 400, 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The row asked for does not exist.
    NotFound,
    /// A concurrent change won: the expected version is stale.
    Conflict,
    /// The row is still referenced (a room with cards).
    InUse,
    /// A value is outside what the store accepts; the message names the field.
    Invalid,
    /// The database file is damaged or is not a database.
    Corrupt,
    /// The file system failed (missing directory, disk full, permissions).
    Io,
    /// Anything else (a lock held too long, a schema newer than this program).
    Other,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::InUse => "in use",
            Self::Invalid => "invalid",
            Self::Corrupt => "corrupt",
            Self::Io => "i/o",
            Self::Other => "other",
        })
    }
}

/// A failed store operation; nothing of it was committed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    kind: ErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl StoreError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A value the store refuses: `field` is what the user typed into, `why` what is wrong.
    pub fn invalid(field: &str, why: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Invalid, format!("{field}: {why}"))
    }

    /// What went wrong, to match on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Prefixes the message with where it happened.
    pub(crate) fn with_context(mut self, context: &str) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        let kind = match (&e, e.sqlite_error_code()) {
            // A value this program cannot read back was written by something else.
            (
                rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::IntegralValueOutOfRange(..),
                _,
            ) => ErrorKind::Corrupt,
            (_, code) => match code {
                Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => ErrorKind::Corrupt,
                Some(
                    ErrorCode::SystemIoFailure
                    | ErrorCode::DiskFull
                    | ErrorCode::CannotOpen
                    | ErrorCode::ReadOnly
                    | ErrorCode::PermissionDenied
                    | ErrorCode::NoLargeFileSupport,
                ) => ErrorKind::Io,
                _ => ErrorKind::Other,
            },
        };
        Self::new(kind, format!("database: {e}")).with_source(e)
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("i/o: {e}")).with_source(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_garbage_file_is_reported_as_corrupt() {
        let e: StoreError =
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(26), None).into();
        assert_eq!(e.kind(), ErrorKind::Corrupt);
        assert!(e.source().is_some());
    }

    #[test]
    fn an_invalid_value_names_its_field() {
        let e = StoreError::invalid("room", "0 is outside 1..=999999999");
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert_eq!(e.to_string(), "room: 0 is outside 1..=999999999");
    }
}
