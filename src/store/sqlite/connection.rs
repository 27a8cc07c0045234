//! Opening the data file: creation with private modes, read-only and immutable fallbacks,
//! pragmas, the identity check, and the busy-timeout-then-retry loop every call runs in.

use super::*;

/// How long one statement waits for another process's write lock before SQLite gives up.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Total time a call may spend waiting for the file (busy timeouts and retries together)
/// before it reports [`Error::Unavailable`].
pub(super) const RETRY_BUDGET: Duration = Duration::from_secs(10);
pub(super) const MAX_ATTEMPTS: u32 = 6;
pub(super) const FIRST_BACKOFF: Duration = Duration::from_millis(20);
pub(super) const MAX_BACKOFF: Duration = Duration::from_millis(500);

/// Knobs that tests shrink so that lock contention can be exercised in milliseconds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tuning {
    pub(super) busy_timeout: Duration,
    pub(super) retry_budget: Duration,
}

pub(super) const DEFAULT_TUNING: Tuning = Tuning {
    busy_timeout: BUSY_TIMEOUT,
    retry_budget: RETRY_BUDGET,
};

impl SqliteStore {
    /// Opens (creating if needed) the data file at `path` and brings its schema up to date.
    ///
    /// Missing parent directories are created with mode 0700 and a new file with mode 0600
    /// (SQLite gives its `-wal` and `-shm` files the same mode); existing ones are left as
    /// they are. Blocks for as long as the file is locked by a schema upgrade elsewhere
    /// (bounded like every other call), so call it before serving requests.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_tuned(path, DEFAULT_TUNING)
    }

    pub(super) fn open_tuned(path: &Path, tuning: Tuning) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        create_private_file(path)?;
        let unmapped = |f: Fail| match f {
            Fail::Db(e) => map_db_error(e, path),
            Fail::App(e) => e,
        };
        match Self::open_mode(path, tuning, Mode::ReadWrite) {
            Ok(store) => Ok(store),
            // A file or directory we may not write to: readers still work, read-only.
            Err(Fail::Db(e)) if is_read_only(&e) => {
                tracing::debug!(path = %path.display(), error = %e,
                    "the local data file is not writable; opening it read-only");
                match Self::open_mode(path, tuning, Mode::ReadOnly) {
                    Ok(store) => Ok(store),
                    // No -shm beside it and no right to create one: only an immutable
                    // open can read it.
                    Err(Fail::Db(e)) if is_read_only(&e) => {
                        Self::open_mode(path, tuning, Mode::Immutable).map_err(unmapped)
                    }
                    Err(f) => Err(unmapped(f)),
                }
            }
            Err(f) => Err(unmapped(f)),
        }
    }

    pub(super) fn open_mode(path: &Path, tuning: Tuning, mode: Mode) -> DbResult<Self> {
        let read_only = mode != Mode::ReadWrite;
        let conn = if read_only {
            // Read-only with the usual locking (another user's worker may be writing), or,
            // when SQLite cannot even share the WAL index, `immutable`: no -shm or -wal is
            // created and no locks are taken.
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(read_only_uri(path, mode == Mode::Immutable), flags)?
        } else {
            // No SQLITE_OPEN_URI: a path that happens to start with `file:` is still a path.
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags)?
        };
        conn.busy_timeout(tuning.busy_timeout)?;
        let inner = Inner {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            tuning,
        };
        if read_only {
            inner.run_raw(|conn| check_identity(conn, path, true).map(drop))?;
        } else {
            inner.run_raw(|conn| configure(conn, path))?;
        }
        Ok(SqliteStore {
            inner: Arc::new(inner),
        })
    }

    /// Refuses a data file whose directory does not exist, unless it is the default
    /// location (`$XDG_DATA_HOME/attctl/attctl.db`), which [`SqliteStore::open`] creates on
    /// demand: an explicit path in a missing directory is most likely a typo, and creating
    /// it would silently start an empty store.
    pub(crate) fn check_directory(path: &Path) -> Result<()> {
        match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) if !parent.is_dir() && path != crate::config::default_data_file() => {
                Err(Error::Config(format!(
                    "the directory of the data file {} does not exist: check the path \
                     (--data-file, ATTCTL_DATA_FILE or data_file in the profile), or create \
                     the directory first",
                    path.display()
                )))
            }
            _ => Ok(()),
        }
    }

    /// The data file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }
}

impl Inner {
    pub(super) fn run<T>(&self, op: impl FnMut(&mut Connection) -> DbResult<T>) -> Result<T> {
        self.run_raw(op).map_err(|f| match f {
            Fail::Db(e) => map_db_error(e, &self.path),
            Fail::App(e) => e,
        })
    }

