//! The test code's one JWT minter and one HMAC: HS256 tokens signed and checked
//! ([`sign_hs256`], [`verify_hs256`]) over [`hmac_sha256`] (the `hmac` crate), tokens shaped
//! like Supabase's legacy API keys, and random opaque keys. The Hatchet test engine signs
//! its tenant tokens here, and the webhook receiver checks signatures with [`hmac_sha256`].

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// The base64url header of every token minted here.
const HS256_HEADER: &[u8] = br#"{"alg":"HS256","typ":"JWT"}"#;

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    mac(key, data).finalize().into_bytes().to_vec()
}

fn mac(key: &[u8], data: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(data);
    mac
}

/// `claims` as an HS256 JWT signed with `secret`.
pub fn sign_hs256(secret: &[u8], claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(HS256_HEADER);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(secret, signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

/// Why [`verify_hs256`] refused a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts, a header that is not JSON, or not HS256.
    Malformed,
    /// Signed with another secret, or altered.
    BadSignature,
}

/// The payload (JSON bytes) of an HS256 token signed with `secret`; the signature is
/// compared in constant time. Claims (expiry, audience) are the caller's to check.
pub fn verify_hs256(secret: &[u8], token: &str) -> Result<Vec<u8>, JwtError> {
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(sig_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header = URL_SAFE_NO_PAD
        .decode(header_b64)
        .map_err(|_| JwtError::Malformed)?;
    let header: Value = serde_json::from_slice(&header).map_err(|_| JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Malformed);
    }
    let sig = URL_SAFE_NO_PAD
        .decode(sig_b64)
        .map_err(|_| JwtError::Malformed)?;
    let signed = &token[..header_b64.len() + 1 + payload_b64.len()];
    mac(secret, signed.as_bytes())
        .verify_slice(&sig)
        .map_err(|_| JwtError::BadSignature)?;
    URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| JwtError::Malformed)
}

/// Signs `{"iss":"supabase","ref":"attctl-testkit","role":ROLE,"iat":..,"exp":..}` with HS256.
/// A negative `expires_in_secs` gives a token that expired that long ago.
pub(crate) fn mint(secret: &str, role: &str, expires_in_secs: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let exp = now.saturating_add(expires_in_secs);
    // An already expired token was also issued in the past (PostgREST rejects future iat).
    let iat = if expires_in_secs >= 0 {
        now
    } else {
        exp.saturating_sub(3600)
    };
    let claims = serde_json::json!({
        "iss": "supabase",
        "ref": "attctl-testkit",
        "role": role,
        "iat": iat,
        "exp": exp,
    });
    sign_hs256(secret.as_bytes(), &claims)
}

/// A Hatchet tenant token with the claims attctl and the SDK read (`sub`, `server_url`,
/// `grpc_broadcast_address`, `exp`), for an engine at these addresses, signed with a secret
/// no engine knows: for checks that only read the token (`Hatchet::from_token`, doctor).
pub fn hatchet_token(server_url: &str, grpc_address: &str, exp: i64) -> String {
    let claims = serde_json::json!({
        "sub": "707d0855-80ab-4e1f-a156-f1c4546cbf52",
        "server_url": server_url,
        "grpc_broadcast_address": grpc_address,
        "exp": exp,
    });
    sign_hs256(b"a secret only this token knows", &claims)
}

/// Whether a key looks like a JWT (three base64url parts, JSON header), as opposed to the
/// opaque `sb_secret_...` / `sb_publishable_...` keys.
pub(crate) fn looks_like_jwt(key: &str) -> bool {
    key.starts_with("eyJ") && key.split('.').count() == 3
}

/// `len` bytes from the kernel's CSPRNG.
pub fn random_bytes(len: usize) -> anyhow::Result<Vec<u8>> {
    let mut bytes = vec![0u8; len];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading random bytes from /dev/urandom")?;
    Ok(bytes)
}

/// `len` random characters from [A-Za-z0-9], read from the kernel's CSPRNG.
pub(crate) fn random_token(len: usize) -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // 256 % 62 != 0: the tiny bias is irrelevant for test secrets.
    Ok(random_bytes(len)?
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_token_has_three_parts_and_the_role() {
        let token = mint("0123456789abcdef0123456789abcdef", "anon", 60);
        assert!(looks_like_jwt(&token));
        let payload = token.split('.').nth(1).unwrap();
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(payload["role"], "anon");
        assert!(payload["exp"].as_i64().unwrap() > payload["iat"].as_i64().unwrap());
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn signed_tokens_verify_only_with_their_secret() {
        let claims = serde_json::json!({"sub": "t", "exp": 1});
        let token = sign_hs256(b"one", &claims);
        let payload = verify_hs256(b"one", &token).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&payload).unwrap(), claims);
        assert_eq!(verify_hs256(b"two", &token), Err(JwtError::BadSignature));
        assert_eq!(verify_hs256(b"one", "a.b"), Err(JwtError::Malformed));
        assert_eq!(verify_hs256(b"one", "a.b.c"), Err(JwtError::Malformed));
    }

    #[test]
    fn opaque_keys_are_not_jwts() {
        assert!(!looks_like_jwt("sb_secret_abc"));
        assert!(!looks_like_jwt("eyJonlyonepart"));
        assert_eq!(random_token(40).unwrap().len(), 40);
    }
}
