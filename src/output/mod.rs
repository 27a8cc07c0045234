//! The one place that prints command results: table, JSON or NDJSON on stdout; warnings
//! and notes on stderr. Commands hand it data; it decides the shape.
//!
//! Tables appear only on a terminal unless asked for; colour follows `--color`, `NO_COLOR`,
//! `CLICOLOR` and `CLICOLOR_FORCE`. JSON field names come from the serde types and are a
//! contract with scripts.

use std::io::{self, IsTerminal, Write};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use comfy_table::{Cell, Color};
use serde::Serialize;

use crate::cli::{ColorChoice, OutputFormat};
use crate::error::{Error, Result};
use crate::service::bulk::{BulkChange, BulkOutcome, Created, SkipCounts, Skipped, summary_line};
use crate::service::{CloseOutcome, CloseResult, DeleteResult, SessionOutcome};
use crate::session::{Class, Holiday, Status, TeachingSession};

mod bulk;
pub(crate) mod csv;
pub(crate) mod human;
pub(crate) mod report;
pub(crate) mod table;
pub(crate) use bulk::{BulkProgress, BulkStream, EXAMPLE_ROWS, more_rows};
pub(crate) use table::Column;

/// Something shown as one row of a table.
pub trait Row: Serialize {
    /// The CSV's header (and the table's, unless [`Row::columns`] says otherwise).
    fn headers() -> &'static [&'static str];
    /// The CSV's cells (and the table's, unless [`Row::table_cells`] says otherwise).
    fn cells(&self, style: &Style) -> Vec<Cell>;
    /// The columns people read: by default the CSV's, wrapping when the terminal is narrow.
    fn columns(_style: &Style) -> Vec<Column> {
        table::wrapping(Self::headers())
    }
    /// This row under [`Row::columns`].
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        self.cells(style)
    }
}

/// Something shown as a two-column field list.
pub trait Detail: Serialize {
    /// The fields as CSV writes them (and a table, unless [`Detail::table_fields`] says
    /// otherwise).
    fn fields(&self, style: &Style) -> Vec<(&'static str, Cell)>;
    /// The fields as people read them (times in the zone, internal ids only when wide).
    fn table_fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        self.fields(style)
    }
}

/// How a table is drawn for people.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// `-o wide`: internal ids (run ids, event ids) shown, nothing cut to the terminal.
    pub wide: bool,
    /// The zone instants are shown in when a row has none of its own: the school's.
    pub zone: Tz,
    /// What relative times (`in 12 min`) are counted from.
    pub now: DateTime<Utc>,
}

impl Style {
    /// The style of CSV cells: no colour (nothing else of a style reaches CSV).
    fn plain() -> Style {
        Style {
            color: false,
            wide: true,
            zone: Tz::UTC,
            now: Utc::now(),
        }
    }

    /// An instant for people, on the clock of `zone` (or the school's).
    pub fn instant(&self, t: DateTime<Utc>, zone: Option<Tz>) -> String {
        human::instant(t, zone.unwrap_or(self.zone))
    }

    /// `in 12 min`, `3 h ago`.
    pub fn relative(&self, t: DateTime<Utc>) -> String {
        human::relative(t, self.now)
    }

    /// Something a person must act on (a register not taken): red when colour is on.
    pub fn alert(&self, text: &str) -> Cell {
        let cell = Cell::new(text);
        if self.color {
            cell.fg(Color::Red)
        } else {
            cell
        }
    }

    fn status(&self, status: Status) -> Cell {
        let cell = Cell::new(status.as_str());
        match (self.color, status) {
            (false, _) => cell,
            (true, Status::Open) => cell.fg(Color::Green),
            (true, Status::Closed) => cell.fg(Color::DarkGrey),
        }
    }
}

pub struct Output {
    format: OutputFormat,
    /// Whether the format was asked for (`-o`) rather than chosen by the terminal.
    explicit: bool,
    style: Style,
    stdout: io::BufWriter<io::Stdout>,
    stderr_color: bool,
    /// `--verbose`: every row of a bulk answer, not a summary.
    verbose: bool,
}

