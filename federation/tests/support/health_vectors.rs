//! Vectors of the health kinds (docs/protocol.md §9): one value of each kind for the wire
//! snapshots, and the health seal's test vector.

use caremesh_federation::health_seal::{self, Place};
use caremesh_federation::object::*;

use super::{ORIGIN, meta};

pub const HOME: &str = "https://home.example";

/// The sealed field of every snapshot: its value does not matter to the encoding.
fn sealed() -> Vec<u8> {
    vec![0x5e; 48]
}

pub fn announcement() -> Announcement {
    Announcement {
        meta: meta("01JD3V5Q0000000000000000A1"),
        name: "District Hospital".into(),
        hid_prefixes: vec![42173],
    }
}

pub fn deposit() -> Deposit {
    Deposit {
        meta: meta("01JD3V5Q0000000000000000D1"),
        addressee: HOME.into(),
        chunks: 2,
        sealed: sealed(),
    }
}

pub fn chunk() -> Chunk {
    Chunk {
        meta: meta("01JD3V5Q0000000000000000C1"),
        addressee: HOME.into(),
        deposit_id: "01JD3V5Q0000000000000000D1".into(),
        index: 1,
        sealed: sealed(),
    }
}

pub fn receipt() -> Receipt {
    Receipt {
        meta: Meta {
            origin: HOME.into(),
            ..meta("01JD3V5Q0000000000000000E1")
        },
        addressee: ORIGIN.into(),
        deposit_id: "01JD3V5Q0000000000000000D1".into(),
        sealed: sealed(),
    }
}

pub fn consent_ask() -> ConsentAsk {
    ConsentAsk {
        meta: meta("01JD3V5Q0000000000000000K1"),
        addressee: HOME.into(),
        sealed: sealed(),
    }
}

pub fn consent() -> Consent {
    Consent {
        meta: Meta {
            origin: HOME.into(),
            ..meta("01JD3V5Q0000000000000000G1")
        },
        addressee: ORIGIN.into(),
        ask_id: "01JD3V5Q0000000000000000K1".into(),
        sealed: sealed(),
    }
}

pub fn erasure() -> Erasure {
    Erasure {
        meta: Meta {
            origin: HOME.into(),
            ..meta("01JD3V5Q0000000000000000X1")
        },
        addressee: ORIGIN.into(),
        sealed: sealed(),
    }
}

pub fn read() -> Read {
    Read {
        meta: meta("01JD3V5Q0000000000000000Q1"),
        addressee: HOME.into(),
        sealed: sealed(),
    }
}

pub fn read_answer() -> ReadAnswer {
    ReadAnswer {
        meta: Meta {
            origin: HOME.into(),
            ..meta("01JD3V5Q0000000000000000W1")
        },
        addressee: ORIGIN.into(),
        sealed: sealed(),
    }
}

/// The content sealed in the spec's vector.
pub fn vector_content() -> DepositContent {
    DepositContent {
        health_id: "42173000000011".into(),
        record_type: "lab_report".into(),
        title: "CBC".into(),
        date: "2026-11-02".into(),
        facility: HealthFacility {
            id: "01JD3V5Q0000000000000000F1".into(),
            name: "District Hospital".into(),
        },
        uploader: "dr.rao".into(),
        content_type: "text/plain".into(),
        size: 5,
        sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".into(),
        chunk_size: 262_144,
    }
}

/// The spec's seal vector: the deposit above sealed to the test key, ephemeral secret 32
/// bytes of 0x42. Returns the associated data and the sealed bytes.
pub fn seal_vector(recipient: &caremesh_federation::NodeKey) -> (Vec<u8>, Vec<u8>) {
    let place = Place::new(Kind::Deposit, "01JD3V5Q0000000000000000D1", HOME);
    let sealed =
        health_seal::seal_with([0x42; 32], &recipient.public(), &place, &vector_content()).unwrap();
    let opened: DepositContent = health_seal::open(recipient, &place, &sealed).unwrap();
    assert_eq!(opened, vector_content());
    (place.associated_data(), sealed)
}
