//! Sentence segmentation of kept text: a rule-based splitter that knows abbreviations,
//! initials, decimals, quotes and ellipses, with per-language abbreviation data files.
//!
//! [`Splitter::split`] returns slices of its input, in order, that cover every
//! non-whitespace character exactly once: joining them with the whitespace between them
//! gives the input back.

use std::collections::{HashMap, HashSet};

/// Abbreviation data, one file per language (see `abbrev/*.txt`).
const ABBREV_FILES: &[(&str, &str)] = &[("en", include_str!("abbrev/en.txt"))];

pub struct Splitter {
    abbrevs: HashMap<&'static str, HashSet<String>>,
}

impl Default for Splitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Splitter {
    pub fn new() -> Self {
        let mut abbrevs = HashMap::new();
        for (lang, data) in ABBREV_FILES {
            let set = data
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_lowercase)
                .collect();
            abbrevs.insert(*lang, set);
        }
        Splitter { abbrevs }
    }

    /// Split `text` into sentences (slices of `text`).
    pub fn split<'a>(&self, text: &'a str, lang: &str) -> Vec<&'a str> {
        let abbr = self.abbrevs.get(lang).or_else(|| self.abbrevs.get("en"));
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            if matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？') {
                // extend over runs of terminators and closing quotes/brackets
                let mut j = i + 1;
                while j < chars.len()
                    && matches!(
                        chars[j].1,
                        '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | '»'
                    )
                {
                    j += 1;
                }
                let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
                let next = chars[j..].iter().find(|(_, ch)| !ch.is_whitespace());
                let has_space = chars.get(j).is_some_and(|(_, ch)| ch.is_whitespace());
                let boundary = match next {
                    None => true,
                    Some(&(_, n)) => {
                        let cjk = matches!(c, '。' | '！' | '？');
                        (has_space || cjk)
                            && (n.is_uppercase()
                                || !n.is_alphabetic() && !n.is_ascii_digit()
                                || cjk)
                            && !(c == '.' && is_abbrev(&text[start..pos], abbr))
                    }
                };
                if boundary {
                    let s = text[start..end].trim();
                    if !s.is_empty() {
                        out.push(s);
                    }
                    start = end;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        let s = text[start..].trim();
        if !s.is_empty() {
            out.push(s);
        }
        out
    }
}

/// The word before a period is a known abbreviation or a single initial.
fn is_abbrev(before: &str, abbr: Option<&HashSet<String>>) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    abbr.is_some_and(|a| a.contains(&word.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_split_and_coverage() {
        let s = Splitter::new();
        let t = "Mr. Smith went to Washington. He arrived at 6.30 p.m. on Monday! Did he? Yes.";
        let out = s.split(t, "en");
        assert_eq!(out[0], "Mr. Smith went to Washington.");
        assert_eq!(out.last(), Some(&"Yes."));
    }
}
