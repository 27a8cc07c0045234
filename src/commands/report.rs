//! `attctl report …`: closure analytics (`closures`), the monitoring check
//! `open-past-end`, and the registers of closed sessions (`registers`). The figures come from the store (SQL where the data is); rendering is
//! [`crate::output::report`]'s.

use std::path::Path;

use chrono::{Duration, NaiveDate, Utc};
use comfy_table::{Cell, CellAlignment};

use super::Context;
use crate::cli::{
    ClosuresArgs, OpenPastEndArgs, OutputFormat, RegistersArgs, RegistersBy, ReportBy,
    ReportCommand,
};
use crate::clock;
use crate::commands::session::ListedSession;
use crate::error::{Error, Result};
use crate::output::Column;
use crate::output::report::{chart, count_with_share, figure, percent, svg, write_csv};
use crate::registers::{RegisterBy, RegisterQuery, RegisterReport, RegisterRow, TeacherRow};
use crate::report::{ClosureQuery, ClosureReport, ClosureStats, GroupBy};
use crate::service::SessionService;
use crate::session::{ClassId, ClassRef, TeachingSession};
use crate::store::PAGE_SIZE;

pub(crate) async fn run(cmd: ReportCommand, ctx: &mut Context) -> Result<()> {
    match cmd {
        ReportCommand::Closures(args) => closures(args, ctx).await,
        ReportCommand::OpenPastEnd(args) => open_past_end(args, ctx).await,
        ReportCommand::Registers(args) => registers(args, ctx).await,
    }
}

/// `report registers`: one row per closed session (or per teacher), computed in the
/// database; with `--missing`, exit 1 after the report when a register was not taken.
async fn registers(args: RegistersArgs, ctx: &mut Context) -> Result<()> {
    let today = ctx.today();
    let parse = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|d| {
                clock::parse_date(d, today).map_err(|e| Error::invalid(format!("{flag}: {e}")))
            })
            .transpose()
    };
    let from = parse("--from", &args.from)?;
    let to = parse("--to", &args.to)?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::invalid(format!("--from {f} is after --to {t}")));
    }
    let class = args
        .class
        .as_deref()
        .map(str::parse::<ClassRef>)
        .transpose()?;
    let service = ctx.service()?;
    let class_id = match &class {
        Some(c) => Some(existing_class(&service, c).await?),
        None => None,
    };
    let query = RegisterQuery {
        from,
        to,
        class_id,
        by: match args.by {
            RegistersBy::Session => RegisterBy::Session,
            RegistersBy::Teacher => RegisterBy::Teacher,
        },
    };
    let Some(report) = service.store().register_report(&query).await? else {
        return Err(Error::Config(format!(
            "this store has no registers: they are the original app's tables attendances and \
             class_students, which the {} store does not have",
            service.store().backend()
        )));
    };
    let not_taken = report.not_taken();
    match &report {
        RegisterReport::Sessions(rows) => ctx.out.list(rows)?,
        RegisterReport::Teachers(rows) => ctx.out.list(rows)?,
    }
    let empty = match &report {
        RegisterReport::Sessions(rows) => rows.is_empty(),
        RegisterReport::Teachers(rows) => rows.is_empty(),
    };
    if empty && ctx.out.format() == OutputFormat::Table {
        ctx.out.note("no closed session in this range");
    }
    if args.missing && not_taken > 0 {
        return Err(Error::Alert(format!(
            "{not_taken} register(s) not taken: no mark existed when the session closed"
        )));
    }
    Ok(())
}

