//! The message catalogue: every id the code uses is in both languages, every entry is used,
//! no text for staff is written in `src/cli/` outside it; help, command-line mistakes, dates
//! and schedules in the staff's words.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use baocao::i18n::{Catalogue, Lang};

use crate::support::{TestDir, baocao, ok, root};

/// CLI files not converted to the catalogue yet: the scan below skips them. Empty now; kept
/// for a command written before its words are.
const NOT_YET: &[&str] = &[];

/// The message ids an `.ftl` file defines (entries start a line with `id =`).
fn catalogue_ids(lang: &str) -> BTreeSet<String> {
    let dir = root().join("locales").join(lang);
    let mut ids = BTreeSet::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // The file parses as Fluent without a single error.
        if let Err((_, errs)) = fluent_bundle::FluentResource::try_new(text.clone()) {
            panic!("{}: {errs:?}", path.display());
        }
        for line in text.lines() {
            if let Some((id, _)) = line.split_once('=') {
                let id = id.trim();
                if !line.starts_with([' ', '#', '*', '[', '}'])
                    && !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    ids.insert(id.to_string());
                }
            }
        }
    }
    ids
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Ids named in code: `t!("id"` (the macro) — the help ids come from the command tree.
fn used_ids() -> BTreeSet<String> {
    let re = regex::Regex::new(r#"(?:t!\(|\btext\()\s*"([a-zA-Z0-9_-]+)""#).unwrap();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut ids: BTreeSet<String> = baocao::cli::help_ids().into_iter().collect();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        ids.extend(re.captures_iter(&text).map(|c| c[1].to_string()));
    }
    // The mail templates name their phrases with `t("id"…)`.
    let tre = regex::Regex::new(r#"\bt\("([a-zA-Z0-9_-]+)""#).unwrap();
    for (_, text) in mail_templates().into_iter().chain(web_templates()) {
        ids.extend(tre.captures_iter(&text).map(|c| c[1].to_string()));
    }
    ids
}

/// The console's page templates, by file name.
fn web_templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("src/web/templates")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "html") {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    out.sort();
    assert!(out.len() >= 12, "{out:?}");
    out
}

/// The lines of a page template that carry words outside `t()`: what is left without its
/// expressions, statements, comments and tags, and the attributes a reader sees (a tooltip,
/// a placeholder, a picture's text).
fn words_in_page(text: &str) -> Vec<(usize, String)> {
    // Each construct is blanked to its newlines, so line numbers stay those of the file.
    let blank = |re: &str, s: &str| -> String {
        regex::Regex::new(re)
            .unwrap()
            .replace_all(s, |c: &regex::Captures| {
                format!(" {}", "\n".repeat(c[0].matches('\n').count()))
            })
            .into_owned()
    };
    let code = blank(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", text);
    let seen =
        regex::Regex::new(r#"\b(?:title|alt|placeholder|aria-label)\s*=\s*"([^"]*)""#).unwrap();
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for c in seen.captures_iter(line) {
            if is_words(&c[1]) {
                found.push((n + 1, c[1].to_string()));
            }
        }
    }
    let bare = blank(r"(?s)<[^>]*>", &code);
    for (n, line) in bare.lines().enumerate() {
        if is_words(line) {
            found.push((n + 1, line.trim().to_string()));
        }
    }
    found
}

#[test]
fn console_pages_take_every_phrase_from_the_catalogue() {
    let mut found = Vec::new();
    for (name, text) in web_templates() {
        for (n, words) in words_in_page(&text) {
            found.push(format!("src/web/templates/{name}:{n}: {words}"));
        }
    }
    assert!(
        found.is_empty(),
        "words outside the catalogue:\n{}",
        found.join("\n")
    );
    // The scan sees a phrase in the text, in a tooltip, and across a tag it spans.
    let probe = "{% if x %}<p>{{ t(\"web-lang\") }}</p>\n<td title=\"chưa nhận\">✗</td>\n<b\nclass=\"o\">Đã gửi</b>\n{# ghi chú #}";
    let hits: Vec<usize> = words_in_page(probe).into_iter().map(|(n, _)| n).collect();
    assert_eq!(hits, [2, 4], "{:?}", words_in_page(probe));
}

/// The shipped mail templates (also the built-in ones), by file name.
fn mail_templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("config/templates")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "j2") {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    out.sort();
    assert_eq!(out.len(), 4, "{out:?}");
    out
}

