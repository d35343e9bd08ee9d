//! Small measures over strings shared by several stages: word counts, sentence-final
//! punctuation, stop-word ratios. No stage logic lives here.

/// Number of `\w+`-style words (runs of alphanumeric characters or `_`).
pub fn word_count(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = c.is_alphanumeric() || c == '_';
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// Iterator over lower-cased `\w+` words.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
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
    let mut total = 0usize;
    let mut hits = 0usize;
    let mut buf = String::new();
    for w in words(s) {
        total += 1;
        buf.clear();
        if w.is_ascii() {
            // The same as the char-wise lower-casing below for ASCII, without decoding.
            buf.push_str(w);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(w.chars().flat_map(char::to_lowercase));
        }
        if stopwords.contains(buf.as_str()) {
            hits += 1;
        }
    }
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
