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
//!
//! The words of a request and its answer ([`Request`], [`Response`], [`ApiError`],
//! [`ClientError`], [`Retry`]) and how a client is built are [`crate::http`]'s, re-exported
//! here for the store's files; this module adds Supabase's address, keys and errors.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::auth::{AuthApi, CredentialStore, StaffTokens};
use crate::config::{HttpSettings, SupabaseAccess, SupabaseSettings};
use crate::error::{Error, Result};
pub(crate) use crate::http::{ApiError, ClientError, Request, Response, Retry};
use crate::http::{Body, CodeClass, code_class, transport_reason};
use crate::secret::{KeyKind, Secret};

/// Longest wait we honour from a `Retry-After` header.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// A PostgREST error answer as attctl's error: the generic mapping; callers handle the
/// codes that need their context first.
fn api_error(api: ApiError) -> Error {
    let code = api.code().to_string();
    match (api.status, code_class(&code), code.as_str()) {
        (_, CodeClass::MissingTable | CodeClass::MissingFunction, _) => Error::Schema(format!(
            "the database lacks attctl's tables or functions: apply supabase/migrations ({})",
            api.one_line()
        )),
        (_, CodeClass::MissingColumn, _) => Error::Schema(format!(
            "the database lacks a column attctl needs: apply the newest supabase/migrations ({})",
            api.one_line()
        )),
        (403, _, _) | (_, CodeClass::PermissionDenied, _) => Error::Auth(format!(
            "the key is not allowed to do this (use the service_role or secret key): {}",
            api.one_line()
        )),
        (_, CodeClass::JwtRejected, _) | (401, _, _) => Error::Auth(format!(
            "Supabase rejected the key: {} — check SUPABASE_SERVICE_ROLE_KEY",
            api.one_line()
        )),
        (_, _, "23505") => Error::Conflict(format!("already exists: {}", api.one_line())),
        (_, _, "23P01") => Error::Conflict(format!(
            "overlaps another session of the same class: {}",
            api.one_line()
        )),
        (_, _, "23503") => Error::NotFound {
            what: "referenced row",
            id: api.details.unwrap_or_default(),
        },
        (_, _, "23514" | "22007" | "22008" | "22P02" | "23502" | "22001") => {
            Error::Invalid(format!("rejected by the database: {}", api.one_line()))
        }
        (502..=504 | 520, _, _) | (_, _, "PGRST000" | "PGRST001" | "PGRST002") => {
            Error::Unavailable(format!(
                "Supabase is unavailable right now: {}",
                api.one_line()
            ))
        }
        (status, _, _) => Error::Backend(format!("Supabase answered {status}: {}", api.one_line())),
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
    /// On a staff machine: the signed-in person, whose access token every request carries.
    staff: Option<Arc<StaffSignIn>>,
    /// Sent with every request besides the key (the register switches, read by the
    /// closing trigger: [`crate::registers`]).
    extra_headers: HeaderMap,
}

/// A staff machine's sign-in: the tokens, and whether the person is staff at all (asked
/// once per process, before the first request, so that RLS's silent empty answers never
/// pass for "nothing there").
#[derive(Debug)]
pub(crate) struct StaffSignIn {
    pub(crate) tokens: StaffTokens,
    pub(crate) identity: tokio::sync::OnceCell<Identity>,
}

/// Who the signed-in person is to the database (`rpc/attctl_whoami`).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct Identity {
    pub user_id: Option<String>,
    pub email: Option<String>,
    /// `teacher`, `admin`, or `None`: not staff.
    pub role: Option<String>,
    #[serde(default)]
    pub classes: Vec<IdentityClass>,
}

