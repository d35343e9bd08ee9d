//! A whole run: inputs streamed in order, processed in parallel chunks, written in input
//! order; the progress bar; the summary.
//!
//! Ordering lives here and only here: a reader thread cuts the input stream into chunks
//! (`run.chunk_docs` documents or `run.chunk_bytes` bytes), each chunk is processed with
//! rayon (`par_iter().map().collect()` keeps order), two chunks at a time, and the chunks are
//! written in input order. Memory is bounded by three chunks (one being read, two being
//! processed), each at most `run.chunk_bytes` plus one document; output bytes do not depend
//! on `--jobs`. After each chunk `progress.json` records how far the run got (`--resume`);
//! `inputs.json` remembers every input file's size and mtime (`--incremental`).

use crate::emit::{AtomicJsonl, ErrorRecord, Record, Summary};
use crate::error::{DocError, ErrorKind};
use crate::source::{FormatHint, Item, Sources};
use crate::strip::repeated::RepeatedLines;
use crate::{Pipeline, PipelineConfig};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of `gristmill run`.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    /// Write document records to stdout instead of `documents.jsonl`.
    pub stdout: bool,
    /// Worker threads; 0 means all cores.
    pub jobs: usize,
    pub format: FormatHint,
    /// No progress bar and no summary paragraph.
    pub quiet: bool,
    /// Go on from the progress manifest of an interrupted run in `out_dir`.
    pub resume: bool,
    /// Process only input files that are new or changed since the last run into `out_dir`
    /// and keep the earlier records of the others.
    pub incremental: bool,
}

impl RunOptions {
    /// Options with the defaults of the CLI.
    pub fn new(inputs: Vec<PathBuf>, out_dir: PathBuf) -> Self {
        RunOptions {
            inputs,
            out_dir,
            stdout: false,
            jobs: 0,
            format: FormatHint::Auto,
            quiet: true,
            resume: false,
            incremental: false,
        }
    }
}

/// File of the progress manifest, rewritten atomically after every chunk of a run.
pub const PROGRESS_FILE: &str = "progress.json";
/// File of the incremental manifest: every input file's size and modification time.
pub const INPUTS_FILE: &str = "inputs.json";

/// Where an interrupted run stood after its last complete chunk.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Progress {
    /// Hash of the configuration, inputs and format: a resume must use the same ones.
    fingerprint: String,
    /// The `added` timestamp of the run, kept so resumed records match.
    added: String,
    /// Inputs (documents and errors) fully written.
    inputs_done: u64,
    /// Lengths of `documents.jsonl.tmp` and `errors.jsonl.tmp` after them.
    docs_bytes: u64,
    errors_bytes: u64,
    summary: Summary,
}

/// Size and modification time of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Stamp {
    size: u64,
    mtime_ns: i128,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Stamp {
            size: meta.len(),
            mtime_ns,
        }
    }
}

/// 64-bit FNV-1a: a hash that is the same in every build.
fn fnv64(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// A run-level failure (not a per-document one).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("cannot write output in {path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error("cannot resume: {0}")]
    Resume(String),
    #[error("{0}")]
    Usage(String),
}

fn out_err(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Output {
        path: path.display().to_string(),
        source,
    }
}

/// The outcome of one input.
pub enum Outcome {
    Doc(Box<Record>),
    Error(ErrorRecord),
}

