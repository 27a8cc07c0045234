//! Local mode (no Hatchet token), black-box: the real `attctl` creates sessions in a SQLite
//! file, the real `attctl-worker` closes them.

use attctl::store::prelude::*;
use std::time::{Duration, Instant};

use crate::common::{NotifySocket, TestEnv, avoid_midnight, in_secs, lag_ms};

const LEN: Duration = Duration::from_secs(60);

#[test]
fn a_session_is_closed_at_its_end_by_the_running_worker() {
    avoid_midnight(Duration::from_secs(90));
    let env = TestEnv::local();
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    // Created after the worker started: it must notice the new session by itself.
    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = session["id"].as_i64().expect("id");
    assert_eq!(session["status"], "Open");

    let closed = env.wait_session(id, Duration::from_secs(8), |s| s["status"] == "Closed");
    assert_eq!(closed["status"], "Closed", "{closed}");
    assert_eq!(closed["closed_by"], "auto", "{closed}");
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..5000).contains(&lag), "closed {lag} ms after its end");

    let event = worker.wait_event(Duration::from_secs(2), |e| {
        e["target"] == "attctl_worker::run" && e["session_id"] == id
    });
    assert_eq!(event["outcome"], "closed", "{event}");
    assert_eq!(event["closed_by"], "auto", "{event}");
    assert!(event["lag_ms"].as_i64().is_some(), "{event}");
}

