//! Shared fixtures of the black-box worker tests: they run the real `attctl-worker` and
//! `attctl` binaries in an isolated environment.
//!
//! The `attctl` binary belongs to another package, so `cargo test -p attctl-worker` does not
//! build it. [`attctl_bin`] uses `target/<profile>/attctl` when it is newer than the core's
//! sources (as after `cargo test --workspace`, which CI runs), and otherwise runs
//! `cargo build -p attctl --bin attctl` once per test process; `ATTCTL_BIN` names a binary
//! to use instead.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Timelike, Utc};
use serde_json::Value;

pub fn worker_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_attctl-worker"))
}

/// The `attctl` binary of this workspace, built on first use.
pub fn attctl_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("ATTCTL_BIN") {
            return PathBuf::from(bin);
        }
        // Same profile and target dir as this package's binary.
        let dir = worker_bin()
            .parent()
            .expect("attctl-worker has a parent dir")
            .to_path_buf();
        let bin = dir.join("attctl");
        if is_fresh(&bin) {
            return bin;
        }
        let profile_release = dir.file_name().is_some_and(|n| n == "release");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "--quiet", "-p", "attctl", "--bin", "attctl"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_release {
            build.arg("--release");
        }
        if let Some(target_dir) = dir.parent() {
            build.arg("--target-dir").arg(target_dir);
        }
        let status = build.status().expect("running cargo build for attctl");
        assert!(status.success(), "cargo build -p attctl failed: {status}");
        assert!(bin.is_file(), "{} was not built", bin.display());
        bin
    })
    .clone()
}

/// Whether `bin` is newer than everything it is built from in the core package. Rebuilding
/// a fresh binary is not free: `-p attctl` alone unifies features differently from the
/// workspace build, so cargo would compile the core and the Hatchet SDK once more.
fn is_fresh(bin: &Path) -> bool {
    let Ok(built) = bin.metadata().and_then(|m| m.modified()) else {
        return false;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut newest = None;
    for input in ["src", "Cargo.toml", "Cargo.lock"] {
        newest = newest.max(newest_mtime(&root.join(input)));
    }
    newest.is_some_and(|newest| built >= newest)
}

fn newest_mtime(path: &Path) -> Option<std::time::SystemTime> {
    let meta = path.metadata().ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| newest_mtime(&entry.path()))
        .max()
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A name no other test of this run uses (tests may share one database).
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix} {}-{}-{}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::SeqCst),
        Utc::now().timestamp_micros() % 1_000_000
    )
}

