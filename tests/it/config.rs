//! `attctl config …` and the precedence of settings: flags, env, `.env`, profile.

use crate::common::{Backend, TestEnv};
use attctl_testkit::jwt;

#[test]
fn init_writes_a_private_commented_file_once() {
    let env = TestEnv::new(Backend::Local);
    let out = env
        .attctl()
        .args(["config", "init", "-o", "json"])
        .success();
    let path = out.json()["path"].as_str().unwrap().to_string();
    assert!(path.ends_with("attctl/config.toml"), "{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[profiles.default]"));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    env.attctl()
        .args(["config", "init"])
        .run()
        .assert_one_line_error(4, "already exists");
    // Commented: every setting is explained, and nothing is set but what must be.
    let comments = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();
    let settings = text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            !l.is_empty() && !l.starts_with('#') && !l.starts_with('[')
        })
        .count();
    assert!(comments >= 10, "{text}");
    assert!(comments > settings * 2, "{text}");
    // --force writes the template again, private, over whatever was there.
    std::fs::write(&path, "garbage = [").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.attctl().args(["config", "init", "--force"]).success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // The template itself is a valid config.
    env.attctl()
        .args(["config", "show", "-o", "json"])
        .success();
}

#[test]
fn show_masks_secrets_and_names_sources() {
    let mut env = TestEnv::new(Backend::Local);
    env.unset("ATTCTL_DATA_FILE");
    env.set("SUPABASE_URL", "http://127.0.0.1:9");
    env.set("SUPABASE_SECRET_KEY", "sb_secret_verysecretvalue123");
    let out = env
        .attctl()
        .args(["config", "show", "-o", "json"])
        .success();
    // Any 8-character window of the key's secret part, not only the whole of it.
    attctl_testkit::assert_no_secret(
        "sb_secret_verysecretvalue123",
        &[("stdout", &out.stdout), ("stderr", &out.stderr)],
    );
    let shown = out.json();
    let settings = shown["settings"].as_array().unwrap();
    let key = settings
        .iter()
        .find(|s| s["key"] == "supabase_key")
        .unwrap();
    assert_eq!(key["secret"], true);
    assert_eq!(key["source"]["kind"], "env");
    assert_eq!(key["source"]["var"], "SUPABASE_SECRET_KEY");
    let tz = settings.iter().find(|s| s["key"] == "timezone").unwrap();
    assert_eq!(tz["value"], "UTC");
}

