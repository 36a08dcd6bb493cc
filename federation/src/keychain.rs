//! A node's keys over time, and key rotation.
//!
//! A node signs with one current key. Rotating makes a new key (the next version) and
//! retires the current one at that moment: the old key signs a [`rotation`] statement
//! ("key N retires at T, key N+1 is X") that the new key carries in the identity document.
//! Peers that knew the old key learn the new one from that statement, even from a relay,
//! and from then on refuse anything the old key signs that claims to be made after T, so a
//! stolen old key stops being useful for new objects. Old keys stay listed, so old objects
//! still verify, and stay in the key file, so contacts sealed to them still open.
//!
//! The key file holds one key per line, oldest first:
//! `ed25519:<version> <base64 secret>[ retired=<unix ms>][ rotation=<base64 signature>]`.
//! A file of one line without extras (what `caremesh init` writes) is a node that never
//! rotated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};

use crate::error::KeyError;
use crate::key::{NodeKey, encode_public, parse_key_id};

/// One of a node's keys, with its place in the key's history.
#[derive(Clone, Debug)]
pub struct HeldKey {
    pub key: NodeKey,
    /// When it was retired (unix ms); `None` for the current key.
    pub retired: Option<i64>,
    /// The previous key's signature over the [`rotation`] statement that introduced this
    /// key; `None` for a node's first key.
    pub rotation: Option<[u8; 64]>,
}

/// Every key a node holds, oldest first; the last one is current.
#[derive(Clone, Debug)]
pub struct Keychain {
    keys: Vec<HeldKey>,
}

impl From<NodeKey> for Keychain {
    fn from(key: NodeKey) -> Self {
        Keychain {
            keys: vec![HeldKey {
                key,
                retired: None,
                rotation: None,
            }],
        }
    }
}

/// The bytes the old key signs when a node rotates from `from` to `to` at `at` (unix ms):
/// `"caremesh-key-rotation" 0 "1" 0 origin 0 from 0 at 0 to 0 base64(to's public key)`.
pub fn rotation(origin: &str, from: &str, at: i64, to: &str, to_key: &VerifyingKey) -> Vec<u8> {
    format!(
        "caremesh-key-rotation\0{}\0{origin}\0{from}\0{at}\0{to}\0{}",
        crate::envelope::PROTOCOL_VERSION,
        encode_public(to_key)
    )
    .into_bytes()
}

/// Checks a rotation statement's signature by the old key.
pub fn verify_rotation(
    old: &VerifyingKey,
    statement: &[u8],
    sig: &[u8; 64],
) -> Result<(), crate::error::SignatureError> {
    old.verify_strict(statement, &Signature::from_bytes(sig))
        .map_err(|_| crate::error::SignatureError::Rotation)
}

fn malformed(problem: impl Into<String>) -> KeyError {
    KeyError::Malformed {
        what: "key file",
        problem: problem.into(),
    }
}

impl Keychain {
    /// The key new objects and requests are signed with.
    pub fn current(&self) -> &NodeKey {
        // A keychain is never empty: it is made from a key or read from a non-empty file.
        &self.keys[self.keys.len() - 1].key
    }

    /// Every key, oldest first.
    pub fn keys(&self) -> &[HeldKey] {
        &self.keys
    }

    /// Retires the current key at `at` (unix ms) and makes `next` current, signing the
    /// rotation statement for `origin` with the retiring key.
    pub fn rotate(&mut self, origin: &str, next: NodeKey, at: i64) -> Result<(), KeyError> {
        let current = self.current().clone();
        let version = parse_key_id(current.id())?;
        if parse_key_id(next.id())? <= version {
            return Err(malformed(format!(
                "the new key {} must have a version above {}",
                next.id(),
                current.id()
            )));
        }
        let statement = rotation(origin, current.id(), at, next.id(), &next.public());
        let sig = current.sign(&statement);
        if let Some(last) = self.keys.last_mut() {
            last.retired = Some(at);
        }
        self.keys.push(HeldKey {
            key: next,
            retired: None,
            rotation: Some(sig),
        });
        Ok(())
    }

    /// The key file text.
    pub fn to_file_text(&self) -> String {
        let mut text = String::new();
        for held in &self.keys {
            text.push_str(held.key.to_file_text().trim_end());
            if let Some(at) = held.retired {
                text.push_str(&format!(" retired={at}"));
            }
            if let Some(sig) = &held.rotation {
                text.push_str(&format!(" rotation={}", STANDARD_NO_PAD.encode(sig)));
            }
            text.push('\n');
        }
        text
    }

