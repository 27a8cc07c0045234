//! HS256 JWTs shaped like Supabase's legacy API keys, and random opaque keys.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

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
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = serde_json::json!({
        "iss": "supabase",
        "ref": "attctl-testkit",
        "role": role,
        "iat": iat,
        "exp": exp,
    });
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    let signing_input = format!("{header}.{payload}");
    let signature =
        URL_SAFE_NO_PAD.encode(hmac_sha256(secret.as_bytes(), signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Whether a key looks like a JWT (three base64url parts, JSON header), as opposed to the
/// opaque `sb_secret_...` / `sb_publishable_...` keys.
pub(crate) fn looks_like_jwt(key: &str) -> bool {
    key.starts_with("eyJ") && key.split('.').count() == 3
}

/// `len` random characters from [A-Za-z0-9], read from the kernel's CSPRNG.
pub(crate) fn random_token(len: usize) -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading random bytes from /dev/urandom")?;
    // 256 % 62 != 0: the tiny bias is irrelevant for test secrets.
    Ok(bytes
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
    fn opaque_keys_are_not_jwts() {
        assert!(!looks_like_jwt("sb_secret_abc"));
        assert!(!looks_like_jwt("eyJonlyonepart"));
        assert_eq!(random_token(40).unwrap().len(), 40);
    }
}
