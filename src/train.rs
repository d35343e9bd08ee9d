//! Training of the learned block classifier (`strip::model`) on a labelled HTML benchmark:
//! block labels from the gold main content, gradient-boosted trees for the logistic loss, and
//! k-fold cross-validation by page scored with the benchmark's own metric.
//!
//! Everything is deterministic for a given seed (fold split, row sampling; histograms are
//! summed in row order). This is a development tool behind `gristmill train`; the pipeline
//! itself only reads the resulting model file.

use crate::block::Doc;
use crate::config::ModelConfig;
use crate::eval::{self, Dataset, Prediction, Scores};
use crate::source::Source;
use crate::strip::model::{self, Model, Tree};
use crate::strip::{Classifier, Thresholds};
use crate::{Pipeline, PipelineConfig, Processed};
use rayon::prelude::*;
use std::collections::HashSet;

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("dataset {0} has no HTML pages with gold text")]
    Empty(String),
    #[error("bad training parameter `{0}` (name=value, e.g. trees=300 or bag=3)")]
    Grid(String),
}

/// Hyper-parameters of the boosted trees and of the evaluation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Params {
    pub trees: usize,
    pub depth: usize,
    pub learning_rate: f32,
    /// Smallest hessian sum of a leaf.
    pub min_child_weight: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Largest number of value bins per feature (<= 256).
    pub bins: usize,
    /// Share of rows each tree sees.
    pub subsample: f32,
    /// Share of the features each tree may split on (drawn per tree; 1 = all).
    pub colsample: f32,
    /// Models averaged (bagging): member `j` is boosted with seed `seed + j` and the shipped
    /// model is one forest of all their trees, leaf values divided by `bag`, so its margin is
    /// the members' mean margin.
    pub bag: usize,
    /// Seed of the row and feature sampling (of member 0).
    pub seed: u64,
    /// Seed of the split of pages into cross-validation folds.
    pub fold_seed: u64,
    pub folds: usize,
    /// Probability from which a block is kept.
    pub threshold: f32,
    /// Text model: probability from which a line the structural rules dropped is kept.
    pub restore: f32,
    /// Text model: drop threshold on pages the structural rules kept whole.
    pub whole: f32,
}

impl Default for Params {
    /// The training defaults with the HTML model's thresholds of the default pipeline.
    fn default() -> Self {
        Params::for_config(&ModelConfig::default(), false)
    }
}

impl Params {
    /// The training defaults with the thresholds a pipeline's `[model]` section gives the
    /// HTML model (`text == false`) or the text model.
    pub fn for_config(m: &ModelConfig, text: bool) -> Params {
        let fmt = if text {
            crate::block::Format::Text
        } else {
            crate::block::Format::Html
        };
        let t = Thresholds::of(m, fmt);
        // Session 10: the HTML model's 125 trees of depth <= 6 (the same 750 tree levels per
        // row as 150 of depth 5) cross-validate higher and vary less over seeds; the text
        // model keeps the setup it was tuned with.
        let (trees, depth) = if text { (150, 5) } else { (125, 6) };
        Params {
            trees,
            depth,
            learning_rate: 0.1,
            min_child_weight: 5.0,
            lambda: 1.0,
            bins: 32,
            subsample: 0.5,
            colsample: 1.0,
            bag: 1,
            seed: 20261123,
            fold_seed: 20261123,
            folds: 5,
            threshold: t.keep,
            restore: t.restore,
            whole: t.whole,
        }
    }

    /// Parameters of bag member `j`: one model boosted with seed `seed + j`.
    pub fn member(&self, j: usize) -> Params {
        Params {
            bag: 1,
            seed: self.seed.wrapping_add(j as u64),
            ..self.clone()
        }
    }

    /// These parameters with `name=value` overrides separated by commas (`bag=3,seed=7`;
    /// names as the fields, `lr` for `learning_rate`, `mcw` for `min_child_weight`).
    pub fn with(&self, spec: &str) -> Result<Params, TrainError> {
        let mut p = self.clone();
        for kv in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad = || TrainError::Grid(kv.to_string());
            let (k, v) = kv.split_once('=').ok_or_else(bad)?;
            let (k, v) = (k.trim(), v.trim());
            fn num<T: std::str::FromStr>(
                v: &str,
                bad: impl Fn() -> TrainError,
            ) -> Result<T, TrainError> {
                v.parse().map_err(|_| bad())
            }
            match k {
                "trees" => p.trees = num(v, bad)?,
                "depth" => p.depth = num(v, bad)?,
                "lr" | "learning_rate" => p.learning_rate = num(v, bad)?,
                "mcw" | "min_child_weight" => p.min_child_weight = num(v, bad)?,
                "lambda" => p.lambda = num(v, bad)?,
                "bins" => p.bins = num(v, bad)?,
                "subsample" => p.subsample = num(v, bad)?,
                "colsample" => p.colsample = num(v, bad)?,
                "bag" => p.bag = num(v, bad)?,
                "seed" => p.seed = num(v, bad)?,
                "fold_seed" => p.fold_seed = num(v, bad)?,
                "folds" => p.folds = num(v, bad)?,
                "threshold" => p.threshold = num(v, bad)?,
                _ => return Err(bad()),
            }
        }
        Ok(p)
    }

    /// The decision thresholds these parameters are scored with.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            keep: self.threshold,
            restore: self.restore,
            whole: self.whole,
        }
    }
}

