//! Times as people read them in tables: `09:00` rather than `09:00:00`, an instant in the
//! school's zone with the zone's name (`2026-12-05 10:00 GMT`), and how far it is from now
//! (`in 12 min`, `3 h ago`). JSON and CSV keep the stored values: they are for programs.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

/// `09:00`; `24:00` for the end of day (a row from before attctl refused it).
pub(crate) fn wall_time(t: NaiveTime) -> String {
    if crate::session::is_leap(t) {
        "24:00".to_string()
    } else {
        t.format("%H:%M").to_string()
    }
}

/// `2026-12-05 10:00 GMT`: the instant on `zone`'s clock, named by its abbreviation (which
/// changes with summer time, so each instant carries its own).
pub(crate) fn instant(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// `in 12 min`, `3 h ago`, `in 2 days`, `just now`: rounded down to the largest unit that
/// fits, as a person says it.
pub(crate) fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (t - now).num_seconds();
    let ahead = seconds > 0;
    let span = seconds.unsigned_abs();
    if span < 60 {
        return "just now".to_string();
    }
    let text = match span {
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 48 * 3600 => format!("{} h", s / 3600),
        s => crate::output::plural((s / 86_400) as usize, "day"),
    };
    if ahead {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// The length of `from`..`to` in the same units: `12 min`, `3 h`, `5 days`.
pub(crate) fn span(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    relative(to, from)
        .trim_start_matches("in ")
        .trim_end_matches(" ago")
        .replace("just now", "under a minute")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn wall_times_lose_their_seconds() {
        let t = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert_eq!(wall_time(t), "09:00");
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1000).unwrap();
        assert_eq!(wall_time(leap), "24:00");
    }

    #[test]
    fn instants_are_shown_on_the_zones_clock() {
        let t = Utc.with_ymd_and_hms(2026, 7, 1, 9, 0, 0).unwrap();
        assert_eq!(
            instant(t, chrono_tz::Europe::London),
            "2026-07-01 10:00 BST"
        );
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        assert_eq!(
            instant(t, chrono_tz::Europe::London),
            "2026-12-01 09:00 GMT"
        );
    }

    #[test]
    fn relative_times_read_as_said() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
        let at = |s: i64| relative(now + chrono::Duration::seconds(s), now);
        assert_eq!(at(30), "just now");
        assert_eq!(at(12 * 60 + 5), "in 12 min");
        assert_eq!(at(-3 * 3600 - 100), "3 h ago");
        assert_eq!(at(47 * 3600), "in 47 h");
        assert_eq!(at(-2 * 86_400), "2 days ago");
        assert_eq!(at(86_400 * 40), "in 40 days");
        assert_eq!(span(now, now + chrono::Duration::days(1)), "24 h");
    }
}
