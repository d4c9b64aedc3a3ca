//! Local Settings > System (manual 4.4): date and time display, time zone, daylight saving
//! time, NTP, the maintenance reboot, SSH and emergency maintenance.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{host, port, range, time_of_day};
use super::{FieldError, Section};

/// The manual's "System" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct System {
    /// "Date Format". Default `yyyy-mm-dd`.
    pub date_format: DateFormat,
    /// "Time Format". Default `24h`.
    pub time_format: TimeFormat,
    /// "Time Zone": `UTC±HH:MM`, from `UTC-12:00` to `UTC+14:00` in 15-minute steps.
    /// Default `UTC+00:00`.
    #[schema(example = "UTC+01:00")]
    pub time_zone: String,
    /// "DST": daylight saving time.
    pub dst: Dst,
    /// "NTP": time from a server.
    pub ntp: Ntp,
    /// "Maintenance": when the station restarts by itself.
    pub auto_reboot: AutoReboot,
    /// "SSH": a debugging shell; the manual advises keeping it off. Default off.
    pub ssh: bool,
    /// "Emergency Maintenance": fault analysis over ports 8087 and 8088. Default off.
    pub emergency_maintenance: bool,
}

/// "Date Format".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// 2021-01-31.
    #[default]
    #[serde(rename = "yyyy-mm-dd")]
    YearMonthDay,
    /// 01-31-2021.
    #[serde(rename = "mm-dd-yyyy")]
    MonthDayYear,
    /// 31-01-2021.
    #[serde(rename = "dd-mm-yyyy")]
    DayMonthYear,
}

/// "Time Format".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// 24-hour clock.
    #[default]
    #[serde(rename = "24h")]
    H24,
    /// 12-hour clock with AM/PM.
    #[serde(rename = "12h")]
    H12,
}

/// "DST", "DST Type", "Start Time", "End Time".
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Dst {
    /// Whether clocks change. Default off.
    pub enabled: bool,
    /// "DST Type": by date or by week. Default `week`.
    pub kind: DstKind,
    /// When DST starts. Default the last Sunday of March, 02:00 (the EU rule).
    pub start: DstPoint,
    /// When DST ends. Default the last Sunday of October, 03:00.
    pub end: DstPoint,
}

impl Default for Dst {
    /// Off, with the EU rule filled in.
    fn default() -> Self {
        Self {
            enabled: false,
            kind: DstKind::Week,
            start: DstPoint::default(),
            end: DstPoint {
                month: 10,
                day: 31,
                time: "03:00".into(),
                ..DstPoint::default()
            },
        }
    }
}

/// "DST Type".
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum DstKind {
    /// A fixed date (`month`, `day`).
    Date,
    /// The `week`-th `weekday` of `month`.
    #[default]
    Week,
}

/// A DST change: with kind `date` the `month` and `day`; with kind `week` the `week`-th
/// `weekday` of `month` (week 5 = the last one); at `time`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct DstPoint {
    /// 1–12.
    pub month: u8,
    /// 1–31, and within the month (29 for February); used with kind `date`.
    pub day: u8,
    /// 1–5, 5 meaning the last; used with kind `week`.
    pub week: u8,
    /// Used with kind `week`.
    pub weekday: Weekday,
    /// `HH:MM`, local time before the change.
    pub time: String,
}

impl Default for DstPoint {
    fn default() -> Self {
        Self {
            month: 3,
            day: 31,
            week: 5,
            weekday: Weekday::Sun,
            time: "02:00".into(),
        }
    }
}

/// A day of the week.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    #[default]
    Sun,
}

/// "NTP Enable", "NTP Server", "Port", "Interval".
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Ntp {
    /// Synchronise with the server. Default off.
    pub enabled: bool,
    /// Host name or IPv4 address. Default `pool.ntp.org`.
    pub server: String,
    /// 1–65535. Default 123.
    pub port: u16,
    /// "Interval": minutes between synchronisations, 1–30 ("30 minutes at most"). Default
    /// 10.
    pub interval_min: u32,
}

impl Default for Ntp {
    fn default() -> Self {
        Self {
            enabled: false,
            server: "pool.ntp.org".into(),
            port: 123,
            interval_min: 10,
        }
    }
}

