//! Settings: where they come from and what they resolve to.
//!
//! Precedence, highest first: command-line flags, the process environment, a `.env` file in
//! the current directory, the selected profile of the config file
//! (`$XDG_CONFIG_HOME/attctl/config.toml`), then built-in defaults. Every resolved value
//! remembers its source so `config show` and `doctor` can say where it came from. Secrets
//! are [`Secret`]s: their Debug and Display never show them, and passwords in URLs are
//! masked in what is shown ([`crate::secret::redact_url`]).
//!
//! A key or token is only sent to an address from its own source (`check_same_source`):
//! a `.env` in the working directory cannot redirect the profile's key. A `.env` that is
//! owned by another user or writable by others is ignored.

mod env;
mod file;
pub mod notify;
mod resolve;

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use crate::secret::Secret;
pub use env::{Environment, vars};
pub(crate) use file::{
    Profile, canonical_data_file, config_file_path, default_config_file, default_data_file,
    first_time, read_config_file, unix_mode,
};
pub use resolve::resolve;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Flag { name: String },
    Env { var: String },
    DotEnv { file: PathBuf, var: String },
    Profile { file: PathBuf, profile: String },
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag { name } => write!(f, "flag {name}"),
            Source::Env { var } => write!(f, "env {var}"),
            Source::DotEnv { file, var } => write!(f, "{} ({var})", file.display()),
            Source::Profile { file, profile } => {
                write!(f, "profile {profile} in {}", file.display())
            }
            Source::Default => f.write_str("default"),
        }
    }
}

/// One resolved setting, for `config show` and `doctor`. Secret values are masked.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    pub key: &'static str,
    pub value: String,
    pub secret: bool,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Supabase,
    Local,
}

#[derive(Debug, Clone)]
pub struct SupabaseSettings {
    /// The project URL, without `/rest/v1`.
    pub url: String,
    pub key: Secret,
    /// Whose rights requests carry: the key's (service role), or a signed-in person's.
    pub access: SupabaseAccess,
}

/// Whose rights a Supabase request carries, decided by the key configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupabaseAccess {
    /// A service-role or secret key: every row, Row Level Security bypassed (the worker,
    /// an administrator's server).
    ServiceKey,
    /// The anon or publishable key of a staff machine: requests carry the access token of
    /// the person signed in with `attctl login`, and the database's policies decide.
    Staff,
}

impl SupabaseAccess {
    /// What a key of this text gives: the anon JWT and publishable keys are a staff
    /// machine's; anything else is taken for a service key.
    pub fn of_key(key: &Secret) -> SupabaseAccess {
        use crate::secret::KeyKind;
        match KeyKind::of(key.expose()) {
            KeyKind::Publishable => SupabaseAccess::Staff,
            KeyKind::Jwt => {
                let role = crate::jwt::jwt_payload(key.expose())
                    .ok()
                    .and_then(|p| serde_json::from_slice::<serde_json::Value>(&p).ok())
                    .and_then(|v| v.get("role").and_then(|r| r.as_str()).map(str::to_string));
                if role.as_deref() == Some("anon") {
                    SupabaseAccess::Staff
                } else {
                    SupabaseAccess::ServiceKey
                }
            }
            KeyKind::Secret | KeyKind::Other => SupabaseAccess::ServiceKey,
        }
    }
}

#[derive(Debug, Clone)]
pub enum BackendSettings {
    Supabase(SupabaseSettings),
    Local { data_file: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsStrategy {
    None,
    Tls,
}

#[derive(Debug, Clone)]
pub struct HatchetSettings {
    pub token: Secret,
    pub tenant_id: String,
    /// REST base URL (token claim `server_url`, or HATCHET_CLIENT_SERVER_URL).
    pub server_url: String,
    /// gRPC `host:port` (claim `grpc_broadcast_address`, or HATCHET_CLIENT_HOST_PORT).
    pub grpc_address: String,
    pub tls: TlsStrategy,
    pub timeout: Duration,
    /// Task runs the engine accepts per 24 hours, as configured (`ATTCTL_HATCHET_RUN_LIMIT`
    /// or `hatchet_run_limit`); `None`: doctor asks the engine for its resource policy.
    pub run_limit: Option<u64>,
}

/// HTTP behaviour shared by the Supabase and Hatchet clients.
#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_attempts: u32,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            max_attempts: 3,
        }
    }
}

/// Everything attctl and attctl-worker need, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    pub profile: String,
    pub config_file: PathBuf,
    pub backend: BackendSettings,
    pub timezone: Tz,
    pub hatchet: Option<HatchetSettings>,
    pub http: HttpSettings,
    /// Warnings before close and notification channels.
    pub notify: notify::NotifySettings,
    /// Automark and late marks at close (`ATTCTL_AUTOMARK`, `ATTCTL_LATE_AFTER`).
    pub registers: crate::registers::RegisterSettings,
    pub origins: Vec<Origin>,
    /// Problems worth a line on stderr that do not stop the command.
    pub warnings: Vec<String>,
}

