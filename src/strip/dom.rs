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
/// The heading block marked is the first `<h1>` inside the main-content container, or else
/// the last one before it; without one, a leading heading that repeats the head title. The
/// title itself is chosen between that heading and the head title by [`choose_title`].
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
            // The page's heading just above the main content, even when a class token
            // (a header or widget area around it) dropped it: it names the page.
            let end = first_main.unwrap_or(doc.blocks.len());
            doc.blocks[..end].iter().rposition(|b| {
                b.kind == BlockKind::Heading(1)
                    && b.features.words > 0
                    && (b.verdict.is_keep() || b.features.in_main.is_some())
            })
        })
        .or_else(|| {
            let title = doc.meta.title.as_deref().map(norm).unwrap_or_default();
            if title.is_empty() {
                return None;
            }
            doc.blocks.iter().position(|b| {
                matches!(b.kind, BlockKind::Heading(1..=2)) && b.verdict.is_keep() && {
                    let h = norm(&b.text);
                    !h.is_empty() && (title.contains(&h) || h.contains(&title))
                }
            })
        });
    if let Some(i) = main_h1 {
        let above_main = doc.blocks[i].features.in_main != Some(true);
        let chosen = choose_title(&doc.blocks[i].text, above_main, &doc.meta);
        doc.meta.title = Some(chosen);
        doc.blocks[i].kind = BlockKind::Title;
    }
    if let Some(t) = doc.meta.title.take() {
        doc.meta.title = Some(clean_title(&t)).filter(|t| !t.is_empty());
    }
}

/// The title of a page from its main heading and its head title (`meta.title`, the
/// headline part of og:title or `<title>`), by how the two and the other head titles
/// (`meta.title_candidates`) agree:
/// - a heading that is the site's name (or the last part of a head title) names the site:
///   head; a head title that is only the site's name, on a page other than the home page,
///   gives way to the heading;
/// - the same words in both: the spelling that kept more characters, the head's on a tie;
/// - a heading that some head title repeats whole is the title: heading (without a tagline
///   after a long first part, see [`headline_part`]);
/// - a heading `Headline | Tagline` whose first part is the head title: that part;
/// - one inside the other, as a run of whole words: the heading when the head title starts
///   or ends with it (the head adds a site, brand or tagline), the head title when the
///   heading sits in its middle (a section word inside a longer headline); the heading when
///   the head title starts it, else the head title (`Thread: Headline`, `Brand Product`);
/// - otherwise the heading when the two share at least half the words of the shorter one
///   (a reworded headline) and it has at least as many words, or when it stands above the
///   main container (`above_main`: an article header set apart from the body) and has a
///   headline's five or more words; else the head title (the heading is a slogan or section
///   name, or the shorter of two rewordings).
pub fn choose_title(heading: &str, above_main: bool, meta: &crate::block::Meta) -> String {
    use crate::extract::meta::{is_site_part, site_first, title_key, title_parts};
    let heading = heading.trim();
    let Some(head) = meta
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return cut_tagline(heading, None).to_string();
    };
    let hk = title_key(heading);
    let tk = title_key(head);
    if hk.is_empty() {
        return head.to_string();
    }
    let home = meta
        .url
        .as_deref()
        .is_some_and(crate::extract::meta::is_home);
    if !home && is_site_part(head, &meta.site_names) && !is_site_part(heading, &meta.site_names) {
        // The head title of an inner page names only the site (`Site - Slogan` cut to
        // `Site`): the heading names the page.
        return cut_tagline(heading, None).to_string();
    }
    if hk == tk {
        // The same words: the spelling that kept more of its characters (the other lost
        // a question mark, a full stop or the spaces of a fraction).
        let fuller = heading.chars().count() > head.chars().count();
        return if fuller { heading } else { head }.to_string();
    }
    let tail_part = meta.title_candidates.iter().any(|c| {
        let parts = title_parts(c);
        parts.len() >= 2
            && parts
                .last()
                .is_some_and(|&(a, b)| title_key(&c[a..b]) == hk)
    });
    if tail_part || is_site_part(heading, &meta.site_names) {
        return head.to_string();
    }
    if let Some(t) = after_label(&hk, meta) {
        return t.to_string();
    }
    if let Some(t) = separated_span(heading, &hk, meta) {
        return t;
    }
    if meta.title_candidates.iter().any(|c| title_key(c) == hk) {
        return headline_part(heading).unwrap_or(heading).to_string();
    }
    // A head title that starts with the site's name names the site's section or slogan
    // after it (`Site - The heart of the internet`); the heading names this page.
    if meta
        .title_candidates
        .first()
        .is_some_and(|c| site_first(c, &meta.site_names) && title_key(c) != tk)
    {
        return heading.to_string();
    }
    if title_key(without_counts(heading)) == tk {
        return head.to_string();
    }
    let h = cut_tagline(heading, Some(&tk));
    let hk = title_key(h);
    if hk == tk {
        return head.to_string();
    }
    let hws = word_keys(h);
    let tws = word_keys(head);
    if contains_run(&tws, &hws) {
        let edge = tws.starts_with(&hws) || tws.ends_with(&hws);
        return if edge { h } else { head }.to_string();
    }
    if contains_run(&hws, &tws) {
        return if hws.starts_with(&tws) { h } else { head }.to_string();
    }
    let hw = word_set(h);
    let tw = word_set(head);
    let shared = hw.intersection(&tw).count();
    let smaller = hw.len().min(tw.len()).max(1);
    if (shared * 2 >= smaller && hws.len() >= tws.len()) || (above_main && hws.len() >= 5) {
        h.to_string()
    } else {
        head.to_string()
    }
}

