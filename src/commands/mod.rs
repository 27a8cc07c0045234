//! One module per subcommand. Each turns parsed arguments into service calls and hands the
//! results to [`crate::output`]; none prints data itself or decides an exit code.

pub mod class;
pub mod config;
pub mod doctor;
pub mod generate;
pub mod holiday;
pub mod session;
pub mod timetable;

use chrono::Utc;
use chrono_tz::Tz;
use serde::Serialize;

use crate::cli::{Cli, Command};
use crate::config::{BackendSettings, Environment, Settings};
use crate::error::Result;
use crate::output::{Output, Row, Style};
use crate::service::SessionService;

/// What every command gets: settings, output, and (built on demand) the service.
pub struct Context {
    pub settings: Settings,
    pub out: Output,
}

impl Context {
    pub fn service(&self) -> Result<SessionService> {
        crate::backend::service(&self.settings)
    }

    pub fn zone(&self) -> Tz {
        self.settings.timezone
    }

    pub fn today(&self) -> chrono::NaiveDate {
        crate::clock::today_in(self.zone(), Utc::now())
    }
}

pub async fn dispatch(cli: Cli) -> Result<()> {
    let mut out = Output::new(cli.output, cli.color);
    // Commands that need no settings run even when the configuration is broken.
    match &cli.command {
        Command::Completions { shell } => return generate::completions(*shell),
        Command::GenerateAssets { out_dir } => return generate::write_assets(out_dir),
        Command::Config(crate::cli::ConfigCommand::Path) => {
            return config::path(&cli.global.overrides(), &mut out);
        }
        Command::Config(crate::cli::ConfigCommand::Init { force }) => {
            return config::init(&cli.global.overrides(), *force, &mut out);
        }
        Command::Doctor(args) => return doctor::run(&cli.global.overrides(), args, &mut out).await,
        _ => {}
    }
    let env = Environment::load()?;
    let settings = crate::config::resolve(&cli.global.overrides(), &env)?;
    for warning in &settings.warnings {
        out.warn(warning);
    }
    let mut ctx = Context { settings, out };
    match cli.command {
        Command::Session(cmd) => session::run(cmd, &mut ctx).await,
        Command::Class(cmd) => class::run(cmd, &mut ctx).await,
        Command::Holiday(cmd) => holiday::run(cmd, &mut ctx).await,
        Command::Config(cmd) => config::run(cmd, &mut ctx),
        Command::Doctor(_) | Command::Completions { .. } | Command::GenerateAssets { .. } => Ok(()),
    }
}

/// A request a command would make, printed by `--dry-run` instead of being sent.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRequest {
    pub step: usize,
    pub method: &'static str,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    pub note: String,
}

impl Row for PlannedRequest {
    fn headers() -> &'static [&'static str] {
        &["STEP", "METHOD", "TARGET", "NOTE"]
    }
    fn cells(&self, _style: &Style) -> Vec<comfy_table::Cell> {
        vec![
            comfy_table::Cell::new(self.step),
            comfy_table::Cell::new(self.method),
            comfy_table::Cell::new(&self.target),
            comfy_table::Cell::new(&self.note),
        ]
    }
}

/// Builds the dry-run description of requests against the configured backend.
pub struct Plan<'a> {
    settings: &'a Settings,
    steps: Vec<PlannedRequest>,
}

impl<'a> Plan<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        Plan {
            settings,
            steps: Vec::new(),
        }
    }

    /// A store request on `table` with a PostgREST-style query (shown as SQL intent locally).
    pub fn store(
        &mut self,
        method: &'static str,
        table: &str,
        query: &str,
        body: Option<serde_json::Value>,
        note: impl Into<String>,
    ) {
        let target = match &self.settings.backend {
            BackendSettings::Supabase(sb) => {
                let q = if query.is_empty() {
                    String::new()
                } else {
                    format!("?{query}")
                };
                format!("{}/rest/v1/{table}{q}", crate::config::redact_url(&sb.url))
            }
            BackendSettings::Local { data_file } => {
                format!("sqlite:{} {table} {query}", data_file.display())
            }
        };
        self.push(method, target, body, note);
    }

    /// A scheduler request (Hatchet REST, or the local worker's bookkeeping).
    pub fn scheduler(
        &mut self,
        method: &'static str,
        path: &str,
        body: Option<serde_json::Value>,
        note: impl Into<String>,
    ) {
        let target = match &self.settings.hatchet {
            Some(h) => format!(
                "{}/api/v1/tenants/{}/{path}",
                crate::config::redact_url(&h.server_url),
                h.tenant_id
            ),
            None => "local worker (no request: it watches the data file)".to_string(),
        };
        self.push(method, target, body, note);
    }

    fn push(
        &mut self,
        method: &'static str,
        target: String,
        body: Option<serde_json::Value>,
        note: impl Into<String>,
    ) {
        self.steps.push(PlannedRequest {
            step: self.steps.len() + 1,
            method,
            target,
            body,
            note: note.into(),
        });
    }

    pub fn print(self, out: &mut Output) -> Result<()> {
        out.list(&self.steps)?;
        out.note("dry run: nothing was changed");
        Ok(())
    }
}
