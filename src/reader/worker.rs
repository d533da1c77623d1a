//! The worker's side: read requests from standard input, answer on standard output, under
//! the limits it was started with. Anything that goes wrong in here ends this process only.

use std::io::{BufReader, BufWriter};

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

use super::protocol;
use crate::documents;
use crate::message::Part;

/// Runs a worker until its input ends. `args` are the memory limit in MiB and the CPU seconds
/// allowed per file.
pub fn serve(args: &[String]) -> std::io::Result<()> {
    let num = |i: usize, default: u64| {
        args.get(i)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(default)
    };
    let (memory_mb, cpu_seconds) = (num(0, 1024), num(1, 60));
    // Should the parent die between fork and the pre-exec hook, or later: end with it.
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    // Only the soft limit: the tools this worker starts raise theirs to what they need.
    let hard = getrlimit(Resource::As).maximum;
    setrlimit(
        Resource::As,
        Rlimit {
            current: Some(memory_mb << 20),
            maximum: hard,
        },
    )?;
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let mut input = BufReader::with_capacity(1 << 20, stdin);
    let mut output = BufWriter::with_capacity(1 << 20, stdout);
    while let Some((req, bytes)) = protocol::read_request(&mut input)? {
        // The CPU budget is per file: the soft limit moves with the time used so far, and
        // SIGXCPU ends a worker that overruns it.
        let used = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime).tv_sec as u64;
        let cpu = getrlimit(Resource::Cpu);
        setrlimit(
            Resource::Cpu,
            Rlimit {
                current: Some(used + cpu_seconds + 1),
                maximum: cpu.maximum,
            },
        )?;
        let part = Part {
            path: req.name.clone(),
            name: req.name,
            content_type: String::new(),
            kind: req.kind,
            bytes,
            error: None,
            inline: false,
        };
        let doc = documents::extract(&part, &req.limits);
        protocol::write_response(&mut output, doc)?;
    }
    Ok(())
}
