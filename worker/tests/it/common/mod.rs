//! The harness of the worker tests: the workspace's one harness
//! ([`attctl_testkit::harness`]). `attctl` belongs to the other package: `cargo test
//! --workspace` builds it beside `attctl-worker`.
#![allow(unused_imports)]

pub use attctl_testkit::harness::*;

/// `env!("CARGO_BIN_EXE_attctl-worker")` is where the harness looks for this package's
/// binary.
#[cfg(test)]
#[test]
fn the_harness_runs_this_packages_binary() {
    assert_eq!(
        binary("attctl-worker"),
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_attctl-worker"))
    );
}
