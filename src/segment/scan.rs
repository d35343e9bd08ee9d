//! The sentence boundary scanner: one left-to-right pass over the text that stops only at
//! bytes that can matter (full stops, quotes, brackets, bullets, newlines) and decides each
//! candidate from its neighbourhood: the token before the mark (abbreviation, initial,
//! number, acronym, URL), the marks around it (closing quotes, ellipses) and the token after
//! it (case, digit, sentence starter), plus list numbering, open quotations and line breaks.
//!
//! It returns cut offsets only; trimming and slicing is the caller's (`Splitter::split`).
//! Language knowledge comes from `rules`; character classes from `chars`.

use super::chars::{
    char_at, char_before, closes, is_any_stop, is_bullet, is_caseless_letter, is_closer, is_dash,
    is_format, is_opener, is_script_stop, is_vowel_like, INTERESTING,
};
use super::rules::{AbbrevKind, Colon, Rules};

/// How far ahead the end of an open quotation or bracket is looked for.
const QUOTE_LOOKAHEAD: usize = 1200;
/// How far ahead the next item of a numbered list is looked for.
const LIST_LOOKAHEAD: usize = 3000;
/// Open quotes and brackets tracked at most.
const MAX_STACK: usize = 16;
/// How far back or ahead a token is read, in characters.
const MAX_TOKEN_CHARS: usize = 80;
/// Tokens longer than this are never abbreviations.
const MAX_ABBREV_BYTES: usize = 40;

/// Byte offsets where sentences end (each cut is the end of one sentence and the start of
/// the next; slices between cuts still carry surrounding whitespace).
pub(crate) fn cuts(text: &str, rules: Rules<'_>) -> Vec<usize> {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        rules,
        cuts: Vec::new(),
        start: 0,
        stack: Vec::new(),
        markers: Vec::new(),
        next_marker: 0,
        marker_end: 0,
        lower: String::new(),
    };
    s.run();
    s.cuts
}

/// What the token before a full stop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Nothing before the mark in this sentence.
    Empty,
    /// An ordinary word (or a URL, e-mail address, or anything after a closing bracket).
    Word {
        plain_lower: bool,
    },
    /// A number; `ordinal` when it could be an ordinal ("12." of at most 3 digits).
    Number {
        ordinal: bool,
    },
    Prefix,
    Numeric,
    Ambiguous,
    /// One letter ("E.", "I.") or a dotted acronym ("U.S.", "a.m.") or, in languages with
    /// ordinal periods, a Roman numeral: ends a sentence only before a sentence starter.
    Initial,
}

/// What follows a candidate mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    End,
    Upper,
    Lower,
    Caseless,
    Digit,
    /// An ellipsis that itself is followed by a word.
    EllipsisWord,
    Bullet,
    /// ",", ";", ":" and other continuation punctuation.
    Continue,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Next {
    /// Whitespace between the mark (run) and the next character.
    ws: bool,
    /// The first character after the whitespace.
    first: Option<char>,
    /// Class of the next word (after opening quotes/brackets, or after a dash).
    kind: Kind,
    /// Start of the next word.
    word: usize,
    /// A dash came first.
    dash: bool,
    /// An opening quote or bracket came first.
    opener: bool,
}

struct Scanner<'t, 'r> {
    text: &'t str,
    bytes: &'t [u8],
    rules: Rules<'r>,
    cuts: Vec<usize>,
    /// Start of the current sentence.
    start: usize,
    /// Open quotes and brackets in the current sentence (char, byte offset).
    stack: Vec<(char, usize)>,
    /// Starts and ends of list-item markers found ahead ("2.", "b)").
    markers: Vec<(usize, usize)>,
    next_marker: usize,
    /// End of the list marker most recently cut at: marks inside it are not full stops.
    marker_end: usize,
    /// Buffer for lower-casing words.
    lower: String,
}

