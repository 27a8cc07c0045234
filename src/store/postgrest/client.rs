//! A small typed PostgREST client over reqwest, shaped for Supabase.
//!
//! - Requests go to `SUPABASE_URL/rest/v1/…` with `apikey` always, and
//!   `Authorization: Bearer` only when the key is a JWT (new `sb_secret_` keys are not).
//! - Filter values are built by [`Filter`], which quotes list members inside `in.(…)` and
//!   logic trees, as PostgREST requires; `eq` and friends take the raw value.
//! - Only idempotent requests are retried (reads and conditional writes), on 503, 520 and
//!   connection failures, honouring `Retry-After`, with bounded attempts.
//! - Error bodies `{code, message, details, hint}` become an [`ApiError`] that the store
//!   maps to attctl's typed errors.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::{HttpSettings, SupabaseSettings};
use crate::secret::{KeyKind, Secret};
use crate::error::{Error, Result};

/// Longest wait we honour from a `Retry-After` header.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

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

/// A PostgREST error answer.
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

    fn one_line(&self) -> String {
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

    /// The generic mapping; callers handle the codes that need their context first.
    pub(crate) fn into_error(self) -> Error {
        let code = self.code().to_string();
        match (self.status, code_class(&code), code.as_str()) {
            (_, CodeClass::MissingTable | CodeClass::MissingFunction, _) => Error::Schema(format!(
                "the database lacks attctl's tables or functions: apply supabase/migrations ({})",
                self.one_line()
            )),
            (_, CodeClass::MissingColumn, _) => Error::Schema(format!(
                "the database lacks a column attctl needs: apply the newest supabase/migrations ({})",
                self.one_line()
            )),
            (403, _, _) | (_, CodeClass::PermissionDenied, _) => Error::Auth(format!(
                "the key is not allowed to do this (use the service_role or secret key): {}",
                self.one_line()
            )),
            (_, CodeClass::JwtRejected, _) | (401, _, _) => Error::Auth(format!(
                "Supabase rejected the key: {} — check SUPABASE_SERVICE_ROLE_KEY",
                self.one_line()
            )),
            (_, _, "23505") => Error::Conflict(format!("already exists: {}", self.one_line())),
            (_, _, "23P01") => Error::Conflict(format!(
                "overlaps another session of the same class: {}",
                self.one_line()
            )),
            (_, _, "23503") => Error::NotFound {
                what: "referenced row",
                id: self.details.unwrap_or_default(),
            },
            (_, _, "23514" | "22007" | "22008" | "22P02" | "23502" | "22001") => {
                Error::Invalid(format!("rejected by the database: {}", self.one_line()))
            }
            (502..=504 | 520, _, _) | (_, _, "PGRST000" | "PGRST001" | "PGRST002") => {
                Error::Unavailable(format!(
                    "Supabase is unavailable right now: {}",
                    self.one_line()
                ))
            }
            (status, _, _) => {
                Error::Backend(format!("Supabase answered {status}: {}", self.one_line()))
            }
        }
    }
}

/// What a PostgreSQL or PostgREST error code means where attctl reacts to it: classified
/// once, here, for the store's mapping ([`ApiError::into_error`]) and doctor's checks.
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

/// Builds filter values with PostgREST's quoting rules.
pub(crate) struct Filter;

impl Filter {
    /// A value inside `in.(…)`, `or=(…)` or `and=(…)`: always double-quoted, with `\` and `"`
    /// escaped, so reserved characters (`,.:()`) cannot change the query.
    pub(crate) fn quoted(value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        for c in value.chars() {
            if c == '\\' || c == '"' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    }

    pub(crate) fn in_list<I, S>(values: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let items: Vec<String> = values
            .into_iter()
            .map(|v| Self::quoted(v.as_ref()))
            .collect();
        format!("in.({})", items.join(","))
    }
}

/// One request, described before it is sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub prefer: Vec<&'static str>,
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
    pub body: bytes_body::Body,
}

pub(crate) mod bytes_body {
    /// Raw body bytes, kept opaque so callers decode them once.
    #[derive(Debug, Default)]
    pub struct Body(pub Vec<u8>);
}

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

/// Is this key a JWT (legacy anon/service_role keys) rather than a new opaque key?
pub(crate) fn is_jwt(key: &str) -> bool {
    KeyKind::of(key) == KeyKind::Jwt
}

#[derive(Clone)]
pub struct PostgrestClient {
    http: reqwest::Client,
    base: String,
    /// `base` with any password in it masked, for messages.
    shown_base: String,
    max_attempts: u32,
}

