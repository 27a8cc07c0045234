//! Shell completions and man pages, generated from the clap definitions in [`crate::cli`].
//! `attctl generate-assets` (hidden) rewrites `completions/` and `man/`; a test
//! (`tests/it/assets.rs`) fails when the committed copies are out of date.
//!
//! The output depends only on the clap definitions and the package version: no dates, no
//! paths, no environment values.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, WorkerCli};
use crate::config::vars;
use crate::error::{Error, Result, exit};

pub(crate) fn completions(shell: Shell) -> Result<()> {
    let mut cmd = visible(&Cli::command());
    clap_complete::generate(shell, &mut cmd, "attctl", &mut std::io::stdout());
    Ok(())
}

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

/// Writes `completions/` and `man/` under `out_dir`.
pub(crate) fn write_assets(out_dir: &Path) -> Result<()> {
    let completions = out_dir.join("completions");
    let man = out_dir.join("man");
    for dir in [&completions, &man] {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    for (name, cmd) in [
        ("attctl", Cli::command()),
        ("attctl-worker", WorkerCli::command()),
    ] {
        let cmd = visible(&cmd);
        for shell in SHELLS {
            let mut cmd = cmd.clone();
            clap_complete::generate_to(shell, &mut cmd, name, &completions)
                .map_err(|e| Error::io(format!("writing {shell} completions"), e))?;
        }
    }
    // The plain version: committed pages must not change with every commit.
    let plain = env!("CARGO_PKG_VERSION");
    write_man_pages(Cli::command().version(plain), "1", &attctl_sections(), &man)?;
    write_man_pages(
        WorkerCli::command().version(plain),
        "8",
        &worker_sections(),
        &man,
    )?;
    Ok(())
}

/// The command without its hidden subcommands (`generate-assets`): clap_complete lists
/// every subcommand, hidden or not, so they are left out of a copy made for completions.
fn visible(cmd: &clap::Command) -> clap::Command {
    let mut out = clap::Command::new(cmd.get_name().to_string())
        .args(cmd.get_arguments().cloned())
        .groups(cmd.get_groups().cloned())
        .subcommand_required(cmd.is_subcommand_required_set())
        .propagate_version(cmd.is_propagate_version_set())
        .disable_help_subcommand(cmd.is_disable_help_subcommand_set())
        .hide(cmd.is_hide_set());
    if let Some(version) = cmd.get_version() {
        out = out.version(version.to_string());
    }
    if let Some(about) = cmd.get_about() {
        out = out.about(about.clone());
    }
    if let Some(about) = cmd.get_long_about() {
        out = out.long_about(about.clone());
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        out = out.subcommand(visible(sub));
    }
    out
}

/// One page for the command and one per visible subcommand (`attctl-session-create.1`, …);
/// the top page also gets ENVIRONMENT, FILES and EXIT STATUS.
fn write_man_pages(cmd: clap::Command, section: &str, extra: &str, dir: &Path) -> Result<()> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    write_page(&cmd, cmd.get_name(), section, extra, dir)?;
    write_subpages(&cmd, cmd.get_name().to_string(), section, dir)
}

fn write_subpages(cmd: &clap::Command, prefix: String, section: &str, dir: &Path) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{prefix}-{}", sub.get_name());
        write_page(sub, &name, section, "", dir)?;
        write_subpages(sub, name, section, dir)?;
    }
    Ok(())
}

