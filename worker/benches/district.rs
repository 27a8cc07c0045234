//! A district's semester: 2,000,000 sessions (20,000 a day, 2,500 classes of eight periods)
//! on the Supabase test stack and in a SQLite file, and what staff and the worker do on it
//! every day, measured in one run per store: `session list --all -o ndjson` (rows/s, peak
//! RSS), `report closures` (the whole semester, and one week), `status`, the sweep's close
//! pass (100 sessions overdue, then nothing due), the sweep planning tomorrow's 20,000
//! sessions and a sweep with nothing to do, and 2,500 sessions ending at one instant (how
//! many closed, by `auto`, lateness p50/p99/max). Prints figures; asserts nothing.
//!
//! `cargo bench -p attctl-worker --bench district` (build both binaries in release mode
//! first: `cargo build --release -p attctl -p attctl-worker`). `BENCH_DISTRICT` sets the
//! sizes, comma-separated (default `2000000`; at least 60,000: yesterday, today and
//! tomorrow), each on a fresh stack and file, so that `BENCH_DISTRICT=100000,2000000` shows
//! in one run which figures stay flat. `BENCH_DISTRICT_SKIP_LOCAL=1` leaves SQLite out.
//!
//! Supabase: the worker runs in Hatchet mode against the in-process `hatchet-test-engine`
//! at the real engine's timings (as a district runs it); SQLite: in local mode. The CLI
//! figures are the median of 3 runs after a warm-up.

mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use attctl::config::{HttpSettings, Secret, SupabaseAccess, SupabaseSettings};
use attctl::scheduler::local::LocalScheduler;
use attctl::service::SessionService;
use attctl::store::postgrest::PostgrestStore;
use attctl::store::sqlite::SqliteStore;
use attctl_testkit::SupabaseStack;
use attctl_testkit::bench::stream_counting;
use attctl_testkit::harness::{TestEnv, binary};
use attctl_testkit::seed::{Dialect, District};
use chrono::{DateTime, Timelike, Utc};
use hatchet_test_engine::{EngineConfig, TestEngine};

/// Sessions in the burst: one per class, all ending at the same instant.
const BURST: u64 = District::CLASSES;
/// CLI runs timed after the warm-up (the median is reported).
const RUNS: usize = 3;

fn main() {
    let sizes: Vec<u64> = std::env::var("BENCH_DISTRICT")
        .unwrap_or_else(|_| "2000000".into())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .filter(|n| (60_000..=10_000_000).contains(n))
        .collect();
    let skip_local = std::env::var("BENCH_DISTRICT_SKIP_LOCAL").is_ok_and(|v| v == "1");
    let runtime = common::runtime();
    for n in sizes {
        // The engine runs on the runtime's threads; the measuring is done outside it.
        let supabase = match runtime.block_on(TestEngine::start(EngineConfig::default())) {
            Ok(engine) => Some(on_supabase(n, &engine)),
            Err(e) => {
                eprintln!("cannot start the test engine: {e:#}");
                None
            }
        };
        let local = (!skip_local).then(|| on_sqlite(n));
        print_figures(n, supabase.as_ref(), local.as_ref());
    }
}

/// What one store measured.
#[derive(Default)]
struct Figures {
    seed_s: f64,
    list_rows: usize,
    list_rows_per_s: f64,
    list_rss_mib: f64,
    report_semester_s: f64,
    report_week_s: f64,
    status_ms: f64,
    close_overdue_ms: f64,
    closed_overdue: usize,
    close_idle_ms: f64,
    plan_s: f64,
    planned: u64,
    sweep_idle_ms: f64,
    burst_closed: usize,
    burst_auto: usize,
    burst_p50_ms: i64,
    burst_p99_ms: i64,
    burst_max_ms: i64,
}

