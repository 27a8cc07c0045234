//! The values of a component: its properties and parameters, TEXT values, and the dates,
//! date-times (floating, UTC or of a zone) and durations an event is made of.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use icalendar::parser::{Component, Property};

use super::zones::{ZoneId, Zones};

pub(super) fn prop<'c>(c: &'c Component<'_>, name: &str) -> Option<&'c Property<'c>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

pub(super) fn props<'c>(
    c: &'c Component<'_>,
    name: &'c str,
) -> impl Iterator<Item = &'c Property<'c>> {
    c.properties
        .iter()
        .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

pub(super) fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|k| k.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|k| k.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// A TEXT value (SUMMARY). The parser has already unescaped it (`\,` `\;` `\\` `\n`), since
/// every property name reaches it in capitals (`lines::push_content_line`); unescaping again would
/// turn a name's own backslash into an escape (`back\slash` into `backslash`).
pub(super) fn text_value(p: &Property<'_>) -> String {
    p.val.as_str().trim().to_string()
}

/// A DTSTART/DTEND/EXDATE/RDATE value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    Date(NaiveDate),
    /// Wall-clock time; `Some(zone)` when a TZID named it.
    Local(NaiveDateTime, Option<ZoneId>),
    Utc(DateTime<Utc>),
}

pub(super) fn is_date_only(p: &Property<'_>, value: &str) -> bool {
    date_param(p) || value.trim().len() == 8
}

pub(super) fn date_param(p: &Property<'_>) -> bool {
    param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
}

pub(super) fn parse_when(p: &Property<'_>, value: &str, zones: &Zones) -> Result<When, String> {
    parse_value(
        p.name.as_str(),
        param(p, "TZID"),
        date_param(p),
        value,
        zones,
    )
}

/// A date or date-time value of property `name`, its TZID and VALUE=DATE parameters given.
pub(super) fn parse_value(
    name: &str,
    tzid: Option<&str>,
    date: bool,
    value: &str,
    zones: &Zones,
) -> Result<When, String> {
    let value = value.trim();
    if date || value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(When::Date)
            .map_err(|_| format!("{name} {value:?} is not a date (YYYYMMDD)"));
    }
    let (body, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (value, false),
    };
    let naive = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("{name} {value:?} is not a date-time (YYYYMMDDTHHMMSS)"))?;
    if utc {
        return Ok(When::Utc(naive.and_utc()));
    }
    match tzid {
        None => Ok(When::Local(naive, None)),
        Some(tzid) => zones.resolve(tzid).map(|z| When::Local(naive, Some(z))),
    }
}

/// A time read in `frame`, the zone whose wall clock a series is expanded on: a floating
/// time is read there, a time of another zone goes through its instant. `None` for a date,
/// or a wall-clock time its own zone skips or repeats.
pub(super) fn in_frame(when: When, frame: ZoneId, zones: &Zones) -> Option<NaiveDateTime> {
    match when {
        When::Date(_) => None,
        When::Local(t, None) => Some(t),
        When::Local(t, Some(z)) if z == frame => Some(t),
        When::Local(t, Some(z)) => zones.instant(z, t).map(|i| zones.local(frame, i)),
        When::Utc(t) => Some(zones.local(frame, t)),
    }
}

pub(super) fn duration_of(value: &str) -> Option<Duration> {
    // PT1H30M, PT50M, P1D: enough for a lesson.
    let v = value.trim().strip_prefix('P')?;
    let (days, time) = match v.split_once('T') {
        Some((d, t)) => (d, t),
        None => (v, ""),
    };
    let mut total = Duration::zero();
    let mut num = String::new();
    for c in days
        .chars()
        .chain(std::iter::once('|'))
        .chain(time.chars().map(|c| c.to_ascii_uppercase()))
    {
        match c {
            '0'..='9' => num.push(c),
            'D' | 'W' | 'H' | 'M' | 'S' => {
                let n: i64 = num.parse().ok()?;
                num.clear();
                total += match c {
                    'W' => Duration::weeks(n),
                    'D' => Duration::days(n),
                    'H' => Duration::hours(n),
                    'M' => Duration::minutes(n),
                    _ => Duration::seconds(n),
                };
            }
            '|' => {}
            _ => return None,
        }
    }
    Some(total)
}