/// Process one input item, turning every failure (and any panic) into an error record.
pub fn process_item(pipe: &Pipeline, item: Item) -> Outcome {
    match item {
        Item::Error {
            path,
            record,
            error,
        } => Outcome::Error(ErrorRecord::new(&path, record, &error)),
        Item::Doc(mut src) => {
            // The bytes go to the decoded text (no copy); the rest of the source stays for
            // the record and for an error record.
            let bytes = std::mem::take(&mut src.bytes);
            let src_ref = &src;
            let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                pipe.process_owned(src_ref, bytes)
            }));
            match res {
                Ok(Ok(rec)) => Outcome::Doc(Box::new(rec)),
                Ok(Err(e)) => Outcome::Error(ErrorRecord::new(&src.path, src.record, &e)),
                Err(panic) => {
                    let msg = panic_message(&*panic);
                    let e = DocError::new(ErrorKind::Internal, format!("stage panicked: {msg}"));
                    Outcome::Error(ErrorRecord::new(&src.path, src.record, &e))
                }
            }
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Cut a stream of items into chunks bounded by count and bytes: a chunk holds at most
/// `max_docs` items and stops growing once it holds `max_bytes` (so it is at most one
/// document over).
pub struct Chunks<I> {
    inner: I,
    max_docs: usize,
    max_bytes: u64,
    /// Document bound of the next chunk: grows from [`Chunks::ramp`]'s start to `max_docs`.
    next_docs: usize,
}

impl<I: Iterator<Item = Item>> Chunks<I> {
    pub fn new(inner: I, max_docs: usize, max_bytes: u64) -> Self {
        let max_docs = max_docs.max(1);
        Chunks {
            inner,
            max_docs,
            max_bytes,
            next_docs: max_docs,
        }
    }

    /// Start with chunks of `first` documents and double the bound after every chunk up
    /// to `max_docs`, so the workers get their first documents soon after the start.
    pub fn ramp(mut self, first: usize) -> Self {
        self.next_docs = first.clamp(1, self.max_docs);
        self
    }
}

impl<I: Iterator<Item = Item>> Iterator for Chunks<I> {
    type Item = Vec<Item>;
    fn next(&mut self) -> Option<Vec<Item>> {
        let mut chunk = Vec::new();
        let mut bytes = 0u64;
        let max_docs = self.next_docs;
        self.next_docs = (max_docs * 2).min(self.max_docs);
        while chunk.len() < max_docs && (chunk.is_empty() || bytes < self.max_bytes) {
            match self.inner.next() {
                Some(item) => {
                    // Memory, not disk: a small .gz can hold a large document.
                    bytes += item.mem_bytes().max(item.bytes_in()).max(1);
                    chunk.push(item);
                }
                None => break,
            }
        }
        (!chunk.is_empty()).then_some(chunk)
    }
}

/// When a reader thread starts and what it tells when it has read everything.
#[derive(Default)]
struct ReaderGate {
    /// Start reading once this yields or disconnects.
    wait_for: Option<std::sync::mpsc::Receiver<()>>,
    /// Dropped once every input has been read.
    read_all: Option<std::sync::mpsc::Sender<()>>,
}

/// Read chunks on a separate thread, at most `depth` ahead of processing, after skipping
/// the first `skip` inputs; the first chunk holds at most `first` documents (see
/// [`Chunks::ramp`]).
#[allow(clippy::too_many_arguments)]
fn chunk_reader(
    opts: &RunOptions,
    cfg: &PipelineConfig,
    depth: usize,
    first: usize,
    skip: u64,
    filter: Option<crate::source::FileFilter>,
    text_only: bool,
    gate: ReaderGate,
) -> std::sync::mpsc::Receiver<Vec<Item>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(depth);
    let mut sources = Sources::new(&opts.inputs, opts.format, cfg.limits.clone()).skip_inputs(skip);
    if let Some(f) = filter {
        sources = sources.with_filter(f);
    }
    if text_only {
        sources = sources.text_only();
    }
    let (docs, bytes) = (cfg.run.chunk_docs, cfg.run.chunk_bytes);
    std::thread::spawn(move || {
        let ReaderGate { wait_for, read_all } = gate;
        if let Some(rx) = wait_for {
            let _ = rx.recv();
        }
        let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for chunk in Chunks::new(sources, docs, bytes).ramp(first) {
                if tx.send(chunk).is_err() {
                    return;
                }
            }
        }));
        // Every input read (or the reader gave up): a reader waiting on this one may start.
        drop(read_all);
        if let Err(panic) = sent {
            // A bug in the reader: say so in errors.jsonl rather than end the run silently.
            let e = DocError::new(
                ErrorKind::Internal,
                format!(
                    "reading inputs stopped ({}); later inputs were not processed",
                    panic_message(&*panic)
                ),
            );
            let _ = tx.send(vec![Item::Error {
                path: "<inputs>".into(),
                record: None,
                error: e,
            }]);
        }
    });
    rx
}

