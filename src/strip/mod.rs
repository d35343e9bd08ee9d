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
//!    the final keep/drop decision (comments, comment chrome and the title stay as they are;
//!    on the text path, so do blocks a noise pattern dropped).
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

/// What the classifier knows beyond the document itself.
pub struct Context<'a> {
    pub format: Format,
    pub lang: Option<&'a str>,
    /// Site or folder the document belongs to (for repeated lines).
    pub group: &'a str,
    pub repeated: Option<&'a repeated::RepeatedLines>,
    /// Learned block classifier of the document's format (`model` for HTML, `textmodel`
    /// for text dumps) and its keep threshold.
    pub model: Option<(&'a model::Model, f32)>,
    /// Text model only: the probability from which a line the structural rules dropped is
    /// kept again, and the drop threshold on pages the structural pass kept whole.
    pub text_restore: (f32, f32),
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
    if let Some((m, threshold)) = ctx.model {
        let stop = stopwords::for_lang(ctx.lang);
        match ctx.format {
            Format::Html => model::apply(doc, m, threshold, stop),
            Format::Text => {
                let (restore, whole) = ctx.text_restore;
                textmodel::apply(doc, m, (threshold, restore, whole), stop)
            }
        }
    }
}
