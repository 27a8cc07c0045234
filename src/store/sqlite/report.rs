//! The closure report, computed in SQL where the data is.
//!
//! Every lag is the integer `closed_at - closes_at` in microseconds ([`LAG_US`]), the very
//! expression of the schema-v6 indexes `teaching_sessions_close_lag_idx` (closed_by,
//! class_id, lag) and `teaching_sessions_close_lag_all_idx` (closed_by, lag): SQLite reads
//! it from them instead of parsing two timestamps per row, and gets the lags of each class
//! (and of all) already in order, so a report by class over the whole file sorts nothing.
//! The percentiles read only the ranks they need (row_number over that order); the
//! seconds are made from the microseconds as PostgreSQL's `date_part('epoch', interval)`
//! makes them, so both stores agree to the last bit.

use super::*;

/// `closed_at - closes_at` in microseconds: an exact integer. The same text as the index
/// expressions in schema v6 (SQLite matches an expression to an index by its text's tree).
pub(super) const LAG_US: &str = "((CAST(strftime('%s', substr(s.closed_at, 1, 19)) AS INTEGER) * 1000000 \
     + CAST(substr(s.closed_at, 21, 6) AS INTEGER)) \
     - (CAST(strftime('%s', substr(s.closes_at, 1, 19)) AS INTEGER) * 1000000 \
     + CAST(substr(s.closes_at, 21, 6) AS INTEGER)))";

/// Lower edges of the automatic-close lag histogram after its first bucket (lags below 0),
/// in microseconds: [`crate::report::AUTO_LAG_HISTOGRAM_EDGES_S`].
const HISTOGRAM_EDGES_US: [i64; 13] = [
    0,
    500_000,
    1_000_000,
    2_000_000,
    5_000_000,
    10_000_000,
    30_000_000,
    60_000_000,
    120_000_000,
    300_000_000,
    600_000_000,
    1_800_000_000,
    3_600_000_000,
];

/// `us` microseconds in seconds, as PostgreSQL's `date_part('epoch', interval)` computes
/// them: the interval's whole days (truncated towards zero) and the microseconds left,
/// `rest / 1e6 + 86400 * days` in double precision. The same operations give the same bits.
fn seconds(us: &str) -> String {
    format!("(CAST(({us}) % 86400000000 AS REAL) / 1000000 + 86400.0 * (({us}) / 86400000000))")
}

/// `lo + frac * (hi - lo)`, or `lo` itself when `frac` is 0: PostgreSQL's `percentile_cont`.
fn interpolated(lo: &str, hi: &str, frac: &str) -> String {
    format!("CASE WHEN ({frac}) = 0 THEN {lo} ELSE {lo} + ({frac}) * ({hi} - {lo}) END")
}

