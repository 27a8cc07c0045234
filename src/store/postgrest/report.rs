//! The closure report, computed in SQL by `attctl_closure_report()`.

use super::*;

#[async_trait]
impl Reports for PostgrestStore {
    async fn run_health(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<crate::store::RunHealth> {
        planning::run_health(self, since, until).await
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
}
