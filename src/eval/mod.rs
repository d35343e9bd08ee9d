//! Benchmarks through the same [`Pipeline`] as `gristmill run`: predictions `{id: text}` and
//! the benchmarks' own metrics (AEB 4-gram shingle F1; WCXB/textdump mean per-page word F1,
//! overall and per page type), re-implemented to match `../shared/tools/score.py` exactly.
//!
//! Datasets are folders of the published shape, so users can score their own labelled pages:
//! `aeb/` (`ground-truth.json`, `html/<id>.html.gz`), `wcxb-*/` (`ground-truth/<id>.json`,
//! `html/<id>.html.gz`), `textdump-*/` (`gold/<id>.json`, `txt/<id>.txt`).

pub mod sbd;

use crate::source::{FormatHint, Source};
use crate::Pipeline;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("unknown dataset layout in {0}: expected ground-truth.json, ground-truth/ or gold/")]
    Layout(String),
}

fn read_err(p: &Path, e: impl ToString) -> EvalError {
    EvalError::Read {
        path: p.display().to_string(),
        message: e.to_string(),
    }
}

/// Which metric a dataset uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// AEB shingle F1.
    Aeb,
    /// Mean per-page word F1 (WCXB, textdump).
    Words,
}

/// One labelled page.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub input: PathBuf,
    pub gold: String,
    pub page_type: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub with: Vec<String>,
    pub without: Vec<String>,
}

/// A labelled dataset.
pub struct Dataset {
    pub name: String,
    pub metric: Metric,
    pub format: FormatHint,
    pub pages: Vec<Page>,
}

fn read_json(p: &Path) -> Result<serde_json::Value, EvalError> {
    let s = std::fs::read_to_string(p).map_err(|e| read_err(p, e))?;
    serde_json::from_str(&s).map_err(|e| read_err(p, e))
}

fn str_at(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for k in path {
        cur = cur.get(k)?;
    }
    cur.as_str().map(str::to_string)
}

