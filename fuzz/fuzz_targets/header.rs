//! `Authorization` headers of signed requests, and origins.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| caremesh_federation::fuzzing::header(data));
