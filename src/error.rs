//! Per-document errors: what turns an input into an error record instead of a document.
//!
//! Run-level failures (bad config, unwritable output) are not here; they are reported by the
//! CLI with their own exit codes.

use serde::Serialize;

/// The kind of a per-document error; the `error` field of an error record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input has no bytes (or only whitespace).
    Empty,
    /// The input looks binary (NUL-heavy, control characters, a known binary signature).
    Binary,
    /// The input is over a size limit.
    TooLarge,
    /// Decompression would exceed `limits.max_decompressed_bytes`.
    DecompressionLimit,
    /// The compressed stream is corrupt or truncated.
    Decompression,
    /// A JSONL row is not valid JSON or has no `html`/`text` field.
    InvalidRecord,
    /// A WARC record could not be parsed.
    InvalidWarc,
    /// Processing took longer than `limits.max_time_ms`.
    Timeout,
    /// The document was parsed but no text could be extracted from it.
    NoContent,
    /// Reading the input failed.
    Io,
    /// The DOM is over `limits.max_dom_nodes`.
    DomTooLarge,
    /// A stage panicked; caught so the run goes on (a bug: please report it).
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::Binary => "binary",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::DecompressionLimit => "decompression_limit",
            ErrorKind::Decompression => "decompression",
            ErrorKind::InvalidRecord => "invalid_record",
            ErrorKind::InvalidWarc => "invalid_warc",
            ErrorKind::Timeout => "timeout",
            ErrorKind::NoContent => "no_content",
            ErrorKind::Io => "io",
            ErrorKind::DomTooLarge => "dom_too_large",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An error for one document, with a message that says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.as_str())]
pub struct DocError {
    pub kind: ErrorKind,
    pub message: String,
}

impl DocError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        DocError {
            kind,
            message: message.into(),
        }
    }
}
