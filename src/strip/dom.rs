//! HTML-only decisions from DOM features: which heading is the page title, and which
//! blocks lie outside the main-content container chosen by `extract::html`.

use crate::block::{BlockKind, Doc, Verdict};

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Choose the page title and mark its heading (it goes to `metadata.title`, not `text`).
///
/// The main heading of the page wins: the first `<h1>` inside the main-content container,
/// or else the last one before it. Without one, the title from the head (its first segment,
/// set by `extract::meta`) stays, and a leading heading that repeats it is marked.
pub fn mark_title(doc: &mut Doc) {
    let first_main = doc
        .blocks
        .iter()
        .position(|b| b.features.in_main == Some(true));
    let is_h1 = |b: &crate::block::Block| {
        b.kind == BlockKind::Heading(1) && b.verdict.is_keep() && b.features.words > 0
    };
    let main_h1 = doc
        .blocks
        .iter()
        .position(|b| is_h1(b) && b.features.in_main == Some(true))
        .or_else(|| {
            let end = first_main.unwrap_or(doc.blocks.len());
            doc.blocks[..end].iter().rposition(is_h1)
        });
    if let Some(i) = main_h1 {
        let h1 = doc.blocks[i].text.clone();
        // A heading that carries a tagline or site name after a separator ("Headline | Tag")
        // is cut to its first part when the separator is a pipe or the head title agrees.
        let head = crate::extract::meta::first_segment(&h1);
        let head_title = doc.meta.title.as_deref().map(norm).unwrap_or_default();
        let cut = head.len() < h1.trim().len()
            && (h1.contains(" | ") || (!head_title.is_empty() && norm(&head) == head_title));
        let chosen = if cut { head } else { h1 };
        let c = norm(&chosen);
        // The heading names the page when the head title is missing or shares its words.
        if head_title.is_empty() || c.contains(&head_title) || head_title.contains(&c) {
            doc.meta.title = Some(chosen);
        }
        doc.blocks[i].kind = BlockKind::Title;
        return;
    }
    let title = doc.meta.title.as_deref().map(norm).unwrap_or_default();
    if title.is_empty() {
        return;
    }
    let pos = doc.blocks.iter().position(|b| {
        matches!(b.kind, BlockKind::Heading(1..=2)) && b.verdict.is_keep() && {
            let h = norm(&b.text);
            !h.is_empty() && (title.contains(&h) || h.contains(&title))
        }
    });
    if let Some(i) = pos {
        doc.blocks[i].kind = BlockKind::Title;
    }
}

/// Drop kept blocks outside the main-content container, and repeats of a paragraph or
/// heading already kept (carousels, slides and responsive variants render the same text
/// more than once; readers see it once).
pub fn apply(doc: &mut Doc) {
    // Hash of the text -> first kept block with it (lookups only; no iteration order).
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for i in 0..doc.blocks.len() {
        let b = &doc.blocks[i];
        if !b.verdict.is_keep() {
            continue;
        }
        if b.features.in_main == Some(false) {
            doc.blocks[i].verdict =
                Verdict::drop("boilerplate", "outside the main-content container");
            continue;
        }
        if matches!(
            b.kind,
            BlockKind::ListItem | BlockKind::TableRow | BlockKind::Code
        ) {
            continue;
        }
        let key = hash_norm(&b.text);
        match seen.get(&key) {
            Some(&j) if doc.blocks[j].text == doc.blocks[i].text => {
                doc.blocks[i].verdict = Verdict::drop("repeated", "same text already kept above");
            }
            Some(_) => {}
            None => {
                seen.insert(key, i);
            }
        }
    }
}

fn hash_norm(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Undo text-pattern comment sections inside the main-content container: a "6 Comments"
/// link in a byline must not turn the article below it into comments. Blocks whose own
/// elements are marked as comments stay comments.
pub fn restore_main(doc: &mut Doc) {
    for b in &mut doc.blocks {
        if b.features.in_main == Some(true)
            && matches!(b.verdict, Verdict::Comment { .. } | Verdict::CommentMeta(_))
            && !super::comments::has_comment_token(&b.features.class_tokens)
        {
            b.verdict = Verdict::Keep;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{Block, Doc};

    #[test]
    fn heading_tagline_after_pipe_is_cut_from_title() {
        let mut doc = Doc::default();
        let mut b = Block::new(BlockKind::Heading(1), "Fresh Bread at Home | Ten Recipes");
        b.features.words = 7;
        doc.blocks.push(b);
        mark_title(&mut doc);
        assert_eq!(doc.meta.title.as_deref(), Some("Fresh Bread at Home"));
        assert_eq!(doc.blocks[0].kind, BlockKind::Title);
    }

    #[test]
    fn head_title_stays_when_heading_disagrees() {
        let mut doc = Doc::default();
        doc.meta.title = Some("Fresh Bread at Home".into());
        let mut b = Block::new(BlockKind::Heading(1), "Join our newsletter");
        b.features.words = 3;
        doc.blocks.push(b);
        mark_title(&mut doc);
        assert_eq!(doc.meta.title.as_deref(), Some("Fresh Bread at Home"));
        assert_eq!(doc.blocks[0].kind, BlockKind::Title);
    }
}
