//! Inputs: walking files and folders, decompression, JSONL rows and WARC/WET records.
//!
//! [`Sources`] is a lazy iterator: it never holds more than one document (or one container
//! row) in memory, so a 5 GB folder or dump streams through. Every input ends up as exactly
//! one [`Item`]: a document to process, or an error that becomes an error record. This module
//! does not decode charsets or parse HTML.

use crate::config::Limits;
use crate::error::{DocError, ErrorKind};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What the user said about the input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FormatHint {
    /// Sniff from the file name and the content.
    #[default]
    Auto,
    Html,
    Text,
    /// Every input is a JSONL dump with an `html` or `text` field per row.
    Jsonl,
}

/// One document's raw bytes and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Input path as given (lossy UTF-8), or `-` for stdin.
    pub path: String,
    /// Row or record number inside a container (JSONL line, WARC record), else `None`.
    pub record: Option<u64>,
    pub bytes: Vec<u8>,
    pub url: Option<String>,
    /// An id carried by the input itself (JSONL `id` field, WARC-Record-ID).
    pub source_id: Option<String>,
    /// Format known from the container (JSONL `html` vs `text`, WARC response vs conversion).
    pub hint: FormatHint,
    /// Charset declared outside the bytes (HTTP `Content-Type` in WARC).
    pub charset_hint: Option<String>,
    /// Size of the input before decompression.
    pub bytes_in: u64,
}

impl Source {
    /// A source from bytes in memory (tests, library users).
    pub fn from_bytes(path: &str, bytes: Vec<u8>) -> Self {
        Source {
            path: path.to_string(),
            record: None,
            bytes_in: bytes.len() as u64,
            bytes,
            url: None,
            source_id: None,
            hint: FormatHint::Auto,
            charset_hint: None,
        }
    }

    /// Stable record id: the path, plus `#N` for the N-th record of a container.
    pub fn id(&self) -> String {
        format!("{}#{}", self.path, self.record.unwrap_or(0))
    }

    /// Group key for batch learning: the URL's host when known, else the parent folder.
    pub fn group(&self) -> &str {
        if let Some(host) = self.url.as_deref().and_then(url_host) {
            return host;
        }
        if self.record.is_some() {
            return &self.path;
        }
        match self.path.rfind('/') {
            Some(i) => &self.path[..i],
            None => "",
        }
    }
}

/// The host part of an http(s) URL.
pub fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    (!host.is_empty()).then_some(host.trim_start_matches("www."))
}

/// One input: a document, or an error for an input that cannot become one.
#[derive(Debug)]
pub enum Item {
    Doc(Source),
    Error {
        path: String,
        record: Option<u64>,
        error: DocError,
    },
}

impl Item {
    pub fn bytes_in(&self) -> u64 {
        match self {
            Item::Doc(s) => s.bytes_in,
            Item::Error { .. } => 0,
        }
    }

    /// Bytes this item holds in memory (decompressed size, not the size on disk).
    pub fn mem_bytes(&self) -> u64 {
        match self {
            Item::Doc(s) => s.bytes.len() as u64,
            Item::Error { error, .. } => error.message.len() as u64,
        }
    }
}

enum Pending {
    Path(PathBuf),
    Stdin,
}

/// An open container being read row by row.
enum Container {
    Jsonl {
        path: String,
        reader: Box<dyn BufRead + Send>,
        row: u64,
    },
    Warc {
        path: String,
        reader: Box<dyn BufRead + Send>,
        record: u64,
    },
}

/// Decides, per input file, whether it is read: called with the path as shown in records
/// and the file's metadata; `false` skips the file (incremental runs).
pub type FileFilter = Box<dyn FnMut(&str, &std::fs::Metadata) -> bool + Send>;

/// Lazy iterator over every input document in order.
pub struct Sources {
    filter: Option<FileFilter>,
    /// Inputs still to pass over without reading their documents (resume).
    skip: u64,
    pending: Vec<Pending>,
    container: Option<Container>,
    visited_dirs: HashSet<PathBuf>,
    limits: Limits,
    hint: FormatHint,
    /// Yield only documents that may be text dumps (see [`Sources::text_only`]).
    text_only: bool,
    /// Documents (and errors) yielded so far.
    pub yielded: u64,
}

