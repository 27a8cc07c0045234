//! iCalendar (RFC 5545) files: sessions out as VEVENTs with their zones' VTIMEZONE, and
//! VEVENTs in as rows to import, parsed with the `icalendar` crate one component at a time.
//! A recurring event's occurrences are its RRULEs (expanded with `rrule`), its RDATEs, less
//! its EXRULEs and EXDATEs. All-day events are holidays, never sessions.
//!
//! Times: `DTSTART;TZID=…` is wall-clock time in that zone (an Outlook Windows zone name is
//! mapped to its IANA name; a TZID that only the file's VTIMEZONE defines is computed from
//! that definition, see [`zones`]), a `…Z` value is an instant shown in the configured zone,
//! a floating value is read in it.
//!
//! Layout: `lines` (unfolded content lines, top-level components), `values` (properties,
//! dates and times), `series` (a recurrence set), `holidays` (all-day events), `sessions`
//! (timed events as rows to import), `zones`, and `write` (sessions out).

use std::sync::{Arc, Mutex};

mod holidays;
mod lines;
mod series;
mod sessions;
mod values;
mod write;
mod zones;

pub(crate) use holidays::all_day_ranges;
pub(crate) use sessions::{prescan, sessions};
pub(crate) use write::write_calendar;

#[cfg(test)]
mod tests;

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
