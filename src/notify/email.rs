//! The email channel: one message per event over SMTP (lettre on tokio with rustls), a
//! plain-text and an HTML part saying what happened, to which class and session, and when.
//!
//! Its settings ([`EmailChannel`]: `ATTCTL_SMTP_URL`, sender, recipients, extra roots) are
//! parsed in [`crate::config::notify`]; this file is how the channel sends. The password is
//! a credential: only [`crate::config::notify::SmtpUrl::redacted`] is ever shown. A 5xx
//! answer is permanent (the outbox marks the channel failed at once); a 4xx answer, a
//! refused connection or a timeout is transient and retried.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::Value;

use super::ChannelAnswer;
pub use crate::config::notify::EmailChannel;
use crate::config::notify::Security;
use crate::config::vars;

impl EmailChannel {
    /// The transport for one send or check; nothing is connected yet.
    fn transport(
        &self,
        timeout: Duration,
    ) -> std::result::Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let u = &self.url;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(u.host.as_str())
            .port(u.port)
            .timeout(Some(timeout));
        if u.security != Security::Plain {
            let mut params = TlsParameters::builder(u.host.clone());
            if let Some(pem) = &self.ca_pem {
                let cert = Certificate::from_pem(pem)
                    .map_err(|_| format!("{} holds no PEM certificate", vars::SMTP_CA_FILE))?;
                params = params.add_root_certificate(cert);
            }
            let params = params
                .build_rustls()
                .map_err(|e| format!("cannot set up TLS: {e}"))?;
            builder = builder.tls(match u.security {
                Security::Opportunistic => Tls::Opportunistic(params),
                Security::StartTls => Tls::Required(params),
                _ => Tls::Wrapper(params),
            });
        }
        if let (Some(user), Some(password)) = (&u.user, &u.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        if let Some(name) = &u.hello_name {
            builder = builder.hello_name(lettre::transport::smtp::extension::ClientId::Domain(
                name.clone(),
            ));
        }
        Ok(builder.build())
    }

    /// Connects, reads the greeting, says EHLO, secures the connection as configured and
    /// logs in when credentials are given, then quits: nothing is sent.
    /// `timeout` bounds all of it (lettre's own timeout covers only the connection).
    pub async fn check(&self, timeout: Duration) -> std::result::Result<(), String> {
        let transport = self.transport(timeout)?;
        match tokio::time::timeout(timeout, transport.test_connection()).await {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err("the server did not answer NOOP after the login".into()),
            Ok(Err(e)) => Err(describe_error(&e)),
            Err(_) => Err(super::send::timed_out("email", timeout)),
        }
    }

    /// Sends one message to `recipients` and reads the server's answers: one SMTP
    /// transaction per recipient (the same message, its `To:` naming them all), so that a
    /// server refusing one mailbox (550 at RCPT TO) does not refuse the message for the
    /// others. Accepted by some and refused for good by the rest: delivered, the refused
    /// ones named. Any other failure: retried, to every recipient again (at-least-once;
    /// the same `Message-ID` lets mail clients drop the repeat). `timeout` bounds all of it
    /// (lettre's own covers only the connection: a server that greets and then says
    /// nothing would hold the send forever).
    pub async fn send(
        &self,
        recipients: &[String],
        mail: &Rendered,
        message_id: &str,
        timeout: Duration,
    ) -> ChannelAnswer {
        match tokio::time::timeout(
            timeout,
            self.send_unbounded(recipients, mail, message_id, timeout),
        )
        .await
        {
            Ok(answer) => answer,
            Err(_) => ChannelAnswer {
                channel: "email",
                ok: false,
                status: None,
                detail: super::send::timed_out("email", timeout),
                permanent: false,
            },
        }
    }

