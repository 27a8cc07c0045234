//! Holidays: add, list, delete.

use super::*;

pub(super) async fn add_holiday(
    store: &PostgrestStore,
    name: &str,
    first_date: NaiveDate,
    last_date: NaiveDate,
) -> Result<Holiday> {
    let req = Request::new(Method::POST, HOLIDAYS)
        .query("select", HOLIDAY_COLUMNS)
        .prefer("return=representation")
        .single()
        .body(json!({"name": name, "first_date": first_date, "last_date": last_date}));
    store.client.send(&req).await.map_err(Error::from)?.json()
}

pub(super) async fn list_holidays(
    store: &PostgrestStore,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Holiday>> {
    let mut all: Vec<Holiday> = Vec::new();
    loop {
        let mut req = Request::new(Method::GET, HOLIDAYS)
            .query("select", HOLIDAY_COLUMNS)
            .query("order", "first_date.asc,id.asc")
            .query("limit", PAGE_SIZE.to_string())
            .query("offset", all.len().to_string());
        if let Some(from) = from {
            req = req.query("last_date", format!("gte.{from}"));
        }
        if let Some(to) = to {
            req = req.query("first_date", format!("lte.{to}"));
        }
        let resp = store.client.send(&req).await.map_err(Error::from)?;
        let page: Vec<Holiday> = resp.json()?;
        let done = page.len() < PAGE_SIZE;
        all.extend(page);
        if done {
            return Ok(all);
        }
    }
}

pub(super) async fn delete_holiday(store: &PostgrestStore, id: i64) -> Result<Option<Holiday>> {
    let req = Request::new(Method::DELETE, HOLIDAYS)
        .query("id", format!("eq.{id}"))
        .query("select", HOLIDAY_COLUMNS)
        .prefer("return=representation");
    let rows: Vec<Holiday> = store.client.send(&req).await.map_err(Error::from)?.json()?;
    Ok(rows.into_iter().next())
}
