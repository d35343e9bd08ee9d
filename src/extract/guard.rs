//! Guards around HTML parsing for hostile input: a linear pre-scan that flattens markup
//! nested past `limits.max_dom_depth` and rejects documents with more tags than
//! `limits.max_dom_nodes`, then a parse fed in slices with the time budget checked between
//! them. The pre-scan also empties scripts, style sheets and inline SVG, which no stage
//! reads, so the parser does not spend time on them.
//!
//! html5ever's tree builder scans its stack of open elements for many tags, so a page of
//! 200,000 nested `<div>`s costs time quadratic in its depth; cutting the depth before
//! parsing keeps it linear. This module does not walk the parsed DOM or make blocks.

use crate::config::Limits;
use crate::error::{DocError, ErrorKind};
use html5ever::tendril::{StrTendril, TendrilSink};
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;
use std::time::{Duration, Instant};

/// Bytes handed to the parser between two checks of the time budget.
const PARSE_SLICE: usize = 256 * 1024;

/// Parse `html` into a DOM within the document limits.
pub fn parse(html: &str, limits: &Limits) -> Result<Html, DocError> {
    let started = Instant::now();
    let flat = flatten(html, limits.max_dom_depth.max(1))?;
    if flat.start_tags > limits.max_dom_nodes {
        return Err(DocError::new(
            ErrorKind::DomTooLarge,
            format!(
                "document has {} tags, over limits.max_dom_nodes = {}",
                flat.start_tags, limits.max_dom_nodes
            ),
        ));
    }
    let budget = (limits.max_time_ms > 0).then(|| Duration::from_millis(limits.max_time_ms));
    let text: &str = &flat.text;
    let mut parser = html5ever::driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + PARSE_SLICE).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&text[at..end]));
        at = end;
        if let Some(b) = budget {
            let spent = started.elapsed();
            if spent > b {
                return Err(DocError::new(
                    ErrorKind::Timeout,
                    format!(
                        "HTML parse stopped after {} ms at byte {at} of {}, over limits.max_time_ms = {}",
                        spent.as_millis(),
                        text.len(),
                        limits.max_time_ms
                    ),
                ));
            }
        }
    }
    Ok(parser.finish())
}

/// Markup after the depth pre-scan.
#[derive(Debug)]
pub struct Flattened<'a> {
    pub text: Cow<'a, str>,
    /// Start tags seen (a lower bound of the element count).
    pub start_tags: usize,
    /// Tags removed because they were nested too deep.
    pub dropped: usize,
    /// Elements whose content was removed because nothing reads it (see [`unread_content`]).
    pub emptied: usize,
}

/// Elements that never have content or an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
            | "image"
    )
}

/// Elements whose end tag is optional: the parser closes them itself, so counting them
/// would overestimate the depth of ordinary pages (lists of `<li>` without `</li>`).
fn closes_itself(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "option"
            | "optgroup"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content is raw text up to their end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
    )
}

/// Inline elements: removing their tag joins text without a space.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "i"
            | "u"
            | "s"
            | "em"
            | "strong"
            | "span"
            | "font"
            | "small"
            | "big"
            | "sub"
            | "sup"
            | "code"
            | "abbr"
            | "cite"
            | "q"
            | "mark"
            | "label"
            | "strike"
            | "tt"
            | "kbd"
            | "var"
            | "samp"
            | "time"
            | "nobr"
    )
}

