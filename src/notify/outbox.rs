//! Delivery from the outbox: which events go out, what each channel is sent, when a failed
//! attempt is retried (exponential backoff capped at five minutes, for 24 hours), and the
//! per-channel record that keeps a channel that already took an event from getting it again.
//! A channel that refuses for good (an SMTP 5xx) is marked failed at once and not tried
//! again until `attctl events retry`; the event is failed once no channel is left pending.
//!
//! At-least-once: an event is claimed (a lease, so two workers never hold it at once), sent,
//! then marked. A worker killed between sending and marking leaves the claim to run out;
//! the event is sent again with the same `webhook-id`, which receivers use to drop repeats.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde_json::{Map, Value, json};

use super::{ChannelAnswer, NotifySettings};
use crate::error::Result;
use crate::session::{ClassId, TeachingSession};
use crate::store::SessionStore;
use crate::store::events::{EventOutcome, EventRecord};

/// The first retry's wait; doubled per failed attempt up to [`MAX_BACKOFF`].
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_secs(2);
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// After this long since the event, a failed attempt marks it failed.
pub(crate) const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Per request by default: a receiver that hangs is given up on and retried later.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a claim holds: longer than one event's sends can take (one request timeout per
/// channel, and a margin), so a live worker never loses an event it is sending, while an
/// event held by a killed worker comes back soon.
pub(crate) fn lease_seconds(request_timeout: Duration) -> u32 {
    let per_request = u32::try_from(request_timeout.as_secs()).unwrap_or(u32::MAX);
    per_request
        .saturating_add(1)
        .saturating_mul(super::CHANNELS.len() as u32)
        .saturating_add(5)
}

/// The wait before retry number `attempts` (1 after the first failure).
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(exp))
        .min(MAX_BACKOFF)
}

/// The `data` object of the webhook body: the session (as the CLI prints it, with
/// `class_name`), plus `closed_by` or `seconds_left` when the event has them.
pub(crate) fn event_data(event: &EventRecord) -> Value {
    let mut data = Map::new();
    if let Some(raw) = event.payload.get("session") {
        data.insert("session".into(), normalise_session(raw));
    }
    for key in ["closed_by", "seconds_left", "before"] {
        if let Some(v) = event.payload.get(key) {
            let v = if key == "before" {
                normalise_session(v)
            } else {
                v.clone()
            };
            data.insert(key.into(), v);
        }
    }
    Value::Object(data)
}

/// The two stores spell instants differently (`…+00:00`, `….000000Z`): read the row as a
/// session and write it back as the CLI does, keeping `class_name`.
fn normalise_session(raw: &Value) -> Value {
    match serde_json::from_value::<TeachingSession>(raw.clone())
        .ok()
        .and_then(|s| serde_json::to_value(s).ok())
    {
        Some(Value::Object(mut obj)) => {
            if let Some(name) = raw.get("class_name") {
                obj.insert("class_name".into(), name.clone());
            }
            Value::Object(obj)
        }
        _ => raw.clone(),
    }
}

/// The webhook body, `{"type", "timestamp", "data"}`; the same bytes on every retry.
pub(crate) fn webhook_body(event: &EventRecord) -> Vec<u8> {
    let body = json!({
        "type": event.kind,
        "timestamp": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": event_data(event),
    });
    body.to_string().into_bytes()
}

/// One readable line: what happened, to which class and session, and when.
pub fn summary(kind: &str, data: &Value) -> String {
    let s = data.get("session");
    let get = |k: &str| {
        s.and_then(|s| s.get(k))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let id = s
        .and_then(|s| s.get("id"))
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into());
    let what = format!(
        "{} session {id} on {} {}-{} ({})",
        get("class_name"),
        get("session_date"),
        get("start_time"),
        get("end_time"),
        get("timezone")
    );
    match kind {
        "session.closed" => {
            let by = data.get("closed_by").and_then(Value::as_str).unwrap_or("?");
            format!("Closed ({by}): {what}")
        }
        "session.closing_soon" => {
            let left = data
                .get("seconds_left")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            format!("Closing in {}: {what}", human_seconds(left))
        }
        "session.created" => format!("Created: {what}"),
        "session.rescheduled" => format!("Rescheduled: {what}"),
        "session.reopened" => format!("Reopened: {what}"),
        "session.deleted" => format!("Deleted: {what}"),
        other => format!("{other}: {what}"),
    }
}

pub(super) fn human_seconds(s: i64) -> String {
    if s >= 3600 && s % 3600 == 0 {
        format!("{} h", s / 3600)
    } else if s >= 60 {
        format!("{} min", (s + 30) / 60)
    } else {
        format!("{s} s")
    }
}

