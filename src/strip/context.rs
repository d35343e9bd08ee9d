//! Structural decisions that need the neighbours of a block: which block is the title, which
//! short lines are headings, which runs of short lines are menus, what lies outside the main
//! content (before the first and after the last run of prose). Used for every document; the
//! HTML-only decisions from DOM features are in `dom`.

use super::Context;
use crate::block::{Block, BlockKind, Doc, Format, Verdict};

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
    if ctx.format == Format::Text {
        apply_text(doc, ctx);
        return;
    }
    let kept: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| doc.blocks[i].verdict.is_keep() && doc.blocks[i].kind != BlockKind::Title)
        .collect();
    let prose: Vec<usize> = kept
        .iter()
        .copied()
        .filter(|&i| is_prose(&doc.blocks[i]))
        .collect();
    let Some(&last) = prose.last() else {
        return; // nothing reads like prose: keep the document as it is, never empty it
    };
    for &i in &kept {
        let b = &mut doc.blocks[i];
        let short = b.features.words < 10 || !b.features.ends_with_punct;
        if i > last && short && b.features.words <= 8 {
            b.verdict = Verdict::drop("footer", "short line after the article body");
        }
    }
}

/// Words of a block for weighing; scripts written without spaces count two chars a word.
fn weigh_words(b: &Block) -> f32 {
    let dense = b.text.chars().filter(|c| is_spaceless_script(*c)).count();
    (b.features.words as f32).max(dense as f32 / 2.0)
}

fn is_spaceless_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0x0E00..=0x0E7F)
}

/// Minimum stop-word ratio for a long block without end punctuation to count as prose.
const PROSE_STOPWORDS: f32 = 0.4;
/// Weight of a non-content block: `-(BASE + PER_WORD * words)`.
const NOISE_BASE: f32 = 3.0;
const NOISE_PER_WORD: f32 = 0.5;
/// Cost of a block a pattern has already dropped.
const DECIDED_COST: f32 = 0.5;
/// How many heading-like or sentence lines right before a run join it (subheadings,
/// standfirsts, the headline repeated above the body).
const LEAD_IN: usize = 2;
/// A further run of prose is kept when its score reaches this share of the main run's.
const SECONDARY_SHARE: f32 = 0.2;
/// Below this share of prose words the page is a grid or list: keep it, minus patterns
/// and menu runs.
const MIN_PROSE_SHARE: f32 = 0.15;
/// A block between two runs of the main text with at least this many words stays: gaps
/// between runs hold list items, captions of figures and short paragraphs as often as
/// chrome, and chrome there is mostly short link text.
const GAP_KEEP_WORDS: usize = 4;
/// Categories whose pattern matches mark the end of the main content when they come late:
/// share bars, sign-up and cookie prompts, legal lines, tag lists and author boxes. What
/// follows them is comments, recommendations and the site footer far more often than more
/// of the text.
const END_CATEGORIES: [&str; 3] = ["prompt", "footer", "postscript"];
/// Share of the kept words that must come before such a marker for it to end the content
/// (an early sign-in prompt or cookie notice sits above the text).
const END_MARKER_SHARE: f32 = 0.4;
/// A marker followed by this many paragraphs of prose in a row is inside the text.
const END_MARKER_PROSE_AFTER: usize = 2;
/// Menu lines: at most this many words, no digits, no end punctuation.
const MENU_LINE_WORDS: usize = 4;
/// This many menu lines in a row (among kept blocks) make a menu.
const MENU_RUN: usize = 4;

/// Content weight of a block for the densest-run search: prose counts its words, a short
/// sentence is neutral, everything else (short lines, links, dropped blocks) costs.
pub(crate) fn weight(b: &Block, stop: Option<&std::collections::HashSet<&'static str>>) -> f32 {
    let w = weigh_words(b);
    if b.kind == BlockKind::Title {
        return 0.0;
    }
    if !b.verdict.is_keep() {
        // Already decided by a pattern: a small cost, so that a caption or a separator
        // does not cut a standfirst off the body, but a long tail of them still does.
        return -DECIDED_COST;
    }
    let wordy = stop.is_some_and(|_| b.features.stopword_ratio >= PROSE_STOPWORDS);
    if w >= 10.0 && (b.features.ends_with_punct || wordy) && b.features.link_density < 0.5 {
        w
    } else if w >= 4.0 && b.features.ends_with_punct {
        0.0
    } else {
        -(NOISE_BASE + NOISE_PER_WORD * w)
    }
}