/// Remove start and end tags nested deeper than `max_depth` (counting elements that need an
/// end tag), keeping their text, and empty the elements nothing downstream reads (scripts
/// other than JSON-LD, style sheets, inline SVG), keeping their tags: the parser then neither
/// tokenizes nor stores them. Linear in the input; borrows it when nothing is changed.
pub fn flatten(html: &str, max_depth: usize) -> Result<Flattened<'_>, DocError> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `html` already handled in `out`
    let mut depth = 0usize;
    let mut start_tags = 0usize;
    let mut dropped = 0usize;
    let mut emptied = 0usize;
    let mut i = 0;
    let mut name_buf = [0u8; 16];
    // Inside <svg>/<math>, `<x/>` closes itself; in HTML it opens an element like `<x>`.
    let mut foreign = 0usize;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = match find(&b[lt + 4..], b"-->") {
                Some(e) => lt + 4 + e + 3,
                None => b.len(),
            };
            continue;
        }
        if rest.first().is_some_and(|&c| c == b'!' || c == b'?') {
            i = memchr::memchr(b'>', &b[lt..]).map_or(b.len(), |e| lt + e + 1);
            continue;
        }
        let end_tag = rest.first() == Some(&b'/');
        let name_at = lt + 1 + usize::from(end_tag);
        let name_len = b[name_at..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
            .unwrap_or(b.len() - name_at);
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            i = lt + 1; // a lone '<' is text
            continue;
        }
        let Some(tag_end) = tag_end(b, name_at + name_len) else {
            break; // an unterminated tag runs to the end of the input
        };
        // Names longer than the buffer are in none of the lists below.
        let name_bytes = &b[name_at..name_at + name_len];
        let name_len = name_len.min(name_buf.len());
        name_buf[..name_len].copy_from_slice(&name_bytes[..name_len]);
        name_buf[..name_len].make_ascii_lowercase();
        let name = std::str::from_utf8(&name_buf[..name_len]).unwrap_or("");
        let self_closing = foreign > 0 && b[tag_end - 1] == b'/' && b[tag_end - 2] != b'<';
        if name == "svg" || name == "math" {
            if end_tag {
                foreign = foreign.saturating_sub(1);
            } else if b[tag_end - 1] != b'/' {
                foreign += 1;
            }
        }
        let counted = !is_void(name) && !closes_itself(name);
        let mut drop = false;
        if end_tag {
            if counted {
                drop = depth > max_depth;
                depth = depth.saturating_sub(1);
            }
        } else {
            start_tags += 1;
            if counted && !self_closing {
                depth += 1;
                drop = depth > max_depth;
            }
        }
        let mut next = tag_end + 1;
        if !end_tag && is_raw_text(name) && !self_closing {
            // Skip to the matching end tag; its content is not markup.
            next = find_end_tag(b, next, name.as_bytes()).unwrap_or(b.len());
            if unread_content(name, &b[name_at + name_len..tag_end]) && next > tag_end + 1 {
                // Nothing downstream reads it: the parser need not copy it into the DOM.
                let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
                o.push_str(&html[copied..tag_end + 1]);
                copied = next;
                emptied += 1;
            }
        } else if !end_tag && name == "svg" && b[tag_end - 1] != b'/' && !drop {
            // Vector graphics: markup of shapes, never text the extractor keeps.
            if let Some(close) = find_svg_end(b, tag_end + 1) {
                let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
                o.push_str(&html[copied..tag_end + 1]);
                copied = close;
                next = close;
                emptied += 1;
            }
        }
        if drop {
            dropped += 1;
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..lt]);
            if !is_inline(name) {
                o.push(' ');
            }
            copied = tag_end + 1;
        }
        i = next;
    }
    let text = match out {
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(html),
    };
    Ok(Flattened {
        text,
        start_tags,
        dropped,
        emptied,
    })
}

/// Raw-text elements whose content no stage reads: scripts (except JSON-LD, the metadata
/// source) and style sheets. `attrs` is the tag's markup after its name.
fn unread_content(name: &str, attrs: &[u8]) -> bool {
    match name {
        "style" => true,
        "script" => !attrs.windows(7).any(|w| w.eq_ignore_ascii_case(b"ld+json")),
        _ => false,
    }
}

/// Index of the `</svg` that closes an `<svg>` whose content starts at `from`, nested
/// `<svg>`s counted; `None` when it is never closed (then nothing is removed).
fn find_svg_end(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut k = from;
    loop {
        let at = k + memchr::memchr(b'<', &b[k..])?;
        let after = &b[at + 1..];
        let is = |off: usize| {
            after.len() > off + 3
                && after[off..off + 3].eq_ignore_ascii_case(b"svg")
                && !after[off + 3].is_ascii_alphanumeric()
        };
        if after.first() == Some(&b'/') && is(1) {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        } else if is(0) {
            depth += 1;
        } else if breaks_out_of_svg(after) {
            return None;
        }
        k = at + 1;
    }
}

/// Whether the start tag at `after` (the bytes after its `<`) is one that, inside SVG,
/// closes the SVG and goes on as HTML (the parser's foreign-content breakout list): then
/// what follows is page content and must stay.
fn breaks_out_of_svg(after: &[u8]) -> bool {
    let len = after
        .iter()
        .take(11)
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len().min(11));
    if len == 0 || len > 10 {
        return false;
    }
    let mut name = [0u8; 10];
    name[..len].copy_from_slice(&after[..len]);
    name[..len].make_ascii_lowercase();
    matches!(
        &name[..len],
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strong"
            | b"strike"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
            | b"font"
    )
}

