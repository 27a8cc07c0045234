//! All-day events as holidays: date ranges (DTEND exclusive), each occurrence of a
//! recurring one a range of its own.

use std::io::BufRead;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::Notes;
use super::lines::blocks;
use super::series::Series;
use super::values::{When, is_date_only, parse_when, prop, text_value};
use super::zones::{ZoneId, Zones};

/// An all-day event as a holiday: dates inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DayRange {
    /// The line of its VEVENT.
    pub line: u64,
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// What a holiday import found: the ranges, and warnings for the person importing.
#[derive(Debug, Default)]
pub(crate) struct Holidays {
    pub ranges: Vec<DayRange>,
    pub warnings: Vec<String>,
    /// Every VEVENT of the file, all-day or not (to say what a file without holidays held).
    pub events: usize,
    /// The VEVENTs with a time of day, which are not holidays.
    pub timed_events: usize,
}

impl Holidays {
    /// Why nothing is imported from a file with no all-day event, naming what it held.
    pub(crate) fn nothing_to_import(&self, source: &str) -> Option<String> {
        if !self.ranges.is_empty() {
            return None;
        }
        Some(match (self.events, self.timed_events) {
            (0, _) => format!("{source} holds no events (no VEVENT): nothing imported"),
            (_, timed) if timed > 0 => format!(
                "{source} holds no all-day events, only {timed} timed event{} (lessons, not \
                 holidays; `attctl session import` reads those): nothing imported",
                if timed == 1 { "" } else { "s" }
            ),
            (n, _) => format!(
                "{source} holds {n} all-day event{} with no occurrence: nothing imported",
                if n == 1 { "" } else { "s" }
            ),
        })
    }
}

/// The all-day events of a calendar as holiday ranges (DTEND exclusive; none means one
/// day), each occurrence of a recurring one (a yearly holiday) a range of its own.
pub(crate) fn all_day_ranges(input: impl BufRead) -> Result<Holidays, String> {
    let mut out = Holidays::default();
    let notes: Notes = Arc::default();
    // All-day dates need no zone: the file's VTIMEZONEs are not read.
    let zones = Zones::default();
    for block in blocks(input) {
        let block = block.map_err(|e| e.to_string())?;
        if block.name != "VEVENT" {
            continue;
        }
        let line = block.line;
        let at = |e: String| format!("line {line}: {e}");
        let ev = block.parse().map_err(at)?;
        let Some(start) = prop(&ev, "DTSTART") else {
            return Err(at("VEVENT without DTSTART".into()));
        };
        out.events += 1;
        if !is_date_only(start, start.val.as_str()) {
            out.timed_events += 1;
            continue; // a timed event is not a holiday
        }
        let first = match parse_when(start, start.val.as_str(), &zones).map_err(at)? {
            When::Date(d) => d,
            _ => continue,
        };
        let last = match prop(&ev, "DTEND").map(|p| parse_when(p, p.val.as_str(), &zones)) {
            None => first,
            Some(Ok(When::Date(end))) if end > first => end - Duration::days(1),
            Some(Ok(When::Date(end))) if end == first => first,
            Some(Ok(When::Date(end))) => {
                return Err(at(format!(
                    "DTEND {} is before DTSTART {}",
                    end.format("%Y%m%d"),
                    first.format("%Y%m%d")
                )));
            }
            Some(Ok(_)) => return Err(at("DTEND of an all-day event must be a date".into())),
            Some(Err(e)) => return Err(at(e)),
        };
        let name = prop(&ev, "SUMMARY").map(text_value).unwrap_or_default();
        let name = if name.is_empty() {
            "Holiday".to_string()
        } else {
            name
        };
        let series = Series {
            ev: &ev,
            line,
            start: first.and_time(NaiveTime::MIN),
            all_day: true,
            frame: ZoneId::Iana(Tz::UTC),
            zones: &zones,
            notes: Some(&notes),
        };
        for start in series.occurrences().map_err(at)? {
            let day = start.date();
            out.ranges.push(DayRange {
                line,
                name: name.clone(),
                first: day,
                last: day + (last - first),
            });
        }
    }
    if let Ok(mut n) = notes.lock() {
        out.warnings = std::mem::take(&mut *n);
    }
    Ok(out)
}
