//! Errors of the store: the register database and the raw-mail archive.

use std::path::PathBuf;

use crate::i18n::t;

/// A store failure; these stop the current batch (nothing half-written is committed).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed.
    #[error("{}", t!("err-store-db", path = path.display().to_string(), detail = source.to_string()))]
    Db {
        /// Database file.
        path: PathBuf,
        /// Cause.
        #[source]
        source: rusqlite::Error,
    },
    /// A file in the data dir could not be written or read.
    #[error("{}", t!("err-store-io", path = path.display().to_string(), cause = source.to_string()))]
    Io {
        /// What we were doing.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The database was made by a newer baocao.
    #[error("{}", t!("err-store-too-new", path = path.display().to_string(), found = *found, known = *known))]
    TooNew {
        /// Database file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// Ours.
        known: i64,
    },
    /// A lookup found nothing.
    #[error("{0}")]
    NotFound(String),
}

/// Result of the store.
pub type Result<T> = std::result::Result<T, Error>;
