//! The school's zone (both stores) and, on the original app's database, what attctl's
//! migrations fill for the app's writers and who may do what on the app's tables.

use super::*;

/// `school.timezone`: whether new sessions everywhere get one zone.
pub(super) fn school_zone_check(school_zone: Option<&str>, settings: &Settings) -> Check {
    const NAME: &str = "school.timezone";
    let here = settings.timezone.name();
    let configured = settings
        .source_of("timezone")
        .filter(|s| **s != Source::Default);
    let source = configured.map_or_else(|| "default".to_string(), ToString::to_string);
    match school_zone {
        Some(zone) if zone == here => Check::ok(
            NAME,
            format!("{zone}: new sessions that name no zone take it, on every machine"),
        ),
        Some(zone) if configured.is_none() => Check::ok(
            NAME,
            format!(
                "{zone}: every command here reads and shows dates and times in it, and new \
                 sessions that name no zone take it (this machine's own zone, {here}, is not \
                 used: none is configured)"
            ),
        ),
        Some(zone) => Check::warn(
            NAME,
            format!(
                "the school's zone is {zone}, but this machine is set to {here} (from \
                 {source}): sessions it creates without --timezone are in {here}"
            ),
            format!("remove the zone from {source}, or set it to {zone}"),
        ),
        None => Check::warn(
            NAME,
            format!(
                "the school has no time zone: new sessions take the zone of the machine that \
                 creates them (here {here}, from {source}), so machines in other zones, or \
                 servers on UTC, store sessions that close at other hours"
            ),
            "attctl school set --timezone ZONE (e.g. Europe/London)",
        ),
    }
}

/// What `rpc/attctl_app_compat` answers (migration 20261204110000).
#[derive(Debug, serde::Deserialize)]
pub(super) struct AppCompat {
    school: SchoolPart,
    #[serde(default)]
    app_tables: Vec<String>,
    #[serde(default)]
    fills: Vec<Fill>,
    #[serde(default)]
    class_code_filled: bool,
    #[serde(default)]
    access: Vec<Access>,
}

#[derive(Debug, serde::Deserialize)]
struct SchoolPart {
    timezone: Option<String>,
    default_session_type: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Fill {
    table: String,
    column: String,
}

#[derive(Debug, serde::Deserialize)]
struct Access {
    table: String,
    role: String,
    rls: bool,
    /// No RLS, or a policy that lets every row through (databases migrated before
    /// 20261205110000 do not say: RLS off is open then).
    #[serde(default)]
    open: Option<bool>,
    select: bool,
    insert: bool,
    update: bool,
    delete: bool,
}

pub(super) async fn app_checks(store: &PostgrestStore, settings: &Settings) -> Vec<Check> {
    let answer = Answer::of(
        store
            .client()
            .send(&Request::new(Method::POST, "rpc/attctl_app_compat").body(json!({})))
            .await,
    );
    let compat: AppCompat = match &answer {
        Answer::Ok(resp) => match resp.json() {
            Ok(c) => c,
            Err(e) => {
                return vec![Check::warn(
                    "school.timezone",
                    e.to_string(),
                    APPLY_MIGRATIONS,
                )];
            }
        },
        other => {
            return vec![Check::skip(
                "school.timezone",
                format!(
                    "not checked: the school's settings cannot be read ({}); apply the \
                     migrations",
                    other.describe()
                ),
            )];
        }
    };
    let mut checks = vec![school_zone_check(
        compat.school.timezone.as_deref(),
        settings,
    )];
    if compat.app_tables.is_empty() {
        return checks;
    }
    checks.push(fills_check(&compat));
    checks.push(access_check(&compat.access));
    checks
}

/// `supabase.app_fills`: what a writer that sends no value gets, named.
fn fills_check(c: &AppCompat) -> Check {
    let has = |table: &str, column: &str| {
        c.fills
            .iter()
            .any(|f| f.table == table && f.column == column)
    };
    let mut fills = Vec::new();
    if has("teaching_sessions", "session_type") {
        fills.push(format!(
            "session_type <- the school's default ({}{})",
            c.school.default_session_type.as_deref().unwrap_or("theory"),
            if c.school.default_session_type.is_none() {
                ", until `attctl school set --session-type`"
            } else {
                ""
            }
        ));
    }
    if has("teaching_sessions", "timezone") {
        fills.push(format!(
            "timezone <- {}",
            c.school.timezone.as_deref().map_or(
                "the database's zone (no school zone set)".to_string(),
                |z| { format!("the school's zone {z}") }
            )
        ));
    }
    if has("teaching_sessions", "created_at") || has("classes", "created_at") {
        fills.push("created_at/updated_at <- the database clock (UTC)".to_string());
    }
    if c.class_code_filled {
        fills.push("classes.code <- made from the name, unique".to_string());
    }
    Check::ok(
        "supabase.app_fills",
        format!(
            "the original app's tables ({}); for writes that leave them out: {}; the app's \
             'Close' reads as Closed",
            c.app_tables.join(", "),
            fills.join("; ")
        ),
    )
}

/// `supabase.app_access`: what the anon key (inside the app) and signed-in users can do on
/// the app's tables. The migrations leave it as the app set it; hardening is a separate,
/// explicit step.
fn access_check(access: &[Access]) -> Check {
    const NAME: &str = "supabase.app_access";
    let mut open = Vec::new();
    for a in access {
        // Privileges without RLS, or RLS with a policy we cannot judge: say what the
        // privileges allow when RLS is off; with RLS on, the policies decide.
        if !a.open.unwrap_or(!a.rls) {
            continue;
        }
        let mut can = Vec::new();
        if a.select {
            can.push("read");
        }
        if a.insert || a.update || a.delete {
            can.push("write");
        }
        if !can.is_empty() {
            let who = if a.role == "anon" {
                "the anon key, which ships inside the app,"
            } else {
                "every signed-in user"
            };
            let what = if a.table == "teaching_sessions" {
                "every session"
            } else {
                "every class"
            };
            open.push(format!("{who} can {} {what}", can.join(" and ")));
        }
    }
    if open.is_empty() {
        return Check::ok(
            NAME,
            "Row Level Security is on for the original app's tables; their policies decide",
        );
    }
    open.dedup();
    Check::warn(
        NAME,
        format!(
            "{} (the original app's tables: no Row Level Security, or a policy that keeps \
             the access the app had; attctl's migrations leave it as it was)",
            open.join("; ")
        ),
        "when the app no longer needs it, apply supabase/optional/harden_original_app.sql \
         (read its header first: it names the app's calls it breaks)",
    )
}
