//! Classes: list, look up, create, rename, delete.

use super::*;

/// Every column: the original app's database adds `code` (and columns attctl ignores).
const CLASS_SELECT: &str = "*";
/// The columns before migration `…_class_notify_emails.sql`.
const OLD_CLASS_SELECT: &str = "id,name,created_at";

/// A database without the migration that adds `classes.notify_emails` answers "column does
/// not exist": reads then fall back to the old columns (no recipients), so that everything
/// but the recipients keeps working until the migration is applied (doctor names it).
fn lacks_recipients(e: &ClientError) -> bool {
    matches!(e, ClientError::Api(api)
        if matches!(api.code(), "42703" | "PGRST204" | "PGRST100")
            && api.message.as_deref().is_some_and(|m| m.contains("notify_emails")))
}

/// Sends the request `build` makes for the current columns, and for the old ones if the
/// database lacks the new column.
async fn class_rows(
    store: &PostgrestStore,
    build: impl Fn(&'static str) -> Request,
) -> Result<Vec<Class>> {
    match store.client.send(&build(CLASS_SELECT)).await {
        Ok(resp) => resp.json(),
        Err(e) if lacks_recipients(&e) => store.rows(build(OLD_CLASS_SELECT)).await,
        Err(e) => Err(e.into()),
    }
}

/// A write whose answer selects the class: sent again with the old columns when the
/// database lacks the new one (the failed statement wrote nothing).
async fn send_selecting(
    store: &PostgrestStore,
    build: impl Fn(&'static str) -> Request,
) -> std::result::Result<client::Response, ClientError> {
    match store.client.send(&build(CLASS_SELECT)).await {
        Err(e) if lacks_recipients(&e) => store.client.send(&build(OLD_CLASS_SELECT)).await,
        other => other,
    }
}

fn migration_missing() -> Error {
    Error::Schema(
        "this database has no classes.notify_emails yet: apply \
         supabase/migrations/20261130170000_class_notify_emails.sql"
            .into(),
    )
}

const SCHOOL: &str = "school_settings";
const SCHOOL_COLUMNS: &str = "timezone,default_session_type,updated_at";

#[async_trait]
impl Directory for PostgrestStore {
    async fn list_classes(&self) -> Result<Vec<Class>> {
        let store = self;
        let mut all: Vec<Class> = Vec::new();
        loop {
            let after = all.last().map(|c| c.id);
            let page = class_rows(store, |select| {
                let req = Request::new(Method::GET, CLASSES)
                    .query("select", select)
                    .query("order", "id.asc")
                    .query("limit", PAGE_SIZE.to_string());
                match after {
                    Some(id) => req.query("id", format!("gt.{id}")),
                    None => req,
                }
            })
            .await?;
            let done = page.len() < PAGE_SIZE;
            all.extend(page);
            if done {
                return Ok(all);
            }
        }
    }

    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>> {
        let store = self;
        let rows = class_rows(store, |select| {
            let req = Request::new(Method::GET, CLASSES).query("select", select);
            match class {
                ClassRef::Id(id) => req.query("id", format!("eq.{id}")),
                ClassRef::Name(name) => req.query("name", format!("eq.{name}")),
            }
        })
        .await?;
        Ok(rows.into_iter().next())
    }

    async fn create_class(&self, name: &str) -> Result<Class> {
        self.create_class_notifying(name, &[]).await
    }

    async fn create_class_notifying(&self, name: &str, notify_emails: &[String]) -> Result<Class> {
        let store = self;
        let body = if notify_emails.is_empty() {
            json!({ "name": name })
        } else {
            json!({ "name": name, "notify_emails": notify_emails })
        };
        let build = |select: &str| {
            Request::new(Method::POST, CLASSES)
                .query("select", select)
                .prefer("return=representation")
                .single()
                .body(body.clone())
        };
        // Nothing is written when the column is missing (the statement fails whole), so the
        // insert may be sent again with the old columns.
        let sent = match store.client.send(&build(CLASS_SELECT)).await {
            Err(e) if lacks_recipients(&e) && notify_emails.is_empty() => {
                store.client.send(&build(OLD_CLASS_SELECT)).await
            }
            Err(e) if lacks_recipients(&e) => return Err(migration_missing()),
            other => other,
        };
        match sent {
            Ok(resp) => resp.json(),
            Err(ClientError::Api(api)) if api.code() == "23505" => Err(Error::Conflict(format!(
                "a class named {name:?} already exists"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    async fn set_class_notify_emails(
        &self,
        id: ClassId,
        notify_emails: &[String],
    ) -> Result<Option<Class>> {
        let store = self;
        let req = Request::new(Method::PATCH, CLASSES)
            .query("id", format!("eq.{id}"))
            .query("select", CLASS_SELECT)
            .prefer("return=representation")
            .retry(Retry::Idempotent)
            .body(json!({ "notify_emails": notify_emails }));
        match store.client.send(&req).await {
            Ok(resp) => Ok(resp.json::<Vec<Class>>()?.into_iter().next()),
            Err(e) if lacks_recipients(&e) => Err(migration_missing()),
            Err(e) => Err(e.into()),
        }
    }

    async fn rename_class(&self, id: ClassId, name: &str) -> Result<Option<Class>> {
        let store = self;
        let sent = send_selecting(store, |select| {
            Request::new(Method::PATCH, CLASSES)
                .query("id", format!("eq.{id}"))
                .query("select", select)
                .prefer("return=representation")
                .body(json!({ "name": name }))
        })
        .await;
        match sent {
            Ok(resp) => Ok(resp.json::<Vec<Class>>()?.into_iter().next()),
            Err(ClientError::Api(api)) if api.code() == "23505" => Err(Error::Conflict(format!(
                "a class named {name:?} already exists"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_class(&self, id: ClassId) -> Result<Option<Class>> {
        let store = self;
        let sent = send_selecting(store, |select| {
            Request::new(Method::DELETE, CLASSES)
                .query("id", format!("eq.{id}"))
                .query("select", select)
                .prefer("return=representation")
        })
        .await;
        match sent {
            Ok(resp) => Ok(resp.json::<Vec<Class>>()?.into_iter().next()),
            Err(ClientError::Api(api)) if api.code() == "23503" => {
                Err(crate::store::class_has_sessions(id))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn add_holiday(
        &self,
        name: &str,
        first_date: NaiveDate,
        last_date: NaiveDate,
    ) -> Result<Holiday> {
        let store = self;
        let req = Request::new(Method::POST, HOLIDAYS)
            .query("select", HOLIDAY_COLUMNS)
            .prefer("return=representation")
            .single()
            .body(json!({"name": name, "first_date": first_date, "last_date": last_date}));
        store.client.send(&req).await.map_err(Error::from)?.json()
    }

    async fn list_holidays(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Holiday>> {
        let store = self;
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

    async fn delete_holiday(&self, id: i64) -> Result<Option<Holiday>> {
        let store = self;
        let req = Request::new(Method::DELETE, HOLIDAYS)
            .query("id", format!("eq.{id}"))
            .query("select", HOLIDAY_COLUMNS)
            .prefer("return=representation");
        let rows: Vec<Holiday> = store.client.send(&req).await.map_err(Error::from)?.json()?;
        Ok(rows.into_iter().next())
    }

    async fn school(&self) -> Result<SchoolSettings> {
        let store = self;
        let req = Request::new(Method::GET, SCHOOL).query("select", SCHOOL_COLUMNS);
        let rows: Vec<SchoolSettings> =
            store.client.send(&req).await.map_err(Error::from)?.json()?;
        Ok(rows.into_iter().next().unwrap_or_default())
    }

    async fn set_school(&self, update: &SchoolUpdate) -> Result<SchoolSettings> {
        let store = self;
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
        store.client.send(&req).await.map_err(Error::from)?.json()
    }
}