impl crate::output::Row for RegisterRow {
    fn headers() -> &'static [&'static str] {
        &[
            "SESSION",
            "CLASS",
            "DATE",
            "ENROLLED",
            "MARKED",
            "PRESENT",
            "LATE",
            "ABSENT",
            "AUTOMARKED",
            "TAKEN",
        ]
    }
    fn cells(&self, _style: &crate::output::Style) -> Vec<Cell> {
        vec![
            Cell::new(self.session_id),
            Cell::new(crate::output::printable(&self.class)),
            Cell::new(self.date),
            right(self.enrolled.to_string()),
            right(self.marked.to_string()),
            right(self.present.to_string()),
            right(self.late.to_string()),
            right(self.absent.to_string()),
            right(self.automarked.to_string()),
            Cell::new(if self.taken { "yes" } else { "NOT TAKEN" }),
        ]
    }
    /// One line a session at 80 columns: marked out of enrolled in one cell, the counts
    /// under short headers, the class's name giving way (`-o csv` keeps every column).
    fn columns(_style: &crate::output::Style) -> Vec<Column> {
        let mut columns = vec![
            Column::fixed("ID"),
            Column::truncate("CLASS"),
            Column::fixed("DATE"),
        ];
        columns.extend(COUNT_COLUMNS.iter().map(|h| Column::fixed(*h)));
        columns.push(Column::fixed("TAKEN"));
        columns
    }
    fn table_cells(&self, style: &crate::output::Style) -> Vec<Cell> {
        let mut cells = vec![
            Cell::new(self.session_id),
            Cell::new(crate::output::printable(&self.class)),
            Cell::new(self.date),
        ];
        cells.extend(count_cells(
            self.marked,
            self.enrolled,
            [self.present, self.late, self.absent, self.automarked],
        ));
        cells.push(if self.taken {
            Cell::new("yes")
        } else {
            style.alert("NOT TAKEN")
        });
        cells
    }
}

/// The register counts as a table shows them: `MARKED` is marked out of enrolled.
const COUNT_COLUMNS: [&str; 5] = ["MARKED", "PRES", "LATE", "ABS", "AUTO"];

fn count_cells(marked: u64, enrolled: u64, counts: [u64; 4]) -> Vec<Cell> {
    let mut cells = vec![right(format!("{marked}/{enrolled}"))];
    cells.extend(counts.iter().map(|n| right(n.to_string())));
    cells
}

impl crate::output::Row for TeacherRow {
    fn headers() -> &'static [&'static str] {
        &[
            "TEACHER",
            "SESSIONS",
            "NOT TAKEN",
            "ENROLLED",
            "MARKED",
            "PRESENT",
            "LATE",
            "ABSENT",
            "AUTOMARKED",
        ]
    }
    fn cells(&self, _style: &crate::output::Style) -> Vec<Cell> {
        vec![
            Cell::new(crate::output::printable(
                self.teacher.as_deref().unwrap_or("(no teacher)"),
            )),
            right(self.sessions.to_string()),
            right(self.not_taken.to_string()),
            right(self.enrolled.to_string()),
            right(self.marked.to_string()),
            right(self.present.to_string()),
            right(self.late.to_string()),
            right(self.absent.to_string()),
            right(self.automarked.to_string()),
        ]
    }
    fn columns(_style: &crate::output::Style) -> Vec<Column> {
        let mut columns = vec![
            Column::truncate("TEACHER"),
            Column::fixed("SESSIONS"),
            Column::fixed("NOT TAKEN"),
        ];
        columns.extend(COUNT_COLUMNS.iter().map(|h| Column::fixed(*h)));
        columns
    }
    fn table_cells(&self, style: &crate::output::Style) -> Vec<Cell> {
        let mut cells = vec![
            Cell::new(crate::output::printable(
                self.teacher.as_deref().unwrap_or("(no teacher)"),
            )),
            right(self.sessions.to_string()),
            match self.not_taken {
                0 => right("0".to_string()),
                n => style
                    .alert(&n.to_string())
                    .set_alignment(CellAlignment::Right),
            },
        ];
        cells.extend(count_cells(
            self.marked,
            self.enrolled,
            [self.present, self.late, self.absent, self.automarked],
        ));
        cells
    }
}

/// The class's id; an unknown id or name is NotFound, not an empty report.
async fn existing_class(service: &SessionService, class: &ClassRef) -> Result<ClassId> {
    match service.store().find_class(class).await? {
        Some(c) => Ok(c.id),
        None => Err(Error::NotFound {
            what: "class",
            id: match class {
                ClassRef::Id(id) => id.to_string(),
                ClassRef::Name(name) => format!("{name:?}"),
            },
        }),
    }
}

fn group_by(by: ReportBy) -> GroupBy {
    match by {
        ReportBy::Class => GroupBy::Class,
        ReportBy::Weekday => GroupBy::Weekday,
        ReportBy::Week => GroupBy::Week,
        ReportBy::Month => GroupBy::Month,
        ReportBy::ClosedBy => GroupBy::ClosedBy,
    }
}

