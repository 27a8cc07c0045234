//! The config file (profiles in TOML) and the standard locations of it and of the data file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{BackendKind, Overrides, vars};
use crate::error::{Error, Result};

/// A profile in the config file. Unknown keys are an error, so typos do not go unnoticed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    pub backend: Option<BackendKind>,
    pub supabase_url: Option<String>,
    pub supabase_key: Option<String>,
    pub data_file: Option<PathBuf>,
    pub timezone: Option<String>,
    pub hatchet_token: Option<String>,
    pub hatchet_tls_strategy: Option<String>,
    pub hatchet_host_port: Option<String>,
    pub hatchet_server_url: Option<String>,
    /// Task runs the engine accepts per 24 hours (`SERVER_LIMITS_DEFAULT_TASK_RUN_LIMIT`
    /// when it enforces limits); doctor compares the runs planned for the next 24 hours.
    pub hatchet_run_limit: Option<u64>,
    pub http_timeout_secs: Option<u64>,
    /// Offsets before close at which a warning is sent, e.g. `10m,2m`.
    pub warn_before: Option<String>,
    /// Email: `smtps://user:password@host:465` (the password is masked everywhere).
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    /// Comma-separated addresses sent every event.
    pub mail_to: Option<String>,
    /// PEM file of extra roots trusted for the SMTP server's certificate.
    pub smtp_ca_file: Option<String>,
    /// `absent`: mark unmarked active students absent at close.
    pub automark: Option<String>,
    /// At close, a present mark later than the start plus this (`10m`) becomes late.
    pub late_after: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigFile {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The config file a command reads when settings are not (or cannot be) resolved: `--config`,
/// else `ATTCTL_CONFIG`, else the default location.
pub(crate) fn config_file_path(overrides: &Overrides) -> PathBuf {
    overrides
        .config_file
        .clone()
        .or_else(|| std::env::var_os(vars::CONFIG).map(PathBuf::from))
        .unwrap_or_else(default_config_file)
}

/// The standard locations, from the XDG base directories.
pub(crate) fn default_config_file() -> PathBuf {
    directories::ProjectDirs::from("", "", "attctl")
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("attctl.toml"))
}

/// Whether `key` is said here for the first time on this machine (for notes that would be
/// noise on every command); records it in `$XDG_STATE_HOME/attctl/noted`. When that file
/// cannot be written the note is given every time rather than never.
pub(crate) fn first_time(key: &str) -> bool {
    let Some(dirs) = directories::ProjectDirs::from("", "", "attctl") else {
        return true;
    };
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    let path = dir.join("noted");
    let seen = std::fs::read_to_string(&path).unwrap_or_default();
    if seen.lines().any(|line| line == key) {
        return false;
    }
    let _ = std::fs::create_dir_all(dir).and_then(|()| {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        writeln!(file, "{key}")
    });
    true
}

pub(crate) fn default_data_file() -> PathBuf {
    directories::ProjectDirs::from("", "", "attctl")
        .map(|d| d.data_dir().join("attctl.db"))
        .unwrap_or_else(|| PathBuf::from("attctl.db"))
}

/// Reads and parses the config file; a missing file is an empty config.
pub(crate) fn read_config_file(path: &Path) -> Result<(ConfigFile, Vec<String>)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((ConfigFile::default(), Vec::new()));
        }
        Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
    };
    let parsed: ConfigFile = toml::from_str(&text).map_err(|e| {
        Error::Config(format!(
            "{} is not a valid attctl config: {}",
            path.display(),
            e.message()
        ))
    })?;
    let mut warnings = Vec::new();
    if let Some(mode) = unix_mode(path)
        && mode & 0o077 != 0
    {
        warnings.push(format!(
            "{} is readable by other users (mode {:o}); it may hold keys: chmod 600 it",
            path.display(),
            mode & 0o777
        ));
    }
    Ok((parsed, warnings))
}

#[cfg(unix)]
pub(crate) fn unix_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode())
}

#[cfg(not(unix))]
pub(crate) fn unix_mode(_path: &Path) -> Option<u32> {
    None
}

/// The data file with symbolic links resolved, so that every path to one file names the
/// same file (and the same worker lock). A file that does not exist yet: its directory
/// resolved, when that exists.
pub(crate) fn canonical_data_file(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}
