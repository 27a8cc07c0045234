//! `session import` in flat memory: the input is read twice, never held. The first read
//! validates every row (all or nothing: any bad row and nothing is written) keeping only the
//! first [`MAX_ROW_ERRORS`] errors and the class names to create. The second read writes
//! one insert request (or SQLite transaction) per [`INSERT_CHUNK`] rows, and hands each
//! chunk's answer to a [`BulkSink`] that prints it at once.
//!
//! Sessions that exist or overlap (in the store, or earlier in the file) are skipped. They
//! are found in a compact index of `(class, date, start, end)` keys: the store's sessions on
//! the chunk's dates are loaded once per date range, and the file's rows added as accepted.
//! When the file's dates never go back (exports and timetables are in date order), keys of
//! dates before the current chunk are dropped, so memory stays flat however long the file;
//! an unordered file keeps one 16-byte key per row.
//!
//! Two chunks can be in the store at once: the next is sent while the database writes one,
//! unless a class has rows on the same day in both (then the store's answer to the second
//! depends on the first, and it waits). Answers are handled in file order.
//!
//! Each chunk commits on its own. If the connection dies, the chunks before the one that
//! failed are written (and the one after it may be: it is reported if so) and the command
//! fails; running the same import again is safe, because rows that exist are skipped
//! (`exists`) and only the rest is written.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

use super::SessionService;
use super::bulk::{BulkOutcome, Created, MAX_ROW_ERRORS, SkipReason, Skipped};
use crate::calendar::{ImportRow, RowError};
use crate::clock;
use crate::error::{Error, Result};
use crate::session::{ClassId, ClassRef, ClosedHistory, NewSession, Status};
use crate::store::{INSERT_CHUNK, ImportAnswer, SessionFilter, pages};
use futures::TryStreamExt as _;

/// Where the outcome of a streaming import goes, chunk by chunk.
pub trait BulkSink {
    fn created(&mut self, rows: Vec<Created>) -> Result<()>;
    fn skipped(&mut self, row: Skipped) -> Result<()>;
}

/// Collects everything: for small imports and tests.
impl BulkSink for BulkOutcome {
    fn created(&mut self, rows: Vec<Created>) -> Result<()> {
        self.created.extend(rows);
        Ok(())
    }
    fn skipped(&mut self, row: Skipped) -> Result<()> {
        self.skipped.push(row);
        Ok(())
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `--class`: every row goes to this class.
    pub class: Option<ClassRef>,
    /// The zone of rows that name none.
    pub zone: Tz,
    /// The input's name in messages.
    pub source: String,
    pub dry_run: bool,
    /// Open rows on a holiday are skipped (`holiday`); rows carrying a Closed history never.
    pub skip_holidays: bool,
    pub now: DateTime<Utc>,
    /// `--type` of every imported session (see [`crate::service::CreateOptions`]).
    pub session_type: Option<String>,
}

/// The class of a row: known, or created by this import (an index in the names to create).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Known(ClassId),
    Pending(usize),
}

/// Turns rows into sessions: zones parsed and classes looked up once each.
struct Resolver<'s> {
    service: &'s SessionService,
    forced: Option<ClassId>,
    zone: Tz,
    session_type: Option<String>,
    zones: HashMap<String, Tz>,
    names: HashMap<String, Slot>,
    directory: Option<Directory>,
    pending: Vec<String>,
}

/// The classes the store has (those the caller may see), read once: one request per
/// 1,000 classes instead of one per class the file names.
#[derive(Default)]
struct Directory {
    names: HashMap<String, ClassId>,
    ids: HashSet<ClassId>,
}

