use super::*;
use crate::session::SessionTimes;
use crate::store::prelude::*;
use chrono::{Duration as Span, Timelike};
use std::collections::HashSet;

#[tokio::test]
async fn version_1_files_gain_holidays_and_keep_their_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(SCHEMA_V1).unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
        raw.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let class = class(&store, "A").await;
    store
        .insert_session(&session(class, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let h = store
        .add_holiday("Half term", d("2024-02-12"), d("2024-02-16"))
        .await
        .unwrap();
    assert_eq!(
        store
            .list_holidays(Some(d("2024-02-16")), None)
            .await
            .unwrap(),
        vec![h.clone()]
    );
    assert!(
        store
            .list_holidays(Some(d("2024-02-17")), None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.delete_holiday(h.id).await.unwrap(), Some(h));
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[tokio::test]
async fn insert_sessions_skips_existing_and_keeps_history() {
    let (_dir, store) = temp_store();
    let class = class(&store, "A").await;
    let first = session(class, "2024-01-15", "08:00:00", "09:00:00");
    store.insert_session(&first).await.unwrap();
    let mut closed = session(class, "2024-01-16", "08:00:00", "09:00:00");
    let at = d("2024-01-16").and_time(t("09:00:05")).and_utc();
    closed.closed = Some(crate::session::ClosedHistory {
        status: Status::Closed,
        closed_at: Some(at),
        closed_by: Some(ClosedBy::Auto),
    });
    let rows = store
        .insert_sessions(&[
            first,
            closed,
            session(class, "2024-01-17", "08:00:00", "09:00:00"),
        ])
        .await
        .unwrap();
    assert_eq!(rows.len(), 2, "the existing session is skipped");
    assert_eq!(rows[0].status, Status::Closed);
    assert_eq!(rows[0].closed_at, Some(at));
    assert_eq!(rows[0].closed_by, Some(ClosedBy::Auto));
    assert_eq!(rows[1].status, Status::Open);
    let closed = store
        .close_sessions(&[rows[0].id, rows[1].id], ClosedBy::Manual, at)
        .await
        .unwrap();
    assert_eq!(closed.len(), 1, "only the Open one is closed");
    let gone = store
        .delete_sessions(&[rows[0].id, rows[1].id, 999])
        .await
        .unwrap();
    assert_eq!(gone.len(), 2);
}

fn temp_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("data").join("attctl.db")).unwrap();
    (dir, store)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M:%S").unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A UTC session; its closing instant is its end.
fn session(class_id: i64, date: &str, start: &str, end: &str) -> NewSession {
    let (date, end) = (d(date), t(end));
    NewSession {
        class_id,
        session_date: date,
        start_time: t(start),
        end_time: end,
        timezone: "UTC".into(),
        closes_at: date.and_time(end).and_utc(),
        scheduled_task_id: None,
        // The store's other rules are tested with overlapping sessions; the overlap rule
        // has its own test.
        allow_overlap: true,
        closed: None,
        session_type: None,
    }
}

fn times(s: &NewSession) -> SessionTimes {
    SessionTimes {
        session_date: s.session_date,
        start_time: s.start_time,
        end_time: s.end_time,
        timezone: s.timezone.clone(),
        closes_at: s.closes_at,
    }
}

async fn class(store: &SqliteStore, name: &str) -> i64 {
    store.create_class(name).await.unwrap().id
}

#[tokio::test]
async fn overlaps_of_one_class_are_refused_unless_allowed() {
    let (_dir, store) = temp_store();
    let a = class(&store, "A").await;
    let b = class(&store, "B").await;
    let strict = |class, start: &str, end: &str| NewSession {
        allow_overlap: false,
        ..session(class, "2030-01-15", start, end)
    };
    let first = store
        .insert_session(&strict(a, "08:00:00", "09:00:00"))
        .await
        .unwrap();
    match store
        .insert_session(&strict(a, "08:30:00", "09:30:00"))
        .await
    {
        Err(Error::Conflict(m)) => assert!(m.contains(&format!("session {}", first.id)), "{m}"),
        other => panic!("expected an overlap conflict, got {other:?}"),
    }
    // Adjacent, another class, or explicitly allowed: accepted.
    let next = store
        .insert_session(&strict(a, "09:00:00", "10:00:00"))
        .await
        .unwrap();
    store
        .insert_session(&strict(b, "08:30:00", "09:30:00"))
        .await
        .unwrap();
    store
        .insert_session(&session(a, "2030-01-15", "08:30:00", "09:30:00"))
        .await
        .unwrap();
    // Moving a session onto another is refused too; moving it within its own time is not.
    let onto = TimesUpdate {
        times: times(&strict(a, "08:15:00", "09:15:00")),
        expected_status: Status::Open,
        reopen: false,
    };
    assert!(matches!(
        store.update_times(next.id, &onto).await,
        Err(Error::Conflict(_))
    ));
    let within = TimesUpdate {
        times: times(&strict(a, "09:00:00", "09:50:00")),
        expected_status: Status::Open,
        reopen: false,
    };
    assert!(
        store
            .update_times(next.id, &within)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_version_1_file_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO classes (id, name, created_at) \
                 VALUES (1, 'A', '2026-01-01T00:00:00.000000Z'); \
             INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, created_at, updated_at) \
                 VALUES (1, '2030-01-15', '08:00:00', '09:00:00', 'UTC', \
                 '2030-01-15T09:00:00.000000Z', '2026-01-01T00:00:00.000000Z', \
                 '2026-01-01T00:00:00.000000Z');",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let a = 1;
    assert_eq!(store.get_sessions(&[1]).await.unwrap().len(), 1);
    let strict = NewSession {
        allow_overlap: false,
        ..session(a, "2030-01-15", "08:30:00", "09:30:00")
    };
    // The old row does not ask to overlap (column default): the new one is refused.
    assert!(matches!(
        store.insert_session(&strict).await,
        Err(Error::Conflict(_))
    ));
}

#[tokio::test]
async fn session_round_trips_with_microseconds() {
    let (_dir, store) = temp_store();
    assert_eq!(store.backend(), "local");
    let class_id = class(&store, "Year 7 (A)").await;
    let mut new = session(class_id, "2024-03-31", "08:00:00", "09:30:00");
    new.timezone = "Europe/London".into();
    new.closes_at = at("2024-03-31T08:30:00.654321Z");
    let before = Utc::now() - Span::seconds(1);
    let created = store.insert_session(&new).await.unwrap();
    assert!(created.id > 0);
    assert_eq!(created.class_id, class_id);
    assert_eq!(created.session_date, new.session_date);
    assert_eq!(created.start_time, new.start_time);
    assert_eq!(created.end_time, new.end_time);
    assert_eq!(created.status, Status::Open);
    assert_eq!(created.scheduled_task_id, None);
    assert_eq!(created.timezone, "Europe/London");
    assert_eq!(created.closes_at, new.closes_at);
    assert_eq!((created.closed_at, created.closed_by), (None, None));
    assert!(created.created_at >= before && created.created_at <= Utc::now());
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(created.created_at.nanosecond() % 1000, 0);

    let fetched = store.get_sessions(&[created.id]).await.unwrap();
    assert_eq!(fetched, vec![created.clone()]);

    // Nanoseconds are cut to microseconds, as timestamptz does; microseconds survive.
    let now = at("2024-03-31T08:31:02.123456789Z");
    let closed = store
        .close_if_open(created.id, ClosedBy::Manual, now, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(closed.closed_at, Some(at("2024-03-31T08:31:02.123456Z")));
    assert_eq!(closed.closed_by, Some(ClosedBy::Manual));
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.created_at, created.created_at);
    assert!(closed.updated_at >= created.updated_at);
    assert_eq!(
        store.get_sessions(&[created.id]).await.unwrap(),
        vec![closed.clone()]
    );

    // The JSON contract is the same as for rows that come from PostgREST.
    let json = serde_json::to_value(&closed).unwrap();
    assert_eq!(json["closes_at"], "2024-03-31T08:30:00.654321Z");
    assert_eq!(json["start_time"], "08:00:00");
}

#[tokio::test]
async fn classes_are_found_by_id_and_exact_name() {
    let (_dir, store) = temp_store();
    let a = store.create_class("Maths 1").await.unwrap();
    let b = store.create_class("maths 1").await.unwrap();
    assert_eq!(
        store.list_classes().await.unwrap(),
        vec![a.clone(), b.clone()]
    );
    let by_id = store.find_class(&ClassRef::Id(b.id)).await.unwrap();
    assert_eq!(by_id, Some(b));
    let by_name = store
        .find_class(&ClassRef::Name("Maths 1".into()))
        .await
        .unwrap();
    assert_eq!(by_name, Some(a));
    assert_eq!(store.find_class(&ClassRef::Id(99)).await.unwrap(), None);
    assert_eq!(
        store
            .find_class(&ClassRef::Name("Maths".into()))
            .await
            .unwrap(),
        None
    );

    let dup = store.create_class("Maths 1").await.unwrap_err();
    assert!(matches!(dup, Error::Conflict(_)), "{dup:?}");
    assert_eq!(dup.to_string(), r#"a class named "Maths 1" already exists"#);
    for bad in ["   ", &"x".repeat(201)] {
        let err = store.create_class(bad).await.unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");
        assert!(
            err.to_string().starts_with("rejected by the database: "),
            "{err}"
        );
    }
    // 200 characters (not bytes) is the bound, as char_length in PostgreSQL.
    store.create_class(&"é".repeat(200)).await.unwrap();
}

#[tokio::test]
async fn insert_errors_match_the_postgrest_store() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let new = session(class_id, "2024-01-15", "08:00:00", "09:00:00");
    store.insert_session(&new).await.unwrap();

    let dup = store.insert_session(&new).await.unwrap_err();
    assert!(matches!(dup, Error::Conflict(_)), "{dup:?}");
    assert_eq!(
        dup.to_string(),
        format!("class {class_id} already has a session on 2024-01-15 starting at 08:00:00")
    );

    let orphan = store
        .insert_session(&session(999, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap_err();
    match orphan {
        Error::NotFound { what, id } => assert_eq!((what, id.as_str()), ("class", "999")),
        other => panic!("{other:?}"),
    }

    for (start, end) in [("09:00:00", "09:00:00"), ("10:00:00", "09:00:00")] {
        let err = store
            .insert_session(&session(class_id, "2024-01-16", start, end))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains("teaching_sessions_time_order_check"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn timezone_names_are_checked_like_the_migration() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let zones_ok = [
        "UTC",
        "Europe/London",
        "America/Argentina/Buenos_Aires",
        "Etc/GMT+5",
    ];
    for (i, zone) in zones_ok.into_iter().enumerate() {
        let mut new = session(class_id, "2024-01-15", "08:00:00", "09:00:00");
        new.start_time = t(&format!("0{i}:00:00"));
        new.timezone = zone.into();
        store.insert_session(&new).await.unwrap();
    }
    let zones_bad = [
        "CET",
        "UTC+2",
        "Europe//London",
        "Europe/",
        "/London",
        "Eur0pe/London",
        "Europe/Lon don",
        "",
    ];
    for zone in zones_bad {
        let mut new = session(class_id, "2024-01-16", "08:00:00", "09:00:00");
        new.timezone = zone.into();
        let err = store.insert_session(&new).await.unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{zone:?}: {err:?}");
    }
}

#[tokio::test]
async fn close_if_open_closes_once_and_respects_due_by() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let s = store
        .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let closes = s.closes_at;
    let now = closes + Span::seconds(3);

    // Not yet due: a run that fired early must not close it.
    let early = closes - Span::microseconds(1);
    assert!(
        store
            .close_if_open(s.id, ClosedBy::Auto, now, Some(early))
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.get_sessions(&[s.id]).await.unwrap()[0].is_open());

    // Due exactly at its closing instant.
    let closed = store
        .close_if_open(s.id, ClosedBy::Auto, now, Some(closes))
        .await
        .unwrap();
    assert_eq!(
        closed.map(|c| (c.status, c.closed_by)),
        Some((Status::Closed, Some(ClosedBy::Auto)))
    );

    // Second close: nothing, and the first close's data stays.
    assert!(
        store
            .close_if_open(s.id, ClosedBy::Manual, now, None)
            .await
            .unwrap()
            .is_none()
    );
    let row = store.get_sessions(&[s.id]).await.unwrap().remove(0);
    assert_eq!(
        (row.closed_by, row.closed_at),
        (Some(ClosedBy::Auto), Some(now))
    );

    assert!(
        store
            .close_if_open(12345, ClosedBy::Manual, now, None)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn close_overdue_works_in_batches_oldest_first() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let mut overdue = Vec::new();
    // Inserted newest first, so id order and closing order differ.
    for i in (0..25).rev() {
        let start = NaiveTime::from_hms_opt(6, 0, 0).unwrap() + Span::minutes(i * 10);
        let mut new = session(class_id, "2024-01-15", "00:00:00", "00:05:00");
        new.start_time = start;
        new.end_time = start + Span::minutes(5);
        new.closes_at = new.session_date.and_time(new.end_time).and_utc();
        overdue.push(store.insert_session(&new).await.unwrap());
    }
    overdue.sort_by_key(|s| (s.closes_at, s.id));
    let later = store
        .insert_session(&session(class_id, "2024-01-16", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let already = store
        .insert_session(&session(class_id, "2024-01-14", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let manual_at = at("2024-01-14T10:00:00Z");
    store
        .close_if_open(already.id, ClosedBy::Manual, manual_at, None)
        .await
        .unwrap()
        .unwrap();

    let due_by = at("2024-01-15T23:59:59Z");
    let now = at("2024-01-16T00:00:00.000001Z");
    let mut closed = Vec::new();
    let mut batches = Vec::new();
    loop {
        let batch = store
            .close_overdue(OverdueCutoff::all(due_by), ClosedBy::Sweep, now, 10)
            .await
            .unwrap()
            .closed;
        batches.push(batch.len());
        closed.extend(batch.iter().copied());
        if batch.len() < 10 {
            break;
        }
    }
    assert_eq!(batches, vec![10, 10, 5]);
    assert_eq!(closed, overdue.iter().map(|s| s.id).collect::<Vec<_>>());
    assert!(
        store
            .close_overdue(OverdueCutoff::all(due_by), ClosedBy::Sweep, now, 10)
            .await
            .unwrap()
            .closed
            .is_empty()
    );
    assert!(
        store
            .close_overdue(OverdueCutoff::all(due_by), ClosedBy::Sweep, now, 0)
            .await
            .unwrap()
            .closed
            .is_empty()
    );

    let rows = store.get_sessions(&closed).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.closed_by == Some(ClosedBy::Sweep) && r.closed_at == Some(now))
    );
    let rest = store.get_sessions(&[later.id, already.id]).await.unwrap();
    assert!(rest[0].is_open(), "{rest:?}");
    assert_eq!(rest[1].closed_by, Some(ClosedBy::Manual));
    assert_eq!(rest[1].closed_at, Some(manual_at));
}

#[tokio::test]
async fn scheduled_task_is_compare_and_set() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let s = store
        .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let set = store
        .swap_scheduled_task(s.id, None, Some("run-1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(set.scheduled_task_id.as_deref(), Some("run-1"));
    assert!(set.updated_at >= s.updated_at);
    // Someone else already set it: expected None no longer holds.
    assert!(
        store
            .swap_scheduled_task(s.id, None, Some("run-2"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .swap_scheduled_task(s.id, Some("run-x"), None)
            .await
            .unwrap()
            .is_none()
    );
    let cleared = store
        .swap_scheduled_task(s.id, Some("run-1"), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cleared.scheduled_task_id, None);
    assert!(
        store
            .swap_scheduled_task(999, None, Some("run-3"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn update_times_checks_status_and_reopens() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let s = store
        .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let other = store
        .insert_session(&session(class_id, "2024-01-15", "10:00:00", "11:00:00"))
        .await
        .unwrap();

    let moved = session(class_id, "2024-01-17", "13:15:00", "14:45:00");
    let update = |new: &NewSession, expected_status, reopen| TimesUpdate {
        times: times(new),
        expected_status,
        reopen,
    };
    // Expected Closed but it is Open: nothing changes.
    assert!(
        store
            .update_times(s.id, &update(&moved, Status::Closed, false))
            .await
            .unwrap()
            .is_none()
    );
    let row = store
        .update_times(s.id, &update(&moved, Status::Open, false))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.session_date,
            row.start_time,
            row.end_time,
            row.closes_at,
            row.status
        ),
        (
            moved.session_date,
            moved.start_time,
            moved.end_time,
            moved.closes_at,
            Status::Open
        )
    );

    // Duplicate of another session of the class: Conflict, as PostgREST words it.
    let clash = session(class_id, "2024-01-15", "10:00:00", "10:30:00");
    let err = store
        .update_times(s.id, &update(&clash, Status::Open, false))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "session {}'s class already has a session on 2024-01-15 starting at 10:00:00",
            s.id
        )
    );
    let bad = session(class_id, "2024-01-15", "12:00:00", "11:00:00");
    let err = store
        .update_times(s.id, &update(&bad, Status::Open, false))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");

    // Closed: moving without reopening keeps it closed; with reopen it is Open again.
    let now = at("2024-01-20T00:00:00Z");
    store
        .close_if_open(other.id, ClosedBy::Manual, now, None)
        .await
        .unwrap()
        .unwrap();
    let later = session(class_id, "2024-02-01", "10:00:00", "11:00:00");
    let kept = store
        .update_times(other.id, &update(&later, Status::Closed, false))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (kept.status, kept.closed_by, kept.closed_at),
        (Status::Closed, Some(ClosedBy::Manual), Some(now))
    );
    assert!(
        store
            .update_times(other.id, &update(&later, Status::Open, true))
            .await
            .unwrap()
            .is_none()
    );
    let reopened = store
        .update_times(other.id, &update(&later, Status::Closed, true))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (reopened.status, reopened.closed_by, reopened.closed_at),
        (Status::Open, None, None)
    );
    assert!(
        store
            .update_times(999, &update(&later, Status::Open, false))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn delete_and_get_sessions() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let a = store
        .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let b = store
        .insert_session(&session(class_id, "2024-01-14", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    let got = store.get_sessions(&[b.id, 999, a.id, b.id]).await.unwrap();
    assert_eq!(got, vec![a.clone(), b.clone()]);
    assert!(store.get_sessions(&[]).await.unwrap().is_empty());
    let many: Vec<i64> = (1..=1200).collect();
    assert_eq!(store.get_sessions(&many).await.unwrap().len(), 2);

    assert_eq!(store.delete_session(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.delete_session(a.id).await.unwrap(), None);
    // Ids of deleted sessions are never handed out again.
    let c = store
        .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    assert!(c.id > b.id);
}

fn key(s: &TeachingSession) -> (NaiveDate, NaiveTime, i64) {
    (s.session_date, s.start_time, s.id)
}

async fn list_all(
    store: &SqliteStore,
    filter: &SessionFilter,
    limit: usize,
) -> (Vec<TeachingSession>, usize) {
    let mut all: Vec<TeachingSession> = Vec::new();
    let mut pages = 0;
    loop {
        let cursor = all.last().map(Cursor::after);
        let page = store
            .list_sessions(filter, cursor.as_ref(), limit, pages == 0)
            .await
            .unwrap();
        pages += 1;
        if pages == 1 {
            assert!(page.total.is_some());
        } else {
            assert_eq!(page.total, None);
        }
        let done = page.rows.len() < limit.clamp(1, PAGE_SIZE);
        all.extend(page.rows);
        if done {
            return (all, pages);
        }
    }
}

#[tokio::test]
async fn keyset_paging_over_2500_rows() {
    let (_dir, store) = temp_store();
    let classes = [
        class(&store, "A").await,
        class(&store, "B").await,
        class(&store, "C").await,
    ];
    let base = d("2024-01-01");
    let mut inserted = Vec::new();
    for i in 0..2500i64 {
        // Unique per (class, date, slot); many rows share a (date, start) across classes,
        // so the id tiebreak of the order is exercised.
        let date = base + Span::days(i % 10);
        let start = t("06:00:00") + Span::minutes(i / 30);
        let new = NewSession {
            class_id: classes[(i % 3) as usize],
            session_date: date,
            start_time: start,
            end_time: start + Span::minutes(30),
            timezone: "UTC".into(),
            closes_at: date.and_time(start + Span::minutes(30)).and_utc(),
            scheduled_task_id: None,
            allow_overlap: true,
            closed: None,
            session_type: None,
        };
        inserted.push(store.insert_session(&new).await.unwrap());
    }
    let mut expected = inserted.clone();
    expected.sort_by_key(key);

    let everything = SessionFilter::default();
    let first = store
        .list_sessions(&everything, None, 1000, true)
        .await
        .unwrap();
    assert_eq!((first.rows.len(), first.total), (1000, Some(2500)));
    for limit in [1000, 333] {
        let (all, pages) = list_all(&store, &everything, limit).await;
        assert_eq!(pages, 2500 / limit + 1);
        assert_eq!(all, expected, "limit {limit}");
        let ids: HashSet<i64> = all.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), 2500);
    }
    // Limits are clamped to 1..=PAGE_SIZE.
    assert_eq!(
        store
            .list_sessions(&everything, None, 0, false)
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(
        store
            .list_sessions(&everything, None, 5000, false)
            .await
            .unwrap()
            .rows
            .len(),
        PAGE_SIZE
    );

    // Filters combined with AND; total counts the whole filter, not the page.
    for s in inserted.iter().filter(|s| s.id % 7 == 0) {
        store
            .close_if_open(s.id, ClosedBy::Manual, Utc::now(), None)
            .await
            .unwrap()
            .unwrap();
    }
    let now_rows: Vec<TeachingSession> = store
        .get_sessions(&inserted.iter().map(|s| s.id).collect::<Vec<_>>())
        .await
        .unwrap();
    let filters = [
        SessionFilter {
            class_id: Some(classes[1]),
            ..Default::default()
        },
        SessionFilter {
            date: Some(base + Span::days(3)),
            ..Default::default()
        },
        SessionFilter {
            from: Some(base + Span::days(2)),
            to: Some(base + Span::days(5)),
            status: Some(Status::Open),
            ..Default::default()
        },
        SessionFilter {
            class_id: Some(classes[2]),
            status: Some(Status::Closed),
            to: Some(base + Span::days(4)),
            ..Default::default()
        },
        SessionFilter {
            class_id: Some(999),
            ..Default::default()
        },
    ];
    for filter in filters {
        let mut want: Vec<TeachingSession> = now_rows
            .iter()
            .filter(|s| {
                filter.class_id.is_none_or(|c| s.class_id == c)
                    && filter.date.is_none_or(|x| s.session_date == x)
                    && filter.from.is_none_or(|x| s.session_date >= x)
                    && filter.to.is_none_or(|x| s.session_date <= x)
                    && filter.status.is_none_or(|x| s.status == x)
            })
            .cloned()
            .collect();
        want.sort_by_key(key);
        let page = store.list_sessions(&filter, None, 50, true).await.unwrap();
        assert_eq!(page.total, Some(want.len() as u64), "{filter:?}");
        let (all, _) = list_all(&store, &filter, 50).await;
        assert_eq!(all, want, "{filter:?}");
    }
}

#[tokio::test]
async fn unscheduled_open_includes_stale_claims_and_legacy_values() {
    let (_dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    let mut ids = Vec::new();
    for (i, end) in [
        "09:00:00", "09:10:00", "09:20:00", "09:30:00", "09:40:00", "09:50:00", "08:30:00",
        "09:55:00", "09:56:00", "09:57:00",
    ]
    .iter()
    .enumerate()
    {
        let new = session(class_id, "2024-01-15", &format!("{i:02}:00:00"), end);
        ids.push(store.insert_session(&new).await.unwrap().id);
    }
    let [
        none,
        run,
        claim,
        upper_claim,
        closed,
        none_late,
        past,
        hatchet,
        mock,
        local,
    ] = ids[..]
    else {
        unreachable!()
    };
    store
        .swap_scheduled_task(run, None, Some("local-2-1705310000"))
        .await
        .unwrap()
        .unwrap();
    for (id, value) in [
        (hatchet, "8F0B1C2D-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
        (mock, "mock-task-9-1705312620"),
        (local, "local-8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
    ] {
        store
            .swap_scheduled_task(id, None, Some(value))
            .await
            .unwrap()
            .unwrap();
    }
    // A legacy value is swapped like any other: compare-and-set on what was read.
    assert!(
        store
            .swap_scheduled_task(mock, Some("mock-task-9-0"), Some("claim:x"))
            .await
            .unwrap()
            .is_none()
    );
    store
        .swap_scheduled_task(claim, None, Some("claim:abc"))
        .await
        .unwrap()
        .unwrap();
    store
        .swap_scheduled_task(upper_claim, None, Some("CLAIM:abc"))
        .await
        .unwrap()
        .unwrap();
    store
        .close_if_open(closed, ClosedBy::Manual, Utc::now(), None)
        .await
        .unwrap()
        .unwrap();
    let after = at("2024-01-15T08:59:59Z"); // `past` closes at 08:30

    // Claims touched just now are fresh: not handed out again. Values that name no
    // run (the original app's `mock-task-…`, a claim in the wrong case) are planned.
    let fresh = store
        .unscheduled_open(after, Utc::now() - Span::hours(1), 100)
        .await
        .unwrap();
    assert_eq!(
        fresh.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![none, upper_claim, none_late, mock]
    );
    for s in &fresh {
        assert_eq!(s.scheduled_run(), None, "{s:?}");
    }
    // Once they are older than the cut-off, the sweep may take them over.
    let stale_before = Utc::now() + Span::seconds(1);
    let stale = store
        .unscheduled_open(after, stale_before, 100)
        .await
        .unwrap();
    assert_eq!(
        stale.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![none, claim, upper_claim, none_late, mock]
    );
    let claimed = store
        .swap_scheduled_task(mock, Some("mock-task-9-1705312620"), Some("claim:x"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.scheduled_task_id.as_deref(), Some("claim:x"));
    let limited = store
        .unscheduled_open(after, stale_before, 2)
        .await
        .unwrap();
    assert_eq!(limited.len(), 2);
    assert!(!stale.iter().any(|s| s.id == past));

    let long_ago = at("2000-01-01T00:00:00Z");
    assert_eq!(
        store.next_closing(long_ago).await.unwrap(),
        Some(at("2024-01-15T08:30:00Z"))
    );
    // Only closing instants after the one given count.
    assert_eq!(
        store
            .next_closing(at("2024-01-15T08:30:00Z"))
            .await
            .unwrap(),
        Some(at("2024-01-15T09:00:00Z"))
    );
    store
        .close_if_open(past, ClosedBy::Sweep, Utc::now(), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store.next_closing(long_ago).await.unwrap(),
        Some(at("2024-01-15T09:00:00Z"))
    );
}

#[tokio::test]
async fn next_closing_is_none_without_open_sessions() {
    let (_dir, store) = temp_store();
    assert_eq!(
        store
            .next_closing(at("2000-01-01T00:00:00Z"))
            .await
            .unwrap(),
        None
    );
}

/// The CLI and the worker: two stores (two connections) on one file, several tasks each,
/// racing to insert and to close the same sessions.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_race_without_errors_and_close_each_session_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attctl.db");
    let cli = SqliteStore::open(&path).unwrap();
    let worker = SqliteStore::open(&path).unwrap();
    let class_id = class(&cli, "A").await;

    // Inserts from both sides; every (date, start) is tried by one task of each store,
    // so exactly one of each pair wins and the other gets a Conflict.
    let mut inserts = Vec::new();
    for task in 0..8i64 {
        let store = if task % 2 == 0 {
            cli.clone()
        } else {
            worker.clone()
        };
        inserts.push(tokio::spawn(async move {
            let mut won = Vec::new();
            let mut lost = 0;
            for n in 0..40i64 {
                let slot = (task / 2) * 40 + n;
                let date = d("2024-01-01") + Span::days(slot / 20);
                let start = t("08:00:00") + Span::minutes(slot % 20);
                let new = NewSession {
                    class_id,
                    session_date: date,
                    start_time: start,
                    end_time: start + Span::minutes(45),
                    timezone: "UTC".into(),
                    closes_at: date.and_time(start + Span::minutes(45)).and_utc(),
                    scheduled_task_id: None,
                    allow_overlap: true,
                    closed: None,
                    session_type: None,
                };
                match store.insert_session(&new).await {
                    Ok(s) => won.push(s.id),
                    Err(Error::Conflict(_)) => lost += 1,
                    Err(e) => panic!("insert failed: {e:?}"),
                }
            }
            (won, lost)
        }));
    }
    let mut ids = Vec::new();
    let mut conflicts = 0;
    for handle in inserts {
        let (won, lost) = handle.await.unwrap();
        ids.extend(won);
        conflicts += lost;
    }
    assert_eq!((ids.len(), conflicts), (160, 160));

    // Closers on both sides, in different orders, plus a sweep in small batches.
    let now = at("2024-02-01T00:00:00Z");
    let mut closers = Vec::new();
    for task in 0..6usize {
        let store = if task % 2 == 0 {
            cli.clone()
        } else {
            worker.clone()
        };
        let mut order = ids.clone();
        let shift = task * 27 % order.len();
        order.rotate_left(shift);
        if task % 3 == 0 {
            order.reverse();
        }
        closers.push(tokio::spawn(async move {
            let mut closed = Vec::new();
            for id in order {
                let due = (id % 2 == 0).then_some(now);
                if let Some(s) = store
                    .close_if_open(id, ClosedBy::Auto, now, due)
                    .await
                    .unwrap()
                {
                    closed.push(s.id);
                }
            }
            closed
        }));
    }
    let sweeper = {
        let store = worker.clone();
        tokio::spawn(async move {
            let mut closed = Vec::new();
            loop {
                let batch = store
                    .close_overdue(OverdueCutoff::all(now), ClosedBy::Sweep, now, 7)
                    .await
                    .unwrap()
                    .closed;
                let done = batch.len() < 7;
                closed.extend(batch);
                if done {
                    return closed;
                }
            }
        })
    };
    let mut all_closed = sweeper.await.unwrap();
    for handle in closers {
        all_closed.extend(handle.await.unwrap());
    }
    let unique: HashSet<i64> = all_closed.iter().copied().collect();
    assert_eq!(
        all_closed.len(),
        ids.len(),
        "some session was closed twice or never"
    );
    assert_eq!(unique, ids.iter().copied().collect());
    let rows = cli.get_sessions(&ids).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.status == Status::Closed && r.closed_at == Some(now))
    );
}

#[tokio::test]
async fn busy_file_is_retried_then_reported_as_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attctl.db");
    let tuning = Tuning {
        busy_timeout: Duration::from_millis(50),
        retry_budget: Duration::from_millis(300),
    };
    let store = SqliteStore::open_tuned(&path, tuning).unwrap();
    // The short wait is what the connection really uses (not the 5 s default).
    let applied: i64 = store
        .inner
        .lock()
        .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied, 50);
    let class_id = class(&store, "A").await;
    let new = session(class_id, "2024-01-15", "08:00:00", "09:00:00");

    // Another process holds the write lock for longer than we are willing to wait.
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let err = store.insert_session(&new).await.unwrap_err();
    assert!(matches!(err, Error::Unavailable(_)), "{err:?}");
    assert!(err.is_transient());
    assert!(
        err.to_string().starts_with("the local data file is busy"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    // Reads are not blocked by a writer in WAL mode.
    assert_eq!(store.list_classes().await.unwrap().len(), 1);
}

#[tokio::test]
async fn busy_file_is_retried_until_released() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attctl.db");
    let tuning = Tuning {
        busy_timeout: Duration::from_millis(30),
        retry_budget: Duration::from_secs(3),
    };
    let store = SqliteStore::open_tuned(&path, tuning).unwrap();
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        holder.execute_batch("COMMIT").unwrap();
    });
    // Each attempt waits 30 ms and the lock is held for 150 ms: only the retry gets in.
    store.create_class("A").await.unwrap();
    releaser.join().unwrap();
}

#[tokio::test]
async fn poisoned_lock_does_not_panic() {
    let (_dir, store) = temp_store();
    let inner = Arc::clone(&store.inner);
    let _ = std::thread::spawn(move || {
        let conn = inner.conn.lock().unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        panic!("poisoning the connection lock on purpose");
    })
    .join();
    assert!(store.inner.conn.is_poisoned());
    // The transaction the panicking thread left open is rolled back, not reused.
    store.create_class("A").await.unwrap();
    assert_eq!(store.list_classes().await.unwrap().len(), 1);
}

#[tokio::test]
async fn open_is_idempotent_private_and_checks_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("deeper").join("attctl.db");
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.path(), path);
    store.create_class("A").await.unwrap();
    drop(store);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&dir.path().join("nested")), 0o700);
    }

    // Reopening keeps the data and the schema version.
    let again = SqliteStore::open(&path).unwrap();
    assert_eq!(again.list_classes().await.unwrap().len(), 1);
    let raw = Connection::open(&path).unwrap();
    let (version, mode): (i64, String) = (
        raw.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap(),
        raw.pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap(),
    );
    assert_eq!((version, mode.as_str()), (SCHEMA_VERSION, "wal"));

    // A file written by a newer attctl is refused, not misread.
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(raw);
    drop(again);
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::Schema(_)), "{err:?}");

    // Something that is not SQLite: a clear error naming the file.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database ".repeat(40)).unwrap();
    let err = SqliteStore::open(&junk).unwrap_err();
    assert!(matches!(err, Error::Backend(_)), "{err:?}");
    assert!(err.to_string().contains("junk.db"), "{err}");

    // A directory where the file should be: an I/O error naming it.
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
}

#[tokio::test]
async fn unreadable_values_are_backend_errors() {
    let (dir, store) = temp_store();
    let class_id = class(&store, "A").await;
    store
        .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
        .await
        .unwrap();
    // A hand edit that passes the shape check but is no real date.
    let raw = Connection::open(dir.path().join("data").join("attctl.db")).unwrap();
    raw.execute(
        "UPDATE teaching_sessions SET session_date = '2024-02-30'",
        [],
    )
    .unwrap();
    let err = store
        .list_sessions(&SessionFilter::default(), None, 10, false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Backend(_)), "{err:?}");
    assert!(err.to_string().contains("2024-02-30"), "{err}");
}

/// The outbox is written by triggers: an edit made with the `sqlite3` shell (here a raw
/// connection, which knows nothing of attctl) records its event like attctl's own.
#[tokio::test]
async fn triggers_record_every_change_whoever_makes_it() {
    let (dir, store) = temp_store();
    let class = store.create_class("Maths").await.unwrap();
    let s = store
        .insert_session(&session(class.id, "2030-01-15", "09:00:00", "10:00:00"))
        .await
        .unwrap();
    let raw = Connection::open(dir.path().join("data").join("attctl.db")).unwrap();
    raw.execute(
        "UPDATE teaching_sessions SET status = 'Closed', closed_by = 'manual' WHERE id = ?1",
        [s.id],
    )
    .unwrap();
    raw.execute("DELETE FROM teaching_sessions WHERE id = ?1", [s.id])
        .unwrap();
    let events = store
        .list_events(&EventFilter::default(), 100)
        .await
        .unwrap();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["session.created", "session.closed", "session.deleted"]
    );
    assert!(
        events
            .iter()
            .all(|e| e.state == "pending" && e.session_id == s.id)
    );
    assert_eq!(events[1].payload["closed_by"], "manual");
    assert_eq!(events[1].payload["session"]["class_name"], "Maths");
    assert!(events.iter().all(|e| uuid::Uuid::parse_str(&e.id).is_ok()));
}

