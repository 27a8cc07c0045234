//! [`resolve`]: flags, environment, `.env` and profile into [`Settings`], each value with
//! its source, and the rule that a key only goes to an address from its own source.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::clock;
use crate::error::{Error, Result};
use crate::secret::redact_url;

/// Resolves settings from flags, environment, `.env` and the config file.
pub fn resolve(overrides: &Overrides, env: &Environment) -> Result<Settings> {
    let mut r = Resolver {
        origins: Vec::new(),
        env,
        profile: Profile::default(),
        profile_source: Source::Default,
    };

    let config_file = r.pick(
        "config_file",
        overrides
            .config_file
            .as_ref()
            .map(|p| p.display().to_string()),
        "--config",
        &[vars::CONFIG],
        |_| None,
    );
    let config_file = config_file
        .map(PathBuf::from)
        .unwrap_or_else(default_config_file);
    let (file, mut warnings) = read_config_file(&config_file)?;
    warnings.extend(env.warnings.iter().cloned());

    let explicit_profile = overrides
        .profile
        .clone()
        .map(|p| {
            (
                p,
                Source::Flag {
                    name: "--profile".into(),
                },
            )
        })
        .or_else(|| env.get(&[vars::PROFILE]));
    let profile_name = explicit_profile
        .as_ref()
        .map(|(p, _)| p.clone())
        .or_else(|| file.default_profile.clone())
        .unwrap_or_else(|| "default".to_string());
    match file.profiles.get(&profile_name) {
        Some(p) => {
            r.profile = p.clone();
            r.profile_source = Source::Profile {
                file: config_file.clone(),
                profile: profile_name.clone(),
            };
        }
        None if explicit_profile.is_some() || file.default_profile.is_some() => {
            return Err(Error::Config(format!(
                "profile {profile_name:?} is not defined in {}",
                config_file.display()
            )));
        }
        None => {}
    }
    let timezone = r.pick(
        "timezone",
        overrides.timezone.clone(),
        "--timezone",
        &[vars::TIMEZONE],
        |p| p.timezone.clone(),
    );
    let timezone = match timezone {
        Some(name) => clock::parse_zone(&name).map_err(|e| {
            // Name where the bad value came from: a typo in a flag, the environment or a
            // profile is fixed in a different place.
            let source = r
                .origins
                .iter()
                .rev()
                .find(|o| o.key == "timezone")
                .map_or_else(|| "settings".to_string(), |o| o.source.to_string());
            Error::invalid(format!("{e} (from {source})"))
        })?,
        None => {
            let zone = clock::machine_zone();
            r.origins.push(Origin {
                key: "timezone",
                value: zone.name().to_string(),
                secret: false,
                source: Source::Default,
            });
            zone
        }
    };

    let http_timeout = r.pick("http_timeout_secs", None, "", &[vars::HTTP_TIMEOUT], |p| {
        p.http_timeout_secs.map(|s| s.to_string())
    });
    let mut http = HttpSettings::default();
    if let Some(raw) = http_timeout {
        let secs: u64 = raw
            .parse()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or_else(|| {
                Error::Config(format!(
                    "{} must be a number of seconds from 1 to 3600, not {raw:?}",
                    vars::HTTP_TIMEOUT
                ))
            })?;
        http.timeout = Duration::from_secs(secs);
    }

    let backend_kind = r.pick(
        "backend",
        overrides.backend.map(|b| format!("{b:?}").to_lowercase()),
        "--backend",
        &[vars::BACKEND],
        |p| p.backend.map(|b| format!("{b:?}").to_lowercase()),
    );
    let backend_kind = match backend_kind.as_deref() {
        None => None,
        Some("supabase") => Some(BackendKind::Supabase),
        Some("local") => Some(BackendKind::Local),
        Some(other) => {
            return Err(Error::Config(format!(
                "backend must be supabase or local, not {other:?}"
            )));
        }
    };
    let url = r.pick(
        "supabase_url",
        overrides.supabase_url.clone(),
        "--supabase-url",
        &[vars::SUPABASE_URL],
        |p| p.supabase_url.clone(),
    );
    let use_supabase = match backend_kind {
        Some(kind) => kind == BackendKind::Supabase,
        None => url.is_some(),
    };
    let backend = if use_supabase {
        let url = url.ok_or_else(|| {
            Error::Config(
                "the supabase backend needs SUPABASE_URL (or supabase_url in the profile)".into(),
            )
        })?;
        let url = normalise_supabase_url(&url)?;
        let service_key = r.pick_secret("supabase_key", &vars::SUPABASE_KEYS, |p| {
            p.supabase_key.clone()
        });
        // A key set under a service-key name is taken for one (an anon key there is a
        // mistake doctor names); a profile's key, or a staff variable's, for what it is.
        let named_service = service_key.is_some()
            && r.source_of("supabase_key")
                .is_some_and(|s| matches!(s, Source::Env { .. } | Source::DotEnv { .. }));
        let key = service_key
            .or_else(|| r.pick_secret("supabase_key", &vars::SUPABASE_STAFF_KEYS, |_| None));
        let key = key.ok_or_else(|| {
            Error::Config(
                "SUPABASE_URL is set but no key: set SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_SECRET_KEY) on the worker's machine, or SUPABASE_ANON_KEY on a staff machine and sign in with `attctl login`".into(),
            )
        })?;
        let access = if named_service {
            SupabaseAccess::ServiceKey
        } else {
            SupabaseAccess::of_key(&key)
        };
        if let (Some(url_source), Some(key_source)) =
            (r.source_of("supabase_url"), r.source_of("supabase_key"))
        {
            check_same_source(
                env,
                ("Supabase key", &key_source),
                ("Supabase URL", &url_source),
            )?;
        }
        BackendSettings::Supabase(SupabaseSettings { url, key, access })
    } else {
        let data_file = r.pick(
            "data_file",
            overrides
                .data_file
                .as_ref()
                .map(|p| p.display().to_string()),
            "--data-file",
            &[vars::DATA_FILE],
            |p| p.data_file.as_ref().map(|d| d.display().to_string()),
        );
        let data_file = data_file
            .map(|d| canonical_data_file(Path::new(&d)))
            .unwrap_or_else(|| {
                let path = default_data_file();
                r.origins.push(Origin {
                    key: "data_file",
                    value: path.display().to_string(),
                    secret: false,
                    source: Source::Default,
                });
                path
            });
        BackendSettings::Local { data_file }
    };

    let token = r.pick_secret("hatchet_token", &[vars::HATCHET_TOKEN], |p| {
        p.hatchet_token.clone()
    });
    let hatchet = match token {
        None => None,
        Some(token) => {
            let tls = r.pick(
                "hatchet_tls_strategy",
                None,
                "",
                &[vars::HATCHET_TLS],
                |p| p.hatchet_tls_strategy.clone(),
            );
            let tls = match tls.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("tls") => TlsStrategy::Tls,
                Some("none") => TlsStrategy::None,
                Some(other) => {
                    return Err(Error::Config(format!(
                        "{} must be none or tls, not {other:?}",
                        vars::HATCHET_TLS
                    )));
                }
            };
            let claims = crate::jwt::TokenClaims::parse(token.expose())?;
            let host_port = r.pick(
                "hatchet_host_port",
                None,
                "",
                &[vars::HATCHET_HOST_PORT],
                |p| p.hatchet_host_port.clone(),
            );
            let server_url = r.pick(
                "hatchet_server_url",
                None,
                "",
                &[vars::HATCHET_SERVER_URL],
                |p| p.hatchet_server_url.clone(),
            );
            let run_limit = r.pick(
                "hatchet_run_limit",
                None,
                "",
                &[vars::HATCHET_RUN_LIMIT],
                |p| p.hatchet_run_limit.map(|n| n.to_string()),
            );
            let run_limit = run_limit
                .map(|raw| {
                    raw.trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| {
                            Error::Config(format!(
                                "{} (or hatchet_run_limit) must be a whole number of task runs \
                                 per 24 hours, such as 50000, not {raw:?}",
                                vars::HATCHET_RUN_LIMIT
                            ))
                        })
                })
                .transpose()?;
            // The token goes to both addresses: each must be set beside it (or come from
            // the token itself).
            if let Some(token_source) = r.source_of("hatchet_token") {
                for (key, what) in [
                    ("hatchet_server_url", "Hatchet REST address"),
                    ("hatchet_host_port", "Hatchet gRPC address"),
                ] {
                    if let Some(source) = r.source_of(key) {
                        check_same_source(env, ("Hatchet token", &token_source), (what, &source))?;
                    }
                }
            }
            Some(HatchetSettings {
                token,
                tenant_id: claims.tenant_id,
                server_url: server_url
                    .unwrap_or(claims.server_url)
                    .trim_end_matches('/')
                    .to_string(),
                grpc_address: host_port.unwrap_or(claims.grpc_address),
                tls,
                timeout: http.timeout,
                run_limit,
            })
        }
    };

    let notify = {
        let raw = notify::RawNotify {
            warn_before: r.pick("warn_before", None, "", &[vars::WARN_BEFORE], |p| {
                p.warn_before.clone()
            }),
            webhook_url: r.pick("webhook_url", None, "", &[vars::WEBHOOK_URL], |_| None),
            webhook_secret: r.pick_secret("webhook_secret", &[vars::WEBHOOK_SECRET], |_| None),
            slack_url: r.pick_secret("slack_webhook_url", &[vars::SLACK_WEBHOOK_URL], |_| None),
            // Shown with its password masked (a `_url` key), kept as a secret.
            smtp_url: r
                .pick("smtp_url", None, "", &[vars::SMTP_URL], |p| {
                    p.smtp_url.clone()
                })
                .map(Secret::new),
            mail_from: r.pick("mail_from", None, "", &[vars::MAIL_FROM], |p| {
                p.mail_from.clone()
            }),
            mail_to: r.pick("mail_to", None, "", &[vars::MAIL_TO], |p| p.mail_to.clone()),
            smtp_ca_file: r.pick("smtp_ca_file", None, "", &[vars::SMTP_CA_FILE], |p| {
                p.smtp_ca_file.clone()
            }),
            events: r.pick("notify_events", None, "", &[vars::NOTIFY_EVENTS], |_| None),
            retention_days: r.pick(
                "events_retention_days",
                None,
                "",
                &[vars::RETENTION_DAYS],
                |_| None,
            ),
        };
        check_warn_before(raw.warn_before.as_deref())?;
        notify::NotifySettings::parse(&raw)?
    };

    let registers = {
        let automark = r.pick("automark", None, "", &[vars::AUTOMARK], |p| {
            p.automark.clone()
        });
        let late_after = r.pick("late_after", None, "", &[vars::LATE_AFTER], |p| {
            p.late_after.clone()
        });
        crate::registers::RegisterSettings::parse(automark.as_deref(), late_after.as_deref())?
    };

    Ok(Settings {
        profile: profile_name,
        notify,
        registers,
        config_file,
        backend,
        timezone,
        hatchet,
        http,
        origins: r.origins,
        warnings,
    })
}

