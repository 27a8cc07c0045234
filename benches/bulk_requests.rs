//! Benchmark: the bulk paths other than `session import` on the real PostgreSQL +
//! PostgREST stack, each with the requests it sent (counted at the gateway) and its time:
//! `session generate` of a term for 200 classes, `session delete` and `session close` by a
//! filter, `class delete --cascade`, `holiday add --delete-sessions`, `session export`
//! (CSV and iCalendar), and the sweep's planning (`attctl-worker sweep --once`, when the
//! worker is built). The timetable is written in SQL first: 10,000 sessions, 200 classes
//! over 50 days, one a day each. Prints one line per path.
//!
//! Run: `cargo build --release -p attctl-worker && cargo bench --bench bulk_requests`
//! (`BULK_CLASSES=n` and `BULK_DAYS=n` change the timetable's size).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use attctl_testkit::harness::TestEnv;
use chrono::NaiveDate;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Bench {
    stack: SupabaseStack,
    env: TestEnv,
    classes: usize,
    days: usize,
}

impl Bench {
    /// `classes` new classes, each with a session a day for `days` days from `first`.
    /// Returns the class ids.
    fn seed(&self, tag: &str, first: NaiveDate) -> Vec<i64> {
        let ids = self
            .stack
            .psql(&format!(
                "insert into classes (name) select '{tag} ' || g from generate_series(1, {}) g \
                 returning id",
                self.classes
            ))
            .expect("classes");
        let classes: Vec<i64> = ids.lines().filter_map(|l| l.trim().parse().ok()).collect();
        let list = classes
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.stack
            .psql(&format!(
                "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at, scheduled_task_id)
                 select c, date '{first}' + d, time '08:00', time '08:45', 'UTC', now(), 'local-bench-' || gen_random_uuid()
                 from unnest(array[{list}]::bigint[]) c, generate_series(0, {} - 1) d",
                self.days
            ))
            .expect("sessions");
        classes
    }

    fn last(&self, first: NaiveDate) -> NaiveDate {
        first + chrono::Duration::days(self.days as i64 - 1)
    }

