//! The school's settings: one row of `school_settings`.

use super::*;

const SCHOOL: &str = "school_settings";
const SCHOOL_COLUMNS: &str = "timezone,default_session_type,updated_at";

pub(super) async fn school(store: &PostgrestStore) -> Result<SchoolSettings> {
    let req = Request::new(Method::GET, SCHOOL).query("select", SCHOOL_COLUMNS);
    let rows: Vec<SchoolSettings> = store
        .client
        .send(&req)
        .await
        .map_err(missing_table)?
        .json()?;
    Ok(rows.into_iter().next().unwrap_or_default())
}

pub(super) async fn set_school(
    store: &PostgrestStore,
    update: &SchoolUpdate,
) -> Result<SchoolSettings> {
    // Only the keys sent are merged into an existing row (PostgREST's upsert updates the
    // payload's columns), so setting one leaves the other as it is.
    let mut body = json!({ "id": true });
    if let Some(zone) = &update.timezone {
        body["timezone"] = json!(zone);
    }
    if let Some(kind) = &update.session_type {
        body["default_session_type"] = json!(kind);
    }
    let req = Request::new(Method::POST, SCHOOL)
        .query("select", SCHOOL_COLUMNS)
        .query("on_conflict", "id")
        .prefer("resolution=merge-duplicates")
        .prefer("return=representation")
        .single()
        .body(body);
    store.client.send(&req).await.map_err(missing_table)?.json()
}

/// A database migrated before `school_settings` existed.
fn missing_table(e: ClientError) -> Error {
    match &e {
        ClientError::Api(api) if matches!(api.code(), "42P01" | "PGRST205") => Error::Schema(
            "the database has no school_settings table: apply the migrations in \
             supabase/migrations (`attctl doctor` shows which are missing)"
                .into(),
        ),
        _ => e.into(),
    }
}
