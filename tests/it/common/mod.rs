//! The harness of the `attctl` tests: the workspace's one harness
//! ([`attctl_testkit::harness`]), with the testkit's `store` feature (sessions seeded
//! straight through the real stores: [`TestEnv::seed_sessions`]).
#![allow(dead_code)]

pub use attctl_testkit::harness::*;

/// `env!("CARGO_BIN_EXE_attctl")` is where the harness looks for this package's binary.
#[test]
fn the_harness_runs_this_packages_binary() {
    assert_eq!(
        binary("attctl"),
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_attctl"))
    );
}
