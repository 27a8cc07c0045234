//! iCalendar (RFC 5545) files: sessions out as VEVENTs with their zones' VTIMEZONE, and
//! VEVENTs in as rows to import (RRULE expanded with `rrule`, EXDATE honoured), parsed with
//! the `icalendar` crate after unfolding. All-day events are holidays, never sessions.
//!
//! Times: `DTSTART;TZID=…` is wall-clock time in that zone (an Outlook Windows zone name is
//! mapped to its IANA name; the VTIMEZONE rules are not needed once the zone is known), a
//! `…Z` value is an instant shown in the configured zone, a floating value is read in it.

use std::collections::{BTreeSet, HashMap};

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::parser::{Component, Property, read_calendar, unfold};

use super::{ImportRow, RowError};
use crate::session::{ClassRef, ClosedBy, Status, TeachingSession};

/// Occurrences one recurring event may expand to.
const MAX_EXPANSION: u16 = 10_000;

#[derive(Debug)]
pub(crate) enum IcsError {
    /// The file as a whole cannot be read as iCalendar.
    File(String),
}

/// An all-day event as a holiday: dates inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DayRange {
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

fn prop<'c>(c: &'c Component<'_>, name: &str) -> Option<&'c Property<'c>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|k| k.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|k| k.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

fn text_value(p: &Property<'_>) -> String {
    let raw = p.val.as_str();
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// A DTSTART/DTEND/EXDATE value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Date(NaiveDate),
    /// Wall-clock time; `Some(zone)` when a TZID named it.
    Local(NaiveDateTime, Option<Tz>),
    Utc(DateTime<Utc>),
}

fn is_date_only(p: &Property<'_>, value: &str) -> bool {
    param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8
}

fn parse_when(p: &Property<'_>, value: &str) -> Result<When, String> {
    let value = value.trim();
    if is_date_only(p, value) {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(When::Date)
            .map_err(|_| format!("{} {value:?} is not a date (YYYYMMDD)", p.name.as_str()));
    }
    let (body, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (value, false),
    };
    let naive = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S").map_err(|_| {
        format!(
            "{} {value:?} is not a date-time (YYYYMMDDTHHMMSS)",
            p.name.as_str()
        )
    })?;
    if utc {
        return Ok(When::Utc(naive.and_utc()));
    }
    match param(p, "TZID") {
        None => Ok(When::Local(naive, None)),
        Some(tzid) => zone_of(tzid)
            .map(|z| When::Local(naive, Some(z)))
            .ok_or_else(|| {
                format!("TZID {tzid:?} is not a time zone attctl knows (IANA or Windows name)")
            }),
    }
}

/// IANA zone for a TZID: an IANA name, a Windows name (Outlook), or a path ending in an IANA
/// name (`/mozilla.org/20050126_1/Europe/London`).
pub(crate) fn zone_of(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim();
    if let Ok(z) = tzid.parse::<Tz>() {
        return Some(z);
    }
    if let Some(iana) = windows_zone(tzid) {
        return iana.parse().ok();
    }
    let parts: Vec<&str> = tzid.split('/').filter(|p| !p.is_empty()).collect();
    for take in [3, 2] {
        if parts.len() >= take {
            let tail = parts[parts.len() - take..].join("/");
            if let Ok(z) = tail.parse::<Tz>() {
                return Some(z);
            }
        }
    }
    None
}

