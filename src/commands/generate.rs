//! Shell completions and man pages, generated from the clap definitions in [`crate::cli`].
//! `attctl generate-assets` (hidden) rewrites `completions/` and `man/`; a test fails when
//! the committed copies are out of date.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, WorkerCli};
use crate::error::{Error, Result};

pub fn completions(shell: Shell) -> Result<()> {
    let mut cmd = Cli::command();
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
pub fn write_assets(out_dir: &Path) -> Result<()> {
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
        for shell in SHELLS {
            let mut cmd = cmd.clone();
            clap_complete::generate_to(shell, &mut cmd, name, &completions)
                .map_err(|e| Error::io(format!("writing {shell} completions"), e))?;
        }
    }
    write_man_pages(Cli::command(), "1", &man)?;
    write_man_pages(WorkerCli::command(), "8", &man)?;
    Ok(())
}

/// One page for the command and one per subcommand (`attctl-session-create.1`, …).
fn write_man_pages(cmd: clap::Command, section: &str, dir: &Path) -> Result<()> {
    let cmd = cmd.disable_help_subcommand(true);
    let mut cmd = cmd;
    cmd.build();
    write_page(&cmd, cmd.get_name(), section, dir)?;
    write_subpages(&cmd, cmd.get_name().to_string(), section, dir)
}

fn write_subpages(cmd: &clap::Command, prefix: String, section: &str, dir: &Path) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{prefix}-{}", sub.get_name());
        write_page(sub, &name, section, dir)?;
        write_subpages(sub, name, section, dir)?;
    }
    Ok(())
}

fn write_page(cmd: &clap::Command, name: &str, section: &str, dir: &Path) -> Result<()> {
    let page = cmd.clone().name(name.to_string());
    let man = clap_mangen::Man::new(page).section(section);
    let mut buf = Vec::new();
    man.render(&mut buf)
        .map_err(|e| Error::io(format!("rendering man page {name}"), e))?;
    let path = dir.join(format!("{name}.{section}"));
    std::fs::write(&path, buf).map_err(|e| Error::io(format!("writing {}", path.display()), e))
}
