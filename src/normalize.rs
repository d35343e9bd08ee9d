//! Text normalisation of block texts: Unicode NFC, whitespace, control and zero-width
//! characters, soft hyphens and leftover HTML entities.
//!
//! It works on one block's text at a time and never changes words: only invisible or
//! equivalent characters. Code blocks keep their line breaks and indentation.

use crate::block::{BlockKind, Doc};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalise every block and the metadata strings of a document; drop blocks left empty.
pub fn normalize_doc(doc: &mut Doc) {
    for b in &mut doc.blocks {
        let keep_lines = matches!(b.kind, BlockKind::Code);
        if !keep_lines && is_normal(&b.text) {
            continue;
        }
        let t = normalize_text(&b.text, keep_lines);
        if t != b.text {
            b.text = t;
            b.features.compute_text(&b.text);
        }
    }
    doc.blocks.retain(|b| !b.text.is_empty());
    for (i, b) in doc.blocks.iter_mut().enumerate() {
        b.features.position = i;
    }
    let m = &mut doc.meta;
    for f in [
        &mut m.title,
        &mut m.author,
        &mut m.site,
        &mut m.description,
        &mut m.date,
    ] {
        if let Some(v) = f.as_mut() {
            *v = normalize_text(v, false);
        }
        if f.as_deref() == Some("") {
            *f = None;
        }
    }
}

/// Normalise one string. With `keep_lines`, line breaks and leading indentation survive
/// (code); otherwise all whitespace runs become one space and the ends are trimmed.
pub fn normalize_text(s: &str, keep_lines: bool) -> String {
    let decoded;
    let s = if s.contains('&') {
        decoded = decode_entities(s);
        decoded.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        match c {
            // zero-width and invisible formatting characters, soft hyphen, BOM
            c if is_invisible(c) => {}
            '\n' if keep_lines => {
                // trim trailing spaces of the line
                while out.ends_with([' ', '\t']) {
                    out.pop();
                }
                out.push('\n');
                pending_space = false;
            }
            '\t' if keep_lines => out.push('\t'),
            ' ' if keep_lines => out.push(' '),
            c if c.is_whitespace() => pending_space = true,
            c if c.is_control() => pending_space = true,
            c => {
                if pending_space && !out.is_empty() && !(keep_lines && out.ends_with('\n')) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    let out = if keep_lines {
        out.trim_matches('\n').trim_end().to_string()
    } else {
        out.trim_end().to_string()
    };
    match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => out.nfc().collect(),
    }
}

/// True when [`normalize_text`] (without `keep_lines`) would return `s` unchanged: no
/// entity, invisible, control or non-space whitespace character, single spaces only between
/// other characters, and NFC already. A scan without allocating; most block texts pass.
pub fn is_normal(s: &str) -> bool {
    // Bytewise: a character is decoded only outside ASCII (no invisible character is ASCII;
    // the ASCII white space other than ' ' and the ASCII controls are bytes below 0x20 and
    // 0x7F).
    let b = s.as_bytes();
    let mut prev_space = true; // a leading space would be dropped
    let mut ascii = true;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            b'&' | 0..=0x1F | 0x7F => return false,
            0x21..=0x7E => prev_space = false,
            _ => {
                let Some(c) = s[i..].chars().next() else {
                    break;
                };
                if is_invisible(c) || c.is_whitespace() || c.is_control() {
                    return false;
                }
                ascii = false;
                prev_space = false;
                i += c.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    if prev_space && !s.is_empty() {
        return false; // a trailing space would be trimmed
    }
    // ASCII text is NFC.
    ascii || matches!(is_nfc_quick(s.chars()), IsNormalized::Yes)
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Decode HTML character references left in text (`&amp;`, `&nbsp;`, `&#8217;`, `&#x2019;`).
/// Unknown names are left as they are.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';' || c.is_whitespace() || c == '&')
            .map(|(j, c)| (j + 1, c));
        if let Some((j, ';')) = end {
            let name = &rest[1..j];
            if let Some(c) = entity(name) {
                out.push(c);
                rest = &rest[j + 1..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let cp = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return char::from_u32(cp).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "middot" => '·',
        "bull" => '•',
        "deg" => '°',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "auml" => 'ä',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_invisibles_and_nfc() {
        let s = "  Cafe\u{301}\u{200B} \t co\u{AD}operate\r\n now\u{00A0}! ";
        assert_eq!(normalize_text(s, false), "Café cooperate now !");
    }

    #[test]
    fn code_keeps_lines() {
        assert_eq!(
            normalize_text("\nfn main() {  \n    x();\n}\n", true),
            "fn main() {\n    x();\n}"
        );
    }

    #[test]
    fn is_normal_spots_every_change() {
        for s in [
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "a\u{200B}b",
            "x &amp; y",
        ] {
            assert!(!is_normal(s), "{s:?}");
        }
        for s in ["", "Plain words, one space.", "Café déjà vu"] {
            assert!(is_normal(s), "{s:?}");
            assert_eq!(normalize_text(s, false), s);
        }
        assert!(!is_normal("Cafe\u{301}"));
    }

    /// `is_normal` as first written: char by char.
    fn is_normal_by_chars(s: &str) -> bool {
        let mut prev_space = true;
        for c in s.chars() {
            match c {
                ' ' if prev_space => return false,
                ' ' => prev_space = true,
                '&' => return false,
                c if is_invisible(c) || c.is_whitespace() || c.is_control() => return false,
                _ => prev_space = false,
            }
        }
        if prev_space && !s.is_empty() {
            return false;
        }
        matches!(is_nfc_quick(s.chars()), IsNormalized::Yes)
    }

    proptest::proptest! {
        #[test]
        fn is_normal_is_the_charwise_test(
            s in "[ a-zA-Z0-9.~é\u{301}\u{200B}\u{180E}&;\t\n\u{b}\u{c}\r\u{7f}\u{85}\u{9f}\u{a0}\u{1}\u{3000}\u{212b}東]{0,16}"
        ) {
            proptest::prop_assert_eq!(is_normal(&s), is_normal_by_chars(&s));
        }

        #[test]
        fn is_normal_means_unchanged(s in "[ a-zé\u{301}\u{200B}&;\t\n\u{a0}\u{1}]{0,12}") {
            if is_normal(&s) {
                proptest::prop_assert_eq!(normalize_text(&s, false), s);
            }
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("Tom &amp; Jerry&#8217;s &#x2014; &bogus; & co"),
            "Tom & Jerry’s — &bogus; & co"
        );
        assert_eq!(decode_entities("&#0;"), "&#0;");
    }
}
