//! iCalendar (RFC 5545) files: sessions out as VEVENTs with their zones' VTIMEZONE, and
//! VEVENTs in as rows to import, parsed with the `icalendar` crate one component at a time.
//! A recurring event's occurrences are its RRULEs (expanded with `rrule`), its RDATEs, less
//! its EXRULEs and EXDATEs. All-day events are holidays, never sessions.
//!
//! Times: `DTSTART;TZID=…` is wall-clock time in that zone (an Outlook Windows zone name is
//! mapped to its IANA name; a TZID that only the file's VTIMEZONE defines is computed from
//! that definition, see [`zones`]), a `…Z` value is an instant shown in the configured zone,
//! a floating value is read in it.

use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use icalendar::parser::{Component, Property, read_components};

use super::{ImportRow, RowError};
use crate::session::{ClassRef, ClosedBy, Status};

mod write;
mod zones;
pub(crate) use write::write_calendar;
use zones::{ZoneId, Zones};

/// Occurrences one recurring event may expand to.
const MAX_EXPANSION: u16 = 10_000;

/// Warnings found while reading a file (a rule that gives no date), shared with whoever
/// prints them: rows are handed out one at a time, so the warnings travel beside them.
pub(crate) type Notes = Arc<Mutex<Vec<String>>>;

fn note(notes: Option<&Notes>, text: String) {
    if let Some(Ok(mut list)) = notes.map(|n| n.lock())
        && !list.contains(&text)
    {
        list.push(text);
    }
}

/// An all-day event as a holiday: dates inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DayRange {
    /// The line of its VEVENT.
    pub line: u64,
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

fn prop<'c>(c: &'c Component<'_>, name: &str) -> Option<&'c Property<'c>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn props<'c>(c: &'c Component<'_>, name: &'c str) -> impl Iterator<Item = &'c Property<'c>> {
    c.properties
        .iter()
        .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|k| k.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|k| k.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// A TEXT value (SUMMARY). The parser has already unescaped it (`\,` `\;` `\\` `\n`), since
/// every property name reaches it in capitals ([`push_content_line`]); unescaping again would
/// turn a name's own backslash into an escape (`back\slash` into `backslash`).
fn text_value(p: &Property<'_>) -> String {
    p.val.as_str().trim().to_string()
}

/// A DTSTART/DTEND/EXDATE/RDATE value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Date(NaiveDate),
    /// Wall-clock time; `Some(zone)` when a TZID named it.
    Local(NaiveDateTime, Option<ZoneId>),
    Utc(DateTime<Utc>),
}

fn is_date_only(p: &Property<'_>, value: &str) -> bool {
    date_param(p) || value.trim().len() == 8
}

fn date_param(p: &Property<'_>) -> bool {
    param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
}

fn parse_when(p: &Property<'_>, value: &str, zones: &Zones) -> Result<When, String> {
    parse_value(
        p.name.as_str(),
        param(p, "TZID"),
        date_param(p),
        value,
        zones,
    )
}

