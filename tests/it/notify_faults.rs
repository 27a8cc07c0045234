//! `attctl notify test`, `doctor` and `config show` against misbehaving receivers and
//! secret-bearing addresses, black-box: a mail server that greets and then says nothing
//! (both commands answer within the stated deadline), a webhook that redirects (not
//! followed), and URLs whose query or whole value is a credential (never shown).

use std::time::Duration;

use crate::common::{TestEnv, doctor_check};
use attctl_testkit::assert_no_secret;
use attctl_testkit::smtp::{SmtpSecurity, SmtpSink};
use attctl_testkit::webhook::WebhookReceiver;
use serde_json::Value;

/// `notify test` and `doctor`'s notification checks answer within this (README).
const DEADLINE: Duration = Duration::from_secs(10);
/// Room for starting the process on a loaded machine: bounded, not hanging, is the point.
const MARGIN: Duration = Duration::from_secs(15);

fn silent_mail_env(sink: &SmtpSink) -> TestEnv {
    TestEnv::local()
        .with("ATTCTL_SMTP_URL", &sink.url())
        .with("ATTCTL_MAIL_FROM", "noreply@school.example")
        .with("ATTCTL_MAIL_TO", "office@school.example")
}

/// Item 1: with a server that sends its 220 greeting and then nothing, `notify test
/// --channel email` and `doctor` hung (lettre bounds only the connect).
#[test]
fn notify_test_and_doctor_answer_within_the_deadline_when_the_mail_server_is_silent() {
    let sink = SmtpSink::start(SmtpSecurity::Plain, None).expect("SMTP sink");
    sink.set_silent_after_greeting(true);
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = silent_mail_env(&sink)
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret);

    let out = env
        .attctl()
        .args(["notify", "test", "--channel", "email", "-o", "json"])
        .run_within(DEADLINE + MARGIN);
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(
        out.stderr.contains("email") && out.stderr.contains("timed out"),
        "{}",
        out.stderr
    );
    assert_eq!(out.json()[0]["ok"], false, "{}", out.stdout);

    // Every channel at once: the webhook's answer is there, the email's ends at its deadline.
    let out = env
        .attctl()
        .args(["notify", "test", "-o", "json"])
        .run_within(DEADLINE + MARGIN);
    let answers = out.json();
    let by = |ch: &str| {
        answers
            .as_array()
            .and_then(|a| a.iter().find(|x| x["channel"] == ch).cloned())
            .unwrap_or(Value::Null)
    };
    assert_eq!(by("webhook")["ok"], true, "{answers}");
    assert_eq!(by("email")["ok"], false, "{answers}");
    assert_eq!(receiver.deliveries().len(), 1);

    let out = env
        .attctl()
        .args(["doctor", "-o", "json"])
        .run_within(DEADLINE + MARGIN);
    let report: Value = serde_json::from_str(&out.stdout).expect("doctor JSON");
    let email = doctor_check(&report, "notify.email");
    assert_eq!(email["status"], "fail", "{report}");
    assert!(
        email["detail"]
            .as_str()
            .is_some_and(|d| d.contains("timed out")),
        "{email}"
    );
    assert!(sink.mails().is_empty());
}

