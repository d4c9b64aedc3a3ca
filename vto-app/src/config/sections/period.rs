//! A daily period such as the manual's "Calling Center Period".

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::time_of_day;
use super::FieldError;

/// From `from` to `to` every day, `HH:MM` on the station's clock. A period whose end is
/// before its start runs over midnight (`22:00`–`06:00`); `00:00`–`24:00` is the whole day.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct DailyPeriod {
    /// Start, `HH:MM` from `00:00` to `23:59`.
    #[schema(example = "08:00")]
    pub from: String,
    /// End (exclusive), `HH:MM` from `00:00` to `24:00`; not equal to `from`.
    #[schema(example = "18:00")]
    pub to: String,
}

impl Default for DailyPeriod {
    /// The whole day.
    fn default() -> Self {
        Self::whole_day()
    }
}

impl DailyPeriod {
    /// `00:00`–`24:00`.
    pub fn whole_day() -> Self {
        Self {
            from: "00:00".into(),
            to: "24:00".into(),
        }
    }

    /// Checks both ends; fields are named `from` and `to`.
    pub fn validate(&self) -> Result<(), FieldError> {
        let from = time_of_day("from", &self.from, false)?;
        let to = time_of_day("to", &self.to, true)?;
        if from == to {
            return Err(FieldError::new(
                "to",
                format!("{:?}", self.to),
                "a time other than `from` (use 00:00 to 24:00 for the whole day)",
            ));
        }
        Ok(())
    }

    /// Whether `minute` (minutes since midnight, 0..1440) falls in the period; `false` for
    /// a period that does not validate.
    pub fn contains(&self, minute: u16) -> bool {
        let (Ok(from), Ok(to)) = (
            time_of_day("", &self.from, false),
            time_of_day("", &self.to, true),
        ) else {
            return false;
        };
        if from < to {
            (from..to).contains(&minute)
        } else {
            minute >= from || minute < to
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(from: &str, to: &str) -> DailyPeriod {
        DailyPeriod {
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn a_period_may_run_over_midnight() {
        let night = period("22:00", "06:00");
        assert!(night.validate().is_ok());
        assert!(night.contains(23 * 60));
        assert!(night.contains(60));
        assert!(!night.contains(12 * 60));
    }

    #[test]
    fn an_empty_period_is_refused() {
        assert_eq!(
            period("08:00", "08:00").validate().map_err(|e| e.field),
            Err("to".into())
        );
        assert!(period("00:00", "24:00").validate().is_ok());
        assert!(DailyPeriod::whole_day().contains(1439));
    }
}