/// The title after a label that a heading puts before it (`Solved Title`, the markup
/// dropping the separator): a head title `Label - Title` gives the label, another head
/// title is the rest.
fn after_label<'a>(hk: &str, meta: &'a crate::block::Meta) -> Option<&'a str> {
    use crate::extract::meta::{title_key, title_parts};
    meta.title_candidates.iter().find_map(|c| {
        let parts = title_parts(c);
        let &(a, b) = parts.first().filter(|_| parts.len() >= 2)?;
        let rest = hk.strip_prefix(title_key(&c[a..b]).as_str())?;
        (rest.chars().count() >= 3)
            .then(|| {
                meta.title_candidates
                    .iter()
                    .find(|t| title_key(t) == rest)
                    .map(String::as_str)
            })
            .flatten()
    })
}

/// A heading whose words are the leading parts of a head title (`Staple Tee 5001` for
/// `Staple Tee - 5001 | Shop`) is the title whole, not to be cut at a separator: in its
/// own spelling when it has separators of its own, else in the head title's (which keeps
/// the separators the heading's markup lost).
fn separated_span(heading: &str, hk: &str, meta: &crate::block::Meta) -> Option<String> {
    use crate::extract::meta::{title_key, title_parts};
    let own = title_parts(heading).len() > 1 || heading.contains(':');
    let flat = heading.split_whitespace().collect::<Vec<_>>().join(" ");
    meta.title_candidates.iter().find_map(|c| {
        let parts = title_parts(c);
        (2..=parts.len()).find_map(|k| {
            let span = &c[parts[0].0..parts[k - 1].1];
            (title_key(span) == hk && !flat.contains(span.trim())).then(|| {
                if own {
                    heading.to_string()
                } else {
                    span.to_string()
                }
            })
        })
    })
}

/// The headline of a heading `Headline | Tagline` or `Headline - Tagline`: its first part
/// when that has a headline's four or more words and a pipe or a spaced hyphen or en dash
/// follows it (an em dash or a slash more often joins two halves of one headline).
fn headline_part(heading: &str) -> Option<&str> {
    use crate::extract::meta::title_parts;
    let parts = title_parts(heading);
    let (&(a, b), &(next, _)) = (parts.first()?, parts.get(1)?);
    let sep = heading[b..next].trim();
    let words = heading[a..b].split_whitespace().count();
    (["|", "-", "\u{2013}"].contains(&sep) && words >= 4).then(|| &heading[a..b])
}

/// A heading without a trailing count and source chip (`Headline (example.com) 87`: a
/// news aggregator's link source and comment count).
fn without_counts(heading: &str) -> &str {
    let mut s = heading.trim_end();
    if let Some(i) = s.rfind(' ') {
        if s[i + 1..].bytes().all(|b| b.is_ascii_digit() || b == b',') {
            s = s[..i].trim_end();
        }
    }
    if let Some(open) = s.strip_suffix(')').and_then(|r| r.rfind('(')) {
        let inner = &s[open + 1..s.len() - 1];
        if inner.contains('.') && !inner.contains(' ') {
            s = s[..open].trim_end();
        }
    }
    s
}

