//! Structural decisions that need the neighbours of a block: which block is the title, which
//! short lines are headings, which runs of short lines are menus, what lies outside the main
//! content (before the first and after the last run of prose). Used for every document; the
//! HTML-only decisions from DOM features are in `dom`.

use super::Context;
use crate::block::{BlockKind, Doc, Format, Verdict};

/// Prose: a block long enough and ending like a sentence.
pub fn is_prose(b: &crate::block::Block) -> bool {
    b.features.words >= 10 && b.features.ends_with_punct && b.features.link_density < 0.5
}

/// Mark the block of a text dump that is its title (it goes to `metadata.title`, not `text`):
/// the first kept block among the first few that reads like a headline.
pub fn mark_title(doc: &mut Doc) {
    // The first kept block among the first few that reads like a headline.
    let mut seen = 0;
    for i in 0..doc.blocks.len() {
        let b = &doc.blocks[i];
        if !b.verdict.is_keep() {
            continue;
        }
        seen += 1;
        if seen > 6 {
            break;
        }
        let w = b.features.words;
        let has_prose_after = doc.blocks[i + 1..]
            .iter()
            .take(8)
            .any(|n| n.verdict.is_keep() && is_prose(n));
        if (3..=30).contains(&w)
            && b.features.chars <= 250
            && !is_prose_sentence_run(&b.text)
            && has_prose_after
        {
            if doc.meta.title.is_none() {
                doc.meta.title = Some(b.text.clone());
            }
            doc.blocks[i].kind = BlockKind::Title;
            break;
        }
    }
}

/// More than one sentence: a paragraph, not a headline.
fn is_prose_sentence_run(t: &str) -> bool {
    let inner = t.trim_end_matches(['.', '!', '?']);
    inner.contains(". ") || inner.contains("! ") || inner.contains("? ")
}

/// Structural pass over the kept blocks.
pub fn apply(doc: &mut Doc, ctx: &Context) {
    let kept: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| doc.blocks[i].verdict.is_keep() && doc.blocks[i].kind != BlockKind::Title)
        .collect();
    let prose: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&i| is_prose(&doc.blocks[i]))
        .collect();
    let (Some(&first), Some(&last)) = (prose.first(), prose.last()) else {
        return; // nothing reads like prose: keep the document as it is, never empty it
    };
    for &i in &kept {
        let b = &mut doc.blocks[i];
        let short = b.features.words < 10 || !b.features.ends_with_punct;
        if i < first && short && ctx.format == Format::Text && b.features.words <= 6 {
            b.verdict = Verdict::drop("chrome", "short line before the article body");
        } else if i > last && short && b.features.words <= 8 {
            b.verdict = Verdict::drop("footer", "short line after the article body");
        }
    }
    if ctx.format == Format::Text {
        mark_text_headings(doc);
    }
}

/// In text dumps, a short line without end punctuation followed by prose is a heading.
fn mark_text_headings(doc: &mut Doc) {
    let n = doc.blocks.len();
    for i in 0..n {
        let b = &doc.blocks[i];
        if !b.verdict.is_keep() || b.kind != BlockKind::Line {
            continue;
        }
        let w = b.features.words;
        let heading_like = (1..=14).contains(&w) && !b.features.ends_with_punct;
        let next_prose = doc.blocks[i + 1..]
            .iter()
            .find(|n| n.verdict.is_keep())
            .is_some_and(is_prose);
        doc.blocks[i].kind = if heading_like && next_prose {
            BlockKind::Heading(2)
        } else {
            BlockKind::Paragraph
        };
    }
}
