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
    /// Comma-separated values with a header row (reports; lists print their table columns).
    Csv,
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
    /// IANA timezone of session times [default: the school's (attctl school set), else the
    /// machine's]
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
    after_help = "Examples:\n  attctl class create --name \"Year 7 (A)\"\n  attctl session create --class \"Year 7 (A)\" --date 2030-01-15 --start 9:00 --end 10:00\n  attctl session list --date today\n  attctl doctor",
    name = "attctl",
    version = crate::LONG_VERSION,
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
    /// List, create, rename and delete classes
    #[command(subcommand)]
    Class(ClassCommand),
    /// Today at a glance: sessions open now, the next closes, overdue ones, the worker
    #[command(
        after_help = "Examples:\n  attctl status\n  attctl status -o json | jq '.overdue | length'"
    )]
    Status,
    /// School holidays: no session is generated on them
    #[command(subcommand)]
    Holiday(HolidayCommand),
    /// The school's settings kept with its data: its time zone, its default session type
    #[command(subcommand)]
    School(SchoolCommand),
    /// Check configuration, connectivity, schema and the worker
    #[command(
        after_help = "Examples:\n  attctl doctor\n  attctl doctor --repair --dry-run\n  attctl doctor -o json"
    )]
    Doctor(DoctorArgs),
    /// Closure analytics: who closes sessions, how late, and what is still open
    #[command(subcommand)]
    Report(ReportCommand),
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
    #[command(
        after_help = "Examples:\n  mkdir -p ~/.local/share/bash-completion/completions\n  attctl completions bash > ~/.local/share/bash-completion/completions/attctl"
    )]
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
    #[command(
        after_help = "Examples:\n  attctl session create --class \"Year 7 (A)\" --date 2030-01-15 --start 9:00 --end 10:00\n  attctl session create --class name:42 --date tomorrow --start 13:30 --end 14:15\n  attctl session create   # on a terminal: prompts for what is missing"
    )]
    Create(CreateArgs),
    /// List sessions, ordered by date then start time
    #[command(
        after_help = "Examples:\n  attctl session list --date today\n  attctl session list --class \"year 7 (a)\" --status open\n  attctl session list --from 2030-01-01 --to 2030-01-31 --all -o json | jq length"
    )]
    List(ListArgs),
    /// Show one session
    #[command(after_help = "Examples:\n  attctl session show 42\n  attctl session show 42 -o json")]
    Show {
        /// Session id
        id: String,
    },
    /// Close sessions now (a closed session is reported, not an error, unless --strict)
    #[command(
        after_help = "Examples:\n  attctl session close 42\n  attctl session close 42 43 44 --strict\n  attctl session close 42 --dry-run"
    )]
    Close(CloseArgs),
    /// Delete sessions and cancel their automatic close
    #[command(
        after_help = "Examples:\n  attctl session delete 42          # asks first\n  attctl session delete 42,43 --yes"
    )]
    Delete(DeleteArgs),
    /// Move a session to new times and schedule its close again
    #[command(
        after_help = "Examples:\n  attctl session reschedule 42 --start 10:00 --end 11:00\n  attctl session reschedule 42 --date 2030-01-16 --reopen"
    )]
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
    /// Session type on the original app's database (its teaching_sessions.session_type)
    /// [default: the school's, see `attctl school set --session-type`]
    #[arg(long = "type", value_name = "TYPE", value_parser = crate::session::SESSION_TYPES)]
    pub session_type: Option<String>,
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
    /// Skip Open sessions on a holiday, reason `holiday` (the default; Closed history rows
    /// are always imported)
    #[arg(long, overrides_with = "no_skip_holidays")]
    pub skip_holidays: bool,
    /// Import every row, holidays or not
    #[arg(long, overrides_with = "skip_holidays")]
    pub no_skip_holidays: bool,
    /// Session type on the original app's database (its teaching_sessions.session_type)
    /// [default: the school's, see `attctl school set --session-type`]
    #[arg(long = "type", value_name = "TYPE", value_parser = crate::session::SESSION_TYPES)]
    pub session_type: Option<String>,
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
pub enum SchoolCommand {
    /// Show the school's settings
    #[command(after_help = "Examples:\n  attctl school show\n  attctl school show -o json")]
    Show,
    /// Change the school's settings: `--timezone ZONE` (the zone of every new session that
    /// names none, whoever creates it) and `--session-type TYPE`
    #[command(
        after_help = "Examples:\n  attctl school set --timezone Europe/London\n  attctl school set --session-type practice"
    )]
    Set {
        /// Session type of new sessions on the original app's database
        #[arg(long, value_name = "TYPE", value_parser = crate::session::SESSION_TYPES)]
        session_type: Option<String>,
    },
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
    /// Class: id or name (any case when unique); id:N or name:NAME to be explicit (a class
    /// named "42" is name:42). Prompted on a terminal when missing
    #[arg(long)]
    pub class: Option<String>,
    /// Date: YYYY-MM-DD, today, tomorrow or yesterday
    #[arg(long)]
    pub date: Option<String>,
    /// Start time: HH:MM, H:MM or HH:MM:SS
    #[arg(long)]
    pub start: Option<String>,
    /// End time: HH:MM, H:MM or HH:MM:SS, after the start
    #[arg(long)]
    pub end: Option<String>,
    /// Let this session overlap other sessions of its class (refused otherwise, exit 4)
    #[arg(long)]
    pub allow_overlap: bool,
    /// Session type on the original app's database (its teaching_sessions.session_type)
    /// [default: the school's, see `attctl school set --session-type`]
    #[arg(long = "type", value_name = "TYPE", value_parser = crate::session::SESSION_TYPES)]
    pub session_type: Option<String>,
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
    /// Only this class: id or name (any case when unique); id:N or name:NAME to be explicit
    #[arg(long)]
    pub class: Option<String>,
    /// Only this date (YYYY-MM-DD, today, tomorrow, yesterday)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// From this date, inclusive
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date, inclusive
    #[arg(long)]
    pub to: Option<String>,
    /// Only Open or Closed sessions
    #[arg(long, value_parser = ["Open", "Closed"], ignore_case = true)]
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
    /// New date (YYYY-MM-DD, today, tomorrow, yesterday)
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
pub enum ReportCommand {
    /// Closures per group: manual, automatic and sweep closes, automatic-close lag, early
    /// manual closes, sessions still open (computed in the database)
    Closures(ClosuresArgs),
    /// Sessions still Open past their end plus a grace; exits 1 when there are any (for
    /// cron and monitoring)
    OpenPastEnd(OpenPastEndArgs),
}

