//! The raw-mail archive: every message exactly as received, named by the SHA-256 of its bytes
//! (`archive/ab/<hash>.eml`, one level of 256 folders as git keeps its objects). A batch is
//! written to temp files, flushed to disk, renamed into place and the directories flushed —
//! all before the register row that points at it is committed. Batching the flushes (one
//! `syncfs` per batch on Linux rather than one `fsync` per message) is what makes bulk ingest
//! fast without weakening "nothing is lost".

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::{Error, Result};

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// The archive folder.
#[derive(Debug, Clone)]
pub struct Archive {
    root: PathBuf,
}

/// A file written to the temp folder, not yet in place.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
}

impl Archive {
    /// Opens (creating) the archive under `root` and removes temp files a crash left behind.
    pub fn open(root: PathBuf) -> Result<Self> {
        let tmp = root.join("tmp");
        fs::create_dir_all(&tmp).map_err(|source| Error::Io {
            action: "cannot create the archive folder",
            path: tmp.clone(),
            source,
        })?;
        if let Ok(rd) = fs::read_dir(&tmp) {
            for e in rd.flatten() {
                // Leftovers of an interrupted batch: their messages were never committed and
                // will be fetched or ingested again. Files of a process still running (the
                // daemon, while staff run `status`; this process, which opens the store again
                // on another thread while a batch is staged) are left alone.
                let name = e.file_name().to_string_lossy().into_owned();
                let owner = name
                    .split_once('-')
                    .and_then(|(p, _)| p.parse::<u32>().ok());
                if owner.is_some_and(|p| p == std::process::id() || process_alive(p)) {
                    continue;
                }
                let _ = fs::remove_file(e.path());
            }
        }
        Ok(Archive { root })
    }

    /// Path (relative to the data dir) of the message with this hash.
    pub fn relative_path(sha: &str) -> String {
        // The same layout as `dest`.
        format!("archive/{}/{}.eml", &sha[..2], sha)
    }

    fn dest(&self, sha: &str) -> PathBuf {
        self.root.join(&sha[..2]).join(format!("{sha}.eml"))
    }

    /// Where releases before 2026-12-05 put the message: two levels of folders, which cost
    /// a new folder for nearly every message (a tenth of a backfill's system time). Those
    /// files stay where they are and are still found; their rows record that path.
    fn legacy_dest(&self, sha: &str) -> PathBuf {
        self.root
            .join(&sha[..2])
            .join(&sha[2..4])
            .join(format!("{sha}.eml"))
    }

    /// Reads an archived message back.
    pub fn read(&self, sha: &str) -> Result<Vec<u8>> {
        let p = self.dest(sha);
        match fs::read(&p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && sha.len() >= 4 => {
                let old = self.legacy_dest(sha);
                fs::read(&old).map_err(|_| e)
            }
            r => r,
        }
        .map_err(|source| Error::Io {
            action: "cannot read archived message",
            path: p,
            source,
        })
    }

    /// Writes `bytes` to a temp file. Whether the message is in place already is not asked:
    /// the register knows what it stored, and a file left by a crash between rename and
    /// commit holds the same bytes, which the rename replaces.
    pub fn stage(&self, sha: &str, bytes: &[u8]) -> Result<Staged> {
        let dest = self.dest(sha);
        let tmp = self
            .root
            .join("tmp")
            .join(format!("{}-{sha}.tmp", std::process::id()));
        let io = |action, source| Error::Io {
            action,
            path: tmp.clone(),
            source,
        };
        let mut f = File::create(&tmp).map_err(|e| io("cannot create archive file", e))?;
        f.write_all(bytes)
            .map_err(|e| io("cannot write archive file", e))?;
        if !BATCH_SYNC {
            f.sync_all()
                .map_err(|e| io("cannot flush archive file", e))?;
        }
        Ok(Staged { tmp, dest })
    }

    /// Makes staged files durable and moves them into place: flush data, rename, flush the
    /// directory entries.
    pub fn commit(&self, staged: Vec<Staged>) -> Result<()> {
        if staged.is_empty() {
            return Ok(());
        }
        self.sync()?;
        let mut dirs: Vec<PathBuf> = Vec::new();
        for s in staged {
            let dir = s.dest.parent().map(Path::to_path_buf).unwrap_or_default();
            // Renamed first and the folder made only when missing: asking first cost a
            // `stat` per message.
            let moved = match fs::rename(&s.tmp, &s.dest) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(&dir).map_err(|source| Error::Io {
                        action: "cannot create archive folder",
                        path: dir.clone(),
                        source,
                    })?;
                    fs::rename(&s.tmp, &s.dest)
                }
                r => r,
            };
            moved.map_err(|source| Error::Io {
                action: "cannot move message into the archive",
                path: s.dest.clone(),
                source,
            })?;
            if !BATCH_SYNC && !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        if BATCH_SYNC {
            self.sync()
        } else {
            for d in dirs {
                sync_dir(&d)?;
            }
            Ok(())
        }
    }

    #[cfg(target_os = "linux")]
    fn sync(&self) -> Result<()> {
        let f = File::open(&self.root).map_err(|source| Error::Io {
            action: "cannot open archive folder",
            path: self.root.clone(),
            source,
        })?;
        rustix::fs::syncfs(&f).map_err(|e| Error::Io {
            action: "cannot flush the archive to disk",
            path: self.root.clone(),
            source: e.into(),
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn sync(&self) -> Result<()> {
        Ok(())
    }
}

/// Whether process `pid` still runs (Linux: /proc; elsewhere assume it does not).
fn process_alive(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

/// Linux flushes a whole batch with one `syncfs`; elsewhere every file is fsynced.
const BATCH_SYNC: bool = cfg!(target_os = "linux");

fn sync_dir(d: &Path) -> Result<()> {
    File::open(d)
        .and_then(|f| f.sync_all())
        .map_err(|source| Error::Io {
            action: "cannot flush archive folder",
            path: d.to_path_buf(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_commit_read() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(dir.path().join("archive")).unwrap();
        let sha = sha256_hex(b"hello");
        let s = a.stage(&sha, b"hello").unwrap();
        a.commit(vec![s]).unwrap();
        assert_eq!(a.read(&sha).unwrap(), b"hello");
        // Staged again (a crash between rename and commit): the same file, nothing left over.
        let s = a.stage(&sha, b"hello").unwrap();
        a.commit(vec![s]).unwrap();
        assert_eq!(a.read(&sha).unwrap(), b"hello");
        assert_eq!(
            fs::read_dir(dir.path().join("archive/tmp"))
                .unwrap()
                .count(),
            0
        );
        // The recorded path is where the file is.
        assert_eq!(
            Archive::relative_path(&sha),
            format!("archive/2c/{sha}.eml")
        );
        assert!(dir.path().join(Archive::relative_path(&sha)).is_file());
    }

    #[test]
    fn messages_archived_in_the_two_level_layout_are_still_found() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open(dir.path().join("archive")).unwrap();
        let sha = sha256_hex(b"old mail");
        let old = dir
            .path()
            .join(format!("archive/{}/{}/{sha}.eml", &sha[..2], &sha[2..4]));
        fs::create_dir_all(old.parent().unwrap()).unwrap();
        fs::write(&old, b"old mail").unwrap();
        assert_eq!(a.read(&sha).unwrap(), b"old mail");
        // A missing message names the path of the layout in use.
        let never = sha256_hex(b"never");
        let err = a.read(&never).unwrap_err().to_string();
        assert!(
            err.contains(&format!("{}/{never}.eml", &never[..2])),
            "{err}"
        );
    }
}