impl std::fmt::Debug for PostgrestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgrestClient")
            .field("base", &self.shown_base)
            .finish_non_exhaustive()
    }
}

impl PostgrestClient {
    pub fn new(settings: &SupabaseSettings, http: &HttpSettings) -> Result<Self> {
        let headers = auth_headers(&settings.key)?;
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(http.timeout)
            .connect_timeout(http.connect_timeout)
            .user_agent(concat!("attctl/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let base = format!("{}/rest/v1", settings.url.trim_end_matches('/'));
        Ok(PostgrestClient {
            http: client,
            shown_base: crate::secret::redact_url(&base),
            base,
            max_attempts: http.max_attempts.max(1),
        })
    }

    /// The API base URL for messages (a password in it masked).
    pub(crate) fn base_url(&self) -> &str {
        &self.shown_base
    }

    /// The request as `--dry-run` shows it: method, URL (password masked) with its query
    /// as sent (values unencoded, for people), and body.
    pub fn describe(&self, req: &Request) -> crate::store::PlannedWrite {
        let mut target = format!("{}/{}", self.shown_base, req.path);
        for (i, (key, value)) in req.query.iter().enumerate() {
            target.push(if i == 0 { '?' } else { '&' });
            target.push_str(key);
            target.push('=');
            target.push_str(value);
        }
        crate::store::PlannedWrite {
            method: req.method.as_str().to_string(),
            target,
            body: req.body.clone(),
        }
    }

    /// Sends the request, retrying when allowed; returns the answer or why it failed.
    pub async fn send(&self, req: &Request) -> std::result::Result<Response, ClientError> {
        let mut attempt = 1;
        loop {
            match self.send_once(req).await {
                Ok(resp) => return Ok(resp),
                Err(Failure::Retryable { error, wait }) => {
                    let read_back =
                        req.retry == Retry::ReadBack && matches!(error, ClientError::Unanswered(_));
                    if req.retry == Retry::Never || read_back || attempt >= self.max_attempts {
                        return Err(error);
                    }
                    let backoff = Duration::from_millis(200 * 2u64.pow(attempt - 1));
                    tokio::time::sleep(wait.unwrap_or(backoff).min(MAX_RETRY_AFTER)).await;
                    attempt += 1;
                }
                Err(Failure::Final(error)) => return Err(error),
            }
        }
    }

    async fn send_once(&self, req: &Request) -> std::result::Result<Response, Failure> {
        let url = format!("{}/{}", self.base, req.path);
        let mut builder = self
            .http
            .request(req.method.clone(), &url)
            .query(&req.query);
        if !req.prefer.is_empty() {
            builder = builder.header("Prefer", req.prefer.join(", "));
        }
        builder = builder.header(
            "Accept",
            if req.single_object {
                "application/vnd.pgrst.object+json"
            } else {
                "application/json"
            },
        );
        if let Some(body) = &req.body {
            builder = builder.json(body);
        }
        let resp = builder.send().await.map_err(|e| transport_failure(&e))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let content_range = resp
            .headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp
            .bytes()
            .await
            .map_err(|e| transport_failure(&e))?
            .to_vec();
        if status.is_success() {
            return Ok(Response {
                status,
                content_range,
                body: bytes_body::Body(body),
            });
        }
        let mut api: ApiError = serde_json::from_slice(&body).unwrap_or_else(|_| ApiError {
            message: Some(
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(200)
                    .collect::<String>(),
            )
            .filter(|m| !m.trim().is_empty())
            .or_else(|| status.canonical_reason().map(str::to_string)),
            ..Default::default()
        });
        api.status = status.as_u16();
        let error = ClientError::Api(api);
        if matches!(status.as_u16(), 503 | 520) {
            Err(Failure::Retryable {
                error,
                wait: retry_after,
            })
        } else {
            Err(Failure::Final(error))
        }
    }
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

impl From<ClientError> for Error {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Api(api) => api.into_error(),
            ClientError::Transport(error) | ClientError::Unanswered(error) => error,
        }
    }
}

enum Failure {
    Retryable {
        error: ClientError,
        wait: Option<Duration>,
    },
    Final(ClientError),
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

fn transport_failure(e: &reqwest::Error) -> Failure {
    let what = transport_reason(e);
    let host = e
        .url()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "the server".into());
    let error = if e.is_connect() {
        ClientError::Transport(Error::Unavailable(format!("Supabase at {host} {what}")))
    } else {
        ClientError::Unanswered(Error::Unavailable(format!(
            "Supabase at {host}: the request was sent but no answer came back ({what})"
        )))
    };
    if e.is_connect() || e.is_timeout() || e.is_request() {
        Failure::Retryable { error, wait: None }
    } else {
        Failure::Final(error)
    }
}

fn auth_headers(key: &Secret) -> Result<HeaderMap> {
    let bad =
        || Error::Config("the Supabase key contains characters not allowed in a header".into());
    let mut headers = HeaderMap::new();
    let mut apikey = HeaderValue::from_str(key.expose()).map_err(|_| bad())?;
    apikey.set_sensitive(true);
    headers.insert("apikey", apikey);
    if is_jwt(key.expose()) {
        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| bad())?;
        bearer.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, bearer);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A loopback HTTP server answering each request with the next canned response (the
    /// last one repeats), counting requests.
    async fn canned_server(responses: Vec<&'static str>) -> (String, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                let reply = responses[n.min(responses.len() - 1)];
                let mut buf = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        });
        (url, count)
    }

    const UNAVAILABLE: &str = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 53\r\n\r\n{\"code\":\"PGRST001\",\"message\":\"Database client error\"}";
    const OK_EMPTY: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Range: */0\r\nConnection: close\r\nContent-Length: 2\r\n\r\n[]";

    fn client_for(url: &str) -> PostgrestClient {
        PostgrestClient::new(
            &SupabaseSettings {
                url: url.to_string(),
                key: Secret::new("sb_secret_test"),
            },
            &HttpSettings::default(),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn reads_are_retried_on_503_and_writes_are_not() {
        let (url, count) = canned_server(vec![UNAVAILABLE, UNAVAILABLE, OK_EMPTY]).await;
        let client = client_for(&url);
        let resp = client
            .send(&Request::new(Method::GET, "teaching_sessions"))
            .await
            .unwrap();
        assert_eq!(resp.total(), Some(0));
        assert_eq!(count.load(Ordering::SeqCst), 3, "two retries, then success");

        let (url, count) = canned_server(vec![UNAVAILABLE, OK_EMPTY]).await;
        let client = client_for(&url);
        let err = client
            .send(&Request::new(Method::POST, "teaching_sessions").body(serde_json::json!({})))
            .await
            .unwrap_err();
        match Error::from(err) {
            Error::Unavailable(msg) => assert!(msg.contains("PGRST001"), "{msg}"),
            other => panic!("expected Unavailable, got {other:?}"),
        }
        assert_eq!(count.load(Ordering::SeqCst), 1, "a POST is never retried");

        let (url, count) = canned_server(vec![UNAVAILABLE]).await;
        let client = client_for(&url);
        let err = client
            .send(&Request::new(Method::PATCH, "teaching_sessions").retry(Retry::Idempotent))
            .await
            .unwrap_err();
        assert!(matches!(Error::from(err), Error::Unavailable(_)));
        assert_eq!(count.load(Ordering::SeqCst), 3, "attempts are bounded");
    }

    #[test]
    fn list_values_are_quoted_and_escaped() {
        assert_eq!(
            Filter::in_list(["a", "b.(c)", "x,y", r#"q"uote\"#]),
            r#"in.("a","b.(c)","x,y","q\"uote\\")"#
        );
    }

    #[test]
    fn content_range_totals() {
        assert_eq!(parse_content_range_total("0-999/12345"), Some(12345));
        assert_eq!(parse_content_range_total("*/0"), Some(0));
        assert_eq!(parse_content_range_total("0-9/*"), None);
        assert_eq!(parse_content_range_total("garbage"), None);
    }

    #[test]
    fn only_jwts_are_sent_as_bearer() {
        assert!(is_jwt(
            "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.sig"
        ));
        assert!(!is_jwt("sb_secret_abcdef"));
        assert!(!is_jwt("sb_publishable_abc.def.ghi"));
    }

    #[test]
    fn error_codes_map_to_typed_errors() {
        let e = |status, code: &str| {
            ApiError {
                status,
                code: Some(code.into()),
                message: Some("m".into()),
                ..Default::default()
            }
            .into_error()
        };
        assert!(matches!(e(404, "42P01"), Error::Schema(_)));
        assert!(matches!(e(404, "PGRST205"), Error::Schema(_)));
        assert!(matches!(e(401, "PGRST301"), Error::Auth(_)));
        assert!(matches!(e(409, "23505"), Error::Conflict(_)));
        assert!(matches!(e(400, "23514"), Error::Invalid(_)));
        assert!(matches!(e(503, "PGRST001"), Error::Unavailable(_)));
        assert!(matches!(e(500, "XX000"), Error::Backend(_)));
    }
}