#[derive(Debug, Args)]
pub struct ClosuresArgs {
    /// From this session date, inclusive (YYYY-MM-DD, today, tomorrow)
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this session date, inclusive
    #[arg(long)]
    pub to: Option<String>,
    /// Only this class (id or exact name)
    #[arg(long)]
    pub class: Option<String>,
    /// Group by class, by the weekday, ISO week or month of the session's own date, or by
    /// who closed it
    #[arg(long, value_enum, default_value_t = ReportBy::Class)]
    pub by: ReportBy,
    /// Also draw a bar chart of who closed the sessions of each group (table output)
    #[arg(long)]
    pub chart: bool,
    /// Also write an SVG chart to FILE: a stacked bar per group and the automatic-close lag.
    /// An existing FILE is replaced only with --force, and only if it is an SVG
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Replace the file of --svg if it exists (a file that is not an SVG is never replaced)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportBy {
    Class,
    Weekday,
    Week,
    Month,
    #[value(name = "closed_by")]
    ClosedBy,
}

#[derive(Debug, Args)]
pub struct OpenPastEndArgs {
    /// Only this class (id or exact name)
    #[arg(long)]
    pub class: Option<String>,
    /// How long past its end a session may stay Open before it counts: 90s, 5m, 2h, 1d
    /// (a bare number is seconds)
    #[arg(long, default_value = "5m")]
    pub grace: String,
}

#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// List classes
    #[command(after_help = "Examples:\n  attctl class list\n  attctl class list -o json")]
    List,
    /// Create a class
    #[command(
        after_help = "Examples:\n  attctl class create --name \"Year 7 (A)\"\n  attctl class create --name \"Year 7 (A)\" --notify-email head7@school.example,office@school.example"
    )]
    Create {
        /// Class name (unique)
        #[arg(long)]
        name: String,
        /// Email the class's session events (closed, closing soon) to these addresses too,
        /// besides ATTCTL_MAIL_TO: comma-separated
        #[arg(long, value_name = "ADDRESSES")]
        notify_email: Option<String>,
    },
    /// Change a class's settings: its email recipients
    #[command(
        after_help = "Examples:\n  attctl class update \"Year 7 (A)\" --notify-email head7@school.example,office@school.example\n  attctl class update id:42 --clear-notify-email"
    )]
    Update {
        /// Class: id or name (any case when unique); id:N or name:NAME to be explicit
        class: String,
        /// Replace the class's email recipients with these addresses (comma-separated)
        #[arg(
            long,
            value_name = "ADDRESSES",
            required_unless_present = "clear_notify_email"
        )]
        notify_email: Option<String>,
        /// Remove every email recipient of the class (ATTCTL_MAIL_TO still gets its mail)
        #[arg(long, conflicts_with = "notify_email")]
        clear_notify_email: bool,
    },
    /// Rename a class (its sessions keep it)
    #[command(
        after_help = "Examples:\n  attctl class rename \"Year 7 (A)\" --name \"Year 8 (A)\"\n  attctl class rename id:42 --name \"Maths 2\""
    )]
    Rename {
        /// Class: id or name (any case when unique); id:N or name:NAME to be explicit
        class: String,
        /// The new name (unique)
        #[arg(long)]
        name: String,
    },
    /// Delete a class; refused while it has sessions, unless --cascade --yes
    #[command(
        after_help = "Examples:\n  attctl class delete \"Old class\"\n  attctl class delete 42 --cascade --yes   # its sessions too; their closes are cancelled"
    )]
    Delete {
        /// Class: id or name (any case when unique); id:N or name:NAME to be explicit
        class: String,
        /// Also delete the class's sessions, cancelling their automatic closes
        #[arg(long, requires = "yes")]
        cascade: bool,
        /// Confirm --cascade (it cannot be undone)
        #[arg(short, long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show the resolved settings and where each came from (secrets masked)
    #[command(
        after_help = "Examples:\n  attctl config show\n  attctl --profile staging config show"
    )]
    Show,
    /// Print the config file's path
    #[command(after_help = "Examples:\n  attctl config path")]
    Path,
    /// Write a commented config file (mode 0600)
    #[command(after_help = "Examples:\n  attctl config init\n  attctl config init --force")]
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
}

