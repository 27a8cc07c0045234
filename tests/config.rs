//! `attctl config …` and the precedence of settings: flags, env, `.env`, profile.

mod common;

use common::{Backend, TestEnv};

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
    env.attctl().args(["config", "init", "--force"]).success();
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
    assert!(!out.stdout.contains("verysecretvalue"), "{}", out.stdout);
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
        .assert_one_line_error(1, "unknown timezone");
    env.attctl()
        .args(["class", "list", "--supabase-url", "ftp://x"])
        .env("SUPABASE_SERVICE_ROLE_KEY", "k")
        .run()
        .assert_one_line_error(1, "http(s)");
}
