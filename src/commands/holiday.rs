//! `attctl holiday …`: add, list, delete and import school holidays.

use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use crate::calendar::ics;
use crate::cli::HolidayCommand;
use crate::clock;
use crate::error::{Error, Result};
use crate::output::{Detail, Style, plural, printable};
use crate::session::{Holiday, SessionId, Status, parse_id, validate_holiday_name};
use crate::store::SessionFilter;

pub(crate) async fn run(cmd: HolidayCommand, ctx: &mut Context) -> Result<()> {
    let today = ctx.today();
    match cmd {
        HolidayCommand::Add {
            date,
            to,
            name,
            delete_sessions,
            yes,
        } => {
            let first = clock::parse_date(&date, today)?;
            let last = to
                .as_deref()
                .map(|d| clock::parse_date(d, today))
                .transpose()?
                .unwrap_or(first);
            if last < first {
                return Err(Error::invalid(format!(
                    "--to {last} is before --from {first}"
                )));
            }
            let name =
                validate_holiday_name(&name).map_err(|e| Error::invalid(format!("--name: {e}")))?;
            add(ctx, &name, first, last, delete_sessions, yes).await
        }
        HolidayCommand::List { from, to } => {
            let from = from
                .as_deref()
                .map(|d| clock::parse_date(d, today))
                .transpose()?;
            let to = to
                .as_deref()
                .map(|d| clock::parse_date(d, today))
                .transpose()?;
            let list = ctx.service()?.store().list_holidays(from, to).await?;
            ctx.out.list(&list)
        }
        HolidayCommand::Delete { holiday } => {
            let service = ctx.service()?;
            let id = holiday_id(&service, &holiday).await?;
            match service.store().delete_holiday(id).await? {
                Some(h) => ctx.out.detail(&h),
                None => Err(Error::NotFound {
                    what: "holiday",
                    id: id.to_string(),
                }),
            }
        }
        HolidayCommand::Import { file, dry_run } => {
            let input = super::timetable::Input::open(&file)?;
            let source = &input.source;
            let found = ics::all_day_ranges(input.reader()?)
                .map_err(|e| Error::invalid(format!("{source}: {e}")))?;
            let nothing = found.nothing_to_import(source);
            // Every name is checked before the first holiday is added.
            let mut ranges = Vec::with_capacity(found.ranges.len());
            for r in found.ranges {
                let name = validate_holiday_name(&r.name).map_err(|e| {
                    Error::invalid(format!("{source}: line {}: SUMMARY: {e}", r.line))
                })?;
                ranges.push((name, r));
            }
            let service = ctx.service()?;
            for w in &found.warnings {
                ctx.out.warn(w);
            }
            if let Some(why) = &nothing {
                ctx.out.warn(why);
            }
            let mut added = Vec::new();
            for (name, r) in ranges {
                if dry_run {
                    added.push(crate::session::Holiday {
                        id: 0,
                        name,
                        first_date: r.first,
                        last_date: r.last,
                        created_at: chrono::Utc::now(),
                    });
                } else {
                    added.push(service.store().add_holiday(&name, r.first, r.last).await?);
                }
            }
            ctx.out.list(&added)?;
            if dry_run {
                ctx.out.note("dry run: nothing was changed");
            }
            Ok(())
        }
    }
}

