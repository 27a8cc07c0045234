//! Text encodings of instants, dates and times, row decoding, and the mapping of SQLite's
//! errors to attctl's.

use super::*;

/// Fixed width and zero-padded: text order is chronological order.
pub(super) const INSTANT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";
pub(super) const INSTANT_LEN: usize = "2024-01-15T09:30:00.000000Z".len();
pub(super) const DATE_FORMAT: &str = "%Y-%m-%d";
pub(super) const TIME_FORMAT: &str = "%H:%M:%S";

/// Column order read by [`session_from_row`].
pub(super) const SESSION_COLUMNS: &str = "id, class_id, session_date, start_time, end_time, status, \
     scheduled_task_id, timezone, closes_at, closed_at, closed_by, created_at, updated_at";

/// The generic mapping, mirroring `ApiError::into_error` of the PostgREST store; callers
/// handle the constraint errors that need their context (duplicates, unknown class) first.
pub(super) fn map_db_error(e: rusqlite::Error, path: &Path) -> Error {
    let file = path.display();
    match &e {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let detail = message.clone().unwrap_or_else(|| failure.to_string());
            match failure.code {
                ErrorCode::ConstraintViolation => match failure.extended_code {
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                        Error::Conflict(format!("already exists: {detail}"))
                    }
                    ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Error::NotFound {
                        what: "referenced row",
                        id: detail,
                    },
                    _ => Error::Invalid(format!("rejected by the database: {detail}")),
                },
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => busy_error(path),
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Error::Backend(format!(
                    "the local data file {file} is damaged or is not an attctl data file: {detail}"
                )),
                ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
                | ErrorCode::ReadOnly
                | ErrorCode::PermissionDenied
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::NoLargeFileSupport => {
                    let kind = match failure.code {
                        ErrorCode::DiskFull => std::io::ErrorKind::StorageFull,
                        ErrorCode::ReadOnly | ErrorCode::PermissionDenied => {
                            std::io::ErrorKind::PermissionDenied
                        }
                        _ => std::io::ErrorKind::Other,
                    };
                    Error::io(
                        format!("the local data file {file}"),
                        std::io::Error::new(kind, detail),
                    )
                }
                _ if detail.starts_with("no such table")
                    || detail.starts_with("no such column") =>
                {
                    Error::Schema(format!(
                        "the local data file {file} lacks attctl's tables or columns: {detail}"
                    ))
                }
                _ => Error::Backend(format!("the local data file {file}: {detail}")),
            }
        }
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => Error::Backend(format!(
            "the local data file {file} holds a value attctl cannot read: {e}"
        )),
        _ => Error::Backend(format!("the local data file {file}: {e}")),
    }
}

pub(super) fn constraint_code(e: &rusqlite::Error) -> Option<i32> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => {
            Some(f.extended_code)
        }
        _ => None,
    }
}

pub(super) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    constraint_code(e) == Some(ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// The first session of `class` on `date` (other than `except`, and not itself allowed to
/// overlap) that shares time with `start`..`end`, as the overlap error. Adjacent sessions
/// do not overlap; the same start is left to the unique key, which words it better.
pub(super) fn overlapping(
    tx: &rusqlite::Transaction<'_>,
    class: i64,
    date: &str,
    start: &str,
    end: &str,
    except: Option<SessionId>,
) -> DbResult<Option<Error>> {
    let found: Option<(i64, String, String, String)> = tx
        .prepare_cached(
            "SELECT id, session_date, start_time, end_time FROM teaching_sessions \
             WHERE class_id = ?1 AND session_date = ?2 AND allow_overlap = 0 \
               AND start_time < ?4 AND end_time > ?3 AND start_time <> ?3 \
               AND id IS NOT ?5 \
             ORDER BY start_time, id LIMIT 1",
        )?
        .query_row(params![class, date, start, end, except], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    Ok(found.map(|(id, d, s, e)| crate::store::overlap_conflict(id, &d, &s, &e)))
}

pub(super) fn duplicate_session(class_id: i64, date: NaiveDate, start: NaiveTime) -> Error {
    Error::Conflict(format!(
        "class {class_id} already has a session on {date} starting at {}",
        start.format(TIME_FORMAT)
    ))
}

// ----- encoding -------------------------------------------------------------------------

/// Instants outside years 0000–9999 would not keep the fixed width that makes text order
/// chronological; nothing attctl computes comes near them.
pub(super) fn enc_instant(t: DateTime<Utc>, what: &str) -> Result<String> {
    use chrono::Datelike;
    if !(0..=9999).contains(&t.year()) {
        return Err(Error::invalid(format!("{what} {t} is out of range")));
    }
    Ok(t.format(INSTANT_FORMAT).to_string())
}

pub(super) fn enc_date(d: NaiveDate) -> Result<String> {
    use chrono::Datelike;
    if !(0..=9999).contains(&d.year()) {
        return Err(Error::invalid(format!("date {d} is out of range")));
    }
    Ok(d.format(DATE_FORMAT).to_string())
}

/// Whole seconds, as the PostgREST store sends them.
pub(super) fn enc_time(t: NaiveTime) -> String {
    crate::session::format_wall_time(t)
}

/// `now()` of the database, for `created_at` / `updated_at` (PostgreSQL keeps microseconds).
pub(super) fn db_now() -> String {
    Utc::now().format(INSTANT_FORMAT).to_string()
}

pub(super) fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    if s.len() != INSTANT_LEN {
        return None;
    }
    NaiveDateTime::parse_from_str(s, INSTANT_FORMAT)
        .ok()
        .map(|t| t.and_utc())
}

pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, DATE_FORMAT).ok()
}