impl Sources {
    /// Inputs are files, folders (walked recursively, sorted by name) or `-` for stdin.
    pub fn new(inputs: &[PathBuf], hint: FormatHint, limits: Limits) -> Self {
        let mut pending: Vec<Pending> = inputs
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Pending::Stdin
                } else {
                    Pending::Path(p.clone())
                }
            })
            .collect();
        pending.reverse();
        Sources {
            filter: None,
            skip: 0,
            pending,
            container: None,
            visited_dirs: HashSet::new(),
            limits,
            hint,
            text_only: false,
            yielded: 0,
        }
    }

    /// Pass over the first `n` inputs without reading their documents or parsing their
    /// rows (they are still counted exactly as a full read would count them).
    pub fn skip_inputs(mut self, n: u64) -> Self {
        self.skip = n;
        self
    }

    /// What a skipped input yields: nothing is read for it.
    fn skipped(path: &str) -> Item {
        Item::Error {
            path: path.to_string(),
            record: None,
            error: DocError::new(ErrorKind::Io, "skipped"),
        }
    }

    /// Pass over single-file documents that are surely HTML (by name, or by the first
    /// buffered bytes, decompressed) without reading them whole, and over errors: what the
    /// first pass of batch learning needs, which learns from text dumps only.
    pub fn text_only(mut self) -> Self {
        self.text_only = true;
        self
    }

    /// Read only the files `filter` accepts.
    pub fn with_filter(mut self, filter: FileFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Next row of the open container; `None` (and the container closed) at its end.
    fn next_from_container(&mut self) -> Option<Item> {
        let limit = self
            .limits
            .max_line_bytes
            .max(self.limits.max_decompressed_bytes);
        loop {
            let item = match self.container.as_mut()? {
                Container::Jsonl { path, reader, row } => {
                    match read_line_limited(reader.as_mut(), self.limits.max_line_bytes) {
                        Ok(None) => None,
                        Ok(Some(Line::TooLong(n))) => {
                            *row += 1;
                            Some(Item::Error {
                                path: path.clone(),
                                record: Some(*row - 1),
                                error: DocError::new(
                                    ErrorKind::TooLarge,
                                    format!(
                                        "JSONL row of {n} bytes is over limits.max_line_bytes = {}",
                                        self.limits.max_line_bytes
                                    ),
                                ),
                            })
                        }
                        Ok(Some(Line::Bytes(line))) => {
                            *row += 1;
                            if line.iter().all(u8::is_ascii_whitespace) {
                                continue; // blank lines separate rows; they are not rows
                            }
                            if self.skip > 0 {
                                Some(Self::skipped(path))
                            } else {
                                Some(jsonl_row(path, *row - 1, &line, self.hint))
                            }
                        }
                        Err(e) => {
                            let item = Item::Error {
                                path: path.clone(),
                                record: Some(*row),
                                error: read_error(&e),
                            };
                            self.container = None;
                            return Some(item);
                        }
                    }
                }
                Container::Warc {
                    path,
                    reader,
                    record,
                } => match warc::next_record(reader.as_mut(), limit) {
                    Ok(None) => None,
                    Ok(Some(warc::Next::Skip)) => continue,
                    Ok(Some(warc::Next::Doc(mut src))) => {
                        src.path = path.clone();
                        src.record = Some(*record);
                        *record += 1;
                        Some(Item::Doc(src))
                    }
                    Err(error) => {
                        let item = Item::Error {
                            path: path.clone(),
                            record: Some(*record),
                            error,
                        };
                        // A broken record leaves the stream at an unknown offset: stop here.
                        self.container = None;
                        return Some(item);
                    }
                },
            };
            if item.is_none() {
                self.container = None;
            }
            return item;
        }
    }

    fn open_path(&mut self, path: PathBuf) -> Option<Item> {
        let shown = path.to_string_lossy().into_owned();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                return Some(Item::Error {
                    path: shown,
                    record: None,
                    error: read_error(&e),
                })
            }
        };
        if meta.is_dir() {
            let canon = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !self.visited_dirs.insert(canon) {
                return None; // symlink loop or folder already walked
            }
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(&path) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    return Some(Item::Error {
                        path: shown,
                        record: None,
                        error: read_error(&e),
                    })
                }
            };
            entries.retain(|p| !is_hidden(p));
            entries.sort();
            for e in entries.into_iter().rev() {
                self.pending.push(Pending::Path(e));
            }
            return None;
        }
        if !meta.is_file() {
            return Some(Item::Error {
                path: shown,
                record: None,
                error: DocError::new(ErrorKind::Io, "not a regular file"),
            });
        }
        if let Some(filter) = self.filter.as_mut() {
            if !filter(&shown, &meta) {
                return None;
            }
        }
        if meta.len() > self.limits.max_input_bytes && !is_container_name(&shown) {
            return Some(Item::Error {
                path: shown,
                record: None,
                error: DocError::new(
                    ErrorKind::TooLarge,
                    format!(
                        "file is {} bytes, over limits.max_input_bytes = {}",
                        meta.len(),
                        self.limits.max_input_bytes
                    ),
                ),
            });
        }
        if self.text_only
            && self.skip == 0
            && self.hint == FormatHint::Auto
            && html_by_name_not_container(&shown, &path)
        {
            return None;
        }
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                return Some(Item::Error {
                    path: shown,
                    record: None,
                    error: read_error(&e),
                })
            }
        };
        let mut file = file;
        let expected = expected_size(&shown, &mut file, meta.len());
        match self.gunzip_whole(&shown, &mut file, meta.len(), expected) {
            Ok(Some(item)) => return Some(item),
            Ok(None) => {}
            Err(e) => {
                return Some(Item::Error {
                    path: shown,
                    record: None,
                    error: read_error(&e),
                })
            }
        }
        self.open_reader(shown, Box::new(file), meta.len(), expected)
    }

    /// The usual case of a `.gz` document (one gzip member holding one page) in one go: the
    /// file read whole and inflated by one call into a buffer sized from the size its
    /// trailer records (`expected`), with no buffered reader between them and no zeroing of
    /// the buffer. `Ok(None)`, with the file back at its start, whenever the usual way
    /// ([`Sources::open_reader`]) could answer anything else: a container by its name or
    /// by its first bytes (WARC magic, or a first non-blank `{`), more than one member or
    /// bytes after it, anything corrupt, more than `limits.max_decompressed_bytes`; that way
    /// then reads the file again and gives its own error messages. A member that inflates
    /// without error (its CRC and size checked) is the same bytes either way.
    fn gunzip_whole(
        &self,
        shown: &str,
        file: &mut File,
        len: u64,
        expected: u64,
    ) -> std::io::Result<Option<Item>> {
        use flate2::{Decompress, FlushDecompress, Status};
        if self.skip > 0 || self.text_only || self.hint == FormatHint::Jsonl {
            return Ok(None);
        }
        let name = shown.to_ascii_lowercase();
        let (inner_name, compression) = compression_of(&name);
        if compression != Compression::Gzip || is_container_name(shown) {
            return Ok(None);
        }
        let limit = self.limits.max_decompressed_bytes;
        let inflated = (|| {
            let mut raw = Vec::with_capacity(usize::try_from(len).ok()?.saturating_add(1));
            file.read_to_end(&mut raw).ok()?;
            let mut inflate = Decompress::new_gzip(15);
            let room = usize::try_from(expected.min(limit)).ok()?;
            let mut out = Vec::with_capacity(room.saturating_add(1));
            loop {
                let consumed = usize::try_from(inflate.total_in()).ok()?;
                let before = out.len();
                let status = inflate
                    .decompress_vec(&raw[consumed..], &mut out, FlushDecompress::Finish)
                    .ok()?;
                if out.len() as u64 > limit {
                    return None;
                }
                match status {
                    Status::StreamEnd => break,
                    _ if out.len() == out.capacity() => {
                        // Never more room than the limit and the byte that tells it passed.
                        let left = usize::try_from(limit - out.len() as u64).unwrap_or(usize::MAX);
                        out.reserve(out.len().max(1 << 16).min(left.saturating_add(1)));
                    }
                    _ if out.len() == before => return None,
                    _ => {}
                }
            }
            (inflate.total_in() == raw.len() as u64).then_some(out)
        })();
        let usual_way = match &inflated {
            None => true,
            Some(out) => self.hint == FormatHint::Auto && may_sniff_container(out),
        };
        let out = match inflated {
            Some(out) if !usual_way => out,
            _ => {
                use std::io::{Seek, SeekFrom};
                file.seek(SeekFrom::Start(0))?;
                return Ok(None);
            }
        };
        Ok(Some(Item::Doc(self.page(shown, inner_name, out, len))))
    }

    /// The source of a file read as one page: its bytes (decompressed), `len` bytes on disk,
    /// the format hint of the run or else of the name inside the compression (`inner_name`).
    fn page(&self, shown: &str, inner_name: &str, bytes: Vec<u8>, len: u64) -> Source {
        let mut src = Source::from_bytes(shown, bytes);
        src.bytes_in = len;
        src.hint = self.page_hint(inner_name);
        src
    }

    /// The format hint of a page named `inner_name`: the run's, or the name's on `Auto`.
    fn page_hint(&self, inner_name: &str) -> FormatHint {
        match self.hint {
            FormatHint::Auto => hint_from_name(inner_name),
            h => h,
        }
    }

    /// `expected`: the content's size once decompressed, when known (else 0); a capacity hint.
    fn open_reader(
        &mut self,
        shown: String,
        raw: Box<dyn Read + Send>,
        len: u64,
        expected: u64,
    ) -> Option<Item> {
        let name = shown.to_ascii_lowercase();
        let (inner_name, compression) = compression_of(&name);
        let mut reader: Box<dyn BufRead + Send> = match decompressor(raw, compression) {
            Ok(r) => Box::new(BufReader::with_capacity(1 << 16, r)),
            Err(e) => {
                return Some(Item::Error {
                    path: shown,
                    record: None,
                    error: DocError::new(ErrorKind::Decompression, e.to_string()),
                })
            }
        };
        let kind = match self.hint {
            FormatHint::Jsonl => ContainerKind::Jsonl,
            _ if inner_name.ends_with(".jsonl") || inner_name.ends_with(".ndjson") => {
                ContainerKind::Jsonl
            }
            _ if inner_name.ends_with(".warc") || inner_name.ends_with(".wet") => {
                ContainerKind::Warc
            }
            FormatHint::Auto => sniff_container(reader.as_mut()),
            _ => ContainerKind::None,
        };
        match kind {
            ContainerKind::Jsonl => {
                self.container = Some(Container::Jsonl {
                    path: shown,
                    reader,
                    row: 0,
                });
                None
            }
            ContainerKind::Warc => {
                self.container = Some(Container::Warc {
                    path: shown,
                    reader,
                    record: 0,
                });
                None
            }
            ContainerKind::None if self.skip > 0 => Some(Self::skipped(&shown)),
            ContainerKind::None => {
                let hint = self.page_hint(inner_name);
                if self.text_only
                    && (hint == FormatHint::Html
                        || reader.fill_buf().is_ok_and(crate::decode::head_sniffs_html))
                {
                    return None;
                }
                let limit = self.limits.max_decompressed_bytes;
                Some(match read_limited(reader.as_mut(), limit, expected) {
                    Ok(bytes) => Item::Doc(self.page(&shown, inner_name, bytes, len)),
                    Err(error) => Item::Error {
                        path: shown,
                        record: None,
                        error: match (compression, error.kind) {
                            (Compression::None, ErrorKind::DecompressionLimit) => DocError::new(
                                ErrorKind::TooLarge,
                                format!("input is over limits.max_decompressed_bytes = {limit}"),
                            ),
                            _ => error,
                        },
                    },
                })
            }
        }
    }
}

