//! Time zones of a calendar file: a TZID names an IANA zone, a Windows zone (Outlook), or
//! only the file's own VTIMEZONE. Outlook writes the last kind for a zone a user edited
//! ("Customized Time Zone"): its offsets are then computed from the VTIMEZONE's
//! STANDARD/DAYLIGHT rules, as RFC 5545 defines them, and its times become instants.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::parser::Component;

use super::values::{prop, props};

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
/// (territory 001). The usual ones; any other comes with its VTIMEZONE, which is read.
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

/// The last year whose transitions are computed: attctl's dates end in 2099.
const LAST_YEAR: i32 = 2100;

/// A zone defined only by its VTIMEZONE: the UTC offset (seconds east) from each
/// transition on, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomZone {
    /// Transitions as (UTC instant, offset from then on), ascending.
    transitions: Vec<(NaiveDateTime, i32)>,
    /// The offset before the first transition.
    initial: i32,
}

impl CustomZone {
    /// Reads a VTIMEZONE's STANDARD and DAYLIGHT parts: each gives transitions at its
    /// DTSTART, its RRULE's dates and its RDATEs (wall-clock times in the offset before, its
    /// TZOFFSETFROM), from which TZOFFSETTO applies.
    pub(crate) fn from_vtimezone(vtz: &Component<'_>) -> Result<CustomZone, String> {
        let mut transitions = Vec::new();
        let mut earliest: Option<(NaiveDateTime, i32)> = None;
        for part in &vtz.components {
            let kind = part.name.as_str();
            if !kind.eq_ignore_ascii_case("STANDARD") && !kind.eq_ignore_ascii_case("DAYLIGHT") {
                continue;
            }
            let offset = |name: &str| -> Result<i32, String> {
                let p = prop(part, name).ok_or_else(|| format!("{kind} without {name}"))?;
                parse_offset(p.val.as_str())
                    .ok_or_else(|| format!("{name} {:?} is not like +0100", p.val.as_str()))
            };
            let (from, to) = (offset("TZOFFSETFROM")?, offset("TZOFFSETTO")?);
            let start = prop(part, "DTSTART").ok_or_else(|| format!("{kind} without DTSTART"))?;
            let start = NaiveDateTime::parse_from_str(start.val.as_str().trim(), "%Y%m%dT%H%M%S")
                .map_err(|_| {
                format!(
                    "{kind} DTSTART {:?} is not a local date-time",
                    start.val.as_str()
                )
            })?;
            let mut onsets = vec![start];
            for rule in props(part, "RRULE") {
                onsets.extend(rule_onsets(rule.val.as_str(), start)?);
            }
            for rdate in props(part, "RDATE") {
                for value in rdate.val.as_str().split(',') {
                    let value = value.trim();
                    let local = match value.strip_suffix(['Z', 'z']) {
                        // An instant: the wall-clock time it was in the offset before.
                        Some(utc) => NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
                            .map(|t| t + Duration::seconds(i64::from(from))),
                        None => NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S"),
                    };
                    onsets.push(
                        local.map_err(|_| format!("{kind} RDATE {value:?} is not a date-time"))?,
                    );
                }
            }
            for local in onsets {
                let utc = local - Duration::seconds(i64::from(from));
                if earliest.is_none_or(|(t, _)| utc < t) {
                    earliest = Some((utc, from));
                }
                transitions.push((utc, to));
            }
        }
        let Some((_, initial)) = earliest else {
            return Err("VTIMEZONE has no STANDARD or DAYLIGHT part".into());
        };
        transitions.sort();
        transitions.dedup_by_key(|(t, _)| *t);
        Ok(CustomZone {
            transitions,
            initial,
        })
    }

    fn offset_at(&self, utc: NaiveDateTime) -> i32 {
        match self.transitions.partition_point(|(t, _)| *t <= utc) {
            0 => self.initial,
            i => self.transitions[i - 1].1,
        }
    }

    /// The instant of a wall-clock time. A time the clocks repeat is its first instant; a
    /// time they skip is read in the offset in force before the change, as calendar clients
    /// do.
    pub(crate) fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let seconds = |o: i32| Duration::seconds(i64::from(o));
        // Offsets differ by less than a day: the ones in force a day either side of the
        // wall-clock time (read as UTC) are the only candidates.
        let before = self.offset_at(local - Duration::days(1));
        let candidates = [
            before,
            self.offset_at(local),
            self.offset_at(local + Duration::days(1)),
        ];
        candidates
            .iter()
            .map(|o| (local - seconds(*o), *o))
            .filter(|(utc, o)| self.offset_at(*utc) == *o)
            .map(|(utc, _)| utc)
            .min()
            .unwrap_or(local - seconds(before))
            .and_utc()
    }

    /// The wall-clock time of an instant.
    pub(crate) fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        let utc = t.naive_utc();
        utc + Duration::seconds(i64::from(self.offset_at(utc)))
    }
}