/// The Windows zone names Outlook writes in TZID, mapped as CLDR's windowsZones does
/// (territory 001). The usual ones; an unknown name is refused with its line.
fn windows_zone(name: &str) -> Option<&'static str> {
    const MAP: &[(&str, &str)] = &[
        ("GMT Standard Time", "Europe/London"),
        ("Greenwich Standard Time", "Atlantic/Reykjavik"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Central Europe Standard Time", "Europe/Budapest"),
        ("Central European Standard Time", "Europe/Warsaw"),
        ("E. Europe Standard Time", "Europe/Chisinau"),
        ("FLE Standard Time", "Europe/Kiev"),
        ("GTB Standard Time", "Europe/Bucharest"),
        ("Russian Standard Time", "Europe/Moscow"),
        ("Turkey Standard Time", "Europe/Istanbul"),
        ("Israel Standard Time", "Asia/Jerusalem"),
        ("South Africa Standard Time", "Africa/Johannesburg"),
        ("Egypt Standard Time", "Africa/Cairo"),
        ("Arabian Standard Time", "Asia/Dubai"),
        ("India Standard Time", "Asia/Kolkata"),
        ("China Standard Time", "Asia/Shanghai"),
        ("Singapore Standard Time", "Asia/Singapore"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("Korea Standard Time", "Asia/Seoul"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("E. Australia Standard Time", "Australia/Brisbane"),
        ("W. Australia Standard Time", "Australia/Perth"),
        ("New Zealand Standard Time", "Pacific/Auckland"),
        ("Eastern Standard Time", "America/New_York"),
        ("Central Standard Time", "America/Chicago"),
        ("Mountain Standard Time", "America/Denver"),
        ("US Mountain Standard Time", "America/Phoenix"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Alaskan Standard Time", "America/Anchorage"),
        ("Hawaiian Standard Time", "Pacific/Honolulu"),
        ("Atlantic Standard Time", "America/Halifax"),
        ("Canada Central Standard Time", "America/Regina"),
        ("SA Pacific Standard Time", "America/Bogota"),
        ("E. South America Standard Time", "America/Sao_Paulo"),
        ("Argentina Standard Time", "America/Buenos_Aires"),
        ("Central Standard Time (Mexico)", "America/Mexico_City"),
        ("UTC", "UTC"),
        ("Coordinated Universal Time", "UTC"),
    ];
    MAP.iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(name))
        .map(|(_, iana)| *iana)
}

fn events(text: &str) -> Result<(String, Vec<u64>), IcsError> {
    let lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    if !text
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCALENDAR")
    {
        return Err(IcsError::File(
            "line 1: not an iCalendar file (no BEGIN:VCALENDAR)".into(),
        ));
    }
    // The parser wants CRLF or LF consistently and unfolded lines.
    Ok((unfold(&text.replace("\r\n", "\n")), lines))
}

fn vevents<'c>(components: &'c [Component<'c>]) -> Vec<&'c Component<'c>> {
    components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .collect()
}

/// The all-day events of a file as holiday ranges (DTEND exclusive; none means one day).
pub(crate) fn all_day_ranges(text: &str) -> Result<Vec<DayRange>, String> {
    let (unfolded, lines) = events(text).map_err(|IcsError::File(m)| m)?;
    let calendar =
        read_calendar(&unfolded).map_err(|_| "not a valid iCalendar file".to_string())?;
    let mut out = Vec::new();
    for (i, ev) in vevents(&calendar.components).into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        let Some(start) = prop(ev, "DTSTART") else {
            return Err(format!("line {line}: VEVENT without DTSTART"));
        };
        let first = match parse_when(start, start.val.as_str()) {
            Ok(When::Date(d)) => d,
            Ok(_) => continue, // a timed event is not a holiday
            Err(e) => return Err(format!("line {line}: {e}")),
        };
        let last = match prop(ev, "DTEND").map(|p| parse_when(p, p.val.as_str())) {
            None => first,
            Some(Ok(When::Date(end))) if end > first => end - Duration::days(1),
            Some(Ok(When::Date(_))) => first,
            Some(Ok(_)) => {
                return Err(format!(
                    "line {line}: DTEND of an all-day event must be a date"
                ));
            }
            Some(Err(e)) => return Err(format!("line {line}: {e}")),
        };
        let name = prop(ev, "SUMMARY").map(text_value).unwrap_or_default();
        out.push(DayRange {
            name: if name.is_empty() {
                "Holiday".into()
            } else {
                name
            },
            first,
            last,
        });
    }
    Ok(out)
}

fn duration_of(value: &str) -> Option<Duration> {
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

/// The sessions of a file: one row per VEVENT occurrence, or a row error naming its line.
pub(crate) fn sessions(
    text: &str,
    default_zone: Tz,
) -> Result<Vec<Result<ImportRow, RowError>>, IcsError> {
    let (unfolded, lines) = events(text)?;
    let calendar = read_calendar(&unfolded)
        .map_err(|_| IcsError::File("not a valid iCalendar file (cannot parse it)".into()))?;
    let mut out = Vec::new();
    for (i, ev) in vevents(&calendar.components).into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        match event_rows(ev, line, default_zone) {
            Ok(rows) => out.extend(rows.into_iter().map(Ok)),
            Err(reason) => out.push(Err(RowError { line, reason })),
        }
    }
    Ok(out)
}

fn event_rows(ev: &Component<'_>, line: u64, default_zone: Tz) -> Result<Vec<ImportRow>, String> {
    if prop(ev, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("CANCELLED")) {
        return Ok(Vec::new());
    }
    let start_p = prop(ev, "DTSTART").ok_or("VEVENT without DTSTART")?;
    let start = parse_when(start_p, start_p.val.as_str())?;
    // The session's zone, and its start as wall-clock time there.
    let (zone, start_local) = match start {
        When::Date(_) => {
            return Err(
                "all-day event: a session needs a start and end time (import holidays with \
                 `attctl holiday import`)"
                    .into(),
            );
        }
        When::Local(t, z) => (z.unwrap_or(default_zone), t),
        When::Utc(t) => (default_zone, t.with_timezone(&default_zone).naive_local()),
    };
    let length = match (prop(ev, "DTEND"), prop(ev, "DURATION")) {
        (Some(p), _) => {
            let end_local = match parse_when(p, p.val.as_str())? {
                When::Date(_) => return Err("DTEND is a date but DTSTART has a time".into()),
                When::Local(t, Some(z)) if z != zone => z
                    .from_local_datetime(&t)
                    .single()
                    .map(|i| i.with_timezone(&zone).naive_local())
                    .ok_or("DTEND does not exist in its zone")?,
                When::Local(t, _) => t,
                When::Utc(t) => t.with_timezone(&zone).naive_local(),
            };
            end_local - start_local
        }
        (None, Some(p)) => duration_of(p.val.as_str()).ok_or("DURATION is not like PT50M")?,
        (None, None) => return Err("VEVENT without DTEND or DURATION".into()),
    };
    if length <= Duration::zero() {
        return Err("DTEND is not after DTSTART".into());
    }
    let class = match prop(ev, "SUMMARY")
        .map(text_value)
        .filter(|s| !s.is_empty())
    {
        Some(name) => Some(ClassRef::Name(name)),
        None => prop(ev, "X-ATTCTL-CLASS-ID")
            .and_then(|p| p.val.as_str().trim().parse::<i64>().ok())
            .map(ClassRef::Id),
    };
    let status = prop(ev, "X-ATTCTL-STATUS").and_then(|p| p.val.as_str().parse::<Status>().ok());
    let closed_at = prop(ev, "X-ATTCTL-CLOSED-AT")
        .and_then(|p| DateTime::parse_from_rfc3339(p.val.as_str().trim()).ok())
        .map(|t| t.with_timezone(&Utc));
    let closed_by =
        prop(ev, "X-ATTCTL-CLOSED-BY").and_then(|p| p.val.as_str().parse::<ClosedBy>().ok());
    let starts: Vec<NaiveDateTime> = match prop(ev, "RRULE") {
        None => vec![start_local],
        Some(rule) => expand(ev, rule.val.as_str(), start_local, zone)?,
    };
    let mut rows = Vec::with_capacity(starts.len());
    for s in starts {
        let e = s + length;
        if e.date() != s.date() {
            return Err(format!("the event on {} ends on another day", s.date()));
        }
        rows.push(ImportRow {
            line,
            class: class.clone(),
            session_date: s.date(),
            start_time: s.time(),
            end_time: e.time(),
            timezone: Some(zone.name().to_string()),
            status,
            closed_at: if status == Some(Status::Closed) {
                closed_at
            } else {
                None
            },
            closed_by: if status == Some(Status::Closed) {
                closed_by
            } else {
                None
            },
        });
    }
    Ok(rows)
}

/// Start times of a recurring event, as wall-clock times in its zone. The rule is expanded
/// on floating time (UTC in the crate), so each occurrence keeps the local time of DTSTART
/// across DST changes; EXDATEs are compared in the same form.
fn expand(
    ev: &Component<'_>,
    rule: &str,
    start: NaiveDateTime,
    zone: Tz,
) -> Result<Vec<NaiveDateTime>, String> {
    let upper = rule.to_ascii_uppercase();
    if !upper.contains("UNTIL=") && !upper.contains("COUNT=") {
        return Err("RRULE without UNTIL or COUNT would never end".into());
    }
    let parsed: rrule::RRule<rrule::Unvalidated> = rule
        .parse()
        .map_err(|e| format!("RRULE {rule:?} is not valid: {e}"))?;
    let dt_start = start.and_utc().with_timezone(&rrule::Tz::UTC);
    let set = parsed
        .build(dt_start)
        .map_err(|e| format!("RRULE {rule:?} cannot be used: {e}"))?;
    let mut excluded_days = BTreeSet::new();
    let mut excluded = BTreeSet::new();
    for p in ev
        .properties
        .iter()
        .filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"))
    {
        for value in p.val.as_str().split(',') {
            match parse_when(p, value)? {
                When::Date(d) => {
                    excluded_days.insert(d);
                }
                When::Local(t, Some(z)) if z != zone => {
                    if let Some(i) = z.from_local_datetime(&t).single() {
                        excluded.insert(i.with_timezone(&zone).naive_local());
                    }
                }
                When::Local(t, _) => {
                    excluded.insert(t);
                }
                When::Utc(t) => {
                    excluded.insert(t.with_timezone(&zone).naive_local());
                }
            }
        }
    }
    let result = set.all(MAX_EXPANSION);
    if result.limited && result.dates.len() >= usize::from(MAX_EXPANSION) {
        return Err(format!("RRULE gives more than {MAX_EXPANSION} occurrences"));
    }
    Ok(result
        .dates
        .into_iter()
        .map(|d| d.naive_utc())
        .filter(|t| !excluded.contains(t) && !excluded_days.contains(&t.date()))
        .collect())
}

// ----- writing ---------------------------------------------------------------------------

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (never inside a UTF-8 character), CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s / 60) % 60)
}

