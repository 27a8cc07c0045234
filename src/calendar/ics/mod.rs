//! iCalendar (RFC 5545) files: sessions out as VEVENTs with their zones' VTIMEZONE, and
//! VEVENTs in as rows to import (RRULE expanded with `rrule`, EXDATE honoured), parsed with
//! the `icalendar` crate after unfolding. All-day events are holidays, never sessions.
//!
//! Times: `DTSTART;TZID=…` is wall-clock time in that zone (an Outlook Windows zone name is
//! mapped to its IANA name; the VTIMEZONE rules are not needed once the zone is known), a
//! `…Z` value is an instant shown in the configured zone, a floating value is read in it.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::io::BufRead;

use icalendar::parser::{Component, Property, read_components};

use super::{ImportRow, RowError};
use crate::session::{ClassRef, ClosedBy, Status};

mod write;
pub(crate) use write::write_calendar;

/// Occurrences one recurring event may expand to.
const MAX_EXPANSION: u16 = 10_000;

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

/// Content lines of a stream, unfolded (a line starting with a space or tab continues the
/// one before), each with the number of the physical line it starts on. Only one logical
/// line is held at a time.
struct Unfolded<R: BufRead> {
    input: R,
    /// Physical lines read so far.
    line_no: u64,
    /// The logical line being assembled, and where it started.
    current: Option<(u64, String)>,
    raw: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Unfolded<R> {
    fn new(input: R) -> Self {
        Unfolded {
            input,
            line_no: 0,
            current: None,
            raw: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for Unfolded<R> {
    type Item = Result<(u64, String), RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.raw.clear();
            match self.input.read_until(b'\n', &mut self.raw) {
                Ok(0) => {
                    self.done = true;
                    return self.current.take().map(Ok);
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(RowError {
                        line: self.line_no + 1,
                        reason: format!("cannot read: {e}"),
                    }));
                }
            }
            self.line_no += 1;
            let mut bytes: &[u8] = &self.raw;
            if self.line_no == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes = &bytes[3..];
            }
            while let Some((b'\n' | b'\r', rest)) = bytes.split_last() {
                bytes = rest;
            }
            let Ok(text) = std::str::from_utf8(bytes) else {
                self.done = true;
                return Some(Err(RowError {
                    line: self.line_no,
                    reason: "not UTF-8 text".into(),
                }));
            };
            if let Some(rest) = text.strip_prefix([' ', '\t']) {
                match self.current.as_mut() {
                    Some((_, line)) => line.push_str(rest),
                    None => self.current = Some((self.line_no, rest.to_string())),
                }
                continue;
            }
            let previous = self.current.replace((self.line_no, text.to_string()));
            if let Some(line) = previous {
                return Some(Ok(line));
            }
        }
        None
    }
}

/// One component at the top level of a calendar (a VEVENT, a VTIMEZONE, ...), as its
/// unfolded text, with the line it starts on.
struct Block {
    name: String,
    line: u64,
    text: String,
}

impl Block {
    /// The component parsed (it borrows the block's text).
    fn parse(&self) -> Result<Component<'_>, String> {
        read_components(&self.text)
            .ok()
            .and_then(|mut c| (!c.is_empty()).then(|| c.swap_remove(0)))
            .ok_or_else(|| format!("{} cannot be parsed as iCalendar", self.name))
    }
}

/// The top-level components of a calendar stream, one at a time: a file of any size is
/// read holding one component.
struct Blocks<R: BufRead> {
    lines: Unfolded<R>,
    started: bool,
    done: bool,
}

fn blocks<R: BufRead>(input: R) -> Blocks<R> {
    Blocks {
        lines: Unfolded::new(input),
        started: false,
        done: false,
    }
}

fn begin_end(line: &str) -> Option<(bool, String)> {
    let (key, value) = line.split_once(':')?;
    let begin = if key.trim().eq_ignore_ascii_case("BEGIN") {
        true
    } else if key.trim().eq_ignore_ascii_case("END") {
        false
    } else {
        return None;
    };
    Some((begin, value.trim().to_ascii_uppercase()))
}

