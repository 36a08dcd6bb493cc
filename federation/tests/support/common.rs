//! What the protocol's test vectors share: the test key, the origin and `meta` of every
//! vector, MessagePack hex, and the spec they are checked against.

use caremesh_federation::object::Meta;
use caremesh_federation::{NodeKey, codec};

/// docs/protocol.md, where every vector must appear.
pub const PROTOCOL_MD: &str = include_str!("../../../docs/protocol.md");

/// The test key: secret bytes 0x00, 0x01, … 0x1f.
pub fn test_key() -> NodeKey {
    let mut secret = [0u8; 32];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = i as u8;
    }
    NodeKey::from_secret("ed25519:1", secret).unwrap()
}

pub const ORIGIN: &str = "https://node.district-hospital.example";

pub fn meta(id: &str) -> Meta {
    Meta {
        id: id.into(),
        origin: ORIGIN.into(),
        version: 1,
        created_at: 1_795_000_000_000,
        updated_at: 1_795_000_000_000,
    }
}

pub fn hex_of<T: serde::Serialize>(value: &T) -> String {
    hex::encode(codec::encode("vector", value).unwrap())
}

/// Set CAREMESH_PRINT_VECTORS=1 to print the vectors for docs/protocol.md.
pub fn show(name: &str, value: &str) {
    if std::env::var_os("CAREMESH_PRINT_VECTORS").is_some() {
        println!("{name}:\n{value}\n");
    }
}
