//! `attctl session …`: create, list, show, close, delete, reschedule.

use chrono::Utc;

use super::{Context, prompt_error};
use crate::cli::{CloseArgs, CreateArgs, DeleteArgs, ListArgs, RescheduleArgs, SessionCommand};
use crate::clock;
use crate::error::{Error, Result};
use crate::service::dry_run::{Plan as DryRunPlan, dry_run};
use crate::service::{CreateOptions, Reschedule, SessionService};
use crate::session::{ClassRef, SessionId, Status, parse_id};
use crate::store::{Cursor, PAGE_SIZE, SessionFilter, SkippedRow};

pub(crate) async fn run(cmd: SessionCommand, ctx: &mut Context) -> Result<()> {
    match cmd {
        SessionCommand::Create(args) => create(args, ctx).await,
        SessionCommand::List(args) => list(args, ctx).await,
        SessionCommand::Show { id } => {
            let id = parse_id(&id, "session")?;
            let service = ctx.service()?;
            let session = service.show(id).await?;
            // People see the class's name; the JSON stays the stored session.
            if ctx.out.format() == crate::cli::OutputFormat::Table {
                let class_name = class_name_of(&service, session.class_id).await;
                ctx.out.detail(&ListedSession {
                    session,
                    class_name,
                })
            } else {
                ctx.out.detail(&session)
            }
        }
        SessionCommand::Close(args) => close(args, ctx).await,
        SessionCommand::Delete(args) => delete(args, ctx).await,
        SessionCommand::Reschedule(args) => reschedule(args, ctx).await,
        SessionCommand::Generate(args) => super::timetable::generate(args, ctx).await,
        SessionCommand::Import(args) => super::timetable::import(args, ctx).await,
        SessionCommand::Export(args) => super::timetable::export(args, ctx).await,
    }
}

fn parse_ids(raw: &[String]) -> Result<Vec<SessionId>> {
    // Accept "1 2 3" and "1,2,3" alike; every piece must be a valid id.
    raw.iter()
        .flat_map(|r| r.split(','))
        .map(|s| parse_id(s, "session"))
        .collect()
}

