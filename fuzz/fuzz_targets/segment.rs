//! Fuzz target: the sentence splitter must return slices of its input, in order, that cover
//! every non-whitespace character exactly once.
#![no_main]
use gristmill::{fuzz_checks, segment::Splitter};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static S: OnceLock<Splitter> = OnceLock::new();
    fuzz_checks::segment(S.get_or_init(Splitter::new), data);
});
