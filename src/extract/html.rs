//! HTML -> blocks with DOM features, and the choice of the main-content container.
//!
//! The DOM is walked once with an explicit stack (no recursion), so a page of 200,000 nested
//! `<div>`s costs memory proportional to its size, not stack depth. The walk records every
//! element it enters in a flat table (parent index, tag, class/id tokens), and each block
//! points at its innermost block element. Container scoring then runs over that table:
//! every block adds a value (prose words count for, link-heavy words against) to each of its
//! ancestors, semantic tags and class tokens nudge the sums, and the best-scoring element is
//! the main content. Blocks inside it get `in_main = Some(true)`; their class tokens are cut
//! to the levels below the container, so a body class like `has-sidebar` cannot condemn the
//! whole page (blocks outside it lose the tokens of the container's ancestors likewise). When
//! headline-sized links outside menus outweigh the best prose region, the page is a listing
//! and entries count as content, so the whole list is chosen; likewise when a grid of cards
//! (siblings of one kind, each a few short blocks: a name and a price) outweighs the best
//! prose region, the grid is chosen whole. The summaries in a rail of alike cards ("more
//! from", related entries) count for nothing when the region that then wins holds the page's
//! `<h1>` and is not one entry of a series (else the cards are the content); `role=dialog`
//! panels never count. A page whose
//! `<noscript>` copy holds far more than its visible text is read from that copy, and one
//! whose `display:none` wrapper holds more text than the visible page is read as shown. This
//! module decides nothing about noise categories.

use crate::block::{Block, BlockKind, Container, Doc};
use crate::config::PipelineConfig;
use crate::error::{DocError, ErrorKind};
use ego_tree::NodeId;
use scraper::{node::Node, Html};
use std::collections::HashMap;
use std::sync::Arc;

/// Index meaning "no element" in the walker's element table.
const NONE: u32 = u32::MAX;

/// Extract metadata and blocks from an HTML document fetched from `url` (when known).
pub fn extract(html: &str, cfg: &PipelineConfig, url: Option<&str>) -> Result<Doc, DocError> {
    let dom = super::guard::parse(html, &cfg.limits)?;
    let nodes = dom.tree.nodes().len();
    if nodes > cfg.limits.max_dom_nodes {
        return Err(DocError::new(
            ErrorKind::DomTooLarge,
            format!(
                "DOM has {nodes} nodes, over limits.max_dom_nodes = {}",
                cfg.limits.max_dom_nodes
            ),
        ));
    }
    let meta = super::meta::extract(&dom, url);
    let mut walker = Walker::new(cfg);
    walker.walk(&dom);
    // Pages whose content waits in a `display:none` wrapper for a script to show it: when
    // one hidden element holds more text than the whole visible page, read it as shown.
    let shown: usize = walker.blocks.iter().map(|b| b.features.chars).sum();
    if let (n, Some(id)) = walker.hidden {
        if n >= HIDDEN_MIN_CHARS && n > shown {
            let mut w = Walker::new(cfg);
            w.unhide = Some(id);
            w.walk(&dom);
            walker = w;
        }
    }
    // Pages rendered by script keep a server-side copy of the content in `<noscript>`:
    // when that copy holds far more than the visible page, read it instead (once; a
    // `<noscript>` inside it is not followed).
    let page_chars: usize = walker.blocks.iter().map(|b| b.features.chars).sum();
    let fallback = std::mem::take(&mut walker.noscript);
    let alt;
    if fallback.len() > 2000 && page_chars * 4 < fallback.len() / 3 {
        alt = Html::parse_document(&fallback);
        let mut w = Walker::new(cfg);
        w.walk(&alt);
        walker = w;
    }
    let Walker {
        blocks,
        block_elems,
        block_tok_elems,
        mut elems,
        ..
    } = walker;
    let mut doc = Doc {
        meta,
        blocks,
        cuts: Vec::new(),
        shape: Default::default(),
    };
    // Words below each element (the tree and the blocks' words do not change from here on).
    let words = words_per_elem(&doc, &elems, &block_elems);
    clear_page_wide_menus(&doc, &mut elems, &words);
    let thread = open_thread(&doc, &mut elems, &block_elems);
    mark_main(&mut doc, &elems, &block_elems, &block_tok_elems, &words);
    if thread {
        // The posts are the content: their comment tokens no longer mark them as comments
        // for the strip passes and the block classifier.
        for b in &mut doc.blocks {
            if crate::strip::comments::has_comment_token(&b.features.class_tokens) {
                b.features
                    .class_tokens
                    .retain(|t| !crate::strip::comments::is_comment_token(t));
            }
        }
    }
    Ok(doc)
}

/// Text a hidden element needs before it can stand for the page's content.
const HIDDEN_MIN_CHARS: usize = 500;

/// Characters of the text below `node`, outside elements whose content is never text.
fn text_len(node: ego_tree::NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter_map(|d| {
            let t = d.value().as_text()?;
            let skipped = d
                .parent()
                .and_then(|p| p.value().as_element().map(|e| is_skipped(e.name())))
                .unwrap_or(false);
            (!skipped).then(|| t.trim().len())
        })
        .sum()
}

/// Elements whose content is never text of the page.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "head"
            | "title"
            | "video"
            | "audio"
            | "map"
            | "dialog"
    )
}

/// Elements hidden by an inline style (`display:none`, `visibility:hidden`). The `hidden`
/// attribute and `aria-hidden` are not followed: collapsed accordions and tabs carry them,
/// and their text is content; so is that of tab panels a style hides ([`is_tab_panel`]).
/// The hidden element with most text is read after all when it holds more than the
/// visible page (a wrapper a script shows once the page has loaded).
fn hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// A panel of a tab set (`role=tabpanel`): the tabs show one panel at a time, and the
/// panels hidden by an inline style are the same page's content (the code sample in the
/// other languages, the other plan's details), so they are read like the visible one.
fn is_tab_panel(a: &Attrs) -> bool {
    a.role
        .is_some_and(|r| r.trim().eq_ignore_ascii_case("tabpanel"))
}

/// A class/id token (lower-cased) of a cookie-consent or privacy-preference dialog
/// (`consent-sdk`, `gdpr-banner`, `cookie-notice`): its text is never the page's content, and
/// its long explanations of cookie purposes would otherwise outweigh a short page in
/// container scoring.
fn consent_token(t: &str) -> bool {
    // Cheap screen first: most tokens hold none of the words.
    let b = t.as_bytes();
    let named = memchr::memchr2_iter(b'c', b'g', b).any(|i| {
        let r = &b[i..];
        r.starts_with(b"consent") || r.starts_with(b"cookie") || r.starts_with(b"gdpr")
    });
    if !named {
        return false;
    }
    let cookie = t
        .split(['-', '_'])
        .any(|p| matches!(p, "cookie" | "cookies"));
    t.split(['-', '_']).any(|p| {
        matches!(p, "consent" | "gdpr" | "cookieconsent" | "cookiebanner")
            || (cookie
                && matches!(
                    p,
                    "banner" | "notice" | "bar" | "popup" | "modal" | "dialog" | "overlay"
                ))
    })
}

/// The attributes the walker reads, found in one pass over the element's attributes.
#[derive(Default)]
struct Attrs<'d> {
    class: Option<&'d str>,
    id: Option<&'d str>,
    role: Option<&'d str>,
    itemprop: Option<&'d str>,
    style: Option<&'d str>,
    /// The element has a `popover` attribute: hidden until a script or a button shows it.
    popover: bool,
}

impl<'d> Attrs<'d> {
    fn of(el: &'d scraper::node::Element) -> Self {
        use html5ever::local_name;
        let mut a = Attrs::default();
        // The attributes of `Element::attrs` (local names, any namespace), their names
        // compared as atoms: one integer comparison each instead of a string's.
        for (k, v) in el.attrs.iter() {
            let k = &k.local;
            let slot = if *k == local_name!("class") {
                &mut a.class
            } else if *k == local_name!("id") {
                &mut a.id
            } else if *k == local_name!("role") {
                &mut a.role
            } else if *k == local_name!("itemprop") {
                &mut a.itemprop
            } else if *k == local_name!("style") {
                &mut a.style
            } else if *k == local_name!("popover") {
                a.popover = true;
                continue;
            } else {
                continue;
            };
            // The first of duplicated attributes counts, as with `Element::attr`.
            slot.get_or_insert(&**v);
        }
        debug_assert!(a.same_as(&Attrs::by_names(el)));
        a
    }

    /// [`Attrs::of`] by the attributes' names as strings (for the debug check).
    fn by_names(el: &'d scraper::node::Element) -> Self {
        let mut a = Attrs::default();
        for (k, v) in el.attrs() {
            let slot = match k {
                "class" => &mut a.class,
                "id" => &mut a.id,
                "role" => &mut a.role,
                "itemprop" => &mut a.itemprop,
                "style" => &mut a.style,
                "popover" => {
                    a.popover = true;
                    continue;
                }
                _ => continue,
            };
            slot.get_or_insert(v);
        }
        a
    }

    fn same_as(&self, o: &Attrs) -> bool {
        (
            self.class,
            self.id,
            self.role,
            self.itemprop,
            self.style,
            self.popover,
        ) == (o.class, o.id, o.role, o.itemprop, o.style, o.popover)
    }
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "h1" => BlockKind::Heading(1),
        "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "nav"
        | "form" | "fieldset" | "address" | "center" | "dl" | "ul" | "ol" | "table" | "tbody"
        | "thead" | "tfoot" | "figure" | "body" | "details" | "summary" | "hr" | "menu" => {
            BlockKind::Paragraph
        }
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "blockquote" => BlockKind::Quote,
        "pre" => BlockKind::Code,
        "tr" => BlockKind::TableRow,
        "figcaption" | "caption" => BlockKind::Caption,
        _ => return None,
    })
}

/// One element entered by the walk.
struct Elem {
    parent: u32,
    /// Level in the walker's path (0 = `<html>`).
    level: u16,
    /// Semantic hint from tag and class/id tokens: > 1 content-like, < 1 chrome-like.
    hint: f32,
    /// Site chrome by tag or token: navigation, menus, sidebars, footers.
    menu: bool,
    /// Marked as a comment thread by a class/id token.
    comment: bool,
    /// A dialog (`role=dialog`): never the content.
    overlay: bool,
    /// `hint` without the comment tokens (differs only for `comment` elements): the hint
    /// of a post container on a page whose thread is the content.
    thread_hint: f32,
    /// Hashes of the first class/id tokens (0 = none), to tell elements of one kind.
    sig: [u32; 4],
    /// FNV-1a hash of the tag name, to tell siblings of one kind.
    tag: u32,
}

impl Elem {
    /// Siblings of one kind (cards of a rail or a grid): same parent, tag and first
    /// class/id token (the others often number the entry: `post post-7816`).
    fn kind(&self) -> (u32, u32, u32) {
        (self.parent, self.tag, self.sig[0])
    }
}

struct Open {
    kind: BlockKind,
    elem: u32,
    /// Length of `Walker::path` when this block element was entered.
    path_len: usize,
}

