//! The one JWT decoder ([`jwt_payload`]): claims read, never verified. Hatchet API tokens
//! are read here ([`TokenClaims`]: the tenant (`sub`), the REST base (`server_url`) and the
//! gRPC address (`grpc_broadcast_address`)); doctor reads Supabase keys with it. The
//! signature is the engine's business; we only decode the claims to know where to connect.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenClaims {
    pub tenant_id: String,
    pub server_url: String,
    pub grpc_address: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct RawClaims {
    sub: Option<String>,
    server_url: Option<String>,
    grpc_broadcast_address: Option<String>,
    exp: Option<i64>,
}

impl TokenClaims {
    pub(crate) fn parse(token: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::Config(format!(
                "HATCHET_CLIENT_TOKEN is not a valid Hatchet token: {why}"
            ))
        };
        let payload = jwt_payload(token).map_err(bad)?;
        let raw: RawClaims =
            serde_json::from_slice(&payload).map_err(|_| bad("the payload is not JSON claims"))?;
        let need = |v: Option<String>, claim: &str| {
            v.filter(|s| !s.trim().is_empty())
                .ok_or_else(|| bad(&format!("the {claim} claim is missing")))
        };
        Ok(TokenClaims {
            tenant_id: need(raw.sub, "sub")?,
            server_url: need(raw.server_url, "server_url")?,
            grpc_address: need(raw.grpc_broadcast_address, "grpc_broadcast_address")?,
            expires_at: raw.exp.and_then(|e| DateTime::from_timestamp(e, 0)),
        })
    }
}

/// The decoded payload of a JWT, unverified: enough to read its claims, never to trust them.
/// The one JWT decoder: Hatchet tokens here, Supabase keys in doctor. The error says why in
/// a few words, without the token.
pub(crate) fn jwt_payload(token: &str) -> std::result::Result<Vec<u8>, &'static str> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err("expected a JWT with three parts");
    }
    URL_SAFE_NO_PAD
        .decode(parts[1].trim_end_matches('='))
        .map_err(|_| "the payload is not base64url")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.sig",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn reads_the_claims() {
        let t = token(
            r#"{"sub":"t1","server_url":"http://127.0.0.1:8080","grpc_broadcast_address":"127.0.0.1:7070","exp":4102444800}"#,
        );
        let c = TokenClaims::parse(&t).unwrap();
        assert_eq!(c.tenant_id, "t1");
        assert_eq!(c.grpc_address, "127.0.0.1:7070");
        assert!(c.expires_at.is_some());
    }

    #[test]
    fn malformed_tokens_are_config_errors_without_echo() {
        for t in [
            "",
            "abc",
            "a.b",
            "a.!!!.c",
            &token("[]"),
            &token(r#"{"sub":"t"}"#),
        ] {
            let e = TokenClaims::parse(t).unwrap_err();
            assert!(matches!(e, Error::Config(_)));
            if !t.is_empty() {
                assert!(!e.to_string().contains(t), "{e}");
            }
        }
    }
}
