//! `attctl config show|path|init`.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::Context;
use crate::cli::ConfigCommand;
use crate::config::{Origin, Overrides, config_file_path};
use crate::error::{Error, Result};
use crate::output::{Detail, Output, Row, Style};

pub(crate) fn run(cmd: ConfigCommand, ctx: &mut Context) -> Result<()> {
    match cmd {
        ConfigCommand::Show => show(ctx),
        // Handled before settings are resolved (they must work with a broken config).
        ConfigCommand::Path | ConfigCommand::Init { .. } => Ok(()),
    }
}

#[derive(Serialize)]
struct PathReport {
    path: PathBuf,
    exists: bool,
}

impl Detail for PathReport {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        vec![
            ("path", comfy_table::Cell::new(self.path.display())),
            ("exists", comfy_table::Cell::new(self.exists)),
        ]
    }
}

pub(crate) fn path(overrides: &Overrides, out: &mut Output) -> Result<()> {
    let path = config_file_path(overrides);
    let exists = path.is_file();
    if !exists && !out.format_is_explicit() {
        out.note("(no file there yet: `attctl config init` writes one)");
    }
    out.value(&path.display().to_string(), &PathReport { path, exists })
}

const TEMPLATE: &str = r#"# attctl configuration. Values here are the lowest-precedence source:
# command-line flags, then environment variables, then ./.env override them.
# This file may hold keys: keep it private (mode 0600).

# Profile used when neither --profile nor ATTCTL_PROFILE names one.
default_profile = "default"

[profiles.default]
# Where sessions live: "local" (SQLite file, no account needed) or "supabase".
# Left unset, it is inferred: supabase when SUPABASE_URL (or supabase_url) is set, else local.
# backend = "local"
# data_file = "/var/lib/attctl/attctl.db"

# IANA timezone of session dates and times (default: the machine's zone).
# timezone = "Europe/London"

# Supabase project (backend = "supabase"): the project URL and a service-role or secret key.
# supabase_url = "https://YOUR-PROJECT.supabase.co"
# supabase_key = "sb_secret_..."

# Hatchet (optional): schedules the automatic close of each session.
# hatchet_token = "eyJ..."
# hatchet_tls_strategy = "tls"        # or "none" for a local engine
# hatchet_host_port = "hatchet.example.org:7070"
# hatchet_server_url = "https://hatchet.example.org"
# Task runs the engine accepts per 24 hours, when it enforces limits (its
# SERVER_LIMITS_DEFAULT_TASK_RUN_LIMIT): `attctl doctor` warns when more are planned.
# hatchet_run_limit = 50000

# Seconds before an HTTP request to Supabase or Hatchet gives up.
# http_timeout_secs = 30

# Registers at close, on the original app's database only (attendances, class_students):
# mark active students with no mark absent, and check-ins later than the start plus N late.
# automark = "absent"
# late_after = "10m"
"#;

/// The template: [`TEMPLATE`], then the warning and notification settings (from the one
/// list the help and man pages use too), keys as commented examples and what only the
/// environment sets as comments.
fn template() -> String {
    let mut text = String::from(TEMPLATE);
    text.push_str(
        "\n# Warnings and notifications, delivered by attctl-worker (also in `attctl notify --help`).\n",
    );
    for s in &crate::cli::NOTIFY_SETTINGS {
        let what = format!("{}: {}", s.vars.join(", "), s.what);
        for line in crate::cli::wrap(&what, 86) {
            text.push_str(&format!("# {line}\n"));
        }
        match s.example {
            Some(example) => text.push_str(&format!("# {example}\n")),
            None => text.push_str("#   (environment only; not a profile key)\n"),
        }
    }
    text
}

pub(crate) fn init(overrides: &Overrides, force: bool, out: &mut Output) -> Result<()> {
    let path = config_file_path(overrides);
    if path.exists() && !force {
        return Err(Error::Conflict(format!(
            "{} already exists (use --force to overwrite)",
            path.display()
        )));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    #[cfg(unix)]
    {
        // An existing file keeps its old mode on open: tighten it explicitly.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(format!("chmod {}", path.display()), e))?;
    }
    file.write_all(template().as_bytes())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    out.note("wrote a commented config file (mode 0600):");
    out.value(
        &path.display().to_string(),
        &PathReport { path, exists: true },
    )
}

#[derive(Serialize)]
struct Shown<'a> {
    profile: &'a str,
    config_file: &'a std::path::Path,
    settings: &'a [Origin],
}

impl Row for Origin {
    fn headers() -> &'static [&'static str] {
        &["SETTING", "VALUE", "SOURCE"]
    }
    fn cells(&self, _style: &Style) -> Vec<comfy_table::Cell> {
        vec![
            comfy_table::Cell::new(self.key),
            comfy_table::Cell::new(&self.value),
            comfy_table::Cell::new(self.source.to_string()),
        ]
    }
}

impl Detail for Shown<'_> {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        let mut fields = vec![
            ("profile", comfy_table::Cell::new(self.profile)),
            (
                "config_file",
                comfy_table::Cell::new(self.config_file.display()),
            ),
        ];
        for o in self.settings {
            fields.push((
                o.key,
                comfy_table::Cell::new(format!("{}  ({})", o.value, o.source)),
            ));
        }
        fields
    }
}

fn show(ctx: &mut Context) -> Result<()> {
    let shown = Shown {
        profile: &ctx.settings.profile,
        config_file: &ctx.settings.config_file,
        settings: &ctx.settings.origins,
    };
    ctx.out.detail(&shown)
}