impl Resolver<'_> {
    async fn directory(&mut self) -> Result<&Directory> {
        if self.directory.is_none() {
            let classes = self.service.store.list_classes().await?;
            let mut directory = Directory::default();
            for c in classes {
                directory.ids.insert(c.id);
                directory.names.insert(c.name, c.id);
            }
            self.directory = Some(directory);
        }
        Ok(self.directory.get_or_insert_with(Directory::default))
    }

    /// The session a row stands for, or why it cannot be imported. The outer error is the
    /// store's (lookups of classes).
    async fn resolve(
        &mut self,
        row: ImportRow,
    ) -> Result<std::result::Result<(Slot, NewSession), RowError>> {
        let line = row.line;
        let bad = |reason: String| Ok(Err(RowError { line, reason }));
        let zone = match &row.timezone {
            None => self.zone,
            Some(name) => match self.zones.get(name) {
                Some(z) => *z,
                None => match clock::parse_zone(name) {
                    Ok(z) => {
                        self.zones.insert(name.clone(), z);
                        z
                    }
                    Err(e) => return bad(e.to_string()),
                },
            },
        };
        let times = match clock::session_times(row.session_date, row.start_time, row.end_time, zone)
        {
            Ok(t) => t,
            Err(e) => return bad(e.to_string()),
        };
        let slot = match (self.forced, &row.class) {
            (Some(id), _) => Slot::Known(id),
            (None, Some(ClassRef::Id(id))) => {
                if !self.directory().await?.ids.contains(id) {
                    return bad(format!(
                        "class {id} does not exist (use class_name, or --class)"
                    ));
                }
                Slot::Known(*id)
            }
            (None, Some(ClassRef::Name(raw))) => {
                // Stored names are NFC and trimmed: look up and create that form.
                let name = match crate::session::validate_class_name(raw) {
                    Ok(n) => n,
                    Err(e) => return bad(e.to_string()),
                };
                match self.names.get(&name) {
                    Some(slot) => *slot,
                    None => {
                        let found = self.directory().await?.names.get(&name).copied();
                        let slot = match found {
                            Some(id) => Slot::Known(id),
                            None => {
                                self.pending.push(name.clone());
                                Slot::Pending(self.pending.len() - 1)
                            }
                        };
                        self.names.insert(name, slot);
                        slot
                    }
                }
            }
            (None, None) => {
                return bad(
                    "no class: add a class_name or class_id column, or pass --class".into(),
                );
            }
        };
        let mut new = times.into_new_session(match slot {
            Slot::Known(id) => id,
            Slot::Pending(_) => 0,
        });
        new.session_type = self.session_type.clone();
        if row.status == Some(Status::Closed) {
            new.closed = Some(ClosedHistory {
                status: Status::Closed,
                closed_at: row.closed_at,
                closed_by: row.closed_by,
            });
        }
        Ok(Ok((slot, new)))
    }
}

/// The sessions a class has, or will have, per day: `(class, date, start, end)` packed in
/// 16 bytes, ordered so that one day of one class is one range.
#[derive(Default)]
struct DayIndex {
    keys: BTreeSet<u128>,
    /// Classes as small numbers (a class id is 64 bits; the key has room for 32).
    classes: HashMap<ClassId, u32>,
    /// Per class, the dates whose stored sessions are in `keys` (one contiguous range).
    loaded: HashMap<ClassId, (NaiveDate, NaiveDate)>,
}

fn seconds(t: NaiveTime) -> u128 {
    u128::from(t.num_seconds_from_midnight())
}

fn day_number(d: NaiveDate) -> u128 {
    // Days from the common era's start: positive for every date a session can have.
    u128::from(d.num_days_from_ce().max(0).unsigned_abs())
}

impl DayIndex {
    fn class(&mut self, class: ClassId) -> u128 {
        let next = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
        u128::from(*self.classes.entry(class).or_insert(next))
    }

    fn day(&mut self, class: ClassId, date: NaiveDate) -> std::ops::RangeInclusive<u128> {
        let prefix = (self.class(class) << 96) | (day_number(date) << 64);
        prefix..=prefix | u128::from(u64::MAX)
    }

    fn insert(&mut self, class: ClassId, date: NaiveDate, start: NaiveTime, end: NaiveTime) {
        let key = *self.day(class, date).start() | (seconds(start) << 32) | seconds(end);
        self.keys.insert(key);
    }

    /// Why a session cannot be added: one starts at the same time, or overlaps it.
    fn conflict(
        &mut self,
        class: ClassId,
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
    ) -> Option<SkipReason> {
        let (start, end) = (seconds(start), seconds(end));
        let mut reason = None;
        let day = self.day(class, date);
        for key in self.keys.range(day) {
            let (s, e) = (
                (key >> 32) & u128::from(u32::MAX),
                key & u128::from(u32::MAX),
            );
            if s == start {
                return Some(SkipReason::Exists);
            }
            if start < e && s < end {
                reason = Some(SkipReason::Overlap);
            }
        }
        reason
    }

