//! Old rows that break attctl's rules (an upgraded database of the original app): the
//! `supabase.rows` check names them, and `attctl doctor --repair` applies the repairs that
//! have one obvious meaning. Both are answered by the database itself
//! (`attctl_legacy_report()`, `attctl_repair_legacy()`), where the rows are.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Answer, Check};
use crate::http::{CodeClass, Request, code_class};
use crate::store::postgrest::PostgrestStore;

/// Ids shown per problem; the database sends at most 20.
const IDS_SHOWN: usize = 20;

/// One kind of problem among the old rows, as `attctl_legacy_report()` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// `status_case`, `closes_at_stale`, `unknown_status`, `unknown_timezone`, `no_class`,
    /// `unknown_class`, `missing_times`, `zero_length`, `crosses_midnight`,
    /// `duplicate_sessions`, `duplicate_class_names`.
    pub kind: String,
    pub count: u64,
    /// The first 20 ids (class ids for `duplicate_class_names`).
    pub ids: Vec<i64>,
    /// `attctl doctor --repair` fixes it (or, for `crosses_midnight`, nothing needs fixing).
    pub safe: bool,
    pub fix: String,
}

impl RowProblem {
    /// Needs nobody: sessions crossing midnight close the next day.
    fn informational(&self) -> bool {
        self.kind == "crosses_midnight"
    }

    fn describe(&self) -> String {
        let ids: Vec<String> = self
            .ids
            .iter()
            .take(IDS_SHOWN)
            .map(i64::to_string)
            .collect();
        let more = if self.count > ids.len() as u64 {
            ", …"
        } else {
            ""
        };
        let label = if self.kind == "duplicate_class_names" {
            "class id"
        } else {
            "id"
        };
        let plural = if ids.len() == 1 { "" } else { "s" };
        format!(
            "{}: {} ({label}{plural} {}{more})",
            self.kind,
            self.count,
            ids.join(", ")
        )
    }
}

#[derive(Debug, Deserialize)]
struct LegacyReport {
    problems: Vec<RowProblem>,
}

/// The `supabase.rows` check: ok when no old row breaks a rule, otherwise a warning that
/// lists each problem with its count and first ids, and the fix for each.
pub(super) async fn rows_check(store: &PostgrestStore) -> Check {
    let answer = Answer::of(
        store
            .client()
            .send(&Request::new(Method::POST, "rpc/attctl_legacy_report").body(json!({})))
            .await,
    );
    let report: LegacyReport = match &answer {
        Answer::Ok(resp) => match resp.json() {
            Ok(report) => report,
            Err(e) => {
                return Check::warn(
                    "supabase.rows",
                    format!("the row report cannot be read: {e}"),
                    super::APPLY_MIGRATIONS,
                );
            }
        },
        Answer::Api { code, .. } if code_class(code) == CodeClass::MissingFunction => {
            return Check::skip(
                "supabase.rows",
                "not checked: the database lacks attctl_legacy_report() (apply the migrations)",
            );
        }
        other => {
            return Check::warn(
                "supabase.rows",
                format!("old rows cannot be checked: {}", other.describe()),
                "run `attctl doctor` again; if it persists, apply the migrations again",
            );
        }
    };
    let (info, needs_action): (Vec<&RowProblem>, Vec<&RowProblem>) =
        report.problems.iter().partition(|p| p.informational());
    let notes: Vec<String> = info.iter().map(|p| p.describe()).collect();
    let mut check = if needs_action.is_empty() {
        let mut detail = "no row breaks attctl's rules".to_string();
        if !notes.is_empty() {
            detail.push_str(&format!(
                "; sessions crossing midnight close the next day ({})",
                notes.join("; ")
            ));
        }
        Check::ok("supabase.rows", detail)
    } else {
        let detail: Vec<String> = needs_action.iter().map(|p| p.describe()).collect();
        let mut fixes: Vec<String> = Vec::new();
        if needs_action.iter().any(|p| p.safe) {
            let safe: Vec<&str> = needs_action
                .iter()
                .filter(|p| p.safe)
                .map(|p| p.kind.as_str())
                .collect();
            fixes.push(format!(
                "{}: run `attctl doctor --repair` (try `--dry-run` first)",
                safe.join(", ")
            ));
        }
        for p in needs_action.iter().filter(|p| !p.safe) {
            fixes.push(format!("{}: {}", p.kind, p.fix));
        }
        Check::warn(
            "supabase.rows",
            format!("old rows break attctl's rules: {}", detail.join("; ")),
            fixes.join("; "),
        )
    };
    check.rows = Some(report.problems);
    check
}

/// What `attctl doctor --repair` did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Repair {
    pub applied: bool,
    pub status_case: Repaired,
    pub closes_at: Repaired,
    #[serde(default)]
    pub failed: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Repaired {
    pub count: u64,
    pub ids: Vec<i64>,
}

/// Applies the safe repairs (or lists them with `dry_run`), as the `supabase.repair` check.
pub(super) async fn repair(store: &PostgrestStore, dry_run: bool) -> (Check, Option<Repair>) {
    let answer = Answer::of(
        store
            .client()
            .send(
                &Request::new(Method::POST, "rpc/attctl_repair_legacy")
                    .body(json!({ "apply": !dry_run })),
            )
            .await,
    );
    let repair: Repair = match &answer {
        Answer::Ok(resp) => match resp.json() {
            Ok(repair) => repair,
            Err(e) => {
                return (
                    Check::fail(
                        "supabase.repair",
                        format!("the repair's answer cannot be read: {e}"),
                        "run `attctl doctor` to see what is left",
                    ),
                    None,
                );
            }
        },
        Answer::Api { code, .. } if code_class(code) == CodeClass::MissingFunction => {
            return (
                Check::fail(
                    "supabase.repair",
                    "the database lacks attctl_repair_legacy()",
                    super::APPLY_MIGRATIONS,
                ),
                None,
            );
        }
        other => {
            return (
                Check::fail(
                    "supabase.repair",
                    format!("the repair failed: {}", other.describe()),
                    "run `attctl doctor --repair` again; nothing was half-done (one transaction)",
                ),
                None,
            );
        }
    };
    let verb = if repair.applied {
        "repaired"
    } else {
        "would repair"
    };
    let mut parts = Vec::new();
    for (what, done) in [
        ("status case", &repair.status_case),
        ("closes_at", &repair.closes_at),
    ] {
        if done.count > 0 {
            let ids: Vec<String> = done
                .ids
                .iter()
                .take(IDS_SHOWN)
                .map(i64::to_string)
                .collect();
            let more = if done.ids.len() > IDS_SHOWN {
                ", …"
            } else {
                ""
            };
            parts.push(format!(
                "{what} of {} (ids {}{more})",
                crate::output::plural(done.count as usize, "session"),
                ids.join(", ")
            ));
        }
    }
    let detail = if parts.is_empty() {
        "nothing to repair".to_string()
    } else {
        format!("{verb} {}", parts.join("; "))
    };
    let check = if repair.failed.is_empty() {
        Check::ok("supabase.repair", detail)
    } else {
        let ids: Vec<String> = repair
            .failed
            .iter()
            .filter_map(|f| f.get("id").and_then(serde_json::Value::as_i64))
            .map(|id| id.to_string())
            .collect();
        Check::warn(
            "supabase.repair",
            format!(
                "{detail}; {} row(s) could not be repaired (ids {})",
                repair.failed.len(),
                ids.join(", ")
            ),
            "these rows break another rule too: see supabase.rows for what a person must fix",
        )
    };
    (check, Some(repair))
}
