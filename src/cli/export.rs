//! `baocao export MESSAGE [--out DIR]`: a message's attached files, read back from the raw
//! archive, written under safe names (no folders, no reserved or control characters) so staff
//! can open them in Word or Excel.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Ctx, Saying as _, print_json};
use crate::i18n::t;
use crate::message::{self, safe_name};

/// Writes the attachments of `message` into `out` (default: `<data>/files/<row>-<unit>/`).
pub(crate) fn execute(ctx: &Ctx, message: &str, out: Option<&Path>) -> Result<()> {
    let store = ctx.open_store()?;
    let msg = store
        .find_message(message)
        .map_err(|e| super::words::no_message(e, message))?;
    let raw = store.archive().read(&msg.sha256)?;
    let dir: PathBuf = match out {
        Some(d) => d.to_path_buf(),
        None => ctx.config.data_dir.join("files").join(format!(
            "{}-{}",
            msg.id,
            msg.unit_id.as_deref().unwrap_or("chua-ro-don-vi")
        )),
    };
    let parsed = message::parse(&raw, &ctx.config.limits)
        .said(|| t!("err-export-parse", id = msg.message_id.as_str()))?;
    std::fs::create_dir_all(&dir).said(|| t!("err-create-dir", dir = dir.display().to_string()))?;
    let mut taken: HashSet<String> = HashSet::new();
    let mut written = Vec::new();
    for (i, p) in parsed.all_parts().into_iter().enumerate() {
        let base = safe_name(&p.name, &format!("tep-{}", i + 1));
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = match base.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem} ({n}).{ext}"),
                None => format!("{base} ({n})"),
            };
            n += 1;
        }
        let path = dir.join(&name);
        std::fs::write(&path, &p.bytes)
            .said(|| t!("err-write-file", path = path.display().to_string()))?;
        written.push((p.path.clone(), path));
    }
    if ctx.json {
        let v: Vec<_> = written
            .iter()
            .map(|(from, to)| serde_json::json!({ "attachment": from, "file": to.display().to_string() }))
            .collect();
        return print_json(&v);
    }
    if written.is_empty() {
        println!("{}", t!("export-none", id = msg.message_id.as_str()));
    }
    for (from, to) in &written {
        println!("{from} → {}", to.display());
    }
    Ok(())
}