    /// Drops the days before `date` (of every class): for files in date order.
    fn forget_before(&mut self, date: NaiveDate) {
        let cutoff = day_number(date);
        self.keys
            .retain(|k| (k >> 64) & u128::from(u32::MAX) >= cutoff);
    }
}

/// The skipped row as reported.
fn skipped(n: &NewSession, reason: SkipReason) -> Skipped {
    Skipped {
        class_id: n.class_id,
        session_date: n.session_date,
        start_time: n.start_time,
        reason,
    }
}

/// Importing into a store that cannot check in the database: its holidays, read once.
#[derive(Default)]
struct ByReads {
    active: bool,
    holidays: Vec<crate::session::Holiday>,
}

/// Chunks sent to the store at once. While the database writes one, the next is already
/// on its way (on Supabase each is a call that holds one database connection busy; locally
/// the file's next rows are read and the last chunk's outcome printed meanwhile). Two keep
/// both of a small server's cores busy without crowding a shared one.
const CHUNKS_IN_FLIGHT: usize = 2;

/// A chunk as sent, with the store's answer.
struct SentChunk {
    keys: Vec<ClassId>,
    rows: Vec<NewSession>,
    answers: Result<Option<Vec<ImportAnswer>>>,
}

type SentChunkFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = SentChunk> + 'a>>;

/// The days of each class a chunk's rows fall on (the next day too for a session crossing
/// midnight, which the store checks against the night before). Two chunks that share none
/// are answered the same whichever the store takes first.
struct ChunkDays(HashSet<(ClassId, NaiveDate)>);

impl ChunkDays {
    fn of(batch: &[(ClassId, NewSession)]) -> Self {
        let mut days = HashSet::with_capacity(batch.len());
        for (class, n) in batch {
            days.insert((*class, n.session_date));
            if n.end_time <= n.start_time
                && let Some(next) = n.session_date.succ_opt()
            {
                days.insert((*class, next));
            }
        }
        ChunkDays(days)
    }

    fn meets(&self, other: &ChunkDays) -> bool {
        !self.0.is_disjoint(&other.0)
    }
}

/// The chunks sent and not yet finished, oldest first; answers come back in that order.
#[derive(Default)]
struct InFlight<'a> {
    chunks: futures::stream::FuturesOrdered<SentChunkFuture<'a>>,
    days: std::collections::VecDeque<ChunkDays>,
}

impl<'a> InFlight<'a> {
    /// Whether the oldest chunk must be finished before `next` is sent: chunks go one at a
    /// time until the store has answered one by itself (a database without the import call
    /// is answered by reads, in order); then too many are out, or one of them has rows on a
    /// day of a class `next` has rows on (the store's answer to `next` depends on what that
    /// one wrote).
    fn must_wait_before(&self, next: &ChunkDays, store_answers: bool) -> bool {
        !self.days.is_empty()
            && (!store_answers
                || self.days.len() >= CHUNKS_IN_FLIGHT
                || self.days.iter().any(|d| d.meets(next)))
    }

    fn push(&mut self, chunk: SentChunkFuture<'a>, days: ChunkDays) {
        self.chunks.push_back(chunk);
        self.days.push_back(days);
    }

    async fn next(&mut self) -> Option<SentChunk> {
        use futures::StreamExt as _;
        let sent = self.chunks.next().await;
        if sent.is_some() {
            self.days.pop_front();
        }
        sent
    }
}

/// What handling chunk answers keeps from one chunk to the next, in file order.
struct Answered<'r> {
    index: DayIndex,
    by_reads: ByReads,
    survey: &'r Survey,
    opts: &'r ImportOptions,
    sink: &'r mut dyn BulkSink,
    warnings: Vec<String>,
}

/// What the first read learnt.
struct Survey {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// The rows' dates never go back.
    in_date_order: bool,
}

