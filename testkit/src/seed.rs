//! Bulk sessions for tests and benchmarks, written straight to the stores (the CLI would
//! take minutes for thousands): eight 45-minute sessions a day from a base date, in UTC.
//!
//! [`sql`] needs nothing but the stack. [`through_store`] goes through attctl's own store
//! (so it computes `closes_at` as attctl does), and comes with the `store` feature: the
//! testkit depends on attctl only there.

/// SQL inserting sessions number `from..from + n` for `class` (PostgreSQL computes closes_at).
pub fn sql(class: i64, from: usize, n: usize, base: &str) -> String {
    format!(
        "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at)
         select {class}, date '{base}' + ((g + {from}) / 8), time '08:00' + (((g + {from}) % 8) * interval '1 hour'),
                time '08:45' + (((g + {from}) % 8) * interval '1 hour'), 'UTC', now()
         from generate_series(0, {n} - 1) g"
    )
}

/// Inserts sessions number `range` for `class` through a store.
#[cfg(feature = "store")]
pub async fn through_store(
    store: &dyn attctl::store::SessionStore,
    class: i64,
    range: std::ops::Range<usize>,
    base: chrono::NaiveDate,
) {
    let utc = attctl::clock::parse_zone("UTC").expect("UTC");
    for g in range {
        let start = chrono::NaiveTime::from_hms_opt(8 + (g % 8) as u32, 0, 0).expect("time");
        let times = attctl::clock::session_times(
            base + chrono::Duration::days((g / 8) as i64),
            start,
            start + chrono::Duration::minutes(45),
            utc,
        )
        .expect("times");
        store
            .insert_session(&times.into_new_session(class))
            .await
            .expect("insert");
    }
}
