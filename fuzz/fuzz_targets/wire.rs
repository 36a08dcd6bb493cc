//! Push bodies, pull pages, inbox answers and object bodies of every kind.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| caremesh_federation::fuzzing::wire(data));
