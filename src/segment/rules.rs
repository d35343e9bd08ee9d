//! Per-language sentence rules: the word lists of `abbrev/<lang>.txt` (abbreviations by how
//! they behave, sentence starters, months, prepositions) and a small profile of script
//! conventions (which marks end a sentence, ordinal periods).
//!
//! Data only: parsing the lists and answering membership questions. The scanner that uses
//! them is `scan`.

use std::collections::{HashMap, HashSet};

/// Abbreviation data, one file per language (see `abbrev/neutral.txt` for the format).
const FILES: &[(&str, &str)] = &[
    ("ar", include_str!("abbrev/ar.txt")),
    ("bg", include_str!("abbrev/bg.txt")),
    ("cs", include_str!("abbrev/cs.txt")),
    ("da", include_str!("abbrev/da.txt")),
    ("de", include_str!("abbrev/de.txt")),
    ("el", include_str!("abbrev/el.txt")),
    ("en", include_str!("abbrev/en.txt")),
    ("es", include_str!("abbrev/es.txt")),
    ("fa", include_str!("abbrev/fa.txt")),
    ("fr", include_str!("abbrev/fr.txt")),
    ("hi", include_str!("abbrev/hi.txt")),
    ("hy", include_str!("abbrev/hy.txt")),
    ("it", include_str!("abbrev/it.txt")),
    ("kk", include_str!("abbrev/kk.txt")),
    ("mr", include_str!("abbrev/mr.txt")),
    ("nb", include_str!("abbrev/nb.txt")),
    ("nl", include_str!("abbrev/nl.txt")),
    ("pl", include_str!("abbrev/pl.txt")),
    ("pt", include_str!("abbrev/pt.txt")),
    ("ru", include_str!("abbrev/ru.txt")),
    ("sk", include_str!("abbrev/sk.txt")),
    ("sv", include_str!("abbrev/sv.txt")),
    ("tr", include_str!("abbrev/tr.txt")),
    ("uk", include_str!("abbrev/uk.txt")),
    ("ur", include_str!("abbrev/ur.txt")),
];

/// Language codes that share another language's file.
const ALIASES: &[(&str, &str)] = &[("no", "nb"), ("nn", "nb")];

const NEUTRAL: &str = include_str!("abbrev/neutral.txt");

/// Languages that write ordinal numbers with a period ("am 12. Juni", "XII. pluk").
const ORDINAL_PERIOD: &[&str] = &[
    "bs", "cs", "da", "de", "et", "fi", "fo", "hr", "hu", "is", "lv", "nb", "nn", "no", "pl", "sk",
    "sl", "sr", "tr",
];

/// What a colon means at the end of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Colon {
    /// An ordinary colon.
    Plain,
    /// A full stop (Armenian, where ":" stands in for "։").
    Stop,
    /// Ends a headline or lead-in before more text, not before a quotation (Arabic).
    BeforeText,
}

/// Script conventions of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    /// "." ends sentences (not in Armenian, where it is a mid-sentence mark).
    pub period: bool,
    pub colon: Colon,
    /// ";" is the question mark (Greek).
    pub semicolon_question: bool,
    /// Ordinals are written with a period.
    pub ordinal_period: bool,
    /// Nouns are capitalised (German), so a capital after an abbreviation is no evidence.
    pub noun_capitals: bool,
}

impl Profile {
    fn for_lang(lang: &str) -> Profile {
        Profile {
            period: lang != "hy",
            colon: match lang {
                "hy" => Colon::Stop,
                "ar" => Colon::BeforeText,
                _ => Colon::Plain,
            },
            semicolon_question: lang == "el",
            ordinal_period: ORDINAL_PERIOD.contains(&lang),
            noun_capitals: matches!(lang, "de" | "lb"),
        }
    }
}

/// How an abbreviation behaves before the next word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevKind {
    /// Precedes what it qualifies (titles, "e.g."): never ends a sentence.
    Prefix,
    /// Precedes a number ("No. 5"): no end before a digit, otherwise an ordinary word.
    Numeric,
    /// May end a sentence: ends one before a capitalised word.
    Ambiguous,
}

/// The word lists of one language file.
#[derive(Debug, Default)]
pub(crate) struct WordLists {
    prefix: HashSet<String>,
    numeric: HashSet<String>,
    abbrev: HashSet<String>,
    starters: HashSet<String>,
    months: HashSet<String>,
    prepositions: HashSet<String>,
}