/// Item 2: a redirect was followed (as a GET, without the body) and counted as accepted.
#[test]
fn notify_test_reports_a_redirect_without_following_it() {
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let elsewhere = WebhookReceiver::start(&secret).expect("redirect target");
    let token = "Moved-Token-4b9d0c31";
    receiver.redirect(Some((301, &format!("{}?token={token}", elsewhere.url()))));
    let env = TestEnv::local()
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret);
    let out = env.run_attctl(["notify", "test", "--channel", "webhook", "-o", "json"]);
    assert_ne!(out.code, 0, "{}", out.stdout);
    let answer = &out.json()[0];
    assert_eq!(answer["ok"], false, "{answer}");
    assert_eq!(answer["status"], 301, "{answer}");
    let detail = answer["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains(&elsewhere.url()) && detail.contains("token=***"),
        "{detail}"
    );
    assert!(
        elsewhere.deliveries().is_empty(),
        "the redirect was followed"
    );
    assert_no_secret(token, &[("stdout", &out.stdout), ("stderr", &out.stderr)]);

    // Slack: the same rule, and of the target only its host (Slack URLs are credentials).
    let slack = WebhookReceiver::start(&secret).expect("Slack stand-in");
    slack.redirect(Some((
        303,
        &format!("{}/services/T1/B2/{token}", elsewhere.url()),
    )));
    let env = TestEnv::local().with("ATTCTL_SLACK_WEBHOOK_URL", &slack.url());
    let out = env.run_attctl(["notify", "test", "-o", "json"]);
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.json()[0]["status"], 303, "{}", out.stdout);
    assert!(
        elsewhere.deliveries().is_empty(),
        "the redirect was followed"
    );
    assert_no_secret(token, &[("stdout", &out.stdout), ("stderr", &out.stderr)]);
}

/// Item 9: a `?token=` in the webhook URL was printed by `config show` and `doctor`, and a
/// Slack URL without its scheme was echoed whole in the error.
#[test]
fn secrets_in_channel_urls_are_never_shown() {
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let token = "Query-Token-5e8a1f0d2c";
    let env = TestEnv::local()
        .with(
            "ATTCTL_WEBHOOK_URL",
            &format!("{}?token={token}", receiver.url()),
        )
        .with("ATTCTL_WEBHOOK_SECRET", &secret);
    let show = env.run_attctl(["config", "show", "-o", "json"]);
    show.assert_ok();
    let shown = show.json()["settings"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["key"] == "webhook_url").cloned())
        .expect("webhook_url shown");
    assert!(
        shown["value"]
            .as_str()
            .is_some_and(|v| v.ends_with("/hook?token=***")),
        "{shown}"
    );
    let table = env.run_attctl(["config", "show", "-o", "table"]);
    let doctor = env.run_attctl(["doctor", "-o", "json"]);
    let report: Value = serde_json::from_str(&doctor.stdout).expect("doctor JSON");
    assert!(
        doctor_check(&report, "notify.webhook")["detail"]
            .as_str()
            .is_some_and(|d| d.contains("token=***")),
        "{report}"
    );
    assert_no_secret(
        token,
        &[
            ("config show", &show.stdout),
            ("config show table", &table.stdout),
            ("doctor", &doctor.stdout),
            ("doctor stderr", &doctor.stderr),
        ],
    );

    // Values that are not usable URLs: the variable and what is wrong, never the value.
    let slack_secret = "T0001/B0002/Xq7Zk93mPwL4vR";
    for (var, value) in [
        (
            "ATTCTL_SLACK_WEBHOOK_URL",
            format!("hooks.slack.com/services/{slack_secret}"),
        ),
        (
            "ATTCTL_SLACK_WEBHOOK_URL",
            format!("ftp://hooks.slack.com/services/{slack_secret}"),
        ),
        (
            "ATTCTL_WEBHOOK_URL",
            format!("receiver.example/hook?token={slack_secret}"),
        ),
    ] {
        let env = TestEnv::local().with(var, &value);
        for args in [vec!["session", "list"], vec!["config", "show"]] {
            let out = env.run_attctl(&args);
            assert_ne!(out.code, 0, "{var}={value}: {}", out.stdout);
            assert!(out.stdout.is_empty(), "{}", out.stdout);
            assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
            assert!(
                out.stderr.starts_with("error: ") && out.stderr.contains(var),
                "{}",
                out.stderr
            );
            assert_no_secret(slack_secret, &[("stderr", &out.stderr)]);
            assert!(!out.stderr.contains("hooks.slack"), "{}", out.stderr);
        }
    }
}
