//! Email notifications, black-box: the real `attctl` and `attctl-worker` against the
//! testkit's SMTP server on loopback (real SMTP: STARTTLS with its own test authority,
//! AUTH, 4xx/5xx answers), the outbox in a SQLite file.

use std::time::Duration;

use crate::common::{TestEnv, avoid_midnight, in_secs, unique};
use attctl_testkit::assert_no_secret;
use attctl_testkit::smtp::{ReceivedMail, SmtpSecurity, SmtpSink};
use serde_json::Value;

const LEN: Duration = Duration::from_secs(60);
const USER: &str = "attctl-mailer";
const PASSWORD: &str = "s3cret-Pa55word-for-smtp";

fn sink(security: SmtpSecurity) -> SmtpSink {
    SmtpSink::start(security, Some((USER, PASSWORD))).expect("SMTP sink")
}

/// Email to `office@school.example` through `sink`, trusting its test authority.
fn mailing_env(sink: &SmtpSink) -> TestEnv {
    let mut env = TestEnv::local()
        .with("ATTCTL_SMTP_URL", &sink.url())
        .with("ATTCTL_MAIL_FROM", "attctl <noreply@school.example>")
        .with("ATTCTL_MAIL_TO", "office@school.example");
    if let Some(ca) = sink.ca_file() {
        env.set("ATTCTL_SMTP_CA_FILE", ca.to_str().expect("utf-8 path"));
    }
    env
}

/// Header lines unfolded, so that a long subject reads as one line.
fn unfolded(data: &str) -> String {
    data.replace("\r\n ", " ").replace("\r\n\t", " ")
}