impl SessionService {
    /// Imports the rows `open` gives, all or nothing: every row is validated by a first
    /// read; a second read writes them in chunks, each chunk's outcome handed to `sink`.
    /// `open` is called twice and must give the same rows. Returns the warnings.
    pub async fn import_stream<I, F>(
        &self,
        mut open: F,
        opts: &ImportOptions,
        sink: &mut dyn BulkSink,
    ) -> Result<Vec<String>>
    where
        F: FnMut() -> Result<I>,
        I: Iterator<Item = std::result::Result<ImportRow, RowError>>,
    {
        let forced = match &opts.class {
            Some(c) => Some(self.class_id(c).await?),
            None => None,
        };
        let mut resolver = Resolver {
            service: self,
            forced,
            zone: opts.zone,
            session_type: opts.session_type.clone(),
            zones: HashMap::new(),
            names: HashMap::new(),
            directory: None,
            pending: Vec::new(),
        };
        let survey = validate(&mut resolver, open()?, &opts.source).await?;
        let mut warnings = Vec::new();
        // Classes named by the file and missing: created once the whole file is valid. In a
        // dry run they stay placeholders, told apart by a negative number in the index.
        let mut created_classes = Vec::with_capacity(resolver.pending.len());
        for (i, name) in resolver.pending.iter().enumerate() {
            if opts.dry_run {
                created_classes.push(-(i as i64) - 1);
                warnings.push(format!(
                    "class {name:?} does not exist; it would be created"
                ));
            } else {
                let class = match self.store.create_class(name).await {
                    Ok(class) => {
                        warnings.push(format!("created class {name:?} (id {})", class.id));
                        class
                    }
                    // Another import (the same file, run twice at once) created it since the
                    // file was read: it is the class the file means.
                    Err(Error::Conflict(conflict)) => {
                        match self.store.find_class(&ClassRef::Name(name.clone())).await? {
                            Some(class) if class.name == *name => {
                                warnings.push(format!(
                                    "class {name:?} was created meanwhile (id {}), by another \
                                     import or person: its sessions go there",
                                    class.id
                                ));
                                class
                            }
                            _ => return Err(Error::Conflict(conflict)),
                        }
                    }
                    Err(e) => return Err(e),
                };
                created_classes.push(class.id);
            }
        }
        let mut answered = Answered {
            index: DayIndex::default(),
            by_reads: ByReads::default(),
            survey: &survey,
            opts,
            sink,
            warnings,
        };
        // Written Open sessions that had already ended.
        let mut ended_open = 0usize;
        let mut chunk: Vec<(ClassId, NewSession)> = Vec::with_capacity(INSERT_CHUNK);
        let mut in_flight = InFlight::default();
        // The store has answered a chunk itself (it has the import call).
        let mut store_answers = false;
        let mut rows = open()?;
        let outcome: Result<()> = async {
            loop {
                let row = rows.next();
                let more = row.is_some();
                if let Some(row) = row {
                    let resolved = match row {
                        Ok(r) => resolver.resolve(r).await?,
                        Err(e) => Err(e),
                    };
                    let (slot, mut new) = resolved.map_err(|e| {
                        Error::invalid(format!(
                            "{}: {e} (the input changed while it was imported; run the import \
                             again)",
                            opts.source
                        ))
                    })?;
                    let key_class = match slot {
                        Slot::Known(id) => id,
                        Slot::Pending(i) => created_classes.get(i).copied().unwrap_or(0),
                    };
                    if !opts.dry_run {
                        new.class_id = key_class;
                    }
                    chunk.push((key_class, new));
                    if chunk.len() < INSERT_CHUNK {
                        continue;
                    }
                }
                if !chunk.is_empty() {
                    let batch = std::mem::take(&mut chunk);
                    let days = ChunkDays::of(&batch);
                    // The store's answer to a chunk may depend on the rows of the one before
                    // (a class's sessions on the same day): then that one is finished first.
                    while in_flight.must_wait_before(&days, store_answers) {
                        let Some(sent) = in_flight.next().await else {
                            break;
                        };
                        ended_open += self.finish_chunk_answer(sent, &mut answered).await?;
                        store_answers = !answered.by_reads.active;
                    }
                    in_flight.push(self.send_chunk(batch, answered.by_reads.active, opts), days);
                }
                if !more {
                    break;
                }
            }
            Ok(())
        }
        .await;
        // What was sent is finished even after a failure, so that every chunk the store
        // wrote is reported; the first failure is the command's.
        let mut failure = outcome.err();
        while let Some(sent) = in_flight.next().await {
            match self.finish_chunk_answer(sent, &mut answered).await {
                Ok(ended) => ended_open += ended,
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let mut warnings = answered.warnings;
        if ended_open > 0 {
            warnings.push(format!(
                "{} already ended; attctl-worker closes {} at its next sweep",
                crate::output::plural(ended_open, "Open session")
                    + if ended_open == 1 { " has" } else { " have" },
                if ended_open == 1 { "it" } else { "them" }
            ));
        }
        Ok(warnings)
    }

    /// Sends a chunk to the store: checked and written in one request (one transaction), or
    /// in a dry run checked only. A store without that call (or a chunk after one that
    /// found none) is answered `None` and handled by reads in [`Self::finish_chunk_answer`].
    fn send_chunk<'a>(
        &'a self,
        batch: Vec<(ClassId, NewSession)>,
        by_reads: bool,
        opts: &ImportOptions,
    ) -> SentChunkFuture<'a> {
        let (keys, mut rows): (Vec<ClassId>, Vec<NewSession>) = batch.into_iter().unzip();
        if !by_reads && !opts.dry_run {
            for n in rows.iter_mut() {
                if n.closed.is_none() && n.closes_at > opts.now {
                    n.scheduled_task_id = self.scheduler.inline_run_id();
                }
            }
        }
        let (skip_holidays, write) = (opts.skip_holidays, !opts.dry_run);
        Box::pin(async move {
            let answers = if by_reads {
                Ok(None)
            } else {
                self.store
                    .import_sessions(&rows, skip_holidays, write)
                    .await
            };
            SentChunk {
                keys,
                rows,
                answers,
            }
        })
    }

