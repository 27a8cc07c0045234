//! The `SessionStore` contract: one suite of trait-level tests, run against the SQLite store
//! on a temp file and against the PostgREST store on the real PostgreSQL + PostgREST stack.
//! Both stores must give the same answers for the same calls.

use std::collections::HashSet;
use std::sync::Arc;

use attctl::config::{HttpSettings, Secret, SupabaseSettings};
use attctl::error::Error;
use attctl::session::{ClassRef, ClosedBy, NewSession, SessionTimes, Status, TeachingSession};
use attctl::store::postgrest::PostgrestStore;
use attctl::store::sqlite::SqliteStore;
use attctl::store::{Cursor, OverdueCutoff, SessionFilter, SessionStore, TimesUpdate, WarningRun};
use attctl_testkit::SupabaseStack;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// A store, and what keeps it alive (the temp dir of a SQLite file).
struct Subject {
    store: Arc<dyn SessionStore>,
    _dir: Option<tempfile::TempDir>,
}

fn sqlite() -> Subject {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("attctl.db")).expect("store");
    Subject {
        store: Arc::new(store),
        _dir: Some(dir),
    }
}

fn postgrest() -> Subject {
    let stack = SupabaseStack::shared();
    let store = PostgrestStore::new(
        &SupabaseSettings {
            url: stack.url(),
            key: Secret::new(stack.service_role_key()),
            access: attctl::config::SupabaseAccess::ServiceKey,
        },
        &HttpSettings::default(),
    )
    .expect("store");
    Subject {
        store: Arc::new(store),
        _dir: None,
    }
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::sqlite().store).await;
                }
            )*
        }
        mod on_postgrest {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::postgrest().store).await;
                }
            )*
        }
    };
}

contract!(
    a_look_answers_what_an_idle_worker_needs_to_know,
    open_closing_between_counts_the_open_sessions_of_the_window,
    close_if_open_closes_once_and_respects_due_by,
    close_if_planned_closes_only_at_the_instant_it_was_planned_for,
    close_overdue_closes_each_due_session_once_and_only_those,
    the_overdue_cutoff_spares_sessions_with_a_run,
    scheduled_task_id_is_compare_and_set,
    update_times_checks_the_status_and_reopens,
    keyset_paging_lists_every_row_once_in_order,
    unscheduled_open_finds_sessions_without_a_run_and_stale_claims,
    claims_and_run_ids_are_conditional,
    run_ids_are_cleared_only_where_still_held,
    errors_are_typed_alike,
    close_due_together_closes_the_window_and_nothing_else,
    warning_runs_are_kept_once_and_taken_back,
    missing_warning_runs_are_the_open_planned_sessions_without_them,
);

/// A class of its own (the PostgREST tests share one database).
async fn class(store: &dyn SessionStore) -> i64 {
    let name = crate::common::unique("Contract");
    store.create_class(&name).await.expect("class").id
}

/// The overdue tests close every Open session before their cut-off, whoever's it is: their
/// sessions are in years no other test here uses, long before every other test's dates.
const OVERDUE_YEAR: i32 = 1975;
const GRACE_YEAR: i32 = 1976;
const TOGETHER_YEAR: i32 = 1977;
/// Warning runs pruned before 1979 are this test's alone.
const WARNING_YEAR: i32 = 1978;
/// The look's overdue sessions: after every cut-off of the overdue tests above.
const LOOK_OVERDUE_YEAR: i32 = 1981;
/// The look's next closing instant: a year no other test here uses.
const LOOK_NEXT_YEAR: i32 = 2094;

fn new_session(class: i64, date: NaiveDate, start: &str, end: &str) -> NewSession {
    let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").expect("time");
    attctl::clock::session_times(date, t(start), t(end), chrono_tz::UTC)
        .expect("times")
        .into_new_session(class)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn insert(store: &dyn SessionStore, new: &NewSession) -> TeachingSession {
    store.insert_session(new).await.expect("insert")
}

fn at(s: &TeachingSession, secs: i64) -> DateTime<Utc> {
    s.closes_at + Duration::seconds(secs)
}

async fn close_if_open_closes_once_and_respects_due_by(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let s = insert(
        store,
        &new_session(class, day(2031, 1, 6), "08:00", "09:00"),
    )
    .await;
    // Not due yet: left Open.
    let early = store
        .close_if_open(s.id, ClosedBy::Auto, at(&s, -60), Some(at(&s, -30)))
        .await
        .expect("close");
    assert_eq!(early, None);
    let closed = store
        .close_if_open(s.id, ClosedBy::Auto, at(&s, 1), Some(at(&s, 11)))
        .await
        .expect("close")
        .expect("closed");
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.closed_by, Some(ClosedBy::Auto));
    assert_eq!(closed.closed_at, Some(at(&s, 1)));
    // Twice: nothing, and the first close stands.
    let again = store
        .close_if_open(s.id, ClosedBy::Manual, at(&s, 2), None)
        .await
        .expect("close");
    assert_eq!(again, None);
    let now = store.get_sessions(&[s.id]).await.expect("get");
    assert_eq!(now[0].closed_by, Some(ClosedBy::Auto));
    // Missing: nothing, no error.
    assert_eq!(
        store
            .close_if_open(i64::MAX - 7, ClosedBy::Manual, at(&s, 2), None)
            .await
            .expect("close"),
        None
    );
}

