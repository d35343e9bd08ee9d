//! Comment sections: found by the `comments` category's section patterns (a "5 Comments"
//! header) or, in HTML, by its class tokens. Inside a section, author lines ("Avatar of X",
//! a short name line before a body) give the author of the following body blocks, which
//! become [`Verdict::Comment`]; headers, avatars, dates, "Reply" and "Add your comment" are
//! [`Verdict::CommentMeta`]. Comments leave `text` but are kept in `metadata.comments`.

use super::Rules;
use crate::block::{Block, Doc, Drop, Verdict};

const CATEGORY: &str = "comments";

/// Reason of the header of a thread opened by a heading that names the post it is under
/// ([`names_the_post`]); `dom::restore_main` leaves such a thread as comments.
pub const THREAD_HEADING: &str = "comment thread heading";

fn meta(reason: &str) -> Verdict {
    Verdict::CommentMeta(Drop {
        category: CATEGORY.to_string(),
        reason: reason.to_string(),
    })
}

/// Find the comment section and classify its blocks.
pub fn apply(doc: &mut Doc, rules: &Rules) {
    let Some(start) = find_start(doc, rules) else {
        return;
    };
    let n = doc.blocks.len();
    // In HTML, a thread marked up as such (class/id tokens like `comments`, `respond`) ends
    // with that markup: the sidebar and footer after it are not comments.
    let in_markup = in_comment_markup(&doc.blocks[start]);
    let mut author: Option<String> = None;
    let mut author_fresh = false;
    let mut i = start;
    while i < n {
        let text = doc.blocks[i].text.clone();
        if in_markup && !in_comment_markup(&doc.blocks[i]) {
            break;
        }
        if !doc.blocks[i].verdict.is_keep() {
            i += 1;
            continue;
        }
        if i == start {
            doc.blocks[i].verdict = meta(if names_the_post(&doc.blocks[i]) {
                THREAD_HEADING
            } else {
                "comment section header"
            });
            i += 1;
            continue;
        }
        if let Some(name) = avatar_name(&text) {
            doc.blocks[i].verdict = meta("commenter avatar");
            author = Some(name.to_string());
            author_fresh = true;
            // The name repeated on its own line right after the avatar.
            if let Some(next) = doc.blocks.get_mut(i + 1) {
                if next.text.trim() == name {
                    next.verdict = meta("commenter name");
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        if let Some(name) = says_name(&text) {
            doc.blocks[i].verdict = meta("commenter name");
            author = Some(name.to_string());
            author_fresh = true;
            i += 1;
            continue;
        }
        if let Some(d) = rules.match_block(&text) {
            // "Add your comment", "Reply", widget lines inside the section.
            doc.blocks[i].verdict = Verdict::CommentMeta(d);
            i += 1;
            continue;
        }
        if is_date_line(&text) {
            doc.blocks[i].verdict = meta("comment date");
            i += 1;
            continue;
        }
        let next_is_body = doc.blocks[i + 1..]
            .iter()
            .find(|b| !is_date_line(&b.text))
            .is_some_and(|b| b.features.words >= 4 && avatar_name(&b.text).is_none());
        if looks_like_name(&doc.blocks[i]) && next_is_body && !author_fresh {
            doc.blocks[i].verdict = meta("commenter name");
            author = Some(text.trim().to_string());
            author_fresh = true;
            i += 1;
            continue;
        }
        let first = author_fresh;
        author_fresh = false;
        doc.blocks[i].verdict = Verdict::Comment {
            author: if first { author.clone() } else { None },
        };
        i += 1;
    }
}

/// Index of the block that opens the comment section, if any. A comment-count line that
/// comes before most of the document's prose is a byline link ("31 comments" next to the
/// date), not the thread: the thread follows the article.
fn find_start(doc: &Doc, rules: &Rules) -> Option<usize> {
    let prose_words = |b: &Block| {
        if super::context::is_prose(b) {
            b.features.words
        } else {
            0
        }
    };
    let total: usize = doc.blocks.iter().map(prose_words).sum();
    let mut before = 0usize;
    for (i, b) in doc.blocks.iter().enumerate() {
        if !b.verdict.is_keep() && !matches!(b.verdict, Verdict::Drop(_)) {
            continue;
        }
        if let Some(d) = rules.match_section(&b.text) {
            // A header inside thread markup, or one naming the post, opens the thread even
            // under a short post.
            if d.category == CATEGORY
                && (before * 4 >= total || in_thread_header(b) || names_the_post(b))
            {
                return Some(i);
            }
        }
        before += prose_words(b);
    }
    None
}

/// A heading inside comment-thread markup ("Comments" over a `comment-list`), as
/// opposed to a comment-count link in a byline.
fn in_thread_header(b: &Block) -> bool {
    b.kind.is_heading() && b.features.link_density < 0.5 && in_comment_markup(b)
}

/// A heading that counts the responses to the post it names ("5 thoughts on “Title”",
/// "12 responses to Title"): a blog post's thread, even under a post shorter than its
/// comments and in markup that names no thread. A comment count in a byline is no heading;
/// "N replies" (a forum thread's own posts) is not taken.
fn names_the_post(b: &Block) -> bool {
    if !b.kind.is_heading() || b.features.link_density >= 0.5 {
        return false;
    }
    let mut w = b.text.split_whitespace().map(str::to_lowercase);
    let (Some(count), Some(noun), Some(prep), Some(_)) = (w.next(), w.next(), w.next(), w.next())
    else {
        return false;
    };
    (count.bytes().all(|c| c.is_ascii_digit()) || matches!(count.as_str(), "one" | "two" | "three"))
        && matches!(
            noun.as_str(),
            "thought" | "thoughts" | "response" | "responses" | "comment" | "comments"
        )
        && matches!(prep.as_str(), "on" | "to")
}

/// The block sits inside an element whose class/id marks a comment thread.
fn in_comment_markup(b: &Block) -> bool {
    has_comment_token(&b.features.class_tokens)
}

/// Class/id token fragments that mark a comment thread (`comments`, `comment-list`,
/// `ipsComment`, `disqus_thread`, `respond`, `threaded-replies`).
const COMMENT_FRAGMENTS: &[&str] = &["comment", "respond", "discus", "disqus", "replies"];

/// Does this lower-cased class/id token mark a comment thread? Any token that contains one
/// of [`COMMENT_FRAGMENTS`], except the `respond` inside `correspondent`.
pub fn is_comment_token(t: &str) -> bool {
    // One pass over the bytes, trying the fragments only where one could start (the same
    // answer as `contains` of each fragment: they are ASCII, so a match starts at a char).
    let b = t.as_bytes();
    let found = b.len() >= FRAGMENT_MIN_LEN
        && (0..=b.len() - FRAGMENT_MIN_LEN).any(|i| {
            FRAGMENT_FIRST_BYTES[usize::from(b[i])]
                && COMMENT_FRAGMENTS
                    .iter()
                    .any(|k| b[i..].starts_with(k.as_bytes()))
        });
    found && !t.contains("correspond")
}

/// Shortest of [`COMMENT_FRAGMENTS`].
const FRAGMENT_MIN_LEN: usize = {
    let mut min = usize::MAX;
    let mut i = 0;
    while i < COMMENT_FRAGMENTS.len() {
        if COMMENT_FRAGMENTS[i].len() < min {
            min = COMMENT_FRAGMENTS[i].len();
        }
        i += 1;
    }
    if min == 0 {
        1
    } else {
        min
    }
};

/// Bytes some fragment of [`COMMENT_FRAGMENTS`] starts with.
const FRAGMENT_FIRST_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < COMMENT_FRAGMENTS.len() {
        let f = COMMENT_FRAGMENTS[i].as_bytes();
        if !f.is_empty() {
            t[f[0] as usize] = true;
        }
        i += 1;
    }
    t
};

/// Does any of these lower-cased class/id tokens mark a comment thread? The one definition
/// shared by the comment pass, the DOM pass and container scoring in `extract::html`.
pub fn has_comment_token<T: AsRef<str>>(tokens: &[T]) -> bool {
    tokens.iter().any(|t| is_comment_token(t.as_ref()))
}

/// "Avatar of Jane Doe" -> "Jane Doe".
fn avatar_name(text: &str) -> Option<&str> {
    let t = text.trim();
    let lower = t.to_lowercase();
    for prefix in [
        "avatar of ",
        "avatar for ",
        "profile picture of ",
        "photo of ",
    ] {
        if lower.starts_with(prefix) && t.is_char_boundary(prefix.len()) {
            let name = t[prefix.len()..].trim();
            if !name.is_empty() && name.split_whitespace().count() <= 5 {
                return Some(name);
            }
        }
    }
    None
}

/// "Jane Doe says:" -> "Jane Doe" (the author line of many blog comment threads).
fn says_name(text: &str) -> Option<&str> {
    let t = text.trim().trim_end_matches(':').trim_end();
    let name = t.strip_suffix(" says")?.trim();
    let words = name.split_whitespace().count();
    ((1..=4).contains(&words) && !name.ends_with(['.', '!', '?'])).then_some(name)
}

/// A short line that could be a person's name or handle: 1-4 words, no sentence punctuation.
fn looks_like_name(b: &Block) -> bool {
    let t = b.text.trim();
    let words = t.split_whitespace().count();
    // A final initial ("Dev P.") is part of a name, not the end of a sentence.
    let last = t.split_whitespace().last().unwrap_or("");
    let initial = last.len() <= 3 && last.ends_with('.') && last.starts_with(char::is_uppercase);
    (1..=4).contains(&words)
        && t.chars().count() <= 40
        && (initial || !t.ends_with(['.', '!', '?', ':']))
        && !t.chars().any(|c| c.is_ascii_digit())
}

/// "3 days ago", "November 17, 2025 at 3:14 pm", "17/11/2025 10:02".
fn is_date_line(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    if t.split_whitespace().count() > 7 {
        return false;
    }
    t.ends_with(" ago")
        || (t.chars().any(|c| c.is_ascii_digit())
            && (t.contains(" at ") || t.contains(':') || t.contains('/'))
            && t.chars().filter(|c| c.is_alphabetic()).count() < 20)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::BlockKind;
    use crate::config::PipelineConfig;

    #[test]
    fn comment_token_scan_equals_substring_search() {
        let naive =
            |t: &str| COMMENT_FRAGMENTS.iter().any(|k| t.contains(k)) && !t.contains("correspond");
        let parts = [
            "",
            "c",
            "com",
            "comment",
            "comments",
            "respond",
            "correspondent",
            "discus",
            "disqus",
            "replies",
            "reply",
            "-",
            "_",
            "é",
            "ment",
            "x1",
            "dis",
            "re",
            "spond",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let t = format!("{a}{b}{c}");
                    assert_eq!(is_comment_token(&t), naive(&t), "{t:?}");
                }
            }
        }
    }

    #[test]
    fn authors_and_bodies() {
        let rules = Rules::compile(&PipelineConfig::default()).unwrap();
        let mut doc = Doc::default();
        for t in [
            "The article's last paragraph ends here with a full stop.",
            "2 Comments",
            "Avatar of Jane Roe",
            "Jane Roe",
            "I think this is a fine article, thanks.",
            "Kofi P.",
            "3 days ago",
            "Disagree with most of it, but well written.",
            "Add your comment",
        ] {
            doc.blocks.push(Block::new(BlockKind::Line, t));
        }
        apply(&mut doc, &rules);
        let v: Vec<&Verdict> = doc.blocks.iter().map(|b| &b.verdict).collect();
        assert!(v[0].is_keep());
        assert!(matches!(v[1], Verdict::CommentMeta(_)));
        assert!(matches!(v[2], Verdict::CommentMeta(_)));
        assert!(matches!(v[3], Verdict::CommentMeta(_)));
        assert_eq!(
            v[4],
            &Verdict::Comment {
                author: Some("Jane Roe".into())
            }
        );
        assert!(matches!(v[5], Verdict::CommentMeta(_)));
        assert!(matches!(v[6], Verdict::CommentMeta(_)));
        assert_eq!(
            v[7],
            &Verdict::Comment {
                author: Some("Kofi P.".into())
            }
        );
        assert!(matches!(v[8], Verdict::CommentMeta(_)));
    }

    #[test]
    fn comment_tokens_one_definition() {
        for t in [
            "comments",
            "comment-list",
            "ipscomment_author",
            "disqus_thread",
            "respond",
        ] {
            assert!(is_comment_token(t), "{t}");
        }
        assert!(has_comment_token(&["x", "threaded-replies"]));
        for t in ["correspondent", "post-body", "article", "response-time"] {
            assert!(!is_comment_token(t), "{t}");
        }
    }

    #[test]
    fn thread_header_in_markup_opens_the_thread_under_a_short_post() {
        let rules = Rules::compile(&PipelineConfig::default()).unwrap();
        let mut doc = Doc::default();
        let mut push = |kind, t: &str, toks: &[&str]| {
            let mut b = Block::new(kind, t);
            b.features.class_tokens = toks.iter().map(|&t| std::sync::Arc::from(t)).collect();
            doc.blocks.push(b);
        };
        push(
            BlockKind::Paragraph,
            "Ask us anything about the garden this month in the thread below.",
            &["entry-content"],
        );
        push(BlockKind::Heading(3), "Comments", &["comments-area"]);
        for t in [
            "How deep should the tulip bulbs go in heavy clay soil, and should I add grit first?",
            "Plant them three times as deep as the bulb is tall, and yes, a handful of grit helps.",
            "My roses have black spots on the leaves every June; is there anything I can do early?",
        ] {
            push(BlockKind::Paragraph, t, &["comments-area", "comment-body"]);
        }
        apply(&mut doc, &rules);
        assert!(doc.blocks[0].verdict.is_keep());
        assert!(matches!(doc.blocks[1].verdict, Verdict::CommentMeta(_)));
        for b in &doc.blocks[2..] {
            assert!(
                matches!(b.verdict, Verdict::Comment { .. }),
                "{:?}",
                b.verdict
            );
        }
    }

    #[test]
    fn blog_thread_with_says_lines() {
        let rules = Rules::compile(&PipelineConfig::default()).unwrap();
        let mut doc = Doc::default();
        for t in [
            "The recipe needs two hours in a slow oven, and it is worth every minute of waiting.",
            "3 thoughts on \u{201c}Slow-baked beans\u{201d}",
            "Priya says:",
            "March 3, 2024 at 9:12 am",
            "Made these on Sunday and the whole family loved them.",
            "Old Tom says",
            "Too much salt for me, but a good base.",
        ] {
            doc.blocks.push(Block::new(BlockKind::Line, t));
        }
        apply(&mut doc, &rules);
        assert!(doc.blocks[0].verdict.is_keep());
        assert!(matches!(doc.blocks[1].verdict, Verdict::CommentMeta(_)));
        assert!(matches!(doc.blocks[2].verdict, Verdict::CommentMeta(_)));
        assert_eq!(
            doc.blocks[4].verdict,
            Verdict::Comment {
                author: Some("Priya".into())
            }
        );
        assert_eq!(
            doc.blocks[6].verdict,
            Verdict::Comment {
                author: Some("Old Tom".into())
            }
        );
        assert_eq!(says_name("Everyone says the river is rising."), None);
    }
}
