//! Strip: the one classifier that gives every block a [`Verdict`] with a category and reason.
//!
//! Passes, in order, each only looking at blocks still kept:
//! 1. `comments`: comment sections; bodies become comments with authors, chrome is dropped.
//! 2. `rules`: the pipeline's noise categories (patterns on text, HTML class tokens) and
//!    inline cuts of source chips (text dumps also: leading chips glued before a sentence).
//! 3. `repeated`: lines seen across many documents of the same site or folder.
//! 4. `context`: structure: title, headings, position relative to the main content; text
//!    dumps keep the densest runs of prose (block weights from length, end punctuation and
//!    the stop-word ratio of `stopwords`); for HTML first `dom`: the main-content container.
//!
//! The same passes run for HTML and text; HTML blocks simply carry more features.

pub mod comments;
pub mod context;
pub mod dom;
pub mod repeated;
pub mod rules;
pub mod stopwords;

use crate::block::{Doc, Format};
pub use rules::Rules;

/// What the classifier knows beyond the document itself.
pub struct Context<'a> {
    pub format: Format,
    pub lang: Option<&'a str>,
    /// Site or folder the document belongs to (for repeated lines).
    pub group: &'a str,
    pub repeated: Option<&'a repeated::RepeatedLines>,
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
    if ctx.format == Format::Html {
        dom::apply(doc);
    }
    context::apply(doc, ctx);
}