async fn closures(args: ClosuresArgs, ctx: &mut Context) -> Result<()> {
    // Everything the user typed is checked before any request.
    let today = ctx.today();
    let parse = |flag: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|d| {
                clock::parse_date(d, today).map_err(|e| Error::invalid(format!("{flag}: {e}")))
            })
            .transpose()
    };
    let from = parse("--from", &args.from)?;
    let to = parse("--to", &args.to)?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::invalid(format!("--from {f} is after --to {t}")));
    }
    let class = args
        .class
        .as_deref()
        .map(str::parse::<ClassRef>)
        .transpose()?;
    if args.chart {
        if ctx.out.format_is_explicit() && ctx.out.format() != OutputFormat::Table {
            return Err(Error::invalid(
                "--chart draws for people: use it with -o table (or leave -o out); \
                 --svg FILE writes a chart alongside any format",
            ));
        }
        ctx.out.prefer_table();
    }
    if let Some(path) = &args.svg {
        check_svg_target(path, args.force)?;
    } else if args.force {
        return Err(Error::invalid(
            "--force replaces the file of --svg: give --svg FILE",
        ));
    }

    let service = ctx.service()?;
    let class_id = match &class {
        Some(c) => Some(existing_class(&service, c).await?),
        None => None,
    };
    // A table (and its chart) for people covers the sessions that have ended, up to today
    // on the school's clock, unless --to asks for more: a term of sessions still to come
    // would crowd the shares into UPCOMING. JSON and CSV keep their range (all sessions
    // without --to): scripts rely on it, and their `to` says which range they cover.
    let to_today = ctx.out.format() == OutputFormat::Table && to.is_none();
    let to = if to_today { Some(ctx.today()) } else { to };
    let by = group_by(args.by);
    let figures = service
        .store()
        .closure_report(&ClosureQuery {
            from,
            to,
            class_id,
            by,
            now: Utc::now(),
        })
        .await?;
    let report = ClosureReport {
        from,
        to,
        by,
        groups: figures.groups,
        total: figures.total,
        auto_lag_histogram_edges_s: crate::report::AUTO_LAG_HISTOGRAM_EDGES_S,
    };
    if let Some(path) = &args.svg {
        write_svg(path, &svg::render(&report), args.force)?;
    }
    match ctx.out.format() {
        OutputFormat::Json | OutputFormat::Ndjson => ctx.out.document(&report)?,
        OutputFormat::Csv => {
            write_csv(&report, ctx.out.raw())?;
            ctx.out.flush()?;
        }
        OutputFormat::Table | OutputFormat::Wide => {
            print_table(&report, ctx)?;
            if to_today && let Some(today) = report.to {
                ctx.out.note(&format!(
                    "sessions up to today ({today}); --to DATE covers later ones"
                ));
            }
            if args.chart {
                let columns = ctx.out.fit_width().map(usize::from);
                let chart = chart(&report, 40, ctx.out.color(), columns);
                let title = format!(
                    "Who closed the {}, by {}:",
                    period(report.from, report.to),
                    report.by.as_str().replace('_', " ")
                );
                ctx.out.text(&format!("\n{title}\n{chart}"))?;
            }
        }
    }
    if let Some(path) = &args.svg {
        ctx.out
            .note(&format!("wrote the SVG chart to {}", path.display()));
    }
    Ok(())
}

