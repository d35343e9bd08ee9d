//! Document metadata from HTML: title, author, publication date, site name, canonical URL,
//! language and description, read from JSON-LD, OpenGraph/`<meta>` tags, `<time>` and
//! `<title>`, in that order of trust.

use crate::block::{Meta, PageHints};
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

static META: LazyLock<Selector> = LazyLock::new(|| Selector::parse("meta").expect("valid"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("title").expect("valid"));
static HEAD_TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("head > title").expect("valid"));
static LDJSON: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"script[type="application/ld+json"]"#).expect("valid"));
static CANONICAL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"link[rel="canonical"]"#).expect("valid"));
static HTML: LazyLock<Selector> = LazyLock::new(|| Selector::parse("html").expect("valid"));
static TIME: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("time[datetime]").expect("valid"));
static H1: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h1").expect("valid"));
static LINKS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("body a[href]").expect("valid"));

/// `dom.select(sel)` for a selector whose subject is of type `tag`: the same elements in
/// the same order (the tree's node order, attached elements only), but only elements named
/// `tag` are matched against the selector. A type selector matches only elements whose
/// local name equals it (scraper compares the name atoms), so no other element can match,
/// and the selector machinery is not run for the thousands of others.
fn select_tag<'a>(
    dom: &'a Html,
    sel: &'a Selector,
    tag: &'a str,
) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    dom.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(move |e| e.value().name() == tag && e.parent().is_some() && sel.matches(e))
}

/// Read every metadata field the page offers; `source_url` (where the input says the page
/// was fetched from) stands in for an address the page does not give and completes a
/// root-relative one.
pub fn extract(dom: &Html, source_url: Option<&str>) -> Meta {
    let mut m = Meta::default();
    let mut metas: Vec<(String, String)> = Vec::new();
    for el in select_tag(dom, &META, "meta") {
        let v = el.value();
        let key = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"))
            .map(|k| k.trim().to_ascii_lowercase());
        if let (Some(k), Some(c)) = (key, v.attr("content")) {
            let c = c.trim();
            if !c.is_empty() {
                metas.push((k, c.to_string()));
            }
        }
    }
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| metas.iter().find(|(mk, _)| mk == k).map(|(_, v)| v.clone()))
    };
    let ld = json_ld(dom);
    // The body's elements, found once for the readers below that go through them.
    let body = std::cell::OnceCell::new();
    let body = || body.get_or_init(|| Body::of(dom));

    let mut cands: Vec<String> = Vec::new();
    let mut push = |v: Option<String>| {
        if let Some(v) = v.map(|v| crate::normalize::normalize_text(&v, false)) {
            if v.chars().any(char::is_alphanumeric) && !cands.contains(&v) {
                cands.push(v);
            }
        }
    };
    push(get(&["og:title"]));
    push(get(&["twitter:title"]));
    push(get(&["dc.title", "title"]));
    push(ld.headline.clone());
    push(
        select_tag(dom, &HEAD_TITLE, "title")
            .next()
            .or_else(|| select_tag(dom, &TITLE, "title").next())
            .map(inner_text),
    );
    let page_url = select_tag(dom, &CANONICAL, "link")
        .next()
        .and_then(|l| l.value().attr("href").map(str::to_string))
        .or_else(|| get(&["og:url"]))
        .map(|u| absolute(u, source_url))
        .or_else(|| source_url.map(str::to_string));
    let mut sites: Vec<String> = Vec::new();
    for s in get(&["og:site_name"])
        .into_iter()
        .chain(get(&["application-name"]))
        .chain(ld.sites.iter().cloned())
        .chain(page_url.as_deref().map(host_names).unwrap_or_default())
    {
        let s = crate::normalize::normalize_text(&s, false);
        if s.chars().any(char::is_alphanumeric) && !sites.contains(&s) {
            sites.push(s);
        }
    }
    m.title = cands
        .first()
        .map(|t| {
            if page_url.as_deref().is_some_and(is_home) && site_first(t, &sites) {
                t.trim().to_string()
            } else {
                head_title(t, &sites)
            }
        })
        .or_else(|| select_tag(dom, &H1, "h1").next().map(inner_text))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    m.title_candidates = cands;
    // An organisation named as the author (the publisher standing in for a person) gives
    // way to a person named by the byline.
    let written_by = metas
        .iter()
        .position(|(k, v)| {
            k.starts_with("twitter:label")
                && ["written by", "author", "by"].contains(&v.to_lowercase().trim())
        })
        .and_then(|i| {
            let n = metas[i].0.trim_start_matches("twitter:label");
            get(&[format!("twitter:data{n}").as_str()])
        });
    let person = ld
        .author
        .clone()
        .filter(|_| !ld.author_is_org)
        .or_else(|| {
            get(&[
                "author",
                "article:author",
                "dc.creator",
                "parsely-author",
                "byl",
                "sailthru.author",
            ])
        })
        .or(written_by)
        .filter(|a| !a.starts_with("http"));
    m.author = person
        .or_else(|| ld.asker.clone())
        .or_else(|| byline_author(body()))
        .or_else(|| by_line(body()))
        .or_else(|| profile_author(dom, page_url.as_deref()))
        .or_else(|| ld.author.clone());
    let meta_dates = [
        "article:published_time",
        "datepublished",
        "date",
        "dc.date",
        "dc.date.issued",
        "publish-date",
        "publish_date",
        "publishdate",
        "published",
        "published_time",
        "published-date",
        "pubdate",
        "parsely-pub-date",
        "og:published_time",
        "sailthru.date",
    ];
    m.date = ld
        .date
        .iter()
        .cloned()
        .chain(meta_dates.iter().filter_map(|k| get(&[k])))
        .find_map(|d| normalize_date(&d).or_else(|| parse_visible_date(&d)))
        .or_else(|| {
            select_tag(dom, &TIME, "time")
                .filter_map(|t| t.value().attr("datetime"))
                .find_map(normalize_date)
        })
        .or_else(|| visible_date(body()))
        .or_else(|| page_url.as_deref().and_then(url_date))
        .or_else(|| date_after_heading(dom, body()));
    m.site = get(&["og:site_name", "application-name"]).or(ld.publisher);
    m.site_names = sites;
    m.hints = ld.hints;
    if let Some(u) = page_url.as_deref() {
        url_hints(u, &mut m.hints);
    }
    if let Some(t) = get(&["og:type"]).map(|t| t.to_ascii_lowercase()) {
        m.hints.bits |= if t.starts_with("article") || t.starts_with("blog") {
            const { PageHints::bit("og_article") }
        } else if t.contains("product") {
            const { PageHints::bit("og_product") }
        } else if t == "website" {
            const { PageHints::bit("og_website") }
        } else {
            0
        };
    }
    m.url = page_url.filter(|u| u.starts_with("http"));
    m.lang = select_tag(dom, &HTML, "html")
        .next()
        .and_then(|h| h.value().attr("lang").map(str::to_string))
        .or_else(|| get(&["og:locale", "content-language", "language"]));
    m.description = get(&["description", "og:description"]);
    m
}

/// schema.org types (a JSON-LD `@type`, as JSON text: a name or a list of names) and the
/// page-type cue each sets. Checked by substring, so `NewsArticle` is an `Article`.
const SCHEMA_HINTS: [(&str, u32); 24] = [
    ("Article", PageHints::bit("ld_article")),
    ("BlogPosting", PageHints::bit("ld_article")),
    ("Report", PageHints::bit("ld_article")),
    ("Product", PageHints::bit("ld_product")),
    ("Offer", PageHints::bit("ld_product")),
    ("ItemList", PageHints::bit("ld_list")),
    ("CollectionPage", PageHints::bit("ld_list")),
    ("SearchResultsPage", PageHints::bit("ld_list")),
    ("OfferCatalog", PageHints::bit("ld_list")),
    ("DiscussionForumPosting", PageHints::bit("ld_thread")),
    ("QAPage", PageHints::bit("ld_thread")),
    ("Question", PageHints::bit("ld_thread")),
    ("FAQPage", PageHints::bit("ld_faq")),
    ("TechArticle", PageHints::bit("ld_tech")),
    ("HowTo", PageHints::bit("ld_tech")),
    ("APIReference", PageHints::bit("ld_tech")),
    ("SoftwareSourceCode", PageHints::bit("ld_tech")),
    ("Service", PageHints::bit("ld_service")),
    ("LocalBusiness", PageHints::bit("ld_service")),
    ("SoftwareApplication", PageHints::bit("ld_service")),
    ("WebApplication", PageHints::bit("ld_service")),
    ("MobileApplication", PageHints::bit("ld_service")),
    ("ProfessionalService", PageHints::bit("ld_service")),
    ("BreadcrumbList", PageHints::bit("ld_breadcrumb")),
];

