//! Staff accounts on Supabase (`public.staff`, its policies): who may sign in as teacher or
//! admin. Only the Supabase store has them (a local SQLite file has one user: whoever can
//! open it), so these are the PostgREST store's own methods, not an area trait.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::PostgrestStore;
use super::client::{Identity, Request, Retry};
use crate::error::{Error, Result};

/// One staff member as `staff list` shows them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffMember {
    pub user_id: String,
    pub email: String,
    pub role: String,
    #[serde(default)]
    pub added_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Names of the classes they teach.
    #[serde(default)]
    pub classes: Vec<String>,
}

/// A policy in force, as doctor lists them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    pub table: String,
    pub policy: String,
    pub command: String,
    pub roles: Vec<String>,
}

impl PostgrestStore {
    /// Who the signed-in person is to the database; `None` with a service key.
    pub async fn identity(&self) -> Result<Option<Identity>> {
        self.client.identity().await
    }

    pub async fn staff_add(
        &self,
        email: &str,
        role: &str,
        class_ids: &[i64],
    ) -> Result<StaffMember> {
        let req = Request::new(Method::POST, "rpc/attctl_staff_add")
            .body(json!({ "email": email, "role": role, "class_ids": class_ids }))
            .retry(Retry::Idempotent);
        self.staff_rpc(req).await
    }

    /// The member removed, or `None` when nobody had that email.
    pub async fn staff_remove(&self, email: &str) -> Result<Option<StaffMember>> {
        let req = Request::new(Method::POST, "rpc/attctl_staff_remove")
            .body(json!({ "email": email }))
            .retry(Retry::Idempotent);
        self.staff_rpc(req).await
    }

    pub async fn staff_list(&self) -> Result<Vec<StaffMember>> {
        let req = Request::new(Method::POST, "rpc/attctl_staff_list")
            .body(json!({}))
            .retry(Retry::Idempotent);
        self.staff_rpc(req).await
    }

    pub async fn staff_policies(&self) -> Result<Vec<Policy>> {
        let req = Request::new(Method::POST, "rpc/attctl_staff_policies")
            .body(json!({}))
            .retry(Retry::Idempotent);
        self.staff_rpc(req).await
    }

    async fn staff_rpc<T: for<'de> Deserialize<'de>>(&self, req: Request) -> Result<T> {
        use super::client::ClientError;
        match self.client.send(&req).await {
            Ok(resp) => resp.json(),
            Err(ClientError::Api(api)) => {
                let said = api.message.clone().unwrap_or_default();
                Err(match api.code() {
                    // The functions' own refusals: their words are the message.
                    "P0002" => Error::NotFoundHint(match &api.hint {
                        Some(hint) => format!("{said}: {hint}"),
                        None => said,
                    }),
                    "42501" => Error::Auth(said),
                    "23514" => Error::invalid(said),
                    "23503" => Error::NotFoundHint(said),
                    "42P01" if said.contains("auth.users") => Error::Schema(said),
                    _ => Error::from(ClientError::Api(api)),
                })
            }
            Err(e) => Err(Error::from(e)),
        }
    }
}