async fn close_if_planned_closes_only_at_the_instant_it_was_planned_for(
    store: Arc<dyn SessionStore>,
) {
    let store = store.as_ref();
    let class = class(store).await;
    let s = insert(
        store,
        &new_session(class, day(2031, 1, 7), "08:00", "09:00"),
    )
    .await;
    // A run planned before a move (for another instant, earlier or later) closes nothing,
    // even when the session is due.
    for stale in [at(&s, -600), at(&s, 600)] {
        let left = store
            .close_if_planned(s.id, ClosedBy::Auto, at(&s, 1), at(&s, 11), stale)
            .await
            .expect("close");
        assert_eq!(left, None, "planned for {stale}");
    }
    assert!(store.get_sessions(&[s.id]).await.expect("get")[0].is_open());
    // Planned for its instant but not yet due: nothing either.
    let early = store
        .close_if_planned(s.id, ClosedBy::Auto, at(&s, -60), at(&s, -30), s.closes_at)
        .await
        .expect("close");
    assert_eq!(early, None);
    let closed = store
        .close_if_planned(s.id, ClosedBy::Auto, at(&s, 1), at(&s, 11), s.closes_at)
        .await
        .expect("close")
        .expect("closed by the run planned for its instant");
    assert_eq!(closed.closed_by, Some(ClosedBy::Auto));
}

async fn close_overdue_closes_each_due_session_once_and_only_those(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let y = OVERDUE_YEAR;
    let mut due = Vec::new();
    for h in 8..14 {
        let s = insert(
            store,
            &new_session(
                class,
                day(y, 2, 3),
                &format!("{h:02}:00"),
                &format!("{h:02}:30"),
            ),
        )
        .await;
        due.push(s.id);
    }
    let later = insert(store, &new_session(class, day(y, 2, 4), "08:00", "09:00")).await;
    let cutoff_time = day(y, 2, 3).and_hms_opt(23, 0, 0).expect("t").and_utc();
    let now = cutoff_time + Duration::seconds(1);
    let mut closed = Vec::new();
    loop {
        let batch = store
            .close_overdue(OverdueCutoff::all(cutoff_time), ClosedBy::Sweep, now, 4)
            .await
            .expect("close");
        assert!(batch.failed.is_empty(), "{batch:?}");
        let mine: Vec<i64> = batch
            .closed
            .iter()
            .copied()
            .filter(|id| due.contains(id))
            .collect();
        let more = batch.closed.len() >= 4;
        closed.extend(mine);
        if !more {
            break;
        }
    }
    closed.sort_unstable();
    assert_eq!(closed, due, "each due session closed exactly once");
    let rows = store.get_sessions(&due).await.expect("get");
    assert!(rows.iter().all(|r| r.closed_by == Some(ClosedBy::Sweep)));
    assert!(store.get_sessions(&[later.id]).await.expect("get")[0].is_open());
}

async fn the_overdue_cutoff_spares_sessions_with_a_run(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let y = GRACE_YEAR;
    let mut planned = new_session(class, day(y, 3, 3), "08:00", "09:00");
    planned.scheduled_task_id = Some(uuid::Uuid::new_v4().to_string());
    let planned = insert(store, &planned).await;
    // Another class: the two may overlap in time.
    let other = self::class(store).await;
    let unplanned = insert(store, &new_session(other, day(y, 3, 3), "08:05", "09:00")).await;
    let now = at(&planned, 5);
    let cutoff = OverdueCutoff {
        planned: now - Duration::seconds(15),
        unplanned: now,
    };
    let done = store
        .close_overdue(cutoff, ClosedBy::Sweep, now, 1000)
        .await
        .expect("close");
    assert!(done.closed.contains(&unplanned.id), "{done:?}");
    assert!(!done.closed.contains(&planned.id), "{done:?}");
    // Past the grace it goes too.
    let later = now + Duration::seconds(20);
    let done = store
        .close_overdue(
            OverdueCutoff {
                planned: later - Duration::seconds(15),
                unplanned: later,
            },
            ClosedBy::Sweep,
            later,
            1000,
        )
        .await
        .expect("close");
    assert!(done.closed.contains(&planned.id), "{done:?}");
}

