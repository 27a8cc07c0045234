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
    /// School holidays: no session is generated on them
    #[command(subcommand)]
    Holiday(HolidayCommand),
    /// Check configuration, connectivity, schema and the worker
    Doctor(DoctorArgs),
    /// Show, locate or create the config file
    #[command(subcommand)]
    Config(ConfigCommand),
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
    /// Create a class's sessions for a term: weekdays or an RRULE, holidays skipped
    Generate(GenerateArgs),
    /// Create sessions from a CSV or iCalendar file (all rows valid, or nothing written)
    Import(ImportArgs),
    /// Write sessions to stdout as CSV (re-importable) or iCalendar
    Export(ExportArgs),
}

/// Which sessions a bulk close or delete touches (instead of ids).
#[derive(Debug, Args, Default)]
pub struct BulkFilterArgs {
    /// Only this class (id or exact name)
    #[arg(long, conflicts_with = "ids")]
    pub class: Option<String>,
    /// From this date, inclusive
    #[arg(long, conflicts_with = "ids")]
    pub from: Option<String>,
    /// Up to this date, inclusive
    #[arg(long, conflicts_with = "ids")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Class id or exact name
    #[arg(long)]
    pub class: String,
    /// Weekdays it meets: mon,tue,wed,thu,fri,sat,sun
    #[arg(long, required_unless_present = "rrule", conflicts_with = "rrule")]
    pub days: Option<String>,
    /// Every N weeks, counted from the week of --from
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=52), conflicts_with = "rrule")]
    pub every: u32,
    /// An RFC 5545 rule instead of --days/--every, e.g. 'FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2'
    #[arg(long)]
    pub rrule: Option<String>,
    /// First date (YYYY-MM-DD, today, tomorrow)
    #[arg(long)]
    pub from: String,
    /// Last date, inclusive
    #[arg(long)]
    pub until: String,
    /// Start time of every session (wall clock in --timezone)
    #[arg(long)]
    pub start: String,
    /// End time of every session
    #[arg(long)]
    pub end: String,
    /// Also create occurrences that have already ended
    #[arg(long)]
    pub include_past: bool,
    /// Show the plan; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Csv,
    Ics,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// File to read, or - for stdin
    pub file: String,
    /// File format [default: from the extension]
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Class of every session (id or exact name), instead of the file's
    #[arg(long)]
    pub class: Option<String>,
    /// CSV delimiter [default: ; when the header has ; and no comma, else ,]
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Validate and show the plan; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s.as_bytes() {
        [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && *b != b'"' => Ok(*b),
        _ if s == "\\t" || s == "tab" => Ok(b'\t'),
        _ => Err(format!(
            "{s:?} is not a one-character delimiter such as , ; or tab"
        )),
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv (every session field plus class_name) or ics (iCalendar)
    #[arg(long, value_enum)]
    pub format: FileFormat,
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
    /// Every session (needed when no filter is given)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum HolidayCommand {
    /// Add a holiday (one day, or --date to --to inclusive)
    Add {
        /// First day (YYYY-MM-DD)
        #[arg(long)]
        date: String,
        /// Last day, inclusive [default: --date]
        #[arg(long)]
        to: Option<String>,
        /// Name, e.g. "Half term"
        #[arg(long)]
        name: String,
    },
    /// List holidays
    List {
        /// Holidays ending on or after this date
        #[arg(long)]
        from: Option<String>,
        /// Holidays starting on or before this date
        #[arg(long)]
        to: Option<String>,
    },
    /// Delete a holiday
    Delete {
        /// Holiday id
        id: String,
    },
    /// Add the all-day events of an iCalendar file as holidays
    Import {
        /// .ics file, or - for stdin
        file: String,
        /// Show what would be added; change nothing
        #[arg(long)]
        dry_run: bool,
    },
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
    /// Session ids (or use --class/--from/--to)
    #[arg(num_args = 1.., required_unless_present_any = ["class", "from", "to"])]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub filter: BulkFilterArgs,
    /// With a filter: do not ask for confirmation (required when not on a terminal)
    #[arg(short, long)]
    pub yes: bool,
    /// Fail if a session is already closed
    #[arg(long)]
    pub strict: bool,
    /// Print the requests it would make; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Session ids (or use --class/--from/--to/--status)
    #[arg(num_args = 1.., required_unless_present_any = ["class", "from", "to", "status"])]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub filter: BulkFilterArgs,
    /// With a filter: only Open or Closed sessions
    #[arg(long, value_parser = ["Open", "Closed", "open", "closed"], conflicts_with = "ids")]
    pub status: Option<String>,
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
