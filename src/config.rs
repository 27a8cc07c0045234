//! Settings: where they come from and what they resolve to.
//!
//! Precedence, highest first: command-line flags, the process environment, a `.env` file in
//! the current directory, the selected profile of the config file
//! (`$XDG_CONFIG_HOME/attctl/config.toml`), then built-in defaults. Every resolved value
//! remembers its source so `config show` and `doctor` can say where it came from. Secrets
//! are [`Secret`]s: their Debug and Display never show them, and passwords in URLs are
//! masked in what is shown ([`redact_url`]).
//!
//! A key or token is only sent to an address from its own source (`check_same_source`):
//! a `.env` in the working directory cannot redirect the profile's key. A `.env` that is
//! owned by another user or writable by others is ignored.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::error::{Error, Result};

/// A secret value: shown only through [`Secret::expose`], masked everywhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// A hint that tells keys apart without revealing them: kind and length only.
    pub fn masked(&self) -> String {
        let kind = match KeyKind::of(&self.0) {
            KeyKind::Secret => "sb_secret_…",
            KeyKind::Publishable => "sb_publishable_…",
            KeyKind::Jwt => "JWT",
            KeyKind::Other => "…",
        };
        format!("{kind} ({} chars, hidden)", self.0.chars().count())
    }
}

/// What a Supabase API key is, from its text alone: the one classification behind masking
/// ([`Secret::masked`]), the client's choice of `Authorization: Bearer` and doctor's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A legacy JWT key (anon or service_role): three non-empty dot-separated parts, the
    /// first a base64url JSON header (so starting with `eyJ`).
    Jwt,
    /// A new opaque secret key (`sb_secret_…`).
    Secret,
    /// A new publishable key (`sb_publishable_…`), which attctl cannot use.
    Publishable,
    /// Anything else.
    Other,
}

