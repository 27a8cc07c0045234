//! The Supabase checks: the key, PostgREST, the schema and its migrations.

use super::*;

/// A Supabase key as doctor judges it: its [`KeyKind`] and, for a JWT, the claims that
/// decide whether attctl can use it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct KeyFacts {
    pub(super) kind: KeyKind,
    pub(super) role: Option<String>,
    pub(super) expires: Option<DateTime<Utc>>,
}

pub(super) fn key_facts(key: &str) -> KeyFacts {
    let mut facts = KeyFacts {
        kind: KeyKind::of(key),
        role: None,
        expires: None,
    };
    if facts.kind == KeyKind::Jwt {
        match jwt_claims(key) {
            Some(claims) => {
                facts.role = claims
                    .get("role")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                facts.expires = claims
                    .get("exp")
                    .and_then(Value::as_i64)
                    .and_then(|e| DateTime::from_timestamp(e, 0));
            }
            // Shaped like a JWT but without readable claims: judged like any other key.
            None => facts.kind = KeyKind::Other,
        }
    }
    facts
}

/// The claims of a JWT key, unverified (we only want to recognise the key).
fn jwt_claims(token: &str) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice(&jwt_payload(token).ok()?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A problem with the key visible without asking Supabase.
pub(super) fn key_problem(key: &KeyFacts, now: DateTime<Utc>) -> Option<String> {
    let (role, expires) = (&key.role, &key.expires);
    match key.kind {
        KeyKind::Publishable => {
            Some("this is a publishable key; attctl needs the service_role or secret key".into())
        }
        KeyKind::Jwt => match role.as_deref() {
            Some("anon") => {
                Some("this is the anon key; attctl needs the service_role or secret key".into())
            }
            Some("service_role") => match expires {
                Some(t) if *t <= now => Some(format!(
                    "the key expired on {}",
                    t.format("%Y-%m-%d %H:%M UTC")
                )),
                _ => None,
            },
            Some(other) => Some(format!(
                "this key is for the role {other:?}; attctl needs the service_role or secret key"
            )),
            None => Some(
                "this JWT has no role claim; attctl needs the service_role or secret key".into(),
            ),
        },
        KeyKind::Secret | KeyKind::Other => None,
    }
}

pub(super) fn key_label(key: &KeyFacts) -> &'static str {
    match key.kind {
        KeyKind::Jwt => "service_role JWT",
        KeyKind::Secret => "secret key",
        KeyKind::Publishable => "publishable key",
        KeyKind::Other => "key",
    }
}

/// Which variable (or profile) the key came from, for the fix text.
pub(super) fn key_source(settings: &Settings) -> String {
    settings
        .origins
        .iter()
        .find(|o| o.key == "supabase_key")
        .map(|o| match &o.source {
            Source::Env { var } | Source::DotEnv { var, .. } => var.clone(),
            Source::Profile { file, profile } => {
                format!("supabase_key of profile {profile} in {}", file.display())
            }
            other => other.to_string(),
        })
        .unwrap_or_else(|| "SUPABASE_SERVICE_ROLE_KEY".into())
}

/// The answer to one request: a response, a PostgREST error, or no answer.
pub(super) enum Answer {
    Ok(Response),
    Api {
        status: u16,
        code: String,
        message: String,
    },
    Down(String),
}

impl Answer {
    pub(super) fn of(result: std::result::Result<Response, ClientError>) -> Self {
        match result {
            Ok(resp) => Answer::Ok(resp),
            Err(ClientError::Api(api)) => {
                let message = api
                    .message
                    .as_deref()
                    .unwrap_or("no message")
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect();
                Answer::Api {
                    status: api.status,
                    code: api.code.clone().unwrap_or_default(),
                    message,
                }
            }
            Err(ClientError::Transport(e) | ClientError::Unanswered(e)) => {
                Answer::Down(e.to_string())
            }
        }
    }

    /// The key was refused (bad signature, expired, unknown key, or no privilege).
    fn rejected(&self) -> bool {
        let Answer::Api { status, code, .. } = self else {
            return false;
        };
        matches!(status, 401 | 403)
            || matches!(
                code_class(code),
                CodeClass::PermissionDenied | CodeClass::JwtRejected | CodeClass::JwtConfig
            )
    }

    pub(super) fn describe(&self) -> String {
        match self {
            Answer::Ok(resp) => format!("HTTP {}", resp.status.as_u16()),
            Answer::Api {
                status,
                code,
                message,
            } if code.is_empty() => format!("HTTP {status}: {message}"),
            Answer::Api {
                status,
                code,
                message,
            } => format!("HTTP {status}: {message} ({code})"),
            Answer::Down(why) => why.clone(),
        }
    }
}

