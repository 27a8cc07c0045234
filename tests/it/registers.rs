//! Registers on the original app's database (`attendances`, `class_students`): automark and
//! late at close, `report registers`, the `session.register_missing` event; refused where
//! the tables are missing.

use serde_json::Value;

use crate::common::{TestEnv, unique};

/// A class of the app with three students: `present` checked in, `other` active with no
/// mark, `dropped` dropped. Returns (class id, [present, other, dropped] student ids).
fn class_with_students(env: &TestEnv) -> (i64, [i64; 3]) {
    let stack = env.stack().expect("stack");
    let name = unique("Reg");
    let class: i64 = env
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success()
        .json()["id"]
        .as_i64()
        .unwrap();
    let mut ids = [0i64; 3];
    for (i, status) in ["active", "active", "dropped"].iter().enumerate() {
        let code = unique("S");
        let id: i64 = stack
            .psql(&format!(
                "insert into students (student_code, full_name, auth_id, created_at, updated_at) \
                 values ('{code}', 'Student {code}', gen_random_uuid(), now(), now()) returning id"
            ))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        stack
            .psql(&format!(
                "insert into class_students (status, class_id, student_id, created_at, updated_at) \
                 values ('{status}', {class}, {id}, now(), now())"
            ))
            .unwrap();
        ids[i] = id;
    }
    (class, ids)
}

/// A present mark, as the app's QR check-in writes it, `minutes` after the session's start.
fn check_in(env: &TestEnv, session: i64, student: i64, at: &str) {
    env.stack()
        .unwrap()
        .psql(&format!(
            "insert into attendances (attendance_time, status, confidence_score, user_agent, \
             session_id, student_id, created_at, updated_at) values ('{at}', 'present', 1.0, \
             'okhttp/4.12.0', {session}, {student}, now(), now())"
        ))
        .unwrap();
}

/// The marks of a session: (student, status) in student order.
fn marks(env: &TestEnv, session: i64) -> Vec<(i64, String)> {
    let out = env
        .stack()
        .unwrap()
        .psql(&format!(
            "select coalesce(json_agg(json_build_array(student_id, status) order by student_id, id), '[]') \
             from attendances where session_id = {session}"
        ))
        .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_i64().unwrap(), p[1].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_trigger_marks_the_unmarked_once_when_the_request_asks() {
    let env = TestEnv::original_app();
    let stack = env.stack().unwrap();
    let (class, [present, other, dropped]) = class_with_students(&env);
    let s = env.session(class, "2031-03-03", "08:00", "09:00");
    let id = s["id"].as_i64().unwrap();
    check_in(&env, id, present, "2031-03-03 08:05:00");
    let close = format!(
        "begin; select set_config('request.headers', '{{\"x-attctl-automark\":\"absent\"}}', true); \
         update teaching_sessions set status = 'Closed' where id = {id} and status = 'Open'; commit"
    );
    stack.psql(&close).unwrap();
    stack.psql(&close).unwrap();
    assert_eq!(
        marks(&env, id),
        vec![(present, "present".into()), (other, "absent".into())]
    );
    let _ = dropped;
}