/// Runs `(start, end)` (inclusive) of the main content: the run of blocks with the highest
/// total weight, plus further runs scoring at least [`SECONDARY_SHARE`] of it.
pub fn content_runs(weights: &[f32]) -> Vec<(usize, usize)> {
    let mut best = 0.0f32;
    let mut main: Option<(usize, usize)> = None;
    let (mut cur, mut start) = (0.0f32, 0usize);
    for (i, &w) in weights.iter().enumerate() {
        if cur <= 0.0 {
            cur = 0.0;
            start = i;
        }
        cur += w;
        if cur > best {
            best = cur;
            main = Some((start, i));
        }
    }
    let Some((ms, me)) = main else {
        return Vec::new();
    };
    let mut runs = vec![(ms, me)];
    let scan = |range: std::ops::Range<usize>, runs: &mut Vec<(usize, usize)>| {
        let (mut cur, mut start) = (0.0f32, range.start);
        let mut open: Option<(usize, usize)> = None;
        for i in range {
            if cur <= 0.0 {
                if let Some(r) = open.take() {
                    runs.push(r);
                }
                cur = 0.0;
                start = i;
            }
            cur += weights[i];
            if cur >= SECONDARY_SHARE * best && cur > 0.0 {
                open = Some((start, i));
            }
        }
        if let Some(r) = open {
            runs.push(r);
        }
    };
    scan(0..ms, &mut runs);
    scan(me + 1..weights.len(), &mut runs);
    runs.sort_unstable();
    runs
}

/// Pull up to [`LEAD_IN`] kept blocks right before each run into it when they read like
/// a heading (2-14 words, no end punctuation) or a sentence (5+ words ending like one);
/// blocks already dropped in between are stepped over.
fn extend_lead_in(doc: &Doc, runs: &mut [(usize, usize)]) {
    let mut floor = 0;
    for r in runs.iter_mut() {
        let mut taken = 0;
        let mut i = r.0;
        while i > floor && taken < LEAD_IN {
            i -= 1;
            let b = &doc.blocks[i];
            if b.kind == BlockKind::Title {
                break;
            }
            if !b.verdict.is_keep() {
                continue;
            }
            let w = b.features.words;
            let digits = b.text.chars().filter(char::is_ascii_digit).count();
            let heading = (2..=14).contains(&w) && !b.features.ends_with_punct;
            let sentence = w >= 5 && b.features.ends_with_punct;
            if !(heading || sentence) || digits * 3 > b.features.chars {
                break;
            }
            r.0 = i;
            taken += 1;
        }
        floor = r.1 + 1;
    }
}

/// Text dumps: keep the densest runs of prose and what lies inside them; drop the rest as
/// chrome (before), footer (after) or boilerplate (short lines between runs). A page with
/// (almost) no prose, such as a product grid or a list of short lines, loses only its menu
/// runs. Either way a late end marker (share bar, sign-up prompt, legal line) ends the text.
fn apply_text(doc: &mut Doc, ctx: &Context) {
    let stop = super::stopwords::for_lang(ctx.lang);
    for b in &mut doc.blocks {
        b.features.stopword_ratio = stop.map_or(0.0, |s| crate::text::stopword_ratio(&b.text, s));
    }
    let markers: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| match &doc.blocks[i].verdict {
            Verdict::Drop(d) => END_CATEGORIES.contains(&d.category.as_str()),
            _ => false,
        })
        .collect();
    decide_runs(doc, stop);
    cut_at_end_marker(doc, &markers);
    mark_text_headings(doc);
}

