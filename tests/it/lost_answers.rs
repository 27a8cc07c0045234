//! Writes whose answer is lost on the way back (the server committed, the client saw the
//! connection drop, time out or reset): attctl reads back what happened and reports it,
//! instead of "unavailable" for a change that was made. Supabase only: the faults are
//! network faults, injected by the testkit's proxy between attctl and the gateway.

use std::time::Duration;

use crate::common::{Backend, TestEnv};
use attctl_testkit::{Fault, FaultProxy, Scope, SupabaseStack};

fn behind_proxy() -> (TestEnv, FaultProxy) {
    let mut env = TestEnv::new(Backend::Supabase);
    let proxy = FaultProxy::start(&SupabaseStack::shared().url()).expect("proxy");
    env.set("SUPABASE_URL", &proxy.url());
    (env, proxy)
}

fn create(env: &TestEnv, class: i64, start: &str, end: &str) -> crate::common::Outcome {
    env.attctl()
        .args(["session", "create", "-o", "json", "--class"])
        .arg(class.to_string())
        .args(["--date", "2031-06-06", "--start", start, "--end", end])
        .run()
}

#[test]
fn a_create_whose_answer_is_lost_reports_the_created_session() {
    let (env, proxy) = behind_proxy();
    let class = env.class();
    for fault in [
        Fault::DropReply,
        Fault::ResetMidBody,
        Fault::Delay(Duration::from_secs(3)),
    ] {
        proxy.set(fault, Scope::Writes);
        let start = match fault {
            Fault::DropReply => "08:00",
            Fault::ResetMidBody => "09:00",
            _ => "10:00",
        };
        let end = start.replace(":00", ":30");
        let out = env
            .attctl()
            .args(["session", "create", "-o", "json", "--class"])
            .arg(class.to_string())
            .args(["--date", "2031-06-06", "--start", start, "--end", &end])
            .env("ATTCTL_HTTP_TIMEOUT", "1")
            .run();
        assert_eq!(out.code, 0, "{fault:?}: {}", out.stderr);
        let created = out.json();
        proxy.clear();
        let rows = env.sessions_of(class);
        let row = rows
            .iter()
            .find(|r| r["start_time"] == format!("{start}:00"))
            .unwrap_or_else(|| panic!("{fault:?}: not in the database: {rows:?}"));
        assert_eq!(row["id"], created["id"], "{fault:?}");
    }
    // Running it again is the duplicate it really is.
    create(&env, class, "08:00", "08:30").assert_one_line_error(4, "already has a session");
    assert_eq!(env.sessions_of(class).len(), 3);
}

#[test]
fn a_create_whose_outcome_cannot_be_known_says_so_and_how_to_check() {
    let (env, proxy) = behind_proxy();
    let class = env.class();
    // Every answer is lost, the read-back's too.
    proxy.set(Fault::DropReply, Scope::All);
    let out = create(&env, class, "08:00", "09:00");
    proxy.clear();
    out.assert_one_line_error(6, "may or may not have been created");
    assert!(
        out.stderr.contains(&format!(
            "attctl session list --class {class} --date 2031-06-06"
        )),
        "{}",
        out.stderr
    );
    // A 503 is an answer: nothing was written, and that is what is said.
    proxy.set(Fault::Unavailable(1), Scope::Writes);
    let out = create(&env, class, "10:00", "11:00");
    proxy.clear();
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        !env.sessions_of(class)
            .iter()
            .any(|r| r["start_time"] == "10:00:00")
    );
}

#[test]
fn a_close_whose_answer_is_lost_reports_closed() {
    let (env, proxy) = behind_proxy();
    let class = env.class();
    let id = env.session(class, "2031-06-07", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    proxy.set(Fault::DropReply, Scope::Writes);
    let out = env
        .attctl()
        .args(["session", "close", "-o", "json", &id.to_string()])
        .run();
    proxy.clear();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let result = out.json();
    assert_eq!(result[0]["outcome"], "closed", "{result}");
    assert_eq!(result[0]["session"]["status"], "Closed");
    assert_eq!(result[0]["session"]["closed_by"], "manual");
}

#[test]
fn a_reschedule_whose_answer_is_lost_reports_the_new_times() {
    let (env, proxy) = behind_proxy();
    let class = env.class();
    let id = env.session(class, "2031-06-08", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    proxy.set(Fault::DropReply, Scope::Writes);
    let out = env
        .attctl()
        .args(["session", "reschedule", "-o", "json", &id.to_string()])
        .args(["--end", "09:45"])
        .run();
    proxy.clear();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["end_time"], "09:45:00");
    let shown = env
        .attctl()
        .args(["session", "show", "-o", "json", &id.to_string()])
        .success()
        .json();
    assert_eq!(shown["end_time"], "09:45:00");
}

#[test]
fn a_delete_whose_answer_is_lost_reports_the_session_gone() {
    let (env, proxy) = behind_proxy();
    let class = env.class();
    let id = env.session(class, "2031-06-10", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    proxy.set(Fault::DropReply, Scope::Writes);
    let out = env
        .attctl()
        .args(["session", "delete", "--yes", "-o", "json", &id.to_string()])
        .run();
    proxy.clear();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()[0]["id"], id);
    assert!(env.sessions_of(class).is_empty());
}

/// Short 503 bursts on reads are retried (honouring Retry-After) and never reach the user.
#[test]
fn short_unavailability_bursts_on_reads_are_retried() {
    let (env, proxy) = behind_proxy();
    let class = env.class();
    env.session(class, "2031-06-09", "08:00", "09:00");
    proxy.set(Fault::Unavailable(2), Scope::All);
    assert_eq!(env.sessions_of(class).len(), 1);
    assert_eq!(proxy.faulted(), 2);
}

/// An import whose chunks' answers are lost after the first: two chunks were on their way
/// at once and both were written. attctl lists what it knows was created (the first chunk),
/// fails saying the rest may or may not be written and to run it again, and the same import
/// run again finds every row (`exists`), writing nothing twice.
#[test]
fn an_import_whose_chunk_answers_are_lost_says_so_and_can_be_run_again() {
    let (env, proxy) = behind_proxy();
    let (_, name) = env.unique_class("Lost import");
    let first = chrono::NaiveDate::from_ymd_opt(2062, 1, 2).unwrap();
    let mut csv = String::from("class_name,session_date,start_time,end_time\n");
    for n in 0..3000 {
        let date = first + chrono::Duration::days(n);
        csv.push_str(&format!("{name},{date},09:00,09:45\n"));
    }
    let import = |env: &TestEnv| {
        env.attctl()
            .args(["session", "import", "-", "--format", "csv", "-o", "json"])
            .stdin(&csv)
            .run()
    };

    proxy.set_after(1, Fault::DropReply, Scope::Writes);
    let out = import(&env);
    proxy.clear();
    assert_eq!(out.code, 6, "{}", out.stderr);
    let said: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(said.len(), 1, "{}", out.stderr);
    assert!(
        said[0].contains("may or may not have been written")
            && said[0].contains("run the same command again"),
        "{}",
        out.stderr
    );
    let listed: serde_json::Value =
        serde_json::from_str(&out.stdout).expect("the JSON printed so far is closed");
    assert_eq!(listed["created"].as_array().map(Vec::len), Some(1000));

    let again = import(&env);
    again.assert_ok();
    let again = again.json();
    assert_eq!(again["created"].as_array().map(Vec::len), Some(0));
    let skipped = again["skipped"].as_array().cloned().unwrap_or_default();
    assert_eq!(skipped.len(), 3000);
    assert!(skipped.iter().all(|s| s["reason"] == "exists"), "{again}");
}