async fn scheduled_task_id_is_compare_and_set(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let s = insert(
        store,
        &new_session(class, day(2031, 4, 7), "08:00", "09:00"),
    )
    .await;
    assert_eq!(s.scheduled_task_id, None);
    let set = store
        .swap_scheduled_task(s.id, None, Some("run-a"))
        .await
        .expect("swap")
        .expect("set");
    assert_eq!(set.scheduled_task_id.as_deref(), Some("run-a"));
    // Expecting what is no longer there: refused, unchanged.
    assert_eq!(
        store
            .swap_scheduled_task(s.id, None, Some("run-b"))
            .await
            .expect("swap"),
        None
    );
    assert_eq!(
        store
            .swap_scheduled_task(s.id, Some("run-x"), Some("run-b"))
            .await
            .expect("swap"),
        None
    );
    let cleared = store
        .swap_scheduled_task(s.id, Some("run-a"), None)
        .await
        .expect("swap")
        .expect("cleared");
    assert_eq!(cleared.scheduled_task_id, None);
}

async fn update_times_checks_the_status_and_reopens(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let s = insert(
        store,
        &new_session(class, day(2031, 5, 5), "08:00", "09:00"),
    )
    .await;
    let times = |d: NaiveDate, start: &str, end: &str| -> SessionTimes {
        let t = |v: &str| NaiveTime::parse_from_str(v, "%H:%M").expect("time");
        attctl::clock::session_times(d, t(start), t(end), chrono_tz::UTC).expect("times")
    };
    let moved = store
        .update_times(
            s.id,
            &TimesUpdate {
                times: times(day(2031, 5, 6), "10:00", "11:00"),
                expected_status: Status::Open,
                reopen: false,
            },
        )
        .await
        .expect("update")
        .expect("moved");
    assert_eq!(moved.session_date, day(2031, 5, 6));
    assert_eq!(
        moved.closes_at,
        day(2031, 5, 6).and_hms_opt(11, 0, 0).expect("t").and_utc()
    );
    // The status is not what the caller read: nothing changes.
    assert_eq!(
        store
            .update_times(
                s.id,
                &TimesUpdate {
                    times: times(day(2031, 5, 7), "10:00", "11:00"),
                    expected_status: Status::Closed,
                    reopen: true,
                },
            )
            .await
            .expect("update"),
        None
    );
    store
        .close_if_open(s.id, ClosedBy::Manual, Utc::now(), None)
        .await
        .expect("close")
        .expect("closed");
    let reopened = store
        .update_times(
            s.id,
            &TimesUpdate {
                times: times(day(2031, 5, 8), "10:00", "11:00"),
                expected_status: Status::Closed,
                reopen: true,
            },
        )
        .await
        .expect("update")
        .expect("reopened");
    assert_eq!(reopened.status, Status::Open);
    assert_eq!(reopened.closed_at, None);
    assert_eq!(reopened.closed_by, None);
    // Onto another session's (class, date, start): a conflict.
    insert(
        store,
        &new_session(class, day(2031, 5, 9), "10:00", "11:00"),
    )
    .await;
    let clash = store
        .update_times(
            s.id,
            &TimesUpdate {
                times: times(day(2031, 5, 9), "10:00", "11:00"),
                expected_status: Status::Open,
                reopen: false,
            },
        )
        .await;
    assert!(matches!(clash, Err(Error::Conflict(_))), "{clash:?}");
}

