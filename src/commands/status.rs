//! `attctl status`: the view of today a person at a terminal wants first. Sessions open
//! now, the next closes with countdowns, sessions overdue past their end, whether a worker
//! is alive to close them, and which store and scheduler are in use.
//!
//! Three reads (classes, Open sessions up to today, Open sessions from today), whatever the
//! size of the timetable: a year of future sessions is never read, only the first page.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use comfy_table::Cell;
use serde::Serialize;

use super::Context;
use crate::cli::OutputFormat;
use crate::error::{Error, Result};
use crate::output::{Detail, Style, plural, printable};
use crate::session::{ClassId, SessionId, Status, TeachingSession};
use crate::store::{PAGE_SIZE, SessionFilter};

/// How many upcoming closes are shown (today's and tomorrow's only).
const NEXT_CLOSES: usize = 5;
/// Future Open sessions read to find the next closes: ordered by date and start, so a
/// page's worth is plenty to find the earliest few closing instants.
const UPCOMING_READ: usize = 200;

#[derive(Debug, Serialize)]
pub(crate) struct StatusReport {
    pub now: DateTime<Utc>,
    /// `supabase` or `local`.
    pub store: &'static str,
    /// `hatchet` or `local`.
    pub scheduler: &'static str,
    pub worker: WorkerState,
    pub open_now: Vec<StatusSession>,
    /// The next closes of today and tomorrow in the school's zone (a session weeks away
    /// is not what a person checking today wants).
    pub next_closes: Vec<StatusSession>,
    /// The end of the window of `next_closes`: midnight after tomorrow, school's zone.
    pub next_closes_until: DateTime<Utc>,
    pub overdue: Vec<StatusSession>,
    /// More overdue sessions exist than were read (the first page only).
    pub overdue_truncated: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct WorkerState {
    /// `null` when it cannot be told from here.
    pub alive: Option<bool>,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct StatusSession {
    pub id: SessionId,
    pub class_id: ClassId,
    pub class_name: Option<String>,
    pub session_date: chrono::NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub closes_at: DateTime<Utc>,
    /// Seconds until `closes_at`; negative once it has passed (overdue).
    pub closes_in_secs: i64,
}

pub(crate) async fn run(ctx: &mut Context) -> Result<()> {
    let service = ctx.service()?;
    let store = service.store().clone();
    let now = Utc::now();
    let zone = ctx.zone();
    let today = crate::clock::today_in(zone, now);
    let open = Some(Status::Open);
    let past = SessionFilter {
        to: Some(today),
        status: open,
        ..SessionFilter::default()
    };
    let upcoming = SessionFilter {
        from: Some(today),
        status: open,
        ..SessionFilter::default()
    };
    let (classes, past, upcoming, worker) = futures::join!(
        store.list_classes(),
        store.list_sessions(&past, None, PAGE_SIZE, false),
        store.list_sessions(&upcoming, None, UPCOMING_READ, false),
        worker_state(ctx),
    );
    let names: HashMap<ClassId, String> = classes?.into_iter().map(|c| (c.id, c.name)).collect();
    let (past, upcoming) = (past?, upcoming?);
    let view = |s: &TeachingSession| StatusSession {
        id: s.id,
        class_id: s.class_id,
        class_name: names.get(&s.class_id).cloned(),
        session_date: s.session_date,
        start_time: s.start_time.format("%H:%M").to_string(),
        end_time: s.end_time.format("%H:%M").to_string(),
        closes_at: s.closes_at,
        closes_in_secs: (s.closes_at - now).num_seconds(),
    };

    let mut overdue: Vec<&TeachingSession> =
        past.rows.iter().filter(|s| s.closes_at <= now).collect();
    overdue.sort_by_key(|s| (s.closes_at, s.id));
    let mut seen = std::collections::HashSet::new();
    let mut open_now: Vec<&TeachingSession> = past
        .rows
        .iter()
        .chain(upcoming.rows.iter())
        .filter(|s| s.closes_at > now && started(s) <= now && seen.insert(s.id))
        .collect();
    open_now.sort_by_key(|s| (s.closes_at, s.id));
    let horizon = start_of(zone, today + chrono::Days::new(2)).unwrap_or(now + Duration::days(2));
    let mut seen = std::collections::HashSet::new();
    let mut next: Vec<&TeachingSession> = past
        .rows
        .iter()
        .chain(upcoming.rows.iter())
        .filter(|s| s.closes_at > now && s.closes_at < horizon && seen.insert(s.id))
        .collect();
    next.sort_by_key(|s| (s.closes_at, s.id));
    next.truncate(NEXT_CLOSES);

    let report = StatusReport {
        now,
        store: store.backend(),
        scheduler: if ctx.settings.hatchet.is_some() {
            "hatchet"
        } else {
            "local"
        },
        worker,
        open_now: open_now.into_iter().map(view).collect(),
        next_closes: next.into_iter().map(view).collect(),
        next_closes_until: horizon,
        overdue: overdue.into_iter().map(view).collect(),
        overdue_truncated: past.next.is_some() && past.fetched() >= PAGE_SIZE,
    };
    if report.overdue_truncated {
        ctx.out.warn(&format!(
            "only the first {PAGE_SIZE} Open sessions up to today were read: there may be \
             more overdue; `attctl session list --status open --to today --all` lists them"
        ));
    }
    if ctx.out.format() == OutputFormat::Table {
        let width = ctx.out.width();
        let text = render(&report, today, ctx.out.color(), width);
        ctx.out.text(&text)?;
    } else {
        ctx.out.detail(&report)?;
    }
    alert(&report)
}

/// A non-zero exit (1) for monitoring when nothing will close the sessions or some are
/// already past their end; printed after the report, which says which.
fn alert(report: &StatusReport) -> Result<()> {
    let mut wrong = Vec::new();
    if report.worker.alive == Some(false) {
        wrong.push("the worker is not running".to_string());
    }
    if !report.overdue.is_empty() {
        let more = if report.overdue_truncated {
            " or more"
        } else {
            ""
        };
        wrong.push(format!(
            "{}{more} overdue (Open past {})",
            plural(report.overdue.len(), "session"),
            if report.overdue.len() == 1 {
                "its end"
            } else {
                "their end"
            }
        ));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(Error::Alert(wrong.join("; ")))
    }
}

/// The first instant of `date` in `zone` (a day that starts in a DST gap starts later).
fn start_of(zone: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    (0..4).find_map(|h| {
        zone.from_local_datetime(&date.and_hms_opt(h, 0, 0)?)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// When the session started: its closing instant less its length (a legacy session that
/// crosses midnight is a day shorter than its times say).
fn started(s: &TeachingSession) -> DateTime<Utc> {
    let mut length = s.end_time - s.start_time;
    if length < Duration::zero() {
        length += Duration::days(1);
    }
    s.closes_at - length
}

/// A local worker holds a lock next to the data file; a Hatchet worker is in the engine's
/// worker list (what `attctl doctor` checks).
async fn worker_state(ctx: &Context) -> WorkerState {
    if let Some(hatchet) = &ctx.settings.hatchet {
        let check = super::doctor::hatchet_worker_check(hatchet).await;
        let alive = match check.status {
            super::doctor::CheckStatus::Ok => Some(true),
            super::doctor::CheckStatus::Warn | super::doctor::CheckStatus::Fail => Some(false),
            super::doctor::CheckStatus::Skip => None,
        };
        return WorkerState {
            alive,
            detail: check.detail,
        };
    }
    match crate::backend::data_file(&ctx.settings) {
        Some(data_file) => match crate::worker_lock::running_worker(data_file) {
            Some(0) => WorkerState {
                alive: Some(true),
                detail: "attctl-worker is running (pid unknown)".into(),
            },
            Some(pid) => WorkerState {
                alive: Some(true),
                detail: format!("attctl-worker is running (pid {pid})"),
            },
            None => WorkerState {
                alive: Some(false),
                detail: "no attctl-worker is running: sessions will not be closed \
                         automatically (start `attctl-worker`)"
                    .into(),
            },
        },
        None => WorkerState {
            alive: None,
            detail: "without Hatchet, a worker on Supabase cannot be seen from here: check \
                     its service (systemd, docker compose)"
                .into(),
        },
    }
}

/// `1h 05m`, `4m 10s`, `35s`: precise where it matters, short where it does not.
pub(crate) fn countdown(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {sec:02}s")
    } else {
        format!("{sec}s")
    }
}

fn lines(sessions: &[StatusSession], when: impl Fn(&StatusSession) -> String) -> Cell {
    if sessions.is_empty() {
        return Cell::new("none");
    }
    let text: Vec<String> = sessions
        .iter()
        .map(|s| {
            format!(
                "{}  {}  {} {}-{}  {}",
                s.id,
                s.class_name
                    .clone()
                    .unwrap_or_else(|| format!("class {}", s.class_id)),
                s.session_date,
                s.start_time,
                s.end_time,
                when(s)
            )
        })
        .collect();
    Cell::new(text.join("\n"))
}

const RED: &str = "\x1b[31m";
const BOLD_RED: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// The report for people: one line per session, its columns aligned across the three
/// lists, class names cut with `…` to fit `width`, the worker's state and overdue sessions
/// in red when colour is on.
fn render(report: &StatusReport, today: NaiveDate, color: bool, width: Option<usize>) -> String {
    const LABEL: usize = 13;
    let paint = |text: &str, code: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let day = |d: NaiveDate| match (d - today).num_days() {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        _ => d.to_string(),
    };
    type When = fn(&StatusSession) -> String;
    let sections: [(&str, &[StatusSession], When, &str, bool); 3] = [
        (
            "open now",
            &report.open_now,
            |s| format!("closes in {}", countdown(s.closes_in_secs)),
            "none",
            false,
        ),
        (
            "next closes",
            &report.next_closes,
            |s| format!("in {}", countdown(s.closes_in_secs)),
            "none today or tomorrow",
            false,
        ),
        (
            "overdue",
            &report.overdue,
            |s| format!("{} past its end", countdown(s.closes_in_secs)),
            "none",
            true,
        ),
    ];
    let rows: Vec<Vec<[String; 5]>> = sections
        .iter()
        .map(|(_, sessions, when, _, _)| {
            sessions
                .iter()
                .map(|s| {
                    [
                        s.id.to_string(),
                        printable(
                            s.class_name
                                .as_deref()
                                .unwrap_or(&format!("class {}", s.class_id)),
                        )
                        .into_owned(),
                        day(s.session_date),
                        format!("{}-{}", s.start_time, s.end_time),
                        when(s),
                    ]
                })
                .collect()
        })
        .collect();
    let mut widths = [0usize; 5];
    for row in rows.iter().flatten() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    if let Some(width) = width {
        let others = LABEL + widths[0] + widths[2] + widths[3] + widths[4] + 2 * 4;
        widths[1] = widths[1].min(width.saturating_sub(others).max(6));
    }

    let mut out = String::new();
    let mut field = |label: &str, painted_label: String, value: String| {
        out.push_str(&painted_label);
        out.push_str(&" ".repeat(LABEL.saturating_sub(label.chars().count())));
        out.push_str(&value);
        out.push('\n');
    };
    field("store", "store".into(), report.store.to_string());
    field(
        "scheduler",
        "scheduler".into(),
        report.scheduler.to_string(),
    );
    let state = match report.worker.alive {
        Some(true) => "alive",
        Some(false) => "NOT RUNNING",
        None => "unknown",
    };
    let worker = wrap(
        &format!("{state}: {}", report.worker.detail),
        width.map(|w| w.saturating_sub(LABEL).max(20)),
    )
    .join(&format!("\n{}", " ".repeat(LABEL)));
    let worker = match report.worker.alive {
        Some(false) => worker.replacen(state, &paint(state, BOLD_RED), 1),
        _ => worker,
    };
    field("worker", "worker".into(), worker);
    for ((label, sessions, _, empty, alarm), rows) in sections.iter().zip(&rows) {
        let red = *alarm && !sessions.is_empty();
        let painted = if red {
            paint(label, RED)
        } else {
            label.to_string()
        };
        if rows.is_empty() {
            field(label, painted, (*empty).to_string());
            continue;
        }
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(c, (cell, w))| {
                    let cell = cut(cell, w);
                    let pad = w.saturating_sub(cell.chars().count());
                    if c == 4 {
                        cell
                    } else {
                        format!("{cell}{}", " ".repeat(pad))
                    }
                })
                .collect();
            let line = cells.join("  ");
            let line = if red { paint(&line, RED) } else { line };
            if i == 0 {
                field(label, painted.clone(), line);
            } else {
                field("", String::new(), line);
            }
        }
    }
    out
}

/// `text` cut to `width` characters, ending in `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut kept: String = text.chars().take(width.saturating_sub(1)).collect();
    kept.push('…');
    kept
}

/// Words in lines of at most `width` characters (the whole text when it is not cut).
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    match width {
        Some(width) => crate::cli::wrap(text, width),
        None => vec![text.to_string()],
    }
}

impl Detail for StatusReport {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, Cell)> {
        let alive = match self.worker.alive {
            Some(true) => "alive",
            Some(false) => "NOT RUNNING",
            None => "unknown",
        };
        vec![
            ("store", Cell::new(self.store)),
            ("scheduler", Cell::new(self.scheduler)),
            (
                "worker",
                Cell::new(format!("{alive}: {}", self.worker.detail)),
            ),
            (
                "open now",
                lines(&self.open_now, |s| {
                    format!("closes in {}", countdown(s.closes_in_secs))
                }),
            ),
            (
                "next closes",
                lines(&self.next_closes, |s| {
                    format!("in {}", countdown(s.closes_in_secs))
                }),
            ),
            (
                "overdue",
                lines(&self.overdue, |s| {
                    format!("{} past its end", countdown(s.closes_in_secs))
                }),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::countdown;

    #[test]
    fn countdowns_read_well() {
        assert_eq!(countdown(35), "35s");
        assert_eq!(countdown(250), "4m 10s");
        assert_eq!(countdown(3900), "1h 05m");
        assert_eq!(countdown(-90), "1m 30s");
        assert_eq!(countdown(2 * 86_400 + 7200), "2d 2h");
    }
}