impl Iterator for Sources {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            let item = if self.container.is_some() {
                self.next_from_container()
            } else {
                match self.pending.pop()? {
                    Pending::Stdin => {
                        let stdin = std::io::stdin();
                        self.open_reader("-".to_string(), Box::new(stdin), 0, 0)
                    }
                    Pending::Path(p) => self.open_path(p),
                }
            };
            if let Some(item) = item {
                self.yielded += 1;
                if self.skip > 0 {
                    self.skip -= 1;
                    continue;
                }
                return Some(item);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ContainerKind {
    None,
    Jsonl,
    Warc,
}

fn compression_of(name: &str) -> (&str, Compression) {
    if let Some(inner) = name.strip_suffix(".gz") {
        (inner, Compression::Gzip)
    } else if let Some(inner) = name.strip_suffix(".zst") {
        (inner, Compression::Zstd)
    } else {
        (name, Compression::None)
    }
}

fn is_container_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let (inner, _) = compression_of(&lower);
    [".jsonl", ".ndjson", ".warc", ".wet"]
        .iter()
        .any(|ext| inner.ends_with(ext))
}

/// Size of a file's content once decompressed, as far as it can be known cheaply: its length
/// when plain, the size a gzip member records in its last four bytes (modulo 4 GiB, and only
/// the last member's), 0 when unknown. Only a capacity hint: a wrong value costs nothing
/// but a reallocation. The file is left at its start.
fn expected_size(name: &str, file: &mut File, len: u64) -> u64 {
    use std::io::{Seek, SeekFrom};
    let (_, compression) = compression_of(&name.to_ascii_lowercase());
    match compression {
        Compression::None => len,
        Compression::Zstd => 0,
        Compression::Gzip if len < 18 => 0,
        Compression::Gzip => {
            let mut tail = [0u8; 4];
            let read = file
                .seek(SeekFrom::End(-4))
                .and_then(|_| file.read_exact(&mut tail));
            if file.seek(SeekFrom::Start(0)).is_err() || read.is_err() {
                return 0;
            }
            u64::from(u32::from_le_bytes(tail))
        }
    }
}

/// For the first pass (`text_only`, format sniffed): whether the file at `path`, named as
/// HTML, surely reads as one HTML document (not a JSONL or WARC container), told from its
/// first decompressed bytes alone. The usual way reads and inflates a whole 64 KiB buffer
/// only to pass the file over; this answers as [`sniff_container`] would on any buffer
/// the stream starts with: not WARC, and the first non-blank byte is not `{`. `false`
/// means "open it the usual way" (also on any error).
fn html_by_name_not_container(shown: &str, path: &Path) -> bool {
    let name = shown.to_ascii_lowercase();
    let (inner, compression) = compression_of(&name);
    if hint_from_name(inner) != FormatHint::Html {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let Ok(mut reader) = decompressor(Box::new(file), compression) else {
        return false;
    };
    let mut head = [0u8; 512];
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return false,
        }
    }
    let head = &head[..n];
    if head.len() < WARC_MAGIC.len() && WARC_MAGIC.starts_with(head) {
        return false;
    }
    !may_sniff_container(head) && head.iter().any(|b| !b.is_ascii_whitespace())
}

