//! Sentence segmentation of kept text: a rule-based splitter for many languages.
//!
//! [`Splitter::split`] returns trimmed slices of its input, in order, that cover every
//! non-whitespace character exactly once: joining them with the whitespace between them
//! gives the input back. Decisions use per-language data (`abbrev/<lang>.txt`: titles,
//! months, units, Latin and company abbreviations, sentence starters) and rules for numbers
//! and initials, ellipses, quotes and brackets that close after a full stop, list
//! numbering, URLs and e-mail addresses, missing spaces after a full stop, line breaks and
//! the full stops of other scripts (CJK, Devanagari danda, Arabic-script question mark and
//! Urdu full stop, Armenian, Ethiopic, Myanmar, the Greek question mark `;`).
//!
//! Not for: tokenisation, language detection (the language is the caller's), or
//! rewriting text (no cleaning; the output is always slices of the input).

mod chars;
mod rules;
mod scan;

/// A compiled splitter: every language's word lists, built once and shared read-only
/// between threads.
pub struct Splitter {
    catalog: rules::Catalog,
}

impl Default for Splitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Splitter {
    pub fn new() -> Self {
        Splitter {
            catalog: rules::Catalog::new(),
        }
    }

    /// Split `text` into sentences (trimmed slices of `text`, none empty). `lang` is an
    /// ISO 639-1 code or language tag (`en`, `pt-BR`); unknown or empty codes fall back to
    /// language-neutral rules.
    pub fn split<'a>(&self, text: &'a str, lang: &str) -> Vec<&'a str> {
        let rules = self.catalog.rules(lang);
        let cuts = scan::cuts(text, rules);
        let mut out = Vec::with_capacity(cuts.len() + 1);
        let mut start = 0;
        for end in cuts.into_iter().chain(std::iter::once(text.len())) {
            if end <= start {
                continue;
            }
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
        out
    }

    /// Language codes with their own abbreviation data, sorted.
    pub fn languages(&self) -> Vec<&'static str> {
        self.catalog.languages()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_split_and_coverage() {
        let s = Splitter::new();
        let t = "Mr. Smith went to Washington. He arrived at 6.30 p.m. on Monday! Did he? Yes.";
        let out = s.split(t, "en");
        assert_eq!(
            out,
            [
                "Mr. Smith went to Washington.",
                "He arrived at 6.30 p.m. on Monday!",
                "Did he?",
                "Yes."
            ]
        );
    }

    #[test]
    fn empty_and_blank() {
        let s = Splitter::new();
        assert!(s.split("", "en").is_empty());
        assert!(s.split(" \n\t ", "xx").is_empty());
        assert_eq!(s.split("no stop at all", "en"), ["no stop at all"]);
    }
}
