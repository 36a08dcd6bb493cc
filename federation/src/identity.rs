//! `GET /federation/v1/identity`: who a node is and which keys it signs with.

use serde::{Deserialize, Serialize};

use crate::error::KeyError;
use crate::key::{NodeKey, decode_public, encode_public};

/// Identity path on every node.
pub const IDENTITY_PATH: &str = "/federation/v1/identity";

/// One public key of a node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    /// `ed25519:<version>`.
    pub id: String,
    /// Unpadded base64 of the 32 public key bytes.
    pub key: String,
    /// Unix milliseconds after which new objects must not be signed with it; `None` for the
    /// current key. Old keys stay listed so old objects still verify.
    pub valid_until: Option<i64>,
}

/// A node's identity document (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Always `caremesh/1` for this protocol version.
    pub protocol: String,
    /// The node's public URL, which is also the `origin` of everything it signs.
    pub url: String,
    pub name: String,
    pub keys: Vec<PublishedKey>,
}

impl Identity {
    /// The identity of a node with one current key.
    pub fn new(url: &str, name: &str, key: &NodeKey) -> Self {
        Self {
            protocol: "caremesh/1".to_owned(),
            url: url.to_owned(),
            name: name.to_owned(),
            keys: vec![PublishedKey {
                id: key.id().to_owned(),
                key: encode_public(&key.public()),
                valid_until: None,
            }],
        }
    }

    /// The public key with this id, checked for weakness.
    pub fn key(&self, id: &str) -> Option<Result<ed25519_dalek::VerifyingKey, KeyError>> {
        self.keys
            .iter()
            .find(|k| k.id == id)
            .map(|k| decode_public(&k.key))
    }

    /// The key new objects are signed with (the one without `valid_until`, else the last).
    pub fn current_key(&self) -> Option<Result<ed25519_dalek::VerifyingKey, KeyError>> {
        self.keys
            .iter()
            .find(|k| k.valid_until.is_none())
            .or(self.keys.last())
            .map(|k| decode_public(&k.key))
    }
}
