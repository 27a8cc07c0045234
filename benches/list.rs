//! Benchmark: `attctl session list --all -o ndjson` over 10,000 and 50,000 sessions, on the
//! local SQLite backend and on the real PostgreSQL + PostgREST stack. Prints rows/s, wall
//! time, peak RSS of the attctl process and the number of HTTP pages, so that memory staying
//! flat as rows grow is visible. Also counts the requests `session create` makes.
//!
//! Beside attctl, on the same 50,000 Supabase rows in the same run, it prints the anchors
//! issue 14 measures against: supabase-py paging with `.range()` and a curl loop over the
//! same gateway (both with the apikey headers, both writing every row to a pipe), and the
//! start-up figure: `attctl session list -o json` against the stack beside one bare curl of
//! the same request. The Python anchor needs supabase-py: set `ATTCTL_BENCH_PYTHON` to a
//! Python that imports it (default `python3`); without it that line says it was skipped.
//!
//! Run: `cargo bench --bench list` (builds attctl in release mode); `ATTCTL_BENCH_BIN=path`
//! measures another attctl binary instead; `ATTCTL_BENCH_SKIP_LOCAL=1` leaves out SQLite.

use attctl::store::prelude::*;
use std::process::{Command, Stdio};
use std::time::Instant;

use attctl_testkit::SupabaseStack;
use attctl_testkit::bench::{Streamed as Run, read_peak_rss, stream_counting, under_gnu_time};
use attctl_testkit::seed;

const SIZES: [usize; 2] = [10_000, 50_000];

/// The attctl to measure: this build, or `ATTCTL_BENCH_BIN` (to compare with an older build
/// on the same data in the same run).
fn attctl_bin() -> String {
    std::env::var("ATTCTL_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_attctl").into())
}

/// Runs attctl, counts NDJSON lines as they stream, and reads its peak RSS.
fn run_list(vars: &[(&str, String)]) -> Run {
    stream_counting(attctl_bin(), b"\n", |cmd| {
        cmd.args(["session", "list", "--all", "-o", "ndjson"])
            .env_clear()
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
            .env("ATTCTL_TIMEZONE", "UTC");
    })
}

fn report(backend: &str, expected: usize, run: &Run) {
    assert_eq!(run.rows, expected, "every row listed by {backend}");
    println!(
        "{backend:>12} {expected:>7} rows  {:>7.3} s  {:>9.0} rows/s  peak RSS {:>6.1} MiB  pages {}",
        run.secs,
        run.rows as f64 / run.secs,
        run.peak_rss_kib as f64 / 1024.0,
        expected.div_ceil(1000)
    );
}

/// Start-up cost: `session list` on a small local data file, many times.
fn cold_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_file = dir.path().join("small.db");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = attctl::store::sqlite::SqliteStore::open(&data_file).expect("sqlite");
    rt.block_on(async {
        let class = store.create_class("small").await.expect("class").id;
        let base = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).expect("date");
        seed::through_store(&store, class, 0..10, base).await;
    });
    let mut times: Vec<f64> = (0..100)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(attctl_bin())
                .args(["session", "list", "-o", "json"])
                .env_clear()
                .env("ATTCTL_DATA_FILE", &data_file)
                .env("ATTCTL_TIMEZONE", "UTC")
                .stdout(Stdio::null())
                .status()
                .expect("run attctl");
            assert!(status.success());
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "cold start, local `session list` (10 sessions, 100 runs): p50 {:.1} ms  p90 {:.1} ms  min {:.1} ms",
        times[50], times[90], times[0]
    );
}

/// supabase-py, paging with `.range()` in list order. With `ndjson` it writes each row as
/// an NDJSON line (what attctl does); with `fetch` it only counts the rows it got, which is
/// the fastest a Python loop can be and the anchor the goal is measured against. The clock
/// starts after the imports, which are timed apart and left out of its rows/s, as the issue
/// measures it.
const SUPABASE_PY: &str = r#"
import json, sys, time
t0 = time.perf_counter()
from supabase import create_client
t1 = time.perf_counter()
url, key, total, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = create_client(url, key)
out = sys.stdout
rows = 0
start = 0
while start < total:
    page = (client.table("teaching_sessions").select("*")
            .order("session_date").order("start_time").order("id")
            .range(start, start + 999).execute().data)
    rows += len(page)
    if mode == "ndjson":
        for row in page:
            out.write(json.dumps(row))
            out.write("\n")
    if len(page) < 1000:
        break
    start += 1000
out.flush()
print(f"{t1 - t0:.3f} {time.perf_counter() - t1:.3f} {rows}", file=sys.stderr)
"#;

/// A hand-written curl loop: one curl per 1,000-row page, offset paging in list order.
const CURL_LOOP: &str = r#"
url=$1; key=$2; total=$3; off=0
while [ "$off" -lt "$total" ]; do
  curl -sf -H "apikey: $key" -H "Authorization: Bearer $key" \
    "$url/rest/v1/teaching_sessions?select=*&order=session_date.asc,start_time.asc,id.asc&limit=1000&offset=$off" || exit 1
  echo
  off=$((off + 1000))
done
"#;

