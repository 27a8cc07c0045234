//! Notifications: the channels that carry session events out of the outbox (a signed
//! generic webhook, Slack, email) and the delivery rules (which events, how often, when to
//! give up). The worker runs [`outbox::Deliverer`]; `attctl notify test` and `attctl
//! doctor` use the same channels.

pub mod email;
pub mod outbox;
pub(crate) mod slack;
pub(crate) mod webhook;

use std::time::Duration;

use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::store::events::EVENT_TYPES;

/// The environment variables of notifications (also in `.env.example`).
pub(crate) mod vars {
    pub(crate) const WARN_BEFORE: &str = "ATTCTL_WARN_BEFORE";
    pub(crate) const WEBHOOK_URL: &str = "ATTCTL_WEBHOOK_URL";
    pub(crate) const WEBHOOK_SECRET: &str = "ATTCTL_WEBHOOK_SECRET";
    pub(crate) const SLACK_WEBHOOK_URL: &str = "ATTCTL_SLACK_WEBHOOK_URL";
    pub(crate) const SMTP_URL: &str = "ATTCTL_SMTP_URL";
    pub(crate) const MAIL_FROM: &str = "ATTCTL_MAIL_FROM";
    pub(crate) const MAIL_TO: &str = "ATTCTL_MAIL_TO";
    pub(crate) const SMTP_CA_FILE: &str = "ATTCTL_SMTP_CA_FILE";
    pub(crate) const NOTIFY_EVENTS: &str = "ATTCTL_NOTIFY_EVENTS";
    pub(crate) const RETENTION_DAYS: &str = "ATTCTL_EVENTS_RETENTION_DAYS";
}

/// The events sent when `ATTCTL_NOTIFY_EVENTS` is not set.
pub(crate) const DEFAULT_EVENTS: [&str; 2] = ["session.closed", "session.closing_soon"];
/// Delivered events older than this many days are pruned by the worker.
pub(crate) const DEFAULT_RETENTION_DAYS: u32 = 30;

/// Which channels are configured and what they send. None configured means none sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    /// Offsets before `closes_at` at which a `session.closing_soon` is sent, largest first.
    pub warn_before: Vec<Duration>,
    pub webhook: Option<WebhookChannel>,
    /// Slack's incoming-webhook URL holds its credential: kept as a secret.
    pub slack_url: Option<Secret>,
    pub email: Option<email::EmailChannel>,
    pub events: Vec<String>,
    pub retention_days: u32,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            warn_before: Vec::new(),
            webhook: None,
            slack_url: None,
            email: None,
            events: DEFAULT_EVENTS.iter().map(|s| s.to_string()).collect(),
            retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookChannel {
    pub url: String,
    /// `whsec_<base64>`; without it requests go unsigned.
    pub secret: Option<Secret>,
}

/// The channel names, as `notify test --channel` and the per-channel delivery state name them.
pub(crate) const CHANNELS: [&str; 3] = ["webhook", "slack", "email"];

impl NotifySettings {
    /// The configured channels' names, in a fixed order.
    pub fn channels(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.webhook.is_some() {
            out.push("webhook");
        }
        if self.slack_url.is_some() {
            out.push("slack");
        }
        if self.email.is_some() {
            out.push("email");
        }
        out
    }

    /// The event types the delivery loop sends: none when no channel is configured, so
    /// that the outbox settles instead of growing.
    pub(crate) fn types_to_send(&self) -> Vec<String> {
        if self.channels().is_empty() {
            Vec::new()
        } else {
            self.events.clone()
        }
    }

