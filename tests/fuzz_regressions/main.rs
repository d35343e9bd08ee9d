//! Inputs that once crashed (or hung) a fuzz target, replayed on every `cargo test`.
//!
//! Each folder is named after a target in `fuzz/fuzz_targets/` and holds raw inputs; each
//! input goes through the same checks as that target. When `cargo fuzz` finds a crash, copy
//! the artifact here (`fuzz/artifacts/<target>/crash-*` -> `tests/fuzz_regressions/<target>/`).

use gristmill::segment::Splitter;
use gristmill::{fuzz_checks, Pipeline, PipelineConfig};
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
    replay("decode", fuzz_checks::decode);
}

#[test]
fn html_extract_regressions() {
    let pipe = fuzz_checks::html_pipeline();
    replay("html_extract", |data| {
        fuzz_checks::html_extract(&pipe, data)
    });
}

#[test]
fn strip_text_regressions() {
    let pipe = Pipeline::from_config(PipelineConfig::default()).unwrap();
    replay("strip_text", |data| fuzz_checks::strip_text(&pipe, data));
}

#[test]
fn segment_regressions() {
    let splitter = Splitter::new();
    replay("segment", |data| fuzz_checks::segment(&splitter, data));
}