fn schema_hints(ty: &str, h: &mut PageHints) {
    for (t, bit) in SCHEMA_HINTS {
        if ty.contains(t) {
            h.bits |= bit;
        }
    }
}

/// Path segments of an address (and their extension-less forms) and the page-type cue each
/// sets: the words sites use for the section a page lives in.
const PATH_HINTS: [(&str, u32); 62] = [
    ("category", PageHints::bit("url_list")),
    ("categories", PageHints::bit("url_list")),
    ("collection", PageHints::bit("url_list")),
    ("collections", PageHints::bit("url_list")),
    ("c", PageHints::bit("url_list")),
    ("cat", PageHints::bit("url_list")),
    ("tag", PageHints::bit("url_list")),
    ("tags", PageHints::bit("url_list")),
    ("shop", PageHints::bit("url_list")),
    ("browse", PageHints::bit("url_list")),
    ("search", PageHints::bit("url_list")),
    ("archive", PageHints::bit("url_list")),
    ("archives", PageHints::bit("url_list")),
    ("catalog", PageHints::bit("url_list")),
    ("catalogue", PageHints::bit("url_list")),
    ("department", PageHints::bit("url_list")),
    ("product", PageHints::bit("url_product")),
    ("products", PageHints::bit("url_product")),
    ("p", PageHints::bit("url_product")),
    ("dp", PageHints::bit("url_product")),
    ("item", PageHints::bit("url_product")),
    ("items", PageHints::bit("url_product")),
    ("itm", PageHints::bit("url_product")),
    ("sku", PageHints::bit("url_product")),
    ("forum", PageHints::bit("url_thread")),
    ("forums", PageHints::bit("url_thread")),
    ("thread", PageHints::bit("url_thread")),
    ("threads", PageHints::bit("url_thread")),
    ("t", PageHints::bit("url_thread")),
    ("questions", PageHints::bit("url_thread")),
    ("question", PageHints::bit("url_thread")),
    ("q", PageHints::bit("url_thread")),
    ("community", PageHints::bit("url_thread")),
    ("discussion", PageHints::bit("url_thread")),
    ("discussions", PageHints::bit("url_thread")),
    ("comments", PageHints::bit("url_thread")),
    ("viewtopic", PageHints::bit("url_thread")),
    ("showthread", PageHints::bit("url_thread")),
    ("docs", PageHints::bit("url_doc")),
    ("doc", PageHints::bit("url_doc")),
    ("documentation", PageHints::bit("url_doc")),
    ("api", PageHints::bit("url_doc")),
    ("reference", PageHints::bit("url_doc")),
    ("guide", PageHints::bit("url_doc")),
    ("guides", PageHints::bit("url_doc")),
    ("manual", PageHints::bit("url_doc")),
    ("wiki", PageHints::bit("url_doc")),
    ("learn", PageHints::bit("url_doc")),
    ("developer", PageHints::bit("url_doc")),
    ("help", PageHints::bit("url_doc")),
    ("kb", PageHints::bit("url_doc")),
    ("tutorial", PageHints::bit("url_doc")),
    ("tutorials", PageHints::bit("url_doc")),
    ("news", PageHints::bit("url_news")),
    ("blog", PageHints::bit("url_news")),
    ("blogs", PageHints::bit("url_news")),
    ("article", PageHints::bit("url_news")),
    ("articles", PageHints::bit("url_news")),
    ("story", PageHints::bit("url_news")),
    ("stories", PageHints::bit("url_news")),
    ("post", PageHints::bit("url_news")),
    ("posts", PageHints::bit("url_news")),
];

/// Page-type cues of an address's path (absolute, or a path from the site's root): section
/// words ([`PATH_HINTS`]), a date, the path's depth and the words of its last segment.
fn url_hints(url: &str, h: &mut PageHints) {
    let segments: Vec<String> = url_path(url)
        .split('/')
        .filter(|p| !p.is_empty())
        .take(64)
        .map(|p| p.to_ascii_lowercase())
        .collect();
    // A segment without its extension (`rugs.html` -> `rugs`).
    fn stem(seg: &str) -> &str {
        seg.rsplit_once('.').map_or(seg, |(a, _)| a)
    }
    for seg in &segments {
        let stem = stem(seg);
        for (word, bit) in PATH_HINTS {
            if seg == word || stem == word {
                h.bits |= bit;
            }
        }
    }
    if url_date(url).is_some() {
        h.bits |= const { PageHints::bit("url_dated") };
    }
    h.path_depth = segments.len().min(u8::MAX as usize) as u8;
    h.slug_words = segments.last().map_or(0, |last| {
        stem(last)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
            .min(u8::MAX as usize) as u8
    });
}

/// Labels of a host name that say nothing about the site: a leading `www` and the
/// second-level labels of country domains (`co.uk`, `com.au`).
const HOST_FILLERS: [&str; 9] = ["www", "co", "com", "org", "net", "ac", "gov", "edu", "ne"];

/// Names of a site from the address of one of its pages: the host's registered name
/// (`news.example.co.uk` gives `example`) and that name with its top-level domain
/// (`example.co.uk`, as titles write `Example.com`). Empty for an address without a host.
pub fn host_names(url: &str) -> Vec<String> {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return Vec::new();
    };
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("");
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 || labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return Vec::new();
    }
    // The registered name: the label before the public suffix (one label, or two when
    // the second-level one is a generic filler under a two-letter country code).
    let mut end = labels.len() - 1;
    if end >= 2 && labels[end].len() == 2 && HOST_FILLERS.contains(&labels[end - 1]) {
        end -= 1;
    }
    let name = labels[end - 1];
    if HOST_FILLERS.contains(&name) || name.len() < 2 {
        return Vec::new();
    }
    vec![name.to_string(), labels[end - 1..].join(".")]
}

/// Separators between the parts of a title (`Headline | Site`, `Site - Headline`).
const TITLE_SEPS: [&str; 9] = [
    " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " / ",
];

/// The parts of a title split at [`TITLE_SEPS`], as byte ranges of `t` (trimmed).
pub fn title_parts(t: &str) -> Vec<(usize, usize)> {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for sep in TITLE_SEPS {
        for (i, _) in t.match_indices(sep) {
            if !cuts.iter().any(|&(a, b)| i < b && a < i + sep.len()) {
                cuts.push((i, i + sep.len()));
            }
        }
    }
    cuts.sort_unstable();
    let mut parts = Vec::new();
    let mut start = 0;
    for (a, b) in cuts.into_iter().chain(std::iter::once((t.len(), t.len()))) {
        let seg = &t[start..a];
        let lead = seg.len() - seg.trim_start().len();
        let s = start + lead;
        let e = start + seg.trim_end().len();
        if e > s {
            parts.push((s, e));
        }
        start = b;
    }
    parts
}

/// Letters and digits only, lower-cased: the form in which titles are compared.
pub fn title_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a title part names the site: it equals one of the site names.
pub fn is_site_part(part: &str, sites: &[String]) -> bool {
    let k = title_key(part);
    !k.is_empty() && sites.iter().any(|s| title_key(s) == k)
}

/// Whether a title starts with the site's name (`Site | Tagline`, `Site - Headline`).
pub fn site_first(t: &str, sites: &[String]) -> bool {
    let parts = title_parts(t);
    parts.len() >= 2 && is_site_part(&t[parts[0].0..parts[0].1], sites)
}

/// The path of an address, without its query, fragment and leading slash: what follows the
/// host of an absolute (`https://host/a/b`) or protocol-relative (`//host/a/b`) address, else
/// the address itself (a path from the site's root, `/a/b`).
pub fn url_path(url: &str) -> &str {
    let u = url.split(['?', '#']).next().unwrap_or(url);
    match (u.split_once("://"), u.strip_prefix("//")) {
        (Some((_, rest)), _) | (None, Some(rest)) => rest.split_once('/').map_or("", |(_, p)| p),
        (None, None) => u.trim_start_matches('/'),
    }
}

