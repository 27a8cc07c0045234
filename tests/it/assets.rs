//! The committed `completions/` and `man/` are exactly what the generator writes today, and
//! the schema version `attctl doctor` expects is the newest migration's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const REGENERATE: &str = "run `cargo run -- generate-assets --out-dir .` and commit the result";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative path -> bytes).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_attctl"))
        .args(["generate-assets", "--out-dir"])
        .arg(tmp.path())
        .env_clear()
        .output()
        .expect("run attctl generate-assets");
    assert!(
        out.status.success(),
        "generate-assets failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut problems = Vec::new();
    for sub in ["completions", "man"] {
        let fresh = files(&tmp.path().join(sub));
        let committed = files(&repo().join(sub));
        assert!(!fresh.is_empty(), "the generator wrote nothing into {sub}/");
        for (path, bytes) in &fresh {
            match committed.get(path) {
                None => problems.push(format!("{sub}/{} is missing", path.display())),
                Some(old) if old != bytes => {
                    problems.push(format!("{sub}/{} is out of date", path.display()))
                }
                Some(_) => {}
            }
        }
        for path in committed.keys().filter(|p| !fresh.contains_key(*p)) {
            problems.push(format!(
                "{sub}/{} is not generated any more: delete it",
                path.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}\n{REGENERATE}", problems.join("\n"));
}

#[test]
fn generated_assets_cover_both_binaries() {
    let completions = files(&repo().join("completions"));
    for name in [
        "attctl.bash",
        "_attctl",
        "attctl.fish",
        "attctl.elv",
        "_attctl.ps1",
        "attctl-worker.bash",
        "_attctl-worker",
        "attctl-worker.fish",
        "attctl-worker.elv",
        "_attctl-worker.ps1",
    ] {
        assert!(
            completions.contains_key(Path::new(name)),
            "completions/{name} missing; {REGENERATE}"
        );
    }
    let man = files(&repo().join("man"));
    for name in [
        "attctl.1",
        "attctl-doctor.1",
        "attctl-session-create.1",
        "attctl-worker.8",
        "attctl-worker-run.8",
        "attctl-worker-sweep.8",
    ] {
        assert!(
            man.contains_key(Path::new(name)),
            "man/{name} missing; {REGENERATE}"
        );
    }
    // Hidden commands stay hidden.
    for (path, bytes) in completions.iter().chain(man.iter()) {
        assert!(
            !String::from_utf8_lossy(bytes).contains("generate-assets"),
            "{} mentions the hidden generate-assets command",
            path.display()
        );
    }
    let top = String::from_utf8_lossy(&man[Path::new("attctl.1")]).into_owned();
    for section in [".SH ENVIRONMENT", ".SH FILES", ".SH \"EXIT STATUS\""] {
        assert!(top.contains(section), "attctl.1 lacks {section}");
    }
}

/// `attctl doctor` compares the database's `attctl_schema_info().version` with
/// `SCHEMA_VERSION`: it must name the newest migration, and that migration must report it.
#[test]
fn doctor_schema_version_is_the_newest_migration() {
    let dir = repo().join("supabase/migrations");
    let mut migrations: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("supabase/migrations")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let stamp: String = name.chars().take_while(char::is_ascii_digit).collect();
            (!stamp.is_empty()).then_some((stamp, p))
        })
        .collect();
    migrations.sort();
    let (newest, path) = migrations.last().expect("at least one migration");
    assert_eq!(
        attctl::commands::doctor::SCHEMA_VERSION,
        newest,
        "a new migration ({}) landed: set SCHEMA_VERSION in src/commands/doctor/mod.rs to {newest}",
        path.display()
    );
    let sql = std::fs::read_to_string(path).expect("read the newest migration");
    assert!(
        sql.contains(&format!("'version', '{newest}'")),
        "{} must replace public.attctl_schema_info() so that it returns version {newest}",
        path.display()
    );
}
