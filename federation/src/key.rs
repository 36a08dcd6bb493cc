//! Node keys. A node has one ed25519 key per key version, named `ed25519:<version>`.
//! Public keys are written as unpadded standard base64 of the 32 key bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

use crate::error::KeyError;

/// A node's signing key and its id.
#[derive(Clone)]
pub struct NodeKey {
    id: String,
    signing: SigningKey,
}

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl NodeKey {
    /// A fresh random key with version 1.
    pub fn generate() -> Self {
        let signing = SigningKey::generate(&mut rand::rngs::OsRng);
        Self {
            id: "ed25519:1".to_owned(),
            signing,
        }
    }

    /// 32 fresh random secret bytes, for a key of any version.
    pub fn generate_secret() -> [u8; 32] {
        SigningKey::generate(&mut rand::rngs::OsRng).to_bytes()
    }

    /// A key from its 32 secret bytes.
    pub fn from_secret(id: &str, secret: [u8; 32]) -> Result<Self, KeyError> {
        parse_key_id(id)?;
        Ok(Self {
            id: id.to_owned(),
            signing: SigningKey::from_bytes(&secret),
        })
    }

    /// The key file format: `ed25519:<version> <base64 secret>`.
    pub fn to_file_text(&self) -> String {
        format!(
            "{} {}\n",
            self.id,
            STANDARD_NO_PAD.encode(self.signing.to_bytes())
        )
    }

    /// Reads the key file format written by [`NodeKey::to_file_text`].
    pub fn from_file_text(text: &str) -> Result<Self, KeyError> {
        let mut parts = text.split_whitespace();
        let (Some(id), Some(secret), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(KeyError::Malformed {
                what: "key file",
                problem: "expected `ed25519:<version> <base64 secret>`".into(),
            });
        };
        let bytes = decode_32("key file secret", secret)?;
        Self::from_secret(id, bytes)
    }

    /// The key id, e.g. `ed25519:1`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The public half.
    pub fn public(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The secret bytes, used to derive the X25519 key that opens sealed fields.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// Signs a message.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// Checks a key id's form and returns its version.
pub fn parse_key_id(id: &str) -> Result<u32, KeyError> {
    id.strip_prefix("ed25519:")
        .and_then(|v| v.parse::<u32>().ok())
        .ok_or_else(|| KeyError::Malformed {
            what: "key id",
            problem: format!("`{id}` is not `ed25519:<version>`"),
        })
}

/// Encodes a public key as unpadded base64.
pub fn encode_public(key: &VerifyingKey) -> String {
    STANDARD_NO_PAD.encode(key.as_bytes())
}

/// Decodes a public key and refuses weak (small-order) keys.
pub fn decode_public(text: &str) -> Result<VerifyingKey, KeyError> {
    let bytes = decode_32("public key", text)?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|e| KeyError::Malformed {
        what: "public key",
        problem: e.to_string(),
    })?;
    if key.is_weak() {
        return Err(KeyError::Weak);
    }
    Ok(key)
}

fn decode_32(what: &'static str, text: &str) -> Result<[u8; 32], KeyError> {
    let bytes = STANDARD_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|e| KeyError::Malformed {
            what,
            problem: e.to_string(),
        })?;
    bytes.try_into().map_err(|b: Vec<u8>| KeyError::Malformed {
        what,
        problem: format!("{} bytes, expected 32", b.len()),
    })
}
