//! Every word a person reads from the command line, in one catalogue per language (Fluent files
//! under `locales/<lang>/`, compiled into the binary so an installed `baocao` needs no data
//! files). Vietnamese unless `--lang en` or an English `LANG` chose English.
//!
//! Code names a message by its id through [`t!`]; `tests/it/words.rs` checks that
//! every id used exists in both catalogues, that every entry is used, and that no text meant
//! for staff is written in `src/cli/` outside the catalogue.

mod cron;
mod fault;

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, TimeZone};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use cron::describe as cron_in_words;
pub use fault::{Fault, technical};

/// A language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese, the default: staff read it.
    Vi,
    /// English, for an administrator who asks for it.
    En,
}

impl Lang {
    /// The language code as written after `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language named by a `--lang` value or a locale (`en`, `en_US.UTF-8`, `vi_VN`…);
    /// `None` for any other language, which then falls back to Vietnamese.
    pub fn from_code(code: &str) -> Option<Lang> {
        let head: String = code
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        match head.as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for this run: `--lang` if given, else the first set of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` when it names English; Vietnamese otherwise (including `C` and
    /// `POSIX`, which say nothing about the reader).
    pub fn choose(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(l) = flag.and_then(Lang::from_code) {
            return l;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| env(k))
            .find(|v| !v.is_empty());
        match locale.as_deref().and_then(Lang::from_code) {
            Some(Lang::En) => Lang::En,
            _ => Lang::Vi,
        }
    }
}

/// The catalogue files, one string per language: every `.ftl` of the language's folder.
const VI_FILES: &[&str] = &[
    include_str!("../../locales/vi/cli.ftl"),
    include_str!("../../locales/vi/help.ftl"),
    include_str!("../../locales/vi/mail.ftl"),
    include_str!("../../locales/vi/web.ftl"),
];
const EN_FILES: &[&str] = &[
    include_str!("../../locales/en/cli.ftl"),
    include_str!("../../locales/en/help.ftl"),
    include_str!("../../locales/en/mail.ftl"),
    include_str!("../../locales/en/web.ftl"),
];

static LANG: OnceLock<Lang> = OnceLock::new();

/// Chooses the language for the rest of the run; the first call wins (the binary calls it once
/// before parsing the command line).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run (Vietnamese until [`set_lang`] said otherwise).
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::Vi)
}

/// A catalogue: one language's messages, parsed once.
pub struct Catalogue {
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue").finish_non_exhaustive()
    }
}

impl Catalogue {
    fn build(lang: Lang) -> Catalogue {
        let files = match lang {
            Lang::Vi => VI_FILES,
            Lang::En => EN_FILES,
        };
        let tag = lang
            .code()
            .parse::<unic_langid::LanguageIdentifier>()
            .unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![tag]);
        // Isolation marks (U+2068/U+2069) around every value would end up in terminals, pipes
        // and JSON; the catalogues hold no right-to-left text that needs them.
        bundle.set_use_isolating(false);
        for text in files {
            // A file that does not parse fails `tests/it/words.rs`; what did parse is still
            // used, so one bad entry cannot silence the whole program.
            let res = match FluentResource::try_new((*text).to_string()) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            bundle.add_resource_overriding(res);
        }
        Catalogue { bundle }
    }

    /// The catalogue of `lang`, parsed on first use.
    pub fn of(lang: Lang) -> &'static Catalogue {
        static VI: OnceLock<Catalogue> = OnceLock::new();
        static EN: OnceLock<Catalogue> = OnceLock::new();
        match lang {
            Lang::Vi => VI.get_or_init(|| Catalogue::build(Lang::Vi)),
            Lang::En => EN.get_or_init(|| Catalogue::build(Lang::En)),
        }
    }

    /// Whether the catalogue has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// Message `id` with its arguments filled in; the id itself when the catalogue lacks it
    /// (the coverage test keeps that from shipping).
    pub fn text(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fa), &mut errors)
            .into_owned()
    }
}

/// Message `id` in the run's language.
pub fn text(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    Catalogue::of(lang()).text(id, args)
}

/// A text argument for [`t!`]: anything shown with `Display`.
pub fn arg(v: impl std::fmt::Display) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

/// A number argument for [`t!`] (plural forms choose on it).
pub fn num(n: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(n.into())
}

/// A count argument for [`t!`].
pub fn count(n: usize) -> FluentValue<'static> {
    // Counts shown to staff are far below 2^53.
    FluentValue::from(n as f64)
}

/// A moment as staff write it, in the office's time zone: `28/01/2023 08:00`.
pub fn when<Tz: TimeZone>(t: DateTime<FixedOffset>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.with_timezone(tz).format("%d/%m/%Y %H:%M").to_string()
}

/// A stored RFC 3339 time as staff write it (the text unchanged if it is not one).
pub fn when_text<Tz: TimeZone>(rfc3339: &str, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => when(t, tz),
        Err(_) => rfc3339.to_string(),
    }
}

/// The template function `t("id", name=value, …)` of the mail templates and the console's
/// pages: message `id` in the run's language. Numbers stay numbers (plural forms choose on
/// them), booleans become `true`/`false` for a select; anything else is its text. The words
/// are the catalogue's and the arguments the template's data, so an HTML template escapes the
/// result like any other value.
pub fn template_text(
    id: &str,
    kwargs: minijinja::value::Kwargs,
) -> Result<String, minijinja::Error> {
    use minijinja::value::{Value, ValueKind};
    if !Catalogue::of(lang()).has(id) {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("t(): no message {id:?} in the catalogue"),
        ));
    }
    let mut args = Vec::new();
    for k in kwargs.args() {
        let v: Value = kwargs.get(k)?;
        let f = match v.kind() {
            ValueKind::Number => match f64::try_from(v.clone()) {
                Ok(n) => num(n),
                Err(_) => arg(&v),
            },
            ValueKind::Bool => arg(v.is_true()),
            ValueKind::None | ValueKind::Undefined => arg(""),
            _ => arg(&v),
        };
        args.push((k, f));
    }
    kwargs.assert_all_used()?;
    Ok(text(id, &args))
}

/// Message `id` of the catalogue in the run's language, with named arguments:
/// `t!("err-read-file", path = p.display().to_string())`. A `&str`/`String` argument
/// may be given as is.
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::text($id, &[])
    };
    ($id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::text($id, &[$((stringify!($k), ::fluent_bundle::FluentValue::from($v))),+])
    };
}
pub(crate) use t;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_flag_then_locale() {
        let none = |_: &str| None;
        assert_eq!(Lang::choose(None, none), Lang::Vi);
        assert_eq!(Lang::choose(Some("en"), none), Lang::En);
        let en_us = |k: &str| (k == "LANG").then(|| "en_US.UTF-8".to_string());
        assert_eq!(Lang::choose(None, en_us), Lang::En);
        assert_eq!(Lang::choose(Some("vi"), en_us), Lang::Vi);
        let c = |k: &str| (k == "LANG").then(|| "C.UTF-8".to_string());
        assert_eq!(Lang::choose(None, c), Lang::Vi);
        let all = |k: &str| match k {
            "LC_ALL" => Some("vi_VN.UTF-8".to_string()),
            "LANG" => Some("en_GB".to_string()),
            _ => None,
        };
        assert_eq!(Lang::choose(None, all), Lang::Vi);
    }

    #[test]
    fn messages_fill_arguments_without_isolation_marks() {
        let vi = Catalogue::of(Lang::Vi);
        let en = Catalogue::of(Lang::En);
        let args = [("count", count(3))];
        assert_eq!(vi.text("test-mails", &args), "3 thư");
        assert_eq!(en.text("test-mails", &args), "3 mails");
        assert_eq!(en.text("test-mails", &[("count", count(1))]), "1 mail");
        // Built, not written, so the coverage scan does not take it for a used id.
        let absent = ["no", "such", "id"].join("-");
        assert_eq!(vi.text(&absent, &[]), "no-such-id");
    }

    #[test]
    fn a_block_message_keeps_its_blank_lines() {
        let vi = Catalogue::of(Lang::Vi);
        assert_eq!(
            vi.text("mail-test-body", &[("at", arg("08:00 28/01/2023"))]),
            "Kính gửi đồng chí,\n\nĐây là thư thử nghiệm do baocao gửi lúc 08:00 28/01/2023. \
             Nếu đồng chí đọc được thư này và tệp đính kèm, biên nhận và nhắc nhở sẽ đến được \
             hộp thư này.\n\nTrân trọng."
        );
    }

    #[test]
    fn dates_in_the_office_zone() {
        let t = DateTime::parse_from_rfc3339("2023-01-30T16:59:59Z").unwrap();
        assert_eq!(when(t, &chrono_tz::Asia::Ho_Chi_Minh), "30/01/2023 23:59");
        assert_eq!(
            when_text("2023-01-28T08:00:00+07:00", &chrono_tz::Asia::Ho_Chi_Minh),
            "28/01/2023 08:00"
        );
        assert_eq!(
            when_text("hôm qua", &chrono_tz::Asia::Ho_Chi_Minh),
            "hôm qua"
        );
    }
}
