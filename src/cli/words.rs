//! Where the command line meets the catalogue: `--help` built from it, clap's own complaints
//! retold from it, and every error turned into words staff can act on — a library error is
//! never shown in its raw English.
//!
//! Help is taken from the catalogue at run time, not from the doc comments: the doc comments
//! stay the developers' English (rustdoc, `cargo doc`), and the catalogue is the one place a
//! translator edits, for both languages, with `tests/it/words.rs` checking that every command
//! and option has an entry in each.

use std::error::Error as StdError;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::i18n;
use crate::i18n::t;

/// Text for staff, from the catalogue, that an error carries: shown as is, and the cause
/// below it is described too. Exit code 1 (see [`super::UsageError`] for 2).
#[derive(Debug, thiserror::Error)]
#[error("{text}")]
pub struct Said {
    text: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl Said {
    /// An error that is only these words.
    pub fn new(text: String) -> Said {
        Said { text, source: None }
    }
}

/// `.said(|| t!(…))`: a catalogue sentence over an error, the CLI's `context`.
pub(crate) trait Saying<T> {
    /// Wraps the error under the words `f` gives.
    fn said(self, f: impl FnOnce() -> String) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> Saying<T> for Result<T, E> {
    fn said(self, f: impl FnOnce() -> String) -> anyhow::Result<T> {
        self.map_err(|e| {
            let source: Box<dyn StdError + Send + Sync + 'static> = e.into().into();
            Said {
                text: f(),
                source: Some(source),
            }
            .into()
        })
    }
}

/// The clap command with every about, help and heading taken from the catalogue.
pub(crate) fn localise(cmd: clap::Command) -> clap::Command {
    let mut cmd = localise_at(cmd, "baocao");
    // The usage line is clap's own, with its English `[OPTIONS]`: rendered once the tree is
    // built (so each subcommand's line starts `baocao <command>`), then set in the catalogue's
    // words.
    cmd.build();
    with_usage(cmd)
}

fn with_usage(mut cmd: clap::Command) -> clap::Command {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .strip_prefix("Usage:")
        .unwrap_or(usage.as_str())
        .trim()
        .replace("[OPTIONS]", &t!("help-options-placeholder"));
    cmd = cmd.override_usage(usage);
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(&s, with_usage);
    }
    cmd
}

fn localise_at(mut cmd: clap::Command, path: &str) -> clap::Command {
    let id = format!("help-{path}");
    cmd = cmd
        .about(i18n::text(&id, &[]))
        .long_about(None)
        .help_template(format!(
            "{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
            t!("help-usage-heading")
        ))
        .subcommand_help_heading(t!("help-commands-heading"))
        .subcommand_value_name(t!("help-command-value"));
    let args: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (arg, positional) in args {
        let help = i18n::text(&format!("{id}--{arg}"), &[]);
        let heading = if positional {
            t!("help-arguments-heading")
        } else {
            t!("help-options-heading")
        };
        cmd = cmd.mut_arg(&arg, |a| {
            // Defaults and choices are written into the catalogue's help text, in words.
            let takes_value = a.get_action().takes_values();
            let a = a.help(help).long_help(None).help_heading(heading);
            if takes_value {
                let name = i18n::text(&value_id(&a), &[]);
                a.hide_default_value(true)
                    .hide_possible_values(true)
                    .value_name(name)
            } else {
                a
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for s in subs {
        let sub_path = format!("{path}-{s}");
        cmd = cmd.mut_subcommand(&s, |sc| localise_at(sc, &sub_path));
    }
    cmd
}

/// The catalogue id of the placeholder clap shows for `a`'s value (`<FILE>` → `value-file`):
/// the value name the command tree gives, else the argument's id in capitals, as clap writes it.
fn value_id(a: &clap::Arg) -> String {
    let name = a
        .get_value_names()
        .and_then(|v| v.first())
        .map_or_else(|| a.get_id().as_str().to_uppercase(), ToString::to_string);
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("value-{slug}")
}

/// Every help id the command line needs (`help-<command path>`, `…--<arg>` and the
/// `value-…` of each value placeholder), for the coverage test.
pub fn help_ids() -> Vec<String> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        let id = format!("help-{path}");
        for a in cmd.get_arguments() {
            out.push(format!("{id}--{}", a.get_id()));
            if a.get_action().takes_values() {
                out.push(value_id(a));
            }
        }
        out.push(id);
        for s in cmd.get_subcommands() {
            walk(s, &format!("{path}-{}", s.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(
        &<super::Cli as clap::CommandFactory>::command(),
        "baocao",
        &mut out,
    );
    out
}

/// clap's complaint about the command line, retold from the catalogue (clap itself speaks
/// only English).
pub fn clap_error(e: &clap::Error) -> String {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => t!("clap-unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => t!(
            "clap-unknown-command",
            command = get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue => t!(
            "clap-invalid-choice",
            arg = arg,
            value = value,
            valid = get(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            let reason = e.source().map(ToString::to_string).unwrap_or_default();
            t!(
                "clap-invalid-value",
                arg = arg,
                value = value,
                reason = reason
            )
        }
        ErrorKind::MissingRequiredArgument => t!("clap-missing", arg = arg),
        ErrorKind::ArgumentConflict => t!(
            "clap-conflict",
            arg = arg,
            other = get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            t!("clap-values", arg = arg)
        }
        ErrorKind::NoEquals => t!("clap-values", arg = arg),
        _ => t!("clap-other"),
    };
    let suggested = get(ContextKind::SuggestedArg) + &get(ContextKind::SuggestedSubcommand);
    if !suggested.is_empty() {
        text.push_str(&t!("clap-suggest", suggestion = suggested));
    }
    text.push_str(&t!("clap-see-help"));
    text
}

/// An error as staff read it: the CLI's own sentences as they are, library errors by their
/// catalogue message, one clear cause per line of reasoning (a cause already told is not
/// repeated). An error of no known kind keeps its text, marked as technical detail.
pub fn describe(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut skip_next = false;
    for e in err.chain() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        let (text, told_cause) = frame(e);
        if parts.last().is_some_and(|p| p == &text) {
            continue;
        }
        skip_next = told_cause;
        parts.push(text);
    }
    parts.join(": ")
}

/// One error's words, and whether they already tell its cause.
fn frame(e: &(dyn StdError + 'static)) -> (String, bool) {
    use crate::config::Error as ConfigError;
    use crate::store::Error as StoreError;
    if let Some(s) = e.downcast_ref::<Said>() {
        return (s.text.clone(), false);
    }
    if let Some(u) = e.downcast_ref::<super::UsageError>() {
        return (u.0.clone(), false);
    }
    // The mailbox's errors carry their cause in their own words already.
    if let Some(i) = e.downcast_ref::<crate::source::imap::Error>() {
        return (i.to_string(), true);
    }
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return (io_words(io), true);
    }
    if let Some(c) = e.downcast_ref::<ConfigError>() {
        return match c {
            ConfigError::Read { file, source } => (
                t!(
                    "err-config-read",
                    file = file.display().to_string(),
                    cause = io_words(source)
                ),
                true,
            ),
            ConfigError::Invalid {
                file,
                line,
                message,
                fix,
            } => (
                t!(
                    "err-config-see-sample",
                    error = match line {
                        Some(l) => t!(
                            "err-config-invalid-line",
                            file = file.display().to_string(),
                            line = *l,
                            problem = message.as_str(),
                            fix = fix.as_str()
                        ),
                        None => t!(
                            "err-config-invalid",
                            file = file.display().to_string(),
                            problem = message.as_str(),
                            fix = fix.as_str()
                        ),
                    },
                    sample = c.sample()
                ),
                true,
            ),
        };
    }
    if let Some(s) = e.downcast_ref::<StoreError>() {
        return match s {
            StoreError::Db { path, source } => (
                t!(
                    "err-store-db",
                    path = path.display().to_string(),
                    detail = source.to_string()
                ),
                true,
            ),
            StoreError::Io { path, source, .. } => (
                t!(
                    "err-store-io",
                    path = path.display().to_string(),
                    cause = io_words(source)
                ),
                true,
            ),
            StoreError::TooNew { path, found, known } => (
                t!(
                    "err-store-too-new",
                    path = path.display().to_string(),
                    found = *found,
                    known = *known
                ),
                true,
            ),
            StoreError::NotFound(what) => (t!("err-store-not-found", what = what.as_str()), true),
        };
    }
    let text = e.to_string();
    // Errors already written in Vietnamese (the message reader's, the schedule's) are shown
    // as they are; anything else is the library's English, labelled as such.
    if !text.is_ascii() || i18n::lang() == i18n::Lang::En {
        (text, false)
    } else {
        (technical(&text), false)
    }
}

fn technical(detail: &str) -> String {
    t!("err-technical", detail = detail)
}

/// An operating-system error in words, by its kind.
pub(crate) fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => t!("io-not-found"),
        K::PermissionDenied => t!("io-permission"),
        K::AlreadyExists => t!("io-exists"),
        K::StorageFull => t!("io-full"),
        K::ReadOnlyFilesystem => t!("io-read-only"),
        K::IsADirectory => t!("io-is-dir"),
        K::NotADirectory => t!("io-not-dir"),
        K::InvalidData => t!("io-invalid-data"),
        _ => technical(&e.to_string()),
    }
}

/// `find_message`'s failure: "no such message" is a usage mistake told in words (exit 2);
/// anything else (the register unreadable) stays the error it is.
pub(crate) fn no_message(e: crate::store::Error, asked: &str) -> anyhow::Error {
    match e {
        crate::store::Error::NotFound(_) => {
            super::UsageError(t!("err-no-message", message = asked)).into()
        }
        other => other.into(),
    }
}