impl WordLists {
    pub(crate) fn parse(data: &str) -> WordLists {
        let mut w = WordLists::default();
        let mut section = "abbrev";
        for line in data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = match name {
                    "prefix" => "prefix",
                    "numeric" => "numeric",
                    "starters" => "starters",
                    "months" => "months",
                    "prepositions" => "prepositions",
                    _ => "abbrev",
                };
                continue;
            }
            if line.contains(char::is_whitespace) {
                continue;
            }
            let entry = line.trim_end_matches('.').to_lowercase();
            let set = match section {
                "prefix" => &mut w.prefix,
                "numeric" => &mut w.numeric,
                "starters" => &mut w.starters,
                "months" => &mut w.months,
                "prepositions" => &mut w.prepositions,
                _ => &mut w.abbrev,
            };
            set.insert(entry);
        }
        w
    }
}

const PREFIX: u8 = 1;
const NUMERIC: u8 = 2;
const ABBREV: u8 = 4;
const STARTER: u8 = 8;
const MONTH: u8 = 16;
const PREPOSITION: u8 = 32;
const ABBREV_CLASSES: u8 = PREFIX | NUMERIC | ABBREV;

/// Every list of one language merged with the neutral lists into one map from word to
/// flags, so a candidate costs one hash lookup. A language's own classification of an
/// abbreviation replaces the neutral one.
#[derive(Debug, Default)]
struct Lexicon {
    words: HashMap<Box<str>, u8, crate::hash::FastBuild>,
    /// Some entries are word endings ("-str").
    endings: bool,
}

impl Lexicon {
    fn build(lang: Option<&WordLists>, neutral: &WordLists) -> Lexicon {
        let mut words: HashMap<Box<str>, u8, crate::hash::FastBuild> = HashMap::default();
        let mut add = |set: &HashSet<String>, flag: u8, own: bool| {
            for w in set {
                let e = words.entry(w.as_str().into()).or_insert(0);
                if own && flag & ABBREV_CLASSES != 0 && *e & ABBREV_CLASSES != 0 && *e & 0x80 == 0 {
                    // first own class for this word: drop the neutral one
                    *e &= !ABBREV_CLASSES;
                }
                *e |= flag;
                if own && flag & ABBREV_CLASSES != 0 {
                    *e |= 0x80;
                }
            }
        };
        add(&neutral.prefix, PREFIX, false);
        add(&neutral.numeric, NUMERIC, false);
        add(&neutral.abbrev, ABBREV, false);
        if let Some(l) = lang {
            add(&l.prefix, PREFIX, true);
            add(&l.numeric, NUMERIC, true);
            add(&l.abbrev, ABBREV, true);
            add(&l.starters, STARTER, true);
            add(&l.months, MONTH, true);
            add(&l.prepositions, PREPOSITION, true);
        }
        for v in words.values_mut() {
            *v &= 0x7F;
        }
        let endings = words.keys().any(|k| k.starts_with('-'));
        Lexicon { words, endings }
    }

    fn flags(&self, word: &str) -> u8 {
        self.words.get(word).copied().unwrap_or(0)
    }
}

/// One language's merged lists plus its profile.
#[derive(Debug)]
struct LangRules {
    lexicon: Lexicon,
    profile: Profile,
}

/// Every language's rules, built once.
#[derive(Debug)]
pub(crate) struct Catalog {
    langs: HashMap<&'static str, LangRules>,
    neutral: Lexicon,
}

/// The rules in force for one call: the merged lists of the language (or the neutral ones)
/// and the language's script conventions.
#[derive(Clone, Copy)]
pub(crate) struct Rules<'a> {
    lexicon: &'a Lexicon,
    pub profile: Profile,
}

impl Catalog {
    pub(crate) fn new() -> Catalog {
        let neutral = WordLists::parse(NEUTRAL);
        let langs = FILES
            .iter()
            .map(|(code, data)| {
                let own = WordLists::parse(data);
                (
                    *code,
                    LangRules {
                        lexicon: Lexicon::build(Some(&own), &neutral),
                        profile: Profile::for_lang(code),
                    },
                )
            })
            .collect();
        Catalog {
            langs,
            neutral: Lexicon::build(None, &neutral),
        }
    }

