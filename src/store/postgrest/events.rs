//! The session-event outbox: listing, claiming, finishing, retrying and pruning events, and
//! the closing-soon warnings.

use super::*;

pub(super) async fn prune_events(store: &PostgrestStore, before: DateTime<Utc>) -> Result<u64> {
    #[derive(Deserialize)]
    struct Id {
        #[allow(dead_code)]
        id: String,
    }
    let req = Request::new(Method::DELETE, EVENTS)
        .query("state", "in.(delivered,skipped,expired)")
        .query("occurred_at", format!("lt.{}", ts(before)))
        .query("select", "id")
        .prefer("return=representation")
        .retry(Retry::Idempotent);
    let n = store.rows::<Id>(req).await?.len();
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

#[async_trait]
impl Outbox for PostgrestStore {
    async fn poll_changes(&self, watch: &mut ChangeWatch) -> Result<bool> {
        #[derive(Deserialize)]
        struct Mark {
            id: String,
            occurred_at: DateTime<Utc>,
        }
        let fresh = watch.window.is_none();
        let window = watch.window.get_or_insert_with(Default::default);
        // Newest first: what a poll must not miss is the newest event of each commit.
        let mut req = Request::new(Method::GET, EVENTS)
            .query("select", "id,occurred_at")
            .query("order", "occurred_at.desc,id.desc");
        req = match window.since {
            Some(since) => req
                .query("occurred_at", format!("gte.{}", ts(since)))
                .query("limit", ChangeWatch::PAGE.to_string()),
            // The first look only finds where the outbox is (the database's clock, not ours).
            None => req.query("limit", "1"),
        };
        let marks: Vec<Mark> = self.rows(req).await?;
        let marks: Vec<(String, DateTime<Utc>)> =
            marks.into_iter().map(|m| (m.id, m.occurred_at)).collect();
        let changed = window.take(&marks);
        Ok(changed || fresh)
    }

    async fn look(
        &self,
        watch: &mut ChangeWatch,
        overdue_before: DateTime<Utc>,
        closing_after: DateTime<Utc>,
    ) -> Result<Look> {
        #[derive(Deserialize)]
        struct Mark {
            id: String,
            occurred_at: DateTime<Utc>,
        }
        #[derive(Deserialize)]
        struct Answer {
            events: Vec<Mark>,
            overdue: Vec<SessionId>,
            next_closing: Option<DateTime<Utc>>,
            deliver_now: bool,
            next_delivery: Option<DateTime<Utc>>,
        }
        if watch.no_watch_function {
            let changed = self.poll_changes(watch).await?;
            return Ok(Look {
                changed,
                state: None,
            });
        }
        let fresh = watch.window.is_none();
        let since = watch.window.as_ref().and_then(|w| w.since);
        let req = Request::new(Method::POST, WORKER_WATCH_RPC)
            .retry(Retry::Idempotent)
            .body(json!({
                "events_since": since.map(ts),
                "overdue_before": ts(overdue_before),
                "closing_after": ts(closing_after),
            }));
        let answer: Answer = match self.client.send(&req).await {
            Ok(resp) => resp.json()?,
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => {
                // A database without the 20261205170000 migration: as before, the outbox's
                // newest events only (and not this request again).
                tracing::debug!("no attctl_worker_watch in the database; polling the outbox");
                watch.no_watch_function = true;
                let changed = self.poll_changes(watch).await?;
                return Ok(Look {
                    changed,
                    state: None,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let window = watch.window.get_or_insert_with(Default::default);
        let marks: Vec<(String, DateTime<Utc>)> = answer
            .events
            .into_iter()
            .map(|m| (m.id, m.occurred_at))
            .collect();
        let changed = window.take(&marks) || fresh;
        Ok(Look {
            changed,
            state: Some(StoreState {
                overdue: answer.overdue,
                next_closing: answer.next_closing,
                deliver_now: answer.deliver_now,
                next_delivery: answer.next_delivery,
            }),
        })
    }

    async fn list_events(&self, filter: &EventFilter, limit: usize) -> Result<Vec<EventRecord>> {
        let store = self;
        let mut req = Request::new(Method::GET, EVENTS)
            .query("select", EVENT_SELECT)
            .query(
                "order",
                if filter.newest_first {
                    "occurred_at.desc,id.desc"
                } else {
                    "occurred_at.asc,id.asc"
                },
            )
            .query("limit", limit.to_string());
        if let Some(since) = filter.since {
            req = req.query("occurred_at", format!("gte.{}", ts(since)));
        }
        // `eq.` takes the rest verbatim: quotes would become part of the value.
        if let Some(kind) = &filter.kind {
            req = req.query("type", format!("eq.{kind}"));
        }
        if let Some(state) = &filter.state {
            req = req.query("state", format!("eq.{state}"));
        }
        store.rows(req).await
    }

    async fn claim_events(
        &self,
        worker: &str,
        lease_seconds: u32,
        max: usize,
        types: &[String],
    ) -> Result<Vec<EventRecord>> {
        let store = self;
        // A repeated claim takes other events; the first answer's events (if it was lost)
        // come back when their lease ends.
        let req = Request::new(Method::POST, CLAIM_EVENTS_RPC)
            .query("select", EVENT_SELECT)
            .retry(Retry::Idempotent)
            .body(json!({
                "worker": worker,
                "lease_seconds": lease_seconds,
                "max_events": max,
                "types": types,
            }));
        store.rows(req).await
    }

    async fn finish_event(&self, id: &str, worker: &str, outcome: &EventOutcome) -> Result<bool> {
        let store = self;
        #[derive(Deserialize)]
        struct Id {
            #[allow(dead_code)]
            id: String,
        }
        let req = Request::new(Method::PATCH, EVENTS)
            .query("id", format!("eq.{id}"))
            .query("claimed_by", format!("eq.{worker}"))
            .query("select", "id")
            .prefer("return=representation")
            .retry(Retry::Idempotent)
            .body(json!({
                "state": outcome.state,
                "deliveries": outcome.deliveries,
                "attempts": outcome.attempts,
                "next_attempt_at": ts(outcome.next_attempt_at),
                "last_error": outcome.last_error,
                "delivered_at": outcome.delivered_at.map(ts),
                "claimed_by": null,
                "claimed_until": null,
            }));
        Ok(!store.rows::<Id>(req).await?.is_empty())
    }

    async fn retry_events(&self, which: &RetrySelection) -> Result<Vec<String>> {
        let store = self;
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let mut req = Request::new(Method::PATCH, EVENTS)
            .query("select", "id")
            .prefer("return=representation")
            .retry(Retry::Idempotent)
            .body(json!({
                "state": "pending",
                "next_attempt_at": ts(Utc::now()),
                "attempts": 0,
                "claimed_by": null,
                "claimed_until": null,
                "delivered_at": null,
            }));
        req = match which {
            RetrySelection::One(id) => req.query("id", format!("eq.{id}")),
            RetrySelection::AllFailed => req.query("state", "eq.failed"),
        };
        Ok(store
            .rows::<Id>(req)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect())
    }

    async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let pruned = prune_events(self, before).await?;
        if let Err(e) = planning::prune(self, before).await {
            // A database without the table of warning runs (doctor names the migration).
            tracing::warn!(error = %e, "forgetting old warning runs failed");
        }
        Ok(pruned)
    }

    async fn record_warning(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let store = self;
        let req = Request::new(Method::POST, RECORD_WARNING_RPC)
            .retry(Retry::Idempotent)
            .body(json!({
                "p_session_id": id,
                "offset_seconds": offset_seconds,
                "expected_closes_at": ts(closes_at),
            }));
        store.client.send(&req).await.map_err(Error::from)?.json()
    }

    async fn record_due_warnings(&self, offsets_seconds: &[u32]) -> Result<Vec<String>> {
        let store = self;
        if offsets_seconds.is_empty() {
            return Ok(Vec::new());
        }
        // Repeating it is harmless: the unique key turns a second insert into nothing.
        let req = Request::new(Method::POST, RECORD_DUE_WARNINGS_RPC)
            .retry(Retry::Idempotent)
            .body(json!({ "offsets": offsets_seconds }));
        store.rows(req).await
    }
}