/// The message with quoted-printable undone (soft line breaks joined, `=XX` decoded), as a
/// mail client shows the parts.
fn decoded(data: &str) -> String {
    let joined = data.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn subject(mail: &ReceivedMail) -> String {
    unfolded(&mail.data)
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or("")
        .to_string()
}

fn of_session(mails: &[ReceivedMail], id: i64) -> Vec<ReceivedMail> {
    let marker = format!("#{id},");
    mails
        .iter()
        .filter(|m| decoded(&m.data).contains(&marker))
        .cloned()
        .collect()
}

fn events(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["events", "list", "--type", "session.closed", "-o", "json"];
    all.extend_from_slice(args);
    let out = env.run_attctl(all);
    out.assert_ok();
    out.json()
}

fn wait_events(env: &TestEnv, args: &[&str], pred: impl Fn(&Value) -> bool) -> Value {
    let end = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let v = events(env, args);
        if pred(&v) || std::time::Instant::now() >= end {
            return v;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_warning_and_the_auto_close_are_emailed_to_mail_to_and_the_class_over_starttls() {
    avoid_midnight(Duration::from_secs(90));
    let sink = sink(SmtpSecurity::StartTls);
    let env = mailing_env(&sink).with("ATTCTL_WARN_BEFORE", "5s");
    let name = unique("Maths");
    let out = env.run_attctl([
        "class",
        "create",
        "--name",
        &name,
        // One repeat of ATTCTL_MAIL_TO in another case: sent once.
        "--notify-email",
        "head@school.example,Office@School.example",
        "-o",
        "json",
    ]);
    out.assert_ok();
    let class = out.json()["id"].as_i64().expect("class id");
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    let session = env.session_ending_at(class, in_secs(9), LEN);
    let id = session["id"].as_i64().expect("id");

    // One transaction per recipient: the warning to both, then the close to both.
    assert!(
        sink.wait_for(Duration::from_secs(25), |m| of_session(m, id).len() >= 4),
        "mails: {:?}",
        sink.mails()
    );
    std::thread::sleep(Duration::from_secs(1));
    let mails = of_session(&sink.mails(), id);
    assert_eq!(mails.len(), 4, "{mails:?}");
    for pair in mails.chunks(2) {
        let mut to: Vec<String> = pair.iter().flat_map(|m| m.rcpt_to.clone()).collect();
        to.sort();
        assert_eq!(to, vec!["head@school.example", "office@school.example"]);
        assert_eq!(pair[0].data, pair[1].data, "the same message to each");
    }
    let (warning, closed) = (&mails[0], &mails[2]);
    for m in [warning, closed] {
        assert_eq!(m.answered, 250);
        assert!(m.tls, "not over TLS");
        assert_eq!(m.auth_user.as_deref(), Some(USER));
        assert_eq!(m.mail_from, "noreply@school.example");
        assert_eq!(m.rcpt_to.len(), 1, "{m:?}");
        let to_header = unfolded(&m.data)
            .lines()
            .find_map(|l| l.strip_prefix("To: ").map(str::to_string))
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            to_header.contains("head@school.example")
                && to_header.contains("office@school.example"),
            "{to_header}"
        );
        let data = decoded(&unfolded(&m.data));
        assert!(data.contains("multipart/alternative"), "{data}");
        assert!(data.contains("Content-Type: text/plain"), "{data}");
        assert!(data.contains("Content-Type: text/html"), "{data}");
        assert!(data.contains(&format!("<td>{name}</td>")), "{data}");
        assert!(data.contains(&format!("Class:     {name}")), "{data}");
        assert!(data.contains(crate::common::test_zone()), "{data}");
        assert!(data.contains(session["session_date"].as_str().expect("date")));
    }
    assert!(
        subject(warning).starts_with("[attctl] Closing in "),
        "{}",
        subject(warning)
    );
    assert!(subject(warning).contains(&name));
    assert!(
        subject(closed).starts_with("[attctl] Session closed (auto): "),
        "{}",
        subject(closed)
    );
    let text = decoded(&closed.data);
    assert!(text.contains("closed automatically at its end"), "{text}");
    assert!(text.contains("Closed at:"), "{text}");
    assert!(warning.at < closed.at);

    let ev = events(&env, &[]);
    assert_eq!(ev[0]["deliveries"]["email"]["state"], "delivered", "{ev}");
    assert_eq!(ev[0]["deliveries"]["email"]["status"], 250, "{ev}");

    // The password shows nowhere: worker logs, config show, doctor, events.
    let config = env.run_attctl(["config", "show"]);
    let doctor = env.run_attctl(["doctor"]);
    let logs = worker.lines().join("\n");
    let ev = ev.to_string();
    assert!(config.stdout.contains("ATTCTL_SMTP_URL") || config.stdout.contains("smtp_url"));
    assert_no_secret(
        PASSWORD,
        &[
            ("worker log", &logs),
            (
                "config show",
                &format!("{}{}", config.stdout, config.stderr),
            ),
            ("doctor", &format!("{}{}", doctor.stdout, doctor.stderr)),
            ("events list", &ev),
        ],
    );
}

#[test]
fn a_4xx_twice_then_accepted_is_delivered_once_after_retries() {
    avoid_midnight(Duration::from_secs(300));
    let sink = sink(SmtpSecurity::Plain);
    sink.reject_next(451, 2);
    let env = mailing_env(&sink);
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    assert!(
        sink.wait_for(Duration::from_secs(40), |m| {
            of_session(m, id).iter().any(|m| m.answered == 250)
        }),
        "{:?}",
        sink.mails()
    );
    std::thread::sleep(Duration::from_secs(2));
    let tries = of_session(&sink.mails(), id);
    assert_eq!(
        tries.iter().map(|m| m.answered).collect::<Vec<_>>(),
        vec![451, 451, 250]
    );
    // One message, sent three times: the same Message-ID each time.
    let ids: std::collections::HashSet<String> = tries
        .iter()
        .filter_map(|m| {
            unfolded(&m.data)
                .lines()
                .find_map(|l| l.strip_prefix("Message-ID: ").map(str::to_string))
        })
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let ev = wait_events(&env, &[], |v| v[0]["state"] == "delivered");
    assert_eq!(ev[0]["state"], "delivered", "{ev}");
    assert_eq!(ev[0]["attempts"], 3, "{ev}");
    assert_eq!(ev[0]["deliveries"]["email"]["attempts"], 3, "{ev}");
    assert_no_secret(PASSWORD, &[("worker log", &worker.lines().join("\n"))]);
}

#[test]
fn a_5xx_is_permanent_failed_at_once_and_retried_on_request() {
    avoid_midnight(Duration::from_secs(300));
    let sink = sink(SmtpSecurity::Plain);
    sink.reject_next(554, 1);
    let env = mailing_env(&sink);
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    let failed = wait_events(&env, &["--state", "failed"], |v| {
        v.as_array().is_some_and(|a| !a.is_empty())
    });
    assert_eq!(failed[0]["session_id"], id, "{failed}");
    assert_eq!(failed[0]["attempts"], 1, "{failed}");
    assert_eq!(
        failed[0]["deliveries"]["email"]["state"], "failed",
        "{failed}"
    );
    assert_eq!(failed[0]["deliveries"]["email"]["status"], 554, "{failed}");
    assert!(
        failed[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("554")),
        "{failed}"
    );
    // Not retried by itself.
    std::thread::sleep(Duration::from_secs(6));
    assert_eq!(of_session(&sink.mails(), id).len(), 1);

    let out = env.run_attctl(["events", "retry", "--failed"]);
    out.assert_ok();
    assert!(sink.wait_for(Duration::from_secs(20), |m| {
        of_session(m, id).iter().any(|m| m.answered == 250)
    }));
    let ev = wait_events(&env, &[], |v| v[0]["state"] == "delivered");
    assert_eq!(ev[0]["state"], "delivered", "{ev}");
    assert_no_secret(PASSWORD, &[("worker log", &worker.lines().join("\n"))]);
}

/// A server that refuses one mailbox at RCPT TO (550: no such user) still takes the
/// message for the others; the event is delivered, the refused address named.
#[test]
fn a_refused_mailbox_does_not_keep_the_email_from_the_others() {
    avoid_midnight(Duration::from_secs(300));
    let sink = sink(SmtpSecurity::Plain);
    sink.refuse_recipient("gone@school.example", 550);
    let env = mailing_env(&sink);
    let out = env.run_attctl([
        "class",
        "create",
        "--name",
        &unique("History"),
        "--notify-email",
        "gone@school.example,head@school.example",
        "-o",
        "json",
    ]);
    out.assert_ok();
    let class = out.json()["id"].as_i64().expect("class id");
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    let ev = wait_events(&env, &[], |v| v[0]["state"] == "delivered");
    assert_eq!(ev[0]["state"], "delivered", "{ev}");
    let email = &ev[0]["deliveries"]["email"];
    assert_eq!(email["state"], "delivered", "{ev}");
    let detail = email["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("gone@school.example") && detail.contains("550"),
        "{detail}"
    );
    let mut to: Vec<String> = of_session(&sink.mails(), id)
        .iter()
        .flat_map(|m| m.rcpt_to.clone())
        .collect();
    to.sort();
    assert_eq!(to, vec!["head@school.example", "office@school.example"]);
    // Refused for good: not sent again.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(of_session(&sink.mails(), id).len(), 2);
}

fn doctor_check(env: &TestEnv, name: &str) -> (i32, Value, String) {
    let out = env.run_attctl(["doctor", "-o", "json"]);
    let v = out.json();
    let checks = v
        .get("checks")
        .cloned()
        .unwrap_or_else(|| v.clone())
        .as_array()
        .cloned()
        .unwrap_or_default();
    let check = checks
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or(Value::Null);
    (out.code, check, format!("{}{}", out.stdout, out.stderr))
}

#[test]
fn doctor_checks_smtp_without_sending_and_names_what_fails() {
    let sink = sink(SmtpSecurity::StartTls);
    let env = mailing_env(&sink);
    let (_, check, all) = doctor_check(&env, "notify.email");
    assert_eq!(check["status"], "ok", "{all}");
    let detail = check["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("STARTTLS") && detail.contains("AUTH"),
        "{detail}"
    );
    assert!(sink.mails().is_empty(), "doctor sent mail");
    let commands = sink.commands();
    for verb in ["EHLO", "STARTTLS", "AUTH", "QUIT"] {
        assert!(
            commands
                .iter()
                .any(|c| c.to_ascii_uppercase().starts_with(verb)),
            "{verb} missing: {commands:?}"
        );
    }
    assert!(
        !commands
            .iter()
            .any(|c| c.to_ascii_uppercase().starts_with("MAIL"))
    );
    assert_no_secret(PASSWORD, &[("doctor", &all)]);

    // A wrong password: the server's refusal, and no password.
    let wrong = "Wrong-pa55word-xyz";
    let env = env.with("ATTCTL_SMTP_URL", &sink.url_with(USER, wrong));
    let (code, check, all) = doctor_check(&env, "notify.email");
    assert_ne!(code, 0, "{all}");
    assert_eq!(check["status"], "fail", "{all}");
    assert!(
        check["detail"].as_str().unwrap_or("").contains("535"),
        "{all}"
    );
    assert_eq!(sink.failed_logins(), 1);
    assert_no_secret(wrong, &[("doctor", &all)]);

    // Nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let env = env.with(
        "ATTCTL_SMTP_URL",
        &format!("smtp://{USER}:{PASSWORD}@127.0.0.1:{port}"),
    );
    let (_, check, all) = doctor_check(&env, "notify.email");
    assert_eq!(check["status"], "fail", "{all}");
    assert!(
        check["detail"]
            .as_str()
            .unwrap_or("")
            .to_ascii_lowercase()
            .contains("refused"),
        "{all}"
    );
    assert_no_secret(PASSWORD, &[("doctor", &all)]);

    // The certificate of an authority nobody trusts: a TLS failure, named.
    let env = mailing_env(&sink).with("ATTCTL_SMTP_CA_FILE", "");
    let (_, check, all) = doctor_check(&env, "notify.email");
    assert_eq!(check["status"], "fail", "{all}");
}

#[test]
fn notify_test_sends_a_sample_email_and_reports_the_servers_answer() {
    let sink = sink(SmtpSecurity::Implicit);
    let env = mailing_env(&sink);
    let out = env.run_attctl(["notify", "test", "--channel", "email", "-o", "json"]);
    out.assert_ok();
    let answer = &out.json()[0];
    assert_eq!(answer["channel"], "email", "{}", out.stdout);
    assert_eq!(answer["ok"], true, "{}", out.stdout);
    assert_eq!(answer["status"], 250, "{}", out.stdout);
    assert!(
        answer["detail"].as_str().unwrap_or("").contains("queued"),
        "{}",
        out.stdout
    );
    let mails = sink.accepted();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt_to, vec!["office@school.example"]);
    assert!(mails[0].tls);
    assert_no_secret(
        PASSWORD,
        &[("stdout", &out.stdout), ("stderr", &out.stderr)],
    );

    // A refusal is reported with the server's words, and fails the command.
    sink.reject_next(550, 1);
    let out = env.run_attctl(["notify", "test", "--channel", "email"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("550"), "{}", out.stderr);

    // Without ATTCTL_MAIL_TO there is nobody to send the sample to.
    let mut bare = TestEnv::local()
        .with("ATTCTL_SMTP_URL", &sink.url())
        .with("ATTCTL_MAIL_FROM", "noreply@school.example");
    if let Some(ca) = sink.ca_file() {
        bare.set("ATTCTL_SMTP_CA_FILE", ca.to_str().expect("utf-8"));
    }
    let out = bare.run_attctl(["notify", "test", "--channel", "email"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("ATTCTL_MAIL_TO"), "{}", out.stderr);
}

#[test]
fn bad_email_settings_are_one_clear_error_naming_the_variable() {
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[
                ("ATTCTL_SMTP_URL", "http://me:hunter2-password@mail.example"),
                ("ATTCTL_MAIL_FROM", "a@b.example"),
            ],
            "ATTCTL_SMTP_URL",
        ),
        (
            &[
                (
                    "ATTCTL_SMTP_URL",
                    "smtp://me:hunter2-password@mail.example?tls=sometimes",
                ),
                ("ATTCTL_MAIL_FROM", "a@b.example"),
            ],
            "ATTCTL_SMTP_URL",
        ),
        (
            &[(
                "ATTCTL_SMTP_URL",
                "smtps://me:hunter2-password@mail.example",
            )],
            "ATTCTL_MAIL_FROM",
        ),
        (
            &[
                (
                    "ATTCTL_SMTP_URL",
                    "smtps://me:hunter2-password@mail.example",
                ),
                ("ATTCTL_MAIL_FROM", "not an address"),
            ],
            "ATTCTL_MAIL_FROM",
        ),
        (
            &[
                (
                    "ATTCTL_SMTP_URL",
                    "smtps://me:hunter2-password@mail.example",
                ),
                ("ATTCTL_MAIL_FROM", "a@b.example"),
                ("ATTCTL_MAIL_TO", "x@y.example,nobody"),
            ],
            "ATTCTL_MAIL_TO",
        ),
        (&[("ATTCTL_MAIL_TO", "x@y.example")], "ATTCTL_SMTP_URL"),
    ];
    for (vars, named) in cases {
        let mut env = TestEnv::local();
        for (k, v) in vars {
            env.set(k, v);
        }
        let out = env.run_attctl(["session", "list"]);
        assert_eq!(out.code, 2, "{vars:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains(named), "{vars:?}: {}", out.stderr);
        assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
        assert!(!env.data_file().exists(), "something was written");
    }
}

/// `rm attctl.db*` under a running worker: the local closer reopens the new file, and the
/// delivery loop follows it, so the new file's closes are emailed too.
#[test]
fn after_the_data_file_is_replaced_its_events_are_still_delivered() {
    avoid_midnight(Duration::from_secs(90));
    let sink = sink(SmtpSecurity::Plain);
    let env = mailing_env(&sink);
    env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    for entry in std::fs::read_dir(env.dir()).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("attctl.db") {
            std::fs::remove_file(entry.path()).expect("rm");
        }
    }
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3), LEN);
    let id = s["id"].as_i64().expect("id");
    env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert!(
        sink.wait_for(Duration::from_secs(15), |m| !of_session(m, id).is_empty()),
        "the new file's close was not emailed: {:?}",
        worker.lines()
    );
    let ev = wait_events(&env, &[], |v| v[0]["state"] == "delivered");
    assert_eq!(ev[0]["state"], "delivered", "{ev}");
}