/// The densest-run decisions of [`apply_text`].
fn decide_runs(doc: &mut Doc, stop: Option<&std::collections::HashSet<&'static str>>) {
    let weights: Vec<f32> = doc.blocks.iter().map(|b| weight(b, stop)).collect();
    let prose_words: f32 = weights.iter().filter(|w| **w > 0.0).sum();
    let all_words: f32 = doc
        .blocks
        .iter()
        .filter(|b| b.verdict.is_keep() && b.kind != BlockKind::Title)
        .map(weigh_words)
        .sum();
    let mut runs = content_runs(&weights);
    extend_lead_in(doc, &mut runs);
    let (Some(first), Some(last)) = (runs.first().map(|r| r.0), runs.last().map(|r| r.1)) else {
        // Nothing reads like prose: keep the document minus its menus, never empty it.
        drop_menu_runs(doc);
        return;
    };
    if prose_words < MIN_PROSE_SHARE * all_words {
        drop_menu_runs(doc);
        return;
    }
    for (i, b) in doc.blocks.iter_mut().enumerate() {
        if !b.verdict.is_keep() || b.kind == BlockKind::Title {
            continue;
        }
        if runs.iter().any(|&(s, e)| (s..=e).contains(&i)) {
            continue;
        }
        b.verdict = if i < first {
            Verdict::drop("chrome", "before the main text")
        } else if i > last {
            Verdict::drop("footer", "after the main text")
        } else if b.features.words >= GAP_KEEP_WORDS {
            continue;
        } else {
            Verdict::drop("boilerplate", "short line between runs of the main text")
        };
    }
    drop_isolated_short_lines(doc);
}

/// Drop every kept block after the first end marker (a block dropped by a pattern of
/// [`END_CATEGORIES`], from `markers`) that has at least [`END_MARKER_SHARE`] of the kept
/// words before it and is not followed by [`END_MARKER_PROSE_AFTER`] paragraphs of prose.
fn cut_at_end_marker(doc: &mut Doc, markers: &[usize]) {
    let counts = |b: &Block| b.verdict.is_keep() && b.kind != BlockKind::Title;
    let total: usize = doc
        .blocks
        .iter()
        .filter(|b| counts(b))
        .map(|b| b.features.words)
        .sum();
    if total == 0 {
        return;
    }
    let mut before = 0usize;
    let mut next = 0usize;
    let mut cut = None;
    for &m in markers {
        while next < m {
            if counts(&doc.blocks[next]) {
                before += doc.blocks[next].features.words;
            }
            next += 1;
        }
        if before as f32 >= END_MARKER_SHARE * total as f32 {
            // A share bar or sign-up box inside the article: the text goes on right after.
            let prose_after = doc.blocks[m + 1..]
                .iter()
                .filter(|b| counts(b))
                .take(END_MARKER_PROSE_AFTER)
                .filter(|b| is_prose(b))
                .count();
            if prose_after < END_MARKER_PROSE_AFTER {
                cut = Some(m);
                break;
            }
        }
    }
    let Some(cut) = cut else { return };
    for b in &mut doc.blocks[cut + 1..] {
        if counts(b) {
            b.verdict = Verdict::drop("footer", "after an end-of-content marker");
        }
    }
}

/// Most words of a line that is link or button text rather than content ("Learn more",
/// "Instagram", "See it").
const STRAY_MAX_WORDS: usize = 3;

/// Inside the main text, a line of at most [`STRAY_MAX_WORDS`] words without end punctuation
/// whose kept neighbours are both short too is a stray menu, button or tag line: a heading
/// would lead into prose, a list item would sit next to its prose introduction.
fn drop_isolated_short_lines(doc: &mut Doc) {
    let kept: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| doc.blocks[i].verdict.is_keep() && doc.blocks[i].kind != BlockKind::Title)
        .collect();
    let long = |i: Option<&usize>| i.is_some_and(|&i| doc.blocks[i].features.words >= 10);
    let stray: Vec<usize> = (0..kept.len())
        .filter(|&k| {
            let b = &doc.blocks[kept[k]];
            b.features.words <= STRAY_MAX_WORDS
                && !b.features.ends_with_punct
                && !long(k.checked_sub(1).and_then(|p| kept.get(p)))
                && !long(kept.get(k + 1))
        })
        .map(|k| kept[k])
        .collect();
    for i in stray {
        doc.blocks[i].verdict = Verdict::drop(
            "navigation",
            "stray short line among short lines in the main text",
        );
    }
}