    /// Reads the key file written by [`Keychain::to_file_text`] (or by `caremesh init`).
    pub fn from_file_text(text: &str) -> Result<Self, KeyError> {
        let mut keys = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            let (Some(id), Some(secret)) = (parts.next(), parts.next()) else {
                return Err(malformed("expected `ed25519:<version> <base64 secret>`"));
            };
            let key = NodeKey::from_file_text(&format!("{id} {secret}"))?;
            let mut held = HeldKey {
                key,
                retired: None,
                rotation: None,
            };
            for extra in parts {
                held = with_extra(held, extra)?;
            }
            keys.push(held);
        }
        let chain = Keychain { keys };
        chain.check()?;
        Ok(chain)
    }

    /// Versions grow, only the last key is current, every later key carries its rotation.
    fn check(&self) -> Result<(), KeyError> {
        let Some((last, older)) = self.keys.split_last() else {
            return Err(malformed("no key"));
        };
        if last.retired.is_some() || older.iter().any(|k| k.retired.is_none()) {
            return Err(malformed("every key but the last must be retired"));
        }
        let mut previous = 0;
        for (i, held) in self.keys.iter().enumerate() {
            let version = parse_key_id(held.key.id())?;
            if version <= previous {
                return Err(malformed("key versions must grow line by line"));
            }
            previous = version;
            if (i > 0) != held.rotation.is_some() {
                return Err(malformed("every key after the first carries its rotation"));
            }
        }
        Ok(())
    }
}

fn with_extra(mut held: HeldKey, extra: &str) -> Result<HeldKey, KeyError> {
    match extra.split_once('=') {
        Some(("retired", at)) => {
            let at = at
                .parse()
                .map_err(|_| malformed("`retired=` is not unix milliseconds"))?;
            held.retired = Some(at);
        }
        Some(("rotation", sig)) => {
            let bytes = STANDARD_NO_PAD
                .decode(sig.trim_end_matches('='))
                .map_err(|_| malformed("`rotation=` is not base64"))?;
            let sig = bytes
                .try_into()
                .map_err(|_| malformed("`rotation=` is not 64 bytes"))?;
            held.rotation = Some(sig);
        }
        _ => return Err(malformed(format!("unknown field `{extra}`"))),
    }
    Ok(held)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_round_trips_through_the_file() {
        let first = NodeKey::generate();
        let old_text = first.to_file_text();
        let mut chain = Keychain::from_file_text(&old_text).unwrap();
        assert_eq!(chain.current().id(), "ed25519:1");
        let next = NodeKey::from_secret("ed25519:2", [7; 32]).unwrap();
        chain.rotate("https://a.example", next, 1_000).unwrap();
        let read = Keychain::from_file_text(&chain.to_file_text()).unwrap();
        assert_eq!(read.current().id(), "ed25519:2");
        assert_eq!(read.keys()[0].retired, Some(1_000));
        let sig = read.keys()[1].rotation.unwrap();
        let statement = rotation(
            "https://a.example",
            "ed25519:1",
            1_000,
            "ed25519:2",
            &read.current().public(),
        );
        verify_rotation(&first.public(), &statement, &sig).unwrap();
        let other = rotation(
            "https://b.example",
            "ed25519:1",
            1_000,
            "ed25519:2",
            &read.current().public(),
        );
        assert!(verify_rotation(&first.public(), &other, &sig).is_err());
    }

    #[test]
    fn bad_files_are_refused() {
        let one = NodeKey::generate().to_file_text();
        let two = NodeKey::from_secret("ed25519:2", [1; 32])
            .unwrap()
            .to_file_text();
        for bad in [
            String::new(),
            format!("{}{}", one, one), // versions do not grow
            format!("{}{}", one, two), // the first is not retired
            format!("{} retired=5\n{two}", one.trim()), // no rotation on the second
            format!("{} colour=blue\n", one.trim()),
        ] {
            assert!(Keychain::from_file_text(&bad).is_err(), "{bad}");
        }
        let mut chain = Keychain::from(NodeKey::generate());
        let same = NodeKey::generate();
        assert!(chain.rotate("https://a.example", same, 5).is_err());
    }
}
