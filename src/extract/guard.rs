//! Guards around HTML parsing for hostile input: a linear pre-scan that flattens markup
//! nested past `limits.max_dom_depth` and rejects documents with more tags than
//! `limits.max_dom_nodes`, then a parse fed in slices with the time budget checked between
//! them. The pre-scan also empties scripts, style sheets and inline SVG, which no stage
//! reads, and removes from start tags the attributes no stage reads (most of a page's
//! markup: image sources, `data-*`, event handlers), so the parser does not spend time on
//! them.
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
    // The tree's node vector sized up front from the pre-scan's tag count (elements, and
    // about as many text nodes), so building it does not copy the nodes over and over as
    // the vector doubles. Only the capacity differs: node ids and the tree are the same.
    let mut doc = Html::new_document();
    doc.tree =
        ego_tree::Tree::with_capacity(scraper::Node::Document, node_capacity(flat.start_tags));
    let mut parser = html5ever::driver::parse_document(HtmlTreeSink::new(doc), Default::default());
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

/// Nodes to reserve for a document with `start_tags` start tags: an element per tag, and
/// text nodes (WCXB pages have 1.3 to 2.9 nodes per start tag, about 2 on most), and the
/// document's implied elements.
fn node_capacity(start_tags: usize) -> usize {
    start_tags.saturating_mul(5) / 2 + 16
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
    /// Start tags whose unread attributes were removed (see [`trim_attributes`]).
    pub trimmed: usize,
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
/// other than JSON-LD, style sheets, inline SVG), keeping their tags, and the attributes no
/// stage reads ([`trim_attributes`]): the parser then neither tokenizes nor stores them.
/// Linear in the input; borrows it when nothing is changed.
pub fn flatten(html: &str, max_depth: usize) -> Result<Flattened<'_>, DocError> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `html` already handled in `out`
    let mut depth = 0usize;
    let mut start_tags = 0usize;
    let mut dropped = 0usize;
    let mut emptied = 0usize;
    let mut trimmed = 0usize;
    // Attributes are trimmed only where this scan reads the markup as the tokenizer does:
    // not before `no_trim_until` (the raw text of a `<noscript>`, the bogus comment that
    // `</` + a non-letter opens) and never again once the two may part (`no_trim_rest`:
    // after `<plaintext>`, a comment or tag the tokenizer ends elsewhere, raw text that
    // may hold markup, CDATA).
    let mut no_trim_until = 0usize;
    let mut no_trim_rest = false;
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
            if !no_trim_rest && (comment_end(b, lt, i) != i || spans(lt, i, no_trim_until)) {
                no_trim_rest = true;
            }
            continue;
        }
        if rest.first().is_some_and(|&c| c == b'!' || c == b'?') {
            i = memchr::memchr(b'>', &b[lt..]).map_or(b.len(), |e| lt + e + 1);
            if foreign > 0 || spans(lt, i, no_trim_until) {
                no_trim_rest = true; // CDATA, or a construct running out of a raw region
            }
            continue;
        }
        let end_tag = rest.first() == Some(&b'/');
        let name_at = lt + 1 + usize::from(end_tag);
        let name_len = b[name_at..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
            .unwrap_or(b.len() - name_at);
        if name_len == 0 || !b[name_at].is_ascii_alphabetic() {
            if end_tag && b.get(name_at).is_some_and(|&c| c != b'>') {
                let end = memchr::memchr(b'>', &b[name_at..]).map_or(b.len(), |e| name_at + e + 1);
                no_trim_until = no_trim_until.max(end);
            }
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
        if !no_trim_rest {
            let from = name_at - lt;
            if tag_close(&b[lt..=tag_end], from) != Some(tag_end - lt) {
                no_trim_rest = true;
            }
        }
        let mut next = tag_end + 1;
        if !end_tag && is_raw_text(name) && !self_closing {
            // Skip to the matching end tag; its content is not markup.
            next = find_end_tag(b, next, name.as_bytes()).unwrap_or(b.len());
            // The tokenizer ends raw text only at an end tag of the name followed by white
            // space, `/` or `>`; a script may hide one in an escaped comment; other raw
            // text is markup where the tree builder ignores the tag (`<select>`), and
            // foreign content has no raw text.
            let appropriate = b
                .get(next + 2 + name.len())
                .is_none_or(|&c| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>'));
            let content = &b[(tag_end + 1).min(next)..next];
            let risky = if name == "script" {
                find(content, b"<!--").is_some()
            } else {
                memchr::memchr(b'<', content).is_some()
            };
            if !appropriate || risky || foreign > 0 {
                no_trim_rest = true;
            }
            if unread_content(name, &b[name_at + name_len..tag_end]) && next > tag_end + 1 {
                // Nothing downstream reads it: the parser need not copy it into the DOM.
                let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
                o.push_str(&html[copied..tag_end + 1]);
                copied = next;
                emptied += 1;
            }
        } else if !end_tag
            && !drop
            && foreign == 0
            && !no_trim_rest
            && lt >= no_trim_until
            && name != "svg"
        {
            if let Some(t) = trim_attributes(&html[lt..=tag_end]) {
                let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
                o.push_str(&html[copied..lt]);
                o.push_str(&t);
                copied = tag_end + 1;
                trimmed += 1;
            }
        }
        if !end_tag && name == "svg" && b[tag_end - 1] != b'/' && !drop {
            // Vector graphics: markup of shapes, never text the extractor keeps.
            if let Some(close) = find_svg_end(b, tag_end + 1) {
                let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
                o.push_str(&html[copied..tag_end + 1]);
                copied = close;
                next = close;
                emptied += 1;
            }
        }
        if !end_tag && name == "plaintext" {
            no_trim_rest = true;
        }
        if !end_tag && name == "noscript" && !self_closing {
            // Raw text for the tokenizer (scripting is on) up to `</noscript` + white space,
            // `/` or `>`; this scan reads it as markup, so it is left as it is.
            no_trim_until = noscript_end(b, tag_end + 1).max(no_trim_until);
        }
        if spans(lt, next, no_trim_until) {
            no_trim_rest = true;
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
        trimmed,
    })
}

/// Attributes some stage reads (the walker's class/id/role/itemprop/style/popover, the metadata's
/// `meta`, `link`, `time`, `html` and author/date attributes), and those that change how
/// the parser builds the tree (`type` of `<input>`, `<font>`'s `color`/`face`/`size`,
/// `encoding`).
const READ_ATTRIBUTES: &[&str] = &[
    "class", "id", "role", "itemprop", "style", "property", "name", "content", "href", "datetime",
    "lang", "rel", "type", "color", "face", "size", "encoding", "popover",
];

/// Start tags left whole: their attributes decide how the parser or a stage treats them.
fn keeps_attributes(name: &[u8]) -> bool {
    const KEEP: &[&str] = &[
        "html",
        "head",
        "body",
        "meta",
        "link",
        "base",
        "script",
        "style",
        "template",
        "input",
        "font",
        "noscript",
        "plaintext",
        "frameset",
        "frame",
        "object",
        "embed",
        "param",
        "form",
        "select",
        "option",
        "button",
        "svg",
        "math",
        "textarea",
        "title",
        "iframe",
        "xmp",
        "noembed",
        "noframes",
        "image",
        "annotation-xml",
    ];
    KEEP.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(name))
}

