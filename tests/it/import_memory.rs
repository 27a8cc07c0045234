//! `session import` of 100,000 CSV rows streams through in bounded memory: the peak RSS of
//! the attctl process stays far below what holding the file's text and every row's parse
//! tree would take. A memory property, measured with getrusage on the child; no timing.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Backend, TestEnv, unique};

const ROWS: usize = 100_000;
/// Generous: the validated rows and the created sessions of the answer are held (a few
/// hundred bytes each), the file's text and parse tree never are.
const PEAK_LIMIT_MIB: i64 = 100;

fn peak_rss_of_children_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN covers waited children.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    assert_eq!(rc, 0, "getrusage");
    // SAFETY: initialised by the successful call above.
    unsafe { usage.assume_init() }.ru_maxrss
}

#[test]
fn hundred_thousand_rows_import_in_bounded_memory() {
    let env = TestEnv::new(Backend::Local);
    let name = unique("Big");
    env.attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success();
    let path = env.dir().join("big.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(f, "class_name,session_date,start_time,end_time").unwrap();
        let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).unwrap();
        for i in 0..ROWS {
            let date = base + chrono::Duration::days((i / 100) as i64);
            let minutes = 6 * 60 + 6 * (i % 100);
            let (h, m) = (minutes / 60, minutes % 60);
            writeln!(f, "{name},{date},{h:02}:{m:02},{h:02}:{:02}", m + 5).unwrap();
        }
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_attctl"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir())
        .env("XDG_CONFIG_HOME", env.dir().join("config"))
        .env("XDG_DATA_HOME", env.dir().join("data"))
        .env("ATTCTL_TIMEZONE", "UTC")
        .env("ATTCTL_DATA_FILE", env.dir().join("attctl.db"))
        .args(["session", "import", path.to_str().unwrap(), "-o", "json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let out = cmd.output().expect("run attctl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak_mib = peak_rss_of_children_kib() / 1024;
    println!("peak RSS of `attctl session import` with {ROWS} rows: {peak_mib} MiB");
    assert!(
        peak_mib < PEAK_LIMIT_MIB,
        "peak RSS {peak_mib} MiB for {ROWS} rows"
    );
    let count = env
        .attctl()
        .args(["session", "list", "--limit", "1", "-o", "table"])
        .success();
    assert!(
        count.stderr.contains(&format!("of {ROWS} sessions")),
        "{}",
        count.stderr
    );
}
