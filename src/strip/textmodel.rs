//! The learned block classifier of the text path: per-line features of a plain-text dump
//! (the line itself, its neighbours, where it sits relative to the heuristics' main text,
//! and the page as a whole) read by boosted trees of the same kind as the HTML model
//! (`strip::model::Model`, trained by `crate::train` on a text benchmark).
//!
//! It runs after the structural pass (`context`), so the heuristic verdict is an input. It
//! decides only blocks whose verdict came from structure (the densest-run search, menu runs,
//! stray lines) or that are kept: a block a noise pattern dropped stays dropped, and comments,
//! comment chrome and the title keep what the earlier passes gave them.

use super::model::{decides, Model, ModelError};
use super::Thresholds;
use crate::block::{Block, BlockKind, Doc, Verdict};
use std::collections::{HashMap, HashSet};

/// The text model shipped with gristmill (`models/text_blocks.json`), compiled in.
pub const BUILTIN_JSON: &str = include_str!("../../models/text_blocks.json");

/// Feature names in vector order.
const FEATURES: &[&str] = &[
    "words",
    "chars",
    "ends_punct",
    "stopword_ratio",
    "digit_share",
    "upper_initial_share",
    "currency",
    "ends_colon",
    "list_marker",
    "weight",
    "menu_line",
    "v_keep",
    "v_pattern",
    "v_before",
    "v_after",
    "v_marker",
    "v_between",
    "v_stray",
    "v_menu_run",
    "v_comment",
    "is_heading",
    "rel_position",
    "words_before_share",
    "dup_in_doc",
    "repeat_count",
    "prev_words",
    "next_words",
    "prev_weight",
    "next_weight",
    "prev_kept",
    "next_kept",
    "short_run",
    "window_words",
    "window_prose",
    "dist_kept_prose",
    "page_blocks",
    "page_words",
    "page_prose_share",
    "page_kept_share",
    "page_short_share",
    "title_overlap",
    "from_first_kept",
    "to_last_kept",
    "same_shape_neighbours",
];

/// Feature names in vector order.
pub fn feature_names() -> Vec<String> {
    FEATURES.iter().map(|s| s.to_string()).collect()
}

/// Number of features per block.
pub fn n_features() -> usize {
    FEATURES.len()
}

/// Parse a text model and check it was trained with these features.
pub fn from_json(s: &str, path: &str) -> Result<Model, ModelError> {
    Model::from_json_with(s, path, &feature_names())
}

/// `"builtin"` for the compiled-in text model, else a path to a model file.
pub fn load(spec: &str) -> Result<Model, ModelError> {
    Model::load_with(
        spec,
        (BUILTIN_JSON, "<built-in models/text_blocks.json>"),
        &feature_names(),
    )
}

/// Short line: at most this many words.
const SHORT_WORDS: usize = 4;
/// Neighbourhood (blocks on each side) of the window features.
const WINDOW: usize = 3;
/// Distances are capped here.
const MAX_DIST: usize = 50;

/// The index `structural` gives a run of menu lines: the one structural drop that does not
/// cut the page around a main text.
const MENU_RUN: usize = 5;

/// Which structural decision dropped a block (an index into the `v_*` flags after
/// `v_keep` and `v_pattern`), or `None` for a pattern drop.
fn structural(reason: &str) -> Option<usize> {
    match reason {
        "before the main text" => Some(0),
        "after the main text" => Some(1),
        "after an end-of-content marker" => Some(2),
        "short line between runs of the main text" => Some(3),
        "stray short line among short lines in the main text" => Some(4),
        "run of short menu lines" => Some(MENU_RUN),
        _ => None,
    }
}

/// May the model change this block's verdict?
fn model_decides(b: &Block) -> bool {
    decides(b)
        && match &b.verdict {
            Verdict::Keep => true,
            Verdict::Drop(d) => structural(&d.reason).is_some(),
            _ => false,
        }
}

