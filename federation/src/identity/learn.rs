//! What a node may learn from an identity document it was offered, given what it already
//! knows of that origin (docs/protocol.md §1, "Learning keys"):
//! - a document fetched through a relay is taken whole only when nothing is known of the
//!   origin yet; afterwards it can only teach keys introduced by a rotation statement
//!   signed by a key already known;
//! - the origin's own document may add keys and retire them;
//! - a key id, once known, keeps its value forever, and a retirement time never moves:
//!   a document that contradicts either is refused whole;
//! - keys known before and missing from the document stay known (old objects verify).

use super::{Identity, PublishedKey};
use crate::error::KeyError;
use crate::key::{decode_public, parse_key_id};
use crate::keychain::{rotation, verify_rotation};

/// Where an offered identity document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Fetched from the origin's own URL.
    Origin,
    /// Answered by a peer for an origin it has cached (`?origin=`).
    Relay,
}

/// An identity document that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdentityError {
    /// The document is not the origin's.
    #[error("the identity names {found}, not {origin}")]
    WrongUrl { origin: String, found: String },
    /// A key in it cannot be decoded, or is weak.
    #[error("key {key_id} of {origin}: {source}")]
    BadKey {
        origin: String,
        key_id: String,
        #[source]
        source: KeyError,
    },
    /// It gives a known key id another value.
    #[error("key {key_id} of {origin} is known here with another value; a key never changes")]
    Changed { origin: String, key_id: String },
}

/// What was learned: the identity to keep and the key ids offered but not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Learned {
    pub identity: Identity,
    pub ignored: Vec<String>,
}

/// Merges `offered` into what is `known` of `origin`, by the rules above.
pub fn learn(
    origin: &str,
    known: Option<&Identity>,
    offered: &Identity,
    source: Source,
) -> Result<Learned, IdentityError> {
    if offered.url != origin {
        return Err(IdentityError::WrongUrl {
            origin: origin.to_owned(),
            found: offered.url.clone(),
        });
    }
    for k in &offered.keys {
        decode_public(&k.key).map_err(|source| IdentityError::BadKey {
            origin: origin.to_owned(),
            key_id: k.id.clone(),
            source,
        })?;
        parse_key_id(&k.id).map_err(|source| IdentityError::BadKey {
            origin: origin.to_owned(),
            key_id: k.id.clone(),
            source,
        })?;
    }
    let Some(known) = known else {
        return Ok(Learned {
            identity: offered.clone(),
            ignored: Vec::new(),
        });
    };
    let mut merged = known.clone();
    let mut ignored = Vec::new();
    let mut offered_keys: Vec<&PublishedKey> = offered.keys.iter().collect();
    offered_keys.sort_by_key(|k| parse_key_id(&k.id).unwrap_or(0));
    for k in offered_keys {
        if let Some(i) = merged.keys.iter().position(|m| m.id == k.id) {
            if !same_key(&merged.keys[i].key, &k.key) {
                return Err(IdentityError::Changed {
                    origin: origin.to_owned(),
                    key_id: k.id.clone(),
                });
            }
            if source == Source::Origin && merged.keys[i].valid_until.is_none() {
                merged.keys[i].valid_until = k.valid_until;
            }
        } else if let Some(from) = endorsed_by(origin, &merged, k) {
            if let Some(r) = &k.rotation {
                merged.keys[from].valid_until.get_or_insert(r.at);
            }
            merged.keys.push(k.clone());
        } else if source == Source::Origin && k.rotation.is_none() {
            merged.keys.push(k.clone());
        } else {
            ignored.push(k.id.clone());
        }
    }
    if source == Source::Origin {
        merged.name.clone_from(&offered.name);
    }
    Ok(Learned {
        identity: merged,
        ignored,
    })
}

fn same_key(a: &str, b: &str) -> bool {
    a.trim_end_matches('=') == b.trim_end_matches('=')
}