/// The start tag `tag` (from `<` to its `>`) without the attributes no stage reads (image
/// sources, `data-*`, event handlers, `aria-*`...): most of a page's markup, which the parser
/// would otherwise tokenize byte by byte and store. The tag is read with the tokenizer's
/// rules (tag name up to white space, `/` or `>`; attribute names, `=`, quoted and unquoted
/// values; `/` before `>`), and `None` is returned, leaving the tag as it is, when it has
/// nothing to remove or when those rules do not end it at its last byte (the scan's
/// [`tag_end`] saw it otherwise). The kept attributes are copied as written, in order, one
/// space apart, so the parser gives the element the same attributes they gave it.
fn trim_attributes(tag: &str) -> Option<String> {
    let b = tag.as_bytes();
    if b.len() < 3 || b[0] != b'<' || b[b.len() - 1] != b'>' {
        return None;
    }
    let t = scan_tag(b, 1, true);
    if t.close != Some(b.len() - 1) || b.get(1..t.name_end).is_none_or(keeps_attributes) {
        return None;
    }
    let attrs = t.attrs;
    let read = |&(s, n, _): &(usize, usize, usize)| {
        b.get(s..n).is_some_and(|name| {
            READ_ATTRIBUTES
                .iter()
                .any(|r| r.as_bytes().eq_ignore_ascii_case(name))
        })
    };
    if attrs.iter().all(read) {
        return None;
    }
    let mut out = String::with_capacity(tag.len());
    out.push_str(tag.get(..t.name_end)?);
    for a in attrs.iter().filter(|a| read(a)) {
        out.push(' ');
        out.push_str(tag.get(a.0..a.2)?);
    }
    if t.self_closing {
        out.push('/');
    }
    out.push('>');
    Some(out)
}

