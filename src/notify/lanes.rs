//! Each channel's lane: a bound on its sends in flight, and a pause (a circuit breaker)
//! after a send that got no answer, so one channel's trouble never holds up another.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::outbox::{FIRST_BACKOFF, backoff};
use crate::config::notify::CHANNELS;

/// Each channel's lane: a bound on its sends in flight, and its pause.
pub(super) struct Lanes {
    lanes: Vec<(&'static str, Lane)>,
}

pub(super) struct Lane {
    pub(super) permits: tokio::sync::Semaphore,
    pause: Mutex<Pause>,
    /// Failed sends in a row and since when, so the log says so once per streak rather
    /// than once per event and retry.
    streak: Mutex<Option<Streak>>,
}

/// A channel's failures in a row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Streak {
    pub(super) failures: u32,
    pub(super) since: Instant,
}

/// A circuit breaker, in words people use: a channel that did not answer is paused, then
/// one event tries it while the others wait; an answer resumes it, silence pauses it
/// again for twice as long (up to [`MAX_BACKOFF`](super::outbox::MAX_BACKOFF)).
#[derive(Default)]
struct Pause {
    /// Pauses in a row (0: running).
    count: u32,
    until: Option<Instant>,
    /// One event is trying the channel after a pause.
    trying: bool,
}

pub(super) enum Admission {
    Go { trial: bool },
    Wait { until: Instant, why: String },
}

pub(super) enum Change {
    Paused(Duration),
    Resumed,
}

impl Lanes {
    pub(super) fn new(concurrency: usize) -> Self {
        Lanes {
            lanes: CHANNELS
                .iter()
                .map(|c| {
                    (
                        *c,
                        Lane {
                            permits: tokio::sync::Semaphore::new(concurrency),
                            pause: Mutex::new(Pause::default()),
                            streak: Mutex::new(None),
                        },
                    )
                })
                .collect(),
        }
    }

    pub(super) fn of(&self, channel: &str) -> Option<&Lane> {
        self.lanes
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, lane)| lane)
    }
}

impl Lane {
    fn pause(&self) -> std::sync::MutexGuard<'_, Pause> {
        self.pause.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn admit(&self, now: Instant) -> Admission {
        let mut p = self.pause();
        match p.until {
            None => Admission::Go { trial: false },
            Some(until) if now < until => Admission::Wait {
                until,
                why: "the channel is paused after it did not answer".into(),
            },
            Some(_) if p.trying => Admission::Wait {
                until: now + FIRST_BACKOFF,
                why: "the channel is paused; another event is trying it".into(),
            },
            Some(_) => {
                p.trying = true;
                Admission::Go { trial: true }
            }
        }
    }

    /// Records a failed send: `true` when it starts a streak (the one to log).
    pub(super) fn failed(&self, now: Instant) -> bool {
        let mut streak = self.streak.lock().unwrap_or_else(|p| p.into_inner());
        match streak.as_mut() {
            Some(s) => {
                s.failures = s.failures.saturating_add(1);
                false
            }
            None => {
                *streak = Some(Streak {
                    failures: 1,
                    since: now,
                });
                true
            }
        }
    }

    /// Records a delivered send: the streak it ends, if any.
    pub(super) fn delivered(&self) -> Option<Streak> {
        self.streak.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Records a send's fate. Sends that started before a pause and fail after it do not
    /// lengthen it: only a running channel's failure, or a failed try, does.
    pub(super) fn record(&self, answered: bool, trial: bool, now: Instant) -> Option<Change> {
        let mut p = self.pause();
        if answered {
            let was_paused = p.until.is_some();
            *p = Pause::default();
            return was_paused.then_some(Change::Resumed);
        }
        if p.until.is_some() && !trial {
            return None;
        }
        p.count = p.count.saturating_add(1);
        p.trying = false;
        let pause = backoff(i64::from(p.count));
        p.until = Some(now + pause);
        Some(Change::Paused(pause))
    }
}

/// Ends a channel's try if the send never came to record its fate (its lane stayed full),
/// so that another event may try it.
pub(super) struct TrialGuard<'a> {
    pub(super) lane: &'a Lane,
    pub(super) armed: bool,
}

impl TrialGuard<'_> {
    pub(super) fn disarm(mut self) -> bool {
        std::mem::replace(&mut self.armed, false)
    }
}

impl Drop for TrialGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.lane.pause().trying = false;
        }
    }
}
