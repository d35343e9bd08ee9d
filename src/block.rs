//! The document model shared by the HTML and the text path.
//!
//! Both input kinds become a [`Doc`]: metadata plus an ordered list of [`Block`]s. Extraction
//! fills in the blocks and their [`Features`]; the strip stage gives every block a [`Verdict`]
//! with a category and a human-readable reason. Nothing in here knows about files or threads.

use serde::Serialize;
use std::sync::Arc;

/// What a block is, structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The document title (goes to `metadata.title`, not into `text`).
    Title,
    /// A heading with its level (1..=6; text dumps guess 2).
    Heading(u8),
    Paragraph,
    ListItem,
    Quote,
    /// Preformatted text or code; line structure is kept.
    Code,
    /// One row of a table, cells joined by " | " or tabs.
    TableRow,
    /// A figure or photo caption.
    Caption,
    /// A bare line from a text dump whose role is not yet known.
    Line,
}

impl BlockKind {
    pub fn is_heading(self) -> bool {
        matches!(self, BlockKind::Heading(_) | BlockKind::Title)
    }
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Title => "title",
            BlockKind::Heading(_) => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list_item",
            BlockKind::Quote => "quote",
            BlockKind::Code => "code",
            BlockKind::TableRow => "table_row",
            BlockKind::Caption => "caption",
            BlockKind::Line => "line",
        }
    }
}

/// Features the classifier reads. Text features are filled for every block by
/// [`Features::compute_text`]; HTML extraction adds the DOM ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Number of `\w+` words.
    pub words: usize,
    /// Number of chars.
    pub chars: usize,
    /// Share of the text that sits inside links (HTML), or looks like a link (text).
    pub link_density: f32,
    /// Share of words that are stop words of the document language.
    pub stopword_ratio: f32,
    /// Ends with sentence punctuation (. ! ? … and CJK/other full stops, optionally quoted).
    pub ends_with_punct: bool,
    /// DOM depth (HTML) or 0.
    pub depth: u16,
    /// Index of the block in the document.
    pub position: usize,
    /// Lower-cased tag names from the root to the block element (HTML only). The names are
    /// the walker's interned strings, and the blocks made under one path share the slice:
    /// cloning is a reference-count bump.
    pub tag_path: Arc<[Arc<str>]>,
    /// Lower-cased class and id tokens of the block and its ancestors (HTML only).
    /// Shared like `tag_path`.
    pub class_tokens: Vec<Arc<str>>,
    /// How many documents of the batch contain this exact (normalised) line; 0 when unknown.
    pub repeat_count: u32,
    /// Score of the block's DOM region as main content (HTML), 0..=1; `None` for text.
    pub main_score: Option<f32>,
    /// The block is inside the chosen main-content container (HTML only).
    pub in_main: Option<bool>,
}

impl Features {
    /// Fill the text-derived features from the block text.
    pub fn compute_text(&mut self, text: &str) {
        self.chars = text.chars().count();
        self.words = crate::text::word_count(text);
        self.ends_with_punct = crate::text::ends_with_sentence_punct(text);
    }
}

/// Why a block was dropped, and under which category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drop {
    /// Category name, e.g. `widget`, `comments`, `read_more`, `caption`, `chrome`, `prompt`,
    /// `citation`, `navigation`, `footer`, `repeated`, `boilerplate`, `separator`.
    pub category: String,
    /// Human-readable reason, e.g. "reward-widget pattern 'Time to Read'".
    pub reason: String,
}

/// The decision about one block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Verdict {
    #[default]
    Keep,
    Drop(Drop),
    /// Part of a comment thread: kept out of `text`, emitted in `metadata.comments`.
    /// `author` is set on the first block of a comment; `None` continues the previous one.
    Comment {
        author: Option<String>,
    },
    /// Structural part of a comment section (header, author line, "Add your comment"):
    /// not content and not a comment body.
    CommentMeta(Drop),
}

impl Verdict {
    pub fn drop(category: &str, reason: impl Into<String>) -> Self {
        Verdict::Drop(Drop {
            category: category.to_string(),
            reason: reason.into(),
        })
    }
    pub fn is_keep(&self) -> bool {
        matches!(self, Verdict::Keep)
    }
}

