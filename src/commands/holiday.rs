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
        HolidayCommand::Delete { id } => {
            let id = parse_id(&id, "holiday")?;
            match ctx.service()?.store().delete_holiday(id).await? {
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