/// `url` made absolute against `base` when it lacks a scheme (`/a/b`, `//host/a/b`) and
/// `base` has one; else `url` as it is.
fn absolute(url: String, base: Option<&str>) -> String {
    let Some((scheme, rest)) = base.and_then(|b| b.split_once("://")) else {
        return url;
    };
    if url.starts_with("//") {
        format!("{scheme}:{url}")
    } else if url.starts_with('/') {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        format!("{scheme}://{host}{url}")
    } else {
        url
    }
}

/// Whether an address names a host (absolute or protocol-relative), not only a path.
fn has_host(url: &str) -> bool {
    url.contains("://") || url.starts_with("//")
}

/// Whether an address is a site's home page: no path beyond `/`, an index file or a
/// language code (`/en/`, `/en-us`).
pub fn is_home(url: &str) -> bool {
    if !has_host(url) {
        return false;
    }
    let path = url_path(url).trim_end_matches('/').to_ascii_lowercase();
    let lang = |p: &str| {
        let b = p.as_bytes();
        (b.len() == 2 && p.bytes().all(|c| c.is_ascii_alphabetic()))
            || (b.len() == 5
                && b[2] == b'-'
                && p.bytes().filter(u8::is_ascii_alphabetic).count() == 4)
    };
    path.is_empty()
        || lang(&path)
        || ["index.html", "index.htm", "index.php", "home"].contains(&path.as_str())
}

/// The headline part of a head title: the first part that is not the site's name
/// (`Site | Headline` gives `Headline`); the whole title when it has one part or every
/// part is too short to be a headline.
pub fn head_title(t: &str, sites: &[String]) -> String {
    let t = t.trim();
    let parts = title_parts(t);
    if parts.len() <= 1 {
        return t.to_string();
    }
    parts
        .iter()
        .map(|&(a, b)| &t[a..b])
        .find(|p| !is_site_part(p, sites) && title_key(p).chars().count() >= 3)
        .map(str::to_string)
        .unwrap_or_else(|| t.to_string())
}

/// The elements the selector `body *` selects (every element with a `body` element among
/// its ancestors, the ancestors read as the selector reads them: up the parent elements, so
/// a template's content, under a fragment node, has none), in the order `Html::select`
/// gives them (the tree's insertion order), without running the selector on every node:
/// the elements reached from each outermost `body` through elements only, sorted by node id
/// (ids count up in insertion order).
fn body_elements(dom: &Html) -> Vec<ElementRef<'_>> {
    type NodeRef<'a> = ego_tree::NodeRef<'a, scraper::Node>;
    let mut ids = Vec::new();
    let mut todo: Vec<NodeRef<'_>> = Vec::new();
    for body in outermost_bodies(dom) {
        todo.extend(body.children());
        while let Some(c) = todo.pop() {
            if c.value().is_element() {
                ids.push(c.id());
                todo.extend(c.children());
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| dom.tree.get(id).and_then(ElementRef::wrap))
        .collect()
}

/// The `body` elements with no `body` among their ancestors (read up the parent elements, as
/// the selector `body *` reads them), in node order.
fn outermost_bodies(dom: &Html) -> impl Iterator<Item = ego_tree::NodeRef<'_, scraper::Node>> {
    type NodeRef<'a> = ego_tree::NodeRef<'a, scraper::Node>;
    let is_body = |n: NodeRef<'_>| {
        n.value()
            .as_element()
            .is_some_and(|e| e.name.local == html5ever::local_name!("body"))
    };
    dom.tree.nodes().filter(move |&n| {
        is_body(n)
            && !n
                .ancestors()
                .take_while(|a| a.value().is_element())
                .any(is_body)
    })
}

/// The elements of [`body_elements`], found once for every reader that goes through them,
/// and (when first asked) a summary of each one's text as [`short_text`] collapses it
/// ([`TextShape`]): most elements are longer than a reader's bound, or cannot start as the
/// reader needs, and those are passed over without gathering their text.
struct Body<'a> {
    dom: &'a Html,
    els: Vec<ElementRef<'a>>,
    /// Per element of `els`.
    shapes: std::cell::OnceCell<Vec<TextShape>>,
}

/// Longest bound [`Body::short_text`] takes.
const TEXT_LEN_CAP: usize = SHORT_TEXT_STACK;

/// What an element's collapsed text ([`join_words`]) is like, without the text.
#[derive(Clone, Copy, Default)]
struct TextShape {
    /// Its length in bytes, or [`TEXT_LEN_CAP`] + 1 for anything longer.
    len: u16,
    /// Its first byte (0 when empty).
    lead: u8,
    /// It starts with `by ` or `by:` (ASCII case ignored).
    by: bool,
}

impl<'a> Body<'a> {
    fn of(dom: &'a Html) -> Self {
        Body {
            dom,
            els: body_elements(dom),
            shapes: std::cell::OnceCell::new(),
        }
    }

    /// The shape of `self.els[i]`'s text; `None` when unknown (never for an element of
    /// `els`).
    fn shape(&self, i: usize) -> Option<TextShape> {
        let shapes = self.shapes.get_or_init(|| text_shapes(self.dom, &self.els));
        shapes.get(i).copied()
    }

    /// Whether `short_text(self.els[i], max)` is `Some` (`max` at most [`TEXT_LEN_CAP`]).
    fn fits(&self, i: usize, max: usize) -> bool {
        debug_assert!(max <= TEXT_LEN_CAP);
        self.shape(i).is_none_or(|s| usize::from(s.len) <= max)
    }

    /// `short_text(self.els[i], max)` (`max` at most [`TEXT_LEN_CAP`]).
    fn short_text(&self, i: usize, max: usize) -> Option<String> {
        if !self.fits(i, max) {
            return None;
        }
        short_text(self.els[i], max)
    }
}

/// How the collapsed text of a node's subtree starts, as far as [`TextShape::by`] needs.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum FirstWord {
    /// No word yet.
    #[default]
    None,
    /// The first word is `by` (then `by ` starts the text if another word follows).
    By,
    /// The first word starts with `by:`.
    ByColon,
    Other,
}

/// The words of a subtree's text so far: bytes and count (each saturating at the cap), the
/// first byte and how the first word starts.
#[derive(Clone, Copy, Default)]
struct Words {
    bytes: u32,
    count: u32,
    lead: u8,
    first: FirstWord,
}

impl Words {
    const CAP: u32 = TEXT_LEN_CAP as u32 + 1;

    /// `self` followed by `next` (text later in document order).
    fn add(&mut self, next: Words) {
        if self.first == FirstWord::None {
            self.lead = next.lead;
            self.first = next.first;
        }
        self.bytes = (self.bytes + next.bytes).min(Self::CAP);
        self.count = (self.count + next.count).min(Self::CAP);
    }

    fn shape(&self) -> TextShape {
        let len = match self.count {
            0 => 0,
            n => (self.bytes + n - 1).min(Self::CAP),
        };
        TextShape {
            len: len as u16,
            lead: self.lead,
            by: self.first == FirstWord::ByColon
                || (self.first == FirstWord::By && self.count >= 2),
        }
    }
}