/// Index of the `>` at which the tokenizer ends the tag starting at `b[0]` whose name
/// starts at `b[from]`, if it ends in `b`.
fn tag_close(b: &[u8], from: usize) -> Option<usize> {
    scan_tag(b, from, false).close
}

/// Where the tokenizer ends the comment opened by the `<!--` at `lt`, given that the first
/// `-->` after it ends at `first` (the end of the input when there is none): `<!-->` and
/// `<!--->` end at once, else the first `-->` or `--!>` does.
fn comment_end(b: &[u8], lt: usize, first: usize) -> usize {
    let body = &b[lt + 4..];
    if body.starts_with(b">") {
        return lt + 5;
    }
    if body.starts_with(b"->") {
        return lt + 6;
    }
    // Only a `--!>` before `first` ends it earlier.
    match find(&b[lt + 4..first], b"--!>") {
        Some(e) => lt + 4 + e + 4,
        None => first,
    }
}

/// Index just past the `</noscript` that ends the raw text of a `<noscript>` whose content
/// starts at `from` (the end of the input when none does).
fn noscript_end(b: &[u8], from: usize) -> usize {
    let mut k = from;
    while let Some(at) = find_end_tag(b, k, b"noscript") {
        let after = at + 2 + "noscript".len();
        if b.get(after)
            .is_none_or(|&c| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>'))
        {
            return after;
        }
        k = at + 1;
    }
    b.len()
}

/// Whether a construct from `start` to `end` (exclusive) starts before `until` and runs
/// past it.
fn spans(start: usize, end: usize, until: usize) -> bool {
    start < until && end > until
}

/// A tag as the tokenizer reads it.
struct ScannedTag {
    /// End of the tag name.
    name_end: usize,
    /// (start, name end, end) of every attribute, as written.
    attrs: Vec<(usize, usize, usize)>,
    /// A `/` right before the closing `>`.
    self_closing: bool,
    /// Index of the `>` that ends the tag, if any.
    close: Option<usize>,
}

/// Read the tag starting at `b[0]` (`<` or `</`) whose name starts at `b[from]` with the
/// tokenizer's rules (tag name up to white space, `/` or `>`; attribute names, `=`, quoted
/// and unquoted values; `/` before `>`). The attributes are listed only when `list` is set.
fn scan_tag(b: &[u8], from: usize, list: bool) -> ScannedTag {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        TagName,
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        Unquoted,
        AfterQuoted,
        SelfClosing,
    }
    let ws = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let mut st = St::TagName;
    let mut name_end = b.len();
    // (start, name end, end) of every attribute, as written.
    let mut attrs: Vec<(usize, usize, usize)> = Vec::new();
    let mut cur: Option<(usize, usize)> = None; // (start, name end) of the open attribute
    let mut self_closing = false;
    let mut emitted_at = None;
    let mut i = from;
    // Closes the open attribute at `end` (exclusive).
    let close = |cur: &mut Option<(usize, usize)>, attrs: &mut Vec<(usize, usize, usize)>, end| {
        if let Some((s, n)) = cur.take() {
            if list {
                attrs.push((s, n, end));
            }
        }
    };
    while i < b.len() {
        let c = b[i];
        match st {
            St::TagName => match c {
                _ if ws(c) => {
                    name_end = i;
                    st = St::BeforeName;
                }
                b'/' => {
                    name_end = i;
                    st = St::SelfClosing;
                }
                b'>' => {
                    name_end = i;
                    emitted_at = Some(i);
                    break;
                }
                _ => {}
            },
            St::BeforeName => match c {
                _ if ws(c) => {}
                b'/' | b'>' => {
                    st = St::AfterName;
                    continue;
                }
                _ => {
                    // Any other byte, `=` included, starts a name.
                    cur = Some((i, i + 1));
                    st = St::Name;
                }
            },
            St::Name => match c {
                _ if ws(c) || c == b'/' || c == b'>' => {
                    if let Some(a) = cur.as_mut() {
                        a.1 = i;
                    }
                    st = St::AfterName;
                    continue;
                }
                b'=' => {
                    if let Some(a) = cur.as_mut() {
                        a.1 = i;
                    }
                    st = St::BeforeValue;
                }
                _ => {}
            },
            St::AfterName => match c {
                _ if ws(c) => {}
                b'/' => {
                    close(&mut cur, &mut attrs, last_non_ws(b, i));
                    st = St::SelfClosing;
                }
                b'=' => st = St::BeforeValue,
                b'>' => {
                    close(&mut cur, &mut attrs, last_non_ws(b, i));
                    emitted_at = Some(i);
                    break;
                }
                _ => {
                    close(&mut cur, &mut attrs, last_non_ws(b, i));
                    cur = Some((i, i + 1));
                    st = St::Name;
                }
            },
            St::BeforeValue => match c {
                _ if ws(c) => {}
                b'"' | b'\'' => st = St::Quoted(c),
                b'>' => {
                    close(&mut cur, &mut attrs, last_non_ws(b, i));
                    emitted_at = Some(i);
                    break;
                }
                _ => st = St::Unquoted,
            },
            St::Quoted(q) => {
                // Nothing but the closing quote ends a quoted value: jump to it.
                match memchr::memchr(q, &b[i..]) {
                    Some(e) => {
                        i += e;
                        close(&mut cur, &mut attrs, i + 1);
                        st = St::AfterQuoted;
                    }
                    None => break,
                }
            }
            St::Unquoted => {
                if ws(c) || c == b'>' {
                    close(&mut cur, &mut attrs, i);
                    if c == b'>' {
                        emitted_at = Some(i);
                        break;
                    }
                    st = St::BeforeName;
                }
            }
            St::AfterQuoted => match c {
                _ if ws(c) => st = St::BeforeName,
                b'/' => st = St::SelfClosing,
                b'>' => {
                    emitted_at = Some(i);
                    break;
                }
                _ => {
                    st = St::BeforeName;
                    continue;
                }
            },
            St::SelfClosing => {
                if c == b'>' {
                    self_closing = true;
                    emitted_at = Some(i);
                    break;
                }
                st = St::BeforeName;
                continue;
            }
        }
        i += 1;
    }
    ScannedTag {
        name_end,
        attrs,
        self_closing,
        close: emitted_at,
    }
}

