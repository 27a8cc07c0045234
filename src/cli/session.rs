//! `attctl session …`: create, list, show, close, delete, reschedule one session at a time,
//! and generate, import, export many.

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Create a session; its automatic close is scheduled at its end
    #[command(
        after_help = "Examples:\n  attctl session create --class \"Year 7 (A)\" --date 2030-01-15 --start 9:00 --end 10:00\n  attctl session create --class name:42 --date tomorrow --start 13:30 --end 14:15\n  attctl session create   # on a terminal: prompts for what is missing\n\nWith Hatchet and ATTCTL_WARN_BEFORE (e.g. 10m,2m; profile key warn_before), warning\nruns are planned at each offset before the end; `attctl notify --help` lists the\nwarning and notification settings."
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
    #[arg(long = "to", visible_alias = "until", value_name = "DATE")]
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
