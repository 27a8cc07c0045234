//! The school's settings: one row of `school_settings` (schema v9).

use super::*;

pub(super) async fn school(store: &SqliteStore) -> Result<SchoolSettings> {
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

pub(super) async fn set_school(
    store: &SqliteStore,
    update: &SchoolUpdate,
) -> Result<SchoolSettings> {
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

fn settings_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SchoolSettings> {
    Ok(SchoolSettings {
        timezone: row.get(0)?,
        session_type: row.get(1)?,
        updated_at: opt_text_col(row, 2, parse_instant)?,
    })
}