/// Whether [`sniff_container`] could take a stream starting with `head` for a container:
/// it starts with the WARC magic, or its first non-blank byte is `{` (a JSONL row).
fn may_sniff_container(head: &[u8]) -> bool {
    head.starts_with(WARC_MAGIC) || head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// The decompressing reader over `raw` for `compression` (`raw` itself when uncompressed).
fn decompressor(
    raw: Box<dyn Read + Send>,
    compression: Compression,
) -> std::io::Result<Box<dyn Read + Send>> {
    Ok(match compression {
        Compression::None => raw,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(raw))),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(raw)?),
    })
}

/// How a WARC file starts.
const WARC_MAGIC: &[u8] = b"WARC/1.";

fn hint_from_name(name: &str) -> FormatHint {
    if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
        FormatHint::Html
    } else {
        FormatHint::Auto
    }
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .map(|n| n.to_string_lossy().starts_with('.'))
        .unwrap_or(false)
}

/// Peek at the start of a stream: a first line that is a JSON object with `html` or `text`
/// makes it JSONL; `WARC/1.` makes it WARC.
fn sniff_container(reader: &mut dyn BufRead) -> ContainerKind {
    let buf = match reader.fill_buf() {
        Ok(b) => b,
        Err(_) => return ContainerKind::None,
    };
    if buf.starts_with(WARC_MAGIC) {
        return ContainerKind::Warc;
    }
    let trimmed = buf
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&buf[..0], |i| &buf[i..]);
    if trimmed.first() == Some(&b'{') {
        let line_end = trimmed
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(trimmed.len());
        if let Ok(serde_json::Value::Object(m)) =
            serde_json::from_slice::<serde_json::Value>(&trimmed[..line_end])
        {
            if m.contains_key("html") || m.contains_key("text") {
                return ContainerKind::Jsonl;
            }
        }
    }
    ContainerKind::None
}