#[tokio::test]
async fn claims_are_exclusive_and_outcomes_need_the_claim() {
    let (_dir, store) = temp_store();
    let class = store.create_class("Maths").await.unwrap();
    store
        .insert_session(&session(class.id, "2030-01-15", "09:00:00", "10:00:00"))
        .await
        .unwrap();
    let types = vec!["session.created".to_string()];
    let a = store.claim_events("a", 60, 10, &types).await.unwrap();
    let b = store.claim_events("b", 60, 10, &types).await.unwrap();
    assert_eq!((a.len(), b.len()), (1, 0));
    let outcome = EventOutcome {
        state: "delivered".into(),
        deliveries: serde_json::json!({}),
        attempts: 1,
        next_attempt_at: Utc::now(),
        last_error: None,
        delivered_at: Some(Utc::now()),
    };
    assert!(!store.finish_event(&a[0].id, "b", &outcome).await.unwrap());
    assert!(store.finish_event(&a[0].id, "a", &outcome).await.unwrap());
    // Filtered-out types are settled, not left pending.
    store
        .insert_session(&session(class.id, "2030-01-16", "09:00:00", "10:00:00"))
        .await
        .unwrap();
    assert!(
        store
            .claim_events("a", 60, 10, &[])
            .await
            .unwrap()
            .is_empty()
    );
    let pending = EventFilter {
        state: Some("pending".into()),
        ..Default::default()
    };
    assert!(store.list_events(&pending, 10).await.unwrap().is_empty());
    let skipped = EventFilter {
        state: Some("skipped".into()),
        ..Default::default()
    };
    assert_eq!(store.list_events(&skipped, 10).await.unwrap().len(), 1);
}

