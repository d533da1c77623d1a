//! The texts of outgoing mail: MiniJinja templates in `config/templates/` (the office may reword
//! them without a rebuild), with the shipped copies built in as the fallback for any file that
//! is missing. A `.txt.j2` template starts with a `Subject: …` line and a blank line.

use std::path::Path;

use minijinja::Environment;

use crate::i18n::{t, technical};
use serde::Serialize;

/// The built-in templates: the files shipped in `config/templates/`.
const DEFAULTS: &[(&str, &str)] = &[
    (
        "receipt.txt.j2",
        include_str!("../../config/templates/receipt.txt.j2"),
    ),
    (
        "reminder.txt.j2",
        include_str!("../../config/templates/reminder.txt.j2"),
    ),
    (
        "digest.txt.j2",
        include_str!("../../config/templates/digest.txt.j2"),
    ),
    (
        "digest.html.j2",
        include_str!("../../config/templates/digest.html.j2"),
    ),
];

/// A template that cannot be read, parsed or rendered.
#[derive(Debug, thiserror::Error)]
#[error("{}", t!("err-template", file = file.as_str(), detail = detail.as_str()))]
pub struct Error {
    /// The template file (the override's path, or the built-in name).
    pub file: String,
    /// What is wrong, with the line when known.
    pub detail: String,
}

/// A rendered text mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
}

/// The loaded templates.
pub struct Templates {
    env: Environment<'static>,
    /// Where each template came from, for error messages.
    origin: Vec<(String, String)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("origin", &self.origin)
            .finish()
    }
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(l) => technical(
            t!("err-template-line", line = l.to_string()),
            e.detail().map_or_else(|| e.to_string(), str::to_string),
        ),
        None => technical(t!("err-template-wrong"), e),
    }
}

impl Templates {
    /// The built-in templates, each replaced by `dir/<name>` when that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Self, Error> {
        let mut env = Environment::new();
        // Block tags on their own line leave no blank line behind: templates stay readable.
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| Error {
                file: "templates".into(),
                detail: e.to_string(),
            })?;
        env.set_syntax(syntax);
        env.add_function("t", crate::i18n::template_text);
        let mut origin = Vec::new();
        for (name, builtin) in DEFAULTS {
            let (file, text) = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(p) => {
                    let text = std::fs::read_to_string(&p).map_err(|e| Error {
                        file: p.display().to_string(),
                        detail: technical(t!("err-template-read"), e),
                    })?;
                    (p.display().to_string(), text)
                }
                None => (
                    t!("template-built-in", name = *name),
                    (*builtin).to_string(),
                ),
            };
            env.add_template_owned(name.to_string(), text)
                .map_err(|e| Error {
                    file: file.clone(),
                    detail: describe(&e),
                })?;
            origin.push((name.to_string(), file));
        }
        Ok(Templates { env, origin })
    }

    fn file(&self, name: &str) -> String {
        self.origin
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| name.to_string())
    }

    /// Renders `name` (a `.txt.j2` template) into subject and body.
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<Rendered, Error> {
        let text = self.render_body(name, ctx)?;
        let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        let Some(subject) = first.strip_prefix("Subject:") else {
            return Err(Error {
                file: self.file(name),
                detail: t!("err-template-subject"),
            });
        };
        Ok(Rendered {
            subject: subject.trim().to_string(),
            body: rest.trim_start_matches(['\r', '\n']).trim_end().to_string() + "\n",
        })
    }

    /// Renders `name` as it is (an `.html.j2` part, escaped for HTML).
    pub fn render_body(&self, name: &str, ctx: impl Serialize) -> Result<String, Error> {
        let t = self.env.get_template(name).map_err(|e| Error {
            file: name.to_string(),
            detail: describe(&e),
        })?;
        t.render(minijinja::value::Serde(ctx)).map_err(|e| Error {
            file: self.file(name),
            detail: describe(&e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_replaces_the_built_in_text_and_a_mistake_names_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("receipt.txt.j2"),
            "Subject: Đã nhận — {{ unit.name }}\n\nXin cảm ơn {{ unit.name }}.\n",
        )
        .expect("write");
        let t = Templates::load(Some(dir.path())).expect("load");
        let r = t
            .render(
                "receipt.txt.j2",
                minijinja::context! { unit => minijinja::context! { name => "Đảng ủy xã Lộc An" } },
            )
            .expect("render");
        assert_eq!(r.subject, "Đã nhận — Đảng ủy xã Lộc An");
        assert_eq!(r.body, "Xin cảm ơn Đảng ủy xã Lộc An.\n");
        std::fs::write(
            dir.path().join("reminder.txt.j2"),
            "Subject: x\n\n{% for m in missing %}\n",
        )
        .expect("write");
        let e = Templates::load(Some(dir.path())).expect_err("broken template");
        assert!(e.file.ends_with("reminder.txt.j2"), "{e}");
        assert!(e.detail.starts_with("dòng "), "{e}");
    }
}