impl Settings {
    /// Where the setting `key` came from (the last origin recorded for it).
    pub fn source_of(&self, key: &str) -> Option<&Source> {
        self.origins
            .iter()
            .rev()
            .find(|o| o.key == key)
            .map(|o| &o.source)
    }
}

/// Values given on the command line (global flags of both binaries).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub profile: Option<String>,
    pub backend: Option<BackendKind>,
    pub supabase_url: Option<String>,
    pub data_file: Option<PathBuf>,
    pub timezone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        Environment::from_vars(vars.iter().map(|(k, v)| (*k, *v)))
    }

    fn no_file() -> Overrides {
        Overrides {
            config_file: Some(PathBuf::from("/nonexistent/attctl-test/config.toml")),
            ..Default::default()
        }
    }

    #[test]
    fn nothing_configured_means_local() {
        let s = resolve(&no_file(), &env(&[])).unwrap();
        assert!(matches!(s.backend, BackendSettings::Local { .. }));
        assert!(s.hatchet.is_none());
    }

    #[test]
    fn first_key_name_set_wins_and_is_never_shown() {
        let s = resolve(
            &no_file(),
            &env(&[
                ("SUPABASE_URL", "https://abc.supabase.co/rest/v1/"),
                ("SUPABASE_SECRET_KEY", "sb_secret_second"),
                ("SUPABASE_SERVICE_ROLE_KEY", "eyJfirst.x.y"),
            ]),
        )
        .unwrap();
        let BackendSettings::Supabase(sb) = &s.backend else {
            panic!("expected supabase");
        };
        assert_eq!(sb.url, "https://abc.supabase.co");
        assert_eq!(sb.key.expose(), "eyJfirst.x.y");
        let debug = format!("{s:?}");
        assert!(!debug.contains("eyJfirst"), "{debug}");
        let key_origin = s.origins.iter().find(|o| o.key == "supabase_key").unwrap();
        assert!(!key_origin.value.contains("first"));
        assert_eq!(
            key_origin.source,
            Source::Env {
                var: "SUPABASE_SERVICE_ROLE_KEY".into()
            }
        );
    }

    #[test]
    fn url_without_key_is_a_config_error() {
        let err = resolve(
            &no_file(),
            &env(&[("SUPABASE_URL", "https://x.supabase.co")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("no key"), "{err}");
    }

    #[test]
    fn flags_beat_env_beat_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "default_profile = \"school\"\n[profiles.school]\ntimezone = \"Asia/Tokyo\"\nbackend = \"local\"\n",
        )
        .unwrap();
        let o = Overrides {
            config_file: Some(file.clone()),
            ..Default::default()
        };
        let s = resolve(&o, &env(&[])).unwrap();
        assert_eq!(s.timezone.name(), "Asia/Tokyo");
        let s = resolve(&o, &env(&[("ATTCTL_TIMEZONE", "Europe/Paris")])).unwrap();
        assert_eq!(s.timezone.name(), "Europe/Paris");
        let o2 = Overrides {
            timezone: Some("UTC".into()),
            ..o.clone()
        };
        let s = resolve(&o2, &env(&[("ATTCTL_TIMEZONE", "Europe/Paris")])).unwrap();
        assert_eq!(s.timezone.name(), "UTC");
        let missing = Overrides {
            profile: Some("nope".into()),
            ..o
        };
        assert!(resolve(&missing, &env(&[])).is_err());
    }

    #[test]
    fn a_key_goes_only_to_an_address_from_its_own_source() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "[profiles.default]\nsupabase_url = \"https://p.supabase.co\"\nsupabase_key = \"sb_secret_p\"\n",
        )
        .unwrap();
        let o = Overrides {
            config_file: Some(file),
            ..Default::default()
        };
        assert!(resolve(&o, &env(&[])).is_ok());
        let err = resolve(&o, &env(&[("SUPABASE_URL", "http://evil")])).unwrap_err();
        assert!(err.to_string().contains("env SUPABASE_URL"), "{err}");
        assert!(
            resolve(
                &o,
                &env(&[
                    ("SUPABASE_URL", "http://evil"),
                    ("ATTCTL_ALLOW_MIXED_SOURCES", "1")
                ])
            )
            .is_ok()
        );
        // Both from the environment: one source.
        assert!(
            resolve(
                &o,
                &env(&[
                    ("SUPABASE_URL", "http://other"),
                    ("SUPABASE_SECRET_KEY", "sb_secret_e")
                ])
            )
            .is_ok()
        );
    }

    #[test]
    fn unknown_profile_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[profiles.default]\nsupabase_ulr = \"x\"\n").unwrap();
        let o = Overrides {
            config_file: Some(file),
            ..Default::default()
        };
        let err = resolve(&o, &env(&[])).unwrap_err();
        assert!(err.to_string().contains("supabase_ulr"), "{err}");
    }
}
