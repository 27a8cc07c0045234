//! The generic webhook channel: the event as JSON, signed with the Standard Webhooks
//! scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::ChannelAnswer;
use crate::config::notify::signing_key;
use crate::secret::Secret;

/// `v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>`.
pub(crate) fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length: new_from_slice cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Checks a `webhook-signature` header (several space-separated signatures allowed), in
/// constant time per candidate.
#[cfg(test)]
pub(crate) fn verify(key: &[u8], id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let expected = sign(key, id, timestamp, body);
    header.split(' ').any(|candidate| {
        candidate.len() == expected.len()
            && candidate
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

/// Posts `body` with the event's id (the same on every retry) and a fresh timestamp.
pub(crate) async fn send(
    http: &reqwest::Client,
    url: &str,
    secret: Option<&Secret>,
    id: &str,
    body: &[u8],
) -> ChannelAnswer {
    let timestamp = chrono::Utc::now().timestamp();
    let mut req = http
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string());
    if let Some(secret) = secret {
        match signing_key(secret) {
            Ok(key) => {
                req = req.header("webhook-signature", sign(&key, id, timestamp, body));
            }
            Err(e) => {
                return ChannelAnswer {
                    channel: "webhook",
                    ok: false,
                    status: None,
                    detail: e.to_string(),
                    permanent: false,
                };
            }
        }
    }
    super::send::answer("webhook", req.body(body.to_vec()).send().await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn signature_matches_the_reference_example() {
        let key = signing_key(&Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).unwrap();
        let sig = sign(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
            &format!("v1,bogus {sig}")
        ));
        assert!(!verify(&key, "other", 1614265330, b"{}", &sig));
    }
}
