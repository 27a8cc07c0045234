//! Benchmark: `attctl report closures --by class` over 1,000,000 sessions on the real
//! PostgreSQL + PostgREST stack (and on a local SQLite file), against the way a Python user
//! of the original system gets the same figures: page every row through the Supabase API
//! (`.range()` pages of 1000, as supabase-py's `execute()` returns them) and aggregate in
//! Python. Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench --bench report`. The Python side uses supabase-py when
//! `$ATTCTL_BENCH_PYTHON` (default `python3`) can `import supabase` (`pip install supabase`);
//! otherwise it emulates it with the standard library (`urllib`, the same requests:
//! `Range`-style paging by offset and limit of 1000, through the same gateway), and says
//! which one ran. `ATTCTL_BENCH_SKIP_LOCAL=1` / `ATTCTL_BENCH_SKIP_PYTHON=1` leave a part out.

use attctl::store::prelude::*;
use std::process::{Command, Stdio};
use std::time::Instant;

use attctl_testkit::SupabaseStack;

/// Sessions seeded, unless `ATTCTL_BENCH_SESSIONS` says otherwise (a quick trial run).
fn sessions() -> u64 {
    std::env::var("ATTCTL_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}
const CLASSES: u64 = 20;
const RUNS: usize = 5;

/// The mix, from a hash of the row number: 30% manual (a sixth of them late), 60% auto
/// (lags 0.2-4.2 s, a few up to 70 s), 7% sweep, the rest left Open; future sessions Open.
fn seed_postgres(stack: &SupabaseStack, sessions: u64) {
    stack
        .psql(&format!(
            "insert into classes (name) select 'Bench ' || lpad(i::text, 2, '0') \
             from generate_series(1, {CLASSES}) i"
        ))
        .expect("classes");
    let sql = format!(
        "alter table teaching_sessions disable trigger user;
         with c as (select array_agg(id order by id) as ids from classes where name like 'Bench %'),
         s as (
           select c.ids[(g % {CLASSES}) + 1] as class_id,
                  date '2012-01-02' + ((g / {CLASSES}) / 8)::int as d,
                  time '08:00' + (((g / {CLASSES}) % 8) * interval '1 hour') as t,
                  (g * 7919) % 100 as k, g
           from c, generate_series(0::bigint, {sessions} - 1) g),
         x as (
           select *, ((d + t + interval '45 minutes') at time zone 'Europe/London') as closes_at
           from s)
         insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone,
                                        closes_at, status, closed_at, closed_by)
         select class_id, d, t, t + interval '45 minutes', 'Europe/London', closes_at,
                case when closes_at < now() and k < 97 then 'Closed' else 'Open' end,
                case when closes_at >= now() or k >= 97 then null
                     when k < 5 then closes_at + ((g * 31) % 900) * interval '1 second'
                     when k < 30 then closes_at - ((g * 31) % 1800) * interval '1 second'
                     when k < 88 then closes_at + (200 + (g * 13) % 4000) * interval '1 millisecond'
                     when k < 90 then closes_at + (20 + (g * 17) % 50) * interval '1 second'
                     else closes_at + (15 + (g * 7) % 60) * interval '1 second' end,
                case when closes_at >= now() or k >= 97 then null
                     when k < 30 then 'manual' when k < 90 then 'auto' else 'sweep' end
         from x;
         alter table teaching_sessions enable trigger user;
         analyze teaching_sessions;"
    );
    stack.psql(&sql).expect("seed sessions");
}

/// The same rows in a local SQLite file (times in UTC), through SQL as well.
fn seed_sqlite(path: &std::path::Path, sessions: u64) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = attctl::store::sqlite::SqliteStore::open(path).expect("sqlite");
    rt.block_on(async {
        for i in 1..=CLASSES {
            store
                .create_class(&format!("Bench {i:02}"))
                .await
                .expect("class");
        }
    });
    drop(store);
    let conn = rusqlite::Connection::open(path).expect("open");
    let now = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    conn.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE gs(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM gs WHERE g < {sessions} - 1),
         s AS (SELECT (g % {CLASSES}) + 1 AS class_id,
                      date('2012-01-02', '+' || ((g / {CLASSES}) / 8) || ' days') AS d,
                      printf('%02d:00:00', 8 + (g / {CLASSES}) % 8) AS t,
                      printf('%02d:45:00', 8 + (g / {CLASSES}) % 8) AS e,
                      (g * 7919) % 100 AS k, g FROM gs),
         x AS (SELECT *, d || 'T' || e || '.000000Z' AS closes_at FROM s)
         INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, timezone,
                closes_at, status, closed_at, closed_by, created_at, updated_at)
         SELECT class_id, d, t, e, 'UTC', closes_at,
                CASE WHEN closes_at < '{now}' AND k < 97 THEN 'Closed' ELSE 'Open' END,
                CASE WHEN closes_at >= '{now}' OR k >= 97 THEN NULL
                     ELSE strftime('%Y-%m-%dT%H:%M:%S', d || ' ' || e,
                            (CASE WHEN k < 5 THEN (g * 31) % 900
                                  WHEN k < 30 THEN -((g * 31) % 1800)
                                  WHEN k < 90 THEN (20 + (g * 17) % 50)
                                  ELSE 15 + (g * 7) % 60 END) || ' seconds')
                          || '.000000Z' END,
                CASE WHEN closes_at >= '{now}' OR k >= 97 THEN NULL
                     WHEN k < 30 THEN 'manual' WHEN k < 90 THEN 'auto' ELSE 'sweep' END,
                '{now}', '{now}'
         FROM x;
         COMMIT;
         ANALYZE;"
    ))
    .expect("seed sqlite");
}

