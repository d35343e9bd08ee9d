//! Fuzz target: bytes -> `decode::decode` with every format hint and a declared charset
//! taken from the input; the result must be an error or valid text.
#![no_main]
use gristmill::decode;
use gristmill::source::FormatHint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
