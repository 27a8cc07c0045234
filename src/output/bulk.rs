//! The answer of `session generate` and `session import`, printed as it comes: created
//! rows at once (NDJSON, a JSON document written incrementally, or table chunks), skipped
//! rows held briefly and then spooled to a temporary file, so that an import of any size
//! prints in bounded memory.
//!
//! For a person at a terminal ([`Output::brief`]) the answer is a summary instead: a few
//! rows of each kind (created, skipped for each reason) and the counts, after a progress
//! bar on stderr ([`BulkProgress`]); `--verbose`, JSON and NDJSON list every row.

use std::io::{self, Write};

use indicatif::ProgressDrawTarget;

use super::*;
use crate::service::bulk::SkipReason;

/// Skipped rows kept in memory before they go to the temporary file.
const SKIPPED_HELD: usize = 4096;
/// Rows of one printed table.
const TABLE_ROWS: usize = 1000;
/// Rows of each kind shown in a summary at a terminal.
pub(crate) const EXAMPLE_ROWS: usize = 3;

/// The answer of an import, printed as it comes. See [`Output::bulk_stream`].
pub struct BulkStream<'a> {
    out: &'a mut Output,
    dry_run: bool,
    created: usize,
    counts: SkipCounts,
    held: Vec<Skipped>,
    /// Skipped rows beyond [`SKIPPED_HELD`], one per line (removed when dropped).
    spool: Option<io::BufWriter<std::fs::File>>,
    table_rows: Vec<[String; 6]>,
    /// A summary rather than every row (see [`Output::brief`]).
    brief: bool,
    /// The first created rows and the first skipped ones of each reason (summary only).
    examples: Vec<(Option<SkipReason>, [String; 6])>,
    progress: BulkProgress,
}

fn spool_error(e: io::Error) -> Error {
    Error::io("a temporary file for the skipped rows", e)
}

impl<'a> BulkStream<'a> {
    pub(super) fn new(out: &'a mut Output, dry_run: bool) -> Self {
        let brief = out.brief();
        let action = if dry_run { "planning" } else { "importing" };
        // Rows arrive as they are written; with --verbose they show the progress themselves.
        let progress = BulkProgress::new(out, None, action, brief);
        BulkStream {
            brief,
            examples: Vec::new(),
            progress,
            out,
            dry_run,
            created: 0,
            counts: SkipCounts::default(),
            held: Vec::new(),
            spool: None,
            table_rows: Vec::new(),
        }
    }

    /// A warning on stderr while the answer goes on.
    pub fn warn(&self, message: &str) {
        self.out.warn(message);
    }

    /// Whether any of the answer was written (or held to be).
    pub fn has_output(&self) -> bool {
        self.created > 0 || self.counts.total() > 0
    }

    fn json_open(&mut self) -> Result<()> {
        let head: &[u8] = match self.out.format {
            OutputFormat::Json => b"{\n  \"created\": [",
            _ => b"{\"created\":[",
        };
        self.out.stdout.write_all(head).map_err(write_error)
    }

    /// One element of an array of the JSON document: pretty and indented two levels, or
    /// compact for NDJSON.
    fn json_element<T: Serialize>(&mut self, value: &T, first: bool) -> Result<()> {
        let text = match self.out.format {
            OutputFormat::Json => {
                let pretty = serde_json::to_string_pretty(value).map_err(json_write_error)?;
                format!(
                    "{}\n    {}",
                    if first { "" } else { "," },
                    pretty.replace('\n', "\n    ")
                )
            }
            _ => {
                let compact = serde_json::to_string(value).map_err(json_write_error)?;
                format!("{}{compact}", if first { "" } else { "," })
            }
        };
        self.out
            .stdout
            .write_all(text.as_bytes())
            .map_err(write_error)
    }

    fn json_close_array(&mut self, empty: bool) -> Result<()> {
        let end: &[u8] = match (self.out.format, empty) {
            (OutputFormat::Json, false) => b"\n  ]",
            _ => b"]",
        };
        self.out.stdout.write_all(end).map_err(write_error)
    }

    fn flush_table(&mut self) -> Result<()> {
        if self.table_rows.is_empty() {
            return Ok(());
        }
        let mut table = self.out.table();
        table.set_header(vec!["", "CLASS", "DATE", "START", "END", "NOTE"]);
        for row in self.table_rows.drain(..) {
            table.add_row(row.iter().map(Cell::new));
        }
        let text = table.to_string();
        self.out.line(&text)
    }

