//! `attctl class …`: list, create, rename and delete classes, so a fresh database is usable
//! and a typo in a class name is not forever.

use serde::Serialize;

use super::Context;
use crate::cli::ClassCommand;
use crate::error::{Error, Result};
use crate::output::{Detail, Style};
use crate::session::{ClassRef, SessionId, TeachingSession, validate_class_name};
use crate::store::SessionFilter;
use futures::TryStreamExt as _;

pub(crate) async fn run(cmd: ClassCommand, ctx: &mut Context) -> Result<()> {
    match cmd {
        ClassCommand::List => {
            let service = ctx.service()?;
            ctx.use_school_zone(&service).await;
            let mut classes = service.store().list_classes().await?;
            // As people count: Year 7 before Year 10.
            classes.sort_by(|a, b| crate::session::natural_cmp(&a.name, &b.name));
            ctx.out.list(&classes)
        }
        ClassCommand::Create {
            class_name,
            name,
            notify_email,
        } => {
            // clap requires one of the two (and refuses both).
            let name = validate_class_name(&name.or(class_name).unwrap_or_default())?;
            // Checked before anything is written.
            let emails = match notify_email.as_deref() {
                Some(raw) => notify_emails(raw)?,
                None => Vec::new(),
            };
            let service = ctx.service()?;
            ctx.use_school_zone(&service).await;
            let store = service.store().clone();
            let classes = store.list_classes().await?;
            if let Some(twin) = crate::service::case_twin(&name, &classes) {
                ctx.out.warn(&format!(
                    "class {:?} (id:{}) differs from {name:?} only in case; commands that \
                     change or delete a class take the exact name or id:N",
                    twin.name, twin.id
                ));
            }
            let class = if emails.is_empty() {
                store.create_class(&name).await?
            } else {
                store.create_class_notifying(&name, &emails).await?
            };
            if let Some(code) = &class.code {
                // attctl never sends a code: the database derived it from the name.
                ctx.out.note(&format!(
                    "class code {code:?} filled by the database from the name (the original \
                     app's classes.code is required and unique)"
                ));
            }
            ctx.out.detail(&class)
        }
        ClassCommand::Update {
            class,
            notify_email,
            clear_notify_email,
        } => {
            let class = class.parse::<ClassRef>()?;
            let emails = match (notify_email.as_deref(), clear_notify_email) {
                (_, true) => Vec::new(),
                (Some(raw), false) => notify_emails(raw)?,
                (None, false) => {
                    return Err(Error::invalid(
                        "class update needs --notify-email ADDRESSES or --clear-notify-email",
                    ));
                }
            };
            let service = ctx.service()?;
            let id = service.class_exact(&class).await?.id;
            let updated = service
                .store()
                .set_class_notify_emails(id, &emails)
                .await?
                .ok_or_else(|| class_not_found(&class))?;
            ctx.out.detail(&updated)
        }
        ClassCommand::Rename { class, name } => {
            let class = class.parse::<ClassRef>()?;
            let name = validate_class_name(&name)?;
            let service = ctx.service()?;
            let id = service.class_exact(&class).await?.id;
            let renamed = service
                .store()
                .rename_class(id, &name)
                .await?
                .ok_or_else(|| class_not_found(&class))?;
            ctx.out.detail(&renamed)
        }
        ClassCommand::Delete {
            class,
            cascade,
            yes,
        } => delete(&class, cascade && yes, ctx).await,
    }
}

/// `--notify-email a@x,b@y`: every address checked (exit 2 naming the bad one), repeats
/// dropped. An empty list is refused: clearing is `--clear-notify-email`, said on purpose.
fn notify_emails(raw: &str) -> Result<Vec<String>> {
    let emails = crate::config::notify::parse_addresses(raw, "--notify-email")?;
    if emails.is_empty() {
        return Err(Error::invalid(
            "--notify-email names no address: give name@example.org (several separated by \
             commas), or pass --clear-notify-email to remove the class's recipients",
        ));
    }
    Ok(emails)
}

fn class_not_found(class: &ClassRef) -> Error {
    Error::NotFound {
        what: "class",
        id: class.to_string(),
    }
}

/// What `class delete` did.
#[derive(Debug, Serialize)]
pub(crate) struct ClassDeleted {
    pub id: i64,
    pub name: String,
    pub sessions_deleted: usize,
    pub warnings: Vec<String>,
}

impl Detail for ClassDeleted {
    fn fields(&self, _style: &Style) -> Vec<(&'static str, comfy_table::Cell)> {
        vec![
            ("id", comfy_table::Cell::new(self.id)),
            ("name", comfy_table::Cell::new(&self.name)),
            (
                "sessions_deleted",
                comfy_table::Cell::new(self.sessions_deleted),
            ),
        ]
    }
}

fn has_sessions(readable: &[TeachingSession], unreadable: &[SessionId]) -> bool {
    !readable.is_empty() || !unreadable.is_empty()
}

async fn delete(class: &str, cascade: bool, ctx: &mut Context) -> Result<()> {
    let class = class.parse::<ClassRef>()?;
    let service = ctx.service()?;
    let found = service.class_exact(&class).await?;
    let store = service.store().clone();
    let filter = SessionFilter {
        class_id: Some(found.id),
        ..SessionFilter::default()
    };
    // Every session of the class, page by page (the store's keyset paging); a row that
    // cannot be read still goes with its class, by id.
    let mut sessions = Vec::new();
    let mut unreadable = Vec::new();
    let mut pages = std::pin::pin!(crate::store::pages(store.as_ref(), &filter));
    while let Some(page) = pages.try_next().await? {
        sessions.extend(page.rows);
        unreadable.extend(page.skipped.iter().filter_map(|s| s.id));
        if !cascade && has_sessions(&sessions, &unreadable) {
            break;
        }
    }
    if !cascade && has_sessions(&sessions, &unreadable) {
        return Err(Error::Conflict(format!(
            "class {:?} (id {}) still has sessions: delete them first, or pass --cascade --yes \
             to delete them with the class (their automatic closes are cancelled)",
            found.name, found.id
        )));
    }
    // The bulk path: runs cancelled in bulk, one delete per chunk (never one per session).
    let mut warnings = Vec::new();
    let mut deleted = service.delete_many(&sessions, &mut warnings).await?.len();
    if !unreadable.is_empty() {
        deleted += store.delete_sessions(&unreadable).await?.len();
    }
    for w in &warnings {
        ctx.out.warn(w);
    }
    let gone = store
        .delete_class(found.id)
        .await?
        .ok_or_else(|| class_not_found(&class))?;
    ctx.out.detail(&ClassDeleted {
        id: gone.id,
        name: gone.name,
        sessions_deleted: deleted,
        warnings,
    })
}