/// The closure report in one query: per group (level 0) and over all (level 1), in display
/// order. The grouping expression and the filters present are fixed SQL, chosen by the
/// query; values are parameters (?1 from, ?2 to, ?3 class id, ?4 now, ?5 0.5 and ?6 0.95:
/// the percentiles). Absent filters are left out of the text, so that a report over the
/// whole file can be answered from the lag indexes alone.
pub(super) fn closure_report_sql(query: &ClosureQuery) -> String {
    // session_date is the session's own local date: weekdays and weeks need no zone.
    // (key, label, order): groups are formed on the key and labelled after counting.
    let (key, label, order) = match query.by {
        GroupBy::Class => (
            "s.class_id",
            "coalesce((SELECT c.name FROM classes c WHERE c.id = k.g), 'class ' || k.g)",
            "coalesce((SELECT c.name FROM classes c WHERE c.id = k.g), 'class ' || k.g)",
        ),
        GroupBy::Weekday => (
            "strftime('%u', s.session_date)",
            "CASE k.g WHEN '1' THEN 'Monday' WHEN '2' THEN 'Tuesday' WHEN '3' THEN 'Wednesday' \
             WHEN '4' THEN 'Thursday' WHEN '5' THEN 'Friday' WHEN '6' THEN 'Saturday' \
             ELSE 'Sunday' END",
            "k.g",
        ),
        GroupBy::Week => ("strftime('%G-W%V', s.session_date)", "k.g", "k.g"),
        GroupBy::Month => ("substr(s.session_date, 1, 7)", "k.g", "k.g"),
        GroupBy::ClosedBy => (
            "coalesce(s.closed_by, CASE WHEN s.status = 'Open' THEN 'open' ELSE 'unrecorded' END)",
            "k.g",
            "k.g",
        ),
    };
    let mut filters = Vec::new();
    if query.from.is_some() {
        filters.push("s.session_date >= ?1");
    }
    if query.to.is_some() {
        filters.push("s.session_date <= ?2");
    }
    if query.class_id.is_some() {
        filters.push("s.class_id = ?3");
    }
    let and: String = filters.iter().map(|f| format!(" AND {f}")).collect();
    // With dates (a table's default is up to today) and no class, the lags are read through
    // the date index: `+` keeps SQLite from walking every automatic close in the closer's
    // lag index and reading each row for its date (a week of a 500,000-session file: 1.3 s
    // that way, 0.29 s this way; the whole range 12.9 s against 3.6 s). One class keeps the
    // lag index, whose class column narrows it further than any date range.
    let closer = if (query.from.is_some() || query.to.is_some()) && query.class_id.is_none() {
        "+s.closed_by"
    } else {
        "s.closed_by"
    };
    let where_all = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    let d = LAG_US;
    let mut hist = vec![format!(
        "count(CASE WHEN d < {} THEN 1 END) AS h0",
        HISTOGRAM_EDGES_US[0]
    )];
    for (i, pair) in HISTOGRAM_EDGES_US.windows(2).enumerate() {
        hist.push(format!(
            "count(CASE WHEN d >= {} AND d < {} THEN 1 END) AS h{}",
            pair[0],
            pair[1],
            i + 1
        ));
    }
    hist.push(format!(
        "count(CASE WHEN d >= {} THEN 1 END) AS h{}",
        HISTOGRAM_EDGES_US[HISTOGRAM_EDGES_US.len() - 1],
        HISTOGRAM_EDGES_US.len()
    ));
    let hist_cols = hist.join(", ");
    let hist_sums: String = (0..=HISTOGRAM_EDGES_US.len())
        .map(|i| format!(", coalesce(sum(h{i}), 0)"))
        .collect();
    let hist_out: String = (0..=HISTOGRAM_EDGES_US.len())
        .map(|i| format!(", coalesce(h.h{i}, 0)"))
        .collect();
    let hist_names: String = (0..=HISTOGRAM_EDGES_US.len())
        .map(|i| format!(", h{i}"))
        .collect();
    let lag_p50 = interpolated(
        &seconds("l.a"),
        &seconds("l.b"),
        "k.l50 - CAST(k.l50 AS INTEGER)",
    );
    let lag_p95 = interpolated(
        &seconds("l.c"),
        &seconds("l.e"),
        "k.l95 - CAST(k.l95 AS INTEGER)",
    );
    let lag_max = seconds("l.top");
    // Minutes early are the negated lags: the k-th smallest of them is the k-th largest lag.
    let early_p50 = interpolated(
        &format!("{} / 60", seconds("-e.a")),
        &format!("{} / 60", seconds("-e.b")),
        "k.e50 - CAST(k.e50 AS INTEGER)",
    );
    format!(
        "WITH \
         by_closer AS ( \
           SELECT {key} AS g, s.closed_by AS cb, count(*) AS n, count({d}) AS nd, \
                  count(CASE WHEN {d} < 0 THEN 1 END) AS neg \
           FROM teaching_sessions s{where_all} GROUP BY s.closed_by, 1), \
         open_rows AS ( \
           SELECT {key} AS g, count(CASE WHEN s.closes_at <= ?4 THEN 1 END) AS past, \
                  count(CASE WHEN s.closes_at > ?4 THEN 1 END) AS upcoming \
           FROM teaching_sessions s WHERE s.status = 'Open'{and} GROUP BY 1), \
         lag_v AS (SELECT {key} AS g, {d} AS d FROM teaching_sessions s \
                   WHERE {closer} = 'auto' AND {d} IS NOT NULL{and}), \
         early_v AS (SELECT {key} AS g, {d} AS d FROM teaching_sessions s \
                     WHERE {closer} = 'manual' AND {d} < 0{and}), \
         hist AS (SELECT g, {hist_cols} FROM lag_v GROUP BY g), \
         counted AS ( \
           SELECT 0 AS lvl, b.g, sum(b.n) AS sessions, \
                  sum(CASE WHEN b.cb = 'manual' THEN b.n ELSE 0 END) AS manual, \
                  sum(CASE WHEN b.cb = 'auto' THEN b.n ELSE 0 END) AS auto, \
                  sum(CASE WHEN b.cb = 'sweep' THEN b.n ELSE 0 END) AS sweep, \
                  sum(CASE WHEN b.cb IS NULL THEN b.n ELSE 0 END) AS no_closer, \
                  sum(CASE WHEN b.cb = 'auto' THEN b.nd ELSE 0 END) AS nl, \
                  sum(CASE WHEN b.cb = 'manual' THEN b.neg ELSE 0 END) AS ne \
           FROM by_closer b GROUP BY b.g \
           UNION ALL \
           SELECT 1, NULL, coalesce(sum(b.n), 0), \
                  coalesce(sum(CASE WHEN b.cb = 'manual' THEN b.n END), 0), \
                  coalesce(sum(CASE WHEN b.cb = 'auto' THEN b.n END), 0), \
                  coalesce(sum(CASE WHEN b.cb = 'sweep' THEN b.n END), 0), \
                  coalesce(sum(CASE WHEN b.cb IS NULL THEN b.n END), 0), \
                  coalesce(sum(CASE WHEN b.cb = 'auto' THEN b.nd END), 0), \
                  coalesce(sum(CASE WHEN b.cb = 'manual' THEN b.neg END), 0) \
           FROM by_closer b), \
         positioned AS ( \
           SELECT c.*, ?5 * (c.nl - 1) AS l50, ?6 * (c.nl - 1) AS l95, ?5 * (c.ne - 1) AS e50 \
           FROM counted c), \
         ranked AS ( \
           SELECT p.*, \
                  CAST(p.l50 AS INTEGER) AS l50lo, \
                  CAST(p.l50 AS INTEGER) + (p.l50 > CAST(p.l50 AS INTEGER)) AS l50hi, \
                  CAST(p.l95 AS INTEGER) AS l95lo, \
                  CAST(p.l95 AS INTEGER) + (p.l95 > CAST(p.l95 AS INTEGER)) AS l95hi, \
                  p.ne - 1 - CAST(p.e50 AS INTEGER) AS e50lo, \
                  p.ne - 1 - CAST(p.e50 AS INTEGER) - (p.e50 > CAST(p.e50 AS INTEGER)) AS e50hi \
           FROM positioned p), \
         lag_r AS (SELECT g, d, row_number() OVER (PARTITION BY g ORDER BY d) - 1 AS r FROM lag_v), \
         lag_rt AS (SELECT d, row_number() OVER (ORDER BY d) - 1 AS r FROM lag_v), \
         early_r AS (SELECT g, d, row_number() OVER (PARTITION BY g ORDER BY d) - 1 AS r \
                     FROM early_v), \
         early_rt AS (SELECT d, row_number() OVER (ORDER BY d) - 1 AS r FROM early_v), \
         lag_picked AS ( \
           SELECT k.lvl, k.g, max(CASE WHEN x.r = k.l50lo THEN x.d END) AS a, \
                  max(CASE WHEN x.r = k.l50hi THEN x.d END) AS b, \
                  max(CASE WHEN x.r = k.l95lo THEN x.d END) AS c, \
                  max(CASE WHEN x.r = k.l95hi THEN x.d END) AS e, \
                  max(CASE WHEN x.r = k.nl - 1 THEN x.d END) AS top \
           FROM lag_r x CROSS JOIN ranked k \
           WHERE k.lvl = 0 AND k.g = x.g \
             AND x.r IN (k.l50lo, k.l50hi, k.l95lo, k.l95hi, k.nl - 1) \
           GROUP BY k.lvl, k.g \
           UNION ALL \
           SELECT k.lvl, k.g, max(CASE WHEN x.r = k.l50lo THEN x.d END), \
                  max(CASE WHEN x.r = k.l50hi THEN x.d END), \
                  max(CASE WHEN x.r = k.l95lo THEN x.d END), \
                  max(CASE WHEN x.r = k.l95hi THEN x.d END), \
                  max(CASE WHEN x.r = k.nl - 1 THEN x.d END) \
           FROM lag_rt x CROSS JOIN ranked k \
           WHERE k.lvl = 1 AND x.r IN (k.l50lo, k.l50hi, k.l95lo, k.l95hi, k.nl - 1) \
           GROUP BY k.lvl, k.g), \
         early_picked AS ( \
           SELECT k.lvl, k.g, max(CASE WHEN x.r = k.e50lo THEN x.d END) AS a, \
                  max(CASE WHEN x.r = k.e50hi THEN x.d END) AS b \
           FROM early_r x CROSS JOIN ranked k \
           WHERE k.lvl = 0 AND k.g = x.g AND x.r IN (k.e50lo, k.e50hi) \
           GROUP BY k.lvl, k.g \
           UNION ALL \
           SELECT k.lvl, k.g, max(CASE WHEN x.r = k.e50lo THEN x.d END), \
                  max(CASE WHEN x.r = k.e50hi THEN x.d END) \
           FROM early_rt x CROSS JOIN ranked k \
           WHERE k.lvl = 1 AND x.r IN (k.e50lo, k.e50hi) \
           GROUP BY k.lvl, k.g), \
         open_all AS ( \
           SELECT 0 AS lvl, g, past, upcoming FROM open_rows \
           UNION ALL SELECT 1, NULL, sum(past), sum(upcoming) FROM open_rows), \
         hist_all AS ( \
           SELECT 0 AS lvl, g{hist_names} FROM hist \
           UNION ALL SELECT 1, NULL{hist_sums} FROM hist) \
         SELECT k.lvl, CASE WHEN k.lvl = 0 THEN {label} ELSE '' END AS label, \
                k.sessions, k.manual, k.auto, k.sweep, \
                coalesce(o.past, 0), coalesce(o.upcoming, 0), \
                {lag_p50}, {lag_p95}, {lag_max}, k.ne, {early_p50}, \
                k.no_closer - coalesce(o.past, 0) - coalesce(o.upcoming, 0){hist_out} \
         FROM ranked k \
         LEFT JOIN open_all o ON o.lvl = k.lvl AND o.g IS k.g \
         LEFT JOIN lag_picked l ON l.lvl = k.lvl AND l.g IS k.g \
         LEFT JOIN early_picked e ON e.lvl = k.lvl AND e.g IS k.g \
         LEFT JOIN hist_all h ON h.lvl = k.lvl AND h.g IS k.g \
         ORDER BY k.lvl, CASE WHEN k.lvl = 0 THEN {order} END, label"
    )
}

