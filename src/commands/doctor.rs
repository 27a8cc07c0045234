//! `attctl doctor`: the troubleshooting checklist, done by the tool.
//!
//! Every check has a stable name (`config`, `supabase.key`, `hatchet.grpc`, …), a status
//! (`ok`, `warn`, `fail`, `skip`), a one-line detail and, for `warn` and `fail`, a `fix`
//! saying what to do. All checks are printed (table, JSON or NDJSON through
//! [`crate::output`]) before the command fails with exit status 1 when any check failed.
//!
//! Doctor runs before settings are resolved, so it also works (and says why) when the
//! configuration is broken. It never prints a secret: keys and tokens are shown masked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use comfy_table::{Cell, Color};
use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::{DoctorArgs, OutputFormat};
use crate::config::{
    BackendSettings, Environment, HttpSettings, Overrides, Secret, Settings, Source,
    SupabaseSettings, default_config_file, resolve, unix_mode, vars,
};
use crate::error::{Error, Result};
use crate::hatchet_token::TokenClaims;
use crate::output::{Detail, Output, Row, Style};
use crate::scheduler::CLOSE_TASK;
use crate::store::postgrest::client::{ClientError, PostgrestClient, Request, Response};
use crate::store::postgrest::legacy_task_conditions;
use crate::store::sqlite::SqliteStore;

mod rows;

/// The newest migration under `supabase/migrations` this build expects (its file name's
/// timestamp; `attctl_schema_info()` returns it as `version`). A test compares it with the
/// migration files, so a new migration without a bump here fails the build's tests.
pub const SCHEMA_VERSION: &str = "20261130160000";

/// Columns attctl reads and writes; a missing one makes PostgREST answer 400 42703/PGRST204.
const SESSION_COLUMNS: &str = "id,class_id,session_date,start_time,end_time,status,\
scheduled_task_id,timezone,closes_at,closed_at,closed_by,created_at,updated_at";
const CLASS_COLUMNS: &str = "id,name,created_at";

/// Network checks give up quickly: doctor is for people waiting at a terminal.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A Hatchet token that expires sooner than this is worth a warning.
const TOKEN_EXPIRY_WARNING: chrono::Duration = chrono::Duration::days(14);

const APPLY_MIGRATIONS: &str = "apply supabase/migrations (`supabase db push`, or run the SQL \
files in order in the Supabase SQL editor)";
const NEW_HATCHET_TOKEN: &str = "create an API token in the Hatchet dashboard (Settings > API \
Tokens) and put it in HATCHET_CLIENT_TOKEN";
const START_WORKER: &str = "start attctl-worker (`attctl-worker run`, its systemd unit or the \
docker compose service)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Ok,
    Warn,
    Fail,
    Skip,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "fail",
            CheckStatus::Skip => "skip",
        }
    }
}

/// One line of the checklist. `fix` is null for `ok` and `skip`.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: CheckStatus,
    pub detail: String,
    pub fix: Option<String>,
    /// `supabase.rows` only: each problem with its count and first ids, for scripts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<rows::RowProblem>>,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        Check {
            name,
            status: CheckStatus::Ok,
            detail: detail.into(),
            fix: None,
            rows: None,
        }
    }
    fn skip(name: &'static str, detail: impl Into<String>) -> Self {
        Check {
            name,
            status: CheckStatus::Skip,
            detail: detail.into(),
            fix: None,
            rows: None,
        }
    }
    fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check {
            name,
            status: CheckStatus::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
            rows: None,
        }
    }
    fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check {
            name,
            status: CheckStatus::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
            rows: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub ok: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

/// What `-o json` prints: `{"checks": [...], "summary": {...}}`, and with `--repair`,
/// `"repair": {...}`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub checks: Vec<Check>,
    pub summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repair: Option<rows::Repair>,
}

impl Report {
    pub fn new(checks: Vec<Check>) -> Self {
        let mut summary = Summary::default();
        for check in &checks {
            match check.status {
                CheckStatus::Ok => summary.ok += 1,
                CheckStatus::Warn => summary.warn += 1,
                CheckStatus::Fail => summary.fail += 1,
                CheckStatus::Skip => summary.skip += 1,
            }
        }
        Report {
            checks,
            summary,
            repair: None,
        }
    }
}

fn status_cell(status: CheckStatus, style: &Style) -> Cell {
    let cell = Cell::new(status.as_str());
    if !style.color {
        return cell;
    }
    match status {
        CheckStatus::Ok => cell.fg(Color::Green),
        CheckStatus::Warn => cell.fg(Color::Yellow),
        CheckStatus::Fail => cell.fg(Color::Red),
        CheckStatus::Skip => cell.fg(Color::DarkGrey),
    }
}

impl Row for Check {
    fn headers() -> &'static [&'static str] {
        &["CHECK", "STATUS", "DETAIL", "FIX"]
    }
    fn cells(&self, style: &Style) -> Vec<Cell> {
        vec![
            Cell::new(self.name),
            status_cell(self.status, style),
            Cell::new(&self.detail),
            Cell::new(self.fix.as_deref().unwrap_or("")),
        ]
    }
}