    fn skipped_cells(s: &Skipped) -> [String; 6] {
        [
            "- skipped".into(),
            s.class_id.to_string(),
            format!("{} {}", s.session_date, s.session_date.format("%a")),
            s.start_time.format("%H:%M").to_string(),
            String::new(),
            s.reason.as_str().into(),
        ]
    }

    /// Sessions created (or planned), printed now.
    pub fn created(&mut self, rows: Vec<Created>) -> Result<()> {
        for c in &rows {
            match self.out.format {
                OutputFormat::Table => {
                    if self.brief && self.created >= EXAMPLE_ROWS {
                        self.created += 1;
                        continue;
                    }
                    let (date, start, end) = c.date_and_times();
                    let row = [
                        if self.dry_run { "+ plan" } else { "+ created" }.into(),
                        c.class_id().to_string(),
                        format!("{date} {}", date.format("%a")),
                        start.format("%H:%M").to_string(),
                        end.format("%H:%M").to_string(),
                        match c {
                            Created::Session(s) => format!("id {}", s.id),
                            Created::Planned(_) => String::new(),
                        },
                    ];
                    if self.brief {
                        self.examples.push((None, row));
                        self.created += 1;
                        continue;
                    }
                    self.table_rows.push(row);
                    if self.table_rows.len() >= TABLE_ROWS {
                        self.flush_table()?;
                    }
                }
                _ => {
                    if self.created == 0 {
                        self.json_open()?;
                    }
                    self.json_element(c, self.created == 0)?;
                }
            }
            self.created += 1;
        }
        self.progress.inc(rows.len());
        self.out.flush()
    }

    /// A row skipped, printed at the end (after the created ones in JSON).
    pub fn skipped(&mut self, row: Skipped) -> Result<()> {
        self.counts.add(row.reason);
        self.progress.inc(1);
        if self.brief {
            let shown = self
                .examples
                .iter()
                .filter(|(r, _)| *r == Some(row.reason))
                .count();
            if shown < EXAMPLE_ROWS {
                self.examples
                    .push((Some(row.reason), Self::skipped_cells(&row)));
            }
            return Ok(());
        }
        if self.out.format == OutputFormat::Table {
            self.table_rows.push(Self::skipped_cells(&row));
            if self.table_rows.len() >= TABLE_ROWS {
                self.flush_table()?;
            }
            return Ok(());
        }
        self.held.push(row);
        if self.held.len() >= SKIPPED_HELD {
            let spool = match self.spool.as_mut() {
                Some(s) => s,
                None => self.spool.insert(io::BufWriter::new(
                    tempfile::tempfile().map_err(spool_error)?,
                )),
            };
            for s in self.held.drain(..) {
                writeln!(
                    spool,
                    "{}\t{}\t{}\t{}",
                    s.class_id,
                    s.session_date,
                    s.start_time.format("%H:%M:%S"),
                    s.reason.as_str()
                )
                .map_err(spool_error)?;
            }
        }
        Ok(())
    }

