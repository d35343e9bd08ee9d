//! Strip: the one classifier that gives every block a [`Verdict`] with a category and reason.
//!
//! Passes, in order, each only looking at blocks still kept:
//! 1. `comments`: comment sections; bodies become comments with authors, chrome is dropped.
//! 2. `rules`: the pipeline's noise categories (patterns on text, HTML class tokens) and
//!    inline cuts of source chips (text dumps also: leading chips glued before a sentence).
//! 3. `repeated`: lines seen across many documents of the same site or folder.
//! 4. `context` (text) or `dom` (HTML): structure. Text dumps keep the densest runs of prose
//!    (block weights from length, end punctuation and the stop-word ratio of `stopwords`),
//!    with title, headings and position relative to the prose; HTML: title from the main
//!    heading, and the DOM's main-content container bounds what is kept (comment sections
//!    inside it found only by text patterns are undone right after pass 1).
//!
//! 5. `model` (HTML) or `textmodel` (text), when the pipeline has one: the learned block
//!    classifier reads every block's features and the verdict of the passes above and makes
//!    the final keep/drop decision (comments, comment chrome, the title and blocks a
//!    whole-block noise pattern dropped stay as they are; on the text path, so do blocks of
//!    pattern-opened sections).
//!
//! The same passes run for HTML and text; HTML blocks simply carry more features.

pub mod comments;
pub mod context;
pub mod dom;
pub mod model;
pub mod repeated;
pub mod rules;
pub mod stopwords;
pub mod textmodel;

use crate::block::{Doc, Format};
pub use rules::Rules;
use std::collections::HashSet;

/// What the classifier knows beyond the document itself.
pub struct Context<'a> {
    pub format: Format,
    pub lang: Option<&'a str>,
    /// Site or folder the document belongs to (for repeated lines).
    pub group: &'a str,
    pub repeated: Option<&'a repeated::RepeatedLines>,
    /// Learned block classifier of the document's format (`model` for HTML, `textmodel`
    /// for text dumps) and its thresholds.
    pub model: Option<(&'a model::Model, Thresholds)>,
}

/// The learned block classifier of a document format: its features, and how its
/// probabilities become verdicts. The pipeline (`classify`) and the training code
/// (`crate::train`) both go through it, so the two cannot disagree on which is which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classifier {
    /// `strip::model`: DOM blocks.
    Html,
    /// `strip::textmodel`: lines of a text dump.
    Text,
}

impl Classifier {
    pub fn of(format: Format) -> Classifier {
        match format {
            Format::Html => Classifier::Html,
            Format::Text => Classifier::Text,
        }
    }

    pub fn feature_names(self) -> Vec<String> {
        match self {
            Classifier::Html => model::feature_names(),
            Classifier::Text => textmodel::feature_names(),
        }
    }

    pub fn n_features(self) -> usize {
        match self {
            Classifier::Html => model::n_features(),
            Classifier::Text => textmodel::n_features(),
        }
    }

    /// Feature rows of every block of `doc` (row-major).
    pub fn features(self, doc: &Doc, stop: Option<&HashSet<&'static str>>) -> Vec<f32> {
        match self {
            Classifier::Html => model::features(doc, stop),
            Classifier::Text => textmodel::features(doc, stop),
        }
    }

    /// Verdicts from one probability per block.
    pub fn decide(self, doc: &mut Doc, probs: &[f32], t: Thresholds) {
        match self {
            Classifier::Html => model::decide(doc, probs, t.keep),
            Classifier::Text => textmodel::decide(doc, probs, t),
        }
    }

    /// Features, probabilities under `m` and verdicts.
    pub fn apply(
        self,
        doc: &mut Doc,
        m: &model::Model,
        t: Thresholds,
        stop: Option<&HashSet<&'static str>>,
    ) {
        match self {
            Classifier::Html => model::apply(doc, m, t.keep, stop),
            Classifier::Text => textmodel::apply(doc, m, t, stop),
        }
    }
}

/// Where a classifier's probabilities become verdicts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A kept block below this probability is dropped.
    pub keep: f32,
    /// Text model: a line a structural rule dropped is kept again from this probability
    /// (the HTML model derives its own, `model::restore_threshold(keep)`).
    pub restore: f32,
    /// Text model: the drop threshold on a page the structural pass kept whole.
    pub whole: f32,
}

impl Thresholds {
    /// The thresholds of the classifier for `format` in a pipeline's `[model]` section.
    pub fn of(m: &crate::config::ModelConfig, format: Format) -> Thresholds {
        Thresholds {
            keep: match format {
                Format::Html => m.threshold,
                Format::Text => m.text_threshold,
            },
            restore: m.text_restore,
            whole: m.text_whole_threshold,
        }
    }

    /// One threshold for every decision.
    pub fn single(t: f32) -> Thresholds {
        Thresholds {
            keep: t,
            restore: t,
            whole: t,
        }
    }
}

/// Give every block of `doc` a verdict.
pub fn classify(doc: &mut Doc, rules: &Rules, ctx: &Context) {
    comments::apply(doc, rules);
    if ctx.format == Format::Html {
        dom::restore_main(doc);
    }
    rules::apply(doc, rules);
    if ctx.format == Format::Text {
        rules::cut_leading_chips(doc, stopwords::for_lang(ctx.lang));
    }
    match ctx.format {
        Format::Html => dom::mark_title(doc),
        Format::Text => context::mark_title(doc),
    }
    if let Some(rep) = ctx.repeated {
        repeated::apply(doc, rep, ctx.group);
    }
    match ctx.format {
        // The DOM container already bounds the content; tables and lists that end an HTML
        // page are content, not a footer.
        Format::Html => dom::apply(doc),
        Format::Text => context::apply(doc, ctx),
    }
    if let Some((m, t)) = ctx.model {
        Classifier::of(ctx.format).apply(doc, m, t, stopwords::for_lang(ctx.lang));
    }
}
