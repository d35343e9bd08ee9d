//! HTML -> blocks with DOM features, and the choice of the main-content container.
//!
//! The DOM is walked with an explicit stack (no recursion), so a page of 200,000 nested
//! `<div>`s costs memory proportional to its size, not stack depth. Each block gets its tag
//! path, class/id tokens, link density and depth; blocks inside the best-scoring container get
//! `in_main = Some(true)`. This module decides nothing about noise categories.

use crate::block::{Block, BlockKind, Doc};
use crate::config::PipelineConfig;
use crate::error::{DocError, ErrorKind};
use ego_tree::NodeId;
use scraper::{node::Node, ElementRef, Html};
use std::collections::HashMap;

/// Extract metadata and blocks from an HTML document.
pub fn extract(html: &str, cfg: &PipelineConfig) -> Result<Doc, DocError> {
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
    let meta = super::meta::extract(&dom);
    let mut walker = Walker::new(cfg, dom.tree.root().id());
    walker.walk(&dom);
    let mut doc = Doc {
        meta,
        blocks: walker.blocks,
        cuts: Vec::new(),
    };
    mark_main(&dom, &mut doc, &walker.block_nodes);
    Ok(doc)
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
    )
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

struct Open {
    kind: BlockKind,
    node: NodeId,
    /// Length of `Walker::path` when this block element was entered.
    path_len: usize,
}

struct Walker<'c> {
    cfg: &'c PipelineConfig,
    blocks: Vec<Block>,
    /// For each block, the DOM element that holds it.
    block_nodes: Vec<NodeId>,
    buf: String,
    link_chars: usize,
    /// Tag names from the root to the current element.
    path: Vec<String>,
    /// Class/id tokens per level of `path`.
    tokens: Vec<Vec<String>>,
    open: Vec<Open>,
    in_link: usize,
    in_pre: usize,
    in_cell: bool,
    /// The document node: holder of text outside every block element.
    root: NodeId,
}

enum Step {
    Enter(NodeId),
    Leave(NodeId),
}

impl<'c> Walker<'c> {
    fn new(cfg: &'c PipelineConfig, root: NodeId) -> Self {
        Walker {
            cfg,
            blocks: Vec::new(),
            block_nodes: Vec::new(),
            buf: String::new(),
            link_chars: 0,
            path: Vec::new(),
            tokens: Vec::new(),
            open: Vec::new(),
            in_link: 0,
            in_pre: 0,
            in_cell: false,
            root,
        }
    }

