//! `attctl login`, `logout`, `whoami` and `staff …`: staff who sign in as themselves.
//!
//! A staff machine holds SUPABASE_URL and the anon (or publishable) key; `login` keeps the
//! person's Supabase Auth session (see [`crate::auth`]) and every later command acts as
//! them. `staff` manages who may sign in and as what; the database's policies do the
//! enforcing (`supabase/migrations/20261205110000_staff_accounts.sql`).

use std::io::{BufRead, IsTerminal};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Context, prompt_error};
use crate::auth::{AuthApi, AuthSession, CredentialStore};
use crate::cli::{LoginArgs, LogoutArgs, StaffCommand};
use crate::config::{Settings, SupabaseAccess, SupabaseSettings};
use crate::error::{Error, Result};
use crate::output::{Detail, Row, Style};
use crate::secret::Secret;
use crate::session::ClassRef;
use crate::store::postgrest::PostgrestStore;
use crate::store::postgrest::client::Identity;
use crate::store::postgrest::staff::StaffMember;

/// The Supabase project of a staff machine, or why this machine is not one.
fn staff_project(settings: &Settings) -> Result<&SupabaseSettings> {
    match crate::backend::supabase(settings) {
        None => Err(Error::Config(
            "sign-in is for Supabase: set SUPABASE_URL and SUPABASE_ANON_KEY (the project's anon or publishable key) first".into(),
        )),
        Some(sb) if sb.access == SupabaseAccess::ServiceKey => Err(Error::Config(
            "this machine is configured with a service key, which acts for everyone: a staff machine has SUPABASE_URL and SUPABASE_ANON_KEY only (remove SUPABASE_SERVICE_ROLE_KEY / SUPABASE_SECRET_KEY here, and keep them on the worker's machine)".into(),
        )),
        Some(sb) => Ok(sb),
    }
}

fn auth_api(sb: &SupabaseSettings, settings: &Settings) -> Result<AuthApi> {
    AuthApi::new(&sb.url, &sb.key, settings.http.timeout)
}

pub(crate) async fn login(args: LoginArgs, ctx: &mut Context) -> Result<()> {
    let sb = staff_project(&ctx.settings)?.clone();
    let api = auth_api(&sb, &ctx.settings)?;
    let email = match args.email {
        Some(email) => email.trim().to_string(),
        None if ctx.out.interactive() => inquire::Text::new("Email:")
            .prompt()
            .map_err(prompt_error)?
            .trim()
            .to_string(),
        None => return Err(Error::invalid("give --email (no terminal to ask on)")),
    };
    if email.is_empty() || !email.contains('@') {
        return Err(Error::invalid(format!(
            "--email {email:?} is not an email address"
        )));
    }
    let session = if args.otp_code_stdin {
        let code = read_stdin_line("the one-time code")?;
        api.verify_otp(&email, &code).await?
    } else if args.otp {
        api.send_otp(&email).await?;
        if !std::io::stdin().is_terminal() {
            ctx.out.note(&format!(
                "a one-time code was mailed to {email}; finish with: echo CODE | attctl login --email {email} --otp-code-stdin"
            ));
            return Ok(());
        }
        let code = inquire::Text::new(&format!("Code mailed to {email}:"))
            .prompt()
            .map_err(prompt_error)?;
        api.verify_otp(&email, &Secret::new(code)).await?
    } else {
        let password = if args.password_stdin {
            read_stdin_line("the password")?
        } else if std::io::stdin().is_terminal() {
            Secret::new(
                inquire::Password::new("Password:")
                    .without_confirmation()
                    .prompt()
                    .map_err(prompt_error)?,
            )
        } else {
            return Err(Error::invalid(
                "no terminal to ask the password on: pipe it with --password-stdin, or use --otp",
            ));
        };
        api.sign_in_password(&email, &password).await?
    };
    let credentials = CredentialStore::for_project(&sb.url);
    credentials.save(&session)?;
    // Who the database takes them for: a sign-in that works but gives no rights is said
    // at once, not at the first empty list.
    let store = PostgrestStore::new(&sb, &ctx.settings.http)?;
    let identity = store.identity().await?.unwrap_or_else(|| Identity {
        user_id: Some(session.user_id.clone()),
        email: Some(session.email.clone()),
        role: None,
        classes: Vec::new(),
    });
    if identity.role.is_none() {
        ctx.out.warn(&format!(
            "signed in as {email}, but {email} is not on this school's staff list: every command will be refused until an admin runs `attctl staff add {email} --role teacher --class NAME`"
        ));
    }
    ctx.out
        .detail(&WhoAmI::of(identity, Some(&session), &credentials))
}

