//! Every command-line definition of both binaries, in one place: the parsers, the shell
//! completions and the man pages are all generated from these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{BackendKind, Overrides};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people (default on a terminal).
    Table,
    /// One JSON document (default when piped).
    Json,
    /// One JSON object per line, streamed.
    Ndjson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Settings flags shared by attctl and attctl-worker.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Config file [default: $XDG_CONFIG_HOME/attctl/config.toml]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Profile of the config file to use
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "NAME"
    )]
    pub profile: Option<String>,
    /// Where sessions are stored [default: supabase when SUPABASE_URL is set, else local]
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub backend: Option<BackendKind>,
    /// Supabase project URL (the key is read from the environment, never from flags)
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "URL"
    )]
    pub supabase_url: Option<String>,
    /// SQLite file of the local backend [default: $XDG_DATA_HOME/attctl/attctl.db]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub data_file: Option<PathBuf>,
    /// IANA timezone of session times [default: the machine's]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "ZONE"
    )]
    pub timezone: Option<String>,
    /// Log debug details to stderr (or set RUST_LOG)
    #[arg(long, global = true, help_heading = "Global options")]
    pub debug: bool,
}

impl GlobalArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config_file: self.config.clone(),
            profile: self.profile.clone(),
            backend: self.backend,
            supabase_url: self.supabase_url.clone(),
            data_file: self.data_file.clone(),
            timezone: self.timezone.clone(),
        }
    }
}

/// Manage the teaching sessions of the Student Attendance Management System.
///
/// Sessions live in Supabase (set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY) or, with
/// nothing configured, in a local SQLite file. attctl-worker closes each session at its end.
#[derive(Debug, Parser)]
#[command(
    name = "attctl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Output format [default: table on a terminal, json otherwise]
    #[arg(
        short,
        long,
        global = true,
        value_enum,
        help_heading = "Global options"
    )]
    pub output: Option<OutputFormat>,
    /// When to use colours (NO_COLOR and CLICOLOR are honoured in auto)
    #[arg(long, global = true, help_heading = "Global options", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, list, close, reschedule and delete teaching sessions
    #[command(subcommand)]
    Session(SessionCommand),
    /// List and create classes
    #[command(subcommand)]
    Class(ClassCommand),
    /// Check configuration, connectivity, schema and the worker
    Doctor(DoctorArgs),
    /// Show, locate or create the config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// List session events (the outbox of notifications) and retry failed deliveries
    #[command(subcommand)]
    Events(EventsCommand),
    /// Send a sample notification to the configured channels
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// Print a shell completion script to stdout
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write completions and man pages (for packagers and the repository)
    #[command(hide = true)]
    GenerateAssets {
        /// Directory that receives completions/ and man/
        #[arg(long, default_value = ".")]
        out_dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Create a session; its automatic close is scheduled at its end
    Create(CreateArgs),
    /// List sessions, ordered by date then start time
    List(ListArgs),
    /// Show one session
    Show {
        /// Session id
        id: String,
    },
    /// Close sessions now (a closed session is reported, not an error, unless --strict)
    Close(CloseArgs),
    /// Delete sessions and cancel their automatic close
    Delete(DeleteArgs),
    /// Move a session to new times and schedule its close again
    Reschedule(RescheduleArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Class id or exact name (prompted on a terminal when missing)
    #[arg(long)]
    pub class: Option<String>,
    /// Date: YYYY-MM-DD, today or tomorrow
    #[arg(long)]
    pub date: Option<String>,
    /// Start time: HH:MM or HH:MM:SS
    #[arg(long)]
    pub start: Option<String>,
    /// End time: HH:MM or HH:MM:SS, after the start
    #[arg(long)]
    pub end: Option<String>,
    /// Print the requests it would make; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Also repair old rows where the fix has one meaning (status case, closes_at)
    #[arg(long)]
    pub repair: bool,
    /// With --repair: list what would be repaired; change nothing
    #[arg(long, requires = "repair")]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this class (id or exact name)
    #[arg(long)]
    pub class: Option<String>,
    /// Only this date (YYYY-MM-DD, today, tomorrow)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// From this date, inclusive
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date, inclusive
    #[arg(long)]
    pub to: Option<String>,
    /// Only Open or Closed sessions
    #[arg(long, value_parser = ["Open", "Closed", "open", "closed"])]
    pub status: Option<String>,
    /// At most this many sessions
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub limit: u64,
    /// Every matching session, page by page (ignores --limit)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Session ids
    #[arg(required = true, num_args = 1..)]
    pub ids: Vec<String>,
    /// Fail if a session is already closed
    #[arg(long)]
    pub strict: bool,
    /// Print the requests it would make; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Session ids
    #[arg(required = true, num_args = 1..)]
    pub ids: Vec<String>,
    /// Do not ask for confirmation (required when not on a terminal)
    #[arg(short, long)]
    pub yes: bool,
    /// Print the requests it would make; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RescheduleArgs {
    /// Session id
    pub id: String,
    /// New date (YYYY-MM-DD, today, tomorrow)
    #[arg(long)]
    pub date: Option<String>,
    /// New start time
    #[arg(long)]
    pub start: Option<String>,
    /// New end time
    #[arg(long)]
    pub end: Option<String>,
    /// Reopen a Closed session whose new end is in the future
    #[arg(long)]
    pub reopen: bool,
    /// Print the requests it would make; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// List classes
    List,
    /// Create a class
    Create {
        /// Class name (unique)
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show the resolved settings and where each came from (secrets masked)
    Show,
    /// Print the config file's path
    Path,
    /// Write a commented config file (mode 0600)
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
}

/// The worker daemon: runs the Hatchet task that closes sessions at their end, and
/// reconciles the database so no session stays open past its end.
#[derive(Debug, Parser)]
#[command(name = "attctl-worker", version, max_term_width = 100)]
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
pub const LEGACY_WORKFLOW_ENV: &str = "ATTCTL_WORKER_LEGACY_WORKFLOW";

pub const DEFAULT_SLOTS: i32 = 50;

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

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// List recorded events, oldest first, with their delivery state
    List(EventsListArgs),
    /// Deliver again: one event by id, or every failed one
    Retry(EventsRetryArgs),
}

#[derive(Debug, Args)]
pub struct EventsListArgs {
    /// Only events since: a duration back from now (30s, 10m, 1h, 2d), a date (YYYY-MM-DD,
    /// today) or an RFC 3339 instant
    #[arg(long, value_name = "D")]
    pub since: Option<String>,
    /// Only this type, e.g. session.closed
    #[arg(long = "type", value_name = "T")]
    pub kind: Option<String>,
    /// Only this delivery state
    #[arg(long, value_enum)]
    pub state: Option<EventState>,
    /// Most events shown
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventState {
    Pending,
    Delivered,
    Failed,
}

impl EventState {
    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Pending => "pending",
            EventState::Delivered => "delivered",
            EventState::Failed => "failed",
        }
    }
}

#[derive(Debug, Args)]
pub struct EventsRetryArgs {
    /// The event's id (from `attctl events list`)
    #[arg(required_unless_present = "failed", conflicts_with = "failed")]
    pub id: Option<String>,
    /// Every failed event
    #[arg(long)]
    pub failed: bool,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Send a sample event and report each receiver's answer
    Test {
        /// Only this channel (default: every configured one)
        #[arg(long, value_enum)]
        channel: Option<NotifyChannel>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotifyChannel {
    Webhook,
    Slack,
    Email,
}

impl NotifyChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyChannel::Webhook => "webhook",
            NotifyChannel::Slack => "slack",
            NotifyChannel::Email => "email",
        }
    }
}
