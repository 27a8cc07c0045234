//! The warning and notification settings, listed once: the `--help` of the commands they
//! affect (attctl-worker, `notify`, `events`, `config init|show`), the man pages'
//! ENVIRONMENT and the `config init` template are all written from [`NOTIFY_SETTINGS`], so
//! they cannot tell different stories.

use crate::config::vars;

/// One setting: its variables, its profile keys (empty: environment only) and what it does.
pub(crate) struct NotifySetting {
    pub vars: &'static [&'static str],
    pub keys: &'static [&'static str],
    pub what: &'static str,
    /// A commented example line of the `config init` template (profile keys only).
    pub example: Option<&'static str>,
}

pub(crate) const NOTIFY_SETTINGS: [NotifySetting; 8] = [
    NotifySetting {
        vars: &[vars::WARN_BEFORE],
        keys: &["warn_before"],
        what: "send session.closing_soon at each offset before a session's end (10m,2m; at most 168h)",
        example: Some("warn_before = \"10m,2m\""),
    },
    NotifySetting {
        vars: &[vars::WEBHOOK_URL, vars::WEBHOOK_SECRET],
        keys: &[],
        what: "a webhook receiving every event, signed with the secret (whsec_<base64>)",
        example: None,
    },
    NotifySetting {
        vars: &[vars::SLACK_WEBHOOK_URL],
        keys: &[],
        what: "a Slack incoming webhook",
        example: None,
    },
    NotifySetting {
        vars: &[vars::SMTP_URL],
        keys: &["smtp_url"],
        what: "email: smtp://host:25, smtp://user:pass@host:587?tls=required, smtps://…:465",
        example: Some("smtp_url = \"smtps://attctl:PASSWORD@mail.school.example:465\""),
    },
    NotifySetting {
        vars: &[vars::MAIL_FROM, vars::MAIL_TO],
        keys: &["mail_from", "mail_to"],
        what: "the sender, and recipients (comma list) besides each class's --notify-email",
        example: Some(
            "mail_from = \"attctl@school.example\"\n# mail_to = \"office@school.example\"",
        ),
    },
    NotifySetting {
        vars: &[vars::SMTP_CA_FILE],
        keys: &["smtp_ca_file"],
        what: "a private authority (PEM) for the mail server's certificate",
        example: Some("smtp_ca_file = \"/etc/ssl/school-ca.pem\""),
    },
    NotifySetting {
        vars: &[vars::NOTIFY_EVENTS],
        keys: &[],
        what: "event types sent, a comma list [default: session.closed, session.closing_soon, \
               session.register_missing]",
        example: None,
    },
    NotifySetting {
        vars: &[vars::RETENTION_DAYS],
        keys: &[],
        what: "days events are kept before the worker prunes them [default: 30]",
        example: None,
    },
];

/// The block at the end of `--help` of the commands these settings affect.
pub(crate) fn notify_help() -> String {
    let mut text = String::from(
        "Warnings and notifications (environment; [profile key]; delivered by attctl-worker):",
    );
    for s in &NOTIFY_SETTINGS {
        let keys = if s.keys.is_empty() {
            String::new()
        } else {
            format!(" [{}]", s.keys.join(", "))
        };
        text.push_str(&format!("\n  {}{keys}", s.vars.join(", ")));
        for line in wrap(s.what, 72) {
            text.push_str(&format!("\n      {line}"));
        }
    }
    text
}

/// Words in lines of at most `width` characters, so the help fits an 80-column terminal.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// `notify_help()` above a command's own text (its examples).
pub(crate) fn with_notify_help(own: &str) -> String {
    format!("{}\n\n{own}", notify_help())
}
