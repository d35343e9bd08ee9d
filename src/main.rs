//! gristmill command line: a thin layer over the library.
//!
//! Exit codes: 0 all inputs processed (some may be error records), 1 usage or configuration
//! error, 2 fatal I/O on the output side.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use gristmill::run::{RunError, RunOptions};
use gristmill::source::FormatHint;
use gristmill::{Pipeline, PipelineConfig};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The CLI allocates like a parser does (every DOM node, attribute and text run, then every
/// block's strings) and frees it all per page, on several threads; mimalloc serves that with
/// about a third of glibc malloc's instructions (callgrind, 60 WCXB pages: -7.6% for the whole
/// run). It is built without transparent huge pages (crate feature `no_thp`): with them it
/// asks the kernel for 2 MiB pages, which are zeroed and resident whole; that tripled system
/// time over 400 pages and put peak RSS over the 300 MB target of `bench/memory.sh --gb 5`
/// (session 6: 318 MB; without them 254 MB against glibc's 231 MB). The library leaves the
/// choice to its caller.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gristmill",
    version,
    about = "Raw scraped dumps in, clean sentence-split JSONL out"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Process inputs (files, folders, `-` for stdin) into documents.jsonl, errors.jsonl and
    /// summary.json.
    Run {
        /// Inputs: files, folders (recursive, sorted) or `-` for stdin.
        #[arg(default_value = "corpus")]
        inputs: Vec<PathBuf>,
        /// Output folder.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Pipeline config (default: pipelines/default.toml, else the built-in defaults).
        #[arg(short, long)]
        pipeline: Option<PathBuf>,
        /// Worker threads (0 = all cores).
        #[arg(short, long, default_value_t = 0)]
        jobs: usize,
        /// Input format.
        #[arg(long, value_enum, default_value_t = FormatHint::Auto)]
        format: FormatHint,
        /// Write document records to stdout (errors and summary still go to --out).
        #[arg(long)]
        stdout: bool,
        /// No progress bar and no summary paragraph.
        #[arg(short, long)]
        quiet: bool,
        /// Go on where an interrupted run into the same --out stopped (same inputs and
        /// pipeline): every input ends up written exactly once.
        #[arg(long, conflicts_with_all = ["incremental", "stdout"])]
        resume: bool,
        /// Process only input files that are new or changed (size or modification time)
        /// since the last run into --out; earlier records of the others are kept, records of
        /// deleted files are dropped.
        #[arg(long, conflicts_with = "stdout")]
        incremental: bool,
    },
    /// Show every block of one document with its kind, verdict and reason.
    Inspect {
        file: PathBuf,
        #[arg(short, long)]
        pipeline: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatHint::Auto)]
        format: FormatHint,
        /// Also print each block's DOM features (link density, main-content score, tag path
        /// and class/id tokens).
        #[arg(long)]
        features: bool,
        /// Characters of each block's text to print; longer texts are cut with "…"
        /// (0 prints every block whole).
        #[arg(long, default_value_t = 120)]
        width: usize,
    },
    /// Score the pipeline on a benchmark: aeb, wcxb-dev, textdump-dev, or a folder of the same
    /// shape.
    Eval {
        dataset: String,
        /// Folder that holds the datasets.
        #[arg(long, default_value = "../shared/bench")]
        data_root: PathBuf,
        /// Write predictions {id: text} here.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(short, long)]
        pipeline: Option<PathBuf>,
        /// Worker threads (0 = all cores).
        #[arg(short, long, default_value_t = 0)]
        jobs: usize,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
        /// sbd only: gold file to score (`en`, `en52`, `de`...) or `all`.
        #[arg(long, default_value = "all")]
        lang: String,
        /// sbd only: list every failed case with what was expected and what came out.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Train the block classifier on a labelled benchmark (development tool): k-fold
    /// cross-validation by page, then the final model on every page, written to --out. An
    /// HTML benchmark trains the HTML model, a text one (textdump-dev) the text-path model.
    #[command(hide = true)]
    Train {
        #[arg(default_value = "wcxb-dev")]
        dataset: String,
        #[arg(long, default_value = "../shared/bench")]
        data_root: PathBuf,
        #[arg(short, long, default_value = "models/blocks.json")]
        out: PathBuf,
        #[arg(short, long)]
        pipeline: Option<PathBuf>,
        #[arg(long, default_value_t = gristmill::train::Params::default().seed)]
        seed: u64,
        /// Trees (default: the model's training default, 125 HTML, 150 text).
        #[arg(long)]
        trees: Option<usize>,
        /// Largest tree depth (default: the model's training default, 6 HTML, 5 text).
        #[arg(long)]
        depth: Option<usize>,
        #[arg(long, default_value_t = gristmill::train::Params::default().folds)]
        folds: usize,
        #[arg(long, default_value_t = gristmill::train::Params::default().learning_rate)]
        learning_rate: f32,
        #[arg(long, default_value_t = gristmill::train::Params::default().min_child_weight)]
        min_child_weight: f64,
        #[arg(long, default_value_t = gristmill::train::Params::default().subsample)]
        subsample: f32,
        #[arg(long, default_value_t = gristmill::train::Params::default().bins)]
        bins: usize,
        /// Share of the features each tree may split on (default: the model's training default).
        #[arg(long)]
        colsample: Option<f32>,
        /// Models averaged into the shipped forest, seeds seed, seed+1, ... (default: the
        /// model's training default).
        #[arg(long)]
        bag: Option<usize>,
        /// Seed of the cross-validation folds (default: the model's training default).
        #[arg(long)]
        fold_seed: Option<u64>,
        /// Cross-validate each of these settings instead of training (`;`-separated lists of
        /// comma-separated overrides of the other options, e.g. "seed=1;bag=3,trees=100").
        #[arg(long)]
        grid: Option<String>,
        /// Also write the out-of-fold predictions `{id: text}` here (per-page CV figures).
        #[arg(long)]
        cv_out: Option<PathBuf>,
    },
    /// Split text from stdin into sentences: one per line, or with --json one JSON array per
    /// input JSONL row {"text": ...}.
    Split {
        #[arg(long, default_value = "en")]
        lang: String,
        #[arg(long)]
        json: bool,
        /// Measure throughput instead: split each document of stdin (documents separated by
        /// a line holding only U+241E, as `eval_sbd.py corpus` writes them) on one thread and
        /// print MB/s as JSON.
        #[arg(long)]
        bench: bool,
        /// With --bench: passes over the corpus.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
}

fn load_config(p: Option<&PathBuf>) -> Result<PipelineConfig, gristmill::config::ConfigError> {
    PipelineConfig::load(p.map(|p| p.as_path()))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors are exit code 1.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gristmill: {e:#}");
            let output_side = e
                .downcast_ref::<RunError>()
                .is_some_and(|r| matches!(r, RunError::Output { .. }));
            ExitCode::from(if output_side { 2 } else { 1 })
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.cmd {
        Cmd::Run {
            inputs,
            out,
            pipeline,
            jobs,
            format,
            stdout,
            quiet,
            resume,
            incremental,
        } => {
            let cfg = load_config(pipeline.as_ref())?;
            let opts = RunOptions {
                inputs,
                out_dir: out,
                stdout,
                jobs,
                format,
                quiet,
                resume,
                incremental,
            };
            let summary = gristmill::run::run(cfg, &opts)?;
            if !quiet {
                eprintln!("{}", summary.paragraph());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Inspect {
            file,
            pipeline,
            format,
            features,
            width,
        } => {
            let cfg = load_config(pipeline.as_ref())?;
            let pipe = Pipeline::from_config(cfg)?;
            inspect(&pipe, &file, format, features, width)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            dataset,
            data_root,
            out,
            pipeline,
            jobs,
            json,
            lang,
            verbose,
        } => {
            if dataset == "sbd" {
                return eval_sbd(&data_root, &lang, out.as_ref(), json, verbose);
            }
            let cfg = load_config(pipeline.as_ref())?;
            let pipe = Pipeline::from_config(cfg)?;
            if jobs > 0 {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(jobs)
                    .build_global()
                    .context("starting worker threads")?;
            }
            let ds = gristmill::eval::load(&dataset, &data_root)?;
            let preds = gristmill::eval::predict(&pipe, &ds);
            if let Some(p) = out {
                let v = gristmill::eval::predictions_json(&ds, &preds);
                std::fs::write(&p, serde_json::to_vec(&v)?)
                    .with_context(|| format!("writing {}", p.display()))?;
            }
            let scores = gristmill::eval::score(&ds, &preds);
            if json {
                println!("{}", serde_json::to_string_pretty(&scores)?);
            } else {
                print!("{}", gristmill::eval::report(&scores));
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Train {
            dataset,
            data_root,
            out,
            pipeline,
            seed,
            trees,
            depth,
            folds,
            learning_rate,
            min_child_weight,
            subsample,
            bins,
            colsample,
            bag,
            fold_seed,
            grid,
            cv_out,
        } => {
            let cfg = load_config(pipeline.as_ref())?;
            let ds = gristmill::eval::load(&dataset, &data_root)?;
            let text = ds.format == gristmill::FormatHint::Text;
            let defaults = gristmill::train::Params::for_config(&cfg.model, text);
            let params = gristmill::train::Params {
                seed,
                trees: trees.unwrap_or(defaults.trees),
                depth: depth.unwrap_or(defaults.depth),
                folds,
                learning_rate,
                min_child_weight,
                subsample,
                bins,
                colsample: colsample.unwrap_or(defaults.colsample),
                bag: bag.unwrap_or(defaults.bag),
                fold_seed: fold_seed.unwrap_or(defaults.fold_seed),
                ..defaults
            };
            if let Some(grid) = grid {
                let settings = grid
                    .split(';')
                    .map(|g| params.with(g))
                    .collect::<Result<Vec<_>, _>>()?;
                let rows = gristmill::train::sweep(&cfg, &ds, &settings)?;
                for (g, (cv, at)) in grid.split(';').zip(rows) {
                    let types: Vec<String> = cv
                        .by_type
                        .iter()
                        .map(|(k, v)| format!("{k} {:.4}", v.f1))
                        .collect();
                    let at: Vec<String> =
                        at.iter().map(|(t, f)| format!("{t:.2}:{f:.4}")).collect();
                    println!(
                        "grid [{}] cv F1 {:.4} P {:.4} R {:.4} | {} | at {}",
                        g.trim(),
                        cv.f1,
                        cv.precision,
                        cv.recall,
                        types.join(", "),
                        at.join(" ")
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            let started = std::time::Instant::now();
            let o = gristmill::train::train(&cfg, &ds, &params)?;
            println!(
                "{} rows, {} trees, {:.1} s\n--- {}-fold cross-validation by page ---\n{}--- in-sample ---\n{}",
                o.rows,
                o.model.trees.len(),
                started.elapsed().as_secs_f64(),
                params.folds,
                gristmill::eval::report(&o.cv),
                gristmill::eval::report(&o.in_sample)
            );
            for (t, f) in &o.cv_thresholds {
                println!("cv F1 at threshold {t:.2}: {f:.4}");
            }
            if let Some(p) = &cv_out {
                let preds: std::collections::BTreeMap<&str, &str> = o
                    .cv_texts
                    .iter()
                    .map(|(id, t)| (id.as_str(), t.as_str()))
                    .collect();
                std::fs::write(p, serde_json::to_string(&preds)?)
                    .with_context(|| format!("writing {}", p.display()))?;
            }
            std::fs::write(&out, serde_json::to_string(&o.model)?)
                .with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Split {
            lang,
            json,
            bench,
            rounds,
        } => {
            let splitter = gristmill::segment::Splitter::new();
            let stdin = std::io::stdin();
            if bench {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut stdin.lock(), &mut text)
                    .context("reading stdin")?;
                let docs: Vec<&str> = text.split(gristmill::eval::sbd::DOC_SEP).collect();
                let r = gristmill::eval::sbd::speed(&splitter, &docs, &lang, rounds);
                println!("{}", serde_json::to_string(&r)?);
                return Ok(ExitCode::SUCCESS);
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            if json {
                for line in stdin.lock().lines() {
                    let line = line.context("reading stdin")?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    let v: serde_json::Value =
                        serde_json::from_str(&line).context("stdin row is not JSON")?;
                    let text = v.get("text").and_then(|t| t.as_str()).unwrap_or("");
                    let sents = splitter.split(text, &lang);
                    serde_json::to_writer(&mut out, &sents)?;
                    out.write_all(b"\n")?;
                }
            } else {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut stdin.lock(), &mut text)
                    .context("reading stdin")?;
                for s in splitter.split(&text, &lang) {
                    writeln!(out, "{}", s.replace('\n', " "))?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `gristmill eval sbd`: score the sentence splitter on the Golden Rules files.
fn eval_sbd(
    data_root: &std::path::Path,
    lang: &str,
    out: Option<&PathBuf>,
    json: bool,
    verbose: bool,
) -> anyhow::Result<ExitCode> {
    use gristmill::eval::sbd;
    let names = if lang == "all" {
        sbd::available(data_root)?
    } else {
        vec![lang.to_string()]
    };
    if names.is_empty() {
        anyhow::bail!(
            "no golden_rules_*.json under {}",
            data_root.join("sbd").display()
        );
    }
    let splitter = gristmill::segment::Splitter::new();
    let mut scores = Vec::new();
    let mut preds = serde_json::Map::new();
    for name in &names {
        let gold = sbd::load(data_root, name)?;
        scores.push(sbd::score(&splitter, &gold));
        preds.insert(name.clone(), sbd::predictions_json(&splitter, &gold));
    }
    if let Some(p) = out {
        // one file: {id: sentences} as eval_sbd.py score --pred reads; all: keyed by file
        let v = if names.len() == 1 {
            preds.remove(&names[0]).unwrap_or_default()
        } else {
            serde_json::Value::Object(preds)
        };
        std::fs::write(p, serde_json::to_vec(&v)?)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        print!("{}", sbd::report(&scores, verbose || names.len() == 1));
    }
    Ok(ExitCode::SUCCESS)
}

fn inspect(
    pipe: &Pipeline,
    file: &PathBuf,
    format: FormatHint,
    features: bool,
    width: usize,
) -> anyhow::Result<()> {
    let mut items = gristmill::source::Sources::new(
        std::slice::from_ref(file),
        format,
        pipe.config.limits.clone(),
    );
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let Some(item) = items.next() else {
        anyhow::bail!("{} holds no document", file.display());
    };
    let src = match item {
        gristmill::source::Item::Doc(s) => s,
        gristmill::source::Item::Error { error, .. } => anyhow::bail!("{error}"),
    };
    let p = pipe.analyze(&src)?;
    writeln!(
        out,
        "{}  format={:?} charset={} ({}) lang={}\ntitle: {}",
        src.id(),
        p.text.format,
        p.text.charset,
        p.text.charset_source.as_str(),
        p.lang.as_deref().unwrap_or("-"),
        p.doc.meta.title.as_deref().unwrap_or("-")
    )?;
    for (i, b) in p.doc.blocks.iter().enumerate() {
        let verdict = match &b.verdict {
            gristmill::Verdict::Keep if b.kind == gristmill::BlockKind::Title => {
                "TITLE (to metadata.title)".to_string()
            }
            gristmill::Verdict::Keep => "KEEP".to_string(),
            gristmill::Verdict::Drop(d) => format!("DROP {} ({})", d.category, d.reason),
            gristmill::Verdict::CommentMeta(d) => {
                format!("COMMENT-META {} ({})", d.category, d.reason)
            }
            gristmill::Verdict::Comment { author } => {
                format!("COMMENT by {}", author.as_deref().unwrap_or("(continued)"))
            }
        };
        // `*` marks blocks inside the main-content container (HTML).
        let main = if b.features.in_main == Some(true) {
            '*'
        } else {
            ' '
        };
        writeln!(
            out,
            "{i:>4}{main}{:<10} {verdict}\n       {}",
            b.kind.name(),
            if width == 0 {
                b.text.clone()
            } else {
                gristmill::text::preview(&b.text, width)
            }
        )?;
        if features {
            let f = &b.features;
            let path: Vec<&str> = f.tag_path.iter().map(|t| &**t).collect();
            let toks: Vec<&str> = f.class_tokens.iter().map(|t| &**t).collect();
            writeln!(
                out,
                "       words={} ld={:.2} in_main={:?} main={:.2} path={} tokens={}",
                f.words,
                f.link_density,
                f.in_main,
                f.main_score.unwrap_or(0.0),
                path.join(">"),
                toks.join(",")
            )?;
        }
    }
    for c in &p.doc.cuts {
        writeln!(
            out,
            "  CUT from block {}: {:?} ({})",
            c.block, c.text, c.drop.reason
        )?;
    }
    out.flush()?;
    Ok(())
}
