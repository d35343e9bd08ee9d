//! Fuzz target: the sentence splitter must return slices of its input, in order, that cover
//! every non-whitespace character exactly once.
#![no_main]
use gristmill::segment::Splitter;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static S: OnceLock<Splitter> = OnceLock::new();
    let splitter = S.get_or_init(Splitter::new);
    let Ok(text) = std::str::from_utf8(data) else { return };
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
