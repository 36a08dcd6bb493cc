//! Replays every file of the fuzz corpora (`fuzz/corpus/<target>/`) through the function
//! its cargo-fuzz target calls, on stable, so CI checks what the fuzzers found without
//! nightly. A crash the fuzzer finds is fixed at its cause and its input kept here.

use caremesh_federation::fuzzing::{self, replay_corpus};

#[test]
fn wire_corpus() {
    replay_corpus("wire", fuzzing::wire);
}

#[test]
fn header_corpus() {
    replay_corpus("header", fuzzing::header);
}
