//! `attctl session generate|import|export` and the filter forms of `session close|delete`:
//! sessions at a term's scale. Files are parsed by [`crate::calendar`]; the service plans
//! and writes in bulk; this module only reads arguments and files.

use std::collections::HashMap;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::Path;

use chrono::Utc;

use super::Context;
use crate::calendar::{csv as csv_file, ics, recurrence};
use crate::cli::{ExportArgs, FileFormat, GenerateArgs, ImportArgs};
use crate::clock;
use crate::error::{Error, Result};
use crate::service::SessionService;
use crate::service::bulk::{BulkChange, Timetable};
use crate::service::import::ImportOptions;
use crate::session::{ClassRef, SessionId, Status, TeachingSession};
use crate::store::SessionFilter;
use futures::TryStreamExt as _;

pub(crate) async fn generate(args: GenerateArgs, ctx: &mut Context) -> Result<()> {
    let today = ctx.today();
    let class: ClassRef = args.class.parse()?;
    let from = clock::parse_date(&args.from, today)?;
    let until = clock::parse_date(&args.until, today)?;
    let start = clock::parse_time(&args.start)?;
    let end = clock::parse_time(&args.end)?;
    if end <= start {
        return Err(Error::invalid(format!(
            "--end {} must be after --start {}",
            end.format("%H:%M"),
            start.format("%H:%M")
        )));
    }
    let pattern = match (&args.rrule, &args.days) {
        (Some(rule), _) => recurrence::Pattern::Rule(rule.clone()),
        (None, Some(days)) => recurrence::Pattern::Weekly {
            days: recurrence::parse_days(days)?,
            every: args.every,
        },
        (None, None) => {
            return Err(Error::invalid("give --days (e.g. mon,wed) or --rrule"));
        }
    };
    let dates = recurrence::dates(&pattern, from, until, start)?;
    let service = ctx.service()?;
    let timetable = Timetable {
        class,
        dates,
        start,
        end,
        zone: ctx.zone(),
        include_past: args.include_past,
        session_type: args.session_type.clone(),
    };
    let mut progress = crate::output::BulkProgress::new(
        &ctx.out,
        Some(timetable.dates.len()),
        if args.dry_run {
            "planning"
        } else {
            "generating"
        },
        ctx.out.brief(),
    );
    let report = service.generate(&timetable, args.dry_run, Utc::now()).await;
    progress.finish();
    let report = report?;
    for w in &report.warnings {
        ctx.out.warn(w);
    }
    ctx.out.bulk(&report)?;
    if args.dry_run {
        ctx.out.note("dry run: nothing was changed");
    }
    Ok(())
}

/// An input that can be read more than once: a private copy of the file, or of stdin (or a
/// pipe such as `<(command)`), in an unnamed temporary file the system removes even if
/// attctl is killed. A file is copied too: the import reads its input twice (validate, then
/// write), and a file changed between the reads would have its new rows written unchecked.
pub(crate) struct Input {
    pub source: String,
    file: std::fs::File,
}

fn spool(source: &str, input: &mut impl std::io::Read) -> Result<std::fs::File> {
    let mut spool = tempfile::tempfile()
        .map_err(|e| Error::io(format!("cannot create a temporary file for {source}"), e))?;
    std::io::copy(input, &mut spool)
        .map_err(|e| Error::io(format!("cannot copy {source} to a temporary file"), e))?;
    Ok(spool)
}

impl Input {
    pub(crate) fn open(file: &str) -> Result<Input> {
        if file == "-" {
            return Ok(Input {
                file: spool("stdin", &mut std::io::stdin().lock())?,
                source: "stdin".to_string(),
            });
        }
        let mut f =
            std::fs::File::open(file).map_err(|e| Error::io(format!("cannot open {file}"), e))?;
        let stamp = |f: &std::fs::File| {
            f.metadata()
                .map(|m| (m.is_file(), m.len(), m.modified().ok()))
                .map_err(|e| Error::io(format!("cannot read {file}"), e))
        };
        let before = stamp(&f)?;
        let copy = spool(file, &mut f)?;
        // A file written to while it is copied gives a copy of neither version.
        if before.0 && stamp(&f)? != before {
            return Err(Error::invalid(format!(
                "{file} changed while it was read; import it again once it is written"
            )));
        }
        Ok(Input {
            source: file.to_string(),
            file: copy,
        })
    }