/// Decides the colour choice for a stream, as the CLICOLOR/NO_COLOR conventions say.
pub(crate) fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("NO_COLOR").is_some() {
                false
            } else if env("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if env("CLICOLOR").is_some_and(|v| v == "0") {
                false
            } else {
                is_tty && env("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

fn write_error(e: io::Error) -> Error {
    Error::io("writing output", e)
}

/// Keeps the I/O kind (a closed pipe above all) of a failed JSON write.
fn json_write_error(e: serde_json::Error) -> Error {
    let io = match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    };
    write_error(io)
}

impl Output {
    pub fn new(format: Option<OutputFormat>, color: ColorChoice) -> Self {
        let tty = io::stdout().is_terminal();
        let explicit = format.is_some();
        // `wide` is a table with every column and cell whole: commands see a table.
        let wide = format == Some(OutputFormat::Wide);
        let format = match format {
            Some(OutputFormat::Wide) => OutputFormat::Table,
            Some(f) => f,
            None if tty => OutputFormat::Table,
            None => OutputFormat::Json,
        };
        Output {
            explicit,
            format,
            style: Style {
                color: use_color(color, tty),
                wide,
                zone: crate::clock::machine_zone(),
                now: Utc::now(),
            },
            stdout: io::BufWriter::new(io::stdout()),
            stderr_color: use_color(color, io::stderr().is_terminal()),
            verbose: false,
        }
    }

    /// `--verbose`: bulk answers list every row at a terminal too.
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// A person reads this answer at a terminal (a table on a terminal, no `--verbose`): a
    /// bulk answer is summed up with a few rows of each kind rather than listed in full.
    /// Files, pipes, JSON and NDJSON always get every row.
    pub(crate) fn brief(&self) -> bool {
        self.format == OutputFormat::Table && !self.verbose && io::stdout().is_terminal()
    }

    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// Was the format asked for with `-o`?
    pub(crate) fn format_is_explicit(&self) -> bool {
        self.explicit
    }

    /// Switches to a table when no format was asked for (a chart is for people, even when
    /// stdout is a pipe to `less`).
    pub(crate) fn prefer_table(&mut self) {
        if !self.explicit {
            self.format = OutputFormat::Table;
        }
    }

    /// Colour on stdout (a TTY, and not turned off by `--color`, `NO_COLOR`, `CLICOLOR`).
    pub fn color(&self) -> bool {
        self.style.color
    }

    /// How tables are drawn (for commands that draw their own cells).
    pub fn style(&self) -> Style {
        self.style
    }

    /// `-o wide`: every column, nothing cut.
    pub fn wide(&self) -> bool {
        self.style.wide
    }

    /// The zone instants in tables are shown in (the school's, once a command knows it).
    pub fn set_zone(&mut self, zone: Tz) {
        self.style.zone = zone;
    }

    /// A table of `columns` and `rows` of cells, fitted to the terminal.
    pub(crate) fn columns_table(&mut self, columns: &[Column], rows: Vec<Vec<Cell>>) -> Result<()> {
        let text = self.render(columns, rows);
        self.line(&text)?;
        self.flush()
    }

    /// The width text for people should fit: the terminal's (as tables use), or `None` when
    /// stdout is not a terminal (nothing is cut for a file or a pipe).
    pub(crate) fn width(&self) -> Option<usize> {
        if !io::stdout().is_terminal() {
            return None;
        }
        let columns = std::env::var("COLUMNS").ok();
        Some(usize::from(table_width(
            comfy_table::Table::new().width(),
            columns.as_deref(),
        )))
    }

    /// The width tables are fitted to: the terminal's; none when piped or `-o wide` (every
    /// cell whole).
    pub(crate) fn fit_width(&self) -> Option<u16> {
        if self.style.wide || !io::stdout().is_terminal() {
            return None;
        }
        let reported = comfy_table::Table::new().width();
        let columns = std::env::var("COLUMNS").ok();
        Some(table_width(reported, columns.as_deref()))
    }

    fn render(&self, columns: &[Column], rows: Vec<Vec<Cell>>) -> String {
        table::render(columns, true, rows, self.fit_width(), self.style.color)
    }

    /// A table drawn by comfy-table's own arrangement (the bulk answer's plan table).
    fn table(&self) -> comfy_table::Table {
        let mut table = comfy_table::Table::new();
        table
            .load_preset(comfy_table::presets::NOTHING)
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        if io::stdout().is_terminal() {
            let columns = std::env::var("COLUMNS").ok();
            table.set_width(table_width(table.width(), columns.as_deref()));
        }
        if self.style.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table
    }

    /// Text written to stdout as it is (CSV, a chart).
    pub fn text(&mut self, text: &str) -> Result<()> {
        self.stdout
            .write_all(text.as_bytes())
            .map_err(write_error)?;
        self.flush()
    }

    /// One JSON document in the format asked for (`json` pretty, `ndjson` one line).
    pub(crate) fn document<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        match self.format {
            OutputFormat::Ndjson => self.json_line(value)?,
            _ => self.json_doc(value)?,
        }
        self.flush()
    }

    /// Is there a person at the terminal (for prompts and progress bars)?
    pub(crate) fn interactive(&self) -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    pub(crate) fn progress_allowed(&self) -> bool {
        self.format == OutputFormat::Table && io::stderr().is_terminal()
    }

    /// A progress bar on stderr for long work, only for people at a terminal (never with
    /// JSON output or when piped): shown at once for more than [`PROGRESS_MIN_ITEMS`] items,
    /// otherwise only once the work has taken more than [`PROGRESS_AFTER`]. A bar for two
    /// quick items flashes by and only leaves noise.
    pub fn progress(&self, total: usize, action: &str) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({eta})")
        {
            bar.set_style(style);
        }
        bar.set_message(action.to_string());
        let allowed = self.progress_allowed();
        let progress = Progress {
            bar,
            allowed,
            started: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        };
        if allowed && total > PROGRESS_MIN_ITEMS {
            progress.show();
        }
        progress
    }

    pub fn warn(&self, message: &str) {
        let label = if self.stderr_color {
            "\x1b[33mwarning:\x1b[0m"
        } else {
            "warning:"
        };
        eprintln!("{label} {message}");
    }

    /// A diagnostic for people; not data.
    pub fn note(&self, message: &str) {
        eprintln!("{message}");
    }

    fn line(&mut self, text: &str) -> Result<()> {
        writeln!(self.stdout, "{text}").map_err(write_error)
    }

    fn json_line<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer(&mut self.stdout, value).map_err(json_write_error)?;
        self.stdout.write_all(b"\n").map_err(write_error)
    }

    fn json_doc<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value).map_err(json_write_error)?;
        self.stdout.write_all(b"\n").map_err(write_error)
    }

    /// A whole list at once.
    pub fn list<T: Row>(&mut self, rows: &[T]) -> Result<()> {
        let mut stream = self.stream::<T>();
        stream.push(rows)?;
        stream.finish(None)
    }

    /// One record.
    pub fn detail<T: Detail>(&mut self, value: &T) -> Result<()> {
        match self.format {
            OutputFormat::Json => self.json_doc(value)?,
            OutputFormat::Csv => {
                let fields = value.fields(&self.style);
                let mut w = csv::CsvWriter::new(&mut self.stdout);
                w.record(["field", "value"])?;
                for (name, cell) in fields {
                    w.record([name.to_string(), cell.content()])?;
                }
                w.finish()?;
            }
            OutputFormat::Ndjson => self.json_line(value)?,
            OutputFormat::Table | OutputFormat::Wide => {
                let rows = value
                    .table_fields(&self.style)
                    .into_iter()
                    .map(|(name, cell)| vec![Cell::new(name), cell])
                    .collect();
                // A field list has no header line: its rows are named by the fields.
                let columns = [Column::fixed(""), Column::wrap("")];
                let text = table::render(&columns, false, rows, self.fit_width(), self.style.color);
                self.line(&text)?;
            }
        }
        self.flush()
    }

    /// The answer of a command whose whole answer is one value (a path): printed plainly,
    /// so that `cat $(attctl config path)` works, unless `-o json`, `ndjson` or `csv` asks
    /// for the whole record.
    pub fn value<T: Detail>(&mut self, plain: &str, record: &T) -> Result<()> {
        if self.explicit && self.format != OutputFormat::Table {
            return self.detail(record);
        }
        self.line(plain)?;
        self.flush()
    }

    /// Starts a list whose rows arrive page by page. NDJSON and tables are written as the
    /// pages arrive (memory stays at one page); a JSON array is written only once it is
    /// complete ([`ListStream::finish`]), so a listing cut off by an error never leaves a
    /// partial array that a consumer could mistake for the whole result.
    pub fn stream<T: Row>(&mut self) -> ListStream<'_, T> {
        ListStream {
            out: self,
            rows: 0,
            json: Vec::new(),
            _row: std::marker::PhantomData,
        }
    }

    pub fn flush(&mut self) -> Result<()> {
        self.stdout.flush().map_err(write_error)
    }

    /// stdout for a file written as it is (`session export`): no format applies.
    pub fn raw(&mut self) -> &mut impl Write {
        &mut self.stdout
    }

    /// The answer of `session generate`: JSON `{"created", "skipped", "warnings"}`, or for
    /// people a plan table and a summary line.
    pub fn bulk(&mut self, outcome: &BulkOutcome) -> Result<()> {
        let mut stream = self.bulk_stream(outcome.dry_run)?;
        stream.created(outcome.created.clone())?;
        for s in &outcome.skipped {
            stream.skipped(s.clone())?;
        }
        stream.finish(&outcome.warnings)
    }

    /// The same answer written as it comes (`session import`): created sessions are printed
    /// chunk by chunk, skipped ones kept in a temporary file until the end, so an answer of
    /// a million rows is never held.
    pub fn bulk_stream(&mut self, dry_run: bool) -> Result<BulkStream<'_>> {
        if self.format == OutputFormat::Csv {
            return Err(crate::Error::invalid(
                "-o csv is for reports and lists; use -o json or ndjson for generate and import",
            ));
        }
        Ok(BulkStream::new(self, dry_run))
    }
}

