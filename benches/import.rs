//! Benchmark: `attctl session import` of 100,000 and 1,000,000 CSV rows and of a
//! 100,000-event iCalendar file into a fresh local store, written for real. Prints rows/s,
//! wall time and the peak RSS of the attctl process (GNU time's `%M`), so that memory staying
//! flat as the input grows is visible.
//!
//! Then one VEVENT of 40,000, 80,000 and 1,000,000 content lines (EXDATEs; the last is a
//! 25 MB file): the time of reading one large component, which was quadratic in its lines.
//!
//! Run: `cargo bench --bench import` (builds attctl in release mode); `ATTCTL_BENCH_BIN=path`
//! measures another attctl binary instead (an older build, to compare in the same run);
//! `ATTCTL_BENCH_SIZES=100000,1000000` picks the CSV sizes (empty: none),
//! `ATTCTL_BENCH_EVENTS=100000` the events of the calendar (0: none) and
//! `ATTCTL_BENCH_COMPONENT_LINES=40000,80000,1000000` the lines of the one large event.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn attctl_bin() -> String {
    std::env::var("ATTCTL_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_attctl").into())
}

fn write_csv(path: &Path, rows: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "class_name,session_date,start_time,end_time")?;
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).expect("a date");
    for i in 0..rows {
        let date = base + chrono::Duration::days((i / 100) as i64);
        let minutes = 6 * 60 + 6 * (i % 100);
        let (h, m) = (minutes / 60, minutes % 60);
        writeln!(f, "Bench,{date},{h:02}:{m:02},{h:02}:{:02}", m + 5)?;
    }
    f.flush()
}

fn write_ics(path: &Path, events: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(
        f,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VTIMEZONE\r\n\
         TZID:Europe/London\r\nBEGIN:STANDARD\r\nDTSTART:19701025T020000\r\n\
         TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )?;
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).expect("a date");
    for i in 0..events {
        let date = (base + chrono::Duration::days((i / 10) as i64)).format("%Y%m%d");
        let hour = 8 + i % 10;
        write!(
            f,
            "BEGIN:VEVENT\r\nUID:bench-{i}@example.org\r\nDTSTAMP:20260901T120000Z\r\n\
             DTSTART;TZID=Europe/London:{date}T{hour:02}0000\r\n\
             DTEND;TZID=Europe/London:{date}T{hour:02}5000\r\nSUMMARY:Bench\r\n\
             DESCRIPTION:A description long enough to be folded at seventy-five oc\r\n \
             tets\r\nEND:VEVENT\r\n"
        )?;
    }
    write!(f, "END:VCALENDAR\r\n")?;
    f.flush()
}

/// One weekly event of ten occurrences whose VEVENT holds `lines` EXDATE lines (one
/// occurrence excluded, over and over): a single component of `lines` content lines.
fn write_one_event(path: &Path, lines: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(
        f,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n\
         UID:one@example.org\r\nSUMMARY:Bench\r\nDTSTART:20400106T090000Z\r\n\
         DTEND:20400106T095000Z\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
    )?;
    for _ in 0..lines {
        write!(f, "EXDATE:20400113T090000Z\r\n")?;
    }
    write!(f, "END:VEVENT\r\nEND:VCALENDAR\r\n")?;
    f.flush()
}

fn list_of(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// Imports `file` into a fresh local store; returns (seconds, peak RSS in MiB).
fn import(dir: &Path, file: &Path) -> (f64, f64) {
    let data = dir.join(format!(
        "{}.db",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    let rss = dir.join("rss");
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss)
        .arg(attctl_bin())
        .args(["session", "import"])
        .arg(file)
        .args(["-o", "json"])
        .env_clear()
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("ATTCTL_TIMEZONE", "UTC")
        .env("ATTCTL_DATA_FILE", &data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run attctl under /usr/bin/time");
    let secs = started.elapsed().as_secs_f64();
    assert!(status.success(), "import of {} failed", file.display());
    let kib: f64 = std::fs::read_to_string(&rss)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
        .expect("GNU time's peak RSS");
    let _ = std::fs::remove_file(&data);
    (secs, kib / 1024.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sizes = list_of("ATTCTL_BENCH_SIZES", &[100_000, 1_000_000]);
    println!("attctl: {}", attctl_bin());
    println!("| input | rows | seconds | rows/s | peak RSS |");
    println!("|---|---:|---:|---:|---:|");
    for rows in sizes {
        let path = dir.path().join(format!("{rows}.csv"));
        write_csv(&path, rows).expect("write the CSV");
        let (secs, mib) = import(dir.path(), &path);
        println!(
            "| CSV | {rows} | {secs:.1} | {:.0} | {mib:.1} MiB |",
            rows as f64 / secs
        );
        let _ = std::fs::remove_file(&path);
    }
    let mib_of =
        |path: &Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) / (1024 * 1024);
    for events in list_of("ATTCTL_BENCH_EVENTS", &[100_000]) {
        if events == 0 {
            continue;
        }
        let path = dir.path().join("big.ics");
        write_ics(&path, events).expect("write the calendar");
        let (secs, mib) = import(dir.path(), &path);
        println!(
            "| iCalendar ({} MiB) | {events} | {secs:.1} | {:.0} | {mib:.1} MiB |",
            mib_of(&path),
            events as f64 / secs
        );
        let _ = std::fs::remove_file(&path);
    }
    for lines in list_of("ATTCTL_BENCH_COMPONENT_LINES", &[40_000, 80_000, 1_000_000]) {
        let path = dir.path().join("one-event.ics");
        write_one_event(&path, lines).expect("write the calendar");
        let (secs, mib) = import(dir.path(), &path);
        println!(
            "| one VEVENT of {lines} lines ({} MiB) | 9 | {secs:.1} | {:.0} lines/s | {mib:.1} MiB |",
            mib_of(&path),
            lines as f64 / secs
        );
        let _ = std::fs::remove_file(&path);
    }
}
