//! The pipeline's noise categories, compiled once: whole-block patterns, section openers,
//! inline cuts and HTML class tokens. Which category matched and which pattern is the reason.
//! Not for deciding what a block is (that is `dom`/`context`): only pattern lookups live here.
//!
//! Speed: block and section patterns of all categories sit in one `RegexSet` each, so a block
//! that matches nothing costs one scan. A looser twin of each set, with word-boundary
//! assertions replaced by empty groups, screens blocks first: it matches whenever the exact
//! set does and never needs the slow Unicode word-boundary fallback on non-ASCII text.
//! When it matches, its matching patterns are the only candidates, each checked alone.

use crate::block::{Cut, Doc, Drop, Verdict};
use crate::config::{ConfigError, PipelineConfig};
use regex::{Regex, RegexSet};
use std::collections::HashSet;

/// One compiled category.
pub struct Category {
    pub name: String,
    block_src: Vec<String>,
    section_src: Vec<String>,
    /// Inline patterns, each with the literals every match of it contains
    /// ([`required_literals`]): a text without one of them is not searched.
    inline: Vec<(Regex, Vec<Vec<u8>>)>,
}

/// The patterns of one kind (block or section) of every category, in config order.
struct Combined {
    /// All patterns of the set, exactly as written: compiled at start-up when there is no
    /// `loose` twin, else only the first time it is asked (see [`Combined::exact`]).
    set: std::sync::OnceLock<Option<RegexSet>>,
    /// The patterns of `set`, for compiling it when first needed.
    pats: Vec<String>,
    /// `set` with word boundaries loosened (see [`loosen_word_boundaries`]): matches every
    /// text `set` matches. `None` when no pattern has a word boundary.
    loose: Option<Screen>,
    /// Set index -> (category index, pattern index inside the category).
    owner: Vec<(usize, usize)>,
    /// Set index -> the pattern alone, when loosening changed it: compiled the first time
    /// `loose` reports the pattern as a candidate (`None` inside if it does not compile).
    alone: Vec<Option<Alone>>,
}

/// One pattern of a [`Combined`] set, compiled on its own when first needed.
struct Alone {
    pattern: String,
    regex: std::sync::OnceLock<Option<Regex>>,
}

impl Alone {
    /// Whether the pattern matches `text`; `None` when it does not compile on its own.
    fn is_match(&self, text: &str) -> Option<bool> {
        self.regex
            .get_or_init(|| Regex::new(&self.pattern).ok())
            .as_ref()
            .map(|r| r.is_match(text))
    }
}

/// The patterns of one kind split in two [`Combined`] sets: those anchored at the start of
/// the text (whose automaton dies after a few bytes of most texts) and the rest (a small set
/// scanned over the whole text, with a far smaller automaton to build than all patterns
/// together). Which set a pattern is in changes only the speed: [`Split::first`] takes the
/// lowest (category, pattern) over both, the answer of one set of all patterns.
struct Split(Vec<Combined>);

impl Split {
    fn compile<'a>(
        cats: impl Iterator<Item = (&'a str, &'a [String])> + Clone + Send,
    ) -> Result<Self, ConfigError> {
        let others = cats.clone();
        let (anchored, rest) = both(
            || Combined::compile(cats, true),
            move || Combined::compile(others, false),
        );
        Ok(Split([anchored?, rest?].into_iter().flatten().collect()))
    }

    /// (category, pattern) of the lowest-numbered matching pattern, as [`Combined::first`].
    fn first(&self, text: &str) -> Option<(usize, usize)> {
        self.0.iter().filter_map(|c| c.first(text)).min()
    }
}

/// Whether every match of `pattern` starts at the start of the text (`^` without the `m`
/// flag leads every branch).
fn anchored_at_start(pattern: &str) -> bool {
    regex_syntax::parse(pattern).is_ok_and(|h| {
        h.properties()
            .look_set_prefix()
            .contains(regex_syntax::hir::Look::Start)
    })
}