/// Fills in what the user left out: prompts on a terminal, an error elsewhere.
async fn complete_create_args(
    args: &CreateArgs,
    ctx: &Context,
    service: &SessionService,
    zone: chrono_tz::Tz,
) -> Result<(ClassRef, String, String, String)> {
    let missing: Vec<&str> = [
        ("--class", args.class.is_none()),
        ("--date", args.date.is_none()),
        ("--start", args.start.is_none()),
        ("--end", args.end.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() && !ctx.out.interactive() {
        return Err(Error::invalid(format!(
            "missing {} (prompts need a terminal)",
            missing.join(", ")
        )));
    }
    let class = match &args.class {
        Some(c) => c.parse::<ClassRef>()?,
        None => {
            let mut classes = service.store().list_classes().await?;
            classes.sort_by(|a, b| crate::session::natural_cmp(&a.name, &b.name));
            if classes.is_empty() {
                return Err(Error::invalid(
                    "no classes yet: create one with `attctl class create --name NAME`",
                ));
            }
            let labels: Vec<String> = classes
                .iter()
                .map(|c| format!("{} — {}", c.id, c.name))
                .collect();
            let picked = inquire::Select::new("Class:", labels.clone())
                .prompt()
                .map_err(prompt_error)?;
            let index = labels.iter().position(|l| *l == picked).unwrap_or(0);
            ClassRef::Id(classes[index].id)
        }
    };
    let today = ctx.today();
    // Checked after each answer rather than by inquire's validator, which leaves the bad
    // text in the field to be deleted by hand: a refused answer asks again from a clean
    // field (with its default), the reason shown beneath.
    let ask = |label: &str, default: Option<&str>, check: &dyn Fn(&str) -> Result<()>| {
        let mut refused: Option<String> = None;
        loop {
            let mut prompt = inquire::Text::new(label);
            if let Some(d) = default {
                prompt = prompt.with_default(d);
            }
            if let Some(why) = &refused {
                prompt = prompt.with_help_message(why);
            }
            let answer = prompt.prompt().map_err(prompt_error)?;
            match check(&answer) {
                Ok(()) => return Ok::<String, Error>(answer),
                Err(e) => refused = Some(e.to_string()),
            }
        }
    };
    let date = match &args.date {
        Some(d) => d.clone(),
        None => ask(
            "Date (YYYY-MM-DD, today, tomorrow, yesterday):",
            Some("today"),
            &|s| clock::parse_date(s, today).map(drop),
        )?,
    };
    if let (Some(start), Some(end)) = (&args.start, &args.end) {
        return Ok((class, date, start.clone(), end.clone()));
    }
    // The times are checked against the class's sessions of that day as they are typed
    // (one read), so a clash is answered at once rather than after the last prompt.
    let day = clock::parse_date(&date, today)?;
    let taken = if args.allow_overlap {
        Vec::new()
    } else {
        sessions_of_day(service, &class, day).await?
    };
    let given_end = args.end.as_deref().map(clock::parse_time).transpose()?;
    let start = match &args.start {
        Some(s) => s.clone(),
        None => ask("Start (H:MM or HH:MM):", None, &|s| {
            let start = clock::parse_time(s)?;
            if let Some(end) = given_end {
                times_fit(day, start, end, zone, &taken)?;
            }
            starts_free(start, &taken)
        })?,
    };
    let start_time = clock::parse_time(&start)?;
    let end = match &args.end {
        Some(e) => e.clone(),
        None => ask("End (H:MM or HH:MM):", None, &|s| {
            times_fit(day, start_time, clock::parse_time(s)?, zone, &taken)
        })?,
    };
    Ok((class, date, start, end))
}

/// The class's sessions of the day as (id, start, end): one read, for the prompts' checks.
/// A class that does not exist has none (the create itself then says so).
async fn sessions_of_day(
    service: &SessionService,
    class: &ClassRef,
    day: chrono::NaiveDate,
) -> Result<Vec<(SessionId, chrono::NaiveTime, chrono::NaiveTime)>> {
    let class_id = match class {
        ClassRef::Id(id) => *id,
        ClassRef::Name(_) => match service.store().find_class(class).await? {
            Some(c) => c.id,
            None => return Ok(Vec::new()),
        },
    };
    let filter = SessionFilter {
        class_id: Some(class_id),
        date: Some(day),
        ..SessionFilter::default()
    };
    let page = service
        .store()
        .list_sessions(&filter, None, PAGE_SIZE, false)
        .await?;
    Ok(page
        .rows
        .iter()
        .map(|s| (s.id, s.start_time, s.end_time))
        .collect())
}

/// A start the class has free: no session of that day starts then or is running then.
fn starts_free(
    start: chrono::NaiveTime,
    taken: &[(SessionId, chrono::NaiveTime, chrono::NaiveTime)],
) -> Result<()> {
    let hm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    if let Some((id, s, e)) = taken.iter().find(|(_, s, e)| *s <= start && start < *e) {
        let what = if *s == start { "starts" } else { "is running" };
        return Err(Error::invalid(format!(
            "session {id} {what} then ({}-{}); pick another start",
            hm(*s),
            hm(*e)
        )));
    }
    Ok(())
}

/// Times that make a session: the end after the start, both real in `zone` that day, and
/// no other session of the class between them (the rule the stores apply).
fn times_fit(
    day: chrono::NaiveDate,
    start: chrono::NaiveTime,
    end: chrono::NaiveTime,
    zone: chrono_tz::Tz,
    taken: &[(SessionId, chrono::NaiveTime, chrono::NaiveTime)],
) -> Result<()> {
    let hm = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    if end <= start {
        return Err(Error::invalid(format!(
            "the end must be after the start ({})",
            hm(start)
        )));
    }
    clock::session_times(day, start, end, zone)?;
    starts_free(start, taken)?;
    if let Some((id, s, e)) = taken.iter().find(|(_, s, e)| *s < end && start < *e) {
        return Err(Error::invalid(format!(
            "overlaps session {id} ({}-{}); end by {} or start later",
            hm(*s),
            hm(*e),
            hm(*s)
        )));
    }
    Ok(())
}

async fn create(args: CreateArgs, ctx: &mut Context) -> Result<()> {
    // Validate what was given before any request, prompts included.
    let today = ctx.today();
    if let Some(c) = &args.class {
        c.parse::<ClassRef>()?;
    }
    let given_date = args
        .date
        .as_deref()
        .map(|d| clock::parse_date(d, today))
        .transpose()?;
    let given_start = args.start.as_deref().map(clock::parse_time).transpose()?;
    let given_end = args.end.as_deref().map(clock::parse_time).transpose()?;
    if let (Some(d), Some(s), Some(e)) = (given_date, given_start, given_end) {
        clock::session_times(d, s, e, ctx.zone())?;
    }

    let service = ctx.service()?;
    let zone = ctx.zone();
    let (class, date, start, end) = complete_create_args(&args, ctx, &service, zone).await?;
    let times = clock::session_times(
        clock::parse_date(&date, today)?,
        clock::parse_time(&start)?,
        clock::parse_time(&end)?,
        zone,
    )?;
    let opts = CreateOptions {
        allow_overlap: args.allow_overlap,
        session_type: args.session_type.clone(),
    };
    if args.dry_run {
        let (recorded, plan) = dry_run(&service);
        recorded
            .create_with(&class, times, Utc::now(), &opts)
            .await?;
        return print_plan(plan, ctx);
    }
    let outcome = service
        .create_with(&class, times, Utc::now(), &opts)
        .await?;
    for w in &outcome.warnings {
        ctx.out.warn(w);
    }
    if args.session_type.is_none()
        && let Some(kind) = &outcome.session.session_type
    {
        ctx.out.note(&format!(
            "session_type {kind:?} filled by the database (the school's default; pass --type \
             or change it with `attctl school set --session-type`)"
        ));
    }
    // People see the class's name; scripts keep the one-request create (JSON unchanged).
    let class_name = if ctx.out.format() == crate::cli::OutputFormat::Table {
        class_name_of(&service, outcome.session.class_id).await
    } else {
        None
    };
    ctx.out.detail(&OutcomeWithClass {
        outcome: &outcome,
        class_name,
    })
}

async fn list(args: ListArgs, ctx: &mut Context) -> Result<()> {
    let today = ctx.today();
    let date = args
        .date
        .as_deref()
        .map(|d| clock::parse_date(d, today))
        .transpose()?;
    let from = args
        .from
        .as_deref()
        .map(|d| clock::parse_date(d, today))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|d| clock::parse_date(d, today))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::invalid(format!("--from {f} is after --to {t}")));
    }
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
    // A person at a table sees today and what is next first; history is asked for with
    // --from, --date or --all (and a status filter keeps its history). JSON, NDJSON and CSV
    // list every session as before: scripts rely on that.
    let upcoming_from = if ctx.out.format() == crate::cli::OutputFormat::Table
        && date.is_none()
        && from.is_none()
        && to.is_none()
        && status.is_none()
        && !args.all
    {
        Some(ctx.today())
    } else {
        None
    };
    let filter = SessionFilter {
        class_id,
        date,
        from: upcoming_from.or(from),
        to,
        status,
    };
    let store = service.store().clone();
    let wanted = if args.all { u64::MAX } else { args.limit };
    // Tables show the class by name; one read of the class list serves every page. It is
    // read beside the first page rather than before it: one round trip less at start-up.
    let first_size = wanted.min(PAGE_SIZE as u64) as usize;
    let (classes, first_page) = futures::try_join!(
        store.list_classes(),
        store.list_sessions(&filter, None, first_size, true)
    )?;
    let mut first_page = Some(first_page);
    let names = classes.into_iter().map(|c| (c.id, c.name)).collect();
    let mut rows = PageWriter {
        stream: ctx.out.stream(),
        names,
        shown: 0,
        skipped: Vec::new(),
    };
    let mut cursor: Option<Cursor> = None;
    let mut fetched: u64 = 0;
    let mut total = None;
    loop {
        let page_size = (wanted - fetched).min(PAGE_SIZE as u64) as usize;
        let page = match first_page.take() {
            Some(page) => page,
            None => {
                store
                    .list_sessions(&filter, cursor.as_ref(), page_size, fetched == 0)
                    .await?
            }
        };
        let first = fetched == 0;
        if first {
            total = page.total;
        }
        let got = page.fetched();
        cursor = page.next.clone();
        let span = first.then(|| page_days(&page)).flatten();
        rows.write(page)?;
        fetched += got as u64;
        if got < page_size || fetched >= wanted || cursor.is_none() {
            break;
        }
        // After a full first page of `--all` on Supabase, the rest is read as disjoint date
        // windows several at a time (printed in order); whatever lies past the last window
        // is then read by this loop, one keyset page after another, as before.
        if let (true, true, Some(total), Some(span), Some(after)) = (
            args.all,
            store.backend() == "supabase" && filter.date.is_none(),
            total,
            span,
            cursor.clone(),
        ) {
            let read = windows(&*store, &filter, after, span, total, &mut rows).await?;
            fetched += read.fetched;
            cursor = read.last.or(cursor);
        }
    }
    let PageWriter {
        stream,
        shown,
        skipped,
        ..
    } = rows;
    let footer = match total {
        Some(t) if t > fetched => Some(format!(
            "showing {shown} of {t} sessions; use --all or --limit to see more"
        )),
        _ => None,
    };
    stream.finish(footer)?;
    if let Some(today) = upcoming_from {
        note_earlier(&*store, &filter, today, ctx).await;
    }
    if skipped.is_empty() {
        Ok(())
    } else {
        Err(Error::Partial(format!(
            "{} could not be read and left out (exit code 7); run `attctl doctor`",
            crate::output::plural(skipped.len(), "session")
        )))
    }
}

