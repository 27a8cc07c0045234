//! Issue 26, "A day at the terminal": commands that never guess (destructive commands take
//! an exact name or id), ids never reused, holidays against planned sessions, one name for
//! date ranges, plain single values, exit codes in the help, and the small ones.

use crate::common::{Backend, TestEnv, unique};

fn class_json(env: &TestEnv, name: &str) -> serde_json::Value {
    env.attctl()
        .args(["class", "create", "-o", "json", "--name", name])
        .success()
        .json()
}

fn class_names(env: &TestEnv) -> Vec<String> {
    env.attctl()
        .args(["class", "list", "-o", "json"])
        .success()
        .json()
        .as_array()
        .expect("class list")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

fn status_of(env: &TestEnv, id: i64) -> String {
    env.show(id)["status"].as_str().expect("status").to_string()
}

// ----- item 2: destructive commands never guess -------------------------------------------

fn destructive_commands_take_an_exact_name_or_id(env: TestEnv) {
    let name = unique("Art");
    let lower = name.to_lowercase();
    let class = class_json(&env, &name)["id"].as_i64().unwrap();
    let session = env.session(class, "2030-09-02", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let suggestion =
        format!("did you mean \"{name}\" (id:{class})? Pass the exact name or id:{class}");

    // Each destructive command refuses the near name with the suggestion, writing nothing.
    for args in [
        vec!["class", "delete", &lower, "--cascade", "--yes"],
        vec!["class", "rename", &lower, "--name", "Anything"],
        vec!["session", "delete", "--class", &lower, "--yes"],
        vec!["session", "close", "--class", &lower, "--yes"],
    ] {
        let out = env.attctl().args(&args).run();
        out.assert_one_line_error(3, &suggestion);
        assert!(
            out.stderr.contains(&format!("no class named \"{lower}\"")),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(class_names(&env).contains(&name));
    assert_eq!(status_of(&env, session), "Open");

    // Read-only commands still take the name in any case.
    let listed = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class", &lower])
        .success()
        .json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    // An unknown id says where the classes are listed.
    env.attctl()
        .args(["class", "delete", "id:987654321"])
        .run()
        .assert_one_line_error(3, "class 987654321 not found; `attctl class list`");

    // The exact name and the id are taken.
    env.attctl()
        .args(["session", "close", "--class", &name, "--yes"])
        .success();
    assert_eq!(status_of(&env, session), "Closed");
    env.attctl()
        .args([
            "class",
            "delete",
            &format!("id:{class}"),
            "--cascade",
            "--yes",
        ])
        .success();
    assert!(!class_names(&env).contains(&name));
}

/// The story: classes `art` and `Art`; deleting `art` twice deletes `art` once, and
/// the second run is refused with `Art` as a suggestion.
fn a_retried_delete_never_reaches_a_class_of_another_case(env: TestEnv) {
    let upper = unique("Art");
    let lower = upper.to_lowercase();
    let upper_id = class_json(&env, &upper)["id"].as_i64().unwrap();
    // A name differing only in case is created, with a warning (as a positional name).
    let out = env
        .attctl()
        .args(["class", "create", "-o", "json", &lower])
        .success();
    assert_eq!(out.json()["name"], lower.as_str());
    assert!(
        out.stderr.contains(&format!(
            "class \"{upper}\" (id:{upper_id}) differs from \"{lower}\" only in case"
        )),
        "{}",
        out.stderr
    );
    env.attctl()
        .args(["class", "delete", &lower, "--cascade", "--yes"])
        .success();
    env.attctl()
        .args(["class", "delete", &lower, "--cascade", "--yes"])
        .run()
        .assert_one_line_error(3, &format!("did you mean \"{upper}\" (id:{upper_id})"));
    let names = class_names(&env);
    assert!(
        names.contains(&upper) && !names.contains(&lower),
        "{names:?}"
    );
}

fn holiday_delete_takes_an_exact_name_or_id(env: TestEnv) {
    let name = unique("Half term");
    let added = env
        .attctl()
        .args([
            "holiday",
            "add",
            "-o",
            "json",
            "--date",
            "2030-10-21",
            "--name",
            &name,
        ])
        .success()
        .json();
    let id = added["id"].as_i64().unwrap();
    env.attctl()
        .args(["holiday", "delete", &name.to_uppercase()])
        .run()
        .assert_one_line_error(3, &format!("did you mean \"{name}\" (id:{id})"));
    let listed = env
        .attctl()
        .args(["holiday", "list", "-o", "json"])
        .success()
        .json();
    assert!(listed.as_array().unwrap().iter().any(|h| h["id"] == id));
    env.attctl()
        .args(["holiday", "delete", "id:987654321"])
        .run()
        .assert_one_line_error(3, "`attctl holiday list`");
    let gone = env
        .attctl()
        .args(["holiday", "delete", "-o", "json", &name])
        .success()
        .json();
    assert_eq!(gone["id"], id);
}

/// `class create` takes its name as a positional argument or as --name, not both.
#[test]
fn class_create_takes_a_positional_name() {
    let env = TestEnv::new(Backend::Local);
    let out = env
        .attctl()
        .args(["class", "create", "-o", "json", "Year 12"])
        .success();
    assert_eq!(out.json()["name"], "Year 12");
    let both = env
        .attctl()
        .args(["class", "create", "Year 13", "--name", "Year 14"])
        .run();
    assert_eq!(both.code, 2, "{}", both.stderr);
    assert_eq!(class_names(&env), ["Year 12"]);
}

// ----- item 3: ids are never reused ------------------------------------------------------

/// Create, delete, create again: the new class, session and holiday each get a new id.
fn ids_are_never_handed_out_again(env: TestEnv) {
    let first = class_json(&env, &unique("Reused"))["id"].as_i64().unwrap();
    env.attctl()
        .args(["class", "delete", &format!("id:{first}")])
        .success();
    let second = class_json(&env, &unique("Reused"))["id"].as_i64().unwrap();
    assert!(
        second > first,
        "class id {first} handed out again as {second}"
    );

    let s1 = env.session(second, "2030-11-04", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    env.attctl()
        .args(["session", "delete", &s1.to_string(), "--yes"])
        .success();
    let s2 = env.session(second, "2030-11-04", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    assert!(s2 > s1, "session id {s1} handed out again as {s2}");

    let holiday = |name: &str| {
        env.attctl()
            .args([
                "holiday",
                "add",
                "-o",
                "json",
                "--date",
                "2030-12-24",
                "--name",
                name,
            ])
            .success()
            .json()["id"]
            .as_i64()
            .unwrap()
    };
    let h1 = holiday(&unique("Eve"));
    env.attctl()
        .args(["holiday", "delete", &format!("id:{h1}")])
        .success();
    let h2 = holiday(&unique("Eve"));
    assert!(h2 > h1, "holiday id {h1} handed out again as {h2}");
}

backend_tests!(
    ids_are_never_handed_out_again,
    destructive_commands_take_an_exact_name_or_id,
    a_retried_delete_never_reaches_a_class_of_another_case,
    holiday_delete_takes_an_exact_name_or_id,
);
