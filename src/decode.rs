//! Bytes to text: charset choice (BOM, declared, `<meta>`, strict UTF-8, detection), decoding,
//! binary rejection, mojibake repair and HTML-vs-text sniffing.
//!
//! It records which charset was used and why, so a user can audit it. It does not normalise
//! Unicode or touch markup; that is `normalize` and `extract`.

use crate::block::Format;
use crate::error::{DocError, ErrorKind};
use crate::source::FormatHint;
use encoding_rs::Encoding;
use serde::Serialize;

/// How the charset was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// Declared by the container (HTTP header in WARC, JSON string in JSONL).
    Declared,
    /// `<meta charset>` or `http-equiv` in the HTML.
    Meta,
    /// The bytes are valid UTF-8.
    Utf8Valid,
    /// Guessed by the detector (chardetng).
    Detected,
}

impl CharsetSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::Declared => "declared",
            CharsetSource::Meta => "meta",
            CharsetSource::Utf8Valid => "utf8-valid",
            CharsetSource::Detected => "detected",
        }
    }
}

/// A decoded document.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub string: String,
    /// WHATWG name of the charset, e.g. `UTF-8`, `windows-1252`, `Shift_JIS`.
    pub charset: &'static str,
    pub charset_source: CharsetSource,
    pub format: Format,
    /// Number of mojibake sequences repaired.
    pub mojibake_repaired: usize,
}

/// Decode one document's bytes.
pub fn decode(bytes: &[u8], hint: FormatHint, declared: Option<&str>) -> Result<Decoded, DocError> {
    check_not_blank(bytes)?;
    let (encoding, source, body, valid) = choose_encoding(bytes, declared);
    let string = match valid {
        // `body` is already known to be valid UTF-8: encoding_rs would validate it a second
        // time only to borrow it as it is.
        Some(text) if encoding == encoding_rs::UTF_8 => text.to_owned(),
        _ => encoding.decode_without_bom_handling(body).0.into_owned(),
    };
    finish(string, encoding, source, hint)
}

/// [`decode`] of bytes handed over: when they are UTF-8 (validated once) and read as UTF-8,
/// they become the text as they are instead of being copied.
pub fn decode_owned(
    bytes: Vec<u8>,
    hint: FormatHint,
    declared: Option<&str>,
) -> Result<Decoded, DocError> {
    check_not_blank(&bytes)?;
    let (string, encoding, source) = match String::from_utf8(bytes) {
        Ok(text) => {
            let (encoding, source, body, valid) =
                choose_encoding_with(text.as_bytes(), declared, |_| Some(text.as_str()));
            if valid.is_some() && encoding == encoding_rs::UTF_8 {
                (text, encoding, source)
            } else {
                let string = encoding.decode_without_bom_handling(body).0.into_owned();
                (string, encoding, source)
            }
        }
        Err(e) => {
            let bytes = e.into_bytes();
            let (encoding, source, body, _) = choose_encoding_with(&bytes, declared, |_| None);
            let string = encoding.decode_without_bom_handling(body).0.into_owned();
            (string, encoding, source)
        }
    };
    finish(string, encoding, source, hint)
}

/// An input of nothing but ASCII white space (or nothing) is an `empty` error.
fn check_not_blank(bytes: &[u8]) -> Result<(), DocError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DocError::new(ErrorKind::Empty, "input has no content"));
    }
    Ok(())
}

/// The checks and repairs after decoding, and the format.
fn finish(
    mut string: String,
    encoding: &'static Encoding,
    source: CharsetSource,
    hint: FormatHint,
) -> Result<Decoded, DocError> {
    if string.trim().is_empty() {
        // A byte-order mark alone, or UTF-16 whitespace.
        return Err(DocError::new(ErrorKind::Empty, "input has no content"));
    }
    if looks_binary(&string) {
        return Err(DocError::new(
            ErrorKind::Binary,
            format!(
                "input looks binary (control characters or a binary signature), not {}",
                encoding.name()
            ),
        ));
    }
    let mojibake_repaired = repair_mojibake(&mut string);
    let format = match hint {
        FormatHint::Html => Format::Html,
        FormatHint::Text => Format::Text,
        FormatHint::Auto | FormatHint::Jsonl => sniff_format(&string),
    };
    Ok(Decoded {
        string,
        charset: encoding.name(),
        charset_source: source,
        format,
        mojibake_repaired,
    })
}

