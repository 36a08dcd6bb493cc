//! Signed envelopes: the exact bytes of one object, who signed them and the signature.
//!
//! The signature covers `"caremesh-object\0" || "1" || "\0" || kind || "\0" || body`, so a
//! signature made for one kind or protocol version can never be replayed as another.

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{CodecError, SignatureError};
use crate::key::NodeKey;
use crate::object::{Kind, Object};

/// Protocol version carried in every signing prefix.
pub const PROTOCOL_VERSION: &str = "1";

/// One signed object, stored and forwarded byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub kind: Kind,
    /// The node that signed (and owns) the object.
    pub origin: String,
    /// Which of the origin's keys signed, e.g. `ed25519:1`.
    pub key_id: String,
    /// The object's canonical MessagePack bytes.
    #[serde(with = "serde_bytes")]
    pub body: Vec<u8>,
    /// 64 bytes of ed25519 signature over [`signing_input`].
    #[serde(with = "serde_bytes")]
    pub sig: Vec<u8>,
}

/// The bytes that an envelope's signature covers.
pub fn signing_input(kind: Kind, body: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(body.len() + 32);
    input.extend_from_slice(b"caremesh-object\0");
    input.extend_from_slice(PROTOCOL_VERSION.as_bytes());
    input.push(0);
    input.extend_from_slice(kind.as_str().as_bytes());
    input.push(0);
    input.extend_from_slice(body);
    input
}

impl Envelope {
    /// Encodes and signs an object as its origin.
    pub fn seal(object: &Object, key: &NodeKey) -> Result<Self, CodecError> {
        let body = object.encode()?;
        let kind = object.kind();
        let sig = key.sign(&signing_input(kind, &body)).to_vec();
        Ok(Self {
            kind,
            origin: object.meta().origin.clone(),
            key_id: key.id().to_owned(),
            body,
            sig,
        })
    }

    /// The signature as a dalek value, or an error if it is not 64 bytes.
    pub fn signature(&self) -> Result<Signature, SignatureError> {
        let bytes: [u8; 64] =
            self.sig
                .as_slice()
                .try_into()
                .map_err(|_| SignatureError::Length {
                    len: self.sig.len(),
                })?;
        Ok(Signature::from_bytes(&bytes))
    }

    /// Verifies the signature with `verify_strict` (no malleable or small-order values).
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), SignatureError> {
        let sig = self.signature()?;
        key.verify_strict(&signing_input(self.kind, &self.body), &sig)
            .map_err(|_| self.mismatch())
    }

    fn mismatch(&self) -> SignatureError {
        SignatureError::Mismatch {
            origin: self.origin.clone(),
            key_id: self.key_id.clone(),
        }
    }

    /// Decodes the body as the object its kind names.
    pub fn decode(&self) -> Result<Object, CodecError> {
        Object::decode(self.kind, &self.body)
    }
}

/// Verifies many envelopes at once. Returns one result per envelope, in order.
///
/// The whole batch is checked with one batched verification (about twice as fast as one at
/// a time); only if that fails is each envelope verified alone with `verify_strict`, to say
/// which ones are bad. `keys[i]` is the key for `envelopes[i]`.
pub fn verify_batch(
    envelopes: &[&Envelope],
    keys: &[VerifyingKey],
) -> Vec<Result<(), SignatureError>> {
    debug_assert_eq!(envelopes.len(), keys.len());
    let mut sigs = Vec::with_capacity(envelopes.len());
    let mut inputs = Vec::with_capacity(envelopes.len());
    let mut all_well_formed = true;
    for env in envelopes {
        match env.signature() {
            Ok(sig) => sigs.push(sig),
            Err(_) => all_well_formed = false,
        }
        inputs.push(signing_input(env.kind, &env.body));
    }
    if all_well_formed && !envelopes.is_empty() {
        let messages: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
        // Batch verification is not strict about non-canonical points, so every key also
        // went through `decode_public`'s weak-key check before it reached us.
        if ed25519_dalek::verify_batch(&messages, &sigs, keys).is_ok()
            && sigs.iter().all(|s| !small_order_r(s))
        {
            return vec![Ok(()); envelopes.len()];
        }
    }
    envelopes
        .iter()
        .zip(keys)
        .map(|(env, key)| env.verify(key))
        .collect()
}

/// A signature whose `R` is a small-order point would pass batch but not strict checks.
fn small_order_r(sig: &Signature) -> bool {
    use ed25519_dalek::VerifyingKey as Point;
    Point::from_bytes(sig.r_bytes())
        .map(|p| p.is_weak())
        .unwrap_or(true)
}