    /// One chunk's answer: what the store wrote handed to the sink and its runs planned,
    /// or in a dry run the rows checked against the file's earlier rows. Returns how many
    /// written Open sessions have already ended.
    async fn finish_chunk_answer(
        &self,
        sent: SentChunk,
        answered: &mut Answered<'_>,
    ) -> Result<usize> {
        let Answered {
            index,
            by_reads,
            survey,
            opts,
            sink,
            warnings,
        } = answered;
        let (survey, opts, sink) = (*survey, *opts, &mut **sink);
        let SentChunk {
            keys,
            rows,
            answers,
        } = sent;
        let answers = answers?;
        let batch = keys.into_iter().zip(rows);
        let Some(answers) = answers else {
            // A database without the import function: read, check here, then insert.
            if !by_reads.active {
                by_reads.active = true;
                by_reads.holidays = match (opts.skip_holidays, survey.first, survey.last) {
                    (true, Some(first), Some(last)) => {
                        self.store.list_holidays(Some(first), Some(last)).await?
                    }
                    _ => Vec::new(),
                };
            }
            let mut kept = Vec::with_capacity(batch.len());
            for (class, mut n) in batch {
                if n.closed.is_none() && by_reads.holidays.iter().any(|h| h.covers(n.session_date))
                {
                    sink.skipped(skipped(&n, SkipReason::Holiday))?;
                    continue;
                }
                n.scheduled_task_id = None;
                kept.push((class, n));
            }
            return self
                .import_chunk_by_reads(kept, index, survey, opts, sink, warnings)
                .await;
        };
        let batch: Vec<(ClassId, NewSession)> = batch.collect();
        // Holidays first, as the rows are read (a chunk's other skips follow), so the answer
        // lists them as it always has.
        for ((_, n), answer) in batch.iter().zip(answers.iter()) {
            if *answer == ImportAnswer::Holiday {
                sink.skipped(skipped(n, SkipReason::Holiday))?;
            }
        }
        if opts.dry_run {
            if survey.in_date_order
                && let Some(first) = batch.iter().map(|(_, n)| n.session_date).min()
            {
                index.forget_before(first);
            }
            // The store answered for itself; the file's earlier rows are checked here, as
            // nothing was written. A same start anywhere is `exists` before any overlap.
            let mut planned = Vec::new();
            for ((class, n), answer) in batch.into_iter().zip(answers) {
                let reason = match answer {
                    ImportAnswer::Holiday => continue,
                    ImportAnswer::Exists => Some(SkipReason::Exists),
                    ImportAnswer::Overlap => Some(
                        match index.conflict(class, n.session_date, n.start_time, n.end_time) {
                            Some(SkipReason::Exists) => SkipReason::Exists,
                            _ => SkipReason::Overlap,
                        },
                    ),
                    ImportAnswer::Free | ImportAnswer::Created(_) => {
                        index.conflict(class, n.session_date, n.start_time, n.end_time)
                    }
                };
                match reason {
                    Some(reason) => sink.skipped(skipped(&n, reason))?,
                    None => {
                        index.insert(class, n.session_date, n.start_time, n.end_time);
                        planned.push(Created::Planned(n));
                    }
                }
            }
            sink.created(planned)?;
            return Ok(0);
        }
        let mut rows = Vec::with_capacity(batch.len());
        for ((_, n), answer) in batch.iter().zip(answers) {
            let reason = match answer {
                ImportAnswer::Created(session) => {
                    rows.push(session);
                    continue;
                }
                ImportAnswer::Holiday => continue,
                // `Free` answers only a check; a write that did not happen is a session
                // another writer committed meanwhile.
                ImportAnswer::Exists | ImportAnswer::Free => SkipReason::Exists,
                ImportAnswer::Overlap => SkipReason::Overlap,
            };
            sink.skipped(skipped(n, reason))?;
        }
        self.finish_chunk(rows, opts, sink, warnings).await
    }