#[async_trait]
impl Reports for SqliteStore {
    async fn run_health(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<crate::store::RunHealth> {
        planning::run_health(self, since, until).await
    }

    async fn open_closing_between(&self, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<u64> {
        let from = enc_instant(from, "time")?;
        let until = enc_instant(until, "time")?;
        self.call(move |conn| {
            let n: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM teaching_sessions \
                     WHERE status = 'Open' AND closes_at >= ?1 AND closes_at < ?2",
                )?
                .query_row([&from, &until], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
        .await
    }

    async fn closure_report(&self, query: &ClosureQuery) -> Result<ClosureFigures> {
        let store = self;
        let sql = closure_report_sql(query);
        let from = query.from.map(enc_date).transpose()?;
        let to = query.to.map(enc_date).transpose()?;
        let class_id = query.class_id;
        let now = enc_instant(query.now, "time")?;
        store
            .call(move |conn| {
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows =
                    stmt.query_map(params![from, to, class_id, now, 0.5_f64, 0.95_f64], |r| {
                        let count = |i: usize| -> rusqlite::Result<u64> {
                            Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
                        };
                        let auto_lag_histogram = (14..14 + HISTOGRAM_EDGES_US.len() + 1)
                            .map(count)
                            .collect::<rusqlite::Result<Vec<u64>>>()?;
                        let stats = ClosureStats {
                            sessions: count(2)?,
                            closed_manual: count(3)?,
                            closed_auto: count(4)?,
                            closed_sweep: count(5)?,
                            open_past_end: count(6)?,
                            open_upcoming: count(7)?,
                            auto_lag_p50_s: r.get(8)?,
                            auto_lag_p95_s: r.get(9)?,
                            auto_lag_max_s: r.get(10)?,
                            manual_early: count(11)?,
                            manual_early_median_min: r.get(12)?,
                            closed_unrecorded: count(13)?,
                            auto_lag_histogram,
                        };
                        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, stats))
                    })?;
                let mut figures = ClosureFigures::default();
                for row in rows {
                    let (level, group, stats) = row?;
                    if level == 0 {
                        figures.groups.push(ClosureGroup { group, stats });
                    } else {
                        figures.total = stats;
                    }
                }
                Ok(figures)
            })
            .await
    }

    async fn open_past_end(
        &self,
        before: DateTime<Utc>,
        class_id: Option<crate::session::ClassId>,
        after_id: Option<SessionId>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        planning::open_past_end(self, before, class_id, after_id, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query plan of a report by class over `from..=to`, on a fresh file.
    fn report_plan(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.db");
        drop(SqliteStore::open(&path).expect("open"));
        let conn = Connection::open(&path).expect("raw open");
        let sql = closure_report_sql(&ClosureQuery {
            from,
            to,
            class_id: None,
            by: GroupBy::Class,
            now: chrono::Utc::now(),
        });
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        stmt.query_map(
            params![day(from), day(to), None::<i64>, "", 0.5, 0.95],
            |r| r.get::<_, String>(3),
        )
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("plan rows")
    }

    /// A report over a range of dates reads the sessions of those dates through the date
    /// index, not every automatic close through the lag index.
    #[test]
    fn a_report_over_dates_reads_them_through_the_date_index() {
        let week = |day| chrono::NaiveDate::from_ymd_opt(2030, 1, day);
        let plan = report_plan(week(1), week(7));
        let text = plan.join("\n");
        assert!(
            !text.contains("teaching_sessions_close_lag"),
            "no lag index for a range of dates: {text}"
        );
        assert!(
            text.contains(
                "INDEX teaching_sessions_date_start_id_idx (session_date>? AND session_date<?)"
            ),
            "{text}"
        );
    }

    /// A report by class over the whole file reads the lags from the schema-v6 indexes,
    /// already in order: no lag is parsed from its timestamps and none is sorted.
    #[test]
    fn a_report_by_class_reads_sorted_lags_from_the_indexes() {
        let plan = report_plan(None, None);
        let text = plan.join("\n");
        assert!(
            text.contains("COVERING INDEX teaching_sessions_close_lag_idx"),
            "{text}"
        );
        assert!(
            text.contains("COVERING INDEX teaching_sessions_close_lag_all_idx"),
            "{text}"
        );
        assert!(
            text.contains("COVERING INDEX teaching_sessions_open_class_idx"),
            "{text}"
        );
        // No session is read from the table, and the one sort left is of the result rows
        // (the groups), at the very end.
        assert!(!plan.iter().any(|l| l == "SCAN s"), "{text}");
        let sorts: Vec<usize> = plan
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains("TEMP B-TREE FOR ORDER BY"))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(sorts, [plan.len() - 1], "{text}");
    }
}
