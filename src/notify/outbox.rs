//! Delivery from the outbox: which events go out, what each channel is sent, when a failed
//! attempt is retried (exponential backoff capped at five minutes, for 24 hours), and the
//! per-channel record that keeps a channel that already took an event from getting it again.
//! A channel that refuses for good (an SMTP 5xx) is marked failed at once and not tried
//! again until `attctl events retry`; the event is failed once no channel is left pending.
//!
//! At-least-once: an event is claimed (a lease, so two workers never hold it at once), sent,
//! then marked. A worker killed between sending and marking leaves the claim to run out;
//! the event is sent again with the same `webhook-id`, which receivers use to drop repeats.
//!
//! Channels are independent of each other. Every send has one deadline for all of it
//! ([`send_to`]: connect, TLS, the request or the whole SMTP dialogue, the answer); an
//! event's channels are sent at the same time; each channel has its own lane of
//! [`Deliverer`] sends in flight; and a channel that times out or cannot be reached is paused
//! (2 s, doubling up to five minutes) and then tried with one event before the others, so
//! that events meanwhile go to the other channels at once and wait only for that one.
//!
//! States of an event: `pending` (to send, or to retry at `next_attempt_at`), `delivered`,
//! `failed`, `skipped` (no configured channel takes its type: nothing was sent) and
//! `expired` (a `session.closing_soon` whose session ended, closed, moved or was deleted
//! before it went out: a warning that late would only mislead). Events of one session are
//! claimed in order: one waits while an earlier event of its session is pending (the
//! stores' `claim_events`), so a retried warning never arrives after its session's close.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::lanes::{Admission, Change, Lanes, TrialGuard};
use super::send::{not_configured, send_to};
use super::{ChannelAnswer, NotifySettings};
use crate::config::notify::CHANNELS;
use crate::error::Result;
use crate::session::ClassId;
use crate::store::SessionStore;
use crate::store::events::{EventOutcome, EventRecord};

/// The first retry's wait; doubled per failed attempt up to [`MAX_BACKOFF`].
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_secs(2);
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// After this long since the event, a failed attempt marks it failed.
pub(crate) const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);
/// The deadline of one send, by default: a receiver that hangs is given up on and retried
/// later. `notify test` and `doctor` answer within it too.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claim holds: longer than one event's sends can take (a wait for a free slot of
/// a channel's lane, at most one deadline, then the send, at most another, with the
/// channels sent at the same time), so a live worker never loses an event it is sending,
/// while an event held by a killed worker comes back soon.
pub(crate) fn lease_seconds(request_timeout: Duration) -> u32 {
    let per_request = u32::try_from(request_timeout.as_secs()).unwrap_or(u32::MAX);
    per_request
        .saturating_add(1)
        .saturating_mul(CHANNELS.len() as u32)
        .saturating_add(5)
}

/// The wait before retry number `attempts` (1 after the first failure).
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(exp))
        .min(MAX_BACKOFF)
}

/// Sends events to the configured channels and records the outcome in the store. Cheap to
/// share (`Arc`): the worker runs each claimed event's delivery as a task of its own.
pub struct Deliverer {
    store: Arc<dyn SessionStore>,
    settings: NotifySettings,
    http: reqwest::Client,
    worker: String,
    lease_seconds: u32,
    request_timeout: Duration,
    /// Shared with the deliverers of a reopened data file: one lane per channel per worker.
    lanes: Arc<Lanes>,
}

/// Each class's own email recipients, read once per claim that has email to send; `None`
/// when they could not be read (the email channel then waits for the next attempt rather
/// than leave the class's recipients out).
type ClassRecipients = Option<HashMap<ClassId, Vec<String>>>;

/// One claimed event, with the class recipients read for its claim.
pub struct Claimed {
    pub event: EventRecord,
    recipients: Arc<ClassRecipients>,
}

