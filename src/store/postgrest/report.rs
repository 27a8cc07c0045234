//! The closure report, computed in SQL by `attctl_closure_report()`.

use super::*;
use crate::registers::{AutomarkPreview, RegisterBy, RegisterQuery, RegisterReport, RegistersInfo};

#[async_trait]
impl Reports for PostgrestStore {
    async fn run_health(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<crate::store::RunHealth> {
        planning::run_health(self, since, until).await
    }

    async fn open_closing_between(&self, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<u64> {
        let req = Request::new(Method::GET, SESSIONS)
            .query("select", "id")
            .query("status", "eq.Open")
            .query("closes_at", format!("gte.{}", ts(from)))
            .query("closes_at", format!("lt.{}", ts(until)))
            .query("limit", "1")
            .prefer("count=exact");
        let resp = self.client.send(&req).await.map_err(Error::from)?;
        Ok(resp.total().unwrap_or(0))
    }

    async fn closure_report(&self, query: &ClosureQuery) -> Result<ClosureFigures> {
        let store = self;
        // One request: attctl_closure_report() aggregates in PostgreSQL; no row is downloaded.
        let req = Request::new(Method::POST, CLOSURE_REPORT_RPC)
            .retry(Retry::Idempotent)
            .body(json!({
                "p_by": query.by.as_str(),
                "p_now": ts(query.now),
                "p_from": query.from,
                "p_to": query.to,
                "p_class_id": query.class_id,
            }));
        match store.client.send(&req).await {
            Ok(resp) => resp.json(),
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                Err(Error::Schema(
                    "the database has no attctl_closure_report(): apply the migration \
                     supabase/migrations/20261130120000_attctl_report.sql (`attctl doctor` checks)"
                        .to_string(),
                ))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn open_past_end(
        &self,
        before: DateTime<Utc>,
        class_id: Option<crate::session::ClassId>,
        after_id: Option<SessionId>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        planning::open_past_end(self, before, class_id, after_id, limit).await
    }
    async fn registers_info(&self) -> Result<RegistersInfo> {
        let req = Request::new(Method::POST, REGISTERS_INFO_RPC)
            .retry(Retry::Idempotent)
            .body(json!({}));
        match self.client.send(&req).await {
            Ok(resp) => resp.json(),
            // A database migrated before registers existed has none to offer either.
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                Ok(RegistersInfo::default())
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn register_report(&self, query: &RegisterQuery) -> Result<Option<RegisterReport>> {
        #[derive(serde::Deserialize)]
        struct Answer {
            registers: bool,
            #[serde(default = "yes")]
            teachers: bool,
            #[serde(default)]
            rows: serde_json::Value,
        }
        fn yes() -> bool {
            true
        }
        let req = Request::new(Method::POST, REGISTER_REPORT_RPC)
            .retry(Retry::Idempotent)
            .body(json!({
                "p_from": query.from,
                "p_to": query.to,
                "p_class_id": query.class_id,
                "p_by": query.by.as_str(),
            }));
        let answer: Answer = match self.client.send(&req).await {
            Ok(resp) => resp.json()?,
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                return Err(Error::Schema(
                    "the database has no attctl_register_report(): apply the migration \
                     supabase/migrations/20261205120000_registers.sql (`attctl doctor` checks)"
                        .to_string(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        if !answer.registers {
            return Ok(None);
        }
        if !answer.teachers {
            return Err(Error::Config(
                "this database does not say who teaches a class (no classes.teacher_id and \
                 teachers table): use --by session"
                    .to_string(),
            ));
        }
        let bad = |e: serde_json::Error| {
            Error::Backend(format!(
                "attctl_register_report() answered an unexpected row: {e}"
            ))
        };
        Ok(Some(match query.by {
            RegisterBy::Session => {
                RegisterReport::Sessions(serde_json::from_value(answer.rows).map_err(bad)?)
            }
            RegisterBy::Teacher => {
                RegisterReport::Teachers(serde_json::from_value(answer.rows).map_err(bad)?)
            }
        }))
    }

    async fn automark_preview(&self, ids: &[SessionId]) -> Result<Vec<AutomarkPreview>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let req = Request::new(Method::POST, AUTOMARK_PREVIEW_RPC)
            .retry(Retry::Idempotent)
            .body(json!({ "p_ids": ids }));
        match self.client.send(&req).await {
            Ok(resp) => Ok(resp
                .json::<Option<Vec<AutomarkPreview>>>()?
                .unwrap_or_default()),
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                Ok(Vec::new())
            }
            Err(e) => Err(e.into()),
        }
    }
}