/// End (exclusive) of `b[..i]` without trailing white space.
fn last_non_ws(b: &[u8], i: usize) -> usize {
    let mut e = i;
    while e > 0 && matches!(b[e - 1], b'\t' | b'\n' | b'\x0C' | b'\r' | b' ') {
        e -= 1;
    }
    e
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
        let html = "<html><body><ul><li>a<li>b</ul><p>x<p>y<br><img class=a>\
                    <script type=application/ld+json>{\"a\": \"<div>\"}</script><!-- <div> --><a id='>'>z</a>";
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

    /// The tree as every stage can see it: elements with the attributes some stage reads,
    /// text, comments, each with its depth.
    fn projection(dom: &Html) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![(dom.tree.root(), 0usize)];
        while let Some((n, d)) = stack.pop() {
            match n.value() {
                scraper::Node::Element(e) => {
                    let mut a: Vec<String> = e
                        .attrs()
                        .filter(|(k, _)| READ_ATTRIBUTES.contains(k))
                        .map(|(k, v)| format!("{k}={v:?}"))
                        .collect();
                    a.sort();
                    out.push(format!("{d} <{} {}>", e.name(), a.join(" ")));
                }
                scraper::Node::Text(t) => out.push(format!("{d} t{:?}", &**t)),
                scraper::Node::Comment(c) => out.push(format!("{d} c{:?}", &**c)),
                _ => out.push(format!("{d} other")),
            }
            for c in n.children().rev() {
                stack.push((c, d + 1));
            }
        }
        out
    }

    fn same_tree(html: &str) {
        let trimmed = parse(html, &Limits::default()).unwrap();
        let plain = Html::parse_document(html);
        assert_eq!(projection(&trimmed), projection(&plain), "{html:?}");
    }

    #[test]
    fn unread_attributes_are_trimmed() {
        let t = |s: &str| trim_attributes(s);
        assert_eq!(
            t(r#"<img src="a.jpg" class=x alt='y>z' data-id=7>"#).as_deref(),
            Some("<img class=x>")
        );
        // `/` ends the unquoted value here, not the tag.
        assert_eq!(
            t(r#"<a HREF="/p" target=_blank/>"#).as_deref(),
            Some(r#"<a HREF="/p">"#)
        );
        assert_eq!(
            t(r#"<a HREF="/p" target="_blank"/>"#).as_deref(),
            Some(r#"<a HREF="/p"/>"#)
        );
        assert_eq!(
            t("<div onclick=f() id = 'm' hidden>").as_deref(),
            Some("<div id = 'm'>")
        );
        assert_eq!(
            t(r#"<p class="a"data-x="b">"#).as_deref(),
            Some(r#"<p class="a">"#)
        );
        assert_eq!(t("<p class=a>"), None); // nothing to remove
        assert_eq!(t("<input type=hidden data-x=1>"), None); // left whole
        assert_eq!(t(r#"<div ="x>y">"#), None); // the tokenizer ends it at the first '>'
        let f = flatten(
            r#"<div data-a="1" class="c">x</div><noscript><p data-b=2>y</p></noscript>"#,
            64,
        )
        .unwrap();
        assert_eq!(f.trimmed, 1);
        assert_eq!(
            f.text,
            r#"<div class="c">x</div><noscript><p data-b=2>y</p></noscript>"#
        );
    }

    #[test]
    fn trimmed_markup_parses_to_the_same_tree() {
        for html in [
            r#"<p data-x="1" class=a>t<img src=x alt="a>b"><a href=/u rel=author title='x'>n</a>"#,
            r#"<div id=a data-q='"' class='b' =c>x</div><div/data-x=1>y</div>"#,
            r#"<title><b data-x=1>t</b></title><textarea><i data-y=2></textarea><p data-z>z"#,
            r#"<noscript><div data-k=1 class=n>ns</div></noscript><p data-a=1>after"#,
            r#"</ <div data-x=1>comment?> <p data-y=2>real</p>"#,
            r#"<table><input type=hidden data-x=1><tr data-r=1><td data-c=1>c</table>"#,
            r#"<math><mi data-x=1>x</mi></math><p data-y=1 CLASS=Up>y"#,
            r#"<!-- <p data-x=1> --><p data-y="a
b" id=x>y</p><plaintext><p data-z=1>raw"#,
            "<p data-x=1\tclass=a\x0cid=b\r\nrole=c>x</p><br data-b/><hr/ data-h>",
            r#"<p a="x"b="y"c='z'd=w class=k>q</p><p class=a class=b data-x>r</p>"#,
        ] {
            same_tree(html);
        }
        // Random tag soup over the pieces the tokenizer cares about.
        let pieces = [
            "<",
            ">",
            "/",
            "=",
            "\"",
            "'",
            " ",
            "\n",
            "div",
            "p",
            "a",
            "b",
            "li",
            "class",
            "id",
            "data-x",
            "src",
            "x",
            "y",
            "&amp;",
            "<!--",
            "-->",
            "</",
            "<!",
            "<noscript>",
            "</noscript>",
            "<textarea>",
            "</textarea>",
            "<title>",
            "</title>",
            "<math>",
            "</math>",
            "<table>",
            "<td>",
            "<input type=hidden data-z=1>",
            "é",
            "\t",
            "?",
            "-",
            "<p ",
            "<div ",
            " data-q=",
            " class=",
            "<plaintext>",
            "<select>",
            "</select>",
            "<xmp>",
            "</xmp>",
            "<iframe>",
            "</iframe>",
            "<![CDATA[",
            "]]>",
            "<!-->",
            "--!>",
            "</titlex>",
            "<title>a<b data-t=1>",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let n = 5 + (next() % 60) as usize;
            let html: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            same_tree(&html);
        }
    }
}