pub(crate) async fn logout(args: LogoutArgs, ctx: &mut Context) -> Result<()> {
    let sb = staff_project(&ctx.settings)?.clone();
    let credentials = CredentialStore::for_project(&sb.url);
    let Some(saved) = credentials.load()? else {
        ctx.out.note("nobody is signed in on this machine");
        return Ok(());
    };
    let tokens = crate::auth::StaffTokens::new(auth_api(&sb, &ctx.settings)?, credentials.clone());
    // Revoking needs a live access token: refresh first if it expired.
    let revoked = match tokens.bearer().await {
        Ok(access) => tokens.api().logout(&access, args.everywhere).await,
        Err(e) => Err(e),
    };
    credentials.remove()?;
    match revoked {
        Ok(()) => ctx.out.note(&format!(
            "signed out {}{}",
            saved.email,
            if args.everywhere {
                " everywhere"
            } else {
                ""
            }
        )),
        // Forgotten here whatever happened; a session already revoked is what we wanted.
        Err(Error::Auth(_)) => ctx.out.note(&format!("signed out {}", saved.email)),
        Err(e) => ctx.out.warn(&format!(
            "signed out {} on this machine, but Supabase Auth could not be told ({e}): its refresh token stays valid until it expires",
            saved.email
        )),
    }
    Ok(())
}

pub(crate) async fn whoami(ctx: &mut Context) -> Result<()> {
    let Some(sb) = crate::backend::supabase(&ctx.settings).cloned() else {
        return Err(Error::Config(
            "whoami is for Supabase staff sign-ins; this machine uses a local data file, which has no accounts".into(),
        ));
    };
    if sb.access == SupabaseAccess::ServiceKey {
        return ctx.out.detail(&WhoAmI::service_key());
    }
    let credentials = CredentialStore::for_project(&sb.url);
    let store = PostgrestStore::new(&sb, &ctx.settings.http)?;
    let identity = store
        .identity()
        .await?
        .ok_or_else(crate::auth::tokens::not_signed_in)?;
    let session = credentials.load()?;
    ctx.out
        .detail(&WhoAmI::of(identity, session.as_ref(), &credentials))
}

pub(crate) async fn staff(cmd: StaffCommand, ctx: &mut Context) -> Result<()> {
    let Some(sb) = crate::backend::supabase(&ctx.settings).cloned() else {
        return Err(Error::Config(
            "staff accounts are Supabase Auth accounts: set SUPABASE_URL and a key (a local data file has no accounts)".into(),
        ));
    };
    let store = PostgrestStore::new(&sb, &ctx.settings.http)?;
    match cmd {
        StaffCommand::Add {
            email,
            role,
            classes,
        } => {
            let mut class_ids = Vec::with_capacity(classes.len());
            for raw in &classes {
                class_ids.push(exact_class_id(&store, raw).await?);
            }
            let member = store
                .staff_add(email.trim(), role.as_str(), &class_ids)
                .await?;
            ctx.out.detail(&member)
        }
        StaffCommand::List => {
            let members = store.staff_list().await?;
            ctx.out.list(&members)
        }
        StaffCommand::Remove { email, yes } => {
            let email = email.trim();
            super::confirm(
                ctx,
                yes,
                || {
                    format!(
                        "refusing to remove {email} from the staff list without confirmation: pass --yes"
                    )
                },
                &format!(
                    "Remove {email} from the staff list? They keep their account but lose every right."
                ),
                || format!("{email} stays: not confirmed"),
            )?;
            match store.staff_remove(email).await? {
                Some(member) => ctx.out.detail(&member),
                None => Err(Error::NotFoundHint(format!(
                    "nobody on the staff list has the email {email}: `attctl staff list` shows who is"
                ))),
            }
        }
    }
}

/// A class named exactly (or `id:N`): granting rights never guesses.
async fn exact_class_id(store: &PostgrestStore, raw: &str) -> Result<i64> {
    use crate::store::Directory;
    let class: ClassRef = raw.parse()?;
    match store.find_class(&class).await? {
        Some(found) => Ok(found.id),
        None => Err(Error::NotFoundHint(format!(
            "no class named exactly {raw:?}: `attctl class list` shows the names (or give id:N)"
        ))),
    }
}

