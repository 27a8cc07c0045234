//! attctl-worker's log as a person reads it at a terminal (issue 26, item 10): one short
//! line per event (the time in the school's zone, no module path), sessions named by class
//! and time, lateness in human units, and a failing notification channel said once per
//! failure streak with its receiver's host, never per event and retry. Off a terminal the
//! log stays JSON lines (the other modules read those).

use std::path::Path;
use std::time::Duration;

use crate::common::{Terminal, TestEnv, avoid_midnight, binary, in_secs, unique, wall_times};
use attctl_testkit::webhook::WebhookReceiver;

#[test]
fn the_log_at_a_terminal_reads_as_sentences() {
    avoid_midnight(Duration::from_secs(120));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("webhook receiver");
    // The receiver refuses the first two sends: one failure streak, then it delivers.
    receiver.fail_next(&[503, 503]);
    let url = format!("{}?token=s3cret-token-value", receiver.url());
    let env = TestEnv::local()
        .with("ATTCTL_WEBHOOK_URL", &url)
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with("TERM", "xterm");
    let name = unique("Year 7 (A)");
    let class = env.class_named(&name);
    // Closed by the first sweep, six weeks after its end.
    let (today, _, _) = wall_times(in_secs(0), Duration::ZERO);
    let long_ago = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").expect("date")
        - chrono::Days::new(42);
    let old = env.session(class, &long_ago.to_string(), "08:00", "09:00")["id"].clone();
    let soon = env.session_ending_at(class, in_secs(4), Duration::from_secs(60))["id"].clone();

    // The first line's minute in the zone: now's, or the next one's.
    let minutes = [0, 60].map(|s| wall_times(in_secs(s), Duration::ZERO).2[..5].to_string());
    let Some(screen) = env.on_terminal_program(
        Path::new("timeout"),
        &[
            "--preserve-status",
            "-s",
            "TERM",
            "16",
            &binary("attctl-worker").display().to_string(),
            "--sweep-interval",
            "3600",
        ],
        Terminal::NARROW,
        "",
    ) else {
        return;
    };
    let text = screen.text();
    assert_eq!(screen.code, 0, "{text}");
    let lines: Vec<String> = screen
        .lines()
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();

    // Short lines: the time in the zone (Mon DD HH:MM:SS), no module path, no JSON.
    assert!(
        lines
            .iter()
            .all(|l| !l.contains("attctl_worker") && !l.contains("attctl::")),
        "{text}"
    );
    assert!(lines.iter().all(|l| !l.starts_with('{')), "{text}");
    let first = &lines[0];
    assert!(
        minutes.iter().any(|m| first.get(7..12) == Some(m.as_str())),
        "the time in the zone ({minutes:?}): {text}"
    );
    assert!(
        first.contains("attctl-worker started: local mode"),
        "{text}"
    );
    assert!(
        first.contains("times in Etc/") || first.contains("times in UTC"),
        "{text}"
    );

    // Sessions by class, date and times; how late in days, not milliseconds.
    let swept = screen.lines_with("sweep: closed 1 overdue:");
    assert_eq!(swept.len(), 1, "{text}");
    assert!(
        swept[0].contains(&format!("{name} {long_ago} 08:00-09:00 (session {old})")),
        "{text}"
    );
    assert!(
        ["41 days late", "42 days late", "43 days late"]
            .iter()
            .any(|d| swept[0].contains(d)),
        "{text}"
    );
    let closed = screen.lines_with(&format!("(session {soon}), "));
    assert_eq!(closed.len(), 1, "{text}");
    assert!(
        closed[0].contains(&format!("closed {name} {today} ")),
        "{text}"
    );
    assert!(closed[0].ends_with(" late (auto)"), "{text}");
    assert!(!text.contains(" ms after its end"), "{text}");

    // Two refused sends and their retries: one warning with the host, one recovery line.
    let host = receiver
        .url()
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let failing = screen.lines_with("is failing");
    assert_eq!(failing.len(), 1, "once per streak:\n{text}");
    assert!(
        failing[0].contains(&format!(
            "the webhook channel ({host}) is failing: HTTP 503"
        )),
        "{text}"
    );
    assert!(failing[0].starts_with(&first[..7]) && failing[0].contains("warning:"));
    let again = screen.lines_with("delivers again");
    assert_eq!(again.len(), 1, "{text}");
    assert!(again[0].contains("after 2 failed sends"), "{text}");
    assert!(!text.contains("s3cret"), "the URL's token leaked: {text}");
    assert!(!text.contains("paused for"), "{text}");
}
