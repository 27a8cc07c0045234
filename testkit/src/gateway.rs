//! An in-process stand-in for Supabase's API gateway: `/rest/v1/*` is proxied to PostgREST
//! after the API-key handling Supabase does in front of it.

use std::convert::Infallible;
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::Context;
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::sync::oneshot;

use crate::auth::AuthServer;
use crate::jwt;

/// What the gateway needs to know; shared by all connections.
pub(crate) struct GatewayConfig {
    pub upstream_port: u16,
    pub jwt_secret: String,
    /// `sb_secret_...`: maps to the service_role.
    pub secret_key: String,
    /// `sb_publishable_...`: maps to anon.
    pub publishable_key: String,
    /// Requests received, by `METHOD /path` (query left out), for benchmarks and tests
    /// that count what a command sends.
    pub requests: RequestLog,
    /// The key headers of every request, as the client sent them (tests assert on what a
    /// client really sends, not on what the gateway made of it).
    pub received: ReceivedLog,
    /// Requests being answered at once, by `METHOD /path`: now and at most.
    pub in_flight: InFlightLog,
    /// Supabase Auth at `/auth/v1/*`.
    pub auth: Arc<AuthServer>,
}

/// Counts of requests by `METHOD /path`.
pub type RequestLog = Arc<std::sync::Mutex<std::collections::BTreeMap<String, u64>>>;

/// Per `METHOD /path`: requests being answered now, and the most there have been at once.
pub type InFlightLog = Arc<std::sync::Mutex<std::collections::BTreeMap<String, (u32, u32)>>>;

/// Counts a request in [`InFlightLog`] until it is answered (dropped with `handle`'s future,
/// so a client that hangs up is counted out too).
struct InFlightGuard {
    log: InFlightLog,
    route: String,
}

impl InFlightGuard {
    fn enter(log: &InFlightLog, route: &str) -> Self {
        if let Ok(mut map) = log.lock() {
            let entry = map.entry(route.to_string()).or_insert((0, 0));
            entry.0 += 1;
            entry.1 = entry.1.max(entry.0);
        }
        InFlightGuard {
            log: log.clone(),
            route: route.to_string(),
        }
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if let Ok(mut map) = self.log.lock()
            && let Some(entry) = map.get_mut(&self.route)
        {
            entry.0 = entry.0.saturating_sub(1);
        }
    }
}

/// The headers that carry keys, of one request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// `METHOD /path`.
    pub route: String,
    /// The query string, percent-decoded (`+` left as is: PostgREST values never hold one
    /// that attctl encodes so).
    pub query: Option<String>,
    pub apikey: Option<String>,
    pub authorization: Option<String>,
}

/// Every request's key headers, in arrival order.
pub type ReceivedLog = Arc<std::sync::Mutex<Vec<ReceivedRequest>>>;

