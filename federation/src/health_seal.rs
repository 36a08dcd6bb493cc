//! The health seal: the private content of a health object, readable only by its addressee
//! and bound to its place (docs/protocol.md §9).
//!
//! It uses the core of [`crate::seal`]: the addressee's ed25519 key is converted to X25519,
//! an ephemeral X25519 key is made, and `k = SHA-256("caremesh-health-seal" 0x00 ‖ eph_pub ‖
//! recipient ‖ shared)` encrypts with ChaCha20-Poly1305 and a zero nonce (each `k` is used
//! once). The content is MessagePack and the encryption carries **associated data** naming the
//! kind, the object id, the addressee and an `extra` (a chunk's `deposit_id:index`, a read
//! answer's request id): a payload moved into another object, another chunk position or
//! toward another node does not open. Output: `eph_pub (32) ‖ ciphertext ‖ tag (16)`.

use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use serde::de::DeserializeOwned;
use x25519_dalek::StaticSecret;

use crate::codec;
use crate::envelope::PROTOCOL_VERSION;
use crate::error::CodecError;
use crate::key::NodeKey;
use crate::object::Kind;
use crate::seal;

/// Bytes a seal adds to its MessagePack content: the ephemeral key and the tag.
pub const OVERHEAD: usize = seal::CORE_OVERHEAD;
/// Plaintext bytes per chunk of an upload (the last chunk holds the rest).
pub const CHUNK_BYTES: usize = 256 * 1024;
/// The largest record, in bytes.
pub const MAX_RECORD_BYTES: u64 = 20 * 1024 * 1024;
/// Most chunks of one deposit: [`MAX_RECORD_BYTES`] / [`CHUNK_BYTES`].
pub const MAX_CHUNKS: u32 = (MAX_RECORD_BYTES / CHUNK_BYTES as u64) as u32;
/// Largest sealed field of the small health kinds (deposits, asks, consents, ...).
pub const MAX_SMALL_SEALED: usize = 16 * 1024;
/// Largest sealed field of a read answer: a 1 MiB range, or a list of records.
pub const MAX_ANSWER_SEALED: usize = 2 * 1024 * 1024;

/// Where a sealed payload belongs; its bytes are the associated data of the encryption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub kind: Kind,
    /// The id of the object that carries the payload.
    pub object_id: String,
    /// The origin of the node the payload is for.
    pub addressee: String,
    /// `deposit_id:index` for chunks, the request id for read answers, empty otherwise.
    pub extra: String,
}

impl Place {
    /// A place with no `extra`.
    pub fn new(kind: Kind, object_id: &str, addressee: &str) -> Self {
        Self::with_extra(kind, object_id, addressee, String::new())
    }

    /// A place with an `extra`.
    pub fn with_extra(kind: Kind, object_id: &str, addressee: &str, extra: String) -> Self {
        Place {
            kind,
            object_id: object_id.to_owned(),
            addressee: addressee.to_owned(),
            extra,
        }
    }

    /// `"caremesh-health" 0 "1" 0 kind 0 object_id 0 addressee 0 extra`.
    pub fn associated_data(&self) -> Vec<u8> {
        let mut ad = Vec::with_capacity(64 + self.addressee.len() + self.extra.len());
        for part in [
            "caremesh-health",
            PROTOCOL_VERSION,
            self.kind.as_str(),
            &self.object_id,
            &self.addressee,
        ] {
            ad.extend_from_slice(part.as_bytes());
            ad.push(0);
        }
        ad.extend_from_slice(self.extra.as_bytes());
        ad
    }
}

/// Why a health seal did not open.
#[derive(Debug, thiserror::Error)]
pub enum HealthSealError {
    /// Wrong recipient, tampered bytes, or a payload moved from its place.
    #[error("sealed content does not open here: wrong addressee, altered, or moved")]
    Opaque,
    /// It opened but is not the content this kind carries.
    #[error(transparent)]
    Decode(#[from] CodecError),
}

const LABEL: &[u8] = b"caremesh-health-seal\0";

/// Seals `content` for the node whose key is `recipient`, bound to `place`.
pub fn seal<T: Serialize>(
    recipient: &VerifyingKey,
    place: &Place,
    content: &T,
) -> Result<Vec<u8>, CodecError> {
    let eph = StaticSecret::random_from_rng(rand::rngs::OsRng);
    seal_with(eph.to_bytes(), recipient, place, content)
}

/// [`seal`] with a given ephemeral secret. For test vectors only: an ephemeral secret used
/// twice lets anyone who sees both payloads learn about them.
pub fn seal_with<T: Serialize>(
    ephemeral_secret: [u8; 32],
    recipient: &VerifyingKey,
    place: &Place,
    content: &T,
) -> Result<Vec<u8>, CodecError> {
    let plaintext = codec::encode("health content", content)?;
    let ad = place.associated_data();
    Ok(seal::seal_core(
        LABEL,
        ephemeral_secret,
        recipient,
        &ad,
        &plaintext,
    ))
}

/// Opens a payload sealed for `key` at `place` and decodes its content.
pub fn open<T: DeserializeOwned>(
    key: &NodeKey,
    place: &Place,
    sealed: &[u8],
) -> Result<T, HealthSealError> {
    let plaintext = seal::open_core(LABEL, key, &place.associated_data(), sealed)
        .map_err(|_| HealthSealError::Opaque)?;
    Ok(codec::decode("health content", &plaintext)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(extra: &str) -> Place {
        Place::with_extra(
            Kind::Chunk,
            "01JD3V5Q0000000000000000C1",
            "https://home.example",
            extra.into(),
        )
    }

    #[test]
    fn opens_only_for_its_recipient_and_place() {
        let home = NodeKey::generate();
        let relay = NodeKey::generate();
        let here = place("01JD3V5Q0000000000000000D1:3");
        let sealed = seal(&home.public(), &here, &"lab values").unwrap();
        assert_eq!(open::<String>(&home, &here, &sealed).unwrap(), "lab values");
        assert!(matches!(
            open::<String>(&relay, &here, &sealed),
            Err(HealthSealError::Opaque)
        ));
        // Moved to another chunk position, object, addressee or kind: refused.
        let moved = [
            place("01JD3V5Q0000000000000000D1:4"),
            Place {
                object_id: "01JD3V5Q0000000000000000C2".into(),
                ..here.clone()
            },
            Place {
                addressee: "https://other.example".into(),
                ..here.clone()
            },
            Place {
                kind: Kind::Deposit,
                ..here.clone()
            },
        ];
        for other in moved {
            assert!(open::<String>(&home, &other, &sealed).is_err(), "{other:?}");
        }
        let mut tampered = sealed.clone();
        tampered[40] ^= 1;
        assert!(open::<String>(&home, &here, &tampered).is_err());
        assert!(open::<String>(&home, &here, &sealed[..20]).is_err());
    }
}