pub struct ListStream<'a, T: Row> {
    out: &'a mut Output,
    rows: usize,
    /// The JSON array so far, written by `finish`.
    json: Vec<u8>,
    _row: std::marker::PhantomData<T>,
}

impl<T: Row> ListStream<'_, T> {
    /// A warning on stderr while the list goes on.
    pub fn warn(&self, message: &str) {
        self.out.warn(message);
    }

    pub fn push(&mut self, rows: &[T]) -> Result<()> {
        match self.out.format {
            OutputFormat::Csv => {
                let mut w = csv::CsvWriter::new(&mut self.out.stdout);
                if self.rows == 0 && !rows.is_empty() {
                    w.record(T::headers())?;
                }
                for row in rows {
                    w.record(row.cells(&Style::plain()).iter().map(Cell::content))?;
                }
                w.finish()?;
            }
            OutputFormat::Ndjson => {
                for row in rows {
                    self.out.json_line(row)?;
                }
            }
            OutputFormat::Json => {
                for row in rows {
                    let sep = if self.rows == 0 { "[\n  " } else { ",\n  " };
                    self.json.extend_from_slice(sep.as_bytes());
                    serde_json::to_writer(&mut self.json, row).map_err(json_write_error)?;
                    self.rows += 1;
                }
            }
            OutputFormat::Table | OutputFormat::Wide => {
                if !rows.is_empty() {
                    let style = self.out.style;
                    let cells = rows.iter().map(|row| row.table_cells(&style)).collect();
                    let text = self.out.render(&T::columns(&style), cells);
                    self.out.line(&text)?;
                }
            }
        }
        if self.out.format != OutputFormat::Json {
            self.rows += rows.len();
        }
        self.out.flush()
    }

    /// Ends the list; `footer` is a note on stderr (in every format: a script piping JSON
    /// needs to know the list was cut short as much as a person does).
    pub fn finish(mut self, footer: Option<String>) -> Result<()> {
        match self.out.format {
            OutputFormat::Json => {
                let end = if self.rows == 0 { "[]\n" } else { "\n]\n" };
                self.json.extend_from_slice(end.as_bytes());
                self.out.stdout.write_all(&self.json).map_err(write_error)?;
            }
            OutputFormat::Table if self.rows == 0 => self.out.note("no results"),
            OutputFormat::Csv if self.rows == 0 => {
                let mut w = csv::CsvWriter::new(&mut self.out.stdout);
                w.record(T::headers())?;
                w.finish()?;
            }
            _ => {}
        }
        if let Some(footer) = footer {
            self.out.note(&footer);
        }
        self.out.flush()
    }
}

