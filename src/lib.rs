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

pub mod backend;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
pub mod events;
pub mod hatchet_token;
pub mod liveness;
pub mod notify;
pub mod output;
pub mod scheduler;
pub mod service;
pub mod session;
pub mod store;

pub use error::{Error, Result};

use std::ffi::OsString;

use clap::Parser;

/// Runs `attctl` with these arguments and returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
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
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("error: invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("error: {first} (see --help)");
            error::exit::USAGE
        }
    }
}

/// `--debug` or `RUST_LOG` for people; JSON lines when stderr is not a terminal.
pub fn init_tracing(debug: bool) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = if debug {
        EnvFilter::new("debug,hyper=info,h2=info,tower=info,rustls=info,reqwest=info")
    } else {
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"))
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::io::stderr().is_terminal() {
        builder.try_init()
    } else {
        builder.json().flatten_event(true).try_init()
    };
}