/// For the elements of [`body_elements`] (sorted by node id): the shape of each one's text
/// as [`join_words`] joins it (every word of every text node below it, one space between
/// words). One walk over the subtree of each outermost `body`, each text node read only
/// until it alone passes the cap.
fn text_shapes(dom: &Html, els: &[ElementRef<'_>]) -> Vec<TextShape> {
    use ego_tree::iter::Edge;
    // The words under each open node so far.
    let mut open: Vec<Words> = Vec::new();
    let mut shapes: Vec<(ego_tree::NodeId, TextShape)> = Vec::with_capacity(els.len());
    for body in outermost_bodies(dom) {
        open.clear();
        for edge in body.traverse() {
            match edge {
                Edge::Open(n) => match n.value() {
                    scraper::Node::Text(t) => {
                        if let Some(top) = open.last_mut() {
                            top.add(words_up_to(t, Words::CAP));
                        }
                    }
                    _ => open.push(Words::default()),
                },
                Edge::Close(n) => {
                    if n.value().is_text() {
                        continue;
                    }
                    let got = open.pop().unwrap_or_default();
                    if n.value().is_element() {
                        shapes.push((n.id(), got.shape()));
                    }
                    if let Some(top) = open.last_mut() {
                        top.add(got);
                    }
                }
            }
        }
    }
    shapes.sort_unstable_by_key(|&(id, _)| id);
    // Every element of `els` is below an outermost body; unknown (gather the text) else.
    let unknown = TextShape {
        len: 0,
        lead: b'b',
        by: true,
    };
    els.iter()
        .map(|el| {
            shapes
                .binary_search_by_key(&el.id(), |&(id, _)| id)
                .map_or(unknown, |k| shapes[k].1)
        })
        .collect()
}

/// The words `t.split_whitespace()` gives, read bytewise (a character is decoded only
/// outside ASCII) and only until their bytes and count together pass `cap`.
fn words_up_to(t: &str, cap: u32) -> Words {
    let b = t.as_bytes();
    let mut w = Words::default();
    let mut in_word = false;
    let mut first_start = None;
    let mut i = 0;
    while i < b.len() {
        let (white, len) = if b[i] < 0x80 {
            (matches!(b[i], b'\t'..=b'\r' | b' '), 1)
        } else {
            match t[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            }
        };
        if white {
            if in_word && w.count == 1 {
                // The first word ends here.
                break_first(&mut w, &b[first_start.unwrap_or(0)..i]);
            }
        } else {
            if !in_word {
                w.count += 1;
                if w.count == 1 {
                    first_start = Some(i);
                    w.lead = b[i];
                }
            }
            w.bytes += len as u32;
            if w.bytes + w.count > cap {
                if w.first == FirstWord::None {
                    break_first(&mut w, &b[first_start.unwrap_or(0)..i + len]);
                }
                w.bytes = cap;
                w.count = cap;
                return w;
            }
        }
        in_word = !white;
        i += len;
    }
    if w.count >= 1 && w.first == FirstWord::None {
        break_first(&mut w, &b[first_start.unwrap_or(0)..i]);
    }
    w
}

/// Set `w.first` from the first word (`word`: its bytes, or the part read of it).
fn break_first(w: &mut Words, word: &[u8]) {
    if w.first != FirstWord::None {
        return;
    }
    w.first = if word.eq_ignore_ascii_case(b"by") {
        FirstWord::By
    } else if word.len() >= 3 && word[..3].eq_ignore_ascii_case(b"by:") {
        FirstWord::ByColon
    } else {
        FirstWord::Other
    };
}

/// Whether an element is marked as holding the author: `itemprop="author"`, `rel="author"`,
/// or a class token naming an author or byline (not a comment's, avatar's or bio's).
fn author_marked(el: ElementRef) -> bool {
    // One pass over the attributes (an element has each attribute once): `itemprop` and
    // `rel` as `Element::attr` reads them, the class tokens as `Element::classes` splits
    // them (its sorting and de-duplication do not change `any`).
    let mut classes = None;
    for (k, v) in el.value().attrs() {
        match k {
            "itemprop" | "rel" if v.eq_ignore_ascii_case("author") => return true,
            "class" => classes = Some(v),
            _ => {}
        }
    }
    classes
        .into_iter()
        .flat_map(str::split_ascii_whitespace)
        .any(|c| {
            // Most tokens name neither: skip the lower-cased copy for them.
            if !has_ascii_ci(c, "author") && !has_ascii_ci(c, "byline") {
                return false;
            }
            let c = c.to_ascii_lowercase();
            (c.contains("author") || c.contains("byline"))
                && ![
                    "comment",
                    "avatar",
                    "image",
                    "img",
                    "photo",
                    "bio",
                    "desc",
                    "testimonial",
                    "quote",
                    "review",
                ]
                .iter()
                .any(|k| c.contains(k))
        })
}

/// Whether `s.to_ascii_lowercase()` contains `needle` (lower-case ASCII), without the copy.
fn has_ascii_ci(s: &str, needle: &str) -> bool {
    s.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words that follow a name in a byline to give the person's role (`Jo Penn Senior
/// Reporter`); the name ends before them.
const ROLE_WORDS: [&str; 23] = [
    "writer",
    "reporter",
    "editor",
    "contributor",
    "contributing",
    "founder",
    "co-founder",
    "cofounder",
    "expert",
    "consultant",
    "former",
    "senior",
    "correspondent",
    "columnist",
    "journalist",
    "member",
    "moderator",
    "manager",
    "director",
    "specialist",
    "analyst",
    "offline",
    "online",
];

/// Texts of byline elements that name no one.
const NOT_NAMES: [&str; 14] = [
    "by",
    "author",
    "the author",
    "authors",
    "about the author",
    "written by",
    "posted by",
    "article by",
    "updated",
    "published",
    "sign in",
    "log in",
    "topic author",
    "deleted member",
];

/// Weekday abbreviations (a weekday's full name starts with one and ends in "day").
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A person's name from a byline text: without a leading "By"/"Written by"/"Author:" (or
/// "Recipe by", "Text by": any one word before "by") and cut before a date, separator or
/// role that follows it; `None` when the rest does not look like a short name.
pub fn clean_byline(t: &str) -> Option<String> {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = t.trim_matches(|c: char| "\"'“”‘’«»".contains(c)).trim();
    for p in [
        "read more about",
        "read the latest from",
        "more from",
        "written by:",
        "written by",
        "authored by",
        "author:",
        "authors:",
        "author",
        "by:",
        "by",
    ] {
        if s.len() > p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p)
        {
            let rest = &s[p.len()..];
            if p.ends_with(':') || rest.starts_with(' ') {
                s = rest.trim_start();
                break;
            }
        }
    }
    // "Recipe by Jo Penn", "Posted by Jo Penn", "Text by: Jo Penn".
    let mut ws = s.splitn(3, ' ');
    if let (Some(first), Some(by), Some(rest)) = (ws.next(), ws.next(), ws.next()) {
        let by = by.to_ascii_lowercase();
        if (by == "by" || by == "by:") && first.chars().all(char::is_alphabetic) {
            s = rest;
        }
    }
    let mut cut = s.len();
    for sep in [
        " | ",
        " • ",
        " · ",
        " - ",
        " – ",
        " — ",
        " » ",
        " , ",
        " on ",
        " On ",
        " Published",
        " Updated",
        " Last ",
    ] {
        if let Some(i) = s.find(sep) {
            cut = cut.min(i);
        }
    }
    // A number that starts a word starts a date; digits inside a user name stay.
    let mut prev_alnum = false;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() && !prev_alnum {
            cut = cut.min(i);
            break;
        }
        prev_alnum = c.is_alphanumeric();
    }
    // A month or weekday name starts the date, a role word the role, after the name.
    let mut pos = 0;
    for w in s.split(' ') {
        let bare = w.trim_end_matches(['.', ',']).to_lowercase();
        let is_month = MONTHS
            .iter()
            .any(|m| bare == *m || (bare.len() == 3 && m.starts_with(&bare)));
        if pos > 0 && (is_month || ROLE_WORDS.contains(&bare.as_str())) {
            cut = cut.min(pos);
            break;
        }
        pos += w.len() + 1;
    }
    let name = s[..cut.min(s.len())]
        .trim()
        .trim_end_matches([',', ';', ':', '-', '|', '*'])
        .trim();
    // A sentence about the person (`Jo Penn is a writer`) is a bio: the name ends before it.
    let name = [" is ", " was ", " has ", " writes "]
        .iter()
        .filter_map(|v| name.find(v))
        .min()
        .map_or(name, |i| name[..i].trim());
    // A name written twice (an avatar's label, then the link; a bio after the name) counts
    // once: it ends before its first word comes again.
    let ws: Vec<&str> = name.split_whitespace().collect();
    let name = match ws.iter().skip(1).position(|w| *w == ws[0]) {
        Some(j) if ws.len() > 2 => {
            let last = ws[j];
            let end = last.as_ptr() as usize - name.as_ptr() as usize + last.len();
            &name[..end]
        }
        _ => name,
    };
    let words = name.split_whitespace().count();
    let first_upper = name.chars().next().is_some_and(char::is_uppercase);
    let lower = name.trim_end_matches('.').to_lowercase();
    let generic = NOT_NAMES.contains(&lower.as_str())
        || MONTHS
            .iter()
            .any(|m| lower == *m || (lower.len() == 3 && m.starts_with(&lower)))
        || WEEKDAYS
            .iter()
            .any(|d| lower == *d || (lower.starts_with(d) && lower.ends_with("day")));
    (first_upper
        && !generic
        && !name.contains(':')
        && (1..=8).contains(&words)
        && name.chars().count() <= 80)
        .then(|| name.to_string())
}

