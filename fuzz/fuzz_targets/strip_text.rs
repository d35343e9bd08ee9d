//! Fuzz target: arbitrary text through text extraction, normalisation and the strip
//! classifier (every pass), then record assembly.
#![no_main]
use gristmill::{Pipeline, Source};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::from_config(Default::default()).expect("default config"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = gristmill::normalize::normalize_text(s, true);
    let _ = gristmill::normalize::decode_entities(s);
    let mut src = Source::from_bytes("fuzz.txt", data.to_vec());
    src.hint = gristmill::FormatHint::Text;
    if let Ok(rec) = pipeline().process(&src) {
        assert!(rec.text.chars().all(|c| c != '\u{0}'));
    }
});
