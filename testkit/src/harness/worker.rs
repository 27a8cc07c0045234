//! Running `attctl-worker` daemons ([`Worker`], killed when dropped, its JSON log read
//! as it comes) and a stand-in for systemd's notify socket ([`NotifySocket`]).

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::TestEnv;

impl TestEnv {
    /// Starts `attctl-worker` with these arguments, logging at info (JSON lines).
    pub fn spawn_worker<I, S>(&self, args: I) -> Worker
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.spawn_worker_with(args, &[])
    }

    /// Starts `attctl-worker` with these arguments and waits until it is ready (first
    /// sweep done and, in Hatchet mode, the generation up): 30 s at most.
    pub fn ready_worker<I, S>(&self, args: I) -> Worker
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let worker = self.spawn_worker(args);
        worker.wait_ready(Duration::from_secs(30));
        worker
    }

    pub fn spawn_worker_with<I, S>(&self, args: I, extra_env: &[(&str, &str)]) -> Worker
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut cmd = self.worker().args(args).command();
        cmd.env("RUST_LOG", "info")
            .envs(extra_env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawning attctl-worker");
        let lines = Arc::new(Mutex::new(Vec::new()));
        if let Some(stderr) = child.stderr.take() {
            let sink = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    sink.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                }
            });
        }
        Worker {
            child: Some(child),
            lines,
            started: Instant::now(),
        }
    }
}

/// A running `attctl-worker`; killed (SIGKILL) and reaped when dropped, so no test leaves
/// one behind whatever happens.
pub struct Worker {
    child: Option<Child>,
    lines: Arc<Mutex<Vec<String>>>,
    pub started: Instant,
}

impl Worker {
    pub fn pid(&self) -> i32 {
        self.child.as_ref().map(|c| c.id() as i32).unwrap_or(0)
    }

    /// Every stderr line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Log events (JSON lines) so far.
    pub fn events(&self) -> Vec<Value> {
        self.lines()
            .iter()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits for a log event matching `pred`; panics with the log after `timeout`.
    pub fn wait_event(&self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.events().into_iter().find(|e| pred(e)) {
                return e;
            }
            if Instant::now() >= deadline {
                panic!(
                    "no matching worker event within {timeout:?}; log:\n{}",
                    self.lines().join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the daemon logged that it is ready.
    pub fn wait_ready(&self, timeout: Duration) {
        self.wait_event(timeout, |e| e["message"] == "ready");
    }

    pub fn signal(&self, signal: i32) {
        let pid = self.pid();
        if pid > 0 {
            // SAFETY: kill(2) on our own child's pid.
            unsafe {
                libc::kill(pid, signal);
            }
        }
    }

    /// Waits for the process to exit, at most `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let child = self.child.as_mut()?;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
pub struct NotifySocket {
    path: PathBuf,
    messages: Arc<Mutex<Vec<String>>>,
}

impl NotifySocket {
    pub fn bind(dir: &Path) -> Self {
        let path = dir.join("notify.sock");
        let socket = UnixDatagram::bind(&path).expect("binding the notify socket");
        socket
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("read timeout");
        let messages = Arc::new(Mutex::new(Vec::new()));
        let sink = messages.clone();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 4096];
            // Ends when the test process ends; a timeout just loops.
            loop {
                match socket.recv(&mut buf) {
                    Ok(n) => sink
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(String::from_utf8_lossy(&buf[..n]).to_string()),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => return,
                }
            }
        });
        NotifySocket { path, messages }
    }

    pub fn path(&self) -> String {
        self.path.display().to_string()
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Every `KEY=value` line received, in order.
    pub fn assignments(&self) -> Vec<String> {
        self.messages()
            .iter()
            .flat_map(|m| m.lines().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    pub fn wait_for(&self, line: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.assignments().iter().any(|l| l == line) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}