/// The charset, why, the bytes to decode with it, and those bytes as text when they were
/// found to be valid UTF-8 on the way.
fn choose_encoding<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
) -> (&'static Encoding, CharsetSource, &'a [u8], Option<&'a str>) {
    choose_encoding_with(bytes, declared, |b| std::str::from_utf8(b).ok())
}

/// [`choose_encoding`] with `utf8` telling whether the bytes are UTF-8 (`std::str::from_utf8`,
/// or what the caller already knows of them); asked only when there is no byte-order mark.
fn choose_encoding_with<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
    utf8: impl FnOnce(&'a [u8]) -> Option<&'a str>,
) -> (&'static Encoding, CharsetSource, &'a [u8], Option<&'a str>) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return (enc, CharsetSource::Bom, &bytes[bom_len..], None);
    }
    let valid = utf8(bytes);
    let utf8_ok = valid.is_some();
    // A declaration that contradicts valid non-ASCII UTF-8 is usually wrong (pages re-saved
    // as UTF-8 keep their old meta tag), so valid UTF-8 wins over it.
    let non_ascii = !bytes.is_ascii();
    if let Some(enc) = declared.and_then(|d| Encoding::for_label(d.trim().as_bytes())) {
        if !(utf8_ok && non_ascii) || enc == encoding_rs::UTF_8 {
            return (enc.output_encoding(), CharsetSource::Declared, bytes, valid);
        }
    }
    if let Some(enc) = meta_charset(bytes) {
        if !(utf8_ok && non_ascii) || enc == encoding_rs::UTF_8 {
            return (enc.output_encoding(), CharsetSource::Meta, bytes, valid);
        }
    }
    if utf8_ok {
        return (encoding_rs::UTF_8, CharsetSource::Utf8Valid, bytes, valid);
    }
    if mostly_utf8(bytes) {
        // UTF-8 with a few broken sequences (truncated or spliced text): decode as UTF-8,
        // the broken bytes become U+FFFD instead of turning every accent into mojibake.
        return (encoding_rs::UTF_8, CharsetSource::Detected, bytes, None);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return (enc, CharsetSource::Detected, bytes, None);
    }
    let mut det = chardetng::EncodingDetector::new();
    let sample = &bytes[..bytes.len().min(256 * 1024)];
    det.feed(sample, sample.len() == bytes.len());
    let enc = det.guess(None, true);
    (enc, CharsetSource::Detected, bytes, None)
}

/// Valid multi-byte UTF-8 characters at least as many as invalid sequences (and at least
/// one): text that is UTF-8 apart from damage. Single-byte charsets with accents fail this,
/// since almost none of their accented letters form valid UTF-8 sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(1 << 20)];
    let (mut valid_multi, mut invalid) = (0usize, 0usize);
    for chunk in sample.utf8_chunks() {
        valid_multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid_multi > 0 && invalid <= valid_multi
}

/// UTF-16 without a BOM: many zero bytes at odd (LE) or even (BE) positions.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let (mut even0, mut odd0) = (0, 0);
    for (i, &b) in bytes[..n].iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even0 += 1
            } else {
                odd0 += 1
            }
        }
    }
    let half = n / 2;
    if odd0 * 10 > half * 7 && even0 * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if even0 * 10 > half * 7 && odd0 * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Find `<meta charset=...>` or `<meta http-equiv=content-type content="...charset=...">` in
/// the first 4 KiB (WHATWG prescan window, case-insensitive).
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(i) = find(tag, b"charset") {
            let rest = &tag[i + 7..];
            let rest = trim_left(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_left(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..label_end]) {
                    // A page that says UTF-16 in ASCII-compatible bytes is really UTF-8.
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        return Some(encoding_rs::UTF_8);
                    }
                    return Some(enc);
                }
            }
        }
        from = end.max(start + 5);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_left(b: &[u8]) -> &[u8] {
    let i = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[i..]
}

/// Control characters (other than tab, newline, carriage return, form feed) and U+FFFD over
/// a small share of the first 64 KiB, or a known binary signature, mean binary.
fn looks_binary(s: &str) -> bool {
    const SIGNATURES: [&str; 6] = [
        "%PDF-",
        "PK\u{3}\u{4}",
        "\u{89}PNG",
        "GIF8",
        "\u{7f}ELF",
        "\u{ff}\u{d8}\u{ff}",
    ];
    if SIGNATURES.iter().any(|sig| s.starts_with(sig)) {
        return true;
    }
    let (total, bad) = binary_counts(s);
    total > 0 && bad * 100 > total * 10
}

