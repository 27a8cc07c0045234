//! The Slack channel: an incoming webhook, sent `{"text", "blocks"}` that a person reads.
//!
//! Slack reads both `text` and the blocks as mrkdwn, where `<!channel>` pings everyone and
//! `<http://x|label>` is a link showing only its label: every piece of text that comes from
//! data (class names above all) is escaped first ([`escape`]).

use serde_json::{Value, json};

use super::ChannelAnswer;
use crate::secret::Secret;

/// Slack's own escaping for message text: `&`, `<` and `>` become `&amp;`, `&lt;` and
/// `&gt;`, so nothing from data can open a mention, a link or a special command.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// One line for the notification preview, and a section block with the details.
pub(crate) fn message(kind: &str, data: &Value) -> Value {
    // The summary's own words hold no `&`, `<` or `>`: escaping the whole line escapes
    // exactly the data in it (class name, dates, zone).
    let text = escape(&super::message::summary(kind, data));
    json!({
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": format!("*{text}*")}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": format!("event `{}`", escape(kind))}
            ]}
        ]
    })
}

pub(crate) async fn send(http: &reqwest::Client, url: &Secret, body: &Value) -> ChannelAnswer {
    super::send::answer("slack", http.post(url.expose()).json(body).send().await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_ping_or_disguise_a_link() {
        let data = json!({"session": {
            "id": 7, "class_name": "Year 7 <!channel> & <http://evil.example|Click me>",
            "session_date": "2026-12-04", "start_time": "09:00:00", "end_time": "10:00:00",
            "timezone": "Europe/London"}, "closed_by": "auto"});
        let msg = message("session.closed", &data);
        let all = msg.to_string();
        assert!(
            !all.contains("<!channel>") && !all.contains("<http"),
            "{all}"
        );
        let text = msg["text"].as_str().unwrap();
        assert!(
            text.contains("Year 7 &lt;!channel&gt; &amp; &lt;http://evil.example|Click me&gt;"),
            "{text}"
        );
        assert!(
            msg["blocks"][0]["text"]["text"]
                .as_str()
                .unwrap()
                .contains("&lt;!channel&gt;")
        );
    }
}
