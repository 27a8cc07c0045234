//! What an event says, whichever channel carries it: the webhook body and its `data` (the
//! session as the CLI prints it), and one readable line for Slack and email subjects.

use serde_json::{Map, Value, json};

use crate::session::TeachingSession;
use crate::store::events::EventRecord;

/// The `data` object of the webhook body: the session (as the CLI prints it, with
/// `class_name`), plus `closed_by`, `seconds_left`, or a missing register's `enrolled` and
/// `automarked`, when the event has them.
pub(super) fn event_data(event: &EventRecord) -> Value {
    let mut data = Map::new();
    if let Some(raw) = event.payload.get("session") {
        data.insert("session".into(), normalise_session(raw));
    }
    for key in [
        "closed_by",
        "seconds_left",
        "before",
        "enrolled",
        "automarked",
    ] {
        if let Some(v) = event.payload.get(key) {
            let v = if key == "before" {
                normalise_session(v)
            } else {
                v.clone()
            };
            data.insert(key.into(), v);
        }
    }
    Value::Object(data)
}

/// The two stores spell instants differently (`…+00:00`, `….000000Z`): read the row as a
/// session and write it back as the CLI does, keeping `class_name`.
fn normalise_session(raw: &Value) -> Value {
    match serde_json::from_value::<TeachingSession>(raw.clone())
        .ok()
        .and_then(|s| serde_json::to_value(s).ok())
    {
        Some(Value::Object(mut obj)) => {
            if let Some(name) = raw.get("class_name") {
                obj.insert("class_name".into(), name.clone());
            }
            Value::Object(obj)
        }
        _ => raw.clone(),
    }
}

/// The webhook body, `{"type", "timestamp", "data"}`; the same bytes on every retry.
pub(super) fn webhook_body(event: &EventRecord) -> Vec<u8> {
    let body = json!({
        "type": event.kind,
        "timestamp": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": event_data(event),
    });
    body.to_string().into_bytes()
}

/// One readable line: what happened, to which class and session, and when.
pub(super) fn summary(kind: &str, data: &Value) -> String {
    let s = data.get("session");
    let get = |k: &str| {
        s.and_then(|s| s.get(k))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let id = s
        .and_then(|s| s.get("id"))
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into());
    let what = format!(
        "{} session {id} on {} {}-{} ({})",
        get("class_name"),
        get("session_date"),
        get("start_time"),
        get("end_time"),
        get("timezone")
    );
    match kind {
        "session.closed" => {
            let by = data.get("closed_by").and_then(Value::as_str).unwrap_or("?");
            format!("Closed ({by}): {what}")
        }
        "session.closing_soon" => {
            let left = data
                .get("seconds_left")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            format!("Closing in {}: {what}", human_seconds(left))
        }
        "session.register_missing" => {
            let n = |k: &str| data.get(k).and_then(Value::as_u64).unwrap_or(0);
            format!(
                "Register not taken ({} enrolled, {} marked absent at close): {what}",
                n("enrolled"),
                n("automarked")
            )
        }
        "session.created" => format!("Created: {what}"),
        "session.rescheduled" => format!("Rescheduled: {what}"),
        "session.reopened" => format!("Reopened: {what}"),
        "session.deleted" => format!("Deleted: {what}"),
        other => format!("{other}: {what}"),
    }
}

pub(super) fn human_seconds(s: i64) -> String {
    if s >= 3600 && s % 3600 == 0 {
        format!("{} h", s / 3600)
    } else if s >= 60 {
        format!("{} min", (s + 30) / 60)
    } else {
        format!("{s} s")
    }
}
