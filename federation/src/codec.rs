//! Canonical MessagePack: structs encode as maps with their field names, in declaration
//! order; maps are `BTreeMap`s (sorted keys); integers take their shortest form. Encoding the
//! same value twice gives the same bytes, which is what the test vectors pin down. Receivers
//! never re-encode: they verify and store the bytes they were given.

use serde::{Serialize, de::DeserializeOwned};

use crate::error::CodecError;

/// The media type of MessagePack bodies (pushes, pull pages).
pub const MSGPACK: &str = "application/msgpack";

/// Encodes a value canonically.
pub fn encode<T: Serialize>(what: &'static str, value: &T) -> Result<Vec<u8>, CodecError> {
    rmp_serde::encode::to_vec_named(value).map_err(|source| CodecError::Encode { what, source })
}

/// Decodes a value. Unknown fields are ignored, so newer peers may add fields.
pub fn decode<T: DeserializeOwned>(what: &'static str, bytes: &[u8]) -> Result<T, CodecError> {
    rmp_serde::from_slice(bytes).map_err(|source| CodecError::Decode { what, source })
}