struct Walker<'c, 'd> {
    cfg: &'c PipelineConfig,
    blocks: Vec<Block>,
    /// For each block, the element (index into `elems`) that holds it.
    block_elems: Vec<u32>,
    /// For each block, the element (index into `elems`) each of its class tokens belongs to.
    block_tok_elems: Vec<Vec<u32>>,
    elems: Vec<Elem>,
    buf: String,
    link_chars: usize,
    /// Tag names from the root to the current element ("" for flattened levels).
    path: Vec<&'d str>,
    /// Element index per level of `path` (`NONE` for flattened levels).
    stack: Vec<u32>,
    /// Class/id tokens per level of `path`, shared (not copied) with every block below.
    tokens: Vec<Vec<Arc<str>>>,
    /// Emptied token vectors of elements left, for the next elements entered.
    spare: Vec<Vec<Arc<str>>>,
    /// Interned tag names: each block's `tag_path` shares these instead of copying them
    /// (with the name's [`fnv`] hash).
    tag_names: NameMap<'d>,
    /// Interned class/id/role/itemprop tokens (as written -> lower-cased, with the [`fnv`]
    /// hash of the lower-cased token): one string per distinct token per page, so the
    /// per-string caches of the classifier hit.
    tok_names: TokMap<'d>,
    /// Interned tag name per level of `path` (`None` for flattened levels).
    path_tags: Vec<Option<Arc<str>>>,
    /// The interned tag names of `path_tags` without the flattened levels.
    flat_tags: Vec<Arc<str>>,
    /// Per level of `path`: `flat_tags` as blocks hold it, once a block at that level
    /// needed it.
    shared_path: Vec<Option<Arc<[Arc<str>]>>>,
    open: Vec<Open>,
    in_link: usize,
    in_pre: usize,
    in_cell: bool,
    /// The largest `<noscript>` markup seen (a fallback copy of script-rendered content).
    noscript: String,
    /// The hidden (`display:none`) element with most text, and its text length.
    hidden: (usize, Option<NodeId>),
    /// A hidden element read as if it were shown (see [`extract`]).
    unhide: Option<NodeId>,
}

enum Step {
    Enter(NodeId),
    Leave,
}

/// An element's interned tokens ([`Walker::tokens_of`]).
struct Tokens {
    toks: Vec<Arc<str>>,
    /// `token_sig(&toks)`.
    sig: [u32; 4],
    /// The union of the tokens' [`token_flags`].
    flags: u8,
    /// A class/id token is a [`consent_token`].
    consent: bool,
}

impl<'c, 'd> Walker<'c, 'd> {
    fn new(cfg: &'c PipelineConfig) -> Self {
        Walker {
            cfg,
            blocks: Vec::new(),
            block_elems: Vec::new(),
            block_tok_elems: Vec::new(),
            elems: Vec::new(),
            buf: String::new(),
            link_chars: 0,
            path: Vec::new(),
            stack: Vec::new(),
            tokens: Vec::new(),
            spare: Vec::new(),
            tag_names: NameMap::default(),
            tok_names: TokMap::default(),
            path_tags: Vec::new(),
            flat_tags: Vec::new(),
            shared_path: Vec::new(),
            open: Vec::new(),
            in_link: 0,
            in_pre: 0,
            in_cell: false,
            noscript: String::new(),
            hidden: (0, None),
            unhide: None,
        }
    }

    fn walk(&mut self, dom: &'d Html) {
        let root = dom.tree.root();
        let mut stack = vec![Step::Enter(root.id())];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(id) => {
                    let Some(node) = dom.tree.get(id) else {
                        continue;
                    };
                    match node.value() {
                        Node::Text(t) => self.push_text(t),
                        Node::Element(el) => {
                            let name = el.name();
                            if name == "noscript" {
                                let raw: usize = node
                                    .children()
                                    .filter_map(|c| c.value().as_text().map(|t| t.len()))
                                    .sum();
                                if raw > self.noscript.len() {
                                    self.noscript = node
                                        .children()
                                        .filter_map(|c| c.value().as_text().map(|t| &**t))
                                        .collect();
                                }
                            }
                            if is_skipped(name) {
                                continue;
                            }
                            let attrs = Attrs::of(el);
                            // A popover (a menu, a prompt, a tip card) is not shown until
                            // something opens it, like a `<dialog>` without `open`.
                            if attrs.popover {
                                continue;
                            }
                            let toks = self.tokens_of(&attrs);
                            // A cookie-consent dialog (see `consent_token`); the page's own
                            // containers may name a banner they show (`body.has-cookie-bar`).
                            if toks.consent && !matches!(name, "html" | "body" | "main" | "article")
                            {
                                self.recycle(toks.toks);
                                continue;
                            }
                            if attrs.style.is_some_and(hides)
                                && !is_tab_panel(&attrs)
                                && self.unhide != Some(id)
                            {
                                let n = text_len(node);
                                if n > self.hidden.0 {
                                    self.hidden = (n, Some(id));
                                }
                                self.recycle(toks.toks);
                                continue;
                            }
                            let deep = self.path.len() >= self.cfg.limits.max_dom_depth;
                            self.enter(name, toks, deep);
                            stack.push(Step::Leave);
                            for child in node.children().rev() {
                                stack.push(Step::Enter(child.id()));
                            }
                        }
                        Node::Document | Node::Fragment => {
                            for child in node.children().rev() {
                                stack.push(Step::Enter(child.id()));
                            }
                        }
                        _ => {}
                    }
                }
                Step::Leave => self.leave(),
            }
        }
        self.flush();
    }

    /// The element's class/id tokens (each at most 64 bytes), its role and its itemprop,
    /// interned, with their signature and the union of their [`token_flags`].
    fn tokens_of(&mut self, el: &Attrs<'d>) -> Tokens {
        let mut toks = self.spare.pop().unwrap_or_default();
        debug_assert!(toks.is_empty());
        // `token_sig(&toks)`, from the hashes kept with the interned tokens.
        let mut sig = [0u32; 4];
        let names = &mut self.tok_names;
        let mut flags = 0u8;
        let mut push = |t: &'d str| {
            let (tok, h, f) = names.entry(t).or_insert_with(|| {
                let tok = lower_arc(t);
                let h = fnv(&tok);
                let f = token_flags(&tok);
                (tok, h, f)
            });
            if let Some(slot) = sig.get_mut(toks.len()) {
                *slot = *h;
            }
            flags |= *f;
            toks.push(Arc::clone(tok));
            *f
        };
        let mut consent = false;
        for v in [el.class, el.id].into_iter().flatten() {
            for t in v.split_ascii_whitespace() {
                if t.len() <= 64 {
                    consent |= push(t) & CONSENT_TOKEN != 0;
                } else {
                    consent |= consent_token(&t.to_ascii_lowercase());
                }
            }
        }
        if let Some(role) = el.role {
            push(role);
        }
        if let Some(prop) = el.itemprop {
            push(prop);
        }
        debug_assert_eq!(sig, token_sig(&toks));
        debug_assert_eq!(consent, is_consent_dialog("div", el));
        Tokens {
            toks,
            sig,
            flags,
            consent,
        }
    }

    /// Keep an element's token vector, emptied, for the next element.
    fn recycle(&mut self, mut toks: Vec<Arc<str>>) {
        toks.clear();
        self.spare.push(toks);
    }

    fn enter(&mut self, name: &'d str, toks: Tokens, deep: bool) {
        if deep {
            // Past the depth limit, elements are flattened into the ancestor at the limit.
            self.recycle(toks.toks);
            self.path.push("");
            self.stack.push(NONE);
            self.tokens.push(Vec::new());
            self.path_tags.push(None);
            self.shared_path.push(None);
            return;
        }
        match name {
            "a" => self.in_link += 1,
            "br" => {
                if self.in_pre > 0 {
                    self.buf.push('\n');
                } else {
                    self.flush();
                }
            }
            "td" | "th" => {
                if self.in_cell && !self.buf.trim_end().ends_with('|') {
                    self.buf.push_str(" | ");
                }
                self.in_cell = true;
            }
            _ => {}
        }
        let Tokens {
            toks, sig, flags, ..
        } = toks;
        let (tag, tag_hash) = self
            .tag_names
            .entry(name)
            .or_insert_with(|| (Arc::from(name), fnv(name)))
            .clone();
        let parent = self
            .stack
            .iter()
            .rev()
            .copied()
            .find(|&e| e != NONE)
            .unwrap_or(NONE);
        let idx = self.elems.len() as u32;
        debug_assert_eq!(hint_of(name, flags), semantic_hint(name, &toks));
        let hint = hint_of(name, flags);
        debug_assert_eq!(
            flags & COMMENT_TOKEN != 0,
            crate::strip::comments::has_comment_token(&toks)
        );
        let comment = flags & COMMENT_TOKEN != 0;
        let menu = matches!(name, "nav" | "footer" | "aside") || flags & MENU_TOKEN != 0;
        debug_assert_eq!(menu, is_menu(name, &toks));
        let overlay = flags & OVERLAY_TOKEN != 0;
        debug_assert_eq!(overlay, is_overlay(&toks));
        let thread_hint = if comment {
            let rest: Vec<Arc<str>> = toks
                .iter()
                .filter(|t| !crate::strip::comments::is_comment_token(t))
                .cloned()
                .collect();
            semantic_hint(name, &rest)
        } else {
            hint
        };
        self.elems.push(Elem {
            parent,
            level: self.path.len().min(u16::MAX as usize) as u16,
            hint,
            menu,
            overlay,
            comment,
            thread_hint,
            sig,
            tag: tag_hash,
        });
        self.path.push(name);
        self.flat_tags.push(Arc::clone(&tag));
        self.path_tags.push(Some(tag));
        self.shared_path.push(None);
        self.stack.push(idx);
        self.tokens.push(toks);
        if let Some(kind) = block_kind(name) {
            self.flush();
            if name == "pre" {
                self.in_pre += 1;
            }
            self.open.push(Open {
                kind,
                elem: idx,
                path_len: self.path.len(),
            });
        }
    }

    fn leave(&mut self) {
        let Some(&tag) = self.path.last() else { return };
        // Text still buffered belongs to this element: flush it while the element's own
        // tag and tokens are on the path.
        if !tag.is_empty() && block_kind(tag).is_some() {
            self.flush();
        }
        self.path.pop();
        self.stack.pop();
        if let Some(toks) = self.tokens.pop() {
            self.recycle(toks);
        }
        if let Some(Some(_)) = self.path_tags.pop() {
            self.flat_tags.pop();
        }
        self.shared_path.pop();
        if tag.is_empty() {
            return; // flattened element
        }
        if tag == "a" {
            self.in_link = self.in_link.saturating_sub(1);
        }
        if block_kind(tag).is_some() {
            if tag == "pre" {
                self.in_pre = self.in_pre.saturating_sub(1);
            }
            if tag == "tr" {
                self.in_cell = false;
            }
            self.open.pop();
        }
    }

    fn push_text(&mut self, t: &str) {
        if self.in_pre > 0 {
            self.buf.push_str(t);
            return;
        }
        // Collapse here already to keep link-char counts honest: the words of `t` (split at
        // `char::is_whitespace`, as `split_whitespace` splits) joined by one space, with a
        // space before them when `t` starts with white space and after them when it ends
        // with it. Runs of words separated by single ASCII spaces are copied whole.
        let bytes = t.as_bytes();
        let Some(start) = skip_ws(t, 0) else {
            // White space only: a separating space, no words, nothing after.
            if !t.is_empty() && !self.buf.is_empty() && !self.buf.ends_with(' ') {
                self.buf.push(' ');
            }
            return;
        };
        if start > 0 && !self.buf.is_empty() && !self.buf.ends_with(' ') {
            self.buf.push(' ');
        }
        let mut i = start;
        loop {
            // `i` is at a character that is not white space: copy up to the next white
            // space that is not a single ASCII space between two words.
            let seg = i;
            let mut spaces = 0usize;
            while let Some(&c) = bytes.get(i) {
                match BYTE_CLASS[c as usize] {
                    WORD => i += 1,
                    SPACE => {
                        // A single ASCII space before a byte that starts no white space.
                        match bytes.get(i + 1) {
                            Some(&d) if BYTE_CLASS[d as usize] == WORD => {
                                spaces += 1;
                                i += 2;
                            }
                            _ => break,
                        }
                    }
                    WHITE => break,
                    _ => {
                        // A lead byte of a character that may be white space.
                        let ch = t[i..].chars().next().unwrap_or(' ');
                        if ch.is_whitespace() {
                            break;
                        }
                        i += ch.len_utf8();
                    }
                }
            }
            let run = &t[seg..i];
            self.buf.push_str(run);
            if self.in_link > 0 {
                self.link_chars += char_count(run) - spaces;
            }
            if i == bytes.len() {
                return;
            }
            match skip_ws(t, i) {
                Some(next) => {
                    self.buf.push(' ');
                    i = next;
                }
                None => {
                    // Ends with white space after words.
                    self.buf.push(' ');
                    return;
                }
            }
        }
    }

    fn flush(&mut self) {
        let text = self.buf.trim();
        if text.is_empty() {
            self.buf.clear();
            self.link_chars = 0;
            return;
        }
        let (kind, elem, path_len) = match self.open.last() {
            Some(o) => (o.kind, o.elem, o.path_len),
            None => (BlockKind::Paragraph, NONE, 0),
        };
        let mut b = Block::new(kind, text);
        let chars = b.features.chars.max(1);
        b.features.link_density = (self.link_chars as f32 / chars as f32).min(1.0);
        b.features.depth = path_len.min(u16::MAX as usize) as u16;
        // One slice per element on the path, shared by the blocks made while it is the
        // innermost one (text before, between and after its child blocks).
        debug_assert!(self.flat_tags.iter().eq(self.path_tags.iter().flatten()));
        let tag_path = match self.shared_path.last_mut() {
            Some(Some(p)) => Arc::clone(p),
            Some(slot) => Arc::clone(slot.insert(Arc::from(&self.flat_tags[..]))),
            None => Arc::from(&self.flat_tags[..]),
        };
        b.features.tag_path = tag_path;
        let n: usize = self.tokens.iter().map(Vec::len).sum();
        let mut owners = Vec::with_capacity(n);
        b.features.class_tokens.reserve_exact(n);
        for (toks, &e) in self.tokens.iter().zip(&self.stack) {
            b.features.class_tokens.extend(toks.iter().cloned());
            owners.extend(std::iter::repeat_n(e, toks.len()));
        }
        b.features.position = self.blocks.len();
        self.blocks.push(b);
        self.block_elems.push(elem);
        self.block_tok_elems.push(owners);
        self.buf.clear();
        self.link_chars = 0;
    }
}