/// Refuses an SVG path that cannot be written before anything is asked of the store: a
/// directory, a missing directory, an existing file without `--force`, and an existing
/// file that is not an SVG chart even with it (`--svg` pointed at the data file by a slip
/// must not cost the data).
fn check_svg_target(path: &Path, force: bool) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("--svg needs a file name"));
    }
    if path.is_dir() {
        return Err(Error::invalid(format!(
            "--svg {}: is a directory; give a file name such as closures.svg",
            path.display()
        )));
    }
    let dir = svg_dir(path);
    if !dir.is_dir() {
        return Err(Error::invalid(format!(
            "--svg {}: the directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    check_replaceable(path, force)
}

fn svg_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An existing file at `path` may be replaced only with `--force`, and only if it is an
/// SVG (or empty).
fn check_replaceable(path: &Path, force: bool) -> Result<()> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(()); // nothing there
    }
    if !force {
        return Err(Error::invalid(format!(
            "--svg {}: the file exists; pass --force to replace it (only an SVG file is replaced)",
            path.display()
        )));
    }
    if !is_svg_or_empty(path) {
        return Err(Error::invalid(format!(
            "--svg {}: the file exists and is not an SVG chart; attctl never replaces it, even \
             with --force: choose another file name",
            path.display()
        )));
    }
    Ok(())
}

/// Whether the file starts like an SVG document (an XML declaration, comment or doctype,
/// then an `<svg` element early on), or is empty.
fn is_svg_or_empty(path: &Path) -> bool {
    use std::io::Read;
    let Ok(meta) = std::fs::metadata(path) else {
        return false; // a dangling link or an unreadable file: not known to be a chart
    };
    if !meta.is_file() {
        return false;
    }
    if meta.len() == 0 {
        return true;
    }
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with('<') && text.contains("<svg")
}

/// Writes the chart to a temporary file beside `path`, then renames it into place: a reader
/// (or a crash) never sees half a chart, and no existing file is truncated. Without
/// `--force` the rename refuses a file that appeared since the check.
fn write_svg(path: &Path, svg: &str, force: bool) -> Result<()> {
    use std::io::Write;
    let what = || format!("writing the SVG chart {}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".attctl-chart-")
        .suffix(".svg.tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(svg_dir(path))
        .map_err(|e| Error::io(what(), e))?;
    tmp.write_all(svg.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(what(), e))?;
    if force {
        // The file may have changed since the first check.
        check_replaceable(path, true)?;
        tmp.persist(path).map_err(|e| Error::io(what(), e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::invalid(format!(
                    "--svg {}: the file exists; pass --force to replace it (only an SVG file is \
                     replaced)",
                    path.display()
                ))
            } else {
                Error::io(what(), e.error)
            }
        })?;
    }
    Ok(())
}

fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The sessions a report covers, in words: `sessions of 2026-09-01 to 2026-12-05`.
fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (None, None) => "sessions of every date".to_string(),
        (Some(f), None) => format!("sessions from {f} on"),
        (None, Some(t)) => format!("sessions up to {t}"),
        (Some(f), Some(t)) if f == t => format!("sessions of {f}"),
        (Some(f), Some(t)) => format!("sessions of {f} to {t}"),
    }
}

/// A row of the closure table: shares as `3 (27.3%)`, or, when the terminal is too narrow
/// for that, as `27%` and early closes without their median (the counts and the median
/// are in a wider terminal, `-o wide` and JSON).
fn stats_cells(group: &str, s: &ClosureStats, compact: bool) -> Vec<Cell> {
    let share = |part: u64| {
        if compact {
            percent(part, s.sessions).map_or_else(|| part.to_string(), |p| format!("{p:.0}%"))
        } else {
            count_with_share(part, s.sessions)
        }
    };
    let lag = if compact {
        format!(
            "{}/{}/{}",
            figure(s.auto_lag_p50_s, 1),
            figure(s.auto_lag_p95_s, 1),
            figure(s.auto_lag_max_s, 1)
        )
    } else {
        format!(
            "{} / {} / {}",
            figure(s.auto_lag_p50_s, 1),
            figure(s.auto_lag_p95_s, 1),
            figure(s.auto_lag_max_s, 1)
        )
    };
    vec![
        Cell::new(crate::output::printable(group)),
        right(s.sessions.to_string()),
        right(share(s.closed_manual)),
        right(share(s.closed_auto)),
        right(share(s.closed_sweep)),
        right(share(s.open_past_end)),
        right(share(s.open_upcoming)),
        right(lag),
        right(match s.manual_early {
            0 => "0".to_string(),
            n if compact => n.to_string(),
            n => format!("{n} ({} min)", figure(s.manual_early_median_min, 1)),
        }),
    ]
}

