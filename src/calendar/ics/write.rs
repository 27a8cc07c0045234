//! Writing iCalendar: one VEVENT per session, with the VTIMEZONE of each zone used (its
//! transitions over the years the sessions span), folded lines and escaped text, so that
//! calendar clients and `session import` read it back as the same sessions.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use crate::session::TeachingSession;

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
    reschedules: &HashMap<crate::session::SessionId, u32>,
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
        // A session that exists takes place, Open or Closed (X-ATTCTL-STATUS): a client
        // shows CANCELLED struck out, and TENTATIVE as unsure.
        push_line(&mut out, "STATUS:CONFIRMED");
        // Raised by each change of the session's time, as clients expect of a moved event;
        // a close changes nothing a calendar shows.
        let sequence = reschedules.get(&s.id).copied().unwrap_or(0);
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