/// Reads a channel's HTTP answer into what the outbox stores (2xx is delivered).
pub async fn answer(
    channel: &'static str,
    sent: std::result::Result<reqwest::Response, reqwest::Error>,
) -> ChannelAnswer {
    match sent {
        Ok(resp) => {
            let status = resp.status();
            let text = resp.text().await.unwrap_or_default();
            ChannelAnswer {
                channel,
                ok: status.is_success(),
                status: Some(status.as_u16()),
                detail: text.chars().take(200).collect(),
                permanent: false,
            }
        }
        Err(e) => ChannelAnswer {
            channel,
            ok: false,
            status: None,
            // Without the URL: a Slack URL is a credential.
            detail: crate::store::postgrest::client::transport_reason(&e).to_string(),
            permanent: false,
        },
    }
}

/// Sends events to the configured channels and records the outcome in the store.
pub struct Deliverer {
    store: Arc<dyn SessionStore>,
    settings: NotifySettings,
    http: reqwest::Client,
    worker: String,
    concurrency: usize,
    lease_seconds: u32,
    request_timeout: Duration,
}

/// Each class's own email recipients, read once per pass that has email to send; `None`
/// when they could not be read (the email channel then waits for the next attempt rather
/// than leave the class's recipients out).
type ClassRecipients = Option<HashMap<ClassId, Vec<String>>>;