/// A file made by the previous build (schema version 1) gains the outbox when opened.
#[tokio::test]
async fn version_1_files_are_migrated_to_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attctl.db");
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(SCHEMA_V1).unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
        raw.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let class = store.create_class("Maths").await.unwrap();
    store
        .insert_session(&session(class.id, "2030-01-15", "09:00:00", "10:00:00"))
        .await
        .unwrap();
    let events = store
        .list_events(&EventFilter::default(), 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let raw = Connection::open(&path).unwrap();
    let v: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[tokio::test]
async fn a_version_4_file_gains_class_recipients_and_keeps_its_classes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO classes (id, name, created_at) \
                 VALUES (1, 'A', '2026-01-01T00:00:00.000000Z');",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let classes = store.list_classes().await.unwrap();
    assert_eq!(classes.len(), 1);
    assert!(classes[0].notify_emails.is_empty());
    let emails = vec!["a@school.example".to_string()];
    let updated = store.set_class_notify_emails(1, &emails).await.unwrap();
    assert_eq!(updated.map(|c| c.notify_emails), Some(emails.clone()));
    let created = store.create_class_notifying("B", &emails).await.unwrap();
    assert_eq!(created.notify_emails, emails);
    assert_eq!(
        store.set_class_notify_emails(99, &emails).await.unwrap(),
        None
    );
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    // The column holds a JSON array, whatever writes to it.
    assert!(
        raw.execute("UPDATE classes SET notify_emails = 'x' WHERE id = 1", [])
            .is_err()
    );
}

