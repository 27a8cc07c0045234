//! The service on a real SQLite store (a temp file) with a scheduler that records what it
//! is asked, or fails: create, planning a backlog, the warning paths and the events, in
//! milliseconds rather than through spawned processes.

use crate::store::prelude::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::*;
use crate::clock;
use crate::error::Error;
use crate::events::RecordingSink;
use crate::scheduler::Cancelled;
use crate::scheduler::local::LocalScheduler;
use crate::session::SessionTimes;
use crate::store::sqlite::SqliteStore;

/// A scheduler whose runs are ids it hands out and remembers; it can fail on demand, and
/// measures how many of its calls run at once.
#[derive(Default)]
struct RecordingScheduler {
    scheduled: Mutex<Vec<SessionId>>,
    cancelled: Mutex<Vec<String>>,
    /// Sessions whose scheduling fails.
    fail_for: Mutex<HashSet<SessionId>>,
    fail_all: std::sync::atomic::AtomicBool,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    calls: AtomicUsize,
}

#[async_trait]
impl ClosureScheduler for RecordingScheduler {
    fn name(&self) -> &'static str {
        "recording"
    }

    async fn schedule(&self, session: &TeachingSession) -> Result<String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        // Yield so that concurrent calls really overlap.
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let fail = self.fail_all.load(Ordering::SeqCst)
            || self
                .fail_for
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(&session.id);
        if fail {
            return Err(Error::Unavailable("the engine is down".into()));
        }
        self.scheduled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(session.id);
        Ok(uuid::Uuid::new_v4().to_string())
    }

    async fn cancel(&self, run_id: &str) -> Result<Cancelled> {
        self.cancelled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(run_id.to_string());
        Ok(Cancelled::Removed)
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    scheduler: Arc<RecordingScheduler>,
    events: RecordingSink,
    service: SessionService,
    class: i64,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(SqliteStore::open(&dir.path().join("attctl.db")).expect("store"));
    let class = store.create_class("A").await.expect("class").id;
    let scheduler = Arc::new(RecordingScheduler::default());
    let events = RecordingSink::default();
    let service =
        SessionService::new(store.clone(), scheduler.clone()).with_events(Arc::new(events.clone()));
    Fixture {
        _dir: dir,
        store,
        scheduler,
        events,
        service,
        class,
    }
}

fn times(date: NaiveDate, start: &str, minutes: i64) -> SessionTimes {
    let start = NaiveTime::parse_from_str(start, "%H:%M").expect("time");
    clock::session_times(
        date,
        start,
        start + Duration::minutes(minutes),
        chrono_tz::UTC,
    )
    .expect("times")
}

fn future_day(days: i64) -> NaiveDate {
    (Utc::now() + Duration::days(days)).date_naive()
}

/// `n` future Open sessions with no run, written straight into the store.
async fn backlog(f: &Fixture, n: usize) -> Vec<SessionId> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let date = future_day(2 + (i / 10) as i64);
        let start = format!("{:02}:00", 8 + i % 10);
        let new = times(date, &start, 45).into_new_session(f.class);
        ids.push(f.store.insert_session(&new).await.expect("insert").id);
    }
    ids
}

#[tokio::test]
async fn create_plans_its_run_and_reports_the_event() {
    let f = fixture().await;
    let report = f
        .service
        .create(
            &ClassRef::Id(f.class),
            times(future_day(3), "09:00", 50),
            Utc::now(),
        )
        .await
        .expect("create");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let run = report.session.scheduled_task_id.clone().expect("run id");
    assert!(uuid::Uuid::parse_str(&run).is_ok(), "{run}");
    assert_eq!(
        *f.scheduler.scheduled.lock().unwrap(),
        vec![report.session.id]
    );
    let kinds: Vec<&str> = f.events.events().iter().map(|e| e.kind()).collect();
    assert_eq!(kinds, vec!["session.created"]);
}

#[tokio::test]
async fn a_scheduling_failure_keeps_the_session_and_warns() {
    let f = fixture().await;
    f.scheduler.fail_all.store(true, Ordering::SeqCst);
    let report = f
        .service
        .create(
            &ClassRef::Id(f.class),
            times(future_day(3), "09:00", 50),
            Utc::now(),
        )
        .await
        .expect("create succeeds");
    assert_eq!(report.session.scheduled_task_id, None);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].contains("sweep"),
        "{:?}",
        report.warnings
    );
    let stored = f.service.show(report.session.id).await.expect("stored");
    assert_eq!(stored.scheduled_task_id, None);
}