/// A class/id/role token, ASCII-lower-cased, as a shared string (copied once, only when it
/// has upper-case letters to fold).
fn lower_arc(t: &str) -> Arc<str> {
    if t.bytes().any(|b| b.is_ascii_uppercase()) {
        Arc::from(t.to_ascii_lowercase())
    } else {
        Arc::from(t)
    }
}

/// [`BYTE_CLASS`] of a byte that is part of a word (ASCII not white space, or a UTF-8 byte
/// that never starts a white-space character).
const WORD: u8 = 0;
/// The ASCII space.
const SPACE: u8 = 1;
/// ASCII white space other than the space (`\t`, `\n`, `\x0b`, `\x0c`, `\r`).
const WHITE: u8 = 2;
/// The lead byte of a character that may be white space (U+0085, U+00A0, U+1680,
/// U+2000-U+205F, U+3000 start with 0xC2, 0xE1, 0xE2, 0xE3).
const MAYBE: u8 = 3;

/// What each byte of UTF-8 text says about `char::is_whitespace`.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [WORD; 256];
    t[b' ' as usize] = SPACE;
    let mut b = 0x09;
    while b <= 0x0d {
        t[b] = WHITE;
        b += 1;
    }
    t[0xc2] = MAYBE;
    t[0xe1] = MAYBE;
    t[0xe2] = MAYBE;
    t[0xe3] = MAYBE;
    t
};

/// The byte offset of the first character at or after `i` (a character boundary) that is
/// not white space.
#[inline]
fn skip_ws(t: &str, mut i: usize) -> Option<usize> {
    let bytes = t.as_bytes();
    while let Some(&c) = bytes.get(i) {
        match BYTE_CLASS[c as usize] {
            SPACE | WHITE => i += 1,
            WORD => return Some(i),
            _ => {
                let ch = t[i..].chars().next()?;
                if !ch.is_whitespace() {
                    return Some(i);
                }
                i += ch.len_utf8();
            }
        }
    }
    None
}

/// Characters of `s`: its bytes that are not UTF-8 continuation bytes.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// Interned names of a page: a string as written -> (its shared copy, its hash).
type NameMap<'d> = crate::hash::FastMap<&'d str, (Arc<str>, u32)>;
/// Interned class/id token, its FNV hash and its [`hint_flags`].
type TokMap<'d> = crate::hash::FastMap<&'d str, (Arc<str>, u32, u8)>;

/// FNV-1a hashes of the first four tokens (never 0, so 0 marks an empty slot).
fn token_sig(toks: &[Arc<str>]) -> [u32; 4] {
    let mut sig = [0u32; 4];
    for (slot, t) in sig.iter_mut().zip(toks) {
        *slot = fnv(t);
    }
    sig
}

/// FNV-1a hash of a string, never 0.
fn fnv(t: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in t.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h.max(1)
}

/// Do two elements share a class/id token?
fn share_token(a: &Elem, b: &Elem) -> bool {
    a.sig.iter().any(|&x| x != 0 && b.sig.contains(&x))
}

/// Class/id token parts that mark a container as content or as chrome.
const CONTENT_PARTS: &[&str] = &[
    "article",
    "content",
    "entry",
    "post",
    "story",
    "main",
    "body",
    "text",
    "prose",
    "markdown",
    "blog",
    "articlebody",
    "postbody",
    "documentation",
    "docs",
    "product",
    "description",
    "thread",
    "topic",
    "message",
];
const CHROME_PARTS: &[&str] = &[
    "comment",
    "comments",
    "sidebar",
    "footer",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "widget",
    "related",
    "header",
    "masthead",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "social",
    "promo",
    "banner",
    "cookie",
    "newsletter",
    "popup",
    "modal",
    "ad",
    "ads",
    "advert",
    "recommended",
    "toc",
];

const MENU_PARTS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
];

/// Per first byte, bit `n` set when a word of `list` starts with that byte and is `n` bytes
/// long (31 stands for 31 and longer): most token parts are ruled out by one lookup.
pub(crate) const fn part_shapes(list: &[&str]) -> [u32; 256] {
    let mut m = [0u32; 256];
    let mut i = 0;
    while i < list.len() {
        let w = list[i].as_bytes();
        if !w.is_empty() {
            let n = if w.len() < 31 { w.len() } else { 31 };
            m[w[0] as usize] |= 1 << n;
        }
        i += 1;
    }
    m
}

static CONTENT_SHAPES: [u32; 256] = part_shapes(CONTENT_PARTS);
static CHROME_SHAPES: [u32; 256] = part_shapes(CHROME_PARTS);
static MENU_SHAPES: [u32; 256] = part_shapes(MENU_PARTS);

/// `list.contains(&part)`, screened by the words' shapes first.
fn has_part(list: &[&str], shapes: &[u32; 256], part: &str) -> bool {
    has_part_bytes(list, shapes, part.as_bytes())
}

/// [`has_part`] of a part's bytes.
fn has_part_bytes(list: &[&str], shapes: &[u32; 256], part: &[u8]) -> bool {
    part.first()
        .is_some_and(|&b| shapes[b as usize] >> part.len().min(31) & 1 == 1)
        && list.iter().any(|w| w.as_bytes() == part)
}

/// The token and its `-`/`_` parts, as `once(t).chain(t.split(['-', '_']))` gives them (the
/// separators are ASCII, so splitting the bytes splits where `str::split` does).
fn token_parts(t: &str) -> impl Iterator<Item = &[u8]> {
    let b = t.as_bytes();
    std::iter::once(b).chain(b.split(|&c| matches!(c, b'-' | b'_')))
}

/// A dialog drawn over the page (`role=dialog`, also as a class or id): never the content.
fn is_overlay<T: AsRef<str>>(toks: &[T]) -> bool {
    toks.iter()
        .any(|t| matches!(t.as_ref(), "dialog" | "alertdialog"))
}

fn is_menu<T: AsRef<str>>(name: &str, toks: &[T]) -> bool {
    matches!(name, "nav" | "footer" | "aside")
        || toks.iter().any(|t| {
            let t = t.as_ref();
            std::iter::once(t)
                .chain(t.split(['-', '_']))
                .any(|p| has_part(MENU_PARTS, &MENU_SHAPES, p))
        })
}

fn semantic_hint(name: &str, toks: &[Arc<str>]) -> f32 {
    hint_of(name, toks.iter().fold(0, |f, t| f | hint_flags(t)))
}

/// A part of the token is in [`CHROME_PARTS`].
const CHROME_TOKEN: u8 = 1;
/// A part of the token is in [`CONTENT_PARTS`].
const CONTENT_TOKEN: u8 = 2;

/// [`CHROME_TOKEN`] and [`CONTENT_TOKEN`] of one class/id token: the token itself and its
/// `-`/`_` parts. Kept with the interned token, so each distinct token is split once a page.
fn hint_flags(t: &str) -> u8 {
    let mut f = 0;
    for part in token_parts(t) {
        if has_part_bytes(CHROME_PARTS, &CHROME_SHAPES, part) {
            return f | CHROME_TOKEN;
        }
        if has_part_bytes(CONTENT_PARTS, &CONTENT_SHAPES, part) {
            f |= CONTENT_TOKEN;
        }
    }
    f
}

/// A part of the token is in [`MENU_PARTS`].
const MENU_TOKEN: u8 = 4;
/// The token is `dialog` or `alertdialog`.
const OVERLAY_TOKEN: u8 = 8;
/// The token marks a comment thread (`strip::comments::is_comment_token`).
const COMMENT_TOKEN: u8 = 16;
/// The token marks a cookie-consent dialog ([`consent_token`]).
const CONSENT_TOKEN: u8 = 32;

/// Everything the walker asks of one class/id/role/itemprop token (lower-cased), kept with
/// the interned token: its [`hint_flags`] and the flags above.
fn token_flags(t: &str) -> u8 {
    let mut f = hint_flags(t);
    if token_parts(t).any(|p| has_part_bytes(MENU_PARTS, &MENU_SHAPES, p)) {
        f |= MENU_TOKEN;
    }
    if matches!(t, "dialog" | "alertdialog") {
        f |= OVERLAY_TOKEN;
    }
    if crate::strip::comments::is_comment_token(t) {
        f |= COMMENT_TOKEN;
    }
    if consent_token(t) {
        f |= CONSENT_TOKEN;
    }
    f
}

