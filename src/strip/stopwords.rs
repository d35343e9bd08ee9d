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
    ("ru", include_str!("stopwords/ru.txt")),
];

type Table = Vec<(&'static str, HashSet<&'static str>, Packed)>;

static TABLES: LazyLock<Table> = LazyLock::new(|| {
    LISTS
        .iter()
        .map(|(lang, src)| {
            let set: HashSet<&'static str> = src
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            let packed = Packed::of(&set);
            (*lang, set, packed)
        })
        .collect()
});

/// The stop words of `lang` (ISO 639-1), if we have a list for it.
pub fn for_lang(lang: Option<&str>) -> Option<&'static HashSet<&'static str>> {
    let lang = lang?;
    TABLES.iter().find(|(l, ..)| *l == lang).map(|(_, s, _)| s)
}

/// The packed copy of `set` when it is one of the compiled-in lists (found by address).
pub(crate) fn packed_of(set: &HashSet<&'static str>) -> Option<&'static Packed> {
    TABLES
        .iter()
        .find(|(_, s, _)| std::ptr::eq(s, set))
        .map(|(.., p)| p)
}

/// Longest word (in bytes) a [`Packed`] key holds.
pub(crate) const PACKED_MAX: usize = 15;

/// The words of a stop-word set of at most [`PACKED_MAX`] bytes as `u128` keys (bytes in
/// the low 15 bytes, length in the top byte, so no two strings share a key) in an
/// open-addressing table: a lookup is one multiply and a probe or two, where the
/// `HashSet` hashes with SipHash. Words longer than that are simply not in it.
pub(crate) struct Packed {
    slots: Box<[u128; PACKED_SLOTS]>,
}

/// Slots of a [`Packed`] table (a power of two, over twice the longest list).
const PACKED_SLOTS: usize = 512;

/// Key of a string of at most [`PACKED_MAX`] bytes (never 0: the length is at least 1 or
/// the string is empty, whose key is 0 and never stored).
pub(crate) fn pack(bytes: &[u8]) -> u128 {
    let mut k = [0u8; 16];
    let n = bytes.len().min(PACKED_MAX);
    k[..n].copy_from_slice(&bytes[..n]);
    k[15] = bytes.len() as u8;
    u128::from_le_bytes(k)
}

/// [`pack`] of the ASCII-lower-cased `bytes` (at most [`PACKED_MAX`] of them).
pub(crate) fn pack_ascii_lower(bytes: &[u8]) -> u128 {
    let mut k = [0u8; 16];
    let n = bytes.len().min(PACKED_MAX);
    k[..n].copy_from_slice(&bytes[..n]);
    let x = u128::from_le_bytes(k);
    // All sixteen bytes at once: a byte of `A`..=`Z` gets its 0x20 bit. For a byte below
    // 0x80 the sums stay below 0x100, so no carry crosses into the next byte; the high bit of
    // `x + 0x3f` is set from `A` up, that of `x + 0x25` above `Z`.
    const LOW7: u128 = 0x7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f;
    const HIGH: u128 = !LOW7;
    const ONES: u128 = LOW7 / 0x7f;
    let lower = if x & HIGH == 0 {
        let upper = ((x + ONES * 0x3f) ^ (x + ONES * 0x25)) & HIGH;
        x | upper >> 2
    } else {
        let mut k = k;
        for l in &mut k[..n] {
            *l = l.to_ascii_lowercase();
        }
        u128::from_le_bytes(k)
    };
    lower | (bytes.len() as u128) << 120
}

fn slot_of(k: u128) -> usize {
    let h = ((k as u64) ^ ((k >> 64) as u64).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 55) as usize & (PACKED_SLOTS - 1)
}

impl Packed {
    fn of(set: &HashSet<&'static str>) -> Self {
        let mut slots = Box::new([0u128; PACKED_SLOTS]);
        // Stored in sorted order so the layout does not depend on the set's iteration.
        let mut words: Vec<&str> = set
            .iter()
            .copied()
            .filter(|w| !w.is_empty() && w.len() <= PACKED_MAX)
            .collect();
        words.sort_unstable();
        for w in words.into_iter().take(PACKED_SLOTS / 2) {
            let k = pack(w.as_bytes());
            let mut i = slot_of(k);
            while slots[i] != 0 && slots[i] != k {
                i = (i + 1) & (PACKED_SLOTS - 1);
            }
            slots[i] = k;
        }
        Packed { slots }
    }

    /// Whether the key of a non-empty string of at most [`PACKED_MAX`] bytes is stored.
    pub(crate) fn contains(&self, k: u128) -> bool {
        let mut i = slot_of(k);
        loop {
            match self.slots[i] {
                0 => return false,
                s if s == k => return true,
                _ => i = (i + 1) & (PACKED_SLOTS - 1),
            }
        }
    }

    /// Whether every word of the set it was made from is in it.
    #[cfg(test)]
    fn is_complete(&self, set: &HashSet<&'static str>) -> bool {
        set.iter()
            .all(|w| w.is_empty() || w.len() > PACKED_MAX || self.contains(pack(w.as_bytes())))
    }
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

    #[test]
    fn russian_prose_reads_as_prose() {
        let ru = for_lang(Some("ru")).expect("russian list");
        assert!(is_stopword(ru, "Что"), "non-ASCII words are lower-cased");
        let prose = crate::text::stopword_ratio(
            "Она сказала, что гавань будет закрыта почти всю зиму, и что лодки уже на берегу.",
            ru,
        );
        let menu = crate::text::stopword_ratio("Новости Спорт Погода Контакты", ru);
        assert!(prose > 0.3, "{prose}");
        assert_eq!(menu, 0.0);
    }

    #[test]
    fn packed_tables_hold_exactly_the_short_words() {
        for (lang, _) in LISTS {
            let set = for_lang(Some(lang)).expect("list");
            let packed = packed_of(set).expect("packed");
            assert!(packed.is_complete(set), "{lang}");
            let stored = packed.slots.iter().filter(|&&k| k != 0).count();
            let short = set
                .iter()
                .filter(|w| !w.is_empty() && w.len() <= PACKED_MAX)
                .count();
            assert_eq!(stored, short, "{lang}");
            for w in ["pricing", "th", "thee", "a\u{0}", "zzzzzzzzzzzzzzz"] {
                assert_eq!(
                    packed.contains(pack(w.as_bytes())),
                    set.contains(w),
                    "{lang} {w}"
                );
            }
        }
        let own: HashSet<&'static str> = ["the"].into_iter().collect();
        assert!(packed_of(&own).is_none());
        assert_ne!(pack(b"ab"), pack(b"ab\0"));
        assert_eq!(pack_ascii_lower(b"ThE"), pack(b"the"));
    }

    #[test]
    fn stopword_ratio_is_the_same_with_and_without_the_packed_table() {
        // A copy of the list is not found by address, so it takes the plain path.
        let texts = [
            "She said that the harbour would be closed for most of the winter.",
            "Der Hafen ist für die Schiffe über den Winter geschlossen, sagte SIE.",
            "À la fin de l'été, même les enfants doivent être à l'école. ÉTÉ Été",
            "İstanbul THE The tHe the_ the1 a-b Straße STRASSE ǅ ǆ ẞ",
            "averyveryverylongwordthatisnotastopword the a",
            "",
        ];
        for (lang, _) in LISTS {
            let set = for_lang(Some(lang)).expect("list");
            let copy: HashSet<&'static str> = set.iter().copied().collect();
            for t in texts {
                assert_eq!(
                    crate::text::stopword_ratio(t, set).to_bits(),
                    crate::text::stopword_ratio(t, &copy).to_bits(),
                    "{lang}: {t}"
                );
            }
        }
    }
}
