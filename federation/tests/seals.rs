//! The seal and key rotation vectors of docs/protocol.md (§1 rotation, §6 contact seal, §9
//! health seal). If one of these fails, sealed bytes or identities changed: peers running
//! the old code cannot open or learn them. Object vectors and wire snapshots are in wire.rs.

use caremesh_federation::object::*;
use caremesh_federation::{Identity, NodeKey};

#[path = "support/common.rs"]
mod common;
// The health kinds' values serve the wire snapshots too; only the seal's are used here.
#[allow(dead_code)]
#[path = "support/health_vectors.rs"]
mod health_vectors;

use common::{ORIGIN, PROTOCOL_MD, hex_of, meta, show, test_key};

/// The health seal's vector in docs/protocol.md §9.
#[test]
fn health_seal_vector_matches_the_spec() {
    let key = test_key();
    let (ad, sealed) = health_vectors::seal_vector(&key);
    let content = hex_of(&health_vectors::vector_content());
    let (ad, sealed) = (hex::encode(ad), hex::encode(sealed));
    in_the_spec("health seal", &content, &ad, &sealed);
}

/// The key rotation vector of docs/protocol.md §1: the test key retires at 1795000000000
/// and the key with secret bytes 0x20 … 0x3f becomes `ed25519:2`.
#[test]
fn rotation_vector_matches_the_spec() {
    use caremesh_federation::Keychain;
    use caremesh_federation::identity::{Source, learn};
    let mut secret = [0u8; 32];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = 0x20 + i as u8;
    }
    let next = NodeKey::from_secret("ed25519:2", secret).unwrap();
    let mut keys = Keychain::from(test_key());
    keys.rotate(ORIGIN, next, 1_795_000_000_000).unwrap();
    let identity = Identity::of(ORIGIN, "District Hospital", &keys);
    let json = serde_json::to_string(&identity).unwrap();
    show("rotated identity", &json);
    assert!(
        PROTOCOL_MD
            .replace(['\n', ' '], "")
            .contains(&json.replace(' ', "")),
        "docs/protocol.md lacks the rotated identity {json}"
    );
    // A peer that knew only the first key learns the second from a relay.
    let before = Identity::new(ORIGIN, "District Hospital", &test_key());
    let learned = learn(ORIGIN, Some(&before), &identity, Source::Relay).unwrap();
    assert_eq!(learned.identity, identity);
}

/// The contact seal's vector in docs/protocol.md §6: the maker's contact sealed to the test
/// key inside proposal `01JD3V5Q0000000000000000P1`, ephemeral secret 32 bytes of 0x42.
#[test]
fn contact_seal_vector_matches_the_spec() {
    use caremesh_federation::seal;
    let key = test_key();
    let contact = MakerContact {
        contact: "+91 98 7654 3210".into(),
        address: "Kothrud, Pune".into(),
    };
    let id = "01JD3V5Q0000000000000000P1";
    let sealed = seal::seal_contact_with([0x42; 32], &key.public(), id, ORIGIN, &contact).unwrap();
    assert_eq!(
        seal::open_contact(&key, id, ORIGIN, &sealed).unwrap(),
        contact
    );
    let content = hex_of(&contact);
    let ad = hex::encode(seal::contact_associated_data(id, ORIGIN));
    let sealed = hex::encode(sealed);
    in_the_spec("contact seal", &content, &ad, &sealed);
}

/// Shows a seal's vector and checks that docs/protocol.md holds each part of it.
fn in_the_spec(seal: &str, content: &str, ad: &str, sealed: &str) {
    let spec = PROTOCOL_MD.replace(['\n', ' '], "");
    for (what, value) in [
        ("content", content),
        ("associated data", ad),
        ("sealed", sealed),
    ] {
        show(&format!("{seal} {what}"), value);
        assert!(
            spec.contains(value),
            "docs/protocol.md lacks the {seal} {what} {value}"
        );
    }
}
