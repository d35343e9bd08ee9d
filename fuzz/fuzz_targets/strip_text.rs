//! Fuzz target: arbitrary text through text extraction, normalisation and the strip
//! classifier (every pass), then record assembly.
#![no_main]
use gristmill::{fuzz_checks, Pipeline};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static P: OnceLock<Pipeline> = OnceLock::new();
    let pipe = P.get_or_init(|| Pipeline::from_config(Default::default()).expect("default config"));
    fuzz_checks::strip_text(pipe, data);
});