impl Detail for Report {
    fn fields(&self, style: &Style) -> Vec<(&'static str, Cell)> {
        self.checks
            .iter()
            .map(|c| (c.name, status_cell(c.status, style)))
            .collect()
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `attctl doctor [--repair [--dry-run]]`.
pub async fn run(overrides: &Overrides, args: &DoctorArgs, out: &mut Output) -> Result<()> {
    // The repair comes first, so the checks after it show what is left.
    let (repair_check, repair) = if args.repair {
        let (check, repair) = run_repair(overrides, args.dry_run).await;
        (Some(check), repair)
    } else {
        (None, None)
    };
    let mut checks = collect(overrides).await;
    if let Some(check) = repair_check {
        checks.insert(0, check);
    }
    let mut report = Report::new(checks);
    report.repair = repair;
    match out.format() {
        OutputFormat::Json => out.detail(&report)?,
        OutputFormat::Ndjson | OutputFormat::Csv => out.list(&report.checks)?,
        OutputFormat::Table => {
            out.list(&report.checks)?;
            let s = &report.summary;
            out.note(&format!(
                "{} ok, {}, {} failing, {} skipped",
                s.ok,
                plural(s.warn, "warning"),
                s.fail,
                s.skip
            ));
        }
    }
    match report.summary.fail {
        0 => Ok(()),
        n => Err(Error::Backend(format!(
            "doctor found {}",
            plural(n, "failing check")
        ))),
    }
}

/// `--repair`: the safe repairs of old rows, on Supabase only (a local data file is always
/// attctl's own, with every rule enforced).
async fn run_repair(overrides: &Overrides, dry_run: bool) -> (Check, Option<rows::Repair>) {
    let settings = match Environment::load().and_then(|env| resolve(overrides, &env)) {
        Ok(settings) => settings,
        Err(e) => {
            return (
                Check::fail(
                    "supabase.repair",
                    format!("not run: the configuration does not resolve ({e})"),
                    "fix the configuration first (see the config check)",
                ),
                None,
            );
        }
    };
    let BackendSettings::Supabase(sb) = &settings.backend else {
        return (
            Check::skip(
                "supabase.repair",
                "nothing to repair: the local data file enforces every rule on every row",
            ),
            None,
        );
    };
    match PostgrestClient::new(sb, &settings.http) {
        Ok(client) => rows::repair(&client, dry_run).await,
        Err(e) => (
            Check::fail(
                "supabase.repair",
                e.to_string(),
                "fix the key (see supabase.key)",
            ),
            None,
        ),
    }
}

/// Runs every check that applies to the configuration, in a stable order.
pub async fn collect(overrides: &Overrides) -> Vec<Check> {
    let mut checks = Vec::new();
    let config = check_config(overrides, &mut checks);

    let backend = async {
        match &config.settings {
            Some(settings) => match &settings.backend {
                BackendSettings::Supabase(sb) => supabase_checks(sb, settings).await,
                BackendSettings::Local { data_file } => local_checks(data_file).await,
            },
            None => vec![Check::skip(
                "backend",
                "not checked: the configuration does not resolve",
            )],
        }
    };
    let hatchet = hatchet_checks(&config);
    let notify = notify_checks(&config);
    let (backend, hatchet, notify) = futures::join!(backend, hatchet, notify);
    checks.extend(backend);
    checks.extend(hatchet);
    checks.extend(notify);
    checks
}

// ----- notification channels -----

/// Each configured channel: its receiver accepts a connection (nothing is sent).
async fn notify_checks(config: &ConfigOutcome) -> Vec<Check> {
    let Some(settings) = &config.settings else {
        return Vec::new();
    };
    let n = &settings.notify;
    let mut checks = Vec::new();
    if let Some(w) = &n.webhook {
        checks.push(match crate::notify::probe(&w.url).await {
            Ok(()) => Check::ok(
                "notify.webhook",
                format!(
                    "{} accepts connections; {}",
                    crate::config::redact_url(&w.url),
                    if w.secret.is_some() {
                        "requests are signed"
                    } else {
                        "requests are NOT signed"
                    }
                ),
            ),
            Err(why) => Check::fail(
                "notify.webhook",
                why,
                "check ATTCTL_WEBHOOK_URL and that the receiver runs",
            ),
        });
        if w.secret.is_none() {
            checks.push(Check::warn(
                "notify.webhook.secret",
                "no ATTCTL_WEBHOOK_SECRET: receivers cannot tell attctl's requests from others",
                "set ATTCTL_WEBHOOK_SECRET=whsec_<base64>",
            ));
        }
    }
    if let Some(url) = &n.slack_url {
        checks.push(match crate::notify::probe(url.expose()).await {
            Ok(()) => Check::ok("notify.slack", "the Slack webhook host accepts connections"),
            Err(why) => Check::fail(
                "notify.slack",
                why,
                "check ATTCTL_SLACK_WEBHOOK_URL and the network",
            ),
        });
    }
    checks
}

// ----- configuration -----

/// Supabase settings that are present but unused because the local backend was chosen
/// (a `backend = "local"` line, ATTCTL_BACKEND or --backend): almost always a surprise, as
/// sessions then go to the SQLite file while the person thinks they reach Supabase.
fn local_despite_supabase(settings: &Settings) -> Option<Check> {
    if !matches!(settings.backend, BackendSettings::Local { .. }) {
        return None;
    }
    let url = settings.origins.iter().find(|o| o.key == "supabase_url")?;
    let backend = settings.origins.iter().find(|o| o.key == "backend");
    let chosen_by = backend.map_or_else(|| "settings".to_string(), |o| o.source.to_string());
    Some(Check::warn(
        "config.backend",
        format!(
            "Supabase settings are present (supabase_url from {}) but the local backend is in \
             force (backend = local from {chosen_by}): sessions go to the local data file",
            url.source
        ),
        format!(
            "remove the backend setting ({chosen_by}) to let SUPABASE_URL choose supabase, \
             or pass --backend supabase"
        ),
    ))
}

struct ConfigOutcome {
    /// Settings to check the backend with (possibly resolved without a broken Hatchet token).
    settings: Option<Settings>,
    /// Did the real configuration resolve?
    resolved: bool,
    /// The Hatchet token, found in the settings or (when they do not resolve) read directly.
    hatchet_token: Option<Secret>,
}

fn check_config(overrides: &Overrides, checks: &mut Vec<Check>) -> ConfigOutcome {
    let env = match Environment::load() {
        Ok(env) => Some(env),
        Err(e) => {
            checks.push(Check::fail(
                "config",
                e.to_string(),
                "fix .env in the current directory: one KEY=value per line",
            ));
            None
        }
    };
    let resolved = env.as_ref().map(|env| resolve(overrides, env));
    let outcome = match resolved {
        Some(Ok(settings)) => {
            checks.push(Check::ok("config", describe_settings(&settings)));
            if let Some(check) = local_despite_supabase(&settings) {
                checks.push(check);
            }
            let hatchet_token = settings.hatchet.as_ref().map(|h| h.token.clone());
            ConfigOutcome {
                settings: Some(settings),
                resolved: true,
                hatchet_token,
            }
        }
        Some(Err(e)) => {
            checks.push(Check::fail("config", e.to_string(), config_fix(&e)));
            let hatchet_token = raw_hatchet_token();
            // A broken Hatchet token stops the whole resolution; the backend can still be
            // checked without it when it came from the process environment.
            let settings = match (&hatchet_token, &env) {
                (Some(token), Some(env))
                    if TokenClaims::parse(token.expose()).is_err()
                        && env.dotenv_file().is_none() =>
                {
                    let without = Environment::from_vars(
                        std::env::vars().filter(|(k, _)| k != vars::HATCHET_TOKEN),
                    );
                    resolve(overrides, &without).ok()
                }
                _ => None,
            };
            ConfigOutcome {
                settings,
                resolved: false,
                hatchet_token,
            }
        }
        None => ConfigOutcome {
            settings: None,
            resolved: false,
            hatchet_token: raw_hatchet_token(),
        },
    };
    checks.push(check_config_file(overrides, &outcome));
    if let Some(check) = check_dotenv() {
        checks.push(check);
    }
    outcome
}

fn config_fix(e: &Error) -> String {
    let msg = e.to_string();
    if msg.contains(vars::HATCHET_TOKEN) {
        NEW_HATCHET_TOKEN.to_string()
    } else if msg.contains("no key") {
        "set SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY) to the project's service_role \
         or secret key"
            .into()
    } else if msg.contains("SUPABASE_URL") {
        "set SUPABASE_URL to the project URL, e.g. https://abcd.supabase.co".into()
    } else {
        "correct the setting named above: in a flag, the environment, .env or the config file \
         (`attctl config path`)"
            .into()
    }
}

fn backend_name(settings: &Settings) -> &'static str {
    match settings.backend {
        BackendSettings::Supabase(_) => "supabase",
        BackendSettings::Local { .. } => "local",
    }
}

/// `profile "default"; backend local; data_file=/x (env ATTCTL_DATA_FILE); …` (secrets masked).
fn describe_settings(settings: &Settings) -> String {
    let mut parts = vec![
        format!("profile {:?}", settings.profile),
        format!("backend {}", backend_name(settings)),
    ];
    for origin in &settings.origins {
        if origin.key == "backend" {
            continue;
        }
        let source = match &origin.source {
            Source::Default => "default".to_string(),
            other => other.to_string(),
        };
        parts.push(format!("{}={} ({source})", origin.key, origin.value));
    }
    parts.join("; ")
}

fn config_file_path(overrides: &Overrides, settings: Option<&Settings>) -> PathBuf {
    if let Some(s) = settings {
        return s.config_file.clone();
    }
    overrides
        .config_file
        .clone()
        .or_else(|| std::env::var_os(vars::CONFIG).map(PathBuf::from))
        .unwrap_or_else(default_config_file)
}

fn check_config_file(overrides: &Overrides, outcome: &ConfigOutcome) -> Check {
    let settings = outcome.settings.as_ref().filter(|_| outcome.resolved);
    let path = config_file_path(overrides, settings);
    if !path.exists() {
        return Check::ok(
            "config.file",
            format!(
                "{} is not present (optional: `attctl config init` writes one)",
                path.display()
            ),
        );
    }
    if let Some(settings) = settings
        && !settings.warnings.is_empty()
    {
        return Check::warn(
            "config.file",
            settings.warnings.join("; "),
            format!("chmod 600 {}", path.display()),
        );
    }
    private_file_check("config.file", &path, "it may hold keys")
}

fn check_dotenv() -> Option<Check> {
    let path = Path::new(".env");
    if !path.is_file() {
        return None;
    }
    Some(private_file_check(
        "config.dotenv",
        path,
        "it may hold keys; values set in the environment take precedence",
    ))
}

/// ok when only the owner can read `path`, warn otherwise.
fn private_file_check(name: &'static str, path: &Path, why: &str) -> Check {
    match unix_mode(path) {
        Some(mode) if mode & 0o077 != 0 => Check::warn(
            name,
            format!(
                "{} is readable by other users (mode {:o}); {why}",
                path.display(),
                mode & 0o777
            ),
            format!("chmod 600 {}", path.display()),
        ),
        Some(mode) => Check::ok(
            name,
            format!("{} (mode {:o}); {why}", path.display(), mode & 0o777),
        ),
        None => Check::ok(name, format!("{} is present; {why}", path.display())),
    }
}

/// The Hatchet token from the process environment or `./.env`, for when settings fail.
fn raw_hatchet_token() -> Option<Secret> {
    if let Some(v) = std::env::var(vars::HATCHET_TOKEN)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return Some(Secret::new(v.trim()));
    }
    let iter = dotenvy::from_path_iter(".env").ok()?;
    iter.filter_map(|item| item.ok())
        .find(|(k, v)| k == vars::HATCHET_TOKEN && !v.trim().is_empty())
        .map(|(_, v)| Secret::new(v.trim()))
}