/// A heading without the tagline after its first separator (`Headline | Tagline`) when the
/// separator is a pipe or the first part is the head title (`head_key`, see `title_key`).
fn cut_tagline<'a>(heading: &'a str, head_key: Option<&str>) -> &'a str {
    use crate::extract::meta::{title_key, title_parts};
    let parts = title_parts(heading);
    match parts.first() {
        Some(&(a, b))
            if parts.len() > 1
                && title_key(&heading[a..b]).chars().count() >= 3
                && (heading.contains(" | ")
                    || head_key.is_some_and(|k| title_key(&heading[a..b]) == k)) =>
        {
            &heading[a..b]
        }
        _ => heading,
    }
}

/// The lower-cased words of a text, in order.
fn word_keys(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `needle` (non-empty) occurs in `hay` as a run of whole words.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The lower-cased words of a text.
fn word_set(s: &str) -> std::collections::BTreeSet<String> {
    word_keys(s).into_iter().collect()
}

/// Whether a character is decoration at the edge of a title: markdown marks, separators,
/// bullets, stars and pictographs (`Title |`, `🎤 Title`, `Title ⋆`); a `#` only leads.
fn edge_junk(c: char) -> bool {
    matches!(
        c,
        '*' | '|'
            | '¶'
            | '-'
            | '–'
            | '—'
            | '•'
            | '·'
            | '»'
            | '«'
            | ':'
            | '/'
            | '>'
            | '~'
            | '='
            | '_'
            | '⋆'
            | '★'
            | '☆'
            | '✓'
            | '✔'
            | '►'
            | '▶'
            | '◆'
            | '■'
            | '●'
    ) || c.is_whitespace()
        || ('\u{1F000}'..='\u{1FAFF}').contains(&c)
        || ('\u{2600}'..='\u{27BF}').contains(&c)
        || ('\u{FE00}'..='\u{FE0F}').contains(&c)
        || c == '\u{200D}'
}

/// A title without decoration at its ends and without an empty `()` or `[]` at its end.
pub fn clean_title(t: &str) -> String {
    let mut s = t.trim();
    loop {
        let before = s.len();
        s = s
            .trim_start_matches(|c| c == '#' || edge_junk(c))
            .trim_end_matches(edge_junk);
        for empty in ["()", "[]"] {
            if let Some(r) = s.strip_suffix(empty) {
                s = r;
            }
        }
        if s.len() == before {
            break;
        }
    }
    if s.chars().any(char::is_alphanumeric) {
        s.to_string()
    } else {
        t.trim().to_string()
    }
}

/// Reason of a block dropped because the same text is already kept above it.
pub const REPEAT_REASON: &str = "same text already kept above";

/// Whether this block is a quotation's repeat of a text kept above it (a reply quoting an
/// earlier post: inside a `<blockquote>` or an element whose class/id names a quote). The
/// learned classifier never brings such a block back; other repeats it may (an API
/// reference describes the same parameter under several methods).
pub fn is_quoted_repeat(b: &crate::block::Block) -> bool {
    matches!(&b.verdict, Verdict::Drop(d) if d.category == "repeated" && d.reason == REPEAT_REASON)
        && (b.features.tag_path.iter().any(|t| &**t == "blockquote")
            || b.features.class_tokens.iter().any(|t| t.contains("quote")))
}

const FIGURE_CAPTION_REASON: &str = "caption of a figure";

/// A `<figcaption>`: it describes a picture, chart or video beside the text rather than
/// continuing it (a table's `<caption>` titles data that is content, and stays).
fn is_figure_caption(b: &crate::block::Block) -> bool {
    b.kind == BlockKind::Caption
        && b.features
            .tag_path
            .last()
            .is_some_and(|t| &**t == "figcaption")
}

/// Drop kept blocks outside the main-content container, figure captions (the learned
/// classifier may keep one again), and repeats of a paragraph or heading already kept
/// (carousels, slides and responsive variants render the same text more than once; readers
/// see it once).
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
        if is_figure_caption(b) {
            doc.blocks[i].verdict = Verdict::drop("caption", FIGURE_CAPTION_REASON);
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
                doc.blocks[i].verdict = Verdict::drop("repeated", REPEAT_REASON);
            }
            Some(_) => {}
            None => {
                seen.insert(key, i);
            }
        }
    }
    drop_empty_sections(doc);
}

/// Why [`drop_empty_sections`] drops a heading.
pub const EMPTY_SECTION_REASON: &str = "heading of a section with nothing kept";