#[test]
fn a_version_4_file_read_without_migrating_lists_its_classes_without_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4ro.db");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO classes (id, name, created_at) \
                 VALUES (1, 'A', '2026-01-01T00:00:00.000000Z');",
        )
        .unwrap();
    }
    // As a read-only open finds it (it cannot migrate the file).
    let conn =
        Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = directory::select_classes(&conn, "ORDER BY id").unwrap();
    let classes: Vec<Class> = stmt
        .query_map([], class_from_row)
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(classes.len(), 1);
    assert!(classes[0].notify_emails.is_empty());
}

/// Version 9 rebuilds the outbox to widen its state CHECK: a version 8 file keeps its events
/// (in their order), its triggers still record changes, and the new states are accepted.
#[tokio::test]
async fn a_version_8_file_keeps_its_outbox_and_gains_skipped_and_expired() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in [
            SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7, SCHEMA_V8,
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 8).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
    }
    let before = {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO classes (id, name, created_at) \
                 VALUES (1, 'A', '2026-01-01T00:00:00.000000Z');",
        )
        .unwrap();
        for (i, start) in ["09:00:00", "11:00:00", "13:00:00"].iter().enumerate() {
            conn.execute(
                "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, created_at, updated_at) VALUES (1, '2030-01-15', ?1, \
                 ?2, 'UTC', ?3, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
                params![
                    start,
                    format!("{}:30:00", &start[..2]),
                    format!("2030-01-15T{}:30:00.000000Z", &start[..2]),
                ],
            )
            .unwrap_or_else(|e| panic!("session {i}: {e}"));
        }
        conn.execute(
            "UPDATE session_events SET state = 'delivered' WHERE rowid = 2",
            [],
        )
        .unwrap();
        let mut stmt = conn
            .prepare("SELECT id, state FROM session_events ORDER BY rowid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
    };
    assert_eq!(before.len(), 3);

    let store = SqliteStore::open(&path).unwrap();
    let class = store.list_classes().await.unwrap()[0].id;
    store
        .insert_session(&session(class, "2030-01-16", "09:00:00", "10:00:00"))
        .await
        .unwrap();
    let raw = Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let after: Vec<(String, String)> = {
        let mut stmt = raw
            .prepare("SELECT id, state FROM session_events ORDER BY rowid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
    };
    assert_eq!(after.len(), 4, "the trigger records after the rebuild");
    assert_eq!(&after[..3], &before[..]);
    for state in ["skipped", "expired"] {
        raw.execute(
            "UPDATE session_events SET state = ?1 WHERE rowid = 1",
            [state],
        )
        .unwrap();
    }
    assert!(
        raw.execute(
            "UPDATE session_events SET state = 'bogus' WHERE rowid = 1",
            []
        )
        .is_err()
    );
    let indexes: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN \
             ('session_events_pending_idx', 'session_events_occurred_at_idx', \
              'session_events_pending_session_idx')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 3);
}

