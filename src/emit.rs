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

impl Record {
    /// Append the record as JSON, byte for byte what `serde_json::to_writer` writes for it
    /// (fields in declaration order, `None` as `null`, strings escaped as [`json_str`]
    /// escapes them), without going through the serializer's byte-at-a-time string escaping.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"id\":");
        json_str(out, &self.id);
        out.extend_from_slice(b",\"text\":");
        json_str(out, &self.text);
        out.extend_from_slice(b",\"source\":");
        json_str(out, &self.source);
        out.extend_from_slice(b",\"added\":");
        json_str(out, &self.added);
        out.extend_from_slice(b",\"created\":");
        json_opt(out, self.created.as_deref());
        let m = &self.metadata;
        out.extend_from_slice(b",\"metadata\":{\"path\":");
        json_str(out, &m.path);
        out.extend_from_slice(b",\"record\":");
        match m.record {
            Some(n) => json_uint(out, n),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"source_id\":");
        json_opt(out, m.source_id.as_deref());
        out.extend_from_slice(b",\"format\":");
        json_str(
            out,
            match m.format {
                crate::block::Format::Html => "html",
                crate::block::Format::Text => "text",
            },
        );
        out.extend_from_slice(b",\"charset\":");
        json_str(out, m.charset);
        out.extend_from_slice(b",\"charset_source\":");
        json_str(out, m.charset_source);
        for (key, v) in [
            (&b",\"url\":"[..], &m.url),
            (b",\"title\":", &m.title),
            (b",\"author\":", &m.author),
            (b",\"site\":", &m.site),
            (b",\"lang\":", &m.lang),
        ] {
            out.extend_from_slice(key);
            json_opt(out, v.as_deref());
        }
        out.extend_from_slice(b",\"sentences\":[");
        for (i, t) in m.sentences.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_str(out, t);
        }
        out.extend_from_slice(b"],\"comments\":[");
        for (i, c) in m.comments.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"author\":");
            json_opt(out, c.author.as_deref());
            out.extend_from_slice(b",\"text\":");
            json_str(out, &c.text);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"removed\":[");
        for (i, r) in m.removed.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"category\":");
            json_str(out, &r.category);
            out.extend_from_slice(b",\"reason\":");
            json_str(out, &r.reason);
            out.extend_from_slice(b",\"chars\":");
            json_uint(out, r.chars as u64);
            out.extend_from_slice(b",\"preview\":");
            json_str(out, &r.preview);
            out.push(b'}');
        }
        let st = &m.stats;
        out.extend_from_slice(b"],\"stats\":{\"bytes_in\":");
        json_uint(out, st.bytes_in);
        out.extend_from_slice(b",\"chars_out\":");
        json_uint(out, st.chars_out as u64);
        out.extend_from_slice(b",\"blocks_kept\":");
        json_uint(out, st.blocks_kept as u64);
        out.extend_from_slice(b",\"blocks_dropped\":");
        json_uint(out, st.blocks_dropped as u64);
        out.extend_from_slice(b",\"mojibake_repaired\":");
        json_uint(out, st.mojibake_repaired as u64);
        out.extend_from_slice(b"}}}");
    }
}

/// A JSON string as `serde_json` writes one: `"` and `\\` and the control characters
/// escaped (`\b \t \n \f \r` by name, the others as `\u00xx`, lower-case hex), everything
/// else (DEL and all non-ASCII included) as it is. Eight bytes are screened at a time.
fn json_str(out: &mut Vec<u8>, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether some byte of `w` is zero (exact as a whole, whatever the borrows do).
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let w = u64::from_le_bytes(w);
            // A byte below 0x20 (`w - 0x20..` borrows into its high bit while `!w` keeps
            // it), a quote or a backslash.
            let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
            if !control && !has_zero(w ^ (ONES * 0x22)) && !has_zero(w ^ (ONES * 0x5c)) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(b.len());
        while i < end {
            let c = b[i];
            let esc: &[u8] = match c {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                0x0c => b"\\f",
                b'\r' => b"\\r",
                0..=0x1f => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(&b[from..i]);
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[(c >> 4) as usize]);
                    out.push(HEX[(c & 0xf) as usize]);
                    i += 1;
                    from = i;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            out.extend_from_slice(&b[from..i]);
            out.extend_from_slice(esc);
            i += 1;
            from = i;
        }
    }
    out.extend_from_slice(&b[from..]);
    out.push(b'"');
}

