//! Peak resident memory of a process tree: a thread samples, every 20 ms, the summed RSS of a
//! process and all its descendants (found through
//! /proc/<pid>/task/<tid>/children), and the process's own RSS.
//! Shared by the ingest benchmark and the `rss_tree` example that scripts/bench-imap.sh uses.
//! Summed RSS counts pages shared between processes (the binary's text) once per process, so it
//! errs on the high side.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Resident set of one process in bytes (0 once it is gone).
fn rss_bytes(pid: u32, page: u64) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/statm"))
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * page)
}

/// `root` and its descendants, from each thread's /proc/<pid>/task/<tid>/children: only the
/// tree is read, not every process on the machine (scanning all of /proc every 20 ms cost the
/// sampler a third of a core-second over an IMAP backfill, taken from the program it measures).
fn tree(root: u32) -> HashSet<u32> {
    let mut seen = HashSet::from([root]);
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            continue;
        };
        for t in tasks.flatten() {
            let Ok(kids) = std::fs::read_to_string(t.path().join("children")) else {
                continue;
            };
            for kid in kids
                .split_whitespace()
                .filter_map(|k| k.parse::<u32>().ok())
            {
                if seen.insert(kid) {
                    todo.push(kid);
                }
            }
        }
    }
    seen
}

/// Peak RSS of a process tree, sampled every 20 ms on a thread until stopped.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<(u64, u64, usize)>,
}

impl RssSampler {
    /// Starts sampling the tree rooted at `root`.
    pub fn start(root: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        // SAFETY: sysconf only reads a constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64;
        let handle = std::thread::spawn(move || {
            let (mut tree_peak, mut root_peak, mut most_procs) = (0u64, 0u64, 0usize);
            while !flag.load(Ordering::Relaxed) {
                let tree = tree(root);
                let root_rss = rss_bytes(root, page);
                let sum: u64 = tree.iter().map(|&p| rss_bytes(p, page)).sum();
                tree_peak = tree_peak.max(sum);
                root_peak = root_peak.max(root_rss);
                most_procs = most_procs.max(tree.len());
                std::thread::sleep(Duration::from_millis(20));
            }
            (tree_peak, root_peak, most_procs)
        });
        RssSampler { stop, handle }
    }

    /// (peak of the tree's summed RSS, peak of the root's RSS, most processes at once).
    pub fn finish(self) -> (u64, u64, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or((0, 0, 0))
    }
}