/// The element's hint from its name and the union of its tokens' [`hint_flags`]: a chrome
/// part decides it whatever else is there, else a content part raises it.
fn hint_of(name: &str, flags: u8) -> f32 {
    let hint: f32 = match name {
        "article" | "main" => 1.3,
        "nav" | "aside" | "footer" | "header" | "form" => 0.5,
        _ => 1.0,
    };
    if flags & CHROME_TOKEN != 0 {
        hint * 0.5
    } else if flags & CONTENT_TOKEN != 0 {
        hint * 1.5
    } else {
        hint
    }
}

/// What one block is worth as main content: prose words count for, link words against;
/// a teaser (see [`teaser_blocks`]) counts for nothing.
fn prose_value(b: &Block, teaser: bool) -> f32 {
    if teaser {
        0.0
    } else {
        block_value(b)
    }
}

/// A block of at least this many words ending in an ellipsis is a cut excerpt.
const EXCERPT_MIN_WORDS: usize = 8;
/// A card (one entry of a list of links to other pages) holds at most this many words.
const CARD_MAX_WORDS: usize = 150;
/// Sibling cards an element needs before its cards are a list of entries.
const CARD_MIN_SIBLINGS: u32 = 3;

/// Is the block a cut excerpt: prose of some length, not a link, ending like an excerpt?
pub(crate) fn is_excerpt(b: &Block) -> bool {
    let f = &b.features;
    f.link_density < 0.5 && f.words >= EXCERPT_MIN_WORDS && ends_as_excerpt(&b.text)
}

/// Does the text end like a cut excerpt (`…`, `...`, `[…]`)?
fn ends_as_excerpt(t: &str) -> bool {
    let t = t.trim_end().trim_end_matches([']', ')']).trim_end();
    t.ends_with('…') || t.ends_with("...")
}

/// Blocks that are teasers of other pages rather than prose of this one: cut excerpts, and
/// the text of a card (an element with one or two headline-sized links and little else)
/// that has at least [`CARD_MIN_SIBLINGS`] such cards beside it: "more from", related and
/// recommended rails with a headline, a byline and a summary per entry. Headline links
/// themselves are not teasers (they count against a region as links already).
fn teaser_blocks(doc: &Doc, elems: &[Elem], block_elems: &[u32], chrome: &[bool]) -> Vec<bool> {
    let mut heads = vec![0u32; elems.len()];
    let mut words = vec![0usize; elems.len()];
    for ((b, &e), &c) in doc.blocks.iter().zip(block_elems).zip(chrome) {
        let f = &b.features;
        let head = f.link_density >= 0.5 && f.words >= 4 && !c;
        let mut cur = e;
        while cur != NONE {
            words[cur as usize] += f.words;
            heads[cur as usize] += u32::from(head);
            cur = elems[cur as usize].parent;
        }
    }
    let is_card = |i: usize| (1..=2).contains(&heads[i]) && words[i] <= CARD_MAX_WORDS;
    let kind = |i: usize| elems[i].kind();
    // Kind -> (cards, their words).
    let mut cards: HashMap<(u32, u32, u32), (u32, usize)> = HashMap::new();
    for (i, el) in elems.iter().enumerate() {
        if el.parent != NONE && is_card(i) {
            let c = cards.entry(kind(i)).or_default();
            c.0 += 1;
            c.1 += words[i];
        }
    }
    doc.blocks
        .iter()
        .zip(block_elems)
        .map(|(b, &e)| {
            let f = &b.features;
            if f.link_density >= 0.5 {
                return false;
            }
            if f.words >= EXCERPT_MIN_WORDS && ends_as_excerpt(&b.text) {
                return true;
            }
            // The innermost element with a headline link, widened to the outermost one
            // with the same links (the card), whose parent holds the list.
            let mut cur = e;
            while cur != NONE && heads[cur as usize] == 0 {
                cur = elems[cur as usize].parent;
            }
            if cur == NONE || !is_card(cur as usize) {
                return false;
            }
            loop {
                let p = elems[cur as usize].parent;
                if p == NONE || heads[p as usize] != heads[cur as usize] || !is_card(p as usize) {
                    break;
                }
                cur = p;
            }
            // One of several alike entries, not the one story among small widgets.
            cards.get(&kind(cur as usize)).is_some_and(|&(n, w)| {
                n >= CARD_MIN_SIBLINGS && words[cur as usize] * n as usize <= 2 * w
            })
        })
        .collect()
}

/// Cut excerpts (see [`ends_as_excerpt`]) of a page that has at least
/// [`CARD_MIN_SIBLINGS`] of them: a ticker or a list of teasers of other pages, not one
/// paragraph of the story that trails off.
fn excerpt_blocks(doc: &Doc) -> Vec<bool> {
    let flags: Vec<bool> = doc.blocks.iter().map(is_excerpt).collect();
    if flags.iter().filter(|&&x| x).count() >= CARD_MIN_SIBLINGS as usize {
        flags
    } else {
        vec![false; flags.len()]
    }
}

fn block_value(b: &Block) -> f32 {
    let f = &b.features;
    let w = f.words as f32;
    if w == 0.0 {
        return 0.0;
    }
    let ld = f.link_density;
    if ld >= 0.5 {
        return -w * ld;
    }
    let q = if f.ends_with_punct {
        1.0
    } else if f.words >= 12 {
        0.8
    } else {
        0.3
    };
    w * (1.0 - ld) * q - w * ld
}

/// What one block is worth on a listing page: headline-sized links count as entries,
/// short links (menus, tags, pagination) still count against.
fn listing_value(b: &Block, chrome: bool) -> f32 {
    let f = &b.features;
    if f.link_density >= 0.5 && f.words >= 4 && !chrome {
        return 0.6 * f.words as f32;
    }
    block_value(b)
}

/// Words of headline-sized link blocks inside element `root`.
fn card_words_in(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    chrome: &[bool],
    root: u32,
) -> usize {
    let mut n = 0;
    for ((b, &e), &c) in doc.blocks.iter().zip(block_elems).zip(chrome) {
        let f = &b.features;
        if f.link_density < 0.5 || f.words < 4 || c {
            continue;
        }
        if is_within(elems, e, root) {
            n += f.words;
        }
    }
    n
}

/// Does element `root` hold a non-link `<h1>`?
fn holds_headline(doc: &Doc, elems: &[Elem], block_elems: &[u32], root: u32) -> bool {
    doc.blocks.iter().zip(block_elems).any(|(b, &e)| {
        b.kind == BlockKind::Heading(1)
            && b.features.words > 0
            && b.features.link_density < 0.5
            && is_within(elems, e, root)
    })
}

/// Is element `e`, or an ancestor of it below `top`, one of at least
/// [`CARD_MIN_SIBLINGS`] siblings of one kind (tag and first class/id token)?
fn in_series(elems: &[Elem], e: u32, top: u32) -> bool {
    let mut cur = e;
    while cur != NONE && cur != top {
        let el = &elems[cur as usize];
        if el.parent == NONE {
            break;
        }
        let alike = elems[el.parent as usize + 1..]
            .iter()
            .take_while(|x| x.level > elems[el.parent as usize].level)
            .filter(|x| x.parent == el.parent && x.tag == el.tag && x.sig[0] == el.sig[0])
            .count();
        if alike >= CARD_MIN_SIBLINGS as usize {
            return true;
        }
        cur = el.parent;
    }
    false
}

/// Sum `value` of every block into each of its ancestors; return the best element (by sum
/// and semantic hint) and the sums.
fn best_container(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    chrome: &[bool],
    value: fn(&Block, bool) -> f32,
) -> (Option<u32>, Vec<f32>) {
    let values: Vec<f32> = doc
        .blocks
        .iter()
        .zip(chrome)
        .map(|(b, &c)| value(b, c))
        .collect();
    best_by_values(elems, block_elems, &values)
}

/// [`best_container`] over given block values.
fn best_by_values(elems: &[Elem], block_elems: &[u32], values: &[f32]) -> (Option<u32>, Vec<f32>) {
    let mut sum = vec![0f32; elems.len()];
    for (&v, &e) in values.iter().zip(block_elems) {
        if v == 0.0 {
            continue;
        }
        let mut cur = e;
        while cur != NONE {
            sum[cur as usize] += v;
            cur = elems[cur as usize].parent;
        }
    }
    // Elements in document order: a child comes after its parent, so `>=` prefers the
    // tighter container on ties.
    let mut best = None;
    let mut best_score = 0f32;
    for (i, el) in elems.iter().enumerate() {
        let s = sum[i];
        if s <= 0.0 {
            continue;
        }
        let score = s * el.hint;
        if best.is_none() || score >= best_score {
            best = Some(i as u32);
            best_score = score;
        }
    }
    (best, sum)
}

/// Siblings of one kind a grid or list of cards needs.
const GRID_MIN_ITEMS: usize = 3;
/// Words a card holds at most (longer siblings are sections or posts, read as prose).
const GRID_MAX_ITEM_WORDS: usize = 80;
/// What a word of a card is worth on a grid page (as a headline link on a listing).
const GRID_ITEM_VALUE: f32 = 0.6;

/// Which elements are items of a grid or list of cards (products, teasers, results): the
/// children of one element that share their tag and first class/id token, when at least
/// [`GRID_MIN_ITEMS`] of them each hold two or more text blocks, one of them not a link
/// (a name and a price, a headline and a teaser). Menus (one link per item, or only links)
/// are not cards; blocks in chrome or comment markup (`skip`) do not count.
fn card_items(
    elems: &[Elem],
    block_elems: &[u32],
    words: &[usize],
    links: &[bool],
    skip: &[bool],
) -> Vec<bool> {
    let mut blocks = vec![0u32; elems.len()];
    let mut text = vec![0u32; elems.len()];
    let mut size = vec![0usize; elems.len()];
    for (((&e, &w), &l), &s) in block_elems.iter().zip(words).zip(links).zip(skip) {
        if w == 0 || s {
            continue;
        }
        let mut cur = e;
        while cur != NONE {
            blocks[cur as usize] += 1;
            text[cur as usize] += u32::from(!l);
            size[cur as usize] += w;
            cur = elems[cur as usize].parent;
        }
    }
    // Card-like children by `Elem::kind`, sorted so each kind is one run.
    let mut kinds: Vec<((u32, u32, u32), u32)> = elems
        .iter()
        .enumerate()
        .filter(|&(i, el)| el.parent != NONE && blocks[i] >= 2 && text[i] >= 1)
        .map(|(i, el)| (el.kind(), i as u32))
        .collect();
    kinds.sort_unstable();
    let mut item = vec![false; elems.len()];
    for run in kinds.chunk_by(|a, b| a.0 == b.0) {
        if run.len() >= GRID_MIN_ITEMS {
            for &(_, k) in run {
                item[k as usize] = size[k as usize] <= GRID_MAX_ITEM_WORDS;
            }
        }
    }
    item
}

/// Card words a grid needs over the best prose region's value to be chosen instead.
const GRID_OVER_PROSE: f32 = 1.2;
/// Card words a grid needs at least.
const GRID_MIN_WORDS: usize = 40;
/// Words of a long paragraph.
const LONG_PARAGRAPH: usize = 40;
/// Words in long paragraphs outside cards that make the best prose region an article.
const GRID_ARTICLE_WORDS: usize = 500;
/// Times the article's long-paragraph words the cards need to outweigh an article.
const GRID_OVER_ARTICLE: usize = 2;

