//! Secrets and what they look like: [`Secret`] never prints its value, [`KeyKind`] tells
//! Supabase keys apart from their text, [`redact_url`] masks passwords and query values in
//! addresses and never echoes a value that is not one.
//!
//! A leaf: it uses nothing else of attctl, so settings, stores, schedulers, channels and
//! doctor all take their secrets from here.

use std::fmt;

/// A secret value: shown only through [`Secret::expose`], masked everywhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// A hint that tells keys apart without revealing them: kind and length only.
    pub fn masked(&self) -> String {
        let kind = match KeyKind::of(&self.0) {
            KeyKind::Secret => "sb_secret_…",
            KeyKind::Publishable => "sb_publishable_…",
            KeyKind::Jwt => "JWT",
            KeyKind::Other => "…",
        };
        format!("{kind} ({} chars, hidden)", self.0.chars().count())
    }
}

/// What a Supabase API key is, from its text alone: the one classification behind masking
/// ([`Secret::masked`]), the client's choice of `Authorization: Bearer` and doctor's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// A legacy JWT key (anon or service_role): three non-empty dot-separated parts, the
    /// first a base64url JSON header (so starting with `eyJ`).
    Jwt,
    /// A new opaque secret key (`sb_secret_…`).
    Secret,
    /// A new publishable key (`sb_publishable_…`), which attctl cannot use.
    Publishable,
    /// Anything else.
    Other,
}

