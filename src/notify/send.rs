//! One request of an event to one channel, within one deadline, and the channel's answer
//! as the outbox stores it: a bounded prefix of the body, a redirect named (masked), never
//! followed.

use std::time::Duration;

use super::message::{event_data, webhook_body};
use super::{ChannelAnswer, NotifySettings};
use crate::config::notify::CHANNELS;
use crate::secret::redact_url;
use crate::store::events::EventRecord;

/// At most this much of a receiver's answer is read, for the error detail: a receiver
/// answering megabytes costs no memory.
pub(crate) const BODY_PREFIX: usize = 4096;
/// Characters of the answer kept in a channel's `detail`.
const DETAIL_CHARS: usize = 200;

/// Reads a channel's HTTP answer into what the outbox stores (2xx is delivered). Only the
/// first [`BODY_PREFIX`] bytes of the body are read. A redirect is a failure naming where
/// it pointed (masked): it is not followed (see [`crate::http::channel_client`]).
pub(super) async fn answer(
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
pub(super) fn timed_out(channel: &str, timeout: Duration) -> String {
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

pub(super) fn not_configured(channel: &'static str) -> ChannelAnswer {
    ChannelAnswer {
        channel,
        ok: false,
        status: None,
        detail: format!("the {channel} channel is not configured"),
        permanent: false,
    }
}
