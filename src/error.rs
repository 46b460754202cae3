//! The errors a command can end with, and their exit codes: 2 for bad input (usage, unreadable or
//! invalid files, a folder that would be overwritten), 1 for a run that failed.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// An input file is unreadable or invalid; `message` names the field and the value.
    #[error("{file}: {message}")]
    BadInput { file: String, message: String },
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing failed while running.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// Building or writing a table failed.
    #[error("{0}")]
    Output(String),
}

impl AppError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::BadInput { .. } | AppError::Usage(_) => 2,
            AppError::Io { .. } | AppError::Output(_) => 1,
        }
    }

    pub fn io(context: impl std::fmt::Display, path: &Path, source: std::io::Error) -> Self {
        AppError::Io {
            context: format!("{context} {}", path.display()),
            source,
        }
    }
}
