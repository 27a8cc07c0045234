//! Wall-clock dates and times in the school's IANA zone, and the absolute closing instant.
//!
//! Rule (documented in the README): a start or end time that does not exist on that date
//! (clocks spring forward) or that happens twice (clocks fall back) is rejected with an
//! error naming the zone change, rather than guessed. Schools do not teach in those hours,
//! and a guessed instant would close a session an hour early or late.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::session::{NewSession, SessionTimes};

/// Accepts `UTC` and IANA Area/Location names. Abbreviations and POSIX-style names (`CET`,
/// `EST5EDT`) are refused: PostgreSQL and the IANA database read them differently, and the
/// database refuses them too.
pub fn parse_zone(name: &str) -> Result<Tz> {
    let unknown = || {
        Error::invalid(format!(
            "unknown timezone {name:?}: use an IANA Area/Location name such as Europe/London, or UTC"
        ))
    };
    let zone = name.parse::<Tz>().map_err(|_| unknown())?;
    if zone.name() == "UTC" || zone.name().contains('/') {
        Ok(zone)
    } else {
        Err(unknown())
    }
}

/// The machine's zone, as systemd and libc know it; UTC when it cannot be determined or is
/// not an Area/Location name.
pub(crate) fn machine_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| parse_zone(tz.trim_start_matches(':')).ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|n| parse_zone(&n).ok())
        })
        .unwrap_or(Tz::UTC)
}

/// Today's date in the zone, for `today` / `tomorrow`.
pub(crate) fn today_in(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// The years attctl accepts. chrono-tz's rules and PostgreSQL's agree on every closing
/// instant in this range; from 2100 on they may not (PostgreSQL extrapolates a zone's last
/// rule differently), and year 0 is not a date PostgreSQL accepts at all.
pub(crate) const FIRST_YEAR: i32 = 1970;
pub(crate) const LAST_YEAR: i32 = 2099;

/// Refuses dates outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub(crate) fn check_date_range(date: NaiveDate) -> Result<NaiveDate> {
    use chrono::Datelike;
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(Error::invalid(format!(
            "date {date} is out of range: attctl supports {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"
        )))
    }
}

/// Parses `YYYY-MM-DD`, `today` or `tomorrow` (relative to `today`), within the supported
/// years ([`check_date_range`]).
pub(crate) fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate> {
    parse_date_any(input, today).and_then(check_date_range)
}

/// `dddd-dd-dd`: the shape of a date, whether or not the day exists (`2028-02-31` has it),
/// so that a message can blame the day rather than the format.
pub(crate) fn has_date_shape(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// `2028-02-31`: the format is right, the day does not exist; say which month is short.
fn no_such_day(input: &str, s: &str) -> Error {
    let (year, month) = (s[..4].parse::<i32>(), s[5..7].parse::<u32>());
    let first = match (year, month) {
        (Ok(y), Ok(m)) => NaiveDate::from_ymd_opt(y, m, 1),
        _ => None,
    };
    let why = match first {
        None => "there is no such month".to_string(),
        Some(first) => {
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
            format!(
                "that day does not exist ({} has {} days)",
                first.format("%B %Y"),
                (next - first).num_days()
            )
        }
    };
    Error::invalid(format!("invalid date {input:?}: {why}"))
}

fn parse_date_any(input: &str, today: NaiveDate) -> Result<NaiveDate> {
    let s = input.trim();
    match s.to_ascii_lowercase().as_str() {
        "today" => return Ok(today),
        "tomorrow" => {
            return today
                .succ_opt()
                .ok_or_else(|| Error::invalid("tomorrow is out of range"));
        }
        "yesterday" => {
            return today
                .pred_opt()
                .ok_or_else(|| Error::invalid("yesterday is out of range"));
        }
        _ => {}
    }
    if !has_date_shape(s) {
        return Err(Error::invalid(format!(
            "invalid date {input:?}: expected YYYY-MM-DD, today, tomorrow or yesterday"
        )));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| no_such_day(input, s))
}

/// Parses `HH:MM` or `HH:MM:SS` (24-hour clock); a one-digit hour (`9:00`) means `09:00`.
pub fn parse_time(input: &str) -> Result<NaiveTime> {
    let trimmed = input.trim();
    let padded;
    let s = if trimmed.as_bytes().get(1) == Some(&b':') {
        padded = format!("0{trimmed}");
        padded.as_str()
    } else {
        trimmed
    };
    let shape_ok = matches!(s.len(), 5 | 8)
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 2 || i == 5 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        });
    let parsed = if !shape_ok {
        None
    } else if s.len() == 5 {
        NaiveTime::parse_from_str(s, "%H:%M").ok()
    } else {
        NaiveTime::parse_from_str(s, "%H:%M:%S").ok()
    };
    // chrono reads `:60` as a leap second; wall clocks have none (and PostgreSQL would
    // store 23:59:60 as 24:00:00), so it is refused like 24:00.
    parsed
        .filter(|t| !crate::session::is_leap(*t))
        .ok_or_else(|| {
            Error::invalid(format!(
                "invalid time {input:?}: expected HH:MM, H:MM or HH:MM:SS (24-hour, 00:00:00 to 23:59:59)"
            ))
        })
}

