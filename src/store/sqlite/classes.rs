//! Classes: list, look up, create, rename, delete.

use super::*;

/// `SELECT <class columns> FROM classes <tail>`. A version 4 file opened read-only (so
/// not migrated) has no `notify_emails`: it reads as no recipients.
pub(super) fn select_classes<'c>(
    conn: &'c Connection,
    tail: &str,
) -> rusqlite::Result<rusqlite::CachedStatement<'c>> {
    match conn.prepare_cached(&format!("SELECT {CLASS_COLUMNS} FROM classes {tail}")) {
        Err(e) if e.to_string().contains("no such column: notify_emails") => conn.prepare_cached(
            &format!("SELECT id, name, created_at, '[]' FROM classes {tail}"),
        ),
        other => other,
    }
}

pub(super) async fn list_classes(store: &SqliteStore) -> Result<Vec<Class>> {
    store
        .call(|conn| {
            let mut stmt = select_classes(conn, "ORDER BY id")?;
            let rows = stmt.query_map([], class_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
}

pub(super) async fn find_class(store: &SqliteStore, class: &ClassRef) -> Result<Option<Class>> {
    let (column, key) = match class {
        ClassRef::Id(id) => ("id", Value::Integer(*id)),
        ClassRef::Name(name) => ("name", Value::Text(name.clone())),
    };
    let tail = format!("WHERE {column} = ?1");
    store
        .call(move |conn| {
            Ok(select_classes(conn, &tail)?
                .query_row([&key], class_from_row)
                .optional()?)
        })
        .await
}

pub(super) async fn create_class(
    store: &SqliteStore,
    name: &str,
    notify_emails: &[String],
) -> Result<Class> {
    let name = name.to_string();
    let emails = emails_json(notify_emails)?;
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached(&format!(
                    "INSERT INTO classes (name, created_at, notify_emails) VALUES (?1, ?2, ?3) \
                     RETURNING {CLASS_COLUMNS}"
                ))?
                .query_row(params![name, db_now(), emails], class_from_row)
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Fail::App(Error::Conflict(format!(
                            "a class named {name:?} already exists"
                        )))
                    } else {
                        Fail::Db(e)
                    }
                })?;
            tx.commit()?;
            Ok(class)
        })
        .await
}

pub(super) async fn rename_class(
    store: &SqliteStore,
    id: crate::session::ClassId,
    name: &str,
) -> Result<Option<Class>> {
    let name = name.to_string();
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached(&format!(
                    "UPDATE classes SET name = ?2 WHERE id = ?1 RETURNING {CLASS_COLUMNS}"
                ))?
                .query_row(params![id, name], class_from_row)
                .optional()
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Fail::App(Error::Conflict(format!(
                            "a class named {name:?} already exists"
                        )))
                    } else {
                        Fail::Db(e)
                    }
                })?;
            tx.commit()?;
            Ok(class)
        })
        .await
}

pub(super) async fn delete_class(
    store: &SqliteStore,
    id: crate::session::ClassId,
) -> Result<Option<Class>> {
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached(&format!(
                    "DELETE FROM classes WHERE id = ?1 RETURNING {CLASS_COLUMNS}"
                ))?
                .query_row(params![id], class_from_row)
                .optional()
                .map_err(|e| match constraint_code(&e) {
                    Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => {
                        Fail::App(crate::store::class_has_sessions(id))
                    }
                    _ => Fail::Db(e),
                })?;
            tx.commit()?;
            Ok(class)
        })
        .await
}

fn emails_json(emails: &[String]) -> Result<String> {
    serde_json::to_string(emails)
        .map_err(|e| Error::Backend(format!("cannot encode email addresses: {e}")))
}

pub(super) async fn set_class_notify_emails(
    store: &SqliteStore,
    id: crate::session::ClassId,
    notify_emails: &[String],
) -> Result<Option<Class>> {
    let emails = emails_json(notify_emails)?;
    store
        .call(move |conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "UPDATE classes SET notify_emails = ?2 WHERE id = ?1 RETURNING {CLASS_COLUMNS}"
                ))?
                .query_row(params![id, emails], class_from_row)
                .optional()?)
        })
        .await
}