/// Training rows: features (row-major), labels and weights.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    pub nf: usize,
    /// Feature names (empty: the HTML model's).
    pub features: Vec<String>,
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    pub w: Vec<f32>,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.y.len()
    }
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
    fn row(&self, i: usize) -> &[f32] {
        &self.x[i * self.nf..(i + 1) * self.nf]
    }
}

/// Deterministic pseudo-random numbers (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    /// One element of a non-empty slice, uniformly (test inputs only: it panics on an empty
    /// slice, so it is not part of the library's API).
    #[cfg(test)]
    pub(crate) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next_u64() % v.len() as u64) as usize]
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn lower_tokens(s: &str) -> Vec<String> {
    eval::tokens(s).map(str::to_lowercase).collect()
}

fn ngram_hash(toks: &[String]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    toks.hash(&mut h);
    h.finish()
}

/// Label of each block: `Some((is_content, tokens))` for blocks the classifier decides and
/// that hold words, `None` for the rest.
///
/// Rule: tokens are lower-cased `\w+` words as the metric counts them. A block of three or
/// more tokens is content when at least half of its token trigrams occur in the gold text.
/// A block of one or two tokens is read in its context (the last two tokens of the block
/// before it and the first two of the block after it): it is content when a trigram of that
/// window that holds one of its own tokens occurs in the gold text, or, for a block alone on
/// its page, when its tokens occur there in sequence. (Trigrams, unlike single words, keep a
/// menu entry like "Deploy" out even though the word appears in the article.)
pub fn labels(doc: &Doc, gold: &str) -> Vec<Option<(bool, usize)>> {
    let gt = lower_tokens(gold);
    let mut grams: [HashSet<u64>; 3] = Default::default();
    for (n, set) in grams.iter_mut().enumerate() {
        for w in gt.windows(n + 1) {
            set.insert(ngram_hash(w));
        }
    }
    let toks: Vec<Vec<String>> = doc.blocks.iter().map(|b| lower_tokens(&b.text)).collect();
    let mut out = Vec::with_capacity(toks.len());
    for (i, b) in doc.blocks.iter().enumerate() {
        let t = &toks[i];
        if !model::decides(b) || t.is_empty() {
            out.push(None);
            continue;
        }
        let content = if t.len() >= 3 {
            let all = t.len() - 2;
            let hit = t
                .windows(3)
                .filter(|w| grams[2].contains(&ngram_hash(w)))
                .count();
            hit * 2 >= all
        } else {
            let before: Vec<String> = toks[..i]
                .iter()
                .rev()
                .flatten()
                .take(2)
                .cloned()
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: Vec<String> = toks[i + 1..].iter().flatten().take(2).cloned().collect();
            if before.is_empty() && after.is_empty() {
                grams[t.len() - 1].contains(&ngram_hash(t))
            } else {
                let (lo, hi) = (before.len(), before.len() + t.len());
                let window: Vec<String> = before
                    .into_iter()
                    .chain(t.iter().cloned())
                    .chain(after)
                    .collect();
                (0..window.len().saturating_sub(2)).any(|s| {
                    s < hi && s + 3 > lo && grams[2].contains(&ngram_hash(&window[s..s + 3]))
                })
            }
        };
        out.push(Some((content, t.len())));
    }
    out
}

fn empty_decoded() -> crate::decode::Decoded {
    crate::decode::Decoded {
        string: String::new(),
        charset: "UTF-8",
        charset_source: crate::decode::CharsetSource::Utf8Valid,
        format: crate::block::Format::Html,
        mojibake_repaired: 0,
    }
}

/// A page of the training set after the heuristic passes.
pub struct PageData {
    pub processed: Processed,
    /// Feature rows of all blocks (row-major).
    pub x: Vec<f32>,
    /// Block index of each training row of this page, with label and weight.
    pub rows: Vec<(usize, f32, f32)>,
    /// The classifier of the page's format (features and decisions).
    pub classifier: Classifier,
}

impl PageData {
    /// Features per block.
    pub fn nf(&self) -> usize {
        self.classifier.n_features()
    }

    /// A text dump (the text model's thresholds apply).
    pub fn is_text(&self) -> bool {
        self.classifier == Classifier::Text
    }
}

