//! Where a staff member's sign-in is kept between commands: one file of mode 0600 in the
//! state directory (`$XDG_STATE_HOME/attctl/credentials.json` on Linux), in a directory of
//! mode 0700, holding one session per Supabase project. Writes go to a temporary file that
//! replaces the old one, so a crash never leaves half a token; a file others can read is
//! refused rather than used. Refreshes take an exclusive lock beside it ([`CredentialStore::lock`]),
//! because a refresh token is spent by its first use: two commands refreshing at once
//! would otherwise sign the person out.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::AuthSession;
use crate::error::{Error, Result};

/// The sign-ins of one machine's user, by project URL.
#[derive(Debug, Clone)]
pub struct CredentialStore {
    file: PathBuf,
    project: String,
}

impl CredentialStore {
    /// The store of `project_url`'s sign-in in the standard state directory.
    pub fn for_project(project_url: &str) -> Self {
        Self::at(default_file(), project_url)
    }

    /// The store of `project_url`'s sign-in in `file`.
    pub fn at(file: PathBuf, project_url: &str) -> Self {
        CredentialStore {
            file,
            project: project_url.trim_end_matches('/').to_string(),
        }
    }

    /// Where the sign-in is kept, for `doctor` and `whoami`.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The saved session of this project, if any.
    pub fn load(&self) -> Result<Option<AuthSession>> {
        Ok(self.read_all()?.remove(&self.project))
    }

    /// Saves (replaces) this project's session.
    pub fn save(&self, session: &AuthSession) -> Result<()> {
        let mut all = self.read_all()?;
        all.insert(self.project.clone(), session.clone());
        self.write_all(&all)
    }

    /// Forgets this project's session; whether there was one.
    pub fn remove(&self) -> Result<bool> {
        let mut all = self.read_all()?;
        let had = all.remove(&self.project).is_some();
        if had {
            self.write_all(&all)?;
        }
        Ok(had)
    }

    /// An exclusive lock held while a refresh spends the refresh token (released on drop).
    pub fn lock(&self) -> Result<File> {
        let dir = self.ensure_dir()?;
        let path = dir.join("credentials.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
        file.lock()
            .map_err(|e| Error::io(format!("locking {}", path.display()), e))?;
        Ok(file)
    }

    fn read_all(&self) -> Result<BTreeMap<String, AuthSession>> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(Error::io(format!("reading {}", self.file.display()), e)),
        };
        if let Ok(meta) = std::fs::metadata(&self.file)
            && meta.permissions().mode() & 0o077 != 0
        {
            return Err(Error::Config(format!(
                "{} holds sign-in tokens but others may read it (mode {:o}): run `chmod 600 {}` or `attctl logout`",
                self.file.display(),
                meta.permissions().mode() & 0o777,
                self.file.display()
            )));
        }
        serde_json::from_str(&text).map_err(|_| {
            Error::Config(format!(
                "{} is not a sign-in file attctl wrote: remove it and run `attctl login`",
                self.file.display()
            ))
        })
    }

    fn write_all(&self, all: &BTreeMap<String, AuthSession>) -> Result<()> {
        let dir = self.ensure_dir()?;
        if all.is_empty() {
            return match std::fs::remove_file(&self.file) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(Error::io(format!("removing {}", self.file.display()), e)),
            };
        }
        let text = serde_json::to_string_pretty(all)
            .map_err(|e| Error::Config(format!("cannot encode the sign-in: {e}")))?;
        let tmp = dir.join(format!(".credentials.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = OpenOptions::new()
                .create(true)
                .truncate(true)
                .write(true)
                .mode(0o600)
                .open(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.file)
        })();
        written.map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(format!("writing {}", self.file.display()), e)
        })
    }

    fn ensure_dir(&self) -> Result<PathBuf> {
        let dir = self
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        if !dir.as_os_str().is_empty() && !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        Ok(dir)
    }
}

/// `$XDG_STATE_HOME/attctl/credentials.json` (Linux), the platform's local data directory
/// elsewhere.
fn default_file() -> PathBuf {
    directories::ProjectDirs::from("", "", "attctl")
        .map(|d| {
            d.state_dir()
                .unwrap_or_else(|| d.data_local_dir())
                .join("credentials.json")
        })
        .unwrap_or_else(|| PathBuf::from(".attctl-credentials.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(token: &str) -> AuthSession {
        AuthSession {
            access_token: format!("access-{token}"),
            refresh_token: format!("refresh-{token}"),
            expires_at: 4_102_444_800,
            user_id: "u1".into(),
            email: "t@school.example".into(),
        }
    }

    #[test]
    fn saves_loads_and_forgets_per_project_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state/attctl/credentials.json");
        let a = CredentialStore::at(file.clone(), "https://a.example/");
        let b = CredentialStore::at(file.clone(), "https://b.example");
        assert!(a.load().unwrap().is_none());
        a.save(&session("a")).unwrap();
        b.save(&session("b")).unwrap();
        assert_eq!(a.load().unwrap().unwrap().refresh_token, "refresh-a");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(file.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert!(a.remove().unwrap());
        assert!(!a.remove().unwrap());
        assert!(a.load().unwrap().is_none());
        assert_eq!(b.load().unwrap().unwrap().refresh_token, "refresh-b");
        assert!(b.remove().unwrap());
        assert!(!file.exists(), "the last sign-in gone, the file goes too");
    }

    #[test]
    fn a_file_others_can_read_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials.json");
        let store = CredentialStore::at(file.clone(), "https://a.example");
        store.save(&session("a")).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains("refresh-a"), "{err}");
    }
}