impl Combined {
    /// The patterns of `cats` that are [`anchored_at_start`] (or only the others, when
    /// `anchored` is false); `None` when there are none.
    fn compile<'a>(
        cats: impl Iterator<Item = (&'a str, &'a [String])> + Clone,
        anchored: bool,
    ) -> Result<Option<Self>, ConfigError> {
        let mut pats = Vec::new();
        let mut owner = Vec::new();
        for (ci, (_, list)) in cats.clone().enumerate() {
            for (pi, p) in list.iter().enumerate() {
                if anchored_at_start(p) != anchored {
                    continue;
                }
                pats.push(p.as_str());
                owner.push((ci, pi));
            }
        }
        if pats.is_empty() {
            return Ok(None);
        }
        let loosened: Vec<String> = pats.iter().map(|p| loosen_word_boundaries(p)).collect();
        let changed = loosened.iter().zip(&pats).any(|(l, p)| l != p);
        // With a loose twin, `first` asks the exact set only when a candidate pattern does not
        // compile on its own, so it is not compiled at start-up (the loose set is the same
        // automaton less the word-boundary assertions, so it compiles when the exact one
        // does). A loosened set that does not compile is simply not used, and the exact set
        // is compiled at once, as without a loose twin, so a pattern set too big to compile
        // is reported here.
        let loose = changed
            .then(|| Screen::build(&loosened, anchored))
            .flatten();
        let set = std::sync::OnceLock::new();
        if loose.is_none() {
            match build_set(&pats) {
                Ok(exact) => {
                    let _ = set.set(Some(exact));
                }
                Err(e) => {
                    // Name the category whose pattern is at fault.
                    for (name, list) in cats {
                        compile_set(name, list)?;
                    }
                    return Err(ConfigError::Pattern {
                        category: String::new(),
                        message: e.to_string(),
                    });
                }
            }
        }
        let alone = loosened
            .into_iter()
            .zip(&pats)
            .map(|(l, p)| {
                (l != *p).then(|| Alone {
                    pattern: p.to_string(),
                    regex: std::sync::OnceLock::new(),
                })
            })
            .collect();
        Ok(Some(Combined {
            set,
            pats: pats.iter().map(|p| p.to_string()).collect(),
            loose,
            owner,
            alone,
        }))
    }

    /// (category, pattern) of the lowest-numbered matching pattern: the first category in
    /// config order, and inside it the first pattern.
    ///
    /// With a loose twin, the candidates are the patterns whose loosened form matches (the
    /// lazy DFA finds them all in one pass, where the exact set's overlapping search falls
    /// back to the PikeVM for every pattern on non-ASCII text). Each loosened pattern matches
    /// every text its exact form matches, so the exact matches are among the candidates: the
    /// first candidate whose exact form matches (a candidate loosening left unchanged matches
    /// as it is) is the exact set's first match.
    fn first(&self, text: &str) -> Option<(usize, usize)> {
        let i = match &self.loose {
            Some(loose) => {
                if !loose.is_match(text) {
                    return None;
                }
                let mut found = None;
                for i in loose.matches(text) {
                    let hit = match self.alone.get(i) {
                        Some(Some(a)) => a.is_match(text),
                        _ => Some(true),
                    };
                    match hit {
                        Some(true) => {
                            found = Some(i);
                            break;
                        }
                        Some(false) => {}
                        // The pattern alone did not compile: ask the exact set.
                        None => {
                            found = self.exact()?.matches(text).into_iter().next();
                            break;
                        }
                    }
                }
                found?
            }
            None => {
                let set = self.exact()?;
                if !set.is_match(text) {
                    return None;
                }
                set.matches(text).into_iter().next()?
            }
        };
        self.owner.get(i).copied()
    }

    /// The exact set, compiled the first time it is asked when start-up left it to later
    /// (`None` if it does not compile then, which the loose twin compiling makes unlikely).
    fn exact(&self) -> Option<&RegexSet> {
        self.set.get_or_init(|| build_set(&self.pats).ok()).as_ref()
    }
}

/// A loose twin set (see [`Combined`]): the multi-pattern regex a `RegexSet` is built on,
/// configured as `RegexSet` configures it (all matches, no captures, empty matches only at
/// character boundaries, [`build_set`]'s cache), except that a set not anchored at the start
/// gets no literal prefilter. Its patterns are case-insensitive alternations whose prefixes
/// the prefilter reduces to two or three letters ("in", "ne"), found in nearly every text,
/// so the search kept stopping to start the lazy DFA at each; the DFA alone scans the
/// text once (the set's `is_match` over the block texts of 60 pages: 46 M -> 20 M
/// instructions). A prefilter changes only the speed, never which patterns match.
struct Screen(regex_automata::meta::Regex);

impl Screen {
    /// The screen of `pats`; `None` when they do not compile together.
    fn build<S: AsRef<str>>(pats: &[S], anchored: bool) -> Option<Self> {
        use regex_automata::{meta, nfa::thompson::WhichCaptures, util::syntax, MatchKind};
        let config = meta::Config::new()
            .nfa_size_limit(Some(10 << 20))
            .hybrid_cache_capacity(32 << 20)
            .match_kind(MatchKind::All)
            .utf8_empty(true)
            .which_captures(WhichCaptures::None)
            .auto_prefilter(anchored);
        meta::Builder::new()
            .configure(config)
            .syntax(syntax::Config::new().utf8(true))
            .build_many(pats)
            .ok()
            .map(Screen)
    }

    fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }

    /// Indices of the matching patterns, in ascending order (as `RegexSet::matches`).
    fn matches(&self, text: &str) -> impl Iterator<Item = usize> {
        let mut set = regex_automata::PatternSet::new(self.0.pattern_len());
        self.0
            .which_overlapping_matches(&regex_automata::Input::new(text), &mut set);
        (0..set.capacity())
            .filter(move |&i| regex_automata::PatternID::new(i).is_ok_and(|p| set.contains(p)))
    }
}

/// `a()` and `b()`, `b` on a scoped thread when one can be started (else after `a`).
fn both<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    let b = std::sync::Mutex::new(Some(b));
    let run_b = || b.lock().ok().and_then(|mut g| g.take()).map(|f| f());
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new().spawn_scoped(s, run_b);
        let ra = a();
        let rb = match spawned.map(|h| h.join()) {
            Ok(Ok(Some(rb))) => rb,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            // No thread (or it found nothing to run): run `b` here.
            _ => match run_b() {
                Some(rb) => rb,
                None => unreachable!("b runs exactly once"),
            },
        };
        (ra, rb)
    })
}

/// Literals that every match of `hir` contains: the literal parts of its top-level
/// concatenation (looking through groups). A case-insensitive letter is a class, not a
/// literal, so it adds nothing; so does any optional or alternated part.
fn required_literals(hir: &regex_syntax::hir::Hir) -> Vec<Vec<u8>> {
    use regex_syntax::hir::HirKind;
    let mut out = Vec::new();
    let mut todo = vec![hir];
    while let Some(h) = todo.pop() {
        match h.kind() {
            HirKind::Literal(l) => out.push(l.0.to_vec()),
            HirKind::Capture(c) => todo.push(&c.sub),
            HirKind::Concat(parts) => todo.extend(parts.iter()),
            _ => {}
        }
    }
    out.retain(|l| !l.is_empty());
    out.sort();
    out.dedup();
    out
}