    /// Runs `f`, and prints its time and the requests the gateway received meanwhile.
    fn measure(&self, label: &str, rows: usize, f: impl FnOnce()) {
        let before = self.stack.api_requests();
        let started = Instant::now();
        f();
        let took = started.elapsed();
        let sent: BTreeMap<String, u64> = self
            .stack
            .api_requests()
            .into_iter()
            .map(|(k, n)| {
                let d = n - before.get(&k).copied().unwrap_or(0);
                (k, d)
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        report(label, rows, took, &sent);
    }

    fn attctl(&self, args: &[&str]) {
        self.env.attctl().args(args).success();
    }
}

fn report(label: &str, rows: usize, took: Duration, sent: &BTreeMap<String, u64>) {
    let total: u64 = sent.values().sum();
    let routes: Vec<String> = sent.iter().map(|(k, n)| format!("{n} {k}")).collect();
    println!(
        "{label:<34} {rows:>7} sessions {:>9.0} ms {total:>6} requests ({:.0} sessions/request)",
        took.as_secs_f64() * 1000.0,
        rows as f64 / total.max(1) as f64,
    );
    println!("{:<34} {}", "", routes.join(", "));
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn main() {
    let stack = SupabaseStack::start().expect("Supabase test stack");
    let env = TestEnv::on_stack(&stack).with("ATTCTL_TIMEZONE", "UTC");
    let bench = Bench {
        env,
        stack,
        classes: size("BULK_CLASSES", 200),
        days: size("BULK_DAYS", 50),
    };
    let n = bench.classes * bench.days;
    println!(
        "bulk paths on Supabase (PostgreSQL 15 + PostgREST 12 behind the gateway), {} classes x {} days",
        bench.classes, bench.days
    );

    // A term for every class: `session generate` once per class (it takes one class).
    let ids = bench
        .stack
        .psql(&format!(
            "insert into classes (name) select 'Term ' || g from generate_series(1, {}) g returning id",
            bench.classes
        ))
        .expect("classes");
    let classes: Vec<String> = ids.lines().map(|l| l.trim().to_string()).collect();
    let term = (day("2031-01-06"), day("2031-03-28"));
    let weekdays = (0..=(term.1 - term.0).num_days())
        .map(|d| term.0 + chrono::Duration::days(d))
        .filter(|d| chrono::Datelike::weekday(d).number_from_monday() <= 5)
        .count();
    bench.measure(
        "session generate (a term, per class)",
        weekdays * classes.len(),
        || {
            for class in &classes {
                bench.attctl(&[
                    "session",
                    "generate",
                    "--class",
                    class,
                    "--days",
                    "mon,tue,wed,thu,fri",
                    "--from",
                    &term.0.to_string(),
                    "--to",
                    &term.1.to_string(),
                    "--start",
                    "09:00",
                    "--end",
                    "09:50",
                    "-o",
                    "json",
                ]);
            }
        },
    );

    let first = day("2032-01-05");
    bench.seed("Export", first);
    let range = [
        "--from".to_string(),
        first.to_string(),
        "--to".to_string(),
        bench.last(first).to_string(),
    ];
    let range: Vec<&str> = range.iter().map(String::as_str).collect();
    for format in ["csv", "ics"] {
        bench.measure(&format!("session export --format {format}"), n, || {
            let mut args = vec!["session", "export", "--format", format];
            args.extend(&range);
            bench.attctl(&args);
        });
    }
    bench.measure("session close by filter", n, || {
        let mut args = vec!["session", "close", "--yes", "-o", "json"];
        args.extend(&range);
        bench.attctl(&args);
    });
    bench.measure("session delete by filter", n, || {
        let mut args = vec!["session", "delete", "--yes", "-o", "json"];
        args.extend(&range);
        bench.attctl(&args);
    });

    let first = day("2033-01-05");
    bench.seed("Holiday", first);
    bench.measure("holiday add --delete-sessions", n, || {
        bench.attctl(&[
            "holiday",
            "add",
            "--name",
            "Closure",
            "--from",
            &first.to_string(),
            "--to",
            &bench.last(first).to_string(),
            "--delete-sessions",
            "--yes",
            "-o",
            "json",
        ]);
    });

    // One class with as many sessions as the whole timetable.
    let class = bench
        .stack
        .psql("insert into classes (name) values ('Cascade') returning id")
        .expect("class")
        .trim()
        .to_string();
    bench
        .stack
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at, scheduled_task_id)
             select {class}, date '2034-01-01' + (g / 8), time '08:00' + (g % 8) * interval '1 hour',
                    time '08:45' + (g % 8) * interval '1 hour', 'UTC', now(), 'local-bench-' || gen_random_uuid()
             from generate_series(0, {n} - 1) g"
        ))
        .expect("sessions");
    bench.measure("class delete --cascade", n, || {
        bench.attctl(&[
            "class",
            "delete",
            &format!("id:{class}"),
            "--cascade",
            "--yes",
        ]);
    });

    // The sweep's planning: the timetable without runs, planned by one `sweep --once`.
    let first = day("2035-01-05");
    let classes = bench.seed("Planning", first);
    let list = classes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    bench
        .stack
        .psql(&format!(
            "update teaching_sessions set scheduled_task_id = null where class_id in ({list})"
        ))
        .expect("no runs");
    let worker = std::panic::catch_unwind(|| attctl_testkit::harness::binary("attctl-worker"));
    match worker {
        Ok(_) => bench.measure("sweep planning (sweep --once)", n, || {
            bench.env.worker().args(["sweep", "--once"]).success();
        }),
        Err(_) => println!("sweep planning: attctl-worker is not built; left out"),
    }
}
