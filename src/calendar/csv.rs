//! CSV timetables: read rows with the columns named as the session JSON fields, and write
//! sessions back in the same shape, so an export re-imports into another store.
//!
//! Read: a UTF-8 BOM is dropped, CRLF or LF line ends, `,` or `;` delimiter (taken from the
//! header line unless given), unknown columns ignored. Rows stream one at a time.

use std::io::{BufRead, BufReader, Read, Write};

use chrono::{DateTime, NaiveDate, Utc};

use super::{ImportRow, RowError};
use crate::clock;
use crate::error::{Error, Result};
use crate::session::{ClassRef, ClosedBy, Status, TeachingSession, format_wall_time};

/// Columns of an export, in order: every session JSON field plus `class_name`.
pub(crate) const EXPORT_HEADER: [&str; 14] = [
    "id",
    "class_id",
    "class_name",
    "session_date",
    "start_time",
    "end_time",
    "status",
    "scheduled_task_id",
    "timezone",
    "closes_at",
    "closed_at",
    "closed_by",
    "created_at",
    "updated_at",
];

#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    class_id: Option<usize>,
    class_name: Option<usize>,
    session_date: usize,
    start_time: usize,
    end_time: usize,
    timezone: Option<usize>,
    status: Option<usize>,
    closed_at: Option<usize>,
    closed_by: Option<usize>,
}

/// Rows of a CSV file, read one at a time.
pub(crate) struct CsvRows<R: Read> {
    reader: csv::Reader<BufReader<R>>,
    columns: Columns,
    record: csv::StringRecord,
    /// Set after an error the reader cannot go on from (I/O, bad UTF-8).
    done: bool,
    /// Added to the reader's line numbers: with CRLF line ends it counts a record as
    /// starting at the `\n` that ends the line before it, one line early.
    line_offset: u64,
    /// Whether the file names a class on each row (a class column exists).
    pub has_class_column: bool,
}

/// Opens a CSV stream: reads the header and finds the columns. `delimiter` `None` takes
/// `;` when the header line has a `;` and no `,`.
pub(crate) fn read<R: Read>(input: R, delimiter: Option<u8>, source: &str) -> Result<CsvRows<R>> {
    let mut buffered = BufReader::with_capacity(64 * 1024, input);
    let head = buffered
        .fill_buf()
        .map_err(|e| Error::io(source.to_string(), e))?;
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let first_line = {
        let body = if bom { &head[3..] } else { head };
        let end = body.iter().position(|b| *b == b'\n').unwrap_or(body.len());
        body[..end].to_vec()
    };
    if bom {
        buffered.consume(3);
    }
    let delimiter = delimiter.unwrap_or_else(|| {
        if first_line.contains(&b';') && !first_line.contains(&b',') {
            b';'
        } else {
            b','
        }
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(buffered);
    let header = reader
        .headers()
        .map_err(|e| Error::invalid(format!("{source}: cannot read the CSV header: {e}")))?
        .clone();
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            Error::invalid(format!(
                "{source}: line 1: the header has no {name} column (columns: class_id or \
                 class_name, session_date, start_time, end_time, optional timezone; \
                 delimiter {:?}, set with --delimiter)",
                char::from(delimiter)
            ))
        })
    };
    let columns = Columns {
        class_id: find("class_id"),
        class_name: find("class_name"),
        session_date: need("session_date")?,
        start_time: need("start_time")?,
        end_time: need("end_time")?,
        timezone: find("timezone"),
        status: find("status"),
        closed_at: find("closed_at"),
        closed_by: find("closed_by"),
    };
    Ok(CsvRows {
        reader,
        has_class_column: columns.class_id.is_some() || columns.class_name.is_some(),
        columns,
        record: csv::StringRecord::new(),
        done: false,
        line_offset: u64::from(first_line.ends_with(b"\r")),
    })
}

/// A cell, trimmed, without the `'` an export put before text a spreadsheet would run.
fn field(record: &csv::StringRecord, idx: Option<usize>) -> Option<&str> {
    idx.and_then(|i| record.get(i))
        .map(|cell| crate::output::csv::restore(cell.trim()).trim())
        .filter(|s| !s.is_empty())
}