async fn keyset_paging_lists_every_row_once_in_order(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let y = 2032;
    let mut ids = Vec::new();
    // Same date and start for several rows of different classes would tie; here one class,
    // so (date, start) ties only across days.
    for d in 1..=12 {
        for h in [8, 9, 10] {
            let s = insert(
                store,
                &new_session(
                    class,
                    day(y, 6, d),
                    &format!("{h:02}:00"),
                    &format!("{h:02}:40"),
                ),
            )
            .await;
            ids.push(s.id);
        }
    }
    let filter = SessionFilter {
        class_id: Some(class),
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut total = None;
    loop {
        let page = store
            .list_sessions(&filter, cursor.as_ref(), 7, cursor.is_none())
            .await
            .expect("page");
        if cursor.is_none() {
            total = page.total;
        }
        seen.extend(
            page.rows
                .iter()
                .map(|s| (s.session_date, s.start_time, s.id)),
        );
        if page.fetched() < 7 {
            break;
        }
        cursor = page.next.clone();
    }
    assert_eq!(total, Some(ids.len() as u64));
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "list order");
    let unique: HashSet<i64> = seen.iter().map(|k| k.2).collect();
    assert_eq!(unique.len(), ids.len(), "every row once");
}

async fn unscheduled_open_finds_sessions_without_a_run_and_stale_claims(
    store: Arc<dyn SessionStore>,
) {
    let store = store.as_ref();
    let class = class(store).await;
    let now = Utc::now();
    let date = (now + Duration::days(400)).date_naive();
    let plain = insert(store, &new_session(class, date, "08:00", "09:00")).await;
    let mut with_run = new_session(class, date, "10:00", "11:00");
    with_run.scheduled_task_id = Some(uuid::Uuid::new_v4().to_string());
    let with_run = insert(store, &with_run).await;
    let claimed = insert(store, &new_session(class, date, "12:00", "13:00")).await;
    store
        .swap_scheduled_task(claimed.id, None, Some("claim:other:1"))
        .await
        .expect("swap")
        .expect("claimed");
    let found = |rows: Vec<TeachingSession>| -> Vec<i64> {
        rows.into_iter()
            .map(|s| s.id)
            .filter(|id| [plain.id, with_run.id, claimed.id].contains(id))
            .collect()
    };
    // A fresh claim is someone else's work.
    let fresh = store
        .unscheduled_open(now, now - Duration::minutes(2), 1000)
        .await
        .expect("read");
    assert_eq!(found(fresh), vec![plain.id]);
    // A claim older than the cut-off is stale.
    let stale = store
        .unscheduled_open(now, Utc::now() + Duration::seconds(5), 1000)
        .await
        .expect("read");
    assert_eq!(found(stale), vec![plain.id, claimed.id]);
}

async fn claims_and_run_ids_are_conditional(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let now = Utc::now();
    let date = (now + Duration::days(401)).date_naive();
    let a = insert(store, &new_session(class, date, "08:00", "09:00")).await;
    let b = insert(store, &new_session(class, date, "10:00", "11:00")).await;
    // b changes after it was read: the claim skips it.
    let read = store.get_sessions(&[a.id, b.id]).await.expect("read");
    store
        .swap_scheduled_task(b.id, None, Some("run-elsewhere"))
        .await
        .expect("swap")
        .expect("set");
    let claimed = store
        .claim_for_planning(&read, "claim:me:1", now)
        .await
        .expect("claim");
    assert_eq!(claimed.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a.id]);
    // Repeating the claim is harmless.
    let again = store
        .claim_for_planning(&read, "claim:me:1", now)
        .await
        .expect("claim");
    assert_eq!(again.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a.id]);
    let stored = store
        .store_run_ids(
            "claim:me:1",
            &[(a.id, "run-a".into()), (b.id, "run-b".into())],
        )
        .await
        .expect("store");
    assert_eq!(stored, vec![a.id]);
    // A repeat of the same write (a retried request) still answers the same.
    let stored = store
        .store_run_ids("claim:me:1", &[(a.id, "run-a".into())])
        .await
        .expect("store");
    assert_eq!(stored, vec![a.id]);
    let rows = store.get_sessions(&[a.id, b.id]).await.expect("read");
    assert_eq!(rows[0].scheduled_task_id.as_deref(), Some("run-a"));
    assert_eq!(rows[1].scheduled_task_id.as_deref(), Some("run-elsewhere"));
    // Releasing a claim only touches rows that still hold it.
    store
        .release_claim("claim:me:1", &[a.id, b.id])
        .await
        .expect("release");
    let rows = store.get_sessions(&[a.id, b.id]).await.expect("read");
    assert_eq!(rows[0].scheduled_task_id.as_deref(), Some("run-a"));
}

