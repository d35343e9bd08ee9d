//! Fuzz target: bytes -> `decode::decode` with every format hint and a declared charset
//! taken from the input; the result must be an error or valid text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gristmill::fuzz_checks::decode(data));
