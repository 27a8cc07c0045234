//! `attctl holiday …`: add, list, delete and import school holidays.

use super::Context;
use crate::calendar::ics;
use crate::cli::HolidayCommand;
use crate::clock;
use crate::error::{Error, Result};
use crate::session::{parse_id, validate_holiday_name};

pub(crate) async fn run(cmd: HolidayCommand, ctx: &mut Context) -> Result<()> {
    let today = ctx.today();
    match cmd {
        HolidayCommand::Add { date, to, name } => {
            let first = clock::parse_date(&date, today)?;
            let last = to
                .as_deref()
                .map(|d| clock::parse_date(d, today))
                .transpose()?
                .unwrap_or(first);
            if last < first {
                return Err(Error::invalid(format!(
                    "--to {last} is before --date {first}"
                )));
            }
            let name =
                validate_holiday_name(&name).map_err(|e| Error::invalid(format!("--name: {e}")))?;
            let holiday = ctx
                .service()?
                .store()
                .add_holiday(&name, first, last)
                .await?;
            ctx.out.detail(&holiday)
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
