//! Benchmark: one reconciliation sweep over 10,000 overdue Open sessions on the real
//! PostgreSQL + PostgREST stack (and on SQLite): how long it takes and how many HTTP
//! requests it makes. Also one sweep with nothing to do, the steady-state cost.
//!
//! Run: `cargo bench --bench sweep`.

use attctl::store::prelude::*;
use std::sync::Arc;
use std::time::Instant;

use attctl::config::{HttpSettings, Secret, SupabaseSettings};
use attctl::scheduler::local::LocalScheduler;
use attctl::service::SessionService;
use attctl::store::postgrest::PostgrestStore;
use attctl::store::sqlite::SqliteStore;
use attctl_testkit::SupabaseStack;
use attctl_testkit::seed;

const OVERDUE: usize = 10_000;

fn main() {
    let stack = SupabaseStack::start().expect("Supabase test stack");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let class: i64 = stack
        .psql("insert into classes (name) values ('bench') returning id")
        .expect("class")
        .trim()
        .parse()
        .expect("class id");
    stack
        .psql(&seed::sql(class, 0, OVERDUE, "2020-01-01"))
        .expect("seed");
    let store = PostgrestStore::new(
        &SupabaseSettings {
            url: stack.url(),
            key: Secret::new(stack.service_role_key()),
            access: attctl::config::SupabaseAccess::ServiceKey,
        },
        &HttpSettings::default(),
    )
    .expect("store");
    let service = SessionService::new(Arc::new(store), Arc::new(LocalScheduler));
    println!("sweep over {OVERDUE} overdue Open sessions");
    for label in ["first (closes all)", "second (nothing to do)"] {
        let before = stack.api_request_total();
        let started = Instant::now();
        let report = rt
            .block_on(service.sweep("bench", chrono::Utc::now()))
            .expect("sweep");
        let took = started.elapsed();
        println!(
            "  supabase  {label:<24} closed {:>6}  {:>8.1} ms  {} HTTP requests",
            report.closed.len(),
            took.as_secs_f64() * 1000.0,
            stack.api_request_total() - before
        );
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let local = SqliteStore::open(&dir.path().join("bench.db")).expect("sqlite");
    rt.block_on(async {
        let class = local.create_class("bench").await.expect("class").id;
        let base = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
        seed::through_store(&local, class, 0..OVERDUE, base).await;
    });
    let service = SessionService::new(Arc::new(local), Arc::new(LocalScheduler));
    for label in ["first (closes all)", "second (nothing to do)"] {
        let started = Instant::now();
        let report = rt
            .block_on(service.sweep("bench", chrono::Utc::now()))
            .expect("sweep");
        println!(
            "  local     {label:<24} closed {:>6}  {:>8.1} ms",
            report.closed.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
