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

/// A district's semester, as SQL for either store: `sessions` rows, [`District::PER_DAY`]
/// a day ([`District::CLASSES`] classes of eight 45-minute periods from 08:00 UTC), over
/// whole days around `today`. Days before today are Closed (30% manual, some early; 60%
/// `auto`, 0.2-1 s late; 10% `sweep`), later ones Open with a run id, except
/// `tomorrow`, which has none (the day the sweep plans). Today's periods that end before
/// `now` plus three hours are Closed too, so that none comes due while a benchmark runs,
/// and [`District::OVERDUE`] sessions of yesterday are left Open past their end, with a run
/// that never came: what the sweep finds. The run ids are UUID-shaped but name nothing.
///
/// The classes are named `D0001`... and must be created first, in one statement
/// ([`District::classes_sql`]: SQLite's rows find their class by its id's distance from
/// `D0001`'s).
pub struct District {
    pub sessions: u64,
    pub today: chrono::NaiveDate,
    /// What is past and what is due: sessions end before or after it.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// The SQL dialect of [`District`]'s statements.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Sqlite,
}

impl District {
    /// A district of 100,000 students: about 20,000 sessions a day.
    pub const PER_DAY: u64 = 20_000;
    pub const CLASSES: u64 = 2_500;
    /// Open sessions of yesterday left past their end.
    pub const OVERDUE: u64 = 100;

    /// Whole days the sessions span; at least yesterday, today and tomorrow.
    pub fn days(&self) -> u64 {
        self.sessions.div_ceil(Self::PER_DAY).max(3)
    }

    /// The first day: four fifths of the semester are past, tomorrow is always in it.
    pub fn first_day(&self) -> chrono::NaiveDate {
        let days = self.days();
        let past = (days * 4 / 5).clamp(1, days - 2);
        self.today - chrono::Duration::days(past as i64)
    }

    /// The classes, in one statement (both dialects).
    pub fn classes_sql(&self, dialect: Dialect) -> String {
        let series = match dialect {
            Dialect::Postgres => format!("select g from generate_series(1, {}) g", Self::CLASSES),
            Dialect::Sqlite => format!(
                "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {}) \
                 SELECT g FROM s",
                Self::CLASSES
            ),
        };
        match dialect {
            Dialect::Postgres => format!(
                "insert into classes (name) select 'D' || lpad(g::text, 4, '0') from ({series}) c"
            ),
            Dialect::Sqlite => format!(
                "INSERT INTO classes (name, created_at) SELECT printf('D%04d', g), '{}' FROM ({series})",
                instant(self.now)
            ),
        }
    }

    /// The sessions, in one statement. PostgreSQL's row triggers should be disabled around
    /// it (`closes_at` is given; two million `session.created` events are not wanted), and
    /// SQLite's events deleted after it.
    pub fn sessions_sql(&self, dialect: Dialect) -> String {
        let (per_day, classes, overdue) = (Self::PER_DAY, Self::CLASSES, Self::OVERDUE);
        let n = self.sessions;
        let first = self.first_day();
        let today = self.today;
        let tomorrow = today + chrono::Duration::days(1);
        let yesterday = today - chrono::Duration::days(1);
        let now = instant(self.now);
        let quiet = instant(self.now + chrono::Duration::hours(3));
        // Row g: day g / PER_DAY, then period, then class; k picks who closed it.
        let rows = match dialect {
            Dialect::Postgres => format!(
                "with c as (select array_agg(id order by name) as ids from classes where name like 'D____'),
                 s as (select g, c.ids[(g % {per_day}) % {classes} + 1] as class_id,
                              (g % {per_day}) % {classes} as class_no,
                              date '{first}' + (g / {per_day})::int as d,
                              time '08:00' + (((g % {per_day}) / {classes}) * interval '1 hour') as t,
                              (g * 7919) % 100 as k
                       from c, generate_series(0::bigint, {n} - 1) g),
                 x as (select *, t + interval '45 minutes' as e,
                              (d + t + interval '45 minutes') at time zone 'UTC' as closes_at
                       from s),
                 y as (select *, case when d = date '{yesterday}' and class_no < {overdue} and t = time '08:00'
                                      then 'overdue'
                                      when closes_at < timestamptz '{quiet}' then 'closed'
                                      when d = date '{tomorrow}' then 'unplanned'
                                      else 'planned' end as fate
                       from x)"
            ),
            Dialect::Sqlite => format!(
                "WITH RECURSIVE gs(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM gs WHERE g < {n} - 1),
                 c AS (SELECT id AS first_id FROM classes WHERE name = 'D0001'),
                 s AS (SELECT g, (g % {per_day}) % {classes} AS class_no,
                              date('{first}', '+' || (g / {per_day}) || ' days') AS d,
                              printf('%02d:00:00', 8 + (g % {per_day}) / {classes}) AS t,
                              printf('%02d:45:00', 8 + (g % {per_day}) / {classes}) AS e,
                              (g * 7919) % 100 AS k
                       FROM gs),
                 x AS (SELECT s.*, c.first_id + class_no AS class_id,
                              d || 'T' || e || '.000000Z' AS closes_at
                       FROM s, c),
                 y AS (SELECT *, CASE WHEN d = '{yesterday}' AND class_no < {overdue} AND t = '08:00:00'
                                      THEN 'overdue'
                                      WHEN closes_at < '{quiet}' THEN 'closed'
                                      WHEN d = '{tomorrow}' THEN 'unplanned'
                                      ELSE 'planned' END AS fate
                       FROM x)"
            ),
        };
        let (closed_at, run_id, extra_cols, extra_vals) = match dialect {
            Dialect::Postgres => (
                "closes_at + case when k < 5 then ((g * 31) % 900) * interval '1 second'
                                  when k < 30 then -((g * 31) % 1800) * interval '1 second'
                                  when k < 90 then (200 + (g * 13) % 800) * interval '1 millisecond'
                                  else (15 + (g * 7) % 60) * interval '1 second' end"
                    .to_string(),
                "lpad(to_hex(g), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(class_id), 12, '0')",
                "",
                String::new(),
            ),
            Dialect::Sqlite => (
                "strftime('%Y-%m-%dT%H:%M:%S', d || ' ' || e,
                    (CASE WHEN k < 5 THEN (g * 31) % 900
                          WHEN k < 30 THEN -((g * 31) % 1800)
                          WHEN k < 90 THEN 0
                          ELSE 15 + (g * 7) % 60 END) || ' seconds')
                 || CASE WHEN k >= 30 AND k < 90
                         THEN printf('.%06dZ', (200 + (g * 13) % 800) * 1000)
                         ELSE '.000000Z' END"
                    .to_string(),
                "printf('%08x-0000-4000-8000-%012x', g, class_id)",
                ", created_at, updated_at",
                format!(", '{now}', '{now}'"),
            ),
        };
        format!(
            "{rows}
             insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone,
                    closes_at, status, closed_at, closed_by, scheduled_task_id{extra_cols})
             select class_id, d, t, e, 'UTC', closes_at,
                    case when fate = 'closed' then 'Closed' else 'Open' end,
                    case when fate = 'closed' then {closed_at} end,
                    case when fate <> 'closed' then null
                         when k < 30 then 'manual' when k < 90 then 'auto' else 'sweep' end,
                    case when fate in ('planned', 'overdue') then {run_id} end{extra_vals}
             from y"
        )
    }
}

/// An instant in the stores' text form.
fn instant(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}