fn line_stats(t: &str) -> [f32; 5] {
    let chars = t.chars().count().max(1) as f32;
    let digits = t.chars().filter(|c| c.is_numeric()).count() as f32;
    let words: Vec<&str> = t.split_whitespace().collect();
    let upper = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count() as f32;
    let currency = t.chars().any(|c| matches!(c, '$' | '€' | '£' | '¥' | '₹'));
    let trimmed = t.trim_end();
    let colon = trimmed.ends_with(':');
    let first = t.trim_start().chars().next().unwrap_or(' ');
    let marker = matches!(first, '•' | '-' | '*' | '–' | '·' | '►' | '→')
        || (first.is_ascii_digit() && {
            let rest = t
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        });
    [
        digits / chars,
        upper / (words.len().max(1) as f32),
        currency as u8 as f32,
        colon as u8 as f32,
        marker as u8 as f32,
    ]
}

/// Feature rows of every block (row-major, [`n_features`] per block). The blocks must have
/// been through the structural pass, which also sets their stop-word ratios.
pub fn features(doc: &Doc, stop: Option<&HashSet<&'static str>>) -> Vec<f32> {
    let n = doc.blocks.len();
    let nf = n_features();
    let weights: Vec<f32> = doc
        .blocks
        .iter()
        .map(|b| super::context::weight(b, stop))
        .collect();
    let words: Vec<f32> = doc.blocks.iter().map(|b| b.features.words as f32).collect();
    let kept: Vec<bool> = doc
        .blocks
        .iter()
        .map(|b| b.verdict.is_keep() && b.kind != BlockKind::Title)
        .collect();
    let total_words: f32 = words.iter().sum::<f32>().max(1.0);
    let prose_words: f32 = weights.iter().filter(|w| **w > 0.0).sum();
    let kept_words: f32 = (0..n).filter(|&i| kept[i]).map(|i| words[i]).sum();
    let short = |i: usize| doc.blocks[i].features.words <= SHORT_WORDS;
    let short_blocks = (0..n).filter(|&i| short(i)).count() as f32;
    let mut dups: HashMap<&str, u32> = HashMap::new();
    for b in &doc.blocks {
        *dups.entry(b.text.trim()).or_default() += 1;
    }
    // Runs of short lines: length of the run each short block belongs to.
    let mut short_run = vec![0f32; n];
    let mut i = 0;
    while i < n {
        if !short(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && short(j) {
            j += 1;
        }
        for v in &mut short_run[i..j] {
            *v = (j - i) as f32;
        }
        i = j;
    }
    // Distance to the nearest kept block of prose (weight > 0).
    let anchor = |i: usize| kept[i] && weights[i] > 0.0;
    let mut dist = vec![MAX_DIST as f32; n];
    let mut last: Option<usize> = None;
    for (i, d) in dist.iter_mut().enumerate() {
        if anchor(i) {
            last = Some(i);
        }
        if let Some(l) = last {
            *d = ((i - l).min(MAX_DIST)) as f32;
        }
    }
    last = None;
    for i in (0..n).rev() {
        if anchor(i) {
            last = Some(i);
        }
        if let Some(l) = last {
            dist[i] = dist[i].min((l - i).min(MAX_DIST) as f32);
        }
    }
    // Words of the page's first line (a dump's first line is usually the page title) and of
    // the title block.
    let lower_words =
        |t: &str| -> Vec<String> { crate::text::words(t).map(|w| w.to_lowercase()).collect() };
    let mut title: HashSet<String> = HashSet::new();
    for b in doc.blocks.iter().take(1).chain(
        doc.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Title)
            .take(1),
    ) {
        title.extend(lower_words(&b.text));
    }
    let first_kept = (0..n).find(|&i| kept[i]).unwrap_or(0) as f32;
    let last_kept = (0..n)
        .rev()
        .find(|&i| kept[i])
        .unwrap_or(n.saturating_sub(1)) as f32;
    let shape = |i: usize| {
        let b = &doc.blocks[i];
        (
            b.features.words.min(8),
            b.text.chars().any(|c| c.is_numeric()),
            b.features.ends_with_punct,
        )
    };
    let mut x = Vec::with_capacity(n * nf);
    let mut before = 0f32;
    for (i, b) in doc.blocks.iter().enumerate() {
        let f = &b.features;
        let s = line_stats(&b.text);
        let mut v = [0f32; 9];
        match &b.verdict {
            Verdict::Keep => v[0] = 1.0,
            Verdict::Drop(d) => match structural(&d.reason) {
                Some(k) => v[2 + k] = 1.0,
                None => v[1] = 1.0,
            },
            _ => v[8] = 1.0,
        }
        let lo = i.saturating_sub(WINDOW);
        let hi = (i + WINDOW + 1).min(n);
        let window_words = words[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
        let window_prose: f32 = weights[lo..hi].iter().filter(|w| **w > 0.0).sum();
        let prev = i.checked_sub(1);
        let next = (i + 1 < n).then_some(i + 1);
        let nb = |o: Option<usize>, a: &[f32]| o.map_or(-1.0, |k| a[k]);
        let nk = |o: Option<usize>| o.map_or(-1.0, |k| kept[k] as u8 as f32);
        x.extend_from_slice(&[
            words[i],
            f.chars as f32,
            f.ends_with_punct as u8 as f32,
            f.stopword_ratio,
            s[0],
            s[1],
            s[2],
            s[3],
            s[4],
            weights[i],
            super::context::is_menu_line(b) as u8 as f32,
        ]);
        x.extend_from_slice(&v);
        x.extend_from_slice(&[
            b.kind.is_heading() as u8 as f32,
            i as f32 / n as f32,
            before / total_words,
            dups.get(b.text.trim()).copied().unwrap_or(1) as f32,
            f.repeat_count as f32,
            nb(prev, &words),
            nb(next, &words),
            nb(prev, &weights),
            nb(next, &weights),
            nk(prev),
            nk(next),
            short_run[i],
            window_words,
            window_prose,
            dist[i],
            n as f32,
            total_words,
            prose_words / total_words,
            kept_words / total_words,
            short_blocks / n as f32,
        ]);
        let own = lower_words(&b.text);
        let overlap = if own.is_empty() {
            0.0
        } else {
            own.iter().filter(|w| title.contains(*w)).count() as f32 / own.len() as f32
        };
        let same = [prev, next]
            .iter()
            .flatten()
            .filter(|&&k| shape(k) == shape(i))
            .count() as f32;
        x.extend_from_slice(&[
            overlap,
            (i as f32 - first_kept) / n as f32,
            (last_kept - i as f32) / n as f32,
            same,
        ]);
        before += words[i];
    }
    debug_assert_eq!(x.len(), n * nf);
    x
}

/// Did the structural pass find no main text (a grid, a list of short lines: the page was
/// kept as it is apart from patterns and menu runs)?
fn kept_whole(doc: &Doc) -> bool {
    !doc.blocks.iter().any(|b| match &b.verdict {
        Verdict::Drop(d) => structural(&d.reason).is_some_and(|k| k != MENU_RUN),
        _ => false,
    })
}

/// Set the verdicts of the blocks the text model decides from their probabilities of being
/// content: a kept block below `t.keep` goes as `boilerplate` (below `t.whole` on a page the
/// structural pass kept whole); a block dropped by a structural rule comes back from
/// `t.restore`. A document is never emptied: when the model would drop every line that was
/// kept, the kept lines stay.
pub fn decide(doc: &mut Doc, probs: &[f32], t: Thresholds) {
    let threshold = if kept_whole(doc) { t.whole } else { t.keep };
    let restore = t.restore;
    let counts = |b: &Block| b.verdict.is_keep() && b.kind != BlockKind::Title;
    let kept_before = doc.blocks.iter().any(counts);
    let keeps_some = doc
        .blocks
        .iter()
        .zip(probs)
        .any(|(b, &p)| counts(b) && (!model_decides(b) || p >= threshold))
        || doc
            .blocks
            .iter()
            .zip(probs)
            .any(|(b, &p)| !b.verdict.is_keep() && model_decides(b) && p >= restore);
    let may_drop = !kept_before || keeps_some;
    for (b, &p) in doc.blocks.iter_mut().zip(probs) {
        if !model_decides(b) {
            continue;
        }
        if b.verdict.is_keep() {
            if p < threshold && may_drop {
                b.verdict = Verdict::drop("boilerplate", format!("line classifier p={p:.2}"));
            }
        } else if p >= restore {
            b.verdict = Verdict::Keep;
        }
    }
}

/// Run the text model over a document that has been through the heuristic passes.
pub fn apply(
    doc: &mut Doc,
    model: &Model,
    thresholds: Thresholds,
    stop: Option<&HashSet<&'static str>>,
) {
    let x = features(doc, stop);
    let probs: Vec<f32> = x
        .chunks_exact(n_features())
        .map(|row| model.predict(row))
        .collect();
    decide(doc, &probs, thresholds);
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Thresholds = Thresholds {
        keep: 0.3,
        restore: 0.5,
        whole: 0.2,
    };

    fn doc(lines: &[(&str, Verdict)]) -> Doc {
        let mut d = Doc::default();
        for (t, v) in lines {
            let mut b = Block::new(BlockKind::Paragraph, *t);
            b.verdict = v.clone();
            d.blocks.push(b);
        }
        d
    }

    fn kept(d: &Doc) -> Vec<bool> {
        d.blocks.iter().map(|b| b.verdict.is_keep()).collect()
    }

    #[test]
    fn builtin_text_model_loads_with_these_features() {
        let m = load("builtin").expect("shipped text model loads");
        assert_eq!(m.features, feature_names());
        assert!(!m.trees.is_empty());
        // A model trained on other features is refused.
        let other = serde_json::json!({"features": ["words"], "base": 0.0, "trees": []});
        assert!(from_json(&other.to_string(), "x").is_err());
    }

    #[test]
    fn one_feature_row_per_block() {
        let d = doc(&[
            (
                "Menu",
                Verdict::drop("navigation", "run of short menu lines"),
            ),
            (
                "The ferry to the island leaves twice a day in summer.",
                Verdict::Keep,
            ),
            ("$12.50", Verdict::Keep),
        ]);
        let x = features(&d, super::super::stopwords::for_lang(Some("en")));
        assert_eq!(x.len(), 3 * n_features());
        let f = |name: &str| FEATURES.iter().position(|n| *n == name).unwrap();
        let row = |i: usize| &x[i * n_features()..(i + 1) * n_features()];
        assert_eq!(row(0)[f("v_menu_run")], 1.0);
        assert_eq!(row(1)[f("v_keep")], 1.0);
        assert_eq!(row(2)[f("currency")], 1.0);
        assert_eq!(row(1)[f("prev_kept")], 0.0);
        assert!(features(&Doc::default(), None).is_empty());
    }

    #[test]
    fn pattern_drops_and_comments_are_not_the_models_to_change() {
        let mut d = doc(&[
            (
                "We use cookies",
                Verdict::drop("prompt", "prompt pattern 'cookies'"),
            ),
            ("Home", Verdict::drop("chrome", "before the main text")),
            ("Nice post", Verdict::Comment { author: None }),
            (
                "The ferry to the island leaves twice a day in summer.",
                Verdict::Keep,
            ),
            ("Share this", Verdict::Keep),
        ]);
        decide(&mut d, &[0.99, 0.9, 0.01, 0.9, 0.1], T);
        assert_eq!(kept(&d), [false, true, false, true, false]);
        assert!(matches!(d.blocks[2].verdict, Verdict::Comment { .. }));
        assert!(
            matches!(&d.blocks[4].verdict, Verdict::Drop(x) if x.reason.starts_with("line classifier"))
        );
        // Below the restore threshold a structural drop stays.
        let mut d = doc(&[
            ("Home", Verdict::drop("chrome", "before the main text")),
            (
                "The ferry to the island leaves twice a day in summer.",
                Verdict::Keep,
            ),
        ]);
        decide(&mut d, &[0.45, 0.9], T);
        assert_eq!(kept(&d), [false, true]);
    }

    #[test]
    fn pages_kept_whole_use_their_own_threshold_and_are_never_emptied() {
        // No structural drop before, after or between runs: the page was kept whole.
        let lines = [
            ("Oak table", Verdict::Keep),
            ("$340", Verdict::Keep),
            ("Pine shelf", Verdict::Keep),
        ];
        let mut d = doc(&lines);
        decide(&mut d, &[0.25, 0.1, 0.6], T);
        assert_eq!(kept(&d), [true, false, true]);
        // The same probabilities on a page with a main text found: the stricter threshold.
        let mut with_run = doc(&lines);
        with_run
            .blocks
            .push(Block::new(BlockKind::Paragraph, "Footer line"));
        with_run.blocks[3].verdict = Verdict::drop("footer", "after the main text");
        decide(&mut with_run, &[0.25, 0.1, 0.6, 0.0], T);
        assert_eq!(kept(&with_run), [false, false, true, false]);
        // Every line rejected: the kept lines stay.
        let mut d = doc(&lines);
        decide(&mut d, &[0.05, 0.1, 0.1], T);
        assert_eq!(kept(&d), [true, true, true]);
    }
}
