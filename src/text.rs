//! Small measures over strings shared by several stages: word counts, sentence-final
//! punctuation, stop-word ratios. No stage logic lives here.

/// Number of `\w+`-style words (runs of alphanumeric characters or `_`).
pub fn word_count(s: &str) -> usize {
    // Bytewise, ASCII by a table: a character is decoded only outside ASCII.
    let b = s.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < b.len() {
        let (w, len) = match b[i] {
            x @ 0..=0x7F => (ASCII_WORD[x as usize], 1),
            _ => match s[i..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => break,
            },
        };
        n += usize::from(w & !in_word);
        in_word = w;
        i += len;
    }
    n
}

/// Per ASCII byte: alphanumeric or `_` (a `\w` character).
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_';
        i += 1;
    }
    t
};

/// Iterator over lower-cased `\w+` words.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Call `f` with every word [`words`] gives, in order, and whether it is all ASCII; ASCII
/// is scanned bytewise by a table (a character is decoded only outside ASCII), and each
/// word's bytes are looked at once.
pub fn for_each_word<'a>(s: &'a str, mut f: impl FnMut(&'a str, bool)) {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            if !ASCII_WORD[c as usize] {
                i += 1;
                continue;
            }
        } else {
            let Some(ch) = s[i..].chars().next() else {
                break;
            };
            if !ch.is_alphanumeric() {
                i += ch.len_utf8();
                continue;
            }
        }
        let start = i;
        let mut ascii = true;
        while let Some(&c) = b.get(i) {
            if c < 0x80 {
                if !ASCII_WORD[c as usize] {
                    break;
                }
                i += 1;
            } else {
                match s[i..].chars().next() {
                    Some(ch) if ch.is_alphanumeric() => {
                        ascii = false;
                        i += ch.len_utf8();
                    }
                    _ => break,
                }
            }
        }
        f(&s[start..i], ascii);
    }
}

/// Sentence-final punctuation at the end, allowing closing quotes and brackets after it.
pub fn ends_with_sentence_punct(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '」' | '』')
    });
    t.ends_with([
        '.', '!', '?', '…', '。', '！', '？', '।', '۔', '؟', '።', '։', '᙮', '။', ':',
    ])
}

/// Share of words of `s` that are in `stopwords` (lower-cased comparison).
pub fn stopword_ratio(s: &str, stopwords: &std::collections::HashSet<&'static str>) -> f32 {
    use crate::strip::stopwords::{pack_ascii_lower, packed_of, PACKED_MAX};
    let mut total = 0usize;
    let mut hits = 0usize;
    let mut buf = String::new();
    let packed = packed_of(stopwords);
    for_each_word(s, |w, ascii| {
        total += 1;
        if let Some(p) = packed {
            // The compiled-in lists also sit in a packed table holding every list word of
            // at most `PACKED_MAX` bytes: an ASCII word that short (ASCII lower-casing
            // keeps the length) is lower-cased on the stack and looked up there; longer
            // and non-ASCII words take the plain path below.
            if ascii && w.len() <= PACKED_MAX {
                hits += p.contains(pack_ascii_lower(w.as_bytes())) as usize;
                return;
            }
        }
        buf.clear();
        if ascii {
            // The same as the char-wise lower-casing below for ASCII, without decoding.
            buf.push_str(w);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(w.chars().flat_map(char::to_lowercase));
        }
        if stopwords.contains(buf.as_str()) {
            hits += 1;
        }
    });
    if total == 0 {
        0.0
    } else {
        hits as f32 / total as f32
    }
}

/// The first `max` chars of `s`, with an ellipsis when cut.
pub fn preview(s: &str, max: usize) -> String {
    let mut it = s.char_indices();
    match it.nth(max) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_like_the_benchmarks() {
        assert_eq!(word_count("Pakistan’s 2,600-km frontier"), 6);
        assert_eq!(word_count("  "), 0);
        assert_eq!(words("a-b c").collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn for_each_word_gives_the_words_of_words() {
        for t in [
            "",
            "one",
            "  two  words  ",
            "snake_case, kebab-case; 3.14 x2",
            "Größe: 12 µm — ʼapostrophe İI ǅ 東京タワー\u{0301}é\u{200b}x",
            "end_",
            "_",
            "..a..b..",
        ] {
            let mut got = Vec::new();
            for_each_word(t, |w, ascii| got.push((w, ascii)));
            let want: Vec<(&str, bool)> = words(t).map(|w| (w, w.is_ascii())).collect();
            assert_eq!(got, want, "{t:?}");
        }
    }

    #[test]
    fn word_count_counts_what_words_gives() {
        for t in [
            "",
            "  ",
            "one",
            "  two  words  ",
            "snake_case, kebab-case; 3.14 x2",
            "Größe: 12 µm — ʼapostrophe İI ǅ 東京タワー\u{0301}é\u{200b}x",
            "Pakistan’s 2,600-km frontier",
            "end_",
            "_",
            "..a..b..",
        ] {
            assert_eq!(word_count(t), words(t).count(), "{t:?}");
        }
    }

    /// `stopword_ratio` as it was before its own word scan: the words of `words`, each
    /// lower-cased char by char and looked up in the set.
    fn stopword_ratio_by_words(s: &str, set: &std::collections::HashSet<&'static str>) -> f32 {
        let (mut total, mut hits) = (0usize, 0usize);
        for w in words(s) {
            total += 1;
            let lower: String = w.chars().flat_map(char::to_lowercase).collect();
            hits += set.contains(lower.as_str()) as usize;
        }
        if total == 0 {
            0.0
        } else {
            hits as f32 / total as f32
        }
    }

    proptest::proptest! {
        #[test]
        fn stopword_ratio_counts_the_words_of_words(
            s in "[ a-eA-EhHtT_,.0-9é\u{301}\u{130}ÄöİΣσ東\u{200b}-]{0,40}|(The|the|AND|und|Die|der|ÜBER|über|a|I|İ|x|mañana|theabcdefghijklm|THEABCDEFGHIJKLMNOP|[ .,_-]){0,12}"
        ) {
            for lang in ["en", "de", "es", "tr"] {
                let Some(set) = crate::strip::stopwords::for_lang(Some(lang)) else {
                    continue;
                };
                let copy: std::collections::HashSet<&'static str> = set.iter().copied().collect();
                let want = stopword_ratio_by_words(&s, set).to_bits();
                proptest::prop_assert_eq!(stopword_ratio(&s, set).to_bits(), want);
                proptest::prop_assert_eq!(stopword_ratio(&s, &copy).to_bits(), want);
            }
        }

        #[test]
        fn pack_ascii_lower_lowers_each_byte(b in proptest::collection::vec(0u8..0x80, 0..20)) {
            use crate::strip::stopwords::{pack, pack_ascii_lower};
            let lower: Vec<u8> = b.iter().map(u8::to_ascii_lowercase).collect();
            let mut want = pack(&lower);
            // `pack` keeps the length of its argument; both sides store at most 15 bytes.
            want = (want & !(0xffu128 << 120)) | (b.len() as u8 as u128) << 120;
            proptest::prop_assert_eq!(pack_ascii_lower(&b), want);
        }
    }

    #[test]
    fn sentence_punct() {
        assert!(ends_with_sentence_punct("He said “no.”"));
        assert!(ends_with_sentence_punct("終わり。"));
        assert!(!ends_with_sentence_punct("World News"));
    }

    #[test]
    fn preview_cuts_on_chars() {
        assert_eq!(preview("ééééé", 3), "ééé…");
        assert_eq!(preview("abc", 3), "abc");
    }
}