/// Runs attctl `RUNS` times after one warm-up; returns the JSON of the last run and the
/// sorted wall times in seconds.
fn time_attctl(vars: &[(&str, String)], runs: usize) -> (serde_json::Value, Vec<f64>) {
    let run = || {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_attctl"))
            .args(["report", "closures", "--by", "class", "-o", "json"])
            .env_clear()
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
            .env("ATTCTL_TIMEZONE", "UTC")
            .stderr(Stdio::inherit())
            .output()
            .expect("run attctl");
        let secs = started.elapsed().as_secs_f64();
        assert!(out.status.success(), "attctl report failed");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report JSON");
        (json, secs)
    };
    let _ = run();
    let mut times = Vec::new();
    let mut last = serde_json::Value::Null;
    for _ in 0..runs {
        let (json, secs) = run();
        times.push(secs);
        last = json;
    }
    times.sort_by(f64::total_cmp);
    (last, times)
}

const PYTHON: &str = r#"
import json, math, sys, time
from datetime import datetime, timezone

url, key = sys.argv[1], sys.argv[2]
started = time.perf_counter()
requests = 0
try:
    from supabase import create_client
    client = create_client(url, key)
    method = "supabase-py " + __import__("supabase").__version__

    def page(table, columns, start, size):
        return (client.table(table).select(columns).order("id")
                .range(start, start + size - 1).execute().data)
