//! Test vectors of docs/protocol.md and snapshots of every wire type. If one of these
//! fails, the bytes on the wire changed: that breaks every peer running the old code.

use std::collections::BTreeMap;

use caremesh_federation::batch::{Batch, BatchReply, Check, Outcome, PullPage};
use caremesh_federation::object::*;
use caremesh_federation::request_auth::RequestAuth;
use caremesh_federation::{Envelope, Identity, codec, envelope};

#[path = "support/appointment_vectors.rs"]
mod appointment_vectors;
// The health seal's vector is checked in seals.rs.
#[allow(dead_code)]
#[path = "support/health_vectors.rs"]
mod health_vectors;

#[path = "support/common.rs"]
mod common;

use common::{ORIGIN, PROTOCOL_MD, hex_of, meta, show, test_key};

fn vector_request() -> Request {
    Request {
        meta: meta("01JD3V5Q0000000000000000R1"),
        facility_id: "01JD3V5Q0000000000000000F1".into(),
        facility_name: "District Hospital".into(),
        lat_e7: 185_204_000,
        lon_e7: 738_567_000,
        product: "face-shield".into(),
        quantity: 200,
        needed_by: Some(1_795_600_000_000),
        note: "ICU".into(),
        status: RequestStatus::Open,
        accepted: 0,
        received: 0,
    }
}

fn vector_facility() -> Facility {
    Facility {
        meta: meta("01JD3V5Q0000000000000000F1"),
        kind: FacilityKind::BloodBank,
        name: "District Blood Bank".into(),
        ownership: Some(Ownership::Government),
        address: Address {
            city: "Pune".into(),
            country: "IN".into(),
            ..Default::default()
        },
        lat_e7: 185_204_000,
        lon_e7: 738_567_000,
        contact: "+91 20 0000 0000".into(),
        specialties: vec!["pathology".into()],
        services: vec![Service {
            name: "CBC".into(),
            price_minor: 25_000,
            currency: "INR".into(),
        }],
        hours: "Mo-Su 00:00-24:00".into(),
        blood_stock: BTreeMap::from([("O-".to_owned(), 4), ("A+".to_owned(), 12)]),
        printers: vec![Printer {
            model: "Prusa MK4".into(),
            build_volume_mm: [250, 210, 220],
            nozzle_um: 400,
            materials: vec![Material::Petg],
        }],
        retracted: false,
    }
}

fn vector_proposal() -> Proposal {
    Proposal {
        meta: Meta {
            origin: "https://makers-pune.example".into(),
            ..meta("01JD3V5Q0000000000000000P1")
        },
        request_id: "01JD3V5Q0000000000000000R1".into(),
        request_origin: ORIGIN.into(),
        maker: "maker.ravi".into(),
        material: Material::Petg,
        quantity: 150,
        eta: Some(1_795_500_000_000),
        status: ProposalStatus::Pending,
        sealed_contact: vec![0xAA; 4],
        lat_e7: Some(185_074_000),
        lon_e7: Some(738_077_000),
    }
}

fn vector_decision() -> Decision {
    Decision {
        meta: meta("01JD3V5Q0000000000000000D1"),
        proposal_id: "01JD3V5Q0000000000000000P1".into(),
        proposal_origin: "https://makers-pune.example".into(),
        request_id: "01JD3V5Q0000000000000000R1".into(),
        verdict: Verdict::Accept,
        quantity: 150,
    }
}

#[test]
fn request_vector_matches_the_spec() {
    let key = test_key();
    let public = caremesh_federation::key::encode_public(&key.public());
    let body = hex_of(&vector_request());
    let env = Envelope::seal(&Object::Request(vector_request()), &key).unwrap();
    let sig = hex::encode(&env.sig);
    show("public key", &public);
    show("request body", &body);
    show("request signature", &sig);
    for (what, value) in [
        ("public key", &public),
        ("body", &body),
        ("signature", &sig),
    ] {
        assert!(
            PROTOCOL_MD
                .replace(['\n', ' '], "")
                .contains(value.as_str()),
            "docs/protocol.md lacks the {what} {value}"
        );
    }
    env.verify(&key.public()).unwrap();
    assert_eq!(hex::encode(env.body), body);
}

#[test]
fn request_signature_vector_matches_the_spec() {
    let key = test_key();
    let mut auth = RequestAuth::sign(
        &key,
        ORIGIN,
        "https://makers-pune.example",
        "POST",
        "/federation/v1/inbox",
        b"\x82",
        1_795_000_000,
    );
    auth.nonce = "01JD3V5Q0000000000000000N1".into();
    auth.sig = key.sign(&caremesh_federation::request_auth::signing_string(
        &auth,
        "POST",
        "/federation/v1/inbox",
        b"\x82",
    ));
    let header = auth.to_header();
    show("request header", &header);
    assert!(
        PROTOCOL_MD.contains(&header),
        "docs/protocol.md lacks the header vector {header}"
    );
    RequestAuth::parse(&header)
        .unwrap()
        .verify(&key.public(), "POST", "/federation/v1/inbox", b"\x82")
        .unwrap();
}

