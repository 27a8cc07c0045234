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
                    // ON DELETE RESTRICT refuses as a trigger (SQLITE_CONSTRAINT_TRIGGER).
                    Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY | ffi::SQLITE_CONSTRAINT_TRIGGER)
                        if e.to_string().contains("FOREIGN KEY") =>
                    {
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

fn settings_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SchoolSettings> {
    Ok(SchoolSettings {
        timezone: row.get(0)?,
        session_type: row.get(1)?,
        updated_at: opt_text_col(row, 2, parse_instant)?,
    })
}

#[async_trait]
impl Directory for SqliteStore {
    async fn list_classes(&self) -> Result<Vec<Class>> {
        let store = self;
        store
            .call(|conn| {
                let mut stmt = select_classes(conn, "ORDER BY id")?;
                let rows = stmt.query_map([], class_from_row)?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }

    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>> {
        let store = self;
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

    async fn create_class(&self, name: &str) -> Result<Class> {
        self.create_class_notifying(name, &[]).await
    }

    async fn create_class_notifying(&self, name: &str, notify_emails: &[String]) -> Result<Class> {
        let store = self;
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

    async fn set_class_notify_emails(
        &self,
        id: crate::session::ClassId,
        notify_emails: &[String],
    ) -> Result<Option<Class>> {
        set_class_notify_emails(self, id, notify_emails).await
    }

    async fn rename_class(&self, id: crate::session::ClassId, name: &str) -> Result<Option<Class>> {
        rename_class(self, id, name).await
    }

    async fn delete_class(&self, id: crate::session::ClassId) -> Result<Option<Class>> {
        delete_class(self, id).await
    }

    async fn add_holiday(
        &self,
        name: &str,
        first_date: NaiveDate,
        last_date: NaiveDate,
    ) -> Result<Holiday> {
        let store = self;
        let args = (
            name.to_string(),
            enc_date(first_date)?,
            enc_date(last_date)?,
        );
        store
            .call(move |conn| {
                let sql = format!(
                    "INSERT INTO holidays (name, first_date, last_date, created_at) \
                 VALUES (?1, ?2, ?3, ?4) RETURNING {HOLIDAY_COLUMNS}"
                );
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_row(params![args.0, args.1, args.2, db_now()], holiday_from_row)?)
            })
            .await
    }

    async fn list_holidays(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Holiday>> {
        let store = self;
        let from = from.map(enc_date).transpose()?;
        let to = to.map(enc_date).transpose()?;
        store
            .call(move |conn| {
                let sql = format!(
                    "SELECT {HOLIDAY_COLUMNS} FROM holidays \
                 WHERE (?1 IS NULL OR last_date >= ?1) AND (?2 IS NULL OR first_date <= ?2) \
                 ORDER BY first_date, id"
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let rows = stmt.query_map(params![from, to], holiday_from_row)?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }

    async fn delete_holiday(&self, id: i64) -> Result<Option<Holiday>> {
        let store = self;
        store
            .call(move |conn| {
                let sql = format!("DELETE FROM holidays WHERE id = ?1 RETURNING {HOLIDAY_COLUMNS}");
                Ok(conn
                    .prepare_cached(&sql)?
                    .query_row([id], holiday_from_row)
                    .optional()?)
            })
            .await
    }

    async fn school(&self) -> Result<SchoolSettings> {
        let store = self;
        store
            .call(|conn| {
                let row = conn
                    .prepare_cached(
                        "SELECT timezone, default_session_type, updated_at FROM school_settings \
                         WHERE id = 1",
                    )?
                    .query_row([], settings_from_row)
                    .optional()?;
                Ok(row.unwrap_or_default())
            })
            .await
    }

    async fn set_school(&self, update: &SchoolUpdate) -> Result<SchoolSettings> {
        let store = self;
        let (zone, kind) = (update.timezone.clone(), update.session_type.clone());
        store
            .call(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "INSERT INTO school_settings (id, timezone, default_session_type, updated_at) \
                         VALUES (1, ?1, ?2, ?3) \
                         ON CONFLICT (id) DO UPDATE SET \
                           timezone = coalesce(excluded.timezone, timezone), \
                           default_session_type = coalesce(excluded.default_session_type, \
                                                           default_session_type), \
                           updated_at = excluded.updated_at \
                         RETURNING timezone, default_session_type, updated_at",
                    )?
                    .query_row(params![zone, kind, db_now()], settings_from_row)?)
            })
            .await
    }
}
