//! `attctl events list` on both backends: what it cannot show is refused with one line,
//! before any request, rather than cut short without a word or a panic.

use crate::common::TestEnv;

/// `--since` reaching before 1970 (once a panic on Supabase), `--limit` above the 1,000
/// rows Supabase answers (once cut to 1,000 silently) or 0 (once one event).
fn what_cannot_be_shown_is_refused(env: TestEnv) {
    env.attctl()
        .args(["session", "create", "--class"])
        .arg(env.class().to_string())
        .args(["--date", "2045-01-09", "--start", "09:00", "--end", "09:50"])
        .success();
    for since in ["99999999d", "9999999999h", "1969-12-31T23:00:00Z"] {
        env.attctl()
            .args(["events", "list", "-o", "json", "--since", since])
            .run()
            .assert_one_line_error(2, "before 1970");
    }
    for limit in ["0", "1001", "5000"] {
        env.attctl()
            .args(["events", "list", "-o", "json", "--limit", limit])
            .run()
            .assert_one_line_error(2, "1 to 1000");
    }
    let one = env
        .attctl()
        .args([
            "events", "list", "-o", "json", "--limit", "1", "--since", "3650d",
        ])
        .success()
        .json();
    assert_eq!(one.as_array().map(Vec::len), Some(1), "{one}");
    env.attctl()
        .args(["events", "list", "-o", "json", "--limit", "1000"])
        .success();
}

backend_tests!(what_cannot_be_shown_is_refused);