async fn run_ids_are_cleared_only_where_still_held(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let date = (Utc::now() + Duration::days(402)).date_naive();
    let a = insert(store, &new_session(class, date, "08:00", "09:00")).await;
    let b = insert(store, &new_session(class, date, "10:00", "11:00")).await;
    for (id, run) in [(a.id, "run-old-a"), (b.id, "run-new-b")] {
        store
            .swap_scheduled_task(id, None, Some(run))
            .await
            .expect("swap")
            .expect("set");
    }
    // b was planned again meanwhile: its new run is kept.
    let cleared = store
        .clear_run_ids(&[(a.id, "run-old-a".into()), (b.id, "run-old-b".into())])
        .await
        .expect("clear");
    assert_eq!(cleared, vec![a.id]);
    // A repeat (a retried request) clears nothing more.
    let again = store
        .clear_run_ids(&[(a.id, "run-old-a".into())])
        .await
        .expect("clear");
    assert!(again.is_empty(), "{again:?}");
    let rows = store.get_sessions(&[a.id, b.id]).await.expect("read");
    assert_eq!(rows[0].scheduled_task_id, None);
    assert_eq!(rows[1].scheduled_task_id.as_deref(), Some("run-new-b"));
}

async fn errors_are_typed_alike(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let new = new_session(class, day(2031, 8, 4), "08:00", "09:00");
    insert(store, &new).await;
    let duplicate = store.insert_session(&new).await;
    assert!(
        matches!(duplicate, Err(Error::Conflict(_))),
        "{duplicate:?}"
    );
    let mut orphan = new_session(class, day(2031, 8, 5), "08:00", "09:00");
    orphan.class_id = i64::MAX - 11;
    let orphan = store.insert_session(&orphan).await;
    assert!(
        matches!(orphan, Err(Error::NotFound { what: "class", .. })),
        "{orphan:?}"
    );
    let name = crate::common::unique("Twice");
    store.create_class(&name).await.expect("class");
    let twice = store.create_class(&name).await;
    assert!(matches!(twice, Err(Error::Conflict(_))), "{twice:?}");
    assert!(
        store
            .find_class(&ClassRef::Name(crate::common::unique("Nobody")))
            .await
            .expect("find")
            .is_none()
    );
    assert_eq!(
        store.delete_session(i64::MAX - 3).await.expect("delete"),
        None
    );
}

async fn close_due_together_closes_the_window_and_nothing_else(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let y = TOGETHER_YEAR;
    // Ends at 08:30, 08:45, 09:00, 09:15 on one day.
    let mut rows = Vec::new();
    for (start, end) in [
        ("08:00", "08:30"),
        ("08:15", "08:45"),
        ("08:30", "09:00"),
        ("08:45", "09:15"),
    ] {
        let mut new = new_session(class, day(y, 3, 4), start, end);
        new.allow_overlap = true;
        rows.push(insert(store, &new).await);
    }
    let closed_by_hand = insert(store, &new_session(class, day(y, 3, 5), "08:00", "09:00")).await;
    store
        .close_if_open(
            closed_by_hand.id,
            ClosedBy::Manual,
            at(&closed_by_hand, 1),
            None,
        )
        .await
        .expect("close");
    // The window (08:30, 09:00]: the 08:45 and 09:00 ends, not the 08:30 one (exclusive)
    // nor 09:15 (later).
    let now = at(&rows[2], 2);
    let mut closed: Vec<i64> = store
        .close_due_together(rows[0].closes_at, rows[2].closes_at, ClosedBy::Auto, now)
        .await
        .expect("close together")
        .into_iter()
        .map(|s| {
            assert_eq!(s.status, Status::Closed);
            assert_eq!(s.closed_by, Some(ClosedBy::Auto));
            assert_eq!(s.closed_at, Some(now));
            s.id
        })
        .collect();
    closed.sort_unstable();
    assert_eq!(closed, vec![rows[1].id, rows[2].id]);
    let now_rows = store
        .get_sessions(&[rows[0].id, rows[3].id])
        .await
        .expect("get");
    assert!(now_rows.iter().all(|r| r.is_open()), "{now_rows:?}");
    // Again: nothing left to close in it; an empty window closes nothing.
    let again = store
        .close_due_together(rows[0].closes_at, rows[2].closes_at, ClosedBy::Auto, now)
        .await
        .expect("again");
    assert!(again.is_empty(), "{again:?}");
    let empty = store
        .close_due_together(rows[3].closes_at, rows[0].closes_at, ClosedBy::Auto, now)
        .await
        .expect("empty");
    assert!(empty.is_empty(), "{empty:?}");
    // A session closed by hand stays as it was.
    let hand = store.get_sessions(&[closed_by_hand.id]).await.expect("get");
    assert_eq!(hand[0].closed_by, Some(ClosedBy::Manual));
}