/// Run the pipeline (without a block model) over the dataset and build features and labels.
/// Each page's rows weigh 1 in total, shared by token count, as the metric weighs pages
/// equally and words within a page.
pub fn prepare(cfg: &PipelineConfig, ds: &Dataset) -> Result<Vec<PageData>, TrainError> {
    let mut cfg = cfg.clone();
    cfg.model.blocks = String::new();
    cfg.model.text_blocks = String::new();
    let pipe = Pipeline::from_config(cfg)?;
    let pages: Vec<PageData> = ds
        .pages
        .par_iter()
        .map(|page| {
            let bytes = eval::read_input(&page.input).unwrap_or_default();
            let mut src = Source::from_bytes(&page.id, bytes);
            src.hint = ds.format;
            let mut processed = match pipe.analyze(&src) {
                Ok(p) => p,
                Err(_) => Processed {
                    text: empty_decoded(),
                    doc: Doc::default(),
                    lang: None,
                },
            };
            // The decoded page is not needed any more: free it.
            processed.text.string = String::new();
            let stop = crate::strip::stopwords::for_lang(processed.lang.as_deref());
            let classifier = Classifier::of(processed.text.format);
            let x = classifier.features(&processed.doc, stop);
            let labs = labels(&processed.doc, &page.gold);
            let total: usize = labs.iter().flatten().map(|l| l.1).sum();
            let rows = labs
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    l.map(|(c, n)| (i, c as u8 as f32, n as f32 / total.max(1) as f32))
                })
                .collect();
            PageData {
                processed,
                x,
                rows,
                classifier,
            }
        })
        .collect();
    if pages.iter().all(|p| p.rows.is_empty()) {
        return Err(TrainError::Empty(ds.name.clone()));
    }
    Ok(pages)
}

/// Training rows of the given pages; weights rescaled to a mean of 1.
pub fn samples(pages: &[PageData], which: &[usize]) -> Samples {
    let Some(first) = which.first().map(|&i| &pages[i]) else {
        return Samples::default();
    };
    let nf = first.nf();
    let mut s = Samples {
        nf,
        features: first.classifier.feature_names(),
        ..Samples::default()
    };
    for &pi in which {
        let p = &pages[pi];
        for &(bi, y, w) in &p.rows {
            s.x.extend_from_slice(&p.x[bi * nf..(bi + 1) * nf]);
            s.y.push(y);
            s.w.push(w);
        }
    }
    let mean = s.w.iter().map(|&w| w as f64).sum::<f64>() / s.w.len().max(1) as f64;
    if mean > 0.0 {
        for w in &mut s.w {
            *w = (*w as f64 / mean) as f32;
        }
    }
    s
}

/// Cut points of one feature: at most `bins - 1` values; bin(x) = number of cuts below x.
fn cuts_of(mut vals: Vec<f32>, bins: usize) -> Vec<f32> {
    vals.sort_by(f32::total_cmp);
    vals.dedup();
    if vals.len() <= 1 {
        return Vec::new();
    }
    if vals.len() <= bins {
        vals.pop();
        return vals;
    }
    let mut cuts: Vec<f32> = (1..bins).map(|k| vals[k * vals.len() / bins - 1]).collect();
    cuts.dedup();
    cuts
}

fn bin_of(cuts: &[f32], v: f32) -> u8 {
    cuts.partition_point(|&c| c < v) as u8
}

/// Gradient/hessian sums per bin of one feature.
type Hist = Vec<(f64, f64)>;

struct Binned {
    /// Column-major bins: `cols[f][row]`.
    cols: Vec<Vec<u8>>,
    cuts: Vec<Vec<f32>>,
}

fn bin_samples(s: &Samples, bins: usize) -> Binned {
    let n = s.len();
    // Cut points from (at most) 50,000 evenly spaced rows.
    let step = (n / 50_000).max(1);
    let cuts: Vec<Vec<f32>> = (0..s.nf)
        .into_par_iter()
        .map(|f| {
            cuts_of(
                (0..n).step_by(step).map(|i| s.x[i * s.nf + f]).collect(),
                bins,
            )
        })
        .collect();
    let cols = (0..s.nf)
        .into_par_iter()
        .map(|f| {
            (0..n)
                .map(|i| bin_of(&cuts[f], s.x[i * s.nf + f]))
                .collect()
        })
        .collect();
    Binned { cols, cuts }
}

/// Histograms of the features `on` marks (an empty one for the others: no split there).
fn histograms(b: &Binned, rows: &[u32], g: &[f32], h: &[f32], on: &[bool]) -> Vec<Hist> {
    b.cols
        .par_iter()
        .zip(&b.cuts)
        .zip(on)
        .map(|((col, cuts), &on)| {
            if !on {
                return Vec::new();
            }
            let mut hist = vec![(0f64, 0f64); cuts.len() + 1];
            for &r in rows {
                let e = &mut hist[col[r as usize] as usize];
                e.0 += g[r as usize] as f64;
                e.1 += h[r as usize] as f64;
            }
            hist
        })
        .collect()
}