// ----- local backend -----

async fn local_checks(data_file: &Path) -> Vec<Check> {
    let mut checks = Vec::new();
    let exists = match std::fs::metadata(data_file) {
        Ok(meta) if meta.is_file() => {
            checks.push(Check::ok(
                "local.data_file",
                format!("{} ({} bytes)", data_file.display(), meta.len()),
            ));
            true
        }
        Ok(_) => {
            checks.push(Check::fail(
                "local.data_file",
                format!("{} exists but is not a file", data_file.display()),
                "point --data-file or ATTCTL_DATA_FILE at a file path",
            ));
            false
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            checks.push(Check::warn(
                "local.data_file",
                format!(
                    "{} does not exist yet: it will be created on first use",
                    data_file.display()
                ),
                "nothing to do for a new installation; otherwise check --data-file or \
                 ATTCTL_DATA_FILE (is this the file your sessions are in?)",
            ));
            false
        }
        Err(e) => {
            checks.push(Check::fail(
                "local.data_file",
                format!("cannot read {}: {e}", data_file.display()),
                "check the permissions of the file and its directory",
            ));
            false
        }
    };
    if exists {
        checks.push(private_file_check(
            "local.permissions",
            data_file,
            "it holds every session",
        ));
        let path = data_file.to_path_buf();
        let opened = tokio::task::spawn_blocking(move || SqliteStore::open(&path).map(|_| ()))
            .await
            .unwrap_or_else(|e| Err(Error::Backend(format!("the check did not finish: {e}"))));
        checks.push(match opened {
            Ok(()) => Check::ok("local.open", "opens; its schema is up to date"),
            Err(e) => Check::fail(
                "local.open",
                e.to_string(),
                "restore the file from a backup, or move it away to start afresh",
            ),
        });
    } else {
        checks.push(Check::skip(
            "local.permissions",
            "not checked: the data file does not exist",
        ));
        checks.push(Check::skip(
            "local.open",
            "not checked: the data file does not exist",
        ));
    }
    checks.push(match crate::liveness::running_worker(data_file) {
        Some(0) => Check::ok("local.worker", "attctl-worker is running (pid unknown)"),
        Some(pid) => Check::ok(
            "local.worker",
            format!("attctl-worker is running (pid {pid})"),
        ),
        None => Check::warn(
            "local.worker",
            "no attctl-worker is running: sessions will not be closed automatically",
            START_WORKER,
        ),
    });
    checks
}

// ----- Supabase -----

/// What a Supabase key is, from its text alone.
#[derive(Debug, PartialEq, Eq)]
enum KeyKind {
    /// A legacy JWT key with its `role` and `exp` claims.
    Jwt {
        role: Option<String>,
        expires: Option<DateTime<Utc>>,
    },
    Secret,
    Publishable,
    Other,
}

