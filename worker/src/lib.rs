//! attctl-worker: closes every teaching session at its end, whatever happens to the
//! processes and services around it.
//!
//! Two modes, chosen by the configuration (see [`daemon`]):
//!
//! - **Hatchet** (a Hatchet token is configured): [`hatchet_worker`] runs the
//!   `close-teaching-session` task ([`close_task`]), and the original app's
//!   `close-session-workflow` unless turned off, under a supervisor that restarts the SDK's
//!   worker whenever it dies or goes deaf ([`deafness`]); [`sweep`] reconciles the database
//!   every interval, and [`planner`] plans missing runs beside it. With
//!   `ATTCTL_WARN_BEFORE`, the same worker runs `warn-teaching-session` ([`warn_task`]), the
//!   warnings planned with each close; [`runs`] is what both kinds of run share.
//! - **Local** (no token): [`local_closer`] watches the store and closes each session at its
//!   closing instant itself, and sweeps every interval too.
//!
//! In both modes [`warnings`] records warnings that fall due and [`delivery`] sends the
//! outbox's events. [`daemon`] builds these parts from one context and supervises them;
//! [`shutdown`] turns SIGTERM/SIGINT into a bounded graceful stop; [`sd_notify`] speaks
//! systemd's notify protocol (READY, STATUS, WATCHDOG, STOPPING).
//!
//! The binary is a thin shell over [`run`]; everything here returns exit codes rather than
//! exiting, so the tests and `main` share one path.

#![warn(unreachable_pub)]

pub(crate) mod close_task;
pub(crate) mod daemon;
pub(crate) mod deafness;
pub(crate) mod delivery;
pub(crate) mod hatchet_worker;
pub(crate) mod local_closer;
pub(crate) mod log_names;
pub(crate) mod planner;
pub(crate) mod runs;
pub(crate) mod sd_notify;
pub(crate) mod shutdown;
pub(crate) mod stream_watch;
pub(crate) mod sweep;
pub(crate) mod warn_task;
pub(crate) mod warnings;

use std::ffi::OsString;
use std::time::Duration;

use attctl::cli::{RunArgs, WorkerCli, WorkerCommand};
use attctl::config::{Environment, Settings};
use attctl::error::exit;
use clap::Parser;

/// Bound on what the runtime may still be doing once `main`'s future has returned
/// (a store call stuck in a blocking thread must not hold the exit).
const RUNTIME_EXIT_BOUND: Duration = Duration::from_secs(2);

/// Everything the daemon needs, resolved once at start.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub settings: Settings,
    /// Shown in Hatchet and in logs; several processes may share it.
    pub name: String,
    /// Unique per process: `<name>:<uuid>`. Sweeps tag their claims with it.
    pub worker_id: String,
    pub slots: i32,
    pub sweep_interval: Duration,
    /// Also serve the original worker's `close-session-workflow`.
    pub legacy_workflow: bool,
}

impl WorkerConfig {
    pub fn new(settings: Settings, args: &RunArgs, sweep_interval_secs: u64) -> Self {
        let name = args
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(default_worker_name);
        let worker_id = format!("{name}:{}", uuid::Uuid::new_v4());
        WorkerConfig {
            settings,
            name,
            worker_id,
            slots: args.slots,
            sweep_interval: Duration::from_secs(sweep_interval_secs.max(1)),
            legacy_workflow: args.legacy_workflow,
        }
    }
}

/// `attctl-worker-<hostname>`, as documented on `--name`.
pub fn default_worker_name() -> String {
    format!("attctl-worker-{}", hostname())
}

fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .chain(std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .find(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Runs `attctl-worker` with these arguments and returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match parse(&args) {
        Ok(cli) => cli,
        Err(e) => return attctl::report_usage_error(&e),
    };
    attctl::init_worker_tracing(cli.global.debug);
    install_panic_hook();
    let settings = match Environment::load()
        .and_then(|env| attctl::config::resolve(&cli.global.overrides(), &env))
    {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    attctl::set_log_zone(settings.timezone);
    for warning in &settings.warnings {
        tracing::warn!(target: "attctl_worker", "{warning}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("attctl-worker")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::FAILURE;
        }
    };
    let code = match cli.command {
        Some(WorkerCommand::Sweep { .. }) => runtime.block_on(sweep::once(&settings)),
        Some(WorkerCommand::Run(run_args)) => {
            let config = WorkerConfig::new(settings, &run_args, cli.sweep_interval);
            runtime.block_on(daemon::run(config))
        }
        // `parse` always fills in the subcommand.
        None => exit::USAGE,
    };
    runtime.shutdown_timeout(RUNTIME_EXIT_BOUND);
    code
}

/// Parses the arguments; with no subcommand, parses again with `run` appended so that
/// `run`'s defaults and environment variables (`--slots 50`, ATTCTL_WORKER_NAME) apply:
/// `RunArgs::default()` would give zero slots and ignore the environment.
fn parse(args: &[OsString]) -> Result<WorkerCli, clap::Error> {
    let cli = WorkerCli::try_parse_from(args)?;
    if cli.command.is_some() {
        return Ok(cli);
    }
    let mut with_run = args.to_vec();
    with_run.push("run".into());
    WorkerCli::try_parse_from(with_run)
}

/// Panics (the SDK has `unwrap`s and `expect`s in its worker) become one structured error
/// event instead of free text on stderr, so JSON log pipelines keep parsing and the reason
/// of a generation restart is on record.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("unnamed");
        let message = panic_message(info.payload());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(target: "attctl_worker::panic", thread, location, "panic: {message}");
    }));
}

/// The text of a panic payload (`&str` or `String`), for logs.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_subcommand_means_run_with_its_defaults() {
        let cli = parse(&["attctl-worker".into()]).unwrap();
        match cli.command {
            Some(WorkerCommand::Run(args)) => assert_eq!(args.slots, 50),
            other => panic!("expected run, got {other:?}"),
        }
        let cli = parse(&[
            "attctl-worker".into(),
            "--sweep-interval".into(),
            "5".into(),
        ])
        .unwrap();
        assert_eq!(cli.sweep_interval, 5);
        assert!(matches!(cli.command, Some(WorkerCommand::Run(_))));
    }

    #[test]
    fn the_legacy_workflow_is_served_unless_turned_off() {
        let run_args =
            |args: &[&str]| match parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
                .unwrap()
                .command
            {
                Some(WorkerCommand::Run(args)) => args,
                other => panic!("expected run, got {other:?}"),
            };
        assert!(run_args(&["attctl-worker"]).legacy_workflow);
        assert!(run_args(&["attctl-worker", "run"]).legacy_workflow);
        assert!(!run_args(&["attctl-worker", "run", "--no-legacy-workflow"]).legacy_workflow);
        assert!(parse(&["attctl-worker".into(), "--no-legacy-workflow".into()]).is_err());
    }

    #[test]
    fn worker_ids_are_unique_and_carry_the_name() {
        let settings = attctl::config::resolve(
            &attctl::config::Overrides {
                config_file: Some("/nonexistent/attctl-worker-test.toml".into()),
                ..Default::default()
            },
            &Environment::from_vars(Vec::<(String, String)>::new()),
        )
        .unwrap();
        let args = RunArgs {
            name: Some("w1".into()),
            slots: 3,
            legacy_workflow: true,
        };
        let a = WorkerConfig::new(settings.clone(), &args, 60);
        let b = WorkerConfig::new(settings, &args, 60);
        assert_eq!(a.name, "w1");
        assert!(a.worker_id.starts_with("w1:"));
        assert_ne!(a.worker_id, b.worker_id);
    }
}