impl<R: BufRead> Iterator for Blocks<R> {
    type Item = Result<Block, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut block: Option<Block> = None;
        let mut depth = 0usize;
        while !self.done {
            let (line_no, line) = match self.lines.next() {
                None => break,
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(l)) => l,
            };
            if line.trim().is_empty() {
                continue;
            }
            if !self.started {
                if begin_end(&line) != Some((true, "VCALENDAR".into())) {
                    self.done = true;
                    return Some(Err(RowError {
                        line: line_no,
                        reason: "not an iCalendar file (no BEGIN:VCALENDAR)".into(),
                    }));
                }
                self.started = true;
                continue;
            }
            let marker = begin_end(&line);
            match block.as_mut() {
                None => match marker {
                    Some((true, name)) => {
                        depth = 1;
                        block = Some(Block {
                            line: line_no,
                            text: format!("{line}\n"),
                            name,
                        });
                    }
                    // The calendar ends; a second one may follow.
                    Some((false, name)) if name == "VCALENDAR" => self.started = false,
                    _ => {} // a calendar property (VERSION, PRODID, X-WR-TIMEZONE, ...)
                },
                Some(b) => {
                    b.text.push_str(&line);
                    b.text.push('\n');
                    match marker {
                        Some((true, _)) => depth += 1,
                        Some((false, _)) => {
                            depth -= 1;
                            if depth == 0 {
                                return block.map(Ok);
                            }
                        }
                        None => {}
                    }
                }
            }
        }
        self.done = true;
        block.map(|b| {
            Err(RowError {
                line: b.line,
                reason: format!("BEGIN:{} has no END:{}", b.name, b.name),
            })
        })
    }
}