/// Text that came from outside attctl (a receiver's or mail server's answer, a name in an
/// old row or a file), fit to print on a terminal: control characters, and the invisible
/// ones that reorder or hide text, are written as escapes (`\n`, `\u{1b}`). An answer
/// holding `ESC [2J` or a title-setting sequence would otherwise clear or retitle the
/// terminal of whoever runs `notify test`, `doctor` or a listing. JSON needs none of this:
/// serde escapes control characters itself.
/// `1 session`, `2 sessions`: a count and its noun, in the plural unless it is one.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    fn hidden(c: char) -> bool {
        c.is_control() || crate::session::is_format_char(c)
    }
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Lists longer than this get a progress bar at once (on a terminal, in table mode).
pub(crate) const PROGRESS_MIN_ITEMS: usize = 50;
/// Shorter work gets one only once it has taken this long.
pub(crate) const PROGRESS_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// A progress bar that stays hidden until the work is long enough to be worth one.
pub struct Progress {
    bar: indicatif::ProgressBar,
    allowed: bool,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn show(&self) {
        if !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed) {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    /// One more item done.
    pub(crate) fn inc(&self, n: u64) {
        self.bar.inc(n);
        if self.allowed
            && (self.started.elapsed() > PROGRESS_AFTER
                || self.bar.position() > PROGRESS_MIN_ITEMS as u64)
        {
            self.show();
        }
    }

    pub(crate) fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// The width tables wrap to: the terminal's, unless it reports nothing useful (a serial
/// console or some containers say 0x0), then `COLUMNS`, then 80.
pub(crate) fn table_width(reported: Option<u16>, columns: Option<&str>) -> u16 {
    reported
        .filter(|w| *w > 0)
        .or_else(|| {
            columns
                .and_then(|c| c.trim().parse::<u16>().ok())
                .filter(|w| *w > 0)
        })
        .unwrap_or(80)
}

fn opt(v: Option<impl ToString>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

impl Row for TeachingSession {
    fn headers() -> &'static [&'static str] {
        &[
            "ID",
            "CLASS",
            "DATE",
            "START",
            "END",
            "STATUS",
            "CLOSED BY",
            "RUN",
        ]
    }
    fn cells(&self, style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.id),
            Cell::new(self.class_id),
            Cell::new(self.session_date),
            Cell::new(crate::session::format_wall_time(self.start_time)),
            Cell::new(crate::session::format_wall_time(self.end_time)),
            style.status(self.status),
            Cell::new(opt(self.closed_by)),
            Cell::new(run_shown(self)),
        ]
    }
    /// One line a session at 80 columns: the class's name is what gives way; when and by
    /// whom it closes reads as a person says it. `-o wide` adds the closing instant and
    /// the run.
    fn columns(style: &Style) -> Vec<Column> {
        let mut columns = vec![
            Column::fixed("ID"),
            Column::truncate("CLASS"),
            Column::fixed("DATE"),
            Column::fixed("START"),
            Column::fixed("END"),
            Column::fixed("STATUS"),
            Column::fixed("CLOSE"),
        ];
        if style.wide {
            columns.push(Column::fixed("CLOSES AT"));
            columns.push(Column::fixed("RUN"));
        }
        columns
    }
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        let mut cells = vec![
            Cell::new(self.id),
            Cell::new(self.class_id),
            Cell::new(self.session_date),
            Cell::new(human::wall_time(self.start_time)),
            Cell::new(human::wall_time(self.end_time)),
            style.status(self.status),
            Cell::new(close_shown(self, style)),
        ];
        if style.wide {
            cells.push(Cell::new(style.instant(self.closes_at, zone_of(self))));
            cells.push(Cell::new(run_for_people(self, style)));
        }
        cells
    }
}

