//! Character classes the sentence scanner needs: full stops of many scripts, opening and
//! closing quotes and brackets, list bullets, invisible format characters and letter case.
//!
//! Pure functions over `char`/`u8`; no language knowledge here (that is in `rules`) and no
//! scanning (that is in `scan`).

/// Bytes the scanner must look at: ASCII punctuation it cares about and every UTF-8 lead
/// byte of a block that holds a character of interest. Everything else is skipped fast.
pub(crate) static INTERESTING: [bool; 256] = build_interesting();

const fn build_interesting() -> [bool; 256] {
    let mut t = [false; 256];
    let ascii = b".!?\n:;()[]{}\"";
    let mut i = 0;
    while i < ascii.len() {
        t[ascii[i] as usize] = true;
        i += 1;
    }
    // U+0080..U+00BF (guillemets, inverted marks), Armenian, Arabic, Urdu, Devanagari and
    // other Indic, Ethiopic/Myanmar/Khmer, general punctuation and shapes, CJK punctuation
    // and kana, full-width forms.
    let lead = [0xC2u8, 0xD5, 0xD6, 0xD8, 0xDB, 0xE0, 0xE1, 0xE2, 0xE3, 0xEF];
    let mut j = 0;
    while j < lead.len() {
        t[lead[j] as usize] = true;
        j += 1;
    }
    t
}

/// Full stops, question and exclamation marks of scripts written without spaces or with
/// their own marks: these end a sentence whatever follows (CJK, Ethiopic, Myanmar, Indic,
/// Arabic-script question mark and Urdu full stop, Armenian full stop, Khmer, Tibetan...).
pub(crate) fn is_script_stop(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '｡'
            | '።'
            | '፧'
            | '፨'
            | '။'
            | '।'
            | '॥'
            | '۔'
            | '؟'
            | '։'
            | '៕'
            | '។'
            | '༎'
            | '᠃'
            | '߹'
            | '܀'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
    )
}

/// Any character that can end a sentence in some language (used to look at what precedes
/// a closing quote).
pub(crate) fn is_any_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '．') || is_script_stop(c)
}

/// Opening quote or bracket (the ambiguous straight `"` is handled by the scanner).
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '“'
            | '„'
            | '«'
            | '‹'
            | '‚'
            | '‘'
            | '「'
            | '『'
            | '《'
            | '〈'
            | '【'
            | '〔'
            | '（'
            | '［'
            | '｛'
            | '〖'
            | '¿'
            | '¡'
    )
}

/// Closing quote or bracket, including the marks that close in one language and open in
/// another (German `“`, Danish `«`): directly after a full stop they can only close.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | '"'
            | '\''
            | '”'
            | '“'
            | '’'
            | '‘'
            | '»'
            | '«'
            | '›'
            | '‹'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '）'
            | '］'
            | '｝'
            | '〗'
    )
}

/// The closers that match an opener, for the forward search of a quotation's end.
pub(crate) fn closes(open: char, c: char) -> bool {
    match open {
        '(' => c == ')',
        '[' => c == ']',
        '{' => c == '}',
        '"' => c == '"',
        '“' => matches!(c, '”' | '“'),
        '„' => matches!(c, '“' | '”'),
        '«' => c == '»',
        '»' => matches!(c, '«' | '»'),
        '‹' => c == '›',
        '‚' => matches!(c, '‘' | '’'),
        '‘' => c == '’',
        '「' => c == '」',
        '『' => c == '』',
        '《' => c == '》',
        '〈' => c == '〉',
        '【' => c == '】',
        '〔' => c == '〕',
        '（' => c == '）',
        '［' => c == '］',
        '｛' => c == '｝',
        '〖' => c == '〗',
        _ => false,
    }
}

/// Marks that start a list item on their own.
pub(crate) fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '◦'
            | '▪'
            | '▫'
            | '‣'
            | '⁃'
            | '●'
            | '○'
            | '■'
            | '□'
            | '►'
            | '▶'
            | '➢'
            | '➤'
            | '❖'
    )
}

/// Invisible format characters (bidi embeddings and marks, joiners) that sit between a
/// word and its full stop in some texts and must be looked through.
pub(crate) fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Dashes that introduce an attribution or a parenthetical after a question or exclamation.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '―' | '‒')
}

/// A letter of a script without case (CJK, Arabic, Indic, Ethiopic...): after a full stop
/// it starts a sentence as an upper-case letter would.
pub(crate) fn is_caseless_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase()
}

/// A vowel of the Latin, Greek or Cyrillic alphabets; words without one are abbreviations
/// (`vgl`, `bzw`, `вкл`). Letters of other scripts count as vowels (no such test there).
pub(crate) fn is_vowel_like(c: char) -> bool {
    let c = c.to_lowercase().next().unwrap_or(c);
    if c.is_ascii() {
        return matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    }
    match c {
        // Latin with diacritics
        'à'..='æ' | 'è'..='ï' | 'ò'..='ö' | 'ø'..='ü' | 'ý' | 'ÿ' => true,
        'ā'..='ą' | 'ē'..='ě' | 'ī'..='ı' | 'ō'..='ő' | 'ũ'..='ų' | 'ŷ' => true,
        // Greek
        'α' | 'ε' | 'η' | 'ι' | 'ο' | 'υ' | 'ω' | 'ά' | 'έ' | 'ή' | 'ί' | 'ό' | 'ύ' | 'ώ' => {
            true
        }
        'ϊ' | 'ϋ' | 'ΐ' | 'ΰ' => true,
        // Cyrillic
        'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'і' | 'ї' | 'є' | 'ә' | 'ө' => {
            true
        }
        'ү' | 'ұ' | 'ў' => true,
        _ => {
            // Latin consonants with diacritics, other Cyrillic and Greek consonants
            !(('\u{0100}'..='\u{024F}').contains(&c)
                || ('\u{0370}'..='\u{03FF}').contains(&c)
                || ('\u{0400}'..='\u{052F}').contains(&c)
                || ('\u{00C0}'..='\u{00FF}').contains(&c))
        }
    }
}

/// Decode the char that starts at byte `i` of `s` (which must be a char boundary).
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> char {
    s[i..].chars().next().unwrap_or(' ')
}

/// The char that ends just before byte `i`, with its start offset.
#[inline]
pub(crate) fn char_before(s: &str, i: usize) -> Option<(usize, char)> {
    let c = s[..i].chars().next_back()?;
    Some((i - c.len_utf8(), c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_script_stop('。') && is_script_stop('।') && !is_script_stop('.'));
        assert!(is_opener('«') && is_closer('»') && closes('„', '“'));
        assert!(is_caseless_letter('中') && is_caseless_letter('ع') && !is_caseless_letter('a'));
        assert!(is_vowel_like('é') && !is_vowel_like('ł') && !is_vowel_like('в'));
        assert!(INTERESTING[b'.' as usize] && !INTERESTING[b'a' as usize]);
        assert!(is_format('\u{202A}') && !is_format('a'));
    }
}