pub(super) async fn supabase_checks(sb: &SupabaseSettings, settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    let http = HttpSettings {
        timeout: settings.http.timeout.min(HTTP_TIMEOUT),
        connect_timeout: settings.http.connect_timeout.min(CONNECT_TIMEOUT),
        // One attempt: doctor reports what it sees instead of waiting out retries.
        max_attempts: 1,
    };
    let store = match PostgrestStore::new(sb, &http) {
        Ok(store) => store,
        Err(e) => {
            checks.push(Check::fail(
                "supabase.key",
                e.to_string(),
                format!("copy the key again into {}", key_source(settings)),
            ));
            return checks;
        }
    };
    let client = store.client();
    let api_url = client.base_url().to_string();

    // 1. Reachable: the API root (OpenAPI) through the gateway.
    let root = Answer::of(client.send(&Request::new(Method::GET, "")).await);
    let reachable = match &root {
        Answer::Down(why) => {
            checks.push(Check::fail(
                "supabase.api",
                format!("{api_url}/ cannot be reached: {why}"),
                "check SUPABASE_URL and the network (proxy, firewall, DNS)",
            ));
            false
        }
        Answer::Api { status, .. } if *status == 404 => {
            checks.push(Check::fail(
                "supabase.api",
                format!("no PostgREST API at {api_url}/ ({})", root.describe()),
                "set SUPABASE_URL to the project URL (https://<project>.supabase.co), \
                 without /rest/v1",
            ));
            false
        }
        Answer::Api { status, .. } if *status >= 500 => {
            checks.push(Check::fail(
                "supabase.api",
                format!(
                    "{api_url}/ answers but the database API is down ({})",
                    root.describe()
                ),
                "check the project's status in the Supabase dashboard (paused or restarting?) \
                 and try again",
            ));
            false
        }
        _ => {
            checks.push(Check::ok(
                "supabase.api",
                format!("{api_url}/ answers ({})", root.describe()),
            ));
            true
        }
    };

    // 2. The key, from its text and from Supabase's answers.
    let kind = key_facts(sb.key.expose());
    let local_problem = key_problem(&kind, Utc::now());
    let key_fix = format!(
        "put the project's service_role key (or a secret key, sb_secret_…) in {}; find it in \
         the Supabase dashboard under Project Settings > API Keys",
        key_source(settings)
    );
    if !reachable {
        checks.push(match local_problem {
            Some(problem) => Check::fail("supabase.key", problem, key_fix),
            None => Check::skip("supabase.key", "not checked: Supabase cannot be reached"),
        });
        for name in [
            "supabase.schema",
            "supabase.migrations",
            "supabase.legacy_tasks",
        ] {
            checks.push(Check::skip(name, "not checked: Supabase cannot be reached"));
        }
        return checks;
    }
    let sessions = Answer::of(
        client
            .send(
                &Request::new(Method::GET, "teaching_sessions")
                    .query("select", SESSION_COLUMNS)
                    .query("limit", "0"),
            )
            .await,
    );
    let classes = Answer::of(
        client
            .send(
                &Request::new(Method::GET, "classes")
                    .query("select", CLASS_COLUMNS)
                    .query("limit", "0"),
            )
            .await,
    );
    // The API root may be closed to some keys on hosted Supabase: only the tables decide.
    let refusal = [&sessions, &classes].into_iter().find(|a| a.rejected());
    let key_ok = match (local_problem, refusal) {
        (Some(problem), refused) => {
            let detail = match refused {
                Some(answer) => format!("{problem} (Supabase: {})", answer.describe()),
                None => problem,
            };
            checks.push(Check::fail("supabase.key", detail, key_fix));
            false
        }
        (None, Some(answer)) => {
            checks.push(Check::fail(
                "supabase.key",
                format!("Supabase rejected the key: {}", answer.describe()),
                key_fix,
            ));
            false
        }
        (None, None) => {
            checks.push(Check::ok(
                "supabase.key",
                format!(
                    "accepted: {}, {} characters (hidden)",
                    key_label(&kind),
                    sb.key.expose().chars().count()
                ),
            ));
            true
        }
    };
    if !key_ok {
        for name in [
            "supabase.schema",
            "supabase.migrations",
            "supabase.legacy_tasks",
        ] {
            checks.push(Check::skip(name, "not checked: the key is not accepted"));
        }
        return checks;
    }

    // 3. Tables and columns.
    checks.push(schema_check(&[
        ("teaching_sessions", &sessions),
        ("classes", &classes),
    ]));

    // 4. Migrations up to date.
    let info = Answer::of(
        client
            .send(&Request::new(Method::POST, "rpc/attctl_schema_info").body(json!({})))
            .await,
    );
    checks.push(migrations_check(&info));

    // 5. Old rows that break attctl's rules.
    checks.push(rows::rows_check(&store).await);

    // 6. The school's zone; on the original app's database, what is filled and who may
    //    read and write the app's tables.
    checks.extend(school::app_checks(&store, settings).await);

    // 6b. Registers (the app's attendances): there or not, and automark / late.
    checks.push(super::registers::registers_check(
        crate::store::Reports::registers_info(&store).await,
        &settings.registers,
    ));

    // 7. Sessions the original app scheduled: placeholders instead of run ids.
    if !matches!(sessions, Answer::Ok(_)) {
        checks.push(Check::skip(
            "supabase.legacy_tasks",
            "not checked: the teaching_sessions table is not usable",
        ));
        return checks;
    }
    let legacy = Answer::of(
        client
            .send(
                &Request::new(Method::GET, "teaching_sessions")
                    .query("select", "id")
                    .query("status", "eq.Open")
                    .query("and", format!("({})", legacy_task_conditions()))
                    .query("limit", "1")
                    .prefer("count=exact"),
            )
            .await,
    );
    checks.push(legacy_tasks_check(&legacy));
    checks
}