/// The session's own zone (its wall-clock fields are in it); `None` for a name this build
/// does not know, and then the school's is used.
fn zone_of(s: &TeachingSession) -> Option<Tz> {
    s.timezone.parse().ok()
}

/// When and how a session closes or closed, for people: `in 12 min`, `in 2 h (planning)`,
/// `overdue 3 h`, `manual, 5 days ago`.
fn close_shown(s: &TeachingSession, style: &Style) -> String {
    if s.is_open() {
        if s.closes_at <= style.now {
            return format!("overdue {}", human::span(s.closes_at, style.now));
        }
        let when = style.relative(s.closes_at);
        return if s.scheduled_task_id.is_none() {
            format!("{when} (planning)")
        } else {
            when
        };
    }
    let by = s.closed_by.map_or("closed", |b| b.as_str());
    match s.closed_at {
        Some(at) => format!("{by}, {}", style.relative(at)),
        None => by.to_string(),
    }
}

/// A session's run as a table shows it: an Open session still ahead of its end with no run
/// yet is "planning" (attctl-worker plans what staff write within seconds).
fn run_shown(s: &TeachingSession) -> String {
    match s.scheduled_task_id.as_deref() {
        None if s.is_open() && s.closes_at > chrono::Utc::now() => "planning".to_string(),
        other => opt(other),
    }
}

