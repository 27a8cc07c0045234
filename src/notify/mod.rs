//! Notifications: the channels that carry session events out of the outbox (a signed
//! generic webhook, Slack, email) and the delivery rules (which events, how often, when to
//! give up). The worker runs [`outbox::Deliverer`]; `attctl notify test` and `attctl
//! doctor` use the same channels. What is configured ([`NotifySettings`]) is parsed in
//! [`crate::config::notify`].
//!
//! Layout: `outbox` (claims, retries, outcomes), `lanes` (each channel's bound and pause),
//! `send` (one request to one channel, its answer), `message` (what an event says), and one
//! file per channel: `webhook`, `slack`, `email`.

pub mod email;
mod lanes;
mod message;
pub mod outbox;
pub(crate) mod send;
pub(crate) mod slack;
pub(crate) mod webhook;

use std::time::Duration;

pub use crate::config::notify::NotifySettings;

/// A channel's answer to one request, as `notify test` reports it and the outbox stores it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChannelAnswer {
    pub channel: &'static str,
    pub ok: bool,
    /// HTTP status (SMTP reply code for email), when the receiver answered.
    pub status: Option<u16>,
    /// The receiver's answer (first 200 characters), or why there was none.
    pub detail: String,
    /// Retrying cannot help (an SMTP 5xx): the channel is marked failed at once.
    #[serde(skip)]
    pub permanent: bool,
}

/// Whether the receiver behind `url` accepts a connection, without sending it anything (a
/// request could count as a delivery). Answers a short reason when it does not; the URL
/// itself (a credential for Slack) is never part of it.
pub async fn probe(url: &str) -> std::result::Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|_| "not a valid URL".to_string())?;
    let host = parsed
        .host_str()
        .ok_or_else(|| "the URL has no host".to_string())?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| "the URL has no port".to_string())?;
    match tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("cannot connect to {host}:{port}: {}", e.kind())),
        Err(_) => Err(format!("no answer from {host}:{port} within 5 s")),
    }
}
