//! gristmill: raw scraped dumps (HTML, plain text, JSONL, WARC/WET) in, clean sentence-split
//! JSONL out.
//!
//! The library is a chain of pure stages over one document:
//! `source -> decode -> extract -> normalize -> strip -> segment -> emit`.
//! [`Pipeline::process`] runs them for one [`Source`]; [`run`] owns files, threads, ordering
//! and the progress bar. The CLI in `main.rs` is a thin layer over both.

pub mod block;
pub mod config;
pub mod decode;
pub mod emit;
pub mod error;
pub mod eval;
pub mod extract;
pub mod fuzz_checks;
pub mod hash;
pub mod lang;
pub mod normalize;
pub mod run;
pub mod segment;
pub mod source;
pub mod strip;
pub mod text;
pub mod train;

use std::time::Instant;

pub use block::{Block, BlockKind, Doc, Format, Verdict};
pub use config::PipelineConfig;
pub use emit::Record;
pub use error::{DocError, ErrorKind};
pub use source::{FormatHint, Source};

/// A compiled pipeline: configuration plus everything derived from it once (patterns,
/// abbreviation tables). Cheap to share between threads.
pub struct Pipeline {
    pub config: PipelineConfig,
    rules: strip::Rules,
    /// The learned block classifier of the HTML path, if the config names one.
    model: Option<strip::model::Model>,
    /// The learned line classifier of the text path, if the config names one.
    text_model: Option<strip::model::Model>,
    splitter: segment::Splitter,
    /// Lines learned as repeated across a batch (first pass of `run`), if any.
    repeated: Option<strip::repeated::RepeatedLines>,
    /// Fixed `added` timestamp of this run (RFC 3339).
    added: String,
}

/// A document after every stage but emission: what `inspect` shows.
pub struct Processed {
    pub text: decode::Decoded,
    pub doc: Doc,
    pub lang: Option<String>,
}

impl Pipeline {
    pub fn from_config(config: PipelineConfig) -> Result<Self, config::ConfigError> {
        let rules = strip::Rules::compile(&config)?;
        let model = match config.model.blocks.as_str() {
            "" => None,
            spec => Some(strip::model::Model::load(spec)?),
        };
        let text_model = match config.model.text_blocks.as_str() {
            "" => None,
            spec => Some(strip::textmodel::load(spec)?),
        };
        let splitter = segment::Splitter::new();
        Ok(Pipeline {
            config,
            rules,
            model,
            text_model,
            splitter,
            repeated: None,
            added: emit::run_timestamp(),
        })
    }

    /// Use lines learned in a first pass over the batch.
    pub fn with_repeated(mut self, repeated: strip::repeated::RepeatedLines) -> Self {
        self.repeated = Some(repeated);
        self
    }

    /// Override the `added` timestamp (tests, reproducible runs).
    pub fn with_added(mut self, added: String) -> Self {
        self.added = added;
        self
    }

    pub fn rules(&self) -> &strip::Rules {
        &self.rules
    }

    pub fn splitter(&self) -> &segment::Splitter {
        &self.splitter
    }

    /// Decode and extract only: the input of the strip stage (also used by the first pass
    /// that learns repeated lines).
    pub fn extract(&self, src: &Source) -> Result<(decode::Decoded, Doc), DocError> {
        self.extract_from(src, None)
    }

    /// [`Pipeline::extract`]; with `owned`, the document's bytes handed over (then
    /// `src.bytes` is not read), which the decoded text takes over when it can.
    fn extract_from(
        &self,
        src: &Source,
        owned: Option<Vec<u8>>,
    ) -> Result<(decode::Decoded, Doc), DocError> {
        let started = Instant::now();
        let limits = &self.config.limits;
        let len = owned.as_ref().map_or(src.bytes.len(), Vec::len);
        if len as u64 > limits.max_decompressed_bytes {
            return Err(DocError::new(
                ErrorKind::TooLarge,
                format!(
                    "document is {} bytes, over limits.max_decompressed_bytes = {}",
                    len, limits.max_decompressed_bytes
                ),
            ));
        }
        let declared = src.charset_hint.as_deref();
        let text = match owned {
            Some(bytes) => decode::decode_owned(bytes, src.hint, declared)?,
            None => decode::decode(&src.bytes, src.hint, declared)?,
        };
        let mut doc = extract::extract(&text, &self.config, src.url.as_deref())?;
        check_time(started, limits.max_time_ms, "extract")?;
        if doc.meta.url.is_none() {
            doc.meta.url = src.url.clone();
        }
        normalize::normalize_doc(&mut doc);
        Ok((text, doc))
    }

    /// Decode and extract a document for the first pass of batch learning, only when it is
    /// a text dump (HTML documents are not learned from: their DOM tells more).
    pub fn extract_text_only(&self, src: &Source) -> Option<Doc> {
        if src.bytes.len() as u64 > self.config.limits.max_decompressed_bytes {
            return None;
        }
        // Most batches are HTML: tell them from the raw bytes, without decoding the page.
        if src.hint == FormatHint::Html || decode::head_sniffs_html(&src.bytes) {
            return None;
        }
        let text = decode::decode(&src.bytes, src.hint, src.charset_hint.as_deref()).ok()?;
        if text.format != Format::Text {
            return None;
        }
        let mut doc = extract::text::extract(&text.string);
        normalize::normalize_doc(&mut doc);
        Some(doc)
    }

