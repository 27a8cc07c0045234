//! The closure report, computed in SQL by `attctl_closure_report()`.

use super::*;

pub(super) async fn closure_report(
    store: &PostgrestStore,
    query: &ClosureQuery,
) -> Result<ClosureFigures> {
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