/// After a table of today's and later sessions: how many came before, and how to list them.
/// Only a note: a failure to count them does not fail a listing that was shown.
async fn note_earlier(
    store: &dyn crate::store::SessionStore,
    shown: &SessionFilter,
    today: chrono::NaiveDate,
    ctx: &Context,
) {
    // `today` is the first day shown; the note names the first day before it.
    let earlier = SessionFilter {
        from: None,
        to: today.pred_opt(),
        ..shown.clone()
    };
    let Ok(page) = store.list_sessions(&earlier, None, 1, true).await else {
        return;
    };
    let (Some(total), Some(first)) = (page.total, page.rows.first()) else {
        return;
    };
    if total == 0 {
        return;
    }
    ctx.out.note(&format!(
        "from today on; {} before: --from {} or --all lists them",
        crate::output::plural(total as usize, "session"),
        first.session_date
    ));
}

/// Prints pages of `session list` in order: rows with their class names, warnings about
/// rows attctl no longer accepts and about rows it cannot read.
struct PageWriter<'a> {
    stream: crate::output::ListStream<'a, ListedSession>,
    names: std::collections::HashMap<i64, String>,
    shown: u64,
    skipped: Vec<SkippedRow>,
}

impl PageWriter<'_> {
    fn write(&mut self, page: crate::store::SessionPage) -> Result<()> {
        for s in page
            .rows
            .iter()
            .filter(|s| crate::session::is_leap(s.end_time))
        {
            self.stream.warn(&format!(
                "session {} ends at 24:00:00, which attctl no longer accepts: reschedule it \
                 (`attctl session reschedule {} --end 23:59`) or delete it",
                s.id, s.id
            ));
        }
        self.shown += page.rows.len() as u64;
        let rows: Vec<ListedSession> = page
            .rows
            .into_iter()
            .map(|session| ListedSession {
                class_name: self.names.get(&session.class_id).cloned(),
                session,
            })
            .collect();
        self.stream.push(&rows)?;
        for row in &page.skipped {
            self.stream.warn(&format!(
                "left out session {}: it cannot be read ({}); `attctl doctor` names the fix",
                row.id
                    .map_or_else(|| "without an id".to_string(), |id| id.to_string()),
                row.reason
            ));
        }
        self.skipped.extend(page.skipped);
        Ok(())
    }
}