/// The longest warning before a close: a week. A larger offset is a typo (or a value such as
/// `18446744073709551615s`, which the time types would clamp to a century and send at once).
const MAX_WARN_BEFORE: Duration = Duration::from_secs(7 * 86_400);

/// Refuses an `ATTCTL_WARN_BEFORE` offset longer than [`MAX_WARN_BEFORE`]; the rest of its
/// syntax is checked where it is parsed.
fn check_warn_before(raw: Option<&str>) -> Result<()> {
    let Some(raw) = raw else { return Ok(()) };
    for part in raw.split(',').map(str::trim) {
        if notify::parse_duration(part).is_some_and(|d| d > MAX_WARN_BEFORE) {
            return Err(Error::Config(format!(
                "{} (or warn_before) holds {part:?}: a warning comes at most a week (168h) \
                 before the close",
                vars::WARN_BEFORE
            )));
        }
    }
    Ok(())
}

/// Accepts `https://x.supabase.co`, with or without a trailing `/` or `/rest/v1`.
pub(crate) fn normalise_supabase_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/rest/v1").unwrap_or(trimmed);
    let parsed = url::Url::parse(trimmed)
        .map_err(|_| Error::Config(format!("SUPABASE_URL {trimmed:?} is not a URL")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::Config(format!(
            "SUPABASE_URL {trimmed:?} must be an http(s) URL such as https://abc.supabase.co"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(
            "SUPABASE_URL must not have a query string".into(),
        ));
    }
    Ok(trimmed.to_string())
}

struct Resolver<'a> {
    origins: Vec<Origin>,
    env: &'a Environment,
    profile: Profile,
    profile_source: Source,
}

