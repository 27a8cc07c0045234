//! attctl: the core of the teaching-session admin tool and its worker daemon.
//!
//! Both binaries (`attctl` and `attctl-worker`) are thin shells over this library:
//!
//! - [`session`]: domain types and input validation; [`clock`]: wall-clock times and zones.
//! - [`store`]: where sessions live ([`store::postgrest`] for Supabase, [`store::sqlite`]
//!   for the embedded default), behind [`store::SessionStore`].
//! - [`scheduler`]: who closes a session at its end ([`scheduler::hatchet`] or
//!   [`scheduler::local`]), behind [`scheduler::ClosureScheduler`].
//! - [`service`]: create / close / delete / reschedule / sweep, the only place that
//!   combines a store and a scheduler.
//! - [`config`]: settings from flags, env, `.env` and profiles; [`error`]: typed errors
//!   and exit codes.
//! - Leaves that any module may use and that use no store, scheduler, service, channel or
//!   command: `secret` (secrets and masked URLs), `http` (clients, timeouts, retry
//!   classes), [`report`] (the closure report's types), [`registers`] (automark, late and
//!   the registers report's types), `jwt` (the one JWT decoder).

#![warn(unreachable_pub)]

pub mod auth;
pub mod backend;
pub(crate) mod calendar;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
pub mod events;
pub(crate) mod http;
pub(crate) mod jwt;
pub(crate) mod log_line;
pub mod notify;
pub(crate) mod output;
pub mod registers;
pub mod report;
pub mod scheduler;
pub(crate) mod secret;
pub mod service;
pub mod session;
pub mod store;
pub mod worker_lock;

pub use error::{Error, Result};
pub use log_line::{human_delay, set_log_zone};

/// `--version` of both binaries: version, commit and commit date, like `rustc -V`.
/// build.rs fills in "unknown" outside a git checkout.
pub(crate) const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("ATTCTL_GIT_COMMIT"),
    " ",
    env!("ATTCTL_GIT_DATE"),
    ")"
);

use std::ffi::OsString;

/// Runs `attctl` with these arguments and returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::FromArgMatches;
    let cli = match cli::attctl_command()
        .try_get_matches_from(args)
        .and_then(|m| cli::Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return report_usage_error(&e),
    };
    init_tracing(cli.global.debug);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return error::exit::FAILURE;
        }
    };
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(()) => error::exit::OK,
        // The reader went away (`attctl ... | head`): nothing left to say to anyone.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            error::exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// Help and version go to stdout with status 0; usage errors become one line on stderr.
pub fn report_usage_error(e: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                error::exit::USAGE
            } else {
                error::exit::OK
            }
        }
        _ => {
            // clap's whole message: which argument is missing, its usage line, and its
            // "did you mean" suggestions and tips are what makes a usage error fixable.
            let rendered = e.render().to_string();
            let rendered = rendered.trim_end();
            if rendered.starts_with("error:") {
                eprintln!("{rendered}");
            } else {
                eprintln!("error: {rendered}");
            }
            error::exit::USAGE
        }
    }
}

/// The target of attctl-worker's default-level log: one line at start, per close, per sweep
/// that did something, at stop. Shown when neither `--debug` nor `RUST_LOG` asks for more;
/// the detailed events say the same then, so these lines are off.
pub const WORKER_LOG_TARGET: &str = "attctl_worker::log";

/// [`init_tracing`] for attctl-worker: by default warnings and [`WORKER_LOG_TARGET`] lines,
/// so `attctl-worker > log 2>&1` shows what the worker does without the detail. At a
/// terminal each is a short line ([`log_line`]: the time in the school's zone, see
/// [`set_log_zone`]); otherwise JSON lines, as for journald.
pub fn init_worker_tracing(debug: bool) {
    let quiet = format!("warn,{WORKER_LOG_TARGET}=info");
    init_tracing_with(debug, &quiet, Some(WORKER_LOG_TARGET), true);
}

/// `--debug` or `RUST_LOG` for people; JSON lines when stderr is not a terminal.
pub(crate) fn init_tracing(debug: bool) {
    init_tracing_with(debug, "warn", None, false);
}

fn init_tracing_with(
    debug: bool,
    default: &str,
    off_when_verbose: Option<&str>,
    human_lines: bool,
) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let verbose = if debug {
        Some(EnvFilter::new(
            "debug,hyper=info,h2=info,tower=info,rustls=info,reqwest=info",
        ))
    } else if std::env::var("RUST_LOG").is_ok_and(|v| !v.trim().is_empty()) {
        EnvFilter::try_from_default_env().ok()
    } else {
        // Unset or empty: the default, not "nothing at all".
        None
    };
    let targets = verbose.is_some();
    let filter = match (verbose, off_when_verbose) {
        (Some(filter), Some(target)) => match format!("{target}=off").parse() {
            Ok(directive) => filter.add_directive(directive),
            Err(_) => filter,
        },
        (Some(filter), None) => filter,
        (None, _) => EnvFilter::new(default),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::io::stderr().is_terminal() {
        if human_lines {
            builder
                .with_ansi(output::use_color(cli::ColorChoice::Auto, true))
                .event_format(log_line::HumanLine { targets })
                .try_init()
        } else {
            builder.try_init()
        }
    } else {
        builder.json().flatten_event(true).try_init()
    };
}