fn key_kind(key: &str) -> KeyKind {
    if key.starts_with("sb_secret_") {
        return KeyKind::Secret;
    }
    if key.starts_with("sb_publishable_") {
        return KeyKind::Publishable;
    }
    match jwt_claims(key) {
        Some(claims) => KeyKind::Jwt {
            role: claims
                .get("role")
                .and_then(Value::as_str)
                .map(str::to_string),
            expires: claims
                .get("exp")
                .and_then(Value::as_i64)
                .and_then(|e| DateTime::from_timestamp(e, 0)),
        },
        None => KeyKind::Other,
    }
}

/// The payload of a JWT, unverified (we only want to recognise the key).
fn jwt_claims(token: &str) -> Option<serde_json::Map<String, Value>> {
    let mut parts = token.trim().split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A problem with the key visible without asking Supabase.
fn key_problem(kind: &KeyKind, now: DateTime<Utc>) -> Option<String> {
    match kind {
        KeyKind::Publishable => {
            Some("this is a publishable key; attctl needs the service_role or secret key".into())
        }
        KeyKind::Jwt { role, expires } => match role.as_deref() {
            Some("anon") => {
                Some("this is the anon key; attctl needs the service_role or secret key".into())
            }
            Some("service_role") => match expires {
                Some(t) if *t <= now => Some(format!(
                    "the key expired on {}",
                    t.format("%Y-%m-%d %H:%M UTC")
                )),
                _ => None,
            },
            Some(other) => Some(format!(
                "this key is for the role {other:?}; attctl needs the service_role or secret key"
            )),
            None => Some(
                "this JWT has no role claim; attctl needs the service_role or secret key".into(),
            ),
        },
        KeyKind::Secret | KeyKind::Other => None,
    }
}

fn key_label(kind: &KeyKind) -> &'static str {
    match kind {
        KeyKind::Jwt { .. } => "service_role JWT",
        KeyKind::Secret => "secret key",
        KeyKind::Publishable => "publishable key",
        KeyKind::Other => "key",
    }
}

/// Which variable (or profile) the key came from, for the fix text.
fn key_source(settings: &Settings) -> String {
    settings
        .origins
        .iter()
        .find(|o| o.key == "supabase_key")
        .map(|o| match &o.source {
            Source::Env { var } | Source::DotEnv { var, .. } => var.clone(),
            Source::Profile { file, profile } => {
                format!("supabase_key of profile {profile} in {}", file.display())
            }
            other => other.to_string(),
        })
        .unwrap_or_else(|| "SUPABASE_SERVICE_ROLE_KEY".into())
}

/// The answer to one request: a response, a PostgREST error, or no answer.
enum Answer {
    Ok(Response),
    Api {
        status: u16,
        code: String,
        message: String,
    },
    Down(String),
}

impl Answer {
    fn of(result: std::result::Result<Response, ClientError>) -> Self {
        match result {
            Ok(resp) => Answer::Ok(resp),
            Err(ClientError::Api(api)) => {
                let message = api
                    .message
                    .as_deref()
                    .unwrap_or("no message")
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect();
                Answer::Api {
                    status: api.status,
                    code: api.code.clone().unwrap_or_default(),
                    message,
                }
            }
            Err(ClientError::Transport(e) | ClientError::Unanswered(e)) => {
                Answer::Down(e.to_string())
            }
        }
    }

    /// The key was refused (bad signature, expired, unknown key, or no privilege).
    fn rejected(&self) -> bool {
        matches!(self, Answer::Api { status, code, .. }
            if matches!(status, 401 | 403) || code == "42501" || code.starts_with("PGRST30"))
    }

    fn describe(&self) -> String {
        match self {
            Answer::Ok(resp) => format!("HTTP {}", resp.status.as_u16()),
            Answer::Api {
                status,
                code,
                message,
            } if code.is_empty() => format!("HTTP {status}: {message}"),
            Answer::Api {
                status,
                code,
                message,
            } => format!("HTTP {status}: {message} ({code})"),
            Answer::Down(why) => why.clone(),
        }
    }
}