/// The figures of the two stores side by side.
fn print_figures(n: u64, supabase: Option<&Figures>, local: Option<&Figures>) {
    let d = District {
        sessions: n,
        today: Utc::now().date_naive(),
        now: Utc::now(),
    };
    println!(
        "\ndistrict: {n} sessions over {} days ({} a day, {} classes); load average {}",
        d.days(),
        District::PER_DAY,
        District::CLASSES,
        load_average()
    );
    println!("{:<46} {:>14} {:>14}", "figure", "supabase", "local");
    let row = |name: &str, f: &dyn Fn(&Figures) -> String| {
        let cell = |x: Option<&Figures>| x.map_or_else(|| "-".to_string(), f);
        println!("{name:<46} {:>14} {:>14}", cell(supabase), cell(local));
    };
    row("seeding (SQL), s", &|f| format!("{:.1}", f.seed_s));
    row("session list --all -o ndjson, rows", &|f| {
        f.list_rows.to_string()
    });
    row("  rows/s", &|f| format!("{:.0}", f.list_rows_per_s));
    row("  peak RSS, MiB", &|f| format!("{:.1}", f.list_rss_mib));
    row("report closures, whole semester, s", &|f| {
        format!("{:.3}", f.report_semester_s)
    });
    row("report closures --from/--to one week, s", &|f| {
        format!("{:.3}", f.report_week_s)
    });
    row("status, ms", &|f| format!("{:.0}", f.status_ms));
    row(
        &format!("sweep close pass, {} overdue, ms", District::OVERDUE),
        &|f| format!("{:.1} ({})", f.close_overdue_ms, f.closed_overdue),
    );
    row("sweep close pass, nothing due, ms", &|f| {
        format!("{:.1}", f.close_idle_ms)
    });
    row(
        &format!(
            "sweep planning tomorrow ({} sessions), s",
            District::PER_DAY
        ),
        &|f| format!("{:.2} ({})", f.plan_s, f.planned),
    );
    row("sweep with nothing to do, ms", &|f| {
        format!("{:.0}", f.sweep_idle_ms)
    });
    row(&format!("{BURST} ending at one instant: closed"), &|f| {
        format!("{}/{BURST}", f.burst_closed)
    });
    row("  by auto", &|f| f.burst_auto.to_string());
    row("  lateness p50 / p99 / max, ms", &|f| {
        format!(
            "{} / {} / {}",
            f.burst_p50_ms, f.burst_p99_ms, f.burst_max_ms
        )
    });
}

/// `/proc/loadavg`'s 1, 5 and 15 minute figures: the machine may be shared.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn on_supabase(n: u64, engine: &TestEngine) -> Figures {
    let mut f = Figures::default();
    let stack = SupabaseStack::start().expect("Supabase test stack");
    let district = District {
        sessions: n,
        today: Utc::now().date_naive(),
        now: Utc::now(),
    };
    let t = Instant::now();
    stack
        .psql(&format!(
            "{};
             alter table teaching_sessions disable trigger user;
             {};
             alter table teaching_sessions enable trigger user;
             vacuum analyze teaching_sessions;",
            district.classes_sql(Dialect::Postgres),
            district.sessions_sql(Dialect::Postgres)
        ))
        .expect("seed the district");
    f.seed_s = t.elapsed().as_secs_f64();
    eprintln!("supabase: seeded {n} sessions in {:.1} s", f.seed_s);
    hold();
    let cli = TestEnv::on_stack(&stack).with("ATTCTL_TIMEZONE", "UTC");
    cli_figures(&cli, &mut f);

    let store = PostgrestStore::new(
        &SupabaseSettings {
            url: stack.url(),
            key: Secret::new(stack.service_role_key()),
            access: SupabaseAccess::ServiceKey,
        },
        &HttpSettings::default(),
    )
    .expect("store");
    close_pass_figures(Arc::new(store), &mut f);

    register_workflows(engine);
    let worker = cli.with_hatchet(&engine.token());
    sweep_figures(&worker, &mut f);

    let before = scalar(&stack.psql("select max(id) from teaching_sessions"));
    let end = burst_instant();
    stack
        .psql(&burst_sql(Dialect::Postgres, end))
        .expect("burst sessions");
    let mut daemon = worker.spawn_worker(["--sweep-interval", "60"]);
    let lags = wait_burst(end, || {
        let out = stack
            .psql(&format!(
                "select coalesce(closed_by, '-') || ' ' ||
                        coalesce(round(extract(epoch from closed_at - closes_at) * 1000)::bigint, 0)
                 from teaching_sessions where id > {before}"
            ))
            .unwrap_or_default();
        out.lines()
            .filter_map(|l| {
                let (by, lag) = l.split_once(' ')?;
                Some((by.to_string(), lag.parse().ok()?))
            })
            .collect()
    });
    daemon.signal(libc::SIGTERM);
    let _ = daemon.wait_exit(Duration::from_secs(30));
    burst_figures(&lags, &mut f);
    f
}