/// Date windows read at once by `session list --all` on Supabase. Each costs PostgREST and
/// PostgreSQL a few milliseconds whatever the client does, so reading several at a time
/// uses the server's cores; four pages in flight keep memory flat.
const WINDOWS_IN_FLIGHT: usize = 4;
/// Rows a window is sized to hold (by the first page's rows per day), below a page so
/// that most windows take one request.
const WINDOW_ROWS: i64 = 800;
/// Windows in a row that came back empty after which the guessing stops (rows deleted
/// since the count); the keyset loop then reads whatever is left.
const EMPTY_WINDOWS_TO_STOP: u32 = 8;

/// Days a window should span, from the dates the first (full) page covers.
fn page_days(page: &crate::store::SessionPage) -> Option<i64> {
    let first = page.rows.first()?.session_date;
    let last = page.rows.last()?.session_date;
    let days = (last - first).num_days() + 1;
    let rows = page.rows.len() as i64;
    Some((days * WINDOW_ROWS / rows.max(1)).max(1))
}

/// What [`windows`] read: rows fetched (read or not) and the cursor after the last one.
struct WindowsRead {
    fetched: u64,
    last: Option<Cursor>,
}

/// Reads the rows after `after` as consecutive date windows of `span` days, up to
/// [`WINDOWS_IN_FLIGHT`] at a time, and writes them in list order. Each window is a keyset
/// range of its own, so the listing keeps the order and consistency of keyset paging
/// (offset pages would shift under concurrent writes); a window holding more than a page
/// is finished one page after another before the next is written. New windows stop once
/// `total` rows are read (the count of the first page) or several came back empty; the
/// caller's keyset loop reads anything past the last window, so the guess only decides
/// speed, never which rows are listed.
async fn windows(
    store: &dyn crate::store::SessionStore,
    filter: &SessionFilter,
    after: Cursor,
    span: i64,
    total: u64,
    rows: &mut PageWriter<'_>,
) -> Result<WindowsRead> {
    use futures::StreamExt;
    use std::cell::Cell;

    let read = Cell::new(rows.shown + rows.skipped.len() as u64);
    let empty_in_a_row = Cell::new(0u32);
    let mut next_from = Some(after.session_date);
    let mut first_cursor = Some(after);
    let plan = std::iter::from_fn(|| {
        if read.get() >= total || empty_in_a_row.get() >= EMPTY_WINDOWS_TO_STOP {
            return None;
        }
        let from = next_from?;
        let to = from.checked_add_signed(chrono::TimeDelta::try_days(span - 1)?)?;
        let to = filter.to.map_or(to, |t| t.min(to));
        if to < from || filter.from.is_some_and(|f| to < f) {
            return None;
        }
        next_from = to.succ_opt();
        let window = SessionFilter {
            from: Some(filter.from.map_or(from, |f| f.max(from))),
            to: Some(to),
            ..filter.clone()
        };
        Some((window, first_cursor.take()))
    });
    let mut pages = futures::stream::iter(plan)
        .map(|(window, cursor)| async move {
            let page = store
                .list_sessions(&window, cursor.as_ref(), PAGE_SIZE, false)
                .await?;
            Ok::<_, Error>((window, page))
        })
        .buffered(WINDOWS_IN_FLIGHT);
    let mut out = WindowsRead {
        fetched: 0,
        last: None,
    };
    while let Some(answer) = pages.next().await {
        let (window, mut page) = answer?;
        empty_in_a_row.set(if page.fetched() == 0 {
            empty_in_a_row.get() + 1
        } else {
            0
        });
        loop {
            let got = page.fetched();
            let next = page.next.clone();
            rows.write(page)?;
            out.fetched += got as u64;
            read.set(read.get() + got as u64);
            if next.is_some() {
                out.last.clone_from(&next);
            }
            match next {
                Some(next) if got == PAGE_SIZE => {
                    page = store
                        .list_sessions(&window, Some(&next), PAGE_SIZE, false)
                        .await?;
                }
                _ => break,
            }
        }
    }
    Ok(out)
}

