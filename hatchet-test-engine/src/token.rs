//! Tenant API tokens: HS256 JWTs carrying the same claims as the real engine's tokens
//! (`pkg/auth/token/token.go` in hatchet-dev/hatchet: `sub`, `iss`, `aud`, `exp`, `iat`,
//! `token_id`, `server_url`, `grpc_broadcast_address`). The real engine signs with its own
//! key set; here the key is a random per-engine secret. The SDK never verifies the
//! signature, it only reads `server_url`, `grpc_broadcast_address` and `sub`. Signing and
//! checking are the testkit's (`attctl_testkit::jwt`): the test code's one JWT minter.

use attctl_testkit::jwt::{self, JwtError};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub token_id: String,
    pub server_url: String,
    pub grpc_broadcast_address: String,
}

/// Why a token was refused (never shown to clients: the real engine answers with one
/// generic message whatever the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenError {
    Malformed,
    BadSignature,
    Expired,
    WrongAudience,
    BadSubject,
}

pub(crate) struct TokenAuthority {
    secret: Vec<u8>,
    server_url: String,
    grpc_address: String,
}

impl TokenAuthority {
    pub(crate) fn new(secret: &[u8], server_url: String, grpc_address: String) -> Self {
        Self {
            secret: secret.to_vec(),
            server_url,
            grpc_address,
        }
    }

    pub(crate) fn mint(
        &self,
        tenant_id: Uuid,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> String {
        let claims = Claims {
            sub: tenant_id.to_string(),
            iss: self.server_url.clone(),
            aud: self.server_url.clone(),
            exp: expires_at.timestamp(),
            iat: issued_at.timestamp(),
            token_id: Uuid::new_v4().to_string(),
            server_url: self.server_url.clone(),
            grpc_broadcast_address: self.grpc_address.clone(),
        };
        // Serializing a struct of strings and integers cannot fail.
        jwt::sign_hs256(
            &self.secret,
            &serde_json::to_value(&claims).unwrap_or_default(),
        )
    }

    /// Verifies signature, algorithm, expiry, issuer/audience and subject. Tenant existence
    /// and revocation are checked by the caller.
    pub(crate) fn verify(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(Uuid, Uuid), TokenError> {
        let payload = jwt::verify_hs256(&self.secret, token).map_err(|e| match e {
            JwtError::Malformed => TokenError::Malformed,
            JwtError::BadSignature => TokenError::BadSignature,
        })?;
        let claims: Claims = serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed)?;
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        if claims.iss != self.server_url
            || claims.aud != self.server_url
            || claims.server_url != self.server_url
        {
            return Err(TokenError::WrongAudience);
        }
        let tenant = Uuid::parse_str(&claims.sub).map_err(|_| TokenError::BadSubject)?;
        let token_id = Uuid::parse_str(&claims.token_id).map_err(|_| TokenError::Malformed)?;
        Ok((tenant, token_id))
    }
}

/// A token with valid shape and claims but signed with a key this engine does not know.
pub(crate) fn forge(tenant_id: Uuid, server_url: &str, grpc_address: &str) -> String {
    let mut secret = [0u8; 32];
    secret.copy_from_slice(Uuid::new_v4().as_bytes().repeat(2).as_slice());
    let authority = TokenAuthority::new(&secret, server_url.to_string(), grpc_address.to_string());
    let now = Utc::now();
    authority.mint(tenant_id, now, now + chrono::Duration::days(90))
}

/// The token id (`token_id` claim) of a token, without verifying anything.
pub(crate) fn token_id_of(token: &str) -> Option<Uuid> {
    let payload = token.split('.').nth(1)?;
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: Claims = serde_json::from_slice(&payload).ok()?;
    Uuid::parse_str(&claims.token_id).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> TokenAuthority {
        TokenAuthority::new(
            b"0123456789abcdef0123456789abcdef",
            "http://127.0.0.1:1".into(),
            "127.0.0.1:2".into(),
        )
    }

    #[test]
    fn roundtrip_and_failures() {
        let a = authority();
        let now = Utc::now();
        let tenant = Uuid::new_v4();
        let t = a.mint(tenant, now, now + chrono::Duration::hours(1));
        assert_eq!(a.verify(&t, now).map(|(t, _)| t), Ok(tenant));
        assert_eq!(
            a.verify(&t, now + chrono::Duration::hours(2)),
            Err(TokenError::Expired)
        );
        assert_eq!(a.verify("a.b", now), Err(TokenError::Malformed));
        assert_eq!(a.verify("a.b.c", now), Err(TokenError::Malformed));
        let forged = forge(tenant, "http://127.0.0.1:1", "127.0.0.1:2");
        assert_eq!(a.verify(&forged, now), Err(TokenError::BadSignature));
        let mut tampered = t.clone();
        tampered.push('A');
        assert!(a.verify(&tampered, now).is_err());
        assert!(token_id_of(&t).is_some());
    }
}