/// The instant a wall-clock time on a date happens in a zone, refusing gaps and overlaps.
pub(crate) fn instant_of(date: NaiveDate, time: NaiveTime, zone: Tz) -> Result<DateTime<Utc>> {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(Error::invalid(format!(
            "{} {} does not exist in {} (the clocks skip that hour); pick another time",
            date,
            time.format("%H:%M"),
            zone.name()
        ))),
        LocalResult::Ambiguous(_, _) => Err(Error::invalid(format!(
            "{} {} happens twice in {} (the clocks go back); pick another time",
            date,
            time.format("%H:%M"),
            zone.name()
        ))),
    }
}

/// Validates a session's wall-clock times and derives its closing instant.
pub fn session_times(
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    zone: Tz,
) -> Result<SessionTimes> {
    check_date_range(date)?;
    if let Some(t) = [start, end]
        .into_iter()
        .find(|t| crate::session::is_leap(*t))
    {
        return Err(Error::invalid(format!(
            "time {} is not a wall-clock time attctl accepts: give a time from 00:00:00 to 23:59:59",
            crate::session::format_wall_time(t)
        )));
    }
    if end <= start {
        return Err(Error::invalid(format!(
            "end time {} must be after start time {}",
            end.format("%H:%M:%S"),
            start.format("%H:%M:%S")
        )));
    }
    instant_of(date, start, zone)?;
    let closes_at = instant_of(date, end, zone)?;
    Ok(SessionTimes {
        session_date: date,
        start_time: start,
        end_time: end,
        timezone: zone.name().to_string(),
        closes_at,
    })
}

impl SessionTimes {
    pub fn into_new_session(self, class_id: i64) -> NewSession {
        NewSession {
            closed: None,
            class_id,
            session_date: self.session_date,
            start_time: self.start_time,
            end_time: self.end_time,
            timezone: self.timezone,
            closes_at: self.closes_at,
            scheduled_task_id: None,
            allow_overlap: false,
            session_type: None,
        }
    }
}

/// A time a run's input carries: an instant when it has an offset, and a wall-clock time
/// when it has none (the original app's `scheduled_close_time`, a naive
/// `session_date + end_time`). A wall-clock time is only ever read in a zone given to
/// [`InputTime::instant_in`], never in UTC by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTime {
    Instant(DateTime<Utc>),
    Wall(NaiveDateTime),
}

