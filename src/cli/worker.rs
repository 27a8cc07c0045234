//! `attctl-worker`: the daemon (`run`, the default) and one sweep for cron.

use clap::{Args, Parser, Subcommand};

use super::GlobalArgs;

/// The worker daemon: runs the Hatchet task that closes sessions at their end, and
/// reconciles the database so no session stays open past its end.
#[derive(Debug, Parser)]
#[command(
    name = "attctl-worker",
    version = crate::LONG_VERSION,
    max_term_width = 100,
    after_help = super::notify_help()
)]
pub struct WorkerCli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Seconds between reconciliation sweeps
    #[arg(long, global = true, help_heading = "Global options", env = "ATTCTL_SWEEP_INTERVAL", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub sweep_interval: u64,
    #[command(subcommand)]
    pub command: Option<WorkerCommand>,
}

#[derive(Debug, Subcommand)]
pub enum WorkerCommand {
    /// Run the daemon (the default)
    #[command(after_help = super::notify_help())]
    Run(RunArgs),
    /// Reconcile the database (close overdue sessions, schedule missing runs)
    Sweep {
        /// Do one sweep and exit (for cron)
        #[arg(long, required = true)]
        once: bool,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Worker name shown in Hatchet [default: attctl-worker-<hostname>]
    #[arg(long, env = "ATTCTL_WORKER_NAME")]
    pub name: Option<String>,
    /// Runs this worker executes at once
    #[arg(long, default_value_t = DEFAULT_SLOTS, value_parser = clap::value_parser!(i32).range(1..=1000))]
    pub slots: i32,
    /// Do not serve the original app's workflow close-session-workflow, served by default so
    /// that the runs the original app schedules close their sessions (or set the variable to
    /// false)
    #[arg(
        long = "no-legacy-workflow",
        action = clap::ArgAction::SetFalse,
        env = LEGACY_WORKFLOW_ENV,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub legacy_workflow: bool,
}

/// `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0`): whether attctl-worker serves the
/// original worker's workflow. Read like `--no-legacy-workflow`, which wins over it.
const LEGACY_WORKFLOW_ENV: &str = "ATTCTL_WORKER_LEGACY_WORKFLOW";

const DEFAULT_SLOTS: i32 = 50;

impl Default for RunArgs {
    /// What `attctl-worker` with no subcommand means: `run` with the flags' defaults.
    fn default() -> Self {
        RunArgs {
            name: std::env::var("ATTCTL_WORKER_NAME")
                .ok()
                .filter(|n| !n.trim().is_empty()),
            slots: DEFAULT_SLOTS,
            legacy_workflow: std::env::var(LEGACY_WORKFLOW_ENV)
                .ok()
                .and_then(|v| parse_boolish(&v))
                .unwrap_or(true),
        }
    }
}

/// The values clap's `BoolishValueParser` accepts.
fn parse_boolish(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}