async fn supabase_checks(sb: &SupabaseSettings, settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    let http = HttpSettings {
        timeout: settings.http.timeout.min(HTTP_TIMEOUT),
        connect_timeout: settings.http.connect_timeout.min(CONNECT_TIMEOUT),
        // One attempt: doctor reports what it sees instead of waiting out retries.
        max_attempts: 1,
    };
    let client = match PostgrestClient::new(sb, &http) {
        Ok(client) => client,
        Err(e) => {
            checks.push(Check::fail(
                "supabase.key",
                e.to_string(),
                format!("copy the key again into {}", key_source(settings)),
            ));
            return checks;
        }
    };
    let api_url = client.base_url().to_string();

    // 1. Reachable: the API root (OpenAPI) through the gateway.
    let root = Answer::of(client.send(&Request::new(Method::GET, "")).await);
    let reachable = match &root {
        Answer::Down(why) => {
            checks.push(Check::fail(
                "supabase.api",
                format!("{api_url}/ cannot be reached: {why}"),
                "check SUPABASE_URL and the network (proxy, firewall, DNS)",
            ));
            false
        }
        Answer::Api { status, .. } if *status == 404 => {
            checks.push(Check::fail(
                "supabase.api",
                format!("no PostgREST API at {api_url}/ ({})", root.describe()),
                "set SUPABASE_URL to the project URL (https://<project>.supabase.co), \
                 without /rest/v1",
            ));
            false
        }
        Answer::Api { status, .. } if *status >= 500 => {
            checks.push(Check::fail(
                "supabase.api",
                format!(
                    "{api_url}/ answers but the database API is down ({})",
                    root.describe()
                ),
                "check the project's status in the Supabase dashboard (paused or restarting?) \
                 and try again",
            ));
            false
        }
        _ => {
            checks.push(Check::ok(
                "supabase.api",
                format!("{api_url}/ answers ({})", root.describe()),
            ));
            true
        }
    };

    // 2. The key, from its text and from Supabase's answers.
    let kind = key_kind(sb.key.expose());
    let local_problem = key_problem(&kind, Utc::now());
    let key_fix = format!(
        "put the project's service_role key (or a secret key, sb_secret_…) in {}; find it in \
         the Supabase dashboard under Project Settings > API Keys",
        key_source(settings)
    );
    if !reachable {
        checks.push(match local_problem {
            Some(problem) => Check::fail("supabase.key", problem, key_fix),
            None => Check::skip("supabase.key", "not checked: Supabase cannot be reached"),
        });
        for name in [
            "supabase.schema",
            "supabase.migrations",
            "supabase.legacy_tasks",
        ] {
            checks.push(Check::skip(name, "not checked: Supabase cannot be reached"));
        }
        return checks;
    }
    let sessions = Answer::of(
        client
            .send(
                &Request::new(Method::GET, "teaching_sessions")
                    .query("select", SESSION_COLUMNS)
                    .query("limit", "0"),
            )
            .await,
    );
    let classes = Answer::of(
        client
            .send(
                &Request::new(Method::GET, "classes")
                    .query("select", CLASS_COLUMNS)
                    .query("limit", "0"),
            )
            .await,
    );
    // The API root may be closed to some keys on hosted Supabase: only the tables decide.
    let refusal = [&sessions, &classes].into_iter().find(|a| a.rejected());
    let key_ok = match (local_problem, refusal) {
        (Some(problem), refused) => {
            let detail = match refused {
                Some(answer) => format!("{problem} (Supabase: {})", answer.describe()),
                None => problem,
            };
            checks.push(Check::fail("supabase.key", detail, key_fix));
            false
        }
        (None, Some(answer)) => {
            checks.push(Check::fail(
                "supabase.key",
                format!("Supabase rejected the key: {}", answer.describe()),
                key_fix,
            ));
            false
        }
        (None, None) => {
            checks.push(Check::ok(
                "supabase.key",
                format!(
                    "accepted: {}, {} characters (hidden)",
                    key_label(&kind),
                    sb.key.expose().chars().count()
                ),
            ));
            true
        }
    };
    if !key_ok {
        for name in [
            "supabase.schema",
            "supabase.migrations",
            "supabase.legacy_tasks",
        ] {
            checks.push(Check::skip(name, "not checked: the key is not accepted"));
        }
        return checks;
    }

    // 3. Tables and columns.
    checks.push(schema_check(&[
        ("teaching_sessions", &sessions),
        ("classes", &classes),
    ]));

    // 4. Migrations up to date.
    let info = Answer::of(
        client
            .send(&Request::new(Method::POST, "rpc/attctl_schema_info").body(json!({})))
            .await,
    );
    checks.push(migrations_check(&info));

    // 5. Old rows that break attctl's rules.
    checks.push(rows::rows_check(&client).await);

    // 6. Sessions the original app scheduled: placeholders instead of run ids.
    if !matches!(sessions, Answer::Ok(_)) {
        checks.push(Check::skip(
            "supabase.legacy_tasks",
            "not checked: the teaching_sessions table is not usable",
        ));
        return checks;
    }
    let legacy = Answer::of(
        client
            .send(
                &Request::new(Method::GET, "teaching_sessions")
                    .query("select", "id")
                    .query("status", "eq.Open")
                    .query("and", format!("({})", legacy_task_conditions()))
                    .query("limit", "1")
                    .prefer("count=exact"),
            )
            .await,
    );
    checks.push(legacy_tasks_check(&legacy));
    checks
}

/// Open sessions whose `scheduled_task_id` names no run (the original app's `mock-task-…`):
/// nothing to fix, the sweep plans real runs for the future ones and closes the rest.
fn legacy_tasks_check(answer: &Answer) -> Check {
    const NAME: &str = "supabase.legacy_tasks";
    let total = match answer {
        Answer::Ok(resp) => resp.total(),
        other => {
            return Check::warn(
                NAME,
                format!(
                    "could not count sessions with legacy task ids: {}",
                    other.describe()
                ),
                APPLY_MIGRATIONS,
            );
        }
    };
    match total {
        Some(0) => Check::ok(NAME, "no Open session carries a legacy task id"),
        Some(n) => Check::ok(
            NAME,
            format!(
                "{} with legacy task ids (the original app's mock-task-…, not run ids); \
                 the sweep plans real runs for them",
                plural(usize::try_from(n).unwrap_or(usize::MAX), "Open session")
            ),
        ),
        None => Check::warn(
            NAME,
            "Supabase did not say how many sessions carry legacy task ids",
            "check that the API is PostgREST behind Supabase's gateway",
        ),
    }
}

fn schema_check(answers: &[(&str, &Answer)]) -> Check {
    let mut problems = Vec::new();
    for (table, answer) in answers {
        match answer {
            Answer::Ok(_) => {}
            Answer::Api { code, .. } if matches!(code.as_str(), "42703" | "PGRST204") => {
                problems.push(format!(
                    "{table}: a column is missing ({})",
                    answer.describe()
                ));
            }
            Answer::Api { code, .. } if matches!(code.as_str(), "42P01" | "PGRST205") => {
                problems.push(format!("table {table} is missing ({})", answer.describe()));
            }
            other => problems.push(format!("{table}: {}", other.describe())),
        }
    }
    if problems.is_empty() {
        Check::ok(
            "supabase.schema",
            "tables teaching_sessions and classes have every column attctl uses",
        )
    } else {
        Check::fail("supabase.schema", problems.join("; "), APPLY_MIGRATIONS)
    }
}

