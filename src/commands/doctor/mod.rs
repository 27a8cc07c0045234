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

use chrono::{DateTime, Utc};
use comfy_table::{Cell, Color};
use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::{DoctorArgs, OutputFormat};
use crate::config::{
    BackendSettings, Environment, HttpSettings, Overrides, Settings, Source, SupabaseAccess,
    SupabaseSettings, resolve, unix_mode, vars,
};
use crate::error::{Error, Result};
use crate::http::{ClientError, CodeClass, Request, Response, code_class};
use crate::jwt::{TokenClaims, jwt_payload};
use crate::output::{Detail, Output, Row, Style, printable};
use crate::scheduler::{CLOSE_TASK, WARN_TASK};
use crate::secret::{KeyKind, Secret};
use crate::store::postgrest::{PostgrestStore, legacy_task_conditions};
use crate::store::sqlite::SqliteStore;

mod config;
mod hatchet;
mod local;
mod registers;
mod rows;
mod school;
mod staff;
mod supabase;

use config::*;
pub(crate) use hatchet::hatchet_worker_check;
use hatchet::*;
use local::*;
use supabase::*;

/// The newest migration under `supabase/migrations` this build expects (its file name's
/// timestamp; `attctl_schema_info()` returns it as `version`). A test compares it with the
/// migration files, so a new migration without a bump here fails the build's tests.
pub const SCHEMA_VERSION: &str = "20261205180000";

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
            // Details quote servers' answers (an SMTP greeting, a refusal): escaped here.
            Cell::new(printable(&self.detail)),
            Cell::new(printable(self.fix.as_deref().unwrap_or(""))),
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
        OutputFormat::Table | OutputFormat::Wide => {
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
    let Some(sb) = crate::backend::supabase(&settings) else {
        // The file enforces every rule on every row; what a hand edit can still break is
        // the closing instant, which nothing recomputes there.
        return match &settings.backend {
            BackendSettings::Local { data_file } => (local_repair(data_file, dry_run).await, None),
            _ => (Check::skip("supabase.repair", "nothing to repair"), None),
        };
    };
    match PostgrestStore::new(sb, &settings.http) {
        Ok(store) => rows::repair(&store, dry_run).await,
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
                BackendSettings::Supabase(sb) if sb.access == SupabaseAccess::Staff => {
                    staff::staff_checks(sb, settings).await
                }
                BackendSettings::Supabase(sb) => supabase_checks(sb, settings).await,
                BackendSettings::Local { data_file } => local_checks(data_file, settings).await,
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

/// Each configured channel: its receiver accepts a connection (nothing is sent). The
/// channels are checked at the same time, each within its deadline (5 s to connect, the
/// SMTP dialogue within `outbox::REQUEST_TIMEOUT`), so these checks answer within 10 s.
async fn notify_checks(config: &ConfigOutcome) -> Vec<Check> {
    let Some(settings) = &config.settings else {
        return Vec::new();
    };
    let n = &settings.notify;
    let webhook = async {
        let Some(w) = &n.webhook else {
            return Vec::new();
        };
        let mut checks = vec![match crate::notify::probe(&w.url).await {
            Ok(()) => Check::ok(
                "notify.webhook",
                format!(
                    "{} accepts connections; {}",
                    crate::secret::redact_url(&w.url),
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
        }];
        if w.secret.is_none() {
            checks.push(Check::warn(
                "notify.webhook.secret",
                "no ATTCTL_WEBHOOK_SECRET: receivers cannot tell attctl's requests from others",
                "set ATTCTL_WEBHOOK_SECRET=whsec_<base64>",
            ));
        }
        checks
    };
    let slack = async {
        let Some(url) = &n.slack_url else {
            return Vec::new();
        };
        vec![match crate::notify::probe(url.expose()).await {
            Ok(()) => Check::ok("notify.slack", "the Slack webhook host accepts connections"),
            Err(why) => Check::fail(
                "notify.slack",
                why,
                "check ATTCTL_SLACK_WEBHOOK_URL and the network",
            ),
        }]
    };
    let email = async {
        match &n.email {
            Some(email) => vec![email_check(email).await],
            None => Vec::new(),
        }
    };
    let (webhook, slack, email) = futures::join!(webhook, slack, email);
    webhook.into_iter().chain(slack).chain(email).collect()
}

/// The SMTP server greets, takes EHLO, secures the connection as configured and accepts the
/// login, without being sent a message.
async fn email_check(email: &crate::config::notify::EmailChannel) -> Check {
    let url = &email.url;
    let steps = format!(
        "greeting and EHLO{}{}",
        match url.security {
            crate::config::notify::Security::Plain => "",
            crate::config::notify::Security::Opportunistic => ", STARTTLS when offered",
            crate::config::notify::Security::StartTls => ", STARTTLS",
            crate::config::notify::Security::Tls => " over TLS",
        },
        if url.user.is_some() { ", AUTH" } else { "" }
    );
    match email.check(crate::notify::outbox::REQUEST_TIMEOUT).await {
        Ok(()) if url.sends_password_in_clear() => Check::warn(
            "notify.email",
            format!(
                "{} answers ({steps} ok), but the password crosses the network unencrypted",
                url.redacted()
            ),
            "use smtps:// or add ?tls=required to ATTCTL_SMTP_URL",
        ),
        Ok(()) => Check::ok(
            "notify.email",
            format!(
                "{} answers: {steps} ok; {}",
                url.redacted(),
                if email.to.is_empty() {
                    "no ATTCTL_MAIL_TO, so only classes with --notify-email get mail".to_string()
                } else {
                    format!(
                        "mail goes to {} and each class's recipients",
                        email.to.join(", ")
                    )
                }
            ),
        ),
        Err(why) => Check::fail(
            "notify.email",
            format!("{}: {why}", url.redacted()),
            "check ATTCTL_SMTP_URL (host, port, smtp:// or smtps://, ?tls=required, user and \
             password) and that the mail server runs",
        ),
    }
}

// ----- configuration -----

/// Supabase settings that are present but unused because the local backend was chosen
/// (a `backend = "local"` line, ATTCTL_BACKEND or --backend): almost always a surprise, as
/// sessions then go to the SQLite file while the person thinks they reach Supabase.
fn local_despite_supabase(settings: &Settings) -> Option<Check> {
    // Only a local backend can be a surprise here.
    crate::backend::data_file(settings)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn jwt(claims: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn keys_are_recognised_without_the_server() {
        let now = Utc::now();
        let anon = key_facts(&jwt(r#"{"role":"anon","exp":4102444800}"#));
        assert!(key_problem(&anon, now).unwrap().contains("anon key"));
        let service = key_facts(&jwt(r#"{"role":"service_role","exp":4102444800}"#));
        assert_eq!(key_problem(&service, now), None);
        let expired = key_facts(&jwt(r#"{"role":"service_role","exp":1000}"#));
        assert!(key_problem(&expired, now).unwrap().contains("expired"));
        assert_eq!(key_facts("sb_secret_abc").kind, KeyKind::Secret);
        assert!(key_problem(&key_facts("sb_publishable_abc"), now).is_some());
        assert_eq!(key_facts("not-a-jwt").kind, KeyKind::Other);
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