async fn warning_runs_are_kept_once_and_taken_back(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let class = class(store).await;
    let y = WARNING_YEAR;
    let a = insert(store, &new_session(class, day(y, 5, 4), "08:00", "09:00")).await;
    let b = insert(store, &new_session(class, day(y, 5, 4), "10:00", "11:00")).await;
    let gone = insert(store, &new_session(class, day(y, 5, 4), "12:00", "13:00")).await;
    store.delete_session(gone.id).await.expect("delete");
    let run = |s: &TeachingSession, offset: u32, id: &str| WarningRun {
        session_id: s.id,
        offset_seconds: offset,
        closes_at: s.closes_at,
        run_id: format!("{id}-{}", s.id),
    };
    let first = vec![
        run(&a, 600, "a600"),
        run(&a, 60, "a60"),
        run(&b, 600, "b600"),
        run(&gone, 600, "gone"),
    ];
    let kept = store.add_warning_runs(&first).await.expect("add");
    let mut kept_ids: Vec<String> = kept.iter().map(|r| r.run_id.clone()).collect();
    kept_ids.sort();
    let mut want: Vec<String> = first[..3].iter().map(|r| r.run_id.clone()).collect();
    want.sort();
    assert_eq!(kept_ids, want, "a deleted session keeps nothing");
    assert!(kept.iter().all(|k| first.contains(k)), "{kept:?}");
    // The same key again keeps the first run; another closing instant is another key.
    let again = store
        .add_warning_runs(&[run(&a, 600, "again")])
        .await
        .expect("add again");
    assert!(again.is_empty(), "{again:?}");
    let mut moved = run(&a, 600, "moved");
    moved.closes_at += Duration::hours(1);
    assert_eq!(
        store
            .add_warning_runs(std::slice::from_ref(&moved))
            .await
            .expect("add moved"),
        vec![moved.clone()]
    );
    assert!(store.add_warning_runs(&[]).await.expect("none").is_empty());

    let mut taken = store.take_warning_runs(&[a.id]).await.expect("take");
    taken.sort_by(|x, y| x.run_id.cmp(&y.run_id));
    let mut want = vec![first[0].clone(), first[1].clone(), moved];
    want.sort_by(|x, y| x.run_id.cmp(&y.run_id));
    assert_eq!(taken, want);
    assert!(
        store
            .take_warning_runs(&[a.id])
            .await
            .expect("again")
            .is_empty()
    );
    assert!(store.take_warning_runs(&[]).await.expect("none").is_empty());

    // Pruning forgets runs of instants before its cut-off, with old delivered events.
    let cutoff = day(y + 1, 1, 1)
        .and_hms_opt(0, 0, 0)
        .expect("time")
        .and_utc();
    store.prune_events(cutoff).await.expect("prune");
    assert!(
        store
            .take_warning_runs(&[b.id])
            .await
            .expect("take b")
            .is_empty()
    );
}

async fn missing_warning_runs_are_the_open_planned_sessions_without_them(
    store: Arc<dyn SessionStore>,
) {
    let store = store.as_ref();
    let class = class(store).await;
    let y = WARNING_YEAR + 1;
    let mut rows = Vec::new();
    for (start, end) in [
        ("08:00", "09:00"),
        ("09:00", "10:00"),
        ("10:00", "11:00"),
        ("11:00", "12:00"),
        ("12:00", "13:00"),
    ] {
        rows.push(insert(store, &new_session(class, day(y, 6, 7), start, end)).await);
    }
    // 0: no warning run kept, 1: one of two kept, 2: kept for an old instant, 3: no close
    // run, 4: closed.
    for i in [0, 1, 2, 4] {
        let run = uuid::Uuid::new_v4().to_string();
        rows[i] = store
            .swap_scheduled_task(rows[i].id, None, Some(&run))
            .await
            .expect("swap")
            .expect("swapped");
    }
    store
        .close_if_open(rows[4].id, ClosedBy::Manual, at(&rows[4], -60), None)
        .await
        .expect("close");
    let kept = |s: &TeachingSession, closes_at: DateTime<Utc>| WarningRun {
        session_id: s.id,
        offset_seconds: 600,
        closes_at,
        run_id: format!("kept-{}", s.id),
    };
    let added = store
        .add_warning_runs(&[
            kept(&rows[1], rows[1].closes_at),
            kept(&rows[2], rows[2].closes_at - Duration::hours(1)),
        ])
        .await
        .expect("add");
    assert_eq!(added.len(), 2);
    let mine: HashSet<i64> = rows.iter().map(|s| s.id).collect();
    let after = day(y, 1, 1).and_hms_opt(0, 0, 0).expect("time").and_utc();
    let mine = &mine;
    let missing = |settled_before: DateTime<Utc>| async move {
        store
            .missing_warning_runs(&[600, 60], after, settled_before, 1000)
            .await
            .expect("missing")
            .into_iter()
            .filter(|(id, _)| mine.contains(id))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        missing(Utc::now() + Duration::minutes(1)).await,
        vec![
            (rows[0].id, 60),
            (rows[0].id, 600),
            (rows[1].id, 60),
            (rows[2].id, 60),
            (rows[2].id, 600),
        ],
        "by closing instant: no run, closed and kept pairs are not missing"
    );
    // Sessions changed after the cut-off are left to whoever changes them.
    assert!(missing(Utc::now() - Duration::hours(1)).await.is_empty());
    assert!(
        store
            .missing_warning_runs(&[], after, Utc::now(), 1000)
            .await
            .expect("no offsets")
            .is_empty()
    );
}