/// `close`/`delete` by a filter: list on --dry-run, confirm, then one bulk write.
async fn bulk_by_filter(
    ctx: &mut Context,
    filter: &crate::cli::BulkFilterArgs,
    status: Option<&str>,
    dry_run: bool,
    yes: bool,
    delete: bool,
) -> Result<()> {
    use super::timetable;
    let service = ctx.service()?;
    let status = if delete { status } else { Some("Open") };
    let sessions = timetable::select(&service, ctx, filter, status).await?;
    let verb = if delete { "delete" } else { "close" };
    if dry_run {
        ctx.out.list(&sessions)?;
        if !delete {
            let ids: Vec<_> = sessions.iter().map(|s| s.id).collect();
            note_automark(&service, &ids, ctx).await?;
        }
        ctx.out.note(&format!(
            "dry run: {} would be {verb}d; nothing was changed",
            crate::output::plural(sessions.len(), "session")
        ));
        return Ok(());
    }
    if !yes && !sessions.is_empty() {
        // Name what goes: `Delete 2920 sessions of Year 7, 2027-01-04..2027-03-26?`
        let names = class_names(&service).await;
        let classes: std::collections::BTreeSet<String> = sessions
            .iter()
            .map(|s| {
                names.get(&s.class_id).map_or_else(
                    || format!("class {}", s.class_id),
                    |n| crate::output::printable(n).into_owned(),
                )
            })
            .collect();
        let mut classes: Vec<String> = classes.into_iter().collect();
        classes.sort_by(|a, b| crate::session::natural_cmp(a, b));
        if classes.len() > 3 {
            let more = classes.len() - 3;
            classes.truncate(3);
            classes.push(format!("{more} more"));
        }
        let first = sessions.iter().map(|s| s.session_date).min();
        let last = sessions.iter().map(|s| s.session_date).max();
        let range = match (first, last) {
            (Some(f), Some(l)) if f == l => format!(", {f}"),
            (Some(f), Some(l)) => format!(", {f}..{l}"),
            _ => String::new(),
        };
        let what = format!(
            "{} of {}{range}",
            crate::output::plural(sessions.len(), "session"),
            classes.join(", ")
        );
        timetable::confirm_what(ctx, yes, verb, sessions.len(), &what)?;
    }
    let mut warnings = Vec::new();
    let mut progress = crate::output::BulkProgress::new(
        &ctx.out,
        Some(sessions.len()),
        if delete { "deleting" } else { "closing" },
        ctx.out.brief(),
    );
    let changes = if delete {
        service.delete_many(&sessions, &mut warnings).await
    } else {
        service
            .close_many(&sessions, Utc::now(), &mut warnings)
            .await
    };
    progress.finish();
    let changes = changes?;
    timetable::print_changes(ctx, &changes, &warnings)?;
    ctx.out.note(&format!(
        "{} {verb}d",
        crate::output::plural(changes.len(), "session")
    ));
    Ok(())
}