/// "Maintenance": a restart at a set time.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct AutoReboot {
    /// Restart by itself. Default off.
    pub enabled: bool,
    /// Every day or one day a week. Default Tuesday.
    pub day: RebootDay,
    /// `HH:MM`. Default 02:00.
    pub time: String,
}

impl Default for AutoReboot {
    fn default() -> Self {
        Self {
            enabled: false,
            day: RebootDay::Tue,
            time: "02:00".into(),
        }
    }
}

/// The day of an automatic restart.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RebootDay {
    /// Every day.
    Everyday,
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Default for System {
    fn default() -> Self {
        Self {
            date_format: DateFormat::default(),
            time_format: TimeFormat::default(),
            time_zone: "UTC+00:00".into(),
            dst: Dst::default(),
            ntp: Ntp::default(),
            auto_reboot: AutoReboot::default(),
            ssh: false,
            emergency_maintenance: false,
        }
    }
}

/// The offset of a `UTC±HH:MM` time zone in minutes, if it is one the page offers.
pub fn utc_offset_minutes(zone: &str) -> Option<i32> {
    let rest = zone.strip_prefix("UTC")?;
    let sign = match rest.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = rest.get(1..)?.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let offset = sign * (h * 60 + m);
    (m % 15 == 0 && m < 60 && (-12 * 60..=14 * 60).contains(&offset)).then_some(offset)
}

fn days_in(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl DstPoint {
    fn validate(&self, kind: DstKind) -> Result<(), FieldError> {
        range("month", self.month, 1..=12, "")?;
        match kind {
            DstKind::Date => range("day", self.day, 1..=days_in(self.month), "")?,
            DstKind::Week => range("week", self.week, 1..=5, "(5 = last)")?,
        }
        time_of_day("time", &self.time, false).map(|_| ())
    }
}

impl Section for System {
    const NAME: &'static str = "local.system";
    const PAGE: &'static str = "Local Settings > System";

    fn validate(&self) -> Result<(), FieldError> {
        if utc_offset_minutes(&self.time_zone).is_none() {
            return Err(FieldError::new(
                "time_zone",
                format!("{:?}", self.time_zone),
                "UTC±HH:MM from UTC-12:00 to UTC+14:00, minutes 00, 15, 30 or 45",
            ));
        }
        self.dst
            .start
            .validate(self.dst.kind)
            .map_err(|e| e.within("dst.start"))?;
        self.dst
            .end
            .validate(self.dst.kind)
            .map_err(|e| e.within("dst.end"))?;
        if self.dst.enabled && self.dst.start == self.dst.end {
            return Err(FieldError::new(
                "dst.end",
                "the start",
                "a change at another time than the start",
            ));
        }
        range("ntp.interval_min", self.ntp.interval_min, 1..=30, "min")?;
        port("ntp.port", self.ntp.port)?;
        if self.ntp.enabled || !self.ntp.server.is_empty() {
            host("ntp.server", &self.ntp.server)?;
        }
        time_of_day("auto_reboot.time", &self.auto_reboot.time, false)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_utc_offsets_in_quarter_hours() {
        assert_eq!(utc_offset_minutes("UTC+05:45"), Some(345));
        assert_eq!(utc_offset_minutes("UTC-12:00"), Some(-720));
        assert_eq!(utc_offset_minutes("UTC+14:00"), Some(840));
        assert_eq!(utc_offset_minutes("UTC+14:15"), None);
        assert_eq!(utc_offset_minutes("UTC+05:10"), None);
        assert_eq!(utc_offset_minutes("CET"), None);
        assert_eq!(utc_offset_minutes("UTC++1:00"), None);
    }

    #[test]
    fn an_ntp_interval_above_30_minutes_is_refused() {
        let mut s = System::default();
        s.ntp.interval_min = 31;
        let e = s.validate().expect_err("31 min");
        assert_eq!(e.field, "ntp.interval_min");
        assert_eq!(e.allowed, "1..=30 min");
        s.ntp.interval_min = 30;
        assert!(s.validate().is_ok());
    }

    #[test]
    fn a_dst_date_must_exist() {
        let mut s = System::default();
        s.dst.kind = DstKind::Date;
        s.dst.start.month = 4;
        s.dst.start.day = 31;
        assert_eq!(
            s.validate().map_err(|e| e.field),
            Err("dst.start.day".into())
        );
    }
}