/// An optional string: [`json_str`] or `null`.
fn json_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// An unsigned integer in decimal.
fn json_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
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

    /// [`AtomicJsonl::write`] of a document record ([`Record::write_json`]), built in `buf`
    /// (cleared first, kept for the next record).
    pub fn write_record(&mut self, r: &Record, buf: &mut Vec<u8>) -> std::io::Result<()> {
        buf.clear();
        r.write_json(buf);
        buf.push(b'\n');
        self.out.write_all(buf)
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

    fn record(text: &str, some: bool, n: usize) -> Record {
        let opt = |s: &str| some.then(|| s.to_string());
        Record {
            id: format!("{text}#{n}"),
            text: text.to_string(),
            source: "default".into(),
            added: "2023-11-14T22:13:20Z".into(),
            created: opt(text),
            metadata: Metadata {
                path: text.chars().rev().collect(),
                record: some.then_some(n as u64 * 977),
                source_id: opt("<urn:uuid:1>"),
                format: if some {
                    crate::block::Format::Html
                } else {
                    crate::block::Format::Text
                },
                charset: "UTF-8",
                charset_source: "meta",
                url: opt("https://example.com/a?b=\"c\""),
                title: opt(text),
                author: opt("Jane \\ Doe"),
                site: None,
                lang: opt("en"),
                sentences: (0..n).map(|i| format!("{i}: {text}")).collect(),
                comments: (0..n % 3)
                    .map(|i| Comment {
                        author: (i % 2 == 0).then(|| text.to_string()),
                        text: text.repeat(i + 1),
                    })
                    .collect(),
                removed: (0..n % 4)
                    .map(|i| Removed {
                        category: "chrome".into(),
                        reason: format!("pattern '{text}'"),
                        chars: i * 12_345_678,
                        preview: text.chars().take(5).collect(),
                    })
                    .collect(),
                stats: Stats {
                    bytes_in: u64::MAX - n as u64,
                    chars_out: n * 10,
                    blocks_kept: n,
                    blocks_dropped: 0,
                    mojibake_repaired: usize::MAX,
                },
            },
        }
    }

    #[test]
    fn records_are_written_as_serde_json_writes_them() {
        let mut texts: Vec<String> = [
            "",
            "plain ascii text that runs over several eight-byte words",
            "quote \" backslash \\ slash / del \u{7f} nul \u{0}",
            "\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{b}\u{1b}[0m",
            "Größe — 東京 \u{2028}\u{2029} \u{feff} é\u{301} 😀",
            "\"\"\"\"\"\"\"\"\"",
            "abcdefg\"",
            "abcdefgh\\",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let every: String = (0u8..0x80).map(char::from).collect();
        texts.push(every.clone());
        texts.push(every.chars().rev().collect());
        for t in &texts {
            for cut in 0..t.len().min(17) {
                let Some(t) = t.get(cut..) else { continue };
                for (some, n) in [(true, 0), (false, 1), (true, 5), (false, 7)] {
                    let r = record(t, some, n);
                    let mut got = Vec::new();
                    r.write_json(&mut got);
                    let want = serde_json::to_vec(&r).expect("json");
                    assert_eq!(
                        String::from_utf8_lossy(&got),
                        String::from_utf8_lossy(&want)
                    );
                }
            }
        }
    }

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_763_337_600), "2025-11-17T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