impl Resolver<'_> {
    /// Where the setting `key` came from, once picked.
    fn source_of(&self, key: &str) -> Option<Source> {
        self.origins
            .iter()
            .rev()
            .find(|o| o.key == key)
            .map(|o| o.source.clone())
    }

    fn pick(
        &mut self,
        key: &'static str,
        flag: Option<String>,
        flag_name: &str,
        env_names: &[&str],
        from_profile: impl Fn(&Profile) -> Option<String>,
    ) -> Option<String> {
        self.pick_inner(key, false, flag, flag_name, env_names, from_profile)
    }

    fn pick_secret(
        &mut self,
        key: &'static str,
        env_names: &[&str],
        from_profile: impl Fn(&Profile) -> Option<String>,
    ) -> Option<Secret> {
        self.pick_inner(key, true, None, "", env_names, from_profile)
            .map(Secret::new)
    }

    fn pick_inner(
        &mut self,
        key: &'static str,
        secret: bool,
        flag: Option<String>,
        flag_name: &str,
        env_names: &[&str],
        from_profile: impl Fn(&Profile) -> Option<String>,
    ) -> Option<String> {
        let found = flag
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                (
                    v,
                    Source::Flag {
                        name: flag_name.to_string(),
                    },
                )
            })
            .or_else(|| self.env.get(env_names))
            .or_else(|| {
                from_profile(&self.profile)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v, self.profile_source.clone()))
            });
        match found {
            Some((value, source)) => {
                self.origins.push(Origin {
                    key,
                    value: if secret {
                        Secret::new(value.clone()).masked()
                    } else if key.ends_with("_url") {
                        redact_url(&value)
                    } else {
                        value.clone()
                    },
                    secret,
                    source,
                });
                Some(value)
            }
            None => None,
        }
    }
}