/// What became of one channel for one event.
enum Attempt {
    /// Sent, and this was the answer.
    Sent(ChannelAnswer),
    /// Not sent now: the channel is paused or its lane stayed full; not counted as an attempt.
    Deferred { until: DateTime<Utc>, why: String },
    /// A warning whose session ended while it waited for the channel: not sent.
    Expired,
}

impl Deliverer {
    /// `concurrency` is per channel: at most that many sends to one channel at once.
    pub fn new(
        store: Arc<dyn SessionStore>,
        settings: NotifySettings,
        worker: String,
        concurrency: usize,
        request_timeout: Duration,
    ) -> Result<Self> {
        let http = crate::http::channel_client(request_timeout)?;
        Ok(Deliverer {
            store,
            settings,
            http,
            worker,
            lease_seconds: lease_seconds(request_timeout),
            request_timeout,
            lanes: Arc::new(Lanes::new(concurrency.max(1))),
        })
    }

    pub fn settings(&self) -> &NotifySettings {
        &self.settings
    }

    /// The same deliverer on `store` (the worker reopened a replaced data file). Events
    /// claimed from the old store are finished there; the lanes are shared.
    pub fn with_store(&self, store: Arc<dyn SessionStore>) -> Self {
        Deliverer {
            store,
            settings: self.settings.clone(),
            http: self.http.clone(),
            worker: self.worker.clone(),
            lease_seconds: self.lease_seconds,
            request_timeout: self.request_timeout,
            lanes: self.lanes.clone(),
        }
    }