except ImportError:
    import urllib.request, urllib.parse
    method = "urllib emulation of supabase-py (offset/limit pages of 1000)"

    def page(table, columns, start, size):
        q = urllib.parse.urlencode({"select": columns, "order": "id.asc",
                                    "offset": start, "limit": size})
        req = urllib.request.Request(f"{url}/rest/v1/{table}?{q}",
                                     headers={"apikey": key, "Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

def fetch_all(table, columns):
    global requests
    rows, start = [], 0
    while True:
        data = page(table, columns, start, 1000)
        requests += 1
        rows.extend(data)
        if len(data) < 1000:
            return rows
        start += 1000

classes = {c["id"]: c["name"] for c in fetch_all("classes", "id,name")}
rows = fetch_all("teaching_sessions", "id,class_id,status,closes_at,closed_at,closed_by")
fetched = time.perf_counter()

def pct(values, p):
    if not values:
        return None
    values.sort()
    pos = p * (len(values) - 1)
    lo = math.floor(pos)
    hi = math.ceil(pos)
    frac = pos - lo
    return values[lo] if frac == 0 else values[lo] + frac * (values[hi] - values[lo])

now = datetime.now(timezone.utc)
groups = {}
for r in rows:
    g = groups.setdefault(classes.get(r["class_id"], str(r["class_id"])),
                          {"sessions": 0, "manual": 0, "auto": 0, "sweep": 0, "past": 0,
                           "upcoming": 0, "lags": [], "early": []})
    g["sessions"] += 1
    by = r["closed_by"]
    closes = datetime.fromisoformat(r["closes_at"])
    if by:
        g[by] += 1
        closed = datetime.fromisoformat(r["closed_at"])
        if by == "auto":
            g["lags"].append((closed - closes).total_seconds())
        elif by == "manual" and closed < closes:
            g["early"].append((closes - closed).total_seconds() / 60)
    elif r["status"] == "Open":
        g["past" if closes <= now else "upcoming"] += 1
out = {}
for name, g in groups.items():
    out[name] = {"sessions": g["sessions"], "closed_auto": g["auto"],
                 "auto_lag_p50_s": pct(g["lags"], 0.5), "auto_lag_p95_s": pct(g["lags"], 0.95),
                 "manual_early_median_min": pct(g["early"], 0.5)}
print(json.dumps({"method": method, "rows": len(rows), "requests": requests,
                  "seconds": time.perf_counter() - started,
                  "fetch_seconds": fetched - started, "groups": out}))
"#;

fn main() {
    let sessions = sessions();
    let stack = SupabaseStack::start().expect("Supabase test stack");
    let seeding = Instant::now();
    seed_postgres(&stack, sessions);
    println!(
        "seeded {sessions} sessions in {CLASSES} classes on PostgreSQL in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let supabase_vars = [
        ("SUPABASE_URL", stack.url()),
        ("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key()),
    ];
    let load = load_average();
    let before = stack.api_request_total();
    let (report, times) = time_attctl(&supabase_vars, RUNS);
    let requests = (stack.api_request_total() - before) as f64 / (RUNS + 1) as f64;
    println!(
        "attctl report closures --by class, Supabase: median {:.3} s, min {:.3} s, max {:.3} s \
         over {RUNS} runs; {requests} HTTP request(s) per run; {} groups, {} sessions",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1],
        report["groups"].as_array().map_or(0, Vec::len),
        report["total"]["sessions"]
    );
    println!(
        "  load average before those runs: {load}, after: {}",
        load_average()
    );
    function_alone(&stack);

    let dir = tempfile::tempdir().expect("temp dir");
    if std::env::var_os("ATTCTL_BENCH_SKIP_LOCAL").is_none() {
        local_figures(dir.path(), sessions);
    }
    if std::env::var_os("ATTCTL_BENCH_SKIP_PYTHON").is_none() {
        python_figures(&stack, dir.path(), &report, times[RUNS / 2]);
    }
}

/// `/proc/loadavg`'s 1, 5 and 15 minute figures: the machine may be shared.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The SQL function alone, in the database: `EXPLAIN ANALYZE`'s execution time of the call
/// attctl makes (no HTTP, no process start), over `RUNS` runs.
fn function_alone(stack: &SupabaseStack) {
    let mut times: Vec<f64> = (0..RUNS)
        .filter_map(|_| {
            let out = stack
                .psql(
                    "explain (analyze, timing off) \
                     select public.attctl_closure_report('class', now())",
                )
                .ok()?;
            out.lines()
                .find_map(|l| l.strip_prefix("Execution Time: "))
                .and_then(|t| t.trim_end_matches(" ms").trim().parse::<f64>().ok())
        })
        .collect();
    times.sort_by(f64::total_cmp);
    if times.is_empty() {
        println!("the SQL function alone: no timing (EXPLAIN ANALYZE gave none)");
        return;
    }
    println!(
        "the SQL function alone (EXPLAIN ANALYZE in psql): median {:.0} ms, min {:.0} ms, \
         max {:.0} ms over {} runs; load average {}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len(),
        load_average()
    );
}

/// The same report on a local SQLite file with the same mix.
fn local_figures(dir: &std::path::Path, sessions: u64) {
    let data_file = dir.join("report.db");
    let seeding = Instant::now();
    seed_sqlite(&data_file, sessions);
    println!(
        "seeded {sessions} sessions in a local SQLite file in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let local_runs = RUNS;
    let load = load_average();
    let (_, local_times) = time_attctl(
        &[("ATTCTL_DATA_FILE", data_file.display().to_string())],
        local_runs,
    );
    println!(
        "attctl report closures --by class, local SQLite: median {:.3} s, min {:.3} s, max {:.3} s \
         over {local_runs} runs",
        local_times[local_runs / 2],
        local_times[0],
        local_times[local_runs - 1]
    );
    println!(
        "  load average before those runs: {load}, after: {}",
        load_average()
    );
}

/// The original system's way: a Python client pages every row and aggregates.
fn python_figures(
    stack: &SupabaseStack,
    dir: &std::path::Path,
    report: &serde_json::Value,
    attctl_secs: f64,
) {
    let python = std::env::var("ATTCTL_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = dir.join("closures.py");
    std::fs::write(&script, PYTHON).expect("python script");
    let out = Command::new(&python)
        .arg(&script)
        .arg(stack.url())
        .arg(stack.service_role_key())
        .stderr(Stdio::inherit())
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let py: serde_json::Value = serde_json::from_slice(&out.stdout).expect("python JSON");
            let secs = py["seconds"].as_f64().unwrap_or(f64::NAN);
            println!(
                "Python client ({}): {:.1} s ({:.1} s fetching {} rows in {} requests, the rest \
                 aggregating)",
                py["method"].as_str().unwrap_or("?"),
                secs,
                py["fetch_seconds"].as_f64().unwrap_or(f64::NAN),
                py["rows"],
                py["requests"]
            );
            println!(
                "attctl (Supabase, median) is {:.0}x faster",
                secs / attctl_secs
            );
            // The two must agree: sessions, auto closes and the median lag of each class.
            let mut agree = true;
            for g in report["groups"].as_array().into_iter().flatten() {
                let name = g["group"].as_str().unwrap_or_default();
                let p = &py["groups"][name];
                let same_counts =
                    p["sessions"] == g["sessions"] && p["closed_auto"] == g["closed_auto"];
                let close = |k: &str| match (p[k].as_f64(), g[k].as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                    (None, None) => true,
                    _ => false,
                };
                if !(same_counts
                    && close("auto_lag_p50_s")
                    && close("auto_lag_p95_s")
                    && close("manual_early_median_min"))
                {
                    agree = false;
                    println!("  differs for {name}: attctl {g} python {p}");
                }
            }
            println!(
                "figures agree with the Python aggregation: {}",
                if agree { "yes" } else { "NO" }
            );
        }
        Ok(out) => println!(
            "Python client failed ({}); set ATTCTL_BENCH_PYTHON to a python3 with supabase-py",
            out.status
        ),
        Err(e) => println!("Python not available ({e}); set ATTCTL_BENCH_PYTHON"),
    }
}