/// Also reads a `24:00:00` (or `23:59:60`) stored before the schema forbade it, so one such
/// row cannot make a whole listing fail.
pub(super) fn parse_time(s: &str) -> Option<NaiveTime> {
    crate::session::parse_wall_time(s)
}

pub(super) fn parse_status(s: &str) -> Option<Status> {
    match s {
        "Open" => Some(Status::Open),
        "Closed" => Some(Status::Closed),
        _ => None,
    }
}

pub(super) fn parse_closed_by(s: &str) -> Option<ClosedBy> {
    s.parse().ok()
}

pub(super) fn parse_json(s: &str) -> Option<serde_json::Value> {
    serde_json::from_str(s).ok()
}

pub(super) fn text_col<T>(
    row: &Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let raw: String = row.get(idx)?;
    parse(&raw).ok_or_else(|| bad_value(idx, &raw))
}

pub(super) fn opt_text_col<T>(
    row: &Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(raw) => parse(&raw).map(Some).ok_or_else(|| bad_value(idx, &raw)),
    }
}

pub(super) fn bad_value(idx: usize, raw: &str) -> rusqlite::Error {
    let shown: String = raw.chars().take(60).collect();
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        format!("unexpected value {shown:?}").into(),
    )
}

pub(super) fn session_from_row(row: &Row<'_>) -> rusqlite::Result<TeachingSession> {
    Ok(TeachingSession {
        id: row.get(0)?,
        class_id: row.get(1)?,
        session_date: text_col(row, 2, parse_date)?,
        start_time: text_col(row, 3, parse_time)?,
        end_time: text_col(row, 4, parse_time)?,
        status: text_col(row, 5, parse_status)?,
        scheduled_task_id: row.get(6)?,
        timezone: row.get(7)?,
        closes_at: text_col(row, 8, parse_instant)?,
        closed_at: opt_text_col(row, 9, parse_instant)?,
        closed_by: opt_text_col(row, 10, parse_closed_by)?,
        created_at: text_col(row, 11, parse_instant)?,
        updated_at: text_col(row, 12, parse_instant)?,
        session_type: None,
    })
}

pub(super) fn holiday_from_row(row: &Row<'_>) -> rusqlite::Result<Holiday> {
    Ok(Holiday {
        id: row.get(0)?,
        name: row.get(1)?,
        first_date: text_col(row, 2, parse_date)?,
        last_date: text_col(row, 3, parse_date)?,
        created_at: text_col(row, 4, parse_instant)?,
    })
}

pub(super) const HOLIDAY_COLUMNS: &str = "id, name, first_date, last_date, created_at";

pub(super) fn class_from_row(row: &Row<'_>) -> rusqlite::Result<Class> {
    Ok(Class {
        id: row.get(0)?,
        name: row.get(1)?,
        created_at: text_col(row, 2, parse_instant)?,
        notify_emails: text_col(row, 3, |raw| serde_json::from_str::<Vec<String>>(raw).ok())?,
        code: None,
    })
}

/// Column order read by [`class_from_row`].
pub(super) const CLASS_COLUMNS: &str = "id, name, created_at, notify_emails";

/// `limit` as SQLite wants it; values beyond i64 mean "no limit" anyway.
pub(super) fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}