/// Path parts of a link to an author's page (`/author/ana-lopez`, `/authors/ana-lopez`).
const AUTHOR_PATHS: [&str; 2] = ["/author/", "/authors/"];

/// Whether an element is a link to an author's page.
fn author_link(el: ElementRef) -> bool {
    el.value().name() == "a"
        && el.value().attr("href").is_some_and(|h| {
            let h = h.to_ascii_lowercase();
            AUTHOR_PATHS.iter().any(|p| h.contains(p))
        })
}

static NAME_PROP: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"[itemprop="name"]"#).expect("valid"));

/// Whether an element sits inside a comment (a class or id of it or of one of its
/// nearest ancestors names a comment): a commenter is not the author.
fn in_comment(el: ElementRef) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take(8)
        .any(|e| {
            e.value().classes().chain(e.value().id()).any(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("comment")
            })
        })
}

/// Labels that stand alone before the name of the author (`Written by` / `Jo Penn`).
const BYLINE_LABELS: [&str; 7] = [
    "by",
    "by:",
    "written by",
    "written by:",
    "author",
    "author:",
    "article by",
];

/// Bytes of the longest of [`BYLINE_LABELS`].
const BYLINE_LABEL_MAX: usize = 11;

/// The author named by the first byline element of the body (see [`author_marked`]): a
/// marked element, a link to an author page, or the element after a lone `Written by`.
fn byline_author(body: &Body) -> Option<String> {
    body.els
        .iter()
        .enumerate()
        .filter_map(|(i, &el)| {
            if (author_marked(el) || author_link(el)) && !in_comment(el) {
                // A structured name inside the marked element is the name itself, and may
                // be a user name written in lower case.
                let named = el
                    .value()
                    .attr("itemprop")
                    .filter(|p| p.eq_ignore_ascii_case("author"))
                    .and_then(|_| el.select(&NAME_PROP).next())
                    .map(inner_text);
                return Some(match named {
                    Some(n) => (n, true),
                    None => (inner_text(el), false),
                });
            }
            // No label is longer than `written by:`, and a text that lower-cases to one is
            // ASCII of the same length, so longer texts need not be collected; nor texts
            // that do not start as a label does (`by`, `written by`, `author`, `article by`).
            if !body
                .shape(i)
                .is_none_or(|s| matches!(s.lead.to_ascii_lowercase(), b'a' | b'b' | b'w'))
            {
                return None;
            }
            let label = body.short_text(i, BYLINE_LABEL_MAX)?;
            // A search form's `By:` field names no one.
            if BYLINE_LABELS.contains(&label.to_lowercase().as_str()) && !in_form(el) {
                return el
                    .next_siblings()
                    .filter_map(ElementRef::wrap)
                    .next()
                    .map(|e| (inner_text(e), false));
            }
            None
        })
        .take(40)
        .find_map(|(t, named)| {
            clean_byline(&t).or_else(|| named.then(|| user_handle(&t)).flatten())
        })
}

/// Whether an element sits inside a form.
fn in_form(el: ElementRef) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "form")
}

/// A user name as forums write it (`hayley.p`, `archuser38013`): one word of letters,
/// digits and `._-`, with a letter, that names no one generic.
pub fn user_handle(t: &str) -> Option<String> {
    let t = t.trim().trim_start_matches('@');
    let ok = (2..=40).contains(&t.chars().count())
        && t.chars().any(char::is_alphabetic)
        && t.chars().all(|c| c.is_alphanumeric() || "._-".contains(c))
        && !NOT_NAMES.contains(&t.to_lowercase().as_str())
        && !NOT_HANDLES.contains(&t.to_lowercase().as_str());
    ok.then(|| t.to_string())
}

/// Texts of links to user pages that name no user.
const NOT_HANDLES: [&str; 14] = [
    "members",
    "member",
    "users",
    "user",
    "profile",
    "profiles",
    "account",
    "register",
    "login",
    "signup",
    "guest",
    "anonymous",
    "admin",
    "moderator",
];

/// Path parts of links to a forum user's page (`/u/name`, `/members/name.123/`).
const PROFILE_PATHS: [&str; 9] = [
    "/u/",
    "/user/",
    "/users/",
    "/members/",
    "/member/",
    "/profile/",
    "/profiles/",
    "member.php",
    "/~",
];

/// The user named by the first link to a user's page on this site (relative, or on the
/// host of `page_url`) whose address spells the name it shows, outside navigation,
/// headers, footers and forms: the first post's author of a thread.
fn profile_author(dom: &Html, page_url: Option<&str>) -> Option<String> {
    let site = page_url.and_then(|u| host_names(u).into_iter().next());
    select_tag(dom, &LINKS, "a")
        .filter(|a| {
            a.value().attr("href").is_some_and(|h| {
                let h = h.to_ascii_lowercase();
                PROFILE_PATHS.iter().any(|p| h.contains(p))
            }) && !a
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|p| matches!(p.value().name(), "nav" | "header" | "footer" | "form"))
                && !in_comment(*a)
                && !a.ancestors().filter_map(ElementRef::wrap).take(8).any(|p| {
                    p.value()
                        .classes()
                        .chain(p.value().id())
                        .any(|c| c.to_ascii_lowercase().contains("review"))
                })
        })
        .take(10)
        .find_map(|a| {
            let href = a.value().attr("href")?;
            let same_site = !href.contains("://")
                || site
                    .as_deref()
                    .is_some_and(|s| host_names(href).first().is_some_and(|h| h == s));
            let t = short_text(a, 60)?;
            let name = user_handle(&t).or_else(|| clean_byline(&t))?;
            let k = title_key(&name);
            (same_site && !k.is_empty() && title_key(href).contains(&k)).then_some(name)
        })
}

/// The author of a short unmarked line that reads `By Jo Penn` (the first such line
/// naming someone; `By clicking …` names no one).
fn by_line(body: &Body) -> Option<String> {
    body.els.iter().take(5000).enumerate().find_map(|(i, &el)| {
        // The text's shape first (at most 60 bytes, starting `by ` or `by:`): it passes
        // over most elements without walking their ancestors.
        if !body.fits(i, 60)
            || !body.shape(i).is_none_or(|s| s.by)
            || el.value().name() == "form"
            || in_form(el)
        {
            return None;
        }
        let t = body.short_text(i, 60)?;
        let by = t.get(..3)?;
        (by.eq_ignore_ascii_case("by ") || by.eq_ignore_ascii_case("by:"))
            .then(|| clean_byline(&t))
            .flatten()
    })
}

/// Whether an element is marked as holding a date: a `<time>`, or a class or itemprop
/// token naming a date, publication or posting.
fn date_marked(el: ElementRef) -> bool {
    let v = el.value();
    if v.name() == "time" {
        return true;
    }
    // `has_ascii_ci` is `contains` on the ASCII-lower-cased token, without the copy.
    let hit = |c: &str| {
        ["date", "publish", "posted", "byline", "timestamp"]
            .iter()
            .any(|k| has_ascii_ci(c, k))
            && !has_ascii_ci(c, "update")
    };
    v.classes().any(hit) || v.attr("itemprop").is_some_and(hit)
}

/// The first date written out in a date-marked element of the body, as `YYYY-MM-DD`.
fn visible_date(body: &Body) -> Option<String> {
    body.els
        .iter()
        .copied()
        .filter(|el| date_marked(*el))
        .take(60)
        .find_map(|el| {
            let t = inner_text(el);
            (t.len() <= 200).then(|| parse_visible_date(&t)).flatten()
        })
}

/// The date in a page address (`/2024/03/07/slug`, `/blog/2024-03-07-slug`), as
/// `YYYY-MM-DD`.
pub fn url_date(url: &str) -> Option<String> {
    let parts: Vec<&str> = url_path(url).split('/').collect();
    let year = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
    let two = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    for w in parts.windows(3) {
        if year(w[0]) && two(w[1]) && two(w[2]) {
            let iso = format!("{}-{:0>2}-{:0>2}", w[0], w[1], w[2]);
            if let Some(d) = normalize_date(&iso).filter(|d| plausible(d)) {
                return Some(d);
            }
        }
    }
    // `2024-03-07-slug` or `slug-2024-03-07` inside one part.
    parts.iter().find_map(|p| {
        let b = p.as_bytes();
        (0..b.len().saturating_sub(9)).find_map(|i| {
            let cand = p.get(i..i + 10)?;
            let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
            let after_ok = b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
            (before_ok && after_ok)
                .then(|| normalize_date(cand))
                .flatten()
                .filter(|d| plausible(d))
        })
    })
}