/// An isolated environment: its own HOME, XDG dirs, working dir, and either a data file
/// (local) or the given Supabase/Hatchet variables. Nothing is inherited from the
/// caller's environment but PATH, so a developer's SUPABASE_* or HATCHET_* never leaks in.
pub struct TestEnv {
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl TestEnv {
    pub fn local() -> Self {
        let env = Self::bare();
        let data = env.dir().join("attctl.db").display().to_string();
        env.with("ATTCTL_DATA_FILE", &data)
    }

    pub fn bare() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let vars = vec![
            ("HOME".to_string(), root.display().to_string()),
            (
                "XDG_CONFIG_HOME".into(),
                root.join("config").display().to_string(),
            ),
            (
                "XDG_DATA_HOME".into(),
                root.join("data").display().to_string(),
            ),
            ("ATTCTL_TIMEZONE".into(), test_zone().to_string()),
            ("NO_COLOR".into(), "1".into()),
            (
                "PATH".into(),
                std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
            ),
        ];
        TestEnv { dir, vars }
    }

    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.set(key, value);
        self
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.to_string()));
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_file(&self) -> PathBuf {
        self.dir().join("attctl.db")
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
            .current_dir(self.dir())
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `attctl` with these arguments.
    pub fn attctl<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        run(self.command(&attctl_bin()).args(args))
    }

    /// Runs `attctl-worker` to completion (e.g. `sweep --once`).
    pub fn worker_once<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        run(self.command(&worker_bin()).args(args))
    }

    /// Creates a class with a unique name and returns its id.
    pub fn class(&self) -> i64 {
        let name = unique("Class");
        let out = self.attctl(["class", "create", "--name", &name, "-o", "json"]);
        out.assert_ok();
        out.json()["id"].as_i64().expect("class id")
    }

    /// Creates a session of `class` ending at `end` (UTC, whole seconds), starting `len`
    /// earlier on the same day.
    pub fn session_ending_at(&self, class: i64, end: DateTime<Utc>, len: Duration) -> Value {
        let out = self.try_session_ending_at(class, end, len);
        out.assert_ok();
        out.json()
    }

    pub fn try_session_ending_at(&self, class: i64, end: DateTime<Utc>, len: Duration) -> Outcome {
        let (date, start, end) = wall_times(end, len);
        self.attctl([
            "session",
            "create",
            "-o",
            "json",
            "--class",
            &class.to_string(),
            "--date",
            &date,
            "--start",
            &start,
            "--end",
            &end,
            // Worker tests create many sessions of one class ending together; whether they
            // may overlap is attctl's rule (tests/first_hour.rs), not the worker's concern.
            "--allow-overlap",
        ])
    }

    pub fn show(&self, id: i64) -> Value {
        let out = self.attctl(["session", "show", &id.to_string(), "-o", "json"]);
        out.assert_ok();
        out.json()
    }

    /// Polls `session show` until `pred` holds or `timeout` passes; returns the last JSON.
    pub fn wait_session(&self, id: i64, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let s = self.show(id);
            if pred(&s) || Instant::now() >= deadline {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts `attctl-worker` with these arguments, logging at info (JSON lines).
    pub fn spawn_worker<I, S>(&self, args: I) -> Worker
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.spawn_worker_with(args, &[])
    }

    pub fn spawn_worker_with<I, S>(&self, args: I, extra_env: &[(&str, &str)]) -> Worker
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.command(&worker_bin());
        cmd.args(args)
            .env("RUST_LOG", "info")
            .envs(extra_env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawning attctl-worker");
        let lines = Arc::new(Mutex::new(Vec::new()));
        if let Some(stderr) = child.stderr.take() {
            let sink = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    sink.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                }
            });
        }
        Worker {
            child: Some(child),
            lines,
            started: Instant::now(),
        }
    }
}

/// A running `attctl-worker`; killed (SIGKILL) and reaped when dropped, so no test leaves
/// one behind whatever happens.
pub struct Worker {
    child: Option<Child>,
    lines: Arc<Mutex<Vec<String>>>,
    pub started: Instant,
}

impl Worker {
    pub fn pid(&self) -> i32 {
        self.child.as_ref().map(|c| c.id() as i32).unwrap_or(0)
    }

