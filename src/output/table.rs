//! Tables that fit the terminal, as gh and kubectl draw them: each column is given a width
//! before anything is drawn, so a list keeps one line per row at 80 columns, cut with `…`
//! where it must be, and a header is never split inside a word.
//!
//! comfy-table's own dynamic arrangement splits any cell (headers and ids included) to
//! make the table fit; here the widths are decided by what each column can lose: an id,
//! a date or a count nothing ([`Fit::Fixed`]), a name its end ([`Fit::Truncate`]), a
//! sentence its line breaks ([`Fit::Wrap`]). Piped output and `-o wide` are not fitted:
//! every cell is whole.

use std::borrow::Cow;

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Row, Table, Width, presets};
use unicode_width::UnicodeWidthStr;

/// What a column gives up when the table is wider than the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Nothing: ids, dates, times, states and counts are read whole or misread.
    Fixed,
    /// Its end, marked with `…` (names, types); the row stays one line.
    Truncate,
    /// Its line breaks: prose (a check's detail, a fix) is read whole over several lines.
    Wrap,
}

/// A column of a table for people.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: Cow<'static, str>,
    pub fit: Fit,
}

impl Column {
    pub fn fixed(header: impl Into<Cow<'static, str>>) -> Column {
        Column {
            header: header.into(),
            fit: Fit::Fixed,
        }
    }

    pub fn truncate(header: impl Into<Cow<'static, str>>) -> Column {
        Column {
            header: header.into(),
            fit: Fit::Truncate,
        }
    }

    pub fn wrap(header: impl Into<Cow<'static, str>>) -> Column {
        Column {
            header: header.into(),
            fit: Fit::Wrap,
        }
    }

    /// The narrowest this column may become: its header's longest word (a header is
    /// wrapped between words, never inside one), and a few characters of content.
    fn min_width(&self, natural: usize) -> usize {
        let word = self
            .header
            .split_whitespace()
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        match self.fit {
            Fit::Fixed => natural,
            Fit::Truncate => word.max(MIN_TRUNCATED).min(natural),
            Fit::Wrap => word.max(MIN_WRAPPED).min(natural),
        }
    }
}

/// A truncated column still shows this much (`Year 1…`).
const MIN_TRUNCATED: usize = 6;
/// A wrapped column is not made narrower than this: a sentence one word a line is unread.
const MIN_WRAPPED: usize = 12;
/// comfy-table's default padding: one space each side of every cell.
const PADDING: usize = 2;

/// The widest line of a cell, in terminal columns.
fn cell_width(cell: &Cell) -> usize {
    cell.content()
        .lines()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// Content widths (padding excluded) for columns of `natural` widths in `available`
/// terminal columns: the widest column that may shrink gives up one character at a time
/// until the table fits, or until every column is at its minimum (then the table is as
/// narrow as it can be and the terminal wraps the rest).
pub(crate) fn fit_widths(columns: &[Column], natural: &[usize], available: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let mins: Vec<usize> = columns
        .iter()
        .zip(natural)
        .map(|(c, n)| c.min_width(*n))
        .collect();
    let mut total: usize = widths.iter().map(|w| w + PADDING).sum();
    while total > available {
        // Prose gives way before names, so that names keep as much as they can.
        let pick = |fit: Fit| {
            (0..widths.len())
                .filter(|&i| columns[i].fit == fit && widths[i] > mins[i])
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)))
        };
        let Some(i) = pick(Fit::Wrap).or_else(|| pick(Fit::Truncate)) else {
            break;
        };
        widths[i] -= 1;
        total -= 1;
    }
    widths
}

/// Draws `rows` under `columns`, in the house style (no borders, one space of padding).
/// `width` is the terminal's, or `None` to leave every cell whole (a pipe, `-o wide`).
pub(crate) fn render(
    columns: &[Column],
    header: bool,
    rows: Vec<Vec<Cell>>,
    width: Option<u16>,
    color: bool,
) -> String {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_truncation_indicator("…");
    table.set_content_arrangement(ContentArrangement::Disabled);
    let header_cells: Vec<Cell> = columns.iter().map(|c| Cell::new(&c.header)).collect();
    let mut natural: Vec<usize> = if header {
        header_cells.iter().map(cell_width).collect()
    } else {
        vec![0; columns.len()]
    };
    for row in &rows {
        for (i, cell) in row.iter().enumerate().take(natural.len()) {
            natural[i] = natural[i].max(cell_width(cell));
        }
    }
    let fitted = width.map(|w| fit_widths(columns, &natural, usize::from(w)));
    // A table whose prose wraps has rows of several lines anyway; elsewhere a row is one
    // line and what does not fit is cut.
    let one_line = !columns.iter().any(|c| c.fit == Fit::Wrap);
    if header {
        table.set_header(Row::from(header_cells));
    }
    for cells in rows {
        let mut row = Row::from(cells);
        if one_line && fitted.is_some() {
            row.max_height(1);
        }
        table.add_row(row);
    }
    if let Some(widths) = fitted {
        for (column, w) in table.column_iter_mut().zip(widths) {
            let w = u16::try_from(w + PADDING).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
        }
    }
    table.to_string()
}

/// The columns of a table given only by its headers: each wraps (the long-standing look
/// of tables that were not written for a width).
pub(crate) fn wrapping(headers: &[&str]) -> Vec<Column> {
    headers
        .iter()
        .map(|h| Column::wrap(h.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    #[test]
    fn a_table_that_fits_is_left_as_it_is() {
        let columns = [Column::fixed("ID"), Column::truncate("NAME")];
        assert_eq!(fit_widths(&columns, &[2, 10], 80), vec![2, 10]);
    }

    #[test]
    fn names_are_cut_and_ids_never() {
        let columns = [
            Column::fixed("ID"),
            Column::truncate("CLASS"),
            Column::fixed("DATE"),
        ];
        // 6 + 2 + 10 + 2 + 10 + 2 = 32 columns wanted, 26 available.
        assert_eq!(fit_widths(&columns, &[6, 10, 10], 26), vec![6, 6, 10]);
        let text = render(
            &columns,
            true,
            vec![vec![
                Cell::new(123456),
                Cell::new("Year 10 Mathematics"),
                Cell::new("2026-12-05"),
            ]],
            Some(30),
            false,
        );
        let rows = lines(&text);
        assert_eq!(rows.len(), 2, "{text}");
        assert!(rows[1].contains("123456") && rows[1].contains("2026-12-05"), "{text}");
        assert!(rows[1].contains('…'), "{text}");
        assert!(rows.iter().all(|l| l.chars().count() <= 30), "{text}");
    }

    #[test]
    fn headers_wrap_between_words_never_inside_one() {
        let columns = [Column::fixed("ID"), Column::truncate("OPEN PAST END")];
        let text = render(
            &columns,
            true,
            vec![vec![Cell::new(1), Cell::new("a long value here")]],
            Some(14),
            false,
        );
        assert!(text.contains("OPEN") && text.contains("PAST") && text.contains("END"));
        for word in ["OPE\n", "PAS\n"] {
            assert!(!text.contains(word), "{text}");
        }
    }

    #[test]
    fn prose_gives_way_before_names() {
        let columns = [Column::truncate("NAME"), Column::wrap("DETAIL")];
        assert_eq!(fit_widths(&columns, &[20, 60], 60), vec![20, 36]);
    }

    #[test]
    fn without_a_width_every_cell_is_whole() {
        let columns = [Column::truncate("NAME")];
        let long = "x".repeat(200);
        let text = render(&columns, true, vec![vec![Cell::new(&long)]], None, false);
        assert!(text.contains(&long));
    }
}
