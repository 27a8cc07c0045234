//! Registers (the original app's `attendances` per session and student, `class_students`
//! per class): the two switches applied at close (automark, late) and the report of what
//! each close found. A leaf: the work is done in the database, in the same transaction as
//! the close (migration `20261205120000_registers.sql`), and the report is computed there.
//!
//! The switches travel with every request of the PostgREST store as headers
//! ([`RegisterSettings::headers`]), which the closing trigger reads. Stores without the
//! app's tables (attctl's own database, the SQLite file) have no registers: a switch on
//! is refused at start ([`RegisterSettings::refuse_without_registers`]).

use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::session::{ClassId, SessionId};

/// The header that asks the closing trigger to mark unmarked active students absent.
pub const AUTOMARK_HEADER: &str = "x-attctl-automark";
/// The header that gives the late threshold, in seconds after the session's start.
pub const LATE_AFTER_HEADER: &str = "x-attctl-late-after";

/// `ATTCTL_AUTOMARK` and `ATTCTL_LATE_AFTER`, resolved. Both off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterSettings {
    /// Mark every active student with no mark `absent` at close (Moodle's "set unmarked at
    /// end of session").
    pub automark_absent: bool,
    /// At close, a `present` mark later than the session's start plus this becomes `late`.
    pub late_after: Option<Duration>,
}

impl RegisterSettings {
    /// Reads the two raw values (`absent` or `off`; a duration such as `10m`, or `off`).
    pub fn parse(automark: Option<&str>, late_after: Option<&str>) -> Result<Self> {
        let automark_absent = match automark.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("" | "off" | "none") => false,
            Some("absent") => true,
            Some(other) => {
                return Err(Error::Config(format!(
                    "ATTCTL_AUTOMARK (or automark) must be absent or off, not {other:?}"
                )));
            }
        };
        let late_after = match late_after.map(str::trim) {
            None | Some("" | "off" | "none") => None,
            Some(raw) => match crate::config::notify::parse_duration(raw) {
                Some(d) if d <= Duration::from_secs(24 * 3600) => Some(d),
                _ => {
                    return Err(Error::Config(format!(
                        "ATTCTL_LATE_AFTER (or late_after) must be a duration such as 10m (at \
                         most 24h) or off, not {raw:?}"
                    )));
                }
            },
        };
        Ok(RegisterSettings {
            automark_absent,
            late_after,
        })
    }

    /// Is any switch on?
    pub fn any(&self) -> bool {
        self.automark_absent || self.late_after.is_some()
    }

    /// The headers every request of the PostgREST store carries (none when both are off).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.automark_absent {
            out.push((AUTOMARK_HEADER, "absent".to_string()));
        }
        if let Some(d) = self.late_after {
            out.push((LATE_AFTER_HEADER, d.as_secs().to_string()));
        }
        out
    }

    /// The switches as `config show` and doctor name them.
    pub fn describe(&self) -> String {
        let automark = if self.automark_absent {
            "automark absent"
        } else {
            "automark off"
        };
        match self.late_after {
            Some(d) => format!("{automark}, late after {} min", d.as_secs() / 60),
            None => format!("{automark}, late off"),
        }
    }

    /// The one error of a switch on a store without registers.
    pub fn refuse_without_registers(&self, store: &str) -> Error {
        let which = match (self.automark_absent, self.late_after.is_some()) {
            (true, true) => "ATTCTL_AUTOMARK and ATTCTL_LATE_AFTER need",
            (true, false) => "ATTCTL_AUTOMARK needs",
            _ => "ATTCTL_LATE_AFTER needs",
        };
        Error::Config(format!(
            "{which} the original app's registers (tables attendances and class_students), \
             which {store} does not have: unset it"
        ))
    }
}

/// What the store says about registers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct RegistersInfo {
    /// The app's `attendances` and `class_students` tables exist.
    pub registers: bool,
    /// Who teaches a class can be read (`classes.teacher_id` → `teachers`).
    #[serde(default)]
    pub teachers: bool,
}

/// How the report is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterBy {
    Session,
    Teacher,
}

impl RegisterBy {
    pub fn as_str(self) -> &'static str {
        match self {
            RegisterBy::Session => "session",
            RegisterBy::Teacher => "teacher",
        }
    }
}

/// What `report registers` asks of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub class_id: Option<ClassId>,
    pub by: RegisterBy,
}

/// One closed session's register. Field names and order are the JSON contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub session_id: SessionId,
    pub class: String,
    pub date: NaiveDate,
    /// Active students of the class.
    pub enrolled: u64,
    /// Marks of the session, any status.
    pub marked: u64,
    pub present: u64,
    pub late: u64,
    pub absent: u64,
    /// Marked absent by attctl at close.
    pub automarked: u64,
    /// False when the class had active students and no mark existed before the close.
    pub taken: bool,
}

/// One teacher's registers (`--by teacher`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherRow {
    /// `None` for classes with no teacher.
    pub teacher: Option<String>,
    pub sessions: u64,
    pub not_taken: u64,
    pub enrolled: u64,
    pub marked: u64,
    pub present: u64,
    pub late: u64,
    pub absent: u64,
    pub automarked: u64,
}

/// The report as the store answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterReport {
    Sessions(Vec<RegisterRow>),
    Teachers(Vec<TeacherRow>),
}

impl RegisterReport {
    /// How many registers were not taken.
    pub fn not_taken(&self) -> u64 {
        match self {
            RegisterReport::Sessions(rows) => rows.iter().filter(|r| !r.taken).count() as u64,
            RegisterReport::Teachers(rows) => rows.iter().map(|r| r.not_taken).sum(),
        }
    }
}

/// What automark would mark at the close of one session (`session close --dry-run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct AutomarkPreview {
    pub session_id: SessionId,
    pub would_mark: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_parse_and_refuse_typos() {
        let s = RegisterSettings::parse(Some("absent"), Some("10m")).unwrap();
        assert!(s.automark_absent);
        assert_eq!(s.late_after, Some(Duration::from_secs(600)));
        assert_eq!(
            s.headers(),
            vec![
                (AUTOMARK_HEADER, "absent".to_string()),
                (LATE_AFTER_HEADER, "600".to_string())
            ]
        );
        assert!(!RegisterSettings::parse(Some("off"), None).unwrap().any());
        assert!(RegisterSettings::parse(Some("present"), None).is_err());
        assert!(RegisterSettings::parse(None, Some("10")).is_err());
        assert!(RegisterSettings::parse(None, Some("25h")).is_err());
    }
}
