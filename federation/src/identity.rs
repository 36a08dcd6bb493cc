//! `GET /federation/v1/identity`: who a node is and which keys it signs with.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::error::KeyError;
use crate::key::{NodeKey, decode_public, encode_public, parse_key_id};
use crate::keychain::Keychain;

mod learn;
pub use learn::{IdentityError, Learned, Source, learn};

/// Identity path on every node.
pub const IDENTITY_PATH: &str = "/federation/v1/identity";

/// One public key of a node.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    /// `ed25519:<version>`.
    pub id: String,
    /// Unpadded base64 of the 32 public key bytes.
    pub key: String,
    /// Unix milliseconds after which new objects must not be signed with it; `None` for the
    /// current key. Old keys stay listed so old objects still verify.
    pub valid_until: Option<i64>,
    /// For a key made by rotation: the statement of the key it replaced (see
    /// [`crate::keychain`]). Absent for a node's first key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub rotation: Option<Rotation>,
}

/// A key rotation statement, carried by the new key in the identity document.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    /// The key this one replaced.
    pub from: String,
    /// When `from` was retired (unix ms); its `valid_until`.
    pub at: i64,
    /// Unpadded base64 of `from`'s signature over [`crate::keychain::rotation`].
    pub sig: String,
}

/// A node's identity document (JSON).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        Self::of(url, name, &Keychain::from(key.clone()))
    }

    /// The identity of a node holding `keys`: every key, retired ones with their
    /// `valid_until`, rotated ones with their rotation statement.
    pub fn of(url: &str, name: &str, keys: &Keychain) -> Self {
        let mut published: Vec<PublishedKey> = Vec::new();
        for held in keys.keys() {
            let rotation = match (held.rotation, published.last()) {
                (Some(sig), Some(from)) => Some(Rotation {
                    from: from.id.clone(),
                    at: from.valid_until.unwrap_or_default(),
                    sig: STANDARD_NO_PAD.encode(sig),
                }),
                _ => None,
            };
            published.push(PublishedKey {
                id: held.key.id().to_owned(),
                key: encode_public(&held.key.public()),
                valid_until: held.retired,
                rotation,
            });
        }
        Self {
            protocol: "caremesh/1".to_owned(),
            url: url.to_owned(),
            name: name.to_owned(),
            keys: published,
        }
    }

    /// The published key with this id.
    pub fn published(&self, id: &str) -> Option<&PublishedKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// The public key with this id, checked for weakness.
    pub fn key(&self, id: &str) -> Option<Result<VerifyingKey, KeyError>> {
        self.published(id).map(|k| decode_public(&k.key))
    }

    /// The key new objects are signed with: the newest one not retired, else the newest.
    pub fn current_key(&self) -> Option<Result<VerifyingKey, KeyError>> {
        let version = |k: &&PublishedKey| parse_key_id(&k.id).unwrap_or(0);
        self.keys
            .iter()
            .filter(|k| k.valid_until.is_none())
            .max_by_key(version)
            .or_else(|| self.keys.iter().max_by_key(version))
            .map(|k| decode_public(&k.key))
    }
}
