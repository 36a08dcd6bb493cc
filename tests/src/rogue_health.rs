//! Health attacks for the rogue peer of [`crate::rogue`]: it learns a node's key from the
//! node's identity document, seals health content to it exactly as the protocol does
//! (docs/protocol.md §9.6), so only the checks that are meant to stop a forgery can, and
//! reads over the read relay as itself, opening the sealed answer with its own key.

use anyhow::Context;
use caremesh_federation::health_seal::{self, Place};
use caremesh_federation::identity::IDENTITY_PATH;
use caremesh_federation::object::{
    AnswerContent, Chunk, Deposit, DepositContent, HealthFacility, MAX_HOPS, READ_PATH, Read,
    ReadContent, ReadOp, ReadRelay,
};
use caremesh_federation::request_auth::RequestAuth;
use caremesh_federation::{Envelope, Identity, Object, codec};
use serde::Serialize;
use serde_json::Value;

use crate::rogue::{Rogue, now_ms};

/// The identity document `url` serves for itself.
pub async fn identity_of(url: &str) -> anyhow::Result<Identity> {
    let identity = reqwest::get(format!("{url}{IDENTITY_PATH}"))
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(identity)
}

/// `content` sealed at `place` to the node whose identity is `to` (its current key).
pub fn sealed_to(
    to: &Identity,
    place: &Place,
    content: &impl Serialize,
) -> anyhow::Result<Vec<u8>> {
    let key = to.current_key().context("no current key")??;
    Ok(health_seal::seal(&key, place, content)?)
}

/// A deposit of `bytes` (one chunk) from the rogue's origin to `home` for `health_id`,
/// naming `facility_id` as the uploading facility, and its chunk.
pub fn deposit(
    rogue: &Rogue,
    home: &Identity,
    health_id: &str,
    facility_id: &str,
    bytes: &[u8],
) -> anyhow::Result<(Deposit, Chunk)> {
    use sha2::Digest;
    let content = DepositContent {
        health_id: health_id.to_owned(),
        record_type: "lab_report".into(),
        title: "Planted report".into(),
        date: "2026-11-02".into(),
        facility: HealthFacility {
            id: facility_id.to_owned(),
            name: "Rogue Hospital".into(),
        },
        uploader: "rogue".into(),
        content_type: "text/plain".into(),
        size: bytes.len() as u64,
        sha256: hex::encode(sha2::Sha256::digest(bytes)),
        chunk_size: health_seal::CHUNK_BYTES as u32,
    };
    let mut deposit = Deposit {
        meta: Rogue::meta(&rogue.url),
        addressee: home.url.clone(),
        chunks: 1,
        sealed: Vec::new(),
    };
    deposit.sealed = sealed_to(home, &deposit.place(), &content)?;
    let mut chunk = Chunk {
        meta: Rogue::meta(&rogue.url),
        addressee: home.url.clone(),
        deposit_id: deposit.meta.id.clone(),
        index: 0,
        sealed: Vec::new(),
    };
    chunk.sealed = sealed_to(home, &chunk.place(), &serde_bytes::ByteBuf::from(bytes))?;
    Ok((deposit, chunk))
}

/// What a read the rogue sent came to.
#[derive(Debug)]
pub enum ReadOutcome {
    /// The home node answered: its sealed answer, opened with the rogue's key.
    Answer(AnswerContent),
    /// An HTTP refusal before any answer: status and JSON.
    Status(u16, Value),
}

/// Lists the records of `health_id` at `home` as the rogue itself, under `consent_id`.
pub async fn read_as_rogue(
    rogue: &Rogue,
    home: &Identity,
    consent_id: &str,
    health_id: &str,
) -> anyhow::Result<ReadOutcome> {
    let content = ReadContent {
        consent_id: consent_id.to_owned(),
        health_id: health_id.to_owned(),
        op: ReadOp::List,
        record_id: None,
        offset: 0,
        length: 1024,
        member: "rogue".into(),
    };
    let mut read = Read {
        meta: Rogue::meta(&rogue.url),
        addressee: home.url.clone(),
        sealed: Vec::new(),
    };
    read.sealed = sealed_to(home, &read.place(), &content)?;
    let relay = ReadRelay {
        hops: MAX_HOPS,
        envelope: rogue.sign(read.clone()),
    };
    let body = codec::encode("read relay", &relay)?;
    let auth = RequestAuth::sign(
        &rogue.key,
        &rogue.url,
        &home.url,
        "POST",
        READ_PATH,
        &body,
        now_ms() / 1000,
    );
    let resp = reqwest::Client::new()
        .post(format!("{}{READ_PATH}", home.url))
        .header("content-type", "application/msgpack")
        .header("authorization", auth.to_header())
        .body(body)
        .send()
        .await?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await?;
    if status != 200 {
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        return Ok(ReadOutcome::Status(status, json));
    }
    let envelope: Envelope = codec::decode("read answer", &bytes)?;
    let Object::ReadAnswer(answer) = envelope.decode()? else {
        anyhow::bail!("the answer is a {:?}, not a read answer", envelope.kind);
    };
    let opened = health_seal::open(&rogue.key, &answer.place(&read.meta.id), &answer.sealed)?;
    Ok(ReadOutcome::Answer(opened))
}
