//! What the benchmarks share to measure a process: its peak RSS (GNU time's `%M`) and the
//! rows it streams to stdout, counted as they arrive.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// One streamed run: rows counted on stdout, wall time, peak RSS.
pub struct Streamed {
    pub rows: usize,
    pub secs: f64,
    pub peak_rss_kib: i64,
}

impl Streamed {
    pub fn rows_per_sec(&self) -> f64 {
        self.rows as f64 / self.secs
    }

    pub fn peak_rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }
}

/// `program` run under GNU time, which writes its peak RSS (KiB) to `rss_file`. The child's
/// own rusage would not do: a child forked from this (by then large) process starts its
/// high-water mark at this process's size.
pub fn under_gnu_time(program: impl AsRef<std::ffi::OsStr>, rss_file: &Path) -> Command {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f").arg("%M").arg("-o").arg(rss_file).arg(program);
    cmd
}

/// Peak RSS in KiB as GNU time wrote it.
///
/// # Panics
/// If GNU time wrote nothing readable (it is missing, or the program did not start).
pub fn read_peak_rss(rss_file: &Path) -> i64 {
    let text = std::fs::read_to_string(rss_file).expect("GNU time's output");
    text.lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("GNU time wrote {text:?}"))
}

/// Runs `program` (set up by `setup`) under GNU time, counts occurrences of `marker` in its
/// stdout as it streams (one per row), and reads its peak RSS.
///
/// # Panics
/// If it cannot run or fails.
pub fn stream_counting(
    program: impl AsRef<std::ffi::OsStr>,
    marker: &[u8],
    setup: impl FnOnce(&mut Command),
) -> Streamed {
    let rss = tempfile::NamedTempFile::new().expect("temp file");
    let program = program.as_ref().to_owned();
    let mut cmd = under_gnu_time(&program, rss.path());
    setup(&mut cmd);
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut buf = vec![0u8; 1 << 16];
    let mut rows = 0;
    // A marker may straddle two reads: keep its length minus one bytes of the last read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = stdout.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        carry.extend_from_slice(&buf[..n]);
        rows += carry.windows(marker.len()).filter(|w| *w == marker).count();
        let keep = carry.len().min(marker.len() - 1);
        carry.drain(..carry.len() - keep);
    }
    let status = child.wait().expect("wait");
    assert!(status.success(), "{} failed", program.to_string_lossy());
    Streamed {
        rows,
        secs: started.elapsed().as_secs_f64(),
        peak_rss_kib: read_peak_rss(rss.path()),
    }
}
