//! [`WorkerLock`]: is a local worker running? The local-mode worker holds an exclusive lock on a file next
//! to the data file for as long as it runs, and writes its pid there. The kernel drops the
//! lock when the process dies, however it dies, so a stale pid file never looks alive.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub fn lock_path(data_file: &Path) -> PathBuf {
    let mut name = data_file.as_os_str().to_owned();
    name.push(".worker.lock");
    PathBuf::from(name)
}

/// Held by the running local worker; released on drop or process exit.
#[derive(Debug)]
pub struct WorkerLock {
    _file: File,
    path: PathBuf,
}

impl WorkerLock {
    /// Takes the lock, or fails with Conflict naming the pid that holds it.
    pub fn acquire(data_file: &Path) -> Result<WorkerLock> {
        let path = lock_path(data_file);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let pid = read_pid(&mut file);
                return Err(Error::Conflict(format!(
                    "another attctl-worker{} already runs on {}",
                    pid.map(|p| format!(" (pid {p})")).unwrap_or_default(),
                    data_file.display()
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(Error::io(format!("locking {}", path.display()), e));
            }
        }
        file.set_len(0)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}", std::process::id()))
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        Ok(WorkerLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// The pid of the local worker running on `data_file`, if one holds the lock.
pub(crate) fn running_worker(data_file: &Path) -> Option<u32> {
    let mut file = File::open(lock_path(data_file)).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(TryLockError::WouldBlock) => read_pid(&mut file).or(Some(0)),
        Err(TryLockError::Error(_)) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive_and_visible() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("attctl.db");
        assert_eq!(running_worker(&data), None);
        let lock = WorkerLock::acquire(&data).unwrap();
        assert_eq!(running_worker(&data), Some(std::process::id()));
        let again = WorkerLock::acquire(&data).unwrap_err();
        assert!(again.to_string().contains("already runs"), "{again}");
        drop(lock);
        assert_eq!(running_worker(&data), None);
    }
}