/// The best container when cards (see [`card_items`]) outweigh the best prose region
/// (`prose`, its value): card words count at [`GRID_ITEM_VALUE`] or their prose value,
/// other blocks as prose. Returns the container and the sums, or `None` for a prose page.
fn grid_container(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    chrome: &[bool],
    in_comments: &[bool],
    prose: Option<f32>,
    article: Option<u32>,
) -> Option<(Option<u32>, Vec<f32>)> {
    let words: Vec<usize> = doc.blocks.iter().map(|b| b.features.words).collect();
    let links: Vec<bool> = doc
        .blocks
        .iter()
        .map(|b| b.features.link_density >= 0.5)
        .collect();
    let skip: Vec<bool> = chrome
        .iter()
        .zip(in_comments)
        .map(|(&a, &b)| a || b)
        .collect();
    let item = card_items(elems, block_elems, &words, &links, &skip);
    let in_item: Vec<bool> = block_elems
        .iter()
        .zip(&skip)
        .map(|(&e, &s)| {
            let mut cur = e;
            while !s && cur != NONE {
                if item[cur as usize] {
                    return true;
                }
                cur = elems[cur as usize].parent;
            }
            false
        })
        .collect();
    if !in_item.contains(&true) {
        return None;
    }
    let values: Vec<f32> = doc
        .blocks
        .iter()
        .zip(&in_item)
        .map(|(b, &it)| {
            let v = block_value(b);
            if it {
                v.max(GRID_ITEM_VALUE * b.features.words as f32)
            } else {
                v
            }
        })
        .collect();
    let (best, sum) = best_by_values(elems, block_elems, &values);
    let g = best?;
    let mut card_words = 0;
    for ((&e, &w), &it) in block_elems.iter().zip(&words).zip(&in_item) {
        if it && is_within(elems, e, g) {
            card_words += w;
        }
    }
    let mut long = 0;
    if let Some(a) = article {
        for ((b, &e), &it) in doc.blocks.iter().zip(block_elems).zip(&in_item) {
            let f = &b.features;
            if it || f.words < LONG_PARAGRAPH || !f.ends_with_punct || f.link_density >= 0.2 {
                continue;
            }
            if is_within(elems, e, a) {
                long += f.words;
            }
        }
    }
    // A page with a whole article (long paragraphs, not in cards) is an article page with
    // teasers around it, unless the cards hold far more words.
    let article_page = long >= GRID_ARTICLE_WORDS && card_words < GRID_OVER_ARTICLE * long;
    let enough = card_words >= GRID_MIN_WORDS
        && !article_page
        && prose.is_none_or(|p| card_words as f32 > GRID_OVER_PROSE * p);
    enough.then_some((best, sum))
}

/// Non-comment prose words a page needs before its comment thread stops counting as
/// content when the container is tightened (below it, the page is a forum thread or a short
/// post whose replies are the content).
const ARTICLE_BEFORE_COMMENTS: f32 = 200.0;
/// A container with less prose than this (a grid, a form, a listing) is not shrunk.
const TIGHTEN_MIN_PROSE: f32 = 60.0;
/// Share of the container's prose a child must hold for the container to shrink to it.
const TIGHTEN_SHARE: f32 = 0.85;
/// The same for a child marked as content by tag or class/id (`<article>`, `entry-content`).
const TIGHTEN_SHARE_CONTENT: f32 = 0.7;

/// Shrink the chosen container to the child that holds nearly all of its prose, repeatedly.
/// Summing into every ancestor lets a wrapper win on teasers, related cards and bios beside
/// the article; counting only prose (no penalties) asks whether the rest adds anything. A
/// comment thread under a real article does not count, so the article body is chosen over
/// the wrapper that also holds the thread, and the container never shrinks into a thread.
fn tighten(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    in_comments: &[bool],
    teaser: &[bool],
    best: u32,
) -> u32 {
    let values: Vec<f32> = doc
        .blocks
        .iter()
        .zip(teaser)
        .map(|(b, &t)| prose_value(b, t).max(0.0))
        .collect();
    let article: f32 = values
        .iter()
        .zip(in_comments)
        .filter(|(_, &c)| !c)
        .map(|(v, _)| v)
        .sum();
    let skip_comments = article >= ARTICLE_BEFORE_COMMENTS;
    let mut prose = vec![0f32; elems.len()];
    for ((&v, &e), &c) in values.iter().zip(block_elems).zip(in_comments) {
        if v <= 0.0 || (c && skip_comments) {
            continue;
        }
        let mut cur = e;
        while cur != NONE {
            prose[cur as usize] += v;
            cur = elems[cur as usize].parent;
        }
    }
    // The child with most prose of every element (children follow their parent).
    let mut top_child = vec![NONE; elems.len()];
    for (i, el) in elems.iter().enumerate() {
        if el.parent == NONE {
            continue;
        }
        let p = el.parent as usize;
        if top_child[p] == NONE || prose[i] > prose[top_child[p] as usize] {
            top_child[p] = i as u32;
        }
    }
    if prose[best as usize] < TIGHTEN_MIN_PROSE {
        return best;
    }
    let mut best_in_comments = false;
    let mut a = best;
    while a != NONE {
        best_in_comments |= elems[a as usize].comment;
        a = elems[a as usize].parent;
    }
    let mut cur = best;
    loop {
        let c = top_child[cur as usize];
        if c == NONE || prose[c as usize] <= 0.0 {
            return cur;
        }
        let share = if elems[c as usize].hint > 1.0 {
            TIGHTEN_SHARE_CONTENT
        } else {
            TIGHTEN_SHARE
        };
        if prose[c as usize] < share * prose[cur as usize] {
            return cur;
        }
        if elems[c as usize].comment && !best_in_comments {
            return cur;
        }
        // A post whose replies are marked as comments but share its markup (a forum
        // thread): the replies are content too, so stay above them.
        if skip_comments {
            let level = elems[cur as usize].level;
            let child = &elems[c as usize];
            let thread = elems[cur as usize + 1..]
                .iter()
                .take_while(|e| e.level > level)
                .any(|e| e.parent == cur && e.comment && share_token(e, child));
            if thread {
                return cur;
            }
        }
        cur = c;
    }
}

/// Share of the page's words above which an element marked as a menu only by a class/id
/// token is a page-wide wrapper (`<body class="no-breadcrumbs">`, `has-sidebar`), not a menu.
const PAGE_WIDE_SHARE: f32 = 0.5;

/// Is element `e` the element `root` or inside it?
fn is_within(elems: &[Elem], e: u32, root: u32) -> bool {
    let mut cur = e;
    while cur != NONE {
        if cur == root {
            return true;
        }
        cur = elems[cur as usize].parent;
    }
    false
}

/// The words of the blocks inside each element, by element index.
fn words_per_elem(doc: &Doc, elems: &[Elem], block_elems: &[u32]) -> Vec<usize> {
    words_per_elem_outside(doc, elems, block_elems, &[])
}

/// [`words_per_elem`] without the blocks `skip` marks (a block past its end counts).
fn words_per_elem_outside(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    skip: &[bool],
) -> Vec<usize> {
    let mut words = vec![0usize; elems.len()];
    for (i, (b, &e)) in doc.blocks.iter().zip(block_elems).enumerate() {
        if skip.get(i).copied().unwrap_or(false) {
            continue;
        }
        let mut cur = e;
        while cur != NONE {
            words[cur as usize] += b.features.words;
            cur = elems[cur as usize].parent;
        }
    }
    words
}

/// Page-wide wrappers are not menus: a body or layout class that names a sidebar, footer or
/// menu (`no-sidebar`, `has-mobile-menu`) would otherwise make every block of the page chrome,
/// so no listing, grid or thread could be found. Elements that are menus by tag (`<nav>`,
/// `<footer>`, `<aside>`) stay menus.
fn clear_page_wide_menus(doc: &Doc, elems: &mut [Elem], words: &[usize]) {
    let page: usize = doc.blocks.iter().map(|b| b.features.words).sum();
    let by_tag = [fnv("nav"), fnv("footer"), fnv("aside")];
    for (e, &w) in elems.iter_mut().zip(words) {
        if e.menu && !by_tag.contains(&e.tag) && w as f32 > PAGE_WIDE_SHARE * page as f32 {
            e.menu = false;
        }
    }
}

/// Prose value a page's comment-marked posts need before they can be the page's content.
const THREAD_MIN_PROSE: f32 = 80.0;
/// Prose outside the posts, in elements that share no class/id token with them, from which
/// the page is an article (or a product) with a thread under it, not a thread.
const THREAD_MAX_ALONE: f32 = 40.0;

/// A page whose comment-marked posts are its content (a forum or Q&A thread, a link
/// aggregator's discussion page) rather than a thread under an article: the posts hold at
/// least two paragraphs of prose and twice the prose of everything else outside menus, and
/// that rest is shorter than an article ([`ARTICLE_BEFORE_COMMENTS`]). On such a page the
/// post containers take their hint without the comment tokens (`thread_hint`), so container
/// scoring treats the posts as content; returns whether it is one.
fn open_thread(doc: &Doc, elems: &mut [Elem], block_elems: &[u32]) -> bool {
    if !elems.iter().any(|e| e.comment) {
        return false;
    }
    // Class/id tokens of the comment-marked elements: a post outside them that shares one
    // (the opening post of a thread whose replies alone are marked) is part of the thread.
    let mut post_sigs: Vec<u32> = elems
        .iter()
        .filter(|e| e.comment)
        .flat_map(|e| e.sig)
        .filter(|&h| h != 0)
        .collect();
    post_sigs.sort_unstable();
    post_sigs.dedup();
    let (mut article, mut alone, mut thread, mut posts) = (0f32, 0f32, 0f32, 0usize);
    for (b, &e) in doc.blocks.iter().zip(block_elems) {
        let (mut menu, mut comment, mut shared) = (false, false, false);
        let mut cur = e;
        while cur != NONE {
            let el = &elems[cur as usize];
            menu |= el.menu;
            comment |= el.comment;
            shared |= el.sig.iter().any(|h| post_sigs.binary_search(h).is_ok());
            cur = el.parent;
        }
        if menu {
            continue;
        }
        let v = block_value(b).max(0.0);
        if comment {
            thread += v;
            posts += usize::from(crate::strip::context::is_prose(b));
        } else {
            article += v;
            if !shared {
                alone += v;
            }
        }
    }
    let open = article < ARTICLE_BEFORE_COMMENTS
        && alone < THREAD_MAX_ALONE
        && thread >= THREAD_MIN_PROSE
        && thread >= 2.0 * article
        && posts >= 2;
    if open {
        // The posts stay marked (`comment`): the container is not shrunk into one of them.
        for e in elems.iter_mut().filter(|e| e.comment) {
            e.hint = e.thread_hint;
        }
    }
    open
}

/// Prose value below which the best prose region of a page is no region of prose at all.
const FRAGMENT_MAX_PROSE: f32 = 50.0;
/// Share of the page's words outside menus the wrapper of a page of fragments holds.
const FRAGMENT_SHARE: f32 = 0.6;
/// Words outside menus a page of fragments needs before a wrapper is taken.
const FRAGMENT_MIN_WORDS: usize = 20;
/// Shallowest level of that wrapper (`<html>` is 0, `<body>` 1): a child of `<body>` is the
/// whole page, site header and footer included.
const FRAGMENT_MIN_LEVEL: u16 = 3;