impl<'t> Scanner<'t, '_> {
    fn run(&mut self) {
        let n = self.bytes.len();
        self.find_list(0);
        let mut i = 0;
        while i < n {
            let b = self.bytes[i];
            if !INTERESTING[b as usize] {
                i += 1;
                continue;
            }
            while self.next_marker < self.markers.len() && self.markers[self.next_marker].0 <= i {
                let (ms, me) = self.markers[self.next_marker];
                self.next_marker += 1;
                self.cut(ms);
                self.marker_end = me;
            }
            if i < self.marker_end {
                i += 1;
                continue;
            }
            if b < 0x80 {
                i = match b {
                    b'.' => self.on_period(i),
                    b'!' | b'?' => self.on_mark(i),
                    b'\n' => self.on_newline(i),
                    b':' => self.on_colon(i),
                    b';' if self.rules.profile.semicolon_question => self.on_mark(i),
                    b';' => i + 1,
                    _ => {
                        self.on_bracket(i, b as char);
                        i + 1
                    }
                };
                continue;
            }
            if b < 0xC0 {
                i += 1;
                continue;
            }
            let c = char_at(self.text, i);
            let len = c.len_utf8();
            i = if c == '…' {
                self.on_ellipsis(i, i + len)
            } else if c == '．' {
                // full-width full stop, unless between digits (Japanese "３．２９")
                let digit_after = self.text[i + len..]
                    .chars()
                    .next()
                    .is_some_and(|d| d.is_numeric());
                let digit_before = char_before(self.text, i).is_some_and(|(_, d)| d.is_numeric());
                if digit_after && digit_before {
                    i + len
                } else {
                    self.on_script_stop(i)
                }
            } else if is_script_stop(c) {
                self.on_script_stop(i)
            } else if is_bullet(c) {
                let after_space = char_before(self.text, i)
                    .is_none_or(|(_, p)| p.is_whitespace() || is_bullet(p));
                if after_space {
                    self.cut(i);
                }
                i + len
            } else {
                self.on_bracket(i, c);
                i + len
            };
        }
    }

    /// End the current sentence at `at` and start the next.
    fn cut(&mut self, at: usize) {
        if at > self.start {
            self.cuts.push(at);
            self.start = at;
        }
        self.stack.clear();
        self.find_list(at);
    }

    // ------------------------------------------------------------------ quotes, brackets

    fn on_bracket(&mut self, i: usize, c: char) {
        let top = self.stack.last().map(|&(t, _)| t);
        let push = |s: &mut Vec<(char, usize)>| {
            if s.len() < MAX_STACK {
                s.push((c, i));
            }
        };
        match c {
            '"' => {
                if top == Some('"') {
                    self.stack.pop();
                } else {
                    push(&mut self.stack);
                }
            }
            '“' => {
                if top == Some('„') {
                    self.stack.pop();
                } else {
                    push(&mut self.stack);
                }
            }
            '”' => {
                if matches!(top, Some('“' | '„' | '”')) {
                    self.stack.pop();
                } else if char_before(self.text, i).is_none_or(|(_, p)| p.is_whitespace()) {
                    push(&mut self.stack);
                }
            }
            '«' => {
                if top == Some('»') {
                    self.stack.pop();
                } else {
                    push(&mut self.stack);
                }
            }
            '»' => {
                if matches!(top, Some('«' | '»')) {
                    self.stack.pop();
                } else {
                    push(&mut self.stack);
                }
            }
            '‘' | '’' | '‚' | '\'' | '¿' | '¡' => {}
            _ if is_opener(c) => push(&mut self.stack),
            _ if is_closer(c) && top.is_some_and(|t| closes(t, c)) => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    /// Pop the opener a closing mark inside a run matches.
    fn close_in_run(&mut self, c: char) {
        if let Some(&(t, _)) = self.stack.last() {
            if closes(t, c) || (t == '„' && c == '“') {
                self.stack.pop();
            }
        }
    }

    /// Inside an open quotation or bracket that closes within the same sentence ("..., he
    /// said", "(... engineer.) at"): returns where it closes, so that the marks inside it
    /// are skipped. Quotations that end a sentence themselves return `None`.
    fn embedded_until(&mut self, from: usize) -> Option<usize> {
        while let Some(&(open, _)) = self.stack.last() {
            let Some(close) = self.find_closer(open, from) else {
                // never closed: not a quotation we can trust
                self.stack.pop();
                continue;
            };
            return if self.closes_inside_sentence(close) {
                Some(close)
            } else {
                None
            };
        }
        None
    }

    fn find_closer(&self, open: char, from: usize) -> Option<usize> {
        let end = (from + QUOTE_LOOKAHEAD).min(self.bytes.len());
        let mut depth = 0usize;
        let mut prev_nl = false;
        for (off, c) in self.text[from..].char_indices() {
            let pos = from + off;
            if pos >= end {
                break;
            }
            if c == '\n' {
                if prev_nl {
                    return None;
                }
                prev_nl = true;
                continue;
            }
            if !c.is_whitespace() {
                prev_nl = false;
            }
            if closes(open, c) {
                if depth == 0 {
                    return Some(pos);
                }
                depth -= 1;
            } else if c == open && open != '"' {
                depth += 1;
            }
        }
        None
    }

    /// The quotation closed at `close` is part of a longer sentence: what precedes the
    /// closing mark is not a full stop, or what follows it continues the sentence.
    fn closes_inside_sentence(&self, close: usize) -> bool {
        let before = self.text[..close]
            .chars()
            .rev()
            .find(|&c| !c.is_whitespace() && !is_closer(c) && !is_format(c));
        if !before.is_some_and(is_any_stop) {
            return true;
        }
        let close_len = char_at(self.text, close).len_utf8();
        let mut ws = false;
        for c in self.text[close + close_len..].chars() {
            if c.is_whitespace() {
                ws = true;
                continue;
            }
            if is_closer(c) || is_format(c) {
                continue;
            }
            if !ws {
                // "「…。」と", "“…。”他说", "«…?»." : the sentence goes on
                return true;
            }
            return !(c.is_uppercase()
                || is_caseless_letter(c)
                || c.is_numeric()
                || is_opener(c)
                || c == '"'
                || is_bullet(c));
        }
        false
    }

    // ------------------------------------------------------------------ runs and tokens

    /// Extend a mark over following marks, closing quotes/brackets and format characters;
    /// also over a closing guillemet or quote set off by a space (French « ... . »).
    /// Returns (end, has closer).
    fn run_end(&mut self, from: usize) -> (usize, bool) {
        let mut j = from;
        let mut closer = false;
        while j < self.bytes.len() {
            let c = char_at(self.text, j);
            if matches!(c, '.' | '!' | '?' | '…') || is_script_stop(c) || is_format(c) {
                j += c.len_utf8();
            } else if is_closer(c) {
                self.close_in_run(c);
                closer = true;
                j += c.len_utf8();
            } else {
                break;
            }
        }
        // spaced closing mark: " »" followed by space, end or punctuation
        let mut k = j;
        while k < self.bytes.len() && matches!(self.bytes[k], b' ' | b'\t') {
            k += 1;
        }
        if k > j && k < self.bytes.len() {
            let c = char_at(self.text, k);
            if matches!(c, '»' | '”' | '"') {
                let after = self.text[k + c.len_utf8()..].chars().next();
                if after.is_none_or(|a| !a.is_alphanumeric()) {
                    let top_open = self.stack.last().is_some_and(|&(t, _)| closes(t, c));
                    if top_open || c == '»' {
                        self.close_in_run(c);
                        return (k + c.len_utf8(), true);
                    }
                }
            }
        }
        (j, closer)
    }

    /// Look at what follows a mark that ends at `from`.
    fn next_at(&self, from: usize) -> Next {
        let rest = &self.text[from..];
        let mut it = rest.char_indices().peekable();
        let mut ws = false;
        while let Some(&(_, c)) = it.peek() {
            if c.is_whitespace() || is_format(c) {
                ws |= c.is_whitespace();
                it.next();
            } else {
                break;
            }
        }
        let Some(&(off0, first)) = it.peek() else {
            return Next {
                ws,
                first: None,
                kind: Kind::End,
                word: self.bytes.len(),
                dash: false,
                opener: false,
            };
        };
        let mut dash = false;
        let mut opener = false;
        let mut pos = from + off0;
        // skip openers and dashes (and the spaces after a dash)
        while let Some(&(off, c)) = it.peek() {
            pos = from + off;
            if is_opener(c) || c == '"' || c == '\'' {
                opener = true;
                it.next();
            } else if is_dash(c) && !dash {
                dash = true;
                it.next();
                while let Some(&(_, w)) = it.peek() {
                    if w.is_whitespace() {
                        it.next();
                    } else {
                        break;
                    }
                }
            } else {
                break;
            }
        }
        let kind = match it.peek() {
            None => Kind::End,
            Some(&(off, c)) => {
                pos = from + off;
                self.classify_next(c, pos)
            }
        };
        Next {
            ws,
            first: Some(first),
            kind,
            word: pos,
            dash,
            opener,
        }
    }

    fn classify_next(&self, c: char, pos: usize) -> Kind {
        if c.is_uppercase() {
            Kind::Upper
        } else if c.is_lowercase() {
            Kind::Lower
        } else if c.is_alphabetic() {
            Kind::Caseless
        } else if c.is_numeric() {
            Kind::Digit
        } else if c == '.' || c == '…' {
            // an ellipsis opening the next sentence ("raak. ...en toen")
            let rest = self.text[pos..].trim_start_matches(['.', '…', ' ']);
            if rest.starts_with(|w: char| w.is_alphanumeric()) {
                Kind::EllipsisWord
            } else {
                Kind::Other
            }
        } else if is_bullet(c) {
            Kind::Bullet
        } else if matches!(c, ',' | ';' | ':' | '،' | '、' | '，' | '.' | ')' | ']') {
            Kind::Continue
        } else {
            Kind::Other
        }
    }

    /// The word that starts at `pos`, lower-cased into the buffer (letters and inner
    /// apostrophes only); returns (length in bytes, followed by a period).
    fn next_word_lower(&mut self, pos: usize) -> (usize, bool) {
        self.lower.clear();
        let mut end = pos;
        for (off, c) in self.text[pos..].char_indices() {
            if c.is_alphabetic() {
                self.lower.extend(c.to_lowercase());
                end = pos + off + c.len_utf8();
            } else {
                break;
            }
            if end - pos > MAX_ABBREV_BYTES {
                break;
            }
        }
        let dot = self.bytes.get(end) == Some(&b'.');
        (end - pos, dot)
    }

    /// Start of the token that ends at `end` (the mark's position): back to whitespace or
    /// the sentence start, then past opening quotes/brackets.
    fn token_start(&self, end: usize) -> usize {
        let mut s = end;
        // bounded: a token this long is an ordinary word whatever its start
        for (off, c) in self.text[self.start..end]
            .char_indices()
            .rev()
            .take(MAX_TOKEN_CHARS)
        {
            if c.is_whitespace() {
                break;
            }
            s = self.start + off;
        }
        // skip leading openers
        let mut t = s;
        for (off, c) in self.text[s..end].char_indices() {
            if is_opener(c) || c == '"' || c == '\'' || is_bullet(c) || is_format(c) {
                t = s + off + c.len_utf8();
            } else {
                break;
            }
        }
        t
    }

    /// Classify the token before the full stop at `dot`.
    fn prev_token(&mut self, dot: usize) -> (Prev, usize) {
        // look through format characters (bidi marks around an Arabic period)
        let mut end = dot;
        while let Some((p, c)) = char_before(self.text, end) {
            if is_format(c) && p >= self.start {
                end = p;
            } else {
                break;
            }
        }
        let start = self.token_start(end);
        if start >= end {
            return (Prev::Empty, start);
        }
        let tok = &self.text[start..end];
        let last = tok.chars().next_back().unwrap_or(' ');
        if is_closer(last) || tok.contains("://") || tok.contains('@') || tok.starts_with("www.") {
            return (Prev::Word { plain_lower: false }, start);
        }
        if tok.len() > MAX_ABBREV_BYTES {
            return (Prev::Word { plain_lower: false }, start);
        }
        // numbers: "$100.00", "1,000", "1026.253.553", "12"
        let num = tok.trim_start_matches(['$', '€', '£', '¥', '₹', '#', '+', '-', '−', '~']);
        if !num.is_empty()
            && num.starts_with(|c: char| c.is_ascii_digit())
            && num.ends_with(|c: char| c.is_numeric())
            && num
                .chars()
                .all(|c| c.is_numeric() || matches!(c, '.' | ',' | ':' | '/' | '\'' | '-'))
        {
            let ordinal = num.len() <= 3 && num.bytes().all(|b| b.is_ascii_digit());
            return (Prev::Number { ordinal }, start);
        }
        if let Some(kind) = self.spaced_abbrev(start, tok) {
            return (kind, start);
        }
        self.lower.clear();
        if tok.is_ascii() {
            self.lower.push_str(tok);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(tok.chars().flat_map(char::to_lowercase));
        }
        let kind = self
            .rules
            .abbrev(&self.lower)
            .or_else(|| self.rules.abbrev_ending(&self.lower));
        match kind {
            Some(AbbrevKind::Prefix) => return (Prev::Prefix, start),
            Some(AbbrevKind::Numeric) => return (Prev::Numeric, start),
            Some(AbbrevKind::Ambiguous) => return (Prev::Ambiguous, start),
            None => {}
        }
        let mut chars = tok.chars();
        let c0 = chars.next().unwrap_or(' ');
        if chars.next().is_none() && c0.is_alphabetic() {
            return (Prev::Initial, start);
        }
        if is_dotted_acronym(tok) {
            return (Prev::Initial, start);
        }
        if self.rules.profile.ordinal_period
            && tok.len() >= 2
            && tok.bytes().all(|b| b"IVXLCDM".contains(&b))
        {
            return (Prev::Initial, start);
        }
        let plain_lower = tok.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
            && tok.chars().count() >= 3
            && tok.chars().any(is_vowel_like);
        (Prev::Word { plain_lower }, start)
    }

    /// A one-letter token that ends an abbreviation written with spaces ("z. B.", "т. д.",
    /// "s. r. o."): the listed class of the joined form ("z.b", "т.д"), if any.
    fn spaced_abbrev(&mut self, start: usize, tok: &str) -> Option<Prev> {
        let mut it = tok.chars();
        let c = it.next()?;
        if it.next().is_some() || !c.is_alphabetic() {
            return None;
        }
        // walk back over "X. " groups
        let mut letters: Vec<char> = vec![c];
        let mut p = start;
        while letters.len() < 5 {
            let head = &self.text[self.start..p];
            let Some(h) = head.strip_suffix(". ") else {
                break;
            };
            let mut hc = h.chars();
            let Some(l) = hc.next_back() else { break };
            if !l.is_alphabetic() {
                break;
            }
            let before = hc.next_back();
            if before.is_some_and(|b| !b.is_whitespace() && !is_opener(b)) {
                break;
            }
            letters.push(l);
            p = self.start + h.len() - l.len_utf8();
        }
        if letters.len() < 2 {
            return None;
        }
        self.lower.clear();
        for (k, l) in letters.iter().rev().enumerate() {
            if k > 0 {
                self.lower.push('.');
            }
            self.lower.extend(l.to_lowercase());
        }
        match self.rules.abbrev(&self.lower)? {
            AbbrevKind::Prefix => Some(Prev::Prefix),
            AbbrevKind::Numeric => Some(Prev::Numeric),
            AbbrevKind::Ambiguous => Some(Prev::Ambiguous),
        }
    }

    /// A listed sentence starter or preposition ("Im", "Am", "Der"), any case.
    fn is_function_word(&mut self, w: &str) -> bool {
        self.lower.clear();
        self.lower.extend(w.chars().flat_map(char::to_lowercase));
        let l = std::mem::take(&mut self.lower);
        let r = self.rules.is_starter(&l) || self.rules.is_preposition(&l);
        self.lower = l;
        r
    }

    /// The sentence so far is nothing but the token at `tok_start` (a list marker "1.", a
    /// lone initial or abbreviation): never a sentence of its own.
    fn only_token(&self, tok_start: usize) -> bool {
        self.text[self.start..tok_start]
            .chars()
            .all(|c| c.is_whitespace() || is_bullet(c) || is_opener(c) || is_format(c) || c == '"')
    }

    /// The sentence so far is a short introductory phrase with a number ("At 5 a.m.",
    /// "On Jan. 5"): a preposition, at most four words, one of them a number.
    fn intro_phrase(&mut self, end: usize) -> bool {
        let frag = &self.text[self.start..end];
        let mut words = frag.split_whitespace();
        let Some(first) = words.next() else {
            return false;
        };
        let count = 1 + words.take(4).count();
        if count > 4 || !frag.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        self.lower.clear();
        self.lower.extend(
            first
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .chars()
                .flat_map(char::to_lowercase),
        );
        let w = std::mem::take(&mut self.lower);
        let r = self.rules.is_preposition(&w);
        self.lower = w;
        r
    }

    /// The next word starts a sentence: a listed starter, or a title ("Mr.").
    fn starts_sentence(&mut self, next: &Next) -> bool {
        if !matches!(next.kind, Kind::Upper | Kind::Caseless) {
            return false;
        }
        let (len, dot) = self.next_word_lower(next.word);
        if len == 0 {
            return false;
        }
        let w = std::mem::take(&mut self.lower);
        let r = self.rules.is_starter(&w) || (dot && self.rules.is_prefix(&w));
        self.lower = w;
        r
    }

    // ------------------------------------------------------------------ marks

    fn on_period(&mut self, i: usize) -> usize {
        if !self.rules.profile.period {
            return i + 1;
        }
        let n = self.bytes.len();
        let mut k = i;
        while k < n && self.bytes[k] == b'.' {
            k += 1;
        }
        if k - i >= 2 {
            return self.on_ellipsis(i, k);
        }
        // spaced ellipsis ". . ."
        if i + 2 < n && self.bytes[i + 1] == b' ' && self.bytes[i + 2] == b'.' {
            let mut j = i;
            let mut dots = 0;
            while j < n && self.bytes[j] == b'.' {
                dots += 1;
                if j + 2 < n && self.bytes[j + 1] == b' ' && self.bytes[j + 2] == b'.' {
                    j += 2;
                } else {
                    j += 1;
                    break;
                }
            }
            if dots >= 3 {
                return self.on_spaced_ellipsis(i, j, dots);
            }
        }
        let (end, closer) = self.run_end(i + 1);
        let next = self.next_at(end);
        if next.kind == Kind::End && next.first.is_none() {
            return end;
        }
        let cut = if next.ws {
            self.period_before_space(i, end, closer, &next)
        } else {
            !closer && self.missing_space(i, &next)
        };
        self.finish(end, cut)
    }

    /// Emit (or not) a cut after a mark whose run ends at `end`; a cut inside an open
    /// quotation that continues the sentence is dropped and the scan resumes at its end.
    fn finish(&mut self, end: usize, cut: bool) -> usize {
        if !cut {
            return end;
        }
        if !self.stack.is_empty() {
            if let Some(close) = self.embedded_until(end) {
                return close;
            }
        }
        self.cut(end);
        end
    }

    fn period_before_space(&mut self, i: usize, end: usize, closer: bool, next: &Next) -> bool {
        let (prev, tok_start) = self.prev_token(i);
        let alone = self.only_token(tok_start);
        match prev {
            // a full stop set off by a space ("Result<T, E> . The"): ends before a capital
            Prev::Empty => !alone && matches!(next.kind, Kind::Upper | Kind::Caseless),
            Prev::Word { plain_lower } => match next.kind {
                Kind::Lower => {
                    plain_lower
                        && !closer
                        && !next.opener
                        && !next.dash
                        && self.lowercase_start(i, end, next)
                }
                _ => self.ends_before(next),
            },
            Prev::Number { ordinal } => {
                if alone {
                    return false;
                }
                if ordinal && self.rules.profile.ordinal_period && matches!(next.kind, Kind::Upper)
                {
                    self.next_word_lower(next.word);
                    let w = std::mem::take(&mut self.lower);
                    let month = self.rules.is_month(&w);
                    self.lower = w;
                    // "der 3. Platz", "zum 2. Mal": after an article or preposition
                    let before = self.text[self.start..tok_start].trim_end();
                    let word_before = before.rsplit(char::is_whitespace).next().unwrap_or("");
                    let after_lower_word = !word_before.is_empty()
                        && (word_before
                            .chars()
                            .all(|c| c.is_alphabetic() && c.is_lowercase())
                            || self.is_function_word(word_before));
                    if month || after_lower_word {
                        return false;
                    }
                }
                next.kind != Kind::Lower && self.ends_before(next)
            }
            Prev::Prefix => false,
            Prev::Numeric => {
                // "No. 5" but "Is it? No. It is not."
                if next.kind == Kind::Digit {
                    return false;
                }
                next.kind != Kind::Lower && self.ends_before(next)
            }
            Prev::Ambiguous => {
                if alone {
                    return false;
                }
                // where every noun is capitalised ("5 Mio. Euro") a capital proves
                // nothing: the next word must start sentences
                let starts = if self.rules.profile.noun_capitals {
                    next.kind == Kind::Bullet || self.starts_sentence(next)
                } else {
                    matches!(next.kind, Kind::Upper | Kind::Caseless | Kind::Bullet)
                };
                starts && !self.intro_phrase(i)
            }
            Prev::Initial => {
                if alone {
                    return false;
                }
                (next.kind == Kind::Bullet || self.starts_sentence(next)) && !self.intro_phrase(i)
            }
        }
    }

    /// After an ordinary word and whitespace: does what follows start a sentence?
    fn ends_before(&self, next: &Next) -> bool {
        match next.kind {
            Kind::End => true,
            Kind::Upper | Kind::Caseless | Kind::Digit | Kind::Bullet | Kind::EllipsisWord => true,
            Kind::Lower | Kind::Continue => false,
            Kind::Other => !next.dash,
        }
    }

    /// "κανένας. το κόστος": a sentence that starts in lower case. Only after a plain
    /// lower-case word that is not an abbreviation, in a sentence of at least three words,
    /// before a lower-case word.
    fn lowercase_start(&mut self, i: usize, end: usize, next: &Next) -> bool {
        if end != i + 1 {
            return false;
        }
        let words = self.text[self.start..i].split_whitespace().take(3).count();
        if words < 3 {
            return false;
        }
        let (len, _) = self.next_word_lower(next.word);
        if len < 2 {
            return false;
        }
        // the next word must end like a word (not "e.g" style or a code identifier)
        let after = self.text[next.word + len..].chars().next();
        !after.is_some_and(|c| c == '.' || c == '_' || c == '(' || c.is_alphanumeric())
    }

    /// "world.Today", "1,000.That": a full stop without the space after it.
    fn missing_space(&mut self, i: usize, next: &Next) -> bool {
        if next.kind != Kind::Upper || next.opener || next.dash {
            return false;
        }
        let Some((_, before)) = char_before(self.text, i) else {
            return false;
        };
        if !(before.is_lowercase() || before.is_ascii_digit()) {
            return false;
        }
        // the next token must be a word of two or more letters, not part of an address
        let mut word_end = next.word;
        for (k, c) in self.text[next.word..].char_indices().take(MAX_TOKEN_CHARS) {
            if c.is_whitespace() {
                break;
            }
            word_end = next.word + k + c.len_utf8();
        }
        let next_tok = &self.text[next.word..word_end];
        if next_tok.contains(['@', '/', '\\', '_', '=']) {
            return false;
        }
        let letters = next_tok.chars().take_while(|c| c.is_alphabetic()).count();
        if letters < 2 {
            return false;
        }
        // "report.PDF" is a file name; "жағдайы.XVIII" a new sentence with a Roman numeral
        let word: &str = &next_tok[..next_tok
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(next_tok.len(), |(k, _)| k)];
        let all_caps = !word.chars().any(char::is_lowercase);
        if all_caps && letters < 5 && !word.bytes().all(|b| b"IVXLCDM".contains(&b)) {
            return false;
        }
        let (prev, tok_start) = self.prev_token(i);
        let tok = &self.text[tok_start..i];
        if tok.contains(['.', '/', '\\', '_', '=']) || tok.contains("://") {
            return false;
        }
        match prev {
            Prev::Word { .. } => tok.chars().filter(|c| c.is_alphabetic()).count() >= 2,
            Prev::Number { .. } => true,
            _ => false,
        }
    }

    fn on_ellipsis(&mut self, i: usize, k: usize) -> usize {
        // "[...]" and "(...)" mark an omission, not an end
        let before = char_before(self.text, i).map(|(_, c)| c);
        let after = self.text[k..].chars().next();
        if matches!(before, Some('[' | '(')) && matches!(after, Some(']' | ')')) {
            return k + 1;
        }
        let (end, closer) = self.run_end(k);
        let next = self.next_at(end);
        let cut = if next.ws {
            matches!(
                next.kind,
                Kind::Upper | Kind::Caseless | Kind::Digit | Kind::Bullet
            )
        } else {
            // "now...I don't", "valuation...Then": a new sentence without the space
            !closer && !next.opener && !next.dash && self.capital_word_at(&next)
        };
        self.finish(end, cut)
    }

    /// The next word is capitalised and is a word: two letters or more, or "I" alone.
    fn capital_word_at(&self, next: &Next) -> bool {
        if next.kind != Kind::Upper {
            return false;
        }
        let mut it = self.text[next.word..].chars();
        it.next();
        match it.next() {
            Some(c) if c.is_alphabetic() => true,
            Some('\'' | '’' | ' ') => self.bytes[next.word] == b'I',
            _ => false,
        }
    }

    /// ". . ." (three spaced dots) is an ellipsis and never ends a sentence; a fourth dot
    /// is a full stop. A period on the word before it ("compounds. . . . The") ends the
    /// sentence when a new one follows, and the ellipsis opens the next.
    fn on_spaced_ellipsis(&mut self, i: usize, j: usize, dots: usize) -> usize {
        let attached = char_before(self.text, i).is_some_and(|(_, c)| !c.is_whitespace());
        let (end, _) = self.run_end(j);
        let next = self.next_at(end);
        let new_sentence =
            next.ws && matches!(next.kind, Kind::Upper | Kind::Caseless | Kind::Digit);
        if attached && dots >= 4 {
            if new_sentence {
                self.cut(i + 1);
            }
            return end;
        }
        if !attached && dots >= 4 && (new_sentence || next.kind == Kind::End) {
            return self.finish(end, new_sentence);
        }
        end
    }

    /// "!" and "?" (and the Greek ";").
    fn on_mark(&mut self, i: usize) -> usize {
        let (end, closer) = self.run_end(i + 1);
        let next = self.next_at(end);
        if next.first.is_none() {
            return end;
        }
        let question = self.text[i..end].contains(['?', ';']);
        // a mark standing alone between spaces ("the ? operator") is a symbol
        let isolated = char_before(self.text, i).is_none_or(|(_, p)| p.is_whitespace());
        let cut = if next.ws {
            match next.kind {
                Kind::Lower => question && !closer && !next.dash && !next.opener && !isolated,
                Kind::Other | Kind::Continue => false,
                _ if next.dash => matches!(next.kind, Kind::Upper | Kind::Caseless),
                _ => true,
            }
        } else {
            !closer && self.missing_space_mark(i, &next)
        };
        self.finish(end, cut)
    }

    fn missing_space_mark(&mut self, i: usize, next: &Next) -> bool {
        if next.kind != Kind::Upper || next.opener || next.dash {
            return false;
        }
        let tok_start = self.token_start(i);
        let tok = &self.text[tok_start..i];
        if tok.contains(['.', '/', '\\', '_', '=', '@']) {
            return false;
        }
        let (len, _) = self.next_word_lower(next.word);
        len >= 2 && tok.chars().filter(|c| c.is_alphabetic()).count() >= 2
    }

    /// Full stops of scripts that need no space after them.
    fn on_script_stop(&mut self, i: usize) -> usize {
        let c = char_at(self.text, i);
        let (end, closer) = self.run_end(i + c.len_utf8());
        let next = self.next_at(end);
        if next.first.is_none() {
            return end;
        }
        // 「…。」と言った : a quotation that the sentence goes on after
        let goes_on = closer && !next.ws && next.first.is_some_and(char::is_alphanumeric);
        let cut = !goes_on && next.kind != Kind::Continue;
        self.finish(end, cut)
    }

    fn on_colon(&mut self, i: usize) -> usize {
        let colon = self.rules.profile.colon;
        if colon == Colon::Plain {
            return i + 1;
        }
        let (end, _) = self.run_end(i + 1);
        let next = self.next_at(end);
        if !next.ws {
            return i + 1;
        }
        let cut = match colon {
            Colon::Stop => matches!(
                next.kind,
                Kind::Upper | Kind::Caseless | Kind::End | Kind::Bullet
            ),
            Colon::BeforeText => !next.opener && matches!(next.kind, Kind::Upper | Kind::Caseless),
            Colon::Plain => false,
        };
        self.finish(end.max(i + 1), cut)
    }

    /// Line breaks: a blank line always ends a sentence; a single break does too, unless
    /// the line goes on in lower case after a line long enough to be wrapped prose.
    fn on_newline(&mut self, i: usize) -> usize {
        if self.text[self.start..i].trim().is_empty() {
            return i + 1;
        }
        let mut j = i + 1;
        while j < self.bytes.len() && matches!(self.bytes[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if j >= self.bytes.len() {
            return j;
        }
        if self.bytes[j] == b'\n' {
            self.cut(i);
            return j;
        }
        let next = char_at(self.text, j);
        let line_start = self.text[self.start..i]
            .rfind('\n')
            .map_or(self.start, |p| self.start + p + 1);
        let line = self.text[line_start..i].trim_end();
        let words = line.split_whitespace().count();
        let ends_open = line.ends_with([',', ';', ':', '(', '-', '–', '—', '&']);
        let join = next.is_lowercase()
            && (words >= 4 || ends_open || !self.stack.is_empty())
            && marker_at(self.text, j).is_none();
        if !join {
            self.cut(i);
        }
        j
    }

    // ------------------------------------------------------------------ lists

    /// A numbered or lettered list marker at (or after whitespace and a bullet from) `at`:
    /// find the next items of the same style ("1." ... "2." ... "3.") and remember them, so
    /// that each starts a sentence even when the previous item has no full stop.
    fn find_list(&mut self, at: usize) {
        if self.next_marker < self.markers.len() {
            return;
        }
        let mut p = at;
        while p < self.bytes.len() {
            let c = char_at(self.text, p);
            if c.is_whitespace() || is_bullet(c) {
                p += c.len_utf8();
            } else {
                break;
            }
        }
        let Some((mut label, style, mut end)) = marker_at(self.text, p) else {
            return;
        };
        self.markers.clear();
        self.next_marker = 0;
        let mut limit = (end + LIST_LOOKAHEAD).min(self.bytes.len());
        while !self.text.is_char_boundary(limit) {
            limit -= 1;
        }
        let para_end = self.text[end..limit]
            .find("\n\n")
            .map_or(limit, |e| end + e);
        while let Some(next) = label.next() {
            let pat = next.render(style);
            let mut found = None;
            let mut from = end;
            while let Some(off) = self.text[from..para_end].find(pat.as_str()) {
                let q = from + off;
                let qe = q + pat.len();
                let before_ok = char_before(self.text, q)
                    .is_some_and(|(_, b)| b.is_whitespace() || is_bullet(b));
                let after_ok = self.text[qe..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace);
                if before_ok && after_ok {
                    found = Some((q, qe));
                    break;
                }
                from = qe;
            }
            let Some((q, qe)) = found else { break };
            // the item starts at its bullet, if it has one ("• 10.", "⁃10.")
            let mut qs = q;
            let mut p = q;
            while let Some((b, c)) = char_before(self.text, p) {
                if c == ' ' || c == '\t' {
                    p = b;
                } else if is_bullet(c) {
                    p = b;
                    qs = b;
                } else {
                    break;
                }
            }
            self.markers.push((qs, qe));
            label = next;
            end = qe;
        }
    }
}

/// A list label: a number or a lower-case letter.
#[derive(Debug, Clone, Copy)]
enum Label {
    Num(u32),
    Letter(u8),
}

impl Label {
    fn next(self) -> Option<Label> {
        match self {
            Label::Num(n) if n < 999 => Some(Label::Num(n + 1)),
            Label::Letter(b) if b < b'z' => Some(Label::Letter(b + 1)),
            _ => None,
        }
    }

    fn render(self, style: &str) -> String {
        match self {
            Label::Num(n) => format!("{n}{style}"),
            Label::Letter(b) => format!("{}{style}", b as char),
        }
    }
}

/// A list marker at `p`: "12.", "3)", "4.)", "a.", "b)" followed by whitespace. Returns the
/// label, the style after it and the end of the marker.
fn marker_at(text: &str, p: usize) -> Option<(Label, &'static str, usize)> {
    let b = text.as_bytes();
    let mut q = p;
    while q < b.len() && b[q].is_ascii_digit() && q - p < 3 {
        q += 1;
    }
    let label = if q > p {
        if q < b.len() && b[q].is_ascii_digit() {
            return None;
        }
        Label::Num(text[p..q].parse().ok()?)
    } else if p < b.len() && b[p].is_ascii_lowercase() {
        q = p + 1;
        Label::Letter(b[p])
    } else {
        return None;
    };
    let rest = &text[q..];
    let style = if rest.starts_with(".)") {
        ".)"
    } else if rest.starts_with(')') {
        ")"
    } else if rest.starts_with('.') {
        "."
    } else {
        return None;
    };
    let end = q + style.len();
    if !text[end..].starts_with(char::is_whitespace) {
        return None;
    }
    Some((label, style, end))
}

/// "U.S", "e.g", "a.m", "Ph.D", "LL.AA.II.RR", "т.г": letters in short dotted groups.
fn is_dotted_acronym(tok: &str) -> bool {
    if !tok.contains('.') {
        return false;
    }
    let mut all_short = true;
    let mut last_len = 0;
    for seg in tok.split('.') {
        let len = seg.chars().count();
        if len == 0 || len > 4 || !seg.chars().all(char::is_alphabetic) {
            return false;
        }
        all_short &= len <= 2;
        last_len = len;
    }
    all_short || last_len <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_acronyms() {
        assert!(is_dotted_acronym("U.S") && is_dotted_acronym("a.m") && is_dotted_acronym("Ph.D"));
        assert!(!is_dotted_acronym("bbc.com") && !is_dotted_acronym("example.50"));
        assert!(!is_dotted_acronym("word"));
    }

    #[test]
    fn list_markers() {
        assert!(matches!(
            marker_at("1. Item", 0),
            Some((Label::Num(1), ".", 2))
        ));
        assert!(matches!(marker_at("2.) Item", 0), Some((_, ".)", 3))));
        assert!(matches!(
            marker_at("b) x", 0),
            Some((Label::Letter(b'b'), ")", 2))
        ));
        assert!(marker_at("1.5 x", 0).is_none());
        assert!(marker_at("2019. x", 0).is_none());
    }
}