fn read_error(e: &std::io::Error) -> DocError {
    match e.kind() {
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => DocError::new(
            ErrorKind::Decompression,
            format!("corrupt or truncated: {e}"),
        ),
        _ => DocError::new(ErrorKind::Io, e.to_string()),
    }
}

/// Read the whole stream, failing once it passes `limit` bytes.
pub fn read_limited(reader: &mut dyn Read, limit: u64, expected: u64) -> Result<Vec<u8>, DocError> {
    // Room for the expected size and the one byte that tells the limit was passed, so the
    // buffer is not grown (and copied) step by step; never more than the limit.
    let room = expected.min(limit).saturating_add(1);
    let mut out = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    let n = reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| read_error(&e))?;
    if n as u64 > limit {
        return Err(DocError::new(
            ErrorKind::DecompressionLimit,
            format!("decompressed size is over limits.max_decompressed_bytes = {limit}"),
        ));
    }
    Ok(out)
}

enum Line {
    Bytes(Vec<u8>),
    /// The line was longer than the limit; it was skipped. Holds the bytes read.
    TooLong(u64),
}

/// Read one line (without its `\n`), never buffering more than `limit` bytes of it.
fn read_line_limited(reader: &mut dyn BufRead, limit: u64) -> std::io::Result<Option<Line>> {
    let mut line = Vec::new();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            if total == 0 {
                return Ok(None);
            }
            break;
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        total += chunk.len() as u64;
        if total > limit {
            too_long = true;
            line = Vec::new();
        } else if !too_long {
            line.extend_from_slice(chunk);
        }
        let consumed = done.unwrap_or(buf.len());
        reader.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if too_long {
        return Ok(Some(Line::TooLong(total)));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(Line::Bytes(line)))
}