impl KeyKind {
    pub fn of(key: &str) -> KeyKind {
        if key.starts_with("sb_secret_") {
            KeyKind::Secret
        } else if key.starts_with("sb_publishable_") {
            KeyKind::Publishable
        } else if key.starts_with("eyJ")
            && key.split('.').count() == 3
            && !key.split('.').any(str::is_empty)
        {
            KeyKind::Jwt
        } else {
            KeyKind::Other
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

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
    pub notify: crate::notify::NotifySettings,
    pub origins: Vec<Origin>,
    /// Problems worth a line on stderr that do not stop the command.
    pub warnings: Vec<String>,
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

/// A profile in the config file. Unknown keys are an error, so typos do not go unnoticed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub backend: Option<BackendKind>,
    pub supabase_url: Option<String>,
    pub supabase_key: Option<String>,
    pub data_file: Option<PathBuf>,
    pub timezone: Option<String>,
    pub hatchet_token: Option<String>,
    pub hatchet_tls_strategy: Option<String>,
    pub hatchet_host_port: Option<String>,
    pub hatchet_server_url: Option<String>,
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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The environment variables we read, in one place (also listed in `.env.example`).
pub mod vars {
    pub const CONFIG: &str = "ATTCTL_CONFIG";
    pub const PROFILE: &str = "ATTCTL_PROFILE";
    pub const BACKEND: &str = "ATTCTL_BACKEND";
    pub const DATA_FILE: &str = "ATTCTL_DATA_FILE";
    pub const TIMEZONE: &str = "ATTCTL_TIMEZONE";
    pub const HTTP_TIMEOUT: &str = "ATTCTL_HTTP_TIMEOUT";
    pub const SUPABASE_URL: &str = "SUPABASE_URL";
    /// Key names in order of preference: the first one set wins.
    pub const SUPABASE_KEYS: [&str; 3] = [
        "SUPABASE_SERVICE_ROLE_KEY",
        "SUPABASE_SECRET_KEY",
        "SUPABASE_SERVICE_KEY",
    ];
    pub const HATCHET_TOKEN: &str = "HATCHET_CLIENT_TOKEN";
    pub const HATCHET_TLS: &str = "HATCHET_CLIENT_TLS_STRATEGY";
    pub const HATCHET_HOST_PORT: &str = "HATCHET_CLIENT_HOST_PORT";
    pub const HATCHET_SERVER_URL: &str = "HATCHET_CLIENT_SERVER_URL";
    /// `1` allows a key and the address it is sent to to come from different sources
    /// (read from the process environment only, never from `.env`).
    pub const ALLOW_MIXED_SOURCES: &str = "ATTCTL_ALLOW_MIXED_SOURCES";
}

/// Reads variables from the process environment and one `.env` file, in that order.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    process: HashMap<String, String>,
    dotenv: HashMap<String, String>,
    dotenv_file: Option<PathBuf>,
    /// Why a `.env` was ignored, for a warning.
    warnings: Vec<String>,
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
    fn allows_mixed_sources(&self) -> bool {
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

    pub fn read_dotenv(&mut self, path: &Path) -> Result<()> {
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
    fn get(&self, names: &[&str]) -> Option<(String, Source)> {
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

    pub fn dotenv_file(&self) -> Option<&Path> {
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

/// A URL for people: a password in it (`https://user:SECRET@host`) is masked.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw.trim()) {
        Ok(mut parsed) => {
            if parsed.password().is_some() && parsed.set_password(Some("****")).is_ok() {
                parsed.to_string().trim_end_matches('/').to_string()
                    + if raw.trim().ends_with('/') { "/" } else { "" }
            } else {
                raw.to_string()
            }
        }
        // Not a URL we can parse: mask anything between the scheme and an `@`.
        Err(_) => match (raw.find("://"), raw.rfind('@')) {
            (Some(start), Some(at)) if at > start + 3 => {
                format!("{}****{}", &raw[..start + 3], &raw[at..])
            }
            _ => raw.to_string(),
        },
    }
}

/// Two settings come from the same place: the environment, one `.env` file, or one profile.
/// A flag is its own source (keys are never flags).
fn same_source(a: &Source, b: &Source) -> bool {
    match (a, b) {
        (Source::Env { .. }, Source::Env { .. }) => true,
        (Source::DotEnv { file: fa, .. }, Source::DotEnv { file: fb, .. }) => fa == fb,
        (
            Source::Profile {
                file: fa,
                profile: pa,
            },
            Source::Profile {
                file: fb,
                profile: pb,
            },
        ) => fa == fb && pa == pb,
        _ => false,
    }
}

/// Refuses to send a secret to an address configured somewhere else than the secret, unless
/// the process environment allows it (`ATTCTL_ALLOW_MIXED_SOURCES=1`).
fn check_same_source(
    env: &Environment,
    secret: (&str, &Source),
    address: (&str, &Source),
) -> Result<()> {
    // A flag is typed by the user for this one command: an explicit choice, not something
    // a file or an inherited environment slipped in.
    let explicit = matches!(address.1, Source::Flag { .. });
    if explicit || same_source(secret.1, address.1) || env.allows_mixed_sources() {
        return Ok(());
    }
    Err(Error::Config(format!(
        "refusing to send the {} from {} to the {} from {}: a key is only sent to the address \
         configured beside it; set both in the same place, or set {}=1 to allow this",
        secret.0,
        secret.1,
        address.0,
        address.1,
        vars::ALLOW_MIXED_SOURCES
    )))
}

fn first_line(e: &impl fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

/// The config file a command reads when settings are not (or cannot be) resolved: `--config`,
/// else `ATTCTL_CONFIG`, else the default location.
pub fn config_file_path(overrides: &Overrides) -> PathBuf {
    overrides
        .config_file
        .clone()
        .or_else(|| std::env::var_os(vars::CONFIG).map(PathBuf::from))
        .unwrap_or_else(default_config_file)
}

/// The standard locations, from the XDG base directories.
pub fn default_config_file() -> PathBuf {
    directories::ProjectDirs::from("", "", "attctl")
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("attctl.toml"))
}

pub fn default_data_file() -> PathBuf {
    directories::ProjectDirs::from("", "", "attctl")
        .map(|d| d.data_dir().join("attctl.db"))
        .unwrap_or_else(|| PathBuf::from("attctl.db"))
}

/// Reads and parses the config file; a missing file is an empty config.
pub fn read_config_file(path: &Path) -> Result<(ConfigFile, Vec<String>)> {
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
pub fn unix_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode())
}

#[cfg(not(unix))]
pub fn unix_mode(_path: &Path) -> Option<u32> {
    None
}

/// Resolves settings from flags, environment, `.env` and the config file.
pub fn resolve(overrides: &Overrides, env: &Environment) -> Result<Settings> {
    let mut r = Resolver {
        origins: Vec::new(),
        env,
        profile: Profile::default(),
        profile_source: Source::Default,
    };

    let config_file = r.pick(
        "config_file",
        overrides
            .config_file
            .as_ref()
            .map(|p| p.display().to_string()),
        "--config",
        &[vars::CONFIG],
        |_| None,
    );
    let config_file = config_file
        .map(PathBuf::from)
        .unwrap_or_else(default_config_file);
    let (file, mut warnings) = read_config_file(&config_file)?;
    warnings.extend(env.warnings.iter().cloned());

    let explicit_profile = overrides
        .profile
        .clone()
        .map(|p| {
            (
                p,
                Source::Flag {
                    name: "--profile".into(),
                },
            )
        })
        .or_else(|| env.get(&[vars::PROFILE]));
    let profile_name = explicit_profile
        .as_ref()
        .map(|(p, _)| p.clone())
        .or_else(|| file.default_profile.clone())
        .unwrap_or_else(|| "default".to_string());
    match file.profiles.get(&profile_name) {
        Some(p) => {
            r.profile = p.clone();
            r.profile_source = Source::Profile {
                file: config_file.clone(),
                profile: profile_name.clone(),
            };
        }
        None if explicit_profile.is_some() || file.default_profile.is_some() => {
            return Err(Error::Config(format!(
                "profile {profile_name:?} is not defined in {}",
                config_file.display()
            )));
        }
        None => {}
    }
    let timezone = r.pick(
        "timezone",
        overrides.timezone.clone(),
        "--timezone",
        &[vars::TIMEZONE],
        |p| p.timezone.clone(),
    );
    let timezone = match timezone {
        Some(name) => clock::parse_zone(&name).map_err(|e| {
            // Name where the bad value came from: a typo in a flag, the environment or a
            // profile is fixed in a different place.
            let source = r
                .origins
                .iter()
                .rev()
                .find(|o| o.key == "timezone")
                .map_or_else(|| "settings".to_string(), |o| o.source.to_string());
            Error::invalid(format!("{e} (from {source})"))
        })?,
        None => {
            let zone = clock::machine_zone();
            r.origins.push(Origin {
                key: "timezone",
                value: zone.name().to_string(),
                secret: false,
                source: Source::Default,
            });
            zone
        }
    };

    let http_timeout = r.pick("http_timeout_secs", None, "", &[vars::HTTP_TIMEOUT], |p| {
        p.http_timeout_secs.map(|s| s.to_string())
    });
    let mut http = HttpSettings::default();
    if let Some(raw) = http_timeout {
        let secs: u64 = raw
            .parse()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or_else(|| {
                Error::Config(format!(
                    "{} must be a number of seconds from 1 to 3600, not {raw:?}",
                    vars::HTTP_TIMEOUT
                ))
            })?;
        http.timeout = Duration::from_secs(secs);
    }

    let backend_kind = r.pick(
        "backend",
        overrides.backend.map(|b| format!("{b:?}").to_lowercase()),
        "--backend",
        &[vars::BACKEND],
        |p| p.backend.map(|b| format!("{b:?}").to_lowercase()),
    );
    let backend_kind = match backend_kind.as_deref() {
        None => None,
        Some("supabase") => Some(BackendKind::Supabase),
        Some("local") => Some(BackendKind::Local),
        Some(other) => {
            return Err(Error::Config(format!(
                "backend must be supabase or local, not {other:?}"
            )));
        }
    };
    let url = r.pick(
        "supabase_url",
        overrides.supabase_url.clone(),
        "--supabase-url",
        &[vars::SUPABASE_URL],
        |p| p.supabase_url.clone(),
    );
    let use_supabase = match backend_kind {
        Some(kind) => kind == BackendKind::Supabase,
        None => url.is_some(),
    };
    let backend = if use_supabase {
        let url = url.ok_or_else(|| {
            Error::Config(
                "the supabase backend needs SUPABASE_URL (or supabase_url in the profile)".into(),
            )
        })?;
        let url = normalise_supabase_url(&url)?;
        let key = r.pick_secret("supabase_key", &vars::SUPABASE_KEYS, |p| {
            p.supabase_key.clone()
        });
        let key = key.ok_or_else(|| {
            Error::Config(
                "SUPABASE_URL is set but no key: set SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY)".into(),
            )
        })?;
        if let (Some(url_source), Some(key_source)) =
            (r.source_of("supabase_url"), r.source_of("supabase_key"))
        {
            check_same_source(
                env,
                ("Supabase key", &key_source),
                ("Supabase URL", &url_source),
            )?;
        }
        BackendSettings::Supabase(SupabaseSettings { url, key })
    } else {
        let data_file = r.pick(
            "data_file",
            overrides
                .data_file
                .as_ref()
                .map(|p| p.display().to_string()),
            "--data-file",
            &[vars::DATA_FILE],
            |p| p.data_file.as_ref().map(|d| d.display().to_string()),
        );
        let data_file = data_file
            .map(|d| canonical_data_file(Path::new(&d)))
            .unwrap_or_else(|| {
                let path = default_data_file();
                r.origins.push(Origin {
                    key: "data_file",
                    value: path.display().to_string(),
                    secret: false,
                    source: Source::Default,
                });
                path
            });
        BackendSettings::Local { data_file }
    };

    let token = r.pick_secret("hatchet_token", &[vars::HATCHET_TOKEN], |p| {
        p.hatchet_token.clone()
    });
    let hatchet = match token {
        None => None,
        Some(token) => {
            let tls = r.pick(
                "hatchet_tls_strategy",
                None,
                "",
                &[vars::HATCHET_TLS],
                |p| p.hatchet_tls_strategy.clone(),
            );
            let tls = match tls.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("tls") => TlsStrategy::Tls,
                Some("none") => TlsStrategy::None,
                Some(other) => {
                    return Err(Error::Config(format!(
                        "{} must be none or tls, not {other:?}",
                        vars::HATCHET_TLS
                    )));
                }
            };
            let claims = crate::hatchet_token::TokenClaims::parse(token.expose())?;
            let host_port = r.pick(
                "hatchet_host_port",
                None,
                "",
                &[vars::HATCHET_HOST_PORT],
                |p| p.hatchet_host_port.clone(),
            );
            let server_url = r.pick(
                "hatchet_server_url",
                None,
                "",
                &[vars::HATCHET_SERVER_URL],
                |p| p.hatchet_server_url.clone(),
            );
            // The token goes to both addresses: each must be set beside it (or come from
            // the token itself).
            if let Some(token_source) = r.source_of("hatchet_token") {
                for (key, what) in [
                    ("hatchet_server_url", "Hatchet REST address"),
                    ("hatchet_host_port", "Hatchet gRPC address"),
                ] {
                    if let Some(source) = r.source_of(key) {
                        check_same_source(env, ("Hatchet token", &token_source), (what, &source))?;
                    }
                }
            }
            Some(HatchetSettings {
                token,
                tenant_id: claims.tenant_id,
                server_url: server_url
                    .unwrap_or(claims.server_url)
                    .trim_end_matches('/')
                    .to_string(),
                grpc_address: host_port.unwrap_or(claims.grpc_address),
                tls,
                timeout: http.timeout,
            })
        }
    };

    let notify = {
        use crate::notify::vars as nv;
        let raw = crate::notify::RawNotify {
            warn_before: r.pick("warn_before", None, "", &[nv::WARN_BEFORE], |p| {
                p.warn_before.clone()
            }),
            webhook_url: r.pick("webhook_url", None, "", &[nv::WEBHOOK_URL], |_| None),
            webhook_secret: r.pick_secret("webhook_secret", &[nv::WEBHOOK_SECRET], |_| None),
            slack_url: r.pick_secret("slack_webhook_url", &[nv::SLACK_WEBHOOK_URL], |_| None),
            // Shown with its password masked (a `_url` key), kept as a secret.
            smtp_url: r
                .pick("smtp_url", None, "", &[nv::SMTP_URL], |p| {
                    p.smtp_url.clone()
                })
                .map(Secret::new),
            mail_from: r.pick("mail_from", None, "", &[nv::MAIL_FROM], |p| {
                p.mail_from.clone()
            }),
            mail_to: r.pick("mail_to", None, "", &[nv::MAIL_TO], |p| p.mail_to.clone()),
            smtp_ca_file: r.pick("smtp_ca_file", None, "", &[nv::SMTP_CA_FILE], |p| {
                p.smtp_ca_file.clone()
            }),
            events: r.pick("notify_events", None, "", &[nv::NOTIFY_EVENTS], |_| None),
            retention_days: r.pick(
                "events_retention_days",
                None,
                "",
                &[nv::RETENTION_DAYS],
                |_| None,
            ),
        };
        crate::notify::NotifySettings::parse(&raw)?
    };

    Ok(Settings {
        profile: profile_name,
        notify,
        config_file,
        backend,
        timezone,
        hatchet,
        http,
        origins: r.origins,
        warnings,
    })
}

/// The data file with symbolic links resolved, so that every path to one file names the
/// same file (and the same worker lock). A file that does not exist yet: its directory
/// resolved, when that exists.
pub fn canonical_data_file(path: &Path) -> PathBuf {
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

/// Accepts `https://x.supabase.co`, with or without a trailing `/` or `/rest/v1`.
pub fn normalise_supabase_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/rest/v1").unwrap_or(trimmed);
    let parsed = url::Url::parse(trimmed)
        .map_err(|_| Error::Config(format!("SUPABASE_URL {trimmed:?} is not a URL")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::Config(format!(
            "SUPABASE_URL {trimmed:?} must be an http(s) URL such as https://abc.supabase.co"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(
            "SUPABASE_URL must not have a query string".into(),
        ));
    }
    Ok(trimmed.to_string())
}

struct Resolver<'a> {
    origins: Vec<Origin>,
    env: &'a Environment,
    profile: Profile,
    profile_source: Source,
}

impl Resolver<'_> {
    /// Where the setting `key` came from, once picked.
    fn source_of(&self, key: &str) -> Option<Source> {
        self.origins
            .iter()
            .rev()
            .find(|o| o.key == key)
            .map(|o| o.source.clone())
    }

    fn pick(
        &mut self,
        key: &'static str,
        flag: Option<String>,
        flag_name: &str,
        env_names: &[&str],
        from_profile: impl Fn(&Profile) -> Option<String>,
    ) -> Option<String> {
        self.pick_inner(key, false, flag, flag_name, env_names, from_profile)
    }

    fn pick_secret(
        &mut self,
        key: &'static str,
        env_names: &[&str],
        from_profile: impl Fn(&Profile) -> Option<String>,
    ) -> Option<Secret> {
        self.pick_inner(key, true, None, "", env_names, from_profile)
            .map(Secret::new)
    }

    fn pick_inner(
        &mut self,
        key: &'static str,
        secret: bool,
        flag: Option<String>,
        flag_name: &str,
        env_names: &[&str],
        from_profile: impl Fn(&Profile) -> Option<String>,
    ) -> Option<String> {
        let found = flag
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                (
                    v,
                    Source::Flag {
                        name: flag_name.to_string(),
                    },
                )
            })
            .or_else(|| self.env.get(env_names))
            .or_else(|| {
                from_profile(&self.profile)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v, self.profile_source.clone()))
            });
        match found {
            Some((value, source)) => {
                self.origins.push(Origin {
                    key,
                    value: if secret {
                        Secret::new(value.clone()).masked()
                    } else if key.ends_with("_url") {
                        redact_url(&value)
                    } else {
                        value.clone()
                    },
                    secret,
                    source,
                });
                Some(value)
            }
            None => None,
        }
    }
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
    fn url_passwords_are_masked() {
        assert_eq!(
            redact_url("http://admin:SECRET@db.example:8000"),
            "http://admin:****@db.example:8000"
        );
        assert_eq!(
            redact_url("https://x.supabase.co/rest/v1"),
            "https://x.supabase.co/rest/v1"
        );
        assert_eq!(redact_url("not a url://u:p@h"), "not a url://****@h");
        assert_eq!(redact_url("https://u:p@h/"), "https://u:****@h/");
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
