//! Errors of the protocol layer, one enum per concern.

use thiserror::Error;

use crate::batch::Check;

/// A value inside a well-formed object that the schema does not allow.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("field `{field}` {problem}")]
pub struct SchemaError {
    /// The field that failed, as named on the wire.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

/// Encoding or decoding MessagePack failed.
#[derive(Debug, Error)]
pub enum CodecError {
    /// The bytes are not a valid encoding of the expected type.
    #[error("cannot decode {what}: {source}")]
    Decode {
        what: &'static str,
        #[source]
        source: rmp_serde::decode::Error,
    },
    /// The value could not be encoded (should not happen for our types).
    #[error("cannot encode {what}: {source}")]
    Encode {
        what: &'static str,
        #[source]
        source: rmp_serde::encode::Error,
    },
}

/// A key could not be read or used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum KeyError {
    /// The text is not `ed25519:<version>` or the key material is not 32 bytes.
    #[error("malformed key {what}: {problem}")]
    Malformed { what: &'static str, problem: String },
    /// A small-order ("weak") public key, which could verify forged signatures.
    #[error("weak ed25519 public key refused")]
    Weak,
}

/// A signature did not verify.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature field is not 64 bytes.
    #[error("signature is {len} bytes, expected 64")]
    Length { len: usize },
    /// The signature does not match the key and the bytes.
    #[error("signature does not verify with key {key_id} of {origin}")]
    Mismatch { origin: String, key_id: String },
    /// A key rotation statement is not signed by the key it retires.
    #[error("key rotation statement does not verify with the retiring key")]
    Rotation,
}

/// A signed HTTP request failed one of the checks, named by `check`.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{check}: {message}")]
pub struct RequestAuthError {
    /// The check that failed: [`Check::Header`], [`Check::Clock`] or [`Check::Signature`].
    pub check: Check,
    pub message: String,
}