/// First pass: learn lines repeated across the documents of each group (text dumps only;
/// HTML has its DOM features).
/// `chunks` come from a reader started with `text_only`.
fn learn_repeated(
    pipe: &Pipeline,
    chunks: std::sync::mpsc::Receiver<Vec<Item>>,
    pool: &rayon::ThreadPool,
) -> RepeatedLines {
    let mut table = RepeatedLines::new(&pipe.config.strip);
    for chunk in chunks {
        let parts: Vec<RepeatedLines> = pool.install(|| {
            chunk
                .par_chunks(16)
                .map(|items| {
                    let mut t = RepeatedLines::new(&pipe.config.strip);
                    for item in items {
                        if let Item::Doc(src) = item {
                            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                pipe.extract_text_only(src)
                            }));
                            if let Ok(Some(doc)) = r {
                                t.learn_doc(src.group(), &doc);
                            }
                        }
                    }
                    t
                })
                .collect()
        });
        for p in parts {
            table.merge(p);
        }
    }
    table
}

/// Run the pipeline over the inputs and write the output files.
///
/// After every chunk the output files are flushed and `progress.json` records how far the
/// run got, so `resume` can go on after a crash or a kill without writing any input twice.
pub fn run(cfg: PipelineConfig, opts: &RunOptions) -> Result<Summary, RunError> {
    let started = Instant::now();
    if opts.stdout && (opts.resume || opts.incremental) {
        return Err(RunError::Usage(
            "--resume and --incremental need documents.jsonl: drop --stdout".into(),
        ));
    }
    if opts.resume && opts.incremental {
        return Err(RunError::Usage(
            "use --resume or --incremental, not both (an incremental run that was \
             interrupted is simply run again)"
                .into(),
        ));
    }
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    std::fs::create_dir_all(&opts.out_dir).map_err(out_err(&opts.out_dir))?;
    let fingerprint = format!(
        "{:016x}",
        fnv64(format!("{:?}|{:?}|{:?}", cfg, opts.inputs, opts.format).as_bytes())
    );
    let progress_path = opts.out_dir.join(PROGRESS_FILE);
    let resumed = if opts.resume {
        read_progress(&progress_path, &fingerprint)?
    } else {
        None
    };
    let incremental = if opts.incremental {
        Some(Incremental::start(&opts.out_dir))
    } else {
        None
    };
    let mut done = resumed.as_ref().map_or(0, |p| p.inputs_done);

    // Both passes' readers start before the patterns compile, so start-up, the first pass's
    // walk over the inputs and the main pass's first reads overlap. The main reader waits
    // until the first pass has read every input (so at most its chunks are added to the
    // first pass's in memory, and only at its end).
    let rereadable = !opts.inputs.iter().any(|p| p.as_os_str() == "-");
    let first = (2 * jobs).min(cfg.run.chunk_docs);
    let (first_pass, main_gate) = if cfg.strip.repeated && rereadable {
        let (tx, rx) = std::sync::mpsc::channel();
        let gate = ReaderGate {
            wait_for: None,
            read_all: Some(tx),
        };
        let reader = chunk_reader(opts, &cfg, 2, first, 0, None, true, gate);
        let main_gate = ReaderGate {
            wait_for: Some(rx),
            read_all: None,
        };
        (Some(reader), main_gate)
    } else {
        (None, ReaderGate::default())
    };
    let filter = incremental.as_ref().map(Incremental::filter);
    let main_pass = chunk_reader(opts, &cfg, 0, first, done, filter, false, main_gate);

    let mut pipe = Pipeline::from_config(cfg)?;
    if let Some(p) = &resumed {
        pipe = pipe.with_added(p.added.clone());
    }
    if let Some(chunks) = first_pass {
        let table = learn_repeated(&pipe, chunks, &pool);
        pipe = pipe.with_repeated(table);
    }

    // Incremental runs write this run's records beside the earlier ones, then merge.
    let (docs_name, errs_name) = if opts.incremental {
        ("documents.new.jsonl", "errors.new.jsonl")
    } else {
        ("documents.jsonl", "errors.jsonl")
    };
    let docs_path = opts.out_dir.join(docs_name);
    let errs_path = opts.out_dir.join(errs_name);
    let open = |path: &Path, keep: Option<u64>| match keep {
        Some(n) => AtomicJsonl::append(path, n).map_err(|e| {
            RunError::Resume(format!(
                "{}: {e}; run again without --resume",
                crate::emit::tmp_name(path).display()
            ))
        }),
        None => AtomicJsonl::create(path).map_err(out_err(path)),
    };
    let mut docs_out = if opts.stdout {
        None
    } else {
        Some(open(&docs_path, resumed.as_ref().map(|p| p.docs_bytes))?)
    };
    let mut errs_out = open(&errs_path, resumed.as_ref().map(|p| p.errors_bytes))?;
    let stdout = std::io::stdout();
    let mut stdout = std::io::BufWriter::new(stdout.lock());

    let bar = progress_bar(opts.quiet);
    let mut summary = match &resumed {
        Some(p) => p.summary.clone(),
        None => Summary::default(),
    };
    summary.jobs = jobs;
    summary.pipeline = pipe.config.name.clone();
    // Two chunks are in the pool at a time, so the workers never wait at the end of a chunk
    // (the second one fills the gaps) nor while this thread writes a finished chunk; chunks
    // are written in input order. With the reader's rendezvous channel at most three chunks
    // are in memory: two being processed, one being read.
    pool.in_place_scope(|scope| -> Result<(), RunError> {
        let pipe = &pipe;
        let mut chunks = main_pass.into_iter();
        let mut pending = std::collections::VecDeque::new();
        loop {
            while pending.len() < 2 {
                let Some(chunk) = chunks.next() else { break };
                let n = chunk.len() as u64;
                let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
                scope.spawn(move |_| {
                    let outcomes: Vec<Outcome> = chunk
                        .into_par_iter()
                        .map(|it| process_item(pipe, it))
                        .collect();
                    let _ = tx.send(outcomes);
                });
                pending.push_back((n, rx));
            }
            let Some((n, rx)) = pending.pop_front() else {
                return Ok(());
            };
            // A chunk job that sends nothing panicked; the scope passes the panic on.
            let Ok(outcomes) = rx.recv() else {
                return Ok(());
            };
            for o in outcomes {
                match o {
                    Outcome::Doc(rec) => {
                        summary.add_record(&rec);
                        bar.inc(1);
                        match docs_out.as_mut() {
                            Some(w) => w.write(&rec).map_err(out_err(&docs_path))?,
                            None => {
                                serde_json::to_writer(&mut stdout, &rec)
                                    .map_err(|e| out_err(Path::new("<stdout>"))(e.into()))?;
                                stdout
                                    .write_all(b"\n")
                                    .map_err(out_err(Path::new("<stdout>")))?;
                            }
                        }
                    }
                    Outcome::Error(e) => {
                        summary.add_error(&e);
                        bar.inc(1);
                        errs_out.write(&e).map_err(out_err(&errs_path))?;
                    }
                }
            }
            done += n;
            if let Some(w) = docs_out.as_mut() {
                let progress = Progress {
                    fingerprint: fingerprint.clone(),
                    added: pipe.added().to_string(),
                    inputs_done: done,
                    docs_bytes: w.flushed_len().map_err(out_err(&docs_path))?,
                    errors_bytes: errs_out.flushed_len().map_err(out_err(&errs_path))?,
                    summary: summary.clone(),
                };
                crate::emit::write_json_atomic(&progress_path, &progress)
                    .map_err(out_err(&progress_path))?;
            }
            bar.set_message(format!("{:.1} MB", summary.bytes_in as f64 / 1e6));
        }
    })?;
    bar.finish_and_clear();
    stdout.flush().map_err(out_err(Path::new("<stdout>")))?;
    // From here on the run is complete: a kill before the renames loses no record twice.
    if progress_path.exists() {
        std::fs::remove_file(&progress_path).map_err(out_err(&progress_path))?;
    }
    if let Some(w) = docs_out {
        w.finish().map_err(out_err(&docs_path))?;
    }
    errs_out.finish().map_err(out_err(&errs_path))?;
    if let Some(inc) = incremental {
        inc.finish(&opts.out_dir)?;
    }
    summary.wall_seconds = started.elapsed().as_secs_f64();
    summary.docs_per_second = if summary.wall_seconds > 0.0 {
        summary.inputs as f64 / summary.wall_seconds
    } else {
        0.0
    };
    let sum_path = opts.out_dir.join("summary.json");
    crate::emit::write_json_atomic(&sum_path, &summary).map_err(out_err(&sum_path))?;
    Ok(summary)
}

