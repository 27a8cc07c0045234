//! The closure report drawn for people and spreadsheets: table cells, CSV, a terminal bar
//! chart ([`svg`] draws the SVG). The report's types and figures are [`crate::report`]'s;
//! nothing here computes a statistic.

use std::fmt::Write as _;

use super::csv::CsvWriter;
use crate::error::Result;
use crate::report::{ClosureReport, ClosureStats};

pub(crate) mod svg;

/// The share of `part` in `whole`, as a percentage; no sessions is no share.
pub(crate) fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// `12 (34.5%)`, or `0` alone when there are no sessions to share.
pub(crate) fn count_with_share(part: u64, whole: u64) -> String {
    match percent(part, whole) {
        Some(p) => format!("{part} ({p:.1}%)"),
        None => part.to_string(),
    }
}

/// A statistic for people: `-` when there is no data.
pub(crate) fn figure(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.digits$}"))
}

/// The CSV header: `kind` (`group` or `total`), then the JSON field names in JSON order.
pub(crate) const CSV_HEADER: &[&str] = &[
    "kind",
    "group",
    "sessions",
    "closed_manual",
    "closed_auto",
    "closed_sweep",
    "open_past_end",
    "open_upcoming",
    "auto_lag_p50_s",
    "auto_lag_p95_s",
    "auto_lag_max_s",
    "manual_early",
    "manual_early_median_min",
    "closed_unrecorded",
];

/// A figure of the CSV, rounded to 2 decimals for spreadsheets and people (`91.45`, `2.5`,
/// `3`, not `91.45307328333334`); JSON keeps every digit.
fn csv_number(value: Option<f64>) -> String {
    value
        .map(|v| {
            let text = format!("{v:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            if text == "-0" {
                "0".to_string()
            } else {
                text.to_string()
            }
        })
        .unwrap_or_default()
}

fn csv_row(kind: &str, group: &str, s: &ClosureStats) -> [String; 14] {
    [
        kind.to_string(),
        group.to_string(),
        s.sessions.to_string(),
        s.closed_manual.to_string(),
        s.closed_auto.to_string(),
        s.closed_sweep.to_string(),
        s.open_past_end.to_string(),
        s.open_upcoming.to_string(),
        csv_number(s.auto_lag_p50_s),
        csv_number(s.auto_lag_p95_s),
        csv_number(s.auto_lag_max_s),
        s.manual_early.to_string(),
        csv_number(s.manual_early_median_min),
        s.closed_unrecorded.to_string(),
    ]
}

/// The whole closure report as CSV: a header, one row per group, then the total.
pub(crate) fn write_csv(report: &ClosureReport, out: impl std::io::Write) -> Result<()> {
    let mut w = CsvWriter::new(out);
    w.record(CSV_HEADER)?;
    for g in &report.groups {
        w.record(csv_row("group", &g.group, &g.stats))?;
    }
    w.record(csv_row("total", "", &report.total))?;
    w.finish()
}

/// A terminal bar chart of who closed the sessions of each group. Without colour each
/// share has its own block shade, so it reads on any terminal and in a pipe. Within
/// `columns` (a terminal's width), labels and bars are shortened to fit.
pub(crate) fn chart(
    report: &ClosureReport,
    width: usize,
    color: bool,
    columns: Option<usize>,
) -> String {
    let mut out = String::new();
    let label_width = report
        .groups
        .iter()
        .map(|g| g.group.chars().count())
        .chain(std::iter::once(5))
        .max()
        .unwrap_or(5)
        .min(30);
    // A line is label, space, bar, space and `12345 sessions`.
    let (label_width, width) = match columns {
        Some(c) => {
            let label = label_width.min(c / 4).max(5);
            (label, width.min(c.saturating_sub(label + 17)).max(10))
        }
        None => (label_width, width),
    };
    let rows = report
        .groups
        .iter()
        .map(|g| (g.group.as_str(), &g.stats))
        .chain(std::iter::once(("total", &report.total)));
    for (label, stats) in rows {
        let label: String = if label.chars().count() > label_width {
            let kept: String = label.chars().take(label_width - 1).collect();
            format!("{kept}…")
        } else {
            label.to_string()
        };
        let _ = write!(out, "{label:<label_width$} ");
        let cells = bar_cells(stats, width);
        let drawn: usize = cells.iter().sum();
        for (segment, n) in SEGMENTS.iter().zip(cells) {
            if n == 0 {
                continue;
            }
            let blocks: String = std::iter::repeat_n(segment.block, n).collect();
            if color {
                let _ = write!(out, "\x1b[{}m{blocks}\x1b[0m", segment.ansi);
            } else {
                out.push_str(&blocks);
            }
        }
        let pad = width.saturating_sub(drawn);
        let _ = writeln!(
            out,
            "{:pad$} {}",
            "",
            super::plural(stats.sessions as usize, "session"),
            pad = pad
        );
    }
    let legend: Vec<String> = SEGMENTS
        .iter()
        .map(|s| {
            let block = if color {
                format!("\x1b[{}m{}\x1b[0m", s.ansi, s.block)
            } else {
                s.block.to_string()
            };
            format!("{block} {}", s.name)
        })
        .collect();
    // The legend is indented under the bars unless that would take it past the edge.
    let legend_width: usize = SEGMENTS.iter().map(|s| s.name.len() + 4).sum::<usize>();
    let indent = columns.map_or(label_width + 1, |c| {
        (label_width + 1).min(c.saturating_sub(legend_width))
    });
    let _ = writeln!(out, "{:indent$}{}", "", legend.join("  "));
    out
}

