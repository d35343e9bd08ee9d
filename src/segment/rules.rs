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

/// One language's lists plus its profile.
#[derive(Debug)]
pub(crate) struct LangRules {
    pub words: WordLists,
    pub profile: Profile,
}

/// Every language's rules, built once.
#[derive(Debug)]
pub(crate) struct Catalog {
    langs: HashMap<&'static str, LangRules>,
    neutral: LangRules,
}

/// The rules in force for one call: the language's lists (if any) and the neutral ones.
#[derive(Clone, Copy)]
pub(crate) struct Rules<'a> {
    lang: Option<&'a WordLists>,
    neutral: &'a WordLists,
    pub profile: Profile,
}

impl Catalog {
    pub(crate) fn new() -> Catalog {
        let langs = FILES
            .iter()
            .map(|(code, data)| {
                (
                    *code,
                    LangRules {
                        words: WordLists::parse(data),
                        profile: Profile::for_lang(code),
                    },
                )
            })
            .collect();
        Catalog {
            langs,
            neutral: LangRules {
                words: WordLists::parse(NEUTRAL),
                profile: Profile::for_lang(""),
            },
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
                lang: Some(&l.words),
                neutral: &self.neutral.words,
                profile: l.profile,
            },
            None => Rules {
                lang: None,
                neutral: &self.neutral.words,
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
        let lists = self.lang.into_iter().chain(std::iter::once(self.neutral));
        let mut found = None;
        for l in lists {
            let k = if l.prefix.contains(word) {
                Some(AbbrevKind::Prefix)
            } else if l.numeric.contains(word) {
                Some(AbbrevKind::Numeric)
            } else if l.abbrev.contains(word) {
                Some(AbbrevKind::Ambiguous)
            } else {
                None
            };
            if k.is_some() {
                found = k;
                break;
            }
        }
        found
    }

    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.lang.is_some_and(|l| l.starters.contains(word))
    }

    pub(crate) fn is_month(&self, word: &str) -> bool {
        self.lang.is_some_and(|l| l.months.contains(word))
    }

    pub(crate) fn is_preposition(&self, word: &str) -> bool {
        self.lang.is_some_and(|l| l.prepositions.contains(word))
    }

    /// A title or other prefix abbreviation (for "... P.M. Mr. Smith").
    pub(crate) fn is_prefix(&self, word: &str) -> bool {
        self.lang.is_some_and(|l| l.prefix.contains(word)) || self.neutral.prefix.contains(word)
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
        assert!(c.rules("no").is_month("mai"));
        assert!(c.languages().contains(&"en"));
    }
}