/// The all-day events of a calendar as holiday ranges (DTEND exclusive; none means one day).
pub(crate) fn all_day_ranges(input: impl BufRead) -> Result<Vec<DayRange>, String> {
    let mut out = Vec::new();
    for block in blocks(input) {
        let block = block.map_err(|e| e.to_string())?;
        if block.name != "VEVENT" {
            continue;
        }
        let line = block.line;
        let ev = block.parse().map_err(|e| format!("line {line}: {e}"))?;
        let Some(start) = prop(&ev, "DTSTART") else {
            return Err(format!("line {line}: VEVENT without DTSTART"));
        };
        let first = match parse_when(start, start.val.as_str()) {
            Ok(When::Date(d)) => d,
            Ok(_) => continue, // a timed event is not a holiday
            Err(e) => return Err(format!("line {line}: {e}")),
        };
        let last = match prop(&ev, "DTEND").map(|p| parse_when(p, p.val.as_str())) {
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
        let name = prop(&ev, "SUMMARY").map(text_value).unwrap_or_default();
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

/// Occurrences of recurring events replaced elsewhere in the file: by UID, the
/// RECURRENCE-IDs of the overriding VEVENTs (a moved occurrence, or a cancelled one). Small:
/// one entry per override, found by a first read of the file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides(HashMap<String, Vec<When>>);

/// Reads a calendar once for its overrides (VEVENTs with a RECURRENCE-ID).
pub(crate) fn overrides(input: impl BufRead) -> Result<Overrides, RowError> {
    let mut found: HashMap<String, Vec<When>> = HashMap::new();
    for block in blocks(input) {
        let block = block?;
        if block.name != "VEVENT" || !block.text.to_ascii_uppercase().contains("RECURRENCE-ID") {
            continue;
        }
        // A broken override is reported by the read of the rows, with its line.
        let Ok(ev) = block.parse() else { continue };
        let (Some(uid), Some(rid)) = (prop(&ev, "UID"), prop(&ev, "RECURRENCE-ID")) else {
            continue;
        };
        if let Ok(when) = parse_when(rid, rid.val.as_str()) {
            found
                .entry(uid.val.as_str().trim().to_string())
                .or_default()
                .push(when);
        }
    }
    Ok(Overrides(found))
}

/// The sessions of a calendar stream: one row per VEVENT occurrence, or a row error naming
/// the line of its VEVENT. Holds one component (and its occurrences) at a time. A file that
/// breaks off (bad UTF-8, a component never ended) gives its error as a row, then ends.
pub(crate) struct IcsRows<R: BufRead> {
    blocks: Blocks<R>,
    zone: Tz,
    overrides: Overrides,
    queue: std::collections::VecDeque<Result<ImportRow, RowError>>,
}

/// Opens a calendar stream for import; `overrides` comes from [`overrides`] on the same file.
pub(crate) fn sessions<R: BufRead>(input: R, default_zone: Tz, overrides: Overrides) -> IcsRows<R> {
    IcsRows {
        blocks: blocks(input),
        zone: default_zone,
        overrides,
        queue: std::collections::VecDeque::new(),
    }
}

impl<R: BufRead> Iterator for IcsRows<R> {
    type Item = Result<ImportRow, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.queue.pop_front() {
                return Some(row);
            }
            let block = match self.blocks.next()? {
                Ok(b) => b,
                Err(e) => return Some(Err(e)),
            };
            if block.name != "VEVENT" {
                continue; // zones are known by name; VTODO, VJOURNAL are no sessions
            }
            let line = block.line;
            let rows = block
                .parse()
                .and_then(|ev| event_rows(&ev, line, self.zone, &self.overrides));
            match rows {
                Ok(rows) => self.queue.extend(rows.into_iter().map(Ok)),
                Err(reason) => self.queue.push_back(Err(RowError { line, reason })),
            }
        }
    }
}

fn event_rows(
    ev: &Component<'_>,
    line: u64,
    default_zone: Tz,
    overrides: &Overrides,
) -> Result<Vec<ImportRow>, String> {
    // A cancelled event gives no session; a cancelled override removes its occurrence
    // (its RECURRENCE-ID is in `overrides`, so the series leaves it out).
    if prop(ev, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("CANCELLED")) {
        return Ok(Vec::new());
    }
    let is_override = prop(ev, "RECURRENCE-ID").is_some();
    if let Some(rid) = prop(ev, "RECURRENCE-ID") {
        parse_when(rid, rid.val.as_str())?;
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
    // An override stands for one occurrence, at its own (moved) time.
    let mut starts: Vec<NaiveDateTime> = match prop(ev, "RRULE") {
        Some(rule) if !is_override => expand(ev, rule.val.as_str(), start_local, zone)?,
        _ => vec![start_local],
    };
    if !is_override
        && let Some(replaced) =
            prop(ev, "UID").and_then(|uid| overrides.0.get(uid.val.as_str().trim()))
    {
        let mut gone = Exclusions::default();
        for when in replaced {
            gone.add(*when, zone);
        }
        starts.retain(|t| !gone.contains(t));
    }
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
    let mut excluded = Exclusions::default();
    for p in ev
        .properties
        .iter()
        .filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE"))
    {
        for value in p.val.as_str().split(',') {
            excluded.add(parse_when(p, value)?, zone);
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
        .filter(|t| !excluded.contains(t))
        .collect())
}

/// Occurrences left out of a series (EXDATE, RECURRENCE-ID), as wall-clock times in the
/// series' zone; a date leaves out that day.
#[derive(Default)]
struct Exclusions {
    days: BTreeSet<NaiveDate>,
    times: BTreeSet<NaiveDateTime>,
}

impl Exclusions {
    fn add(&mut self, when: When, zone: Tz) {
        match when {
            When::Date(d) => {
                self.days.insert(d);
            }
            When::Local(t, Some(z)) if z != zone => {
                if let Some(i) = z.from_local_datetime(&t).single() {
                    self.times.insert(i.with_timezone(&zone).naive_local());
                }
            }
            When::Local(t, _) => {
                self.times.insert(t);
            }
            When::Utc(t) => {
                self.times.insert(t.with_timezone(&zone).naive_local());
            }
        }
    }

    fn contains(&self, t: &NaiveDateTime) -> bool {
        self.times.contains(t) || self.days.contains(&t.date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_unfolded_with_the_line_they_start_on() {
        let text =
            "\u{feff}BEGIN:VCALENDAR\r\nDESCRIPTION:one\r\n  two\r\n\tthree\r\nEND:VCALENDAR";
        let lines: Vec<(u64, String)> =
            Unfolded::new(text.as_bytes()).map(|l| l.unwrap()).collect();
        assert_eq!(
            lines,
            [
                (1, "BEGIN:VCALENDAR".to_string()),
                (2, "DESCRIPTION:one twothree".to_string()),
                (5, "END:VCALENDAR".to_string()),
            ]
        );
    }

    #[test]
    fn blocks_are_the_top_level_components_with_their_lines() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\n\
                    END:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nBEGIN:VALARM\nEND:VALARM\n\
                    END:VEVENT\nEND:VCALENDAR\n";
        let found: Vec<(String, u64)> = blocks(text.as_bytes())
            .map(|b| b.map(|b| (b.name, b.line)).unwrap())
            .collect();
        assert_eq!(
            found,
            [("VTIMEZONE".to_string(), 3), ("VEVENT".to_string(), 8)]
        );

        let unended = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n";
        let e = blocks(unended.as_bytes()).next().unwrap().err().unwrap();
        assert_eq!(e.to_string(), "line 2: BEGIN:VEVENT has no END:VEVENT");
        let not_ics = "hello\n";
        let e = blocks(not_ics.as_bytes()).next().unwrap().err().unwrap();
        assert!(
            e.to_string().starts_with("line 1: not an iCalendar file"),
            "{e}"
        );
    }

    #[test]
    fn bad_utf8_names_its_line_and_ends_the_rows() {
        let mut bytes = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        let rows: Vec<_> = sessions(&bytes[..], Tz::UTC, Overrides::default()).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].as_ref().err().map(|e| e.to_string()).as_deref(),
            Some("line 3: not UTF-8 text")
        );
    }
}
