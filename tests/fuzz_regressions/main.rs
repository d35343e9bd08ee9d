//! Inputs that once crashed (or hung) a fuzz target, replayed on every `cargo test`.
//!
//! Each folder is named after a target in `fuzz/fuzz_targets/` and holds raw inputs; each
//! input goes through the same checks as that target. When `cargo fuzz` finds a crash, copy
//! the artifact here (`fuzz/artifacts/<target>/crash-*` -> `tests/fuzz_regressions/<target>/`).

use gristmill::segment::Splitter;
use gristmill::source::FormatHint;
use gristmill::{decode, Pipeline, PipelineConfig, Source};
use std::path::Path;
use std::time::{Duration, Instant};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no inputs in {}", dir.display());
    v
}

/// Run `check` on every input of `target`, each within a time bound.
fn replay(target: &str, check: impl Fn(&[u8])) {
    for (name, data) in inputs(target) {
        let started = Instant::now();
        check(&data);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(30), "{name} took {took:?}");
    }
}

#[test]
fn decode_regressions() {
    replay("decode", |data| {
        let (declared, body) = match data.split_first() {
            Some((&b, rest)) if b % 4 == 0 => (Some("windows-1252"), rest),
            Some((&b, rest)) if b % 4 == 1 => (Some("shift_jis"), rest),
            Some((&b, rest)) if b % 4 == 2 => (Some("utf-16le"), rest),
            Some((_, rest)) => (None, rest),
            None => (None, data),
        };
        for hint in [FormatHint::Auto, FormatHint::Html, FormatHint::Text] {
            if let Ok(d) = decode::decode(body, hint, declared) {
                assert!(!d.string.is_empty());
            }
        }
        let mut s = String::from_utf8_lossy(body).into_owned();
        decode::repair_mojibake(&mut s);
    });
}

#[test]
fn html_extract_regressions() {
    let mut cfg = PipelineConfig::default();
    cfg.limits.max_dom_depth = 64;
    let pipe = Pipeline::from_config(cfg).unwrap();
    replay("html_extract", |data| {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok(doc) = gristmill::extract::html::extract(s, &pipe.config) {
            for b in &doc.blocks {
                assert!(!b.text.trim().is_empty());
            }
        }
        let mut src = Source::from_bytes("fuzz.html", data.to_vec());
        src.hint = FormatHint::Html;
        let _ = pipe.process(&src);
    });
}

#[test]
fn strip_text_regressions() {
    let pipe = Pipeline::from_config(PipelineConfig::default()).unwrap();
    replay("strip_text", |data| {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        let _ = gristmill::normalize::normalize_text(s, true);
        let _ = gristmill::normalize::decode_entities(s);
        let mut src = Source::from_bytes("fuzz.txt", data.to_vec());
        src.hint = FormatHint::Text;
        if let Ok(rec) = pipe.process(&src) {
            assert!(rec.text.chars().all(|c| c != '\u{0}'));
        }
    });
}

#[test]
fn segment_regressions() {
    let splitter = Splitter::new();
    replay("segment", |data| {
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
    });
}