/// VTIMEZONE of `zone` for the years `from..=to`: one STANDARD/DAYLIGHT per transition
/// (each with its own DTSTART), found by scanning the zone's offsets day by day.
fn vtimezone(out: &mut String, zone: Tz, from: i32, to: i32) {
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{}", zone.name()));
    let at = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc());
    let (Some(mut day), Some(end)) = (
        NaiveDate::from_ymd_opt(from, 1, 1).map(|d| d.and_time(NaiveTime::MIN).and_utc()),
        NaiveDate::from_ymd_opt(to + 1, 1, 1).map(|d| d.and_time(NaiveTime::MIN).and_utc()),
    ) else {
        push_line(out, "END:VTIMEZONE");
        return;
    };
    let first = at(day);
    let mut transitions = 0;
    while day < end {
        let next = day + Duration::days(1);
        let (before, after) = (at(day), at(next));
        if before.fix() != after.fix() {
            // The first second with the new offset.
            let (mut lo, mut hi) = (day, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if at(mid).fix() == before.fix() {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let from_s = before.fix().local_minus_utc();
            let kind = if after.dst_offset().is_zero() {
                "STANDARD"
            } else {
                "DAYLIGHT"
            };
            let local_start = hi.naive_utc() + Duration::seconds(i64::from(from_s));
            push_line(out, &format!("BEGIN:{kind}"));
            push_line(
                out,
                &format!("DTSTART:{}", local_start.format("%Y%m%dT%H%M%S")),
            );
            push_line(out, &format!("TZOFFSETFROM:{}", offset_text(from_s)));
            push_line(
                out,
                &format!("TZOFFSETTO:{}", offset_text(after.fix().local_minus_utc())),
            );
            if let Some(abbr) = after.abbreviation() {
                push_line(out, &format!("TZNAME:{}", escape_text(abbr)));
            }
            push_line(out, &format!("END:{kind}"));
            transitions += 1;
        }
        day = next;
    }
    if transitions == 0 {
        let off = first.fix().local_minus_utc();
        push_line(out, "BEGIN:STANDARD");
        push_line(out, &format!("DTSTART:{from:04}0101T000000"));
        push_line(out, &format!("TZOFFSETFROM:{}", offset_text(off)));
        push_line(out, &format!("TZOFFSETTO:{}", offset_text(off)));
        push_line(out, "END:STANDARD");
    }
    push_line(out, "END:VTIMEZONE");
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A whole calendar: the zones used, then one VEVENT per session.
pub(crate) fn write_calendar(
    sessions: &[TeachingSession],
    class_names: &HashMap<i64, String>,
    identity: &str,
) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(
        &mut out,
        &format!("PRODID:-//attctl//attctl {}//EN", env!("CARGO_PKG_VERSION")),
    );
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, "METHOD:PUBLISH");
    let mut years: HashMap<Tz, (i32, i32)> = HashMap::new();
    for s in sessions {
        if let Ok(z) = s.timezone.parse::<Tz>() {
            let y = s.session_date.year();
            let r = years.entry(z).or_insert((y, y));
            r.0 = r.0.min(y);
            r.1 = r.1.max(y);
        }
    }
    let mut zones: Vec<(Tz, (i32, i32))> = years.into_iter().collect();
    zones.sort_by_key(|(z, _)| z.name());
    for (zone, (from, to)) in zones {
        vtimezone(&mut out, zone, from, to);
    }
    for s in sessions {
        let name = class_names
            .get(&s.class_id)
            .cloned()
            .unwrap_or_else(|| format!("class {}", s.class_id));
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:attctl-session-{}@{identity}", s.id));
        push_line(&mut out, &format!("DTSTAMP:{}", utc_stamp(s.updated_at)));
        let tz = escape_param(&s.timezone);
        for (prop, t) in [("DTSTART", s.start_time), ("DTEND", s.end_time)] {
            push_line(
                &mut out,
                &format!(
                    "{prop};TZID={tz}:{}",
                    s.session_date.and_time(t).format("%Y%m%dT%H%M%S")
                ),
            );
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape_text(&name)));
        push_line(&mut out, "STATUS:CONFIRMED");
        // Raised by every change of the session, a reschedule included, and never lowered.
        let sequence = (s.updated_at - s.created_at)
            .num_seconds()
            .clamp(0, i64::from(i32::MAX));
        push_line(&mut out, &format!("SEQUENCE:{sequence}"));
        push_line(&mut out, &format!("CREATED:{}", utc_stamp(s.created_at)));
        push_line(
            &mut out,
            &format!("LAST-MODIFIED:{}", utc_stamp(s.updated_at)),
        );
        push_line(&mut out, &format!("X-ATTCTL-SESSION-ID:{}", s.id));
        push_line(&mut out, &format!("X-ATTCTL-CLASS-ID:{}", s.class_id));
        push_line(&mut out, &format!("X-ATTCTL-STATUS:{}", s.status));
        if let Some(t) = s.closed_at {
            push_line(
                &mut out,
                &format!(
                    "X-ATTCTL-CLOSED-AT:{}",
                    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
                ),
            );
        }
        if let Some(b) = s.closed_by {
            push_line(&mut out, &format!("X-ATTCTL-CLOSED-BY:{b}"));
        }
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn escape_param(s: &str) -> String {
    if s.contains([':', ';', ',']) {
        format!("\"{}\"", s.replace('"', ""))
    } else {
        s.to_string()
    }
}
