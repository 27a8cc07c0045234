//! `attctl`: its top-level parser, the parser as run (global options listed by name only in
//! a subcommand's help), and every subcommand but `session`'s.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::{ColorChoice, GlobalArgs, OutputFormat, SessionCommand};

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
    /// Every row of a bulk answer at a terminal (import, generate, close/delete by filter,
    /// holiday --delete-sessions), not a summary with the first few of each kind
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
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
        after_help = "Exits 1 (after the report) when the worker is not running or sessions are overdue, so it\ncan serve as a monitoring check.\n\nExamples:\n  attctl status\n  attctl status -o json | jq '.overdue | length'\n  attctl status > /dev/null || echo 'attendance: check attctl-worker'"
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
    /// Sign in as yourself (a staff machine has SUPABASE_URL and the anon key only)
    #[command(
        after_help = "Examples:\n  attctl login --email teacher@school.example        # asks for the password\n  pass show school/attctl | attctl login --email teacher@school.example --password-stdin\n  attctl login --email teacher@school.example --otp  # mails a one-time code, then asks for it"
    )]
    Login(LoginArgs),
    /// Sign out: revoke this machine's session at Supabase Auth and forget it
    #[command(after_help = "Examples:\n  attctl logout\n  attctl logout --everywhere")]
    Logout(LogoutArgs),
    /// Who is signed in here: email, user id, role and classes
    #[command(after_help = "Examples:\n  attctl whoami\n  attctl whoami -o json | jq -r .role")]
    Whoami,
    /// Staff accounts: who may sign in, as teacher (their classes) or admin (everything)
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Show, locate or create the config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// List session events (the outbox of notifications) and retry failed deliveries
    #[command(subcommand, after_help = super::notify_help())]
    Events(EventsCommand),
    /// Send a sample notification to the configured channels
    #[command(subcommand, after_help = super::notify_help())]
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

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The email of your Supabase Auth account (asked for at a terminal when left out)
    #[arg(long)]
    pub email: Option<String>,
    /// Read the password from standard input (one line), as `docker login` does
    #[arg(long, conflicts_with_all = ["otp", "otp_code_stdin"])]
    pub password_stdin: bool,
    /// Sign in with a one-time code mailed to you instead of a password: sends the code,
    /// then asks for it (off a terminal, finish with --otp-code-stdin)
    #[arg(long, conflicts_with = "otp_code_stdin")]
    pub otp: bool,
    /// Read the mailed one-time code from standard input and sign in with it
    #[arg(long)]
    pub otp_code_stdin: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Revoke every session of your account (other machines too), not only this one
    #[arg(long)]
    pub everywhere: bool,
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member by the email of their Supabase Auth account (invite them first),
    /// or change their role; --class adds classes they teach
    #[command(
        after_help = "Examples:\n  attctl staff add teacher@school.example --role teacher --class \"Year 7 (A)\"\n  attctl staff add head@school.example --role admin"
    )]
    Add {
        /// Email of the account
        email: String,
        /// teacher: the sessions of their classes; admin: everything, classes, holidays, staff
        #[arg(long, value_enum)]
        role: StaffRole,
        /// A class they teach (exact name or id:N); repeat for several
        #[arg(long = "class", value_name = "CLASS")]
        classes: Vec<String>,
    },
    /// List staff members, their roles and classes
    #[command(after_help = "Examples:\n  attctl staff list\n  attctl staff list -o json")]
    List,
    /// Remove a staff member: they keep their account but may no longer touch anything
    #[command(after_help = "Examples:\n  attctl staff remove former@school.example --yes")]
    Remove {
        /// Email of the account
        email: String,
        /// Do not ask for confirmation (needed when not at a terminal)
        #[arg(long)]
        yes: bool,
    },
}

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StaffRole {
    Teacher,
    Admin,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Teacher => "teacher",
            StaffRole::Admin => "admin",
        }
    }
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
    /// Add a holiday (one day, or --from to --to inclusive). Open sessions already planned on
    /// it are named on stderr; --delete-sessions deletes them (their closes cancelled)
    #[command(
        after_help = "Examples:\n  attctl holiday add --from 2030-10-21 --to 2030-10-25 --name \"Half term\"\n  attctl holiday add --from 2030-12-24 --name \"Christmas Eve\" --delete-sessions --yes"
    )]
    Add {
        /// First day (YYYY-MM-DD)
        #[arg(long = "from", visible_alias = "date", value_name = "DATE")]
        date: String,
        /// Last day, inclusive [default: --from]
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Name, e.g. "Half term"
        #[arg(long)]
        name: String,
        /// Also delete the Open sessions planned on the holiday, cancelling their closes
        #[arg(long)]
        delete_sessions: bool,
        /// With --delete-sessions: do not ask (required when not on a terminal)
        #[arg(short, long, requires = "delete_sessions")]
        yes: bool,
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
    #[command(
        after_help = "Examples:\n  attctl holiday delete id:3\n  attctl holiday delete \"Half term\""
    )]
    Delete {
        /// Holiday: its id (3 or id:3) or its exact name (a near name is only suggested)
        holiday: String,
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
pub struct DoctorArgs {
    /// Also repair old rows where the fix has one meaning (status case, closes_at)
    #[arg(long)]
    pub repair: bool,
    /// With --repair: list what would be repaired; change nothing
    #[arg(long, requires = "repair")]
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
    /// The register of each closed session on the original app's database: enrolled,
    /// marked (present, late, absent), marked absent at close, and whether it was taken
    /// (computed in the database); registers not taken first
    #[command(
        after_help = "Examples:\n  attctl report registers --from 2025-01-06 --to 2025-01-10\n  attctl report registers --by teacher -o csv\n  attctl report registers --from today --missing   # exit 1 when a register was not taken"
    )]
    Registers(RegistersArgs),
}