/// A set whose lazy DFA may grow to 32 MiB per thread: the combined sets of every category
/// are large automata, and with the default cache they are rebuilt over and over (the
/// determinizer was 7% of a run's time).
fn build_set<S: AsRef<str>>(pats: &[S]) -> Result<RegexSet, regex::Error> {
    regex::RegexSetBuilder::new(pats)
        .dfa_size_limit(32 << 20)
        .build()
}

/// `pattern` with every word-boundary assertion (`\b`, `\B`, `\<`, `\>`, `\b{...}`) replaced
/// by an empty group `(?:)`. Replacing an assertion by something that always holds can only
/// add matches, so the result matches every text the original matches. Patterns in verbose
/// mode (flag `x`, where `#` starts a comment) are returned unchanged.
fn loosen_word_boundaries(pattern: &str) -> String {
    if has_verbose_flag(pattern) {
        return pattern.to_string();
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut class_depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                out.push(c);
                break;
            };
            if class_depth == 0 && matches!(next, 'b' | 'B' | '<' | '>') {
                out.push_str("(?:)");
                i += 2;
                if next == 'b' {
                    i = skip_boundary_name(&chars, i);
                }
                continue;
            }
            out.push(c);
            out.push(next);
            i += 2;
            continue;
        }
        if c == '[' {
            class_depth += 1;
            out.push(c);
            i += 1;
            // A `]` right after `[` or `[^` is a literal.
            if class_depth == 1 {
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
            }
            continue;
        }
        if c == ']' && class_depth > 0 {
            class_depth -= 1;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// After `\b` at `i`: past a `{start}`-style name if one follows, else `i`.
fn skip_boundary_name(chars: &[char], i: usize) -> usize {
    if chars.get(i) != Some(&'{') {
        return i;
    }
    let mut j = i + 1;
    while chars
        .get(j)
        .is_some_and(|c| c.is_ascii_lowercase() || *c == '-')
    {
        j += 1;
    }
    if j > i + 1 && chars.get(j) == Some(&'}') {
        j + 1
    } else {
        i
    }
}

/// Does any `(?flags)` / `(?flags:` group of `pattern` mention the verbose flag `x`?
fn has_verbose_flag(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(at, _)| {
        pattern[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
            .any(|c| c == 'x')
    })
}

/// The bit of a class-token byte length in a shape mask (lengths of 63 and more share one).
fn shape_bit(len: usize) -> u64 {
    1u64 << len.min(63)
}

type FxMap<K, V> = crate::hash::FastMap<K, V>;

/// All categories of a pipeline, compiled.
pub struct Rules {
    pub categories: Vec<Category>,
    block: Split,
    section: Split,
    /// HTML class/id token -> index of its category.
    class_tokens: FxMap<String, usize>,
    /// Shapes of the class tokens: bit `min(len, 63)` of entry `b` is set when some token
    /// starts with byte `b` and has that byte length. A token whose shape is not set cannot
    /// be a key, so most lookups end without hashing.
    class_token_shapes: Box<[u64; 256]>,
    pub preview_chars: usize,
}

fn compile_set(cat: &str, pats: &[String]) -> Result<RegexSet, ConfigError> {
    RegexSet::new(pats).map_err(|e| ConfigError::Pattern {
        category: cat.to_string(),
        message: e.to_string(),
    })
}

impl Rules {
    pub fn compile(cfg: &PipelineConfig) -> Result<Self, ConfigError> {
        // Start-up is serial in a run: the inline patterns and the two combined sets are
        // compiled at the same time (errors are reported in the same order as one by one).
        let cats = cfg.categories.iter();
        let (parts, (block, section)) = both(
            || Self::compile_categories(cfg),
            || {
                both(
                    || Split::compile(cats.clone().map(|c| (c.name.as_str(), &c.block[..]))),
                    || Split::compile(cats.clone().map(|c| (c.name.as_str(), &c.section[..]))),
                )
            },
        );
        let (categories, class_tokens) = parts?;
        let (block, section) = (block?, section?);
        let mut class_token_shapes = Box::new([0u64; 256]);
        for t in class_tokens.keys() {
            if let Some(&b) = t.as_bytes().first() {
                class_token_shapes[usize::from(b)] |= shape_bit(t.len());
            }
        }
        Ok(Rules {
            categories,
            block,
            section,
            class_tokens,
            class_token_shapes,
            preview_chars: cfg.strip.preview_chars,
        })
    }

    /// Every category's inline patterns, and the class-token map.
    fn compile_categories(
        cfg: &PipelineConfig,
    ) -> Result<(Vec<Category>, FxMap<String, usize>), ConfigError> {
        let mut categories = Vec::new();
        let mut class_tokens = FxMap::default();
        for (i, c) in cfg.categories.iter().enumerate() {
            let inline = c
                .inline
                .iter()
                .map(|p| {
                    let re = Regex::new(p).map_err(|e| ConfigError::Pattern {
                        category: c.name.clone(),
                        message: e.to_string(),
                    })?;
                    let required = regex_syntax::parse(p)
                        .map(|h| required_literals(&h))
                        .unwrap_or_default();
                    Ok::<_, ConfigError>((re, required))
                })
                .collect::<Result<Vec<_>, _>>()?;
            for t in &c.class_tokens {
                class_tokens.entry(t.to_ascii_lowercase()).or_insert(i);
            }
            categories.push(Category {
                name: c.name.clone(),
                block_src: c.block.clone(),
                section_src: c.section.clone(),
                inline,
            });
        }
        Ok((categories, class_tokens))
    }

    /// The first category whose block patterns match `text`, with the reason.
    pub fn match_block(&self, text: &str) -> Option<Drop> {
        let (ci, pi) = self.block.first(text)?;
        let c = self.categories.get(ci)?;
        Some(Drop {
            category: c.name.clone(),
            reason: format!("{} pattern '{}'", c.name, c.block_src.get(pi)?),
        })
    }

    /// The first category whose section patterns match `text`.
    pub fn match_section(&self, text: &str) -> Option<Drop> {
        let (ci, pi) = self.section.first(text)?;
        let c = self.categories.get(ci)?;
        Some(Drop {
            category: c.name.clone(),
            reason: format!(
                "inside {} section opened by '{}'",
                c.name,
                c.section_src.get(pi)?
            ),
        })
    }

    /// Category index of a class token (exact, lower-case key).
    fn class_token(&self, t: &str) -> Option<usize> {
        let b = *t.as_bytes().first()?;
        if self.class_token_shapes[usize::from(b)] & shape_bit(t.len()) == 0 {
            return None;
        }
        self.class_tokens.get(t).copied()
    }

    /// Category of an HTML class/id token, exact or as a dash/underscore-separated part.
    pub fn match_class_tokens<T: AsRef<str>>(&self, tokens: &[T]) -> Option<Drop> {
        for t in tokens.iter().rev() {
            let t = t.as_ref();
            if let Some(i) = self.class_token(t) {
                return Some(self.class_drop(i, t));
            }
            if !t.bytes().any(|b| b == b'-' || b == b'_') {
                continue; // the only part would be the token itself
            }
            for part in t.split(['-', '_']) {
                if part.len() >= 3 {
                    if let Some(i) = self.class_token(part) {
                        return Some(self.class_drop(i, t));
                    }
                }
            }
        }
        None
    }

    fn class_drop(&self, i: usize, token: &str) -> Drop {
        let c = &self.categories[i];
        Drop {
            category: c.name.clone(),
            reason: format!("inside element with class/id '{token}'"),
        }
    }

    /// Is `name` one of the configured categories?
    pub fn has_category(&self, name: &str) -> bool {
        self.categories.iter().any(|c| c.name == name)
    }

    /// Cut inline spans (source chips) from `text`; returns the cuts made.
    pub fn cut_inline(&self, text: &mut String) -> Vec<(Drop, String)> {
        let mut cuts = Vec::new();
        for c in &self.categories {
            for (re, required) in &c.inline {
                // Repeat: a paragraph may end with two chips.
                for _ in 0..4 {
                    // The end-anchored patterns are searched backwards from the end of the
                    // text, slowly; most texts lack a literal the pattern needs.
                    let lacks = |l: &Vec<u8>| memchr::memmem::find(text.as_bytes(), l).is_none();
                    if required.iter().any(lacks) {
                        break;
                    }
                    let Some(m) = re.find(text) else { break };
                    if m.start() == 0 && m.end() == text.len() {
                        break; // never cut a whole block this way
                    }
                    let span = m.as_str().trim().to_string();
                    cuts.push((
                        Drop {
                            category: c.name.clone(),
                            reason: format!("{} inline pattern '{}'", c.name, re.as_str()),
                        },
                        span,
                    ));
                    text.replace_range(m.range(), "");
                    let trimmed = text.trim_end().len();
                    text.truncate(trimmed);
                }
            }
        }
        cuts
    }
}

/// Whether `d` is the verdict of a whole-block pattern ([`Rules::match_block`]): the text
/// itself says what the block is ("Last edited by ...", "3 likes"), so the learned
/// classifiers never bring such a block back, however content-like its surroundings.
pub fn is_block_pattern_drop(d: &Drop) -> bool {
    d.reason
        .strip_prefix(d.category.as_str())
        .is_some_and(|r| r.starts_with(" pattern '"))
}

/// Apply block, section and inline rules to every kept block.
pub fn apply(doc: &mut Doc, rules: &Rules) {
    let mut section: Option<Drop> = None;
    for i in 0..doc.blocks.len() {
        let b = &mut doc.blocks[i];
        if !b.verdict.is_keep() {
            continue;
        }
        if let Some(d) = rules.match_section(&b.text) {
            b.verdict = Verdict::Drop(d.clone());
            section = Some(d);
            continue;
        }
        if let Some(d) = &section {
            // A section runs over short, non-prose blocks.
            let prose = b.features.words >= 12 && b.features.ends_with_punct;
            if !prose && !b.kind.is_heading() {
                b.verdict = Verdict::Drop(d.clone());
                continue;
            }
            section = None;
        }
        if let Some(d) = rules.match_block(&b.text) {
            b.verdict = Verdict::Drop(d);
            continue;
        }
        if !b.features.class_tokens.is_empty() {
            if let Some(d) = rules.match_class_tokens(&b.features.class_tokens) {
                b.verdict = Verdict::Drop(d);
                continue;
            }
        }
        let before = b.text.len();
        let cuts = rules.cut_inline(&mut b.text);
        if b.text.len() != before {
            b.features.compute_text(&b.text);
        }
        for (drop, text) in cuts {
            doc.cuts.push(Cut {
                drop,
                block: i,
                text,
            });
        }
    }
}

/// Leading source chips: a scraper often glues the source name that closed the previous
/// paragraph ("... from Tehran's role." / "Dawn The rapprochement is ...") onto the next
/// one. A run of 1-3 capitalised words that are not stop words, directly followed by a
/// capitalised stop word that opens a sentence in lower-case prose, is cut when the
/// previous kept block ended a sentence. Needs the language's stop words; without them
/// nothing is cut.
pub fn cut_leading_chips(doc: &mut Doc, stop: Option<&HashSet<&'static str>>) {
    let Some(stop) = stop else { return };
    let mut prev_ends_sentence = false;
    for i in 0..doc.blocks.len() {
        let b = &mut doc.blocks[i];
        if !b.verdict.is_keep() {
            continue;
        }
        let ends = b.features.ends_with_punct;
        if prev_ends_sentence && b.features.words >= 10 && ends {
            if let Some(chip_end) = leading_chip(&b.text, stop) {
                let chip = b.text[..chip_end].trim().to_string();
                b.text = b.text[chip_end..].trim_start().to_string();
                b.features.compute_text(&b.text);
                doc.cuts.push(Cut {
                    drop: Drop {
                        category: "citation".into(),
                        reason: "source chip glued before a sentence".into(),
                    },
                    block: i,
                    text: chip,
                });
            }
        }
        prev_ends_sentence = ends;
    }
}

/// Byte length of a leading chip of `text` (see [`cut_leading_chips`]), if there is one.
fn leading_chip(text: &str, stop: &HashSet<&'static str>) -> Option<usize> {
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let mut offset = 0;
    let mut tokens = Vec::new();
    for w in text.split_whitespace().take(5) {
        let start = offset + text[offset..].find(w)?;
        offset = start + w.len();
        tokens.push((start, w));
    }
    for k in 1..=3.min(tokens.len().saturating_sub(2)) {
        let chip_ok = tokens[..k].iter().all(|(_, w)| {
            capital(w)
                && w.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '&')
                && !crate::strip::stopwords::is_stopword(stop, w)
        });
        if !chip_ok {
            return None;
        }
        let (start, opener) = tokens[k];
        let rest_lower = opener.chars().skip(1).all(char::is_lowercase);
        if capital(opener)
            && opener.chars().count() >= 2
            && rest_lower
            && crate::strip::stopwords::is_stopword(stop, opener)
            && mostly_lower_case(&text[start..])
        {
            return Some(start);
        }
    }
    None
}