/// Index of the `>` that ends a tag whose attributes start at `from`. Quotes are respected
/// only where they open an attribute value, right after `=` (whitespace between allowed).
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut k = from;
    loop {
        let at = k + memchr::memchr3(b'>', b'"', b'\'', &b[k..])?;
        let c = b[at];
        if c == b'>' {
            return Some(at);
        }
        let prev = b[from..at].iter().rev().find(|c| !c.is_ascii_whitespace());
        k = if prev == Some(&b'=') {
            at + 1 + memchr::memchr(c, &b[at + 1..])? + 1
        } else {
            at + 1
        };
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Index of the `</name` (any case) that ends a raw-text element whose content starts at
/// `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut k = from;
    loop {
        let at = k + memchr::memchr(b'<', &b[k..])?;
        let after = &b[at + 1..];
        if after.first() == Some(&b'/')
            && after.len() > name.len()
            && after[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return Some(at);
        }
        k = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_cut_at_the_limit() {
        let html = format!(
            "{}<p>deep text</p>{}",
            "<div>".repeat(1000),
            "</div>".repeat(1000)
        );
        let f = flatten(&html, 10).unwrap();
        assert_eq!(f.dropped, 1980);
        assert_eq!(f.text.matches("<div>").count(), 10);
        assert_eq!(f.text.matches("</div>").count(), 10);
        assert!(f.text.contains("<p>deep text</p>"));
        assert_eq!(f.start_tags, 1001);
    }

    #[test]
    fn ordinary_pages_are_borrowed_unchanged() {
        let html = "<html><body><ul><li>a<li>b</ul><p>x<p>y<br><img src=a>\
                    <script type=application/ld+json>{\"a\": \"<div>\"}</script><!-- <div> --><a title='>'>z</a>";
        let f = flatten(html, 3).unwrap();
        assert!(matches!(f.text, Cow::Borrowed(_)));
        assert_eq!(f.dropped, 0);
    }

    #[test]
    fn unclosed_inline_soup_is_flattened_and_parses_fast() {
        let html = format!("<body>{}tail words", "<b>x".repeat(50_000));
        let limits = Limits {
            max_dom_depth: 64,
            ..Limits::default()
        };
        let started = Instant::now();
        let dom = parse(&html, &limits).unwrap();
        assert!(dom
            .root_element()
            .text()
            .collect::<String>()
            .ends_with("tail words"));
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn pathological_markup_parses_in_linear_time() {
        let n = 40_000;
        let cases = [
            "<div/>".repeat(n),
            "<table><tr><td>".repeat(n / 4),
            "<svg>".to_string() + &"<g>".repeat(n) + &"<path d='M0 0'/>".repeat(n),
            "<ul><li>".repeat(n / 2),
            "<a href=x>".repeat(n),
            "<font><b><i>".repeat(n / 3),
            "<p>".repeat(n) + "<!--" + &"<div>".repeat(n),
            "<script>".to_string() + &"<div>".repeat(n),
            "<<<<<".repeat(n) + "<a title=\"",
        ];
        let limits = Limits::default();
        for html in &cases {
            let started = Instant::now();
            let r = parse(html, &limits);
            let took = started.elapsed();
            assert!(r.is_ok(), "{:?}: {:?}", &html[..20], r.err());
            assert!(
                took < Duration::from_secs(8),
                "{:?} took {took:?}",
                &html[..20]
            );
        }
    }

    #[test]
    fn unread_elements_are_emptied_and_json_ld_kept() {
        let html = "<head><style>p{color:red}</style>\
                    <script type=\"application/ld+json\">{\"headline\":\"H\"}</script>\
                    <SCRIPT>var a = '<p>not text</p>';</SCRIPT></head>\
                    <body><svg><svg><text>icon</text></svg><path d='M0'/></svg><p>Kept words.</p>\
                    <svg/><p>After a self-closed svg.</p><svg><use/><div>Breaks out.</div></svg>\
                    <svg><g>never closed";
        let f = flatten(html, 100).unwrap();
        assert_eq!(f.emptied, 3);
        assert!(f.text.contains("<style></style>"));
        assert!(f.text.contains("{\"headline\":\"H\"}</script>"));
        assert!(f.text.contains("<SCRIPT></SCRIPT>"));
        assert!(f.text.contains("<svg></svg><p>Kept words.</p>"));
        assert!(f.text.contains("<svg/><p>After a self-closed svg.</p>"));
        assert!(f.text.contains("<svg><use/><div>Breaks out.</div></svg>"));
        assert!(f.text.contains("<svg><g>never closed"));
    }

    #[test]
    fn too_many_tags_is_an_error() {
        let html = "<span>a</span>".repeat(100);
        let limits = Limits {
            max_dom_nodes: 50,
            ..Limits::default()
        };
        assert_eq!(
            parse(&html, &limits).unwrap_err().kind,
            ErrorKind::DomTooLarge
        );
    }
}
