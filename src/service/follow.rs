//! Runs for what others wrote: attctl-worker follows `session_events` so that a session
//! written by someone who cannot reach Hatchet (a signed-in teacher, the original app, psql)
//! gets its run, and loses it, within seconds.
//!
//! Why the outbox and not a trigger of its own: the outbox trigger already records every
//! insert, delete, close and change of times, whoever makes it, in the writing transaction,
//! and (since the staff migration) who made it (`actor`). The service role's own changes
//! (this worker, attctl holding the service key) are left alone: they plan and cancel their
//! runs themselves. Every other change is acted on:
//! - created / reopened: the planner is asked for a pass (it plans every Open session
//!   without a run, so nothing depends on this event being seen);
//! - deleted / closed: the session's run and warning runs are cancelled;
//! - rescheduled: the old run is taken off the row (compare-and-set, so a run planned
//!   meanwhile is kept; one write per chunk of moved sessions), cancelled, and the planner
//!   plans the new instant.
//!
//! Nothing here is needed for a session to close: a run that is not cancelled fires and
//! finds the session deleted, closed or moved (its close is conditional on `closes_at`),
//! and the sweep closes what has no run. Following is what makes it prompt and tidy; so
//! a follower reads from "now" when it starts and does not replay history.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::SessionService;
use crate::error::Result;
use crate::session::{SessionId, TaskRef};
use crate::store::events::EventFilter;

/// Events are read again this far back: `occurred_at` is the writing statement's clock,
/// and a transaction can commit after a later one has.
const LOOKBACK_SECS: i64 = 10;
/// Events read per request.
const PAGE: usize = 1000;
/// Pages read in one pass at most; the rest waits for the next pass.
const MAX_PAGES: usize = 50;

/// Where a follower is in the outbox: the time it reads from, and the events of the
/// look-back window it has already acted on.
#[derive(Debug, Clone)]
pub struct ChangeFollower {
    since: DateTime<Utc>,
    seen: HashMap<String, DateTime<Utc>>,
}

impl ChangeFollower {
    /// A follower that acts on what happens from `now` on.
    pub fn starting_at(now: DateTime<Utc>) -> Self {
        ChangeFollower {
            since: now - Duration::seconds(LOOKBACK_SECS),
            seen: HashMap::new(),
        }
    }

    /// Whether the event is new to this follower (and remembers it).
    fn first_sight(&mut self, id: &str, at: DateTime<Utc>) -> bool {
        self.seen.insert(id.to_string(), at).is_none()
    }

    /// Moves the window to `latest` less the look-back, forgetting what falls out of it.
    fn advance(&mut self, latest: DateTime<Utc>) {
        let since = latest - Duration::seconds(LOOKBACK_SECS);
        if since > self.since {
            self.since = since;
            self.seen.retain(|_, at| *at >= since);
        }
    }
}

/// What one pass of [`SessionService::follow_changes`] found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowedChanges {
    /// New events read (all writers).
    pub events: usize,
    /// Sessions written by others that may need a run: the planner should pass.
    pub needs_planning: bool,
    /// Runs of sessions others deleted, closed or moved, cancelled.
    pub runs_cancelled: usize,
    /// Sessions whose run was taken off because others moved them.
    pub moved: Vec<SessionId>,
    /// Problems (a cancel that failed); the runs left fire and find nothing to do.
    pub warnings: Vec<String>,
}

