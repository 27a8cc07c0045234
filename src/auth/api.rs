//! Supabase Auth's token API (`/auth/v1`): password and refresh-token grants, email
//! one-time codes, the signed-in user, and logout. Errors come back as GoTrue writes them
//! (`{code, error_code, msg}`, or `{error, error_description}` on older servers) and become
//! one line that says what to do.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// A signed-in session: what Supabase Auth answers a grant with, as attctl keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub struct AuthSession {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires (seconds since the epoch).
    pub expires_at: i64,
    pub user_id: String,
    pub email: String,
}

impl std::fmt::Debug for AuthSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSession")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl AuthSession {
    pub fn expires(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.expires_at, 0)
    }
}

/// The answer to a grant or a verify.
#[derive(Deserialize)]
struct SessionAnswer {
    access_token: String,
    refresh_token: String,
    #[serde(default)]
    expires_at: Option<i64>,
    #[serde(default)]
    expires_in: Option<i64>,
    user: UserAnswer,
}

/// Supabase Auth's user, as `/user` and the grants describe it.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct UserAnswer {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// GoTrue's error body, both shapes.
#[derive(Deserialize, Default)]
struct AuthError {
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    msg: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// A client of one project's Supabase Auth.
#[derive(Clone)]
pub struct AuthApi {
    http: reqwest::Client,
    base: String,
    apikey: Secret,
}

impl std::fmt::Debug for AuthApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthApi")
            .field("base", &crate::secret::redact_url(&self.base))
            .finish_non_exhaustive()
    }
}

impl AuthApi {
    /// `project_url` without `/auth/v1`; `apikey` the project's anon or publishable key.
    pub fn new(project_url: &str, apikey: &Secret, timeout: Duration) -> Result<Self> {
        let http = crate::http::client(timeout, timeout.min(Duration::from_secs(5)))
            .user_agent(crate::http::USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(AuthApi {
            http,
            base: format!("{}/auth/v1", project_url.trim_end_matches('/')),
            apikey: apikey.clone(),
        })
    }

    /// Signs in with an email and password.
    pub async fn sign_in_password(&self, email: &str, password: &Secret) -> Result<AuthSession> {
        let answer = self
            .post(
                "token?grant_type=password",
                None,
                &json!({ "email": email, "password": password.expose() }),
            )
            .await?;
        session_of(answer)
    }

    /// Exchanges a refresh token for a new session; the old refresh token is spent.
    pub async fn refresh(&self, refresh_token: &str) -> Result<AuthSession> {
        let answer = self
            .post(
                "token?grant_type=refresh_token",
                None,
                &json!({ "refresh_token": refresh_token }),
            )
            .await?;
        session_of(answer)
    }

    /// Mails a one-time code to `email` (an existing account only).
    pub async fn send_otp(&self, email: &str) -> Result<()> {
        self.post(
            "otp",
            None,
            &json!({ "email": email, "create_user": false }),
        )
        .await
        .map(|_| ())
    }

    /// Signs in with the code mailed by [`AuthApi::send_otp`].
    pub async fn verify_otp(&self, email: &str, code: &Secret) -> Result<AuthSession> {
        let answer = self
            .post(
                "verify",
                None,
                &json!({ "type": "email", "email": email, "token": code.expose().trim() }),
            )
            .await?;
        session_of(answer)
    }

    /// The signed-in user of an access token (Supabase Auth checks the session is alive).
    pub async fn user(&self, access_token: &str) -> Result<UserAnswer> {
        let resp = self
            .http
            .get(format!("{}/user", self.base))
            .header("apikey", self.apikey.expose())
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| unreachable_auth(&e))?;
        let bytes = answer_bytes(resp).await?;
        serde_json::from_slice(&bytes).map_err(|_| {
            Error::Backend("Supabase Auth answered /user with something that is not a user".into())
        })
    }

    /// Ends the session (all of this user's sessions with `global`), revoking its refresh
    /// tokens.
    pub async fn logout(&self, access_token: &str, global: bool) -> Result<()> {
        let scope = if global { "global" } else { "local" };
        let resp = self
            .http
            .post(format!("{}/logout?scope={scope}", self.base))
            .header("apikey", self.apikey.expose())
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| unreachable_auth(&e))?;
        answer_bytes(resp).await.map(|_| ())
    }

    async fn post(
        &self,
        path: &str,
        bearer: Option<&str>,
        body: &serde_json::Value,
    ) -> Result<Vec<u8>> {
        let mut req = self
            .http
            .post(format!("{}/{path}", self.base))
            .header("apikey", self.apikey.expose())
            .json(body);
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.map_err(|e| unreachable_auth(&e))?;
        answer_bytes(resp).await
    }
}

fn unreachable_auth(e: &reqwest::Error) -> Error {
    let host = e
        .url()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "the server".into());
    Error::Unavailable(format!(
        "Supabase Auth at {host} {}",
        crate::http::transport_reason(e)
    ))
}

/// The body of a 2xx answer, or the error Supabase Auth gave, in attctl's words.
async fn answer_bytes(resp: reqwest::Response) -> Result<Vec<u8>> {
    let status = resp.status();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| unreachable_auth(&e))?
        .to_vec();
    if status.is_success() {
        return Ok(bytes);
    }
    let err: AuthError = serde_json::from_slice(&bytes).unwrap_or_default();
    let code = err
        .error_code
        .clone()
        .or_else(|| err.error.clone())
        .unwrap_or_default();
    let said = err
        .msg
        .or(err.error_description)
        .or(err.message)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string());
    let said: String = said.chars().take(200).collect();
    Err(match (status.as_u16(), code.as_str()) {
        (_, "invalid_credentials" | "invalid_grant") => Error::Auth(format!(
            "Supabase Auth refused the sign-in: {said} (check the email and password)"
        )),
        (_, "otp_expired") => Error::Auth(format!(
            "Supabase Auth refused the code: {said}; ask for a new one with `attctl login --otp`"
        )),
        (
            _,
            "refresh_token_already_used"
            | "refresh_token_not_found"
            | "session_not_found"
            | "session_expired",
        ) => Error::Auth(format!(
            "the saved sign-in is no longer valid ({said}); {}",
            super::LOGIN_HINT
        )),
        (_, "otp_disabled" | "signup_disabled" | "user_not_found") => Error::Auth(format!(
            "Supabase Auth has no account for that email ({said}); ask an admin to invite you"
        )),
        (429, _) | (_, "over_request_rate_limit" | "over_email_send_rate_limit") => {
            Error::Unavailable(format!(
                "Supabase Auth is rate limiting: {said}; try again in a minute"
            ))
        }
        (401 | 403, _) => Error::Auth(format!("Supabase Auth refused the request: {said}")),
        (500..=599, _) => Error::Unavailable(format!("Supabase Auth answered {status}: {said}")),
        _ => Error::Backend(format!("Supabase Auth answered {status}: {said}")),
    })
}

fn session_of(bytes: Vec<u8>) -> Result<AuthSession> {
    let answer: SessionAnswer = serde_json::from_slice(&bytes).map_err(|_| {
        Error::Backend(
            "Supabase Auth answered the sign-in with something that is not a session".into(),
        )
    })?;
    let expires_at = answer
        .expires_at
        .or_else(|| answer.expires_in.map(|secs| Utc::now().timestamp() + secs))
        .unwrap_or_else(|| Utc::now().timestamp() + 3600);
    Ok(AuthSession {
        access_token: answer.access_token,
        refresh_token: answer.refresh_token,
        expires_at,
        user_id: answer.user.id,
        email: answer.user.email.unwrap_or_default(),
    })
}