    /// Rules for a language code (`en`, `en-US`, `EN_gb`); unknown codes get the neutral
    /// lists with the script conventions of the code (if it has any).
    pub(crate) fn rules(&self, lang: &str) -> Rules<'_> {
        let mut buf = [0u8; 3];
        let code = primary_code(lang, &mut buf);
        let code = ALIASES
            .iter()
            .find(|(a, _)| *a == code)
            .map_or(code, |(_, b)| *b);
        match self.langs.get(code) {
            Some(l) => Rules {
                lexicon: &l.lexicon,
                profile: l.profile,
            },
            None => Rules {
                lexicon: &self.neutral,
                profile: Profile::for_lang(code),
            },
        }
    }

    /// Language codes that have their own file, sorted.
    pub(crate) fn languages(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.langs.keys().copied().collect();
        v.sort_unstable();
        v
    }
}

/// The primary subtag of a language tag, lower-cased ASCII (empty when there is none).
fn primary_code<'b>(lang: &str, buf: &'b mut [u8; 3]) -> &'b str {
    let primary = lang.trim().split(['-', '_']).next().unwrap_or("");
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return "";
    }
    for (d, s) in buf.iter_mut().zip(primary.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    let n = primary.len();
    let code = std::str::from_utf8(&buf[..n]).unwrap_or("");
    if n == 3 {
        return crate::lang::iso639_1(code);
    }
    code
}

impl Rules<'_> {
    /// How `word` (lower case, without its final period) behaves as an abbreviation.
    pub(crate) fn abbrev(&self, word: &str) -> Option<AbbrevKind> {
        let f = self.lexicon.flags(word);
        if f & PREFIX != 0 {
            Some(AbbrevKind::Prefix)
        } else if f & NUMERIC != 0 {
            Some(AbbrevKind::Numeric)
        } else if f & ABBREV != 0 {
            Some(AbbrevKind::Ambiguous)
        } else {
            None
        }
    }

    /// Words that end in a listed ending ("-str": "Hauptstr.", "Kerkstr.") behave as that
    /// entry does.
    pub(crate) fn abbrev_ending(&self, word: &str) -> Option<AbbrevKind> {
        if !self.lexicon.endings {
            return None;
        }
        let mut buf = String::with_capacity(8);
        for (k, _) in word.char_indices().skip(1) {
            let tail = &word[k..];
            if tail.len() > 6 {
                continue;
            }
            buf.clear();
            buf.push('-');
            buf.push_str(tail);
            let kind = self.abbrev(&buf);
            if kind.is_some() {
                return kind;
            }
        }
        None
    }

    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.lexicon.flags(word) & STARTER != 0
    }

    pub(crate) fn is_month(&self, word: &str) -> bool {
        self.lexicon.flags(word) & MONTH != 0
    }

    pub(crate) fn is_preposition(&self, word: &str) -> bool {
        self.lexicon.flags(word) & PREPOSITION != 0
    }

    /// A title or other prefix abbreviation (for "... P.M. Mr. Smith").
    pub(crate) fn is_prefix(&self, word: &str) -> bool {
        self.lexicon.flags(word) & PREFIX != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_codes() {
        let c = Catalog::new();
        let en = c.rules("en-US");
        assert_eq!(en.abbrev("mr"), Some(AbbrevKind::Prefix));
        assert_eq!(en.abbrev("p"), Some(AbbrevKind::Numeric));
        assert_eq!(en.abbrev("inc"), Some(AbbrevKind::Ambiguous));
        assert_eq!(en.abbrev("house"), None);
        assert!(en.is_starter("the") && en.is_month("june"));
        let de = c.rules("DE");
        assert!(de.profile.ordinal_period && de.is_month("juni"));
        assert!(!c.rules("hy").profile.period);
        assert!(c.rules("el").profile.semicolon_question);
        // unknown language: neutral lists only
        let xx = c.rules("xx");
        assert_eq!(xx.abbrev("e.g"), Some(AbbrevKind::Prefix));
        assert!(!xx.is_starter("the"));
        assert_eq!(xx.abbrev("inc"), Some(AbbrevKind::Ambiguous));
        // neutral entries reach every language
        assert_eq!(c.rules("de").abbrev("inc"), Some(AbbrevKind::Ambiguous));
        assert_eq!(c.rules("de").abbrev("usw"), Some(AbbrevKind::Ambiguous));
        assert!(c.rules("no").is_month("mai"));
        assert!(c.languages().contains(&"en"));
    }
}
