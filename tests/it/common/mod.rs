//! The harness of the `attctl` tests: the workspace's one harness
//! ([`attctl_testkit::harness`]), plus sessions seeded straight through the real stores,
//! which only this package can do (the testkit does not depend on attctl).
#![allow(dead_code)]

pub mod seed;

pub use attctl_testkit::harness::*;

/// `env!("CARGO_BIN_EXE_attctl")` is where the harness looks for this package's binary.
#[test]
fn the_harness_runs_this_packages_binary() {
    assert_eq!(
        binary("attctl"),
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_attctl"))
    );
}

/// Bulk sessions for a [`TestEnv`].
pub trait Seed {
    /// Inserts `n` sessions for `class` directly through the real store (the CLI would
    /// take minutes for thousands): dates from 2031-01-01, eight sessions a day.
    fn seed_sessions(&self, class: i64, n: usize);
}

impl Seed for TestEnv {
    fn seed_sessions(&self, class: i64, n: usize) {
        match self.backend {
            Backend::Supabase => {
                self.stack()
                    .expect("a Supabase environment has a stack")
                    .psql(&seed::sql(class, 0, n, "2031-01-01"))
                    .expect("seed sessions");
            }
            Backend::Local => {
                let path = self.var("ATTCTL_DATA_FILE").expect("data file");
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let store = attctl::store::sqlite::SqliteStore::open(std::path::Path::new(path))
                    .expect("open store");
                let base = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).expect("date");
                rt.block_on(seed::through_store(&store, class, 0..n, base));
            }
        }
    }
}