/// A date or date-time value of property `name`, its TZID and VALUE=DATE parameters given.
fn parse_value(
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
fn in_frame(when: When, frame: ZoneId, zones: &Zones) -> Option<NaiveDateTime> {
    match when {
        When::Date(_) => None,
        When::Local(t, None) => Some(t),
        When::Local(t, Some(z)) if z == frame => Some(t),
        When::Local(t, Some(z)) => zones.instant(z, t).map(|i| zones.local(frame, i)),
        When::Utc(t) => Some(zones.local(frame, t)),
    }
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

/// Appends one content line to a component's text for the parser: its name in capitals
/// (names are case-insensitive, and the parser only unescapes the TEXT values of names it
/// knows, which it compares in capitals), then CRLF. The parser looks for the end of each
/// value by searching for CRLF first: with LF alone that search ran to the end of the
/// component for every line, so parsing was quadratic in the component's lines.
fn push_content_line(text: &mut String, line: &str) {
    let name_end = line.find([';', ':']).unwrap_or(line.len());
    let (name, rest) = line.split_at(name_end);
    text.extend(name.chars().map(|c| c.to_ascii_uppercase()));
    text.push_str(rest);
    text.push_str("\r\n");
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
                        let mut text = String::new();
                        push_content_line(&mut text, &line);
                        block = Some(Block {
                            line: line_no,
                            text,
                            name,
                        });
                    }
                    // The calendar ends; a second one may follow.
                    Some((false, name)) if name == "VCALENDAR" => self.started = false,
                    _ => {} // a calendar property (VERSION, PRODID, X-WR-TIMEZONE, ...)
                },
                Some(b) => {
                    push_content_line(&mut b.text, &line);
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

/// What a holiday import found: the ranges, and warnings for the person importing.
#[derive(Debug, Default)]
pub(crate) struct Holidays {
    pub ranges: Vec<DayRange>,
    pub warnings: Vec<String>,
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
        if !is_date_only(start, start.val.as_str()) {
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

/// What a first read of a calendar learns, kept small: the occurrences of recurring events
/// replaced elsewhere in the file (by UID, the RECURRENCE-IDs of the overriding VEVENTs: a
/// moved occurrence, or a cancelled one) and the zones only the file defines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prescan {
    overrides: HashMap<String, Vec<When>>,
    zones: Zones,
}

/// Reads a calendar once for its overrides (VEVENTs with a RECURRENCE-ID) and its
/// VTIMEZONEs. An override's RECURRENCE-ID is read once every zone is known: a VTIMEZONE
/// may come after the events that use it.
pub(crate) fn prescan(input: impl BufRead) -> Result<Prescan, RowError> {
    let mut found = Prescan::default();
    // (UID, the RECURRENCE-ID's TZID, its value, whether VALUE=DATE)
    let mut raw: Vec<(String, Option<String>, String, bool)> = Vec::new();
    for block in blocks(input) {
        let block = block?;
        if block.name == "VTIMEZONE" {
            if let Ok(vtz) = block.parse() {
                found.zones.add(&vtz);
            }
            continue;
        }
        // Property names reach the block in capitals (see `push_content_line`).
        if block.name != "VEVENT" || !block.text.contains("RECURRENCE-ID") {
            continue;
        }
        // A broken override is reported by the read of the rows, with its line.
        let Ok(ev) = block.parse() else { continue };
        let (Some(uid), Some(rid)) = (prop(&ev, "UID"), prop(&ev, "RECURRENCE-ID")) else {
            continue;
        };
        raw.push((
            uid.val.as_str().trim().to_string(),
            param(rid, "TZID").map(str::to_string),
            rid.val.as_str().to_string(),
            date_param(rid),
        ));
    }
    for (uid, tzid, value, date) in raw {
        let when = parse_value("RECURRENCE-ID", tzid.as_deref(), date, &value, &found.zones);
        if let Ok(when) = when {
            found.overrides.entry(uid).or_default().push(when);
        }
    }
    Ok(found)
}

/// The sessions of a calendar stream: one row per VEVENT occurrence, or a row error naming
/// the line of its VEVENT. Holds one component (and its occurrences) at a time. A file that
/// breaks off (bad UTF-8, a component never ended) gives its error as a row, then ends.
pub(crate) struct IcsRows<R: BufRead> {
    blocks: Blocks<R>,
    zone: Tz,
    prescan: Prescan,
    notes: Option<Notes>,
    queue: std::collections::VecDeque<Result<ImportRow, RowError>>,
}

/// Opens a calendar stream for import; `prescan` comes from [`prescan`] on the same file.
/// Warnings go to `notes` (give it on one of the reads only, or they come twice).
pub(crate) fn sessions<R: BufRead>(
    input: R,
    default_zone: Tz,
    prescan: Prescan,
    notes: Option<Notes>,
) -> IcsRows<R> {
    IcsRows {
        blocks: blocks(input),
        zone: default_zone,
        prescan,
        notes,
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
                continue; // zones were read by the prescan; VTODO, VJOURNAL are no sessions
            }
            let line = block.line;
            let rows = block.parse().and_then(|ev| {
                event_rows(&ev, line, self.zone, &self.prescan, self.notes.as_ref())
            });
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
    prescan: &Prescan,
    notes: Option<&Notes>,
) -> Result<Vec<ImportRow>, String> {
    let zones = &prescan.zones;
    // A cancelled event gives no session; a cancelled override removes its occurrence
    // (its RECURRENCE-ID is in the overrides, so the series leaves it out).
    if prop(ev, "STATUS").is_some_and(|p| p.val.as_str().eq_ignore_ascii_case("CANCELLED")) {
        return Ok(Vec::new());
    }
    let is_override = prop(ev, "RECURRENCE-ID").is_some();
    if let Some(rid) = prop(ev, "RECURRENCE-ID") {
        parse_when(rid, rid.val.as_str(), zones)?;
        if param(rid, "RANGE").is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE")) {
            note(
                notes,
                format!(
                    "line {line}: RECURRENCE-ID;RANGE=THISANDFUTURE is read as this occurrence \
                     only: the later ones keep the series' times"
                ),
            );
        }
    }
    let start_p = prop(ev, "DTSTART").ok_or("VEVENT without DTSTART")?;
    let start = parse_when(start_p, start_p.val.as_str(), zones)?;
    // The frame whose wall clock the event is expanded on, and its start there.
    let (frame, start_local) = match start {
        When::Date(_) => {
            return Err(
                "all-day event: a session needs a start and end time (import holidays with \
                 `attctl holiday import`)"
                    .into(),
            );
        }
        When::Local(t, z) => (z.unwrap_or(ZoneId::Iana(default_zone)), t),
        When::Utc(t) => (
            ZoneId::Iana(default_zone),
            t.with_timezone(&default_zone).naive_local(),
        ),
    };
    let length = match (prop(ev, "DTEND"), prop(ev, "DURATION")) {
        (Some(p), _) => {
            let end_local = match parse_when(p, p.val.as_str(), zones)? {
                When::Date(_) => return Err("DTEND is a date but DTSTART has a time".into()),
                end => in_frame(end, frame, zones).ok_or("DTEND does not exist in its zone")?,
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
    let mut starts: Vec<NaiveDateTime> = if is_override {
        vec![start_local]
    } else {
        Series {
            ev,
            line,
            start: start_local,
            all_day: false,
            frame,
            zones,
            notes,
        }
        .occurrences()?
    };
    if !is_override
        && let Some(replaced) =
            prop(ev, "UID").and_then(|uid| prescan.overrides.get(uid.val.as_str().trim()))
    {
        let mut gone = Exclusions::default();
        for when in replaced {
            gone.add(*when, frame, zones);
        }
        starts.retain(|t| !gone.contains(t));
    }
    // A zone only the file defines has no name a session could carry: its times are
    // instants, kept as wall-clock times of the configured zone (as `…Z` times are).
    let session_zone = match frame {
        ZoneId::Iana(z) => z,
        ZoneId::Custom(_) => default_zone,
    };
    let to_session = |t: NaiveDateTime| -> NaiveDateTime {
        match frame {
            ZoneId::Iana(_) => t,
            ZoneId::Custom(_) => zones
                .instant(frame, t)
                .map_or(t, |i| zones.local(ZoneId::Iana(default_zone), i)),
        }
    };
    let mut rows = Vec::with_capacity(starts.len());
    for s in starts {
        let (s, e) = (to_session(s), to_session(s + length));
        if e.date() != s.date() {
            return Err(format!("the event on {} ends on another day", s.date()));
        }
        rows.push(ImportRow {
            line,
            class: class.clone(),
            session_date: s.date(),
            start_time: s.time(),
            end_time: e.time(),
            timezone: Some(session_zone.name().to_string()),
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

/// A component whose occurrences are asked for: wall-clock times in `frame` (dates at
/// midnight when `all_day`).
struct Series<'a, 'c> {
    ev: &'a Component<'c>,
    line: u64,
    start: NaiveDateTime,
    all_day: bool,
    frame: ZoneId,
    zones: &'a Zones,
    notes: Option<&'a Notes>,
}

impl Series<'_, '_> {
    /// The recurrence set of RFC 5545: the dates of each RRULE (or DTSTART alone when there
    /// is none) and each RDATE, less the dates of each EXRULE and each EXDATE. The rules are
    /// expanded on floating time (UTC in the crate), so each occurrence keeps the local time
    /// of DTSTART across DST changes. A rule that gives no date at all is a warning: the
    /// file says something attctl does not import.
    fn occurrences(&self) -> Result<Vec<NaiveDateTime>, String> {
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
struct Exclusions {
    days: BTreeSet<NaiveDate>,
    times: BTreeSet<NaiveDateTime>,
}

impl Exclusions {
    fn add(&mut self, when: When, frame: ZoneId, zones: &Zones) {
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

    /// The parser finds the end of each value by searching for CRLF first: every line it is
    /// given must end in CRLF, or each search runs to the end of the component and parsing
    /// is quadratic in its lines (a million EXDATE lines never finished).
    #[test]
    fn components_reach_the_parser_with_crlf_lines_and_capital_names() {
        let text = "BEGIN:VCALENDAR\nbegin:vevent\nsummary;language=en:a\r\nDtStart:20400101T090000\n\
                    END:VEVENT\nEND:VCALENDAR\n";
        let block = blocks(text.as_bytes()).next().unwrap().unwrap();
        assert_eq!(
            block.text,
            "BEGIN:vevent\r\nSUMMARY;language=en:a\r\nDTSTART:20400101T090000\r\nEND:VEVENT\r\n"
        );
        assert_eq!(
            block.text.matches('\n').count(),
            block.text.matches("\r\n").count()
        );
    }

    fn calendar(event: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u\r\n{event}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    fn rows_of(text: &str, zone: Tz) -> (Vec<ImportRow>, Vec<String>) {
        let pre = prescan(text.as_bytes()).unwrap();
        let notes = Notes::default();
        let rows = sessions(text.as_bytes(), zone, pre, Some(notes.clone()))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        let notes = notes.lock().unwrap().clone();
        (rows, notes)
    }

    fn starts(rows: &[ImportRow]) -> Vec<String> {
        rows.iter()
            .map(|r| format!("{} {}", r.session_date, r.start_time.format("%H:%M")))
            .collect()
    }

    /// A component of 100,000 lines is read in one pass (quadratic, this took minutes), and
    /// each of its EXDATEs counts.
    #[test]
    fn a_huge_component_is_read_whole() {
        let mut event = String::from(
            "SUMMARY:Big\r\nDTSTART:20400106T090000\r\nDTEND:20400106T095000\r\n\
             RRULE:FREQ=WEEKLY;COUNT=10\r\n",
        );
        for i in 0..100_000u32 {
            let week = 1 + (i % 3) * 4; // 13 Jan, 10 Feb, 9 Mar
            let date =
                NaiveDate::from_ymd_opt(2040, 1, 6).unwrap() + Duration::weeks(i64::from(week));
            event.push_str(&format!("EXDATE:{}T090000\r\n", date.format("%Y%m%d")));
        }
        let (rows, _) = rows_of(&calendar(&event), Tz::UTC);
        assert_eq!(rows.len(), 7);
        assert!(!starts(&rows).contains(&"2040-02-10 09:00".to_string()));
    }

    /// The parser unescapes TEXT values; attctl does not do it again, so a name's own
    /// backslashes survive (`back\slash`, `a\,b`, a literal `\n`), whatever case the
    /// property name is written in.
    #[test]
    fn text_is_unescaped_once() {
        for (written, name) in [
            (r"back\\slash", r"back\slash"),
            (r"a\\\,b", r"a\,b"),
            (r"x\\ny", r"x\ny"),
            (r"Maths\, room 4\; Year 7", "Maths, room 4; Year 7"),
        ] {
            for key in ["SUMMARY", "summary"] {
                let event = format!(
                    "{key}:{written}\r\nDTSTART:20400106T090000\r\nDTEND:20400106T095000\r\n"
                );
                let (rows, _) = rows_of(&calendar(&event), Tz::UTC);
                assert_eq!(
                    rows[0].class,
                    Some(ClassRef::Name(name.into())),
                    "{written}"
                );
            }
        }
    }

    /// RFC 5545's recurrence set: every RRULE, every RDATE, less EXRULE and EXDATE.
    #[test]
    fn rdates_exrules_and_several_rrules() {
        let event = "SUMMARY:M\r\nDTSTART;TZID=Europe/London:20440104T090000\r\n\
                     DTEND;TZID=Europe/London:20440104T095000\r\n\
                     RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3\r\nRRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2\r\n\
                     RDATE;TZID=Europe/London:20440201T090000,20440202T100000Z\r\n\
                     EXRULE:FREQ=MONTHLY;BYMONTHDAY=11\r\nEXDATE:20440113T090000Z\r\n";
        let (rows, notes) = rows_of(&calendar(event), Tz::UTC);
        assert_eq!(
            starts(&rows),
            [
                "2044-01-04 09:00",
                "2044-01-06 09:00",
                "2044-01-18 09:00",
                "2044-02-01 09:00",
                "2044-02-02 10:00"
            ]
        );
        assert!(notes.is_empty(), "{notes:?}");
        // DTSTART alone with RDATEs: both count.
        let event =
            "SUMMARY:M\r\nDTSTART:20440104T090000\r\nDURATION:PT50M\r\nRDATE:20440105T090000\r\n";
        assert_eq!(
            starts(&rows_of(&calendar(event), Tz::UTC).0),
            ["2044-01-04 09:00", "2044-01-05 09:00"]
        );
    }

    #[test]
    fn a_rule_that_gives_no_date_is_a_warning() {
        let event = "SUMMARY:M\r\nDTSTART:20440104T090000\r\nDTEND:20440104T095000\r\n\
                     RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3\r\n";
        let (rows, notes) = rows_of(&calendar(event), Tz::UTC);
        assert!(rows.is_empty());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with("line 3: RRULE") && notes[0].contains("gives no date"),
            "{notes:?}"
        );
    }

    /// Outlook's "Customized Time Zone": no zone has its name, its VTIMEZONE defines it
    /// (here Central European rules). Times become instants, shown in the configured zone.
    #[test]
    fn a_zone_only_the_file_defines_is_computed_from_its_rules() {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\
            BEGIN:VEVENT\r\nUID:u\r\nSUMMARY:M\r\n\
            DTSTART;TZID=\"Customized Time Zone\":20440606T100000\r\n\
            DTEND;TZID=\"Customized Time Zone\":20440606T105000\r\n\
            RDATE;TZID=\"Customized Time Zone\":20441107T100000\r\nEND:VEVENT\r\n\
            BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n\
            DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
            RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\n\
            TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n\
            END:DAYLIGHT\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n";
        let (rows, _) = rows_of(text, Tz::UTC);
        assert_eq!(starts(&rows), ["2044-06-06 08:00", "2044-11-07 09:00"]);
        assert!(rows.iter().all(|r| r.timezone.as_deref() == Some("UTC")));
        assert_eq!(rows[0].end_time.format("%H:%M").to_string(), "08:50");
        let (rows, _) = rows_of(text, "Europe/Berlin".parse().unwrap());
        assert_eq!(starts(&rows), ["2044-06-06 10:00", "2044-11-07 10:00"]);
        assert!(
            rows.iter()
                .all(|r| r.timezone.as_deref() == Some("Europe/Berlin"))
        );
        // A TZID with neither a known name nor a VTIMEZONE is still refused.
        let unknown =
            calendar("SUMMARY:M\r\nDTSTART;TZID=Nowhere:20440606T100000\r\nDURATION:PT1H\r\n");
        let pre = prescan(unknown.as_bytes()).unwrap();
        let e = sessions(unknown.as_bytes(), Tz::UTC, pre, None)
            .next()
            .unwrap()
            .unwrap_err();
        assert!(e.reason.contains("no VTIMEZONE"), "{e}");
    }

    #[test]
    fn custom_zone_offsets_follow_their_transitions() {
        let text = "BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
            TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n\
            END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n\
            TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n\
            END:VTIMEZONE\r\n";
        let vtz = read_components(text).unwrap().swap_remove(0);
        let zone = zones::CustomZone::from_vtimezone(&vtz).unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let mut t = NaiveDate::from_ymd_opt(2030, 1, 1)
            .unwrap()
            .and_time(NaiveTime::MIN);
        while chrono::Datelike::year(&t.date()) < 2032 {
            let expected = chrono::TimeZone::from_local_datetime(&berlin, &t)
                .earliest()
                .map(|i| i.with_timezone(&Utc));
            if let Some(expected) = expected {
                assert_eq!(zone.instant(t), expected, "{t}");
                assert_eq!(zone.local(expected), t, "{t}");
            }
            t += Duration::minutes(97);
        }
    }

    #[test]
    fn holidays_recur_and_refuse_an_end_before_their_start() {
        let yearly = calendar(
            "SUMMARY:Founders\\, day\r\nDTSTART;VALUE=DATE:20441225\r\nDTEND;VALUE=DATE:20441227\r\n\
             RRULE:FREQ=YEARLY;COUNT=3\r\nEXDATE;VALUE=DATE:20451225\r\n",
        );
        let found = all_day_ranges(yearly.as_bytes()).unwrap();
        let ranges: Vec<(String, String, String)> = found
            .ranges
            .iter()
            .map(|r| (r.name.clone(), r.first.to_string(), r.last.to_string()))
            .collect();
        assert_eq!(
            ranges,
            [
                (
                    "Founders, day".into(),
                    "2044-12-25".into(),
                    "2044-12-26".into()
                ),
                (
                    "Founders, day".into(),
                    "2046-12-25".into(),
                    "2046-12-26".into()
                ),
            ]
        );
        let backwards =
            calendar("SUMMARY:X\r\nDTSTART;VALUE=DATE:20441225\r\nDTEND;VALUE=DATE:20441220\r\n");
        let e = all_day_ranges(backwards.as_bytes()).unwrap_err();
        assert!(
            e.starts_with("line 3: DTEND 20441220 is before DTSTART 20441225"),
            "{e}"
        );
        let never = calendar(
            "SUMMARY:X\r\nDTSTART;VALUE=DATE:20440101\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2\r\n",
        );
        let found = all_day_ranges(never.as_bytes()).unwrap();
        assert!(found.ranges.is_empty());
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
    }

    #[test]
    fn bad_utf8_names_its_line_and_ends_the_rows() {
        let mut bytes = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        let rows: Vec<_> = sessions(&bytes[..], Tz::UTC, Prescan::default(), None).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].as_ref().err().map(|e| e.to_string()).as_deref(),
            Some("line 3: not UTF-8 text")
        );
    }
}
