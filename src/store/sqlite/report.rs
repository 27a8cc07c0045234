//! The closure report, computed in SQL where the data is.

use super::*;

/// Microseconds since the epoch of a stored instant (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), as an
/// exact integer.
pub(super) fn sql_micros(column: &str) -> String {
    format!(
        "(unixepoch(substr({column}, 1, 19)) * 1000000 + CAST(substr({column}, 21, 6) AS INTEGER))"
    )
}

/// `later - earlier` in seconds, as PostgreSQL's `date_part('epoch', later - earlier)`
/// computes it: the interval's whole days (truncated towards zero) and the microseconds
/// left, `rest / 1e6 + 86400 * days` in double precision. The same operations give the same
/// bits, so both stores agree to the last digit.
pub(super) fn sql_seconds_between(later: &str, earlier: &str) -> String {
    let diff = format!("({} - {})", sql_micros(later), sql_micros(earlier));
    format!("(CAST({diff} % 86400000000 AS REAL) / 1000000 + 86400.0 * ({diff} / 86400000000))")
}

/// A percentile of `v` over rows ranked `rn` of `n` in a group, interpolated linearly exactly
/// as PostgreSQL's `percentile_cont`: rows floor(p(n-1)) and ceil(p(n-1)) (0-based), and
/// `lo + frac * (hi - lo)` in double precision; the row itself when frac is 0.
pub(super) fn sql_percentile(p: &str, name: &str) -> String {
    let pos = format!("({p} * (n - 1))");
    let first = format!("CAST({pos} AS INTEGER)");
    format!(
        "max(CASE WHEN rn = {first} + 1 THEN v END) AS {name}_lo, \
         max(CASE WHEN rn = {first} + 1 + ({pos} > {first}) THEN v END) AS {name}_hi, \
         max({pos} - {first}) AS {name}_frac"
    )
}

pub(super) fn sql_interpolated(name: &str) -> String {
    format!(
        "CASE WHEN {name}_frac = 0 THEN {name}_lo \
         ELSE {name}_lo + {name}_frac * ({name}_hi - {name}_lo) END"
    )
}