struct Split {
    gain: f64,
    feature: usize,
    bin: usize,
}

fn best_split(hists: &[Hist], p: &Params) -> Option<Split> {
    let score = |g: f64, h: f64| g * g / (h + p.lambda);
    let mut best: Option<Split> = None;
    for (f, hist) in hists.iter().enumerate() {
        let (gt, ht) = hist
            .iter()
            .fold((0.0, 0.0), |a, &(g, h)| (a.0 + g, a.1 + h));
        let parent = score(gt, ht);
        let (mut gl, mut hl) = (0.0, 0.0);
        for (bin, &(g, h)) in hist.iter().enumerate().take(hist.len().saturating_sub(1)) {
            gl += g;
            hl += h;
            let (gr, hr) = (gt - gl, ht - hl);
            if hl < p.min_child_weight || hr < p.min_child_weight {
                continue;
            }
            let gain = score(gl, hl) + score(gr, hr) - parent;
            if gain > 1e-9 && best.as_ref().is_none_or(|b| gain > b.gain) {
                best = Some(Split {
                    gain,
                    feature: f,
                    bin,
                });
            }
        }
    }
    best
}

/// Grow one tree depth-wise on `rows` with histogram subtraction, splitting only on the
/// features `on` marks.
fn grow(b: &Binned, rows: Vec<u32>, g: &[f32], h: &[f32], on: &[bool], p: &Params) -> Tree {
    let mut t = Tree::default();
    let leaf_value = |rows: &[u32]| {
        let (gs, hs) = rows.iter().fold((0f64, 0f64), |a, &r| {
            (a.0 + g[r as usize] as f64, a.1 + h[r as usize] as f64)
        });
        (-gs / (hs + p.lambda)) as f32 * p.learning_rate
    };
    // (node index, rows, depth, histograms)
    let root_hist = histograms(b, &rows, g, h, on);
    let mut queue = std::collections::VecDeque::new();
    t.feature.push(-1);
    t.threshold.push(0.0);
    t.left.push(0);
    t.right.push(0);
    t.value.push(0.0);
    queue.push_back((0usize, rows, 0usize, root_hist));
    while let Some((node, rows, depth, hist)) = queue.pop_front() {
        let split = if depth < p.depth {
            best_split(&hist, p)
        } else {
            None
        };
        let Some(s) = split else {
            t.value[node] = leaf_value(&rows);
            continue;
        };
        let col = &b.cols[s.feature];
        let (l, r): (Vec<u32>, Vec<u32>) = rows
            .iter()
            .partition(|&&i| col[i as usize] as usize <= s.bin);
        let small_is_left = l.len() <= r.len();
        let small = histograms(b, if small_is_left { &l } else { &r }, g, h, on);
        let large: Vec<Hist> = hist
            .iter()
            .zip(&small)
            .map(|(ph, sh)| {
                ph.iter()
                    .zip(sh)
                    .map(|(a, c)| (a.0 - c.0, (a.1 - c.1).max(0.0)))
                    .collect()
            })
            .collect();
        let (lh, rh) = if small_is_left {
            (small, large)
        } else {
            (large, small)
        };
        let li = t.feature.len();
        for _ in 0..2 {
            t.feature.push(-1);
            t.threshold.push(0.0);
            t.left.push(0);
            t.right.push(0);
            t.value.push(0.0);
        }
        t.feature[node] = s.feature as i32;
        t.threshold[node] = b.cuts[s.feature][s.bin];
        t.left[node] = li as u32;
        t.right[node] = li as u32 + 1;
        queue.push_back((li, l, depth + 1, lh));
        queue.push_back((li + 1, r, depth + 1, rh));
    }
    t
}

/// Fit boosted trees for the logistic loss: one model, or with `p.bag > 1` the average of
/// `p.bag` models boosted with seeds `p.seed`, `p.seed + 1`, ... ([`average`]).
pub fn fit(s: &Samples, p: &Params) -> Model {
    if p.bag <= 1 {
        return fit_one(s, p);
    }
    average(
        (0..p.bag)
            .map(|j| fit_one(s, &p.member(j)))
            .collect::<Vec<_>>(),
    )
}

/// One forest whose margin is the mean margin of `members` (trained on the same features):
/// their trees in member order, every leaf value divided by the number of members, and the
/// mean base score. Empty input gives an empty model.
pub fn average(members: Vec<Model>) -> Model {
    let k = members.len();
    let mut it = members.into_iter();
    let Some(first) = it.next() else {
        return Model::default();
    };
    let mut out = Model {
        features: first.features.clone(),
        base: 0.0,
        trees: Vec::new(),
        info: serde_json::Value::Null,
        forest: Default::default(),
    };
    let mut base = 0f64;
    for m in std::iter::once(first).chain(it) {
        base += m.base as f64;
        for mut t in m.trees {
            for v in &mut t.value {
                *v /= k as f32;
            }
            out.trees.push(t);
        }
    }
    out.base = (base / k as f64) as f32;
    out
}

