//! Errors of the MIME stage. A message that fails here is still archived and listed; the
//! error text is what staff see next to it.

use crate::i18n::t;

/// Why a raw message could not be read as mail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nothing that looks like an e-mail message.
    #[error("{}", t!("prob-not-mail", why = .0.as_str()))]
    NotMail(String),
    /// Bigger than the configured limit.
    #[error("{}", t!("prob-mail-too-large", size = size.to_string(), limit = limit.to_string()))]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The MIME parser failed on this message (a caught panic, e.g. one of mail-parser's
    /// internal assertions on a corrupted multipart structure).
    #[error("{}", t!("prob-parser-failed"))]
    ParserFailed,
}

/// Result of the MIME stage.
pub type Result<T> = std::result::Result<T, Error>;
