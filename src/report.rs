//! The closure report (`attctl report closures`): its types, and how it is drawn (table
//! rows, CSV, a terminal bar chart, an SVG chart).
//!
//! The numbers are computed where the data is ([`crate::store::SessionStore::closure_report`]:
//! one SQL function on Supabase, one SQL query in SQLite); this module only renders them.
//! A statistic with no data is `None` (JSON `null`), never 0.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::session::ClassId;

/// How the sessions are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// By class name.
    Class,
    /// By the weekday of the session's own (local) date: Monday … Sunday.
    Weekday,
    /// By ISO week of the session's own date: `2025-W03`.
    Week,
    /// By month of the session's own date: `2025-01`.
    Month,
    /// By who closed it: `manual`, `auto`, `sweep`, `open` (not closed yet), `unrecorded`.
    ClosedBy,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Class => "class",
            GroupBy::Weekday => "weekday",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
            GroupBy::ClosedBy => "closed_by",
        }
    }
}

/// What the store is asked for. `now` decides open past end vs upcoming, so both backends
/// (and a test) agree on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub class_id: Option<ClassId>,
    pub by: GroupBy,
    pub now: DateTime<Utc>,
}

/// The figures of one group (or of all of them). Field order is the JSON order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClosureStats {
    pub sessions: u64,
    pub closed_manual: u64,
    pub closed_auto: u64,
    pub closed_sweep: u64,
    /// Still Open, and its end has passed.
    pub open_past_end: u64,
    /// Still Open, and its end is still to come.
    pub open_upcoming: u64,
    /// `closed_at - closes_at` over automatic closes, in seconds (linear interpolation,
    /// as PostgreSQL's `percentile_cont`).
    pub auto_lag_p50_s: Option<f64>,
    pub auto_lag_p95_s: Option<f64>,
    pub auto_lag_max_s: Option<f64>,
    /// Manual closes before the session's end.
    pub manual_early: u64,
    /// Their median, in minutes before the end.
    pub manual_early_median_min: Option<f64>,
    /// Closed, with no `closed_by` (closed by the original app, or by hand in the database).
    pub closed_unrecorded: u64,
    /// The automatic closes counted by lag, in the buckets of
    /// [`AUTO_LAG_HISTOGRAM_EDGES_S`]: below the first edge, then from each edge to the next,
    /// then from the last edge on (14 counts). Empty from a database whose report function
    /// predates it.
    #[serde(default)]
    pub auto_lag_histogram: Vec<u64>,
}

/// The edges of the automatic-close lag histogram, in seconds: fixed, roughly log-scale.
/// Bucket 0 holds lags below 0 (closed before the end: clock skew), bucket i the lags from
/// edge i-1 up to (not including) edge i, the last bucket lags of an hour or more. Every
/// edge is a multiple of 1/16 s (the Supabase function's fine lag bucket), so both stores
/// count exactly the same closes.
pub const AUTO_LAG_HISTOGRAM_EDGES_S: [f64; 13] = [
    0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

/// A short name for histogram bucket `i`: `<0s`, `0-0.5s`, …, `>=1h`.
pub fn histogram_bucket_label(i: usize) -> String {
    fn short(v: f64) -> String {
        if v >= 3600.0 {
            format!("{}h", v / 3600.0)
        } else if v >= 60.0 {
            format!("{}m", v / 60.0)
        } else {
            format!("{v}s")
        }
    }
    let edges = AUTO_LAG_HISTOGRAM_EDGES_S;
    match i {
        0 => format!("<{}", short(edges[0])),
        i if i >= edges.len() => format!(">={}", short(edges[edges.len() - 1])),
        i => format!("{}-{}", short(edges[i - 1]), short(edges[i])).replace("s-", "-"),
    }
}

/// One group of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosureGroup {
    pub group: String,
    #[serde(flatten)]
    pub stats: ClosureStats,
}