/// The worker daemon: runs the Hatchet task that closes sessions at their end, and
/// reconciles the database so no session stays open past its end.
#[derive(Debug, Parser)]
#[command(name = "attctl-worker", version = crate::LONG_VERSION, max_term_width = 100)]
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
pub(crate) const LEGACY_WORKFLOW_ENV: &str = "ATTCTL_WORKER_LEGACY_WORKFLOW";

pub(crate) const DEFAULT_SLOTS: i32 = 50;

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

/// The `attctl` parser as run: like [`Cli::command`], but a subcommand's help lists the
/// global options by name only (in full on `attctl --help`), so `session show --help` is
/// about its one argument rather than 35 lines of settings flags.
pub(crate) fn attctl_command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = globals
        .iter()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    let note = format!(
        "Global options ({}) work with every command; `attctl --help` describes them.",
        names.join(", ")
    );
    hide_globals(cmd, &globals, &note)
}

/// Gives every subcommand its own hidden copy of each global argument: clap propagates a
/// global argument only where none of that id exists, and the copy parses the same way.
fn hide_globals(mut cmd: clap::Command, globals: &[clap::Arg], note: &str) -> clap::Command {
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, |mut sub| {
            for arg in globals {
                sub = sub.arg(arg.clone().hide(true));
            }
            let after = match sub.get_after_help() {
                Some(text) => format!("{text}\n\n{note}"),
                None => note.to_string(),
            };
            hide_globals(sub.after_help(after), globals, note)
        });
    }
    cmd
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
    /// Only this delivery state (skipped: no channel takes the type; expired: a warning
    /// its session's end made useless)
    #[arg(long, value_enum)]
    pub state: Option<EventState>,
    /// Most events shown, 1 to 1000 (narrow with --since, --type and --state to see others)
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventState {
    Pending,
    Delivered,
    Failed,
    Skipped,
    Expired,
}

impl EventState {
    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Pending => "pending",
            EventState::Delivered => "delivered",
            EventState::Failed => "failed",
            EventState::Skipped => "skipped",
            EventState::Expired => "expired",
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