/// The progress manifest of an interrupted run, if there is one for these inputs.
fn read_progress(path: &Path, fingerprint: &str) -> Result<Option<Progress>, RunError> {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(RunError::Resume(format!("{}: {e}", path.display()))),
    };
    let p: Progress = serde_json::from_slice(&data)
        .map_err(|e| RunError::Resume(format!("{}: {e}", path.display())))?;
    if p.fingerprint != fingerprint {
        return Err(RunError::Resume(format!(
            "{} was written for other inputs or another pipeline config; \
             run again without --resume",
            path.display()
        )));
    }
    Ok(Some(p))
}

/// State of an incremental run: the stamps of the last run and those seen now.
struct Incremental {
    old: std::sync::Arc<std::collections::BTreeMap<String, Stamp>>,
    /// Every input file of this run in walk order, with its stamp and whether it changed.
    seen: std::sync::Arc<std::sync::Mutex<Vec<(String, Stamp, bool)>>>,
}

impl Incremental {
    fn start(out_dir: &Path) -> Self {
        let have_output =
            out_dir.join("documents.jsonl").is_file() && out_dir.join("errors.jsonl").is_file();
        let old = std::fs::read(out_dir.join(INPUTS_FILE))
            .ok()
            .filter(|_| have_output)
            .and_then(|d| serde_json::from_slice(&d).ok())
            .unwrap_or_default();
        Incremental {
            old: std::sync::Arc::new(old),
            seen: Default::default(),
        }
    }

