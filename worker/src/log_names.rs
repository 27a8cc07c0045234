//! What the worker's short log lines say about a session: its class's name, its date and
//! times, and how late it closed (`Year 7 (A) 2026-10-20 08:00-09:00 (session 12), 42 days
//! late`). Class names come from one read kept for the process, read again (at most every
//! [`REREAD_AFTER`]) when a class is not in it, so a burst of closes costs no reads.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use attctl::service::SessionService;
use attctl::session::{SessionId, TeachingSession};

/// A class id (the library keeps its alias to itself).
type ClassId = i64;

/// The least time between two reads of the class names.
const REREAD_AFTER: Duration = Duration::from_secs(30);
/// Sessions named in one line; the rest are counted.
pub(crate) const NAMED_IN_A_LINE: usize = 5;

struct Names {
    names: BTreeMap<ClassId, String>,
    read_at: Option<Instant>,
}

static NAMES: Mutex<Names> = Mutex::new(Names {
    names: BTreeMap::new(),
    read_at: None,
});

fn names() -> std::sync::MutexGuard<'static, Names> {
    NAMES.lock().unwrap_or_else(|p| p.into_inner())
}

/// The names of these classes, read from the store when one is missing (and the last read
/// is old enough); a failed read leaves the ids to speak.
pub(crate) async fn class_names(
    service: &SessionService,
    classes: impl IntoIterator<Item = ClassId>,
) -> HashMap<ClassId, String> {
    let wanted: Vec<ClassId> = classes.into_iter().collect();
    let stale = {
        let n = names();
        wanted.iter().any(|c| !n.names.contains_key(c))
            && n.read_at.is_none_or(|at| at.elapsed() >= REREAD_AFTER)
    };
    if stale {
        if let Ok(classes) = service.store().list_classes().await {
            let mut n = names();
            n.names = classes.into_iter().map(|c| (c.id, c.name)).collect();
            n.read_at = Some(Instant::now());
        } else {
            names().read_at = Some(Instant::now());
        }
    }
    let n = names();
    wanted
        .into_iter()
        .filter_map(|c| n.names.get(&c).map(|name| (c, name.clone())))
        .collect()
}

/// `Year 7 (A) 2026-10-20 08:00-09:00 (session 12)`.
pub(crate) fn describe(names: &HashMap<ClassId, String>, s: &TeachingSession) -> String {
    let class = names
        .get(&s.class_id)
        .map_or_else(|| format!("class {}", s.class_id), |n| printable(n));
    format!(
        "{class} {} {}-{} (session {})",
        s.session_date,
        s.start_time.format("%H:%M"),
        s.end_time.format("%H:%M"),
        s.id
    )
}

/// How late a closed session closed: `3 ms late`, `42 days late`.
pub(crate) fn late(s: &TeachingSession) -> Option<String> {
    let lag = (s.closed_at? - s.closes_at).num_milliseconds();
    Some(format!("{} late", attctl::human_delay(lag)))
}

/// The sessions of `ids` described, the first [`NAMED_IN_A_LINE`] with their lateness and
/// the rest counted: one read of those sessions, and the class names.
pub(crate) async fn describe_closed(service: &SessionService, ids: &[SessionId]) -> String {
    let named = &ids[..ids.len().min(NAMED_IN_A_LINE)];
    let sessions = service
        .store()
        .get_sessions(named)
        .await
        .unwrap_or_default();
    let names = class_names(service, sessions.iter().map(|s| s.class_id)).await;
    let mut parts: Vec<String> = named
        .iter()
        .map(|id| match sessions.iter().find(|s| s.id == *id) {
            Some(s) => match late(s) {
                Some(late) => format!("{}, {late}", describe(&names, s)),
                None => describe(&names, s),
            },
            None => format!("session {id}"),
        })
        .collect();
    if ids.len() > named.len() {
        parts.push(format!("and {} more", ids.len() - named.len()));
    }
    parts.join("; ")
}

/// A class name as a log line may show it: control characters escaped, so a name cannot
/// drive the terminal the log is read on.
fn printable(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}