/// A part of a closed-by bar: its name, terminal block, ANSI colour and SVG colour.
pub(crate) struct Segment {
    pub name: &'static str,
    pub block: char,
    pub ansi: &'static str,
    pub fill: &'static str,
}

pub(crate) const SEGMENTS: [Segment; 5] = [
    Segment {
        name: "manual",
        block: '█',
        ansi: "34",
        fill: "#4c78a8",
    },
    Segment {
        name: "auto",
        block: '▓',
        ansi: "32",
        fill: "#54a24b",
    },
    Segment {
        name: "sweep",
        block: '▒',
        ansi: "33",
        fill: "#eeca3b",
    },
    Segment {
        name: "open past end",
        block: '░',
        ansi: "31",
        fill: "#e45756",
    },
    Segment {
        name: "other",
        block: '·',
        ansi: "90",
        fill: "#bab0ac",
    },
];

/// The counts behind each segment of a bar, in [`SEGMENTS`] order ("other": upcoming and
/// unrecorded closes).
pub(crate) fn segment_counts(s: &ClosureStats) -> [u64; 5] {
    [
        s.closed_manual,
        s.closed_auto,
        s.closed_sweep,
        s.open_past_end,
        s.open_upcoming + s.closed_unrecorded,
    ]
}

/// Cells of a `width`-cell bar per segment, by largest remainder so they add up to `width`
/// (or to 0 for a group without sessions).
pub(crate) fn bar_cells(s: &ClosureStats, width: usize) -> [usize; 5] {
    let counts = segment_counts(s);
    let total: u64 = counts.iter().sum();
    let mut cells = [0usize; 5];
    if total == 0 {
        return cells;
    }
    let mut remainders = [(0u64, 0usize); 5];
    let mut used = 0;
    for (i, c) in counts.iter().enumerate() {
        let exact = (*c as u128) * (width as u128);
        cells[i] = (exact / total as u128) as usize;
        remainders[i] = ((exact % total as u128) as u64, i);
        used += cells[i];
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.iter().take(width.saturating_sub(used)) {
        cells[*i] += 1;
    }
    cells
}

#[cfg(test)]
mod csv_number_tests {
    #[test]
    fn figures_are_rounded_to_two_decimals() {
        let f = |v: f64| super::csv_number(Some(v));
        assert_eq!(f(91.45307328333334), "91.45");
        assert_eq!(
            (f(2.5), f(3.0), f(0.004), f(-0.001)),
            ("2.5".into(), "3".into(), "0".into(), "0".into())
        );
        assert_eq!(super::csv_number(None), "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(manual: u64, auto: u64, sweep: u64, past: u64) -> ClosureStats {
        ClosureStats {
            sessions: manual + auto + sweep + past,
            closed_manual: manual,
            closed_auto: auto,
            closed_sweep: sweep,
            open_past_end: past,
            ..ClosureStats::default()
        }
    }

    #[test]
    fn bars_add_up_to_their_width() {
        for (m, a, s, p) in [(1, 1, 1, 0), (3, 0, 0, 0), (1, 2, 3, 4), (0, 0, 0, 0)] {
            let st = stats(m, a, s, p);
            let sum: usize = bar_cells(&st, 40).iter().sum();
            assert_eq!(sum, if st.sessions == 0 { 0 } else { 40 });
        }
    }

    #[test]
    fn no_sessions_is_no_percentage() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(count_with_share(0, 0), "0");
        assert_eq!(count_with_share(1, 4), "1 (25.0%)");
        assert_eq!(figure(None, 1), "-");
    }
}
