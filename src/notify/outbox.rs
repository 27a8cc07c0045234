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
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::{ChannelAnswer, NotifySettings};
use crate::config::notify::CHANNELS;
use crate::error::Result;
use crate::secret::redact_url;
use crate::session::{ClassId, TeachingSession};
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
/// At most this much of a receiver's answer is read, for the error detail: a receiver
/// answering megabytes costs no memory.
pub(crate) const BODY_PREFIX: usize = 4096;
/// Characters of the answer kept in a channel's `detail`.
const DETAIL_CHARS: usize = 200;

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

/// Reads a channel's HTTP answer into what the outbox stores (2xx is delivered). Only the
/// first [`BODY_PREFIX`] bytes of the body are read. A redirect is a failure naming where
/// it pointed (masked): it is not followed (see [`crate::http::channel_client`]).
pub async fn answer(
    channel: &'static str,
    sent: std::result::Result<reqwest::Response, reqwest::Error>,
) -> ChannelAnswer {
    match sent {
        Ok(resp) => {
            let status = resp.status();
            if status.is_redirection() {
                let to = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .map(|v| shown_location(channel, resp.url(), v));
                return ChannelAnswer {
                    channel,
                    ok: false,
                    status: Some(status.as_u16()),
                    detail: match to {
                        Some(to) => format!(
                            "redirected to {to}: redirects are not followed, configure the \
                             address the receiver now uses"
                        ),
                        None => {
                            "a redirect without a Location: redirects are not followed".to_string()
                        }
                    },
                    permanent: false,
                };
            }
            let prefix = read_prefix(resp, BODY_PREFIX).await;
            ChannelAnswer {
                channel,
                ok: status.is_success(),
                status: Some(status.as_u16()),
                detail: String::from_utf8_lossy(&prefix)
                    .chars()
                    .take(DETAIL_CHARS)
                    .collect(),
                permanent: false,
            }
        }
        Err(e) => ChannelAnswer {
            channel,
            ok: false,
            status: None,
            // Without the URL: a Slack URL is a credential.
            detail: crate::http::transport_reason(&e).to_string(),
            permanent: false,
        },
    }
}

/// Where a redirect pointed, for people: the webhook's target with its password, query
/// values and fragment masked; for Slack, whose URLs carry their credential in the path,
/// only the scheme and host.
fn shown_location(
    channel: &str,
    request: &reqwest::Url,
    location: &reqwest::header::HeaderValue,
) -> String {
    let Some(target) = location.to_str().ok().and_then(|l| request.join(l).ok()) else {
        return "an address that cannot be read".to_string();
    };
    if channel == "slack" {
        let host = target.host_str().unwrap_or("?");
        match target.port() {
            Some(port) => format!("{}://{host}:{port}/…", target.scheme()),
            None => format!("{}://{host}/…", target.scheme()),
        }
    } else {
        redact_url(target.as_str())
    }
}

