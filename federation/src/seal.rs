//! Sealed fields: a few bytes readable only by one node, even when nodes in between route
//! the object that carries them (a maker's contact inside a proposal), and bound to the
//! object they travel in.
//!
//! The recipient's ed25519 public key is converted to its X25519 (Montgomery) form, as
//! libsodium's `crypto_sign_ed25519_pk_to_curve25519` does. The sender makes an ephemeral
//! X25519 key, derives `k = SHA-256(label || eph_pub || recipient_x25519 || shared)`, and
//! encrypts with ChaCha20-Poly1305 under `k`, a zero nonce (`k` is used once) and
//! associated data naming where the payload belongs. The core here serves both the
//! contact seal (this module) and the health seal ([`crate::health_seal`]).
//!
//! The contact seal, version 2 (docs/protocol.md §6): `0x02 || eph_pub (32) ||
//! ciphertext || tag (16)`, label `"caremesh-seal-2\0"`, associated data
//! `"caremesh-contact" 0 "2" 0 proposal_id 0 request_origin`. A contact copied into
//! another proposal, or sealed toward another node, does not open. Version 1 (no version
//! byte, no associated data) is no longer opened.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

use crate::codec;
use crate::error::CodecError;
use crate::key::NodeKey;
use crate::object::MakerContact;

/// The first byte of a contact sealed by this version of the protocol.
pub const CONTACT_SEAL_VERSION: u8 = 2;
/// Bytes the core seal adds: the ephemeral key and the tag.
pub const CORE_OVERHEAD: usize = 32 + 16;
const CONTACT_LABEL: &[u8] = b"caremesh-seal-2\0";

