//! Notification settings, parsed and checked: warnings before close, the channels (a
//! signed webhook, Slack, email over SMTP) and which events they send. The channels
//! themselves, and the outbox that drives them, are [`crate::notify`]'s; a bad value here
//! is refused before anything is sent, named by its variable and never echoed when it may
//! hold a credential.

use std::str::FromStr;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lettre::Address;
use lettre::message::Mailbox;
use lettre::transport::smtp::client::Certificate;

use super::vars;
use crate::error::{Error, Result};
use crate::secret::{Secret, redact_url};
use crate::store::events::EVENT_TYPES;

/// The events sent when `ATTCTL_NOTIFY_EVENTS` is not set.
pub(crate) const DEFAULT_EVENTS: [&str; 3] = [
    "session.closed",
    "session.closing_soon",
    "session.register_missing",
];
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
    pub email: Option<EmailChannel>,
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
                    signing_key(s)?;
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
            Some(url) => Some(EmailChannel::parse(
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

/// The HMAC key inside `whsec_<base64>`.
pub(crate) fn signing_key(secret: &Secret) -> Result<Vec<u8>> {
    let raw = secret.expose();
    let b64 = raw.strip_prefix("whsec_").unwrap_or(raw);
    match STANDARD.decode(b64) {
        Ok(key) if !key.is_empty() => Ok(key),
        _ => Err(Error::Config(format!(
            "{} must be whsec_ followed by base64 ({})",
            vars::WEBHOOK_SECRET,
            secret.masked()
        ))),
    }
}

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://` without `?tls=`: no encryption (a relay on the same machine or network).
    Plain,
    /// `smtp://…?tls=opportunistic`: STARTTLS when the server offers it.
    Opportunistic,
    /// `smtp://…?tls=required`: STARTTLS, and no mail without it.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

impl Security {
    pub fn describe(self) -> &'static str {
        match self {
            Security::Plain => "no encryption",
            Security::Opportunistic => "STARTTLS when offered",
            Security::StartTls => "STARTTLS",
            Security::Tls => "TLS",
        }
    }
}

/// `ATTCTL_SMTP_URL`, parsed. Debug never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// The name given in EHLO (the URL's path), else the machine's host name.
    pub hello_name: Option<String>,
    redacted: String,
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl SmtpUrl {
    /// The URL for people: the password masked.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    pub fn parse(raw: &Secret) -> Result<Self> {
        let raw = raw.expose().trim();
        let shown = redact_url(raw);
        let bad = |why: &str| {
            Error::Invalid(format!(
                "{} {shown:?} {why}; use smtp://host:25, smtp://user:password@host:587?tls=required \
                 (STARTTLS) or smtps://user:password@host:465",
                vars::SMTP_URL
            ))
        };
        // Not a URL at all: the value is not echoed (it may be a password pasted astray).
        let url = url::Url::parse(raw).map_err(|_| {
            Error::Invalid(format!(
                "{} is not a URL; use smtp://host:25, smtp://user:password@host:587?tls=required \
                 (STARTTLS) or smtps://user:password@host:465",
                vars::SMTP_URL
            ))
        })?;
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        if url.query_pairs().any(|(k, _)| k != "tls") {
            return Err(bad("has a query parameter other than tls"));
        }
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls, 587),
            ("smtp", Some("opportunistic")) => (Security::Opportunistic, 587),
            ("smtps", None | Some("wrapper")) => (Security::Tls, 465),
            ("smtp" | "smtps", Some(_)) => {
                return Err(bad("has a tls= other than required or opportunistic"));
            }
            _ => return Err(bad("must start with smtp:// or smtps://")),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("has no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let decode = |s: &str| {
            percent_encoding_decode(s)
                .ok_or_else(|| bad("has a user or password that is not UTF-8"))
        };
        let user = Some(decode(url.username())?).filter(|u| !u.is_empty());
        let password = url.password().map(decode).transpose()?.map(Secret::new);
        if password.is_some() && user.is_none() {
            return Err(bad("has a password but no user"));
        }
        let path = url.path().trim_matches('/');
        Ok(SmtpUrl {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            user,
            password,
            hello_name: Some(path.to_string()).filter(|p| !p.is_empty()),
            redacted: shown,
        })
    }

    fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// A password would cross the network unencrypted: worth a warning from doctor.
    pub fn sends_password_in_clear(&self) -> bool {
        self.password.is_some()
            && matches!(self.security, Security::Plain | Security::Opportunistic)
            && !self.is_loopback()
    }
}