    fn filter(&self) -> crate::source::FileFilter {
        let old = self.old.clone();
        let seen = self.seen.clone();
        Box::new(move |path: &str, meta: &std::fs::Metadata| {
            let stamp = Stamp::of(meta);
            let changed = old.get(path) != Some(&stamp);
            if let Ok(mut s) = seen.lock() {
                s.push((path.to_string(), stamp, changed));
            }
            changed
        })
    }

    /// Merge the earlier records of unchanged files with this run's records, in input
    /// order, and write the new manifest.
    fn finish(self, out_dir: &Path) -> Result<(), RunError> {
        let seen = self
            .seen
            .lock()
            .map(|s| s.clone())
            .map_err(|_| RunError::Threads("input list lock poisoned".into()))?;
        let mut rank = std::collections::HashMap::new();
        for (i, (path, _, changed)) in seen.iter().enumerate() {
            rank.insert(path.clone(), (i, *changed));
        }
        for (name, path_of) in [
            (
                "documents",
                doc_path as fn(&serde_json::Value) -> Option<&str>,
            ),
            ("errors", err_path),
        ] {
            let old = out_dir.join(format!("{name}.jsonl"));
            let new = out_dir.join(format!("{name}.new.jsonl"));
            merge_by_rank(&old, &new, &rank, path_of)?;
            std::fs::remove_file(&new).map_err(out_err(&new))?;
        }
        let manifest: std::collections::BTreeMap<String, Stamp> =
            seen.into_iter().map(|(p, s, _)| (p, s)).collect();
        let path = out_dir.join(INPUTS_FILE);
        crate::emit::write_json_atomic(&path, &manifest).map_err(out_err(&path))
    }
}

