//! What staff do to sessions, one by one: create, show, close, delete, reschedule. Each
//! writes the store first and then cancels or plans runs; a failed cancellation or plan is
//! a warning, never a reason to refuse the change.

use chrono::{DateTime, Utc};

use super::{
    CloseOutcome, CloseResult, CreateOptions, DeleteOutcome, DeleteResult, Reschedule,
    SessionOutcome, SessionService,
};
use crate::error::{Error, Result};
use crate::events::SessionEvent;
use crate::session::{ClassRef, ClosedBy, SessionId, SessionTimes, Status, TeachingSession};
use crate::store::TimesUpdate;

impl SessionService {
    /// Stores a new session, then plans its closing run.
    pub async fn create(
        &self,
        class: &ClassRef,
        times: SessionTimes,
        now: DateTime<Utc>,
    ) -> Result<SessionOutcome> {
        self.create_with(class, times, now, &CreateOptions::default())
            .await
    }

    /// [`SessionService::create`] with `opts`: letting the session overlap others of its
    /// class (refused by both stores otherwise, with exit 4), its session type.
    pub(crate) async fn create_with(
        &self,
        class: &ClassRef,
        times: SessionTimes,
        now: DateTime<Utc>,
        opts: &CreateOptions,
    ) -> Result<SessionOutcome> {
        let class_id = self.class_id(class).await?;
        let future = times.closes_at > now;
        let mut new = times.into_new_session(class_id);
        new.allow_overlap = opts.allow_overlap;
        new.session_type = opts.session_type.clone();
        if future {
            new.scheduled_task_id = self.scheduler.inline_run_id();
        }
        let session = self.store.insert_session(&new).await?;
        self.emit(SessionEvent::Created {
            session: session.clone(),
        });
        let mut warnings = Vec::new();
        let session = if new.scheduled_task_id.is_some() {
            session
        } else if future {
            let session = self.plan_run(session, None, &mut warnings).await;
            self.plan_warnings(std::slice::from_ref(&session), now, &mut warnings)
                .await;
            session
        } else {
            warnings.push(format!(
                "session {} has already ended; attctl-worker closes it at its next sweep",
                session.id
            ));
            session
        };
        Ok(SessionOutcome { session, warnings })
    }

    /// Fetches sessions by id, failing (before any write) if any does not exist.
    pub async fn existing(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let found = self.store.get_sessions(&unique).await?;
        let missing: Vec<SessionId> = unique
            .iter()
            .copied()
            .filter(|id| !found.iter().any(|s| s.id == *id))
            .collect();
        match missing.as_slice() {
            [] => {}
            [one] => return Err(Error::session_not_found(*one)),
            many => {
                let list: Vec<String> = many.iter().map(|id| id.to_string()).collect();
                return Err(Error::NotFound {
                    what: "sessions",
                    id: list.join(", "),
                });
            }
        }
        // Keep the order the user gave.
        let mut ordered = Vec::with_capacity(found.len());
        for id in ids {
            if let Some(s) = found.iter().find(|s| s.id == *id)
                && !ordered.iter().any(|o: &TeachingSession| o.id == *id)
            {
                ordered.push(s.clone());
            }
        }
        Ok(ordered)
    }

    pub async fn show(&self, id: SessionId) -> Result<TeachingSession> {
        self.existing(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::session_not_found(id))
    }