/// The innermost element, below the page's top levels, that holds at least
/// [`FRAGMENT_SHARE`] of the words outside menus (`chrome`), when there are
/// [`FRAGMENT_MIN_WORDS`] of them. Elements holding over half the words are nested in one
/// another, so the innermost is one element.
fn fragment_wrapper(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    chrome: &[bool],
) -> Option<u32> {
    let total: usize = doc
        .blocks
        .iter()
        .zip(chrome)
        .filter(|&(_, &c)| !c)
        .map(|(b, _)| b.features.words)
        .sum();
    if total < FRAGMENT_MIN_WORDS {
        return None;
    }
    let words = words_per_elem_outside(doc, elems, block_elems, chrome);
    let mut best: Option<u32> = None;
    for (i, el) in elems.iter().enumerate() {
        if el.level >= FRAGMENT_MIN_LEVEL
            && words[i] as f32 >= FRAGMENT_SHARE * total as f32
            && best.is_none_or(|b| el.level > elems[b as usize].level)
        {
            best = Some(i as u32);
        }
    }
    best
}

/// Words outside menus between a grid's heading and the grid above which that stretch is
/// not an intro of the grid.
const INTRO_MAX_WORDS: usize = 200;
/// Words a paragraph of that intro needs to be taken (shorter lines there are bylines,
/// datelines, filter labels).
const INTRO_MIN_PROSE_WORDS: usize = 8;

/// The intro of a grid or listing container (`best`): the page's last `<h1>` above the
/// container and what lies between the two, when that stretch holds at most
/// [`INTRO_MAX_WORDS`] words outside menus (`chrome`). Of it only headings and prose
/// paragraphs ([`INTRO_MIN_PROSE_WORDS`], ending in punctuation) are taken, not links,
/// short lines or menus: a category's name and blurb in a hero section of their own,
/// apart from the section of the grid. Returns a flag per block.
fn grid_intro(
    doc: &Doc,
    elems: &[Elem],
    block_elems: &[u32],
    chrome: &[bool],
    best: u32,
) -> Vec<bool> {
    let mut intro = vec![false; doc.blocks.len()];
    let Some(first) = block_elems.iter().position(|&e| is_within(elems, e, best)) else {
        return intro;
    };
    let heading = doc.blocks[..first].iter().zip(chrome).rposition(|(b, &c)| {
        b.kind == BlockKind::Heading(1)
            && b.features.words > 0
            && b.features.link_density < 0.5
            && !c
    });
    let Some(h) = heading else {
        return intro;
    };
    let words: usize = (h..first)
        .filter(|&i| !chrome[i])
        .map(|i| doc.blocks[i].features.words)
        .sum();
    if words > INTRO_MAX_WORDS {
        return intro;
    }
    for i in h..first {
        let b = &doc.blocks[i];
        let f = &b.features;
        let prose = f.ends_with_punct && f.words >= INTRO_MIN_PROSE_WORDS;
        intro[i] = !chrome[i]
            && f.link_density < 0.2
            && (matches!(b.kind, BlockKind::Heading(_)) || prose);
    }
    intro
}

