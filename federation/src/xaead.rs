//! XChaCha20-Poly1305 behind plain (non-generic) functions. Generic code is compiled in the
//! crate that instantiates it, so the node's records vault, calling the cipher crate itself,
//! ran it at the node's opt-level (0 in dev builds: seconds for a 20 MiB record). Called
//! through here, it runs at this crate's opt-level (2 in the dev profile, see Cargo.toml).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// Bytes the tag adds to a sealed message.
pub const TAG: usize = 16;

/// A message that did not open: another key, nonce or associated data, or altered bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the sealed bytes do not open with this key, nonce and associated data")]
pub struct Unopened;

/// One XChaCha20-Poly1305 key.
#[derive(Clone)]
pub struct XAead(XChaCha20Poly1305);

impl XAead {
    pub fn new(key: &[u8; 32]) -> Self {
        XAead(XChaCha20Poly1305::new(Key::from_slice(key)))
    }

    /// Appends `plaintext` sealed under `nonce` with `ad` (ciphertext and tag) to `out`.
    pub fn seal_into(&self, nonce: &[u8; 24], ad: &[u8], plaintext: &[u8], out: &mut Vec<u8>) {
        let payload = Payload {
            msg: plaintext,
            aad: ad,
        };
        // XChaCha20-Poly1305 fails only for messages over 256 GiB.
        if let Ok(sealed) = self.0.encrypt(XNonce::from_slice(nonce), payload) {
            out.extend_from_slice(&sealed);
        }
    }

    /// Opens `sealed` (ciphertext and tag) under `nonce` with `ad`.
    pub fn open(&self, nonce: &[u8; 24], ad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Unopened> {
        let payload = Payload {
            msg: sealed,
            aad: ad,
        };
        self.0
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| Unopened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_only_in_place() {
        let aead = XAead::new(&[7; 32]);
        let mut sealed = Vec::new();
        aead.seal_into(&[1; 24], b"ad", b"hello", &mut sealed);
        assert_eq!(sealed.len(), 5 + TAG);
        assert_eq!(aead.open(&[1; 24], b"ad", &sealed).unwrap(), b"hello");
        assert_eq!(aead.open(&[2; 24], b"ad", &sealed), Err(Unopened));
        assert_eq!(aead.open(&[1; 24], b"da", &sealed), Err(Unopened));
        assert_eq!(
            XAead::new(&[8; 32]).open(&[1; 24], b"ad", &sealed),
            Err(Unopened)
        );
    }
}