    /// [`Inner::run`] without the final mapping of SQLite's error.
    pub(super) fn run_raw<T>(
        &self,
        mut op: impl FnMut(&mut Connection) -> DbResult<T>,
    ) -> DbResult<T> {
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let outcome = {
                let mut conn = self.lock();
                op(&mut conn)
            };
            match outcome {
                Ok(value) => return Ok(value),
                Err(Fail::App(e)) => return Err(Fail::App(e)),
                Err(Fail::Db(e)) if is_busy(&e) => {
                    let pause = backoff + jitter(backoff);
                    if attempt >= MAX_ATTEMPTS
                        || started.elapsed() + pause > self.tuning.retry_budget
                    {
                        tracing::warn!(path = %self.path.display(), attempts = attempt, error = %e,
                            "local data file still busy; giving up");
                        return Err(Fail::App(busy_error(&self.path)));
                    }
                    tracing::debug!(path = %self.path.display(), attempt, error = %e,
                        "local data file busy; retrying");
                    // The lock is released while we sleep, so this store's other calls go on.
                    std::thread::sleep(pause);
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    attempt += 1;
                }
                Err(Fail::Db(e)) => return Err(Fail::Db(e)),
            }
        }
    }

    /// The connection, even if a thread panicked while holding it: every operation runs in
    /// its own transaction, so the worst a panic can leave behind is an open transaction,
    /// which is rolled back here before the connection is used again.
    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if !conn.is_autocommit() {
            // Best effort: if even the rollback fails, the next statement reports why.
            let _ = conn.execute_batch("ROLLBACK");
        }
        conn
    }
}

/// Pragmas and schema, on a freshly opened connection.
pub(super) fn configure(conn: &mut Connection, path: &Path) -> DbResult<()> {
    // Before anything changes the file (WAL mode is written to its header): is it ours?
    let fresh = check_identity(conn, path, false)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some network file systems cannot share WAL's memory index; SQLite then keeps the
        // rollback journal. Still correct, only readers and the writer block each other.
        tracing::warn!(path = %path.display(), journal_mode = %mode,
            "the local data file cannot use WAL; concurrent access will be slower");
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A statement that may fail part way (a row with triggers or constraints, inside a
    // larger transaction) keeps a statement journal; on a file it was written page by page,
    // 30 writes per imported row.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    migrate(conn, path, fresh)
}

/// Is this attctl's file? Returns true for an empty (new) database. A database with
/// another application id, or with tables and no id that are not attctl's, is refused.
pub(super) fn check_identity(conn: &Connection, path: &Path, read_only: bool) -> DbResult<bool> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let not_ours = |what: &str| {
        Fail::App(Error::Config(format!(
            "{} is not an attctl data file ({what}); attctl leaves it alone: \
             pick another --data-file",
            path.display()
        )))
    };
    if app_id == APPLICATION_ID {
        return Ok(false);
    }
    if app_id != 0 {
        return Err(not_ours(&format!(
            "a SQLite database of another application, id {app_id:#x}"
        )));
    }
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if tables.is_empty() {
        if read_only {
            return Err(Fail::App(Error::Config(format!(
                "the local data file {} is empty and read-only: attctl cannot set it up",
                path.display()
            ))));
        }
        return Ok(true);
    }
    let ours = tables.iter().any(|t| t == "teaching_sessions")
        && tables.iter().any(|t| t == "classes")
        && tables.iter().all(|t| {
            matches!(
                t.as_str(),
                "teaching_sessions"
                    | "classes"
                    | "holidays"
                    | "session_events"
                    | "store_identity"
                    | "session_warning_runs"
                    | "school_settings"
            )
        });
    if ours {
        // Made by attctl before the application id was written.
        Ok(false)
    } else {
        Err(not_ours("a SQLite database with other tables"))
    }
}

/// SQLite could not write the file or create its journal next to it.
pub(super) fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// How [`SqliteStore::open_mode`] opens the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    ReadWrite,
    ReadOnly,
    Immutable,
}

/// `file:` URI of `path`, read-only (and immutable if asked), with URI-reserved bytes escaped.
pub(super) fn read_only_uri(path: &Path, immutable: bool) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{b:02X}")),
            _ if b.is_ascii() && !b.is_ascii_control() => uri.push(char::from(*b)),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str(if immutable {
        "?mode=ro&immutable=1"
    } else {
        "?mode=ro"
    });
    uri
}

#[cfg(unix)]
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::io(format!("cannot create the directory {}", dir.display()), e))
}

#[cfg(not(unix))]
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create the directory {}", dir.display()), e))
}

/// Creates the file ourselves (SQLite would use the umask, usually world-readable).
/// Creates the file private (0600) if it does not exist yet. An existing file is never
/// opened with `std::fs`: closing any descriptor of a file drops every POSIX lock this
/// process holds on it, including the locks of a live SQLite connection in another store
/// of the same process, and SQLite would then delete a WAL that is still in use.
pub(super) fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(
            format!("cannot open the local data file {}", path.display()),
            e,
        )),
    }
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Up to a quarter of `base`, so that two processes that collided do not retry in step.
pub(super) fn jitter(base: Duration) -> Duration {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
        ^ std::process::id();
    let quarter = (base.as_micros() / 4).max(1);
    Duration::from_micros((u128::from(seed) % quarter) as u64)
}

pub(super) fn busy_error(path: &Path) -> Error {
    Error::Unavailable(format!(
        "the local data file is busy ({}): another attctl process has been writing to it \
         for too long; try again in a moment",
        path.display()
    ))
}
