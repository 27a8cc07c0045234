//! Shared fixtures for the black-box CLI tests: a small builder that runs the real `attctl`
//! binary, and the two backends every behavioural test runs against.
#![allow(dead_code)]

pub mod seed;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// Which store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: a SQLite file in a temp dir.
    Local,
    /// Real PostgreSQL + PostgREST behind a Supabase-like gateway.
    Supabase,
}

/// An isolated environment: its own HOME, XDG dirs, working dir and data file.
pub struct TestEnv {
    pub backend: Backend,
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A name no other test in this run uses (tests share one Supabase database).
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix} {}-{}-{}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

impl TestEnv {
    pub fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let mut vars = vec![
            ("HOME".to_string(), root.display().to_string()),
            (
                "XDG_CONFIG_HOME".into(),
                root.join("config").display().to_string(),
            ),
            (
                "XDG_DATA_HOME".into(),
                root.join("data").display().to_string(),
            ),
            ("ATTCTL_TIMEZONE".into(), "UTC".into()),
            ("NO_COLOR".into(), "1".into()),
        ];
        match backend {
            Backend::Local => vars.push((
                "ATTCTL_DATA_FILE".into(),
                root.join("attctl.db").display().to_string(),
            )),
            Backend::Supabase => {
                let stack = attctl_testkit::SupabaseStack::shared();
                vars.push(("SUPABASE_URL".into(), stack.url()));
                vars.push(("SUPABASE_SERVICE_ROLE_KEY".into(), stack.service_role_key()));
            }
        }
        TestEnv { backend, dir, vars }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.to_string()));
    }

    pub fn unset(&mut self, key: &str) {
        self.vars.retain(|(k, _)| k != key);
    }

    pub fn attctl(&self) -> Cmd {
        Cmd {
            program: PathBuf::from(env!("CARGO_BIN_EXE_attctl")),
            args: Vec::new(),
            vars: self.vars.clone(),
            cwd: self.dir.path().to_path_buf(),
            stdin: None,
        }
    }

    /// Another program (`script`, for a terminal) run with this environment.
    pub fn attctl_program(&self, program: &str) -> Cmd {
        Cmd {
            program: PathBuf::from(program),
            ..self.attctl()
        }
    }

    /// Creates a class with a unique name and returns its id.
    pub fn class(&self) -> i64 {
        let name = unique("Class");
        let out = self
            .attctl()
            .args(["class", "create", "--name", &name, "-o", "json"])
            .success();
        out.json()["id"].as_i64().expect("class id")
    }

    /// `session show ID -o json`, which must succeed.
    pub fn show_json(&self, id: &str) -> Value {
        self.attctl()
            .args(["session", "show", "-o", "json", id])
            .success()
            .json()
    }

    /// Creates a session and returns its JSON.
    pub fn session(&self, class: i64, date: &str, start: &str, end: &str) -> Value {
        self.attctl()
            .args(["session", "create", "-o", "json", "--class"])
            .arg(class.to_string())
            .args(["--date", date, "--start", start, "--end", end])
            .success()
            .json()
    }
}

pub struct Cmd {
    program: PathBuf,
    args: Vec<String>,
    vars: Vec<(String, String)>,
    cwd: PathBuf,
    stdin: Option<String>,
}

#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn ndjson(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad NDJSON line {l:?}: {e}"))
            })
            .collect()
    }

    /// Bad input: non-zero exit, one line on stderr, nothing on stdout.
    pub fn assert_one_line_error(&self, code: i32, needle: &str) {
        assert_eq!(self.code, code, "exit code; stderr: {}", self.stderr);
        assert!(
            self.stdout.is_empty(),
            "stdout should be empty: {}",
            self.stdout
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "one stderr line expected: {:?}",
            self.stderr
        );
        assert!(lines[0].starts_with("error: "), "{}", lines[0]);
        assert!(
            lines[0].to_lowercase().contains(&needle.to_lowercase()),
            "stderr {:?} should mention {needle:?}",
            lines[0]
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

impl Cmd {
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.into(), value.into()));
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.vars.retain(|(k, _)| k != key);
        self
    }

    pub fn stdin(mut self, input: &str) -> Self {
        self.stdin = Some(input.into());
        self
    }

    pub fn run(self) -> Outcome {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).current_dir(&self.cwd).env_clear();
        // A clean environment: only PATH and what the test set.
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.envs(self.vars.iter().map(|(k, v)| (k, v)));
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn attctl");
        if let Some(input) = &self.stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        let out = child.wait_with_output().expect("wait attctl");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and asserts exit 0 with no panic.
    pub fn success(self) -> Outcome {
        let desc = self.args.join(" ");
        let out = self.run();
        assert_eq!(
            out.code, 0,
            "attctl {desc} failed:\nstdout: {}\nstderr: {}",
            out.stdout, out.stderr
        );
        out
    }
}

/// Runs a test body once per backend: `backend_tests!(name, name2, ...)` expects
/// `fn name(env: TestEnv)` in scope and generates `local::name` and `supabase::name`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::common::TestEnv::new($crate::common::Backend::Local));
                }
            )*
        }
        mod supabase {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::common::TestEnv::new($crate::common::Backend::Supabase));
                }
            )*
        }
    };
}

/// A wall-clock time `secs` from now in UTC, as (date, HH:MM:SS), never crossing midnight
/// backwards (tests pick their own dates far from now where that matters).
pub fn utc_in(secs: i64) -> (String, String) {
    let t = chrono::Utc::now() + chrono::Duration::seconds(secs);
    (
        t.format("%Y-%m-%d").to_string(),
        t.format("%H:%M:%S").to_string(),
    )
}

impl TestEnv {
    /// Inserts `n` sessions for `class` directly through the real store (the CLI would take
    /// minutes for thousands): dates from 2031-01-01, eight sessions a day.
    pub fn seed_sessions(&self, class: i64, n: usize) {
        match self.backend {
            Backend::Supabase => {
                attctl_testkit::SupabaseStack::shared()
                    .psql(&seed::sql(class, 0, n, "2031-01-01"))
                    .expect("seed sessions");
            }
            Backend::Local => {
                let path = self
                    .vars
                    .iter()
                    .find(|(k, _)| k == "ATTCTL_DATA_FILE")
                    .map(|(_, v)| PathBuf::from(v))
                    .expect("data file");
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let store = attctl::store::sqlite::SqliteStore::open(&path).expect("open store");
                let base = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).expect("date");
                rt.block_on(seed::through_store(&store, class, 0..n, base));
            }
        }
    }
}
