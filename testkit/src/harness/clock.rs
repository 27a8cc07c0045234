//! Wall-clock times for sessions around now: a test zone with local noon near the time the
//! suite started (so nothing waits for midnight), and instants in whole seconds.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use serde_json::Value;

/// A wall-clock time `secs` from now in UTC, as (date, HH:MM:SS), never crossing midnight
/// backwards (tests pick their own dates far from now where that matters).
pub fn utc_in(secs: i64) -> (String, String) {
    let t = Utc::now() + chrono::Duration::seconds(secs);
    (
        t.format("%Y-%m-%d").to_string(),
        t.format("%H:%M:%S").to_string(),
    )
}

/// `--date`, `--start`, `--end` for a session ending at `end` (whole seconds, UTC) and
/// lasting `len`, on one day.
pub fn wall_times(end: DateTime<Utc>, len: Duration) -> (String, String, String) {
    let len = chrono::Duration::from_std(len).expect("session length");
    let offset = chrono::Duration::hours(i64::from(zone_offset_hours()));
    let (start, end) = ((end - len).naive_utc() + offset, end.naive_utc() + offset);
    assert_eq!(
        start.date(),
        end.date(),
        "a session of {len} around now spans local midnight in {}",
        test_zone()
    );
    (
        end.format("%Y-%m-%d").to_string(),
        start.format("%H:%M:%S").to_string(),
        end.format("%H:%M:%S").to_string(),
    )
}

/// Hours the test zone is ahead of UTC: chosen once per run so that local time is near
/// noon, whatever time of day the suite runs.
fn zone_offset_hours() -> i32 {
    static OFFSET: OnceLock<i32> = OnceLock::new();
    *OFFSET.get_or_init(|| 12 - Utc::now().hour() as i32)
}

/// The zone the worker tests write wall-clock times in (`ATTCTL_TIMEZONE`): a fixed offset
/// (`Etc/GMT-N` is UTC+N) that puts local noon near the time the suite started, so a
/// session a few hours either side of now never straddles local midnight and no test has
/// to wait for midnight to pass.
pub fn test_zone() -> &'static str {
    static ZONE: OnceLock<String> = OnceLock::new();
    ZONE.get_or_init(|| match zone_offset_hours() {
        0 => "UTC".to_string(),
        h if h > 0 => format!("Etc/GMT-{h}"),
        h => format!("Etc/GMT+{}", -h),
    })
}

/// Whole seconds from now: the instant `secs` seconds ahead, rounded down to the second
/// (the CLI takes HH:MM:SS).
pub fn in_secs(secs: i64) -> DateTime<Utc> {
    let t = Utc::now() + chrono::Duration::seconds(secs);
    t.with_nanosecond(0).unwrap_or(t)
}

/// Sessions span up to `margin` around now: checks that this cannot cross local midnight
/// in [`test_zone`]. It cannot, unless the suite has run for hours, so this never waits.
pub fn avoid_midnight(margin: Duration) {
    let offset = chrono::Duration::hours(i64::from(zone_offset_hours()));
    let local = (Utc::now().naive_utc() + offset).time();
    let secs = local.num_seconds_from_midnight();
    let margin = margin.as_secs() as u32;
    assert!(
        secs > margin && secs + margin < 86_400,
        "local time {local} in {} is within {margin}s of midnight: the suite ran for hours",
        test_zone()
    );
}

pub fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// `closed_at - closes_at` of a session JSON, in milliseconds.
pub fn lag_ms(session: &Value) -> Option<i64> {
    Some(
        (parse_time(&session["closed_at"])? - parse_time(&session["closes_at"])?)
            .num_milliseconds(),
    )
}