fn jsonl_row(path: &str, row: u64, line: &[u8], hint: FormatHint) -> Item {
    let err = |msg: String| Item::Error {
        path: path.to_string(),
        record: Some(row),
        error: DocError::new(ErrorKind::InvalidRecord, msg),
    };
    let value: serde_json::Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return err(format!("row is not valid JSON: {e}")),
    };
    let obj = match value {
        serde_json::Value::Object(o) => o,
        _ => return err("row is not a JSON object".to_string()),
    };
    let str_field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (body, fmt) = if let Some(h) = str_field("html") {
        (h, FormatHint::Html)
    } else if let Some(t) = str_field("text") {
        (t, FormatHint::Text)
    } else if let Some(c) = str_field("content") {
        (c, FormatHint::Auto)
    } else {
        return err("row has no string field 'html', 'text' or 'content'".to_string());
    };
    let source_id = obj.get("id").and_then(|v| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let bytes = body.into_bytes();
    Item::Doc(Source {
        path: path.to_string(),
        record: Some(row),
        bytes_in: line.len() as u64,
        bytes,
        url: str_field("url"),
        source_id,
        hint: match hint {
            FormatHint::Html | FormatHint::Text => hint,
            _ => fmt,
        },
        charset_hint: Some("utf-8".to_string()),
    })
}

pub mod warc {
    //! A small streaming WARC/WET reader: `response` records (HTTP payload, charset from
    //! `Content-Type`), `resource` records and WET `conversion` records; others are skipped.

    use super::{FormatHint, Source};
    use crate::error::{DocError, ErrorKind};
    use std::io::{BufRead, Read};

    pub enum Next {
        Doc(Source),
        Skip,
    }

    fn bad(msg: impl Into<String>) -> DocError {
        DocError::new(ErrorKind::InvalidWarc, msg)
    }