    async fn class_recipients(&self, events: &[EventRecord]) -> ClassRecipients {
        if self.settings.email.is_none() || events.is_empty() {
            return Some(HashMap::new());
        }
        match self.store.list_classes().await {
            Ok(classes) => Some(
                classes
                    .into_iter()
                    .filter(|c| !c.notify_emails.is_empty())
                    .map(|c| (c.id, c.notify_emails))
                    .collect(),
            ),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the classes' email recipients");
                None
            }
        }
    }

    /// Claims up to `max` due events (settling those no channel takes as `skipped`, and
    /// warnings too late to be of use as `expired`, in the same write).
    pub async fn claim(&self, max: usize) -> Result<Vec<Claimed>> {
        let types = self.settings.types_to_send();
        let events = self
            .store
            .claim_events(&self.worker, self.lease_seconds, max, &types)
            .await?;
        let recipients = Arc::new(self.class_recipients(&events).await);
        Ok(events
            .into_iter()
            .map(|event| Claimed {
                event,
                recipients: recipients.clone(),
            })
            .collect())
    }

    /// Sends one claimed event to every channel that has not taken it yet, all at once, and
    /// records the outcome while the claim holds. Answers the event's new state.
    pub async fn deliver(&self, claimed: Claimed) -> Result<&'static str> {
        let Claimed { event, recipients } = claimed;
        let mut deliveries = match &event.deliveries {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        if warning_too_late(&event, Utc::now()) {
            return self.settle_expired(&event, deliveries, false).await;
        }
        let todo: Vec<&'static str> = self
            .settings
            .channels()
            .into_iter()
            .filter(|channel| {
                let state = deliveries
                    .get(*channel)
                    .and_then(|d| d.get("state"))
                    .and_then(Value::as_str);
                // A channel that refused for good is tried again only after `events retry`
                // (which sets attempts back to 0).
                !(state == Some("delivered") || (state == Some("failed") && event.attempts > 0))
            })
            .collect();
        let attempts_made = futures::future::join_all(
            todo.iter()
                .map(|channel| self.attempt(channel, &event, &recipients)),
        )
        .await;

        let now = Utc::now();
        let mut errors = Vec::new();
        let mut tried = false;
        let mut expired = false;
        let mut deferred_until: Option<DateTime<Utc>> = None;
        for (channel, attempt) in todo.iter().zip(attempts_made) {
            let previous = deliveries.get(*channel).cloned().unwrap_or(Value::Null);
            let previous_attempts = previous
                .get("attempts")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            match attempt {
                Attempt::Sent(answer) => {
                    tried = true;
                    let state = if answer.ok {
                        "delivered"
                    } else if answer.permanent {
                        "failed"
                    } else {
                        "pending"
                    };
                    if !answer.ok {
                        let reason = match (answer.status, answer.channel) {
                            (Some(s), "webhook" | "slack") => {
                                format!("HTTP {s}: {}", answer.detail)
                            }
                            _ => answer.detail.clone(),
                        };
                        // The channel's failure streak is logged once (see `attempt`).
                        tracing::debug!(
                            event_id = %event.id,
                            event = %event.kind,
                            channel = *channel,
                            reason = %reason,
                            "delivery to the {channel} channel failed: {reason}"
                        );
                        errors.push(format!(
                            "{channel}: {}",
                            match (*channel, answer.status) {
                                ("email", _) | (_, None) => answer.detail.clone(),
                                (_, Some(s)) => format!("HTTP {s}"),
                            }
                        ));
                    }
                    deliveries.insert(
                        channel.to_string(),
                        json!({
                            "state": state,
                            "attempts": previous_attempts + 1,
                            "status": answer.status,
                            "detail": answer.detail,
                            "at": now,
                        }),
                    );
                }
                Attempt::Deferred { until, why } => {
                    deferred_until = Some(deferred_until.map_or(until, |d| d.max(until)));
                    errors.push(format!("{channel}: not sent yet: {why}"));
                    deliveries.insert(
                        channel.to_string(),
                        json!({
                            "state": "pending",
                            "attempts": previous_attempts,
                            "status": previous.get("status").cloned().unwrap_or(Value::Null),
                            "detail": format!("not sent yet: {why}"),
                            "at": now,
                        }),
                    );
                }
                Attempt::Expired => expired = true,
            }
        }
        if expired {
            return self.settle_expired(&event, deliveries, tried).await;
        }

        let state_of = |ch: &str| {
            deliveries
                .get(ch)
                .and_then(|d| d.get("state"))
                .and_then(Value::as_str)
                .unwrap_or("pending")
                .to_string()
        };
        let channels = self.settings.channels();
        let waiting = channels.iter().any(|c| state_of(c) == "pending");
        let refused = channels.iter().any(|c| state_of(c) == "failed");
        let all_ok = !waiting && !refused;
        // A pass in which every channel was only deferred is not an attempt: the backoff
        // does not grow while a paused channel waits.
        let attempts = if tried {
            event.attempts.saturating_add(1)
        } else {
            event.attempts
        };
        let too_old = now.signed_duration_since(event.occurred_at)
            > chrono::Duration::from_std(GIVE_UP_AFTER).unwrap_or(chrono::Duration::MAX);
        let (state, next, delivered_at) = if all_ok {
            ("delivered", now, Some(now))
        } else if too_old || !waiting {
            ("failed", now, None)
        } else {
            let wait = if tried {
                chrono::Duration::from_std(backoff(attempts))
                    .unwrap_or(chrono::Duration::seconds(300))
            } else {
                chrono::Duration::zero()
            };
            let next = now + wait;
            (
                "pending",
                deferred_until.map_or(next, |d| d.max(next)),
                None,
            )
        };
        if state == "failed" {
            for entry in deliveries.values_mut() {
                if entry.get("state").and_then(Value::as_str) == Some("pending") {
                    entry["state"] = json!("failed");
                }
            }
            tracing::warn!(
                event_id = %event.id,
                event = %event.kind,
                attempts,
                error = %errors.join("; "),
                "delivery given up: the event is failed (attctl events retry sends it again)"
            );
        } else if state == "delivered" {
            tracing::debug!(event_id = %event.id, event = %event.kind, "event delivered");
        }
        let outcome = EventOutcome {
            state: state.to_string(),
            deliveries: Value::Object(deliveries),
            attempts,
            next_attempt_at: next,
            last_error: if errors.is_empty() {
                None
            } else {
                Some(errors.join("; "))
            },
            delivered_at,
        };
        self.finish(&event, &outcome).await?;
        Ok(state)
    }

    /// One channel for one event: through the channel's pause and lane, then the send.
    async fn attempt(
        &self,
        channel: &'static str,
        event: &EventRecord,
        recipients: &ClassRecipients,
    ) -> Attempt {
        let extra: &[String] = if channel == "email" {
            let Some(map) = recipients else {
                return Attempt::Sent(ChannelAnswer {
                    channel: "email",
                    ok: false,
                    status: None,
                    detail: "could not read the class's email recipients".into(),
                    permanent: false,
                });
            };
            class_of(event)
                .and_then(|c| map.get(&c))
                .map_or(&[][..], |v| &v[..])
        } else {
            &[]
        };
        let Some(lane) = self.lanes.of(channel) else {
            return Attempt::Sent(not_configured(channel));
        };
        let trial = match lane.admit(Instant::now()) {
            Admission::Go { trial } => TrialGuard { lane, armed: trial },
            Admission::Wait { until, why } => {
                return Attempt::Deferred {
                    until: utc_of(until),
                    why,
                };
            }
        };
        // A lane whose every slot stays busy for a whole deadline belongs to a receiver
        // slower than the deadline: this event does not wait longer (its lease would run
        // out), it comes back shortly.
        let Ok(Ok(_permit)) =
            tokio::time::timeout(self.request_timeout, lane.permits.acquire()).await
        else {
            return Attempt::Deferred {
                until: Utc::now()
                    + chrono::Duration::from_std(FIRST_BACKOFF)
                        .unwrap_or(chrono::Duration::seconds(2)),
                why: format!("every slot of the {channel} channel was busy"),
            };
        };
        if warning_too_late(event, Utc::now()) {
            return Attempt::Expired;
        }
        let answer = send_to(
            &self.http,
            &self.settings,
            channel,
            event,
            extra,
            self.request_timeout,
        )
        .await;
        // Any answer (even an HTTP 500 or an SMTP 5xx) means the receiver is there; no
        // answer at all (refused, unreachable, timed out) pauses the channel.
        let answered = answer.ok || answer.status.is_some() || answer.permanent;
        let was_trial = trial.disarm();
        match lane.record(answered, was_trial, Instant::now()) {
            Some(Change::Paused(pause)) => tracing::debug!(
                channel,
                reason = %answer.detail,
                paused_secs = pause.as_secs(),
                "the {channel} channel is paused for {} s ({}); the other channels go on",
                pause.as_secs(),
                answer.detail
            ),
            Some(Change::Resumed) => {
                tracing::debug!(channel, "the {channel} channel answers again")
            }
            None => {}
        }
        self.log_streak(lane, channel, &answer);
        Attempt::Sent(answer)
    }

    /// A channel's failures, logged once per streak (with the receiver's host, never its
    /// path, query or credentials) and once when it delivers again; each failed send of
    /// the streak is a debug event only.
    fn log_streak(&self, lane: &super::lanes::Lane, channel: &'static str, answer: &ChannelAnswer) {
        let host = channel_host(&self.settings, channel);
        if answer.ok {
            if let Some(streak) = lane.delivered() {
                let took = delay_text(streak.since.elapsed());
                let sends = if streak.failures == 1 {
                    "send"
                } else {
                    "sends"
                };
                // Said at the worker's default level, and as an event with its fields
                // when the log is verbose (one of the two is filtered out).
                tracing::info!(
                    target: crate::WORKER_LOG_TARGET,
                    "the {channel} channel ({host}) delivers again, after {} failed {sends} in {took}",
                    streak.failures
                );
                tracing::info!(
                    channel,
                    host = %host,
                    failures = streak.failures,
                    "the {channel} channel ({host}) delivers again, after {} failed {sends} in {took}",
                    streak.failures
                );
            }
            return;
        }
        let reason = match answer.status {
            Some(s) if channel != "email" => format!("HTTP {s}: {}", answer.detail),
            _ => answer.detail.clone(),
        };
        if lane.failed(Instant::now()) {
            tracing::warn!(
                channel,
                host = %host,
                reason = %reason,
                "the {channel} channel ({host}) is failing: {reason}; events kept for retry"
            );
        }
    }

    /// Settles a warning that can no longer be of use as `expired`, keeping what was sent.
    async fn settle_expired(
        &self,
        event: &EventRecord,
        deliveries: Map<String, Value>,
        tried: bool,
    ) -> Result<&'static str> {
        tracing::info!(
            event_id = %event.id,
            session_id = event.session_id,
            "warning not sent: its session ended before it could go out"
        );
        let outcome = EventOutcome {
            state: "expired".into(),
            deliveries: Value::Object(deliveries),
            attempts: if tried {
                event.attempts.saturating_add(1)
            } else {
                event.attempts
            },
            next_attempt_at: Utc::now(),
            last_error: event.last_error.clone(),
            delivered_at: None,
        };
        self.finish(event, &outcome).await?;
        Ok("expired")
    }

    async fn finish(&self, event: &EventRecord, outcome: &EventOutcome) -> Result<()> {
        if !self
            .store
            .finish_event(&event.id, &self.worker, outcome)
            .await?
        {
            tracing::warn!(event_id = %event.id, "the claim ran out before the outcome was recorded");
        }
        Ok(())
    }

    /// Deletes settled events (delivered, skipped, expired) past the retention period.
    pub async fn prune(&self, now: DateTime<Utc>) -> Result<u64> {
        let before = now - chrono::Duration::days(i64::from(self.settings.retention_days));
        self.store.prune_events(before).await
    }
}