/// Characters among the first 65,536 of `s`, and how many of them are control characters
/// (other than tab, newline, carriage return and form feed) or U+FFFD. ASCII bytes are
/// tested as bytes (the ASCII controls are U+0000..=U+001F and U+007F); only other
/// characters are decoded.
fn binary_counts(s: &str) -> (usize, usize) {
    const LIMIT: usize = 65536;
    let bytes = s.as_bytes();
    let (mut total, mut bad, mut at) = (0usize, 0usize, 0usize);
    while total < LIMIT && at < bytes.len() {
        // A whole run of 64 ASCII bytes within the limit: 64 characters, counted at once.
        if let Some(run) = bytes
            .get(at..at + 64)
            .and_then(|r| <&[u8; 64]>::try_from(r).ok())
            .filter(|_| total + 64 <= LIMIT)
        {
            // One pass of byte-wide lanes (the compiler vectorises it): the bytes' union
            // and their count of controls, which fits a byte for 64 bytes.
            let (mut any, mut n) = (0u8, 0u8);
            for &x in run {
                any |= x;
                n += u8::from(bad_ascii(x));
            }
            if any < 0x80 {
                bad += usize::from(n);
                at += 64;
                total += 64;
                continue;
            }
        }
        let b = bytes[at];
        if b.is_ascii() {
            bad += usize::from(bad_ascii(b));
            at += 1;
        } else {
            let Some(c) = s[at..].chars().next() else {
                break;
            };
            if c.is_control() || c == '\u{fffd}' {
                bad += 1;
            }
            at += c.len_utf8();
        }
        total += 1;
    }
    (total, bad)
}

/// An ASCII control character other than tab, newline, carriage return and form feed.
fn bad_ascii(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f
}

/// Repair UTF-8 text that was decoded as Windows-1252 (or Latin-1) and re-encoded as UTF-8:
/// "Pakistanâ€™s" -> "Pakistan’s", "cafÃ©" -> "café". Within each run of non-ASCII characters
/// that all have a Windows-1252 byte, every byte sequence that forms one valid multi-byte
/// UTF-8 character is replaced by that character; everything else stays as it was. Returns
/// the number of characters repaired.
pub fn repair_mojibake(s: &mut String) -> usize {
    if !may_have_mojibake(s.as_bytes()) {
        return 0;
    }
    repair_all_runs(s)
}

/// The repair itself, without the pre-check.
fn repair_all_runs(s: &mut String) -> usize {
    let mut out = String::with_capacity(s.len());
    let mut repaired = 0;
    let mut run: Vec<(char, u8)> = Vec::new();
    for c in s.chars().chain(std::iter::once('\0')) {
        match win1252_byte(c) {
            Some(b) if !c.is_ascii() => run.push((c, b)),
            _ => {
                repaired += unmojibake_run(&run, &mut out);
                run.clear();
                out.push(c);
            }
        }
    }
    out.pop(); // the sentinel
    if repaired > 0 {
        *s = out;
    }
    repaired
}

/// Second UTF-8 bytes of the marker characters `Ã Â â Ä Å Ð Ñ Ø Ù à á ã ä` (all encode as
/// `0xC3 xx`); a text without any of them is left alone.
const MARKER_SECOND: [u8; 13] = [
    0x83, 0x82, 0xA2, 0x84, 0x85, 0x90, 0x91, 0x98, 0x99, 0xA0, 0xA1, 0xA3, 0xA4,
];

/// Byte-level pre-check for [`repair_mojibake`], true whenever a repair is possible: the text
/// has a marker character, and somewhere a char in U+00C2..=U+00F4 (a UTF-8 lead byte once
/// read as Windows-1252, `0xC3 0x82..=0xB4`) is directly followed by a char whose
/// Windows-1252 byte is a continuation byte (U+0080..=U+00BF start with `0xC2`; the
/// Windows-1252 extras such as `€ ’ ™ š Ÿ ƒ ˆ` start with `0xC5`, `0xC6`, `0xCB` or `0xE2`).
fn may_have_mojibake(b: &[u8]) -> bool {
    let mut marker = false;
    let mut pair = false;
    // Every 0xC3 byte in order, found by memchr (most of a page is ASCII markup).
    for at in memchr::memchr_iter(0xC3, b) {
        let second = b.get(at + 1).copied().unwrap_or(0);
        marker |= MARKER_SECOND.contains(&second);
        pair |= (0x82..=0xB4).contains(&second)
            && matches!(b.get(at + 2), Some(0xC2 | 0xC5 | 0xC6 | 0xCB | 0xE2));
        if marker && pair {
            return true;
        }
    }
    false
}

