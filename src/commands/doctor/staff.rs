//! Doctor on a staff machine (SUPABASE_URL and the anon key): who is signed in, until when
//! their access token runs, what the database lets them do and which policies decide it,
//! and whether attctl-worker plans the sessions they write. The service-key checks (schema
//! version, rows, app access) need the service key and are the worker's machine's.

use super::*;
use crate::auth::{AuthApi, CredentialStore, StaffTokens};

/// Sessions written this long ago without a run mean the worker is not planning.
const PLANNING_GRACE_SECS: i64 = 30;

pub(super) async fn staff_checks(sb: &SupabaseSettings, settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    let credentials = CredentialStore::for_project(&sb.url);
    let saved = match credentials.load() {
        Ok(Some(saved)) => saved,
        Ok(None) => {
            checks.push(Check::fail(
                "staff.signed_in",
                "nobody is signed in on this machine (it has the anon key only)",
                crate::auth::LOGIN_HINT,
            ));
            return checks;
        }
        Err(e) => {
            checks.push(Check::fail(
                "staff.signed_in",
                e.to_string(),
                "fix or remove the file, then sign in again",
            ));
            return checks;
        }
    };
    checks.push(Check::ok(
        "staff.signed_in",
        format!(
            "signed in as {} (user {}); the sign-in is kept in {} (mode 0600)",
            saved.email,
            saved.user_id,
            credentials.path().display()
        ),
    ));
    let tokens = match AuthApi::new(&sb.url, &sb.key, settings.http.timeout) {
        Ok(api) => StaffTokens::new(api, credentials.clone()),
        Err(e) => {
            checks.push(Check::fail(
                "staff.token",
                e.to_string(),
                "check SUPABASE_URL",
            ));
            return checks;
        }
    };
    match tokens.bearer().await {
        Ok(_) => {
            let expires = tokens
                .session()
                .await
                .ok()
                .flatten()
                .and_then(|s| s.expires());
            checks.push(Check::ok(
                "staff.token",
                match expires {
                    Some(t) => format!(
                        "the access token is valid until {} (renewed by itself before then)",
                        t.to_rfc3339()
                    ),
                    None => "the access token is valid".to_string(),
                },
            ));
        }
        Err(e) => {
            checks.push(Check::fail(
                "staff.token",
                e.to_string(),
                crate::auth::LOGIN_HINT,
            ));
            return checks;
        }
    }
    let store = match PostgrestStore::new(sb, &settings.http) {
        Ok(store) => store,
        Err(e) => {
            checks.push(Check::fail(
                "staff.role",
                e.to_string(),
                "check SUPABASE_URL",
            ));
            return checks;
        }
    };
    match store.identity().await {
        Ok(Some(me)) => match me.role.as_deref() {
            Some(role) => {
                let classes: Vec<String> = me.classes.iter().map(|c| c.name.clone()).collect();
                let reach = if role != "admin" && classes.is_empty() {
                    "no class yet (an admin adds them: attctl staff add EMAIL --class NAME)"
                        .to_string()
                } else {
                    crate::commands::staff::reach(Some(role), &classes)
                };
                checks.push(Check::ok(
                    "staff.role",
                    format!("the database takes you for a {role}: sessions of {reach}"),
                ));
            }
            None => {
                checks.push(Check::fail(
                    "staff.role",
                    format!("{} is not on this school's staff list", saved.email),
                    format!(
                        "ask an admin to run `attctl staff add {} --role teacher --class NAME`",
                        saved.email
                    ),
                ));
                return checks;
            }
        },
        Ok(None) => {}
        Err(e) => {
            checks.push(Check::fail(
                "staff.role",
                e.to_string(),
                "apply supabase/migrations (20261205110000_staff_accounts.sql adds staff accounts)",
            ));
            return checks;
        }
    }
    match store.staff_policies().await {
        Ok(policies) => {
            let on = |table: &str| policies.iter().filter(|p| p.table == table).count();
            let sessions = on("teaching_sessions");
            if sessions == 0 {
                checks.push(Check::fail(
                    "staff.policies",
                    "teaching_sessions has no policy for signed-in staff",
                    "apply supabase/migrations (20261205110000_staff_accounts.sql)",
                ));
            } else {
                let mut tables: Vec<String> = policies.iter().map(|p| p.table.clone()).collect();
                tables.dedup();
                let listed: Vec<String> =
                    tables.iter().map(|t| format!("{t} ({})", on(t))).collect();
                checks.push(Check::ok(
                    "staff.policies",
                    format!(
                        "{} policies decide what staff may do: {}",
                        policies.len(),
                        listed.join(", ")
                    ),
                ));
            }
        }
        Err(e) => checks.push(Check::fail(
            "staff.policies",
            e.to_string(),
            "apply supabase/migrations (20261205110000_staff_accounts.sql)",
        )),
    }
    checks.push(worker_planning(&store).await);
    checks
}

/// Whether the worker plans what staff write: sessions of theirs created a while ago and
/// still ahead of their end with no run mean it does not.
async fn worker_planning(store: &PostgrestStore) -> Check {
    let now = Utc::now();
    let before = now - chrono::Duration::seconds(PLANNING_GRACE_SECS);
    let req = Request::new(Method::GET, "teaching_sessions")
        .query("select", "id")
        .query("status", "eq.Open")
        .query("scheduled_task_id", "is.null")
        .query("closes_at", format!("gt.{}", now.to_rfc3339()))
        .query("created_at", format!("lt.{}", before.naive_utc()))
        .query("order", "id.asc")
        .query("limit", "5");
    match store.client().send(&req).await {
        Ok(resp) => match resp.json::<Vec<Value>>() {
            Ok(rows) if rows.is_empty() => Check::ok(
                "staff.worker_planning",
                "no session of yours waits for a run: attctl-worker plans what you write within seconds",
            ),
            Ok(rows) => {
                let ids: Vec<String> = rows
                    .iter()
                    .filter_map(|r| r.get("id").map(ToString::to_string))
                    .collect();
                Check::warn(
                    "staff.worker_planning",
                    format!(
                        "sessions {} were written more than {PLANNING_GRACE_SECS} s ago and still have no run",
                        ids.join(", ")
                    ),
                    "ask whoever runs attctl-worker to check it is up in Hatchet mode (`attctl doctor` on its machine); the sweep still closes them, at most one sweep interval late",
                )
            }
            Err(e) => Check::warn(
                "staff.worker_planning",
                format!("cannot tell: {e}"),
                "run attctl doctor again",
            ),
        },
        Err(e) => Check::warn(
            "staff.worker_planning",
            format!("cannot tell: {}", Error::from(e)),
            "run attctl doctor again",
        ),
    }
}
