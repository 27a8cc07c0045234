//! Generates the gRPC server code from the `.proto` files shipped inside the
//! `hatchet-sdk` crate (the exact version pinned in Cargo.toml), so the test engine can
//! never drift from the contract the SDK worker was compiled against.
//!
//! Lookup order for the SDK's source directory:
//! 1. `HATCHET_SDK_SRC_DIR` (explicit override, e.g. for vendored sources);
//! 2. `cargo metadata --frozen` (finds the package wherever cargo put it, incl. vendoring);
//! 3. `$CARGO_HOME/registry/src/*/hatchet-sdk-<version>` (default `~/.cargo`).

use std::path::{Path, PathBuf};
use std::process::Command;

const SDK_NAME: &str = "hatchet-sdk";
const SDK_VERSION: &str = "0.2.8";

/// The same set of files (and include root) the SDK's own build.rs compiles.
const PROTOS: &[&str] = &[
    "dispatcher/dispatcher.proto",
    "events/events.proto",
    "v1/dispatcher.proto",
    "v1/workflows.proto",
    "workflows/workflows.proto",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=HATCHET_SDK_SRC_DIR");
    println!("cargo:rerun-if-env-changed=CARGO_HOME");
    println!("cargo:rerun-if-env-changed=PROTOC");

    let (sdk_dir, source) = match locate_sdk() {
        Ok(found) => found,
        Err(err) => panic!(
            "hatchet-test-engine build: cannot find the source of {SDK_NAME} {SDK_VERSION}: {err}. \
             Run `cargo fetch` or set HATCHET_SDK_SRC_DIR to the crate's source directory."
        ),
    };
    let proto_root = sdk_dir.join("api-contracts").join("protos");
    let files: Vec<PathBuf> = PROTOS.iter().map(|p| proto_root.join(p)).collect();
    for file in &files {
        if !file.is_file() {
            panic!(
                "hatchet-test-engine build: {} is missing from {SDK_NAME} {SDK_VERSION}",
                file.display()
            );
        }
    }
    // Re-run when any proto under the SDK's contract directory changes (including imports
    // such as v1/shared/condition.proto that are not listed above).
    emit_rerun_for_dir(&proto_root);

    if let Err(err) = tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        .generate_default_stubs(true)
        .compile_protos(&files, std::slice::from_ref(&proto_root))
    {
        panic!(
            "hatchet-test-engine build: protoc failed on {}: {err}",
            proto_root.display()
        );
    }
    println!(
        "cargo:rustc-env=HATCHET_SDK_PROTO_DIR={}",
        proto_root.display()
    );
    println!("cargo:rustc-env=HATCHET_SDK_PROTO_SOURCE={source}");
}

fn emit_rerun_for_dir(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            emit_rerun_for_dir(&path);
        } else if path.extension().is_some_and(|e| e == "proto") {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

fn locate_sdk() -> Result<(PathBuf, &'static str), String> {
    if let Ok(dir) = std::env::var("HATCHET_SDK_SRC_DIR") {
        let dir = PathBuf::from(dir);
        return check_version(&dir).map(|()| (dir, "HATCHET_SDK_SRC_DIR"));
    }
    let mut errors = Vec::new();
    match from_cargo_metadata() {
        Ok(dir) => return Ok((dir, "cargo metadata")),
        Err(e) => errors.push(format!("cargo metadata: {e}")),
    }
    match from_cargo_home() {
        Ok(dir) => return Ok((dir, "cargo registry")),
        Err(e) => errors.push(format!("registry walk: {e}")),
    }
    Err(errors.join("; "))
}

fn from_cargo_metadata() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?;
    let manifest = Path::new(&manifest_dir).join("Cargo.toml");
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1", "--frozen"]);
    // Without a platform filter cargo wants every platform's dependencies downloaded.
    if let Ok(target) = std::env::var("TARGET") {
        cmd.args(["--filter-platform", &target]);
    }
    let out = cmd
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let packages = meta
        .get("packages")
        .and_then(|p| p.as_array())
        .ok_or("no packages in cargo metadata output")?;
    for pkg in packages {
        let name = pkg.get("name").and_then(|v| v.as_str());
        let version = pkg.get("version").and_then(|v| v.as_str());
        if name == Some(SDK_NAME) && version == Some(SDK_VERSION) {
            let manifest_path = pkg
                .get("manifest_path")
                .and_then(|v| v.as_str())
                .ok_or("package without manifest_path")?;
            let dir = Path::new(manifest_path)
                .parent()
                .ok_or("manifest_path without parent")?
                .to_path_buf();
            return Ok(dir);
        }
    }
    Err(format!(
        "{SDK_NAME} {SDK_VERSION} is not in the dependency graph"
    ))
}

fn from_cargo_home() -> Result<PathBuf, String> {
    let home = match std::env::var("CARGO_HOME") {
        Ok(h) => PathBuf::from(h),
        Err(_) => {
            let home = std::env::var("HOME").map_err(|_| "neither CARGO_HOME nor HOME is set")?;
            Path::new(&home).join(".cargo")
        }
    };
    let src = home.join("registry").join("src");
    let registries = std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let wanted = format!("{SDK_NAME}-{SDK_VERSION}");
    for registry in registries.flatten() {
        let candidate = registry.path().join(&wanted);
        if candidate.join("Cargo.toml").is_file() && check_version(&candidate).is_ok() {
            return Ok(candidate);
        }
    }
    Err(format!("{wanted} not found under {}", src.display()))
}

/// Refuse a directory whose Cargo.toml is not exactly the pinned version.
fn check_version(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let expected = format!("version = \"{SDK_VERSION}\"");
    let name_ok = text.contains(&format!("name = \"{SDK_NAME}\""));
    if name_ok && text.lines().any(|l| l.trim() == expected) {
        Ok(())
    } else {
        Err(format!(
            "{} is not {SDK_NAME} {SDK_VERSION}",
            manifest.display()
        ))
    }
}