fn str_list(v: &serde_json::Value, path: &[&str]) -> Vec<String> {
    let mut cur = v;
    for k in path {
        match cur.get(k) {
            Some(c) => cur = c,
            None => return Vec::new(),
        }
    }
    cur.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn page_type_alias(t: String) -> String {
    if t == "category" {
        "collection".to_string()
    } else {
        t
    }
}

/// Load a dataset from `data_root/name` (or `name` itself when it is a folder).
pub fn load(name: &str, data_root: &Path) -> Result<Dataset, EvalError> {
    let dir = if Path::new(name).is_dir() {
        PathBuf::from(name)
    } else {
        data_root.join(name)
    };
    let label = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let mut pages = Vec::new();
    if dir.join("ground-truth.json").is_file() {
        let gt = read_json(&dir.join("ground-truth.json"))?;
        if let Some(obj) = gt.as_object() {
            for (id, v) in obj {
                pages.push(Page {
                    id: id.clone(),
                    input: dir.join("html").join(format!("{id}.html.gz")),
                    gold: str_at(v, &["articleBody"]).unwrap_or_default(),
                    page_type: "article".into(),
                    title: None,
                    author: None,
                    date: None,
                    with: Vec::new(),
                    without: Vec::new(),
                });
            }
        }
        pages.sort_by(|a, b| a.id.cmp(&b.id));
        return Ok(Dataset {
            name: label,
            metric: Metric::Aeb,
            format: FormatHint::Html,
            pages,
        });
    }
    let (gold_dir, format) = if dir.join("ground-truth").is_dir() {
        (dir.join("ground-truth"), FormatHint::Html)
    } else if dir.join("gold").is_dir() {
        (dir.join("gold"), FormatHint::Text)
    } else {
        return Err(EvalError::Layout(dir.display().to_string()));
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&gold_dir)
        .map_err(|e| read_err(&gold_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let id = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let v = read_json(&f)?;
        let page = if format == FormatHint::Html {
            Page {
                input: dir.join("html").join(format!("{id}.html.gz")),
                gold: str_at(&v, &["ground_truth", "main_content"]).unwrap_or_default(),
                page_type: page_type_alias(
                    str_at(&v, &["_internal", "page_type", "primary"])
                        .unwrap_or_else(|| "unknown".into()),
                ),
                title: str_at(&v, &["ground_truth", "title"]).or_else(|| str_at(&v, &["title"])),
                author: str_at(&v, &["ground_truth", "author"]).or_else(|| str_at(&v, &["author"])),
                date: str_at(&v, &["ground_truth", "publish_date"])
                    .or_else(|| str_at(&v, &["publish_date"])),
                with: str_list(&v, &["ground_truth", "with"]),
                without: str_list(&v, &["ground_truth", "without"]),
                id,
            }
        } else {
            Page {
                input: dir.join("txt").join(format!("{id}.txt")),
                gold: str_at(&v, &["text"]).unwrap_or_default(),
                page_type: page_type_alias(
                    str_at(&v, &["page_type"]).unwrap_or_else(|| "unknown".into()),
                ),
                title: None,
                author: None,
                date: None,
                with: Vec::new(),
                without: Vec::new(),
                id,
            }
        };
        pages.push(page);
    }
    Ok(Dataset {
        name: label,
        metric: Metric::Words,
        format,
        pages,
    })
}

/// Read a page's input (gunzipping `.gz`).
pub fn read_input(p: &Path) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(p)?;
    if p.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// A prediction and what else the pipeline found.
#[derive(Debug, Clone, Default)]
pub struct Prediction {
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub ms: f64,
}

/// Run the pipeline over every page, in parallel, in dataset order.
pub fn predict(pipe: &Pipeline, ds: &Dataset) -> Vec<Prediction> {
    ds.pages
        .par_iter()
        .map(|page| {
            let Ok(bytes) = read_input(&page.input) else {
                return Prediction::default();
            };
            let started = Instant::now();
            let mut src = Source::from_bytes(&page.id, bytes);
            src.hint = ds.format;
            let rec = pipe.process(&src);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            match rec {
                Ok(r) => Prediction {
                    text: r.text,
                    title: r.metadata.title,
                    author: r.metadata.author,
                    date: r.created,
                    ms,
                },
                Err(_) => Prediction {
                    ms,
                    ..Prediction::default()
                },
            }
        })
        .collect()
}

/// `\w+` tokens as Python's `re` finds them: letters (L*), numbers (N*) and `_`. (Rust's
/// `char::is_alphanumeric` also counts combining vowel signs, which Python does not.)
pub fn tokens(s: &str) -> impl Iterator<Item = &str> {
    static WORD: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"[\p{L}\p{N}_]+").expect("valid"));
    WORD.find_iter(s).map(|m| m.as_str())
}

/// Per-page precision, recall, F1 of lower-cased word multisets (WCXB metric).
pub fn word_prf(pred: &str, gold: &str) -> (f64, f64, f64) {
    let count = |s: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for t in tokens(s) {
            *m.entry(t.to_lowercase()).or_default() += 1;
        }
        m
    };
    let (pc, rc) = (count(pred), count(gold));
    if rc.is_empty() {
        let v = if pc.is_empty() { 1.0 } else { 0.0 };
        return (v, v, v);
    }
    if pc.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let overlap: usize = pc
        .iter()
        .map(|(k, v)| (*v).min(*rc.get(k).unwrap_or(&0)))
        .sum();
    let p = overlap as f64 / pc.values().sum::<usize>() as f64;
    let r = overlap as f64 / rc.values().sum::<usize>() as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn shingles(s: &str) -> HashMap<Vec<&str>, usize> {
    let toks: Vec<&str> = tokens(s).collect();
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        m.insert(toks, 1);
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w.to_vec()).or_default() += 1;
    }
    m
}

