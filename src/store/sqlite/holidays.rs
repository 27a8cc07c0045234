//! Holidays: add, list, delete.

use super::*;

pub(super) async fn add_holiday(
    store: &SqliteStore,
    name: &str,
    first_date: NaiveDate,
    last_date: NaiveDate,
) -> Result<Holiday> {
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

pub(super) async fn list_holidays(
    store: &SqliteStore,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Holiday>> {
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

pub(super) async fn delete_holiday(store: &SqliteStore, id: i64) -> Result<Option<Holiday>> {
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