async fn close(args: CloseArgs, ctx: &mut Context) -> Result<()> {
    if args.ids.is_empty() {
        return bulk_by_filter(ctx, &args.filter, None, args.dry_run, args.yes, false).await;
    }
    let ids = parse_ids(&args.ids)?;
    let service = ctx.service()?;
    if args.dry_run {
        let (recorded, plan) = dry_run(&service);
        recorded
            .close(&ids, args.strict, Utc::now(), &|| {})
            .await?;
        note_automark(&service, &ids, ctx).await?;
        return print_plan(plan, ctx);
    }
    let bar = ctx.out.progress(ids.len(), "closing");
    let results = service
        .close(&ids, args.strict, Utc::now(), &|| bar.inc(1))
        .await;
    bar.finish_and_clear();
    let results = results?;
    // A table's OUTCOME column already says "already closed": a stderr line per id would
    // say it twice. JSON readers get the note, as the outcome field is easy to overlook.
    let note_closed = ctx.out.format() != crate::cli::OutputFormat::Table;
    for r in &results {
        for w in &r.warnings {
            ctx.out.warn(w);
        }
        if note_closed && r.outcome == crate::service::CloseOutcome::AlreadyClosed {
            ctx.out
                .note(&format!("session {} was already closed", r.id));
        }
    }
    ctx.out.list(&results)
}

async fn delete(args: DeleteArgs, ctx: &mut Context) -> Result<()> {
    if args.ids.is_empty() {
        return bulk_by_filter(
            ctx,
            &args.filter,
            args.status.as_deref(),
            args.dry_run,
            args.yes,
            true,
        )
        .await;
    }
    let ids = parse_ids(&args.ids)?;
    if !args.yes && !args.dry_run && !ctx.out.interactive() {
        return Err(Error::invalid(
            "refusing to delete without confirmation: pass --yes",
        ));
    }
    let service = ctx.service()?;
    let sessions = service.existing(&ids).await?;
    if args.dry_run {
        let (recorded, plan) = dry_run(&service);
        recorded.delete(&ids, &|| {}).await?;
        return print_plan(plan, ctx);
    }
    if !args.yes {
        let listed: Vec<String> = sessions
            .iter()
            .map(|s| {
                format!(
                    "{} ({} {})",
                    s.id,
                    s.session_date,
                    s.start_time.format("%H:%M")
                )
            })
            .collect();
        let question = format!(
            "Delete {} session{}: {}? This cannot be undone.",
            sessions.len(),
            if sessions.len() == 1 { "" } else { "s" },
            listed.join(", ")
        );
        let yes = inquire::Confirm::new(&question)
            .with_default(false)
            .prompt()
            .map_err(prompt_error)?;
        if !yes {
            // Declining is an answer, not a failure: scripts see exit 0.
            ctx.out.note("nothing deleted");
            return Ok(());
        }
    }
    let bar = ctx.out.progress(ids.len(), "deleting");
    let results = service.delete(&ids, &|| bar.inc(1)).await;
    bar.finish_and_clear();
    let results = results?;
    for r in &results {
        for w in &r.warnings {
            ctx.out.warn(w);
        }
    }
    let names = class_names(&service).await;
    let rows: Vec<DeletedRow> = results
        .into_iter()
        .map(|result| DeletedRow {
            class_name: names.get(&result.session.class_id).cloned(),
            result,
        })
        .collect();
    ctx.out.list(&rows)
}

