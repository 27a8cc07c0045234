//! The embedded store shared by several processes: what the CLI and the worker do to one
//! SQLite file at the same time.

mod common;

use attctl::session::ClosedBy;
use attctl::store::SessionStore;
use attctl::store::sqlite::SqliteStore;
use common::{Backend, TestEnv};

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
}