impl InputTime {
    /// ISO 8601 as Python's `isoformat()` and `str()` write it: `T` or a space between
    /// date and time, optional fraction, optional offset (`Z`, `+01:00`, `+0100`).
    pub fn parse(input: &str) -> Option<InputTime> {
        let s = input.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(InputTime::Instant(t.with_timezone(&Utc)));
        }
        for sep in ['T', ' '] {
            for offset in ["%:z", "%z", "Z"] {
                let fmt = format!("%Y-%m-%d{sep}%H:%M:%S%.f{offset}");
                if offset == "Z" {
                    if let Ok(t) = NaiveDateTime::parse_from_str(s, &fmt) {
                        return Some(InputTime::Instant(t.and_utc()));
                    }
                } else if let Ok(t) = DateTime::parse_from_str(s, &fmt) {
                    return Some(InputTime::Instant(t.with_timezone(&Utc)));
                }
            }
            for fmt in [
                format!("%Y-%m-%d{sep}%H:%M:%S%.f"),
                format!("%Y-%m-%d{sep}%H:%M"),
            ] {
                if let Ok(t) = NaiveDateTime::parse_from_str(s, &fmt) {
                    return Some(InputTime::Wall(t));
                }
            }
        }
        None
    }

    /// The instant, a wall-clock time being read in `zone` (the session's). A wall-clock
    /// time the clocks skip has none; one that happens twice is its first occurrence.
    pub fn instant_in(&self, zone: Tz) -> Option<DateTime<Utc>> {
        match self {
            InputTime::Instant(t) => Some(*t),
            InputTime::Wall(local) => zone
                .from_local_datetime(local)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

/// How long after its closing instant a session may still be closed as on time (`auto`)
/// rather than caught up (`sweep`); also the early-firing tolerance of a scheduled run.
pub fn run_tolerance() -> Duration {
    Duration::seconds(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> NaiveTime {
        parse_time(s).unwrap()
    }

    #[test]
    fn input_times_without_a_zone_are_read_in_the_given_zone() {
        let london: Tz = "Europe/London".parse().unwrap();
        let new_york: Tz = "America/New_York".parse().unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        for naive in [
            "2024-06-03T09:30:00",
            "2024-06-03 09:30:00",
            "2024-06-03T09:30:00.000000",
            "2024-06-03T09:30",
            " 2024-06-03T09:30:00 ",
        ] {
            let t = InputTime::parse(naive).unwrap_or_else(|| panic!("{naive:?}"));
            assert!(matches!(t, InputTime::Wall(_)), "{naive:?}");
            // Summer time: 09:30 in London is 08:30 UTC, in New York 13:30 UTC.
            assert_eq!(t.instant_in(london), Some(at("2024-06-03T08:30:00Z")));
            assert_eq!(t.instant_in(new_york), Some(at("2024-06-03T13:30:00Z")));
            assert_eq!(t.instant_in(Tz::UTC), Some(at("2024-06-03T09:30:00Z")));
        }
        for zoned in [
            "2024-06-03T09:30:00Z",
            "2024-06-03T10:30:00+01:00",
            "2024-06-03 10:30:00+01:00",
            "2024-06-03T10:30:00+0100",
            "2024-06-03T09:30:00.000Z",
        ] {
            let t = InputTime::parse(zoned).unwrap_or_else(|| panic!("{zoned:?}"));
            assert_eq!(
                t,
                InputTime::Instant(at("2024-06-03T09:30:00Z")),
                "{zoned:?}"
            );
            assert_eq!(t.instant_in(new_york), Some(at("2024-06-03T09:30:00Z")));
        }
        for bad in [
            "",
            "tomorrow",
            "2024-06-03",
            "09:30",
            "2024-13-03T09:30:00",
            "1e9",
        ] {
            assert_eq!(InputTime::parse(bad), None, "{bad:?}");
        }
        // Skipped and repeated wall-clock times.
        let gap = InputTime::parse("2024-03-31T01:30:00").unwrap();
        assert_eq!(gap.instant_in(london), None);
        let twice = InputTime::parse("2024-10-27T01:30:00").unwrap();
        assert_eq!(twice.instant_in(london), Some(at("2024-10-27T00:30:00Z")));
    }

    #[test]
    fn closing_instant_follows_dst() {
        let london: Tz = "Europe/London".parse().unwrap();
        // Clocks go forward at 01:00 UTC on 2024-03-31: 09:30 BST is 08:30 UTC.
        let times = session_times(d("2024-03-31"), t("08:00"), t("09:30"), london).unwrap();
        assert_eq!(times.closes_at.to_rfc3339(), "2024-03-31T08:30:00+00:00");
        let winter = session_times(d("2024-03-30"), t("08:00"), t("09:30"), london).unwrap();
        assert_eq!(winter.closes_at.to_rfc3339(), "2024-03-30T09:30:00+00:00");
    }

    #[test]
    fn session_across_the_change_is_shorter_in_real_time() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let times = session_times(d("2024-03-10"), t("00:30"), t("04:00"), ny).unwrap();
        // 00:30 EST = 05:30Z, 04:00 EDT = 08:00Z: 2h30 of real time.
        assert_eq!(times.closes_at.to_rfc3339(), "2024-03-10T08:00:00+00:00");
    }

    #[test]
    fn gaps_and_overlaps_are_refused() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let gap = session_times(d("2024-03-10"), t("01:00"), t("02:30"), ny).unwrap_err();
        assert!(gap.to_string().contains("does not exist"), "{gap}");
        let overlap = session_times(d("2024-11-03"), t("00:30"), t("01:30"), ny).unwrap_err();
        assert!(overlap.to_string().contains("happens twice"), "{overlap}");
    }

    #[test]
    fn end_must_follow_start() {
        let utc = Tz::UTC;
        assert!(session_times(d("2024-01-15"), t("09:00"), t("09:00"), utc).is_err());
        assert!(session_times(d("2024-01-15"), t("10:00"), t("09:00"), utc).is_err());
    }

    #[test]
    fn dates_and_times_are_strict() {
        let today = d("2024-02-28");
        assert_eq!(parse_date("today", today).unwrap(), today);
        assert_eq!(parse_date("Tomorrow", today).unwrap(), d("2024-02-29"));
        for bad in [
            "2024-02-30",
            "2024-2-1",
            "2024-01-15,2024-01-16",
            "15/01/2024",
            "",
            "2024-01-1x",
        ] {
            assert!(parse_date(bad, today).is_err(), "{bad}");
        }
        assert_eq!(t("08:05"), NaiveTime::from_hms_opt(8, 5, 0).unwrap());
        assert_eq!(t("23:59:59"), NaiveTime::from_hms_opt(23, 59, 59).unwrap());
        for bad in [
            "24:00",
            "8:0",
            "08:60",
            "08:00:60x",
            "08.00",
            "08:00:00.5",
            "(08:00)",
            "23:59:60",
            "12:30:60",
            "24:00:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        // A one-digit hour is how people write times.
        assert_eq!(parse_time("9:00").unwrap(), parse_time("09:00").unwrap());
        assert_eq!(
            parse_time(" 7:05:30 ").unwrap(),
            parse_time("07:05:30").unwrap()
        );
    }

    #[test]
    fn dates_outside_the_supported_years_are_refused() {
        let today = d("2024-02-28");
        for bad in ["0000-01-01", "1969-12-31", "2100-01-01", "9999-12-31"] {
            let err = parse_date(bad, today).unwrap_err();
            assert!(err.to_string().contains("out of range"), "{bad}: {err}");
        }
        assert!(parse_date("1970-01-01", today).is_ok());
        assert!(parse_date("2099-12-31", today).is_ok());
    }

    #[test]
    fn zones_are_validated() {
        assert!(parse_zone("Europe/London").is_ok());
        assert!(parse_zone("Mars/Olympus").is_err());
        assert!(parse_zone("CET").is_err());
        assert!(parse_zone("EST5EDT").is_err());
        assert_eq!(parse_zone("UTC").unwrap(), Tz::UTC);
    }
}
