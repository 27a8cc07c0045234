//! Timed events as sessions to import: a first read for the overrides and the file's own
//! zones ([`prescan`]), then one row per occurrence ([`sessions`]), holding one component
//! at a time.

use std::collections::HashMap;
use std::io::BufRead;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;
use icalendar::parser::Component;

use super::lines::{Blocks, blocks};
use super::series::{Exclusions, Series};
use super::values::{
    When, date_param, duration_of, in_frame, param, parse_value, parse_when, prop, text_value,
};
use super::zones::{ZoneId, Zones};
use super::{Notes, note};
use crate::calendar::{ImportRow, RowError};
use crate::session::{ClassRef, ClosedBy, Status};

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
