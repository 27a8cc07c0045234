//! `--help` of every command and subcommand of both binaries, compared with the snapshots in
//! `tests/snapshots/help/`. `UPDATE_SNAPSHOTS=1 cargo test --test it help::` rewrites them.
//!
//! The commands are found by walking the clap definitions, so a new subcommand gets a
//! snapshot without touching this file. Help is rendered as in a clean environment: no
//! terminal (stdin, stdout and stderr are not TTYs), `COLUMNS=100`, and no variable that
//! clap would show as an `[env: NAME=value]` value.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use clap::CommandFactory;

const UPDATE: &str = "UPDATE_SNAPSHOTS";
const CHILD: &str = "ATTCTL_HELP_SNAPSHOT_CHILD";
const BEGIN: &str = "----- attctl help snapshots begin -----";
const END: &str = "----- attctl help snapshots end -----";

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help")
}

/// Argument paths of every subcommand (hidden ones included), depth first.
fn command_paths(cmd: &clap::Command) -> Vec<Vec<String>> {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut out = vec![Vec::new()];
    walk(&cmd, &mut Vec::new(), &mut out);
    out
}

fn walk(cmd: &clap::Command, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue; // clap's own `help` subcommand
        }
        prefix.push(sub.get_name().to_string());
        out.push(prefix.clone());
        walk(sub, prefix, out);
        prefix.pop();
    }
}

fn snapshot_name(bin: &str, path: &[String]) -> String {
    std::iter::once(bin.to_string())
        .chain(path.iter().cloned())
        .collect::<Vec<_>>()
        .join("-")
}

/// `attctl <path> --help` from the real binary, in a clean environment without a terminal.
fn attctl_help(path: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_attctl"))
        .args(path)
        .arg("--help")
        .env_clear()
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run attctl --help");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "attctl {} --help: {}\n{}",
        path.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What `attctl-worker <path> --help` prints, rendered by the worker's clap definition.
fn worker_help(path: &[String]) -> String {
    use clap::Parser;
    let args = std::iter::once("attctl-worker".to_string())
        .chain(path.iter().cloned())
        .chain(std::iter::once("--help".to_string()));
    match attctl::cli::WorkerCli::try_parse_from(args) {
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => e.render().to_string(),
        other => panic!(
            "attctl-worker {} --help did not print help: {other:?}",
            path.join(" ")
        ),
    }
}

/// The worker's help is rendered in this test binary, started again with a clean
/// environment and no terminal, so that nothing of the developer's shell leaks in.
#[test]
fn worker_help_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let helps: BTreeMap<String, String> = command_paths(&attctl::cli::WorkerCli::command())
        .iter()
        .map(|path| (snapshot_name("attctl-worker", path), worker_help(path)))
        .collect();
    let json = serde_json::to_string(&helps).expect("serialise");
    println!("\n{BEGIN}\n{json}\n{END}");
}

fn worker_helps() -> BTreeMap<String, String> {
    let exe = std::env::current_exe().expect("test binary path");
    // The test's name inside the one test binary: `help::worker_help_child`.
    let child = module_path!()
        .split_once("::")
        .map_or(String::new(), |(_, module)| format!("{module}::"))
        + "worker_help_child";
    let out = Command::new(exe)
        .args([child.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env(CHILD, "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = stdout
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(json, _)| json.trim())
        .unwrap_or_else(|| {
            panic!(
                "the child run printed no snapshots ({}):\n{stdout}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
        });
    serde_json::from_str(json).expect("snapshots JSON")
}

fn current_helps() -> BTreeMap<String, String> {
    let mut helps: BTreeMap<String, String> = command_paths(&attctl::cli::Cli::command())
        .iter()
        .map(|path| (snapshot_name("attctl", path), attctl_help(path)))
        .collect();
    helps.extend(worker_helps());
    helps
}

/// Where two texts first differ, for the failure message.
fn first_difference(old: &str, new: &str) -> String {
    let (mut old_lines, mut new_lines) = (old.lines(), new.lines());
    for n in 1.. {
        match (old_lines.next(), new_lines.next()) {
            (None, None) => break,
            (a, b) if a == b => continue,
            (a, b) => {
                return format!(
                    "line {n}:\n  - {}\n  + {}",
                    a.unwrap_or("<end>"),
                    b.unwrap_or("<end>")
                );
            }
        }
    }
    "whitespace at the end".into()
}

#[test]
fn help_matches_snapshots() {
    let helps = current_helps();
    assert!(helps.contains_key("attctl"), "{:?}", helps.keys());
    assert!(helps.contains_key("attctl-session-create"));
    assert!(helps.contains_key("attctl-worker-run"));
    for (name, text) in &helps {
        assert!(text.contains("Usage:"), "{name}: {text}");
        assert!(!text.contains('\x1b'), "{name} has escape codes");
    }

    let dir = snapshot_dir();
    let update = std::env::var_os(UPDATE).is_some_and(|v| !v.is_empty() && v != "0");
    let existing: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter_map(|n| n.strip_suffix(".txt").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();

    if update {
        std::fs::create_dir_all(&dir).expect("create the snapshot dir");
        for (name, text) in &helps {
            std::fs::write(dir.join(format!("{name}.txt")), text).expect("write snapshot");
        }
        for stale in existing.iter().filter(|n| !helps.contains_key(*n)) {
            std::fs::remove_file(dir.join(format!("{stale}.txt"))).expect("remove snapshot");
        }
        return;
    }

    let mut problems = Vec::new();
    for (name, text) in &helps {
        match std::fs::read_to_string(dir.join(format!("{name}.txt"))) {
            Err(_) => problems.push(format!("{name}: no snapshot")),
            Ok(old) if old != *text => problems.push(format!(
                "{name}: help changed, {}",
                first_difference(&old, text)
            )),
            Ok(_) => {}
        }
    }
    for stale in existing.iter().filter(|n| !helps.contains_key(*n)) {
        problems.push(format!(
            "{stale}: snapshot of a command that no longer exists"
        ));
    }
    assert!(
        problems.is_empty(),
        "{}\nIf the change is intended: UPDATE_SNAPSHOTS=1 cargo test --test it help::, then review \
         and commit tests/snapshots/help/",
        problems.join("\n")
    );
}
