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
        checks.push(match opened {
            Ok(store) => {
                use crate::store::SessionStore as _;
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