/// The run of a session in a table: its id only with `-o wide` (`planned` otherwise), and
/// nothing once the session is Closed (a manual close cancels the run; the id left in the
/// row names a run that no longer closes anything).
fn run_for_people(s: &TeachingSession, style: &Style) -> String {
    if !s.is_open() {
        return "—".to_string();
    }
    match s.scheduled_task_id.as_deref() {
        None if s.closes_at > style.now => "planning".to_string(),
        None => "—".to_string(),
        Some(run) if style.wide => run.to_string(),
        Some(_) => "planned".to_string(),
    }
}

impl Detail for TeachingSession {
    fn fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        vec![
            ("id", Cell::new(self.id)),
            ("class_id", Cell::new(self.class_id)),
            ("session_date", Cell::new(self.session_date)),
            (
                "start_time",
                Cell::new(crate::session::format_wall_time(self.start_time)),
            ),
            (
                "end_time",
                Cell::new(crate::session::format_wall_time(self.end_time)),
            ),
            ("timezone", Cell::new(&self.timezone)),
            ("status", style.status(self.status)),
            ("closes_at", Cell::new(self.closes_at.to_rfc3339())),
            (
                "closed_at",
                Cell::new(opt(self.closed_at.map(|t| t.to_rfc3339()))),
            ),
            ("closed_by", Cell::new(opt(self.closed_by))),
            ("scheduled_task_id", Cell::new(run_shown(self))),
            ("created_at", Cell::new(self.created_at.to_rfc3339())),
            ("updated_at", Cell::new(self.updated_at.to_rfc3339())),
        ]
        .into_iter()
        .chain(
            self.session_type
                .as_ref()
                .map(|t| ("session_type", Cell::new(t))),
        )
        .collect()
    }

    /// The same fields, with times as people read them: wall-clock times without seconds,
    /// instants on the session's clock with how far they are from now, and the run's id
    /// only with `-o wide`.
    fn table_fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        let zone = zone_of(self);
        let with_relative =
            |t: DateTime<Utc>| format!("{} ({})", style.instant(t, zone), style.relative(t));
        vec![
            ("id", Cell::new(self.id)),
            ("class_id", Cell::new(self.class_id)),
            ("session_date", Cell::new(self.session_date)),
            ("start_time", Cell::new(human::wall_time(self.start_time))),
            ("end_time", Cell::new(human::wall_time(self.end_time))),
            ("timezone", Cell::new(&self.timezone)),
            ("status", style.status(self.status)),
            ("closes_at", Cell::new(with_relative(self.closes_at))),
            (
                "closed_at",
                Cell::new(
                    self.closed_at
                        .map_or_else(|| "-".to_string(), with_relative),
                ),
            ),
            ("closed_by", Cell::new(opt(self.closed_by))),
            ("scheduled_task_id", Cell::new(run_for_people(self, style))),
            (
                "created_at",
                Cell::new(style.instant(self.created_at, zone)),
            ),
            (
                "updated_at",
                Cell::new(style.instant(self.updated_at, zone)),
            ),
        ]
        .into_iter()
        .chain(
            self.session_type
                .as_ref()
                .map(|t| ("session_type", Cell::new(t))),
        )
        .collect()
    }
}