impl KeyKind {
    pub(crate) fn of(key: &str) -> KeyKind {
        if key.starts_with("sb_secret_") {
            KeyKind::Secret
        } else if key.starts_with("sb_publishable_") {
            KeyKind::Publishable
        } else if key.starts_with("eyJ")
            && key.split('.').count() == 3
            && !key.split('.').any(str::is_empty)
        {
            KeyKind::Jwt
        } else {
            KeyKind::Other
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Query keys whose values are settings, never credentials, and stay readable (`tls` of
/// `ATTCTL_SMTP_URL`).
const PLAIN_QUERY_KEYS: [&str; 1] = ["tls"];

/// A URL for people and logs: a password in it (`https://user:SECRET@host`) is masked, and
/// so is every query value (`?token=***`, webhook receivers often take their key there)
/// and a fragment. A value that does not parse as a URL is never echoed (it may be a key
/// pasted into the wrong variable, or a URL whose credential is all of it): it is shown as
/// `<not a valid URL: why>`.
pub(crate) fn redact_url(raw: &str) -> String {
    let trimmed = raw.trim();
    match url::Url::parse(trimmed) {
        // `scheme:rest` with no host (`sb_secret_x:y` reads as one) is not an address.
        Ok(parsed) if parsed.host_str().is_none_or(str::is_empty) => {
            "<not a valid URL: it has no host>".to_string()
        }
        Ok(mut parsed) => {
            let mut changed = false;
            if parsed.password().is_some() && parsed.set_password(Some("****")).is_ok() {
                changed = true;
            }
            if let Some(query) = parsed.query().map(mask_query) {
                parsed.set_query(Some(&query));
                changed = true;
            }
            if parsed.fragment().is_some() {
                parsed.set_fragment(Some("***"));
                changed = true;
            }
            if !changed {
                return trimmed.to_string();
            }
            // Url::to_string adds a `/` path to `https://host`: keep what was written.
            let shown = parsed.to_string();
            if parsed.path() == "/" && !has_explicit_root(trimmed) {
                shown
                    .replacen("/?", "?", 1)
                    .replacen("/#", "#", 1)
                    .trim_end_matches('/')
                    .to_string()
            } else {
                shown
            }
        }
        Err(e) => format!("<not a valid URL: {}>", url_parse_problem(&e)),
    }
}

/// Whether `raw` (a URL that parsed) writes the root path itself (`https://h/`, `https://h/?q`).
fn has_explicit_root(raw: &str) -> bool {
    let after_scheme = raw.split_once("://").map_or(raw, |(_, rest)| rest);
    let end = after_scheme.find(['?', '#']).unwrap_or(after_scheme.len());
    after_scheme[..end].contains('/')
}

/// `a=1&token=abc&flag` -> `a=***&token=***&***`; the values of [`PLAIN_QUERY_KEYS`] stay.
fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if PLAIN_QUERY_KEYS.contains(&key) => format!("{key}={value}"),
            Some((key, _)) => format!("{key}=***"),
            // A bare item may be the credential itself.
            None if pair.is_empty() => String::new(),
            None => "***".to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// What is wrong with a value that is not a URL, in words that never quote it.
pub(crate) fn url_parse_problem(e: &url::ParseError) -> &'static str {
    match e {
        url::ParseError::RelativeUrlWithoutBase => "it has no scheme such as https://",
        url::ParseError::EmptyHost => "it has no host",
        url::ParseError::InvalidPort => "its port is not a number from 1 to 65535",
        url::ParseError::InvalidIpv4Address | url::ParseError::InvalidIpv6Address => {
            "its IP address is invalid"
        }
        url::ParseError::InvalidDomainCharacter | url::ParseError::IdnaError => {
            "its host name holds characters a host name cannot"
        }
        _ => "it cannot be read as a URL",
    }
}

/// Why `raw` is not an http:// or https:// URL with a host, or `None` when it is one. The
/// answer never quotes `raw`.
pub(crate) fn http_url_problem(raw: &str) -> Option<String> {
    match url::Url::parse(raw.trim()) {
        Err(e) => Some(url_parse_problem(&e).to_string()),
        // Not even the scheme is quoted: `host:port/path` reads as scheme `host`.
        Ok(u) if !matches!(u.scheme(), "http" | "https") => {
            Some("it does not start with http:// or https://".into())
        }
        Ok(u) if u.host_str().is_none_or(str::is_empty) => Some("it has no host".into()),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_masked() {
        assert_eq!(
            redact_url("http://admin:SECRET@db.example:8000"),
            "http://admin:****@db.example:8000"
        );
        assert_eq!(
            redact_url("https://x.supabase.co/rest/v1"),
            "https://x.supabase.co/rest/v1"
        );
        assert_eq!(redact_url("https://u:p@h/"), "https://u:****@h/");
        // Query values and fragments are credentials often enough: masked, keys kept.
        assert_eq!(
            redact_url("https://hooks.example/in?token=s3cr3t-value&x=1&bare#frag"),
            "https://hooks.example/in?token=***&x=***&***#***"
        );
        assert_eq!(
            redact_url("http://127.0.0.1:9/?token=abc"),
            "http://127.0.0.1:9/?token=***"
        );
        assert_eq!(
            redact_url("https://h.example?token=abc"),
            "https://h.example?token=***"
        );
        // An SMTP URL's tls= is a setting, not a secret.
        assert_eq!(
            redact_url("smtp://u:pw@mail.example:587?tls=required"),
            "smtp://u:****@mail.example:587?tls=required"
        );
        // What does not parse is never echoed, only described.
        for bad in [
            "not a url://u:p@h",
            "hooks.slack.com/services/T000/B000/XXXXsecret",
            "sb_secret_abc:def",
            "https://",
        ] {
            let shown = redact_url(bad);
            assert!(shown.starts_with("<not a valid URL: "), "{bad}: {shown}");
            assert!(
                !shown.contains("secret") && !shown.contains("u:p") && !shown.contains("slack"),
                "{shown}"
            );
        }
        assert_eq!(
            http_url_problem("hooks.slack.com/services/T/B/X").as_deref(),
            Some("it has no scheme such as https://")
        );
        assert!(http_url_problem("ftp://h/x").is_some());
        assert!(http_url_problem("https://h.example/x?y=1").is_none());
    }
}
