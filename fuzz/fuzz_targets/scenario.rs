//! Coverage-guided fuzzing of scenario text: the same check as the stable
//! harness in tests/fuzz.rs (tests/common/fuzz_input.rs).
#![no_main]

#[path = "../../tests/common/fuzz_input.rs"]
mod fuzz_input;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        fuzz_input::check_input(text);
    }
});
