//! `baocao ingest PATH…`: local mail files into the register.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;

use super::{Ctx, Said};
use crate::i18n::t;
use crate::ingest;
use crate::recognise::Recogniser;
use crate::source::local;

/// Ingests `paths` and prints what happened.
pub(crate) fn execute(ctx: &Ctx, paths: &[PathBuf]) -> Result<()> {
    let (inputs, errors) = local::scan(paths);
    for e in &errors {
        eprintln!(
            "baocao: {}",
            t!("ingest-skipped-path", error = e.to_string())
        );
    }
    if inputs.is_empty() {
        return Err(Said::new(t!("err-ingest-nothing")).into());
    }
    let mut store = ctx.create_store()?;
    let rec = Arc::new(Recogniser::new(ctx.config.clone(), store.units()?));
    let pb = ingest::progress_bar(local::total_bytes(&inputs), std::io::stderr().is_terminal());
    let read_errors = std::sync::Mutex::new(Vec::new());
    let report = ingest::run(&mut store, rec, ctx.now(), &pb, |sink| {
        local::read(&inputs, sink, |e| {
            if let Ok(mut v) = read_errors.lock() {
                v.push(e.to_string());
            }
        })
    })?;
    pb.finish_and_clear();
    for e in read_errors.into_inner().unwrap_or_default() {
        eprintln!("baocao: {}", t!("ingest-unreadable", error = e));
    }
    if ctx.json {
        super::print_json(&serde_json::json!({
            "seen": report.seen,
            "stored": report.stored,
            "duplicates": report.duplicates,
            "unreadable": report.unreadable,
            "read": report.read,
            "quarantined": report.quarantined,
            "skipped": errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        }))?;
    } else {
        summary(&report);
    }
    if !errors.is_empty() {
        return Err(Said::new(t!("err-ingest-skipped", count = errors.len())).into());
    }
    Ok(())
}

fn summary(report: &ingest::Report) {
    println!(
        "{}",
        t!(
            "ingest-summary",
            seen = report.seen,
            stored = report.stored,
            duplicates = report.duplicates,
            unreadable = report.unreadable
        )
    );
    if report.quarantined > 0 {
        println!("{}", t!("ingest-quarantined", count = report.quarantined));
    }
    if report.unreadable > 0 || report.quarantined > 0 {
        println!("{}", t!("ingest-see-attention"));
    }
}