/// Features each tree may split on: all, or `colsample` of them (at least one) drawn with
/// `rng` (which is not touched when all are used, so such trees stay those of earlier builds).
fn feature_mask(nf: usize, colsample: f32, rng: &mut Rng) -> Vec<bool> {
    if colsample >= 1.0 || nf == 0 {
        return vec![true; nf];
    }
    let k = ((nf as f32 * colsample).round() as usize).clamp(1, nf);
    let mut order: Vec<usize> = (0..nf).collect();
    rng.shuffle(&mut order);
    let mut on = vec![false; nf];
    for &f in &order[..k] {
        on[f] = true;
    }
    on
}

/// Fit one boosted forest for the logistic loss (`p.bag` is not read).
fn fit_one(s: &Samples, p: &Params) -> Model {
    let n = s.len();
    let wsum: f64 = s.w.iter().map(|&w| w as f64).sum();
    let pos: f64 = s.w.iter().zip(&s.y).map(|(&w, &y)| (w * y) as f64).sum();
    let prior = (pos / wsum.max(1e-12)).clamp(1e-4, 1.0 - 1e-4);
    let base = (prior / (1.0 - prior)).ln() as f32;
    let mut model = Model {
        features: if s.features.is_empty() {
            model::feature_names()
        } else {
            s.features.clone()
        },
        base,
        trees: Vec::new(),
        info: serde_json::Value::Null,
        forest: Default::default(),
    };
    if n == 0 {
        return model;
    }
    let b = bin_samples(s, p.bins.clamp(2, 256));
    let mut margin = vec![base; n];
    let mut g = vec![0f32; n];
    let mut h = vec![0f32; n];
    let mut rng = Rng::new(p.seed);
    for _ in 0..p.trees {
        for i in 0..n {
            let q = model::sigmoid(margin[i]);
            g[i] = s.w[i] * (q - s.y[i]);
            h[i] = s.w[i] * (q * (1.0 - q)).max(1e-6);
        }
        let rows: Vec<u32> = (0..n as u32)
            .filter(|_| p.subsample >= 1.0 || rng.unit() < p.subsample)
            .collect();
        let on = feature_mask(s.nf, p.colsample, &mut rng);
        let tree = grow(&b, rows, &g, &h, &on, p);
        for (i, m) in margin.iter_mut().enumerate() {
            *m += tree.predict(s.row(i));
        }
        model.trees.push(tree);
    }
    model
}

/// Fold of each page (0..folds): pages shuffled with the seed, then dealt round-robin.
pub fn folds(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    Rng::new(seed ^ 0xF01D).shuffle(&mut order);
    let mut fold = vec![0; n];
    for (j, &i) in order.iter().enumerate() {
        fold[i] = j % k.max(1);
    }
    fold
}

/// Probabilities of every block of every page from the model of its own fold (`probs`),
/// then the texts at `threshold` scored against the dataset.
pub fn score_probs(ds: &Dataset, pages: &[PageData], probs: &[Vec<f32>], thr: f32) -> Scores {
    score_probs_with(ds, pages, probs, Thresholds::single(thr))
}

/// [`score_probs`] with a separate threshold from which the text model keeps a line the
/// structural rules dropped (HTML pages use `strip::model::restore_threshold`).
pub fn score_probs_with(
    ds: &Dataset,
    pages: &[PageData],
    probs: &[Vec<f32>],
    t: Thresholds,
) -> Scores {
    eval::score(ds, &predictions(pages, probs, t))
}

/// The texts (and titles) of every page with its blocks decided from `probs` at `t`.
pub fn predictions(pages: &[PageData], probs: &[Vec<f32>], t: Thresholds) -> Vec<Prediction> {
    pages
        .par_iter()
        .zip(probs)
        .map(|(p, pr)| {
            let mut doc = p.processed.doc.clone();
            p.classifier.decide(&mut doc, pr, t);
            let view = Processed {
                text: p.processed.text.clone(),
                doc,
                lang: p.processed.lang.clone(),
            };
            Prediction {
                text: crate::emit::assemble_text(&view),
                title: view.doc.meta.title.clone(),
                ..Prediction::default()
            }
        })
        .collect()
}

/// Block probabilities of each page under `m`.
pub fn page_probs(m: &Model, p: &PageData) -> Vec<f32> {
    p.x.chunks_exact(p.nf()).map(|row| m.predict(row)).collect()
}

/// Bag members already fitted, by fold and member parameters (a sweep shares them between
/// its settings: `bag=3,seed=1` reuses the folds' models of `seed=1`, `seed=2`, `seed=3`).
#[derive(Default)]
pub struct Members(std::collections::HashMap<(usize, String), Model>);