impl Detail for SessionOutcome {
    fn fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        self.session.fields(style)
    }
    fn table_fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        self.session.table_fields(style)
    }
}

impl Row for Class {
    fn headers() -> &'static [&'static str] {
        &["ID", "NAME", "CREATED", "NOTIFY EMAILS"]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.id),
            // Checked when written by attctl; a row edited in the dashboard may hold anything.
            Cell::new(printable(&self.name)),
            Cell::new(self.created_at.format("%Y-%m-%d %H:%M")),
            Cell::new(self.notify_emails.join(", ")),
        ]
    }
    fn columns(_style: &Style) -> Vec<Column> {
        vec![
            Column::fixed("ID"),
            Column::truncate("NAME"),
            Column::fixed("CREATED"),
            Column::truncate("NOTIFY EMAILS"),
        ]
    }
    /// CREATED on the school's clock.
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        let mut cells = self.cells(style);
        if let Some(cell) = cells.get_mut(2) {
            *cell = Cell::new(style.instant(self.created_at, None));
        }
        cells
    }
}

impl Detail for Class {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, Cell)> {
        vec![
            ("id", Cell::new(self.id)),
            ("name", Cell::new(&self.name)),
            ("created_at", Cell::new(self.created_at.to_rfc3339())),
            ("notify_emails", Cell::new(self.notify_emails.join(", "))),
        ]
        .into_iter()
        .chain(self.code.as_ref().map(|c| ("code", Cell::new(c))))
        .collect()
    }
    fn table_fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        let mut fields = self.fields(style);
        for (name, cell) in &mut fields {
            match *name {
                "name" => *cell = Cell::new(printable(&self.name)),
                "created_at" => *cell = Cell::new(style.instant(self.created_at, None)),
                _ => {}
            }
        }
        fields
    }
}

impl Row for CloseResult {
    fn headers() -> &'static [&'static str] {
        &["ID", "RESULT", "STATUS", "CLOSED AT", "CLOSED BY"]
    }
    fn cells(&self, style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.id),
            Cell::new(match self.outcome {
                CloseOutcome::Closed => "closed",
                CloseOutcome::AlreadyClosed => "already closed",
            }),
            style.status(self.session.status),
            Cell::new(opt(self.session.closed_at.map(|t| t.to_rfc3339()))),
            Cell::new(opt(self.session.closed_by)),
        ]
    }
    fn columns(_style: &Style) -> Vec<Column> {
        Self::headers().iter().map(|h| Column::fixed(*h)).collect()
    }
    /// CLOSED AT on the session's own clock, to the minute.
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        let mut cells = self.cells(style);
        if let Some(cell) = cells.get_mut(3) {
            let zone = zone_of(&self.session);
            *cell = Cell::new(opt(self.session.closed_at.map(|t| style.instant(t, zone))));
        }
        cells
    }
}

