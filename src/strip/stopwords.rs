//! Stop-word lists per language (`stopwords/<lang>.txt`, compiled in) for the stop-word ratio
//! of a block: running prose is full of function words, menus and product grids are not.
//! Only the lookup lives here; how the ratio is weighed is the business of `context`.

use std::collections::HashSet;
use std::sync::LazyLock;

const LISTS: &[(&str, &str)] = &[
    ("en", include_str!("stopwords/en.txt")),
    ("de", include_str!("stopwords/de.txt")),
    ("fr", include_str!("stopwords/fr.txt")),
    ("es", include_str!("stopwords/es.txt")),
    ("it", include_str!("stopwords/it.txt")),
    ("pt", include_str!("stopwords/pt.txt")),
    ("nl", include_str!("stopwords/nl.txt")),
];

type Table = Vec<(&'static str, HashSet<&'static str>)>;

static TABLES: LazyLock<Table> = LazyLock::new(|| {
    LISTS
        .iter()
        .map(|(lang, src)| {
            let set = src
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            (*lang, set)
        })
        .collect()
});

/// The stop words of `lang` (ISO 639-1), if we have a list for it.
pub fn for_lang(lang: Option<&str>) -> Option<&'static HashSet<&'static str>> {
    let lang = lang?;
    TABLES.iter().find(|(l, _)| *l == lang).map(|(_, s)| s)
}

/// Is `word` (any case) a stop word of the list?
pub fn is_stopword(set: &HashSet<&'static str>, word: &str) -> bool {
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    set.contains(lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_ratio_separates_prose_from_menus() {
        let en = for_lang(Some("en")).expect("english list");
        assert!(is_stopword(en, "The"));
        assert!(!is_stopword(en, "Pricing"));
        assert!(for_lang(Some("xx")).is_none());
        assert!(for_lang(None).is_none());
        let prose = crate::text::stopword_ratio(
            "She said that the harbour would be closed for most of the winter.",
            en,
        );
        let menu = crate::text::stopword_ratio("Pricing Features Careers Blog Contact", en);
        assert!(prose > 0.4, "{prose}");
        assert_eq!(menu, 0.0);
        for (lang, _) in LISTS {
            assert!(
                for_lang(Some(lang)).is_some_and(|s| s.len() >= 20),
                "{lang}"
            );
        }
    }
}