fn on_sqlite(n: u64) -> Figures {
    let mut f = Figures::default();
    let env = TestEnv::local().with("ATTCTL_TIMEZONE", "UTC");
    let path = env.data_file();
    drop(SqliteStore::open(&path).expect("a fresh data file"));
    let district = District {
        sessions: n,
        today: Utc::now().date_naive(),
        now: Utc::now(),
    };
    let t = Instant::now();
    let conn = rusqlite::Connection::open(&path).expect("open the data file");
    conn.execute_batch(&format!(
        "BEGIN;
         {};
         {};
         DELETE FROM session_events;
         COMMIT;
         ANALYZE;",
        district.classes_sql(Dialect::Sqlite),
        district.sessions_sql(Dialect::Sqlite)
    ))
    .expect("seed the district");
    f.seed_s = t.elapsed().as_secs_f64();
    eprintln!("local: seeded {n} sessions in {:.1} s", f.seed_s);
    cli_figures(&env, &mut f);
    close_pass_figures(
        Arc::new(SqliteStore::open(&path).expect("data file")),
        &mut f,
    );
    sweep_figures(&env, &mut f);

    let before: i64 = conn
        .query_row("SELECT max(id) FROM teaching_sessions", [], |r| r.get(0))
        .expect("max id");
    let end = burst_instant();
    conn.execute_batch(&burst_sql(Dialect::Sqlite, end))
        .expect("burst sessions");
    let mut daemon = env.spawn_worker(["--sweep-interval", "60"]);
    let lags = wait_burst(end, || {
        let rows = conn
            .prepare("SELECT coalesce(closed_by, '-'), closes_at, closed_at FROM teaching_sessions WHERE id > ?1")
            .and_then(|mut stmt| {
                stmt.query_map([before], |r| {
                    let by: String = r.get(0)?;
                    let closes: String = r.get(1)?;
                    let closed: Option<String> = r.get(2)?;
                    Ok((by, closes, closed))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_default();
        rows.into_iter()
            .map(|(by, closes, closed)| {
                let lag = match (parse(&closes), closed.as_deref().and_then(parse)) {
                    (Some(a), Some(b)) => (b - a).num_milliseconds(),
                    _ => 0,
                };
                (by, lag)
            })
            .collect()
    });
    daemon.signal(libc::SIGTERM);
    let _ = daemon.wait_exit(Duration::from_secs(30));
    burst_figures(&lags, &mut f);
    f
}

/// `BENCH_DISTRICT_HOLD=secs`: wait that long after seeding PostgreSQL, to look at it with
/// `psql` (EXPLAIN ANALYZE of the queries behind a slow figure).
fn hold() {
    if let Some(secs) = std::env::var("BENCH_DISTRICT_HOLD")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        eprintln!("holding the seeded stack for {secs} s");
        std::thread::sleep(Duration::from_secs(secs));
    }
}

fn parse(instant: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(instant)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn scalar(out: &anyhow::Result<String>) -> i64 {
    out.as_ref()
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// `session list --all` (streamed, peak RSS), `report closures` and `status`.
fn cli_figures(env: &TestEnv, f: &mut Figures) {
    let vars = cli_vars(env);
    let list = stream_counting(binary("attctl"), b"\n", |cmd| {
        cmd.args(["session", "list", "--all", "-o", "ndjson"])
            .env_clear()
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())));
    });
    f.list_rows = list.rows;
    f.list_rows_per_s = list.rows_per_sec();
    f.list_rss_mib = list.peak_rss_mib();
    f.report_semester_s = median_secs(env, &["report", "closures", "-o", "json"]);
    let today = Utc::now().date_naive();
    let week_ago = (today - chrono::Duration::days(7)).to_string();
    f.report_week_s = median_secs(
        env,
        &[
            "report",
            "closures",
            "--from",
            &week_ago,
            "--to",
            &today.to_string(),
            "-o",
            "json",
        ],
    );
    f.status_ms = median_secs(env, &["status", "-o", "json"]) * 1000.0;
}

/// The store's variables of `env`, for a command run outside it.
fn cli_vars(env: &TestEnv) -> Vec<(&'static str, String)> {
    [
        "HOME",
        "ATTCTL_TIMEZONE",
        "ATTCTL_DATA_FILE",
        "SUPABASE_URL",
        "SUPABASE_SERVICE_ROLE_KEY",
    ]
    .into_iter()
    .filter_map(|k| env.var(k).map(|v| (k, v.to_string())))
    .collect()
}

/// The median wall time of [`RUNS`] runs of `attctl args` after a warm-up.
fn median_secs(env: &TestEnv, args: &[&str]) -> f64 {
    let run = || {
        let t = Instant::now();
        let out = env
            .attctl()
            .args(args)
            .command()
            .stdout(Stdio::null())
            .output();
        match out {
            Ok(out) if out.status.success() => {}
            // `status` answers 1 when sessions are overdue (a monitoring check), as the
            // seeded semester's past Open sessions are.
            Ok(out) if args.first() == Some(&"status") && out.status.code() == Some(1) => {}
            Ok(out) => eprintln!(
                "attctl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(e) => eprintln!("attctl {}: {e}", args.join(" ")),
        }
        t.elapsed().as_secs_f64()
    };
    run();
    let mut times: Vec<f64> = (0..RUNS).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

/// The sweep's close pass, in process: first with [`District::OVERDUE`] sessions overdue,
/// then (the median of [`RUNS`]) with nothing due.
fn close_pass_figures(store: Arc<dyn attctl::store::SessionStore>, f: &mut Figures) {
    let rt = common::runtime();
    let service = SessionService::new(store, Arc::new(LocalScheduler));
    let t = Instant::now();
    match rt.block_on(service.close_pass(Utc::now())) {
        Ok(outcome) => f.closed_overdue = outcome.closed.len(),
        Err(e) => eprintln!("close pass failed: {e}"),
    }
    f.close_overdue_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            if let Err(e) = rt.block_on(service.close_pass(Utc::now())) {
                eprintln!("close pass failed: {e}");
            }
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    f.close_idle_ms = times[RUNS / 2];
}

/// The engine accepts runs of a workflow only once a worker has registered it: a worker on
/// an empty data file registers them (as a district's running workers have) and stops.
fn register_workflows(engine: &TestEngine) {
    let env = TestEnv::local().with_hatchet(&engine.token());
    let mut worker = env.ready_worker(["--sweep-interval", "3600"]);
    worker.signal(libc::SIGTERM);
    let _ = worker.wait_exit(Duration::from_secs(30));
}

/// `attctl-worker sweep --once` twice: planning tomorrow, then nothing to do.
fn sweep_figures(env: &TestEnv, f: &mut Figures) {
    let sweep = || -> Option<(f64, u64)> {
        let t = Instant::now();
        let out = env.worker_once(["sweep", "--once"]);
        let secs = t.elapsed().as_secs_f64();
        if out.code != 0 {
            eprintln!("sweep --once failed: {}", out.stderr.trim());
            return None;
        }
        let line: serde_json::Value = serde_json::from_str(out.stdout.trim()).ok()?;
        if let Some(errors) = line["errors"].as_array().filter(|e| !e.is_empty()) {
            eprintln!(
                "sweep --once: {} errors, the first: {}",
                errors.len(),
                errors[0]
            );
        }
        Some((secs, line["scheduled"].as_u64().unwrap_or(0)))
    };
    if let Some((secs, planned)) = sweep() {
        f.plan_s = secs;
        f.planned = planned;
    }
    if let Some((secs, _)) = sweep() {
        f.sweep_idle_ms = secs * 1000.0;
    }
}

/// A whole second 90 s from now, far enough for the worker to start and plan the burst.
fn burst_instant() -> DateTime<Utc> {
    let t = Utc::now() + chrono::Duration::seconds(90);
    t.with_nanosecond(0).unwrap_or(t)
}

/// One session per district class ending at `end`: 40 minutes long (less just after
/// midnight), 7 s off the periods' starts, beside their periods (`allow_overlap`).
fn burst_sql(dialect: Dialect, end: DateTime<Utc>) -> String {
    let start = (end - chrono::Duration::seconds(40 * 60 + 7)).max(
        end.date_naive()
            .and_hms_opt(0, 0, 1)
            .expect("time")
            .and_utc(),
    );
    let (date, start, end_time) = (
        end.date_naive(),
        start.format("%H:%M:%S"),
        end.format("%H:%M:%S"),
    );
    match dialect {
        Dialect::Postgres => format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, allow_overlap)
             select id, date '{date}', time '{start}', time '{end_time}', 'UTC', true
             from classes where name like 'D____'"
        ),
        Dialect::Sqlite => {
            let now = Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ");
            let closes = end.format("%Y-%m-%dT%H:%M:%S%.6fZ");
            format!(
                "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, timezone,
                        closes_at, allow_overlap, created_at, updated_at)
                 SELECT id, '{date}', '{start}', '{end_time}', 'UTC', '{closes}', 1, '{now}', '{now}'
                 FROM classes WHERE name GLOB 'D[0-9][0-9][0-9][0-9]'"
            )
        }
    }
}

/// The burst's (closed_by, lateness ms) once every one is Closed, or a minute after `end`.
fn wait_burst(end: DateTime<Utc>, read: impl Fn() -> Vec<(String, i64)>) -> Vec<(String, i64)> {
    let deadline = end + chrono::Duration::seconds(60);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let rows = read();
        let done = !rows.is_empty() && rows.iter().all(|(by, _)| by != "-");
        if done || Utc::now() > deadline {
            return rows;
        }
    }
}

fn burst_figures(rows: &[(String, i64)], f: &mut Figures) {
    let mut lags: Vec<i64> = rows
        .iter()
        .filter(|(by, _)| by != "-")
        .map(|(_, lag)| *lag)
        .collect();
    lags.sort_unstable();
    f.burst_closed = lags.len();
    f.burst_auto = rows.iter().filter(|(by, _)| by == "auto").count();
    f.burst_p50_ms = common::pct(&lags, 0.5);
    f.burst_p99_ms = common::pct(&lags, 0.99);
    f.burst_max_ms = lags.last().copied().unwrap_or(-1);
}