#[test]
fn mail_templates_take_every_phrase_from_the_catalogue() {
    // What is left of a template without its expressions, statements and HTML tags is
    // punctuation, symbols and the Subject: header: no words.
    let strip = regex::Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}|<[^>]*>").unwrap();
    let mut found = Vec::new();
    for (name, text) in mail_templates() {
        for (n, line) in text.lines().enumerate() {
            let bare = strip.replace_all(line, " ");
            if is_words(&bare) {
                found.push(format!("config/templates/{name}:{}: {line}", n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "words outside the catalogue:\n{}",
        found.join("\n")
    );
    // The scan sees a phrase written into a template.
    assert!(is_words(
        &strip.replace_all("{% if x %}Kính gửi {{ unit.name }},", " ")
    ));
}

#[test]
fn every_id_in_both_catalogues_and_every_entry_used() {
    let vi = catalogue_ids("vi");
    let en = catalogue_ids("en");
    let used = used_ids();
    let only_vi: Vec<_> = vi.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&vi).collect();
    assert!(only_vi.is_empty(), "only in locales/vi: {only_vi:?}");
    assert!(only_en.is_empty(), "only in locales/en: {only_en:?}");
    let missing: Vec<_> = used.difference(&vi).collect();
    assert!(
        missing.is_empty(),
        "used in code, not in the catalogues: {missing:?}"
    );
    let unused: Vec<_> = vi.difference(&used).collect();
    assert!(
        unused.is_empty(),
        "in the catalogues, used nowhere: {unused:?}"
    );
    // The binary's compiled-in catalogues are the files checked here.
    for id in &used {
        assert!(Catalogue::of(Lang::Vi).has(id), "{id} (vi)");
        assert!(Catalogue::of(Lang::En).has(id), "{id} (en)");
    }
}

/// Texts that reach staff in mail or the console — the mail and console catalogues, and the
/// problems recognition and reading store with a message (`rec-*`, `prob-*`), which the digest
/// repeats — name no command: staff fix things on the console's pages, not in a terminal.
#[test]
fn staff_texts_name_no_command() {
    let commands = [
        "demo",
        "check-config",
        "run",
        "remind",
        "schedule",
        "outbox",
        "poll",
        "send-test",
        "ingest",
        "status",
        "messages",
        "forms",
        "figures",
        "assign",
        "export",
        "mark",
        "inspect",
        "consolidate",
        "units",
        "addresses",
        "digest",
        "web",
        "users",
    ];
    let mut found = Vec::new();
    for lang in ["vi", "en"] {
        let dir = root().join("locales").join(lang);
        for file in ["mail.ftl", "web.ftl", "cli.ftl"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let mut id = String::new();
            for line in text.lines() {
                if let Some((k, _)) = line.split_once(" = ")
                    && !line.starts_with(' ')
                {
                    id = k.trim().to_string();
                }
                let staff = file != "cli.ftl" || id.starts_with("rec-") || id.starts_with("prob-");
                if !staff || line.trim_start().starts_with('#') {
                    continue;
                }
                let words: Vec<&str> = line
                    .split(|c: char| c.is_whitespace() || c == '`')
                    .filter(|w| !w.is_empty())
                    .collect();
                for w in words.windows(2) {
                    if w[0] == "baocao" && commands.contains(&w[1]) {
                        found.push(format!("locales/{lang}/{file} {id}: {}", line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "commands in staff texts:\n{}",
        found.join("\n")
    );
}

/// The string literals of a Rust source with the byte offset where each starts, skipping
/// comments (doc comments included), char literals and the `#[cfg(test)]` module at the end.
fn literals(src: &str) -> Vec<(usize, String)> {
    let src = match src.find("#[cfg(test)]") {
        Some(p) => &src[..p],
        None => src,
    };
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' => {
                // 'x', '\n', '\'' are chars; 'a (a lifetime) is not closed within 3 bytes.
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let c = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    if b.get(i + 1 + c) == Some(&b'\'') {
                        i += 2 + c;
                    } else {
                        i += 1;
                    }
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'"') | Some(b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let start = i;
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let body_start = j + 1;
                let end = src[body_start..]
                    .find(&close)
                    .map_or(b.len(), |p| body_start + p);
                out.push((start, src[body_start..end].to_string()));
                i = end + close.len();
            }
            b'"' => {
                let start = i;
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                out.push((start, src[start + 1..j.min(b.len())].to_string()));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether a literal is text a person reads: after removing `{…}` placeholders it has a
/// letter outside ASCII (Vietnamese) or two English words in a row. JSON keys, flags,
/// paths, file names, format strings of placeholders and punctuation have neither.
fn is_words(lit: &str) -> bool {
    let bare = regex::Regex::new(r"\{[^{}]*\}")
        .unwrap()
        .replace_all(lit, " ");
    bare.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
        || regex::Regex::new(r"[A-Za-z]{2,}[,.;:!?']?\s+[A-Za-z]{2,}")
            .unwrap()
            .is_match(&bare)
}

#[test]
fn the_scan_tells_words_from_keys() {
    assert!(is_words("Đơn vị"));
    assert!(is_words("cannot read {}"));
    assert!(is_words("{n} đơn vị"));
    assert!(!is_words("sent_to"));
    assert!(!is_words("--json"));
    assert!(!is_words("config/baocao.toml"));
    assert!(!is_words("{}: {}"));
    assert!(!is_words("—"));
    let lits = literals(
        "// \"no\" here\nlet a = 'x'; let b: &'a str = \"x y\"; t!(\"id-one\", v = r#\"raw \"q\"\"#);\n#[cfg(test)]\nmod t { \"zzz\" }",
    );
    let texts: Vec<&str> = lits.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(texts, ["x y", "id-one", "raw \"q\""]);
}

/// Literals of Rust source `src` that read as words and are neither a catalogue id nor a
/// log line for the administrator (`tracing::…!`), as `name:line: "literal"`.
fn words_in_source(name: &str, src: &str) -> Vec<String> {
    let catalogue_call = regex::Regex::new(r"(?:^|[^A-Za-z0-9_])(?:t!|text)\($").unwrap();
    let mut found = Vec::new();
    for (at, lit) in literals(src) {
        // The catalogue id itself: `t!("id"` or `i18n::text("id"` (not `format!(` or
        // `.context(`, whose names end the same way).
        let before = src[..at].trim_end();
        if catalogue_call.is_match(before) {
            continue;
        }
        // A log line: the statement it is in starts with a `tracing::` macro.
        let statement = &src[before.rfind([';', '{', '}']).map_or(0, |i| i + 1)..at];
        if statement.contains("tracing::") {
            continue;
        }
        if is_words(&lit) {
            let line = src[..at].matches('\n').count() + 1;
            found.push(format!("{name}:{line}: {lit:?}"));
        }
    }
    found
}

/// [`words_in_source`] of every Rust file under `dir` (relative to the repository) but those
/// named in `skip`.
fn words_in_rust(dir: &str, skip: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root().join(dir), &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if skip.contains(&file.as_str()) {
            continue;
        }
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        found.extend(words_in_source(
            &name,
            &std::fs::read_to_string(&path).unwrap(),
        ));
    }
    found
}

#[test]
fn no_text_for_staff_outside_the_catalogue_in_the_cli() {
    let found = words_in_rust("src/cli", NOT_YET);
    assert!(
        found.is_empty(),
        "text outside the catalogue:\n{}",
        found.join("\n")
    );
}

/// Literals the scan takes for words that are not the program's own: what documents say (the
/// words baocao looks for in them, or writes into a Vietnamese draft), what a library says
/// (matched, never shown), and protocol text.
const NOT_WORDS: &[(&str, &str)] = &[
    // A Word style whose name starts so is a heading.
    ("src/documents/docx.rs", "tiêu đề "),
    // The footers of a report's form, folded, where its table ends.
    ("src/documents/pdf.rs", "ghi chu"),
    ("src/documents/pdf.rs", "nguoi lap bieu"),
    ("src/documents/pdf.rs", "noi nhan"),
    // The words that introduce a list of forms in a request, by default.
    ("src/config/campaign.rs", "biểu"),
    ("src/config/campaign.rs", "biểu số"),
    ("src/config/campaign.rs", "phụ lục"),
    ("src/config/campaign.rs", "mẫu"),
    // The signer of the Vietnamese draft report, by default.
    ("src/config/campaign.rs", "Ban Tổ chức"),
    ("src/config/campaign.rs", "TRƯỞNG BAN"),
    // The office's name when the configuration gives none.
    ("src/config/mod.rs", "Văn phòng"),
    // The TOML parser's messages, told apart to say them in the catalogue's words.
    ("src/config/mod.rs", "unknown field"),
    ("src/config/mod.rs", "missing field"),
    // A cookie, a download's name, the error page written by hand when templates fail.
    (
        "src/web/auth.rs",
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
    ),
    (
        "src/web/pages.rs",
        "attachment; filename=\\\"{ascii}\\\"; filename*=UTF-8''{encoded}",
    ),
    (
        "src/web/view.rs",
        "<!doctype html><meta charset=utf-8><p>{esc}</p>",
    ),
    // What an SMTP library's error says, matched to tell a TLS mismatch from the rest.
    ("src/notify/mod.rs", "corrupt message"),
    ("src/notify/mod.rs", "invalid content type"),
    ("src/notify/mod.rs", "authentication mechanism"),
    // A MIME type.
    ("src/notify/mod.rs", "text/plain; charset=utf-8"),
    // The sample a template is rendered with in `check-config`, thrown away once it renders.
    ("src/notify/mod.rs", "Đơn vị mẫu"),
    ("src/notify/mod.rs", "Gửi báo cáo"),
    ("src/notify/mod.rs", "Bao cao.docx"),
    ("src/notify/mod.rs", "08:00 ngày 27/01/2023"),
    (
        "src/notify/mod.rs",
        "Biểu số 2, dòng 1: đánh dấu cả hai cột",
    ),
    ("src/notify/mod.rs", "23:59 ngày 30/01/2023"),
    // What a store error was doing, for whoever reads the code; its words come from the path.
    (
        "src/ingest.rs",
        "cannot create the readers' temporary folder",
    ),
];

/// The modules cleared of staff text outside the catalogue besides the command line: the
/// console, the configuration's errors, and the problems found reading mail and files (the
/// size and zip-bomb guards among them, the forms' checks), the register's states, the
/// digest's marks, the reminders held back, the figures' notes and breaches (its tests, in
/// their own file, say what a sender writes), what sending mail tells of the mail server.
const CLEARED: &[&str] = &[
    "src/web",
    "src/config",
    "src/documents/guard.rs",
    "src/documents/xlsx.rs",
    "src/documents/docx.rs",
    "src/documents/pdf.rs",
    "src/documents/convert.rs",
    "src/documents/mod.rs",
    "src/message/error.rs",
    "src/message/mod.rs",
    "src/message/attachments.rs",
    "src/message/kind.rs",
    "src/register/status.rs",
    "src/notify/digest.rs",
    "src/store/vocab.rs",
    "src/store/error.rs",
    "src/ingest.rs",
    "src/schedule.rs",
    "src/source/local.rs",
    "src/forms/checklist.rs",
    "src/forms/grid.rs",
    "src/figures/mod.rs",
    "src/notify/mod.rs",
    "src/poll.rs",
];

#[test]
fn no_text_for_staff_outside_the_catalogue_in_the_cleared_modules() {
    let mut found = Vec::new();
    for m in CLEARED {
        let path = root().join(m);
        let hits = if path.is_dir() {
            words_in_rust(m, &[])
        } else {
            words_in_source(m, &std::fs::read_to_string(&path).unwrap())
        };
        found.extend(hits.into_iter().filter(|h| {
            !NOT_WORDS.iter().any(|(f, lit)| {
                h.starts_with(&format!("{f}:")) && h.ends_with(&format!(": {lit:?}"))
            })
        }));
    }
    assert!(
        found.is_empty(),
        "text outside the catalogue:\n{}",
        found.join("\n")
    );
    // The scan sees a sentence written in code, a format string and an error context, and
    // lets a catalogue id and a log line pass.
    let probe = "fn a() {\n    tracing::warn!(%x, \"the console listens\");\n    f(\"Không làm được\");\n    g(t!(\"web-lang\"));\n    format!(\"no such {x}\");\n    e.context(\"cannot read\")\n}";
    assert_eq!(
        words_in_source("p.rs", probe),
        [
            "p.rs:3: \"Không làm được\"",
            "p.rs:5: \"no such {x}\"",
            "p.rs:6: \"cannot read\""
        ]
    );
}

fn run(args: &[&str], lang_env: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baocao"));
    cmd.args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(l) = lang_env {
        cmd.env("LANG", l);
    }
    cmd.output().unwrap()
}

#[test]
fn help_is_vietnamese_by_default_and_english_on_request() {
    let vi = ok(run(&["--help"], None));
    assert!(vi.contains("Cách dùng: baocao"), "{vi}");
    assert!(vi.contains("Lệnh:"), "{vi}");
    assert!(vi.contains("Tùy chọn:"), "{vi}");
    assert!(vi.contains("Nhắc ngay"), "{vi}");
    assert!(!vi.contains("Usage:") && !vi.contains("Options:"), "{vi}");
    let sub = ok(run(&["messages", "--help"], None));
    assert!(sub.contains("Chỉ thư cần xử lý"), "{sub}");
    // clap's usage placeholder and its version flag, in the catalogue's words too.
    assert!(vi.contains("Cách dùng: baocao [TÙY CHỌN] <LỆNH>"), "{vi}");
    assert!(vi.contains("-V, --version"), "{vi}");
    assert!(vi.contains("In số phiên bản."), "{vi}");
    assert!(
        sub.contains("Cách dùng: baocao messages [TÙY CHỌN]"),
        "{sub}"
    );
    assert!(
        !vi.contains("[OPTIONS]") && !sub.contains("[OPTIONS]"),
        "{sub}"
    );
    let nested = ok(run(&["units", "alias", "remove", "--help"], None));
    assert!(
        nested.contains("Cách dùng: baocao units alias remove [TÙY CHỌN]"),
        "{nested}"
    );
    let version = ok(run(&["--version"], None));
    assert!(version.starts_with("baocao "), "{version}");
    for en in [
        ok(run(&["--lang", "en", "--help"], None)),
        ok(run(&["--help"], Some("en_US.UTF-8"))),
    ] {
        assert!(en.contains("Usage: baocao [OPTIONS] <COMMAND>"), "{en}");
        assert!(en.contains("Remind now"), "{en}");
        assert!(en.contains("Print the version"), "{en}");
    }
    // --lang wins over LANG.
    let vi2 = ok(run(&["--lang=vi", "--help"], Some("en_GB.UTF-8")));
    assert!(vi2.contains("Cách dùng"), "{vi2}");
}

#[test]
fn command_line_mistakes_are_told_in_vietnamese() {
    let out = run(&["stauts"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("không có lệnh stauts"), "{err}");
    assert!(err.contains("status"), "{err}");
    let out = run(&["outbox", "--kind", "bogus"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("không có loại thư \"bogus\""), "{err}");
    let out = run(&["--now", "hôm qua", "status"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("thời điểm không đúng dạng"), "{err}");
    assert!(!err.contains("error:"), "{err}");
    let out = run(&["--lang", "en", "stauts"], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no command stauts"), "{err}");
}

#[test]
fn errors_never_show_a_raw_english_library_error() {
    let t = TestDir::new();
    // A missing config file: the OS error in words, once.
    let out = run(&["--config", "/nonexistent/baocao.toml", "status"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không đọc được tệp cấu hình /nonexistent/baocao.toml"),
        "{err}"
    );
    assert!(err.contains("không có tệp hoặc thư mục này"), "{err}");
    assert!(!err.contains("No such file"), "{err}");
    // An absent register.
    let out = baocao(&t.join("nothing-here"), &["status"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chưa có dữ liệu ở thư mục"), "{err}");
}

#[test]
fn schedule_and_outbox_speak_in_dates_words_and_names() {
    let t = TestDir::new();
    let data = t.join("data");
    let mail = root().join("demo/mail");
    ok(baocao(&data, &["ingest", mail.to_str().unwrap()]));
    let now = "2023-01-20T08:00:00+07:00";
    let s = ok(baocao(&data, &["--now", now, "schedule"]));
    assert!(
        s.contains("Công văn 809-CV/HU — hạn 30/01/2023 23:59"),
        "{s}"
    );
    assert!(
        s.contains("T6 27/01/2023 08:00  trước hạn 2 ngày (dời từ 28/01/2023, ngày nghỉ)"),
        "{s}"
    );
    assert!(
        s.contains("(7 giờ 30, thứ Hai đến thứ Sáu): 23/01/2023 07:30"),
        "{s}"
    );
    assert!(s.contains("Lộc Thắng"), "{s}");
    assert!(!s.contains("+07:00") && !s.contains("30 7 * * 1-5"), "{s}");
    // Every receipt the scheduler would write, then the outbox as staff read it.
    ok(baocao(&data, &["--now", now, "remind"]));
    let o = ok(baocao(&data, &["outbox"]));
    assert!(o.starts_with("Tạo lúc"), "{o}");
    assert!(o.contains("nhắc nộp"), "{o}");
    assert!(!o.contains("reminder") && !o.contains("+07:00"), "{o}");
    // Items by their titles, times as staff write them, the request by its number.
    let m = ok(baocao(&data, &["messages", "--limit", "1"]));
    assert!(
        m.starts_with("[1] 25/01/2023 09:12  danguylocthanh@gmail.com"),
        "{m}"
    );
    assert!(
        m.contains("→ Biểu số 1, Biểu số 2, Biểu số 3, Biểu số 4"),
        "{m}"
    );
    assert!(m.contains("Công văn: 809-CV/HU (theo nội dung thư)"), "{m}");
    assert!(!m.contains("bieu1") && !m.contains("→ report"), "{m}");
    let en = ok(baocao(&data, &["--lang", "en", "--now", now, "schedule"]));
    assert!(en.contains("Staff digest (7:30, Monday to Friday)"), "{en}");
}

#[test]
fn a_campaign_typo_points_to_the_campaign_sample() {
    let t = TestDir::new();
    let cfg = t.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).unwrap();
    std::fs::write(cfg.join("baocao.toml"), "timezone = \"Asia/Ho_Chi_Minh\"\n").unwrap();
    let camp = std::fs::read_to_string(root().join("config/campaigns/809-CV-HU.toml"))
        .unwrap()
        .replace("\ndeadline = ", "\ndeadlin = ");
    std::fs::write(cfg.join("campaigns/x.toml"), camp).unwrap();
    let out = run(
        &[
            "--config",
            &cfg.join("baocao.toml").display().to_string(),
            "status",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x.toml dòng 15"), "{err}");
    assert!(
        err.contains("mẫu có chú thích từng khóa: config/campaigns/README.md"),
        "{err}"
    );
    // The sample it names exists and lists the key that was mistyped.
    let readme = std::fs::read_to_string(root().join("config/campaigns/README.md")).unwrap();
    assert!(readme.contains("`deadline`"), "{readme}");
}

#[test]
fn the_readme_lists_every_command_once_and_how_to_install() {
    use clap::CommandFactory as _;
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for sub in baocao::cli::Cli::command().get_subcommands() {
        let row = format!("| `baocao {}", sub.get_name());
        let n = readme.matches(&row).count();
        assert_eq!(
            n, 1,
            "{row}… appears {n} times in the README's command table"
        );
    }
    for must in [
        "cargo run -- demo",
        "scripts/test.sh",
        "cargo install --path .",
        "Rust 1.95",
        "root or sudo",
        "config/campaigns/README.md",
        "journalctl -u baocao",
        "Upgrading",
    ] {
        assert!(readme.contains(must), "README lacks {must:?}");
    }
}

#[test]
fn mail_is_vietnamese_by_default_and_english_on_request() {
    let t = TestDir::new();
    let data = t.join("data");
    let mail = root().join("demo/mail");
    ok(baocao(&data, &["ingest", mail.to_str().unwrap()]));
    let now = "2023-01-27T08:00:00+07:00";
    let vi = ok(baocao(&data, &["--now", now, "digest", "--dry-run"]));
    assert!(vi.starts_with("Subject: Tình hình nhận báo cáo "), "{vi}");
    assert!(vi.contains("CẦN XỬ LÝ ("), "{vi}");
    assert!(vi.contains("CHƯA GỬI ("), "{vi}");
    assert!(vi.contains("Bản tin này do baocao gửi tự động."), "{vi}");
    let en = ok(baocao(
        &data,
        &["--lang", "en", "--now", now, "digest", "--dry-run"],
    ));
    assert!(en.starts_with("Subject: Reports received as of "), "{en}");
    assert!(en.contains("TO DO ("), "{en}");
    assert!(en.contains("SENT NOTHING ("), "{en}");
    assert!(
        en.contains("This digest was sent automatically by baocao."),
        "{en}"
    );
    assert!(
        !en.contains("CHƯA GỬI") && !en.contains("Bản tin này"),
        "{en}"
    );
}

/// One HTTP/1.1 exchange with the console on `port` (`Connection: close`): the status, the
/// head and the body.
fn http(port: u16, method: &str, path: &str, cookie: &str, form: &str) -> (u16, String, String) {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// The value of cookie `name` that a response head sets.
fn set_cookie(head: &str, name: &str) -> String {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .next()
        .unwrap_or_else(|| panic!("no cookie {name} in {head}"))
}

/// A `baocao web` process, stopped when the test ends however it ends.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_console_speaks_english_on_request() {
    use crate::web::{CAMPAIGN, EDITOR, NOW, demo_copy};
    let t = TestDir::new();
    let cfg = demo_copy(&t);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let _server = Served(
        Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(["--config", &cfg.display().to_string(), "--lang", "en"])
            .args([
                "--now",
                NOW,
                "web",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed().as_secs() < 30, "the console did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, head, login) = http(port, "GET", "/dang-nhap", "", "");
    assert_eq!(status, 200, "{head}");
    assert!(login.contains("<html lang=\"en\">"), "{login}");
    assert!(
        login.contains("Account name") && login.contains(">Log in</button>"),
        "{login}"
    );
    assert!(
        !login.contains("Đăng nhập") && !login.contains("Mật khẩu"),
        "{login}"
    );
    // Logged in, the campaign's page is in English from the template to the register's words.
    let token = set_cookie(&head, "baocao_dn");
    let form = format!("_csrf={token}&name={}&password={}", EDITOR.0, EDITOR.1);
    let (status, head, _) = http(
        port,
        "POST",
        "/dang-nhap",
        &format!("baocao_dn={token}"),
        &form,
    );
    assert_eq!(status, 303, "{head}");
    let session = format!("baocao_phien={}", set_cookie(&head, "baocao_phien"));
    let (status, _, page) = http(port, "GET", &format!("/cong-van/{CAMPAIGN}"), &session, "");
    assert_eq!(status, 200, "{page}");
    for en in [
        "<h1>Request 809-CV&#x2f;HU</h1>",
        "Deadline: <b>",
        "40 units:",
        "Complete, on time",
        "Nothing sent",
        "1 mail of no known unit",
        "Remind every incomplete unit now",
        ">Log out</button>",
    ] {
        assert!(page.contains(en), "{en:?} not in {page}");
    }
    for vi in [
        "Hạn nộp",
        "Đăng xuất",
        "Đủ, đúng hạn",
        "Chưa gửi",
        "Tình trạng",
    ] {
        assert!(!page.contains(vi), "{vi:?} in {page}");
    }
    // An error page too.
    let (status, _, missing) = http(port, "GET", "/thu/99999", &session, "");
    assert_eq!(status, 404);
    assert!(missing.contains("not found: mail no. 99999"), "{missing}");
    assert!(missing.contains("That did not work"), "{missing}");
}

#[test]
fn configuration_mistakes_are_told_in_the_language_of_the_run() {
    let t = TestDir::new();
    let cfg = t.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).unwrap();
    let file = cfg.join("baocao.toml");
    let arg = file.display().to_string();
    let told = |lang: Option<&str>| {
        let mut args = vec!["--config", arg.as_str(), "status"];
        if let Some(l) = lang {
            args.splice(0..0, ["--lang", l]);
        }
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // A value the library refuses: problem and fix in the catalogue's words.
    std::fs::write(&file, "# văn phòng\ntimezone = \"Asia/Hanoi_X\"\n").unwrap();
    let vi = told(None);
    assert!(
        vi.contains("baocao.toml dòng 2: múi giờ lạ \"Asia/Hanoi_X\""),
        "{vi}"
    );
    assert!(
        vi.contains("cách sửa: dùng tên IANA, ví dụ \"Asia/Ho_Chi_Minh\""),
        "{vi}"
    );
    assert!(!vi.contains("unknown time zone"), "{vi}");
    let en = told(Some("en"));
    assert!(en.contains("unknown time zone \"Asia/Hanoi_X\""), "{en}");
    assert!(
        en.contains("use an IANA name such as \"Asia/Ho_Chi_Minh\""),
        "{en}"
    );
    assert!(!en.contains("múi giờ"), "{en}");
    // A key TOML does not know: named, not the parser's English.
    std::fs::write(&file, "timezone = \"Asia/Ho_Chi_Minh\"\ndata-dri = \"x\"\n").unwrap();
    let vi = told(None);
    assert!(vi.contains("dòng 2: không có khóa `data-dri`"), "{vi}");
    assert!(
        !vi.contains("unknown field") && !vi.contains("expected one of"),
        "{vi}"
    );
    let en = told(Some("en"));
    assert!(en.contains("unknown field `data-dri`"), "{en}");
    assert!(en.contains("remove or correct the key"), "{en}");
}

#[test]
fn value_placeholders_of_the_help_are_in_the_catalogue() {
    let vi = ok(run(&["ingest", "--help"], None));
    assert!(
        vi.contains("Cách dùng: baocao ingest [TÙY CHỌN] <ĐƯỜNG-DẪN>..."),
        "{vi}"
    );
    assert!(vi.contains("--config <TỆP>"), "{vi}");
    assert!(vi.contains("--data <THƯ-MỤC>"), "{vi}");
    assert!(vi.contains("--now <THỜI-ĐIỂM>"), "{vi}");
    for en in ["<FILE>", "<DIR>", "<RFC3339>", "<PATHS>"] {
        assert!(!vi.contains(en), "{en} in {vi}");
    }
    let assign = ok(run(&["assign", "--help"], None));
    assert!(
        assign.contains("<THƯ>") && assign.contains("<ĐƠN-VỊ>"),
        "{assign}"
    );
    let en = ok(run(&["--lang", "en", "ingest", "--help"], None));
    assert!(
        en.contains("Usage: baocao ingest [OPTIONS] <PATHS>..."),
        "{en}"
    );
    assert!(
        en.contains("--data <DIR>") && en.contains("--now <RFC3339>"),
        "{en}"
    );
    // A mistake names the option with its placeholder in the same words.
    let out = run(&["send-test"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--to <ĐỊA-CHỈ>"), "{err}");
}
