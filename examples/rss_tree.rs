//! Runs a command and writes the peak RSS of it and every process it starts, summed, to a file:
//! `rss_tree OUT -- COMMAND [ARGS…]` → OUT holds "tree_kib own_kib most_processes". Exits with
//! the command's status. Used by scripts/bench-imap.sh for baocao and its reader workers.

#[path = "../benches/support/rss.rs"]
mod rss;

use std::process::Command;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out, cmd) = match args.as_slice() {
        [out, dash, cmd @ ..] if dash == "--" && !cmd.is_empty() => (out.clone(), cmd.to_vec()),
        _ => anyhow::bail!("usage: rss_tree OUT -- COMMAND [ARGS…]"),
    };
    let mut child = Command::new(&cmd[0]).args(&cmd[1..]).spawn()?;
    let sampler = rss::RssSampler::start(child.id());
    let status = child.wait()?;
    let (tree, own, procs) = sampler.finish();
    std::fs::write(&out, format!("{} {} {procs}\n", tree / 1024, own / 1024))?;
    std::process::exit(status.code().unwrap_or(1));
}
