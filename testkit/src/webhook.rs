//! A webhook receiver on loopback that checks Standard Webhooks signatures the way a real
//! receiver does (its own HMAC-SHA256 over `id.timestamp.body`, timestamps within five
//! minutes), records every request, and can be told to answer errors (to everything, or to
//! one event type), to be slow, to redirect, to answer with a huge body, or to go down and
//! come back on the same port.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use crate::jwt::hmac_sha256;
use crate::loopback::{LoopbackServer, wait_until};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// `POST`, or `GET` when a client followed a redirect here.
    pub method: String,
    pub id: Option<String>,
    pub timestamp: Option<i64>,
    /// The signature header is present and one of its `v1,` values matches.
    pub signature_valid: bool,
    pub body: serde_json::Value,
    /// What the receiver answered.
    pub answered: u16,
    pub at: SystemTime,
}

/// The deliveries of one event type for one session (`data.session.id`).
pub fn of_session<'a>(deliveries: &'a [Delivery], id: i64, kind: &str) -> Vec<&'a Delivery> {
    deliveries
        .iter()
        .filter(|d| d.body["type"] == kind && d.body["data"]["session"]["id"] == id)
        .collect()
}

#[derive(Default)]
struct Behaviour {
    /// Statuses to answer before answering 200 again.
    fail_next: Vec<u16>,
    /// Event types answered with a status until told otherwise.
    fail_types: Vec<(String, u16)>,
    /// Every request answered with this redirect (status, `Location`).
    redirect: Option<(u16, String)>,
    /// Bytes of the answer's body (`ok` when 0), sent as they are read.
    body_bytes: u64,
    delay: Duration,
}

struct Shared {
    key: Vec<u8>,
    /// Requests received and not yet answered.
    in_flight: std::sync::atomic::AtomicUsize,
    deliveries: Mutex<Vec<Delivery>>,
    behaviour: Mutex<Behaviour>,
}

pub struct WebhookReceiver {
    shared: Arc<Shared>,
    server: LoopbackServer,
}

impl WebhookReceiver {
    /// Starts a receiver for `secret` (`whsec_<base64>`).
    pub fn start(secret: &str) -> anyhow::Result<Self> {
        let b64 = secret.strip_prefix("whsec_").unwrap_or(secret);
        let key = STANDARD
            .decode(b64)
            .context("decoding the webhook secret")?;
        let shared = Arc::new(Shared {
            key,
            in_flight: std::sync::atomic::AtomicUsize::new(0),
            deliveries: Mutex::new(Vec::new()),
            behaviour: Mutex::new(Behaviour::default()),
        });
        let served = shared.clone();
        let server = LoopbackServer::start("webhook receiver", move |stream| {
            let shared = served.clone();
            async move {
                let service = service_fn(move |req| handle(shared.clone(), req));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            }
        })?;
        Ok(WebhookReceiver { shared, server })
    }

