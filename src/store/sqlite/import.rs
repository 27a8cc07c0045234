//! One chunk of `session import` in one transaction ([`Sessions::import_sessions`]): each
//! row checked against the class's sessions that day (the rows written before it
//! included), written with one prepared statement, and the `session.created` events of the
//! chunk written by one statement at the end.
//!
//! The events are the insert trigger's, row for row (same type, payload and transaction),
//! but not written by it: the trigger is switched off for this connection while the chunk
//! is inserted (`SQLITE_DBCONFIG_ENABLE_TRIGGER`, never visible to other connections, back
//! on before the commit). Its ids are random UUIDs, and inserting a random key per row
//! into the events' primary-key index touched a different page each time: most of an
//! import's time went there. The chunk's events get time-ordered ids instead (UUID version
//! 7 layout: the chunk's millisecond and random bits, then the session id), so the index
//! grows at its end.

use super::*;
use crate::store::ImportAnswer;
use rusqlite::config::DbConfig;

/// The `session.created` events of the sessions with ids above `?2`, as the insert trigger
/// of schema version 4 writes them (its payload expression, column for column), with ids
/// `?1` followed by the session id in 12 hex digits.
const CREATED_EVENTS_SQL: &str = "INSERT INTO session_events \
    (id, type, session_id, occurred_at, next_attempt_at, payload) \
    SELECT ?1 || printf('%012x', NEW.id), 'session.created', NEW.id, \
        (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), \
        (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), \
        json_object('session', json_object('id', NEW.id, 'class_id', NEW.class_id, \
            'session_date', NEW.session_date, 'start_time', NEW.start_time, \
            'end_time', NEW.end_time, 'status', NEW.status, \
            'scheduled_task_id', NEW.scheduled_task_id, 'timezone', NEW.timezone, \
            'closes_at', NEW.closes_at, 'closed_at', NEW.closed_at, \
            'closed_by', NEW.closed_by, 'created_at', NEW.created_at, \
            'updated_at', NEW.updated_at, \
            'class_name', (SELECT c.name FROM classes c WHERE c.id = NEW.class_id))) \
    FROM teaching_sessions NEW WHERE NEW.id > ?2 ORDER BY NEW.id";

/// A row ready for the statement.
struct Encoded {
    class_id: i64,
    session_date: NaiveDate,
    start_time: NaiveTime,
    end_time: NaiveTime,
    date: String,
    start: String,
    end: String,
    zone: String,
    closes_at: String,
    run: Option<String>,
    status: Status,
    closed_at: Option<String>,
    closed_by: Option<ClosedBy>,
}

fn encode(n: &NewSession) -> Result<Encoded> {
    let (status, closed_at, closed_by) = match &n.closed {
        None => (Status::Open, None, None),
        Some(h) => (
            h.status,
            h.closed_at
                .map(|t| enc_instant(t, "closed_at"))
                .transpose()?,
            h.closed_by,
        ),
    };
    Ok(Encoded {
        class_id: n.class_id,
        session_date: n.session_date,
        start_time: n.start_time,
        end_time: n.end_time,
        date: enc_date(n.session_date)?,
        start: enc_time(n.start_time),
        end: enc_time(n.end_time),
        zone: n.timezone.clone(),
        closes_at: enc_instant(n.closes_at, "closing instant")?,
        run: n.scheduled_task_id.clone(),
        status,
        closed_at,
        closed_by,
    })
}

/// Triggers off on this connection until dropped.
struct TriggersOff<'c>(&'c Connection);

impl<'c> TriggersOff<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        Ok(TriggersOff(conn))
    }
}

impl Drop for TriggersOff<'_> {
    fn drop(&mut self) {
        // Failing to switch them back would leave this connection writing without events:
        // a connection that cannot is not used again (the error surfaces on its next use).
        let _ = self
            .0
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true);
    }
}

/// The first 24 characters of a time-ordered event id (`tttttttt-tttt-7rrr-vrrr-`).
fn event_id_prefix() -> String {
    let ms = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0) & 0xffff_ffff_ffff;
    let random = uuid::Uuid::new_v4().as_u128();
    let rand_a = (random & 0xfff) as u16;
    let rand_b = ((random >> 12) & 0x3fff) as u16 | 0x8000;
    format!(
        "{:08x}-{:04x}-7{:03x}-{:04x}-",
        ms >> 16,
        ms & 0xffff,
        rand_a,
        rand_b
    )
}