fn print_table(report: &ClosureReport, ctx: &mut Context) -> Result<()> {
    let columns = |compact: bool| {
        vec![
            Column::truncate(report.by.as_str().to_uppercase().replace('_', " ")),
            Column::fixed("SESSIONS"),
            Column::fixed("MANUAL"),
            Column::fixed("AUTO"),
            Column::fixed("SWEEP"),
            Column::fixed("OPEN PAST END"),
            Column::fixed("UPCOMING"),
            Column::fixed("AUTO LAG s p50/p95/max"),
            Column::fixed(if compact { "EARLY" } else { "EARLY (median)" }),
        ]
    };
    let rows = |compact: bool| -> Vec<Vec<Cell>> {
        report
            .groups
            .iter()
            .map(|g| stats_cells(&g.group, &g.stats, compact))
            .chain(std::iter::once(stats_cells(
                "TOTAL",
                &report.total,
                compact,
            )))
            .collect()
    };
    let full = rows(false);
    let compact = ctx.out.fit_width().is_some_and(|w| {
        crate::output::table::natural_width(&columns(false), &full) > usize::from(w)
    });
    ctx.out
        .columns_table(&columns(compact), if compact { rows(true) } else { full })?;
    if report.groups.is_empty() {
        ctx.out.note("no sessions in this range");
    }
    if report.total.closed_unrecorded > 0 {
        ctx.out.note(&format!(
            "{} closed session(s) have no closed_by (closed outside attctl)",
            report.total.closed_unrecorded
        ));
    }
    Ok(())
}

/// `90`, `90s`, `5m`, `2h`, `1d`: at most 366 days.
pub(crate) fn parse_grace(input: &str) -> Result<Duration> {
    let s = input.trim();
    let bad = || {
        Error::invalid(format!(
            "--grace {input:?}: expected a number with an optional unit s, m, h or d \
             (for example 90s, 5m, 2h), up to 366d"
        ))
    };
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: i64 = digits.parse().map_err(|_| bad())?;
    let secs_per = match unit.trim() {
        "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let secs = n.checked_mul(secs_per).ok_or_else(bad)?;
    if secs > 366 * 86_400 {
        return Err(bad());
    }
    Ok(Duration::seconds(secs))
}

async fn open_past_end(args: OpenPastEndArgs, ctx: &mut Context) -> Result<()> {
    let grace = parse_grace(&args.grace)?;
    let class = args
        .class
        .as_deref()
        .map(str::parse::<ClassRef>)
        .transpose()?;
    let service = ctx.service()?;
    let class_id = match &class {
        Some(c) => Some(existing_class(&service, c).await?),
        None => None,
    };
    let before = Utc::now() - grace;
    let store = service.store().clone();
    let mut sessions: Vec<TeachingSession> = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .open_past_end(before, class_id, after, PAGE_SIZE)
            .await?;
        let done = page.len() < PAGE_SIZE;
        after = page.last().map(|s| s.id);
        sessions.extend(page);
        if done || after.is_none() {
            break;
        }
    }
    if ctx.out.format() == OutputFormat::Table && sessions.is_empty() {
        ctx.out.note(&format!(
            "no session is Open more than {} past its end",
            args.grace.trim()
        ));
        return Ok(());
    }
    // Named as `session list` names them: the class's name in tables, `class_name` in JSON.
    let names: std::collections::HashMap<ClassId, String> = match store.list_classes().await {
        Ok(classes) => classes.into_iter().map(|c| (c.id, c.name)).collect(),
        Err(_) => Default::default(), // the ids are shown instead: the check itself is done
    };
    let count = sessions.len();
    let rows: Vec<ListedSession> = sessions
        .into_iter()
        .map(|session| ListedSession {
            class_name: names.get(&session.class_id).cloned(),
            session,
        })
        .collect();
    ctx.out.list(&rows)?;
    match count {
        0 => Ok(()),
        n => Err(Error::Alert(format!(
            "{n} session(s) still Open more than {} past their end; is attctl-worker running? \
             (`attctl doctor`)",
            args.grace.trim()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_units() {
        assert_eq!(parse_grace("5m").ok(), Some(Duration::minutes(5)));
        assert_eq!(parse_grace("90").ok(), Some(Duration::seconds(90)));
        assert_eq!(parse_grace("2h").ok(), Some(Duration::hours(2)));
        assert_eq!(parse_grace("1d").ok(), Some(Duration::days(1)));
        assert!(parse_grace("").is_err());
        assert!(parse_grace("5y").is_err());
        assert!(parse_grace("-5m").is_err());
        assert!(parse_grace("99999999999999999999d").is_err());
        assert!(parse_grace("400d").is_err());
    }
}
