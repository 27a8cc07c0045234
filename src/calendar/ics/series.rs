//! A recurring event's occurrences: the recurrence set of RFC 5545 (RRULEs expanded with
//! `rrule`, RDATEs, less EXRULEs, EXDATEs and overridden occurrences), as wall-clock times.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use icalendar::parser::{Component, Property};

use super::values::{When, in_frame, param, parse_when, props};
use super::zones::{ZoneId, Zones};
use super::{Notes, note};

/// Occurrences one recurring event may expand to.
const MAX_EXPANSION: u16 = 10_000;

/// A component whose occurrences are asked for: wall-clock times in `frame` (dates at
/// midnight when `all_day`).
pub(super) struct Series<'a, 'c> {
    pub(super) ev: &'a Component<'c>,
    pub(super) line: u64,
    pub(super) start: NaiveDateTime,
    pub(super) all_day: bool,
    pub(super) frame: ZoneId,
    pub(super) zones: &'a Zones,
    pub(super) notes: Option<&'a Notes>,
}

impl Series<'_, '_> {
    /// The recurrence set of RFC 5545: the dates of each RRULE (or DTSTART alone when there
    /// is none) and each RDATE, less the dates of each EXRULE and each EXDATE. The rules are
    /// expanded on floating time (UTC in the crate), so each occurrence keeps the local time
    /// of DTSTART across DST changes. A rule that gives no date at all is a warning: the
    /// file says something attctl does not import.
    pub(super) fn occurrences(&self) -> Result<Vec<NaiveDateTime>, String> {
        let mut set: BTreeSet<NaiveDateTime> = BTreeSet::new();
        let mut rules = 0;
        for rule in props(self.ev, "RRULE") {
            rules += 1;
            let rule = rule.val.as_str().trim();
            let upper = rule.to_ascii_uppercase();
            if !upper.contains("UNTIL=") && !upper.contains("COUNT=") {
                return Err(format!(
                    "RRULE {rule:?} has no UNTIL or COUNT: it would never end"
                ));
            }
            let result = self.build("RRULE", rule)?.all(MAX_EXPANSION);
            if result.limited && result.dates.len() >= usize::from(MAX_EXPANSION) {
                return Err(format!("RRULE gives more than {MAX_EXPANSION} occurrences"));
            }
            if result.dates.is_empty() {
                note(
                    self.notes,
                    format!(
                        "line {}: RRULE {rule:?} gives no date from DTSTART {}, so it adds \
                         nothing (check BYMONTH, BYMONTHDAY and UNTIL)",
                        self.line,
                        self.start.format(if self.all_day {
                            "%Y%m%d"
                        } else {
                            "%Y%m%dT%H%M%S"
                        })
                    ),
                );
            }
            set.extend(result.dates.iter().map(|d| d.naive_utc()));
        }
        if rules == 0 {
            set.insert(self.start);
        }
        for p in props(self.ev, "RDATE") {
            if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("PERIOD")) {
                return Err(
                    "RDATE;VALUE=PERIOD is not supported: give the dates, with DTEND or \
                            DURATION for their length"
                        .into(),
                );
            }
            for value in p.val.as_str().split(',') {
                set.insert(self.time_of("RDATE", p, value)?);
            }
            if set.len() > usize::from(MAX_EXPANSION) {
                return Err(format!("RDATE gives more than {MAX_EXPANSION} occurrences"));
            }
        }
        let mut excluded = Exclusions::default();
        for p in props(self.ev, "EXDATE") {
            for value in p.val.as_str().split(',') {
                excluded.add(parse_when(p, value, self.zones)?, self.frame, self.zones);
            }
        }
        // EXRULE (deprecated by RFC 5545, still written by old clients) may have no end:
        // its dates are only needed up to the last occurrence.
        if let Some(last) = set.last().copied() {
            for p in props(self.ev, "EXRULE") {
                let rule = self.build("EXRULE", p.val.as_str().trim())?.limit();
                for d in &rule {
                    let d = d.naive_utc();
                    if d > last {
                        break;
                    }
                    excluded.times.insert(d);
                }
            }
        }
        Ok(set.into_iter().filter(|t| !excluded.contains(t)).collect())
    }

    fn build(&self, what: &str, rule: &str) -> Result<rrule::RRuleSet, String> {
        let parsed: rrule::RRule<rrule::Unvalidated> = rule
            .parse()
            .map_err(|e| format!("{what} {rule:?} is not valid: {e}"))?;
        parsed
            .build(self.start.and_utc().with_timezone(&rrule::Tz::UTC))
            .map_err(|e| format!("{what} {rule:?} cannot be used: {e}"))
    }

    /// An RDATE value as a time of the series: a date for an all-day series, a date-time
    /// (in any zone) otherwise.
    fn time_of(&self, name: &str, p: &Property<'_>, value: &str) -> Result<NaiveDateTime, String> {
        match (parse_when(p, value, self.zones)?, self.all_day) {
            (When::Date(d), true) => Ok(d.and_time(NaiveTime::MIN)),
            (When::Date(_), false) => Err(format!("{name} is a date but DTSTART has a time")),
            (_, true) => Err(format!("{name} has a time but DTSTART is a date")),
            (when, false) => in_frame(when, self.frame, self.zones)
                .ok_or_else(|| format!("{name} {:?} does not exist in its zone", value.trim())),
        }
    }
}

/// Occurrences left out of a series (EXDATE, EXRULE, RECURRENCE-ID), as wall-clock times in
/// the series' frame; a date leaves out that day.
#[derive(Default)]
pub(super) struct Exclusions {
    days: BTreeSet<NaiveDate>,
    pub(super) times: BTreeSet<NaiveDateTime>,
}

impl Exclusions {
    pub(super) fn add(&mut self, when: When, frame: ZoneId, zones: &Zones) {
        match when {
            When::Date(d) => {
                self.days.insert(d);
            }
            other => {
                if let Some(t) = in_frame(other, frame, zones) {
                    self.times.insert(t);
                }
            }
        }
    }

    pub(super) fn contains(&self, t: &NaiveDateTime) -> bool {
        self.times.contains(t) || self.days.contains(&t.date())
    }
}