    /// Closes sessions by hand. With `strict`, an already closed session is a conflict and
    /// nothing is written.
    pub async fn close(
        &self,
        ids: &[SessionId],
        strict: bool,
        now: DateTime<Utc>,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<CloseResult>> {
        let sessions = self.existing(ids).await?;
        if strict && let Some(closed) = sessions.iter().find(|s| !s.is_open()) {
            return Err(Error::Conflict(format!(
                "session {} is already closed",
                closed.id
            )));
        }
        let mut results = Vec::with_capacity(sessions.len());
        for before in sessions {
            let mut warnings = Vec::new();
            let result = match self
                .store
                .close_if_open(before.id, ClosedBy::Manual, now, None)
                .await?
            {
                Some(closed) => {
                    self.emit_closed_sessions(std::slice::from_ref(&closed), ClosedBy::Manual, now);
                    if let Some(run) = closed.scheduled_run() {
                        self.cancel_quietly(run, closed.id, &mut warnings).await;
                    }
                    self.cancel_warnings(&[closed.id], &mut warnings).await;
                    CloseResult {
                        id: closed.id,
                        outcome: CloseOutcome::Closed,
                        session: closed,
                        warnings,
                    }
                }
                None => {
                    let current = self.show(before.id).await?;
                    if strict {
                        return Err(Error::Conflict(format!(
                            "session {} was closed meanwhile",
                            current.id
                        )));
                    }
                    CloseResult {
                        id: current.id,
                        outcome: CloseOutcome::AlreadyClosed,
                        session: current,
                        warnings,
                    }
                }
            };
            results.push(result);
            progress();
        }
        Ok(results)
    }

    /// Deletes sessions, cancelling their runs first.
    pub async fn delete(
        &self,
        ids: &[SessionId],
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<DeleteResult>> {
        let sessions = self.existing(ids).await?;
        let mut results = Vec::with_capacity(sessions.len());
        for session in sessions {
            let mut warnings = Vec::new();
            if session.is_open() {
                if let Some(run) = session.scheduled_run() {
                    self.cancel_quietly(run, session.id, &mut warnings).await;
                }
                self.cancel_warnings(&[session.id], &mut warnings).await;
            }
            match self.store.delete_session(session.id).await? {
                Some(deleted) => results.push({
                    self.emit(SessionEvent::Deleted {
                        session: deleted.clone(),
                    });
                    DeleteResult {
                        id: deleted.id,
                        outcome: DeleteOutcome::Deleted,
                        session: deleted,
                        warnings,
                    }
                }),
                None => results.push(DeleteResult {
                    id: session.id,
                    outcome: DeleteOutcome::AlreadyDeleted,
                    session,
                    warnings,
                }),
            }
            progress();
        }
        Ok(results)
    }

    /// Moves a session to new times: updates the row, cancels the old run, plans a new one.
    pub async fn reschedule(
        &self,
        id: SessionId,
        change: &Reschedule,
        now: DateTime<Utc>,
    ) -> Result<SessionOutcome> {
        let before = self.show(id).await?;
        let times = change.times_for(&before)?;
        let future = times.closes_at > now;
        let reopen = match (before.status, change.reopen) {
            (Status::Closed, false) if future => {
                return Err(Error::Conflict(format!(
                    "session {id} is Closed; pass --reopen to reopen it at the new times"
                )));
            }
            (Status::Closed, true) if !future => {
                return Err(Error::invalid(
                    "--reopen needs new times that end in the future",
                ));
            }
            (Status::Closed, true) => true,
            _ => false,
        };
        let update = TimesUpdate {
            times,
            expected_status: before.status,
            reopen,
        };
        let updated = self.store.update_times(id, &update).await?.ok_or_else(|| {
            Error::Conflict(format!(
                "session {id} changed while rescheduling (closed or deleted); try again"
            ))
        })?;
        self.emit(SessionEvent::Rescheduled {
            before: before.clone(),
            session: updated.clone(),
        });
        if reopen {
            self.emit(SessionEvent::Reopened {
                session: updated.clone(),
            });
        }
        let mut warnings = Vec::new();
        if let Some(old_run) = before.scheduled_run() {
            self.cancel_quietly(old_run, id, &mut warnings).await;
        }
        self.cancel_warnings(&[id], &mut warnings).await;
        let session = if updated.is_open() && future {
            let current = updated.scheduled_task_id.clone();
            let session = self
                .plan_run(updated, current.as_deref(), &mut warnings)
                .await;
            self.plan_warnings(std::slice::from_ref(&session), now, &mut warnings)
                .await;
            session
        } else {
            updated
        };
        Ok(SessionOutcome { session, warnings })
    }
}
