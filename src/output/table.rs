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

    /// The narrowest this column may become, given the widest of its cells: never below
    /// its header's longest word (a header is wrapped between words, never inside one);
    /// a fixed column keeps its cells whole, a truncated or wrapped one a few characters.
    fn min_width(&self, content: usize) -> usize {
        let word = self
            .header
            .split_whitespace()
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        match self.fit {
            Fit::Fixed => content.max(word),
            Fit::Truncate => word.max(MIN_TRUNCATED.min(content)),
            Fit::Wrap => word.max(MIN_WRAPPED.min(content)),
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

/// Content widths (padding excluded) for columns whose cells are at most `content` wide
/// and whose headers and cells together are `natural` wide, in `available` terminal
/// columns. Until the table fits, the widest column that may give way loses one character
/// at a time: prose first, then headers of several words (which wrap between them: a
/// header line more costs less than a name cut), then names; when every column is at its narrowest the terminal wraps the rest.
pub(crate) fn fit_widths(
    columns: &[Column],
    natural: &[usize],
    content: &[usize],
    available: usize,
) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let mins: Vec<usize> = columns
        .iter()
        .zip(content.iter().zip(natural))
        .map(|(c, (w, n))| c.min_width(*w).min(*n))
        .collect();
    let mut total: usize = widths.iter().map(|w| w + PADDING).sum();
    while total > available {
        let pick = |fit: Fit| {
            (0..widths.len())
                .filter(|&i| columns[i].fit == fit && widths[i] > mins[i])
                .max_by_key(|&i| (widths[i], std::cmp::Reverse(i)))
        };
        let Some(i) = pick(Fit::Wrap)
            .or_else(|| pick(Fit::Fixed))
            .or_else(|| pick(Fit::Truncate))
        else {
            break;
        };
        widths[i] -= 1;
        total -= 1;
    }
    widths
}

/// The width of the table drawn with every cell whole.
pub(crate) fn natural_width(columns: &[Column], rows: &[Vec<Cell>]) -> usize {
    let (natural, _) = measure(columns, true, rows);
    natural.iter().map(|w| w + PADDING).sum()
}

/// Per column: the widest of header and cells, and the widest cell.
fn measure(columns: &[Column], header: bool, rows: &[Vec<Cell>]) -> (Vec<usize>, Vec<usize>) {
    let mut content = vec![0; columns.len()];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(content.len()) {
            content[i] = content[i].max(cell_width(cell));
        }
    }
    let natural = columns
        .iter()
        .zip(&content)
        .map(|(c, w)| {
            if header {
                (*w).max(UnicodeWidthStr::width(c.header.as_ref()))
            } else {
                *w
            }
        })
        .collect();
    (natural, content)
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
    let (natural, content) = measure(columns, header, &rows);
    let fitted = width.map(|w| fit_widths(columns, &natural, &content, usize::from(w)));
    // A table whose prose wraps has rows of several lines anyway; elsewhere a row is one
    // line and what does not fit is cut.
    let one_line = !columns.iter().any(|c| c.fit == Fit::Wrap);
    if header {
        table.set_header(Row::from(header_cells));
    }
    for cells in rows {
        // A cut name fills its column (`Year 10 Further Mathe…`) rather than stopping at
        // its last space, as comfy-table's own cut would.
        let cells: Vec<Cell> = match &fitted {
            Some(widths) => cells
                .into_iter()
                .enumerate()
                .map(|(i, cell)| match (columns.get(i), widths.get(i)) {
                    (Some(c), Some(w)) if c.fit == Fit::Truncate && cell_width(&cell) > *w => {
                        Cell::new(cut(&cell.content(), *w))
                    }
                    _ => cell,
                })
                .collect(),
            None => cells,
        };
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

/// `text` on one line of at most `width` columns, ending in `…` when cut (a cut cell is
/// plain text: truncated columns hold names, never a coloured state).
fn cut(text: &str, width: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut kept = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    format!("{}…", kept.trim_end())
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
        assert_eq!(fit_widths(&columns, &[2, 10], &[2, 10], 80), vec![2, 10]);
    }

    #[test]
    fn names_are_cut_and_ids_never() {
        let columns = [
            Column::fixed("ID"),
            Column::truncate("CLASS"),
            Column::fixed("DATE"),
        ];
        // 6 + 2 + 10 + 2 + 10 + 2 = 32 columns wanted, 26 available.
        assert_eq!(
            fit_widths(&columns, &[6, 10, 10], &[6, 10, 10], 26),
            vec![6, 6, 10]
        );
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
        assert!(
            rows[1].contains("123456") && rows[1].contains("2026-12-05"),
            "{text}"
        );
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
    fn a_cut_name_fills_its_width_and_ends_in_an_ellipsis() {
        assert_eq!(cut("Year 10 Further Mathematics", 12), "Year 10 Fur…");
        assert_eq!(cut("Year 11 Geography and more", 12), "Year 11 Geo…");
        assert_eq!(cut("Geography and more", 11), "Geography…");
        assert_eq!(cut("Année été", 6), "Année…");
    }

    #[test]
    fn prose_gives_way_before_names() {
        let columns = [Column::truncate("NAME"), Column::wrap("DETAIL")];
        assert_eq!(fit_widths(&columns, &[20, 60], &[20, 60], 60), vec![20, 36]);
    }

    #[test]
    fn a_header_wraps_between_words_before_a_name_is_cut() {
        let columns = [Column::truncate("NAME"), Column::fixed("OPEN PAST END")];
        // The header wraps first, down to its widest cell (9 is wider than any of its
        // words); then NAME gives way, down to its minimum (6).
        assert_eq!(fit_widths(&columns, &[20, 13], &[20, 9], 30), vec![17, 9]);
        assert_eq!(fit_widths(&columns, &[20, 13], &[20, 9], 10), vec![6, 9]);
        assert_eq!(fit_widths(&columns, &[20, 13], &[20, 9], 10), vec![6, 9]);
    }

    #[test]
    fn without_a_width_every_cell_is_whole() {
        let columns = [Column::truncate("NAME")];
        let long = "x".repeat(200);
        let text = render(&columns, true, vec![vec![Cell::new(&long)]], None, false);
        assert!(text.contains(&long));
    }
}
