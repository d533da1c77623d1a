//! The module graph follows the pipeline: a module may use only modules earlier in it (see
//! docs/architecture.md). Read from the sources, test code left out, so an arrow against the
//! pipeline's direction fails here with the file that drew it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules in pipeline order; each may use those before it (and those on its own line).
const ORDER: &[&[&str]] = &[
    &["blocking", "clock", "i18n", "vntext"],
    &["config"],
    &["store"],
    &["source"],
    &["message"],
    &["documents"],
    &["reader"],
    &["forms"],
    &["recognise"],
    &["ingest"],
    &["poll"],
    &["register"],
    &["figures"],
    &["schedule"],
    &["consolidate"],
    &["notify"],
    &["daemon", "web"],
    &["demo"],
    &["cli"],
];

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|line| line.contains(&module))
}

/// `text` without `#[cfg(test)]` modules (inline or declared) and line comments.
fn production_code(text: &str) -> String {
    let no_comments: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = no_comments.as_str();
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        // The item the attribute guards ends at its `;` or at the brace that closes it.
        let semi = after.find(';');
        let brace = after.find('{');
        match (semi, brace) {
            (Some(s), Some(b)) if s < b => rest = &after[s + 1..],
            (_, Some(b)) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (k, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            (Some(s), None) => rest = &after[s + 1..],
            (None, None) => rest = "",
        }
    }
    out.push_str(rest);
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The modules `code` names through `crate::…`, including `use crate::{a, b::c}` lists.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(list) = after.strip_prefix('{') {
            let end = list.find("};").unwrap_or(list.len());
            let mut depth = 0;
            let mut start = 0;
            for (k, c) in list[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(ident(list[start..k].trim()));
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            found.insert(ident(list[start..end].trim()));
        } else {
            found.insert(ident(after));
        }
        rest = after;
    }
    found.retain(|m| !m.is_empty());
    found
}

#[test]
fn no_module_uses_one_later_in_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut against = Vec::new();
    let mut unknown = BTreeSet::new();
    let mut arrows = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src");
        let name = rel.to_string_lossy();
        // Test-only code (unit-test files and the shared test kit) may reach anywhere.
        if name.ends_with("tests.rs")
            || name == "testkit.rs"
            || name == "lib.rs"
            || name == "main.rs"
        {
            continue;
        }
        let module = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        let Some(from) = rank(&module) else {
            unknown.insert(module);
            continue;
        };
        let text = std::fs::read_to_string(f).expect("read");
        for used in used_modules(&production_code(&text)) {
            if used == module {
                continue;
            }
            match rank(&used) {
                Some(to) if to > from => against.push(format!("{name}: {module} → {used}")),
                Some(_) => arrows += 1,
                None => {
                    unknown.insert(used);
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from the pipeline order: {unknown:?}"
    );
    assert!(
        against.is_empty(),
        "arrows against the pipeline:\n{}",
        against.join("\n")
    );
    // The reading is not vacuous: the pipeline has dozens of arrows along it.
    assert!(arrows > 50, "only {arrows} arrows found");
}

#[test]
fn the_reader_sees_through_test_modules_and_use_lists() {
    let code = "use crate::{config::Config, store::{self, Store}};\nfn a() { crate::notify::x(); }\n\
                #[cfg(test)]\npub(crate) mod tests { use crate::daemon; fn b() { if x { } } }\n\
                #[cfg(test)]\nmod scale_tests;\nfn c() { crate::register::y(); }";
    let used = used_modules(&production_code(code));
    let want: BTreeSet<String> = ["config", "notify", "register", "store"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(used, want);
}