    async fn send_unbounded(
        &self,
        recipients: &[String],
        mail: &Rendered,
        message_id: &str,
        timeout: Duration,
    ) -> ChannelAnswer {
        let fail = |detail: String| ChannelAnswer {
            channel: "email",
            ok: false,
            status: None,
            detail,
            permanent: false,
        };
        let message = match self.message(recipients, mail, message_id) {
            Ok(m) => m,
            Err(why) => return fail(why),
        };
        let from = message.envelope().from().cloned();
        let raw = message.formatted();
        let transport = match self.transport(timeout) {
            Ok(t) => t,
            Err(why) => return fail(why),
        };
        let mut accepted: Vec<(String, String)> = Vec::new();
        let mut refused: Vec<(String, lettre::transport::smtp::Error)> = Vec::new();
        for to in message.envelope().to() {
            let envelope = match lettre::address::Envelope::new(from.clone(), vec![to.clone()]) {
                Ok(e) => e,
                Err(e) => return fail(format!("cannot address the message: {e}")),
            };
            match transport.send_raw(&envelope, &raw).await {
                Ok(resp) => accepted.push((
                    resp.code().to_string(),
                    resp.message()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .chars()
                        .take(200)
                        .collect(),
                )),
                // Not this mailbox's fault: the message goes again later, to everyone.
                Err(e) if !e.is_permanent() => {
                    return ChannelAnswer {
                        channel: "email",
                        ok: false,
                        status: e.status().and_then(|c| c.to_string().parse().ok()),
                        detail: describe_error(&e),
                        permanent: false,
                    };
                }
                Err(e) => refused.push((to.to_string(), e)),
            }
        }
        let refusals = || {
            refused
                .iter()
                .map(|(to, e)| format!("{to}: {}", describe_error(e)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        match (accepted.first(), refused.first()) {
            (Some((code, text)), None) => ChannelAnswer {
                channel: "email",
                ok: true,
                status: code.parse().ok(),
                detail: text.clone(),
                permanent: false,
            },
            (Some((code, _)), Some(_)) => ChannelAnswer {
                channel: "email",
                ok: true,
                status: code.parse().ok(),
                detail: format!(
                    "accepted for {} recipient(s); refused for good: {}",
                    accepted.len(),
                    refusals()
                )
                .chars()
                .take(400)
                .collect(),
                permanent: false,
            },
            (None, Some((_, e))) => ChannelAnswer {
                channel: "email",
                ok: false,
                status: e.status().and_then(|c| c.to_string().parse().ok()),
                detail: refusals().chars().take(400).collect(),
                permanent: true,
            },
            (None, None) => fail("no recipient".into()),
        }
    }

    fn message(
        &self,
        recipients: &[String],
        mail: &Rendered,
        message_id: &str,
    ) -> std::result::Result<Message, String> {
        let from = Mailbox::from_str(&self.from)
            .map_err(|_| format!("{} is not an email address", vars::MAIL_FROM))?;
        let mut builder = Message::builder()
            .from(from)
            .subject(mail.subject.clone())
            // The same id on every retry: mail clients and archives can drop repeats.
            .message_id(Some(format!("<{message_id}@attctl>")));
        for r in recipients {
            let to = Mailbox::from_str(r).map_err(|_| format!("{r:?} is not an email address"))?;
            builder = builder.to(to);
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| format!("cannot build the message: {e}"))
    }

    /// `ATTCTL_MAIL_TO` plus `extra` (a class's recipients), without repeats (any case).
    pub fn recipients(&self, extra: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in self.to.iter().chain(extra) {
            if !out.iter().any(|b| b.eq_ignore_ascii_case(a)) {
                out.push(a.clone());
            }
        }
        out
    }
}

/// lettre's error in a line, without anything from the URL (it never holds the password,
/// but the server's own words are what a person needs).
fn describe_error(e: &lettre::transport::smtp::Error) -> String {
    let text = e.to_string();
    let kind = if e.is_permanent() {
        "rejected"
    } else if e.is_transient() {
        "temporarily refused"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_tls() {
        "TLS failed"
    } else {
        "failed"
    };
    let mut out = format!("{kind}: {text}");
    // The underlying cause (connection refused, certificate unknown) is worth a line.
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let s = cause.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        source = cause.source();
    }
    out.chars().take(300).collect()
}

/// The subject and both bodies of one event's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What the event says, for people: subject, a plain-text body and the same as HTML.
pub fn render(kind: &str, data: &Value, event_id: &str, occurred_at: DateTime<Utc>) -> Rendered {
    let s = data.get("session");
    let field = |k: &str| {
        s.and_then(|s| s.get(k))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let class = field("class_name");
    let zone_name = field("timezone");
    let zone: Option<chrono_tz::Tz> = zone_name.parse().ok();
    let hm = |t: String| t.get(..5).map(str::to_string).unwrap_or(t);
    let date = field("session_date");
    let weekday = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map(|d| d.format("%A ").to_string())
        .unwrap_or_default();
    let times = format!("{}-{}", hm(field("start_time")), hm(field("end_time")));
    let local = |raw: Option<&str>| -> String {
        let Some(t) = raw.and_then(|r| DateTime::parse_from_rfc3339(r).ok()) else {
            return "?".into();
        };
        let utc = t.with_timezone(&Utc);
        match zone {
            Some(z) => format!(
                "{} {zone_name}",
                utc.with_timezone(&z).format("%Y-%m-%d %H:%M:%S")
            ),
            None => utc.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        }
    };
    let session_id = s
        .and_then(|s| s.get("id"))
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into());
    let when_session = format!("{weekday}{date}, {times} ({zone_name})");
    let mut rows: Vec<(&str, String)> = vec![
        ("Class", class.clone()),
        ("Session", format!("#{session_id}, {when_session}")),
    ];
    let (subject, headline) = match kind {
        "session.closed" => {
            let by = data.get("closed_by").and_then(Value::as_str).unwrap_or("?");
            let how = match by {
                "auto" => "automatically at its end",
                "sweep" => "by the worker's catch-up sweep, after its end",
                "manual" => "by hand (attctl session close)",
                _ => "",
            };
            let at = local(s.and_then(|s| s.get("closed_at")).and_then(Value::as_str));
            rows.push(("Closed at", at.clone()));
            rows.push(("Closed by", format!("{by} ({how})")));
            (
                format!("Session closed ({by}): {class}, {date} {times}"),
                format!("The session of {class} on {when_session} was closed {how}, at {at}."),
            )
        }
        "session.closing_soon" => {
            let left = data
                .get("seconds_left")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let left = super::message::human_seconds(left);
            let closes = local(s.and_then(|s| s.get("closes_at")).and_then(Value::as_str));
            rows.push(("Closes at", closes.clone()));
            (
                format!("Closing in {left}: {class}, {date} {times}"),
                format!(
                    "The session of {class} on {when_session} closes in {left}, at {closes}: \
                     take the register before then."
                ),
            )
        }
        "session.register_missing" => {
            let n = |k: &str| data.get(k).and_then(Value::as_u64).unwrap_or(0);
            rows.push(("Enrolled", n("enrolled").to_string()));
            rows.push(("Marked absent at close", n("automarked").to_string()));
            (
                format!("Register not taken: {class}, {date} {times}"),
                format!(
                    "The session of {class} on {when_session} closed with no attendance \
                     recorded: nobody took its register."
                ),
            )
        }
        other => {
            let what = super::message::summary(other, data);
            (what.clone(), format!("{what}."))
        }
    };
    let occurred = match zone {
        Some(z) => format!(
            "{} {zone_name}",
            occurred_at.with_timezone(&z).format("%Y-%m-%d %H:%M:%S")
        ),
        None => occurred_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    };
    rows.push(("Event", format!("{kind} at {occurred} (id {event_id})")));

    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    let mut text = format!("{headline}\n\n");
    for (k, v) in &rows {
        text.push_str(&format!("{:<width$} {v}\n", format!("{k}:")));
    }
    text.push_str("\n-- \nSent by attctl's worker from the session-event outbox.\n");

    let mut html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: sans-serif\">\n<p><strong>{}</strong></p>\n<table>\n",
        escape(&subject),
        escape(&headline)
    );
    for (k, v) in &rows {
        html.push_str(&format!(
            "<tr><th align=\"left\" style=\"padding-right: 1em\">{}</th><td>{}</td></tr>\n",
            escape(k),
            escape(v)
        ));
    }
    html.push_str(
        "</table>\n<p style=\"color: #666\">Sent by attctl's worker from the session-event \
         outbox.</p>\n</body></html>\n",
    );
    Rendered {
        subject: format!("[attctl] {subject}"),
        text,
        html,
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_event_renders_class_session_zone_and_who() {
        let data = serde_json::json!({
            "session": {"id": 7, "class_name": "Maths <7A>", "session_date": "2026-11-30",
                        "start_time": "09:00:00", "end_time": "10:00:00",
                        "timezone": "Europe/London", "closed_at": "2026-11-30T10:00:01Z",
                        "closes_at": "2026-11-30T10:00:00Z"},
            "closed_by": "auto"
        });
        let r = render("session.closed", &data, "ev-1", Utc::now());
        assert!(
            r.subject.contains("Maths <7A>") && r.subject.contains("auto"),
            "{r:?}"
        );
        assert!(
            r.text
                .contains("Monday 2026-11-30, 09:00-10:00 (Europe/London)"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("2026-11-30 10:00:01 Europe/London"),
            "{}",
            r.text
        );
        assert!(
            r.html.contains("Maths &lt;7A&gt;") && !r.html.contains("<7A>"),
            "{}",
            r.html
        );
    }
}
