//! At the default log level (no RUST_LOG, no --debug) attctl-worker says what it does in a
//! few lines: one at start, one per close, one per sweep that did something, one at stop.

use std::time::Duration;

use crate::common::{TestEnv, avoid_midnight, in_secs};

#[test]
fn the_default_level_logs_start_closes_sweeps_and_stop() {
    avoid_midnight(Duration::from_secs(90));
    let env = TestEnv::local();
    let class = env.class();
    // An overdue session for the first sweep to close.
    let overdue = env.session_ending_at(class, in_secs(-120), Duration::from_secs(60));
    let mut worker = env.spawn_worker_with(["--sweep-interval", "3600"], &[("RUST_LOG", "")]);
    let soon = env.session_ending_at(class, in_secs(3), Duration::from_secs(60));
    let id = soon["id"].as_i64().expect("id");
    let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(closed["status"], "Closed", "{closed}");
    std::thread::sleep(Duration::from_millis(300));
    worker.signal(libc::SIGTERM);
    assert!(
        worker.wait_exit(Duration::from_secs(10)).is_some(),
        "did not stop"
    );
    std::thread::sleep(Duration::from_millis(200));

    let messages: Vec<String> = worker
        .events()
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect();
    let log = worker.lines().join("\n");
    let count = |prefix: &str| messages.iter().filter(|m| m.starts_with(prefix)).count();
    assert_eq!(
        count("attctl-worker started: local mode, store local"),
        1,
        "{log}"
    );
    assert!(
        messages.iter().any(|m| m.contains("sweep every 3600s")),
        "{log}"
    );
    let overdue_id = overdue["id"].as_i64().expect("id");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("sweep: closed 1 overdue: Class ")
                && m.contains(&format!("(session {overdue_id}), 2 min late"))),
        "{log}"
    );
    let closed = messages
        .iter()
        .filter(|m| m.starts_with("closed Class ") && m.contains(&format!("(session {id})")))
        .collect::<Vec<_>>();
    assert_eq!(closed.len(), 1, "{log}");
    assert!(closed[0].ends_with(" late (auto)"), "{log}");
    assert_eq!(count("attctl-worker stopped"), 1, "{log}");
    // Nothing but these lines (and warnings): no per-loop detail.
    assert!(messages.len() <= 5, "{log}");
    assert!(
        !messages.iter().any(|m| m == "ready" || m == "sweep done"),
        "{log}"
    );
}
