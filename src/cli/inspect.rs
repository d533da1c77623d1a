//! `baocao inspect FILE…`: what baocao reads from a document — kind, text source, header,
//! forms and outline sections — without storing anything. For checking a unit's file by hand
//! and for testing new campaign templates.

use std::path::PathBuf;

use anyhow::Result;

use super::{Ctx, Saying as _, print_json};
use crate::documents::{self, DocLimits};
use crate::forms;
use crate::i18n::t;
use crate::message::Part;

/// Reads each file and prints what was found.
pub(crate) fn execute(ctx: &Ctx, files: &[PathBuf], campaign: Option<&str>) -> Result<()> {
    let c = ctx.campaign(campaign)?;
    let mut all = Vec::new();
    for f in files {
        let bytes =
            std::fs::read(f).said(|| t!("err-read-file", path = f.display().to_string()))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let part = Part::from_file(&name, bytes);
        let doc = documents::extract(&part, &DocLimits::default());
        let header = documents::parse_header(&doc);
        let forms = forms::read_forms(&doc, c);
        let sections = forms::split_sections(&doc, &c.outline);
        let v = serde_json::json!({
            "file": f.display().to_string(),
            "kind": doc.kind,
            "source": doc.source,
            "pages": doc.pages,
            "scanned": doc.scanned,
            "secret": doc.secret,
            "legacy": doc.legacy,
            "problems": doc.problems,
            "header": header,
            "forms": forms,
            "sections": sections,
            "text": if ctx.json { serde_json::Value::Null } else { doc.text().chars().take(3000).collect::<String>().into() },
        });
        all.push(v);
    }
    print_json(&all)
}