async fn reschedule(args: RescheduleArgs, ctx: &mut Context) -> Result<()> {
    let id = parse_id(&args.id, "session")?;
    let today = ctx.today();
    let change = Reschedule {
        date: args
            .date
            .as_deref()
            .map(|d| clock::parse_date(d, today))
            .transpose()?,
        start: args.start.as_deref().map(clock::parse_time).transpose()?,
        end: args.end.as_deref().map(clock::parse_time).transpose()?,
        reopen: args.reopen,
    };
    if change.date.is_none() && change.start.is_none() && change.end.is_none() {
        return Err(Error::invalid(
            "nothing to change: give --date, --start and/or --end",
        ));
    }
    let service = ctx.service()?;
    if args.dry_run {
        let (recorded, plan) = dry_run(&service);
        recorded.reschedule(id, &change, Utc::now()).await?;
        // People read the change (`09:00 → 09:30`); the requests are for -o wide and JSON.
        if ctx.out.format() == crate::cli::OutputFormat::Table && !ctx.out.wide() {
            let before = service.show(id).await?;
            let after = change.times_for(&before)?;
            let class_name = class_name_of(&service, before.class_id).await;
            ctx.out.detail(&RescheduleShown::new(
                &before,
                &after,
                args.reopen,
                class_name.as_deref(),
                &ctx.out.style(),
            ))?;
            ctx.out
                .note("dry run: nothing was changed; -o wide or -o json shows the requests");
            return Ok(());
        }
        return print_plan(plan, ctx);
    }
    let outcome = service.reschedule(id, &change, Utc::now()).await?;
    for w in &outcome.warnings {
        ctx.out.warn(w);
    }
    // People see the class's name; scripts keep the one-request create (JSON unchanged).
    let class_name = if ctx.out.format() == crate::cli::OutputFormat::Table {
        class_name_of(&service, outcome.session.class_id).await
    } else {
        None
    };
    ctx.out.detail(&OutcomeWithClass {
        outcome: &outcome,
        class_name,
    })
}

/// What `session reschedule --dry-run` would change, field by field: `start  09:00 → 09:30`.
#[derive(Debug, serde::Serialize)]
struct RescheduleShown {
    fields: Vec<(&'static str, String)>,
}

impl RescheduleShown {
    fn new(
        before: &crate::session::TeachingSession,
        after: &crate::session::SessionTimes,
        reopen: bool,
        class_name: Option<&str>,
        style: &crate::output::Style,
    ) -> Self {
        use crate::output::human::wall_time;
        let change = |old: String, new: String| {
            if old == new {
                format!("{old} (unchanged)")
            } else {
                format!("{old} → {new}")
            }
        };
        let zone = before.timezone.parse().ok();
        let session = match class_name {
            Some(name) => format!("{} ({})", before.id, crate::output::printable(name)),
            None => format!("{} (class {})", before.id, before.class_id),
        };
        let status_after = if reopen { Status::Open } else { before.status };
        RescheduleShown {
            fields: vec![
                ("session", session),
                (
                    "date",
                    change(
                        before.session_date.to_string(),
                        after.session_date.to_string(),
                    ),
                ),
                (
                    "start",
                    change(wall_time(before.start_time), wall_time(after.start_time)),
                ),
                (
                    "end",
                    change(wall_time(before.end_time), wall_time(after.end_time)),
                ),
                (
                    "closes at",
                    change(
                        style.instant(before.closes_at, zone),
                        style.instant(after.closes_at, zone),
                    ),
                ),
                (
                    "status",
                    change(
                        before.status.as_str().to_string(),
                        status_after.as_str().to_string(),
                    ),
                ),
            ],
        }
    }
}

impl crate::output::Detail for RescheduleShown {
    fn fields(&self, _style: &crate::output::Style) -> Vec<(&'static str, comfy_table::Cell)> {
        self.fields
            .iter()
            .map(|(name, value)| (*name, comfy_table::Cell::new(value)))
            .collect()
    }
}

/// `close --dry-run` with automark on: how many students the close would mark absent (the
/// closing trigger does it, so no step of the plan shows it).
async fn note_automark(
    service: &SessionService,
    ids: &[crate::session::SessionId],
    ctx: &mut Context,
) -> Result<()> {
    if !ctx.settings.registers.automark_absent {
        return Ok(());
    }
    for p in service.store().automark_preview(ids).await? {
        ctx.out.note(&format!(
            "dry run: automark would mark {} student(s) absent in session {}",
            p.would_mark, p.session_id
        ));
    }
    Ok(())
}

/// Prints what a `--dry-run` recorded: the requests the command would send, in order.
fn print_plan(plan: DryRunPlan, ctx: &mut Context) -> Result<()> {
    let steps = plan.steps();
    if steps.is_empty() {
        ctx.out.note("dry run: nothing would change");
    }
    ctx.out.list(&steps)?;
    ctx.out.note("dry run: nothing was changed");
    Ok(())
}

/// The name of class `id`, for people reading a table; `None` when it cannot be read (the
/// id is shown instead: a name is never worth failing a command that has done its work).
async fn class_name_of(service: &SessionService, id: crate::session::ClassId) -> Option<String> {
    match service
        .store()
        .find_class(&crate::session::ClassRef::Id(id))
        .await
    {
        Ok(found) => found.map(|c| c.name),
        Err(_) => None,
    }
}

/// The session with its class's name, as `create` and `reschedule` print it in a table
/// (their JSON is left as it is: `class_name` is only filled for tables).
#[derive(Debug, serde::Serialize)]
pub(crate) struct OutcomeWithClass<'a> {
    #[serde(flatten)]
    pub outcome: &'a crate::service::SessionOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
}

