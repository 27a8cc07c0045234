//! Staff sign in as themselves: Supabase Auth for a command-line tool.
//!
//! A staff machine holds the project's URL and its anon (publishable) key only. `attctl
//! login` exchanges the person's email and password (or an emailed one-time code) for a
//! session at Supabase Auth ([`api`]); the session's refresh token is kept in the OS keyring
//! where one answers, else in a file of mode 0600 ([`credentials`]); every request to the
//! database then carries the person's access token, refreshed before it expires
//! ([`tokens`]), so PostgREST runs it as them and Row Level Security decides what they may
//! touch. Tokens never reach output, logs or `config show`.

pub mod api;
pub mod credentials;
pub mod tokens;

pub use api::{AuthApi, AuthSession};
pub use credentials::CredentialStore;
pub use tokens::StaffTokens;

/// The hint every command gives when nobody is signed in on this machine.
pub const LOGIN_HINT: &str = "run `attctl login --email you@school.example` to sign in";
