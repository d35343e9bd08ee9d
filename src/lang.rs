//! Document language: the markup's declaration (`<html lang>`, `og:locale`) when present,
//! else detection (whatlang) over the longest blocks. Codes are ISO 639-1 where one exists.

use crate::block::{BlockKind, Doc};

/// Language code of the document, or `None` when neither declared nor detectable.
pub fn detect(doc: &Doc, _default: &str) -> Option<String> {
    if let Some(code) = doc.meta.lang.as_deref().and_then(normalize_code) {
        return Some(code);
    }
    let mut sample = String::new();
    for b in &doc.blocks {
        if matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::Line | BlockKind::Quote | BlockKind::ListItem
        ) && b.features.words >= 6
        {
            sample.push_str(&b.text);
            sample.push('\n');
            if sample.len() > 4000 {
                break;
            }
        }
    }
    if sample.is_empty() {
        for b in &doc.blocks {
            sample.push_str(&b.text);
            sample.push('\n');
            if sample.len() > 4000 {
                break;
            }
        }
    }
    detect_text(&sample)
}

/// Detect the language of a text sample.
pub fn detect_text(sample: &str) -> Option<String> {
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.3 {
        return None;
    }
    Some(iso639_1(info.lang().code()).to_string())
}

/// `en-US`, `EN_gb`, `eng` -> `en`.
pub fn normalize_code(s: &str) -> Option<String> {
    let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_alphabetic()) => Some(primary),
        3 => Some(iso639_1(&primary).to_string()),
        _ => None,
    }
}

/// ISO 639-3 -> 639-1 for the languages whatlang knows; other codes pass through.
pub fn iso639_1(code3: &str) -> &str {
    const MAP: &[(&str, &str)] = &[
        ("eng", "en"),
        ("deu", "de"),
        ("fra", "fr"),
        ("spa", "es"),
        ("ita", "it"),
        ("por", "pt"),
        ("nld", "nl"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("ces", "cs"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("hrv", "hr"),
        ("srp", "sr"),
        ("bul", "bg"),
        ("mkd", "mk"),
        ("ron", "ro"),
        ("hun", "hu"),
        ("fin", "fi"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "nb"),
        ("ell", "el"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("pes", "fa"),
        ("urd", "ur"),
        ("hin", "hi"),
        ("mar", "mr"),
        ("ben", "bn"),
        ("pan", "pa"),
        ("guj", "gu"),
        ("tam", "ta"),
        ("tel", "te"),
        ("kan", "kn"),
        ("mal", "ml"),
        ("ori", "or"),
        ("sin", "si"),
        ("nep", "ne"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("tha", "th"),
        ("vie", "vi"),
        ("ind", "id"),
        ("zsm", "ms"),
        ("tgl", "tl"),
        ("heb", "he"),
        ("yid", "yi"),
        ("amh", "am"),
        ("hye", "hy"),
        ("kat", "ka"),
        ("kaz", "kk"),
        ("uzb", "uz"),
        ("aze", "az"),
        ("bel", "be"),
        ("lit", "lt"),
        ("lav", "lv"),
        ("est", "et"),
        ("mya", "my"),
        ("khm", "km"),
        ("afr", "af"),
        ("epo", "eo"),
        ("lat", "la"),
        ("jav", "jv"),
        ("sna", "sn"),
        ("zul", "zu"),
        ("aka", "ak"),
        ("cat", "ca"),
        ("tuk", "tk"),
        ("hat", "ht"),
    ];
    MAP.iter()
        .find(|(c3, _)| *c3 == code3)
        .map_or(code3, |(_, c1)| c1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_normalise() {
        assert_eq!(normalize_code("en-US").as_deref(), Some("en"));
        assert_eq!(normalize_code("deu").as_deref(), Some("de"));
        assert_eq!(normalize_code("x"), None);
    }

    #[test]
    fn detects_common_languages() {
        assert_eq!(
            detect_text(
                "Der schnelle braune Fuchs springt über den faulen Hund, und das ist gut so."
            )
            .as_deref(),
            Some("de")
        );
        assert_eq!(
            detect_text(
                "The quick brown fox jumps over the lazy dog, and that is how it should be."
            )
            .as_deref(),
            Some("en")
        );
    }
}