    /// Read the next record; `Ok(None)` at a clean end of stream.
    pub fn next_record(reader: &mut dyn BufRead, limit: u64) -> Result<Option<Next>, DocError> {
        // Skip blank lines between records.
        let mut first = String::new();
        loop {
            first.clear();
            let n = read_header_line(reader, &mut first)?;
            if n == 0 {
                return Ok(None);
            }
            if !first.trim().is_empty() {
                break;
            }
        }
        if !first.starts_with("WARC/") {
            return Err(bad(format!(
                "expected a WARC version line, found {:?}",
                first.chars().take(40).collect::<String>()
            )));
        }
        let mut rtype = String::new();
        let mut url = None;
        let mut id = None;
        let mut content_type = String::new();
        let mut length: Option<u64> = None;
        loop {
            let mut line = String::new();
            if read_header_line(reader, &mut line)? == 0 {
                return Err(bad("WARC header ends before its blank line"));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let v = v.trim();
                match k.trim().to_ascii_lowercase().as_str() {
                    "warc-type" => rtype = v.to_ascii_lowercase(),
                    "warc-target-uri" => url = Some(v.trim_matches(['<', '>']).to_string()),
                    "warc-record-id" => id = Some(v.to_string()),
                    "content-type" => content_type = v.to_ascii_lowercase(),
                    "content-length" => {
                        length = Some(v.parse().map_err(|_| bad("bad Content-Length"))?)
                    }
                    _ => {}
                }
            }
        }
        let length = length.ok_or_else(|| bad("WARC record without Content-Length"))?;
        if length > limit {
            // Skip the body without holding it, then report.
            std::io::copy(&mut reader.take(length), &mut std::io::sink())
                .map_err(|e| bad(e.to_string()))?;
            return Err(DocError::new(
                ErrorKind::TooLarge,
                format!("WARC record of {length} bytes is over the size limit {limit}"),
            ));
        }
        let mut body = Vec::with_capacity(length as usize);
        reader
            .take(length)
            .read_to_end(&mut body)
            .map_err(|e| bad(e.to_string()))?;
        if (body.len() as u64) < length {
            return Err(bad("WARC record is truncated"));
        }
        let (payload, hint, charset) = match rtype.as_str() {
            "response" if content_type.contains("application/http") => {
                let (headers, payload) = split_http(&body);
                let ct = header_value(headers, "content-type").unwrap_or_default();
                let ctl = ct.to_ascii_lowercase();
                if !(ctl.is_empty() || ctl.contains("html") || ctl.contains("text")) {
                    return Ok(Some(Next::Skip));
                }
                let hint = if ctl.contains("html") {
                    FormatHint::Html
                } else {
                    FormatHint::Auto
                };
                (payload.to_vec(), hint, charset_param(&ctl))
            }
            "resource" | "response" => (body, FormatHint::Auto, charset_param(&content_type)),
            "conversion" => (body, FormatHint::Text, Some("utf-8".to_string())),
            _ => return Ok(Some(Next::Skip)),
        };
        let mut src = Source::from_bytes("", payload);
        src.bytes_in = length;
        src.url = url;
        src.source_id = id;
        src.hint = hint;
        src.charset_hint = charset;
        Ok(Some(Next::Doc(src)))
    }

    fn read_header_line(reader: &mut dyn BufRead, line: &mut String) -> Result<usize, DocError> {
        let mut buf = Vec::new();
        let n = reader
            .take(64 * 1024)
            .read_until(b'\n', &mut buf)
            .map_err(|e| bad(e.to_string()))?;
        line.push_str(&String::from_utf8_lossy(&buf));
        Ok(n)
    }

    fn split_http(body: &[u8]) -> (&[u8], &[u8]) {
        for (i, w) in body.windows(4).enumerate() {
            if w == b"\r\n\r\n" {
                return (&body[..i], &body[i + 4..]);
            }
        }
        for (i, w) in body.windows(2).enumerate() {
            if w == b"\n\n" {
                return (&body[..i], &body[i + 2..]);
            }
        }
        (&body[..0], body)
    }

    fn header_value(headers: &[u8], name: &str) -> Option<String> {
        String::from_utf8_lossy(headers).lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }

    /// `charset=` parameter of a Content-Type value.
    pub fn charset_param(ct: &str) -> Option<String> {
        let i = ct.find("charset=")?;
        let v = ct[i + 8..]
            .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
            .split([';', ' ', '"', '\''])
            .next()?;
        (!v.is_empty()).then(|| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn url_host_strips_www_port_and_userinfo() {
        assert_eq!(url_host("https://www.example.com/a/b"), Some("example.com"));
        assert_eq!(
            url_host("http://u@news.site.org:8080?q"),
            Some("news.site.org")
        );
        assert_eq!(url_host("not a url"), None);
    }

    #[test]
    fn skipped_inputs_count_like_read_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("a.txt"), "one").unwrap();
        std::fs::write(
            p.join("b.jsonl"),
            "{\"text\":\"r0\"}\n\n{bad\n{\"text\":\"r2\"}\n",
        )
        .unwrap();
        std::fs::write(p.join("c.txt"), "").unwrap();
        std::fs::write(p.join("d.txt"), "four").unwrap();
        let ids = |skip: u64| -> Vec<String> {
            Sources::new(&[p.to_path_buf()], FormatHint::Auto, Limits::default())
                .skip_inputs(skip)
                .map(|it| match it {
                    Item::Doc(s) => s.id(),
                    Item::Error { path, record, .. } => format!("{path}#{}", record.unwrap_or(0)),
                })
                .collect()
        };
        let all = ids(0);
        assert_eq!(all.len(), 6);
        for k in 0..=6 {
            assert_eq!(ids(k as u64), all[k..].to_vec(), "skip {k}");
        }
    }