/// A class the signed-in person teaches.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct IdentityClass {
    pub id: i64,
    pub name: String,
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
        let staff = match settings.access {
            SupabaseAccess::ServiceKey => None,
            SupabaseAccess::Staff => Some(Arc::new(StaffSignIn {
                tokens: StaffTokens::new(
                    AuthApi::new(&settings.url, &settings.key, http.timeout)?,
                    CredentialStore::for_project(&settings.url),
                ),
                identity: tokio::sync::OnceCell::new(),
            })),
        };
        let headers = auth_headers(&settings.key, staff.is_none())?;
        let client = crate::http::client(http.timeout, http.connect_timeout)
            .user_agent(crate::http::USER_AGENT)
            .default_headers(headers)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let base = format!("{}/rest/v1", settings.url.trim_end_matches('/'));
        Ok(PostgrestClient {
            http: client,
            shown_base: crate::secret::redact_url(&base),
            base,
            max_attempts: http.max_attempts.max(1),
            staff,
            extra_headers: HeaderMap::new(),
        })
    }

    /// The same client, sending these headers with every request too.
    pub(crate) fn with_headers(mut self, headers: &[(&'static str, String)]) -> Result<Self> {
        for (name, value) in headers {
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("header {name} cannot hold {value:?}")))?;
            self.extra_headers.insert(*name, value);
        }
        Ok(self)
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

    /// Who the signed-in person is, asked of the database once per process; `None` with
    /// a service key.
    pub async fn identity(&self) -> Result<Option<Identity>> {
        let Some(staff) = &self.staff else {
            return Ok(None);
        };
        let identity = staff
            .identity
            .get_or_try_init(|| async {
                let req = Request::new(reqwest::Method::POST, "rpc/attctl_whoami")
                    .body(serde_json::json!({}))
                    .retry(Retry::Idempotent);
                let resp = self.send_unchecked(&req).await.map_err(Error::from)?;
                resp.json::<Identity>()
            })
            .await?;
        Ok(Some(identity.clone()))
    }

    /// Sends the request, retrying when allowed; returns the answer or why it failed. On a
    /// staff machine the person must be staff: anyone else is refused before the request.
    pub async fn send(&self, req: &Request) -> std::result::Result<Response, ClientError> {
        if self.staff.is_some() {
            let identity = self.identity().await.map_err(ClientError::Transport)?;
            if let Some(identity) = identity
                && identity.role.is_none()
            {
                return Err(ClientError::Transport(not_staff(&identity)));
            }
        }
        self.send_unchecked(req).await
    }

    async fn send_unchecked(&self, req: &Request) -> std::result::Result<Response, ClientError> {
        let mut attempt = 1;
        let mut refreshed = false;
        loop {
            match self.send_once(req).await {
                // A staff token PostgREST refused (expired early, clock skew): one refresh.
                Err(Failure::Final(ClientError::Api(api)))
                    if api.status == 401 && !refreshed && self.staff.is_some() =>
                {
                    refreshed = true;
                    if let Some(staff) = &self.staff {
                        staff
                            .tokens
                            .refresh_now()
                            .await
                            .map_err(ClientError::Transport)?;
                    }
                }
                Err(Failure::Final(ClientError::Api(api)))
                    if self.staff.is_some() && is_refusal(&api) =>
                {
                    return Err(ClientError::Transport(staff_refused(&api)));
                }
                Ok(resp) => return Ok(resp),
                Err(Failure::Retryable { error, wait }) => {
                    let read_back =
                        req.retry == Retry::ReadBack && matches!(error, ClientError::Unanswered(_));
                    if req.retry == Retry::Never || read_back || attempt >= self.max_attempts {
                        return Err(error);
                    }
                    let backoff = crate::http::backoff(attempt);
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
        if !self.extra_headers.is_empty() {
            builder = builder.headers(self.extra_headers.clone());
        }
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
        if let Some(staff) = &self.staff {
            let token = staff
                .tokens
                .bearer()
                .await
                .map_err(|e| Failure::Final(ClientError::Transport(e)))?;
            builder = builder.bearer_auth(token);
        }
        let resp = builder.send().await.map_err(|e| transport_failure(&e))?;
        let status = resp.status();
        let retry_after = crate::http::retry_after(resp.headers());
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
                body: Body(body),
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

impl From<ClientError> for Error {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Api(api) => api_error(api),
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

/// Is this answer the database refusing the signed-in person (RLS, grants)?
fn is_refusal(api: &ApiError) -> bool {
    matches!(api.status, 401 | 403) || code_class(api.code()) == CodeClass::PermissionDenied
}

/// The database refused a signed-in person: what they may do instead.
fn staff_refused(api: &ApiError) -> Error {
    Error::Auth(format!(
        "the database refused this for your account ({}): teachers may change the sessions of their own classes only, and classes, holidays and staff are for admins; `attctl whoami` shows your role",
        api.one_line()
    ))
}

/// A signed-in person who is not staff.
fn not_staff(identity: &Identity) -> Error {
    let email = identity.email.as_deref().unwrap_or("this account");
    Error::Auth(format!(
        "signed in as {email}, who is not on this school's staff list: ask an admin to run `attctl staff add {email} --role teacher --class NAME`"
    ))
}

fn auth_headers(key: &Secret, bearer_key: bool) -> Result<HeaderMap> {
    let bad =
        || Error::Config("the Supabase key contains characters not allowed in a header".into());
    let mut headers = HeaderMap::new();
    let mut apikey = HeaderValue::from_str(key.expose()).map_err(|_| bad())?;
    apikey.set_sensitive(true);
    headers.insert("apikey", apikey);
    if bearer_key && is_jwt(key.expose()) {
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

    use reqwest::Method;

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
                access: SupabaseAccess::ServiceKey,
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
            api_error(ApiError {
                status,
                code: Some(code.into()),
                message: Some("m".into()),
                ..Default::default()
            })
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
