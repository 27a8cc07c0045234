//! The one harness of the black-box tests of both packages: an isolated [`TestEnv`] that
//! runs the real `attctl` and `attctl-worker` binaries ([`Cmd`], [`Outcome`]), the two
//! backends every behavioural test runs against ([`Backend`], [`backend_tests!`]), running
//! workers ([`Worker`], [`NotifySocket`]) and wall-clock helpers for sessions around now.
//!
//! Binaries are found where cargo puts them, beside the test executable (see [`binary`]):
//! nothing is built from inside a test.

mod clock;
mod sessions;
mod terminal;
mod worker;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;

pub use clock::{avoid_midnight, in_secs, lag_ms, parse_time, test_zone, utc_in, wall_times};
pub use sessions::{doctor_check, session_id};
pub use terminal::{Screen, Terminal, strip_escapes, terminal_available};
pub use worker::{NotifySocket, Worker};

use crate::{Schema, SupabaseStack};

/// A binary of this workspace (`attctl`, `attctl-worker`), in the directory cargo puts the
/// binaries of the profile the tests were built with: `target/<profile>/`, the parent of
/// the test executable's `deps/`. That is exactly `CARGO_BIN_EXE_<name>` for the package
/// under test (each test binary checks so), and where `cargo test --workspace` builds the
/// other package's. `ATTCTL_BIN` / `ATTCTL_WORKER_BIN` name other binaries to use.
///
/// # Panics
/// If the binary is missing, with the command that builds it.
pub fn binary(name: &str) -> PathBuf {
    let var = match name {
        "attctl" => "ATTCTL_BIN",
        _ => "ATTCTL_WORKER_BIN",
    };
    if let Some(bin) = std::env::var_os(var) {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("test executable path: {e}"));
    let dir = exe
        .parent()
        .filter(|deps| deps.ends_with("deps"))
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("{} is not in a cargo target dir", exe.display()));
    let bin = dir.join(name);
    let release = if dir.ends_with("release") {
        " --release"
    } else {
        ""
    };
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo test --workspace` (or `cargo build{release} -p {name}` \
         first), or set {var} to a built binary",
        bin.display()
    );
    bin
}

/// Runs `f` on a thread of its own and returns what it returns: for the blocking `attctl`
/// runs of a test whose engine runs on the test's own async runtime.
pub fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().expect("test thread")
}

/// Which store a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: a SQLite file in a temp dir.
    Local,
    /// Real PostgreSQL + PostgREST behind a Supabase-like gateway.
    Supabase,
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A name no other test of this run uses (tests share one Supabase database per file).
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix} {}-{}-{}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::SeqCst),
        Utc::now().timestamp_micros() % 1_000_000
    )
}

/// An isolated environment: its own HOME, XDG dirs, working dir, and either a data file
/// (local) or the variables of a Supabase stack. Nothing is inherited from the caller's
/// environment but PATH, so a developer's SUPABASE_* or HATCHET_* never leaks in.
pub struct TestEnv {
    /// The store [`TestEnv::new`] set up ([`TestEnv::bare`] sets none: `Local`).
    pub backend: Backend,
    /// The database behind a [`Backend::Supabase`] environment.
    pub schema: Schema,
    dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
    stack: Option<&'static SupabaseStack>,
}

impl TestEnv {
    /// An environment for `backend` in UTC: a data file in its dir, or the shared stack of
    /// the calling test file (see [`SupabaseStack::shared`]).
    #[track_caller]
    pub fn new(backend: Backend) -> Self {
        Self::new_on(backend, Schema::Attctl)
    }

    /// A [`Backend::Supabase`] environment on the original app's database, upgraded by the
    /// migrations (the calling test file's [`SupabaseStack::shared_original_app`]).
    #[track_caller]
    pub fn original_app() -> Self {
        Self::new_on(Backend::Supabase, Schema::OriginalApp)
    }

    #[track_caller]
    fn new_on(backend: Backend, schema: Schema) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let mut vars = base_vars(&root);
        vars.push(("ATTCTL_TIMEZONE".into(), "UTC".into()));
        let mut stack = None;
        match backend {
            Backend::Local => vars.push((
                "ATTCTL_DATA_FILE".into(),
                root.join("attctl.db").display().to_string(),
            )),
            Backend::Supabase => {
                let file = std::panic::Location::caller().file();
                let shared = SupabaseStack::try_shared_with(file, schema)
                    .unwrap_or_else(|e| panic!("{e:#}"));
                vars.push(("SUPABASE_URL".into(), shared.url()));
                vars.push((
                    "SUPABASE_SERVICE_ROLE_KEY".into(),
                    shared.service_role_key(),
                ));
                stack = Some(shared);
            }
        }
        TestEnv {
            backend,
            schema,
            dir,
            vars,
            stack,
        }
    }

    /// No store configured, wall-clock times in [`test_zone`] (local noon near now): the
    /// worker tests' base, which add the store they need.
    pub fn bare() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut vars = base_vars(dir.path());
        vars.push(("ATTCTL_TIMEZONE".into(), test_zone().to_string()));
        vars.push((
            "PATH".into(),
            std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
        ));
        TestEnv {
            backend: Backend::Local,
            schema: Schema::Attctl,
            dir,
            vars,
            stack: None,
        }
    }

    /// [`TestEnv::bare`] with a data file ([`TestEnv::data_file`]).
    pub fn local() -> Self {
        let env = Self::bare();
        let data = env.data_file().display().to_string();
        env.with("ATTCTL_DATA_FILE", &data)
    }

    /// [`TestEnv::bare`] on this Supabase stack (its URL and service-role key): the worker
    /// tests' Supabase base. The stack is the caller's to choose (a module's shared one, or
    /// a dedicated one).
    pub fn on_stack(stack: &SupabaseStack) -> Self {
        Self::bare()
            .with("SUPABASE_URL", &stack.url())
            .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key())
    }

    /// A staff machine on the same stack as this environment: its own HOME (so its own
    /// sign-in), SUPABASE_URL and the anon key, no service key and no Hatchet token.
    pub fn staff_machine(&self) -> TestEnv {
        let stack = self
            .stack
            .expect("a staff machine needs a Supabase environment to copy");
        let mut env = Self::staff_machine_on(stack);
        env.schema = self.schema;
        env.stack = Some(stack);
        env
    }

    /// A staff machine on `stack` (see [`TestEnv::staff_machine`]).
    pub fn staff_machine_on(stack: &SupabaseStack) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut vars = base_vars(dir.path());
        vars.push(("ATTCTL_TIMEZONE".into(), "UTC".into()));
        vars.push(("SUPABASE_URL".into(), stack.url()));
        vars.push(("SUPABASE_ANON_KEY".into(), stack.anon_key()));
        TestEnv {
            backend: Backend::Supabase,
            schema: stack.schema(),
            dir,
            vars,
            stack: None,
        }
    }

    /// Signs in on this (staff) machine with `attctl login --password-stdin`.
    pub fn login(&self, email: &str, password: &str) -> Outcome {
        self.attctl()
            .args(["login", "--email", email, "--password-stdin", "-o", "json"])
            .stdin(&format!("{password}\n"))
            .run()
    }

    /// With this Hatchet token, over plain gRPC (the test engine has no TLS).
    pub fn with_hatchet(self, token: &str) -> Self {
        self.with("HATCHET_CLIENT_TOKEN", token)
            .with("HATCHET_CLIENT_TLS_STRATEGY", "none")
    }

    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.set(key, value);
        self
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_string(), value.to_string()));
    }

    pub fn unset(&mut self, key: &str) {
        self.vars.retain(|(k, _)| k != key);
    }

    /// A variable of this environment.
    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The Supabase stack of a [`Backend::Supabase`] environment.
    pub fn stack(&self) -> Option<&'static SupabaseStack> {
        self.stack
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The data file of [`TestEnv::local`] and of [`Backend::Local`].
    pub fn data_file(&self) -> PathBuf {
        self.dir().join("attctl.db")
    }

    /// `attctl`, to be given arguments and run.
    pub fn attctl(&self) -> Cmd {
        self.program(binary("attctl"))
    }

    /// `attctl-worker`, to be given arguments and run.
    pub fn worker(&self) -> Cmd {
        self.program(binary("attctl-worker"))
    }

    /// Another program (`script`, for a terminal) run with this environment.
    pub fn attctl_program(&self, program: &str) -> Cmd {
        self.program(PathBuf::from(program))
    }

    fn program(&self, program: PathBuf) -> Cmd {
        Cmd {
            program,
            args: Vec::new(),
            vars: self.vars.clone(),
            cwd: self.dir.path().to_path_buf(),
            stdin: None,
        }
    }

    /// Runs `attctl` with these arguments to completion.
    pub fn run_attctl<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.attctl().args(args).run()
    }

    /// Runs `attctl-worker` to completion (e.g. `sweep --once`).
    pub fn worker_once<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.worker().args(args).run()
    }
}

/// HOME, XDG dirs and no colour, all inside `root`.
fn base_vars(root: &Path) -> Vec<(String, String)> {
    vec![
        ("HOME".to_string(), root.display().to_string()),
        (
            "XDG_CONFIG_HOME".into(),
            root.join("config").display().to_string(),
        ),
        (
            "XDG_DATA_HOME".into(),
            root.join("data").display().to_string(),
        ),
        ("NO_COLOR".into(), "1".into()),
    ]
}

/// A command of a [`TestEnv`]: its variables only (and PATH), its dir as working dir.
pub struct Cmd {
    program: PathBuf,
    args: Vec<String>,
    vars: Vec<(String, String)>,
    cwd: PathBuf,
    stdin: Option<String>,
}

/// What a finished command printed, and its exit code.
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
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
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

    /// The command, to be spawned by the caller (a worker kept running, say).
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).current_dir(&self.cwd).env_clear();
        // A clean environment: only PATH and what the test set.
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.envs(self.vars.iter().map(|(k, v)| (k, v)));
        cmd
    }

    pub fn run(self) -> Outcome {
        let mut cmd = self.command();
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", self.program.display()));
        if let Some(input) = &self.stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        let out = child.wait_with_output().expect("wait for the command");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs to completion within `limit`, or kills the command and panics: for commands
    /// that must answer in bounded time however the servers they talk to behave.
    pub fn run_within(self, limit: Duration) -> Outcome {
        let desc = self.args.join(" ");
        let mut cmd = self.command();
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", self.program.display()));
        let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_string(&mut text);
                }
                text
            })
        };
        let stdout = read(child.stdout.take().map(|p| Box::new(p) as _));
        let stderr = read(child.stderr.take().map(|p| Box::new(p) as _));
        let started = Instant::now();
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break status;
            }
            if started.elapsed() >= limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`{desc}` did not finish within {limit:?}; stderr so far: {}",
                    stderr.join().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Outcome {
            code: status.code().unwrap_or(-1),
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        }
    }

    /// Runs and asserts exit 0 with no panic.
    pub fn success(self) -> Outcome {
        let desc = self.args.join(" ");
        let name = self
            .program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = self.run();
        assert_eq!(
            out.code, 0,
            "{name} {desc} failed:\nstdout: {}\nstderr: {}",
            out.stdout, out.stderr
        );
        out
    }
}

/// Runs a test body once per store: `backend_tests!(name, name2, ...)` expects
/// `fn name(env: TestEnv)` in scope and generates `local::name`, `supabase::name` (attctl's
/// own database) and `original_app::name` (the original app's database, upgraded by the
/// migrations, with the app's rows). The Supabase ones use the stacks of the file it is
/// invoked in.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod local {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::harness::TestEnv::new($crate::harness::Backend::Local));
                }
            )*
        }
        mod supabase {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::harness::TestEnv::new($crate::harness::Backend::Supabase));
                }
            )*
        }
        mod original_app {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::harness::TestEnv::original_app());
                }
            )*
        }
    };
}