fn migrations_check(info: &Answer) -> Check {
    let body: Value = match info {
        Answer::Ok(resp) => match resp.json() {
            Ok(v) => v,
            Err(e) => return Check::warn("supabase.migrations", e.to_string(), APPLY_MIGRATIONS),
        },
        Answer::Api { code, .. }
            if matches!(code.as_str(), "PGRST202" | "42883" | "42P01" | "PGRST205") =>
        {
            return Check::fail(
                "supabase.migrations",
                format!(
                    "attctl_schema_info() is missing: the migrations were not applied ({})",
                    info.describe()
                ),
                APPLY_MIGRATIONS,
            );
        }
        other => {
            return Check::warn(
                "supabase.migrations",
                format!("the schema version cannot be read: {}", other.describe()),
                APPLY_MIGRATIONS,
            );
        }
    };
    let Some(version) = body.get("version").and_then(Value::as_str) else {
        return Check::warn(
            "supabase.migrations",
            "attctl_schema_info() returned no version",
            APPLY_MIGRATIONS,
        );
    };
    let names = |key: &str| -> Vec<String> {
        body.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (unvalidated, missing) = (
        names("unvalidated_constraints"),
        names("missing_constraints"),
    );
    match compare_versions(version, SCHEMA_VERSION) {
        std::cmp::Ordering::Less => Check::fail(
            "supabase.migrations",
            format!("the database is at migration {version}; this attctl needs {SCHEMA_VERSION}"),
            APPLY_MIGRATIONS,
        ),
        std::cmp::Ordering::Greater => Check::warn(
            "supabase.migrations",
            format!(
                "the database is at migration {version}, newer than this attctl knows \
                 ({SCHEMA_VERSION})"
            ),
            "upgrade attctl and attctl-worker",
        ),
        std::cmp::Ordering::Equal if !unvalidated.is_empty() || !missing.is_empty() => {
            let mut parts = Vec::new();
            if !unvalidated.is_empty() {
                parts.push(format!("not valid yet: {}", unvalidated.join(", ")));
            }
            if !missing.is_empty() {
                parts.push(format!("not created: {}", missing.join(", ")));
            }
            Check::warn(
                "supabase.migrations",
                format!(
                    "at {version}, but old rows break constraints ({})",
                    parts.join("; ")
                ),
                "fix the old rows that supabase.rows names (it gives each fix), then apply \
                 the migrations again",
            )
        }
        std::cmp::Ordering::Equal => {
            Check::ok("supabase.migrations", format!("up to date ({version})"))
        }
    }
}

/// Migration versions are timestamps; compare them as numbers when they are.
fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.trim().parse::<u128>(), b.trim().parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

// ----- Hatchet -----

/// Where to reach Hatchet and with what, from the settings or the token alone.
struct HatchetTarget {
    token: Secret,
    tenant: String,
    server_url: String,
    grpc_address: String,
}

async fn hatchet_checks(config: &ConfigOutcome) -> Vec<Check> {
    let Some(token) = &config.hatchet_token else {
        return if config.resolved {
            vec![Check::skip(
                "hatchet",
                "not configured (no HATCHET_CLIENT_TOKEN): attctl-worker closes sessions \
                 by itself",
            )]
        } else {
            Vec::new()
        };
    };
    let mut checks = Vec::new();
    let claims = match TokenClaims::parse(token.expose()) {
        Ok(claims) => claims,
        Err(e) => {
            checks.push(Check::fail(
                "hatchet.token",
                e.to_string(),
                NEW_HATCHET_TOKEN,
            ));
            for name in [
                "hatchet.api",
                "hatchet.grpc",
                "hatchet.task",
                "hatchet.worker",
            ] {
                checks.push(Check::skip(name, "not checked: the token is not usable"));
            }
            return checks;
        }
    };
    let target = match config.settings.as_ref().and_then(|s| s.hatchet.as_ref()) {
        Some(h) => HatchetTarget {
            token: h.token.clone(),
            tenant: h.tenant_id.clone(),
            server_url: h.server_url.clone(),
            grpc_address: h.grpc_address.clone(),
        },
        None => HatchetTarget {
            token: token.clone(),
            tenant: claims.tenant_id.clone(),
            server_url: claims.server_url.trim_end_matches('/').to_string(),
            grpc_address: claims.grpc_address.clone(),
        },
    };
    let now = Utc::now();
    let described = format!(
        "tenant {}; REST {}; gRPC {}",
        target.tenant,
        crate::config::redact_url(&target.server_url),
        target.grpc_address
    );
    checks.push(match claims.expires_at {
        Some(t) if t <= now => Check::fail(
            "hatchet.token",
            format!("the token expired on {}", t.format("%Y-%m-%d %H:%M UTC")),
            NEW_HATCHET_TOKEN,
        ),
        Some(t) if t - now < TOKEN_EXPIRY_WARNING => Check::warn(
            "hatchet.token",
            format!(
                "{described}; the token expires on {}",
                t.format("%Y-%m-%d %H:%M UTC")
            ),
            NEW_HATCHET_TOKEN,
        ),
        Some(t) => Check::ok(
            "hatchet.token",
            format!("{described}; expires {}", t.format("%Y-%m-%d")),
        ),
        None => Check::ok("hatchet.token", format!("{described}; does not expire")),
    });
    if claims.expires_at.is_some_and(|t| t <= now) {
        for name in [
            "hatchet.api",
            "hatchet.grpc",
            "hatchet.task",
            "hatchet.worker",
        ] {
            checks.push(Check::skip(name, "not checked: the token has expired"));
        }
        return checks;
    }

    let http = reqwest::Client::builder()
        .timeout(HTTP_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("attctl/", env!("CARGO_PKG_VERSION")))
        .build();
    let (api, grpc) = match http {
        Ok(http) => {
            let api = async {
                let scheduled =
                    hatchet_get(&http, &target, "workflows/scheduled", &[("limit", "1")]).await;
                let api_check = hatchet_api_check(&target, &scheduled);
                if api_check.status != CheckStatus::Ok {
                    return vec![
                        api_check,
                        Check::skip("hatchet.task", "not checked: the Hatchet API is not usable"),
                        Check::skip(
                            "hatchet.worker",
                            "not checked: the Hatchet API is not usable",
                        ),
                    ];
                }
                let (workflows, workers) = futures::join!(
                    hatchet_get(
                        &http,
                        &target,
                        "workflows",
                        &[("name", CLOSE_TASK), ("limit", "200")]
                    ),
                    hatchet_get(&http, &target, "worker", &[("limit", "200")]),
                );
                let worker = worker_check(&workers, Utc::now());
                let worker = match &config.settings {
                    Some(settings) => runs_taken(worker, settings, Utc::now()).await,
                    None => worker,
                };
                vec![api_check, task_check(&workflows), worker]
            };
            futures::join!(api, grpc_check(&target.grpc_address))
        }
        Err(e) => (
            vec![Check::fail(
                "hatchet.api",
                format!("cannot build the HTTP client: {e}"),
                "report this as a bug",
            )],
            grpc_check(&target.grpc_address).await,
        ),
    };
    let mut api = api.into_iter();
    checks.extend(api.next());
    checks.push(grpc);
    checks.extend(api);
    checks
}

/// The `hatchet.worker` check alone, for `attctl status`: is a worker connected that
/// serves the close task?
pub async fn hatchet_worker_check(h: &crate::config::HatchetSettings) -> Check {
    let target = HatchetTarget {
        token: h.token.clone(),
        tenant: h.tenant_id.clone(),
        server_url: h.server_url.clone(),
        grpc_address: h.grpc_address.clone(),
    };
    let http = reqwest::Client::builder()
        .timeout(HTTP_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("attctl/", env!("CARGO_PKG_VERSION")))
        .build();
    match http {
        Ok(http) => {
            let workers = hatchet_get(&http, &target, "worker", &[("limit", "200")]).await;
            worker_check(&workers, Utc::now())
        }
        Err(e) => Check::skip(
            "hatchet.worker",
            format!("cannot build the HTTP client: {e}"),
        ),
    }
}

/// A Hatchet REST answer: status and JSON body (Null when not JSON), or why there was none.
type HatchetAnswer = std::result::Result<(u16, Value), String>;

async fn hatchet_get(
    http: &reqwest::Client,
    target: &HatchetTarget,
    path: &str,
    query: &[(&str, &str)],
) -> HatchetAnswer {
    let url = format!(
        "{}/api/v1/tenants/{}/{path}",
        target.server_url, target.tenant
    );
    let mut auth =
        reqwest::header::HeaderValue::from_str(&format!("Bearer {}", target.token.expose()))
            .map_err(|_| "the token contains characters not allowed in a header".to_string())?;
    auth.set_sensitive(true);
    let resp = http
        .get(&url)
        .query(query)
        .header(reqwest::header::AUTHORIZATION, auth)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| describe_transport(&e, &target.server_url))?;
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| describe_transport(&e, &target.server_url))?;
    Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
}