fn read_stdin_line(what: &str) -> Result<Secret> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::io(format!("reading {what} from standard input"), e))?;
    let value = line.trim_end_matches(['\r', '\n']).to_string();
    if value.is_empty() {
        return Err(Error::invalid(format!(
            "standard input held no {what} (pipe it in: … | attctl login --email EMAIL …)"
        )));
    }
    Ok(Secret::new(value))
}

/// `whoami` (and `login`): `{"email", "user_id", "role", "classes", "expires_at",
/// "credentials"}`. Never a token.
#[derive(Debug, Serialize)]
struct WhoAmI {
    email: Option<String>,
    user_id: Option<String>,
    /// `teacher`, `admin`, `null` (signed in, not staff), or `service_role` (a service key).
    role: Option<String>,
    /// Names of the classes they teach (an admin reaches every class).
    classes: Vec<String>,
    /// When the access token expires (it is refreshed by itself before then).
    expires_at: Option<DateTime<Utc>>,
    /// Where the sign-in is kept.
    credentials: Option<String>,
}

impl WhoAmI {
    fn of(identity: Identity, session: Option<&AuthSession>, store: &CredentialStore) -> Self {
        WhoAmI {
            email: identity.email.or_else(|| session.map(|s| s.email.clone())),
            user_id: identity
                .user_id
                .or_else(|| session.map(|s| s.user_id.clone())),
            role: identity.role,
            classes: identity.classes.into_iter().map(|c| c.name).collect(),
            expires_at: session.and_then(AuthSession::expires),
            credentials: Some(store.path().display().to_string()),
        }
    }

    fn service_key() -> Self {
        WhoAmI {
            email: None,
            user_id: None,
            role: Some("service_role".into()),
            classes: Vec::new(),
            expires_at: None,
            credentials: None,
        }
    }
}

impl Detail for WhoAmI {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        let or = |v: &Option<String>, none: &str| v.clone().unwrap_or_else(|| none.to_string());
        let role = match self.role.as_deref() {
            Some("service_role") => {
                "service key (every row; Row Level Security bypassed)".to_string()
            }
            Some(role) => role.to_string(),
            None => "not staff (ask an admin: attctl staff add)".to_string(),
        };
        let classes = reach(self.role.as_deref(), &self.classes);
        vec![
            ("email", comfy_table::Cell::new(or(&self.email, "-"))),
            ("user_id", comfy_table::Cell::new(or(&self.user_id, "-"))),
            ("role", comfy_table::Cell::new(role)),
            ("classes", comfy_table::Cell::new(classes)),
            (
                "expires_at",
                comfy_table::Cell::new(
                    self.expires_at
                        .map_or_else(|| "-".to_string(), |t| t.to_rfc3339()),
                ),
            ),
            (
                "credentials",
                comfy_table::Cell::new(or(&self.credentials, "-")),
            ),
        ]
    }
}

impl Detail for StaffMember {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        vec![
            ("email", comfy_table::Cell::new(&self.email)),
            ("user_id", comfy_table::Cell::new(&self.user_id)),
            ("role", comfy_table::Cell::new(&self.role)),
            ("classes", comfy_table::Cell::new(class_names(self))),
        ]
    }
}

impl Row for StaffMember {
    fn headers() -> &'static [&'static str] {
        &["EMAIL", "ROLE", "CLASSES", "ADDED"]
    }
    fn cells(&self, _style: &Style) -> Vec<comfy_table::Cell> {
        vec![
            comfy_table::Cell::new(&self.email),
            comfy_table::Cell::new(&self.role),
            comfy_table::Cell::new(class_names(self)),
            comfy_table::Cell::new(
                self.added_at
                    .map_or_else(|| "-".to_string(), |t| t.format("%Y-%m-%d").to_string()),
            ),
        ]
    }
}

fn class_names(member: &StaffMember) -> String {
    reach(Some(&member.role), &member.classes)
}

/// The classes someone of `role` reaches, as people read it: an admin (or the service key)
/// every class, anyone else the classes named.
pub(crate) fn reach(role: Option<&str>, classes: &[String]) -> String {
    match (role, classes.is_empty()) {
        (Some("admin" | "service_role"), _) => "every class".into(),
        (_, true) => "none".into(),
        (_, false) => classes.join(", "),
    }
}
