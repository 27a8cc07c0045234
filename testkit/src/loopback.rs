//! A TCP server on 127.0.0.1 in a thread and runtime of its own, that a test can take down
//! (new connections refused, open ones dropped) and bring back on the same port: what the
//! webhook receiver and the SMTP sink share. Each connection is handed to `serve`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

type Serve = Arc<dyn Fn(TcpStream) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

pub(crate) struct LoopbackServer {
    /// Names the thread and the port in errors ("webhook receiver", "SMTP sink").
    name: &'static str,
    port: u16,
    serve: Serve,
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl LoopbackServer {
    /// Listens on a free port, handing each connection to `serve`.
    pub(crate) fn start<F, Fut>(name: &'static str, serve: F) -> anyhow::Result<Self>
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let mut server = LoopbackServer {
            name,
            port: 0,
            serve: Arc::new(move |stream| Box::pin(serve(stream))),
            running: None,
        };
        server.listen()?;
        Ok(server)
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Stops listening and drops open connections: connections are refused until
    /// [`LoopbackServer::resume`].
    pub(crate) fn pause(&mut self) {
        if let Some((tx, thread)) = self.running.take() {
            let _ = tx.send(());
            let _ = thread.join();
        }
    }

    /// Listens again on the same port.
    pub(crate) fn resume(&mut self) -> anyhow::Result<()> {
        self.listen()
    }

    fn listen(&mut self) -> anyhow::Result<()> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port))
            .with_context(|| format!("binding the {}'s port", self.name))?;
        listener.set_nonblocking(true)?;
        self.port = listener.local_addr()?.port();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (tx, mut rx) = oneshot::channel::<()>();
        let serve = self.serve.clone();
        let thread = std::thread::Builder::new()
            .name(format!("attctl-testkit-{}", self.name.replace(' ', "-")))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    loop {
                        tokio::select! {
                            _ = &mut rx => break,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else {
                                    tokio::time::sleep(Duration::from_millis(10)).await;
                                    continue;
                                };
                                tokio::spawn(serve(stream));
                            }
                        }
                    }
                });
                // Dropping the runtime ends open connections too: the server is down.
                runtime.shutdown_background();
            })?;
        self.running = Some((tx, thread));
        Ok(())
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.pause();
    }
}

/// Waits until `pred` holds for what `read` returns, looking every 50 ms; false on timeout.
pub(crate) fn wait_until<T>(
    timeout: Duration,
    read: impl Fn() -> T,
    pred: impl Fn(&T) -> bool,
) -> bool {
    let end = Instant::now() + timeout;
    loop {
        if pred(&read()) {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