    /// Plans the runs of a chunk's new sessions and hands them to `sink`. Returns how many
    /// Open sessions among them have already ended.
    async fn finish_chunk(
        &self,
        rows: Vec<crate::session::TeachingSession>,
        opts: &ImportOptions,
        sink: &mut dyn BulkSink,
        warnings: &mut Vec<String>,
    ) -> Result<usize> {
        if rows.is_empty() {
            return Ok(0);
        }
        let ended = rows
            .iter()
            .filter(|s| s.is_open() && s.closes_at <= opts.now)
            .count();
        // On a staff machine attctl-worker plans what it sees written (claiming a run here
        // is refused to a signed-in user).
        let rows = if self.scheduler.planned_by_worker() {
            rows
        } else {
            self.plan_runs(rows, opts.now, warnings).await?
        };
        sink.created(rows.into_iter().map(Created::Session).collect())?;
        Ok(ended)
    }

    /// The chunk on a database without `attctl_import_sessions()` (before migration
    /// 20261205130000): the stored sessions of its classes and dates read into the index,
    /// what exists or overlaps skipped, the rest written in one request.
    async fn import_chunk_by_reads(
        &self,
        batch: Vec<(ClassId, NewSession)>,
        index: &mut DayIndex,
        survey: &Survey,
        opts: &ImportOptions,
        sink: &mut dyn BulkSink,
        warnings: &mut Vec<String>,
    ) -> Result<usize> {
        let mut ranges: HashMap<ClassId, (NaiveDate, NaiveDate)> = HashMap::new();
        for (class, n) in &batch {
            let r = ranges
                .entry(*class)
                .or_insert((n.session_date, n.session_date));
            r.0 = r.0.min(n.session_date);
            r.1 = r.1.max(n.session_date);
        }
        if survey.in_date_order
            && let Some(first) = batch.iter().map(|(_, n)| n.session_date).min()
        {
            index.forget_before(first);
        }
        for (class, (from, to)) in ranges {
            if class <= 0 {
                continue; // a class this dry run would create: nothing exists yet
            }
            self.load_days(index, class, from, to).await?;
        }
        let mut accepted = Vec::with_capacity(batch.len());
        for (class, n) in batch {
            match index.conflict(class, n.session_date, n.start_time, n.end_time) {
                Some(reason) => sink.skipped(skipped(&n, reason))?,
                None => {
                    index.insert(class, n.session_date, n.start_time, n.end_time);
                    accepted.push(n);
                }
            }
        }
        if opts.dry_run {
            sink.created(accepted.into_iter().map(Created::Planned).collect())?;
            return Ok(0);
        }
        if accepted.is_empty() {
            return Ok(0);
        }
        for n in accepted.iter_mut() {
            if n.closed.is_none() && n.closes_at > opts.now {
                n.scheduled_task_id = self.scheduler.inline_run_id();
            }
        }
        let rows = self.store.insert_sessions(&accepted).await?;
        if rows.len() < accepted.len() {
            // Written by someone else between our read and our insert.
            let written: HashSet<(ClassId, NaiveDate, NaiveTime)> = rows
                .iter()
                .map(|s| (s.class_id, s.session_date, s.start_time))
                .collect();
            for n in &accepted {
                if !written.contains(&(n.class_id, n.session_date, n.start_time)) {
                    sink.skipped(skipped(n, SkipReason::Exists))?;
                }
            }
        }
        self.finish_chunk(rows, opts, sink, warnings).await
    }

