//! Temporary files of the readers: one folder per running baocao under `<data>/tmp`, held by a
//! lock for as long as that process lives. At start, a folder whose lock is free belongs to a
//! process that died (kill -9, power loss): the processes its workers started are ended and the
//! folder is removed.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::TAG_VAR;

/// Temporary folders opened by this process: part of the tag, so two never share a name.
static OPENED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// This process's temporary folder.
#[derive(Debug)]
pub struct TempRoot {
    dir: PathBuf,
    tag: String,
    // Held for the folder's life: the lock is what tells a sweep the owner is alive.
    _lock: File,
}

impl TempRoot {
    /// Creates `<data>/tmp/<pid>-<n>/`, after sweeping what dead processes left there.
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        let root = data_dir.join("tmp");
        std::fs::create_dir_all(&root)?;
        sweep(&root);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let n = OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tag = format!("{}-{stamp:x}{n:x}", std::process::id());
        let dir = root.join(&tag);
        std::fs::create_dir_all(&dir)?;
        // The lock is taken under another name and only then renamed to "lock" (the lock
        // belongs to the open file, not the name): another baocao sweeping at this moment
        // must never find a "lock" nobody holds yet, take it for a dead owner's, and remove
        // this folder (then every worker fails to start: its log goes in here).
        let pending = dir.join("lock.new");
        let lock = File::create(&pending)?;
        lock.try_lock().map_err(std::io::Error::from)?;
        std::fs::rename(&pending, dir.join("lock"))?;
        Ok(TempRoot {
            dir,
            tag,
            _lock: lock,
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The tag its workers' processes carry in their environment.
    pub fn tag(&self) -> &str {
        &self.tag
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes the folders of dead processes under `root`, ending whatever their workers left
/// running (LibreOffice forks a process that outlives its launcher).
fn sweep(root: &Path) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    for e in rd.flatten() {
        let path = e.path();
        if !path.is_dir() {
            continue;
        }
        let free = match File::open(path.join("lock")) {
            Ok(f) => f.try_lock().is_ok(),
            // No lock file: a folder being created right now, or what a kill between the
            // folder and its lock left. The tag starts with the owner's pid: a dead owner's
            // folder goes now; a live pid may be a stranger that reused it, so that folder
            // goes once it is old.
            Err(_) => {
                let name = e.file_name();
                // Asked of the kernel (signal 0), not of /proc: ESRCH alone means no such
                // process; a pid too large to be one is gone too.
                let owner_gone = name
                    .to_str()
                    .and_then(|n| n.split_once('-'))
                    .and_then(|(pid, _)| pid.parse::<u32>().ok())
                    .is_some_and(|pid| {
                        match i32::try_from(pid)
                            .ok()
                            .and_then(rustix::process::Pid::from_raw)
                        {
                            Some(p) => {
                                rustix::process::test_kill_process(p)
                                    == Err(rustix::io::Errno::SRCH)
                            }
                            None => true,
                        }
                    });
                owner_gone
                    || e.metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age.as_secs() > 600)
            }
        };
        if free {
            let tag = e.file_name().to_string_lossy().into_owned();
            kill_tagged(&tag);
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Ends every process whose environment carries this reader tag.
pub(crate) fn kill_tagged(tag: &str) -> usize {
    let needle = format!("{TAG_VAR}={tag}");
    let mut killed = 0;
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return 0;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(env) = std::fs::read(e.path().join("environ")) else {
            continue;
        };
        if env.split(|b| *b == 0).any(|v| v == needle.as_bytes())
            && let Some(p) = rustix::process::Pid::from_raw(pid)
            && rustix::process::kill_process(p, rustix::process::Signal::KILL).is_ok()
        {
            killed += 1;
        }
    }
    killed
}

/// Processes alive now whose reader tag starts with `prefix` (a tag starts with the pid of the
/// baocao that started the worker): what a crash of that process may have left running.
pub fn tagged_processes(prefix: &str) -> Vec<i32> {
    let needle = format!("{TAG_VAR}={prefix}");
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<i32>().ok()?;
            let env = std::fs::read(e.path().join("environ")).ok()?;
            env.split(|b| *b == 0)
                .any(|v| v.starts_with(needle.as_bytes()))
                .then_some(pid)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lockless_folder_goes_when_its_owner_is_dead_and_stays_while_it_lives() {
        let root = std::env::temp_dir().join(format!("baocao-temp-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        // No pid is ever above the kernel's 2^22 limit: this owner is surely dead.
        let dead = root.join("4294967294-1f");
        let alive = root.join(format!("{}-2f", std::process::id()));
        let locked = root.join("4294967294-3f");
        for d in [&dead, &alive, &locked] {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        // A lock file nobody holds: its owner died after taking the lock.
        File::create(locked.join("lock")).expect("lock file");
        sweep(&root);
        assert!(!dead.exists(), "a dead owner's lockless folder stays");
        assert!(!locked.exists(), "a free lock's folder stays");
        assert!(
            alive.exists(),
            "a live owner's folder in creation was removed"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn opening_while_others_sweep_never_loses_a_live_folder() {
        // Two baocao on one data folder each sweep `tmp` at start. Opening from many threads
        // at once (flock conflicts between open files even within one process) must never
        // remove a folder whose owner lives, nor fail to lock it. Before the lock was taken
        // under another name, a sweep could find "lock" created but not yet held.
        let root = std::env::temp_dir().join(format!("baocao-temp-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("mkdir");
        let lost = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    for _ in 0..150 {
                        match TempRoot::open(&root) {
                            Ok(t) => {
                                std::thread::yield_now();
                                if !t.dir().join("lock").exists() {
                                    lost.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                }
                            }
                            Err(_) => {
                                lost.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                        }
                    }
                });
            }
        });
        assert_eq!(lost.into_inner(), 0, "folders lost or unlockable");
        let _ = std::fs::remove_dir_all(&root);
    }
}