#[tokio::test]
async fn the_local_scheduler_needs_one_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(SqliteStore::open(&dir.path().join("attctl.db")).expect("store"));
    let class = store.create_class("A").await.expect("class").id;
    let service = SessionService::new(store, Arc::new(LocalScheduler));
    let report = service
        .create(
            &ClassRef::Id(class),
            times(future_day(3), "09:00", 50),
            Utc::now(),
        )
        .await
        .expect("create");
    let run = report.session.scheduled_task_id.expect("inline run id");
    assert!(run.starts_with(crate::scheduler::local::LOCAL_RUN_PREFIX));
}

#[tokio::test]
async fn a_backlog_is_planned_in_bulk_with_bounded_concurrency() {
    let f = fixture().await;
    let ids = backlog(&f, 2500).await;
    let mut report = SweepOutcome::default();
    f.service
        .plan_missing_runs("w", Utc::now(), &mut report)
        .await
        .expect("plan");
    assert_eq!(report.scheduled, ids.len(), "{report:?}");
    assert_eq!(report.schedule_failures, 0);
    let max = f.scheduler.max_in_flight.load(Ordering::SeqCst);
    assert!(
        (2..=SCHEDULE_CONCURRENCY).contains(&max),
        "{max} runs created at once"
    );
    let sessions = f.store.get_sessions(&ids).await.expect("read");
    let runs: HashSet<&str> = sessions
        .iter()
        .filter_map(|s| s.scheduled_task_id.as_deref())
        .collect();
    assert_eq!(runs.len(), ids.len(), "one distinct run id each");
    assert!(runs.iter().all(|r| uuid::Uuid::parse_str(r).is_ok()));
    // Nothing left to plan.
    let mut again = SweepOutcome::default();
    f.service
        .plan_missing_runs("w", Utc::now(), &mut again)
        .await
        .expect("plan");
    assert_eq!(again.scheduled, 0);
}

#[tokio::test]
async fn sessions_whose_runs_fail_get_their_claim_back() {
    let f = fixture().await;
    let ids = backlog(&f, 30).await;
    // Every third session from the second on (the first of a chunk is tried alone).
    let failing: Vec<SessionId> = ids.iter().copied().skip(1).step_by(3).collect();
    f.scheduler
        .fail_for
        .lock()
        .unwrap()
        .extend(failing.iter().copied());
    let mut report = SweepOutcome::default();
    f.service
        .plan_missing_runs("w", Utc::now(), &mut report)
        .await
        .expect("plan");
    assert_eq!(report.scheduled, 20, "{report:?}");
    assert_eq!(report.schedule_failures, 10, "{report:?}");
    assert!(!report.errors.is_empty());
    for s in f.store.get_sessions(&ids).await.expect("read") {
        let failed = failing.contains(&s.id);
        if failed {
            // Released, not left holding a claim: the next sweep plans it at once.
            assert_eq!(s.scheduled_task_id, None, "{s:?}");
        } else {
            assert!(s.scheduled_run().is_some(), "{s:?}");
        }
    }
}

#[tokio::test]
async fn a_run_id_is_not_stored_over_a_claim_taken_meanwhile() {
    let f = fixture().await;
    let ids = backlog(&f, 1).await;
    let now = Utc::now();
    let batch = f
        .store
        .unscheduled_open(now, now - CLAIM_TTL, 10)
        .await
        .expect("read");
    let claim = "claim:w:test";
    let claimed = f
        .store
        .claim_for_planning(&batch, claim, now)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    // Someone else (a reschedule) replaces the claim before the run id is stored.
    f.store
        .swap_scheduled_task(ids[0], Some(claim), Some("someone-else"))
        .await
        .expect("swap")
        .expect("swapped");
    let stored = f
        .store
        .store_run_ids(claim, &[(ids[0], "run-1".into())])
        .await
        .expect("store");
    assert!(stored.is_empty());
    // A claim already given back is not taken again by a repeat.
    f.store.release_claim(claim, &ids).await.expect("release");
    let s = f.service.show(ids[0]).await.expect("show");
    assert_eq!(s.scheduled_task_id.as_deref(), Some("someone-else"));
}

