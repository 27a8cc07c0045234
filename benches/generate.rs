//! Benchmark: `attctl session generate` of 1,000 sessions on the real PostgreSQL + PostgREST
//! stack, with the Hatchet test engine (runs created with bounded concurrency, ids stored in
//! bulk) and with the local scheduler (run ids inline in the insert), against 1,000
//! `attctl session create` calls in a shell loop, in the same run. Prints the figures.
//!
//! Run: `cargo build --release -p attctl-worker && cargo bench --bench generate`
//! (the worker registers the close workflow with the engine; without it the Hatchet rows
//! are left out). `BENCH_GENERATE_ONLY=1` skips the (minutes long) create loops.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use chrono::{Datelike, NaiveDate, Weekday};
use hatchet_test_engine::{EngineConfig, TestEngine};

const N: usize = 1000;

struct Env {
    home: PathBuf,
    vars: Vec<(String, String)>,
}

impl Env {
    fn attctl(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_attctl"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    fn class(&self, name: &str) -> String {
        let out = self
            .attctl(&["class", "create", "--name", name, "-o", "json"])
            .stdout(Stdio::piped())
            .output()
            .expect("class create");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("class JSON");
        v["id"].to_string()
    }
}

/// The last of `N` weekdays from `from`.
fn until_for(from: NaiveDate) -> NaiveDate {
    let mut d = from;
    let mut n = 0;
    loop {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
            if n == N {
                return d;
            }
        }
        d = d.succ_opt().expect("date");
    }
}

fn timed(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

fn generate(env: &Env, class: &str, from: NaiveDate) -> Duration {
    let (from_s, until_s) = (from.to_string(), until_for(from).to_string());
    timed(env.attctl(&[
        "session",
        "generate",
        "-o",
        "json",
        "--class",
        class,
        "--days",
        "mon,tue,wed,thu,fri",
        "--from",
        &from_s,
        "--until",
        &until_s,
        "--start",
        "09:00",
        "--end",
        "09:50",
    ]))
}

fn create_loop(env: &Env, class: &str, from: NaiveDate) -> Duration {
    if std::env::var_os("BENCH_GENERATE_ONLY").is_some() {
        return Duration::ZERO;
    }
    let script = format!(
        "d=0; for i in $(seq 1 {N}); do \
           day=$(date -u -d \"{from} + $i days\" +%F); \
           \"$ATTCTL\" session create -o json --class {class} --date \"$day\" --start 09:00 --end 09:50 >/dev/null || exit 1; \
         done"
    );
    let mut cmd = Command::new("bash");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ATTCTL", env!("CARGO_BIN_EXE_attctl"))
        .env("HOME", &env.home)
        .env("XDG_CONFIG_HOME", env.home.join("config"))
        .env("XDG_DATA_HOME", env.home.join("data"))
        .envs(env.vars.iter().map(|(k, v)| (k, v)))
        .args(["-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    timed(cmd)
}

fn report(label: &str, generate: Duration, create: Duration, requests: (u64, u64)) {
    println!(
        "  {label:<8} generate {N}: {:>8.0} ms ({} HTTP requests)   {N} x create: {:>8.0} ms ({} HTTP requests)   speed-up {:.1}x",
        generate.as_secs_f64() * 1000.0,
        requests.0,
        create.as_secs_f64() * 1000.0,
        requests.1,
        create.as_secs_f64() / generate.as_secs_f64().max(1e-9)
    );
}

fn worker_binary() -> Option<PathBuf> {
    let bin = Path::new(env!("CARGO_BIN_EXE_attctl")).with_file_name("attctl-worker");
    bin.exists().then_some(bin)
}

fn main() {
    let stack = SupabaseStack::start().expect("Supabase test stack");
    let home = tempfile::tempdir().expect("temp dir");
    let base = vec![
        ("SUPABASE_URL".to_string(), stack.url()),
        (
            "SUPABASE_SERVICE_ROLE_KEY".to_string(),
            stack.service_role_key(),
        ),
        ("ATTCTL_TIMEZONE".to_string(), "UTC".to_string()),
    ];
    println!("session generate of {N} sessions vs {N} session create calls (Supabase stack)");

    // Local scheduler: run ids inline in the bulk insert.
    let env = Env {
        home: home.path().to_path_buf(),
        vars: base.clone(),
    };
    let class = env.class("bench-local-generate");
    let before = stack.api_request_total();
    let g = generate(
        &env,
        &class,
        NaiveDate::from_ymd_opt(2041, 1, 1).expect("date"),
    );
    let g_requests = stack.api_request_total() - before;
    let class = env.class("bench-local-create");
    let before = stack.api_request_total();
    let c = create_loop(
        &env,
        &class,
        NaiveDate::from_ymd_opt(2041, 1, 1).expect("date"),
    );
    report(
        "local",
        g,
        c,
        (g_requests, stack.api_request_total() - before),
    );

    // Hatchet test engine, with a real attctl-worker registered.
    let Some(worker_bin) = worker_binary() else {
        println!(
            "  hatchet  skipped: build attctl-worker first (cargo build --release -p attctl-worker)"
        );
        return;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let engine = rt
        .block_on(TestEngine::start(EngineConfig::default()))
        .expect("engine");
    let mut worker = Command::new(worker_bin)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .envs(base.iter().map(|(k, v)| (k, v)))
        .env("HATCHET_CLIENT_TOKEN", engine.token())
        .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
        .env("ATTCTL_SWEEP_INTERVAL", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("worker");
    rt.block_on(engine.wait_for(
        |e| {
            e.workflows()
                .iter()
                .any(|w| w.name == "close-teaching-session")
        },
        Duration::from_secs(30),
    ))
    .expect("workflow registered");
    let mut vars = base;
    vars.push(("HATCHET_CLIENT_TOKEN".into(), engine.token()));
    vars.push(("HATCHET_CLIENT_TLS_STRATEGY".into(), "none".into()));
    let env = Env {
        home: home.path().to_path_buf(),
        vars,
    };
    let class = env.class("bench-hatchet-generate");
    let before = stack.api_request_total();
    let g = generate(
        &env,
        &class,
        NaiveDate::from_ymd_opt(2042, 1, 1).expect("date"),
    );
    let g_requests = stack.api_request_total() - before;
    let class = env.class("bench-hatchet-create");
    let before = stack.api_request_total();
    let c = create_loop(
        &env,
        &class,
        NaiveDate::from_ymd_opt(2042, 1, 1).expect("date"),
    );
    report(
        "hatchet",
        g,
        c,
        (g_requests, stack.api_request_total() - before),
    );
    println!("  engine schedules: {}", engine.schedules().len());
    let _ = worker.kill();
    let _ = worker.wait();
}