/// Two settings come from the same place: the environment, one `.env` file, or one profile.
/// A flag is its own source (keys are never flags).
fn same_source(a: &Source, b: &Source) -> bool {
    match (a, b) {
        (Source::Env { .. }, Source::Env { .. }) => true,
        (Source::DotEnv { file: fa, .. }, Source::DotEnv { file: fb, .. }) => fa == fb,
        (
            Source::Profile {
                file: fa,
                profile: pa,
            },
            Source::Profile {
                file: fb,
                profile: pb,
            },
        ) => fa == fb && pa == pb,
        _ => false,
    }
}

/// Refuses to send a secret to an address configured somewhere else than the secret, unless
/// the process environment allows it (`ATTCTL_ALLOW_MIXED_SOURCES=1`).
fn check_same_source(
    env: &Environment,
    secret: (&str, &Source),
    address: (&str, &Source),
) -> Result<()> {
    // A flag is typed by the user for this one command: an explicit choice, not something
    // a file or an inherited environment slipped in.
    let explicit = matches!(address.1, Source::Flag { .. });
    if explicit || same_source(secret.1, address.1) || env.allows_mixed_sources() {
        return Ok(());
    }
    Err(Error::Config(format!(
        "refusing to send the {} from {} to the {} from {}: a key is only sent to the address \
         configured beside it; set both in the same place, or set {}=1 to allow this",
        secret.0,
        secret.1,
        address.0,
        address.1,
        vars::ALLOW_MIXED_SOURCES
    )))
}