impl SessionService {
    /// Reads the outbox from where `follower` is and acts on what others changed (see the
    /// module's documentation). One request per [`PAGE`] events, plus the cancels (in
    /// bulk) and one compare-and-set write per chunk of moved sessions.
    pub async fn follow_changes(&self, follower: &mut ChangeFollower) -> Result<FollowedChanges> {
        let mut out = FollowedChanges::default();
        let mut runs: Vec<String> = Vec::new();
        let mut released: Vec<SessionId> = Vec::new();
        let mut moved_runs: Vec<(SessionId, String)> = Vec::new();
        let mut cursor = follower.since;
        let mut latest_seen: Option<DateTime<Utc>> = None;
        for _ in 0..MAX_PAGES {
            let filter = EventFilter {
                since: Some(cursor),
                ..EventFilter::default()
            };
            let batch = self.store.list_events(&filter, PAGE).await?;
            let full = batch.len() == PAGE;
            let latest = batch.last().map(|e| e.occurred_at);
            for event in batch {
                if !follower.first_sight(&event.id, event.occurred_at) {
                    continue;
                }
                out.events += 1;
                if actor_role(&event.payload) == Some("service_role") {
                    continue;
                }
                let run_of = |key: &str| -> Option<String> {
                    let value = event.payload.get(key)?.get("scheduled_task_id")?.as_str()?;
                    matches!(TaskRef::of(Some(value)), TaskRef::Run(_)).then(|| value.to_string())
                };
                match event.kind.as_str() {
                    "session.created" | "session.reopened" => out.needs_planning = true,
                    "session.deleted" | "session.closed" => {
                        runs.extend(run_of("session"));
                        released.push(event.session_id);
                    }
                    "session.rescheduled" => {
                        if let Some(run) = run_of("before") {
                            // Off the row if it still holds it (in bulk, below); either way
                            // it is at the old instant (the writer could not move it) and goes.
                            moved_runs.push((event.session_id, run.clone()));
                            runs.push(run);
                        }
                        out.moved.push(event.session_id);
                        released.push(event.session_id);
                        out.needs_planning = true;
                    }
                    _ => {}
                }
            }
            let Some(latest) = latest else { break };
            latest_seen = Some(latest_seen.map_or(latest, |l| l.max(latest)));
            // A full page: read on from its last instant (its events are remembered).
            if !full || latest <= cursor {
                break;
            }
            cursor = latest;
        }
        if !moved_runs.is_empty() {
            // One compare-and-set write per chunk, before the runs are cancelled, so that a
            // moved row never keeps the id of a run that no longer exists.
            self.store.clear_run_ids(&moved_runs).await?;
        }
        if let Some(latest) = latest_seen {
            follower.advance(latest);
        }
        runs.sort();
        runs.dedup();
        if !runs.is_empty() {
            match self.scheduler.cancel_many(&runs).await {
                Ok(done) => out.runs_cancelled = done.len(),
                Err(e) => out.warnings.push(format!(
                    "could not cancel {} run(s) of sessions others deleted, closed or moved ({e}); if they fire they find nothing to do",
                    runs.len()
                )),
            }
        }
        released.sort_unstable();
        released.dedup();
        self.cancel_warnings(&released, &mut out.warnings).await;
        Ok(out)
    }
}

/// The writer's role recorded in an event (`None` for events written before it was).
fn actor_role(payload: &Value) -> Option<&str> {
    payload.get("actor")?.get("role")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_moves_forward_and_forgets_what_left_it() {
        let t0 = Utc::now();
        let mut f = ChangeFollower::starting_at(t0);
        assert!(f.first_sight("a", t0));
        assert!(!f.first_sight("a", t0), "an event is acted on once");
        f.advance(t0 + Duration::seconds(60));
        assert!(f.seen.is_empty(), "{:?}", f.seen);
        assert_eq!(f.since, t0 + Duration::seconds(60 - LOOKBACK_SECS));
        f.advance(t0);
        assert_eq!(
            f.since,
            t0 + Duration::seconds(60 - LOOKBACK_SECS),
            "never backwards"
        );
    }

    #[test]
    fn the_actor_is_read_from_the_payload() {
        let p = serde_json::json!({"actor": {"role": "authenticated", "user_id": "u"}});
        assert_eq!(actor_role(&p), Some("authenticated"));
        assert_eq!(actor_role(&serde_json::json!({})), None);
    }
}