impl Row for DeleteResult {
    fn headers() -> &'static [&'static str] {
        &["ID", "RESULT", "CLASS", "DATE", "START"]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.id),
            Cell::new(self.outcome.as_words()),
            Cell::new(self.session.class_id),
            Cell::new(self.session.session_date),
            Cell::new(crate::session::format_wall_time(self.session.start_time)),
        ]
    }
    fn columns(_style: &Style) -> Vec<Column> {
        vec![
            Column::fixed("ID"),
            Column::fixed("RESULT"),
            Column::truncate("CLASS"),
            Column::fixed("DATE"),
            Column::fixed("START"),
        ]
    }
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        let mut cells = self.cells(style);
        if let Some(cell) = cells.get_mut(4) {
            *cell = Cell::new(human::wall_time(self.session.start_time));
        }
        cells
    }
}

impl Row for Holiday {
    fn headers() -> &'static [&'static str] {
        &["ID", "NAME", "FROM", "TO"]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.id),
            // Names are checked when added; a row from before the check may hold anything.
            Cell::new(printable(&self.name)),
            Cell::new(self.first_date),
            Cell::new(self.last_date),
        ]
    }
    fn columns(_style: &Style) -> Vec<Column> {
        vec![
            Column::fixed("ID"),
            Column::truncate("NAME"),
            Column::fixed("FROM"),
            Column::fixed("TO"),
        ]
    }
}

impl Detail for Holiday {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, Cell)> {
        vec![
            ("id", Cell::new(self.id)),
            ("name", Cell::new(printable(&self.name))),
            ("first_date", Cell::new(self.first_date)),
            ("last_date", Cell::new(self.last_date)),
            ("created_at", Cell::new(self.created_at.to_rfc3339())),
        ]
    }
    fn table_fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        let mut fields = self.fields(style);
        if let Some((_, cell)) = fields.iter_mut().find(|(name, _)| *name == "created_at") {
            *cell = Cell::new(style.instant(self.created_at, None));
        }
        fields
    }
}

impl Row for BulkChange {
    fn headers() -> &'static [&'static str] {
        &["ID", "RESULT", "CLASS", "DATE", "START"]
    }
    fn cells(&self, _style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.id),
            Cell::new(self.outcome),
            Cell::new(self.session.class_id),
            Cell::new(self.session.session_date),
            Cell::new(crate::session::format_wall_time(self.session.start_time)),
        ]
    }
    fn columns(_style: &Style) -> Vec<Column> {
        vec![
            Column::fixed("ID"),
            Column::fixed("RESULT"),
            Column::truncate("CLASS"),
            Column::fixed("DATE"),
            Column::fixed("START"),
        ]
    }
    fn table_cells(&self, style: &Style) -> Vec<Cell> {
        let mut cells = self.cells(style);
        if let Some(cell) = cells.get_mut(4) {
            *cell = Cell::new(human::wall_time(self.session.start_time));
        }
        cells
    }
}

#[cfg(test)]
mod tests {
    use super::table_width;

    #[test]
    fn printable_escapes_what_would_drive_a_terminal() {
        use super::printable;
        assert_eq!(printable("250 OK queued"), "250 OK queued");
        assert_eq!(
            printable("ok\u{1b}]0;pwned\u{7}\u{1b}[2J\r\nnext\tcol"),
            "ok\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\nnext\\tcol"
        );
        assert_eq!(printable("a\u{202e}b\u{9b}c"), "a\\u{202e}b\\u{9b}c");
        assert_eq!(printable("Année 7 (A) – été"), "Année 7 (A) – été");
    }

    #[test]
    fn a_zero_sized_terminal_falls_back_to_columns_then_80() {
        assert_eq!(table_width(Some(120), Some("60")), 120);
        assert_eq!(table_width(Some(0), Some("60")), 60);
        assert_eq!(table_width(None, Some(" 72 ")), 72);
        assert_eq!(table_width(Some(0), Some("0")), 80);
        assert_eq!(table_width(Some(0), Some("wide")), 80);
        assert_eq!(table_width(None, None), 80);
    }
}
