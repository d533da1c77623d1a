//! Isolated reading: documents are read in a worker process (this same binary, run as
//! `baocao __read-worker`) with an address-space limit, a CPU-time limit and a wall-clock
//! budget per message, so no file — a spreadsheet that asks for 512 GB, a flate bomb, a parser
//! bug that aborts — can take the process that keeps the register down with it.
//!
//! A worker that aborts, runs out of memory or time is killed with everything it started and
//! replaced; the caller decides what to record ([`Failure`]). Workers die with their parent
//! (parent-death signal), run the tools in their own process groups, and keep their temporary
//! files in a folder of their own under `<data>/tmp` that is swept at the next start if a
//! crash left it behind ([`TempRoot`]).

mod protocol;
mod temp;
mod worker;

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use crate::documents::{DocLimits, Document};
use crate::i18n::{Fault, t};
use crate::message::Part;

pub use temp::{TempRoot, tagged_processes};
pub use worker::serve;

/// The hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "__read-worker";

/// Environment variable that tags every process a worker starts, so a sweep after a crash can
/// find them.
pub const TAG_VAR: &str = "BAOCAO_READER_TAG";

pub use crate::config::ReaderLimits;

/// Why a file could not be read by a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It needed more memory than the worker may have.
    Memory,
    /// It took longer than the budget (CPU or wall clock).
    Time,
    /// The worker crashed (the reason as the worker said it, if it did: for the log).
    Crash(String),
}

impl Failure {
    /// The problem in plain words for staff.
    pub fn text(&self) -> String {
        match self {
            Failure::Memory => t!("prob-reader-memory"),
            Failure::Time => t!("prob-reader-time"),
            // The worker's own last words (a Rust panic, an OS error) are English and technical:
            // they go to the log, not to staff.
            Failure::Crash(_) => t!("prob-reader-crash"),
        }
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    stderr: PathBuf,
}

/// A client of one worker process, started on first use and replaced after a failure.
pub struct Reader {
    exe: PathBuf,
    dir: PathBuf,
    tag: String,
    limits: ReaderLimits,
    worker: Option<Worker>,
    spawned: u32,
}

impl Reader {
    /// A reader whose workers run `exe` and keep their files under `temp`.
    pub fn new(exe: PathBuf, temp: &TempRoot, limits: ReaderLimits) -> Self {
        Reader {
            exe,
            dir: temp.dir().to_path_buf(),
            tag: temp.tag().to_string(),
            limits,
            worker: None,
            spawned: 0,
        }
    }

    /// The budgets.
    pub fn limits(&self) -> &ReaderLimits {
        &self.limits
    }

    /// How many worker processes were started so far (one, plus one per failure).
    pub fn spawned(&self) -> u32 {
        self.spawned
    }

