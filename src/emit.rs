//! Output records and their files: the `documents.jsonl` record schema (Dolma/datatrove
//! style), error records, the run summary, and atomic writers (temporary name, then rename).
//!
//! Building a record from a processed document is here too: assembling `text` from the kept
//! blocks, its sentences, the comments and the list of removals.

use crate::block::{BlockKind, Verdict};
use crate::source::Source;
use crate::{Pipeline, Processed};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One line of `documents.jsonl`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record {
    pub id: String,
    pub text: String,
    pub source: String,
    pub added: String,
    pub created: Option<String>,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metadata {
    pub path: String,
    pub record: Option<u64>,
    /// Id carried by the input (JSONL `id`, WARC-Record-ID), if any.
    pub source_id: Option<String>,
    pub format: crate::block::Format,
    pub charset: &'static str,
    pub charset_source: &'static str,
    pub url: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub site: Option<String>,
    pub lang: Option<String>,
    pub sentences: Vec<String>,
    pub comments: Vec<Comment>,
    pub removed: Vec<Removed>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comment {
    pub author: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Removed {
    pub category: String,
    pub reason: String,
    pub chars: usize,
    pub preview: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub bytes_in: u64,
    pub chars_out: usize,
    pub blocks_kept: usize,
    pub blocks_dropped: usize,
    pub mojibake_repaired: usize,
}

/// One line of `errors.jsonl`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorRecord {
    pub id: String,
    pub path: String,
    pub record: Option<u64>,
    pub error: &'static str,
    pub message: String,
}

impl ErrorRecord {
    pub fn new(path: &str, record: Option<u64>, err: &crate::DocError) -> Self {
        ErrorRecord {
            id: format!("{path}#{}", record.unwrap_or(0)),
            path: path.to_string(),
            record,
            error: err.kind.as_str(),
            message: err.message.clone(),
        }
    }
}

/// Separator between two kept blocks in `text`: lines of one list or table stay together.
fn separator(prev: BlockKind, next: BlockKind) -> &'static str {
    match (prev, next) {
        (BlockKind::ListItem, BlockKind::ListItem) | (BlockKind::TableRow, BlockKind::TableRow) => {
            "\n"
        }
        _ => "\n\n",
    }
}

/// The clean text of a processed document (kept blocks, title excluded).
pub fn assemble_text(p: &Processed) -> String {
    let mut text = String::new();
    let mut prev: Option<BlockKind> = None;
    for b in p.doc.blocks.iter().filter(|b| in_text(b)) {
        if let Some(pk) = prev {
            text.push_str(separator(pk, b.kind));
        }
        text.push_str(&b.text);
        prev = Some(b.kind);
    }
    text
}

fn in_text(b: &crate::block::Block) -> bool {
    b.verdict.is_keep() && b.kind != BlockKind::Title
}

/// Build the output record of a processed document.
pub fn build_record(pipe: &Pipeline, src: &Source, p: Processed) -> Record {
    let text = assemble_text(&p);
    let lang = p.lang.clone();
    let seg_lang = lang
        .clone()
        .unwrap_or_else(|| pipe.config.segment.default_lang.clone());
    let mut sentences = Vec::new();
    for b in p.doc.blocks.iter().filter(|b| in_text(b)) {
        if b.kind == BlockKind::Code {
            sentences.extend(
                b.text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            );
        } else {
            sentences.extend(
                pipe.splitter()
                    .split(&b.text, &seg_lang)
                    .into_iter()
                    .map(str::to_string),
            );
        }
    }
    let mut comments: Vec<Comment> = Vec::new();
    let mut removed = Vec::new();
    let preview_chars = pipe.config.strip.preview_chars;
    let mut kept = 0;
    let mut dropped = 0;
    for b in &p.doc.blocks {
        match &b.verdict {
            Verdict::Keep => kept += 1,
            Verdict::Comment { author } => {
                dropped += 1;
                match comments.last_mut() {
                    Some(c) if author.is_none() => {
                        c.text.push_str("\n\n");
                        c.text.push_str(&b.text);
                    }
                    _ => comments.push(Comment {
                        author: author.clone(),
                        text: b.text.clone(),
                    }),
                }
            }
            Verdict::Drop(d) | Verdict::CommentMeta(d) => {
                dropped += 1;
                removed.push(Removed {
                    category: d.category.clone(),
                    reason: d.reason.clone(),
                    chars: b.features.chars,
                    preview: crate::text::preview(&b.text, preview_chars),
                });
            }
        }
    }
    for c in &p.doc.cuts {
        removed.push(Removed {
            category: c.drop.category.clone(),
            reason: c.drop.reason.clone(),
            chars: c.text.chars().count(),
            preview: crate::text::preview(&c.text, preview_chars),
        });
    }
    let meta = p.doc.meta;
    Record {
        id: src.id(),
        source: pipe.config.name.clone(),
        added: pipe.added().to_string(),
        created: meta.date,
        metadata: Metadata {
            path: src.path.clone(),
            record: src.record,
            source_id: src.source_id.clone(),
            format: p.text.format,
            charset: p.text.charset,
            charset_source: p.text.charset_source.as_str(),
            url: meta.url.or_else(|| src.url.clone()),
            title: meta.title,
            author: meta.author,
            site: meta.site,
            lang,
            sentences,
            comments,
            removed,
            stats: Stats {
                bytes_in: src.bytes_in,
                chars_out: text.chars().count(),
                blocks_kept: kept,
                blocks_dropped: dropped,
                mojibake_repaired: p.text.mojibake_repaired,
            },
        },
        text,
    }
}

/// Counts and timings of a run: `summary.json`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, Default, PartialEq)]
pub struct Summary {
    pub inputs: u64,
    pub documents: u64,
    pub errors: u64,
    pub bytes_in: u64,
    pub chars_kept: u64,
    pub chars_removed: u64,
    pub removed_by_category: BTreeMap<String, u64>,
    pub errors_by_kind: BTreeMap<String, u64>,
    pub comments: u64,
    pub wall_seconds: f64,
    pub docs_per_second: f64,
    pub jobs: usize,
    pub pipeline: String,
}

impl Summary {
    pub fn add_record(&mut self, r: &Record) {
        self.inputs += 1;
        self.documents += 1;
        self.bytes_in += r.metadata.stats.bytes_in;
        self.chars_kept += r.metadata.stats.chars_out as u64;
        self.comments += r.metadata.comments.len() as u64;
        for rem in &r.metadata.removed {
            self.chars_removed += rem.chars as u64;
            *self
                .removed_by_category
                .entry(rem.category.clone())
                .or_default() += 1;
        }
    }

    pub fn add_error(&mut self, e: &ErrorRecord) {
        self.inputs += 1;
        self.errors += 1;
        *self.errors_by_kind.entry(e.error.to_string()).or_default() += 1;
    }

    /// One paragraph for humans.
    pub fn paragraph(&self) -> String {
        let mut cats: Vec<String> = self
            .removed_by_category
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        if cats.is_empty() {
            cats.push("nothing".into());
        }
        format!(
            "gristmill: {} inputs -> {} documents, {} errors in {:.2}s ({:.1} docs/s, {} jobs). \
             Kept {} chars, removed {} chars; removed blocks: {}. {} comments set aside.",
            self.inputs,
            self.documents,
            self.errors,
            self.wall_seconds,
            self.docs_per_second,
            self.jobs,
            self.chars_kept,
            self.chars_removed,
            cats.join(", "),
            self.comments
        )
    }
}

/// A JSONL file written under a temporary name and renamed into place on [`finish`].
///
/// [`finish`]: AtomicJsonl::finish
pub struct AtomicJsonl {
    tmp: PathBuf,
    dest: PathBuf,
    out: BufWriter<File>,
}

impl AtomicJsonl {
    pub fn create(dest: &Path) -> std::io::Result<Self> {
        let tmp = tmp_name(dest);
        let out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        Ok(AtomicJsonl {
            tmp,
            dest: dest.to_path_buf(),
            out,
        })
    }

    /// Reopen the temporary file of an interrupted run (resume): it is cut back to
    /// `keep_bytes`, the length recorded after the last chunk that was fully written, and
    /// writing goes on from there. Fails if the file is shorter than that.
    pub fn append(dest: &Path, keep_bytes: u64) -> std::io::Result<Self> {
        let tmp = tmp_name(dest);
        let f = std::fs::OpenOptions::new().write(true).open(&tmp)?;
        let len = f.metadata()?.len();
        if len < keep_bytes {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "{} has {len} bytes, fewer than the {keep_bytes} recorded",
                    tmp.display()
                ),
            ));
        }
        f.set_len(keep_bytes)?;
        let mut f = f;
        use std::io::Seek;
        f.seek(std::io::SeekFrom::End(0))?;
        Ok(AtomicJsonl {
            tmp,
            dest: dest.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, f),
        })
    }

    pub fn write<T: Serialize>(&mut self, v: &T) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, v)?;
        self.out.write_all(b"\n")
    }

    /// Write one line that is already JSON (merging earlier output).
    pub fn write_raw_line(&mut self, line: &str) -> std::io::Result<()> {
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    /// Flush and return the number of bytes written to the temporary file so far.
    pub fn flushed_len(&mut self) -> std::io::Result<u64> {
        self.out.flush()?;
        Ok(self.out.get_ref().metadata()?.len())
    }

    /// The temporary file being written.
    pub fn tmp_path(&self) -> &Path {
        &self.tmp
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        std::fs::rename(&self.tmp, &self.dest)
    }
}

/// The temporary name of `dest` while it is being written (`<name>.tmp`).
pub fn tmp_name(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    dest.with_file_name(name)
}

/// Write a JSON value atomically (temporary name, then rename).
pub fn write_json_atomic<T: Serialize>(dest: &Path, v: &T) -> std::io::Result<()> {
    let tmp = tmp_name(dest);
    {
        let mut f = BufWriter::new(File::create(&tmp)?);
        serde_json::to_writer_pretty(&mut f, v)?;
        f.write_all(b"\n")?;
        f.flush()?;
    }
    std::fs::rename(tmp, dest)
}

/// The run's `added` timestamp: `SOURCE_DATE_EPOCH` when set (reproducible runs), else now.
pub fn run_timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    rfc3339(secs)
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_763_337_600), "2025-11-17T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
