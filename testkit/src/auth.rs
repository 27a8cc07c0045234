//! Supabase Auth's token API as the gateway serves it at `/auth/v1/*`, behaving as GoTrue
//! does for what a CLI uses:
//! - `POST /token?grant_type=password` `{email, password}` and `?grant_type=refresh_token`
//!   `{refresh_token}`: a session `{access_token, token_type, expires_in, expires_at,
//!   refresh_token, user}`. Refresh tokens rotate: each is used once, a second use is
//!   `400 refresh_token_already_used`.
//! - `GET /user` and `POST /logout` (`?scope=global|local|others`) with the access token.
//!   After a logout the session's refresh tokens are revoked and `/user` answers 403
//!   `session_not_found`; the access token itself stays valid for PostgREST until it
//!   expires, as a stateless JWT does on Supabase.
//! - `POST /otp` `{email}` then `POST /verify` `{type: "email", email, token}`.
//! - Errors as GoTrue writes them: `{code, error_code, msg}`.
//!
//! Access tokens are HS256 JWTs signed with the stack's JWT secret and carry Supabase's
//! claims (`sub`, `email`, `role: authenticated`, `aud`, `exp`, `iat`, `iss`, `session_id`,
//! `aal`, `amr`, `app_metadata`, `user_metadata`, `is_anonymous`), so PostgREST runs each
//! request as the user and RLS sees `request.jwt.claims`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::jwt;

/// One user of the project.
#[derive(Debug, Clone)]
struct User {
    id: String,
    email: String,
    password: String,
    created_at: String,
}

/// One refresh token: its session, and whether it was used (rotated) or revoked.
#[derive(Debug, Clone)]
struct RefreshToken {
    user_id: String,
    session_id: String,
    used: bool,
}

#[derive(Debug, Default)]
struct Users {
    by_email: HashMap<String, User>,
    refresh_tokens: HashMap<String, RefreshToken>,
    /// Sessions still alive (not logged out).
    sessions: HashMap<String, String>,
    /// The last one-time code sent to each email.
    otps: HashMap<String, String>,
}

/// The auth server's state, shared by the gateway and the stack's test methods.
#[derive(Debug)]
pub(crate) struct AuthServer {
    jwt_secret: String,
    issuer: Mutex<String>,
    users: Mutex<Users>,
    /// Lifetime of new access tokens, in seconds (GoTrue's `JWT_EXP`, 3600 by default).
    access_ttl: AtomicI64,
}

/// An answer: status and JSON body.
pub(crate) type Answer = (u16, Value);