/// Opening a sealed field failed: wrong recipient, tampered or moved bytes, or an older
/// seal version.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("sealed field cannot be opened: {0}")]
pub struct SealError(&'static str);

fn cipher(label: &[u8], eph: &PublicKey, recipient: &PublicKey, shared: &[u8]) -> ChaCha20Poly1305 {
    let mut h = Sha256::new();
    h.update(label);
    h.update(eph.as_bytes());
    h.update(recipient.as_bytes());
    h.update(shared);
    ChaCha20Poly1305::new(Key::from_slice(&h.finalize()))
}

/// `eph_pub || ChaCha20-Poly1305(k, 0, ad, plaintext)` for `recipient`, with `k` derived
/// under `label` from the ephemeral secret given.
pub(crate) fn seal_core(
    label: &[u8],
    ephemeral_secret: [u8; 32],
    recipient: &VerifyingKey,
    ad: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let recipient_x = PublicKey::from(recipient.to_montgomery().to_bytes());
    let eph_secret = StaticSecret::from(ephemeral_secret);
    let eph_public = PublicKey::from(&eph_secret);
    let shared = eph_secret.diffie_hellman(&recipient_x);
    let payload = Payload {
        msg: plaintext,
        aad: ad,
    };
    // ChaCha20-Poly1305 fails only for messages over 256 GiB.
    let ciphertext = cipher(label, &eph_public, &recipient_x, shared.as_bytes())
        .encrypt(&Nonce::default(), payload)
        .unwrap_or_default();
    let mut out = Vec::with_capacity(CORE_OVERHEAD + plaintext.len());
    out.extend_from_slice(eph_public.as_bytes());
    out.extend_from_slice(&ciphertext);
    out
}

/// Opens bytes made by [`seal_core`] with the same `label` and `ad`, for `key`.
pub(crate) fn open_core(
    label: &[u8],
    key: &NodeKey,
    ad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, SealError> {
    if sealed.len() < CORE_OVERHEAD {
        return Err(SealError("too short"));
    }
    let (eph, ciphertext) = sealed.split_at(32);
    let mut eph_bytes = [0u8; 32];
    eph_bytes.copy_from_slice(eph);
    let eph_public = PublicKey::from(eph_bytes);
    let secret = StaticSecret::from(key.signing_key().to_scalar_bytes());
    let own_public = PublicKey::from(key.public().to_montgomery().to_bytes());
    let shared = secret.diffie_hellman(&eph_public);
    let payload = Payload {
        msg: ciphertext,
        aad: ad,
    };
    cipher(label, &eph_public, &own_public, shared.as_bytes())
        .decrypt(&Nonce::default(), payload)
        .map_err(|_| SealError("wrong recipient, altered, or moved from its proposal"))
}

/// `"caremesh-contact" 0 "2" 0 proposal_id 0 request_origin`: what binds a sealed contact
/// to its proposal and to the node it is for.
pub fn contact_associated_data(proposal_id: &str, request_origin: &str) -> Vec<u8> {
    let mut ad = Vec::with_capacity(24 + proposal_id.len() + request_origin.len());
    for part in ["caremesh-contact", "2", proposal_id] {
        ad.extend_from_slice(part.as_bytes());
        ad.push(0);
    }
    ad.extend_from_slice(request_origin.as_bytes());
    ad
}

/// Seals a maker's contact inside proposal `proposal_id` for the request's node
/// (`request_origin`, whose current key is `recipient`).
pub fn seal_contact(
    recipient: &VerifyingKey,
    proposal_id: &str,
    request_origin: &str,
    contact: &MakerContact,
) -> Result<Vec<u8>, CodecError> {
    let eph = StaticSecret::random_from_rng(rand::rngs::OsRng);
    seal_contact_with(
        eph.to_bytes(),
        recipient,
        proposal_id,
        request_origin,
        contact,
    )
}

/// [`seal_contact`] with a given ephemeral secret. For test vectors only: an ephemeral
/// secret used twice lets anyone who sees both payloads learn about them.
pub fn seal_contact_with(
    ephemeral_secret: [u8; 32],
    recipient: &VerifyingKey,
    proposal_id: &str,
    request_origin: &str,
    contact: &MakerContact,
) -> Result<Vec<u8>, CodecError> {
    let plaintext = codec::encode("maker contact", contact)?;
    let ad = contact_associated_data(proposal_id, request_origin);
    let mut out = vec![CONTACT_SEAL_VERSION];
    out.extend(seal_core(
        CONTACT_LABEL,
        ephemeral_secret,
        recipient,
        &ad,
        &plaintext,
    ));
    Ok(out)
}

/// Opens a contact sealed for `key` inside proposal `proposal_id` for `request_origin`.
pub fn open_contact(
    key: &NodeKey,
    proposal_id: &str,
    request_origin: &str,
    sealed: &[u8],
) -> Result<MakerContact, SealError> {
    let Some((&CONTACT_SEAL_VERSION, rest)) = sealed.split_first() else {
        return Err(SealError("not a version 2 contact seal"));
    };
    let ad = contact_associated_data(proposal_id, request_origin);
    let plaintext = open_core(CONTACT_LABEL, key, &ad, rest)?;
    codec::decode("maker contact", &plaintext).map_err(|_| SealError("not a maker contact"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "01JD3V5Q0000000000000000P1";
    const HOME: &str = "https://home.example";

    fn contact() -> MakerContact {
        MakerContact {
            contact: "+91 98 7654 3210".into(),
            address: "Kothrud, Pune".into(),
        }
    }

    #[test]
    fn only_the_recipient_opens_in_its_own_proposal() {
        let home = NodeKey::generate();
        let relay = NodeKey::generate();
        let sealed = seal_contact(&home.public(), ID, HOME, &contact()).unwrap();
        assert_eq!(sealed[0], CONTACT_SEAL_VERSION);
        assert_eq!(open_contact(&home, ID, HOME, &sealed).unwrap(), contact());
        assert!(open_contact(&relay, ID, HOME, &sealed).is_err());
        // Copied into another proposal, or claimed for another node: does not open.
        assert!(open_contact(&home, "01JD3V5Q0000000000000000P2", HOME, &sealed).is_err());
        assert!(open_contact(&home, ID, "https://other.example", &sealed).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(open_contact(&home, ID, HOME, &tampered).is_err());
        // A version 1 seal (no version byte) or a truncated one is refused, not misread.
        assert!(open_contact(&home, ID, HOME, &sealed[1..]).is_err());
        assert!(open_contact(&home, ID, HOME, &sealed[..20]).is_err());
        assert!(open_contact(&home, ID, HOME, &[]).is_err());
    }
}