fn unmojibake_run(run: &[(char, u8)], out: &mut String) -> usize {
    let mut repaired = 0;
    let mut i = 0;
    while i < run.len() {
        let lead = run[i].1;
        let len = match lead {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0 && i + len <= run.len() {
            let bytes: Vec<u8> = run[i..i + len].iter().map(|&(_, b)| b).collect();
            if let Ok(fixed) = std::str::from_utf8(&bytes) {
                out.push_str(fixed);
                repaired += 1;
                i += len;
                continue;
            }
        }
        // "â€" whose third byte was lost (0x9D has no Windows-1252 character, so many
        // pipelines drop it): by far the most common such character is the closing quote.
        if lead == 0xE2 && i + 2 == run.len() && run[i + 1].1 == 0x80 {
            out.push('”');
            repaired += 1;
            i += 2;
            continue;
        }
        out.push(run[i].0);
        i += 1;
    }
    repaired
}

/// The Windows-1252 byte for a char, if it has one (Latin-1 C1 range included, since
/// mojibake often passed through ISO-8859-1).
fn win1252_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp < 0x80 || (0xA0..=0xFF).contains(&cp) || (0x80..0xA0).contains(&cp) {
        return Some(cp as u8);
    }
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    HIGH.iter().find(|(h, _)| *h == c).map(|&(_, b)| b)
}

/// HTML if the text starts with markup or has several structural tags early on.
pub fn sniff_format(s: &str) -> Format {
    let head: String = s
        .trim_start()
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || head.starts_with("<!--") && head.contains("<html")
    {
        return Format::Html;
    }
    const TAGS: [&str; 10] = [
        "<html", "<head", "<body", "<div", "<p>", "<p ", "<br", "<span", "<a href", "<meta",
    ];
    let hits: usize = TAGS.iter().map(|t| head.matches(t).count()).sum();
    if hits >= 3 || head.contains("<body") || head.contains("<head") {
        Format::Html
    } else {
        Format::Text
    }
}

/// Length of the head window [`sniff_format`] reads, in chars.
const SNIFF_CHARS: usize = 2048;