    #[test]
    fn first_pass_passes_over_html_by_name_but_not_containers() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let gz = |name: &str, data: &[u8]| {
            let f = File::create(p.join(name)).unwrap();
            let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap();
        };
        gz("a.html.gz", b"\n  <!doctype html><p>page</p>");
        // Named as HTML but JSONL or WARC inside: still containers, still read.
        gz(
            "b.html.gz",
            b"  {\"text\": \"row zero\"}\n{\"text\": \"row one\"}\n",
        );
        std::fs::write(p.join("c.html"), b"{\"text\": \"plain row\"}\n").unwrap();
        let warc = "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 4\r\n\r\nbody\r\n\r\n";
        gz("d.htm.gz", warc.as_bytes());
        std::fs::write(p.join("e.html"), b"").unwrap();
        std::fs::write(p.join("f.txt"), b"a text dump").unwrap();
        // Blank for longer than the probe: decided the usual way.
        let mut blank = vec![b' '; 2000];
        blank.extend_from_slice(b"<p>late</p>");
        gz("g.html.gz", &blank);
        let ids: Vec<String> =
            Sources::new(&[p.to_path_buf()], FormatHint::Auto, Limits::default())
                .text_only()
                .map(|it| match it {
                    Item::Doc(s) => s.id(),
                    Item::Error { path, .. } => format!("error {path}"),
                })
                .map(|id| id.rsplit('/').next().unwrap_or_default().to_string())
                .collect();
        assert_eq!(
            ids,
            [
                "b.html.gz#0",
                "b.html.gz#1",
                "c.html#0",
                "d.htm.gz#0",
                "f.txt#0"
            ]
        );
    }

    #[test]
    fn long_lines_are_skipped_not_buffered() {
        let data = format!("{}\nshort\n", "x".repeat(100));
        let mut r = Cursor::new(data.into_bytes());
        assert!(matches!(
            read_line_limited(&mut r, 10).unwrap(),
            Some(Line::TooLong(100))
        ));
        match read_line_limited(&mut r, 10).unwrap() {
            Some(Line::Bytes(b)) => assert_eq!(b, b"short"),
            _ => panic!("expected the next line"),
        }
        assert!(read_line_limited(&mut r, 10).unwrap().is_none());
    }

    #[test]
    fn jsonl_rows_carry_format_url_and_id() {
        match jsonl_row(
            "d.jsonl",
            3,
            br#"{"id": 7, "url": "https://x.org/a", "html": "<p>hi</p>"}"#,
            FormatHint::Auto,
        ) {
            Item::Doc(s) => {
                assert_eq!(s.hint, FormatHint::Html);
                assert_eq!(s.source_id.as_deref(), Some("7"));
                assert_eq!(s.id(), "d.jsonl#3");
                assert_eq!(s.group(), "x.org");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            jsonl_row("d.jsonl", 0, b"{broken", FormatHint::Auto),
            Item::Error {
                error: DocError {
                    kind: ErrorKind::InvalidRecord,
                    ..
                },
                ..
            }
        ));
    }

    #[test]
    fn warc_response_and_conversion_records() {
        let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>caf\u{e9}</p>";
        let wet = "plain text body";
        let data = format!(
            "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n\
             WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.com/x\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{}\r\n\r\n\
             WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: {}\r\n\r\n{}\r\n\r\n",
            http.len(), http, wet.len(), wet
        );
        let mut r = Cursor::new(data.into_bytes());
        assert!(matches!(
            warc::next_record(&mut r, 1 << 20),
            Ok(Some(warc::Next::Skip))
        ));
        match warc::next_record(&mut r, 1 << 20) {
            Ok(Some(warc::Next::Doc(s))) => {
                assert_eq!(s.hint, FormatHint::Html);
                assert_eq!(s.charset_hint.as_deref(), Some("iso-8859-1"));
                assert_eq!(s.url.as_deref(), Some("https://a.com/x"));
                assert!(s.bytes.starts_with(b"<p>"));
            }
            _ => panic!("expected the response record"),
        }
        match warc::next_record(&mut r, 1 << 20) {
            Ok(Some(warc::Next::Doc(s))) => assert_eq!(s.bytes, wet.as_bytes()),
            _ => panic!("expected the conversion record"),
        }
        assert!(matches!(warc::next_record(&mut r, 1 << 20), Ok(None)));
    }
}
