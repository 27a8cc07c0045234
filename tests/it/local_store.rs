//! The embedded store shared by several processes: what the CLI and the worker do to one
//! SQLite file at the same time.

use crate::common::{Backend, TestEnv};
use attctl::session::ClosedBy;
use attctl::store::prelude::*;
use attctl::store::sqlite::SqliteStore;

/// A process that holds a store open (the worker) and opens the file again must keep its
/// SQLite locks: otherwise another process (attctl) that closes its connection believes it
/// is the last one and deletes the WAL still in use, and the worker's writes vanish.
#[test]
fn a_second_open_in_one_process_keeps_the_wal_alive() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class();
    let id = env.session(class, "2030-01-01", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let path = env.dir().join("attctl.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let first = SqliteStore::open(&path).unwrap();
    rt.block_on(first.get_sessions(&[id])).unwrap();
    let second = SqliteStore::open(&path).unwrap();
    drop(second);
    // Another process opens and closes its connection.
    env.attctl().args(["session", "list"]).success();
    rt.block_on(first.close_if_open(id, ClosedBy::Manual, chrono::Utc::now(), None))
        .unwrap()
        .expect("closed");
    let shown = env
        .attctl()
        .args(["session", "show", "-o", "json", &id.to_string()])
        .success()
        .json();
    assert_eq!(
        shown["status"], "Closed",
        "the other process sees the write"
    );
}

/// The CLI writing while another process writes: no "database is locked" reaches anyone.
#[test]
fn concurrent_cli_processes_never_see_a_locked_database() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class();
    let path = env.dir().join("attctl.db");
    let writer = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let store = SqliteStore::open(&path).unwrap();
        rt.block_on(async {
            for day in 1..=28 {
                for hour in 8..16 {
                    let date = chrono::NaiveDate::from_ymd_opt(2032, 2, day).unwrap();
                    let start = chrono::NaiveTime::from_hms_opt(hour, 0, 0).unwrap();
                    let times = attctl::clock::session_times(
                        date,
                        start,
                        start + chrono::Duration::minutes(30),
                        chrono_tz::UTC,
                    )
                    .unwrap();
                    store
                        .insert_session(&times.into_new_session(class))
                        .await
                        .unwrap();
                }
            }
        });
    });
    for i in 0..20 {
        let s = env.session(
            class,
            "2033-01-01",
            &format!("{:02}:00", i % 20 + 1),
            &format!("{:02}:30", i % 20 + 1),
        );
        env.attctl()
            .args(["session", "close", &s["id"].to_string()])
            .success();
    }
    writer.join().unwrap();
    let all = env
        .attctl()
        .args(["session", "list", "--all", "-o", "ndjson"])
        .success()
        .ndjson();
    assert_eq!(all.len(), 28 * 8 + 20);

    // Forced overlap: a write transaction is held open while CLI processes write; they
    // wait for it (they cannot finish while it is held) and then succeed.
    let path = env.dir().join("attctl.db");
    let held = rusqlite::Connection::open(&path).unwrap();
    held.execute_batch("BEGIN IMMEDIATE; UPDATE classes SET name = name WHERE id = 0;")
        .unwrap();
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let creators: Vec<_> = (0..3)
        .map(|i| {
            let cmd = env.attctl().args([
                "session",
                "create",
                "-o",
                "json",
                "--class",
                &class.to_string(),
                "--date",
                "2034-01-01",
                "--start",
                &format!("{:02}:00", 8 + i),
                "--end",
                &format!("{:02}:30", 8 + i),
            ]);
            let finished = finished.clone();
            std::thread::spawn(move || {
                let out = cmd.run();
                finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                out
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert_eq!(
        finished.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a write finished while another process held the write lock"
    );
    held.execute_batch("COMMIT").unwrap();
    for creator in creators {
        let out = creator.join().unwrap();
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stderr.contains("locked"), "{}", out.stderr);
    }
}

/// `--data-file` with a typo in its directory used to create that directory and an empty
/// store, and answer `[]`. Only the default location is created on demand.
#[test]
fn an_explicit_data_file_in_a_missing_directory_is_an_error() {
    let env = TestEnv::new(Backend::Local);
    let typo = env.dir().join("dta").join("attctl.db");
    let out = env
        .attctl()
        .args(["session", "list", "--data-file"])
        .arg(typo.display().to_string())
        .run();
    out.assert_one_line_error(1, "does not exist");
    assert!(
        !typo.parent().unwrap().exists(),
        "the directory was created"
    );
    // The default location is still created on demand.
    env.attctl()
        .args(["class", "list"])
        .env_remove("ATTCTL_DATA_FILE")
        .success();
    assert!(env.dir().join("data/attctl/attctl.db").is_file());
}

/// A SQLite database of something else is refused, untouched; attctl's own files made
/// before the application id existed (id 0, attctl's tables) are still accepted.
#[test]
fn other_sqlite_databases_are_refused_and_old_attctl_files_accepted() {
    let env = TestEnv::new(Backend::Local);
    let other = env.dir().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);")
            .unwrap();
    }
    let out = env
        .attctl()
        .args(["session", "list", "--data-file"])
        .arg(other.display().to_string())
        .run();
    out.assert_one_line_error(1, "not an attctl data file");
    let tables: Vec<String> = rusqlite::Connection::open(&other)
        .unwrap()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tables, ["invoices"], "attctl added tables");

    // Another application's id, even on an empty file.
    let foreign = env.dir().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .pragma_update(None, "application_id", 0x1234)
        .unwrap();
    env.attctl()
        .args(["class", "list", "--data-file"])
        .arg(foreign.display().to_string())
        .run()
        .assert_one_line_error(1, "another application");

    // An attctl file from before: tables, user_version 1, application_id 0.
    let class = env.class();
    let path = env.dir().join("attctl.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", 0).unwrap();
    drop(conn);
    env.session(class, "2031-01-01", "08:00", "09:00");
    let id: i32 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(
        id,
        attctl::store::sqlite::APPLICATION_ID,
        "stamped when opened"
    );
}

/// A data file the user may read but not write (a read-only directory, a backup mounted
/// read-only) can still be listed.
#[test]
fn a_read_only_data_file_can_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new(Backend::Local);
    let class = env.class();
    let id = env.session(class, "2031-01-01", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let dir = env.dir().join("ro");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("attctl.db");
    // A clean copy (no -wal or -shm beside it), as a backup would be.
    let src = rusqlite::Connection::open(env.dir().join("attctl.db")).unwrap();
    src.execute("VACUUM INTO ?1", [file.display().to_string()])
        .unwrap();
    drop(src);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(env.dir(), std::fs::Permissions::from_mode(0o755)).unwrap();

    // Root may write anywhere: run attctl as an unprivileged user then.
    let root = unsafe { libc::geteuid() } == 0;
    let run = |args: &[&str]| -> std::process::Output {
        let bin = env!("CARGO_BIN_EXE_attctl");
        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        } else {
            std::process::Command::new(bin)
        };
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", env.dir())
            .env("XDG_CONFIG_HOME", env.dir().join("config"))
            .env("ATTCTL_TIMEZONE", "UTC")
            .env("ATTCTL_DATA_FILE", &file)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let out = run(&["session", "list", "-o", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["id"], id, "{rows}");
    let out = run(&["session", "show", &id.to_string()]);
    assert_eq!(out.status.code(), Some(0));
    // A write says why it cannot be done, in one line.
    let out = run(&["session", "close", &id.to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("readonly") || stderr.contains("read-only"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}