/// Score every element by the value of the blocks inside it and mark the blocks of the best
/// one as `in_main`.
/// `words` are the words below each element ([`words_per_elem`]).
fn mark_main(
    doc: &mut Doc,
    elems: &[Elem],
    block_elems: &[u32],
    tok_elems: &[Vec<u32>],
    words: &[usize],
) {
    if elems.is_empty() {
        return;
    }
    // Blocks inside chrome-like elements (nav, header, footer, menus by tag or class), and
    // blocks inside comment-thread markup.
    // Blocks of dialogs count for nothing as prose; a "dialog" holding half the page's
    // words is a page-wide role or class, not a panel over the page.
    let page_words: usize = doc.blocks.iter().map(|b| b.features.words).sum();
    let mut chrome = Vec::with_capacity(block_elems.len());
    let mut in_comments = Vec::with_capacity(block_elems.len());
    let mut overlay = Vec::with_capacity(block_elems.len());
    for &e in block_elems {
        let (mut menu, mut comment, mut over) = (false, false, false);
        let mut cur = e;
        while cur != NONE {
            let el = &elems[cur as usize];
            menu |= el.menu;
            comment |= el.comment;
            over |= el.overlay && words[cur as usize] * 2 < page_words;
            cur = el.parent;
        }
        chrome.push(menu);
        in_comments.push(comment);
        overlay.push(over);
    }
    let no_teasers = overlay;
    let (mut prose_best, mut prose_sum) =
        best_container(doc, elems, block_elems, &no_teasers, prose_value);
    // Without the teasers of card rails, a region holding the story and its headline may
    // win: taken when it is not one entry of a series (a forum post, a list entry), else
    // the cards are the page's content.
    let mut teaser = teaser_blocks(doc, elems, block_elems, &chrome);
    for (t, &o) in teaser.iter_mut().zip(&no_teasers) {
        *t |= o;
    }
    let (story, story_sum) = best_container(doc, elems, block_elems, &teaser, prose_value);
    let rail_beside_story = match (story, prose_best) {
        (Some(s), Some(p))
            if s != p && holds_headline(doc, elems, block_elems, s) && !in_series(elems, s, p) =>
        {
            prose_best = story;
            prose_sum = story_sum;
            true
        }
        _ => {
            // Cut excerpts stay teasers when the tightening asks what the rest adds: a
            // ticker of excerpts above the story does not hold the container up.
            let excerpts = excerpt_blocks(doc);
            teaser = no_teasers;
            for (t, &x) in teaser.iter_mut().zip(&excerpts) {
                *t |= x;
            }
            false
        }
    };
    let (list_best, list_sum) = best_container(doc, elems, block_elems, &chrome, listing_value);
    // A page whose best region is a list of entries (headline links with short teasers)
    // rather than prose: the whole list is the content, not the one teaser with most text.
    let listing = match (prose_best, list_best) {
        (Some(p), Some(l)) => {
            let card_words = card_words_in(doc, elems, block_elems, &chrome, l);
            card_words as f32 > 1.2 * prose_sum[p as usize] && card_words >= 40
        }
        _ => false,
    };
    // A page whose best region is a grid of cards (products with their prices, results):
    // the whole grid is the content; not when those cards were just found to be a rail of
    // teasers beside the story that holds the page's headline.
    let grid = if listing || rail_beside_story {
        None
    } else {
        let article =
            prose_best.map(|p| tighten(doc, elems, block_elems, &in_comments, &teaser, p));
        grid_container(
            doc,
            elems,
            block_elems,
            &chrome,
            &in_comments,
            prose_best.map(|p| prose_sum[p as usize]),
            article,
        )
    };
    let is_grid = grid.is_some();
    // A page of short fragments only (tiles, rows, category links that no card or listing
    // rule found): the best prose region is a stray blurb, so take the wrapper that holds
    // most of the page's words outside menus, kept whole like a grid.
    let fragments = if listing || is_grid {
        None
    } else if prose_best.is_none_or(|p| prose_sum[p as usize] < FRAGMENT_MAX_PROSE) {
        fragment_wrapper(doc, elems, block_elems, &chrome)
    } else {
        None
    };
    let (best, sum) = if listing {
        (list_best, list_sum)
    } else if let Some(g) = grid {
        g
    } else if fragments.is_some() {
        (fragments, prose_sum)
    } else {
        (prose_best, prose_sum)
    };
    let Some(best) = best else { return };
    doc.shape.container = if listing {
        Container::Listing
    } else if is_grid || fragments.is_some() {
        Container::Grid
    } else {
        Container::Prose
    };
    let best = if is_grid || fragments.is_some() {
        best
    } else {
        tighten(doc, elems, block_elems, &in_comments, &teaser, best)
    };
    let intro = if doc.shape.container == Container::Prose {
        vec![false; doc.blocks.len()]
    } else {
        grid_intro(doc, elems, block_elems, &chrome, best)
    };
    let best_level = elems[best as usize].level;
    let best_sum = sum[best as usize];
    let total: f32 = sum
        .iter()
        .zip(elems)
        .filter(|(_, e)| e.parent == NONE)
        .map(|(s, _)| s.max(0.0))
        .sum();
    let share = if total > 0.0 {
        (sum[best as usize] / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    // The container's ancestors (`<body>` and page wrappers): they hold every block.
    let mut holds_main = vec![false; elems.len()];
    let mut cur = elems[best as usize].parent;
    while cur != NONE {
        holds_main[cur as usize] = true;
        cur = elems[cur as usize].parent;
    }
    for (((b, &e), owners), &extra) in doc
        .blocks
        .iter_mut()
        .zip(block_elems)
        .zip(tok_elems)
        .zip(&intro)
    {
        let inside = extra || is_within(elems, e, best);
        b.features.in_main = Some(inside);
        b.features.main_score = Some(if inside { share } else { 0.0 });
        if inside {
            // Tokens of the container and its ancestors say nothing about this block, nor do
            // those of an element that holds most of the container's prose (a wrapper
            // named `newsletter-post` around the whole article is the article).
            let toks = std::mem::take(&mut b.features.class_tokens);
            b.features.class_tokens = toks
                .into_iter()
                .zip(owners)
                .filter(|(_, &o)| {
                    o != NONE
                        && elems[o as usize].level > best_level
                        && sum[o as usize] < 0.5 * best_sum
                })
                .map(|(t, _)| t)
                .collect();
        } else if owners.iter().any(|&o| o != NONE && holds_main[o as usize]) {
            // Nor do those of the elements that hold the container too (a body class
            // `menu-slideout` or `cookies-not-set` says nothing about the sidebar).
            let toks = std::mem::take(&mut b.features.class_tokens);
            b.features.class_tokens = toks
                .into_iter()
                .zip(owners)
                .filter(|(_, &o)| o == NONE || !holds_main[o as usize])
                .map(|(t, _)| t)
                .collect();
        }
    }
}
/// A cookie-consent dialog by its class/id tokens, as the walker tested it before the
/// tokens' [`CONSENT_TOKEN`] flag (a screen over the attribute values, then each token):
/// the debug builds check the flag against it.
fn is_consent_dialog(name: &str, a: &Attrs) -> bool {
    // The page's own containers may name a banner they show (`body.has-cookie-bar`).
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    let has = |v: &str, k: &str| {
        v.as_bytes()
            .windows(k.len())
            .any(|w| w.eq_ignore_ascii_case(k.as_bytes()))
    };
    [a.class, a.id].into_iter().flatten().any(|v| {
        // Cheap screen first: most elements name none of these.
        if !(has(v, "consent") || has(v, "gdpr") || has(v, "cookie")) {
            return false;
        }
        v.split_ascii_whitespace().any(|t| {
            let t = t.to_ascii_lowercase();
            let parts: Vec<&str> = t.split(['-', '_']).collect();
            let cookie = parts.iter().any(|p| matches!(*p, "cookie" | "cookies"));
            parts.iter().any(|p| {
                matches!(*p, "consent" | "gdpr" | "cookieconsent" | "cookiebanner")
                    || (cookie
                        && matches!(
                            *p,
                            "banner" | "notice" | "bar" | "popup" | "modal" | "dialog" | "overlay"
                        ))
            })
        })
    })
}

#[cfg(test)]
mod tests {

    /// The hint as it was computed before the per-token flags: scan the tokens and their
    /// parts, stop at the first chrome part.
    fn semantic_hint_scan(name: &str, toks: &[Arc<str>]) -> f32 {
        let hint: f32 = match name {
            "article" | "main" => 1.3,
            "nav" | "aside" | "footer" | "header" | "form" => 0.5,
            _ => 1.0,
        };
        let (mut pos, mut neg) = (false, false);
        'scan: for t in toks {
            for part in std::iter::once(&**t).chain(t.split(['-', '_'])) {
                if has_part(CHROME_PARTS, &CHROME_SHAPES, part) {
                    neg = true;
                    break 'scan;
                }
                if !pos && has_part(CONTENT_PARTS, &CONTENT_SHAPES, part) {
                    pos = true;
                }
            }
        }
        if neg {
            hint * 0.5
        } else if pos {
            hint * 1.5
        } else {
            hint
        }
    }

    #[test]
    fn token_flags_give_the_scanned_hint() {
        let words = [
            "post",
            "menu",
            "x",
            "content_nav",
            "nav-post",
            "postx",
            "",
            "-",
            "main_",
            "sidebar",
            "entry-meta",
            "é-text",
        ];
        let mut lists: Vec<Vec<Arc<str>>> = vec![vec![]];
        for a in words {
            lists.push(vec![a.into()]);
            for b in words {
                lists.push(vec![a.into(), b.into()]);
                lists.push(vec![b.into(), "q".into(), a.into()]);
            }
        }
        let mut changed = 0;
        for name in ["div", "article", "nav", "main", "p"] {
            for toks in &lists {
                let want = semantic_hint_scan(name, toks);
                assert_eq!(
                    semantic_hint(name, toks).to_bits(),
                    want.to_bits(),
                    "{name} {toks:?}"
                );
                changed += (want != semantic_hint_scan(name, &[])) as usize;
            }
        }
        assert!(changed > 100, "the lists exercise both kinds of part");
    }
    use super::*;

    #[test]
    fn the_kind_of_the_main_container_is_recorded() {
        let kind = |body: &str| {
            let html = format!("<html><body><nav><a href=\"/\">Home</a></nav>{body}</body></html>");
            extract(&html, &PipelineConfig::default(), None)
                .unwrap()
                .shape
                .container
        };
        let para = "Our potters throw every mug by hand and glaze it in small batches, so no two \
                    of them come out of the kiln quite alike, which is the point of it all.";
        let article = format!("<article><h1>Glazes</h1><p>{para}</p><p>{para}</p></article>");
        assert_eq!(kind(&article), Container::Prose);
        let tiles: String = (0..8)
            .map(|i| {
                format!(
                    "<li class=\"tile\"><h3><a href=\"/p/{i}\">Mug {i}</a></h3><p>${i}.50</p>\
                     <p>Stoneware, 300 ml</p></li>"
                )
            })
            .collect();
        assert_eq!(
            kind(&format!(
                "<main><h1>Mugs</h1><ul class=\"grid\">{tiles}</ul></main>"
            )),
            Container::Grid
        );
        let entries: String = (0..8)
            .map(|i| {
                format!(
                    "<div class=\"entry\"><h2><a href=\"/n/{i}\">News story number {i} about the \
                     kiln opening at the studio</a></h2><p>A short teaser.</p></div>"
                )
            })
            .collect();
        assert_eq!(
            kind(&format!("<div class=\"list\">{entries}</div>")),
            Container::Listing
        );
        assert_eq!(kind(""), Container::Unknown);
    }

    fn texts(html: &str) -> Vec<(BlockKind, String, Option<bool>)> {
        extract(html, &PipelineConfig::default(), None)
            .unwrap()
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text, b.features.in_main))
            .collect()
    }

    #[test]
    fn part_shapes_screen_only_non_words() {
        for (list, shapes) in [
            (CONTENT_PARTS, &CONTENT_SHAPES),
            (CHROME_PARTS, &CHROME_SHAPES),
            (MENU_PARTS, &MENU_SHAPES),
        ] {
            let mut parts: Vec<String> = Vec::new();
            for w in CONTENT_PARTS.iter().chain(CHROME_PARTS).chain(MENU_PARTS) {
                parts.extend([
                    w.to_string(),
                    format!("{w}s"),
                    w[1..].to_string(),
                    w.to_uppercase(),
                ]);
            }
            parts.extend(["", "é", "x".repeat(40).as_str()].map(String::from));
            for p in &parts {
                assert_eq!(has_part(list, shapes, p), list.contains(&p.as_str()), "{p}");
            }
        }
    }

    #[test]
    fn blocks_from_structure() {
        let t = texts(
            "<html><body><nav><a href=/>Home</a></nav><article><h1>Big news</h1>\
             <p>The first paragraph of the story has <a href=x>a link</a> and enough words to count.</p>\
             <p>The second paragraph is also long enough to be prose, with a full stop.</p>\
             <ul><li>one</li><li>two</li></ul></article></body></html>",
        );
        assert_eq!(t[0].1, "Home");
        assert_eq!(t[0].2, Some(false));
        assert_eq!(t[1].0, BlockKind::Heading(1));
        assert!(t[2].1.contains("has a link and enough"));
        assert_eq!(t[2].2, Some(true));
        assert_eq!(t[4].0, BlockKind::ListItem);
    }

    #[test]
    fn tag_path_and_tokens_follow_the_ancestors() {
        let doc = extract(
            "<html><body><div class='Side-Bar x' id=Top role=Navigation>\
             <ul><li itemprop=Name>Item one</li></ul></div>\
             <p class=lead>After the list.</p></body></html>",
            &PipelineConfig::default(),
            None,
        )
        .unwrap();
        let f = &doc.blocks[0].features;
        let tags: Vec<&str> = f.tag_path.iter().map(|t| &**t).collect();
        assert_eq!(tags, ["html", "body", "div", "ul", "li"]);
        let toks: Vec<&str> = f.class_tokens.iter().map(|t| &**t).collect();
        assert_eq!(toks, ["side-bar", "x", "top", "navigation", "name"]);
        // Siblings share the interned tag name rather than each holding a copy.
        let g = &doc.blocks[1].features;
        assert_eq!(g.tag_path.len(), 3);
        assert!(Arc::ptr_eq(&f.tag_path[1], &g.tag_path[1]));
    }

    /// A rail of `n` cards, each a headline link and a summary of about 40 words.
    fn card_rail(n: usize) -> String {
        let mut rail = String::from("<div class=rail>");
        for i in 0..n {
            rail.push_str(&format!(
                "<div class=card><h3><a href=/s{i}>Another story about the town council number {i}</a></h3>\
                 <p>The council met again on Tuesday evening and talked for hours about the \
                 budget, the new bridge over the river, the bus lanes on the high street and \
                 the school that needs a roof before the winter comes to the valley.</p></div>"
            ));
        }
        rail.push_str("</div>");
        rail
    }

    #[test]
    fn card_rail_beside_a_short_story_is_not_content() {
        let story = "<p>The bakery on Mill Lane opened its doors again this morning after a \
                     month of repairs, and the queue reached the corner before seven.</p>\
                     <p>Its owner said the new oven bakes twice as many loaves as the old one, \
                     and that the prices will stay the same until the spring.</p>";
        let html = format!(
            "<html><body><div class=page><div class=story><h1>Bakery opens again</h1>{story}</div>\
             <h2>More from the town</h2>{}</div></body></html>",
            card_rail(5)
        );
        let t = texts(&html);
        let bakery = t.iter().find(|b| b.1.contains("Mill Lane")).unwrap();
        assert_eq!(bakery.2, Some(true));
        let summary = t.iter().find(|b| b.1.contains("bus lanes")).unwrap();
        assert_eq!(summary.2, Some(false), "{t:?}");
    }

    #[test]
    fn ticker_of_excerpts_above_the_story_is_not_content() {
        let mut ticker = String::from("<div class=ticker><ul>");
        for i in 0..4 {
            ticker.push_str(&format!(
                "<li><a href=/t{i}>Harbour crane number {i} is taken down for repairs</a> The \
                 port said on Monday that the old crane will be out of use until the end of \
                 the month while the engineers look at the cables and the…</li>"
            ));
        }
        ticker.push_str("</ul></div>");
        let para = "<p>The lifeboat crew was called out twice on Sunday, first to a dinghy that \
                    had drifted past the breakwater and then to a walker cut off by the tide \
                    below the cliffs north of the town.</p>";
        let html = format!(
            "<html><body><div class=page>{ticker}<div class=story><h2>Busy day for the \
             lifeboat</h2>{para}{para}{para}</div></div></body></html>"
        );
        let t = texts(&html);
        let story = t.iter().find(|b| b.1.contains("lifeboat crew")).unwrap();
        assert_eq!(story.2, Some(true), "{t:?}");
        let item = t.iter().find(|b| b.1.contains("crane number 2")).unwrap();
        assert_eq!(item.2, Some(false), "{t:?}");
    }

    #[test]
    fn cards_without_a_story_stay_content() {
        // A listing: its heading sits above the intro, not in a story of its own.
        let html = format!(
            "<html><body><h1>Town news</h1><div class=page><div class=intro><p>All the \
             stories from the town council this month, newest first.</p></div>{}</div>\
             </body></html>",
            card_rail(5)
        );
        let t = texts(&html);
        let summary = t.iter().find(|b| b.1.contains("bus lanes")).unwrap();
        assert_eq!(summary.2, Some(true), "{t:?}");
    }

    /// Cards that are one link each (title, summary and note inside the `<a>`) under a
    /// short intro paragraph, on a page whose `<body>` class names a sidebar and a menu.
    fn linked_cards_page(body_class: &str) -> String {
        let mut cards = String::new();
        for i in 0..8 {
            cards.push_str(&format!(
                "<div class=course><a href=/c{i}><div class=name>Evening course in pottery \
                 and glazing, group {i}</div><p>Twelve weeks of hands-on practice at the wheel \
                 with a tutor, firing in the studio kiln and a small show at the end of term \
                 for friends and family.</p><p>Also taught on Saturday mornings.</p></a></div>"
            ));
        }
        format!(
            "<html><body class=\"{body_class}\"><div class=hero><p>Award-winning tutors and \
             a studio in the heart of town: our courses welcome beginners and \
             experienced makers alike, and every course ends with work to take home, \
             fired and glazed in our own kiln by the people who run the studio.</p></div>\
             <main><h1>Our courses</h1><div class=courses>{cards}</div></main></body></html>"
        )
    }

    #[test]
    fn body_class_naming_a_menu_does_not_hide_a_listing() {
        for class in ["page", "no-sidebar has-mobile-menu"] {
            let t = texts(&linked_cards_page(class));
            let card = t.iter().find(|b| b.1.contains("group 5")).unwrap();
            assert_eq!(card.2, Some(true), "body class {class:?}: {t:?}");
        }
    }

    #[test]
    fn content_hidden_for_a_script_to_show_is_read() {
        let body = "<p>This walking boot has a waterproof leather upper, a padded collar and a \
                    sole with deep lugs that grips on wet rock and loose gravel alike.</p>\
                    <ul><li>Weight: 540 g per boot</li><li>Upper: full-grain leather</li></ul>";
        let body = body.repeat(3);
        let hidden = format!(
            "<html><body><nav><a href=/>Shop</a></nav><div style=\"display: none\">\
             <h1>Hill walking boot</h1>{body}</div><div style=\"display:none\">\
             <p>Your basket is empty.</p></div></body></html>"
        );
        let t = texts(&hidden);
        let boot = t.iter().find(|b| b.1.contains("deep lugs")).unwrap();
        assert_eq!(boot.2, Some(true), "{t:?}");
        assert!(!t.iter().any(|b| b.1.contains("basket")), "{t:?}");
        // Beside a visible page of its own size, a hidden panel stays hidden.
        let shown = format!(
            "<html><body><article>{body}{body}</article><div style=display:none>{body}</div>\
             </body></html>"
        );
        let n = texts(&shown)
            .iter()
            .filter(|b| b.1.contains("deep lugs"))
            .count();
        assert_eq!(n, 6);
    }

    #[test]
    fn dialog_text_is_not_the_content() {
        let para = "<p>The ferry to the island runs twice a day in the summer, and the morning \
                    boat is the one to take if you want to see the seals on the rocks.</p>";
        let html = format!(
            "<html><body><div class=site><article>{para}{para}{para}</article></div>\
             <div role=dialog><p>We value your privacy and use tracking to measure the \
             audience of this site, to show you offers that match your interests and to \
             improve the pages over time; you can change your choices at any time.</p>\
             <p>Necessary storage keeps the site working and cannot be switched off in \
             the settings of this panel, because the pages would not load without it.</p>\
             </div></body></html>"
        );
        let t = texts(&html);
        assert!(t[..3].iter().all(|b| b.2 == Some(true)), "{t:?}");
        assert!(t[3..].iter().all(|b| b.2 == Some(false)), "{t:?}");
    }

    #[test]
    fn page_wide_classes_leave_blocks_outside_the_container() {
        let doc = extract(
            "<html><body class='menu-open'><div class=page><article><p>The ferry to the \
             island runs twice a day in the summer, and the morning boat is the one to take \
             if you want to see the seals on the rocks.</p></article>\
             <div class=box><p>Weather today: wind from the west.</p></div></div></body></html>",
            &PipelineConfig::default(),
            None,
        )
        .unwrap();
        let b = doc
            .blocks
            .iter()
            .find(|b| b.text.contains("Weather"))
            .unwrap();
        assert_eq!(b.features.in_main, Some(false));
        let toks: Vec<&str> = b.features.class_tokens.iter().map(|t| &**t).collect();
        assert_eq!(toks, ["box"]);
    }

    #[test]
    fn token_flags_answer_the_element_tests() {
        let values = [
            "cookie-notice",
            "Cookie_Banner x",
            "artdeco-global-alert--cookie_consent",
            "gdpr",
            "cookies bar",
            "cookie-bar",
            "has-cookie-bar",
            "cookieconsent",
            "CookieBanner",
            "consent-sdk main-nav",
            "nav-menu",
            "comments-area",
            "comment-respond",
            "dialog",
            "alertdialog x",
            "a-correspondent",
            "post-entry",
            "",
            "  ",
            "x-cookie-consent-and-a-very-long-token-name-that-runs-over-sixty-four-bytes",
            "xcookie-bar-and-a-very-long-token-name-that-runs-over-sixty-four-bytes-too",
        ];
        let cfg = PipelineConfig::default();
        for class in values {
            for id in [None, Some("gdpr-popup"), Some("main")] {
                for role in [None, Some("dialog"), Some("navigation")] {
                    let a = Attrs {
                        class: Some(class),
                        id,
                        role,
                        ..Attrs::default()
                    };
                    let mut w = Walker::new(&cfg);
                    let t = w.tokens_of(&a);
                    assert_eq!(t.consent, is_consent_dialog("div", &a), "{class:?} {id:?}");
                    assert_eq!(t.sig, token_sig(&t.toks));
                    for name in ["div", "nav", "article"] {
                        assert_eq!(
                            name == "nav" || t.flags & MENU_TOKEN != 0,
                            is_menu(name, &t.toks)
                        );
                        assert_eq!(hint_of(name, t.flags), semantic_hint(name, &t.toks));
                    }
                    assert_eq!(t.flags & OVERLAY_TOKEN != 0, is_overlay(&t.toks));
                    assert_eq!(
                        t.flags & COMMENT_TOKEN != 0,
                        crate::strip::comments::has_comment_token(&t.toks)
                    );
                }
            }
        }
    }

    /// `Walker::push_text` as it was before it copied runs of words whole.
    fn push_text_by_words(buf: &mut String, link_chars: &mut usize, in_link: bool, t: &str) {
        let starts_ws = t.starts_with(char::is_whitespace);
        if starts_ws && !buf.is_empty() && !buf.ends_with(' ') {
            buf.push(' ');
        }
        let mut first = true;
        for w in t.split_whitespace() {
            if !first {
                buf.push(' ');
            }
            first = false;
            buf.push_str(w);
            if in_link {
                *link_chars += w.chars().count();
            }
        }
        if t.ends_with(char::is_whitespace) && !t.trim().is_empty() {
            buf.push(' ');
        }
    }

    proptest::proptest! {
        #[test]
        fn push_text_collapses_as_split_whitespace(
            before in "[ a\u{a0}]{0,2}",
            texts in proptest::collection::vec(
                "[ a-c.é\u{85}\u{a0}\u{c2}\u{1680}\u{2000}\u{200a}\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{201c}\u{3000}\u{3001}\t\n\u{b}\u{c}\r\u{1f}東]{0,12}",
                1..4,
            ),
            in_link in proptest::bool::ANY,
        ) {
            let cfg = PipelineConfig::default();
            let mut w = Walker::new(&cfg);
            w.in_link = usize::from(in_link);
            w.buf.push_str(&before);
            let (mut buf, mut links) = (before.clone(), 0);
            for t in &texts {
                w.push_text(t);
                push_text_by_words(&mut buf, &mut links, in_link, t);
            }
            proptest::prop_assert_eq!(&w.buf, &buf);
            proptest::prop_assert_eq!(w.link_chars, links);
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let n = 50_000;
        let html = format!(
            "{}<p>deep text</p>{}",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let t = texts(&html);
        assert!(t.iter().any(|b| b.1.contains("deep text")));
    }

    /// Is the block whose text starts with `start` in the main container?
    fn in_main(t: &[(BlockKind, String, Option<bool>)], start: &str) -> Option<bool> {
        t.iter().find(|b| b.1.starts_with(start)).and_then(|b| b.2)
    }

    #[test]
    fn a_page_of_fragments_takes_the_wrapper_of_most_of_its_words() {
        // Two tiles (too few for a grid) of a name link, a line and a price, and a drawer
        // with the only sentence of the page before them: no region holds prose.
        let tile = |name: &str, line: &str, price: &str| {
            format!(
                "<li class=\"tile\"><h3><a href=\"/p/{name}\">{name}</a></h3><p>{line}</p>\
                 <p>{price}</p></li>"
            )
        };
        let html = format!(
            "<html><body><header><nav><a href=\"/\">Home</a> <a href=\"/shop\">Shop</a></nav>\
             </header><div class=\"drawer\"><p>Your bag is empty, so keep looking around.</p>\
             </div><div class=\"page\"><div class=\"collection\"><h1>Kiln sets</h1><ul>{}{}</ul>\
             </div></div></body></html>",
            tile("Blue speckled mug pair", "Two mugs with saucers", "£42"),
            tile("Large serving bowl trio", "Three bowls in one glaze", "£88"),
        );
        let t = texts(&html);
        assert_eq!(in_main(&t, "Blue speckled mug pair"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "Three bowls in one glaze"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "£88"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "Your bag is empty"), Some(false), "{t:?}");
        assert_eq!(in_main(&t, "Home Shop"), Some(false), "{t:?}");
    }

    /// A hero section with a category's name and blurb, a refine menu of `links` one-word
    /// links (in no menu markup), and the grid in a section of its own further down: the
    /// hero and the grid share only `<body>`.
    fn hero_and_grid(links: usize) -> String {
        let tiles: String = (0..8)
            .map(|i| {
                format!(
                    "<li class=\"tile\"><h3><a href=\"/p/{i}\">Walnut stool {i}</a></h3>\
                     <p>Oiled walnut, {} cm</p><p>${}</p></li>",
                    40 + i,
                    90 + i
                )
            })
            .collect();
        let refine: String = (0..links)
            .map(|i| format!("<p><a href=\"/c/{i}\">Timber{i}</a></p>"))
            .collect();
        format!(
            "<html><body><header><nav><a href=\"/\">Home</a> <a href=\"/shop\">Shop</a></nav>\
             </header><section class=\"hero\"><h1>Stools</h1><p>Every stool is cut, joined and \
             oiled by hand in our workshop from timber we buy at the local mill.</p>\
             <p>By Workshop</p></section><div class=\"refine\">{refine}</div>\
             <section class=\"results\"><div class=\"wrap\"><ul class=\"grid\">{tiles}</ul>\
             </div></section><div class=\"after\"><p>Our workshop opens its doors to \
             visitors on the first Saturday of every month.</p></div></body></html>"
        )
    }

    #[test]
    fn a_grid_takes_in_its_heading_and_intro_from_a_section_above() {
        let t = texts(&hero_and_grid(50));
        assert_eq!(in_main(&t, "Walnut stool 3"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "Stools"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "Every stool is cut"), Some(true), "{t:?}");
        // A byline-sized line, the links between, the menu and text after the grid stay
        // outside.
        assert_eq!(in_main(&t, "By Workshop"), Some(false), "{t:?}");
        assert_eq!(in_main(&t, "Timber7"), Some(false), "{t:?}");
        assert_eq!(in_main(&t, "Home Shop"), Some(false), "{t:?}");
        assert_eq!(in_main(&t, "Our workshop opens"), Some(false), "{t:?}");
    }

    #[test]
    fn a_grid_far_below_its_heading_takes_no_intro() {
        // Over `INTRO_MAX_WORDS` words between the heading and the grid.
        let t = texts(&hero_and_grid(INTRO_MAX_WORDS + 1));
        assert_eq!(in_main(&t, "Walnut stool 3"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "Every stool is cut"), Some(false), "{t:?}");
    }

    #[test]
    fn a_short_story_still_wins_over_a_rail_of_fragments() {
        // Two paragraphs of prose beside more words of short links: the story is the
        // content, not the wrapper that holds most of the words.
        let para = "The studio fired its new kiln for the first time this week, and the \
                    glazes came out brighter than anyone had hoped after months of tests.";
        let rail: String = (0..30)
            .map(|i| format!("<li><a href=\"/t/{i}\">Kiln tag {i}</a></li>"))
            .collect();
        let html = format!(
            "<html><body><div class=\"page\"><div class=\"story\"><h1>New kiln</h1>\
             <p>{para}</p><p>{para} Again.</p></div><div class=\"more\"><ul>{rail}</ul></div>\
             </div></body></html>"
        );
        let t = texts(&html);
        assert_eq!(in_main(&t, "The studio fired"), Some(true), "{t:?}");
        assert_eq!(in_main(&t, "Kiln tag 3"), Some(false), "{t:?}");
    }
}
