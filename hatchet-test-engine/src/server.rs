//! Accept loops. Each connection is served in a task owned by the accept task's JoinSet,
//! so aborting the accept task closes the listening socket and every connection at once
//! (like a process going away), which is what `TestEngine::stop` needs.

use std::convert::Infallible;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// Serve HTTP/1.1 and HTTP/2 (REST) or HTTP/2 only (gRPC) on `listener` until aborted.
pub(crate) async fn serve<S, B>(listener: TcpListener, service: S, http2_only: bool)
where
    S: tower_service::Service<
            http::Request<Incoming>,
            Response = http::Response<B>,
            Error = Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut connections = JoinSet::new();
    loop {
        // Reap finished connection tasks so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
        let (stream, _peer) = match listener.accept().await {
            Ok(conn) => conn,
            Err(err) => {
                tracing::debug!(%err, "accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let svc = hyper_util::service::TowerToHyperService::new(service.clone());
        connections.spawn(async move {
            let io = TokioIo::new(stream);
            let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            if http2_only {
                builder = builder.http2_only();
            }
            if let Err(err) = builder.serve_connection(io, svc).await {
                tracing::trace!(%err, "connection ended with an error");
            }
        });
    }
}