fn describe_transport(e: &reqwest::Error, server: &str) -> String {
    format!(
        "{} {}",
        crate::config::redact_url(server),
        crate::store::postgrest::client::transport_reason(e)
    )
}

/// Hatchet's error body `{"errors":[{"description": ...}]}`, as one short line.
fn hatchet_message(status: u16, body: &Value) -> String {
    let description = body
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|errors| errors.first())
        .and_then(|e| e.get("description"))
        .and_then(Value::as_str)
        .map(|d| {
            d.lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect::<String>()
        });
    match description {
        Some(d) if !d.is_empty() => format!("HTTP {status}: {d}"),
        _ => format!("HTTP {status}"),
    }
}

fn hatchet_api_check(target: &HatchetTarget, answer: &HatchetAnswer) -> Check {
    match answer {
        Ok((status, _)) if (200..300).contains(status) => Check::ok(
            "hatchet.api",
            format!(
                "{} accepts the token",
                crate::config::redact_url(&target.server_url)
            ),
        ),
        Ok((status @ (401 | 403), body)) => Check::fail(
            "hatchet.api",
            format!(
                "Hatchet rejected the token ({})",
                hatchet_message(*status, body)
            ),
            NEW_HATCHET_TOKEN,
        ),
        Ok((status, body)) => Check::fail(
            "hatchet.api",
            format!(
                "{} answered {}",
                crate::config::redact_url(&target.server_url),
                hatchet_message(*status, body)
            ),
            "check HATCHET_CLIENT_SERVER_URL (or the token's server_url) and the engine's logs",
        ),
        Err(why) => Check::fail(
            "hatchet.api",
            format!("the Hatchet API cannot be reached: {why}"),
            "check that the engine runs and that HATCHET_CLIENT_SERVER_URL (or the token's \
             server_url) is reachable from here",
        ),
    }
}

async fn grpc_check(address: &str) -> Check {
    let connect = tokio::net::TcpStream::connect(address);
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok(_)) => Check::ok(
            "hatchet.grpc",
            format!(
                "{address} accepts TCP connections (only the connection is checked, not TLS \
                 or gRPC)"
            ),
        ),
        Ok(Err(e)) => Check::fail(
            "hatchet.grpc",
            format!("cannot connect to {address}: {e}"),
            "attctl-worker needs the engine's gRPC port: check HATCHET_CLIENT_HOST_PORT (or \
             the token's grpc_broadcast_address) and firewalls",
        ),
        Err(_) => Check::fail(
            "hatchet.grpc",
            format!(
                "connecting to {address} timed out after {}s",
                CONNECT_TIMEOUT.as_secs()
            ),
            "attctl-worker needs the engine's gRPC port: check HATCHET_CLIENT_HOST_PORT (or \
             the token's grpc_broadcast_address) and firewalls",
        ),
    }
}

fn rows(body: &Value) -> Option<&Vec<Value>> {
    body.get("rows").and_then(Value::as_array)
}

fn task_check(answer: &HatchetAnswer) -> Check {
    let (status, body) = match answer {
        Ok((status, body)) if (200..300).contains(status) => (*status, body),
        Ok((status, body)) => {
            return Check::skip(
                "hatchet.task",
                format!(
                    "whether {CLOSE_TASK} is registered cannot be seen ({})",
                    hatchet_message(*status, body)
                ),
            );
        }
        Err(why) => {
            return Check::skip(
                "hatchet.task",
                format!("whether {CLOSE_TASK} is registered cannot be seen: {why}"),
            );
        }
    };
    let Some(rows) = rows(body) else {
        return Check::skip(
            "hatchet.task",
            format!("whether {CLOSE_TASK} is registered cannot be seen (HTTP {status}, no rows)"),
        );
    };
    let found = rows.iter().any(|w| {
        w.get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case(CLOSE_TASK))
    });
    let more_pages = body
        .pointer("/pagination/num_pages")
        .and_then(Value::as_i64)
        .is_some_and(|n| n > 1);
    if found {
        Check::ok("hatchet.task", format!("{CLOSE_TASK} is registered"))
    } else if more_pages {
        Check::skip(
            "hatchet.task",
            format!("{CLOSE_TASK} is not on the first page of workflows: cannot be seen"),
        )
    } else {
        Check::fail(
            "hatchet.task",
            format!("{CLOSE_TASK} is not registered: scheduling session closes will fail"),
            format!("{START_WORKER}: it registers the task when it connects"),
        )
    }
}