#[tokio::test]
async fn every_change_is_reported_once_whichever_path_made_it() {
    let f = fixture().await;
    let now = Utc::now();
    let class = ClassRef::Id(f.class);
    let a = f
        .service
        .create(&class, times(future_day(3), "09:00", 50), now)
        .await
        .expect("a")
        .session;
    let b = f
        .service
        .create(&class, times(future_day(3), "11:00", 50), now)
        .await
        .expect("b")
        .session;
    // By hand.
    f.service
        .close(&[a.id], false, now, &|| {})
        .await
        .expect("close");
    // Moved and reopened.
    let change = Reschedule {
        date: Some(future_day(4)),
        reopen: true,
        ..Default::default()
    };
    f.service
        .reschedule(a.id, &change, now)
        .await
        .expect("reschedule");
    // By its run, once it is due.
    let due = b.closes_at + Duration::seconds(1);
    assert!(matches!(
        f.service.close_from_run(b.id, due).await.expect("run"),
        RunOutcome::Closed { .. }
    ));
    // By the sweep.
    let late = backlog(&f, 1).await[0];
    let sweep_at = future_day(30).and_hms_opt(0, 0, 0).expect("time").and_utc();
    let swept = f.service.close_pass(sweep_at).await.expect("sweep");
    assert!(swept.closed.contains(&late));
    f.service.delete(&[b.id], &|| {}).await.expect("delete");

    let seen: Vec<(&str, SessionId, Option<ClosedBy>)> = f
        .events
        .events()
        .iter()
        .map(|e| {
            let by = match e {
                SessionEvent::Closed { closed_by, .. } => Some(*closed_by),
                _ => None,
            };
            (e.kind(), e.session_id(), by)
        })
        .filter(|(_, id, _)| *id == a.id || *id == b.id || *id == late)
        .collect();
    assert_eq!(
        seen,
        vec![
            ("session.created", a.id, None),
            ("session.created", b.id, None),
            ("session.closed", a.id, Some(ClosedBy::Manual)),
            ("session.rescheduled", a.id, None),
            ("session.reopened", a.id, None),
            ("session.closed", b.id, Some(ClosedBy::Auto)),
            // The sweep closes in closing order: `late` (day 2) before `a` (day 4).
            ("session.closed", late, Some(ClosedBy::Sweep)),
            ("session.closed", a.id, Some(ClosedBy::Sweep)),
            ("session.deleted", b.id, None),
        ]
    );
}

#[tokio::test]
async fn the_sweep_gives_the_grace_only_to_sessions_with_a_run() {
    let f = fixture().await;
    let now = Utc::now();
    let ended = |start: &str| {
        // Yesterday's date, so that the start has passed whatever the time of day (today's
        // 02:00 is still ahead before 02:00 UTC, and such a session is not swept).
        let t = times(now.date_naive() - Duration::days(1), start, 1);
        // Both ended 5 s ago (inside SWEEP_GRACE).
        let closes_at: DateTime<Utc> = now - Duration::seconds(5);
        SessionTimes { closes_at, ..t }
    };
    let mut with_run = ended("01:00").into_new_session(f.class);
    with_run.scheduled_task_id = Some(uuid::Uuid::new_v4().to_string());
    let with_run = f.store.insert_session(&with_run).await.expect("insert");
    let without = f
        .store
        .insert_session(&ended("02:00").into_new_session(f.class))
        .await
        .expect("insert");
    let report = f.service.close_pass(now).await.expect("sweep");
    assert_eq!(report.closed, vec![without.id]);
    assert!(report.recheck_at.is_some(), "{report:?}");
    let still = f.service.show(with_run.id).await.expect("show");
    assert!(still.is_open());
}

#[tokio::test]
async fn a_failing_scheduler_costs_one_request_per_pass() {
    let f = fixture().await;
    let ids = backlog(&f, 50).await;
    f.scheduler.fail_all.store(true, Ordering::SeqCst);
    let mut report = SweepOutcome::default();
    f.service
        .plan_missing_runs("w", Utc::now(), &mut report)
        .await
        .expect("plan");
    assert_eq!(f.scheduler.calls.load(Ordering::SeqCst), 1);
    assert_eq!(report.scheduled, 0);
    assert_eq!(report.schedule_failures, 1);
    // Every claim is given back: the next pass plans them all once the engine is back.
    for s in f.store.get_sessions(&ids).await.expect("read") {
        assert_eq!(s.scheduled_task_id, None, "{s:?}");
    }
    f.scheduler.fail_all.store(false, Ordering::SeqCst);
    let mut again = SweepOutcome::default();
    f.service
        .plan_missing_runs("w", Utc::now(), &mut again)
        .await
        .expect("plan");
    assert_eq!(again.scheduled, ids.len());
}

