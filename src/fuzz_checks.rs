//! The properties the fuzz targets check, in one place: the cargo-fuzz targets in `fuzz/`
//! and the regression replays in `tests/fuzz_regressions/` both call these, so a crashing
//! input kept as a regression test is checked exactly as the fuzzer checked it.
//! Each function panics when a property does not hold; it is not used by the pipeline.

use crate::segment::Splitter;
use crate::source::FormatHint;
use crate::{decode, Pipeline, PipelineConfig, Source};

/// The pipeline the HTML target runs: defaults with a shallow DOM depth limit, so the
/// fuzzer reaches the flattening code.
pub fn html_pipeline() -> Pipeline {
    let mut cfg = PipelineConfig::default();
    cfg.limits.max_dom_depth = 64;
    Pipeline::from_config(cfg).expect("default config")
}

/// Decoding with every format hint and a declared charset chosen by the first byte: an
/// error or non-empty text, never a panic, and the same outcome whether the decoder borrows
/// the bytes or takes them over (`decode::decode_owned`, what `run` calls); mojibake repair
/// on arbitrary text.
pub fn decode(data: &[u8]) {
    let (declared, body) = match data.split_first() {
        Some((&b, rest)) if b % 4 == 0 => (Some("windows-1252"), rest),
        Some((&b, rest)) if b % 4 == 1 => (Some("shift_jis"), rest),
        Some((&b, rest)) if b % 4 == 2 => (Some("utf-16le"), rest),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    };
    for hint in [FormatHint::Auto, FormatHint::Html, FormatHint::Text] {
        let borrowed = decode::decode(body, hint, declared);
        if let Ok(d) = &borrowed {
            assert!(!d.string.is_empty());
        }
        let owned = decode::decode_owned(body.to_vec(), hint, declared);
        assert_eq!(borrowed, owned, "decode_owned differs from decode");
    }
    let mut s = String::from_utf8_lossy(body).into_owned();
    decode::repair_mojibake(&mut s);
}

/// HTML extraction gives no empty blocks; the whole pipeline does not panic.
pub fn html_extract(pipe: &Pipeline, data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = crate::extract::html::extract(s, &pipe.config, None) {
        for b in &doc.blocks {
            assert!(!b.text.trim().is_empty());
        }
    }
    let mut src = Source::from_bytes("fuzz.html", data.to_vec());
    src.hint = FormatHint::Html;
    let _ = pipe.process(&src);
}

/// Normalisation and the text path: no panic, no NUL left in the text.
pub fn strip_text(pipe: &Pipeline, data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = crate::normalize::normalize_text(s, true);
    let _ = crate::normalize::decode_entities(s);
    let mut src = Source::from_bytes("fuzz.txt", data.to_vec());
    src.hint = FormatHint::Text;
    if let Ok(rec) = pipe.process(&src) {
        assert!(rec.text.chars().all(|c| c != '\u{0}'));
    }
}

/// Sentences are non-empty and cover every non-whitespace character of the input in order.
pub fn segment(splitter: &Splitter, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sents = splitter.split(text, "en");
    let mut rebuilt = String::new();
    for s in &sents {
        assert!(!s.trim().is_empty(), "empty sentence");
        rebuilt.push_str(s);
    }
    let a: String = rebuilt.chars().filter(|c| !c.is_whitespace()).collect();
    let b: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(a, b, "sentences do not cover the input");
}