fn parse_row(
    record: &csv::StringRecord,
    c: &Columns,
    line: u64,
) -> std::result::Result<ImportRow, String> {
    let mut problems = Vec::new();
    // A class name is portable between stores; an id only within one.
    let class = match (field(record, c.class_name), field(record, c.class_id)) {
        (Some(name), _) => Some(ClassRef::Name(name.to_string())),
        (None, Some(id)) => match id.parse::<i64>() {
            Ok(id) if id > 0 => Some(ClassRef::Id(id)),
            _ => {
                problems.push(format!("class_id {id:?} is not a positive whole number"));
                None
            }
        },
        (None, None) => None,
    };
    let date = match field(record, Some(c.session_date)) {
        None => {
            problems.push("session_date is empty".to_string());
            None
        }
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) if crate::clock::has_date_shape(raw) => {
                problems.push(format!("session_date {raw:?}: that day does not exist"));
                None
            }
            Err(_) => {
                problems.push(format!("session_date {raw:?} is not a date (YYYY-MM-DD)"));
                None
            }
        },
    };
    let mut time = |name: &str, idx: usize| match field(record, Some(idx)) {
        None => {
            problems.push(format!("{name} is empty"));
            None
        }
        Some(raw) => match clock::parse_time(raw) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                None
            }
        },
    };
    let start = time("start_time", c.start_time);
    let end = time("end_time", c.end_time);
    let status = match field(record, c.status) {
        None => None,
        Some(raw) => match raw.parse::<Status>() {
            Ok(s) => Some(s),
            Err(_) => {
                problems.push(format!("status {raw:?} is not Open or Closed"));
                None
            }
        },
    };
    let closed_at = match field(record, c.closed_at) {
        None => None,
        Some(raw) => match DateTime::parse_from_rfc3339(raw) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                problems.push(format!(
                    "closed_at {raw:?} is not an RFC 3339 instant (2026-10-05T09:50:00Z)"
                ));
                None
            }
        },
    };
    let closed_by = match field(record, c.closed_by) {
        None => None,
        Some(raw) => match raw.parse::<ClosedBy>() {
            Ok(b) => Some(b),
            Err(_) => {
                problems.push(format!("closed_by {raw:?} is not manual, auto or sweep"));
                None
            }
        },
    };
    if status != Some(Status::Closed) && (closed_at.is_some() || closed_by.is_some()) {
        problems.push("closed_at/closed_by are set but status is not Closed".to_string());
    }
    match (date, start, end) {
        (Some(session_date), Some(start_time), Some(end_time)) if problems.is_empty() => {
            Ok(ImportRow {
                line,
                class,
                session_date,
                start_time,
                end_time,
                timezone: field(record, c.timezone).map(str::to_string),
                status,
                closed_at,
                closed_by,
            })
        }
        _ => Err(problems.join("; ")),
    }
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = std::result::Result<ImportRow, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| p.line()) + self.line_offset;
                    // Blank lines (a trailing one is common) are no rows.
                    if self.record.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    return Some(
                        parse_row(&self.record, &self.columns, line)
                            .map_err(|reason| RowError { line, reason }),
                    );
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line()) + self.line_offset;
                    // Rows after an I/O error or bad UTF-8 cannot be trusted: stop there.
                    self.done = !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                    let reason = match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
                        _ => e.to_string(),
                    };
                    return Some(Err(RowError { line, reason }));
                }
            }
        }
        None
    }
}

/// Writes sessions as CSV, header first, nothing above it, through the one CSV writer
/// of every output ([`crate::output::csv`]).
pub(crate) struct CsvWriter<W: Write> {
    writer: crate::output::csv::CsvWriter<W>,
}

impl<W: Write> CsvWriter<W> {
    pub(crate) fn new(out: W) -> Result<Self> {
        let mut writer = crate::output::csv::CsvWriter::new(out);
        writer.record(EXPORT_HEADER)?;
        Ok(CsvWriter { writer })
    }

    pub(crate) fn write(&mut self, s: &TeachingSession, class_name: &str) -> Result<()> {
        let instant = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        self.writer.record([
            s.id.to_string(),
            s.class_id.to_string(),
            class_name.to_string(),
            s.session_date.to_string(),
            format_wall_time(s.start_time),
            format_wall_time(s.end_time),
            s.status.to_string(),
            s.scheduled_task_id.clone().unwrap_or_default(),
            s.timezone.clone(),
            instant(s.closes_at),
            s.closed_at.map(instant).unwrap_or_default(),
            s.closed_by.map(|b| b.to_string()).unwrap_or_default(),
            instant(s.created_at),
            instant(s.updated_at),
        ])
    }

    pub(crate) fn finish(self) -> Result<()> {
        self.writer.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_semicolon() {
        let data = "\u{feff}class_name;session_date;start_time;end_time;note\r\n\
                    Maths 7B;2026-10-05;09:00;09:50;x\r\n\
                    Maths 7B;2026-13-05;09:00;09:50;x\r\n";
        let rows: Vec<_> = read(data.as_bytes(), None, "test").unwrap().collect();
        assert_eq!(rows.len(), 2);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.class, Some(ClassRef::Name("Maths 7B".into())));
        assert_eq!(first.line, 2);
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!(bad.line, 3);
        assert!(bad.reason.contains("session_date"), "{bad}");
    }

    #[test]
    fn missing_column_names_it() {
        let e = read(
            "class_id,session_date,start_time\n".as_bytes(),
            None,
            "f.csv",
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("end_time"), "{e}");
    }
}
