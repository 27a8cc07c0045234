//! The variables attctl reads ([`vars`]) and where it reads them: the process environment,
//! then one `.env` file, which is ignored when someone else could write it.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::Source;
use crate::error::{Error, Result};

/// The environment variables we read, in one place (also listed in `.env.example`).
pub mod vars {
    pub(crate) const CONFIG: &str = "ATTCTL_CONFIG";
    pub(crate) const PROFILE: &str = "ATTCTL_PROFILE";
    pub(crate) const BACKEND: &str = "ATTCTL_BACKEND";
    pub(crate) const DATA_FILE: &str = "ATTCTL_DATA_FILE";
    pub(crate) const TIMEZONE: &str = "ATTCTL_TIMEZONE";
    pub(crate) const HTTP_TIMEOUT: &str = "ATTCTL_HTTP_TIMEOUT";
    pub const SUPABASE_URL: &str = "SUPABASE_URL";
    /// Key names in order of preference: the first one set wins.
    pub(crate) const SUPABASE_KEYS: [&str; 3] = [
        "SUPABASE_SERVICE_ROLE_KEY",
        "SUPABASE_SECRET_KEY",
        "SUPABASE_SERVICE_KEY",
    ];
    /// A staff machine's keys (with `attctl login`), read when no service key is set.
    pub(crate) const SUPABASE_STAFF_KEYS: [&str; 2] =
        ["SUPABASE_ANON_KEY", "SUPABASE_PUBLISHABLE_KEY"];
    pub(crate) const HATCHET_TOKEN: &str = "HATCHET_CLIENT_TOKEN";
    pub(crate) const HATCHET_TLS: &str = "HATCHET_CLIENT_TLS_STRATEGY";
    pub(crate) const HATCHET_HOST_PORT: &str = "HATCHET_CLIENT_HOST_PORT";
    pub(crate) const HATCHET_SERVER_URL: &str = "HATCHET_CLIENT_SERVER_URL";
    /// Task runs the Hatchet engine accepts per 24 hours (its tenant limit), for doctor.
    pub(crate) const HATCHET_RUN_LIMIT: &str = "ATTCTL_HATCHET_RUN_LIMIT";
    /// `1` allows a key and the address it is sent to to come from different sources
    /// (read from the process environment only, never from `.env`).
    pub(crate) const ALLOW_MIXED_SOURCES: &str = "ATTCTL_ALLOW_MIXED_SOURCES";
    // Notifications: warnings before close, channels, which events, how long kept.
    pub(crate) const WARN_BEFORE: &str = "ATTCTL_WARN_BEFORE";
    pub(crate) const WEBHOOK_URL: &str = "ATTCTL_WEBHOOK_URL";
    pub(crate) const WEBHOOK_SECRET: &str = "ATTCTL_WEBHOOK_SECRET";
    pub(crate) const SLACK_WEBHOOK_URL: &str = "ATTCTL_SLACK_WEBHOOK_URL";
    pub(crate) const SMTP_URL: &str = "ATTCTL_SMTP_URL";
    pub(crate) const MAIL_FROM: &str = "ATTCTL_MAIL_FROM";
    pub(crate) const MAIL_TO: &str = "ATTCTL_MAIL_TO";
    pub(crate) const SMTP_CA_FILE: &str = "ATTCTL_SMTP_CA_FILE";
    pub(crate) const NOTIFY_EVENTS: &str = "ATTCTL_NOTIFY_EVENTS";
    pub(crate) const RETENTION_DAYS: &str = "ATTCTL_EVENTS_RETENTION_DAYS";
    // Registers at close.
    pub(crate) const AUTOMARK: &str = "ATTCTL_AUTOMARK";
    pub(crate) const LATE_AFTER: &str = "ATTCTL_LATE_AFTER";
}

/// Reads variables from the process environment and one `.env` file, in that order.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    process: HashMap<String, String>,
    dotenv: HashMap<String, String>,
    dotenv_file: Option<PathBuf>,
    /// Why a `.env` was ignored, for a warning.
    pub(super) warnings: Vec<String>,
}

impl Environment {
    /// The real process environment and `./.env` if present.
    pub fn load() -> Result<Self> {
        let process = std::env::vars().collect();
        let path = PathBuf::from(".env");
        let mut env = Environment {
            process,
            ..Default::default()
        };
        if path.is_file() {
            match dotenv_unsafe(&path) {
                Some(why) => env.warnings.push(format!(
                    "ignoring {}: {why}; it could redirect attctl (chown or chmod go-w it to use it)",
                    path.display()
                )),
                None => env.read_dotenv(&path)?,
            }
        }
        Ok(env)
    }

    /// The process environment says a key may go to an address from another source.
    pub(super) fn allows_mixed_sources(&self) -> bool {
        self.process
            .get(vars::ALLOW_MIXED_SOURCES)
            .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
            .unwrap_or(false)
    }

    /// For tests and embedding: explicit variables, no `.env`.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Environment {
            process: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..Default::default()
        }
    }

    pub(crate) fn read_dotenv(&mut self, path: &Path) -> Result<()> {
        let iter = dotenvy::from_path_iter(path).map_err(|e| {
            Error::Config(format!(
                "cannot read {}: {}",
                path.display(),
                first_line(&e)
            ))
        })?;
        for item in iter {
            let (k, v) = item.map_err(|e| {
                Error::Config(format!(
                    "{} is malformed: {}",
                    path.display(),
                    first_line(&e)
                ))
            })?;
            self.dotenv.insert(k, v);
        }
        self.dotenv_file = Some(path.to_path_buf());
        Ok(())
    }

    /// The first of `names` set (non-empty) in the process environment, then in `.env`.
    pub(super) fn get(&self, names: &[&str]) -> Option<(String, Source)> {
        for name in names {
            if let Some(v) = self.process.get(*name).filter(|v| !v.trim().is_empty()) {
                return Some((
                    v.trim().to_string(),
                    Source::Env {
                        var: name.to_string(),
                    },
                ));
            }
        }
        let file = self.dotenv_file.clone()?;
        for name in names {
            if let Some(v) = self.dotenv.get(*name).filter(|v| !v.trim().is_empty()) {
                return Some((
                    v.trim().to_string(),
                    Source::DotEnv {
                        file: file.clone(),
                        var: name.to_string(),
                    },
                ));
            }
        }
        None
    }

    pub(crate) fn dotenv_file(&self) -> Option<&Path> {
        self.dotenv_file.as_deref()
    }
}

/// Why a `.env` must not be trusted: owned by another user, or writable by others. Like
/// git's `safe.directory`, a file someone else controls does not get to configure attctl.
#[cfg(unix)]
fn dotenv_unsafe(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    // The owner of /proc/self is this process's effective user.
    let me = std::fs::metadata("/proc/self").ok().map(|m| m.uid());
    if let Some(me) = me
        && meta.uid() != me
        && meta.uid() != 0
    {
        return Some(format!("it belongs to another user (uid {})", meta.uid()));
    }
    if meta.mode() & 0o022 != 0 {
        return Some(format!(
            "other users may write to it (mode {:o})",
            meta.mode() & 0o777
        ));
    }
    None
}

#[cfg(not(unix))]
fn dotenv_unsafe(_path: &Path) -> Option<String> {
    None
}

fn first_line(e: &impl fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}