    /// Ends the answer: the skipped rows, the warnings and (for people) the summary.
    pub fn finish(mut self, warnings: &[String]) -> Result<()> {
        self.progress.finish();
        if self.brief {
            // Created first, then each reason in the order it first came.
            let mut order: Vec<Option<SkipReason>> = vec![None];
            for (reason, _) in &self.examples {
                if !order.contains(reason) {
                    order.push(*reason);
                }
            }
            for kind in order {
                let rows: Vec<[String; 6]> = self
                    .examples
                    .iter()
                    .filter(|(r, _)| *r == kind)
                    .map(|(_, row)| row.clone())
                    .collect();
                self.table_rows.extend(rows);
            }
            let shown = self.table_rows.len();
            self.flush_table()?;
            let total = self.created + self.counts.total();
            if total > shown {
                let line = more_rows(total - shown);
                self.out.line(&line)?;
            }
        }
        if self.out.format == OutputFormat::Table {
            self.flush_table()?;
            let line = summary_line(self.created, &self.counts, self.dry_run);
            self.out.line(&line)?;
            return self.out.flush();
        }
        if self.created == 0 {
            self.json_open()?;
        }
        self.json_close_array(self.created == 0)?;
        let key: &[u8] = match self.out.format {
            OutputFormat::Json => b",\n  \"skipped\": [",
            _ => b",\"skipped\":[",
        };
        self.out.stdout.write_all(key).map_err(write_error)?;
        let mut first = true;
        if let Some(spool) = self.spool.take() {
            let mut file = spool
                .into_inner()
                .map_err(|e| spool_error(e.into_error()))?;
            io::Seek::seek(&mut file, io::SeekFrom::Start(0)).map_err(spool_error)?;
            for line in io::BufRead::lines(io::BufReader::new(file)) {
                let line = line.map_err(spool_error)?;
                let s = Skipped::from_spool(&line).ok_or_else(|| {
                    Error::Backend("the temporary file of skipped rows was changed".into())
                })?;
                self.json_element(&s, first)?;
                first = false;
            }
        }
        for s in std::mem::take(&mut self.held) {
            self.json_element(&s, first)?;
            first = false;
        }
        self.json_close_array(first)?;
        let key: &[u8] = match self.out.format {
            OutputFormat::Json => b",\n  \"warnings\": [",
            _ => b",\"warnings\":[",
        };
        self.out.stdout.write_all(key).map_err(write_error)?;
        for (i, w) in warnings.iter().enumerate() {
            self.json_element(w, i == 0)?;
        }
        self.json_close_array(warnings.is_empty())?;
        let end: &[u8] = match self.out.format {
            OutputFormat::Json => b"\n}\n",
            _ => b"}\n",
        };
        self.out.stdout.write_all(end).map_err(write_error)?;
        self.out.flush()
    }
}

impl crate::service::import::BulkSink for BulkStream<'_> {
    fn created(&mut self, rows: Vec<Created>) -> Result<()> {
        BulkStream::created(self, rows)
    }
    fn skipped(&mut self, row: Skipped) -> Result<()> {
        BulkStream::skipped(self, row)
    }
}

/// The line under a summary's rows: `… 210 more rows not shown (…)`.
pub(crate) fn more_rows(n: usize) -> String {
    let rows = if n == 1 { "row" } else { "rows" };
    format!("… {n} more {rows} not shown (--verbose or -o json lists every row)")
}

/// A progress bar on stderr for bulk work, for people at a terminal only (never with JSON,
/// `--verbose` rows or a pipe): shown at once past [`super::PROGRESS_MIN_ITEMS`] items, and
/// for shorter or uncounted work once it has taken [`super::PROGRESS_AFTER`], so a quick
/// one leaves no trace. Work whose steps happen inside one service call (a generate, a
/// delete by filter) shows a spinner naming it; an import counts its rows as they come.
pub(crate) struct BulkProgress {
    bar: indicatif::ProgressBar,
    /// Tells the thread that would show the bar later that the work is over.
    done: Option<std::sync::mpsc::Sender<()>>,
}

impl BulkProgress {
    /// `total`: the items of the work when known beforehand (sessions to delete), `None` for
    /// an import (counted as its rows come). `allowed`: the caller's own condition (a
    /// summary rather than every row).
    pub(crate) fn new(out: &Output, total: Option<usize>, action: &str, allowed: bool) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let template = match total {
            Some(_) => "{spinner} {msg} ({elapsed})",
            None => "{spinner} {msg}: {human_pos} rows ({elapsed})",
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(match total {
            Some(n) => format!("{action} {}", plural(n, "session")),
            None => action.to_string(),
        });
        let mut progress = BulkProgress { bar, done: None };
        if !(allowed && out.progress_allowed()) {
            return progress;
        }
        progress
            .bar
            .enable_steady_tick(std::time::Duration::from_millis(120));
        if total.is_some_and(|n| n > super::PROGRESS_MIN_ITEMS) {
            progress.bar.set_draw_target(ProgressDrawTarget::stderr());
            progress.bar.tick();
            return progress;
        }
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let bar = progress.bar.clone();
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                finished.recv_timeout(super::PROGRESS_AFTER)
            {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.tick();
            }
        });
        progress.done = Some(done);
        progress
    }

    pub(crate) fn inc(&self, n: usize) {
        self.bar.inc(n as u64);
    }

    /// Clears the bar (before the answer is printed).
    pub(crate) fn finish(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for BulkProgress {
    fn drop(&mut self) {
        self.finish();
    }
}