/// The same settings as profile keys of the config file: `notify test` mails through them
/// and `config show` names them with the password masked.
#[test]
fn email_settings_work_as_profile_keys() {
    use std::os::unix::fs::PermissionsExt;
    let sink = sink(SmtpSecurity::StartTls);
    let env = TestEnv::local();
    let cfg = env.dir().join("config/attctl/config.toml");
    std::fs::create_dir_all(cfg.parent().expect("parent")).expect("mkdir");
    let ca = sink.ca_file().expect("CA file");
    std::fs::write(
        &cfg,
        format!(
            "[profiles.default]\nsmtp_url = \"{}\"\nmail_from = \"noreply@school.example\"\n\
             mail_to = \"office@school.example, head@school.example\"\nsmtp_ca_file = \"{}\"\n",
            sink.url(),
            ca.display()
        ),
    )
    .expect("write config");
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = env.run_attctl(["notify", "test", "--channel", "email", "-o", "json"]);
    out.assert_ok();
    // One transaction per recipient.
    let mails = sink.accepted();
    assert_eq!(mails.len(), 2);
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["head@school.example", "office@school.example"]);
    let show = env.run_attctl(["config", "show", "-o", "json"]);
    show.assert_ok();
    let settings = show.json()["settings"].clone();
    let smtp = settings
        .as_array()
        .and_then(|a| a.iter().find(|s| s["key"] == "smtp_url").cloned())
        .expect("smtp_url shown");
    assert!(
        smtp["value"].as_str().is_some_and(|v| v.contains("****")),
        "{smtp}"
    );
    assert_no_secret(
        PASSWORD,
        &[
            ("config show", &show.stdout),
            ("notify test", &format!("{}{}", out.stdout, out.stderr)),
        ],
    );
}

/// A mail server that is down refuses connections: transient, retried until it is back.
#[test]
fn a_mail_server_that_is_down_gets_the_email_when_it_returns() {
    avoid_midnight(Duration::from_secs(300));
    let mut sink = sink(SmtpSecurity::Plain);
    sink.pause();
    let env = mailing_env(&sink);
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    let pending = wait_events(&env, &[], |v| v[0]["attempts"].as_i64().unwrap_or(0) >= 2);
    assert_eq!(pending[0]["state"], "pending", "{pending}");
    assert_eq!(
        pending[0]["deliveries"]["email"]["state"], "pending",
        "{pending}"
    );
    sink.resume().expect("resume");
    assert!(sink.wait_for(Duration::from_secs(40), |m| {
        of_session(m, id).iter().any(|m| m.answered == 250)
    }));
    let ev = wait_events(&env, &[], |v| v[0]["state"] == "delivered");
    assert_eq!(ev[0]["state"], "delivered", "{ev}");
}
