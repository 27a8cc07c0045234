//! The configuration checks: the resolved settings, the config file, `.env` and the files
//! secrets come from.

use super::*;

pub(super) struct ConfigOutcome {
    /// Settings to check the backend with (possibly resolved without a broken Hatchet token).
    pub(super) settings: Option<Settings>,
    /// Did the real configuration resolve?
    pub(super) resolved: bool,
    /// The Hatchet token, found in the settings or (when they do not resolve) read directly.
    pub(super) hatchet_token: Option<Secret>,
}

pub(super) fn check_config(overrides: &Overrides, checks: &mut Vec<Check>) -> ConfigOutcome {
    let env = match Environment::load() {
        Ok(env) => Some(env),
        Err(e) => {
            checks.push(Check::fail(
                "config",
                e.to_string(),
                "fix .env in the current directory: one KEY=value per line",
            ));
            None
        }
    };
    let resolved = env.as_ref().map(|env| resolve(overrides, env));
    let outcome = match resolved {
        Some(Ok(settings)) => {
            checks.push(Check::ok("config", describe_settings(&settings)));
            if let Some(check) = local_despite_supabase(&settings) {
                checks.push(check);
            }
            let hatchet_token = settings.hatchet.as_ref().map(|h| h.token.clone());
            ConfigOutcome {
                settings: Some(settings),
                resolved: true,
                hatchet_token,
            }
        }
        Some(Err(e)) => {
            checks.push(Check::fail("config", e.to_string(), config_fix(&e)));
            let hatchet_token = raw_hatchet_token();
            // A broken Hatchet token stops the whole resolution; the backend can still be
            // checked without it when it came from the process environment.
            let settings = match (&hatchet_token, &env) {
                (Some(token), Some(env))
                    if TokenClaims::parse(token.expose()).is_err()
                        && env.dotenv_file().is_none() =>
                {
                    let without = Environment::from_vars(
                        std::env::vars().filter(|(k, _)| k != vars::HATCHET_TOKEN),
                    );
                    resolve(overrides, &without).ok()
                }
                _ => None,
            };
            ConfigOutcome {
                settings,
                resolved: false,
                hatchet_token,
            }
        }
        None => ConfigOutcome {
            settings: None,
            resolved: false,
            hatchet_token: raw_hatchet_token(),
        },
    };
    checks.push(check_config_file(overrides, &outcome));
    if let Some(check) = check_dotenv() {
        checks.push(check);
    }
    outcome
}

pub(super) fn config_fix(e: &Error) -> String {
    let msg = e.to_string();
    if msg.contains(vars::HATCHET_TOKEN) {
        NEW_HATCHET_TOKEN.to_string()
    } else if msg.contains("no key") {
        "set SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY) to the project's service_role \
         or secret key"
            .into()
    } else if msg.contains("SUPABASE_URL") {
        "set SUPABASE_URL to the project URL, e.g. https://abcd.supabase.co".into()
    } else {
        "correct the setting named above: in a flag, the environment, .env or the config file \
         (`attctl config path`)"
            .into()
    }
}

/// `profile "default"; backend local; data_file=/x (env ATTCTL_DATA_FILE); …` (secrets masked).
pub(super) fn describe_settings(settings: &Settings) -> String {
    let mut parts = vec![
        format!("profile {:?}", settings.profile),
        format!("backend {}", crate::backend::name(settings)),
    ];
    for origin in &settings.origins {
        if origin.key == "backend" {
            continue;
        }
        let source = match &origin.source {
            // Unset, the zone is the school's (the `school.timezone` check names it).
            Source::Default if origin.key == "timezone" => {
                parts.push(format!(
                    "timezone: the school's (none set here; {} if the school has none)",
                    origin.value
                ));
                continue;
            }
            Source::Default => "default".to_string(),
            other => other.to_string(),
        };
        parts.push(format!("{}={} ({source})", origin.key, origin.value));
    }
    parts.join("; ")
}

pub(super) fn config_file_path(overrides: &Overrides, settings: Option<&Settings>) -> PathBuf {
    if let Some(s) = settings {
        return s.config_file.clone();
    }
    crate::config::config_file_path(overrides)
}

pub(super) fn check_config_file(overrides: &Overrides, outcome: &ConfigOutcome) -> Check {
    let settings = outcome.settings.as_ref().filter(|_| outcome.resolved);
    let path = config_file_path(overrides, settings);
    if !path.exists() {
        return Check::ok(
            "config.file",
            format!(
                "{} is not present (optional: `attctl config init` writes one)",
                path.display()
            ),
        );
    }
    if let Some(settings) = settings
        && !settings.warnings.is_empty()
    {
        return Check::warn(
            "config.file",
            settings.warnings.join("; "),
            format!("chmod 600 {}", path.display()),
        );
    }
    private_file_check("config.file", &path, "it may hold keys")
}

pub(super) fn check_dotenv() -> Option<Check> {
    let path = Path::new(".env");
    if !path.is_file() {
        return None;
    }
    Some(private_file_check(
        "config.dotenv",
        path,
        "it may hold keys; values set in the environment take precedence",
    ))
}

/// ok when only the owner can read `path`, warn otherwise.
pub(super) fn private_file_check(name: &'static str, path: &Path, why: &str) -> Check {
    match unix_mode(path) {
        Some(mode) if mode & 0o077 != 0 => Check::warn(
            name,
            format!(
                "{} is readable by other users (mode {:o}); {why}",
                path.display(),
                mode & 0o777
            ),
            format!("chmod 600 {}", path.display()),
        ),
        Some(mode) => Check::ok(
            name,
            format!("{} (mode {:o}); {why}", path.display(), mode & 0o777),
        ),
        None => Check::ok(name, format!("{} is present; {why}", path.display())),
    }
}

/// The Hatchet token from the process environment or `./.env`, for when settings fail.
pub(super) fn raw_hatchet_token() -> Option<Secret> {
    if let Some(v) = std::env::var(vars::HATCHET_TOKEN)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return Some(Secret::new(v.trim()));
    }
    let iter = dotenvy::from_path_iter(".env").ok()?;
    iter.filter_map(|item| item.ok())
        .find(|(k, v)| k == vars::HATCHET_TOKEN && !v.trim().is_empty())
        .map(|(_, v)| Secret::new(v.trim()))
}
