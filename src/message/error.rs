//! Errors of the MIME stage. A message that fails here is still archived and listed; the
//! error text is what staff see next to it.

/// Why a raw message could not be read as mail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nothing that looks like an e-mail message.
    #[error("không phải thư điện tử ({0})")]
    NotMail(&'static str),
    /// Bigger than the configured limit.
    #[error("thư nặng {size} byte, quá giới hạn {limit} byte; cần mở bằng tay")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The MIME parser failed on this message (a caught panic, e.g. one of mail-parser's
    /// internal assertions on a corrupted multipart structure).
    #[error(
        "trình đọc thư bị lỗi nội bộ với thư này (cấu trúc MIME hỏng); thư vẫn được giữ — cần mở bằng tay"
    )]
    ParserFailed,
}

/// Result of the MIME stage.
pub type Result<T> = std::result::Result<T, Error>;