#[test]
fn tampering_fails_verification() {
    let key = test_key();
    let mut env = Envelope::seal(&Object::Request(vector_request()), &key).unwrap();
    env.body[5] ^= 1;
    assert!(env.verify(&key.public()).is_err());
    // The same bytes signed as another kind do not verify as this one.
    let mut as_facility = Envelope::seal(&Object::Request(vector_request()), &key).unwrap();
    as_facility.kind = Kind::Facility;
    assert!(as_facility.verify(&key.public()).is_err());
    let results = envelope::verify_batch(&[&env, &as_facility], &[key.public(), key.public()]);
    assert!(results.iter().all(Result::is_err));
}

#[test]
fn weak_keys_are_refused() {
    // The identity point (a small-order key).
    let mut weak = [0u8; 32];
    weak[0] = 1;
    let text = base64_nopad(&weak);
    assert_eq!(
        caremesh_federation::key::decode_public(&text),
        Err(caremesh_federation::error::KeyError::Weak)
    );
}

fn base64_nopad(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// Snapshots: the hex of each wire type's canonical encoding.
#[test]
fn wire_type_snapshots() {
    let key = test_key();
    let env = Envelope::seal(&Object::Decision(vector_decision()), &key).unwrap();
    let snapshots: Vec<(&str, String)> = vec![
        ("facility", hex_of(&vector_facility())),
        ("request", hex_of(&vector_request())),
        ("proposal", hex_of(&vector_proposal())),
        ("decision", hex_of(&vector_decision())),
        ("envelope", hex_of(&env)),
        (
            "batch",
            hex_of(&Batch {
                txn: "7-9".into(),
                envelopes: vec![env.clone()],
            }),
        ),
        (
            "pull page",
            hex_of(&PullPage {
                envelopes: vec![],
                next: 9,
                more: false,
            }),
        ),
        (
            "batch reply (JSON)",
            serde_json::to_string(&BatchReply {
                txn: "7-9".into(),
                results: vec![
                    Outcome::Stored,
                    Outcome::Duplicate,
                    Outcome::Rejected {
                        check: Check::Signature,
                        message: "m".into(),
                    },
                    Outcome::Parked {
                        message: "p".into(),
                    },
                ],
            })
            .unwrap(),
        ),
        (
            "identity (JSON)",
            serde_json::to_string(&Identity::new(ORIGIN, "District Hospital", &key)).unwrap(),
        ),
        ("announcement", hex_of(&health_vectors::announcement())),
        ("deposit", hex_of(&health_vectors::deposit())),
        ("chunk", hex_of(&health_vectors::chunk())),
        ("receipt", hex_of(&health_vectors::receipt())),
        ("consent_ask", hex_of(&health_vectors::consent_ask())),
        ("consent", hex_of(&health_vectors::consent())),
        ("erasure", hex_of(&health_vectors::erasure())),
        ("read", hex_of(&health_vectors::read())),
        ("read_answer", hex_of(&health_vectors::read_answer())),
        ("schedule", hex_of(&appointment_vectors::schedule())),
        ("availability", hex_of(&appointment_vectors::availability())),
        ("booking", hex_of(&appointment_vectors::booking())),
        (
            "booking_answer",
            hex_of(&appointment_vectors::booking_answer()),
        ),
        ("order", hex_of(&appointment_vectors::order())),
        ("order_answer", hex_of(&appointment_vectors::order_answer())),
    ];
    let text: String = snapshots
        .iter()
        .map(|(name, value)| format!("{name}\n{value}\n"))
        .collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/wire.txt");
    if std::env::var_os("CAREMESH_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .expect("snapshot file; run with CAREMESH_UPDATE_SNAPSHOTS=1 once");
    assert_eq!(
        text, expected,
        "a wire format changed; if on purpose, bump the protocol version and update the snapshot"
    );
    // Every snapshot decodes back to the same value.
    let decoded: Facility =
        codec::decode("facility", &codec::encode("f", &vector_facility()).unwrap()).unwrap();
    assert_eq!(decoded, vector_facility());
}

/// A kind added to the list must get its snapshot above (and a vector in the spec).
#[test]
fn every_kind_has_a_snapshot() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/wire.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    for kind in Kind::ALL {
        assert!(
            text.lines().any(|line| line == kind.as_str()),
            "tests/snapshots/wire.txt has no snapshot of `{}`: add one to wire_type_snapshots",
            kind.as_str()
        );
    }
}
