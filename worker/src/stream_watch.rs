//! Sees the SDK's action stream die, which hatchet-sdk 0.2.8 never reports.
//!
//! The SDK spawns its ListenV2 listener and drops its result: when the stream ends or
//! errors, the listener returns, nothing reconnects it, and heartbeats go on over a fresh
//! connection. After a clean engine stop the engine rejects those heartbeats (the worker
//! row went inactive) and `Worker::start` returns; after a crash (kill -9, OOM, node loss)
//! nothing marks the row inactive, heartbeats are accepted, the worker shows ACTIVE and
//! runs are assigned to it that it never receives.
//!
//! The SDK's gRPC client is one tonic channel: one HTTP/2 connection carries the stream,
//! the heartbeats and the step events. So each generation dials the engine through this
//! loopback relay and learns, the moment it happens, that a connection carrying its stream
//! has ended (EOF or error on either side): its stream is gone with it. The generation is
//! then replaced at once, within the supervisor's backoff, instead of at the next sweep.
//!
//! With TLS the SDK checks the certificate against the host it dials, so it cannot dial a
//! loopback relay; there the sweep's deafness check remains the safeguard.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// A relay to `upstream`; `ended` yields one message per relayed connection that closed
/// after it was established.
pub(crate) struct StreamWatch {
    pub local: SocketAddr,
    pub ended: mpsc::UnboundedReceiver<String>,
}

/// Binds the relay on the current runtime (it lives and dies with the generation's).
pub(crate) async fn relay(upstream: String) -> std::io::Result<StreamWatch> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let local = listener.local_addr()?;
    let (tx, ended) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let upstream = upstream.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                // An engine that is down refuses here: dropping the inbound side fails the
                // SDK's connect, which the supervisor already handles.
                let Ok(mut outbound) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let _ = inbound.set_nodelay(true);
                let _ = outbound.set_nodelay(true);
                let why = match tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await {
                    Ok(_) => "the engine closed the gRPC connection".to_string(),
                    Err(e) => format!("the gRPC connection to the engine failed ({e})"),
                };
                let _ = tx.send(why);
            });
        }
    });
    Ok(StreamWatch { local, ended })
}
