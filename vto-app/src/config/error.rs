//! Why a `station.toml` was refused: which key, what value, what is allowed, and where.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of mistake a [`ConfigError`] reports, for callers that react differently
/// (an installer re-prompting for a value, `check-config` choosing an exit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// The file is not valid TOML.
    Syntax,
    /// A key that `station.toml` does not have (often a typo).
    UnknownKey,
    /// A number outside its range.
    OutOfRange,
    /// A value of the wrong type or form, a missing key, or two keys that contradict each
    /// other (the same pin used twice).
    Invalid,
    /// The file (or a file it names) could not be read.
    Io,
}

/// Line and column (both from 1) of the offending text in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` of `text`.
    pub(crate) fn of(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// A refused `station.toml`: names the key (a dotted path such as
/// `locks.local.relay.offset`), the value as written and what is allowed, with the line
/// and column when the text is known, so the fix is obvious without reading the docs.
#[derive(Debug)]
pub struct ConfigError {
    // Boxed: errors travel through every check, and the happy path should stay small.
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: ConfigErrorKind,
    key: Option<String>,
    value: Option<String>,
    allowed: String,
    position: Option<Position>,
    file: Option<PathBuf>,
    source: Option<std::io::Error>,
}

impl ConfigError {
    fn new(
        kind: ConfigErrorKind,
        key: Option<String>,
        value: Option<String>,
        allowed: String,
    ) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                key,
                value,
                allowed,
                position: None,
                file: None,
                source: None,
            }),
        }
    }

    /// `key = value` is outside `allowed` (a range such as `1200..=115200`).
    pub fn out_of_range(
        key: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        Self::new(
            ConfigErrorKind::OutOfRange,
            Some(key.into()),
            Some(value.to_string()),
            allowed.into(),
        )
    }

    /// `key = value` has the wrong form; `allowed` says what would be accepted.
    pub fn invalid(
        key: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        Self::new(
            ConfigErrorKind::Invalid,
            Some(key.into()),
            Some(value.to_string()),
            allowed.into(),
        )
    }

    /// `key` is required and absent.
    pub fn missing(key: impl Into<String>, allowed: impl Into<String>) -> Self {
        Self::new(
            ConfigErrorKind::Invalid,
            Some(key.into()),
            None,
            allowed.into(),
        )
    }

    /// `key` is not a key of `station.toml`; `allowed` lists the keys that are.
    pub fn unknown_key(key: impl Into<String>, allowed: impl Into<String>) -> Self {
        Self::new(
            ConfigErrorKind::UnknownKey,
            Some(key.into()),
            None,
            allowed.into(),
        )
    }

    /// The text is not TOML.
    pub(crate) fn syntax(message: impl Into<String>) -> Self {
        Self::new(ConfigErrorKind::Syntax, None, None, message.into())
    }

    /// A file could not be read; `key` names the setting that points at it, if any.
    pub(crate) fn io(file: &Path, key: Option<&str>, source: std::io::Error) -> Self {
        let mut e = Self::new(
            ConfigErrorKind::Io,
            key.map(str::to_owned),
            None,
            String::new(),
        );
        e.inner.file = Some(file.to_path_buf());
        e.inner.source = Some(source);
        e
    }

    pub(crate) fn at(mut self, position: Option<Position>) -> Self {
        if self.inner.position.is_none() {
            self.inner.position = position;
        }
        self
    }

    pub(crate) fn in_file(mut self, file: &Path) -> Self {
        if self.inner.kind != ConfigErrorKind::Io {
            self.inner.file = Some(file.to_path_buf());
        }
        self
    }

    /// What kind of mistake it is.
    pub fn kind(&self) -> ConfigErrorKind {
        self.inner.kind
    }

    /// The key, as a dotted path (`rs485.baud`, `wiegand.formats[2]`), if one is to blame.
    pub fn key(&self) -> Option<&str> {
        self.inner.key.as_deref()
    }

    /// The refused value as written, if there is one.
    pub fn value(&self) -> Option<&str> {
        self.inner.value.as_deref()
    }

    /// What is allowed (a range, the accepted values or forms), or the parser's message for
    /// syntax errors.
    pub fn allowed(&self) -> &str {
        &self.inner.allowed
    }

    /// Where in the file, when the text was available.
    pub fn position(&self) -> Option<Position> {
        self.inner.position
    }

    /// The file read, when the configuration came from one.
    pub fn file(&self) -> Option<&Path> {
        self.inner.file.as_deref()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.kind == ConfigErrorKind::Io {
            let file = self.inner.file.as_deref().unwrap_or(Path::new("?"));
            return match (&self.inner.key, &self.inner.source) {
                (Some(key), Some(e)) => write!(f, "{key}: cannot read {}: {e}", file.display()),
                (None, Some(e)) => write!(f, "cannot read {}: {e}", file.display()),
                (_, None) => write!(f, "cannot read {}", file.display()),
            };
        }
        match (&self.inner.file, self.inner.position) {
            (Some(file), Some(p)) => write!(f, "{}:{}:{}: ", file.display(), p.line, p.column)?,
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            (None, Some(p)) => write!(f, "line {}, column {}: ", p.line, p.column)?,
            (None, None) => {}
        }
        let key = self.inner.key.as_deref().unwrap_or("?");
        match (self.inner.kind, &self.inner.value) {
            (ConfigErrorKind::Syntax, _) => write!(f, "TOML syntax error: {}", self.inner.allowed),
            (ConfigErrorKind::UnknownKey, _) if self.inner.allowed.is_empty() => {
                write!(f, "unknown key `{key}`")
            }
            (ConfigErrorKind::UnknownKey, _) => {
                write!(
                    f,
                    "unknown key `{key}`; allowed here: {}",
                    self.inner.allowed
                )
            }
            (ConfigErrorKind::OutOfRange, Some(v)) => {
                write!(f, "{key} = {v} is outside {}", self.inner.allowed)
            }
            (_, Some(v)) => write!(f, "{key} = {v} is not valid: {}", self.inner.allowed),
            (_, None) => write!(f, "{key} is missing: {}", self.inner.allowed),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_ref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(Position::of(text, 0), Position { line: 1, column: 1 });
        let at = text
            .find('=')
            .map(|_| text.rfind('=').unwrap_or(0))
            .unwrap_or(0);
        assert_eq!(Position::of(text, at), Position { line: 2, column: 4 });
    }

    #[test]
    fn out_of_range_reads_key_value_and_range() {
        let e = ConfigError::out_of_range("rs485.baud", 300, "1200..=115200");
        assert_eq!(e.to_string(), "rs485.baud = 300 is outside 1200..=115200");
        let e = e
            .in_file(Path::new("station.toml"))
            .at(Some(Position { line: 3, column: 8 }));
        assert_eq!(
            e.to_string(),
            "station.toml:3:8: rs485.baud = 300 is outside 1200..=115200"
        );
    }
}