fn write_page(
    cmd: &clap::Command,
    name: &str,
    section: &str,
    extra: &str,
    dir: &Path,
) -> Result<()> {
    let page = cmd.clone().name(name.to_string());
    let manual = if section == "8" {
        "System Manager's Manual"
    } else {
        "User Commands"
    };
    let man = clap_mangen::Man::new(page)
        .section(section)
        .source(format!("attctl {}", env!("CARGO_PKG_VERSION")))
        .manual(manual);
    let mut buf = Vec::new();
    man.render(&mut buf)
        .map_err(|e| Error::io(format!("rendering man page {name}"), e))?;
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    if !extra.is_empty() {
        // Before VERSION, where man pages keep these sections.
        match text.find("\n.SH VERSION") {
            Some(at) => text.insert_str(at + 1, extra),
            None => text.push_str(extra),
        }
    }
    let path = dir.join(format!("{name}.{section}"));
    std::fs::write(&path, text).map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// Escapes text for roff: backslashes, and hyphens so that they stay ASCII hyphens.
fn roff(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// `.TP` entries of a list: `(term, description)`.
fn entries(items: &[(String, &str)]) -> String {
    items
        .iter()
        .map(|(term, desc)| format!(".TP\n\\fB{}\\fR\n{}\n", roff(term), roff(desc)))
        .collect()
}

fn common_environment() -> Vec<(String, &'static str)> {
    vec![
        (
            vars::SUPABASE_URL.into(),
            "Supabase project URL (https://<project>.supabase.co). When set, sessions are stored \
             in Supabase instead of the local file.",
        ),
        (
            vars::SUPABASE_KEYS.join(", "),
            "The project's service_role key or secret key (the first one set is used). Never \
             the anon or publishable key.",
        ),
        (
            vars::HATCHET_TOKEN.into(),
            "Hatchet API token. When set, the close of each session is scheduled in Hatchet.",
        ),
        (
            vars::HATCHET_TLS.into(),
            "tls (default) or none, for a Hatchet engine without TLS.",
        ),
        (
            format!("{}, {}", vars::HATCHET_HOST_PORT, vars::HATCHET_SERVER_URL),
            "Override the gRPC address and the REST URL named in the Hatchet token (set them \
             where the token is set).",
        ),
        (
            vars::ALLOW_MIXED_SOURCES.into(),
            "1 allows a key or token to be sent to an address set in another place (flag, \
             environment, .env, profile); refused otherwise. Read from the environment only.",
        ),
        (
            format!("{}, {}", vars::CONFIG, vars::PROFILE),
            "Config file and profile to use.",
        ),
        (
            format!("{}, {}, {}", vars::BACKEND, vars::DATA_FILE, vars::TIMEZONE),
            "Backend (supabase or local), SQLite file of the local backend, IANA timezone of \
             session dates and times.",
        ),
        (
            vars::HTTP_TIMEOUT.into(),
            "Seconds before a request to Supabase or Hatchet gives up (default 30).",
        ),
        (
            "RUST_LOG".into(),
            "Log filter for diagnostics on stderr (see also --debug).",
        ),
    ]
}

/// The warning and notification settings (the list `--help` shows too).
fn notify_environment() -> Vec<(String, &'static str)> {
    crate::cli::NOTIFY_SETTINGS
        .iter()
        .map(|s| (s.vars.join(", "), s.what))
        .collect()
}

fn files_section() -> String {
    format!(
        ".SH FILES\n{}",
        entries(&[
            (
                "$XDG_CONFIG_HOME/attctl/config.toml".into(),
                "Config file with named profiles (keep it mode 0600: it may hold keys).",
            ),
            (
                "$XDG_DATA_HOME/attctl/attctl.db".into(),
                "SQLite file of the local backend (created on demand only here; an explicit \
                 path needs an existing directory).",
            ),
            (
                "./.env".into(),
                "Variables read from the current directory; the process environment wins. \
                 Ignored when owned by another user or writable by others.",
            ),
        ])
    )
}

fn exit_section() -> String {
    let items: Vec<(String, &str)> = exit::MEANINGS
        .iter()
        .map(|(code, _, what)| (code.to_string(), *what))
        .collect();
    format!(".SH \"EXIT STATUS\"\n{}", entries(&items))
}

fn attctl_sections() -> String {
    let mut env = common_environment();
    env.extend(notify_environment());
    env.push((
        "NO_COLOR, CLICOLOR, CLICOLOR_FORCE".into(),
        "Colour conventions, honoured by --color auto.",
    ));
    format!(
        ".SH ENVIRONMENT\n{}{}{}",
        entries(&env),
        files_section(),
        exit_section()
    )
}

fn worker_sections() -> String {
    let mut env = common_environment();
    env.extend(notify_environment());
    env.push((
        "ATTCTL_SWEEP_INTERVAL".into(),
        "Seconds between reconciliation sweeps (--sweep-interval).",
    ));
    env.push((
        "ATTCTL_WORKER_NAME".into(),
        "Worker name shown in Hatchet (run --name).",
    ));
    format!(
        ".SH ENVIRONMENT\n{}{}{}",
        entries(&env),
        files_section(),
        exit_section()
    )
}