/// A `YYYY-MM-DD` with a month and day that exist, in a plausible range of years.
fn plausible(d: &str) -> bool {
    let n = |r: std::ops::Range<usize>| d.get(r).and_then(|x| x.parse::<u32>().ok());
    matches!(
        (n(0..4), n(5..7), n(8..10)),
        (Some(1990..=2100), Some(1..=12), Some(1..=31))
    )
}

/// The first date standing alone in a short element after the page's first `<h1>` (the
/// dateline under a headline: `<p>March 4, 2023</p>`), within the next elements.
fn date_after_heading(dom: &Html, body: &Body) -> Option<String> {
    let h1 = select_tag(dom, &H1, "h1").next()?;
    let mut seen = 0;
    let mut after = false;
    for (i, &el) in body.els.iter().enumerate() {
        if !after {
            after = el.id() == h1.id();
            continue;
        }
        seen += 1;
        if seen > 120 {
            break;
        }
        let Some(t) = body.short_text(i, 40) else {
            continue;
        };
        if let Some(d) = parse_visible_date(&t) {
            return Some(d);
        }
    }
    None
}

/// Month names of other languages as pages write them (German, French, Spanish, Italian,
/// Dutch, Portuguese; those spelled as in English are left out).
const MONTHS_INTL: [(&str, u32); 57] = [
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("dezembro", 12),
];

/// Small words written between the parts of a date (`4 de marzo de 2023`, `4th of July`).
const DATE_FILLERS: [&str; 5] = ["de", "del", "di", "of", "der"];

/// A date written for readers (`March 4, 2023`, `4 Mar 2023`, `4. März 2023`,
/// `4 de marzo de 2023`, `03/04/2023`, `2023-03-04`)
/// as `YYYY-MM-DD`; numeric day/month order is read month first.
pub fn parse_visible_date(t: &str) -> Option<String> {
    let words: Vec<String> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '|' || c == '(' || c == ')'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !DATE_FILLERS.contains(&w.as_str()))
        .collect();
    let month_of = |w: &str| {
        MONTHS
            .iter()
            .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w.len() <= 4))
            .map(|i| i as u32 + 1)
            .or_else(|| MONTHS_INTL.iter().find(|(m, _)| *m == w).map(|&(_, i)| i))
    };
    let num = |w: &str| -> Option<u32> {
        let d = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (!d.is_empty() && d.len() <= 4 && d.bytes().all(|b| b.is_ascii_digit()))
            .then(|| d.parse().ok())
            .flatten()
    };
    let year = |w: &str| num(w).filter(|y| (1990..=2100).contains(y) && w.len() == 4);
    let fmt = |y: u32, m: u32, d: u32| {
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    for (i, w) in words.iter().enumerate() {
        if let Some(iso) = normalize_date(w) {
            return Some(iso[..10].to_string());
        }
        let parts: Vec<&str> = w.split(['/', '.', '-']).collect();
        if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            if let (Some(a), Some(b), Some(y)) = (num(parts[0]), num(parts[1]), year(parts[2])) {
                if let Some(d) = fmt(y, a, b).or_else(|| fmt(y, b, a)) {
                    return Some(d);
                }
            }
        }
        if let Some(m) = month_of(w) {
            // Month D YYYY
            if let (Some(d), Some(y)) = (
                words.get(i + 1).and_then(|x| num(x)),
                words.get(i + 2).and_then(|x| year(x)),
            ) {
                if let Some(out) = fmt(y, m, d) {
                    return Some(out);
                }
            }
            // D Month YYYY
            if let (Some(d), Some(y)) = (
                i.checked_sub(1)
                    .and_then(|j| words.get(j))
                    .and_then(|x| num(x)),
                words.get(i + 1).and_then(|x| year(x)),
            ) {
                if let Some(out) = fmt(y, m, d) {
                    return Some(out);
                }
            }
        }
    }
    None
}

/// Bytes [`short_text`] collects on the stack (every caller's bound is below).
const SHORT_TEXT_STACK: usize = 64;

/// The whitespace-collapsed text of an element when it is at most `max` bytes long (read
/// no further than that). Most elements are longer, so for bounds up to
/// [`SHORT_TEXT_STACK`] the text is gathered on the stack and only a short one is copied
/// into a `String`.
fn short_text(el: ElementRef, max: usize) -> Option<String> {
    if max > SHORT_TEXT_STACK {
        let mut out = Vec::new();
        join_words(el, max, |_, bytes| out.extend_from_slice(bytes))?;
        // Whole words joined by ASCII spaces: always UTF-8.
        return String::from_utf8(out).ok();
    }
    let mut buf = [0u8; SHORT_TEXT_STACK];
    let len = join_words(el, max, |at, bytes| {
        buf[at..at + bytes.len()].copy_from_slice(bytes)
    })?;
    std::str::from_utf8(&buf[..len]).ok().map(str::to_owned)
}

/// The words of `el`'s text joined by single spaces, handed to `put` as byte runs with
/// their offsets, in order; the joined length, or `None` as soon as it would pass `max`
/// (nothing past `max` is handed over).
fn join_words(el: ElementRef, max: usize, mut put: impl FnMut(usize, &[u8])) -> Option<usize> {
    let mut len = 0;
    for t in el.text() {
        for w in t.split_whitespace() {
            // `w` is never empty, so a space goes before every word but the first.
            let sep = usize::from(len > 0);
            let end = len + sep + w.len();
            if end > max {
                return None;
            }
            if sep == 1 {
                put(len, b" ");
            }
            put(len + sep, w.as_bytes());
            len = end;
        }
    }
    Some(len)
}