/// One unit of text with its structure and features.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub features: Features,
    pub verdict: Verdict,
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut features = Features::default();
        features.compute_text(&text);
        Block {
            kind,
            text,
            features,
            verdict: Verdict::Keep,
        }
    }
}

/// Input format of a document after sniffing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Text,
}

/// Metadata found in the document (HTML head, JSON-LD, or the first lines of a text dump).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    /// Publication date, ISO 8601 (`YYYY-MM-DD` or full timestamp) when found.
    pub date: Option<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    /// Language from the markup (`<html lang>`, `og:locale`), before detection.
    pub lang: Option<String>,
    pub description: Option<String>,
    /// Every title the markup offers (OpenGraph, Twitter card, JSON-LD headline, Dublin
    /// Core, `<title>`), most trusted first; the title is chosen from these and the main
    /// heading. Not emitted.
    #[serde(skip)]
    pub title_candidates: Vec<String>,
    /// Names the page gives its site (og:site_name, application-name, JSON-LD publisher,
    /// WebSite and Organization), to tell a site-name heading or title segment. Not emitted.
    #[serde(skip)]
    pub site_names: Vec<String>,
    /// What the markup and the address say the page is (inputs of the block classifier).
    /// Not emitted.
    #[serde(skip)]
    pub hints: PageHints,
}

/// Page-type cues of an HTML page: the schema.org types its JSON-LD declares, its
/// `og:type`, and the words of its address's path (`/category/...`, `/t/slug/123`). Generic
/// web vocabulary only; the block classifier reads them as page-level features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageHints {
    /// One bit per [`PageHints::NAMES`] entry, in that order.
    pub bits: u32,
    /// Segments of the address's path (0 for a home page or a page without an address).
    pub path_depth: u8,
    /// Words of the path's last segment (an article's slug has many).
    pub slug_words: u8,
}

impl PageHints {
    /// Names of the cue bits (feature names of the block classifier, prefixed `hint_`).
    pub const NAMES: [&'static str; 17] = [
        "ld_article",
        "ld_product",
        "ld_list",
        "ld_thread",
        "ld_faq",
        "ld_tech",
        "ld_service",
        "ld_breadcrumb",
        "og_article",
        "og_product",
        "og_website",
        "url_list",
        "url_product",
        "url_thread",
        "url_doc",
        "url_news",
        "url_dated",
    ];

    /// The bit of the cue named `name`. Evaluated where the cue tables are defined (in
    /// `const` context), so a name missing from [`PageHints::NAMES`] fails the build; at run
    /// time an unknown name panics.
    pub const fn bit(name: &str) -> u32 {
        let mut i = 0;
        while i < Self::NAMES.len() {
            let (a, b) = (Self::NAMES[i].as_bytes(), name.as_bytes());
            if a.len() == b.len() {
                let mut k = 0;
                while k < a.len() && a[k] == b[k] {
                    k += 1;
                }
                if k == a.len() {
                    return 1 << i;
                }
            }
            i += 1;
        }
        panic!("not a page hint name")
    }

    /// Whether the cue named `name` is set.
    pub fn has(&self, name: &str) -> bool {
        self.bits & Self::bit(name) != 0
    }
}

/// A span cut out of a kept block (a source chip at the end of a paragraph, say).
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    pub drop: Drop,
    /// Index of the block the span was cut from.
    pub block: usize,
    pub text: String,
}

/// A document between extraction and emission.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    pub meta: Meta,
    pub blocks: Vec<Block>,
    /// Spans removed from inside kept blocks.
    pub cuts: Vec<Cut>,
    /// What kind of page the HTML looks like (the kind of its main container).
    pub shape: PageShape,
}

/// What the main-content container of an HTML page is, as chosen by the extractor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Container {
    /// No container was chosen (text dumps, pages without blocks).
    #[default]
    Unknown,
    /// The region with the most prose.
    Prose,
    /// A list of entries (headline links with short teasers).
    Listing,
    /// A grid of cards (products with their prices, results).
    Grid,
}

/// Page-level signals of an HTML page that the block classifier's decision reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageShape {
    pub container: Container,
}