/// What a store computes: the groups (in display order) and the figures over all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClosureFigures {
    pub groups: Vec<ClosureGroup>,
    pub total: ClosureStats,
}

/// The report as printed (`-o json`). Field names are a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ClosureReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub by: GroupBy,
    pub groups: Vec<ClosureGroup>,
    pub total: ClosureStats,
    /// [`AUTO_LAG_HISTOGRAM_EDGES_S`], so that the histograms read on their own.
    pub auto_lag_histogram_edges_s: [f64; 13],
}

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
pub fn figure(value: Option<f64>, digits: usize) -> String {
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

fn csv_number(value: Option<f64>) -> String {
    // Rust's shortest round-trip form, the same digits as the JSON: no rounding away.
    value.map(|v| v.to_string()).unwrap_or_default()
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

impl ClosureReport {
    /// The whole report as CSV: a header, one row per group, then the total.
    pub(crate) fn write_csv(&self, out: impl std::io::Write) -> crate::error::Result<()> {
        let mut w = crate::output::csv::CsvWriter::new(out);
        w.record(CSV_HEADER)?;
        for g in &self.groups {
            w.record(csv_row("group", &g.group, &g.stats))?;
        }
        w.record(csv_row("total", "", &self.total))?;
        w.finish()
    }

    /// A terminal bar chart of who closed the sessions of each group. Without colour each
    /// share has its own block shade, so it reads on any terminal and in a pipe.
    pub(crate) fn chart(&self, width: usize, color: bool) -> String {
        let mut out = String::new();
        let label_width = self
            .groups
            .iter()
            .map(|g| g.group.chars().count())
            .chain(std::iter::once(5))
            .max()
            .unwrap_or(5)
            .min(30);
        let rows = self
            .groups
            .iter()
            .map(|g| (g.group.as_str(), &g.stats))
            .chain(std::iter::once(("total", &self.total)));
        for (label, stats) in rows {
            let label: String = label.chars().take(label_width).collect();
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
            let _ = writeln!(out, "{:pad$} {} sessions", "", stats.sessions, pad = pad);
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
        let _ = writeln!(out, "{:label_width$} {}", "", legend.join("  "));
        out
    }

    /// A standalone SVG: one stacked bar per group (who closed its sessions), beside it the
    /// automatic-close lag of that group (p50, p95 and max, in seconds), and below them the
    /// histogram of the lags of all automatic closes.
    pub(crate) fn svg(&self) -> String {
        svg::render(self)
    }
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

mod svg {
    //! SVG written by hand: every text is escaped, every number is finite.

    use std::fmt::Write as _;

    use super::{ClosureReport, SEGMENTS, segment_counts};

    /// `&`, `<`, `>`, quotes, and characters XML 1.0 does not allow at all.
    pub fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' | '\n' | '\r' => out.push(' '),
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                    out.push('\u{FFFD}')
                }
                c => out.push(c),
            }
        }
        out
    }

    const ROW: f64 = 28.0;
    const BAR: f64 = 18.0;
    const LABEL: f64 = 180.0;
    const SHARE_W: f64 = 400.0;
    const GAP: f64 = 40.0;
    const LAG_W: f64 = 300.0;
    const TOP: f64 = 60.0;
    /// Height of the histogram's tallest bar, and all the panel takes below the legend.
    const HIST_H: f64 = 140.0;
    const HIST_PANEL: f64 = 220.0;

    fn n(v: f64) -> String {
        if v.is_finite() {
            format!("{v:.2}")
        } else {
            "0".to_string()
        }
    }

    pub(super) fn render(report: &ClosureReport) -> String {
        let rows = report.groups.len().max(1) as f64;
        let width = LABEL + SHARE_W + GAP + LAG_W + 20.0;
        let height = TOP + rows * ROW + 70.0 + HIST_PANEL;
        let lag_x = LABEL + SHARE_W + GAP;
        let max_lag = report
            .groups
            .iter()
            .filter_map(|g| g.stats.auto_lag_max_s)
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max);
        let min_lag = report
            .groups
            .iter()
            .filter_map(|g| g.stats.auto_lag_p50_s)
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::min);
        let span = if max_lag - min_lag > 0.0 {
            max_lag - min_lag
        } else {
            1.0
        };
        let lag_pos = |v: f64| lag_x + (v - min_lag) / span * LAG_W;

        let mut s = String::new();
        let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#,
            w = n(width),
            h = n(height)
        );
        let title = format!(
            "Session closures by {}{}{}",
            report.by.as_str().replace('_', " "),
            report
                .from
                .map(|d| format!(" from {d}"))
                .unwrap_or_default(),
            report.to.map(|d| format!(" to {d}")).unwrap_or_default()
        );
        let _ = writeln!(s, "<title>{}</title>", escape(&title));
        let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        let _ = writeln!(
            s,
            r#"<text x="10" y="22" font-size="15" font-weight="bold">{}</text>"#,
            escape(&title)
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="46">Who closed the sessions (share of each group)</text>"#,
            n(LABEL)
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="46">Automatic close lag, seconds (p50, p95, max)</text>"#,
            n(lag_x)
        );
        let _ = writeln!(s, r#"<g class="bars">"#);
        for (i, g) in report.groups.iter().enumerate() {
            let y = TOP + i as f64 * ROW;
            let name = escape(&g.group);
            let _ = writeln!(s, r#"<g class="bar-group" data-group="{name}">"#);
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end">{name}</text>"#,
                n(LABEL - 8.0),
                n(y + BAR - 4.0)
            );
            let counts = segment_counts(&g.stats);
            let total: u64 = counts.iter().sum();
            let mut x = LABEL;
            for (seg, count) in SEGMENTS.iter().zip(counts) {
                if total == 0 || count == 0 {
                    continue;
                }
                let w = count as f64 / total as f64 * SHARE_W;
                let _ = writeln!(
                    s,
                    r#"<rect class="segment" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {} ({:.1}%)</title></rect>"#,
                    n(x),
                    n(y),
                    n(w),
                    n(BAR),
                    seg.fill,
                    name,
                    count,
                    escape(seg.name),
                    count as f64 * 100.0 / total as f64
                );
                x += w;
            }
            if total == 0 {
                let _ = writeln!(
                    s,
                    r##"<text x="{}" y="{}" fill="#666">no sessions</text>"##,
                    n(LABEL + 4.0),
                    n(y + BAR - 4.0)
                );
            }
            match (
                g.stats.auto_lag_p50_s,
                g.stats.auto_lag_p95_s,
                g.stats.auto_lag_max_s,
            ) {
                (Some(p50), Some(p95), Some(max)) => {
                    let mid = y + BAR / 2.0;
                    let _ = writeln!(
                        s,
                        r##"<g class="lag"><line x1="{}" y1="{mid}" x2="{}" y2="{mid}" stroke="#999" stroke-width="2"/><rect x="{}" y="{}" width="{}" height="{}" fill="#54a24b" opacity="0.6"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#000" stroke-width="2"/><title>{name}: p50 {:.1} s, p95 {:.1} s, max {:.1} s</title></g>"##,
                        n(lag_pos(p50)),
                        n(lag_pos(max)),
                        n(lag_pos(p50).min(lag_pos(p95))),
                        n(y + 3.0),
                        n((lag_pos(p95) - lag_pos(p50)).abs().max(1.0)),
                        n(BAR - 6.0),
                        n(lag_pos(p50)),
                        n(y),
                        n(lag_pos(p50)),
                        n(y + BAR),
                        p50,
                        p95,
                        max,
                        mid = n(mid),
                    );
                }
                _ => {
                    let _ = writeln!(
                        s,
                        r##"<text x="{}" y="{}" fill="#666">no automatic closes</text>"##,
                        n(lag_x),
                        n(y + BAR - 4.0)
                    );
                }
            }
            let _ = writeln!(s, "</g>");
        }
        let _ = writeln!(s, "</g>");
        // Axis of the lag panel, and the legend.
        let axis_y = TOP + rows * ROW + 4.0;
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#333"/><text x="{}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>"##,
            n(lag_x),
            n(axis_y),
            n(lag_x + LAG_W),
            n(axis_y),
            n(lag_x),
            n(axis_y + 14.0),
            n(min_lag),
            n(lag_x + LAG_W),
            n(axis_y + 14.0),
            n(max_lag)
        );
        let mut x = LABEL;
        let legend_y = axis_y + 36.0;
        let _ = writeln!(s, r#"<g class="legend">"#);
        for seg in &SEGMENTS {
            let _ = writeln!(
                s,
                r#"<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>"#,
                n(x),
                n(legend_y - 10.0),
                seg.fill,
                n(x + 16.0),
                n(legend_y),
                escape(seg.name)
            );
            x += 110.0;
        }
        let _ = writeln!(s, "</g>");
        histogram(&mut s, report, legend_y + 30.0, width);
        let _ = writeln!(s, "</svg>");
        s
    }

    /// The lag distribution of all automatic closes: one bar per bucket of
    /// [`AUTO_LAG_HISTOGRAM_EDGES_S`], its height the count, on a panel starting at `top`.
    fn histogram(s: &mut String, report: &ClosureReport, top: f64, width: f64) {
        let counts = &report.total.auto_lag_histogram;
        let _ = writeln!(
            s,
            r#"<g class="lag-histogram" transform="translate(0 {})">"#,
            n(top)
        );
        let _ = writeln!(
            s,
            r#"<text x="10" y="0">Automatic close lag, all groups: closes per lag bucket</text>"#
        );
        if counts.is_empty() || counts.iter().all(|c| *c == 0) {
            let _ = writeln!(
                s,
                r##"<text x="{}" y="30" fill="#666">no automatic closes</text>"##,
                n(LABEL)
            );
            let _ = writeln!(s, "</g>");
            return;
        }
        let left = 40.0;
        let slot = (width - left - 20.0) / counts.len() as f64;
        let highest = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let base = 20.0 + HIST_H;
        for (i, count) in counts.iter().enumerate() {
            let h = *count as f64 / highest * HIST_H;
            let x = left + i as f64 * slot;
            let label = escape(&super::histogram_bucket_label(i));
            let _ = writeln!(
                s,
                r##"<rect class="histogram-bar" data-bucket="{label}" data-count="{count}" x="{}" y="{}" width="{}" height="{}" fill="#54a24b"><title>{label}: {count} closes</title></rect>"##,
                n(x + 4.0),
                n(base - h),
                n((slot - 8.0).max(1.0)),
                n(h)
            );
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="10">{count}</text><text x="{}" y="{}" text-anchor="middle" font-size="10">{label}</text>"#,
                n(x + slot / 2.0),
                n(base - h - 3.0),
                n(x + slot / 2.0),
                n(base + 14.0)
            );
        }
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#333"/>"##,
            n(left),
            n(base),
            n(left + slot * counts.len() as f64),
            n(base)
        );
        let _ = writeln!(s, "</g>");
    }
}

pub use svg::escape as xml_escape;

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
    fn xml_escape_handles_markup_and_control_characters() {
        assert_eq!(
            xml_escape("<a & 'b'>\u{1}"),
            "&lt;a &amp; &apos;b&apos;&gt;\u{FFFD}"
        );
    }

    #[test]
    fn no_sessions_is_no_percentage() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(count_with_share(0, 0), "0");
        assert_eq!(count_with_share(1, 4), "1 (25.0%)");
        assert_eq!(figure(None, 1), "-");
    }
}