pub(crate) struct Gateway {
    pub port: u16,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

type Body = BoxBody<Bytes, hyper::Error>;

struct State {
    config: GatewayConfig,
    client: Client<HttpConnector, Incoming>,
}

impl Gateway {
    /// Binds 127.0.0.1 on a free port and serves from a dedicated thread with its own runtime.
    pub(crate) fn start(config: GatewayConfig) -> anyhow::Result<Gateway> {
        let listener =
            std::net::TcpListener::bind(("127.0.0.1", 0)).context("binding the gateway port")?;
        listener
            .set_nonblocking(true)
            .context("making the gateway socket non-blocking")?;
        let port = listener
            .local_addr()
            .context("reading the gateway port")?
            .port();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the gateway's tokio runtime")?;
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("attctl-testkit-gateway".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => serve(listener, config, shutdown_rx).await,
                        Err(e) => eprintln!("attctl-testkit: gateway cannot listen: {e}"),
                    }
                });
            })
            .context("starting the gateway thread")?;
        Ok(Gateway {
            port,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    pub(crate) fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: tokio::net::TcpListener,
    config: GatewayConfig,
    mut shutdown: oneshot::Receiver<()>,
) {
    // No connection pooling towards PostgREST: a pooled connection to a PostgREST that was
    // stopped and started again would fail the next request. Loopback connects are cheap.
    let client = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(0)
        .build_http::<Incoming>();
    let state = Arc::new(State { config, client });
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(conn) => conn,
                    Err(_) => {
                        // EMFILE and the like: back off instead of spinning.
                        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                        continue;
                    }
                };
                // As Supabase's gateway does (nginx's `tcp_nodelay on`): without it, the last
                // chunk of an answer on a kept-alive connection waits for the client's
                // delayed ACK, adding 40 ms to every request after a connection's first.
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(state.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

/// `%XX` escapes decoded (bytes that do not form UTF-8 are replaced).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn json_response(status: StatusCode, message: &str) -> Response<Body> {
    let body = serde_json::json!({ "message": message }).to_string();
    let mut response = Response::new(
        Full::new(Bytes::from(body))
            .map_err(|never| match never {})
            .boxed(),
    );
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Headers that describe one hop and must not be forwarded (RFC 9110 7.6.1).
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let listed: Vec<HeaderName> = headers
        .get_all(hyper::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in listed {
        headers.remove(name);
    }
    for name in [
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    ] {
        headers.remove(name);
    }
}

/// The bearer token of an Authorization header, if it has one.
/// A request to Supabase Auth: the gateway's key check, then the auth server's answer.
async fn auth_answer(state: &State, path: String, req: Request<Incoming>) -> Response<Body> {
    let config = &state.config;
    let known_key = req
        .headers()
        .get("apikey")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .is_some_and(|key| {
            key == config.secret_key
                || key == config.publishable_key
                || jwt::verify_hs256(config.jwt_secret.as_bytes(), key).is_ok()
        });
    if req.headers().get("apikey").is_none() {
        return json_response(StatusCode::UNAUTHORIZED, "No API key found in request");
    }
    if !known_key {
        return json_response(StatusCode::UNAUTHORIZED, "Invalid API key");
    }
    let method = req.method().as_str().to_string();
    let query = req.uri().query().map(percent_decode);
    let token = bearer(req.headers()).map(str::to_string);
    let body = match req.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let (status, answer) =
        config
            .auth
            .handle(&method, &path, query.as_deref(), token.as_deref(), &body);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = if answer.is_null() {
        Full::new(Bytes::new())
    } else {
        Full::new(Bytes::from(answer.to_string()))
    };
    let mut response = Response::new(body.map_err(|never| match never {}).boxed());
    *response.status_mut() = status;
    if !answer.is_null() {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path();
    let route = format!("{} {path}", req.method());
    if let Ok(mut log) = state.config.requests.lock() {
        *log.entry(route.clone()).or_insert(0) += 1;
    }
    let _in_flight = InFlightGuard::enter(&state.config.in_flight, &route);
    if let Ok(mut log) = state.config.received.lock() {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        log.push(ReceivedRequest {
            route,
            query: req.uri().query().map(percent_decode),
            apikey: header("apikey"),
            authorization: header("authorization"),
        });
    }
    if let Some(auth_path) = path.strip_prefix("/auth/v1/") {
        return Ok(auth_answer(&state, auth_path.to_string(), req).await);
    }
    // Routing first, like Kong: unknown paths are 404 whatever the key.
    let upstream_path = if path == "/rest/v1" {
        "/".to_string()
    } else if let Some(rest) = path.strip_prefix("/rest/v1/") {
        format!("/{rest}")
    } else {
        return Ok(json_response(
            StatusCode::NOT_FOUND,
            "no Route matched with those values",
        ));
    };

    let apikey = match req.headers().get("apikey") {
        None => {
            return Ok(json_response(
                StatusCode::UNAUTHORIZED,
                "No API key found in request",
            ));
        }
        Some(v) => match v.to_str() {
            Ok(v) => v.trim().to_string(),
            Err(_) => return Ok(json_response(StatusCode::UNAUTHORIZED, "Invalid API key")),
        },
    };

    let (parts, body) = req.into_parts();
    let mut headers = parts.headers;
    strip_hop_by_hop(&mut headers);
    headers.remove(HOST);

    let config = &state.config;
    // Role the gateway itself vouches for (new opaque keys), if any.
    let opaque_role = if jwt::looks_like_jwt(&apikey) {
        None
    } else if apikey == config.secret_key {
        Some("service_role")
    } else if apikey == config.publishable_key {
        Some("anon")
    } else {
        return Ok(json_response(StatusCode::UNAUTHORIZED, "Invalid API key"));
    };
    match opaque_role {
        // Legacy JWT key: it doubles as the bearer token unless the client sent one (a user
        // session); PostgREST verifies the signature and expiry.
        None => {
            if !headers.contains_key(AUTHORIZATION)
                && let Ok(value) = HeaderValue::from_str(&format!("Bearer {apikey}"))
            {
                headers.insert(AUTHORIZATION, value);
            }
        }
        // New key: PostgREST only understands JWTs, so the gateway mints a short-lived one
        // for the key's role. An absent header, or a copy of the opaque key (what supabase-js
        // sends), is replaced; anything else goes through as sent, as on Supabase: a user
        // JWT works, and any other value (an opaque key that is not this request's apikey)
        // is refused by PostgREST with 401.
        Some(role) => {
            let replace = match headers.get(AUTHORIZATION) {
                None => true,
                Some(_) => bearer(&headers) == Some(apikey.as_str()),
            };
            if replace {
                let token = jwt::mint(&config.jwt_secret, role, 300);
                if let Ok(value) = HeaderValue::from_str(&format!("Bearer {token}")) {
                    headers.insert(AUTHORIZATION, value);
                }
            }
        }
    }

    let path_and_query = match parts.uri.query() {
        Some(q) => format!("{upstream_path}?{q}"),
        None => upstream_path,
    };
    let uri: Uri = match format!(
        "http://127.0.0.1:{}{}",
        config.upstream_port, path_and_query
    )
    .parse()
    {
        Ok(uri) => uri,
        Err(_) => {
            return Ok(json_response(
                StatusCode::BAD_REQUEST,
                "Invalid request path",
            ));
        }
    };

    let mut upstream = Request::new(body);
    *upstream.method_mut() = parts.method;
    *upstream.uri_mut() = uri;
    *upstream.headers_mut() = headers;

    match state.client.request(upstream).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            strip_hop_by_hop(&mut parts.headers);
            Ok(Response::from_parts(parts, body.boxed()))
        }
        // Connection refused or reset: PostgREST is not running. Supabase's gateway then
        // answers with a 5xx and a JSON message.
        Err(_) => Ok(json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable: the database API (PostgREST) is not reachable",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_are_removed() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "connection",
            HeaderValue::from_static("keep-alive, x-private"),
        );
        headers.insert("x-private", HeaderValue::from_static("1"));
        headers.insert("transfer-encoding", HeaderValue::from_static("chunked"));
        headers.insert("prefer", HeaderValue::from_static("return=representation"));
        strip_hop_by_hop(&mut headers);
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key("prefer"));
    }

    #[test]
    fn bearer_token_is_extracted() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer abc"));
        assert_eq!(bearer(&headers), Some("abc"));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&headers), None);
    }
}
