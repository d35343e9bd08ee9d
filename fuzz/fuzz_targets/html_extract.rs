//! Fuzz target: arbitrary text as HTML through extraction, normalisation and the whole
//! pipeline; nothing may panic and block texts must be non-empty.
#![no_main]
use gristmill::{fuzz_checks, Pipeline};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static P: OnceLock<Pipeline> = OnceLock::new();
    fuzz_checks::html_extract(P.get_or_init(fuzz_checks::html_pipeline), data);
});