/// Running prose: most words start in lower case (not a title-case headline).
fn mostly_lower_case(s: &str) -> bool {
    let (mut lower, mut upper) = (0, 0);
    for w in crate::text::words(s) {
        match w.chars().next() {
            Some(c) if c.is_lowercase() => lower += 1,
            Some(c) if c.is_uppercase() => upper += 1,
            _ => {}
        }
    }
    lower > upper
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{Block, BlockKind};

    fn rules() -> Rules {
        Rules::compile(&PipelineConfig::default()).unwrap()
    }

    #[test]
    fn block_patterns_name_their_category() {
        let r = rules();
        assert_eq!(r.match_block("Time to Read").unwrap().category, "widget");
        assert_eq!(r.match_block("12 Comments").unwrap().category, "comments");
        assert_eq!(
            r.match_block("Read more: Iran signals readiness")
                .unwrap()
                .category,
            "read_more"
        );
        assert!(r
            .match_block("The talks resumed in Doha on Monday.")
            .is_none());
        for chrome in [
            "Updated on Jan. 16, 2026",
            "Published: 3 March 2024, 10:15",
            "12.12.2025",
            "4 min read",
        ] {
            assert_eq!(
                r.match_block(chrome).unwrap().category,
                "chrome",
                "{chrome}"
            );
        }
        assert!(r
            .match_block("The vote on March 3, 2024 was close.")
            .is_none());
        assert_eq!(
            r.match_block("Table of Contents").unwrap().category,
            "navigation"
        );
    }

    #[test]
    fn listing_toolbar_lines_are_chrome() {
        let r = rules();
        for line in [
            "Sort by: Price, low to high",
            "Sort By:Best Selling",
            "Sort: Best Match",
            "Sort byRanking",
            "Filters (2)",
            "Sort & Filter",
            "View as Grid List",
            "View:",
            "Showing 1–24 of 96 results",
            "Showing all 39 results",
            "Showing 36 of 84",
            "Results per page: 24 48 96",
            "Sort By Set Descending Direction",
            "Load more",
            "Quick view",
            "Add to wishlist",
        ] {
            let m = r.match_block(line).map(|m| m.category);
            assert_eq!(m.as_deref(), Some("chrome"), "{line}");
        }
        for prose in [
            "Sort the laundry by colour before you wash it.",
            "Filter coffee tastes cleaner than espresso.",
            "View from the summit at dawn",
            "Showing 3 paintings from her first exhibition",
            "Display",
            "Sort by date to see the newest letters first, then read them in order.",
        ] {
            assert!(r.match_block(prose).is_none(), "{prose}");
        }
    }

    #[test]
    fn chips_are_cut_but_prose_stays() {
        let r = rules();
        let mut t =
            "They spoke by phone about cooperation. IRNA +2 by Afghan Voice Agency".to_string();
        let cuts = r.cut_inline(&mut t);
        assert_eq!(t, "They spoke by phone about cooperation.");
        assert_eq!(cuts[0].0.category, "citation");
        let mut t = "A regional forum could take place within weeks. * KabulNow".to_string();
        r.cut_inline(&mut t);
        assert_eq!(t, "A regional forum could take place within weeks.");
        let mut t = "Prices rose 5 + 2 percent in the year to March.".to_string();
        assert!(r.cut_inline(&mut t).is_empty());
    }

    #[test]
    fn section_runs_until_prose() {
        let r = rules();
        let mut doc = Doc::default();
        for t in [
            "Write-to-Earn opportunity",
            "Bonus",
            "42",
            "This paragraph is real prose that goes on for quite a few words, and ends.",
        ] {
            doc.blocks.push(Block::new(BlockKind::Line, t));
        }
        apply(&mut doc, &r);
        let kept: Vec<bool> = doc.blocks.iter().map(|b| b.verdict.is_keep()).collect();
        assert_eq!(kept, [false, false, false, true]);
    }

    /// A test category: name, block patterns, section patterns, class tokens.
    type TestCategory<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);

    fn custom(cats: &[TestCategory]) -> Rules {
        let categories = cats
            .iter()
            .map(
                |(name, block, section, tokens)| crate::config::CategoryConfig {
                    name: name.to_string(),
                    block: block.iter().map(|p| p.to_string()).collect(),
                    section: section.iter().map(|p| p.to_string()).collect(),
                    class_tokens: tokens.iter().map(|p| p.to_string()).collect(),
                    ..Default::default()
                },
            )
            .collect();
        let cfg = PipelineConfig {
            categories,
            ..Default::default()
        };
        Rules::compile(&cfg).unwrap()
    }

    #[test]
    fn register_is_a_prompt_only_as_a_button_or_an_imperative() {
        let r = rules();
        for t in [
            "Register",
            "Register Now",
            "Register | Log In",
            "Register for free today",
        ] {
            assert_eq!(
                r.match_block(t).map(|d| d.category),
                Some("prompt".into()),
                "{t}"
            );
        }
        for t in [
            "Register II helmet vent light",
            "Register descriptions of the serial port",
        ] {
            assert!(r.match_block(t).is_none(), "{t}");
        }
    }

    #[test]
    fn screens_match_as_regex_sets_do() {
        // The default pipeline's block and section patterns, loosened, and texts that hit
        // and miss them (the prefilter-free screen must name the same patterns).
        let cfg = crate::config::PipelineConfig::load(None).unwrap();
        let mut texts: Vec<String> = [
            "",
            "We use cookies to improve your experience",
            "Sign up for our newsletter and get the best stories in your inbox. Subscribe",
            "Photo credit: Jane Doe",
            "Image: Reuters",
            "The minister spoke (AP)",
            "Share on Twitter",
            "Subscribe now",
            "More stories from this author",
            "Wir verwenden Cookies. Alle Cookies akzeptieren",
            "Мы используем файлы cookie",
            "tweet",
            "© 2024 Acme Inc. All rights reserved.",
            "An ordinary sentence of prose, with nothing to drop in it at all.",
            "Ünïcödé text — «quotes» 東京 newsletter … subscribe",
        ]
        .map(String::from)
        .to_vec();
        let words = [
            "in",
            "inbox",
            "ne",
            "newsletter",
            "cookie",
            "photo",
            ":",
            "(AP)",
            " ",
            "é",
        ];
        let mut rng = crate::train::Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..300 {
            let n = (rng.next_u64() % 12) as usize;
            let t: Vec<&str> = (0..n).map(|_| *rng.pick(&words)).collect();
            texts.push(t.join(if rng.next_u64().is_multiple_of(2) {
                " "
            } else {
                ""
            }));
        }
        for kind in [0, 1] {
            for anchored in [true, false] {
                let pats: Vec<String> = cfg
                    .categories
                    .iter()
                    .flat_map(|c| if kind == 0 { &c.block } else { &c.section })
                    .filter(|p| anchored_at_start(p) == anchored)
                    .map(|p| loosen_word_boundaries(p))
                    .collect();
                let set = build_set(&pats).unwrap();
                let screen = Screen::build(&pats, anchored).unwrap();
                for t in &texts {
                    assert_eq!(screen.is_match(t), set.is_match(t), "{t:?}");
                    let want: Vec<usize> = set.matches(t).into_iter().collect();
                    assert_eq!(screen.matches(t).collect::<Vec<_>>(), want, "{t:?}");
                }
            }
        }
    }

    #[test]
    fn earlier_category_wins_when_several_match() {
        let first = custom(&[
            ("alpha", &["^zz$", "(?i)subscribe"], &["(?i)^more"], &[]),
            (
                "beta",
                &["(?i)^subscribe now$"],
                &["(?i)^more stories$"],
                &[],
            ),
        ]);
        let d = first.match_block("Subscribe now").unwrap();
        assert_eq!(d.category, "alpha");
        assert_eq!(d.reason, "alpha pattern '(?i)subscribe'");
        assert_eq!(
            first.match_section("More stories").unwrap().category,
            "alpha"
        );
        // The same patterns in the other category order: the other category wins.
        let second = custom(&[
            (
                "beta",
                &["(?i)^subscribe now$"],
                &["(?i)^more stories$"],
                &[],
            ),
            ("alpha", &["^zz$", "(?i)subscribe"], &["(?i)^more"], &[]),
        ]);
        let d = second.match_block("Subscribe now").unwrap();
        assert_eq!(d.category, "beta");
        assert_eq!(d.reason, "beta pattern '(?i)^subscribe now$'");
        let d = second.match_section("More stories").unwrap();
        assert_eq!(
            d.reason,
            "inside beta section opened by '(?i)^more stories$'"
        );
        // Inside one category the first listed pattern is the reason.
        let d = custom(&[("gamma", &["now$", "^Sub"], &[], &[])])
            .match_block("Subscribe now")
            .unwrap();
        assert_eq!(d.reason, "gamma pattern 'now$'");
        assert!(first.match_block("Unrelated prose.").is_none());
        assert!(first.match_section("Unrelated prose.").is_none());
    }

    #[test]
    fn exact_set_waits_for_its_first_use_when_a_loose_twin_screens() {
        let bounded = vec![r"(?i)\bcookies?\b".to_string(), "e$".to_string()];
        let plain = ["cookies".to_string(), "e$".to_string()];
        let with = Combined::compile(std::iter::once(("a", &bounded[..])), false)
            .expect("compiles")
            .expect("unanchored patterns");
        let without = Combined::compile(std::iter::once(("a", &plain[..])), false)
            .expect("compiles")
            .expect("unanchored patterns");
        assert!(with.loose.is_some() && without.loose.is_none());
        // Start-up compiled the exact set only where no loose twin stands in for it.
        assert!(with.set.get().is_none());
        assert!(without.set.get().is_some_and(|s| s.is_some()));
        let exact = RegexSet::new(&bounded).unwrap();
        for text in [
            "We use cookies",
            "écookies",
            "cookiesé",
            "the end",
            "none",
            "",
        ] {
            let want = exact.matches(text).into_iter().next().map(|i| (0, i));
            assert_eq!(with.first(text), want, "{text:?}");
        }
        // Answering through the twin and the patterns alone never needed the exact set.
        assert!(with.set.get().is_none());
        assert_eq!(with.exact().map(|s| s.len()), Some(2));
    }

    #[test]
    fn split_sets_give_the_first_pattern_of_one_set() {
        let cats: Vec<(String, Vec<String>)> = vec![
            (
                "a".into(),
                vec![r"(?i)\bcookies?\b".into(), r"^menu$".into()],
            ),
            ("b".into(), vec![r"(?i)^share\b".into(), r"\d{4}$".into()]),
            (
                "c".into(),
                vec![r"(?m)^x".into(), r"(?i)^(?:a|b)c".into(), "e".into()],
            ),
        ];
        let all: Vec<&str> = cats
            .iter()
            .flat_map(|(_, l)| l.iter().map(String::as_str))
            .collect();
        let owner: Vec<(usize, usize)> = cats
            .iter()
            .enumerate()
            .flat_map(|(ci, (_, l))| (0..l.len()).map(move |pi| (ci, pi)))
            .collect();
        let one = RegexSet::new(&all).unwrap();
        let split =
            Split::compile(cats.iter().map(|(n, l)| (n.as_str(), &l[..]))).expect("compiles");
        assert_eq!(
            split.0.len(),
            2,
            "anchored and unanchored patterns are apart"
        );
        for text in [
            "menu",
            "Share this page",
            "share cookies",
            "y\nx",
            "Bc",
            "ac 2024",
            "We use cookies since 2024",
            "écookies since 2024",
            "cookiesж",
            "«cookies» – „share“",
            "shareé 2024",
            "Share: menu",
            "nothing",
            "",
            "é",
        ] {
            let want = one.matches(text).into_iter().next().map(|i| owner[i]);
            assert_eq!(split.first(text), want, "{text:?}");
        }
        assert!(anchored_at_start(r"(?i)^(a|b)$") && !anchored_at_start(r"(?m)^a"));
        assert!(!anchored_at_start(r"^a|b") && !anchored_at_start("("));
    }

    #[test]
    fn unicode_word_boundaries_keep_their_meaning() {
        // `\b` is Unicode-aware: a letter like `é` or `ж` is a word character.
        let r = custom(&[
            ("w", &[r"(?i)\bcoin\b"], &[], &[]),
            ("x", &[r"^end\B"], &[], &[]),
        ]);
        assert!(r.match_block("The coin fell.").is_some());
        assert!(r.match_block("«coin» – „coin“").is_some());
        assert!(r.match_block("écoin fell").is_none());
        assert!(r.match_block("coinж fell").is_none());
        assert!(r.match_block("bitcoin").is_none());
        assert_eq!(r.match_block("endless").unwrap().category, "x");
        assert!(r.match_block("end").is_none());
        assert!(r.match_block("end é").is_none());
    }

    #[test]
    fn loosened_patterns_drop_only_word_boundaries() {
        assert_eq!(loosen_word_boundaries(r"\bab\B"), "(?:)ab(?:)");
        assert_eq!(loosen_word_boundaries(r"\<x\>"), "(?:)x(?:)");
        assert_eq!(loosen_word_boundaries(r"\b{start}x\b{end}"), "(?:)x(?:)");
        assert_eq!(loosen_word_boundaries(r"a\b{2}"), "a(?:){2}");
        // An escaped backslash followed by `b` is a literal `b`.
        assert_eq!(loosen_word_boundaries(r"\\b"), r"\\b");
        assert_eq!(loosen_word_boundaries(r"[\]\\b]\w+"), r"[\]\\b]\w+");
        assert_eq!(loosen_word_boundaries(r"[]b]\b"), r"[]b](?:)");
        // Verbose mode is left alone.
        assert_eq!(
            loosen_word_boundaries(r"(?ix) \b a # \b"),
            r"(?ix) \b a # \b"
        );
        // Loosened sets match every text the exact set matches.
        let pats = [
            r"(?i)\btwei\b",
            r"(?i)^(subscribe|sign up)\b.{0,80}$",
            r"\w+\b\s\B",
            r"[\w-]+\bend",
        ];
        let exact = RegexSet::new(pats).unwrap();
        let loose = RegexSet::new(pats.iter().map(|p| loosen_word_boundaries(p))).unwrap();
        for t in [
            "twei",
            "ятwei",
            "Subscribe — now",
            "sign upé",
            "word  x",
            "é end",
            "a-end",
            "",
        ] {
            if exact.is_match(t) {
                assert!(loose.is_match(t), "{t}");
            }
        }
    }

    #[test]
    fn class_tokens_match_whole_or_by_part() {
        let r = custom(&[
            ("share", &[], &[], &["Share", "sharing-bar"]),
            ("ad", &[], &[], &["ad", "sponsor"]),
        ]);
        let tok = |ts: &[&str]| {
            let ts: Vec<String> = ts.iter().map(|t| t.to_string()).collect();
            r.match_class_tokens(&ts)
        };
        assert_eq!(tok(&["share"]).unwrap().category, "share");
        assert_eq!(tok(&["sharing-bar"]).unwrap().category, "share");
        let d = tok(&["post-share-box"]).unwrap();
        assert_eq!(d.category, "share");
        assert_eq!(d.reason, "inside element with class/id 'post-share-box'");
        assert_eq!(tok(&["top_sponsor"]).unwrap().category, "ad");
        // Whole tokens match at any length; parts need three characters.
        assert_eq!(tok(&["ad"]).unwrap().category, "ad");
        assert!(tok(&["ad-slot", "top_ad"]).is_none());
        // Longer than any configured token, and no matching part.
        assert!(tok(&["shareholders-annual-meeting-report"]).is_none());
        assert!(tok(&["article", "content"]).is_none());
        // Tokens of 63 bytes and more share one shape bit and still match exactly.
        let long = "x".repeat(70);
        let r2 = custom(&[("long", &[], &[], &[long.as_str()])]);
        let one = |t: String| r2.match_class_tokens(&[t]);
        assert_eq!(one(long.clone()).unwrap().category, "long");
        assert_eq!(one(format!("top-{long}")).unwrap().category, "long");
        assert!(one("x".repeat(64)).is_none());
        assert!(one(String::new()).is_none());
        // The last (innermost) token decides.
        assert_eq!(tok(&["sponsor", "share"]).unwrap().category, "share");
        assert_eq!(tok(&["share", "sponsor"]).unwrap().category, "ad");
    }

    fn chip_doc(lines: &[&str]) -> Doc {
        let mut doc = Doc::default();
        for t in lines {
            doc.blocks.push(Block::new(BlockKind::Line, *t));
        }
        doc
    }

    #[test]
    fn leading_chip_before_a_sentence_is_cut() {
        let en = crate::strip::stopwords::for_lang(Some("en"));
        let mut doc = chip_doc(&[
            "The ministry said the border crossing would reopen on Friday after repairs.",
            "Harbour Gazette The decision follows weeks of protests by truck drivers who had been stuck there.",
        ]);
        cut_leading_chips(&mut doc, en);
        assert!(doc.blocks[1].text.starts_with("The decision follows"));
        assert_eq!(doc.cuts[0].text, "Harbour Gazette");
        assert_eq!(doc.cuts[0].drop.category, "citation");
    }

    #[test]
    fn ordinary_sentence_openings_are_not_chips() {
        let en = crate::strip::stopwords::for_lang(Some("en"));
        for t in [
            "Yesterday I walked along the river and counted the boats that were moored there.",
            "Farmers in the valley have planted less wheat this year because of the drought.",
            "Why The Old Harbour Still Matters To The Fishing Towns Of The North Coast Today.",
        ] {
            let mut doc = chip_doc(&["A previous paragraph that ends like a sentence does.", t]);
            cut_leading_chips(&mut doc, en);
            assert_eq!(doc.blocks[1].text, t);
        }
        // Without a sentence end before it, the first words are left alone.
        let mut doc = chip_doc(&[
            "Read on",
            "Harbour Gazette The decision follows weeks of protests by truck drivers who had been stuck.",
        ]);
        cut_leading_chips(&mut doc, en);
        assert!(doc.cuts.is_empty());
        // No stop-word list for the language: nothing is cut.
        let mut doc = chip_doc(&[
            "A previous paragraph that ends like a sentence does.",
            "Harbour Gazette The decision follows weeks of protests by truck drivers who had been stuck.",
        ]);
        cut_leading_chips(&mut doc, None);
        assert!(doc.cuts.is_empty());
    }

    #[test]
    fn required_literals_are_in_every_match() {
        let lits = |p: &str| required_literals(&regex_syntax::parse(p).expect("pattern"));
        assert_eq!(lits(r"\s+\+\d+$"), vec![b"+".to_vec()]);
        assert_eq!(lits(r"\s+\*\s+[A-Z](x|y)$"), vec![b"*".to_vec()]);
        assert_eq!(
            lits(r"a(bc)d"),
            vec![b"a".to_vec(), b"bc".to_vec(), b"d".to_vec()]
        );
        assert_eq!(lits(r"ab(cd)?e|f"), Vec::<Vec<u8>>::new());
        assert_eq!(lits(r"(?i)ab\+"), vec![b"+".to_vec()]);
        let pats = [
            r"\s+[A-Z][\w.]*(\s+[A-Z][\w.]*){0,3}\.?\s+\+\d+$",
            r"\s+\*\s+[A-Z][\w]*(\s+[A-Z][\w]*){0,3}$",
            r"x(y+z)w?$",
            r"(?i)by\s+[a-z]+ \(\d+\)",
        ];
        let texts = [
            "Some words Reuters +12",
            "Text * Photo Credit",
            "xyyzw",
            "xyz",
            "written By Anne (12)",
            "BY anne (3) and more",
            "nothing here at all",
        ];
        for p in pats {
            let re = Regex::new(p).expect("pattern");
            let req = lits(p);
            for t in texts {
                if re.is_match(t) {
                    for l in &req {
                        assert!(memchr::memmem::find(t.as_bytes(), l).is_some(), "{p} {t}");
                    }
                }
            }
        }
    }
}
