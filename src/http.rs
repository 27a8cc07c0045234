//! HTTP, once: how every client of attctl is built (timeouts, user agent, redirects), what
//! a request that got no answer is called ([`transport_reason`]), which requests may be
//! sent again ([`Retry`]) and after how long, and the words of a JSON API exchange
//! ([`Request`], [`Response`], [`ApiError`] with its [`CodeClass`], [`ClientError`]) that
//! the PostgREST store speaks and doctor probes Supabase with.
//!
//! A leaf: it uses nothing of attctl but [`crate::error`], so the PostgREST store, the
//! Hatchet scheduler, the notification channels, doctor and `events` all build on it.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The `User-Agent` attctl's requests to Supabase and doctor's to Hatchet carry (the
/// scheduler's and the channels' have carried none so far).
pub(crate) const USER_AGENT: &str = concat!("attctl/", env!("CARGO_PKG_VERSION"));

/// A client builder waiting at most `timeout` for a whole request (body included) and
/// `connect_timeout` for the connection. Callers add what is theirs (default headers, a
/// user agent, a redirect policy) and name the failure to build in their own words.
pub(crate) fn client(timeout: Duration, connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
}

/// The HTTP client of the webhook and Slack channels (the outbox, `notify test`).
/// Redirects are not followed: a 3xx is not the receiver taking the event (following it
/// would re-send the request as a GET without its body, or send it somewhere nobody
/// configured), so it counts as a failure that names where it pointed. `timeout` bounds
/// each request as a whole, body included.
pub(crate) fn channel_client(timeout: Duration) -> Result<reqwest::Client> {
    client(timeout, timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Config(format!("cannot set up HTTP: {e}")))
}

/// Why a request got no answer, in words for people.
pub(crate) fn transport_reason(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    }
}

/// Whether a request may be sent again when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Safe to repeat: reads, and writes whose filter makes a repeat a no-op.
    Idempotent,
    /// Like `Idempotent` when the server answered (503) or was never reached; but when the
    /// request was sent and the answer lost, the error is returned at once so the caller
    /// can read back what happened (and report its own write as its own).
    ReadBack,
    Never,
}

/// The wait a `Retry-After: <seconds>` header asks for (the HTTP-date form is not used by
/// the servers attctl talks to).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The pause before attempt `attempt + 1` when the server named none: 200 ms, doubling.
pub(crate) fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200 * 2u64.pow(attempt.saturating_sub(1)))
}

/// An error answer of a JSON API, in the shape PostgREST (and Supabase's gateway) give it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub hint: Option<String>,
}

impl ApiError {
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }

    /// The message's first line (at most 300 characters) and the code, for an error text.
    pub(crate) fn one_line(&self) -> String {
        let msg = self.message.as_deref().unwrap_or("no message");
        let msg: String = msg
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        match self.code.as_deref() {
            Some(code) => format!("{msg} ({code})"),
            None => msg,
        }
    }
}

/// What a PostgreSQL or PostgREST error code means where attctl reacts to it: classified
/// once, here, for the store's mapping to attctl's errors and doctor's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeClass {
    /// A table or view is missing (`42P01`, `PGRST205`).
    MissingTable,
    /// A function is missing (`42883`, `PGRST202`).
    MissingFunction,
    /// A column is missing (`42703`, `PGRST204`).
    MissingColumn,
    /// The role lacks a privilege (`42501`).
    PermissionDenied,
    /// PostgREST refused the JWT: undecodable, missing or with bad claims (`PGRST301`–`303`).
    JwtRejected,
    /// PostgREST's JWT configuration is broken (`PGRST300`): the server's fault, though
    /// doctor still points at the key.
    JwtConfig,
    Other,
}

pub(crate) fn code_class(code: &str) -> CodeClass {
    match code {
        "42P01" | "PGRST205" => CodeClass::MissingTable,
        "42883" | "PGRST202" => CodeClass::MissingFunction,
        "42703" | "PGRST204" => CodeClass::MissingColumn,
        "42501" => CodeClass::PermissionDenied,
        "PGRST301" | "PGRST302" | "PGRST303" => CodeClass::JwtRejected,
        "PGRST300" => CodeClass::JwtConfig,
        _ => CodeClass::Other,
    }
}

/// One request, described before it is sent: a path below the client's base URL.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub prefer: Vec<&'static str>,
    /// Asks for one JSON object rather than an array (PostgREST's
    /// `application/vnd.pgrst.object+json`).
    pub single_object: bool,
    pub body: Option<serde_json::Value>,
    pub retry: Retry,
}

impl Request {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let retry = if method == Method::GET || method == Method::HEAD {
            Retry::Idempotent
        } else {
            Retry::Never
        };
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            prefer: Vec::new(),
            single_object: false,
            body: None,
            retry,
        }
    }

    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_string(), value.into()));
        self
    }

    pub(crate) fn prefer(mut self, pref: &'static str) -> Self {
        self.prefer.push(pref);
        self
    }

    pub fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn single(mut self) -> Self {
        self.single_object = true;
        self
    }

    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }
}

/// A successful answer: status, headers we care about, body bytes.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub content_range: Option<String>,
    pub body: Body,
}

/// Raw body bytes, kept opaque so callers decode them once.
#[derive(Debug, Default)]
pub struct Body(pub Vec<u8>);

impl Response {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body.0).map_err(|e| {
            Error::Backend(format!(
                "Supabase answered something attctl does not understand: {e}"
            ))
        })
    }

    /// Total row count from `Content-Range: 0-24/573` (or `*/0`).
    pub fn total(&self) -> Option<u64> {
        parse_content_range_total(self.content_range.as_deref()?)
    }
}

pub(crate) fn parse_content_range_total(header: &str) -> Option<u64> {
    let (_, total) = header.trim().rsplit_once('/')?;
    total.trim().parse().ok()
}

/// Why a request failed: the server's error answer, or no answer at all.
#[derive(Debug)]
pub enum ClientError {
    Api(ApiError),
    /// The request never reached the server (connecting failed).
    Transport(Error),
    /// The request was sent (or may have been), but no complete answer came back: the
    /// connection dropped, was reset, or timed out. A write may have happened.
    Unanswered(Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_totals() {
        assert_eq!(parse_content_range_total("0-999/12345"), Some(12345));
        assert_eq!(parse_content_range_total("*/0"), Some(0));
        assert_eq!(parse_content_range_total("0-9/*"), None);
        assert_eq!(parse_content_range_total("garbage"), None);
    }

    #[test]
    fn backoff_doubles_from_200_ms() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(400));
        assert_eq!(backoff(3), Duration::from_millis(800));
    }
}