/// What one pass did, for logs and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Deliverer {
    pub fn new(
        store: Arc<dyn SessionStore>,
        settings: NotifySettings,
        worker: String,
        concurrency: usize,
        request_timeout: Duration,
    ) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(request_timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| crate::error::Error::Config(format!("cannot set up HTTP: {e}")))?;
        Ok(Deliverer {
            store,
            settings,
            http,
            worker,
            concurrency: concurrency.max(1),
            lease_seconds: lease_seconds(request_timeout),
            request_timeout,
        })
    }

    pub fn settings(&self) -> &NotifySettings {
        &self.settings
    }

    /// Delivers from `store` from now on (the worker reopened a replaced data file).
    pub fn set_store(&mut self, store: Arc<dyn SessionStore>) {
        self.store = store;
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

    /// Claims a batch of due events and sends them, at most `concurrency` at a time.
    pub async fn pass(&self, batch: usize) -> Result<PassReport> {
        let types = self.settings.types_to_send();
        let events = self
            .store
            .claim_events(&self.worker, self.lease_seconds, batch, &types)
            .await?;
        let mut report = PassReport {
            claimed: events.len(),
            ..Default::default()
        };
        let recipients = self.class_recipients(&events).await;
        let recipients = &recipients;
        let mut results = futures::stream::iter(events)
            .map(|e| async move { self.deliver(e, recipients).await })
            .buffer_unordered(self.concurrency);
        while let Some(outcome) = results.next().await {
            match outcome.as_deref() {
                Ok("delivered") => report.delivered += 1,
                Ok("failed") => report.failed += 1,
                Ok(_) => report.retrying += 1,
                Err(e) => {
                    tracing::warn!(error = %e, "could not record a delivery outcome");
                    report.retrying += 1;
                }
            }
        }
        Ok(report)
    }

    /// Sends one claimed event to every channel that has not taken it yet.
    async fn deliver(&self, event: EventRecord, recipients: &ClassRecipients) -> Result<String> {
        let mut deliveries = match &event.deliveries {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        let attempts = event.attempts.saturating_add(1);
        let mut errors = Vec::new();
        for channel in self.settings.channels() {
            let state = deliveries
                .get(channel)
                .and_then(|d| d.get("state"))
                .and_then(Value::as_str);
            // A channel that refused for good is tried again only after `events retry`
            // (which sets attempts back to 0).
            if state == Some("delivered") || (state == Some("failed") && event.attempts > 0) {
                continue;
            }
            let answer = if channel == "email" {
                match recipients {
                    Some(map) => {
                        let class = class_of(&event);
                        let extra = class.and_then(|c| map.get(&c)).map_or(&[][..], |v| &v[..]);
                        send_to(
                            &self.http,
                            &self.settings,
                            channel,
                            &event,
                            extra,
                            self.request_timeout,
                        )
                        .await
                    }
                    None => ChannelAnswer {
                        channel: "email",
                        ok: false,
                        status: None,
                        detail: "could not read the class's email recipients".into(),
                        permanent: false,
                    },
                }
            } else {
                self.send(channel, &event).await
            };
            let now = Utc::now();
            let entry = json!({
                "state": if answer.ok {
                    "delivered"
                } else if answer.permanent {
                    "failed"
                } else {
                    "pending"
                },
                "attempts": deliveries.get(channel).and_then(|d| d.get("attempts"))
                    .and_then(Value::as_i64).unwrap_or(0) + 1,
                "status": answer.status,
                "detail": answer.detail,
                "at": now,
            });
            deliveries.insert(channel.to_string(), entry);
            if !answer.ok {
                errors.push(format!(
                    "{channel}: {}",
                    match (channel, answer.status) {
                        ("email", _) | (_, None) => answer.detail.clone(),
                        (_, Some(s)) => format!("HTTP {s}"),
                    }
                ));
            }
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
        let now = Utc::now();
        let too_old = now.signed_duration_since(event.occurred_at)
            > chrono::Duration::from_std(GIVE_UP_AFTER).unwrap_or(chrono::Duration::MAX);
        let (state, next, delivered_at) = if all_ok {
            ("delivered", now, Some(now))
        } else if too_old || !waiting {
            ("failed", now, None)
        } else {
            let wait = chrono::Duration::from_std(backoff(attempts))
                .unwrap_or(chrono::Duration::seconds(300));
            ("pending", now + wait, None)
        };
        if state != "delivered" {
            if state == "failed" {
                for entry in deliveries.values_mut() {
                    if entry.get("state").and_then(Value::as_str) == Some("pending") {
                        entry["state"] = json!("failed");
                    }
                }
            }
            tracing::warn!(
                event_id = %event.id,
                event = %event.kind,
                attempts,
                state,
                error = %errors.join("; "),
                "delivery attempt failed"
            );
        } else {
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
        if !self
            .store
            .finish_event(&event.id, &self.worker, &outcome)
            .await?
        {
            tracing::warn!(event_id = %event.id, "the claim ran out before the outcome was recorded");
        }
        Ok(state.to_string())
    }

    /// One request to one channel (email: to `ATTCTL_MAIL_TO` only).
    pub async fn send(&self, channel: &str, event: &EventRecord) -> ChannelAnswer {
        send_to(
            &self.http,
            &self.settings,
            channel,
            event,
            &[],
            self.request_timeout,
        )
        .await
    }

    /// Deletes delivered events past the retention period.
    pub async fn prune(&self, now: DateTime<Utc>) -> Result<u64> {
        let before = now - chrono::Duration::days(i64::from(self.settings.retention_days));
        self.store.prune_events(before).await
    }
}

/// The class of the event's session, from its payload.
fn class_of(event: &EventRecord) -> Option<ClassId> {
    event
        .payload
        .get("session")
        .and_then(|s| s.get("class_id"))
        .and_then(Value::as_i64)
}

/// One request of `event` to `channel`, which must be configured. Email goes to
/// `ATTCTL_MAIL_TO` and `class_emails` (the session's class's recipients); with nobody to
/// send to, there is nothing to do and the answer is a success.
pub(crate) async fn send_to(
    http: &reqwest::Client,
    settings: &NotifySettings,
    channel: &str,
    event: &EventRecord,
    class_emails: &[String],
    timeout: Duration,
) -> ChannelAnswer {
    match channel {
        "webhook" => match &settings.webhook {
            Some(w) => {
                super::webhook::send(
                    http,
                    &w.url,
                    w.secret.as_ref(),
                    &event.id,
                    &webhook_body(event),
                )
                .await
            }
            None => not_configured("webhook"),
        },
        "slack" => match &settings.slack_url {
            Some(url) => {
                let msg = super::slack::message(&event.kind, &event_data(event));
                super::slack::send(http, url, &msg).await
            }
            None => not_configured("slack"),
        },
        "email" => match &settings.email {
            Some(email) => {
                let to = email.recipients(class_emails);
                if to.is_empty() {
                    return ChannelAnswer {
                        channel: "email",
                        ok: true,
                        status: None,
                        detail: "no recipients: no ATTCTL_MAIL_TO and none for this class".into(),
                        permanent: false,
                    };
                }
                let mail = super::email::render(
                    &event.kind,
                    &event_data(event),
                    &event.id,
                    event.occurred_at,
                );
                email.send(&to, &mail, &event.id, timeout).await
            }
            None => not_configured("email"),
        },
        _ => not_configured("email"),
    }
}

fn not_configured(channel: &'static str) -> ChannelAnswer {
    ChannelAnswer {
        channel,
        ok: false,
        status: None,
        detail: format!("the {channel} channel is not configured"),
        permanent: false,
    }
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