    /// A fresh random secret in the `whsec_` form.
    pub fn new_secret() -> String {
        use std::hash::{BuildHasher, Hasher};
        let mut bytes = Vec::with_capacity(32);
        for i in 0..4u64 {
            // RandomState is seeded from the OS: enough for a test secret.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(i);
            bytes.extend_from_slice(&h.finish().to_le_bytes());
        }
        format!("whsec_{}", STANDARD.encode(bytes))
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.server.port())
    }

    /// Requests being answered right now (received, answer not yet sent).
    pub fn in_flight(&self) -> usize {
        self.shared
            .in_flight
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared
            .deliveries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Answers these statuses to the next requests, in order, then 200 again.
    pub fn fail_next(&self, statuses: &[u16]) {
        self.shared
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .fail_next = statuses.to_vec();
    }

    /// Answers `status` to every request of this event type (`body.type`) from now on;
    /// [`WebhookReceiver::clear_type_failures`] ends it.
    pub fn fail_type(&self, kind: &str, status: u16) {
        self.behaviour().fail_types.push((kind.to_string(), status));
    }

    pub fn clear_type_failures(&self) {
        self.behaviour().fail_types.clear();
    }

    /// Answers every request with a redirect (`status`, e.g. 301, 302, 303 or 307) to
    /// `location`; `None` answers normally again.
    pub fn redirect(&self, to: Option<(u16, &str)>) {
        self.behaviour().redirect = to.map(|(s, l)| (s, l.to_string()));
    }

    /// Answers with a body of `bytes` bytes, generated as the client reads it (nothing that
    /// size is ever held here); 0 answers `ok`.
    pub fn set_body_size(&self, bytes: u64) {
        self.behaviour().body_bytes = bytes;
    }

    fn behaviour(&self) -> std::sync::MutexGuard<'_, Behaviour> {
        self.shared
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Waits this long before answering each request.
    pub fn set_delay(&self, delay: Duration) {
        self.shared
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .delay = delay;
    }

    /// Stops listening: connections are refused until [`WebhookReceiver::resume`].
    pub fn pause(&mut self) {
        self.server.pause();
    }

    /// Listens again on the same port.
    pub fn resume(&mut self) -> anyhow::Result<()> {
        self.server.resume()
    }

    /// Waits until `pred` holds for the deliveries so far.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&[Delivery]) -> bool) -> bool {
        wait_until(timeout, || self.deliveries(), |d| pred(d))
    }
}

fn header(req: &Request<Incoming>, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A body of `remaining` bytes, handed out in chunks as the client reads.
pub struct RepeatBody {
    chunk: Bytes,
    remaining: u64,
}

impl Body for RepeatBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = self
            .chunk
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        self.remaining -= n as u64;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.slice(..n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

type Answer = Either<Full<Bytes>, RepeatBody>;

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Answer>, hyper::Error> {
    shared
        .in_flight
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let method = req.method().to_string();
    let id = header(&req, "webhook-id");
    let timestamp = header(&req, "webhook-timestamp").and_then(|t| t.parse::<i64>().ok());
    let signature = header(&req, "webhook-signature");
    let body = req.into_body().collect().await?.to_bytes();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let signature_valid = match (&id, timestamp, &signature) {
        (Some(id), Some(ts), Some(sig)) if (now - ts).abs() <= 300 => {
            let signed = [format!("{id}.{ts}.").as_bytes(), &body[..]].concat();
            let expected = format!("v1,{}", STANDARD.encode(hmac_sha256(&shared.key, &signed)));
            sig.split(' ').any(|s| s == expected)
        }
        _ => false,
    };
    let parsed: serde_json::Value =
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    let (status, redirect, body_bytes, delay) = {
        let mut b = shared.behaviour.lock().unwrap_or_else(|p| p.into_inner());
        let by_type = b
            .fail_types
            .iter()
            .find(|(kind, _)| parsed["type"] == kind.as_str())
            .map(|(_, status)| *status);
        let status = match (&b.redirect, by_type) {
            (Some((status, _)), _) => *status,
            (None, Some(status)) => status,
            (None, None) if b.fail_next.is_empty() => 200,
            (None, None) => b.fail_next.remove(0),
        };
        (status, b.redirect.clone(), b.body_bytes, b.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    shared
        .deliveries
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Delivery {
            method,
            id,
            timestamp,
            signature_valid,
            body: parsed,
            answered: status,
            at: SystemTime::now(),
        });
    shared
        .in_flight
        .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    let body = if body_bytes == 0 {
        Either::Left(Full::new(Bytes::from_static(b"ok")))
    } else {
        Either::Right(RepeatBody {
            chunk: Bytes::from(vec![b'x'; 64 * 1024]),
            remaining: body_bytes,
        })
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    if let Some((_, location)) = redirect
        && let Ok(value) = hyper::header::HeaderValue::from_str(&location)
    {
        resp.headers_mut().insert(hyper::header::LOCATION, value);
    }
    Ok(resp)
}
