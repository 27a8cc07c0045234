//! The closure report as a standalone SVG, written by hand: every text is escaped, every
//! number is finite.

use std::fmt::Write as _;

use super::{SEGMENTS, segment_counts};
use crate::report::{AUTO_LAG_HISTOGRAM_EDGES_S, ClosureReport};

/// `&`, `<`, `>`, quotes, and characters XML 1.0 does not allow at all.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
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

/// One stacked bar per group (who closed its sessions), beside it the automatic-close lag
/// of that group (p50, p95 and max, in seconds), and below them the histogram of the lags
/// of all automatic closes.
pub(crate) fn render(report: &ClosureReport) -> String {
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
        let label = escape(&histogram_bucket_label(i));
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

/// A short name for histogram bucket `i`: `<0s`, `0-0.5s`, …, `>=1h`.
fn histogram_bucket_label(i: usize) -> String {
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
        i => {
            // One unit when both ends share it (`0.5-1s`, `1-2m`), else both (`30s-1m`).
            let (lo, hi) = (short(edges[i - 1]), short(edges[i]));
            match (lo.chars().last(), hi.chars().last()) {
                (Some(a), Some(b)) if a == b => format!("{}-{hi}", &lo[..lo.len() - 1]),
                _ => format!("{lo}-{hi}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_labels_name_a_unit_for_each_end_that_differs() {
        let labels: Vec<String> = (0..=AUTO_LAG_HISTOGRAM_EDGES_S.len())
            .map(histogram_bucket_label)
            .collect();
        assert_eq!(
            labels,
            [
                "<0s", "0-0.5s", "0.5-1s", "1-2s", "2-5s", "5-10s", "10-30s", "30s-1m", "1-2m",
                "2-5m", "5-10m", "10-30m", "30m-1h", ">=1h"
            ]
        );
    }

    #[test]
    fn xml_escape_handles_markup_and_control_characters() {
        assert_eq!(
            escape("<a & 'b'>\u{1}"),
            "&lt;a &amp; &apos;b&apos;&gt;\u{FFFD}"
        );
    }
}