/// Words from which a heading reads as text (a sentence set in a heading tag), not as the
/// title of what follows.
const TEXT_HEADING_WORDS: usize = 10;

/// Drop a kept heading left over from a section that was dropped. A heading is short when
/// it has fewer than [`TEXT_HEADING_WORDS`] words or is a link (a longer one is a sentence
/// set in a heading tag, and counts as text). Its section is the blocks up to the next
/// heading of its level or above. Dropped: a short heading whose section has text but keeps
/// none of it; two or more headline links in a row with nothing under them (a list of other
/// stories); a short heading with nothing kept in its section between two dropped blocks.
/// A sidebar's widget titles, the headlines of a "most popular" rail the classifier kept,
/// and "related" headings over dropped lists are left behind when their bodies go; a
/// heading alone says nothing. Only inside the main-content container (a heading outside
/// it was kept by the classifier, which rescues the entries of a listing the container
/// missed), on pages whose container is prose (on a listing or a grid the headings are the
/// entries) and that keep some text besides headings.
pub fn drop_empty_sections(doc: &mut Doc) {
    if doc.shape.container != crate::block::Container::Prose {
        return;
    }
    let link = |b: &crate::block::Block| b.features.link_density >= 0.5;
    let short_heading = |b: &crate::block::Block| {
        b.kind.is_heading() && (b.features.words < TEXT_HEADING_WORDS || link(b))
    };
    let kept_body = |b: &crate::block::Block| b.verdict.is_keep() && !short_heading(b);
    if !doc.blocks.iter().any(kept_body) {
        return;
    }
    let n = doc.blocks.len();
    // Per block: (section keeps text, section has text) for its own level, headings only.
    let mut section = vec![(false, false); n];
    for level in 1..=6u8 {
        let (mut kept, mut any) = (false, false);
        for (i, b) in doc.blocks.iter().enumerate().rev() {
            let boundary = match b.kind {
                BlockKind::Title => true,
                BlockKind::Heading(l) => l <= level,
                _ => false,
            };
            if boundary {
                if b.kind == BlockKind::Heading(level) {
                    section[i] = (kept, any);
                }
                (kept, any) = (false, false);
            } else if !short_heading(b) {
                kept |= b.verdict.is_keep();
                any = true;
            }
        }
    }
    let droppable = |b: &crate::block::Block, i: usize| {
        b.verdict.is_keep()
            && matches!(b.kind, BlockKind::Heading(_))
            && short_heading(b)
            && b.features.in_main != Some(false)
            && !section[i].0
    };
    let mut drop = vec![false; n];
    for (i, b) in doc.blocks.iter().enumerate() {
        drop[i] = droppable(b, i) && section[i].1;
    }
    // Headline links one after another with nothing under them: a list of other stories.
    let headline = |i: usize| droppable(&doc.blocks[i], i) && !section[i].1 && link(&doc.blocks[i]);
    for (i, d) in drop.iter_mut().enumerate() {
        if headline(i) && ((i > 0 && headline(i - 1)) || (i + 1 < n && headline(i + 1))) {
            *d = true;
        }
    }
    let gone = |blocks: &[crate::block::Block], drop: &[bool], j: usize| {
        drop[j] || !blocks[j].verdict.is_keep()
    };
    for i in 0..n {
        let b = &doc.blocks[i];
        if droppable(b, i)
            && !section[i].1
            && i > 0
            && gone(&doc.blocks, &drop, i - 1)
            && (i + 1 == n || gone(&doc.blocks, &drop, i + 1))
        {
            drop[i] = true;
        }
    }
    for (b, d) in doc.blocks.iter_mut().zip(drop) {
        if d {
            b.verdict = Verdict::drop("boilerplate", EMPTY_SECTION_REASON);
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
/// elements are marked as comments stay comments, and so does a thread under a heading that
/// names the post ([`super::comments::THREAD_HEADING`]).
pub fn restore_main(doc: &mut Doc) {
    let thread = doc
        .blocks
        .iter()
        .position(|b| {
            matches!(&b.verdict, Verdict::CommentMeta(d)
                if d.reason == super::comments::THREAD_HEADING)
        })
        .unwrap_or(doc.blocks.len());
    for b in &mut doc.blocks[..thread] {
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

    /// A page of blocks: (kind, text, kept, link density, inside the container).
    fn sections_page(
        container: crate::block::Container,
        blocks: &[(BlockKind, &str, bool, f32, bool)],
    ) -> Doc {
        let mut doc = Doc::default();
        doc.shape.container = container;
        for &(kind, text, kept, ld, inside) in blocks {
            let mut b = Block::new(kind, text);
            b.features.words = text.split_whitespace().count();
            b.features.link_density = ld;
            b.features.in_main = Some(inside);
            if !kept {
                b.verdict = Verdict::drop("navigation", "test");
            }
            doc.blocks.push(b);
        }
        doc
    }

    #[test]
    fn headings_of_dropped_sections_go_and_others_stay() {
        use crate::block::Container;
        let h = BlockKind::Heading;
        let p = BlockKind::Paragraph;
        let story = "The mill ground corn for the whole valley until the war, and then it stopped.";
        let blocks = [
            (h(2), "How the mill began", true, 0.0, true),
            (p, story, true, 0.0, true),
            // A sub-heading whose text is kept keeps its parent too.
            (h(2), "After the war", true, 0.0, true),
            (h(3), "The new owners", true, 0.0, true),
            (p, story, true, 0.0, true),
            // A sentence set in a heading tag is text, not a title.
            (
                h(2),
                "The mill still stands by the river and is open to visitors every Sunday",
                true,
                0.0,
                true,
            ),
            // A widget title whose body was dropped.
            (h(2), "Follow us", true, 0.0, true),
            (
                p,
                "Get our letters every week in your inbox for free.",
                false,
                0.0,
                true,
            ),
            // Headline links one after another with nothing under them.
            (h(4), "Bakers return to the old town", true, 0.9, true),
            (h(4), "A bridge reopens after ten years", true, 0.9, true),
            (h(2), "Our history", true, 0.0, true),
            (p, story, true, 0.0, true),
            // One headline of a rail the others of which were dropped.
            (h(4), "Rail headline one", false, 0.9, true),
            (h(4), "Rail headline two", true, 0.9, true),
            (h(4), "Rail headline three", false, 0.9, true),
            // Outside the container: left to the classifier.
            (h(2), "Elsewhere", true, 0.0, false),
            (
                p,
                "Footer text about the company and its many offices.",
                false,
                0.0,
                false,
            ),
        ];
        let kept =
            |doc: &Doc| -> Vec<bool> { doc.blocks.iter().map(|b| b.verdict.is_keep()).collect() };
        let mut doc = sections_page(Container::Prose, &blocks);
        drop_empty_sections(&mut doc);
        assert_eq!(
            kept(&doc),
            [
                true, true, true, true, true, true, false, false, false, false, true, true, false,
                false, false, true, false
            ]
        );
        for i in [6, 8, 9, 13] {
            assert!(
                matches!(&doc.blocks[i].verdict, Verdict::Drop(d) if d.reason == EMPTY_SECTION_REASON),
                "{i}"
            );
        }
        // On a listing or a grid the headings are the entries.
        for container in [Container::Listing, Container::Grid] {
            let mut doc = sections_page(container, &blocks);
            let before = kept(&doc);
            drop_empty_sections(&mut doc);
            assert_eq!(kept(&doc), before);
        }
        // A page of headings alone keeps them.
        let mut doc = sections_page(
            Container::Prose,
            &[
                (h(2), "Contact", true, 0.0, true),
                (h(2), "Hours", true, 0.0, true),
            ],
        );
        drop_empty_sections(&mut doc);
        assert_eq!(kept(&doc), [true, true]);
    }

    #[test]
    fn figure_captions_drop_and_table_captions_stay() {
        let mut doc = Doc::default();
        for (tag, text) in [
            (
                "figcaption",
                "The old mill seen from the bridge in the spring of 1910.",
            ),
            ("caption", "Flour sold by the mill each year"),
            (
                "p",
                "The mill ground corn for the whole valley until the war.",
            ),
        ] {
            let mut b = Block::new(
                if tag == "p" {
                    BlockKind::Paragraph
                } else {
                    BlockKind::Caption
                },
                text,
            );
            b.features.words = text.split_whitespace().count();
            b.features.in_main = Some(true);
            b.features.tag_path = ["html", "body", tag].map(std::sync::Arc::from).into();
            doc.blocks.push(b);
        }
        apply(&mut doc);
        assert!(
            matches!(&doc.blocks[0].verdict, Verdict::Drop(d) if d.category == "caption"),
            "{:?}",
            doc.blocks[0].verdict
        );
        assert!(doc.blocks[1].verdict.is_keep());
        assert!(doc.blocks[2].verdict.is_keep());
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
