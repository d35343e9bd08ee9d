//! Fuzz target: arbitrary text as HTML through extraction, normalisation and the whole
//! pipeline; nothing may panic and block texts must be non-empty.
#![no_main]
use gristmill::{Pipeline, PipelineConfig, Source};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let mut cfg = PipelineConfig::default();
        cfg.limits.max_dom_depth = 64;
        Pipeline::from_config(cfg).expect("default config")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let cfg = &pipeline().config;
    if let Ok(doc) = gristmill::extract::html::extract(s, cfg) {
        for b in &doc.blocks {
            assert!(!b.text.trim().is_empty());
        }
    }
    let mut src = Source::from_bytes("fuzz.html", data.to_vec());
    src.hint = gristmill::FormatHint::Html;
    let _ = pipeline().process(&src);
});
