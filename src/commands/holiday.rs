//! `attctl holiday …`: add, list, delete and import school holidays.

use super::Context;
use crate::calendar::ics;
use crate::cli::HolidayCommand;
use crate::clock;
use crate::error::{Error, Result};
use crate::session::parse_id;

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
            let name = holiday_name(&name)?;
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
            let ranges = ics::all_day_ranges(input.reader()?)
                .map_err(|e| Error::invalid(format!("{}: {e}", input.source)))?;
            let service = ctx.service()?;
            let mut added = Vec::new();
            for r in ranges {
                let name = holiday_name(&r.name).unwrap_or_else(|_| "Holiday".to_string());
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

fn holiday_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid(
            "--name must be 1 to 200 characters, e.g. \"Half term\"",
        ));
    }
    Ok(name.to_string())
}
