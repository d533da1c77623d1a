//! Errors of the config stage: each names the file, the line when known, and what to do.

use std::path::PathBuf;

use crate::i18n::t;

/// A configuration problem, in the catalogue's words:
/// "cấu hình sai ở config/campaigns/x.toml dòng 12: … — cách sửa: …"; exit code 2.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read at all.
    Read {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read but a value in it is wrong.
    Invalid {
        /// The file.
        file: PathBuf,
        /// 1-based line, when it can be told.
        line: Option<usize>,
        /// What is wrong.
        message: String,
        /// What to do about it.
        fix: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Error::Read { file, source } => t!(
                "err-config-read",
                file = file.display().to_string(),
                cause = source.to_string()
            ),
            Error::Invalid {
                file,
                line: Some(l),
                message,
                fix,
            } => t!(
                "err-config-invalid-line",
                file = file.display().to_string(),
                line = *l,
                problem = message.as_str(),
                fix = fix.as_str()
            ),
            Error::Invalid {
                file,
                line: None,
                message,
                fix,
            } => t!(
                "err-config-invalid",
                file = file.display().to_string(),
                problem = message.as_str(),
                fix = fix.as_str()
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Read { source, .. } => Some(source),
            Error::Invalid { .. } => None,
        }
    }
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            file: file.into(),
            line,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl Error {
    /// The annotated sample that documents the keys of the file in error: the campaign README
    /// for a campaign file, the units sample for the units CSV, else the main config sample.
    pub fn sample(&self) -> &'static str {
        let file = match self {
            Error::Read { file, .. } | Error::Invalid { file, .. } => file,
        };
        let in_campaigns = file.parent().and_then(|p| p.file_name()) == Some("campaigns".as_ref());
        if in_campaigns {
            "config/campaigns/README.md"
        } else if file.extension().is_some_and(|x| x == "csv") {
            "config/units.csv"
        } else {
            "config/baocao.toml"
        }
    }
}

/// Result of the config stage.
pub type Result<T> = std::result::Result<T, Error>;

/// The 1-based line of byte offset `pos` in `src`.
pub(crate) fn line_at(src: &str, pos: usize) -> usize {
    src.as_bytes()[..pos.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of the first occurrence of `needle` in `src`, if any.
pub(crate) fn line_of(src: &str, needle: &str) -> Option<usize> {
    src.find(needle).map(|p| line_at(src, p))
}
