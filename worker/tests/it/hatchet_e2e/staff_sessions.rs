//! Sessions a signed-in teacher writes from a staff machine (anon key, no Hatchet token):
//! the worker plans their runs within seconds, closes them by those runs, and cancels the
//! run of a session the teacher deleted, moved or closed (it follows `session_events`).

use super::*;
use crate::common::test_zone;

const PASSWORD: &str = "staff room kettle";

/// A staff machine of `env`'s stack signed in as a new teacher of `class`.
fn teacher_machine(env: &TestEnv, class: i64) -> TestEnv {
    let email = format!(
        "{}@school.example",
        attctl_testkit::harness::unique("e2e-teacher").to_lowercase()
    );
    stack()
        .create_auth_user(&email, PASSWORD)
        .expect("auth user");
    let add = env
        .attctl()
        .args(["staff", "add", &email, "--role", "teacher", "--class"])
        .arg(format!("id:{class}"))
        .run();
    add.assert_ok();
    let machine = TestEnv::staff_machine_on(stack()).with("ATTCTL_TIMEZONE", test_zone());
    machine.login(&email, PASSWORD).assert_ok();
    machine
}

/// Waits until `pred` holds for the session as the service key reads it.
fn wait_row(env: &TestEnv, id: i64, within: Duration, pred: impl Fn(&Value) -> bool) -> Value {
    env.wait_session(id, within, pred)
}

fn run_of(s: &Value) -> Option<Uuid> {
    s["scheduled_task_id"].as_str().and_then(|r| r.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_s_sessions_are_planned_closed_and_cancelled_by_the_worker() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(180));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let teacher = teacher_machine(&env, class);
    let _worker = env.ready_worker(["--sweep-interval", "3600"]);

    // Created by the teacher: no run until the worker plans it, within 10 s; then its run
    // closes it at its end.
    let started = Instant::now();
    let session = teacher.session_ending_at(class, in_secs(15), LEN);
    let id = session_id(&session);
    assert_eq!(session["scheduled_task_id"], Value::Null, "{session}");
    let planned = wait_row(&env, id, Duration::from_secs(10), |s| run_of(s).is_some());
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    let schedule = schedule_of(&planned);
    assert!(engine.schedules().iter().any(|s| s.id == schedule));
    let closed = wait_row(&env, id, Duration::from_secs(25), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(closed["closed_by"], "auto", "closed by its run: {closed}");

    // Deleted by the teacher: its run is cancelled within 10 s.
    let doomed = teacher.session_ending_at(class, in_secs(120), LEN);
    let doomed_id = session_id(&doomed);
    let doomed_run = schedule_of(&wait_row(&env, doomed_id, Duration::from_secs(10), |s| {
        run_of(s).is_some()
    }));
    teacher
        .run_attctl(["session", "delete", &doomed_id.to_string(), "--yes"])
        .assert_ok();
    engine
        .wait_for(
            |e| e.schedules().iter().all(|s| s.id != doomed_run),
            Duration::from_secs(10),
        )
        .await
        .expect("the deleted session's run was cancelled within 10 s");

    // Moved by the teacher: the old run goes, a new one is planned at the new end.
    let moving = teacher.session_ending_at(class, in_secs(100), LEN);
    let moving_id = session_id(&moving);
    let old_run = schedule_of(&wait_row(&env, moving_id, Duration::from_secs(10), |s| {
        run_of(s).is_some()
    }));
    teacher.reschedule_ending_at(moving_id, in_secs(140), LEN);
    let moved = wait_row(&env, moving_id, Duration::from_secs(10), |s| {
        run_of(s).is_some_and(|r| r != old_run)
    });
    engine
        .wait_for(
            |e| e.schedules().iter().all(|s| s.id != old_run),
            Duration::from_secs(10),
        )
        .await
        .expect("the moved session's old run was cancelled");
    assert!(
        engine
            .schedules()
            .iter()
            .any(|s| s.id == schedule_of(&moved))
    );

    // Closed by hand by the teacher: its run is cancelled.
    teacher
        .run_attctl(["session", "close", &moving_id.to_string()])
        .assert_ok();
    let new_run = schedule_of(&moved);
    engine
        .wait_for(
            |e| e.schedules().iter().all(|s| s.id != new_run),
            Duration::from_secs(10),
        )
        .await
        .expect("the closed session's run was cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_written_in_sql_gets_its_run_too() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let _worker = env.ready_worker(["--sweep-interval", "3600"]);
    let (date, start, end) = wall_times(in_secs(90), LEN);
    let id: i64 = stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) \
             values ({class}, '{date}', '{start}', '{end}', '{}') returning id",
            test_zone()
        ))
        .expect("psql insert")
        .lines()
        .find_map(|l| l.trim().parse().ok())
        .expect("id");
    let planned = wait_row(&env, id, Duration::from_secs(10), |s| run_of(s).is_some());
    let run = schedule_of(&planned);
    stack()
        .psql(&format!("delete from teaching_sessions where id = {id}"))
        .expect("psql delete");
    engine
        .wait_for(
            |e| e.schedules().iter().all(|s| s.id != run),
            Duration::from_secs(10),
        )
        .await
        .expect("the run of a session deleted in SQL was cancelled");
}