fn doc_path(v: &serde_json::Value) -> Option<&str> {
    v.get("metadata")?.get("path")?.as_str()
}

fn err_path(v: &serde_json::Value) -> Option<&str> {
    v.get("path")?.as_str()
}

/// Write `old` anew: its lines for files still present and unchanged, merged in input order
/// with every line of `new` (records of paths outside the walk, such as unreadable links,
/// stay where they came in `new`).
fn merge_by_rank(
    old: &Path,
    new: &Path,
    rank: &std::collections::HashMap<String, (usize, bool)>,
    path_of: fn(&serde_json::Value) -> Option<&str>,
) -> Result<(), RunError> {
    use std::io::BufRead;
    let lines = |p: &Path| -> Result<Box<dyn Iterator<Item = std::io::Result<String>>>, RunError> {
        match std::fs::File::open(p) {
            Ok(f) => Ok(Box::new(std::io::BufReader::new(f).lines())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Box::new(std::iter::empty())),
            Err(e) => Err(out_err(p)(e)),
        }
    };
    let path_rank = |line: &str| -> Option<(usize, bool)> {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        rank.get(path_of(&v)?).copied()
    };
    // Earlier records survive only for files present now and unchanged.
    let mut old_it = lines(old)?.filter_map(|l| {
        let l = l.ok()?;
        match path_rank(&l) {
            Some((r, false)) => Some((r, l)),
            _ => None,
        }
    });
    let mut last = 0;
    let mut new_it = lines(new)?.filter_map(|l| {
        let l = l.ok()?;
        last = path_rank(&l).map_or(last, |(r, _)| r);
        Some((last, l))
    });
    let mut out = AtomicJsonl::create(old).map_err(out_err(old))?;
    let (mut a, mut b) = (old_it.next(), new_it.next());
    loop {
        let line = match (&a, &b) {
            (None, None) => break,
            (Some((ra, _)), Some((rb, _))) if ra < rb => a.take(),
            (Some(_), None) => a.take(),
            _ => b.take(),
        };
        if let Some((_, l)) = line {
            out.write_raw_line(&l).map_err(out_err(old))?;
        }
        if a.is_none() {
            a = old_it.next();
        }
        if b.is_none() {
            b = new_it.next();
        }
    }
    out.finish().map_err(out_err(old))
}

fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos} docs  {msg}  {per_sec}  {elapsed_precise}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn doc(disk: u64, mem: usize) -> Item {
        let mut s = Source::from_bytes("x", vec![b'a'; mem]);
        s.bytes_in = disk;
        Item::Doc(s)
    }

    #[test]
    fn chunks_are_bounded_by_memory_not_disk_size() {
        // Small compressed inputs that hold large documents.
        let items = (0..10).map(|_| doc(10, 1000));
        let sizes: Vec<usize> = Chunks::new(items, 100, 2500).map(|c| c.len()).collect();
        assert_eq!(sizes, [3, 3, 3, 1]);
        let items = (0..10).map(|_| doc(10, 1));
        let sizes: Vec<usize> = Chunks::new(items, 4, 1 << 20).map(|c| c.len()).collect();
        assert_eq!(sizes, [4, 4, 2]);
        // A zero byte budget still makes progress, one item per chunk.
        let items = (0..3).map(|_| doc(10, 1));
        assert_eq!(Chunks::new(items, 4, 0).count(), 3);
    }

    #[test]
    fn ramped_chunks_grow_to_the_bound_and_keep_order() {
        let items = (0..40).map(|i| doc(10, i + 1));
        let chunks: Vec<Vec<usize>> = Chunks::new(items, 16, 1 << 20)
            .ramp(2)
            .map(|c| c.iter().map(|it| it.mem_bytes() as usize).collect())
            .collect();
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 4, 8, 16, 10]);
        let flat: Vec<usize> = chunks.concat();
        assert_eq!(flat, (1..=40).collect::<Vec<_>>());
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv64(b"a"), 0xaf63dc4c8601ec8c);
    }
}
