//! A whole run: inputs streamed in order, processed in parallel chunks, written in input
//! order; the progress bar; the summary.
//!
//! Ordering lives here and only here: a reader thread cuts the input stream into chunks
//! (`run.chunk_docs` documents or `run.chunk_bytes` bytes), each chunk is processed with
//! rayon (`par_iter().map().collect()` keeps order) and written before the next one. Memory
//! is bounded by two chunks in flight; output bytes do not depend on `--jobs`.

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
        Item::Doc(src) => {
            let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipe.process(&src)));
            match res {
                Ok(Ok(rec)) => Outcome::Doc(Box::new(rec)),
                Ok(Err(e)) => Outcome::Error(ErrorRecord::new(&src.path, src.record, &e)),
                Err(panic) => {
                    let msg = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".into());
                    let e = DocError::new(ErrorKind::Internal, format!("stage panicked: {msg}"));
                    Outcome::Error(ErrorRecord::new(&src.path, src.record, &e))
                }
            }
        }
    }
}

/// Cut a stream of items into chunks bounded by count and bytes.
pub struct Chunks<I> {
    inner: I,
    max_docs: usize,
    max_bytes: u64,
}

impl<I: Iterator<Item = Item>> Chunks<I> {
    pub fn new(inner: I, max_docs: usize, max_bytes: u64) -> Self {
        Chunks {
            inner,
            max_docs: max_docs.max(1),
            max_bytes,
        }
    }
}

impl<I: Iterator<Item = Item>> Iterator for Chunks<I> {
    type Item = Vec<Item>;
    fn next(&mut self) -> Option<Vec<Item>> {
        let mut chunk = Vec::new();
        let mut bytes = 0u64;
        while chunk.len() < self.max_docs && bytes < self.max_bytes {
            match self.inner.next() {
                Some(item) => {
                    bytes += item.bytes_in().max(1);
                    chunk.push(item);
                }
                None => break,
            }
        }
        (!chunk.is_empty()).then_some(chunk)
    }
}

/// Read chunks on a separate thread, at most `depth` ahead of processing.
fn chunk_reader(
    opts: &RunOptions,
    cfg: &PipelineConfig,
    depth: usize,
) -> std::sync::mpsc::Receiver<Vec<Item>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(depth);
    let sources = Sources::new(&opts.inputs, opts.format, cfg.limits.clone());
    let (docs, bytes) = (cfg.run.chunk_docs, cfg.run.chunk_bytes);
    std::thread::spawn(move || {
        for chunk in Chunks::new(sources, docs, bytes) {
            if tx.send(chunk).is_err() {
                break;
            }
        }
    });
    rx
}

/// First pass: learn lines repeated across the documents of each group (text dumps only;
/// HTML has its DOM features).
pub fn learn_repeated(
    pipe: &Pipeline,
    opts: &RunOptions,
    pool: &rayon::ThreadPool,
) -> RepeatedLines {
    let mut table = RepeatedLines::new(&pipe.config.strip);
    for chunk in chunk_reader(opts, &pipe.config, 2) {
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
pub fn run(cfg: PipelineConfig, opts: &RunOptions) -> Result<Summary, RunError> {
    let started = Instant::now();
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
    let mut pipe = Pipeline::from_config(cfg)?;
    let rereadable = !opts.inputs.iter().any(|p| p.as_os_str() == "-");
    if pipe.config.strip.repeated && rereadable {
        let table = learn_repeated(&pipe, opts, &pool);
        pipe = pipe.with_repeated(table);
    }

    let docs_path = opts.out_dir.join("documents.jsonl");
    let errs_path = opts.out_dir.join("errors.jsonl");
    let mut docs_out = if opts.stdout {
        None
    } else {
        Some(AtomicJsonl::create(&docs_path).map_err(out_err(&docs_path))?)
    };
    let mut errs_out = AtomicJsonl::create(&errs_path).map_err(out_err(&errs_path))?;
    let stdout = std::io::stdout();
    let mut stdout = std::io::BufWriter::new(stdout.lock());

    let bar = progress_bar(opts.quiet);
    let mut summary = Summary {
        jobs,
        pipeline: pipe.config.name.clone(),
        ..Summary::default()
    };
    for chunk in chunk_reader(opts, &pipe.config, 1) {
        let outcomes: Vec<Outcome> = pool.install(|| {
            chunk
                .into_par_iter()
                .map(|it| process_item(&pipe, it))
                .collect()
        });
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
        bar.set_message(format!("{:.1} MB", summary.bytes_in as f64 / 1e6));
    }
    bar.finish_and_clear();
    stdout.flush().map_err(out_err(Path::new("<stdout>")))?;
    if let Some(w) = docs_out {
        w.finish().map_err(out_err(&docs_path))?;
    }
    errs_out.finish().map_err(out_err(&errs_path))?;
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
