//! Which dates a timetable meets on: weekdays every N weeks, or an RFC 5545 RRULE expanded
//! with the `rrule` crate. Dates only: the wall-clock start and end are the same on every
//! date, and each occurrence is converted to an instant on its own by [`crate::clock`], so
//! a DST change never shifts the local time of the sessions after it.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};

use crate::error::{Error, Result};

/// Most occurrences one timetable may expand to: a runaway rule (FREQ=MINUTELY, a far
/// UNTIL) fails with a message instead of filling memory.
pub(crate) const MAX_OCCURRENCES: usize = 100_000;

/// How the dates repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// These weekdays, every `every` weeks counted from the week of the first date.
    Weekly { days: Vec<Weekday>, every: u32 },
    /// An RRULE value (`FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2`), anchored at the first date.
    Rule(String),
}

/// `mon,wed` (also `monday`, `Mo`, case-insensitive) into weekdays, in week order.
pub(crate) fn parse_days(input: &str) -> Result<Vec<Weekday>> {
    let mut days = Vec::new();
    for raw in input.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let day = match raw.to_ascii_lowercase().as_str() {
            "mo" | "mon" | "monday" => Weekday::Mon,
            "tu" | "tue" | "tues" | "tuesday" => Weekday::Tue,
            "we" | "wed" | "wednesday" => Weekday::Wed,
            "th" | "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
            "fr" | "fri" | "friday" => Weekday::Fri,
            "sa" | "sat" | "saturday" => Weekday::Sat,
            "su" | "sun" | "sunday" => Weekday::Sun,
            _ => {
                return Err(Error::invalid(format!(
                    "--days: {raw:?} is not a weekday; use mon,tue,wed,thu,fri,sat,sun"
                )));
            }
        };
        if !days.contains(&day) {
            days.push(day);
        }
    }
    if days.is_empty() {
        return Err(Error::invalid(
            "--days is empty; give weekdays such as mon,wed",
        ));
    }
    days.sort_by_key(|d| d.num_days_from_monday());
    Ok(days)
}

/// The dates of `pattern` from `from` to `until`, both inclusive, in order.
pub(crate) fn dates(
    pattern: &Pattern,
    from: NaiveDate,
    until: NaiveDate,
    start: NaiveTime,
) -> Result<Vec<NaiveDate>> {
    if until < from {
        return Err(Error::invalid(format!(
            "--to {until} is before --from {from}"
        )));
    }
    match pattern {
        Pattern::Weekly { days, every } => Ok(weekly(days, (*every).max(1), from, until)),
        Pattern::Rule(rule) => rule_dates(rule, from, until, start),
    }
}

fn weekly(days: &[Weekday], every: u32, from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    let week_start = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let mut out = Vec::new();
    let mut date = from;
    while date <= until {
        let week = (date - week_start).num_days() / 7;
        if week % i64::from(every) == 0 && days.contains(&date.weekday()) {
            out.push(date);
        }
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    out
}

/// Expands `rule` with DTSTART = `from` at `start`, as floating wall-clock time (UTC in the
/// crate, which has no DST), so the pattern is computed on the calendar, not on instants.
pub(crate) fn rule_dates(
    rule: &str,
    from: NaiveDate,
    until: NaiveDate,
    start: NaiveTime,
) -> Result<Vec<NaiveDate>> {
    let text = rule.trim();
    let text = text
        .strip_prefix("RRULE:")
        .or_else(|| text.strip_prefix("rrule:"))
        .unwrap_or(text);
    let parsed: rrule::RRule<rrule::Unvalidated> = text
        .parse()
        .map_err(|e| Error::invalid(format!("--rrule {rule:?} is not a valid RRULE: {e}")))?;
    let dt_start = from
        .and_time(start)
        .and_utc()
        .with_timezone(&rrule::Tz::UTC);
    let set = parsed
        .build(dt_start)
        .map_err(|e| Error::invalid(format!("--rrule {rule:?} cannot be used: {e}")))?;
    let mut out = Vec::new();
    for occurrence in &set {
        let date = occurrence.date_naive();
        if date > until {
            break;
        }
        if date >= from {
            if out.len() == MAX_OCCURRENCES {
                return Err(Error::invalid(format!(
                    "--rrule {rule:?} gives more than {MAX_OCCURRENCES} occurrences before \
                     {until}; narrow the rule or the dates"
                )));
            }
            out.push(date);
        }
    }
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekly_every_two_weeks() {
        let p = Pattern::Weekly {
            days: parse_days("wed,mon").unwrap(),
            every: 2,
        };
        let got = dates(&p, d("2026-01-07"), d("2026-01-21"), NaiveTime::MIN).unwrap();
        // Week of 5 Jan: Wed 7 only (Mon 5 is before --from); 12 Jan skipped; week of 19 Jan.
        assert_eq!(got, vec![d("2026-01-07"), d("2026-01-19"), d("2026-01-21")]);
    }

    #[test]
    fn rrule_matches_weekly() {
        let t = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let got = rule_dates(
            "FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2",
            d("2026-01-05"),
            d("2026-01-21"),
            t,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                d("2026-01-05"),
                d("2026-01-07"),
                d("2026-01-19"),
                d("2026-01-21")
            ]
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(parse_days("mon,funday").is_err());
        assert!(
            rule_dates(
                "FREQ=SOMETIMES",
                d("2026-01-05"),
                d("2026-01-21"),
                NaiveTime::MIN
            )
            .is_err()
        );
    }
}