/// `+0100`, `-0500`, `+053000`.
fn parse_offset(raw: &str) -> Option<i32> {
    let raw = raw.trim();
    let (sign, digits) = match raw.split_at_checked(1)? {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(|d| d.parse::<i32>().ok());
    let (h, m, s) = (n(0..2)?, n(2..4)?, n(4..6).unwrap_or(0));
    (h < 24 && m < 60 && s < 60).then_some(sign * (h * 3600 + m * 60 + s))
}

/// The dates of a transition rule after `start`, up to [`LAST_YEAR`]. The rule usually
/// has no end (every October), and Outlook starts it in 1601.
fn rule_onsets(rule: &str, start: NaiveDateTime) -> Result<Vec<NaiveDateTime>, String> {
    let parsed: rrule::RRule<rrule::Unvalidated> = rule
        .parse()
        .map_err(|e| format!("VTIMEZONE RRULE {rule:?} is not valid: {e}"))?;
    let set = parsed
        .build(start.and_utc().with_timezone(&rrule::Tz::UTC))
        .map_err(|e| format!("VTIMEZONE RRULE {rule:?} cannot be used: {e}"))?
        .limit();
    Ok((&set)
        .into_iter()
        .map(|d| d.naive_utc())
        .take_while(|d| d.year() <= LAST_YEAR)
        .collect())
}

/// Where a wall-clock time is read: an IANA zone, or a zone of the file
/// ([`Zones::custom`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneId {
    Iana(Tz),
    Custom(usize),
}

/// The zones a file defines itself, by TZID: found by a first read of the file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Zones {
    by_tzid: HashMap<String, usize>,
    custom: Vec<CustomZone>,
    /// VTIMEZONEs that cannot be read, and why: an error only for the events using them.
    broken: HashMap<String, String>,
}

impl Zones {
    /// Keeps a VTIMEZONE whose TZID names no zone attctl knows.
    pub(crate) fn add(&mut self, vtz: &Component<'_>) {
        let Some(tzid) = prop(vtz, "TZID").map(|p| p.val.as_str().trim().to_string()) else {
            return;
        };
        if zone_of(&tzid).is_some() || self.by_tzid.contains_key(&tzid) {
            return;
        }
        match CustomZone::from_vtimezone(vtz) {
            Ok(zone) => {
                self.custom.push(zone);
                self.by_tzid.insert(tzid, self.custom.len() - 1);
            }
            Err(why) => {
                self.broken.insert(tzid, why);
            }
        }
    }

    /// The zone a TZID parameter names, or why there is none.
    pub(crate) fn resolve(&self, tzid: &str) -> Result<ZoneId, String> {
        if let Some(z) = zone_of(tzid) {
            return Ok(ZoneId::Iana(z));
        }
        let tzid = tzid.trim();
        if let Some(i) = self.by_tzid.get(tzid) {
            return Ok(ZoneId::Custom(*i));
        }
        Err(match self.broken.get(tzid) {
            Some(why) => format!("the VTIMEZONE of TZID {tzid:?} cannot be read: {why}"),
            None => format!(
                "TZID {tzid:?} is not a time zone attctl knows (IANA or Windows name) and the \
                 file has no VTIMEZONE for it"
            ),
        })
    }

    /// The instant of a wall-clock time in `zone`; `None` when an IANA zone skips or
    /// repeats it.
    pub(crate) fn instant(&self, zone: ZoneId, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match zone {
            ZoneId::Iana(z) => z
                .from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc)),
            ZoneId::Custom(i) => self.custom.get(i).map(|z| z.instant(local)),
        }
    }

    /// The wall-clock time of an instant in `zone`.
    pub(crate) fn local(&self, zone: ZoneId, t: DateTime<Utc>) -> NaiveDateTime {
        match zone {
            ZoneId::Iana(z) => t.with_timezone(&z).naive_local(),
            ZoneId::Custom(i) => self
                .custom
                .get(i)
                .map_or_else(|| t.naive_utc(), |z| z.local(t)),
        }
    }
}