pub(super) async fn import_chunk(
    store: &SqliteStore,
    rows: &[NewSession],
    skip_holidays: bool,
    write: bool,
) -> Result<Option<Vec<ImportAnswer>>> {
    if rows.iter().any(|n| n.session_type.is_some()) {
        return Err(Error::invalid(
            "--type: the local store has no session types (they belong to the original \
             app's database on Supabase); leave --type out",
        ));
    }
    if rows.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let encoded = Arc::new(rows.iter().map(encode).collect::<Result<Vec<_>>>()?);
    let first = rows.iter().map(|n| n.session_date).min().map(enc_date);
    let last = rows.iter().map(|n| n.session_date).max().map(enc_date);
    let (first, last) = (first.transpose()?, last.transpose()?);
    let answers = store
        .call(move |conn| {
            let behavior = if write {
                TransactionBehavior::Immediate
            } else {
                TransactionBehavior::Deferred
            };
            let tx = conn.transaction_with_behavior(behavior)?;
            // The holidays of the chunk's dates, read once.
            let holidays: Vec<(String, String)> = if skip_holidays {
                let mut stmt = tx.prepare_cached(
                    "SELECT first_date, last_date FROM holidays \
                     WHERE first_date <= ?2 AND last_date >= ?1",
                )?;
                stmt.query_map(params![first, last], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            } else {
                Vec::new()
            };
            let triggers = if write {
                Some(TriggersOff::new(&tx)?)
            } else {
                None
            };
            let before: i64 = tx.query_row(
                "SELECT coalesce(max(id), 0) FROM teaching_sessions",
                [],
                |r| r.get(0),
            )?;
            let now = db_now();
            let now_at = parse_instant(&now).unwrap_or_else(Utc::now);
            let mut answers = Vec::with_capacity(encoded.len());
            {
                let mut day = tx.prepare_cached(
                    "SELECT start_time, end_time FROM teaching_sessions \
                     WHERE class_id = ?1 AND session_date = ?2",
                )?;
                let mut insert = tx.prepare_cached(
                    "INSERT INTO teaching_sessions (class_id, session_date, start_time, \
                     end_time, timezone, closes_at, scheduled_task_id, status, closed_at, \
                     closed_by, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                     CASE WHEN ?8 = 'Closed' THEN coalesce(?9, ?11) END, ?10, ?11, ?11) \
                     ON CONFLICT (class_id, session_date, start_time) DO NOTHING",
                )?;
                for e in encoded.iter() {
                    if e.status == Status::Open
                        && holidays
                            .iter()
                            .any(|(from, to)| from.as_str() <= e.date.as_str() && e.date <= *to)
                    {
                        answers.push(ImportAnswer::Holiday);
                        continue;
                    }
                    let (mut same, mut over) = (false, false);
                    let mut found = day.query(params![e.class_id, e.date])?;
                    while let Some(r) = found.next()? {
                        let (s, t): (String, String) = (r.get(0)?, r.get(1)?);
                        same |= s == e.start;
                        over |= s < e.end && t > e.start;
                    }
                    if same {
                        answers.push(ImportAnswer::Exists);
                        continue;
                    }
                    if over {
                        answers.push(ImportAnswer::Overlap);
                        continue;
                    }
                    if !write {
                        answers.push(ImportAnswer::Free);
                        continue;
                    }
                    let written = insert
                        .execute(params![
                            e.class_id,
                            e.date,
                            e.start,
                            e.end,
                            e.zone,
                            e.closes_at,
                            e.run,
                            e.status.as_str(),
                            e.closed_at,
                            e.closed_by.map(|b| b.as_str()),
                            now
                        ])
                        .map_err(|err| match constraint_code(&err) {
                            Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => Fail::App(Error::NotFound {
                                what: "class",
                                id: e.class_id.to_string(),
                            }),
                            _ => Fail::Db(err),
                        })?;
                    if written == 0 {
                        answers.push(ImportAnswer::Exists);
                        continue;
                    }
                    answers.push(ImportAnswer::Created(created(
                        e,
                        tx.last_insert_rowid(),
                        now_at,
                    )));
                }
            }
            drop(triggers);
            if write {
                tx.prepare_cached(CREATED_EVENTS_SQL)?
                    .execute(params![event_id_prefix(), before])?;
                tx.commit()?;
            }
            Ok(answers)
        })
        .await?;
    Ok(Some(answers))
}

/// The session as written: what the statement stored, without reading it back.
fn created(e: &Encoded, id: SessionId, now: DateTime<Utc>) -> TeachingSession {
    let closes_at = parse_instant(&e.closes_at).unwrap_or(now);
    let closed = e.status == Status::Closed;
    TeachingSession {
        id,
        class_id: e.class_id,
        session_date: e.session_date,
        start_time: e.start_time,
        end_time: e.end_time,
        status: e.status,
        scheduled_task_id: e.run.clone(),
        timezone: e.zone.clone(),
        closes_at,
        closed_at: if closed {
            Some(
                e.closed_at
                    .as_deref()
                    .and_then(parse_instant)
                    .unwrap_or(now),
            )
        } else {
            None
        },
        closed_by: e.closed_by,
        created_at: now,
        updated_at: now,
        session_type: None,
    }
}
