//! Version-tagged values. Every value the node writes to its store starts with one tag byte
//! naming its format, followed by MessagePack. Readers match on the tag: a value written by
//! an older release is migrated when read (see `decode`), and the tag is bumped whenever a
//! stored type changes shape. Format 1 is the only one so far.

use serde::{Serialize, de::DeserializeOwned};

use super::StoreError;

/// The current format tag.
pub const FORMAT_V1: u8 = 1;

/// Encodes a value with the current tag.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![FORMAT_V1];
    // Our record types are plain structs; encoding into a Vec cannot fail for them.
    if let Err(e) = rmp_serde::encode::write_named(&mut out, value) {
        tracing::error!(error = %e, "record encoding failed");
    }
    out
}

/// Decodes a tagged value, migrating older formats.
pub fn decode<T: DeserializeOwned>(
    what: &'static str,
    key: &str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    let corrupt = |problem: String| StoreError::Corrupt {
        what,
        key: key.to_owned(),
        problem,
    };
    match bytes.split_first() {
        Some((&FORMAT_V1, rest)) => rmp_serde::from_slice(rest).map_err(|e| corrupt(e.to_string())),
        Some((tag, _)) => Err(corrupt(format!(
            "unknown format tag {tag}; written by a newer caremesh?"
        ))),
        None => Err(corrupt("empty value".into())),
    }
}