#[derive(Debug, Args)]
pub struct RegistersArgs {
    /// From this session date, inclusive (YYYY-MM-DD, today, tomorrow)
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this session date, inclusive
    #[arg(long)]
    pub to: Option<String>,
    /// Only this class (id or exact name)
    #[arg(long)]
    pub class: Option<String>,
    /// One row per session, or one per teacher of the classes (where the database says who
    /// teaches a class)
    #[arg(long, value_enum, default_value_t = RegistersBy::Session)]
    pub by: RegistersBy,
    /// Exit 1 when any register was not taken (for cron), after printing the report
    #[arg(long)]
    pub missing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegistersBy {
    Session,
    Teacher,
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
        after_help = "Examples:\n  attctl class create \"Year 7 (A)\"\n  attctl class create --name \"Year 7 (A)\" --notify-email head7@school.example,office@school.example"
    )]
    Create {
        /// Class name (unique)
        #[arg(
            value_name = "NAME",
            required_unless_present = "name",
            conflicts_with = "name"
        )]
        class_name: Option<String>,
        /// Class name (unique), as a flag
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
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
        /// Class: id or exact name; id:N or name:NAME to be explicit
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
        /// Class: id or exact name (a near name is only suggested); id:N or name:NAME
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
        /// Class: id or exact name (a near name is only suggested); id:N or name:NAME
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
    #[command(after_help = super::with_notify_help(
        "Examples:\n  attctl config show\n  attctl --profile staging config show"
    ))]
    Show,
    /// Print the config file's path (plainly; -o json for {"path", "exists"})
    #[command(
        after_help = "Examples:\n  attctl config path\n  ${EDITOR:-vi} \"$(attctl config path)\""
    )]
    Path,
    /// Write a commented config file (mode 0600)
    #[command(after_help = super::with_notify_help(
        "Examples:\n  attctl config init\n  attctl config init --force"
    ))]
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
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
    // The exit codes end the top-level help (the man page has them in EXIT STATUS).
    let after = match cmd.get_after_help() {
        Some(text) => format!("{text}\n\n{}", crate::error::exit::help()),
        None => crate::error::exit::help(),
    };
    hide_globals(cmd.after_help(after), &globals, &note)
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
    /// List recorded events with their delivery state: newest first in a table, oldest first
    /// in JSON, NDJSON and CSV
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
    #[command(after_help = super::notify_help())]
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