    fn spawn(&mut self) -> std::io::Result<&mut Worker> {
        if self.worker.is_none() {
            let n = self.spawned;
            let stderr = self.dir.join(format!("worker-{n}.log"));
            let err_file = std::fs::File::create(&stderr)?;
            let mut cmd = Command::new(&self.exe);
            cmd.arg(WORKER_COMMAND)
                .arg(self.limits.memory_mb.to_string())
                .arg(self.limits.cpu_seconds.to_string())
                .env("TMPDIR", &self.dir)
                .env(TAG_VAR, &self.tag)
                // Small first reserve of address space for mimalloc (1 GB by default, taken
                // before the worker sets its limit): the address-space limit is for the file.
                .env("MIMALLOC_ARENA_RESERVE", "16MiB")
                // No backtrace: it would push "memory allocation … failed" out of the log tail
                // that `fail` reads, turning "too large" into a crash with Rust's English note.
                .env("RUST_BACKTRACE", "0")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::from(err_file))
                .process_group(0);
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                let parent = rustix::process::getpid();
                cmd.pre_exec(move || {
                    rustix::process::set_parent_process_death_signal(Some(
                        rustix::process::Signal::KILL,
                    ))?;
                    // The parent died between fork and here: the signal will never come.
                    if rustix::process::getppid() != Some(parent) {
                        return Err(std::io::Error::other("parent gone"));
                    }
                    Ok(())
                });
            }
            let mut child = cmd.spawn()?;
            let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                let _ = child.kill();
                let _ = child.wait();
                return Err(std::io::Error::other("worker pipes missing"));
            };
            self.spawned += 1;
            self.worker = Some(Worker {
                child,
                stdin,
                stdout,
                stderr,
            });
        }
        self.worker
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no worker"))
    }

    /// Reads `part` in the worker, by `deadline`. On failure the worker is gone (killed with
    /// every process it started) and the next call starts a new one.
    pub fn read(
        &mut self,
        part: &Part,
        limits: &DocLimits,
        deadline: Instant,
    ) -> Result<Document, Failure> {
        let request = protocol::Request {
            name: part.name.clone(),
            kind: part.kind,
            limits: limits.clone(),
        };
        let sent = self
            .spawn()
            .and_then(|w| protocol::write_request(&mut w.stdin, &request, &part.bytes));
        if let Err(e) = sent {
            return Err(self.fail(Some(Fault::ReaderSend.text(e))));
        }
        let Some(w) = self.worker.as_mut() else {
            return Err(Failure::Crash(String::new()));
        };
        match protocol::read_response(&mut w.stdout, deadline) {
            Ok(protocol::Response::Document(d)) => Ok(*d),
            Ok(protocol::Response::TimedOut) => {
                self.kill();
                Err(Failure::Time)
            }
            Err(_) => Err(self.fail(None)),
        }
    }

    /// The worker ended without answering: why, from its exit status and its last words.
    fn fail(&mut self, fallback: Option<String>) -> Failure {
        let Some(mut w) = self.worker.take() else {
            return Failure::Crash(fallback.unwrap_or_default());
        };
        kill_group(&mut w.child);
        let status = w.child.wait().ok();
        let mut log = String::new();
        if let Ok(mut f) = std::fs::File::open(&w.stderr) {
            let mut buf = Vec::new();
            let _ = f.read_to_end(&mut buf);
            let tail = buf.len().saturating_sub(2000);
            log = String::from_utf8_lossy(&buf[tail..]).into_owned();
        }
        let _ = std::fs::remove_file(&w.stderr);
        use std::os::unix::process::ExitStatusExt;
        let signal = status.and_then(|s| s.signal());
        if log.contains("memory allocation of") || log.contains("out of memory") {
            return Failure::Memory;
        }
        if signal == Some(rustix::process::Signal::XCPU.as_raw()) {
            return Failure::Time;
        }
        // The kernel's OOM killer sends SIGKILL; so would an administrator.
        if signal == Some(rustix::process::Signal::KILL.as_raw()) {
            return Failure::Memory;
        }
        let last = log
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().chars().take(200).collect::<String>());
        let why = last.or(fallback).unwrap_or_default();
        tracing::warn!(reason = %why, "a document reader crashed");
        Failure::Crash(why)
    }

    fn kill(&mut self) {
        if let Some(mut w) = self.worker.take() {
            kill_group(&mut w.child);
            let _ = w.child.wait();
            let _ = std::fs::remove_file(&w.stderr);
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let Some(w) = self.worker.as_mut() {
            // Closing stdin ends a healthy worker; the group kill ends anything it left.
            let _ = w.stdin.flush();
        }
        if let Some(mut w) = self.worker.take() {
            drop(w.stdin);
            let _ = w.child.wait();
            kill_group(&mut w.child);
            let _ = std::fs::remove_file(&w.stderr);
        }
    }
}

/// Kills the worker's process group (the worker and any tool that did not start its own group).
fn kill_group(child: &mut Child) {
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
}

static WORKER_BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Makes every later reading in this process use workers running `exe` (the `baocao` binary
/// calls this with itself at start). Without it documents are read in-process: library tests
/// have no baocao binary to start.
pub fn use_worker_binary(exe: PathBuf) {
    let _ = WORKER_BINARY.set(exe);
}

/// The binary workers run, if workers are in use.
pub fn worker_binary() -> Option<&'static std::path::Path> {
    WORKER_BINARY.get().map(PathBuf::as_path)
}

/// Reads documents: in a worker when workers are in use, else in this process.
pub enum Client {
    /// Through a worker process.
    Isolated(Reader),
    /// In this process (library tests).
    InProcess,
}

impl Client {
    /// A client for one reading thread; `temp` holds the workers' files.
    pub fn new(temp: Option<&TempRoot>, limits: ReaderLimits) -> Self {
        match (worker_binary(), temp) {
            (Some(exe), Some(t)) => Client::Isolated(Reader::new(exe.to_path_buf(), t, limits)),
            _ => Client::InProcess,
        }
    }

    /// Reads `part` by `deadline`.
    pub fn read(
        &mut self,
        part: &Part,
        limits: &DocLimits,
        deadline: Instant,
    ) -> Result<Document, Failure> {
        match self {
            Client::Isolated(r) => r.read(part, limits, deadline),
            Client::InProcess => Ok(crate::documents::extract(part, limits)),
        }
    }
}