/// A `session.closing_soon` whose session's closing instant (as recorded) has passed.
/// Closed, moved and deleted sessions are caught by the stores' claim, which sees the row.
fn warning_too_late(event: &EventRecord, now: DateTime<Utc>) -> bool {
    event.kind == "session.closing_soon"
        && event
            .payload
            .get("session")
            .and_then(|s| s.get("closes_at"))
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|closes| closes.with_timezone(&Utc) <= now)
}

/// The wall-clock instant of a monotonic one in the future (for `next_attempt_at`).
fn utc_of(at: Instant) -> DateTime<Utc> {
    let ahead = at.saturating_duration_since(Instant::now());
    Utc::now() + chrono::Duration::from_std(ahead).unwrap_or(chrono::Duration::zero())
}

/// The class of the event's session, from its payload.
fn class_of(event: &EventRecord) -> Option<ClassId> {
    event
        .payload
        .get("session")
        .and_then(|s| s.get("class_id"))
        .and_then(Value::as_i64)
}

/// Where a channel sends, for the log: the receiver's host (and port) only.
fn channel_host(settings: &NotifySettings, channel: &str) -> String {
    let url = match channel {
        "webhook" => settings.webhook.as_ref().map(|w| w.url.clone()),
        "slack" => settings.slack_url.as_ref().map(|s| s.expose().to_string()),
        "email" => {
            return settings.email.as_ref().map_or_else(
                || "not configured".into(),
                |e| format!("{}:{}", e.url.host, e.url.port),
            );
        }
        _ => None,
    };
    url.and_then(|u| url::Url::parse(&u).ok())
        .and_then(|u| {
            let host = u.host_str()?.to_string();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| "not a valid URL".into())
}

fn delay_text(d: std::time::Duration) -> String {
    crate::human_delay(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_starts_within_seconds_and_caps_at_five_minutes() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(2), Duration::from_secs(4));
        assert_eq!(backoff(8), Duration::from_secs(256));
        assert_eq!(backoff(9), MAX_BACKOFF);
        assert_eq!(backoff(1000), MAX_BACKOFF);
        assert_eq!(backoff(0), Duration::from_secs(2));
    }
}
