//! Classes and sessions of a [`TestEnv`], made and read through the real `attctl` (and,
//! with the `store` feature, seeded in bulk straight through the store), and the few
//! readers of its JSON that many test modules share.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;

#[cfg(feature = "store")]
use super::Backend;
use super::{Outcome, TestEnv, test_zone, unique, wall_times};

impl TestEnv {
    /// Creates a class with a unique name and returns its id.
    pub fn class(&self) -> i64 {
        let name = unique("Class");
        let out = self
            .attctl()
            .args(["class", "create", "--name", &name, "-o", "json"])
            .success();
        out.json()["id"].as_i64().expect("class id")
    }

    /// `session show ID -o json`, which must succeed.
    pub fn show_json(&self, id: &str) -> Value {
        self.attctl()
            .args(["session", "show", "-o", "json", id])
            .success()
            .json()
    }

    /// `session show ID -o json` of a session id, which must succeed.
    pub fn show(&self, id: i64) -> Value {
        self.show_json(&id.to_string())
    }

    /// Creates a session and returns its JSON.
    pub fn session(&self, class: i64, date: &str, start: &str, end: &str) -> Value {
        self.attctl()
            .args(["session", "create", "-o", "json", "--class"])
            .arg(class.to_string())
            .args(["--date", date, "--start", start, "--end", end])
            .success()
            .json()
    }

    /// Creates a session of `class` ending at `end` (UTC, whole seconds), starting `len`
    /// earlier on the same day.
    pub fn session_ending_at(&self, class: i64, end: DateTime<Utc>, len: Duration) -> Value {
        let out = self.try_session_ending_at(class, end, len);
        out.assert_ok();
        out.json()
    }

    /// `session reschedule ID` to wall-clock times ending at `end`, `len` long; the moved
    /// session's JSON.
    pub fn reschedule_ending_at(&self, id: i64, end: DateTime<Utc>, len: Duration) -> Value {
        let (date, start, end) = self.wall_times(end, len);
        let out = self.run_attctl([
            "session",
            "reschedule",
            &id.to_string(),
            "--date",
            &date,
            "--start",
            &start,
            "--end",
            &end,
            "-o",
            "json",
        ]);
        out.assert_ok();
        out.json()
    }

    pub fn try_session_ending_at(&self, class: i64, end: DateTime<Utc>, len: Duration) -> Outcome {
        let (date, start, end) = self.wall_times(end, len);
        self.run_attctl([
            "session",
            "create",
            "-o",
            "json",
            "--class",
            &class.to_string(),
            "--date",
            &date,
            "--start",
            &start,
            "--end",
            &end,
            // Worker tests create many sessions of one class ending together; whether they
            // may overlap is attctl's rule (tests/it/first_hour.rs), not the worker's concern.
            "--allow-overlap",
        ])
    }

    /// [`wall_times`] for this environment, which must write wall-clock times in
    /// [`test_zone`]: in any other zone the instants would be off by the zone's offset,
    /// which depends on the hour the suite runs, so a test would pass at noon UTC only.
    #[track_caller]
    fn wall_times(&self, end: DateTime<Utc>, len: Duration) -> (String, String, String) {
        let zone = self.var("ATTCTL_TIMEZONE");
        assert_eq!(
            zone,
            Some(test_zone()),
            "sessions ending at an instant are written in the test zone; this environment \
             is in {zone:?}: build it with TestEnv::local(), bare() or on_stack()"
        );
        wall_times(end, len)
    }

    /// Inserts `n` sessions for `class` directly through the real store (the CLI would
    /// take minutes for thousands): dates from 2031-01-01, eight sessions a day.
    #[cfg(feature = "store")]
    pub fn seed_sessions(&self, class: i64, n: usize) {
        match self.backend {
            Backend::Supabase => {
                self.stack()
                    .expect("a Supabase environment has a stack")
                    .psql(&crate::seed::sql(class, 0, n, "2031-01-01"))
                    .expect("seed sessions");
            }
            Backend::Local => {
                let path = self.var("ATTCTL_DATA_FILE").expect("data file");
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let store = attctl::store::sqlite::SqliteStore::open(std::path::Path::new(path))
                    .expect("open store");
                let base = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).expect("date");
                rt.block_on(crate::seed::through_store(&store, class, 0..n, base));
            }
        }
    }

    /// Polls `session show` until `pred` holds or `timeout` passes; returns the last JSON.
    pub fn wait_session(&self, id: i64, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let s = self.show(id);
            if pred(&s) || Instant::now() >= deadline {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Creates a class with a unique name starting with `prefix`; its id and name.
    pub fn unique_class(&self, prefix: &str) -> (i64, String) {
        let name = unique(prefix);
        (self.class_named(&name), name)
    }

    /// Creates the class `name`; its id.
    pub fn class_named(&self, name: &str) -> i64 {
        self.attctl()
            .args(["class", "create", "-o", "json", "--name", name])
            .success()
            .json()["id"]
            .as_i64()
            .expect("class id")
    }

    /// Every session of `class` (`session list --all -o json --class`), which must succeed.
    pub fn sessions_of(&self, class: i64) -> Vec<Value> {
        self.attctl()
            .args(["session", "list", "--all", "-o", "json", "--class"])
            .arg(class.to_string())
            .success()
            .json()
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// The id of a session's JSON.
pub fn session_id(session: &Value) -> i64 {
    session["id"].as_i64().expect("session id")
}

/// The check `name` of an `attctl doctor -o json` report; panics with the report if it
/// has none.
pub fn doctor_check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no check {name:?} in {report:#}"))
}