/// Whether the page is surely HTML, judged on its raw bytes: true only when the bytes that
/// [`sniff_format`] would look at are plain printable ASCII (no BOM, no NUL, nothing
/// an encoding could read differently) and that sniff says HTML, so decoding first could not
/// change the answer. False means "decode and see".
pub fn head_sniffs_html(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|&b| !(b.is_ascii() && (b as char).is_whitespace()))
        .unwrap_or(bytes.len());
    let body = &bytes[start..];
    let plain = body
        .iter()
        .take(SNIFF_CHARS)
        .take_while(|&&b| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        .count();
    if plain < SNIFF_CHARS.min(body.len()) || plain == 0 {
        return false;
    }
    match std::str::from_utf8(&body[..plain]) {
        Ok(head) => sniff_format(head) == Format::Html,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_owned_is_decode() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<p>x</p>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let cases: Vec<(Vec<u8>, Option<&str>)> = vec![
            (b"<html><body><p>plain</p></body></html>".to_vec(), None),
            ("<p>caf\u{e9} d\u{e9}j\u{e0}</p>".as_bytes().to_vec(), None),
            ("<p>caf\u{e9}</p>".as_bytes().to_vec(), Some("iso-8859-1")),
            (b"<meta charset=windows-1252><p>caf\xe9</p>".to_vec(), None),
            (b"<p>caf\xe9 \xe0 la carte</p>".to_vec(), None),
            (b"\xef\xbb\xbf<p>bom</p>".to_vec(), None),
            (utf16, None),
            (b"   \n".to_vec(), None),
            (b"\xef\xbb\xbf".to_vec(), None),
            (b"text\x00\x01\x02\x03 binary".to_vec(), None),
            ("Cafâ€™s mojibake â€” text".as_bytes().to_vec(), None),
        ];
        for (bytes, declared) in cases {
            for hint in [FormatHint::Auto, FormatHint::Text] {
                let a = decode(&bytes, hint, declared);
                let b = decode_owned(bytes.clone(), hint, declared);
                match (a, b) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.string, b.string);
                        assert_eq!(a.charset, b.charset);
                        assert_eq!(a.charset_source, b.charset_source);
                        assert_eq!(a.format, b.format);
                        assert_eq!(a.mojibake_repaired, b.mojibake_repaired);
                    }
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => panic!("{bytes:?}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
                }
            }
        }
    }

    /// `binary_counts` as first written: every character decoded.
    fn binary_counts_by_chars(s: &str) -> (usize, usize) {
        let (mut total, mut bad) = (0, 0);
        for c in s.chars().take(65536) {
            total += 1;
            if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || c == '\u{fffd}' {
                bad += 1;
            }
        }
        (total, bad)
    }

    #[test]
    fn binary_counts_match_the_char_by_char_counts() {
        // Every ASCII byte, the C1 controls, U+FFFD and other multi-byte characters, in
        // pseudo-random texts on both sides of the 65,536-character limit.
        let mut alphabet: Vec<char> = (0u8..0x80).map(char::from).collect();
        alphabet.extend([
            '\u{80}', '\u{85}', '\u{9f}', '\u{a0}', 'é', '\u{fffd}', '€', '𝄞',
        ]);
        alphabet.extend(['\u{200b}', '\u{2028}', '\u{feff}', '\u{e000}']);
        let mut rng = crate::train::Rng::new(0x2545_f491_4f6c_dd1d);
        for len in [0usize, 1, 2, 7, 100, 1000, 65535, 65536, 65537, 70000] {
            for _ in 0..4 {
                let s: String = (0..len).map(|_| *rng.pick(&alphabet)).collect();
                assert_eq!(
                    binary_counts(&s),
                    binary_counts_by_chars(&s),
                    "length {len}"
                );
            }
        }
        // Mostly ASCII (whole 64-byte ASCII runs), with a rare other character, on both
        // sides of the limit and at every offset from a run's start.
        for len in [
            63usize, 64, 65, 127, 128, 129, 5000, 65535, 65536, 65537, 70000,
        ] {
            for rare in [0u64, 3, 200] {
                let s: String = (0..len)
                    .map(|_| {
                        let x = rng.next_u64();
                        let pick = (x >> 8) as usize;
                        if rare > 0 && x % 1000 < rare {
                            alphabet[0x80 + pick % (alphabet.len() - 0x80)]
                        } else {
                            alphabet[pick % 0x80]
                        }
                    })
                    .collect();
                assert_eq!(
                    binary_counts(&s),
                    binary_counts_by_chars(&s),
                    "length {len}, rare {rare}"
                );
            }
        }
        for pad in 0..130 {
            let s = "a".repeat(pad) + "\u{1}é" + &"\u{7f}b".repeat(40);
            assert_eq!(binary_counts(&s), binary_counts_by_chars(&s), "pad {pad}");
            let s = "x".repeat(65536 - 64 + pad % 70) + "\u{fffd}\u{2}";
            assert_eq!(binary_counts(&s), binary_counts_by_chars(&s), "pad {pad}");
        }
        for c in alphabet {
            let s = c.to_string().repeat(3);
            assert_eq!(binary_counts(&s), binary_counts_by_chars(&s), "{c:?}");
            let s = c.to_string().repeat(200);
            assert_eq!(binary_counts(&s), binary_counts_by_chars(&s), "{c:?} x 200");
        }
    }

    #[test]
    fn mojibake_is_repaired() {
        let mut s = "Pakistanâ€™s talks, cafÃ© and naÃ¯ve".to_string();
        assert!(repair_mojibake(&mut s) >= 2);
        assert_eq!(s, "Pakistan’s talks, café and naïve");
        let mut s = "â€œQuoted,â€\u{9d} he said. â€œAgain,â€ twice.".to_string();
        repair_mojibake(&mut s);
        assert_eq!(s, "“Quoted,” he said. “Again,” twice.");
    }

    #[test]
    fn pre_check_never_skips_a_repair() {
        // Every string of up to three chars from lead, continuation, marker and plain
        // characters: whenever a marker is present and the repair would change something,
        // the byte pre-check must let it through.
        let alphabet = [
            'a', ' ', 'Ã', 'Â', 'â', 'Ä', 'Å', 'Ð', 'Ñ', 'Ø', 'Ù', 'à', 'á', 'ã', 'ä', 'é', 'ô',
            'õ', 'Á', '©', '\u{80}', '\u{9d}', '\u{a0}', '¿', '€', '’', '™', 'š', 'Ÿ', 'ƒ', 'ˆ',
            '˜', 'Œ', 'ž', 'ß', 'ñ', '😀', '中',
        ];
        let markers = [
            'Ã', 'Â', 'â', 'Ä', 'Å', 'Ð', 'Ñ', 'Ø', 'Ù', 'à', 'á', 'ã', 'ä',
        ];
        let mut checked = 0;
        for &a in &alphabet {
            for &b in &alphabet {
                for &c in &alphabet {
                    for s in [
                        format!("{a}{b}"),
                        format!("{a}{b}{c}"),
                        format!("x{a}{b}{c}y"),
                    ] {
                        let mut t = s.clone();
                        if s.contains(markers) && repair_all_runs(&mut t) > 0 {
                            assert!(may_have_mojibake(s.as_bytes()), "{s:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100);
        assert!(!may_have_mojibake("plain text, café".as_bytes()));
        assert!(!may_have_mojibake("Ãx".as_bytes()));
    }

    #[test]
    fn real_latin1_text_is_left_alone() {
        let mut s = "São Paulo, Zürich, Ångström — “quoted”".to_string();
        assert_eq!(repair_mojibake(&mut s), 0);
        assert_eq!(s, "São Paulo, Zürich, Ångström — “quoted”");
    }

    #[test]
    fn valid_utf8_is_decoded_as_encoding_rs_decodes_it() {
        let pages: [&[u8]; 6] = [
            "<p>São Paulo — “quoted” ✓</p>".as_bytes(),
            b"<meta charset=utf-8><p>plain ASCII</p>",
            "<meta charset=\"windows-1252\"><p>café</p>".as_bytes(),
            b"\xEF\xBB\xBF<p>BOM</p>",
            b"<p>caf\xE9 broken \xC3</p>",
            b"<meta charset=iso-8859-1><p>ASCII under a Latin-1 meta</p>",
        ];
        for (i, bytes) in pages.iter().enumerate() {
            for declared in [None, Some("utf-8"), Some("windows-1252")] {
                let d = decode(bytes, FormatHint::Html, declared).expect("decodes");
                let (enc, _, body, _) = choose_encoding(bytes, declared);
                let mut want = enc.decode_without_bom_handling(body).0.into_owned();
                repair_mojibake(&mut want);
                assert_eq!(d.string, want, "page {i}, declared {declared:?}");
                assert_eq!(d.charset, enc.name());
            }
        }
    }

    #[test]
    fn charset_chain() {
        let d = decode(b"\xEF\xBB\xBFhello", FormatHint::Auto, None).unwrap();
        assert_eq!((d.charset, d.charset_source), ("UTF-8", CharsetSource::Bom));
        let html = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        let d = decode(html, FormatHint::Auto, None).unwrap();
        assert_eq!(d.charset_source, CharsetSource::Meta);
        assert!(d.string.contains("café"));
        assert_eq!(d.format, Format::Html);
        let d = decode("plain ünïcode".as_bytes(), FormatHint::Auto, None).unwrap();
        assert_eq!(d.charset_source, CharsetSource::Utf8Valid);
        assert_eq!(d.format, Format::Text);
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let d = decode(
            b"caf\xc3\xa9 na\xc3\xafve \xff broken \xe2\x80 end",
            FormatHint::Text,
            None,
        )
        .unwrap();
        assert_eq!(d.charset, "UTF-8");
        assert!(
            d.string.starts_with("café naïve \u{fffd} broken"),
            "{}",
            d.string
        );
        // Windows-1252 text has no valid multi-byte sequence: it is not taken for UTF-8.
        let d = decode(b"caf\xe9 na\xefve r\xe9sum\xe9", FormatHint::Text, None).unwrap();
        assert_ne!(d.charset, "UTF-8");
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert_eq!(
            decode(b"  \n", FormatHint::Auto, None).unwrap_err().kind,
            ErrorKind::Empty
        );
        for bom_only in [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE \x00\n\x00", b"\xFE\xFF"] {
            assert_eq!(
                decode(bom_only, FormatHint::Auto, None).unwrap_err().kind,
                ErrorKind::Empty
            );
        }
        let bin: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8).collect();
        assert_eq!(
            decode(&bin, FormatHint::Auto, None).unwrap_err().kind,
            ErrorKind::Binary
        );
    }
}