    /// Every stage up to segmentation; the document keeps all its blocks with verdicts.
    pub fn analyze(&self, src: &Source) -> Result<Processed, DocError> {
        self.analyze_from(src, None)
    }

    /// [`Pipeline::analyze`]; `owned` as for [`Pipeline::extract_from`].
    fn analyze_from(&self, src: &Source, owned: Option<Vec<u8>>) -> Result<Processed, DocError> {
        let started = Instant::now();
        let (text, mut doc) = self.extract_from(src, owned)?;
        let lang = lang::detect(&doc, &self.config.segment.default_lang);
        let ctx = strip::Context {
            format: text.format,
            lang: lang.as_deref(),
            group: src.group(),
            repeated: self.repeated.as_ref(),
            model: match text.format {
                Format::Html => self.model.as_ref(),
                Format::Text => self.text_model.as_ref(),
            }
            .map(|m| (m, strip::Thresholds::of(&self.config.model, text.format))),
        };
        strip::classify(&mut doc, &self.rules, &ctx);
        check_time(started, self.config.limits.max_time_ms, "strip")?;
        Ok(Processed { text, doc, lang })
    }

    /// Run one source through every stage and build its output record.
    pub fn process(&self, src: &Source) -> Result<Record, DocError> {
        self.process_from(src, None)
    }

    /// [`Pipeline::process`] of a source whose bytes are handed over as `bytes` (`src.bytes`
    /// is not read: `run` takes them out of the source): a page that is UTF-8 already
    /// becomes the decoded text without a copy. The record is the same.
    pub fn process_owned(&self, src: &Source, bytes: Vec<u8>) -> Result<Record, DocError> {
        self.process_from(src, Some(bytes))
    }

    fn process_from(&self, src: &Source, owned: Option<Vec<u8>>) -> Result<Record, DocError> {
        let started = Instant::now();
        let p = self.analyze_from(src, owned)?;
        let rec = emit::build_record(self, src, p);
        check_time(started, self.config.limits.max_time_ms, "segment")?;
        Ok(rec)
    }

    pub(crate) fn added(&self) -> &str {
        &self.added
    }
}

fn check_time(started: Instant, max_ms: u64, stage: &str) -> Result<(), DocError> {
    let ms = started.elapsed().as_millis() as u64;
    if max_ms > 0 && ms > max_ms {
        return Err(DocError::new(
            ErrorKind::Timeout,
            format!("{stage} took {ms} ms, over limits.max_time_ms = {max_ms}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe() -> Pipeline {
        Pipeline::from_config(PipelineConfig::default()).unwrap()
    }

    #[test]
    fn raw_head_sniff_agrees_with_decoding() {
        let long_para = "<p>Lorem ipsum dolor sit amet, quite a long paragraph.</p>\n".repeat(60);
        let cases: Vec<Vec<u8>> = vec![
            format!("  \n<!DOCTYPE html><html><body>{long_para}</body></html>").into_bytes(),
            b"<div><p>short</p><br><span>x</span></div>".to_vec(),
            b"Just a plain text dump.\nSecond line of it.\n".to_vec(),
            // non-ASCII inside the sniff window: decide by decoding
            "<p>caf\u{e9}</p><div><br>".as_bytes().to_vec(),
            // UTF-16 with a BOM
            [0xFF, 0xFE]
                .into_iter()
                .chain(
                    "<html><body>x</body></html>"
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes),
                )
                .collect(),
        ];
        let expected = [true, true, false, false, false];
        for (bytes, want) in cases.iter().zip(expected) {
            let quick = decode::head_sniffs_html(bytes);
            assert_eq!(quick, want, "{:?}", String::from_utf8_lossy(&bytes[..20]));
            if quick {
                let d = decode::decode(bytes, FormatHint::Auto, None).unwrap();
                assert_eq!(d.format, Format::Html);
            }
        }
    }

    #[test]
    fn first_pass_skips_html_and_reads_text_dumps() {
        let p = pipe();
        let html = Source::from_bytes(
            "a.html",
            b"<html><body><p>Hello there.</p></body></html>".to_vec(),
        );
        assert!(p.extract_text_only(&html).is_none());
        let mut hinted = Source::from_bytes("b", b"Plain words only, nothing else.".to_vec());
        hinted.hint = FormatHint::Html;
        assert!(p.extract_text_only(&hinted).is_none());
        let text = Source::from_bytes(
            "c.txt",
            b"First line of a dump.\n\nSecond block here.".to_vec(),
        );
        let doc = p
            .extract_text_only(&text)
            .expect("text dumps are learned from");
        assert!(!doc.blocks.is_empty());
    }
}