/// Open sessions whose `scheduled_task_id` names no run (the original app's `mock-task-…`):
/// nothing to fix, the sweep plans real runs for the future ones and closes the rest.
pub(super) fn legacy_tasks_check(answer: &Answer) -> Check {
    const NAME: &str = "supabase.legacy_tasks";
    let total = match answer {
        Answer::Ok(resp) => resp.total(),
        other => {
            return Check::warn(
                NAME,
                format!(
                    "could not count sessions with legacy task ids: {}",
                    other.describe()
                ),
                APPLY_MIGRATIONS,
            );
        }
    };
    match total {
        Some(0) => Check::ok(NAME, "no Open session carries a legacy task id"),
        Some(n) => Check::ok(
            NAME,
            format!(
                "{} with legacy task ids (the original app's mock-task-…, not run ids); \
                 the sweep plans real runs for them",
                plural(usize::try_from(n).unwrap_or(usize::MAX), "Open session")
            ),
        ),
        None => Check::warn(
            NAME,
            "Supabase did not say how many sessions carry legacy task ids",
            "check that the API is PostgREST behind Supabase's gateway",
        ),
    }
}

pub(super) fn schema_check(answers: &[(&str, &Answer)]) -> Check {
    let mut problems = Vec::new();
    for (table, answer) in answers {
        match answer {
            Answer::Ok(_) => {}
            Answer::Api { code, .. } if code_class(code) == CodeClass::MissingColumn => {
                problems.push(format!(
                    "{table}: a column is missing ({})",
                    answer.describe()
                ));
            }
            Answer::Api { code, .. } if code_class(code) == CodeClass::MissingTable => {
                problems.push(format!("table {table} is missing ({})", answer.describe()));
            }
            other => problems.push(format!("{table}: {}", other.describe())),
        }
    }
    if problems.is_empty() {
        Check::ok(
            "supabase.schema",
            "tables teaching_sessions and classes have every column attctl uses",
        )
    } else {
        Check::fail("supabase.schema", problems.join("; "), APPLY_MIGRATIONS)
    }
}

pub(super) fn migrations_check(info: &Answer) -> Check {
    let body: Value = match info {
        Answer::Ok(resp) => match resp.json() {
            Ok(v) => v,
            Err(e) => return Check::warn("supabase.migrations", e.to_string(), APPLY_MIGRATIONS),
        },
        Answer::Api { code, .. }
            if matches!(
                code_class(code),
                CodeClass::MissingFunction | CodeClass::MissingTable
            ) =>
        {
            return Check::fail(
                "supabase.migrations",
                format!(
                    "attctl_schema_info() is missing: the migrations were not applied ({})",
                    info.describe()
                ),
                APPLY_MIGRATIONS,
            );
        }
        other => {
            return Check::warn(
                "supabase.migrations",
                format!("the schema version cannot be read: {}", other.describe()),
                APPLY_MIGRATIONS,
            );
        }
    };
    let Some(version) = body.get("version").and_then(Value::as_str) else {
        return Check::warn(
            "supabase.migrations",
            "attctl_schema_info() returned no version",
            APPLY_MIGRATIONS,
        );
    };
    let names = |key: &str| -> Vec<String> {
        body.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (unvalidated, missing) = (
        names("unvalidated_constraints"),
        names("missing_constraints"),
    );
    match compare_versions(version, SCHEMA_VERSION) {
        std::cmp::Ordering::Less => Check::fail(
            "supabase.migrations",
            format!("the database is at migration {version}; this attctl needs {SCHEMA_VERSION}"),
            APPLY_MIGRATIONS,
        ),
        std::cmp::Ordering::Greater => Check::warn(
            "supabase.migrations",
            format!(
                "the database is at migration {version}, newer than this attctl knows \
                 ({SCHEMA_VERSION})"
            ),
            "upgrade attctl and attctl-worker",
        ),
        std::cmp::Ordering::Equal if !unvalidated.is_empty() || !missing.is_empty() => {
            let mut parts = Vec::new();
            if !unvalidated.is_empty() {
                parts.push(format!("not valid yet: {}", unvalidated.join(", ")));
            }
            if !missing.is_empty() {
                parts.push(format!("not created: {}", missing.join(", ")));
            }
            Check::warn(
                "supabase.migrations",
                format!(
                    "at {version}, but old rows break constraints ({})",
                    parts.join("; ")
                ),
                "fix the old rows that supabase.rows names (it gives each fix), then apply \
                 the migrations again",
            )
        }
        std::cmp::Ordering::Equal => {
            Check::ok("supabase.migrations", format!("up to date ({version})"))
        }
    }
}

/// Migration versions are timestamps; compare them as numbers when they are.
pub(super) fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.trim().parse::<u128>(), b.trim().parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

// ----- Hatchet -----
