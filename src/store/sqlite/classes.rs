//! Classes: list, look up, create, rename, delete.

use super::*;

pub(super) async fn list_classes(store: &SqliteStore) -> Result<Vec<Class>> {
    store
        .call(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT id, name, created_at FROM classes ORDER BY id")?;
            let rows = stmt.query_map([], class_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
}

pub(super) async fn find_class(store: &SqliteStore, class: &ClassRef) -> Result<Option<Class>> {
    let (sql, key) = match class {
        ClassRef::Id(id) => (
            "SELECT id, name, created_at FROM classes WHERE id = ?1",
            Value::Integer(*id),
        ),
        ClassRef::Name(name) => (
            "SELECT id, name, created_at FROM classes WHERE name = ?1",
            Value::Text(name.clone()),
        ),
    };
    store
        .call(move |conn| {
            Ok(conn
                .prepare_cached(sql)?
                .query_row([&key], class_from_row)
                .optional()?)
        })
        .await
}

pub(super) async fn create_class(store: &SqliteStore, name: &str) -> Result<Class> {
    let name = name.to_string();
    store
        .call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached(
                    "INSERT INTO classes (name, created_at) VALUES (?1, ?2) \
                 RETURNING id, name, created_at",
                )?
                .query_row(params![name, db_now()], class_from_row)
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
                .prepare_cached(
                    "UPDATE classes SET name = ?2 WHERE id = ?1 RETURNING id, name, created_at",
                )?
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
                .prepare_cached("DELETE FROM classes WHERE id = ?1 RETURNING id, name, created_at")?
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