    /// Adds the stored sessions of `class` from `from` to `to` to the index, reading only
    /// the dates not read before.
    async fn load_days(
        &self,
        index: &mut DayIndex,
        class: ClassId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<()> {
        let mut todo = Vec::new();
        match index.loaded.get(&class).copied() {
            None => todo.push((from, to)),
            Some((lo, hi)) => {
                if from < lo {
                    todo.push((from, lo.pred_opt().unwrap_or(lo)));
                }
                if to > hi {
                    todo.push((hi.succ_opt().unwrap_or(hi), to));
                }
            }
        }
        for (from, to) in todo {
            let filter = SessionFilter {
                class_id: Some(class),
                from: Some(from),
                to: Some(to),
                ..Default::default()
            };
            let mut pages = std::pin::pin!(pages(self.store.as_ref(), &filter));
            while let Some(page) = pages.try_next().await? {
                for s in &page.rows {
                    index.insert(class, s.session_date, s.start_time, s.end_time);
                }
            }
            let range = index.loaded.entry(class).or_insert((from, to));
            range.0 = range.0.min(from);
            range.1 = range.1.max(to);
        }
        Ok(())
    }
}

/// The first read: every row resolved, the first errors kept, nothing else held.
async fn validate(
    resolver: &mut Resolver<'_>,
    rows: impl Iterator<Item = std::result::Result<ImportRow, RowError>>,
    source: &str,
) -> Result<Survey> {
    let mut errors: Vec<RowError> = Vec::new();
    let mut bad = 0usize;
    let mut survey = Survey {
        first: None,
        last: None,
        in_date_order: true,
    };
    let mut previous: Option<NaiveDate> = None;
    for row in rows {
        let resolved = match row {
            Ok(r) => resolver.resolve(r).await?,
            Err(e) => Err(e),
        };
        match resolved {
            Ok((_, new)) => {
                let d = new.session_date;
                survey.first = Some(survey.first.map_or(d, |f| f.min(d)));
                survey.last = Some(survey.last.map_or(d, |l| l.max(d)));
                if previous.is_some_and(|p| d < p) {
                    survey.in_date_order = false;
                }
                previous = Some(d);
            }
            Err(e) => {
                bad += 1;
                if errors.len() < MAX_ROW_ERRORS {
                    errors.push(e);
                }
            }
        }
    }
    if bad > 0 {
        let listed: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let more = if bad > errors.len() {
            format!("\n… and {} more", bad - errors.len())
        } else {
            String::new()
        };
        return Err(Error::invalid(format!(
            "{source}: {bad} invalid row{}; nothing was written:\n{}{more}",
            if bad == 1 { "" } else { "s" },
            listed.join("\n")
        )));
    }
    Ok(survey)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn index_finds_same_start_and_overlaps_per_class_and_day() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let next = d.succ_opt().unwrap();
        let mut ix = DayIndex::default();
        ix.insert(7, d, t(9, 0), t(9, 50));
        assert_eq!(
            ix.conflict(7, d, t(9, 0), t(10, 0)),
            Some(SkipReason::Exists)
        );
        assert_eq!(
            ix.conflict(7, d, t(9, 30), t(10, 0)),
            Some(SkipReason::Overlap)
        );
        assert_eq!(ix.conflict(7, d, t(9, 50), t(10, 40)), None);
        assert_eq!(ix.conflict(8, d, t(9, 0), t(9, 50)), None);
        assert_eq!(ix.conflict(7, next, t(9, 0), t(9, 50)), None);
        ix.forget_before(next);
        assert_eq!(ix.conflict(7, d, t(9, 0), t(9, 50)), None);
    }
}