/// The closure report in one query: per group (level 0) and over all (level 1), in display
/// order. The grouping expressions are fixed SQL, chosen by `by`; values are parameters
/// (?1 from, ?2 to, ?3 class id, ?4 now, ?5 0.5 and ?6 0.95: the percentiles).
pub(super) fn closure_report_sql(by: GroupBy) -> String {
    let closed_by_label =
        "coalesce(s.closed_by, CASE WHEN s.status = 'Open' THEN 'open' ELSE 'unrecorded' END)";
    // session_date is the session's own local date: weekdays and weeks need no zone.
    let (group, order) = match by {
        GroupBy::Class => (
            "coalesce(c.name, 'class ' || s.class_id)".to_string(),
            "coalesce(c.name, 'class ' || s.class_id)".to_string(),
        ),
        GroupBy::Weekday => (
            "CASE strftime('%u', s.session_date) WHEN '1' THEN 'Monday' WHEN '2' THEN 'Tuesday' \
             WHEN '3' THEN 'Wednesday' WHEN '4' THEN 'Thursday' WHEN '5' THEN 'Friday' \
             WHEN '6' THEN 'Saturday' ELSE 'Sunday' END"
                .to_string(),
            "strftime('%u', s.session_date)".to_string(),
        ),
        GroupBy::Week => (
            "strftime('%G-W%V', s.session_date)".to_string(),
            "strftime('%G-W%V', s.session_date)".to_string(),
        ),
        GroupBy::Month => (
            "substr(s.session_date, 1, 7)".to_string(),
            "substr(s.session_date, 1, 7)".to_string(),
        ),
        GroupBy::ClosedBy => (closed_by_label.to_string(), closed_by_label.to_string()),
    };
    let lag = sql_seconds_between("s.closed_at", "s.closes_at");
    let early = sql_seconds_between("s.closes_at", "s.closed_at");
    // The fractions are bound (?5 = 0.5, ?6 = 0.95) as Rust's correctly rounded doubles,
    // so they are the very values PostgreSQL multiplies by (n - 1), whatever SQLite's own
    // decimal parsing does: near a rounding tie one ulp changes the interpolated answer.
    let lag_p50 = sql_percentile("?5", "p50");
    let lag_p95 = sql_percentile("?6", "p95");
    let early_p50 = sql_percentile("?5", "e50");
    // Only the rows a percentile reads (ranks floor(p(n-1)) + 1 and the next) reach the
    // aggregate.
    let ranks =
        |p: &str| format!("CAST({p} * (n - 1) AS INTEGER) + 1, CAST({p} * (n - 1) AS INTEGER) + 2");
    let ranks_p50 = ranks("?5");
    let ranks_p95 = ranks("?6");
    let counts = "count(*) AS sessions, \
                  count(CASE WHEN kind = 1 THEN 1 END) AS closed_manual, \
                  count(CASE WHEN kind = 2 THEN 1 END) AS closed_auto, \
                  count(CASE WHEN kind = 3 THEN 1 END) AS closed_sweep, \
                  count(CASE WHEN kind = 4 THEN 1 END) AS open_past_end, \
                  count(CASE WHEN kind = 5 THEN 1 END) AS open_upcoming, \
                  max(lag_s) AS lag_max, count(early_min) AS manual_early, \
                  count(CASE WHEN kind = 6 THEN 1 END) AS unrecorded";
    let p50 = sql_interpolated("p50");
    let p95 = sql_interpolated("p95");
    let e50 = sql_interpolated("e50");
    format!(
        "WITH base AS MATERIALIZED ( \
           SELECT {group} AS grp, {order} AS ord, \
                  CASE WHEN s.closed_by = 'manual' THEN 1 WHEN s.closed_by = 'auto' THEN 2 \
                       WHEN s.closed_by = 'sweep' THEN 3 \
                       WHEN s.status = 'Open' AND s.closes_at <= ?4 THEN 4 \
                       WHEN s.status = 'Open' THEN 5 ELSE 6 END AS kind, \
                  CASE WHEN s.closed_by = 'auto' AND s.closed_at IS NOT NULL \
                       THEN {lag} END AS lag_s, \
                  CASE WHEN s.closed_by = 'manual' AND s.closed_at < s.closes_at \
                       THEN {early} / 60 END AS early_min \
           FROM teaching_sessions s LEFT JOIN classes c ON c.id = s.class_id \
           WHERE (?1 IS NULL OR s.session_date >= ?1) AND (?2 IS NULL OR s.session_date <= ?2) \
             AND (?3 IS NULL OR s.class_id = ?3)), \
         counts AS ( \
           SELECT 0 AS lvl, grp, min(ord) AS ord, {counts} FROM base GROUP BY grp \
           UNION ALL \
           SELECT 1, '', '', {counts} FROM base), \
         lag_ranked AS ( \
           SELECT 0 AS lvl, grp, lag_s AS v, row_number() OVER w AS rn, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n \
           FROM base WHERE lag_s IS NOT NULL WINDOW w AS (PARTITION BY grp ORDER BY lag_s) \
           UNION ALL \
           SELECT 1, '', lag_s, row_number() OVER w, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) \
           FROM base WHERE lag_s IS NOT NULL WINDOW w AS (ORDER BY lag_s)), \
         lag_p AS (SELECT lvl, grp, {lag_p50}, {lag_p95} FROM lag_ranked \
                   WHERE rn IN ({ranks_p50}, {ranks_p95}) GROUP BY lvl, grp), \
         early_ranked AS ( \
           SELECT 0 AS lvl, grp, early_min AS v, row_number() OVER w AS rn, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n \
           FROM base WHERE early_min IS NOT NULL WINDOW w AS (PARTITION BY grp ORDER BY early_min) \
           UNION ALL \
           SELECT 1, '', early_min, row_number() OVER w, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) \
           FROM base WHERE early_min IS NOT NULL WINDOW w AS (ORDER BY early_min)), \
         early_p AS (SELECT lvl, grp, {early_p50} FROM early_ranked \
                     WHERE rn IN ({ranks_p50}) GROUP BY lvl, grp) \
         SELECT c.lvl, c.grp, c.sessions, c.closed_manual, c.closed_auto, c.closed_sweep, \
                c.open_past_end, c.open_upcoming, {p50}, {p95}, c.lag_max, c.manual_early, \
                {e50}, c.unrecorded \
         FROM counts c \
         LEFT JOIN lag_p l ON l.lvl = c.lvl AND l.grp = c.grp \
         LEFT JOIN early_p e ON e.lvl = c.lvl AND e.grp = c.grp \
         ORDER BY c.lvl, c.ord, c.grp"
    )
}

pub(super) async fn closure_report(
    store: &SqliteStore,
    query: &ClosureQuery,
) -> Result<ClosureFigures> {
    let sql = closure_report_sql(query.by);
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
