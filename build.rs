//! Stamps the build with its git commit and commit date, so `attctl --version` says which
//! build it is (like `rustc -V`). Outside a git checkout (a source tarball, the Docker
//! build context) it uses ATTCTL_BUILD_COMMIT / ATTCTL_BUILD_DATE if set, else "unknown":
//! a missing git never fails the build.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn main() {
    println!("cargo:rerun-if-env-changed=ATTCTL_BUILD_COMMIT");
    println!("cargo:rerun-if-env-changed=ATTCTL_BUILD_DATE");
    // Rebuild when HEAD moves: HEAD itself (branch switch) and the ref it points to.
    if let Some(head) = git(&["rev-parse", "--path-format=absolute", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(path) = git(&[
            "rev-parse",
            "--path-format=absolute",
            "--git-path",
            &reference,
        ])
    {
        println!("cargo:rerun-if-changed={path}");
    }
    let commit = std::env::var("ATTCTL_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=9", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    let date = std::env::var("ATTCTL_BUILD_DATE")
        .ok()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| git(&["log", "-1", "--format=%cs", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=ATTCTL_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=ATTCTL_GIT_DATE={date}");
}
