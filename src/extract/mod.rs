//! Extraction: decoded text -> [`Doc`] (metadata + blocks with features).
//!
//! HTML goes through a DOM walk (`html`) and metadata readers (`meta`); text dumps are cut
//! into paragraphs and lines (`text`). Both produce the same block model; deciding what is
//! noise is the strip stage's job, not this one's.

pub mod guard;
pub mod html;
pub mod meta;
pub mod text;

use crate::block::{Doc, Format};
use crate::config::PipelineConfig;
use crate::decode::Decoded;
use crate::error::DocError;

/// Extract blocks and metadata from a decoded document; `url` is the address the input
/// gives it (a WARC record's target, a JSONL row's `url`), which an HTML page's own
/// canonical address overrides.
pub fn extract(
    decoded: &Decoded,
    cfg: &PipelineConfig,
    url: Option<&str>,
) -> Result<Doc, DocError> {
    match decoded.format {
        Format::Html => html::extract(&decoded.string, cfg, url),
        Format::Text => Ok(text::extract(&decoded.string)),
    }
}