#[test]
fn precedence_is_flag_env_dotenv_profile() {
    let mut env = TestEnv::new(Backend::Local);
    env.unset("ATTCTL_TIMEZONE");
    let cfg = env.dir().join("config/attctl/config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(
        &cfg,
        "default_profile = \"school\"\n[profiles.school]\ntimezone = \"Asia/Tokyo\"\n[profiles.other]\ntimezone = \"America/Lima\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
    let tz = |env: &TestEnv, extra: &[&str]| -> String {
        let out = env
            .attctl()
            .args(["config", "show", "-o", "json"])
            .args(extra.iter().copied())
            .success();
        out.json()["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "timezone")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(tz(&env, &[]), "Asia/Tokyo");
    assert_eq!(tz(&env, &["--profile", "other"]), "America/Lima");
    std::fs::write(env.dir().join(".env"), "ATTCTL_TIMEZONE=Europe/Oslo\n").unwrap();
    assert_eq!(tz(&env, &[]), "Europe/Oslo");
    env.set("ATTCTL_TIMEZONE", "Africa/Nairobi");
    assert_eq!(tz(&env, &[]), "Africa/Nairobi");
    assert_eq!(tz(&env, &["--timezone", "Europe/Rome"]), "Europe/Rome");
    env.attctl()
        .args(["config", "show", "--profile", "missing"])
        .run()
        .assert_one_line_error(1, "not defined");
}

#[test]
fn a_config_file_readable_by_others_gets_a_warning() {
    let env = TestEnv::new(Backend::Local);
    let cfg = env.dir().join("config/attctl/config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(&cfg, "[profiles.default]\nbackend = \"local\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.attctl().args(["class", "list"]).success();
    assert!(
        out.stderr.contains("warning:") && out.stderr.contains("chmod 600"),
        "{}",
        out.stderr
    );
}

#[test]
fn broken_configuration_is_one_clear_line() {
    let env = TestEnv::new(Backend::Local);
    let cfg = env.dir().join("config/attctl/config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(&cfg, "[profiles.default]\nsupabase_ulr = \"x\"\n").unwrap();
    env.attctl()
        .args(["class", "list"])
        .run()
        .assert_one_line_error(1, "supabase_ulr");
    // `config path` still works, to help fix it.
    env.attctl().args(["config", "path"]).success();
    std::fs::remove_file(&cfg).unwrap();
    env.attctl()
        .args(["class", "list", "--timezone", "Mars/Base"])
        .run()
        // A bad value is bad input (exit 2), named with where it came from.
        .assert_one_line_error(2, "unknown timezone \"Mars/Base\"");
    env.attctl()
        .args(["class", "list", "--supabase-url", "ftp://x"])
        .env("SUPABASE_SERVICE_ROLE_KEY", "k")
        .run()
        .assert_one_line_error(1, "http(s)");
}

/// A warning offset longer than a week is refused, naming the variable: the largest
/// number of seconds used to be clamped to a century, and the warning sent at once.
#[test]
fn warning_offsets_longer_than_a_week_are_refused() {
    let env = TestEnv::new(Backend::Local);
    for value in ["18446744073709551615s", "169h", "10m,10081m"] {
        env.attctl()
            .args(["class", "list"])
            .env("ATTCTL_WARN_BEFORE", value)
            .run()
            .assert_one_line_error(1, "ATTCTL_WARN_BEFORE");
    }
    env.attctl()
        .args(["class", "list"])
        .env("ATTCTL_WARN_BEFORE", "168h,10m")
        .success();
}

/// Listens on a loopback port and records whether anything connected (and what it sent).
struct Trap {
    port: u16,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Trap {
    fn start() -> Trap {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                use std::io::Read;
                stream
                    .set_read_timeout(Some(std::time::Duration::from_millis(500)))
                    .ok();
                let mut buf = vec![0u8; 8192];
                let n = stream.read(&mut buf).unwrap_or(0);
                record
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        });
        Trap { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

fn write_private(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// The profile holds the URL and the key; a `.env` in the working directory sets only
/// SUPABASE_URL. The key must not go there.
#[test]
fn a_dotenv_url_never_receives_the_profiles_key() {
    let mut env = TestEnv::new(Backend::Local);
    env.unset("ATTCTL_DATA_FILE");
    let trap = Trap::start();
    let real = Trap::start();
    write_private(
        &env.dir().join("config/attctl/config.toml"),
        &format!(
            "[profiles.default]\nsupabase_url = \"{}\"\nsupabase_key = \"sb_secret_profilekey123\"\n",
            real.url()
        ),
    );
    write_private(
        &env.dir().join(".env"),
        &format!("SUPABASE_URL={}\n", trap.url()),
    );
    let out = env.attctl().args(["session", "list"]).run();
    out.assert_one_line_error(1, "refusing to send the supabase key");
    assert!(out.stderr.contains("profile default"), "{}", out.stderr);
    assert!(out.stderr.contains(".env (SUPABASE_URL)"), "{}", out.stderr);
    assert!(
        out.stderr.contains("ATTCTL_ALLOW_MIXED_SOURCES"),
        "{}",
        out.stderr
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(trap.requests().is_empty(), "the key went to the .env URL");

    // The same rule for a URL from the environment and a key from the profile.
    env.attctl()
        .args(["session", "list"])
        .env("SUPABASE_URL", &trap.url())
        .run()
        .assert_one_line_error(1, "env SUPABASE_URL");
    assert!(trap.requests().is_empty());

    // A URL typed as a flag is the user's own choice for this command.
    let _ = env
        .attctl()
        .args(["session", "list", "--supabase-url", &trap.url()])
        .env("ATTCTL_HTTP_TIMEOUT", "1")
        .run();
    assert!(!trap.requests().is_empty(), "the flag's URL is used");
    trap.seen.lock().unwrap().clear();

    // Said explicitly, it is allowed.
    let _ = env
        .attctl()
        .args(["session", "list"])
        .env("ATTCTL_ALLOW_MIXED_SOURCES", "1")
        .env("ATTCTL_HTTP_TIMEOUT", "1")
        .run();
    let sent = trap.requests();
    assert!(!sent.is_empty(), "allowed, the request goes out");
    assert!(sent[0].contains("sb_secret_profilekey123"));
    let before = sent.len();

    // And the allowance itself is not taken from `.env`.
    write_private(
        &env.dir().join(".env"),
        &format!(
            "SUPABASE_URL={}\nATTCTL_ALLOW_MIXED_SOURCES=1\n",
            trap.url()
        ),
    );
    env.attctl()
        .args(["session", "list"])
        .run()
        .assert_one_line_error(1, "refusing");
    assert_eq!(trap.requests().len(), before);
}

/// The Hatchet token goes to the REST and gRPC addresses: an address set elsewhere than the
/// token is refused like the Supabase URL.
#[test]
fn a_hatchet_address_from_another_source_is_refused() {
    let mut env = TestEnv::new(Backend::Local);
    let token = jwt::hatchet_token("http://127.0.0.1:9", "127.0.0.1:9", 4102444800);
    write_private(
        &env.dir().join("config/attctl/config.toml"),
        &format!("[profiles.default]\nhatchet_token = \"{token}\"\n"),
    );
    env.set("HATCHET_CLIENT_SERVER_URL", "http://127.0.0.1:8");
    env.attctl()
        .args(["session", "list"])
        .run()
        .assert_one_line_error(1, "hatchet token");
    env.unset("HATCHET_CLIENT_SERVER_URL");
    env.attctl().args(["class", "list"]).success();
}

/// A `.env` that someone else could have written does not configure attctl.
#[test]
fn a_dotenv_writable_by_others_is_ignored_with_a_warning() {
    let mut env = TestEnv::new(Backend::Local);
    env.unset("ATTCTL_TIMEZONE");
    let dotenv = env.dir().join(".env");
    std::fs::write(&dotenv, "ATTCTL_TIMEZONE=Europe/Oslo\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dotenv, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = env
        .attctl()
        .args(["config", "show", "-o", "json"])
        .success();
    assert!(
        out.stderr.contains("warning: ignoring .env"),
        "{}",
        out.stderr
    );
    let tz = out.json()["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "timezone")
        .unwrap()["value"]
        .clone();
    assert_ne!(tz, "Europe/Oslo");
}

/// `http://admin:SECRET@host` must not print the password.
#[test]
fn passwords_in_urls_are_masked() {
    let mut env = TestEnv::new(Backend::Local);
    env.unset("ATTCTL_DATA_FILE");
    env.set("SUPABASE_URL", "http://admin:hunter2secret@127.0.0.1:9");
    env.set("SUPABASE_SECRET_KEY", "sb_secret_verysecretvalue123");
    env.set("ATTCTL_HTTP_TIMEOUT", "1");
    for args in [
        vec!["config", "show", "-o", "json"],
        vec!["config", "show", "-o", "table"],
        vec!["doctor", "-o", "json"],
        vec!["session", "close", "1", "--dry-run", "-o", "json"],
    ] {
        let out = env.attctl().args(args.iter().copied()).run();
        assert!(
            !out.stdout.contains("hunter2secret") && !out.stderr.contains("hunter2secret"),
            "{args:?}:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
    let out = env
        .attctl()
        .args(["config", "show", "-o", "json"])
        .success();
    assert!(
        out.stdout.contains("admin:****@127.0.0.1:9"),
        "{}",
        out.stdout
    );
}