#[tokio::test]
async fn a_run_closes_the_sessions_due_with_its_own_and_no_others() {
    let f = fixture().await;
    let planned = Utc::now() - Duration::seconds(1);
    // Sessions whose closing instant is given outright (the times only need to differ).
    let at = |start: &str, closes_at: DateTime<Utc>| {
        let t = times(future_day(2), start, 30);
        SessionTimes { closes_at, ..t }.into_new_session(f.class)
    };
    let mut ids = Vec::new();
    for (start, closes_at) in [
        ("08:00", planned),                                           // the run's own
        ("09:00", planned),                                           // same instant
        ("10:00", planned - Duration::seconds(10)), // due just before, inside the grace
        ("11:00", planned - Duration::seconds(30)), // overdue past the grace: the sweep's
        ("12:00", planned + Duration::seconds(1)),  // due after the run's instant
        ("16:00", planned - SWEEP_GRACE),           // on the window's exclusive edge: the sweep's
        ("17:00", planned - SWEEP_GRACE + Duration::microseconds(1)), // just inside it
    ] {
        ids.push(
            f.store
                .insert_session(&at(start, closes_at))
                .await
                .expect("insert")
                .id,
        );
    }
    let already = f
        .store
        .insert_session(&at("13:00", planned))
        .await
        .expect("insert");
    f.store
        .close_if_open(already.id, ClosedBy::Manual, planned, None)
        .await
        .expect("close by hand");

    let now = Utc::now();
    let outcome = f
        .service
        .close_from_planned_run(ids[0], Some(planned), now)
        .await
        .expect("run");
    let RunOutcome::Closed {
        session, together, ..
    } = outcome
    else {
        panic!("not closed: {outcome:?}");
    };
    assert_eq!(session.id, ids[0]);
    let mut together: Vec<SessionId> = together.iter().map(|s| s.id).collect();
    together.sort_unstable();
    assert_eq!(together, vec![ids[1], ids[2], ids[6]]);
    let rows = f.store.get_sessions(&ids).await.expect("read");
    for row in &rows {
        let expect_closed = [ids[0], ids[1], ids[2], ids[6]].contains(&row.id);
        assert_eq!(!row.is_open(), expect_closed, "{row:?}");
        if expect_closed {
            assert_eq!(row.closed_by, Some(ClosedBy::Auto), "{row:?}");
            assert_eq!(
                row.closed_at.map(|t| t.timestamp_micros()),
                Some(now.timestamp_micros()),
                "{row:?}"
            );
        }
    }
    let hand = f.service.show(already.id).await.expect("show");
    assert_eq!(hand.closed_by, Some(ClosedBy::Manual));
    // One event per close, each as `auto`.
    let closed: Vec<SessionId> = f
        .events
        .events()
        .iter()
        .filter_map(|e| match e {
            SessionEvent::Closed {
                session_id,
                closed_by: ClosedBy::Auto,
                ..
            } => Some(*session_id),
            _ => None,
        })
        .collect();
    assert_eq!(closed.len(), 4, "{closed:?}");

    // The runs of the others find them closed; a run without a planned instant (the
    // original app's) closes only its own.
    assert!(matches!(
        f.service
            .close_from_planned_run(ids[1], Some(planned), Utc::now())
            .await
            .expect("run"),
        RunOutcome::AlreadyClosed
    ));
    let legacy = f
        .store
        .insert_session(&at("14:00", planned))
        .await
        .expect("insert");
    let other = f
        .store
        .insert_session(&at("15:00", planned))
        .await
        .expect("insert");
    let outcome = f
        .service
        .close_from_planned_run(legacy.id, None, Utc::now())
        .await
        .expect("run");
    assert!(
        matches!(&outcome, RunOutcome::Closed { together, .. } if together.is_empty()),
        "{outcome:?}"
    );
    assert!(f.service.show(other.id).await.expect("show").is_open());
}