fn percent_encoding_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The email channel's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailChannel {
    pub url: SmtpUrl,
    /// `ATTCTL_MAIL_FROM`, as written (`attctl <noreply@school.example>` or a bare address).
    pub from: String,
    /// `ATTCTL_MAIL_TO`: sent every event, besides the class's own recipients.
    pub to: Vec<String>,
    /// Extra trusted roots (PEM), from `ATTCTL_SMTP_CA_FILE`.
    pub ca_pem: Option<Vec<u8>>,
}

impl EmailChannel {
    /// From the looked-up values: the URL and the sender are required together; the
    /// recipients may also come from classes only.
    pub fn parse(
        url: &Secret,
        from: Option<&str>,
        to: Option<&str>,
        ca_file: Option<&str>,
    ) -> Result<Self> {
        let url = SmtpUrl::parse(url)?;
        let from = from.map(str::trim).filter(|f| !f.is_empty()).ok_or_else(|| {
            Error::Invalid(format!(
                "{} is set but {} is not: set the sender, e.g. {}='attctl <noreply@school.example>'",
                vars::SMTP_URL,
                vars::MAIL_FROM,
                vars::MAIL_FROM
            ))
        })?;
        Mailbox::from_str(from).map_err(|_| {
            Error::Invalid(format!(
                "{} {from:?} is not an email address (name@example.org or \
                 'Name <name@example.org>')",
                vars::MAIL_FROM
            ))
        })?;
        let to = match to {
            Some(list) => parse_addresses(list, vars::MAIL_TO)?,
            None => Vec::new(),
        };
        let ca_pem = match ca_file.map(str::trim).filter(|p| !p.is_empty()) {
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| {
                    Error::Invalid(format!(
                        "{} {path:?} cannot be read: {}",
                        vars::SMTP_CA_FILE,
                        e.kind()
                    ))
                })?;
                Certificate::from_pem(&pem).map_err(|_| {
                    Error::Invalid(format!(
                        "{} {path:?} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                        vars::SMTP_CA_FILE
                    ))
                })?;
                Some(pem)
            }
            None => None,
        };
        Ok(EmailChannel {
            url,
            from: from.to_string(),
            to,
            ca_pem,
        })
    }
}

/// A comma-separated list of addresses: each checked, duplicates (any case) dropped.
/// `what` names where the list came from, for the error.
pub fn parse_addresses(raw: &str, what: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let addr = Address::from_str(part).map_err(|_| {
            Error::invalid(format!(
                "{what} holds {part:?}, which is not an email address (name@example.org; \
                 several separated by commas)"
            ))
        })?;
        let addr = addr.to_string();
        if !out.iter().any(|a| a.eq_ignore_ascii_case(&addr)) {
            out.push(addr);
        }
    }
    Ok(out)
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

    #[test]
    fn bad_secrets_are_refused_without_echoing_them() {
        let err = signing_key(&Secret::new("whsec_!!!notbase64")).unwrap_err();
        assert!(!err.to_string().contains("notbase64"));
    }

    fn url(raw: &str) -> Result<SmtpUrl> {
        SmtpUrl::parse(&Secret::new(raw))
    }

    #[test]
    fn smtp_urls_parse_and_never_show_the_password() {
        let u = url("smtps://me%40x.org:p%40ss@mail.example:2465").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.security),
            ("mail.example", 2465, Security::Tls)
        );
        assert_eq!(u.user.as_deref(), Some("me@x.org"));
        assert_eq!(u.password.as_ref().map(Secret::expose), Some("p@ss"));
        assert!(!format!("{u:?} {}", u.redacted()).contains("p%40ss"));
        assert_eq!(url("smtp://h").unwrap().port, 25);
        assert_eq!(
            url("smtp://u:p@h?tls=required").unwrap().security,
            Security::StartTls
        );
        for bad in [
            "http://u:hunter2@h",
            "smtp://u:hunter2@h?tls=maybe",
            "smtp:///x",
            "hunter2",
            "smtp://:hunter2@h",
        ] {
            let err = url(bad).unwrap_err().to_string();
            assert!(err.contains("ATTCTL_SMTP_URL"), "{err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn addresses_are_checked_and_deduplicated() {
        assert_eq!(
            parse_addresses("a@x.org, B@y.org,,a@x.org", "--notify-email").unwrap(),
            vec!["a@x.org", "B@y.org"]
        );
        let err = parse_addresses("a@x.org,not-an-address", "--notify-email").unwrap_err();
        assert!(err.to_string().contains("not-an-address"), "{err}");
        assert_eq!(err.exit_code(), 2);
    }
}
