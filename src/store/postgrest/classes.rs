//! Classes: list, look up, create, rename, delete.

use super::*;

const CLASS_SELECT: &str = "id,name,created_at,notify_emails";

pub(super) async fn list_classes(store: &PostgrestStore) -> Result<Vec<Class>> {
    let mut all: Vec<Class> = Vec::new();
    loop {
        let mut req = Request::new(Method::GET, CLASSES)
            .query("select", CLASS_SELECT)
            .query("order", "id.asc")
            .query("limit", PAGE_SIZE.to_string());
        if let Some(last) = all.last() {
            req = req.query("id", format!("gt.{}", last.id));
        }
        let page: Vec<Class> = store.rows(req).await?;
        let done = page.len() < PAGE_SIZE;
        all.extend(page);
        if done {
            return Ok(all);
        }
    }
}

pub(super) async fn find_class(store: &PostgrestStore, class: &ClassRef) -> Result<Option<Class>> {
    let req = Request::new(Method::GET, CLASSES).query("select", CLASS_SELECT);
    let req = match class {
        ClassRef::Id(id) => req.query("id", format!("eq.{id}")),
        ClassRef::Name(name) => req.query("name", format!("eq.{name}")),
    };
    store.first(req).await
}

pub(super) async fn create_class(
    store: &PostgrestStore,
    name: &str,
    notify_emails: &[String],
) -> Result<Class> {
    let req = Request::new(Method::POST, CLASSES)
        .query("select", CLASS_SELECT)
        .prefer("return=representation")
        .single()
        .body(json!({ "name": name, "notify_emails": notify_emails }));
    match store.client.send(&req).await {
        Ok(resp) => resp.json(),
        Err(ClientError::Api(api)) if api.code() == "23505" => Err(Error::Conflict(format!(
            "a class named {name:?} already exists"
        ))),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn rename_class(
    store: &PostgrestStore,
    id: ClassId,
    name: &str,
) -> Result<Option<Class>> {
    let req = Request::new(Method::PATCH, CLASSES)
        .query("id", format!("eq.{id}"))
        .query("select", CLASS_SELECT)
        .prefer("return=representation")
        .body(json!({ "name": name }));
    match store.client.send(&req).await {
        Ok(resp) => Ok(resp.json::<Vec<Class>>()?.into_iter().next()),
        Err(ClientError::Api(api)) if api.code() == "23505" => Err(Error::Conflict(format!(
            "a class named {name:?} already exists"
        ))),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn delete_class(store: &PostgrestStore, id: ClassId) -> Result<Option<Class>> {
    let req = Request::new(Method::DELETE, CLASSES)
        .query("id", format!("eq.{id}"))
        .query("select", CLASS_SELECT)
        .prefer("return=representation");
    match store.client.send(&req).await {
        Ok(resp) => Ok(resp.json::<Vec<Class>>()?.into_iter().next()),
        Err(ClientError::Api(api)) if api.code() == "23503" => {
            Err(crate::store::class_has_sessions(id))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn set_class_notify_emails(
    store: &PostgrestStore,
    id: ClassId,
    notify_emails: &[String],
) -> Result<Option<Class>> {
    let req = Request::new(Method::PATCH, CLASSES)
        .query("id", format!("eq.{id}"))
        .query("select", CLASS_SELECT)
        .prefer("return=representation")
        .retry(Retry::Idempotent)
        .body(json!({ "notify_emails": notify_emails }));
    Ok(store.rows::<Class>(req).await?.into_iter().next())
}