// ----- what another writer changed, and the coming day's sessions ---------------------------

/// Sessions counted by `open_closing_between` are in this year only.
const CLOSING_COUNT_YEAR: i32 = 2093;

/// The local closer's idle poll: a fresh watch answers "changed"; a session written by
/// another store (another process's connection) is seen at the next poll. On SQLite nothing
/// else writes the file, so a quiet poll answers "unchanged" too.
#[tokio::test]
async fn sqlite_poll_changes_sees_another_connections_commit_and_nothing_else() {
    use attctl::store::{ChangeWatch, Outbox};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("attctl.db");
    let watcher = SqliteStore::open(&path).expect("store");
    let other = SqliteStore::open(&path).expect("another connection");
    let mut watch = ChangeWatch::new();
    assert!(
        watcher.poll_changes(&mut watch).await.expect("poll"),
        "fresh"
    );
    assert!(
        !watcher.poll_changes(&mut watch).await.expect("poll"),
        "quiet"
    );
    // The watcher's own writes are its own business.
    let own = class(&watcher).await;
    insert(
        &watcher,
        &new_session(own, day(2092, 1, 5), "09:00", "10:00"),
    )
    .await;
    assert!(!watcher.poll_changes(&mut watch).await.expect("poll"));
    let theirs = class(&other).await;
    insert(
        &other,
        &new_session(theirs, day(2092, 1, 5), "09:00", "10:00"),
    )
    .await;
    assert!(
        watcher.poll_changes(&mut watch).await.expect("poll"),
        "another's commit"
    );
    assert!(!watcher.poll_changes(&mut watch).await.expect("poll"));
}

#[tokio::test]
async fn postgrest_poll_changes_sees_a_session_written_by_another_client() {
    use attctl::store::ChangeWatch;
    let watcher = postgrest().store;
    let other = postgrest().store;
    let mut watch = ChangeWatch::new();
    assert!(
        watcher.poll_changes(&mut watch).await.expect("poll"),
        "fresh"
    );
    // Other tests share this database, so only "changed" is certain here; the worker's
    // `idle` test counts the quiet polls at the gateway.
    let theirs = class(other.as_ref()).await;
    insert(
        other.as_ref(),
        &new_session(theirs, day(2092, 1, 6), "09:00", "10:00"),
    )
    .await;
    assert!(watcher.poll_changes(&mut watch).await.expect("poll"));
}

async fn open_closing_between_counts_the_open_sessions_of_the_window(store: Arc<dyn SessionStore>) {
    let store = store.as_ref();
    let c = class(store).await;
    let d = day(CLOSING_COUNT_YEAR, 3, 17);
    let a = insert(store, &new_session(c, d, "08:00", "09:00")).await;
    insert(store, &new_session(c, d, "10:00", "11:00")).await;
    let closed = insert(store, &new_session(c, d, "12:00", "13:00")).await;
    insert(
        store,
        &new_session(c, day(CLOSING_COUNT_YEAR, 3, 19), "08:00", "09:00"),
    )
    .await;
    store
        .close_if_open(closed.id, ClosedBy::Manual, closed.closes_at, None)
        .await
        .expect("close");
    let from = a.closes_at;
    assert_eq!(
        store
            .open_closing_between(from, from + Duration::hours(24))
            .await
            .expect("count"),
        2,
        "the Open ones from the first end on, not the closed one nor the one two days later"
    );
    assert_eq!(
        store
            .open_closing_between(from + Duration::seconds(1), from + Duration::hours(24))
            .await
            .expect("count"),
        1
    );
}

