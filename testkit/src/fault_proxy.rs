//! A fault-injection TCP proxy for HTTP/1.1 on loopback: it sits between a client (attctl)
//! and a server (the gateway) and, when told to, loses answers the way real networks do.
//!
//! Every client connection carries one request: the proxy reads it (head and
//! `Content-Length` body), forwards it upstream with `Connection: close`, and reads the whole
//! answer before deciding what the client gets. So with [`Fault::DropReply`] the server has
//! finished (committed) the request before the client sees its connection close: exactly
//! the "did my write happen?" case. The fault can be switched at any time from the test
//! thread and applies to the requests that start afterwards.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// What happens to the requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass everything through.
    None,
    /// Forward the request, wait for the server's full answer, then close the client's
    /// connection without a byte of it.
    DropReply,
    /// Hold the answer this long before passing it on.
    Delay(Duration),
    /// Pass on the head and half of the body, then reset the connection (RST).
    ResetMidBody,
    /// Answer `503 Service Unavailable` (with `Retry-After: 0`) without forwarding, for the
    /// next `n` requests; then pass through.
    Unavailable(u32),
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Everything but GET and HEAD.
    Writes,
}

#[derive(Debug)]
struct State {
    fault: Fault,
    scope: Scope,
    /// Requests seen, by method.
    seen: BTreeMap<String, u64>,
    /// Requests the fault was applied to.
    faulted: u64,
    /// Requests in scope still let through before the fault starts.
    skip: u32,
}

/// A running proxy; stops on drop.
pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts a proxy on a free 127.0.0.1 port in front of `upstream`: `host:port` or an
    /// `http://host:port` URL.
    pub fn start(upstream: &str) -> anyhow::Result<FaultProxy> {
        let upstream = upstream
            .trim()
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").context("binding")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            fault: Fault::None,
            scope: Scope::All,
            seen: BTreeMap::new(),
            faulted: 0,
            skip: 0,
        }));
        let (stop_tx, stop_rx) = oneshot::channel();
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name("fault-proxy".into())
            .spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(std_listener) else {
                        return;
                    };
                    tokio::select! {
                        _ = stop_rx => {}
                        _ = accept_loop(listener, upstream, shared) => {}
                    }
                });
            })
            .context("spawning the proxy thread")?;
        Ok(FaultProxy {
            addr,
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, to use instead of the upstream's URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Applies `fault` to the `scope` requests that start from now on.
    pub fn set(&self, fault: Fault, scope: Scope) {
        self.set_after(0, fault, scope);
    }

    /// Lets the next `skip` requests in `scope` through, then applies `fault`.
    pub fn set_after(&self, skip: u32, fault: Fault, scope: Scope) {
        let mut s = self.lock();
        s.fault = fault;
        s.scope = scope;
        s.skip = skip;
    }

    /// Passes everything through again.
    pub fn clear(&self) {
        self.set(Fault::None, Scope::All);
    }

    /// Requests seen so far with this method.
    pub fn seen(&self, method: &str) -> u64 {
        self.lock().seen.get(method).copied().unwrap_or(0)
    }

    /// Requests a fault was applied to so far.
    pub fn faulted(&self) -> u64 {
        self.lock().faulted
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(listener: TcpListener, upstream: String, state: Arc<Mutex<State>>) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        let upstream = upstream.clone();
        let state = state.clone();
        tokio::spawn(async move {
            let _ = serve(client, &upstream, &state).await;
        });
    }
}

/// Longest request head we read.
const MAX_HEAD: usize = 64 * 1024;

async fn serve(mut client: TcpStream, upstream: &str, state: &Mutex<State>) -> anyhow::Result<()> {
    let (head, mut body) = read_request(&mut client).await?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let method = text.split_whitespace().next().unwrap_or("").to_string();
    let fault = {
        let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
        *s.seen.entry(method.clone()).or_default() += 1;
        let mut applies = match s.scope {
            Scope::All => true,
            Scope::Writes => method != "GET" && method != "HEAD",
        };
        if applies && s.skip > 0 {
            s.skip -= 1;
            applies = false;
        }
        let fault = if applies { s.fault } else { Fault::None };
        if fault != Fault::None {
            s.faulted += 1;
        }
        if let Fault::Unavailable(n) = s.fault
            && applies
        {
            s.fault = if n <= 1 {
                Fault::None
            } else {
                Fault::Unavailable(n - 1)
            };
        }
        fault
    };
    if let Fault::Unavailable(_) = fault {
        let msg = br#"{"code":"PGRST000","message":"injected: service unavailable","details":null,"hint":null}"#;
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            msg.len()
        );
        client.write_all(answer.as_bytes()).await?;
        client.write_all(msg).await?;
        client.shutdown().await?;
        return Ok(());
    }
    // Forward with `Connection: close`, so the answer ends where the connection does.
    let mut forwarded = Vec::with_capacity(head.len() + body.len() + 32);
    for (i, line) in text.split("\r\n").enumerate() {
        if line.is_empty() {
            continue;
        }
        if i > 0 && line.to_ascii_lowercase().starts_with("connection:") {
            continue;
        }
        forwarded.extend_from_slice(line.as_bytes());
        forwarded.extend_from_slice(b"\r\n");
    }
    forwarded.extend_from_slice(b"connection: close\r\n\r\n");
    forwarded.append(&mut body);
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&forwarded).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;
    match fault {
        Fault::DropReply => {
            // The server has answered (and committed); the client gets nothing.
            drop(client);
        }
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            client.write_all(&answer).await?;
            client.shutdown().await?;
        }
        Fault::ResetMidBody => {
            let body_start = find(&answer, b"\r\n\r\n").map(|i| i + 4).unwrap_or(0);
            let cut = body_start + (answer.len() - body_start) / 2;
            client
                .write_all(&answer[..cut.max(1).min(answer.len())])
                .await?;
            client.flush().await?;
            // SO_LINGER 0: closing sends RST instead of FIN.
            #[allow(deprecated)]
            let _ = client.set_linger(Some(Duration::ZERO));
            drop(client);
        }
        Fault::None | Fault::Unavailable(_) => {
            client.write_all(&answer).await?;
            client.shutdown().await?;
        }
    }
    Ok(())
}

/// Reads one request: its head (through the blank line) and its `Content-Length` body.
async fn read_request(client: &mut TcpStream) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        anyhow::ensure!(buf.len() <= MAX_HEAD, "request head too long");
        let n = client.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed before a full request");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = buf[..head_end].to_vec();
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = client.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed inside the request body");
        body.extend_from_slice(&chunk[..n]);
    }
    Ok((head, body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
