//! The one error type of attctl, and the single place that maps errors to exit codes.
//!
//! Every layer returns [`Error`]; `main` prints `error: {err}` on one line and exits with
//! [`Error::exit_code`]. Messages are written for school staff, never include secrets, and
//! never include raw response bodies beyond the server's own one-line message.

use std::fmt;

/// Process exit codes, documented in the README. Stable: scripts depend on them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILURE: i32 = 1;
    pub const USAGE: i32 = 2;
    pub(crate) const NOT_FOUND: i32 = 3;
    pub(crate) const CONFLICT: i32 = 4;
    pub(crate) const AUTH: i32 = 5;
    pub(crate) const UNAVAILABLE: i32 = 6;
    pub(crate) const PARTIAL: i32 = 7;

    /// Every code: (code, a few words for `attctl --help`, the man page's sentence).
    pub(crate) const MEANINGS: [(i32, &str, &str); 8] = [
        (OK, "success", "success"),
        (
            FAILURE,
            "failure; or an alert: status found the worker down or sessions overdue",
            "failure (configuration, schema, server; failing doctor checks; report \
             open-past-end found sessions; status found the worker not running or sessions \
             overdue, after printing its report)",
        ),
        (
            USAGE,
            "invalid arguments or input; nothing written",
            "invalid arguments or input (dates, times, ids, names); nothing was written",
        ),
        (
            NOT_FOUND,
            "not found (a near name is only suggested)",
            "a session, class, holiday or run does not exist (a near name is suggested, never \
             taken)",
        ),
        (
            CONFLICT,
            "conflict with existing data",
            "the change clashes with existing data",
        ),
        (
            AUTH,
            "credentials refused",
            "Supabase or Hatchet refused the credentials",
        ),
        (
            UNAVAILABLE,
            "unreachable; retry later",
            "Supabase, Hatchet or the data file is unreachable; retry later",
        ),
        (
            PARTIAL,
            "partial: some rows left out (named on stderr)",
            "partial: the command printed every row it could read and left some out, each \
             named on stderr (`attctl doctor` says why)",
        ),
    ];

    /// The codes, one short line each, for the end of `attctl --help`.
    pub(crate) fn help() -> String {
        let mut text = String::from("Exit codes:");
        for (code, brief, _) in MEANINGS {
            text.push_str(&format!("\n  {code}  {brief}"));
        }
        text
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the user: caught before any request is made.
    #[error("{0}")]
    Invalid(String),
    /// A session, class or run that does not exist.
    #[error("{what} {id} not found{}", list_hint(what))]
    NotFound { what: &'static str, id: String },
    /// Something named that does not exist, with a hint of what would (did you mean ...).
    #[error("{0}")]
    NotFoundHint(String),
    /// The write clashes with existing data (duplicate, already closed with --strict, ...).
    #[error("{0}")]
    Conflict(String),
    /// The backend refused our credentials.
    #[error("{0}")]
    Auth(String),
    /// The backend could not be reached or is temporarily down; retrying later may work.
    #[error("{0}")]
    Unavailable(String),
    /// The configuration is missing or inconsistent.
    #[error("{0}")]
    Config(String),
    /// The database lacks our tables or columns: the migrations were not applied.
    #[error("{0}")]
    Schema(String),
    /// The command printed what it could, but left some rows out (each named in a warning).
    #[error("{0}")]
    Partial(String),
    /// A check found what it looks for (`report open-past-end` found sessions): exit 1, so
    /// cron and monitoring alert, after the data was printed.
    #[error("{0}")]
    Alert(String),
    /// The user declined a confirmation prompt.
    #[error("aborted: {0}")]
    Aborted(String),
    /// Anything else the backend answered that we cannot classify more precisely.
    #[error("{0}")]
    Backend(String),
    /// Local I/O (data file, config file, terminal).
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// Where to look for what exists, after a `not found` of a kind people name by id.
fn list_hint(what: &str) -> &'static str {
    match what {
        "class" => "; `attctl class list` shows the classes",
        "holiday" => "; `attctl holiday list` shows the holidays",
        _ => "",
    }
}

impl Error {
    pub fn invalid(msg: impl fmt::Display) -> Self {
        Error::Invalid(msg.to_string())
    }

    pub(crate) fn session_not_found(id: i64) -> Self {
        Error::NotFound {
            what: "session",
            id: id.to_string(),
        }
    }

    pub fn io(context: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            context: context.to_string(),
            source,
        }
    }

    /// The exit status for this error; the only place that decides it.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) => exit::USAGE,
            Error::NotFound { .. } | Error::NotFoundHint(_) => exit::NOT_FOUND,
            Error::Conflict(_) => exit::CONFLICT,
            Error::Auth(_) => exit::AUTH,
            Error::Unavailable(_) => exit::UNAVAILABLE,
            Error::Partial(_) => exit::PARTIAL,
            Error::Config(_)
            | Error::Schema(_)
            | Error::Aborted(_)
            | Error::Alert(_)
            | Error::Backend(_)
            | Error::Io { .. } => exit::FAILURE,
        }
    }

    /// Worth retrying later (used by the worker to decide between retry and give up).
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Unavailable(_))
    }
}