/// Normalised (tp, fp, fn) of shingle multisets (AEB metric).
pub fn aeb_counts(pred: &str, gold: &str) -> (f64, f64, f64) {
    let (sp, st) = (shingles(pred), shingles(gold));
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &p) in &sp {
        let t = *st.get(k).unwrap_or(&0);
        tp += p.min(t);
        fp += p.saturating_sub(t);
    }
    for (k, &t) in &st {
        let p = *sp.get(k).unwrap_or(&0);
        fn_ += t.saturating_sub(p);
    }
    let total = (tp + fp + fn_) as f64;
    if total > 0.0 {
        (tp as f64 / total, fp as f64 / total, fn_ as f64 / total)
    } else {
        (0.0, 0.0, 0.0)
    }
}

/// Scores of one run.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Scores {
    pub dataset: String,
    pub n: usize,
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
    pub by_type: BTreeMap<String, TypeScore>,
    /// Share of `with` snippets found in the prediction (WCXB).
    pub with_found: Option<f64>,
    /// Share of `without` snippets that leaked into the prediction (WCXB).
    pub without_leaked: Option<f64>,
    pub title_accuracy: Option<f64>,
    pub author_accuracy: Option<f64>,
    pub date_accuracy: Option<f64>,
    pub ms_median: f64,
    pub ms_p95: f64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct TypeScore {
    pub n: usize,
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
}