impl crate::output::Detail for OutcomeWithClass<'_> {
    fn fields(&self, style: &crate::output::Style) -> Vec<(&'static str, comfy_table::Cell)> {
        with_class_name(
            self.outcome.session.fields(style),
            self.class_name.as_deref(),
        )
    }
    fn table_fields(&self, style: &crate::output::Style) -> Vec<(&'static str, comfy_table::Cell)> {
        with_class_name(
            self.outcome.session.table_fields(style),
            self.class_name.as_deref(),
        )
    }
}

impl crate::output::Detail for ListedSession {
    fn fields(&self, style: &crate::output::Style) -> Vec<(&'static str, comfy_table::Cell)> {
        with_class_name(self.session.fields(style), self.class_name.as_deref())
    }
    fn table_fields(&self, style: &crate::output::Style) -> Vec<(&'static str, comfy_table::Cell)> {
        with_class_name(self.session.table_fields(style), self.class_name.as_deref())
    }
}

/// A detail view's fields with a `class` line (the name) after `class_id`.
fn with_class_name(
    mut fields: Vec<(&'static str, comfy_table::Cell)>,
    name: Option<&str>,
) -> Vec<(&'static str, comfy_table::Cell)> {
    if let Some(name) = name {
        let at = fields
            .iter()
            .position(|(k, _)| *k == "class_id")
            .map_or(fields.len(), |i| i + 1);
        fields.insert(at, ("class", comfy_table::Cell::new(name)));
    }
    fields
}

/// Every class's name by id, in one request; empty when the classes cannot be read.
async fn class_names(
    service: &SessionService,
) -> std::collections::HashMap<crate::session::ClassId, String> {
    service
        .store()
        .list_classes()
        .await
        .map(|classes| classes.into_iter().map(|c| (c.id, c.name)).collect())
        .unwrap_or_default()
}

/// A row of `session delete`: the result, plus the class's name (JSON gains `class_name`).
#[derive(Debug, serde::Serialize)]
pub(crate) struct DeletedRow {
    #[serde(flatten)]
    pub result: crate::service::DeleteResult,
    pub class_name: Option<String>,
}

impl crate::output::Row for DeletedRow {
    fn headers() -> &'static [&'static str] {
        <crate::service::DeleteResult as crate::output::Row>::headers()
    }
    fn cells(&self, style: &crate::output::Style) -> Vec<comfy_table::Cell> {
        // Column 2 is CLASS (see the headers): the name instead of the id.
        let mut cells = crate::output::Row::cells(&self.result, style);
        if let (Some(name), Some(cell)) = (&self.class_name, cells.get_mut(2)) {
            *cell = comfy_table::Cell::new(name);
        }
        cells
    }
}

/// A row of `session list`: the session as stored, plus its class's name (JSON gains
/// `class_name`; every stored field keeps its name and place).
#[derive(Debug, serde::Serialize)]
pub(crate) struct ListedSession {
    #[serde(flatten)]
    pub session: crate::session::TeachingSession,
    pub class_name: Option<String>,
}

impl crate::output::Row for ListedSession {
    fn headers() -> &'static [&'static str] {
        <crate::session::TeachingSession as crate::output::Row>::headers()
    }
    fn cells(&self, style: &crate::output::Style) -> Vec<comfy_table::Cell> {
        // Column 1 is CLASS (see the headers): the name instead of the id.
        let mut cells = crate::output::Row::cells(&self.session, style);
        if let (Some(name), Some(cell)) = (&self.class_name, cells.get_mut(1)) {
            *cell = comfy_table::Cell::new(name);
        }
        cells
    }
    fn columns(style: &crate::output::Style) -> Vec<crate::output::Column> {
        <crate::session::TeachingSession as crate::output::Row>::columns(style)
    }
    fn table_cells(&self, style: &crate::output::Style) -> Vec<comfy_table::Cell> {
        // Column 1 is CLASS here too; a name from the dashboard may hold anything.
        let mut cells = crate::output::Row::table_cells(&self.session, style);
        if let (Some(name), Some(cell)) = (&self.class_name, cells.get_mut(1)) {
            *cell = comfy_table::Cell::new(crate::output::printable(name));
        }
        cells
    }
}