fn worker_check(answer: &HatchetAnswer, now: DateTime<Utc>) -> Check {
    let body = match answer {
        Ok((status, body)) if (200..300).contains(status) => body,
        Ok((status, body)) => {
            return Check::skip(
                "hatchet.worker",
                format!(
                    "connected workers cannot be seen ({})",
                    hatchet_message(*status, body)
                ),
            );
        }
        Err(why) => {
            return Check::skip(
                "hatchet.worker",
                format!("connected workers cannot be seen: {why}"),
            );
        }
    };
    let Some(rows) = rows(body) else {
        return Check::skip(
            "hatchet.worker",
            "connected workers cannot be seen (no rows)",
        );
    };
    let active: Vec<&Value> = rows.iter().filter(|w| worker_active(w, now)).collect();
    if active.is_empty() {
        return Check::warn(
            "hatchet.worker",
            "no worker is connected: scheduled closes wait, then are cancelled after the \
             engine's schedule timeout",
            START_WORKER,
        );
    }
    let prefix = format!("{CLOSE_TASK}:");
    let listed = |w: &Value| {
        let actions = w.get("actions").and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .any(|a| a.to_ascii_lowercase().starts_with(&prefix))
        });
        let workflows = w
            .get("registeredWorkflows")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter().any(|r| {
                    r.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case(CLOSE_TASK))
                })
            });
        match (actions, workflows) {
            (None, None) => None,
            (a, r) => Some(a.unwrap_or(false) || r.unwrap_or(false)),
        }
    };
    let names = |ws: &[&Value]| -> String {
        ws.iter()
            .filter_map(|w| w.get("name").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ours: Vec<&Value> = active
        .iter()
        .copied()
        .filter(|w| listed(w) == Some(true))
        .collect();
    let unknown = active.iter().all(|w| listed(w).is_none());
    if !ours.is_empty() {
        Check::ok(
            "hatchet.worker",
            format!(
                "{} running {CLOSE_TASK}: {}",
                plural(ours.len(), "worker"),
                names(&ours)
            ),
        )
    } else if unknown {
        Check::ok(
            "hatchet.worker",
            format!(
                "{} connected ({}); whether they run {CLOSE_TASK} cannot be seen",
                plural(active.len(), "worker"),
                names(&active)
            ),
        )
    } else {
        Check::warn(
            "hatchet.worker",
            format!(
                "{} connected ({}), none runs {CLOSE_TASK}",
                plural(active.len(), "worker"),
                names(&active)
            ),
            START_WORKER,
        )
    }
}

/// How far back doctor looks for runs that should have closed their session.
const RUN_WINDOW: chrono::Duration = chrono::Duration::hours(1);
/// A run is late past this: the engine fires within ~5 s of the trigger and the close is
/// one write; the sweep's grace (15 s) has passed too.
const RUN_LATE: chrono::Duration = chrono::Duration::seconds(60);

/// A worker that heartbeats is listed ACTIVE even when its action stream is dead (after an
/// engine crash, hatchet-sdk 0.2.8 never listens again): the heartbeat proves nothing about
/// runs. What does is in our own store: sessions that had a Hatchet run and ended in the
/// last hour were closed by their run (`auto`), or are still Open / were closed by the
/// sweep. Runs offered and none taken fails the check; some missed warns. Better than a
/// probe run: it needs no write, no wait, and sees the runs that really mattered.
async fn runs_taken(worker: Check, settings: &Settings, now: DateTime<Utc>) -> Check {
    if worker.status != CheckStatus::Ok {
        return worker;
    }
    // A store that cannot be opened or read is the backend checks' to report.
    let Ok(store) = crate::backend::open_store(settings) else {
        return worker;
    };
    let health = tokio::time::timeout(
        HTTP_TIMEOUT,
        store.run_health(now - RUN_WINDOW, now - RUN_LATE),
    )
    .await;
    let Ok(Ok(health)) = health else {
        return worker;
    };
    match (health.taken, health.missed) {
        (_, 0) => worker,
        (0, missed) => Check::fail(
            "hatchet.worker",
            format!(
                "{}; yet none of the {missed} sessions with a Hatchet run that ended in the                  last hour was closed by its run (still Open, or closed late by the sweep):                  the workers heartbeat but take no runs",
                worker.detail
            ),
            "restart attctl-worker (an engine crash leaves older workers deaf), then check              its log for 'action stream lost'",
        ),
        (taken, missed) => Check::warn(
            "hatchet.worker",
            format!(
                "{}; {taken} sessions were closed by their run in the last hour, but {missed}                  with a run were not (still Open, or closed late by the sweep)",
                worker.detail
            ),
            "check attctl-worker's log for 'action stream lost' or restarts around those              sessions' ends",
        ),
    }
}

/// ACTIVE, or (when the engine does not say) a heartbeat in the last minute.
fn worker_active(worker: &Value, now: DateTime<Utc>) -> bool {
    if let Some(status) = worker.get("status").and_then(Value::as_str) {
        return status.eq_ignore_ascii_case("ACTIVE");
    }
    worker
        .get("lastHeartbeatAt")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| now - t.with_timezone(&Utc) < chrono::Duration::seconds(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn keys_are_recognised_without_the_server() {
        let now = Utc::now();
        let anon = key_kind(&jwt(r#"{"role":"anon","exp":4102444800}"#));
        assert!(key_problem(&anon, now).unwrap().contains("anon key"));
        let service = key_kind(&jwt(r#"{"role":"service_role","exp":4102444800}"#));
        assert_eq!(key_problem(&service, now), None);
        let expired = key_kind(&jwt(r#"{"role":"service_role","exp":1000}"#));
        assert!(key_problem(&expired, now).unwrap().contains("expired"));
        assert_eq!(key_kind("sb_secret_abc"), KeyKind::Secret);
        assert!(key_problem(&key_kind("sb_publishable_abc"), now).is_some());
        assert_eq!(key_kind("not-a-jwt"), KeyKind::Other);
    }

    #[test]
    fn versions_compare_as_timestamps() {
        use std::cmp::Ordering;
        // As numbers, not as text ("9" < "10"), whitespace ignored.
        assert_eq!(compare_versions("9", "10"), Ordering::Less);
        assert_eq!(
            compare_versions("20261130110000", "20261128110000"),
            Ordering::Greater
        );
        assert_eq!(
            compare_versions(" 20261130110000", "20261130110000 "),
            Ordering::Equal
        );
        // Not numbers: compared as text.
        assert_eq!(compare_versions("v2", "v10"), Ordering::Greater);
        assert_eq!(
            compare_versions("20200101000000", SCHEMA_VERSION),
            Ordering::Less
        );
    }

    #[test]
    fn workers_are_matched_by_their_actions() {
        let now = Utc::now();
        let answer: HatchetAnswer = Ok((
            200,
            json!({"rows": [
                {"name": "other", "status": "ACTIVE", "actions": ["x:y"]},
                {"name": "w1", "status": "ACTIVE", "actions": ["close-teaching-session:close-teaching-session"]},
                {"name": "old", "status": "INACTIVE", "actions": ["close-teaching-session:close-teaching-session"]},
            ]}),
        ));
        let check = worker_check(&answer, now);
        assert_eq!(check.status, CheckStatus::Ok, "{check:?}");
        assert!(check.detail.contains("w1") && !check.detail.contains("old"));
        let none: HatchetAnswer = Ok((200, json!({"rows": []})));
        assert_eq!(worker_check(&none, now).status, CheckStatus::Warn);
        let hidden: HatchetAnswer = Ok((404, Value::Null));
        assert_eq!(worker_check(&hidden, now).status, CheckStatus::Skip);
    }

    #[test]
    fn summary_counts_and_error_line() {
        let report = Report::new(vec![
            Check::ok("a", "x"),
            Check::fail("b", "y", "z"),
            Check::warn("c", "y", "z"),
        ]);
        assert_eq!(
            (report.summary.ok, report.summary.warn, report.summary.fail),
            (1, 1, 1)
        );
        let v = serde_json::to_value(&report).unwrap();
        assert_eq!(v["checks"][0]["fix"], Value::Null);
        assert_eq!(v["checks"][1]["status"], "fail");
    }
}