    /// From already-looked-up values (flags > env > .env > profile is the caller's job).
    pub fn parse(raw: &RawNotify) -> Result<Self> {
        let warn_before = match raw.warn_before.as_deref() {
            Some(v) => parse_offsets(v)?,
            None => Vec::new(),
        };
        let webhook = match &raw.webhook_url {
            Some(url) => {
                check_http_url(url, vars::WEBHOOK_URL)?;
                let secret = raw.webhook_secret.clone();
                if let Some(s) = &secret {
                    webhook::signing_key(s)?;
                }
                Some(WebhookChannel {
                    url: url.clone(),
                    secret,
                })
            }
            None => None,
        };
        if let Some(url) = &raw.slack_url {
            check_http_url(url.expose(), vars::SLACK_WEBHOOK_URL)?;
        }
        let email = match &raw.smtp_url {
            Some(url) => Some(email::EmailChannel::parse(
                url,
                raw.mail_from.as_deref(),
                raw.mail_to.as_deref(),
                raw.smtp_ca_file.as_deref(),
            )?),
            None => {
                if let Some((var, _)) = [
                    (vars::MAIL_FROM, &raw.mail_from),
                    (vars::MAIL_TO, &raw.mail_to),
                    (vars::SMTP_CA_FILE, &raw.smtp_ca_file),
                ]
                .into_iter()
                .find(|(_, v)| v.is_some())
                {
                    return Err(Error::invalid(format!(
                        "{var} is set but {} is not: email needs the SMTP server, e.g.                          {}=smtps://user:password@mail.example.org:465",
                        vars::SMTP_URL,
                        vars::SMTP_URL
                    )));
                }
                None
            }
        };
        let events = match raw.events.as_deref() {
            Some(list) => parse_events(list)?,
            None => DEFAULT_EVENTS.iter().map(|s| s.to_string()).collect(),
        };
        let retention_days = match raw.retention_days.as_deref() {
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|d| *d > 0)
                .ok_or_else(|| {
                    Error::Config(format!(
                        "{} must be a whole number of days above 0, not {v:?}",
                        vars::RETENTION_DAYS
                    ))
                })?,
            None => DEFAULT_RETENTION_DAYS,
        };
        Ok(NotifySettings {
            warn_before,
            webhook,
            slack_url: raw.slack_url.clone(),
            email,
            events,
            retention_days,
        })
    }
}

/// Notification settings as found, before validation.
#[derive(Debug, Clone, Default)]
pub struct RawNotify {
    pub warn_before: Option<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<Secret>,
    pub slack_url: Option<Secret>,
    /// `ATTCTL_SMTP_URL`: its password makes the whole URL a secret.
    pub smtp_url: Option<Secret>,
    pub mail_from: Option<String>,
    pub mail_to: Option<String>,
    pub smtp_ca_file: Option<String>,
    pub events: Option<String>,
    pub retention_days: Option<String>,
}

/// Refuses a channel URL that is not http(s) with a host. The value is never echoed: a
/// Slack URL is a credential as a whole, and a URL that does not parse may be a key pasted
/// into the wrong variable; the variable and what is wrong are enough to fix it.
fn check_http_url(raw: &str, var: &str) -> Result<()> {
    match crate::secret::http_url_problem(raw) {
        None => Ok(()),
        Some(problem) => Err(Error::Config(format!(
            "{var} is not a usable address: {problem} (the value is not shown, as it may \
             hold a credential); it must be an http:// or https:// URL"
        ))),
    }
}

/// `10m,2m` -> [600 s, 120 s], largest first, duplicates removed.
pub(crate) fn parse_offsets(raw: &str) -> Result<Vec<Duration>> {
    let mut out = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let d = parse_duration(part).ok_or_else(|| {
            Error::Config(format!(
                "{} (or warn_before) holds {part:?}: use durations such as 30s, 10m or 1h, \
                 separated by commas",
                vars::WARN_BEFORE
            ))
        })?;
        out.push(d);
    }
    out.sort_by(|a, b| b.cmp(a));
    out.dedup();
    Ok(out)
}

/// `30s`, `10m`, `1h` (a whole number above 0 and one unit).
pub(crate) fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (num, unit) = raw.split_at(raw.len().checked_sub(1)?);
    let n: u64 = num.parse().ok().filter(|n| *n > 0)?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

fn parse_events(raw: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !EVENT_TYPES.contains(&part) {
            return Err(Error::Config(format!(
                "{} names an unknown event {part:?}; known: {}",
                vars::NOTIFY_EVENTS,
                EVENT_TYPES.join(", ")
            )));
        }
        if !out.iter().any(|e| e == part) {
            out.push(part.to_string());
        }
    }
    Ok(out)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_sort_and_reject() {
        assert_eq!(
            parse_offsets("2m, 10m,30s,2m").unwrap(),
            vec![
                Duration::from_secs(600),
                Duration::from_secs(120),
                Duration::from_secs(30)
            ]
        );
        assert_eq!(
            parse_offsets("1h").unwrap(),
            vec![Duration::from_secs(3600)]
        );
        for bad in ["10", "0m", "5d", "m", "-1m", "1.5m"] {
            assert!(parse_offsets(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn events_filter_rejects_unknown_names() {
        assert!(parse_events("session.closed,session.closing_soon").is_ok());
        assert!(parse_events("session.close").is_err());
    }
}
