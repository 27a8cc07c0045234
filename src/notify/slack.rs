//! The Slack channel: an incoming webhook, sent `{"text", "blocks"}` that a person reads.

use serde_json::{Value, json};

use super::ChannelAnswer;
use crate::config::Secret;

/// One line for the notification preview, and a section block with the details.
pub(crate) fn message(kind: &str, data: &Value) -> Value {
    let text = super::outbox::summary(kind, data);
    json!({
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": format!("*{text}*")}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": format!("event `{kind}`")}
            ]}
        ]
    })
}

pub(crate) async fn send(http: &reqwest::Client, url: &Secret, body: &Value) -> ChannelAnswer {
    super::outbox::answer("slack", http.post(url.expose()).json(body).send().await).await
}