    /// Every stderr line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Log events (JSON lines) so far.
    pub fn events(&self) -> Vec<Value> {
        self.lines()
            .iter()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits for a log event matching `pred`; panics with the log after `timeout`.
    pub fn wait_event(&self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.events().into_iter().find(|e| pred(e)) {
                return e;
            }
            if Instant::now() >= deadline {
                panic!(
                    "no matching worker event within {timeout:?}; log:\n{}",
                    self.lines().join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the daemon logged that it is ready.
    pub fn wait_ready(&self, timeout: Duration) {
        self.wait_event(timeout, |e| e["message"] == "ready");
    }

    pub fn signal(&self, signal: i32) {
        let pid = self.pid();
        if pid > 0 {
            // SAFETY: kill(2) on our own child's pid.
            unsafe {
                libc::kill(pid, signal);
            }
        }
    }

    /// Waits for the process to exit, at most `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut()?;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
pub struct NotifySocket {
    path: PathBuf,
    messages: Arc<Mutex<Vec<String>>>,
}

impl NotifySocket {
    pub fn bind(dir: &Path) -> Self {
        let path = dir.join("notify.sock");
        let socket = UnixDatagram::bind(&path).expect("binding the notify socket");
        socket
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("read timeout");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let sink = messages.clone();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 4096];
            // Ends when the test process ends; a timeout just loops.
            loop {
                match socket.recv(&mut buf) {
                    Ok(n) => sink
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(String::from_utf8_lossy(&buf[..n]).to_string()),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => return,
                }
            }
        });
        NotifySocket { path, messages }
    }

    pub fn path(&self) -> String {
        self.path.display().to_string()
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Every `KEY=value` line received, in order.
    pub fn assignments(&self) -> Vec<String> {
        self.messages()
            .iter()
            .flat_map(|m| m.lines().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    pub fn wait_for(&self, line: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.assignments().iter().any(|l| l == line) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn assert_ok(&self) {
        assert_eq!(
            self.code, 0,
            "command failed\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

fn run(cmd: &mut Command) -> Outcome {
    let out = cmd.output().expect("running a binary");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// `--date`, `--start`, `--end` for a session ending at `end` (whole seconds, UTC) and
/// lasting `len`, on one day.
pub fn wall_times(end: DateTime<Utc>, len: Duration) -> (String, String, String) {
    let len = chrono::Duration::from_std(len).expect("session length");
    let offset = chrono::Duration::hours(i64::from(zone_offset_hours()));
    let (start, end) = ((end - len).naive_utc() + offset, end.naive_utc() + offset);
    assert_eq!(
        start.date(),
        end.date(),
        "a session of {len} around now spans local midnight in {}",
        test_zone()
    );
    (
        end.format("%Y-%m-%d").to_string(),
        start.format("%H:%M:%S").to_string(),
        end.format("%H:%M:%S").to_string(),
    )
}

/// Hours the test zone is ahead of UTC: chosen once per run so that local time is near
/// noon, whatever time of day the suite runs.
fn zone_offset_hours() -> i32 {
    static OFFSET: OnceLock<i32> = OnceLock::new();
    *OFFSET.get_or_init(|| 12 - Utc::now().hour() as i32)
}

/// The zone the worker tests write wall-clock times in (`ATTCTL_TIMEZONE`): a fixed offset
/// (`Etc/GMT-N` is UTC+N) that puts local noon near the time the suite started, so a
/// session a few hours either side of now never straddles local midnight and no test has
/// to wait for midnight to pass.
pub fn test_zone() -> &'static str {
    static ZONE: OnceLock<String> = OnceLock::new();
    ZONE.get_or_init(|| match zone_offset_hours() {
        0 => "UTC".to_string(),
        h if h > 0 => format!("Etc/GMT-{h}"),
        h => format!("Etc/GMT+{}", -h),
    })
}

/// Whole seconds from now: the instant `secs` seconds ahead, rounded down to the second
/// (the CLI takes HH:MM:SS).
pub fn in_secs(secs: i64) -> DateTime<Utc> {
    let t = Utc::now() + chrono::Duration::seconds(secs);
    t.with_nanosecond(0).unwrap_or(t)
}

/// Sessions span up to `margin` around now: checks that this cannot cross local midnight
/// in [`test_zone`]. It cannot, unless the suite has run for hours, so this never waits.
pub fn avoid_midnight(margin: Duration) {
    let offset = chrono::Duration::hours(i64::from(zone_offset_hours()));
    let local = (Utc::now().naive_utc() + offset).time();
    let secs = local.num_seconds_from_midnight();
    let margin = margin.as_secs() as u32;
    assert!(
        secs > margin && secs + margin < 86_400,
        "local time {local} in {} is within {margin}s of midnight: the suite ran for hours",
        test_zone()
    );
}

pub fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// `closed_at - closes_at` of a session JSON, in milliseconds.
pub fn lag_ms(session: &Value) -> Option<i64> {
    Some(
        (parse_time(&session["closed_at"])? - parse_time(&session["closes_at"])?)
            .num_milliseconds(),
    )
}