/// Out-of-fold block probabilities of every page: the pages split into `p.folds` folds with
/// `p.fold_seed`, each fold's pages scored by the model (bag) fitted on the other folds.
/// Empty when `p.folds < 2`.
pub fn cv_probs(
    pages: &[PageData],
    p: &Params,
    cache: &mut Members,
    started: std::time::Instant,
) -> Vec<Vec<f32>> {
    let mut probs: Vec<Vec<f32>> = vec![Vec::new(); pages.len()];
    if p.folds < 2 {
        return probs;
    }
    let fold = folds(pages.len(), p.folds, p.fold_seed);
    for k in 0..p.folds {
        let train_pages: Vec<usize> = (0..pages.len()).filter(|&i| fold[i] != k).collect();
        let mut s = None;
        let members = (0..p.bag.max(1))
            .map(|j| {
                let mp = p.member(j);
                let key = (k, serde_json::to_string(&mp).unwrap_or_default());
                cache
                    .0
                    .entry(key)
                    .or_insert_with(|| {
                        fit_one(s.get_or_insert_with(|| samples(pages, &train_pages)), &mp)
                    })
                    .clone()
            })
            .collect();
        let m = average(members);
        for i in (0..pages.len()).filter(|&i| fold[i] == k) {
            probs[i] = page_probs(&m, &pages[i]);
        }
        eprintln!(
            "fold {}/{}: {:.1} s",
            k + 1,
            p.folds,
            started.elapsed().as_secs_f64()
        );
    }
    probs
}

/// F1 of `probs` with one threshold for every decision, at 0.2, 0.25, ..., 0.7 (the HTML
/// model's curve that `train` and [`sweep`] print).
fn threshold_curve(ds: &Dataset, pages: &[PageData], probs: &[Vec<f32>]) -> Vec<(f32, f64)> {
    [0.2f32, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7]
        .iter()
        .map(|&t| (t, score_probs(ds, pages, probs, t).f1))
        .collect()
}

/// One setting's cross-validated scores and its F1 at thresholds 0.2..0.7.
pub type SweepRow = (Scores, Vec<(f32, f64)>);

/// Cross-validated scores of each setting of a sweep (HTML model; features computed once,
/// bag members shared between settings), with F1 at thresholds 0.2..0.7.
pub fn sweep(
    cfg: &PipelineConfig,
    ds: &Dataset,
    grid: &[Params],
) -> Result<Vec<SweepRow>, TrainError> {
    let started = std::time::Instant::now();
    let pages = prepare(cfg, ds)?;
    let mut cache = Members::default();
    let mut out = Vec::new();
    for p in grid {
        let probs = cv_probs(&pages, p, &mut cache, started);
        let cv = score_probs_with(ds, &pages, &probs, p.thresholds());
        let at = threshold_curve(ds, &pages, &probs);
        out.push((cv, at));
    }
    Ok(out)
}

/// What `gristmill train` reports.
pub struct Outcome {
    pub model: Model,
    pub cv: Scores,
    pub in_sample: Scores,
    /// Cross-validated F1 at other thresholds.
    pub cv_thresholds: Vec<(f32, f64)>,
    pub rows: usize,
    /// Out-of-fold text of every page (id, text), in dataset order.
    pub cv_texts: Vec<(String, String)>,
}