/// A version 10 file keeps its classes (ids, names, recipients) and their sessions through
/// the rebuild of version 11, its triggers still record changes, foreign keys still hold,
/// and no class id is handed out again: neither one deleted after the upgrade, nor one a
/// recorded event names (a class deleted before it).
#[tokio::test]
async fn a_version_10_file_keeps_its_classes_and_never_reuses_their_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v10.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in [
            SCHEMA_V1,
            SCHEMA_V2,
            SCHEMA_V3,
            SCHEMA_V4,
            SCHEMA_V5,
            SCHEMA_V6,
            SCHEMA_V7,
            SCHEMA_V8,
            SCHEMA_V9,
            SCHEMA_V4,
            SCHEMA_V9_INDEX,
            SCHEMA_V10,
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 10).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO classes (id, name, created_at, notify_emails) VALUES \
               (1, 'A', '2026-01-01T00:00:00.000000Z', '[\"a@school.example\"]'), \
               (2, 'B', '2026-01-01T00:00:00.000000Z', '[]'), \
               (3, 'C', '2026-01-01T00:00:00.000000Z', '[]'); \
             INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
               timezone, closes_at, created_at, updated_at) VALUES \
               (1, '2030-01-15', '09:00:00', '10:00:00', 'UTC', '2030-01-15T10:00:00.000000Z', \
                '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'), \
               (3, '2030-01-15', '09:00:00', '10:00:00', 'UTC', '2030-01-15T10:00:00.000000Z', \
                '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'); \
             DELETE FROM teaching_sessions WHERE class_id = 3; \
             DELETE FROM classes WHERE id = 3;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let classes = store.list_classes().await.unwrap();
    assert_eq!(
        classes
            .iter()
            .map(|c| (c.id, c.name.as_str(), c.notify_emails.len()))
            .collect::<Vec<_>>(),
        [(1, "A", 1), (2, "B", 0)]
    );
    // Class 3 is named by the events of its deleted session: its id is not handed out.
    let d_class = class(&store, "D").await;
    assert_eq!(d_class, 4);
    store.delete_class(d_class).await.unwrap();
    assert_eq!(class(&store, "E").await, 5);
    // Foreign keys hold again, and the triggers record with the class's name.
    assert!(matches!(
        store.delete_class(1).await,
        Err(Error::Conflict(_))
    ));
    let s = store
        .insert_session(&session(2, "2030-01-16", "09:00:00", "10:00:00"))
        .await
        .unwrap();
    let raw = Connection::open(&path).unwrap();
    let (version, fk): (i64, i64) = (
        raw.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap(),
        raw.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap(),
    );
    assert_eq!((version, fk), (SCHEMA_VERSION, 0));
    let named: String = raw
        .query_row(
            "SELECT json_extract(payload, '$.session.class_name') FROM session_events \
             WHERE session_id = ?1 AND type = 'session.created'",
            [s.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(named, "B");
    let triggers: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 6, "five event triggers and the reschedule count");
}
