//! Sealed fields: a few bytes readable only by one node, even when nodes in between route
//! the object that carries them (a maker's contact inside a proposal).
//!
//! The recipient's ed25519 public key is converted to its X25519 (Montgomery) form, as
//! libsodium's `crypto_sign_ed25519_pk_to_curve25519` does. The sender makes an ephemeral
//! X25519 key, derives `k = SHA-256("caremesh-seal\0" || eph_pub || recipient_x25519 ||
//! shared)`, and encrypts with ChaCha20-Poly1305 under `k` and a zero nonce (`k` is used
//! once). Output: `eph_pub (32) || ciphertext+tag`.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};
use x25519_dalek::{EphemeralSecret, PublicKey, StaticSecret};

use crate::key::NodeKey;

/// Opening a sealed field failed: wrong recipient or tampered bytes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("sealed field cannot be opened: {0}")]
pub struct SealError(&'static str);

fn derive(eph: &PublicKey, recipient: &PublicKey, shared: &[u8; 32]) -> ChaCha20Poly1305 {
    let mut h = Sha256::new();
    h.update(b"caremesh-seal\0");
    h.update(eph.as_bytes());
    h.update(recipient.as_bytes());
    h.update(shared);
    ChaCha20Poly1305::new(Key::from_slice(&h.finalize()))
}

/// Encrypts `plaintext` so that only the holder of `recipient`'s secret key can read it.
pub fn seal(recipient: &VerifyingKey, plaintext: &[u8]) -> Vec<u8> {
    let recipient_x = PublicKey::from(recipient.to_montgomery().to_bytes());
    let eph_secret = EphemeralSecret::random_from_rng(rand::rngs::OsRng);
    let eph_public = PublicKey::from(&eph_secret);
    let shared = eph_secret.diffie_hellman(&recipient_x);
    let cipher = derive(&eph_public, &recipient_x, shared.as_bytes());
    let nonce = Nonce::default();
    // Encryption with a fresh key cannot fail for inputs of our size.
    let ciphertext = cipher.encrypt(&nonce, plaintext).unwrap_or_default();
    let mut out = Vec::with_capacity(32 + ciphertext.len());
    out.extend_from_slice(eph_public.as_bytes());
    out.extend_from_slice(&ciphertext);
    out
}

/// Decrypts bytes made by [`seal`] for `key`.
pub fn open(key: &NodeKey, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    if sealed.len() < 32 + 16 {
        return Err(SealError("too short"));
    }
    let (eph, ciphertext) = sealed.split_at(32);
    let mut eph_bytes = [0u8; 32];
    eph_bytes.copy_from_slice(eph);
    let eph_public = PublicKey::from(eph_bytes);
    let secret = StaticSecret::from(key.signing_key().to_scalar_bytes());
    let own_public = PublicKey::from(key.public().to_montgomery().to_bytes());
    let shared = secret.diffie_hellman(&eph_public);
    let cipher = derive(&eph_public, &own_public, shared.as_bytes());
    cipher
        .decrypt(&Nonce::default(), ciphertext)
        .map_err(|_| SealError("wrong recipient or tampered bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_recipient_opens() {
        let alice = NodeKey::generate();
        let bob = NodeKey::generate();
        let sealed = seal(&alice.public(), b"+91 98 7654 3210");
        assert_eq!(open(&alice, &sealed).unwrap(), b"+91 98 7654 3210");
        assert!(open(&bob, &sealed).is_err());
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(open(&alice, &tampered).is_err());
    }
}
