//! The local backend's checks: the data file, its permissions, schema and contents.

use super::*;

pub(super) async fn local_checks(data_file: &Path, settings: &Settings) -> Vec<Check> {
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
        let opened = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
            .await
            .unwrap_or_else(|e| Err(Error::Backend(format!("the check did not finish: {e}"))));
        let mut school = None;
        let mut drift = None;
        checks.push(match opened {
            Ok(store) => {
                use crate::store::Directory as _;
                drift = Some(closes_at_check(&store).await);
                school = Some(match store.school().await {
                    Ok(s) => school::school_zone_check(s.timezone.as_deref(), settings),
                    Err(e) => Check::warn(
                        "school.timezone",
                        format!("the school's settings cannot be read: {e}"),
                        "run `attctl doctor` again; restore the file if it persists",
                    ),
                });
                Check::ok("local.open", "opens; its schema is up to date")
            }
            Err(e) => Check::fail(
                "local.open",
                e.to_string(),
                "restore the file from a backup, or move it away to start afresh",
            ),
        });
        checks.extend(drift);
        checks.extend(school);
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
    checks.push(super::registers::none_here(
        &settings.registers,
        "the local store",
    ));
    checks.push(match crate::worker_lock::running_worker(data_file) {
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

/// `local.closes_at`: closing instants edited out of step with the sessions' own date, end
/// time and zone (the sweep leaves such a session Open until its real end, and names it).
async fn closes_at_check(store: &SqliteStore) -> Check {
    const NAME: &str = "local.closes_at";
    match store.closing_instants_out_of_step(false).await {
        Ok(drift) if drift.is_empty() => Check::ok(
            NAME,
            "every closing instant matches its session's date, end time and zone",
        ),
        Ok(drift) => Check::warn(
            NAME,
            format!(
                "{} whose closing instant was edited out of step with its date, end time and \
                 zone: {}",
                plural(drift.len(), "session"),
                drift
                    .iter()
                    .take(20)
                    .map(|(id, stored, real)| format!(
                        "{id} (stored {}, should be {})",
                        stored.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        real.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "attctl doctor --repair (puts each back in step; --dry-run lists them first)",
        ),
        Err(e) => Check::warn(
            NAME,
            format!("not checked: {e}"),
            "run `attctl doctor` again",
        ),
    }
}

/// `doctor --repair` on a local file: closing instants put back in step.
pub(super) async fn local_repair(data_file: &Path, dry_run: bool) -> Check {
    const NAME: &str = "local.repair";
    let path = data_file.to_path_buf();
    let store = match tokio::task::spawn_blocking(move || SqliteStore::open(&path)).await {
        Ok(Ok(store)) => store,
        Ok(Err(e)) => return Check::fail(NAME, e.to_string(), "see the local.open check"),
        Err(e) => return Check::fail(NAME, format!("not run: {e}"), "run it again"),
    };
    match store.closing_instants_out_of_step(!dry_run).await {
        Ok(drift) if drift.is_empty() => Check::ok(NAME, "nothing to repair"),
        Ok(drift) => {
            let ids: Vec<String> = drift.iter().map(|(id, _, _)| id.to_string()).collect();
            let verb = if dry_run { "would put" } else { "put" };
            Check::ok(
                NAME,
                format!(
                    "{verb} the closing instant of {} back in step with its date, end time and \
                     zone: {}",
                    plural(drift.len(), "session"),
                    ids.join(", ")
                ),
            )
        }
        Err(e) => Check::fail(NAME, format!("the repair failed: {e}"), "run it again"),
    }
}