/// A menu line: 1 to [`MENU_LINE_WORDS`] words, no digits (prices, counts, sizes and
/// dates mark content lists), no end punctuation.
pub(crate) fn is_menu_line(b: &Block) -> bool {
    (1..=MENU_LINE_WORDS).contains(&b.features.words)
        && !b.features.ends_with_punct
        && !b.text.chars().any(|c| c.is_numeric())
}

/// Pages without prose (grids, listings, product pages): drop every run of at least
/// [`MENU_RUN`] menu lines in a row among the kept blocks. Content lists of such pages carry
/// digits or longer lines and break the run (so does a name right above a line with digits);
/// a page that is nothing but a menu is kept.
fn drop_menu_runs(doc: &mut Doc) {
    let kept: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| doc.blocks[i].verdict.is_keep() && doc.blocks[i].kind != BlockKind::Title)
        .collect();
    let mut menu: Vec<usize> = Vec::new();
    let mut k = 0;
    while k < kept.len() {
        let mut j = k;
        // A name right above its price or count is an item of the grid, not menu.
        while j < kept.len()
            && is_menu_line(&doc.blocks[kept[j]])
            && !kept
                .get(j + 1)
                .is_some_and(|&n| doc.blocks[n].text.chars().any(|c| c.is_numeric()))
        {
            j += 1;
        }
        if j - k >= MENU_RUN {
            menu.extend_from_slice(&kept[k..j]);
        }
        k = j.max(k + 1);
    }
    if menu.len() == kept.len() {
        return;
    }
    for i in menu {
        doc.blocks[i].verdict = Verdict::drop("navigation", "run of short menu lines");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::Block;

    fn text_doc(lines: &[&str]) -> Doc {
        let mut doc = Doc::default();
        for (i, t) in lines.iter().enumerate() {
            let mut b = Block::new(BlockKind::Line, *t);
            b.features.position = i;
            doc.blocks.push(b);
        }
        doc
    }

    fn ctx() -> Context<'static> {
        Context {
            format: Format::Text,
            lang: Some("en"),
            group: "",
            repeated: None,
            model: None,
        }
    }

    #[test]
    fn densest_run_and_a_strong_second_run() {
        let w = [
            -3.0, -3.0, 20.0, -4.0, 30.0, -3.0, -3.0, -3.0, -3.0, -3.0, 12.0, -3.0,
        ];
        assert_eq!(content_runs(&w), [(2, 4), (10, 10)]);
        // A weak island of prose far from the main run is not a run.
        let w = [40.0, -3.0, -3.0, 5.0, -3.0];
        assert_eq!(content_runs(&w), [(0, 0)]);
        assert!(content_runs(&[-1.0, -2.0]).is_empty());
    }

    #[test]
    fn menu_before_and_links_after_the_prose_are_dropped() {
        let mut doc = text_doc(&[
            "Home",
            "Opinion",
            "Podcasts",
            "The new tram line will open in June, two years later than the city had promised its residents.",
            "Its first stretch runs from the station to the hospital, and the fare will be the same as on the buses.",
            "Bus timetable",
            "Parking permits",
        ]);
        apply(&mut doc, &ctx());
        let kept: Vec<bool> = doc.blocks.iter().map(|b| b.verdict.is_keep()).collect();
        assert_eq!(kept, [false, false, false, true, true, false, false]);
        assert!(matches!(&doc.blocks[0].verdict, Verdict::Drop(d) if d.category == "chrome"));
        assert!(matches!(&doc.blocks[6].verdict, Verdict::Drop(d) if d.category == "footer"));
    }

    #[test]
    fn subheading_inside_and_before_the_body_is_kept_as_heading() {
        let mut doc = text_doc(&[
            "Sport",
            "Why the tram is late",
            "The new tram line will open in June, two years later than the city had promised its residents.",
            "What riders get",
            "Its first stretch runs from the station to the hospital, and the fare will be the same as on the buses.",
        ]);
        apply(&mut doc, &ctx());
        assert!(!doc.blocks[0].verdict.is_keep());
        assert!(doc.blocks[1].verdict.is_keep());
        assert_eq!(doc.blocks[1].kind, BlockKind::Heading(2));
        assert!(doc.blocks[3].verdict.is_keep());
        assert_eq!(doc.blocks[3].kind, BlockKind::Heading(2));
    }

    #[test]
    fn short_lines_only_are_kept() {
        let mut doc = text_doc(&["Rye bread", "Spelt rolls", "Oat biscuits"]);
        apply(&mut doc, &ctx());
        assert!(doc.blocks.iter().all(|b| b.verdict.is_keep()));
    }

    #[test]
    fn stray_button_lines_inside_the_body_go_but_headings_stay() {
        let mut doc = text_doc(&[
            "The new tram line will open in June, two years later than the city had promised its residents.",
            "Print friendly",
            "Instagram",
            "Facebook",
            "Route map",
            "Its first stretch runs from the station to the hospital, and the fare will be the same as on the buses.",
            "Tickets and fares",
            "Single tickets can be bought at every stop, and monthly passes will be sold online from May onwards.",
        ]);
        apply(&mut doc, &ctx());
        let kept: Vec<bool> = doc.blocks.iter().map(|b| b.verdict.is_keep()).collect();
        // The short lines touching prose stay (a list item, a heading); those between
        // short lines only go.
        assert_eq!(kept, [true, true, false, false, true, true, true, true]);
        assert!(matches!(&doc.blocks[2].verdict, Verdict::Drop(d) if d.category == "navigation"));
        assert_eq!(doc.blocks[4].kind, BlockKind::Heading(2));
    }

    #[test]
    fn gap_between_runs_keeps_its_longer_lines() {
        let mut doc = text_doc(&[
            "The new tram line will open in June, two years later than the city had promised its residents.",
            "Its first stretch runs from the station to the hospital, and the fare will be the same as on the buses.",
            "Archive",
            "Timetables",
            "Fares",
            "Maps",
            "Lost property",
            "Accessibility",
            "Press",
            "Weekend services on the northern branch",
            "Jobs",
            "Partners",
            "Cycling",
            "Parking",
            "Contact",
            "Single tickets can be bought at every stop, and monthly passes will be sold online from May onwards.",
            "Children under twelve ride for free when they travel with an adult who holds a valid ticket.",
        ]);
        apply(&mut doc, &ctx());
        let kept: Vec<bool> = doc.blocks.iter().map(|b| b.verdict.is_keep()).collect();
        let gap = |i: usize| i == 9;
        for (i, k) in kept.iter().enumerate() {
            assert_eq!(*k, !(2..=14).contains(&i) || gap(i), "block {i}");
        }
        assert!(matches!(&doc.blocks[3].verdict, Verdict::Drop(d) if d.category == "boilerplate"));
    }

    #[test]
    fn grid_page_loses_its_menu_runs_but_not_its_items() {
        let mut doc = text_doc(&[
            "Shop",
            "Women",
            "Men",
            "Kids",
            "Gift Cards",
            "Wool Beanie",
            "$24.00",
            "Rain Jacket",
            "$129.00",
            "Trail Socks 3-Pack",
            "$18.50",
            "About",
            "Careers",
            "Stores",
            "Help",
        ]);
        apply(&mut doc, &ctx());
        let kept: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| b.verdict.is_keep())
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            kept,
            [
                "Wool Beanie",
                "$24.00",
                "Rain Jacket",
                "$129.00",
                "Trail Socks 3-Pack",
                "$18.50"
            ]
        );
        // A page that is nothing but a menu is not emptied.
        let mut doc = text_doc(&["Shop", "Women", "Men", "Kids", "Gift Cards"]);
        apply(&mut doc, &ctx());
        assert!(doc.blocks.iter().all(|b| b.verdict.is_keep()));
    }
}
