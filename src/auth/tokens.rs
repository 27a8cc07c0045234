//! The access token every request of a signed-in staff member carries: the saved one while
//! it has more than [`REFRESH_MARGIN`] left, else a new one from the refresh-token grant,
//! saved at once (Supabase Auth rotates refresh tokens: each is spent by its first use).
//! A refresh happens under the credential file's lock and first re-reads the file, so two
//! commands of one person never spend the same refresh token.

use chrono::Utc;
use tokio::sync::Mutex;

use super::{AuthApi, AuthSession, CredentialStore, LOGIN_HINT};
use crate::error::{Error, Result};

/// A token with less than this left is refreshed before use (clock skew, a slow request).
pub const REFRESH_MARGIN_SECS: i64 = 60;

/// The signed-in person's tokens for one project.
#[derive(Debug)]
pub struct StaffTokens {
    api: AuthApi,
    store: CredentialStore,
    cached: Mutex<Option<AuthSession>>,
}

impl StaffTokens {
    pub fn new(api: AuthApi, store: CredentialStore) -> Self {
        StaffTokens {
            api,
            store,
            cached: Mutex::new(None),
        }
    }

    pub fn api(&self) -> &AuthApi {
        &self.api
    }

    pub fn store(&self) -> &CredentialStore {
        &self.store
    }

    /// The saved session, as it is now (no refresh).
    pub async fn session(&self) -> Result<Option<AuthSession>> {
        let mut cached = self.cached.lock().await;
        if cached.is_none() {
            *cached = self.store.load()?;
        }
        Ok(cached.clone())
    }

    /// An access token valid for at least [`REFRESH_MARGIN_SECS`], or why there is none.
    pub async fn bearer(&self) -> Result<String> {
        let mut cached = self.cached.lock().await;
        if cached.is_none() {
            *cached = self.store.load()?;
        }
        match cached.as_ref() {
            None => Err(not_signed_in()),
            Some(s) if s.expires_at - Utc::now().timestamp() > REFRESH_MARGIN_SECS => {
                Ok(s.access_token.clone())
            }
            Some(_) => {
                let fresh = self.refresh_locked().await?;
                let token = fresh.access_token.clone();
                *cached = Some(fresh);
                Ok(token)
            }
        }
    }

    /// A new access token even if the saved one looks valid (PostgREST refused it).
    pub async fn refresh_now(&self) -> Result<String> {
        let mut cached = self.cached.lock().await;
        let stale = cached.as_ref().map(|s| s.access_token.clone());
        let fresh = self.refresh_locked_unless_changed(stale).await?;
        let token = fresh.access_token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    async fn refresh_locked(&self) -> Result<AuthSession> {
        self.refresh_locked_unless_changed(None).await
    }

    /// Refreshes under the file lock, unless the file already holds a token that is fresh
    /// (and, with `stale`, different from it): another command refreshed meanwhile.
    async fn refresh_locked_unless_changed(&self, stale: Option<String>) -> Result<AuthSession> {
        let store = self.store.clone();
        let lock = tokio::task::spawn_blocking(move || store.lock())
            .await
            .map_err(|e| Error::Backend(format!("the sign-in lock failed: {e}")))??;
        let saved = self.store.load()?.ok_or_else(not_signed_in)?;
        let fresh_enough = saved.expires_at - Utc::now().timestamp() > REFRESH_MARGIN_SECS;
        let changed = stale.as_deref().is_none_or(|s| s != saved.access_token);
        if fresh_enough && changed {
            drop(lock);
            return Ok(saved);
        }
        let result = self.api.refresh(&saved.refresh_token).await;
        let outcome = match result {
            Ok(fresh) => {
                self.store.save(&fresh)?;
                Ok(fresh)
            }
            Err(Error::Auth(msg)) => {
                // The refresh token was revoked (logout elsewhere) or spent: nothing saved
                // can work again.
                let _ = self.store.remove();
                Err(Error::Auth(msg))
            }
            Err(e) => Err(e),
        };
        drop(lock);
        outcome
    }
}

/// Nobody is signed in on this machine (for this project).
pub fn not_signed_in() -> Error {
    Error::Auth(format!(
        "not signed in: this machine has the project's anon key only, so every request needs a staff sign-in; {LOGIN_HINT}"
    ))
}
