//! `hatchet-test-engine`: runs a test engine on loopback for manual demos and benchmarks.
//!
//! Prints one JSON line on stdout (`token`, `rest_url`, `grpc_address`, `tenant_id`) and
//! serves until SIGTERM or SIGINT.
//!
//! Options: `--rest-port N`, `--grpc-port N`, `--poll-interval-ms N`,
//! `--heartbeat-timeout-ms N`, `--schedule-timeout-ms N`, `--no-replay-missed` (replay is the default, as in the engine source).

use std::time::Duration;

use anyhow::{Context, bail};
use hatchet_test_engine::{EngineConfig, TestEngine};

fn parse_args() -> anyhow::Result<EngineConfig> {
    let mut cfg = EngineConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> anyhow::Result<u64> {
            let v = args
                .next()
                .with_context(|| format!("{name} needs a value"))?;
            v.parse::<u64>()
                .with_context(|| format!("{name}: not a number: {v}"))
        };
        match arg.as_str() {
            "--rest-port" => cfg.rest_port = Some(u16::try_from(value("--rest-port")?)?),
            "--grpc-port" => cfg.grpc_port = Some(u16::try_from(value("--grpc-port")?)?),
            "--poll-interval-ms" => {
                cfg.poll_interval = Duration::from_millis(value("--poll-interval-ms")?)
            }
            "--heartbeat-timeout-ms" => {
                cfg.heartbeat_timeout = Duration::from_millis(value("--heartbeat-timeout-ms")?)
            }
            "--schedule-timeout-ms" => {
                cfg.default_schedule_timeout =
                    Duration::from_millis(value("--schedule-timeout-ms")?)
            }
            "--replay-missed" => cfg.replay_missed_schedules = true,
            "--no-replay-missed" => cfg.replay_missed_schedules = false,
            "-h" | "--help" => {
                println!(
                    "usage: hatchet-test-engine [--rest-port N] [--grpc-port N] [--poll-interval-ms N] \
                     [--heartbeat-timeout-ms N] [--schedule-timeout-ms N] [--no-replay-missed]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument: {other}"),
        }
    }
    Ok(cfg)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cfg = parse_args()?;
    let engine = TestEngine::start(cfg).await?;
    let line = serde_json::json!({
        "token": engine.token(),
        "rest_url": engine.rest_url(),
        "grpc_address": engine.grpc_address(),
        "tenant_id": engine.tenant_id().to_string(),
    });
    println!("{line}");

    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    engine.stop().await;
    Ok(())
}