/// The first `limit` bytes of the body, read chunk by chunk; the rest is never read (the
/// connection is dropped with the response).
async fn read_prefix(mut resp: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < limit {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(limit - out.len());
                out.extend_from_slice(&chunk[..take]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    out
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
                        tracing::warn!(
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
            Some(Change::Paused(pause)) => tracing::warn!(
                channel,
                reason = %answer.detail,
                paused_secs = pause.as_secs(),
                "the {channel} channel is paused for {} s ({}); the other channels go on",
                pause.as_secs(),
                answer.detail
            ),
            Some(Change::Resumed) => {
                tracing::info!(channel, "the {channel} channel answers again")
            }
            None => {}
        }
        Attempt::Sent(answer)
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

/// Each channel's lane: a bound on its sends in flight, and its pause.
struct Lanes {
    lanes: Vec<(&'static str, Lane)>,
}

struct Lane {
    permits: tokio::sync::Semaphore,
    pause: Mutex<Pause>,
}

/// A circuit breaker, in words people use: a channel that did not answer is paused, then
/// one event tries it while the others wait; an answer resumes it, silence pauses it
/// again for twice as long (up to [`MAX_BACKOFF`]).
#[derive(Default)]
struct Pause {
    /// Pauses in a row (0: running).
    count: u32,
    until: Option<Instant>,
    /// One event is trying the channel after a pause.
    trying: bool,
}

enum Admission {
    Go { trial: bool },
    Wait { until: Instant, why: String },
}

enum Change {
    Paused(Duration),
    Resumed,
}

impl Lanes {
    fn new(concurrency: usize) -> Self {
        Lanes {
            lanes: CHANNELS
                .iter()
                .map(|c| {
                    (
                        *c,
                        Lane {
                            permits: tokio::sync::Semaphore::new(concurrency),
                            pause: Mutex::new(Pause::default()),
                        },
                    )
                })
                .collect(),
        }
    }

    fn of(&self, channel: &str) -> Option<&Lane> {
        self.lanes
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, lane)| lane)
    }
}

impl Lane {
    fn pause(&self) -> std::sync::MutexGuard<'_, Pause> {
        self.pause.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn admit(&self, now: Instant) -> Admission {
        let mut p = self.pause();
        match p.until {
            None => Admission::Go { trial: false },
            Some(until) if now < until => Admission::Wait {
                until,
                why: "the channel is paused after it did not answer".into(),
            },
            Some(_) if p.trying => Admission::Wait {
                until: now + FIRST_BACKOFF,
                why: "the channel is paused; another event is trying it".into(),
            },
            Some(_) => {
                p.trying = true;
                Admission::Go { trial: true }
            }
        }
    }

    /// Records a send's fate. Sends that started before a pause and fail after it do not
    /// lengthen it: only a running channel's failure, or a failed try, does.
    fn record(&self, answered: bool, trial: bool, now: Instant) -> Option<Change> {
        let mut p = self.pause();
        if answered {
            let was_paused = p.until.is_some();
            *p = Pause::default();
            return was_paused.then_some(Change::Resumed);
        }
        if p.until.is_some() && !trial {
            return None;
        }
        p.count = p.count.saturating_add(1);
        p.trying = false;
        let pause = backoff(i64::from(p.count));
        p.until = Some(now + pause);
        Some(Change::Paused(pause))
    }
}

/// Ends a channel's try if the send never came to record its fate (its lane stayed full),
/// so that another event may try it.
struct TrialGuard<'a> {
    lane: &'a Lane,
    armed: bool,
}

impl TrialGuard<'_> {
    fn disarm(mut self) -> bool {
        std::mem::replace(&mut self.armed, false)
    }
}

impl Drop for TrialGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.lane.pause().trying = false;
        }
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

/// One request of `event` to `channel`, which must be configured, within one deadline
/// (`timeout`) for all of it: connection, TLS, request and answer, or for email the whole
/// dialogue with the server for every recipient. Email goes to `ATTCTL_MAIL_TO` and
/// `class_emails` (the session's class's recipients); with nobody to send to, there is
/// nothing to do and the answer is a success.
pub(crate) async fn send_to(
    http: &reqwest::Client,
    settings: &NotifySettings,
    channel: &str,
    event: &EventRecord,
    class_emails: &[String],
    timeout: Duration,
) -> ChannelAnswer {
    let name = CHANNELS
        .iter()
        .copied()
        .find(|c| *c == channel)
        .unwrap_or("webhook");
    match tokio::time::timeout(
        timeout,
        send_unbounded(http, settings, channel, event, class_emails, timeout),
    )
    .await
    {
        Ok(answer) => answer,
        Err(_) => ChannelAnswer {
            channel: name,
            ok: false,
            status: None,
            detail: timed_out(name, timeout),
            permanent: false,
        },
    }
}

/// Why a send was given up, in words that say what the deadline covered.
pub(crate) fn timed_out(channel: &str, timeout: Duration) -> String {
    let secs = timeout.as_secs_f64();
    if channel == "email" {
        format!(
            "timed out: the mail server did not finish the dialogue (connect, greeting, TLS, \
             login, message) within {secs} s"
        )
    } else {
        format!("timed out: no complete answer within {secs} s")
    }
}

async fn send_unbounded(
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
