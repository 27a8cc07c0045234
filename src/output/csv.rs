//! The one CSV writer behind every CSV attctl prints: `-o csv` of lists, details and the
//! closure report, and `session export --format csv`. RFC 4180: CRLF line ends, fields
//! quoted by the `csv` crate where they must be.
//!
//! A CSV file is opened in spreadsheets, which run a cell starting with `=`, `+`, `-` or
//! `@` as a formula (and some strip a leading tab or CR first): a class named
//! `=HYPERLINK(...)` would become a live link, `+cmd|...` a command (CWE-1236). Such text
//! cells get a leading `'`, which spreadsheets read as "this is text" and do not show;
//! numbers (`-3`, `-0.5`) stay numbers. [`restore`] undoes it, so an export imports back
//! to the same names.

use std::borrow::Cow;
use std::io::Write;

use crate::error::{Error, Result};

/// Writes records: header and rows alike, each cell made inert where it needs to be.
pub(crate) struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub(crate) fn new(out: W) -> Self {
        CsvWriter {
            inner: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out),
        }
    }

    pub(crate) fn record<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        self.inner.write_record(&cells).map_err(csv_error)
    }

    /// Flushes what the writer buffers into `out` (which may buffer further).
    pub(crate) fn finish(mut self) -> Result<()> {
        self.inner
            .flush()
            .map_err(|e| Error::io("writing output", e))
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io("writing output", io),
        other => Error::Backend(format!("cannot write CSV: {other:?}")),
    }
}

/// Characters that make a spreadsheet treat a cell as a formula.
fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A plain decimal number (`-3`, `+2.5`, `-1e-3`): a spreadsheet reads it as a number, and
/// so should a script. `inf` and `NaN`, which Rust would parse, are text.
fn is_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Whether a cell would run as a formula. Leading `'` are looked through, so that a cell
/// that already starts with `'=` also gets one more and [`restore`] is an exact inverse.
/// A lone `-` (the tables' "none") runs nothing.
fn needs_quote(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(is_trigger) && rest != "-" && !is_number(rest)
}

/// The cell as written: with a leading `'` when a spreadsheet would run it.
pub(crate) fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralise`], for CSV read back (`session import`): a cell written
/// with a protective `'` loses it. A spreadsheet saving `'=x` as CSV writes `=x`, so
/// this reads such cells as a spreadsheet shows them.
pub(crate) fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(cell) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(cells: &[&str]) -> String {
        let mut out = Vec::new();
        let mut w = CsvWriter::new(&mut out);
        w.record(cells).unwrap();
        w.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(
            written(&[
                "=HYPERLINK(\"http://x\",\"y\")",
                "+cmd|' /C calc'!A0",
                "@SUM(1)"
            ]),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd|' /C calc'!A0,'@SUM(1)\r\n"
        );
        assert_eq!(written(&["-1+1", "\tx", "\rx"]), "'-1+1,'\tx,\"'\rx\"\r\n");
        assert_eq!(
            written(&["-3", "-0.5", "+2", "1e-3", "-", "", "Year 7 (A)"]),
            "-3,-0.5,+2,1e-3,-,,Year 7 (A)\r\n"
        );
        assert_eq!(
            written(&["-inf", "-NaN", "-1e", "-."]),
            "'-inf,'-NaN,'-1e,'-.\r\n"
        );
    }

    #[test]
    fn quoting_and_line_ends_are_rfc_4180() {
        assert_eq!(
            written(&["a,b", "say \"hi\"", "two\nlines"]),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
    }

    #[test]
    fn restore_is_the_inverse_of_neutralise() {
        for cell in [
            "=x", "'=x", "''=x", "'", "''", "'a", "-1", "'-1", "-1+1", "@a", "-", "'-", "a'=b", "",
            "Year 7", "'Year 7", "=", "'x=",
        ] {
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
    }
}