fn error(status: u16, code: &str, msg: &str) -> Answer {
    (
        status,
        json!({ "code": status, "error_code": code, "msg": msg }),
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl AuthServer {
    pub(crate) fn new(jwt_secret: String) -> Arc<AuthServer> {
        Arc::new(AuthServer {
            jwt_secret,
            issuer: Mutex::new(String::new()),
            users: Mutex::new(Users::default()),
            access_ttl: AtomicI64::new(3600),
        })
    }

    pub(crate) fn set_issuer(&self, issuer: String) {
        *lock(&self.issuer) = issuer;
    }

    pub(crate) fn set_access_ttl(&self, seconds: i64) {
        self.access_ttl.store(seconds, Ordering::SeqCst);
    }

    /// Adds a confirmed user; returns their id.
    pub(crate) fn add_user(&self, id: &str, email: &str, password: &str) {
        let user = User {
            id: id.to_string(),
            email: email.to_lowercase(),
            password: password.to_string(),
            created_at: chrono::Utc::now().to_rfc3339(),
        };
        lock(&self.users).by_email.insert(user.email.clone(), user);
    }

    /// The last one-time code sent to `email` (what the user would read in the mail).
    pub(crate) fn last_otp(&self, email: &str) -> Option<String> {
        lock(&self.users).otps.get(&email.to_lowercase()).cloned()
    }

    /// How many refresh tokens were handed out (each login and each refresh adds one).
    pub(crate) fn refresh_tokens_issued(&self) -> usize {
        lock(&self.users).refresh_tokens.len()
    }

    /// Answers a request to `/auth/v1/<path>`.
    pub(crate) fn handle(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        bearer: Option<&str>,
        body: &[u8],
    ) -> Answer {
        let param = |name: &str| {
            query.and_then(|q| {
                q.split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            })
        };
        let body: Value = if body.is_empty() {
            Value::Null
        } else {
            match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(_) => return error(400, "bad_json", "Could not parse request body as JSON"),
            }
        };
        let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
        match (method, path) {
            ("POST", "token") => match param("grant_type").as_deref() {
                Some("password") => self.password_grant(field("email"), field("password")),
                Some("refresh_token") => self.refresh_grant(field("refresh_token")),
                _ => error(400, "unsupported_grant_type", "unsupported_grant_type"),
            },
            ("GET", "user") => match self.session_of(bearer) {
                Ok((user, _)) => (200, self.user_json(&user)),
                Err(answer) => answer,
            },
            ("POST", "logout") => match self.session_of(bearer) {
                Ok((user, session_id)) => {
                    let scope = param("scope").unwrap_or_else(|| "global".into());
                    let mut users = lock(&self.users);
                    let doomed: Vec<String> = users
                        .sessions
                        .iter()
                        .filter(|(sid, uid)| {
                            **uid == user.id
                                && match scope.as_str() {
                                    "local" => **sid == session_id,
                                    "others" => **sid != session_id,
                                    _ => true,
                                }
                        })
                        .map(|(sid, _)| sid.clone())
                        .collect();
                    for sid in &doomed {
                        users.sessions.remove(sid);
                    }
                    for token in users.refresh_tokens.values_mut() {
                        if doomed.contains(&token.session_id) {
                            token.used = true;
                        }
                    }
                    (204, Value::Null)
                }
                Err(answer) => answer,
            },
            ("POST", "otp") => {
                let Some(email) = field("email").map(|e| e.to_lowercase()) else {
                    return error(400, "validation_failed", "An email address is required");
                };
                let mut users = lock(&self.users);
                if !users.by_email.contains_key(&email) {
                    // GoTrue signs the address up unless create_user is false; this
                    // project does not let strangers in.
                    return error(422, "otp_disabled", "Signups not allowed for otp");
                }
                let code = format!("{:06}", rand_u32() % 1_000_000);
                users.otps.insert(email, code);
                (200, json!({}))
            }
            ("POST", "verify") => {
                let email = field("email").map(|e| e.to_lowercase()).unwrap_or_default();
                let token = field("token").unwrap_or_default();
                let user = {
                    let mut users = lock(&self.users);
                    let matches = users.otps.get(&email).is_some_and(|code| *code == token);
                    if !matches {
                        return error(403, "otp_expired", "Token has expired or is invalid");
                    }
                    users.otps.remove(&email);
                    users.by_email.get(&email).cloned()
                };
                match user {
                    Some(user) => (200, self.new_session(&user, None, "otp")),
                    None => error(403, "otp_expired", "Token has expired or is invalid"),
                }
            }
            _ => error(404, "not_found", "Not Found"),
        }
    }

    fn password_grant(&self, email: Option<String>, password: Option<String>) -> Answer {
        let (Some(email), Some(password)) = (email, password) else {
            return error(400, "validation_failed", "missing email or phone");
        };
        let user = lock(&self.users)
            .by_email
            .get(&email.to_lowercase())
            .cloned();
        match user {
            Some(user) if user.password == password => {
                (200, self.new_session(&user, None, "password"))
            }
            _ => error(400, "invalid_credentials", "Invalid login credentials"),
        }
    }

    fn refresh_grant(&self, token: Option<String>) -> Answer {
        let Some(token) = token else {
            return error(400, "validation_failed", "refresh_token required");
        };
        let (user, session_id) = {
            let mut users = lock(&self.users);
            let Some(entry) = users.refresh_tokens.get_mut(&token) else {
                return error(
                    400,
                    "refresh_token_not_found",
                    "Invalid Refresh Token: Refresh Token Not Found",
                );
            };
            if entry.used {
                return error(
                    400,
                    "refresh_token_already_used",
                    "Invalid Refresh Token: Already Used",
                );
            }
            entry.used = true;
            let (user_id, session_id) = (entry.user_id.clone(), entry.session_id.clone());
            if !users.sessions.contains_key(&session_id) {
                return error(
                    400,
                    "session_not_found",
                    "Invalid Refresh Token: Session Expired",
                );
            }
            let user = users.by_email.values().find(|u| u.id == user_id).cloned();
            match user {
                Some(user) => (user, session_id),
                None => return error(400, "user_not_found", "User not found"),
            }
        };
        (200, self.new_session(&user, Some(session_id), "password"))
    }

    /// The user and session of an access token, or GoTrue's refusal.
    fn session_of(&self, bearer: Option<&str>) -> Result<(User, String), Answer> {
        let Some(token) = bearer else {
            return Err(error(
                401,
                "no_authorization",
                "This endpoint requires a Bearer token",
            ));
        };
        let bad = |why: &str| {
            error(
                403,
                "bad_jwt",
                &format!("invalid JWT: unable to parse or verify signature, {why}"),
            )
        };
        let payload = jwt::verify_hs256(self.jwt_secret.as_bytes(), token)
            .map_err(|_| bad("signature is invalid"))?;
        let claims: Value =
            serde_json::from_slice(&payload).map_err(|_| bad("claims are not JSON"))?;
        if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) <= now() {
            return Err(bad("token has invalid claims: token is expired"));
        }
        let session_id = claims
            .get("session_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let users = lock(&self.users);
        if !users.sessions.contains_key(&session_id) {
            return Err(error(
                403,
                "session_not_found",
                "Session from session_id claim in JWT does not exist",
            ));
        }
        match users.by_email.values().find(|u| u.id == sub) {
            Some(user) => Ok((user.clone(), session_id)),
            None => Err(error(
                403,
                "user_not_found",
                "User from sub claim in JWT does not exist",
            )),
        }
    }

    fn user_json(&self, user: &User) -> Value {
        json!({
            "id": user.id,
            "aud": "authenticated",
            "role": "authenticated",
            "email": user.email,
            "email_confirmed_at": user.created_at,
            "phone": "",
            "app_metadata": { "provider": "email", "providers": ["email"] },
            "user_metadata": {},
            "identities": [],
            "created_at": user.created_at,
            "updated_at": user.created_at,
            "is_anonymous": false,
        })
    }

    /// A session answer: a new access token and a new refresh token (of `session_id`, or
    /// of a new session).
    fn new_session(&self, user: &User, session_id: Option<String>, method: &str) -> Value {
        let ttl = self.access_ttl.load(Ordering::SeqCst);
        let iat = now();
        let exp = iat + ttl;
        let session_id = session_id.unwrap_or_else(new_uuid);
        let refresh = jwt::random_token(12).unwrap_or_else(|_| new_uuid());
        {
            let mut users = lock(&self.users);
            users.sessions.insert(session_id.clone(), user.id.clone());
            users.refresh_tokens.insert(
                refresh.clone(),
                RefreshToken {
                    user_id: user.id.clone(),
                    session_id: session_id.clone(),
                    used: false,
                },
            );
        }
        let claims = json!({
            "iss": lock(&self.issuer).clone(),
            "sub": user.id,
            "aud": "authenticated",
            "exp": exp,
            "iat": iat,
            "email": user.email,
            "phone": "",
            "app_metadata": { "provider": "email", "providers": ["email"] },
            "user_metadata": {},
            "role": "authenticated",
            "aal": "aal1",
            "amr": [{ "method": method, "timestamp": iat }],
            "session_id": session_id,
            "is_anonymous": false,
        });
        json!({
            "access_token": jwt::sign_hs256(self.jwt_secret.as_bytes(), &claims),
            "token_type": "bearer",
            "expires_in": ttl,
            "expires_at": exp,
            "refresh_token": refresh,
            "user": self.user_json(user),
        })
    }
}

/// A random version-4 UUID in its text form.
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn rand_u32() -> u32 {
    let b = jwt::random_bytes(4).unwrap_or_else(|_| vec![7, 7, 7, 7]);
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}
