//! Secrets and what they look like: [`Secret`] never prints its value, [`KeyKind`] tells
//! Supabase keys apart from their text, [`redact_url`] masks passwords in addresses.

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

/// A URL for people: a password in it (`https://user:SECRET@host`) is masked.
pub(crate) fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw.trim()) {
        Ok(mut parsed) => {
            if parsed.password().is_some() && parsed.set_password(Some("****")).is_ok() {
                parsed.to_string().trim_end_matches('/').to_string()
                    + if raw.trim().ends_with('/') { "/" } else { "" }
            } else {
                raw.to_string()
            }
        }
        // Not a URL we can parse: mask anything between the scheme and an `@`.
        Err(_) => match (raw.find("://"), raw.rfind('@')) {
            (Some(start), Some(at)) if at > start + 3 => {
                format!("{}****{}", &raw[..start + 3], &raw[at..])
            }
            _ => raw.to_string(),
        },
    }
}