    /// A reader from the start of the input.
    pub(crate) fn reader(&self) -> Result<BufReader<std::fs::File>> {
        let mut f = self
            .file
            .try_clone()
            .map_err(|e| Error::io(format!("cannot read {}", self.source), e))?;
        f.seek(SeekFrom::Start(0))
            .map_err(|e| Error::io(format!("cannot read {}", self.source), e))?;
        Ok(BufReader::with_capacity(64 * 1024, f))
    }
}

fn format_of(file: &str, given: Option<FileFormat>) -> Result<FileFormat> {
    if let Some(f) = given {
        return Ok(f);
    }
    let ext = Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "txt") => Ok(FileFormat::Csv),
        Some("ics" | "ical" | "ifb" | "icalendar") => Ok(FileFormat::Ics),
        _ => Err(Error::invalid(format!(
            "cannot tell the format of {file}: pass --format csv or --format ics"
        ))),
    }
}

pub(crate) async fn import(args: ImportArgs, ctx: &mut Context) -> Result<()> {
    let format = format_of(&args.file, args.format)?;
    let class = args
        .class
        .as_deref()
        .map(str::parse::<ClassRef>)
        .transpose()?;
    let input = Input::open(&args.file)?;
    let source = input.source.clone();
    let service = ctx.service()?;
    let opts = ImportOptions {
        class,
        zone: ctx.zone(),
        session_type: args.session_type.clone(),
        source: source.clone(),
        dry_run: args.dry_run,
        skip_holidays: !args.no_skip_holidays,
        now: Utc::now(),
    };
    let mut stream = ctx.out.bulk_stream(args.dry_run)?;
    let notes = ics::Notes::default();
    let outcome = match format {
        FileFormat::Csv => {
            let no_class = opts.class.is_none();
            let open = || -> Result<_> {
                let rows = csv_file::read(input.reader()?, args.delimiter, &source)?;
                if !rows.has_class_column && no_class {
                    return Err(Error::invalid(format!(
                        "{source}: line 1: no class_id or class_name column; add one or pass --class"
                    )));
                }
                Ok(rows)
            };
            service.import_stream(open, &opts, &mut stream).await
        }
        FileFormat::Ics => {
            let prescan = ics::prescan(input.reader()?)
                .map_err(|e| Error::invalid(format!("{source}: {e}")))?;
            // Warnings are taken from the first (validating) read only.
            let mut first = true;
            let open = || -> Result<_> {
                let notes = std::mem::take(&mut first).then(|| notes.clone());
                Ok(ics::sessions(
                    input.reader()?,
                    opts.zone,
                    prescan.clone(),
                    notes,
                ))
            };
            service.import_stream(open, &opts, &mut stream).await
        }
    };
    let mut outcome = outcome;
    if let (Ok(warnings), Ok(mut found)) = (outcome.as_mut(), notes.lock()) {
        warnings.splice(0..0, found.drain(..));
    }
    // After a failure part way (a chunk not written), the answer is ended with what was
    // written, so stdout stays one JSON document; the error follows on stderr.
    let (warnings, failure) = match outcome {
        Ok(w) => (w, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    for w in &warnings {
        stream.warn(w);
    }
    if let Some(e) = failure {
        if stream.has_output() {
            stream.finish(&warnings)?;
        }
        return Err(e);
    }
    stream.finish(&warnings)?;
    if args.dry_run {
        ctx.out.note("dry run: nothing was changed");
    }
    Ok(())
}

pub(crate) async fn export(args: ExportArgs, ctx: &mut Context) -> Result<()> {
    let today = ctx.today();
    let parse = |d: &Option<String>| {
        d.as_deref()
            .map(|d| clock::parse_date(d, today))
            .transpose()
    };
    let filter_given = args.class.is_some()
        || args.date.is_some()
        || args.from.is_some()
        || args.to.is_some()
        || args.status.is_some();
    if !filter_given && !args.all {
        return Err(Error::invalid(
            "export of every session: pass --all, or narrow it with --class/--from/--to/--status",
        ));
    }
    let (date, from, to) = (parse(&args.date)?, parse(&args.from)?, parse(&args.to)?);
    let status = args
        .status
        .as_deref()
        .map(str::parse::<Status>)
        .transpose()?;
    let class = args
        .class
        .as_deref()
        .map(str::parse::<ClassRef>)
        .transpose()?;
    let service = ctx.service()?;
    let class_id = match &class {
        Some(c) => Some(service.class_id(c).await?),
        None => None,
    };
    let filter = SessionFilter {
        class_id,
        date,
        from,
        to,
        status,
    };
    let names: HashMap<i64, String> = service
        .store()
        .list_classes()
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let store = service.store().clone();
    let identity = match args.format {
        FileFormat::Ics => store.store_identity().await?,
        FileFormat::Csv => String::new(),
    };
    let mut events: Vec<TeachingSession> = Vec::new();
    let mut sequences: HashMap<SessionId, u32> = HashMap::new();
    let mut skipped = 0usize;
    {
        let mut csv_out = match args.format {
            FileFormat::Csv => Some(csv_file::CsvWriter::new(ctx.out.raw())?),
            FileFormat::Ics => None,
        };
        let mut pages = std::pin::pin!(crate::store::pages(store.as_ref(), &filter));
        while let Some(page) = pages.try_next().await? {
            skipped += page.skipped.len();
            // CSV streams page by page; a calendar needs its zones' years first.
            match csv_out.as_mut() {
                Some(w) => {
                    for s in &page.rows {
                        w.write(s, names.get(&s.class_id).map_or("", String::as_str))?;
                    }
                }
                None => {
                    let ids: Vec<SessionId> = page.rows.iter().map(|s| s.id).collect();
                    sequences.extend(store.reschedule_counts(&ids).await?);
                    events.extend(page.rows);
                }
            }
        }
        if let Some(w) = csv_out {
            w.finish()?;
        }
    }
    if args.format == FileFormat::Ics {
        let text = ics::write_calendar(&events, &names, &sequences, &identity);
        std::io::Write::write_all(ctx.out.raw(), text.as_bytes())
            .map_err(|e| Error::io("stdout", e))?;
    }
    ctx.out.flush()?;
    if skipped > 0 {
        return Err(Error::Partial(format!(
            "{} could not be read and left out; run `attctl doctor`",
            crate::output::plural(skipped, "session")
        )));
    }
    Ok(())
}

/// The sessions a bulk close/delete filter selects.
pub(crate) async fn select(
    service: &SessionService,
    ctx: &Context,
    filter: &crate::cli::BulkFilterArgs,
    status: Option<&str>,
) -> Result<Vec<TeachingSession>> {
    let today = ctx.today();
    let parse = |d: &Option<String>| {
        d.as_deref()
            .map(|d| clock::parse_date(d, today))
            .transpose()
    };
    let (from, to) = (parse(&filter.from)?, parse(&filter.to)?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::invalid(format!("--from {f} is after --to {t}")));
    }
    let status = status.map(str::parse::<Status>).transpose()?;
    // A bulk close or delete takes the exact name or id: a near match is only suggested.
    let class_id = match filter
        .class
        .as_deref()
        .map(str::parse::<ClassRef>)
        .transpose()?
    {
        Some(c) => Some(service.class_exact(&c).await?.id),
        None => None,
    };
    service
        .matching(&SessionFilter {
            class_id,
            date: None,
            from,
            to,
            status,
        })
        .await
}

/// Asks on a terminal, naming the sessions as `what` (`2920 sessions of Year 7,
/// 2027-01-04..2027-03-26`); refuses elsewhere without `--yes`.
pub(crate) fn confirm_what(
    ctx: &Context,
    yes: bool,
    verb: &str,
    count: usize,
    what: &str,
) -> Result<()> {
    super::confirm(
        ctx,
        yes || count == 0,
        || {
            format!(
                "refusing to {verb} {} without confirmation: pass --yes",
                crate::output::plural(count, "session")
            )
        },
        &format!("{} {what}? This cannot be undone.", capitalise(verb)),
        || format!("nothing to {verb}: not confirmed"),
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Prints the outcome of a bulk change, with its warnings on stderr: every row, or at a
/// terminal the first few and how many more (`--verbose` lists them all).
pub(crate) fn print_changes(
    ctx: &mut Context,
    changes: &[BulkChange],
    warnings: &[String],
) -> Result<()> {
    for w in warnings {
        ctx.out.warn(w);
    }
    if !ctx.out.brief() || changes.len() <= crate::output::EXAMPLE_ROWS {
        return ctx.out.list(changes);
    }
    ctx.out.list(&changes[..crate::output::EXAMPLE_ROWS])?;
    let more = crate::output::more_rows(changes.len() - crate::output::EXAMPLE_ROWS);
    ctx.out.text(&format!("{more}\n"))
}
