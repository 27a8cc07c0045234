//! Child processes that cannot outlive the test process.
//!
//! Every long-lived child (postgres, PostgREST) is spawned from one dedicated thread per
//! stack and asks the kernel, with `PR_SET_PDEATHSIG`, for a signal when its parent dies.
//! The kernel's "parent" is the *thread* that forked, so the spawning thread must live as
//! long as the children: a test thread would end with its test and take the children with
//! it. The signal is set in `pre_exec`, which std runs after `setgid`/`setuid` (a credential
//! change clears the parent-death signal).

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};

type Job = (Command, mpsc::SyncSender<io::Result<Child>>);

/// A thread that spawns children and then waits for the next request.
pub(crate) struct Spawner {
    tx: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Spawner {
    pub(crate) fn new(name: &str) -> anyhow::Result<Spawner> {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                // Ends when every sender is gone (stack shut down); for the shared stack,
                // never: the children then get their signal when the process exits.
                while let Ok((mut cmd, reply)) = rx.recv() {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .context("starting the process-spawning thread")?;
        Ok(Spawner {
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Spawns `cmd` from the spawner thread; the child gets `death_signal` when that thread
    /// (so, at the latest, the test process) ends.
    pub(crate) fn spawn(
        &self,
        mut cmd: Command,
        death_signal: libc::c_int,
    ) -> anyhow::Result<Child> {
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: the closure only calls async-signal-safe functions (prctl, getppid) and
        // builds an io::Error from a raw errno, which does not allocate.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(
                    libc::PR_SET_PDEATHSIG,
                    death_signal as libc::c_ulong,
                    0,
                    0,
                    0,
                ) != 0
                {
                    return Err(io::Error::last_os_error());
                }
                // The parent may have died before prctl took effect: then nobody would
                // ever signal us.
                if libc::getppid() != parent {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
                }
                Ok(())
            });
        }
        let program = cmd.get_program().to_string_lossy().into_owned();
        let (reply_tx, reply_rx) = mpsc::sync_channel(1);
        {
            let tx = lock(&self.tx);
            let tx = tx
                .as_ref()
                .ok_or_else(|| anyhow!("the stack is shut down; cannot start {program}"))?;
            tx.send((cmd, reply_tx)).map_err(|_| {
                anyhow!("the process-spawning thread is gone; cannot start {program}")
            })?;
        }
        reply_rx
            .recv()
            .map_err(|_| anyhow!("the process-spawning thread is gone; cannot start {program}"))?
            .with_context(|| format!("spawning {program}"))
    }

    /// Lets the spawner thread end (call after its children are stopped).
    pub(crate) fn stop(&self) {
        lock(&self.tx).take();
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
    }
}

/// Locks a mutex even if a panicking test poisoned it (the data is still consistent: every
/// critical section here is a take/replace of an Option).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Sends `first` to the child, waits up to `grace`, then escalates to `then` (if any) for
/// another `grace`, then SIGKILL. Always reaps the child.
pub(crate) fn stop_child(
    child: &mut Child,
    first: libc::c_int,
    then: Option<libc::c_int>,
    grace: Duration,
) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let pid = child.id() as libc::pid_t;
    for signal in std::iter::once(first).chain(then) {
        // SAFETY: plain kill(2) on our own, not yet reaped, child.
        unsafe {
            libc::kill(pid, signal);
        }
        if wait_for_exit(child, grace) {
            return;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Polls until the child has exited (true) or `timeout` passed (false).
pub(crate) fn wait_for_exit(child: &mut Child, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return true,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => return false,
            // ECHILD: already reaped elsewhere.
            Err(_) => return true,
        }
    }
}

/// Whether a process with this pid exists (signal 0 probes without sending anything).
pub(crate) fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks for existence and permission.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes the `PG*` variables of the caller's environment (PGPORT, PGDATABASE, PGTZ, ...):
/// the children get everything they need from their arguments.
pub(crate) fn clear_pg_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PG") {
            cmd.env_remove(&key);
        }
    }
}