fn inner_text(el: ElementRef) -> String {
    el.text().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct LdFields {
    headline: Option<String>,
    author: Option<String>,
    /// The author is typed as an organisation, not a person.
    author_is_org: bool,
    /// Who asked the question of a Q&A or forum thread.
    asker: Option<String>,
    date: Option<String>,
    publisher: Option<String>,
    /// Names of the site: publisher, WebSite and Organization objects.
    sites: Vec<String>,
    /// Page-type cues of the schema.org types declared.
    hints: PageHints,
}

/// The first Article-like object of the page's JSON-LD (also inside `@graph` and arrays).
fn json_ld(dom: &Html) -> LdFields {
    let mut out = LdFields::default();
    let docs: Vec<serde_json::Value> = select_tag(dom, &LDJSON, "script")
        .take(20)
        .filter_map(|script| {
            let raw: String = script.text().collect();
            serde_json::from_str::<serde_json::Value>(raw.trim()).ok()
        })
        .collect();
    // Names of the objects other objects refer to by `@id` (an author given as a reference).
    let mut ids: Vec<(String, String, bool)> = Vec::new();
    for v in &docs {
        let mut queue = vec![v];
        let mut seen = 0;
        while let Some(v) = queue.pop() {
            seen += 1;
            if seen > 200 {
                break;
            }
            match v {
                serde_json::Value::Array(a) => queue.extend(a.iter()),
                serde_json::Value::Object(o) => {
                    if let (Some(id), Some(name)) = (
                        o.get("@id").and_then(|i| i.as_str()),
                        o.get("name").and_then(|n| n.as_str()),
                    ) {
                        ids.push((id.to_string(), name.to_string(), is_org(v, &[])));
                    }
                    if let Some(g) = o.get("@graph") {
                        queue.push(g);
                    }
                }
                _ => {}
            }
        }
    }
    let person_name = |v: &serde_json::Value| person_name(v, &ids);
    for v in &docs {
        let mut queue = vec![v];
        let mut seen = 0;
        while let Some(v) = queue.pop() {
            seen += 1;
            if seen > 200 {
                break;
            }
            match v {
                serde_json::Value::Array(a) => queue.extend(a.iter().rev()),
                serde_json::Value::Object(o) => {
                    for k in ["@graph", "mainEntity"] {
                        if let Some(g) = o.get(k) {
                            queue.push(g);
                        }
                    }
                    let ty = o.get("@type").map(|t| t.to_string()).unwrap_or_default();
                    schema_hints(&ty, &mut out.hints);
                    let siteish = ["WebSite", "Organization", "Corporation", "LocalBusiness"]
                        .iter()
                        .any(|k| ty.contains(k));
                    if siteish {
                        if let Some(n) = o.get("name").and_then(|n| n.as_str()) {
                            if out.sites.len() < 8 && !out.sites.iter().any(|s| s == n) {
                                out.sites.push(n.to_string());
                            }
                        }
                    }
                    if let Some(p) = o.get("publisher").and_then(person_name) {
                        if out.sites.len() < 8 && !out.sites.contains(&p) {
                            out.sites.push(p);
                        }
                    }
                    let articleish = ["Article", "Posting", "Report", "WebPage"]
                        .iter()
                        .any(|k| ty.contains(k));
                    // A question (a Q&A thread's, or an FAQ's) names its asker, nothing more.
                    if ty.contains("Question") {
                        if out.asker.is_none() {
                            out.asker = o.get("author").and_then(person_name);
                        }
                        continue;
                    }
                    if !articleish {
                        continue;
                    }
                    if out.headline.is_none() {
                        out.headline = o
                            .get("headline")
                            .or_else(|| o.get("name"))
                            .and_then(|h| h.as_str())
                            .map(str::to_string)
                            .filter(|_| !ty.contains("WebPage"));
                    }
                    if out.author.is_none() {
                        out.author = o.get("author").and_then(person_name);
                        out.author_is_org = o.get("author").is_some_and(|a| is_org(a, &ids));
                    }
                    if out.date.is_none() {
                        out.date = o
                            .get("datePublished")
                            .or_else(|| o.get("dateCreated"))
                            .and_then(|d| d.as_str())
                            .map(str::to_string);
                    }
                    if out.publisher.is_none() {
                        out.publisher = o.get("publisher").and_then(person_name);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether a JSON-LD author is typed as an organisation (the first one, for a list; a
/// reference by `@id` as the object it refers to, through `ids`).
fn is_org(v: &serde_json::Value, ids: &[(String, String, bool)]) -> bool {
    match v {
        serde_json::Value::Object(o) => match o.get("@type") {
            Some(t) => {
                let t = t.to_string();
                ["Organization", "Corporation", "LocalBusiness", "NewsMedia"]
                    .iter()
                    .any(|k| t.contains(k))
            }
            None => o
                .get("@id")
                .and_then(|i| i.as_str())
                .is_some_and(|id| ids.iter().any(|(i, _, org)| i == id && *org)),
        },
        serde_json::Value::Array(a) => a.first().is_some_and(|x| is_org(x, ids)),
        _ => false,
    }
}

/// The name of a person or organisation given as a string, an object, a reference to an
/// object elsewhere (`{"@id": ...}`, resolved through `ids`) or a list of these.
fn person_name(v: &serde_json::Value, ids: &[(String, String, bool)]) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(o) => o
            .get("name")
            .and_then(|n| n.as_str())
            .map(str::to_string)
            .or_else(|| {
                let id = o.get("@id")?.as_str()?;
                ids.iter()
                    .find(|(i, _, _)| i == id)
                    .map(|(_, n, _)| n.clone())
            }),
        serde_json::Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(|x| person_name(x, ids)).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// Keep ISO-looking dates (`2025-11-17`, `2025-11-17T08:00:00Z`) as they are; reduce other
/// forms with a recognisable `YYYY-MM-DD` inside to that.
pub fn normalize_date(d: &str) -> Option<String> {
    let d = d.trim();
    let b = d.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
    {
        return Some(d.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_hints_come_from_schema_types_og_type_and_the_path() {
        let html = r#"<html><head>
            <link rel="canonical" href="https://shop.example.org/collections/Rugs.html?page=2">
            <meta property="og:type" content="product.group">
            <script type="application/ld+json">{"@graph":[{"@type":["CollectionPage"]},
              {"@type":"BreadcrumbList"}]}</script></head><body><p>x</p></body></html>"#;
        let h = extract(&Html::parse_document(html), None).hints;
        for on in ["ld_list", "ld_breadcrumb", "og_product", "url_list"] {
            assert!(h.has(on), "{on} should be set: {h:?}");
        }
        for off in [
            "ld_article",
            "ld_product",
            "url_news",
            "url_dated",
            "og_website",
        ] {
            assert!(!h.has(off), "{off} should not be set: {h:?}");
        }
        assert_eq!((h.path_depth, h.slug_words), (2, 1));

        let mut h = PageHints::default();
        url_hints(
            "https://news.example.com/2025/11/17/city-council-votes-on-budget",
            &mut h,
        );
        assert!(h.has("url_dated") && !h.has("url_news"), "{h:?}");
        assert_eq!((h.path_depth, h.slug_words), (4, 5));
        let mut h = PageHints::default();
        url_hints("/t/which-keyboard/19891", &mut h);
        assert!(h.has("url_thread"), "{h:?}");
        assert_eq!((h.path_depth, h.slug_words), (3, 1));
        // A word inside a segment is not the segment: `/products-we-love/` is no product.
        let mut h = PageHints::default();
        url_hints("https://example.com/products-we-love/", &mut h);
        assert_eq!(h.bits, 0);
        // A protocol-relative address's host is not a segment of its path.
        let mut h = PageHints::default();
        url_hints("//shop.example.com/products/kettle-blue", &mut h);
        assert!(h.has("url_product"), "{h:?}");
        assert_eq!((h.path_depth, h.slug_words), (2, 2));
        let mut h = PageHints::default();
        schema_hints(r#"["NewsArticle","TechArticle"]"#, &mut h);
        assert!(h.has("ld_article") && h.has("ld_tech") && !h.has("ld_list"));
    }

    #[test]
    fn addresses_split_into_host_and_path_one_way() {
        for (url, path) in [
            ("https://a.example/x/y?q=1#f", "x/y"),
            ("//a.example/x/y", "x/y"),
            ("/x/y", "x/y"),
            ("https://a.example", ""),
            ("https://a.example/?next=http://b.example/z", ""),
        ] {
            assert_eq!(url_path(url), path, "{url}");
        }
        assert!(is_home("https://a.example/en/") && is_home("//a.example/"));
        assert!(!is_home("/") && !is_home("https://a.example/news"));
        assert_eq!(
            url_date("//a.example/2024/3/7/x").as_deref(),
            Some("2024-03-07")
        );
        assert_eq!(url_date("2024/03/07/x").as_deref(), Some("2024-03-07"));
        let base = Some("https://a.example/p?q");
        assert_eq!(absolute("/z".into(), base), "https://a.example/z");
        assert_eq!(
            absolute("//b.example/z".into(), base),
            "https://b.example/z"
        );
        assert_eq!(absolute("/z".into(), None), "/z");
        assert_eq!(
            absolute("https://c.example/".into(), base),
            "https://c.example/"
        );
    }

    #[test]
    fn short_text_is_the_collapsed_text_within_its_bound() {
        let html =
            "<body><div id=a>  By <b>Jo</b>\n Penn  </div><p>Écrit par <i>Zoë\u{a0}Ümit</i>, \
            le 3 mars</p><ul><li>one</li><li> two three four five six seven eight nine ten \
            eleven twelve thirteen fourteen</li></ul><span></span><em> \t </em>\
            <p>abcdefghij klmnopqrst uvwxyzabcd efghijklmn opqrstuvwx yzabcdefg hi</p></body>";
        let dom = Html::parse_document(html);
        let mut seen = 0;
        for el in body_elements(&dom) {
            let words: Vec<&str> = el.text().flat_map(str::split_whitespace).collect();
            let full = words.join(" ");
            // Both sides of the stack bound, and the bound itself.
            for max in [0, 1, 2, 5, 11, 20, 40, 60, 63, 64, 65, 80, 200] {
                let want = (full.len() <= max).then(|| full.clone());
                assert_eq!(short_text(el, max), want, "{} max {max}", el.html());
                seen += usize::from(want.is_some_and(|t| !t.is_empty()));
            }
        }
        assert!(seen > 20);
        assert_eq!(
            short_text(body_elements(&dom)[0], 100).as_deref(),
            Some("By Jo Penn")
        );
        assert_eq!(
            short_text(body_elements(&dom)[0], 10).as_deref(),
            Some("By Jo Penn")
        );
        assert_eq!(short_text(body_elements(&dom)[0], 9), None);
    }

    #[test]
    fn text_shapes_are_those_of_the_collapsed_texts() {
        let pages = [
            "<body><div id=a>  By <b>Jo</b>\n Penn  </div><p>Écrit par <i>Zoë\u{a0}Ümit</i>, \
            le 3 mars</p><ul><li>one</li><li> two three four five six seven eight nine ten \
            eleven twelve thirteen fourteen</li></ul><span></span><em> \t </em>\
            <p>abcdefghij klmnopqrst uvwxyzabcd efghijklmn opqrstuvwx yzabcdefg hi</p></body>",
            "<body><p>by</p><p>BY:</p><p>By:Jo</p><p>bY\u{2003}Jo</p><p><b>by</b><i>Jo</i></p>\
            <p>by\u{b}x</p><p>byte</p><p> <span> </span>by <a>x</a></p><p>by\u{a0}</p>\
            <template><p>by Jo</p></template><div><script>by x</script></div>\
            <p>Written by</p><p>written by:</p><p>Author</p><p>\u{212a}by</p>\
            <div><p>abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq</p>\
            <p>by</p></div><p>by abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh</p>\
            </body>",
        ];
        let mut seen = 0;
        for html in pages {
            let dom = Html::parse_document(html);
            let els = body_elements(&dom);
            let shapes = text_shapes(&dom, &els);
            assert_eq!(shapes.len(), els.len());
            for (el, s) in els.iter().zip(&shapes) {
                let words: Vec<&str> = el.text().flat_map(str::split_whitespace).collect();
                let full = words.join(" ");
                if full.len() > TEXT_LEN_CAP {
                    assert_eq!(usize::from(s.len), TEXT_LEN_CAP + 1, "{}", el.html());
                    continue;
                }
                seen += 1;
                assert_eq!(usize::from(s.len), full.len(), "{}", el.html());
                assert_eq!(s.lead, full.bytes().next().unwrap_or(0), "{}", el.html());
                let by = full.get(..3).is_some_and(|b| {
                    b.eq_ignore_ascii_case("by ") || b.eq_ignore_ascii_case("by:")
                });
                assert_eq!(s.by, by, "{}", el.html());
            }
        }
        assert!(seen > 25);
    }

    #[test]
    fn select_tag_selects_what_the_selector_selects() {
        let sels: [(&Selector, &str); 9] = [
            (&META, "meta"),
            (&TITLE, "title"),
            (&HEAD_TITLE, "title"),
            (&LDJSON, "script"),
            (&CANONICAL, "link"),
            (&HTML, "html"),
            (&TIME, "time"),
            (&H1, "h1"),
            (&LINKS, "a"),
        ];
        for html in [
            r#"<html lang=de><head><TITLE>t</TITLE><meta name=a content=b><META property="og:title" content="x"><link rel=canonical href="/a"><link REL="Canonical" href="/b"><script type="application/ld+json">{}</script><script type="APPLICATION/LD+JSON">[]</script></head><body><h1>A</h1><time datetime="2024-01-02">x</time><time>y</time><a href="/u">u</a><a>v</a></body></html>"#,
            // a title in SVG, a second html and body tag, tags the parser moves or drops
            "<body><svg><title>s</title><a href=x>l</a></svg><html lang=fr><table><tr><td>c</td><h1>moved</h1><meta name=m content=n></tr></table><title>late</title>",
            "<head><title>one</title></head><frameset><frame><title>two</title></frameset><h1>after</h1>",
            "<template><meta name=t content=u><h1>in a template</h1><a href=z>z</a></template><time datetime=1>t</time>",
            "<p><b>1<i>2</b>3</i><a href=a><div><a href=b>nested</a></div></a></p>",
            "",
        ] {
            let dom = Html::parse_document(html);
            for (sel, tag) in sels {
                let want: Vec<_> = dom.select(sel).map(|e| e.id()).collect();
                let got: Vec<_> = select_tag(&dom, sel, tag).map(|e| e.id()).collect();
                assert_eq!(got, want, "{tag} in {html}");
            }
        }
    }

    #[test]
    fn body_elements_are_what_the_body_selector_selects() {
        let any = Selector::parse("body *").unwrap();
        for html in [
            "<html><head><title>t</title><meta name=a></head><body><div><p>a<b>b</b></p></div><i>x</i></body></html>",
            // misnested formatting and table content moved by the parser (foster parenting)
            "<p><b>1<i>2</b>3</i><table><tr><td>c</td>text<div>moved</div></tr></table></p>",
            "<body><svg><body><g/></body></svg><math><mi>x</mi></math><template><p>t</p></template>",
            "<frameset><frame></frameset>",
            "<body><template><body><p>in a template</p></body><div><b>t</b></div></template><p>after</p>",
            "<body><p>x</p></body><frameset><frame></frameset><body><i>y</i>",
            "",
        ] {
            let dom = Html::parse_document(html);
            let want: Vec<_> = dom.select(&any).map(|e| e.id()).collect();
            let got: Vec<_> = body_elements(&dom).iter().map(|e| e.id()).collect();
            assert_eq!(got, want, "{html}");
        }
    }

    #[test]
    fn byline_labels_fit_the_short_text_bound() {
        // `byline_author` collects at most `BYLINE_LABEL_MAX` bytes: every label fits, and
        // none has a `k` (the one letter a non-ASCII char, the Kelvin sign, lower-cases to).
        assert_eq!(
            BYLINE_LABELS.iter().map(|l| l.len()).max(),
            Some(BYLINE_LABEL_MAX)
        );
        assert!(BYLINE_LABELS
            .iter()
            .all(|l| l.is_ascii() && !l.contains('k')));
        for (c, want) in [
            ("PostAuthor", true),
            ("by-Line", false),
            ("Byline", true),
            ("auth", false),
            ("", false),
        ] {
            assert_eq!(
                has_ascii_ci(c, "author") || has_ascii_ci(c, "byline"),
                want,
                "{c}"
            );
        }
    }

    #[test]
    fn reads_jsonld_then_meta() {
        let dom = Html::parse_document(
            r#"<html lang="fr-FR"><head><title>Site | Page</title>
            <meta property="og:site_name" content="Le Site">
            <meta name="author" content="Meta Author">
            <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"Le titre",
              "author":[{"@type":"Person","name":"Ana Lopez"}],"datePublished":"2025-11-17T08:00:00+01:00"}]}</script>
            </head><body></body></html>"#,
        );
        let m = extract(&dom, None);
        assert_eq!(m.title.as_deref(), Some("Le titre"));
        assert_eq!(m.author.as_deref(), Some("Ana Lopez"));
        assert_eq!(m.date.as_deref(), Some("2025-11-17T08:00:00+01:00"));
        assert_eq!(m.site.as_deref(), Some("Le Site"));
        assert_eq!(m.lang.as_deref(), Some("fr-FR"));
    }

    #[test]
    fn byline_cleaning() {
        assert_eq!(clean_byline("By Mara Quill").as_deref(), Some("Mara Quill"));
        assert_eq!(
            clean_byline("Written by: Tom Ferro | 3 May 2024").as_deref(),
            Some("Tom Ferro")
        );
        assert_eq!(
            clean_byline("Author Jo Penn March 4, 2023").as_deref(),
            Some("Jo Penn")
        );
        assert_eq!(clean_byline("By"), None);
        assert_eq!(clean_byline("about the author"), None);
    }

    #[test]
    fn author_from_byline_element_when_no_meta() {
        let dom = Html::parse_document(
            r#"<html><head><title>A post</title></head><body>
            <div class="comment-author">Someone Else</div>
            <p class="post-byline">By <a rel="nofollow">Lena Varga</a> &middot; 12 June 2024</p>
            </body></html>"#,
        );
        assert_eq!(extract(&dom, None).author.as_deref(), Some("Lena Varga"));
    }

    #[test]
    fn visible_dates_read_as_iso() {
        assert_eq!(
            parse_visible_date("Posted on March 4, 2023").as_deref(),
            Some("2023-03-04")
        );
        assert_eq!(
            parse_visible_date("4 Sept. 2021 | News").as_deref(),
            Some("2021-09-04")
        );
        assert_eq!(
            parse_visible_date("11/30/2022").as_deref(),
            Some("2022-11-30")
        );
        assert_eq!(
            parse_visible_date("30.11.2022").as_deref(),
            Some("2022-11-30")
        );
        assert_eq!(parse_visible_date("May we help you?"), None);
        let dom = Html::parse_document(
            r#"<html><body><h1>Post</h1><span class="entry-date">Jan 7, 2020</span></body></html>"#,
        );
        assert_eq!(extract(&dom, None).date.as_deref(), Some("2020-01-07"));
    }
}
