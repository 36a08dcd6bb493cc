//! Uploads of records by staff (docs/health.md §4): checked here (role, number, type, title,
//! date, content type, size, and that the bytes are what the type says), then kept at once
//! when the health ID is issued here, or sent home as a sealed `deposit` and its `chunk`s,
//! published in one durable step for the outbox to deliver.

mod checks;

use caremesh_federation::Object;
use caremesh_federation::health_seal::{self, CHUNK_BYTES};
use caremesh_federation::object::{Chunk, Deposit, DepositContent, Facility, HealthFacility};
use serde::{Deserialize, Serialize};

use super::audit::{Action, Entry};
use super::error::{HealthError, HealthResult};
use super::hid::HealthId;
use super::notices::Notice;
use super::prefixes::Home;
use super::profile::vault_err;
use super::record::{FacilityRef, RecordMeta};
use super::service::Health;
use crate::error::ServiceError;
use crate::members::Member;
use crate::store::Space;
pub use checks::CONTENT_TYPES;
use checks::{Described, describe};
pub(crate) use checks::{check_title, record_date};

/// An upload as the edge receives it: query parameters, `Content-Type` and the bytes.
#[derive(Clone, Default)]
pub struct Upload {
    pub record_type: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD` (or RFC 3339: its date is taken).
    pub date: Option<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Where an upload stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadStatus {
    /// Kept here, the home node (201).
    Stored,
    /// On its way to the home node (202).
    Sending,
}

/// The answer to an upload: the record id (the deposit id when sent home).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    pub id: String,
    pub sha256: String,
    pub status: UploadStatus,
}

/// An upload sent home from here, until its receipt (`upload:<deposit id>`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Sent {
    pub home: String,
    pub member: String,
    pub created_at: i64,
    /// `None` while on its way; then whether the home node kept it.
    pub stored: Option<bool>,
}

pub(super) fn sent_key(deposit_id: &str) -> String {
    format!("upload:{deposit_id}")
}

impl Health {
    /// Uploads a record for the health ID `hid`, by staff of a facility listed here.
    pub async fn upload(
        &self,
        member: &Member,
        hid: &str,
        upload: Upload,
    ) -> HealthResult<Uploaded> {
        let facility = self.staff_facility(member)?;
        let id = Self::parse_id("HID", hid)?;
        let described = describe(upload)?;
        match self.inner.prefixes.home_of(&id)?? {
            Home::Here => self.keep(member, &facility, &id, described).await,
            Home::Node(home) => {
                // Sealing, signing and storing 20 MiB is seconds of CPU and disk: off the
                // runtime's threads, so other requests are answered meanwhile.
                let (this, member) = (self.clone(), member.clone());
                tokio::task::spawn_blocking(move || {
                    this.send_home(&member, &facility, &id, &home, described)
                })
                .await
                .map_err(|e| {
                    HealthError::corrupt("upload", format!("the sealing task failed: {e}"))
                })?
            }
        }
    }

    /// Stores a record for an ID issued here.
    async fn keep(
        &self,
        member: &Member,
        facility: &Facility,
        id: &HealthId,
        described: Described,
    ) -> HealthResult<Uploaded> {
        let inner = &self.inner;
        let person = inner
            .ids
            .get(id)?
            .ok_or_else(|| ServiceError::not_found("health ID", &id.to_string()))?;
        let record_id = ulid::Ulid::new().to_string();
        let stored = inner.vault.put_record(&record_id, &described.bytes).await?;
        let record = RecordMeta {
            id: record_id.clone(),
            record_type: described.record_type,
            title: described.title,
            date: described.date,
            facility: FacilityRef {
                id: facility.meta.id.clone(),
                name: facility.name.clone(),
                node: inner.here.clone(),
            },
            content_type: described.content_type,
            size: stored.size,
            sha256: stored.sha256.clone(),
            uploaded_at: self.now(),
        };
        inner.records.add(id, record)?;
        let entry = Entry {
            record_id: Some(record_id.clone()),
            ..self.entry_here(member, Action::Uploaded)
        };
        self.record(id, entry)?;
        tracing::info!(record_id, "record stored");
        inner.notices.send(Notice::RecordStored {
            health_id: *id,
            record_id: record_id.clone(),
            tell: super::intake::people_of(&person),
        });
        Ok(Uploaded {
            id: record_id,
            sha256: stored.sha256,
            status: UploadStatus::Stored,
        })
    }

    /// Seals the record to its home node as a deposit and its chunks and publishes them.
    fn send_home(
        &self,
        member: &Member,
        facility: &Facility,
        id: &HealthId,
        home: &str,
        described: Described,
    ) -> HealthResult<Uploaded> {
        let inner = &self.inner;
        let home_key = inner.transport.known_key(home).ok_or_else(|| {
            HealthError::unreachable("the home node's key is not known here yet; try again soon")
        })?;
        let now = self.now();
        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&described.bytes));
        let pieces: Vec<&[u8]> = described.bytes.chunks(CHUNK_BYTES).collect();
        let content = DepositContent {
            health_id: id.digits(),
            record_type: described.record_type.as_str().to_owned(),
            title: described.title.clone(),
            date: described.date.clone(),
            facility: HealthFacility {
                id: facility.meta.id.clone(),
                name: facility.name.clone(),
            },
            uploader: member.handle.clone(),
            content_type: described.content_type.clone(),
            size: described.bytes.len() as u64,
            sha256: sha256.clone(),
            chunk_size: CHUNK_BYTES as u32,
        };
        let seal_err =
            |e: caremesh_federation::error::CodecError| HealthError::corrupt("deposit", e);
        let mut deposit = Deposit {
            meta: inner.publisher.new_meta(now),
            addressee: home.to_owned(),
            chunks: pieces.len() as u32,
            sealed: Vec::new(),
        };
        deposit.sealed =
            health_seal::seal(&home_key, &deposit.place(), &content).map_err(seal_err)?;
        let deposit_id = deposit.meta.id.clone();
        let started = std::time::Instant::now();
        let chunks: Vec<Chunk> = (0..pieces.len())
            .map(|index| Chunk {
                meta: inner.publisher.new_meta(now),
                addressee: home.to_owned(),
                deposit_id: deposit_id.clone(),
                index: index as u32,
                sealed: Vec::new(),
            })
            .collect();
        let chunks = seal_chunks(&home_key, chunks, &pieces).map_err(seal_err)?;
        let seal_ms = started.elapsed().as_millis() as u64;
        let mut objects = vec![Object::Deposit(deposit)];
        objects.extend(chunks.into_iter().map(Object::Chunk));
        let sent = Sent {
            home: home.to_owned(),
            member: member.handle.clone(),
            created_at: now,
            stored: None,
        };
        inner
            .vault
            .put(&*inner.store, Space::Health, &sent_key(&deposit_id), &sent)
            .map_err(vault_err)?;
        let started = std::time::Instant::now();
        inner.publisher.publish_all(objects, Some(&member.handle))?;
        tracing::info!(
            deposit_id,
            chunks = content.size.div_ceil(CHUNK_BYTES as u64),
            seal_ms,
            publish_ms = started.elapsed().as_millis() as u64,
            "record sent home"
        );
        Ok(Uploaded {
            id: deposit_id,
            sha256,
            status: UploadStatus::Sending,
        })
    }
}

/// Seals each piece into its chunk, on as many threads as there are cores (at most 4).
fn seal_chunks(
    key: &ed25519_dalek::VerifyingKey,
    mut chunks: Vec<Chunk>,
    pieces: &[&[u8]],
) -> Result<Vec<Chunk>, caremesh_federation::error::CodecError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let per_thread = chunks.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .chunks_mut(per_thread)
            .zip(pieces.chunks(per_thread))
            .map(|(chunks, pieces)| {
                scope.spawn(move || {
                    for (chunk, piece) in chunks.iter_mut().zip(pieces) {
                        let bytes = serde_bytes::Bytes::new(piece);
                        chunk.sealed = health_seal::seal(key, &chunk.place(), &bytes)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })?;
    Ok(chunks)
}