/// The holiday `raw` names for `holiday delete`: an id (`12` or `id:12`), or the exact name
/// of one holiday. A near name is only suggested (exit 3); a name several holidays share is
/// refused with their ids.
async fn holiday_id(service: &crate::service::SessionService, raw: &str) -> Result<i64> {
    let raw = raw.trim();
    if let Some(id) = raw.strip_prefix("id:") {
        return parse_id(id, "holiday");
    }
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        return parse_id(raw, "holiday");
    }
    let name = raw.strip_prefix("name:").unwrap_or(raw);
    let all = service.store().list_holidays(None, None).await?;
    let same: Vec<&crate::session::Holiday> = all.iter().filter(|h| h.name == name).collect();
    match same.as_slice() {
        [one] => Ok(one.id),
        [] => Err(crate::service::no_exact_name("holiday", name, &all, |h| {
            (h.id, &h.name)
        })),
        many => Err(Error::invalid(format!(
            "{} holidays are named {name:?}: {}; pass the one to delete as id:N",
            many.len(),
            many.iter()
                .map(|h| format!("id:{} ({}..{})", h.id, h.first_date, h.last_date))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// What `holiday add` answers: the holiday, and the Open sessions planned on it (still
/// there, or deleted with `--delete-sessions`).
#[derive(Debug, Serialize)]
struct HolidayAdded {
    #[serde(flatten)]
    holiday: Holiday,
    /// Open sessions on the holiday that were left as they are.
    open_sessions: Vec<SessionId>,
    /// Open sessions on the holiday deleted with it (`--delete-sessions`).
    sessions_deleted: Vec<SessionId>,
}

impl Detail for HolidayAdded {
    fn fields(&self, style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        self.with_sessions(self.holiday.fields(style))
    }
    fn table_fields(&self, style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        self.with_sessions(self.holiday.table_fields(style))
    }
}

impl HolidayAdded {
    /// The holiday's fields, then how many Open sessions it covers and deleted.
    fn with_sessions(
        &self,
        mut fields: Vec<(&'static str, comfy_table::Cell)>,
    ) -> Vec<(&'static str, comfy_table::Cell)> {
        if !self.open_sessions.is_empty() {
            fields.push((
                "open_sessions",
                comfy_table::Cell::new(self.open_sessions.len()),
            ));
        }
        if !self.sessions_deleted.is_empty() {
            fields.push((
                "sessions_deleted",
                comfy_table::Cell::new(self.sessions_deleted.len()),
            ));
        }
        fields
    }
}

/// `holiday add`: the Open sessions on the holiday are read first, so that a refused
/// confirmation (`--delete-sessions` without `--yes` off a terminal) writes nothing. The
/// holiday is added before any session is deleted, so a `session generate` meanwhile
/// already skips it. Deleting goes through the bulk path (runs cancelled, one write per
/// chunk).
async fn add(
    ctx: &mut Context,
    name: &str,
    first: NaiveDate,
    last: NaiveDate,
    delete_sessions: bool,
    yes: bool,
) -> Result<()> {
    let service = ctx.service()?;
    let planned = service
        .matching(&SessionFilter {
            from: Some(first),
            to: Some(last),
            status: Some(Status::Open),
            ..SessionFilter::default()
        })
        .await?;
    let names: std::collections::HashMap<_, _> = if planned.is_empty() {
        Default::default()
    } else {
        let classes = service.store().list_classes().await?;
        classes.into_iter().map(|c| (c.id, c.name)).collect()
    };
    let describe = |s: &crate::session::TeachingSession| {
        let class = names.get(&s.class_id).map_or_else(
            || format!("class {}", s.class_id),
            |n| printable(n).into_owned(),
        );
        format!(
            "{class} {} {}-{} (id {})",
            s.session_date,
            s.start_time.format("%H:%M"),
            s.end_time.format("%H:%M"),
            s.id
        )
    };
    if delete_sessions && !planned.is_empty() {
        let classes: std::collections::BTreeSet<String> = planned
            .iter()
            .map(|s| {
                names.get(&s.class_id).map_or_else(
                    || format!("class {}", s.class_id),
                    |n| printable(n).into_owned(),
                )
            })
            .collect();
        let what = format!(
            "{} of {}, {first}..{last}",
            classes.into_iter().collect::<Vec<_>>().join(", "),
            plural(planned.len(), "Open session"),
        );
        super::timetable::confirm_what(ctx, yes, "delete", planned.len(), &what)?;
    }
    let holiday = service.store().add_holiday(name, first, last).await?;
    let mut added = HolidayAdded {
        holiday,
        open_sessions: Vec::new(),
        sessions_deleted: Vec::new(),
    };
    if planned.is_empty() {
        return ctx.out.detail(&added);
    }
    if delete_sessions {
        let mut warnings = Vec::new();
        let mut progress = crate::output::BulkProgress::new(
            &ctx.out,
            Some(planned.len()),
            "deleting",
            ctx.out.brief(),
        );
        let deleted = service.delete_many(&planned, &mut warnings).await;
        progress.finish();
        let deleted = deleted?;
        for w in &warnings {
            ctx.out.warn(w);
        }
        ctx.out.note(&format!(
            "{} on the holiday deleted, their closes cancelled:",
            plural(deleted.len(), "Open session")
        ));
        let gone: std::collections::HashSet<SessionId> = deleted.iter().map(|c| c.id).collect();
        let gone: Vec<_> = planned.iter().filter(|s| gone.contains(&s.id)).collect();
        note_some(ctx, gone.iter().map(|s| describe(s)), gone.len());
        added.sessions_deleted = deleted.into_iter().map(|c| c.id).collect();
    } else {
        ctx.out.warn(&format!(
            "{} planned on the holiday stay Open (pass --delete-sessions to delete them):",
            plural(planned.len(), "session")
        ));
        note_some(ctx, planned.iter().map(describe), planned.len());
        added.open_sessions = planned.iter().map(|s| s.id).collect();
    }
    ctx.out.detail(&added)
}

/// The sessions named on stderr: all of them, or at a terminal the first few and how many
/// more (`--verbose` names them all).
fn note_some(ctx: &Context, lines: impl Iterator<Item = String>, count: usize) {
    let shown = if ctx.out.brief() {
        crate::output::EXAMPLE_ROWS
    } else {
        count
    };
    for line in lines.take(shown) {
        ctx.out.note(&format!("  {line}"));
    }
    if count > shown {
        ctx.out.note(&format!(
            "  … and {} more (--verbose or -o json lists them all)",
            count - shown
        ));
    }
}
