//! The cross-field rules of `station.toml`: every pin in a form the backend can open, and no
//! pin used twice. Each part of the file checks itself through a [`Checker`], which
//! remembers the pins seen so far under their keys.

use super::error::ConfigError;
use super::pin::{PinFormError, PinSpec};
use super::station::Backend;

/// Collects pins across the file while each part checks its own keys.
pub(crate) struct Checker {
    backend: Backend,
    pins: Vec<(String, PinSpec)>,
}

impl Checker {
    pub(crate) fn new(backend: Backend) -> Self {
        Self {
            backend,
            pins: Vec::new(),
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks the pin at `key`: its form, that the backend can open it, that no other key
    /// uses the same line.
    pub(crate) fn pin(
        &mut self,
        key: &str,
        resolved: Result<PinSpec, PinFormError>,
    ) -> Result<(), ConfigError> {
        let spec = resolved.map_err(|e| {
            let key = format!("{key}{}", e.suffix);
            match (e.out_of_range, e.value) {
                (true, Some(v)) => ConfigError::out_of_range(key, v, e.allowed),
                (_, Some(v)) => ConfigError::invalid(key, v, e.allowed),
                (_, None) => ConfigError::missing(key, e.allowed),
            }
        })?;
        spec.check_backend(self.backend)
            .map_err(|allowed| ConfigError::invalid(key, &spec, allowed))?;
        let identity = spec.identity();
        if let Some((other, _)) = self.pins.iter().find(|(_, p)| p.identity() == identity) {
            return Err(ConfigError::invalid(
                key,
                &spec,
                format!("the same pin is already used by {other}"),
            ));
        }
        self.pins.push((key.to_owned(), spec));
        Ok(())
    }

    /// Requires a pin on hardware backends: `what` says what it is for.
    pub(crate) fn required<T>(
        &self,
        key: &str,
        value: &Option<T>,
        what: &str,
    ) -> Result<(), ConfigError> {
        if value.is_none() && self.backend != Backend::Sim {
            return Err(ConfigError::missing(
                key,
                format!("the {} backend needs {what}", self.backend.name()),
            ));
        }
        Ok(())
    }
}

/// `key = value` must lie in `range`.
pub(crate) fn in_range<T>(
    key: &str,
    value: T,
    range: core::ops::RangeInclusive<T>,
) -> Result<(), ConfigError>
where
    T: PartialOrd + core::fmt::Display + Copy,
{
    if range.contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::out_of_range(
            key,
            value,
            format!("{}..={}", range.start(), range.end()),
        ))
    }
}

/// A free-text value: not empty, at most `max` characters, no control characters.
pub(crate) fn text(key: &str, value: &str, max: usize) -> Result<(), ConfigError> {
    if value.trim().is_empty() || value.chars().count() > max || value.chars().any(char::is_control)
    {
        return Err(ConfigError::invalid(
            key,
            format!("{value:?}"),
            format!("1 to {max} characters, no control characters"),
        ));
    }
    Ok(())
}
