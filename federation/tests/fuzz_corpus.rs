//! Replays every file of the fuzz corpora (`fuzz/corpus/<target>/`) through the function
//! its cargo-fuzz target calls, on stable, so CI checks what the fuzzers found without
//! nightly. A crash the fuzzer finds is fixed at its cause and its input kept here.

use std::path::Path;

use caremesh_federation::fuzzing;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} fails", path.display());
        files += 1;
    }
    assert!(files >= 8, "{}: only {files} inputs", dir.display());
}

#[test]
fn wire_corpus() {
    replay("wire", fuzzing::wire);
}

#[test]
fn header_corpus() {
    replay("header", fuzzing::header);
}