/// The index in `known` of the key whose rotation statement introduced `k`, when that
/// statement verifies and agrees with the retirement already known, if any.
fn endorsed_by(origin: &str, known: &Identity, k: &PublishedKey) -> Option<usize> {
    use base64::Engine;
    let r = k.rotation.as_ref()?;
    let from = known.keys.iter().position(|m| m.id == r.from)?;
    let old = &known.keys[from];
    if old.valid_until.is_some_and(|at| at != r.at) {
        return None;
    }
    let old_key = decode_public(&old.key).ok()?;
    let new_key = decode_public(&k.key).ok()?;
    let sig: [u8; 64] = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(r.sig.trim_end_matches('='))
        .ok()?
        .try_into()
        .ok()?;
    let statement = rotation(origin, &r.from, r.at, &k.id, &new_key);
    verify_rotation(&old_key, &statement, &sig).ok()?;
    Some(from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::NodeKey;
    use crate::keychain::Keychain;

    const O: &str = "https://a.example";

    fn rotated(first: &NodeKey, at: i64) -> (Keychain, NodeKey) {
        let mut chain = Keychain::from(first.clone());
        let next = NodeKey::from_secret("ed25519:2", [9; 32]).unwrap();
        chain.rotate(O, next.clone(), at).unwrap();
        (chain, next)
    }

    #[test]
    fn a_relay_teaches_only_what_a_known_key_signed() {
        let first = NodeKey::generate();
        let known = Identity::new(O, "A", &first);
        // A relay's made-up document with its own key under a known id is refused whole.
        let mut forged = Identity::new(O, "A", &NodeKey::generate());
        let e = learn(O, Some(&known), &forged, Source::Relay).unwrap_err();
        assert!(matches!(e, IdentityError::Changed { .. }), "{e}");
        // A made-up new key id is ignored, from a relay and without a valid rotation.
        forged.keys[0].id = "ed25519:7".into();
        let learned = learn(O, Some(&known), &forged, Source::Relay).unwrap();
        assert_eq!(learned.identity, known);
        assert_eq!(learned.ignored, ["ed25519:7"]);
        // The origin's real rotation, relayed, is learned and retires the old key.
        let (chain, next) = rotated(&first, 1_000);
        let real = Identity::of(O, "A", &chain);
        let learned = learn(O, Some(&known), &real, Source::Relay).unwrap();
        assert_eq!(learned.identity, real);
        assert_eq!(
            learned.identity.published("ed25519:1").unwrap().valid_until,
            Some(1_000)
        );
        let current = learned.identity.current_key().unwrap().unwrap();
        assert_eq!(current, next.public());
        // A rotation statement that moves the retirement, or is signed by another key, is not.
        let mut moved = real.clone();
        moved.keys[1].rotation.as_mut().unwrap().at = 2_000;
        let learned = learn(O, Some(&known), &moved, Source::Relay).unwrap();
        assert_eq!(learned.ignored, ["ed25519:2"]);
        let mut retired = known.clone();
        retired.keys[0].valid_until = Some(500);
        let learned = learn(O, Some(&retired), &real, Source::Relay).unwrap();
        assert_eq!(learned.ignored, ["ed25519:2"], "a retirement never moves");
    }

    #[test]
    fn the_origin_itself_may_add_and_retire_keys_but_not_change_them() {
        let first = NodeKey::generate();
        let known = Identity::new(O, "A", &first);
        let mut added = known.clone();
        added.keys[0].valid_until = Some(5);
        let second = NodeKey::from_secret("ed25519:2", [3; 32]).unwrap();
        added
            .keys
            .push(Identity::new(O, "A", &second).keys[0].clone());
        let learned = learn(O, Some(&known), &added, Source::Origin).unwrap();
        assert_eq!(learned.identity, added);
        // Keys it no longer lists stay known; a retirement, once known, stays.
        let mut shorter = added.clone();
        shorter.keys.remove(0);
        let learned = learn(O, Some(&added), &shorter, Source::Origin).unwrap();
        assert_eq!(learned.identity.keys.len(), 2);
        let mut unretired = added.clone();
        unretired.keys[0].valid_until = None;
        let learned = learn(O, Some(&added), &unretired, Source::Origin).unwrap();
        assert_eq!(learned.identity.keys[0].valid_until, Some(5));
        // Even the origin cannot give a known id another value.
        let other = Identity::new(O, "A", &NodeKey::generate());
        assert!(learn(O, Some(&known), &other, Source::Origin).is_err());
        // Nor can anyone answer for another origin.
        assert!(matches!(
            learn("https://b.example", None, &known, Source::Origin),
            Err(IdentityError::WrongUrl { .. })
        ));
    }

    #[test]
    fn first_contact_takes_the_document_whole() {
        let known = Identity::new(O, "A", &NodeKey::generate());
        let learned = learn(O, None, &known, Source::Relay).unwrap();
        assert_eq!(learned.identity, known);
    }
}