/// The Python to run supabase-py with, if it imports.
fn python() -> Option<String> {
    let python = std::env::var("ATTCTL_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import supabase"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(python)
}

/// Wall time (ms) and peak RSS (MiB) of one run of `program`, its output discarded.
fn once(program: &str, setup: impl FnOnce(&mut Command)) -> (f64, f64) {
    let rss = tempfile::NamedTempFile::new().expect("temp file");
    let mut cmd = under_gnu_time(program, rss.path());
    setup(&mut cmd);
    let started = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn");
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    assert!(status.success(), "{program} failed");
    (ms, read_peak_rss(rss.path()) as f64 / 1024.0)
}

/// Goal 4: `attctl session list -o json` against the stack, beside one bare curl of the
/// request it sends (the first page of 100 with `count=exact`), medians of 30 runs each.
fn startup(stack: &SupabaseStack) {
    const RUNS: usize = 30;
    let median = |mut v: Vec<(f64, f64)>| {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let wall = v[v.len() / 2].0;
        let rss = v.iter().map(|r| r.1).fold(0.0, f64::max);
        (wall, rss)
    };
    let attctl = median(
        (0..RUNS)
            .map(|_| {
                once(&attctl_bin(), |cmd| {
                    cmd.args(["session", "list", "-o", "json"])
                        .env_clear()
                        .env("SUPABASE_URL", stack.url())
                        .env("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key())
                        .env("ATTCTL_TIMEZONE", "UTC");
                })
            })
            .collect(),
    );
    let key = stack.service_role_key();
    let curl = median(
        (0..RUNS)
            .map(|_| {
                once("curl", |cmd| {
                    cmd.args([
                    "-sf",
                    "-H",
                    &format!("apikey: {key}"),
                    "-H",
                    &format!("Authorization: Bearer {key}"),
                    "-H",
                    "Prefer: count=exact",
                    &format!(
                        "{}/rest/v1/teaching_sessions?select=*&order=session_date.asc,start_time.asc,id.asc&limit=100",
                        stack.url()
                    ),
                    ]);
                })
            })
            .collect(),
    );
    println!(
        "start-up, `session list -o json` on Supabase ({RUNS} runs, median wall, max RSS): \
         attctl {:.1} ms {:.1} MiB  bare curl {:.1} ms {:.1} MiB  ({:.2}x curl)",
        attctl.0,
        attctl.1,
        curl.0,
        curl.1,
        attctl.0 / curl.0
    );
}

/// The anchors of goal 1 on the same rows: supabase-py `.range()` paging and a curl loop.
fn anchors(stack: &SupabaseStack, total: usize, attctl: &Run) {
    let key = stack.service_role_key();
    let mut best: f64 = 0.0;
    match python() {
        Some(python) => {
            for mode in ["ndjson", "fetch"] {
                let out = Command::new(&python)
                    .args([
                        "-c",
                        SUPABASE_PY,
                        &stack.url(),
                        &key,
                        &total.to_string(),
                        mode,
                    ])
                    .output()
                    .expect("run supabase-py");
                assert!(out.status.success(), "supabase-py failed");
                let times = String::from_utf8_lossy(&out.stderr);
                let figures: Vec<f64> = times
                    .split_whitespace()
                    .filter_map(|t| t.parse().ok())
                    .collect();
                let [imports, paging, rows] = figures[..] else {
                    panic!("supabase-py printed {times:?}");
                };
                assert_eq!(rows as usize, total, "every row listed by supabase-py");
                let rate = rows / paging;
                if mode == "fetch" {
                    best = best.max(rate);
                }
                println!(
                    "{:>12} {total:>7} rows  {paging:>7.3} s  {rate:>9.0} rows/s  ({}; imports {imports:.2} s left out)",
                    "supabase-py",
                    if mode == "fetch" {
                        "fetch only"
                    } else {
                        "writing NDJSON"
                    }
                );
            }
        }
        None => println!(
            "{:>12} skipped: no Python that imports supabase (set ATTCTL_BENCH_PYTHON)",
            "supabase-py"
        ),
    }
    let curl = stream_counting("bash", b"{\"id\":", |cmd| {
        cmd.args([
            "-c",
            CURL_LOOP,
            "curl-loop",
            &stack.url(),
            &key,
            &total.to_string(),
        ]);
    });
    report("curl loop", total, &curl);
    best = best.max(curl.rows as f64 / curl.secs);
    println!(
        "attctl vs the fastest hand-written loop: {:.2}x (goal: at least 1.30x)",
        attctl.rows as f64 / attctl.secs / best
    );
}

fn main() {
    // `cargo bench` passes --bench; ignore harness arguments.
    // ATTCTL_BENCH_SKIP_LOCAL=1 leaves out the SQLite runs (an older attctl cannot open a
    // data file of this build's schema).
    let local_runs = std::env::var("ATTCTL_BENCH_SKIP_LOCAL").map_or(true, |v| v != "1");
    if local_runs {
        cold_start();
    }
    let stack = SupabaseStack::start().expect("Supabase test stack");
    println!("session list --all -o ndjson (streamed, 1000-row keyset pages)");
    let mut seeded = 0;
    let class: i64 = stack
        .psql("insert into classes (name) values ('bench') returning id")
        .expect("class")
        .trim()
        .parse()
        .expect("class id");
    let dir = tempfile::tempdir().expect("temp dir");
    let data_file = dir.path().join("bench.db");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let local = attctl::store::sqlite::SqliteStore::open(&data_file).expect("sqlite");
    let local_class = rt.block_on(local.create_class("bench")).expect("class").id;
    for size in SIZES {
        stack
            .psql(&seed::sql(class, seeded, size - seeded, "2031-01-01"))
            .expect("seed");
        let base = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).expect("date");
        if local_runs {
            rt.block_on(seed::through_store(&local, local_class, seeded..size, base));
        }
        seeded = size;
        let supabase = run_list(&[
            ("SUPABASE_URL", stack.url()),
            ("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key()),
        ]);
        report("supabase", size, &supabase);
        if size == SIZES[SIZES.len() - 1] {
            anchors(&stack, size, &supabase);
        }
        if local_runs {
            let sqlite = run_list(&[("ATTCTL_DATA_FILE", data_file.display().to_string())]);
            report("local", size, &sqlite);
        }
    }
    startup(&stack);
}
