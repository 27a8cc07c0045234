//! systemd's notify protocol (`Type=notify`): READY once the worker does its job, STATUS
//! lines for `systemctl status`, WATCHDOG pings while the main loop is healthy, STOPPING on
//! the way out.
//!
//! Without `NOTIFY_SOCKET` (not under systemd) every call is a no-op. A failed send is
//! logged at debug and otherwise ignored: notifications must never stop the worker.

use std::time::Duration;

use sd_notify::NotifyState;

fn send(states: &[NotifyState<'_>]) {
    if let Err(e) = sd_notify::notify(states) {
        tracing::debug!(target: "attctl_worker::notify", error = %e, "sd_notify failed");
    }
}

/// STATUS text must be one line: the protocol is newline-separated assignments.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

pub(crate) fn ready(status: &str) {
    let status = one_line(status);
    send(&[NotifyState::Ready, NotifyState::Status(&status)]);
}

pub(crate) fn status(status: &str) {
    let status = one_line(status);
    send(&[NotifyState::Status(&status)]);
}

pub(crate) fn stopping(status: &str) {
    let status = one_line(status);
    send(&[NotifyState::Stopping, NotifyState::Status(&status)]);
}

pub(crate) fn watchdog() {
    send(&[NotifyState::Watchdog]);
}

/// How often to ping the watchdog: half of `WATCHDOG_USEC`, as sd_watchdog_enabled(3)
/// recommends; `None` when systemd runs no watchdog for us.
pub(crate) fn watchdog_interval() -> Option<Duration> {
    sd_notify::watchdog_enabled()
        .filter(|d| !d.is_zero())
        .map(|d| (d / 2).max(Duration::from_millis(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_kept_on_one_line() {
        assert_eq!(one_line("a\nb \n c"), "a b c");
    }
}