/// Per-page precision, recall and F1 values of one group of pages.
type PrfLists = (Vec<f64>, Vec<f64>, Vec<f64>);

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Whitespace-collapsed, case-folded comparison form used for title and author accuracy.
pub fn norm_field(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The `YYYY-MM-DD` part of a date, for date accuracy.
fn date_part(s: &str) -> Option<&str> {
    let s = s.trim();
    (s.len() >= 10 && s.is_char_boundary(10)).then(|| &s[..10])
}

/// Score predictions against the dataset.
pub fn score(ds: &Dataset, preds: &[Prediction]) -> Scores {
    let mut s = Scores {
        dataset: ds.name.clone(),
        n: ds.pages.len(),
        ..Scores::default()
    };
    let mut ms: Vec<f64> = preds.iter().map(|p| p.ms).collect();
    ms.sort_by(f64::total_cmp);
    if !ms.is_empty() {
        s.ms_median = ms[ms.len() / 2];
        s.ms_p95 = ms[((ms.len() as f64 * 0.95) as usize).min(ms.len() - 1)];
    }
    match ds.metric {
        Metric::Aeb => {
            let (mut ps, mut rs) = (Vec::new(), Vec::new());
            for (page, pred) in ds.pages.iter().zip(preds) {
                let (tp, fp, fn_) = aeb_counts(&pred.text, &page.gold);
                if tp + fp > 0.0 {
                    ps.push(if fp == 0.0 && fn_ == 0.0 {
                        1.0
                    } else {
                        tp / (tp + fp)
                    });
                }
                if tp + fn_ > 0.0 {
                    rs.push(if fp == 0.0 && fn_ == 0.0 {
                        1.0
                    } else {
                        tp / (tp + fn_)
                    });
                }
            }
            s.precision = mean(&ps);
            s.recall = mean(&rs);
            s.f1 = if s.precision + s.recall > 0.0 {
                2.0 * s.precision * s.recall / (s.precision + s.recall)
            } else {
                0.0
            };
        }
        Metric::Words => {
            let mut all = (Vec::new(), Vec::new(), Vec::new());
            let mut types: BTreeMap<String, PrfLists> = BTreeMap::new();
            for (page, pred) in ds.pages.iter().zip(preds) {
                let (p, r, f) = word_prf(&pred.text, &page.gold);
                let t = types.entry(page.page_type.clone()).or_default();
                for (acc, v) in [(&mut all.0, p), (&mut all.1, r), (&mut all.2, f)] {
                    acc.push(v);
                }
                t.0.push(p);
                t.1.push(r);
                t.2.push(f);
            }
            s.precision = mean(&all.0);
            s.recall = mean(&all.1);
            s.f1 = mean(&all.2);
            s.by_type = types
                .into_iter()
                .map(|(k, (p, r, f))| {
                    (
                        k,
                        TypeScore {
                            n: f.len(),
                            f1: mean(&f),
                            precision: mean(&p),
                            recall: mean(&r),
                        },
                    )
                })
                .collect();
            let (mut with_n, mut with_hit, mut wo_n, mut wo_hit) = (0, 0, 0, 0);
            let (mut tn, mut th, mut an, mut ah, mut dn, mut dh) = (0, 0, 0, 0, 0, 0);
            for (page, pred) in ds.pages.iter().zip(preds) {
                let text = norm_field(&pred.text);
                for w in &page.with {
                    with_n += 1;
                    with_hit += text.contains(&norm_field(w)) as usize;
                }
                for w in &page.without {
                    wo_n += 1;
                    wo_hit += text.contains(&norm_field(w)) as usize;
                }
                if let Some(t) = page.title.as_deref().filter(|t| !t.trim().is_empty()) {
                    tn += 1;
                    th += (pred.title.as_deref().map(norm_field) == Some(norm_field(t))) as usize;
                }
                if let Some(a) = page.author.as_deref().filter(|t| !t.trim().is_empty()) {
                    an += 1;
                    ah += (pred.author.as_deref().map(norm_field) == Some(norm_field(a))) as usize;
                }
                if let Some(d) = page.date.as_deref().and_then(date_part) {
                    dn += 1;
                    dh += (pred.date.as_deref().and_then(date_part) == Some(d)) as usize;
                }
            }
            let share = |h: usize, n: usize| (n > 0).then(|| h as f64 / n as f64);
            s.with_found = share(with_hit, with_n);
            s.without_leaked = share(wo_hit, wo_n);
            s.title_accuracy = share(th, tn);
            s.author_accuracy = share(ah, an);
            s.date_accuracy = share(dh, dn);
        }
    }
    s
}

/// Human-readable report, in the layout of `score.py` plus our extra lines.
pub fn report(s: &Scores) -> String {
    let mut out = format!(
        "{} ({}), {} pages\nF1 {:.4}  P {:.4}  R {:.4}\n",
        s.dataset,
        if s.by_type.is_empty() {
            "AEB shingle metric"
        } else {
            "mean per-page word F1"
        },
        s.n,
        s.f1,
        s.precision,
        s.recall
    );
    for (t, r) in &s.by_type {
        out.push_str(&format!(
            "  {:<14} n={:<4} F1 {:.4}  P {:.4}  R {:.4}\n",
            t, r.n, r.f1, r.precision, r.recall
        ));
    }
    let pct = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{:.1}%", v * 100.0));
    if s.with_found.is_some() || s.title_accuracy.is_some() {
        out.push_str(&format!(
            "with-snippets found {}  without-snippets leaked {}\n\
             title exact {}  author exact {}  date (YYYY-MM-DD) {}\n",
            pct(s.with_found),
            pct(s.without_leaked),
            pct(s.title_accuracy),
            pct(s.author_accuracy),
            pct(s.date_accuracy)
        ));
    }
    out.push_str(&format!(
        "ms/page median {:.2}  p95 {:.2}\n",
        s.ms_median, s.ms_p95
    ));
    out
}

/// Predictions as `{id: text}` JSON (sorted by id).
pub fn predictions_json(ds: &Dataset, preds: &[Prediction]) -> serde_json::Value {
    let map: BTreeMap<&str, &str> = ds
        .pages
        .iter()
        .zip(preds)
        .map(|(p, r)| (p.id.as_str(), r.text.as_str()))
        .collect();
    serde_json::to_value(map).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_metric_edges() {
        assert_eq!(word_prf("", ""), (1.0, 1.0, 1.0));
        assert_eq!(word_prf("x", ""), (0.0, 0.0, 0.0));
        let (p, r, f) = word_prf("a b c d", "a b e");
        assert!((p - 0.5).abs() < 1e-9 && (r - 2.0 / 3.0).abs() < 1e-9);
        assert!(f > 0.5 && f < 0.6);
    }

    #[test]
    fn aeb_short_texts_are_one_shingle() {
        assert_eq!(aeb_counts("a b c", "a b c"), (1.0, 0.0, 0.0));
        assert_eq!(aeb_counts("", ""), (0.0, 0.0, 0.0));
    }
}