/// Cross-validate by page, then fit the final model on every page.
pub fn train(cfg: &PipelineConfig, ds: &Dataset, p: &Params) -> Result<Outcome, TrainError> {
    let started = std::time::Instant::now();
    let pages = prepare(cfg, ds)?;
    eprintln!(
        "features of {} pages: {:.1} s",
        pages.len(),
        started.elapsed().as_secs_f64()
    );
    let probs = cv_probs(&pages, p, &mut Members::default(), started);
    let thresholds = p.thresholds();
    let cv_preds = predictions(&pages, &probs, thresholds);
    let cv = eval::score(ds, &cv_preds);
    let cv_texts = ds
        .pages
        .iter()
        .zip(cv_preds)
        .map(|(pg, pr)| (pg.id.clone(), pr.text))
        .collect();
    if pages.iter().any(PageData::is_text) {
        // The text model has two thresholds: report the cross-validated grid.
        for t in [0.3f32, 0.4, 0.5] {
            let row: Vec<String> = [0.4f32, 0.5, 0.6, 0.7]
                .iter()
                .map(|&r| {
                    let th = Thresholds {
                        keep: t,
                        restore: r.max(t),
                        whole: p.whole,
                    };
                    let f = score_probs_with(ds, &pages, &probs, th).f1;
                    format!("restore {r:.1}: {f:.4}")
                })
                .collect();
            println!("cv F1 at threshold {t:.1}, {}", row.join(", "));
        }
        let row: Vec<String> = [0.0f32, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
            .iter()
            .map(|&w| {
                let th = Thresholds {
                    whole: w,
                    ..p.thresholds()
                };
                let f = score_probs_with(ds, &pages, &probs, th).f1;
                format!("{w:.1}: {f:.4}")
            })
            .collect();
        println!("cv F1 by threshold on pages kept whole, {}", row.join(", "));
    }
    // One threshold for every decision only describes the HTML model; the text model's
    // grid is printed above.
    let cv_thresholds = if pages.iter().any(PageData::is_text) {
        Vec::new()
    } else {
        threshold_curve(ds, &pages, &probs)
    };
    let all: Vec<usize> = (0..pages.len()).collect();
    let s = samples(&pages, &all);
    let mut model = fit(&s, p);
    let in_probs: Vec<Vec<f32>> = pages.iter().map(|pg| page_probs(&model, pg)).collect();
    let in_sample = score_probs_with(ds, &pages, &in_probs, thresholds);
    model.info = serde_json::json!({
        "trained_on": ds.name,
        "pages": pages.len(),
        "rows": s.len(),
        "params": p,
        "cv_f1": cv.f1,
        "cv_by_type": cv.by_type.iter().map(|(k, v)| (k.clone(), v.f1)).collect::<std::collections::BTreeMap<_, _>>(),
        "in_sample_f1": in_sample.f1,
    });
    Ok(Outcome {
        model,
        cv,
        in_sample,
        cv_thresholds,
        rows: s.len(),
        cv_texts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic set: content when feature 0 is high and feature 1 low.
    fn synthetic(n: usize, seed: u64) -> Samples {
        let nf = model::n_features();
        let mut rng = Rng::new(seed);
        let mut s = Samples {
            nf,
            ..Samples::default()
        };
        for _ in 0..n {
            let mut row = vec![0f32; nf];
            for v in row.iter_mut().take(4) {
                *v = rng.unit();
            }
            let y = (row[0] > 0.5 && row[1] < 0.7) as u8 as f32;
            s.x.extend(row);
            s.y.push(y);
            s.w.push(1.0);
        }
        s
    }

    #[test]
    fn default_params_use_the_pipeline_thresholds() {
        let m = ModelConfig::default();
        let html = Params::default();
        assert_eq!(html.threshold, m.threshold);
        assert_eq!(html.whole, m.text_whole_threshold);
        let text = Params::for_config(&m, true);
        assert_eq!(text.threshold, m.text_threshold);
        assert_eq!(text.restore, m.text_restore);
        assert_eq!(
            text.thresholds(),
            Thresholds::of(&m, crate::block::Format::Text)
        );
        // session 10: the HTML model's trees changed shape, the text model's did not
        assert_eq!((html.trees, html.depth, html.bag), (125, 6, 1));
        assert_eq!((text.trees, text.depth, text.bag), (150, 5, 1));
    }

    #[test]
    fn training_is_reproducible_and_learns() {
        let s = synthetic(600, 7);
        let p = Params {
            trees: 20,
            depth: 3,
            ..Params::default()
        };
        let a = fit(&s, &p);
        let b = fit(&s, &p);
        assert_eq!(a, b, "same data and seed give the same model");
        let c = fit(
            &s,
            &Params {
                seed: p.seed + 1,
                ..p.clone()
            },
        );
        assert_ne!(a, c, "the seed drives row sampling");
        let correct = (0..s.len())
            .filter(|&i| (a.predict(s.row(i)) >= 0.5) == (s.y[i] == 1.0))
            .count();
        assert!(correct * 100 >= s.len() * 95, "{correct}/{}", s.len());
    }

    #[test]
    fn bagging_averages_member_margins_deterministically() {
        let s = synthetic(400, 11);
        let p = Params {
            trees: 8,
            depth: 3,
            bag: 3,
            ..Params::default()
        };
        let bagged = fit(&s, &p);
        assert_eq!(bagged, fit(&s, &p), "same data and seeds give the same bag");
        assert_eq!(bagged.trees.len(), 24, "one forest of every member's trees");
        let members: Vec<Model> = (0..3).map(|j| fit(&s, &p.member(j))).collect();
        assert_eq!(
            members[1],
            fit(
                &s,
                &Params {
                    seed: p.seed + 1,
                    bag: 1,
                    ..p.clone()
                }
            )
        );
        assert_ne!(members[0], members[1], "members have their own seeds");
        for i in 0..s.len() {
            let mean = members.iter().map(|m| m.margin(s.row(i))).sum::<f32>() / 3.0;
            let got = bagged.margin(s.row(i));
            assert!((got - mean).abs() < 1e-5, "row {i}: {got} vs {mean}");
            // the fast layout the pipeline uses gives the same margin
            let f = model::Forest::new(&bagged).unwrap();
            assert_eq!(f.margin(s.row(i)).unwrap().to_bits(), got.to_bits());
        }
        // a bag of one is the single model, bit for bit
        let one = Params {
            bag: 1,
            ..p.clone()
        };
        assert_eq!(fit(&s, &one), average(vec![fit_one(&s, &one)]));
    }

    #[test]
    fn column_sampling_limits_each_tree_to_its_features() {
        let mut rng = Rng::new(3);
        let on = feature_mask(10, 0.3, &mut rng);
        assert_eq!(on.iter().filter(|&&x| x).count(), 3);
        assert_ne!(on, feature_mask(10, 0.3, &mut rng), "drawn per tree");
        assert_eq!(
            feature_mask(10, 0.01, &mut rng)
                .iter()
                .filter(|&&x| x)
                .count(),
            1
        );
        let before = Rng::new(3).next_u64();
        let mut r = Rng::new(3);
        assert_eq!(feature_mask(10, 1.0, &mut r), vec![true; 10]);
        assert_eq!(r.next_u64(), before, "no draw when every feature is used");
        // with one feature per tree no tree splits on two (without sampling they do)
        let s = synthetic(600, 7);
        let p = Params {
            trees: 40,
            depth: 2,
            colsample: 0.5 / s.nf as f32,
            ..Params::default()
        };
        let distinct = |m: &Model| -> Vec<usize> {
            m.trees
                .iter()
                .map(|t| {
                    let u: HashSet<i32> = t.feature.iter().copied().filter(|&f| f >= 0).collect();
                    u.len()
                })
                .collect()
        };
        let m = fit(&s, &p);
        assert_eq!(m, fit(&s, &p));
        assert!(distinct(&m).iter().all(|&n| n <= 1));
        assert!(
            distinct(&m).contains(&1),
            "some trees drew a useful feature"
        );
        let full = fit(
            &s,
            &Params {
                colsample: 1.0,
                ..p.clone()
            },
        );
        assert!(distinct(&full).iter().any(|&n| n >= 2));
    }

    #[test]
    fn grid_overrides_parse() {
        let p = Params::default()
            .with(" bag=3, lr=0.05,trees=300 ,colsample=0.5,seed=9,fold_seed=4")
            .unwrap();
        assert_eq!((p.bag, p.trees, p.seed, p.fold_seed), (3, 300, 9, 4));
        assert_eq!((p.learning_rate, p.colsample), (0.05, 0.5));
        assert_eq!(
            Params::default().with("").unwrap().trees,
            Params::default().trees
        );
        assert!(Params::default().with("trees").is_err());
        assert!(Params::default().with("tres=3").is_err());
        assert!(Params::default().with("bag=x").is_err());
    }

    #[test]
    fn folds_are_balanced_and_seeded() {
        let f = folds(103, 5, 1);
        for k in 0..5 {
            let c = f.iter().filter(|&&x| x == k).count();
            assert!((20..=21).contains(&c));
        }
        assert_eq!(f, folds(103, 5, 1));
        assert_ne!(f, folds(103, 5, 2));
    }

    #[test]
    fn labels_follow_gold_trigrams() {
        let mut doc = Doc::default();
        for t in [
            "The river rose slowly through the night and reached the bridge.",
            "Home",
            "Subscribe to our newsletter for more river news today",
            "",
        ] {
            doc.blocks.push(crate::block::Block::new(
                crate::block::BlockKind::Paragraph,
                t,
            ));
        }
        let gold = "Flood\n\nThe river rose slowly through the night and reached the bridge. \
                    More news today from home.";
        let l = labels(&doc, gold);
        assert_eq!(l[0], Some((true, 11)));
        // "home" is in the gold text, but not after "the bridge" nor before "subscribe to"
        assert_eq!(l[1], Some((false, 1)));
        assert_eq!(l[2].map(|x| x.0), Some(false));
        assert_eq!(l[3], None);
        // a heading read with the paragraph after it
        let mut doc = Doc::default();
        for t in ["Menu", "Flood", "The river rose slowly through the night."] {
            doc.blocks.push(crate::block::Block::new(
                crate::block::BlockKind::Paragraph,
                t,
            ));
        }
        let l = labels(&doc, gold);
        assert_eq!(l[0].map(|x| x.0), Some(false));
        assert_eq!(l[1].map(|x| x.0), Some(true));
        assert_eq!(l[2].map(|x| x.0), Some(true));
    }

    #[test]
    fn cut_points_bin_like_thresholds() {
        let cuts = cuts_of(vec![3.0, 1.0, 2.0, 2.0], 64);
        assert_eq!(cuts, vec![1.0, 2.0]);
        assert_eq!(bin_of(&cuts, 1.0), 0);
        assert_eq!(bin_of(&cuts, 1.5), 1);
        assert_eq!(bin_of(&cuts, 3.0), 2);
    }
}