    fn walk(&mut self, dom: &Html) {
        let root = dom.tree.root();
        let mut stack = vec![Step::Enter(root.id())];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(id) => {
                    let node = dom.tree.get(id).expect("node ids come from this tree");
                    match node.value() {
                        Node::Text(t) => self.push_text(t),
                        Node::Element(el) => {
                            let name = el.name();
                            if is_skipped(name) {
                                continue;
                            }
                            let deep = self.path.len() >= self.cfg.limits.max_dom_depth;
                            self.enter(id, name, el, deep);
                            stack.push(Step::Leave(id));
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
                Step::Leave(id) => {
                    let node = dom.tree.get(id).expect("node ids come from this tree");
                    if let Some(el) = ElementRef::wrap(node) {
                        self.leave(id, el.value().name());
                    }
                }
            }
        }
        self.flush();
    }

    fn enter(&mut self, id: NodeId, name: &str, el: &scraper::node::Element, deep: bool) {
        if deep {
            // Past the depth limit, elements are flattened into the ancestor at the limit.
            self.path.push(String::new());
            self.tokens.push(Vec::new());
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
            "img" => {}
            _ => {}
        }
        let mut toks = Vec::new();
        for attr in ["class", "id"] {
            if let Some(v) = el.attr(attr) {
                for t in v.split_ascii_whitespace() {
                    if t.len() <= 64 {
                        toks.push(t.to_ascii_lowercase());
                    }
                }
            }
        }
        if let Some(role) = el.attr("role") {
            toks.push(role.to_ascii_lowercase());
        }
        self.path.push(name.to_string());
        self.tokens.push(toks);
        if let Some(kind) = block_kind(name) {
            self.flush();
            if name == "pre" {
                self.in_pre += 1;
            }
            self.open.push(Open {
                kind,
                node: id,
                path_len: self.path.len(),
            });
        }
    }

    fn leave(&mut self, _id: NodeId, name: &str) {
        let Some(tag) = self.path.pop() else { return };
        self.tokens.pop();
        if tag.is_empty() {
            return; // flattened element
        }
        match name {
            "a" => self.in_link = self.in_link.saturating_sub(1),
            "td" | "th" => {}
            _ => {}
        }
        if block_kind(name).is_some() {
            self.flush();
            if name == "pre" {
                self.in_pre = self.in_pre.saturating_sub(1);
            }
            if name == "tr" {
                self.in_cell = false;
            }
            self.open.pop();
        }
    }

    fn push_text(&mut self, t: &str) {
        if self.in_pre > 0 {
            self.buf.push_str(t);
        } else {
            // collapse here already to keep link-char counts honest
            let starts_ws = t.starts_with(char::is_whitespace);
            if starts_ws && !self.buf.is_empty() && !self.buf.ends_with(' ') {
                self.buf.push(' ');
            }
            let mut first = true;
            for w in t.split_whitespace() {
                if !first {
                    self.buf.push(' ');
                }
                first = false;
                self.buf.push_str(w);
                if self.in_link > 0 {
                    self.link_chars += w.chars().count();
                }
            }
            if t.ends_with(char::is_whitespace) && !t.trim().is_empty() {
                self.buf.push(' ');
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
        let (kind, node, path_len) = match self.open.last() {
            Some(o) => (o.kind, o.node, o.path_len),
            None => (BlockKind::Paragraph, self.root, 0),
        };
        let mut b = Block::new(kind, text);
        let chars = b.features.chars.max(1);
        b.features.link_density = (self.link_chars as f32 / chars as f32).min(1.0);
        b.features.depth = path_len.min(u16::MAX as usize) as u16;
        b.features.tag_path = self
            .path
            .iter()
            .filter(|t| !t.is_empty())
            .cloned()
            .collect();
        b.features.class_tokens = self.tokens.iter().flatten().cloned().collect();
        b.features.position = self.blocks.len();
        self.blocks.push(b);
        self.block_nodes.push(node);
        self.buf.clear();
        self.link_chars = 0;
    }
}

/// Score containers readability-style (prose words minus links, propagated to ancestors
/// with decay) and mark blocks inside the best one as `in_main`.
fn mark_main(dom: &Html, doc: &mut Doc, block_nodes: &[NodeId]) {
    let mut scores: HashMap<NodeId, f32> = HashMap::new();
    for (b, &node) in doc.blocks.iter().zip(block_nodes) {
        let f = &b.features;
        if f.words < 8 || f.link_density > 0.5 {
            continue;
        }
        let s = f.words as f32 * (1.0 - f.link_density) * if f.ends_with_punct { 1.0 } else { 0.5 };
        let mut cur = dom.tree.get(node);
        let mut weight = 1.0;
        let mut hops = 0;
        while let Some(n) = cur {
            *scores.entry(n.id()).or_default() += s * weight;
            weight *= 0.6;
            hops += 1;
            if hops > 4 {
                break;
            }
            cur = n.parent();
        }
    }
    let best = scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(id, _)| *id);
    let Some(best) = best else { return };
    for (b, &node) in doc.blocks.iter_mut().zip(block_nodes) {
        let mut cur = dom.tree.get(node);
        let mut inside = false;
        while let Some(n) = cur {
            if n.id() == best {
                inside = true;
                break;
            }
            cur = n.parent();
        }
        b.features.in_main = Some(inside);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<(BlockKind, String, Option<bool>)> {
        extract(html, &PipelineConfig::default())
            .unwrap()
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text, b.features.in_main))
            .collect()
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
}