/// The idle worker's one look ([`attctl::store::Outbox::look`]): whether anyone wrote (a
/// fresh watch: yes), the Open sessions due by a cut-off (latest closing first, Closed ones
/// left out), the next closing instant after another, and whether a claim would find an
/// event to send (a new session's `session.created` is pending and due).
async fn a_look_answers_what_an_idle_worker_needs_to_know(store: Arc<dyn SessionStore>) {
    use attctl::store::ChangeWatch;
    let store = store.as_ref();
    let class = class(store).await;
    let y = LOOK_OVERDUE_YEAR;
    let early = insert(store, &new_session(class, day(y, 3, 2), "08:00", "09:00")).await;
    let late = insert(store, &new_session(class, day(y, 3, 2), "10:00", "11:00")).await;
    let closed = insert(store, &new_session(class, day(y, 3, 2), "12:00", "13:00")).await;
    store
        .close_if_open(closed.id, ClosedBy::Manual, at(&closed, 1), None)
        .await
        .expect("close")
        .expect("closed");
    let next = insert(
        store,
        &new_session(class, day(LOOK_NEXT_YEAR, 3, 2), "08:00", "09:00"),
    )
    .await;
    let mut watch = ChangeWatch::new();
    let look = store
        .look(&mut watch, at(&closed, 1), at(&next, -1))
        .await
        .expect("look");
    assert!(look.changed, "a fresh watch has seen nothing");
    let state = look.state.expect("the whole answer");
    assert_eq!(
        state.overdue.get(..2),
        Some(&[late.id, early.id][..]),
        "latest closing first, the Closed one left out: {state:?}"
    );
    assert_eq!(state.next_closing, Some(next.closes_at));
    assert!(state.deliver_now, "session.created is due: {state:?}");
    assert!(
        state
            .next_delivery
            .is_some_and(|t| t <= Utc::now() + Duration::seconds(5)),
        "{state:?}"
    );
    // Due by a cut-off before both: not overdue. Nothing after the last closing.
    let before = store
        .look(&mut watch, at(&early, -1), next.closes_at)
        .await
        .expect("look")
        .state
        .expect("state");
    assert!(
        !before.overdue.contains(&early.id) && !before.overdue.contains(&late.id),
        "{before:?}"
    );
    assert!(
        before.next_closing.is_none_or(|t| t > next.closes_at),
        "{before:?}"
    );
}

/// On SQLite the look is as cheap as `poll_changes` and as exact: quiet looks answer
/// "unchanged", the watcher's own writes too, another connection's commit "changed"; with
/// every event settled nothing is due for delivery.
#[tokio::test]
async fn sqlite_look_sees_another_connections_commit_and_the_outbox_settled() {
    use attctl::store::{ChangeWatch, Outbox};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("attctl.db");
    let watcher = SqliteStore::open(&path).expect("store");
    let other = SqliteStore::open(&path).expect("another connection");
    let now = Utc::now();
    let mut watch = ChangeWatch::new();
    let first = watcher.look(&mut watch, now, now).await.expect("look");
    assert!(first.changed, "fresh");
    let empty = first.state.expect("state");
    assert_eq!(
        (
            empty.overdue.len(),
            empty.next_closing,
            empty.deliver_now,
            empty.next_delivery
        ),
        (0, None, false, None)
    );
    assert!(
        !watcher
            .look(&mut watch, now, now)
            .await
            .expect("look")
            .changed
    );
    let own = class(&watcher).await;
    insert(
        &watcher,
        &new_session(own, day(2092, 1, 5), "09:00", "10:00"),
    )
    .await;
    let after_own = watcher.look(&mut watch, now, now).await.expect("look");
    assert!(!after_own.changed, "the watcher's own write");
    assert!(after_own.state.expect("state").deliver_now);
    // Claimed with no channel: settled as skipped, nothing left to send.
    watcher.claim_events("w", 60, 10, &[]).await.expect("claim");
    let settled = watcher.look(&mut watch, now, now).await.expect("look");
    let state = settled.state.expect("state");
    assert_eq!((state.deliver_now, state.next_delivery), (false, None));
    let theirs = class(&other).await;
    insert(
        &other,
        &new_session(theirs, day(2092, 1, 5), "09:00", "10:00"),
    )
    .await;
    let look = watcher.look(&mut watch, now, now).await.expect("look");
    assert!(look.changed, "another's commit");
    assert!(look.state.expect("state").deliver_now);
}
