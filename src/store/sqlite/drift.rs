//! Closing instants out of step with a session's own date, end time and zone: a hand edit
//! of the file in the sqlite3 shell, which nothing recomputes here. The sweep checks each
//! session it is about to close; `attctl doctor` lists and repairs them.

use super::*;

/// A session the sweep's query found due by its stored closing instant.
pub(super) struct OverdueCandidate {
    pub(super) id: SessionId,
    pub(super) date: String,
    pub(super) start: String,
    pub(super) end: String,
    pub(super) zone: String,
    pub(super) closes_at: String,
    /// No planned run (or a sweep's claim): due by the earlier, unplanned cutoff.
    pub(super) unplanned: bool,
}

impl OverdueCandidate {
    pub(super) fn stored(&self) -> DateTime<Utc> {
        parse_instant(&self.closes_at).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The closing instant its wall-clock fields give, as the store computes it on every
    /// write (an end before the start is the next day's); `None` when they do not read.
    pub(super) fn true_closing_instant(&self) -> Option<DateTime<Utc>> {
        let date = parse_date(&self.date)?;
        let (start, end) = (parse_time(&self.start)?, parse_time(&self.end)?);
        let zone: chrono_tz::Tz = self.zone.parse().ok()?;
        let day = if end < start { date.succ_opt()? } else { date };
        crate::clock::instant_of(day, end, zone).ok()
    }
}

impl SqliteStore {
    /// Sessions whose stored closing instant is out of step with their date, end time and
    /// zone (a hand edit in the sqlite3 shell): `(id, stored, real)`, by id. With `repair`,
    /// each gets the instant its fields give, in one transaction. Every row is read: this
    /// is `attctl doctor`'s, not a hot path.
    pub async fn closing_instants_out_of_step(
        &self,
        repair: bool,
    ) -> Result<Vec<(SessionId, DateTime<Utc>, DateTime<Utc>)>> {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let drift: Vec<(SessionId, DateTime<Utc>, DateTime<Utc>)> = {
                let mut stmt = tx.prepare(
                    "SELECT id, session_date, start_time, end_time, timezone, closes_at, \
                            scheduled_task_id IS NULL FROM teaching_sessions ORDER BY id",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok(OverdueCandidate {
                        id: r.get(0)?,
                        date: r.get(1)?,
                        start: r.get(2)?,
                        end: r.get(3)?,
                        zone: r.get(4)?,
                        closes_at: r.get(5)?,
                        unplanned: r.get(6)?,
                    })
                })?;
                let mut drift = Vec::new();
                for c in rows {
                    let c = c?;
                    if let Some(real) = c.true_closing_instant()
                        && real != c.stored()
                    {
                        drift.push((c.id, c.stored(), real));
                    }
                }
                drift
            };
            if repair && !drift.is_empty() {
                let mut stmt = tx.prepare(
                    "UPDATE teaching_sessions SET closes_at = ?2, updated_at = ?3 WHERE id = ?1",
                )?;
                let stamp = db_now();
                for (id, _, real) in &drift {
                    let real = enc_instant(*real, "closing instant").map_err(Fail::App)?;
                    stmt.execute(params![id, real, stamp])?;
                }
            }
            tx.commit()?;
            Ok(drift)
        })
        .await
    }
}