#[test]
fn what_ended_while_no_worker_ran_is_closed_by_the_sweep_at_start() {
    avoid_midnight(Duration::from_secs(300));
    let env = TestEnv::local();
    let class = env.class();
    let ended = env.session_ending_at(class, in_secs(-120), LEN);
    let future = env.session_ending_at(class, in_secs(3600), LEN);
    // Ended a moment before the worker starts: within any grace, still not on time.
    let just_ended = env.session_ending_at(class, in_secs(2), LEN);
    let ended_id = ended["id"].as_i64().expect("id");
    let just_ended_id = just_ended["id"].as_i64().expect("id");
    let future_id = future["id"].as_i64().expect("id");
    std::thread::sleep(Duration::from_secs(3));

    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    let closed = env.wait_session(ended_id, Duration::from_secs(5), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(closed["closed_by"], "sweep", "{closed}");
    let closed = env.wait_session(just_ended_id, Duration::from_secs(5), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(closed["closed_by"], "sweep", "{closed}");
    assert!(
        worker.started.elapsed() < Duration::from_secs(10),
        "not closed right at start"
    );
    let sweep = worker.wait_event(Duration::from_secs(5), |e| {
        e["target"] == "attctl_worker::sweep"
    });
    assert_eq!(sweep["closed"], 1, "{sweep}");
    assert!(sweep["duration_ms"].as_u64().is_some(), "{sweep}");
    assert_eq!(env.show(future_id)["status"], "Open");
}

#[test]
fn sweep_once_prints_one_json_line_and_exits_zero() {
    avoid_midnight(Duration::from_secs(300));
    let env = TestEnv::local();
    let class = env.class();
    let ended = env.session_ending_at(class, in_secs(-60), LEN);
    env.session_ending_at(class, in_secs(3600), LEN);

    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    let summary: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON summary");
    assert_eq!(summary["closed"], 1, "{summary}");
    assert_eq!(summary["closed_ids"], serde_json::json!([ended["id"]]));
    // The future session got its local run id when it was created.
    assert_eq!(summary["scheduled"], 0, "{summary}");
    assert_eq!(summary["schedule_failures"], 0, "{summary}");
    assert!(lines[0].starts_with(r#"{"closed":1,"scheduled":0,"schedule_failures":0,"#));

    let closed = env.show(ended["id"].as_i64().expect("id"));
    assert_eq!(closed["closed_by"], "sweep");

    // Nothing left to do: still one line, zero counts.
    let again = env.worker_once(["sweep", "--once"]);
    again.assert_ok();
    let summary: serde_json::Value = serde_json::from_str(again.stdout.trim()).expect("JSON");
    assert_eq!(summary["closed"], 0);
}

#[test]
fn sweep_once_reports_a_failure_on_one_line_with_its_exit_code() {
    let env = TestEnv::local();
    // A data file that cannot be created: its parent is a regular file.
    let blocker = env.dir().join("not-a-dir");
    std::fs::write(&blocker, "x").expect("write");
    let bad = blocker.join("attctl.db").display().to_string();
    let out = env.worker_once(["--data-file", bad.as_str(), "sweep", "--once"]);
    // The README's exit codes: 1 for a data file that cannot be opened (not 6: retrying
    // later does not help).
    assert_eq!(out.code, attctl::error::exit::FAILURE, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

#[test]
fn usage_errors_are_one_line_with_status_two() {
    let env = TestEnv::local();
    let out = env.worker_once(["--no-such-flag"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    // clap's whole message (what was wrong, the usage line), as attctl prints it.
    assert!(
        out.stderr
            .starts_with("error: unexpected argument '--no-such-flag'"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Usage: attctl-worker"),
        "{}",
        out.stderr
    );
    let out = env.worker_once(["sweep"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = env.worker_once(["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("sweep"), "{}", out.stdout);
}

#[test]
fn sigterm_stops_promptly_and_systemd_is_told_every_step() {
    let env = TestEnv::local();
    env.class();
    let notify = NotifySocket::bind(env.dir());
    let socket = notify.path();
    let mut worker = env.spawn_worker_with(
        ["run", "--name", "local-test"],
        &[("NOTIFY_SOCKET", &socket), ("WATCHDOG_USEC", "400000")],
    );
    assert!(
        notify.wait_for("READY=1", Duration::from_secs(10)),
        "no READY=1: {:?}\n{}",
        notify.assignments(),
        worker.lines().join("\n")
    );
    assert!(
        notify
            .assignments()
            .iter()
            .any(|l| l.starts_with("STATUS=")),
        "{:?}",
        notify.assignments()
    );
    // Pings every WATCHDOG_USEC / 2 while healthy.
    std::thread::sleep(Duration::from_millis(900));
    let pings = notify
        .assignments()
        .iter()
        .filter(|l| *l == "WATCHDOG=1")
        .count();
    assert!(
        pings >= 2,
        "{pings} watchdog pings: {:?}",
        notify.assignments()
    );

    let t0 = Instant::now();
    worker.signal(libc::SIGTERM);
    let status = worker
        .wait_exit(Duration::from_secs(10))
        .expect("did not exit within 10 s of SIGTERM");
    let took = t0.elapsed();
    assert_eq!(status.code(), Some(0), "{}", worker.lines().join("\n"));
    assert!(took < Duration::from_secs(5), "stop took {took:?}");
    assert!(
        notify.wait_for("STOPPING=1", Duration::from_secs(1)),
        "{:?}",
        notify.assignments()
    );
    eprintln!("local-mode graceful stop took {took:?}");
}

#[test]
fn sigint_stops_too() {
    let env = TestEnv::local();
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    worker.signal(libc::SIGINT);
    let status = worker
        .wait_exit(Duration::from_secs(5))
        .expect("did not exit after SIGINT");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_second_local_worker_on_the_same_file_refuses_to_start() {
    let env = TestEnv::local();
    let first = env.spawn_worker(["--sweep-interval", "3600"]);
    first.wait_ready(Duration::from_secs(10));
    let second = env.worker_once(["run"]);
    assert_eq!(second.code, 4, "{}", second.stderr);
    assert!(second.stderr.contains("already runs"), "{}", second.stderr);
    assert!(
        second.stderr.contains(&first.pid().to_string()),
        "{}",
        second.stderr
    );
    // doctor sees the running worker through the same lock.
    let doctor = env.run_attctl(["doctor", "-o", "json"]);
    assert!(
        doctor.stdout.contains("attctl-worker is running"),
        "{}",
        doctor.stdout
    );
}

#[test]
fn many_sessions_ending_together_are_all_closed_on_time() {
    avoid_midnight(Duration::from_secs(200));
    let env = TestEnv::local();
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    // Created with the real CLI, ending later; however long that takes on this machine,
    // their common end is chosen once they all exist, and set in one go through the store.
    let later = in_secs(3600);
    let mut ids = Vec::new();
    for i in 0..30u64 {
        // Distinct starts: (class, date, start) is unique.
        let s = env.session_ending_at(class, later, Duration::from_secs(60 + i));
        ids.push(s["id"].as_i64().expect("id"));
    }
    let end = in_secs(3);
    move_ends_to(&env, &ids, end);
    let deadline = Instant::now() + Duration::from_secs(30);
    for &id in &ids {
        let s = env.wait_session(
            id,
            deadline.saturating_duration_since(Instant::now()),
            |s| s["status"] == "Closed",
        );
        assert_eq!(s["status"], "Closed", "{s}");
        assert_eq!(s["closed_by"], "auto", "{s}");
        // The README's promise (at its end, the worker looking at least every second),
        // with room for a loaded machine.
        let lag = lag_ms(&s).expect("lag");
        assert!(
            (0..5000).contains(&lag),
            "session {id} closed {lag} ms after its end"
        );
    }
    // A batch above the per-session threshold is logged as one event listing the ids.
    let batch = worker.wait_event(Duration::from_secs(2), |e| {
        e["target"] == "attctl_worker::run" && e["count"] == 30
    });
    assert_eq!(batch["closed_by"], "auto", "{batch}");
}

/// Moves the sessions `ids` (of the local data file) to end at `end`, each keeping its
/// length, all within a few milliseconds: one store, one write each.
fn move_ends_to(env: &TestEnv, ids: &[i64], end: chrono::DateTime<chrono::Utc>) {
    use attctl::store::TimesUpdate;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let store = attctl::store::sqlite::SqliteStore::open(&env.data_file()).expect("store");
    let zone = attctl::clock::parse_zone(crate::common::test_zone()).expect("zone");
    runtime.block_on(async {
        for s in store.get_sessions(ids).await.expect("sessions") {
            let len = s.end_time - s.start_time;
            let local_end = end.with_timezone(&zone).naive_local();
            let times = attctl::clock::session_times(
                local_end.date(),
                local_end.time() - len,
                local_end.time(),
                zone,
            )
            .expect("times");
            let update = TimesUpdate {
                times,
                expected_status: attctl::session::Status::Open,
                reopen: false,
            };
            store
                .update_times(s.id, &update)
                .await
                .expect("update")
                .expect("still Open");
        }
    });
}

/// `rm attctl.db*` (or a backup restored with `mv`) under a running worker: it reopens the
/// new file within seconds and closes the sessions created there; its lock is on the new
/// lock file, so a second worker is still refused.
#[test]
fn a_replaced_data_file_is_reopened_with_its_lock() {
    avoid_midnight(Duration::from_secs(90));
    let env = TestEnv::local();
    env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));

    // Removed with everything beside it, lock file included.
    for entry in std::fs::read_dir(env.dir()).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("attctl.db") {
            std::fs::remove_file(entry.path()).expect("rm");
        }
    }
    let class = env.class();
    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = session["id"].as_i64().expect("id");
    let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(closed["closed_by"], "auto", "{closed}");
    worker.wait_event(Duration::from_secs(2), |e| {
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("data file was removed or replaced"))
    });
    let second = env.worker_once(["run"]);
    assert_eq!(second.code, 4, "{}", second.stderr);
    assert!(second.stderr.contains("already runs"), "{}", second.stderr);

    // A backup put back with `mv` (made elsewhere, a clean single file): followed too.
    let backup = TestEnv::local();
    let class2 = backup.class();
    backup.session_ending_at(class2, in_secs(3600), LEN);
    std::fs::rename(backup.data_file(), env.data_file()).expect("mv");
    let again = env.session_ending_at(class2, in_secs(4), LEN);
    let again_id = again["id"].as_i64().expect("id");
    let closed = env.wait_session(again_id, Duration::from_secs(10), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(closed["closed_by"], "auto", "{closed}");
}

/// The one-worker-per-file lock holds through a symbolic link to the same file.
#[test]
fn a_symlink_to_the_data_file_does_not_bypass_the_worker_lock() {
    let env = TestEnv::local();
    env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    let link = env.dir().join("link.db");
    std::os::unix::fs::symlink(env.data_file(), &link).expect("symlink");
    let mut second = env.spawn_worker_with(
        ["--sweep-interval", "3600"],
        &[("ATTCTL_DATA_FILE", link.to_str().expect("utf-8"))],
    );
    let status = second.wait_exit(Duration::from_secs(10)).expect("refused");
    assert_eq!(status.code(), Some(4), "{:?}", second.lines());
    assert!(
        second.lines().iter().any(|l| l.contains("already runs")),
        "{:?}",
        second.lines()
    );
}
