//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz, nightly) and for the stable
//! test that replays their corpora (`federation/tests/fuzz_corpus.rs`), so both run the same
//! code. Each takes any bytes a peer could send and panics only when a property below
//! breaks; a panic is a bug to fix at its cause.

use std::path::Path;

use crate::batch::{Batch, BatchReply, PullPage};
use crate::codec;
use crate::object::{Kind, Object};
use crate::origin;
use crate::request_auth::RequestAuth;

/// Bytes as a push body, a pull page, an inbox answer, and as the body of every kind.
///
/// Properties: decoding never panics; an object that decodes and validates encodes again,
/// and its encoding decodes to the same object, which still validates.
pub fn wire(data: &[u8]) {
    if let Ok(batch) = codec::decode::<Batch>("batch", data) {
        for env in &batch.envelopes {
            let _ = env.signature();
            if let Ok(object) = env.decode() {
                object_properties(env.kind, &object);
            }
        }
    }
    if let Ok(page) = codec::decode::<PullPage>("pull page", data) {
        for env in &page.envelopes {
            let _ = env.decode();
        }
    }
    let _ = codec::decode::<BatchReply>("batch reply", data);
    for &kind in Kind::ALL {
        if let Ok(object) = Object::decode(kind, data) {
            object_properties(kind, &object);
        }
    }
}

fn object_properties(kind: Kind, object: &Object) {
    let _ = object.addressee();
    let _ = object.parent();
    if object.validate().is_err() {
        return;
    }
    let bytes = object
        .encode()
        .unwrap_or_else(|e| panic!("a valid {kind:?} does not encode: {e}"));
    let again = Object::decode(kind, &bytes)
        .unwrap_or_else(|e| panic!("a re-encoded {kind:?} does not decode: {e}"));
    assert_eq!(&again, object, "a {kind:?} changes when encoded again");
    assert!(
        again.validate().is_ok(),
        "a re-encoded {kind:?} no longer validates"
    );
}

/// Bytes as an `Authorization` header and as an origin.
///
/// Properties: a parsed header is answered by the clock check at any time, and the header
/// it writes parses back to itself; a normalised origin passes the wire check and
/// normalises to itself.
pub fn header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(auth) = RequestAuth::parse(text) {
        for now in [0, 1_795_000_000, i64::MIN, i64::MAX] {
            let _ = auth.check_clock(now);
        }
        let written = auth.to_header();
        let again = RequestAuth::parse(&written)
            .unwrap_or_else(|e| panic!("the header it writes does not parse: {e}: {written}"));
        assert_eq!(again, auth, "the header changes when written again");
    }
    if let Ok(normal) = origin::normalize(text) {
        assert!(
            origin::check(&normal).is_ok(),
            "{normal:?} (from {text:?}) fails the wire check"
        );
        assert_eq!(
            origin::normalize(&normal).ok().as_deref(),
            Some(normal.as_str()),
            "normalising {normal:?} again changes it"
        );
    }
}

/// Runs every file of the corpus `fuzz/corpus/<target>/` through `run`, as the stable tests
/// of each crate owning a fuzzed parser do (so CI checks every kept input without nightly).
/// Panics naming the first file that fails, or if the corpus has fewer than eight files.
pub fn replay_corpus(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files = 0;
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} fails", path.display());
        files += 1;
    }
    assert!(files >= 8, "{}: only {files} inputs", dir.display());
}
