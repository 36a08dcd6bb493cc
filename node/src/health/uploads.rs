//! Uploads of records by staff (docs/health.md §4): checked here (role, number, type, title,
//! date, content type, size, and that the bytes are what the type says), then kept at once
//! when the health ID is issued here, or sent home as a sealed `deposit` and its `chunk`s,
//! published in one durable step for the outbox to deliver.

use caremesh_federation::Object;
use caremesh_federation::health_seal::{self, CHUNK_BYTES, MAX_RECORD_BYTES};
use caremesh_federation::object::{Chunk, Deposit, DepositContent, Facility, HealthFacility};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::audit::{Action, Entry};
use super::error::{HealthError, HealthResult};
use super::fhir::parse_document_reference;
use super::hid::HealthId;
use super::notices::Notice;
use super::prefixes::Home;
use super::profile::vault_err;
use super::record::{FacilityRef, RecordMeta, RecordType, RecordTypeCodes};
use super::service::Health;
use crate::error::ServiceError;
use crate::members::Member;
use crate::store::Space;

/// Content types a record may have.
pub const CONTENT_TYPES: [&str; 5] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/fhir+json",
];
const FHIR_JSON: &str = "application/fhir+json";

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

/// A record's description, checked.
struct Described {
    record_type: RecordType,
    title: String,
    date: String,
    content_type: String,
    bytes: Vec<u8>,
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

/// The media type without parameters, lowercase.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether the bytes start as the type says.
fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "text/plain" => std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')),
        _ => false,
    }
}

fn check_size(size: usize) -> HealthResult<()> {
    if size == 0 {
        return Err(ServiceError::invalid("content", "is empty: send the report's bytes").into());
    }
    if size as u64 > MAX_RECORD_BYTES {
        return Err(HealthError::TooLarge { size: size as u64 });
    }
    Ok(())
}

/// A record date, `YYYY-MM-DD`, from `YYYY-MM-DD` or RFC 3339.
pub(super) fn record_date(text: &str) -> Option<String> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.date_naive())
        })?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Checks a record title.
pub(super) fn check_title(title: &str) -> Result<String, ServiceError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "title",
            "must be 1 to 200 characters",
        ));
    }
    Ok(title.to_owned())
}

/// Checks an upload in the order of docs/health.md §4 and unwraps a FHIR DocumentReference.
fn describe(upload: Upload) -> HealthResult<Described> {
    let mut content_type = media_type(&upload.content_type);
    if !CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(HealthError::UnsupportedType { content_type });
    }
    check_size(upload.bytes.len())?;
    let (mut record_type, mut title, mut date) = (upload.record_type, upload.title, upload.date);
    let mut bytes = upload.bytes;
    if content_type == FHIR_JSON {
        let doc = parse_document_reference(&bytes)
            .map_err(|e| ServiceError::invalid("content", e.to_string()))?;
        content_type = media_type(&doc.content_type);
        if content_type == FHIR_JSON || !CONTENT_TYPES.contains(&content_type.as_str()) {
            return Err(HealthError::UnsupportedType { content_type });
        }
        record_type = record_type.or(doc.record_type.map(|t| t.as_str().to_owned()));
        title = title.or(doc.title);
        date = date.or(doc.date);
        bytes = doc.bytes;
        check_size(bytes.len())?;
    }
    let record_type = record_type
        .as_deref()
        .and_then(RecordType::parse)
        .ok_or_else(|| {
            ServiceError::invalid(
                "type",
                "must be lab_report, imaging, prescription, discharge_summary, vaccination or other",
            )
        })?;
    let title = check_title(title.as_deref().unwrap_or_default())?;
    let date = date
        .as_deref()
        .and_then(record_date)
        .ok_or_else(|| ServiceError::invalid("date", "must be a date, YYYY-MM-DD"))?;
    if !looks_like(&content_type, &bytes) {
        return Err(ServiceError::invalid(
            "Content-Type",
            format!("the bytes are not {content_type}"),
        )
        .into());
    }
    Ok(Described {
        record_type,
        title,
        date,
        content_type,
        bytes,
    })
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
                    HealthError::Service(ServiceError::Corrupt {
                        id: "upload".into(),
                        problem: format!("the sealing task failed: {e}"),
                    })
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
        let seal_err = |e: caremesh_federation::error::CodecError| {
            HealthError::Service(ServiceError::Corrupt {
                id: "deposit".into(),
                problem: e.to_string(),
            })
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(content_type: &str, bytes: &[u8]) -> Upload {
        Upload {
            record_type: Some("lab_report".into()),
            title: Some("CBC".into()),
            date: Some("2026-11-02".into()),
            content_type: content_type.into(),
            bytes: bytes.to_vec(),
        }
    }

    fn field(result: HealthResult<Described>) -> String {
        match result.err() {
            Some(HealthError::Service(ServiceError::Invalid { field, .. })) => field.into(),
            Some(other) => format!("{other:?}"),
            None => "ok".into(),
        }
    }

    #[test]
    fn uploads_are_checked_in_order() {
        assert_eq!(
            field(describe(upload("text/plain; charset=utf-8", b"Hb 13"))),
            "ok"
        );
        assert_eq!(field(describe(upload("text/plain", b""))), "content");
        assert!(matches!(
            describe(upload("application/zip", b"PK")),
            Err(HealthError::UnsupportedType { .. })
        ));
        let big = vec![b'a'; MAX_RECORD_BYTES as usize + 1];
        assert!(matches!(
            describe(upload("text/plain", &big)),
            Err(HealthError::TooLarge { .. })
        ));
        assert_eq!(
            field(describe(upload("application/pdf", b"hello"))),
            "Content-Type"
        );
        assert_eq!(
            field(describe(upload("image/png", b"\x89PNG\r\n\x1a\n..."))),
            "ok"
        );
        let mut bad = upload("text/plain", b"x");
        bad.record_type = Some("x-ray".into());
        assert_eq!(field(describe(bad)), "type");
        let mut bad = upload("text/plain", b"x");
        bad.title = Some(" ".into());
        assert_eq!(field(describe(bad)), "title");
        let mut bad = upload("text/plain", b"x");
        bad.date = Some("yesterday".into());
        assert_eq!(field(describe(bad)), "date");
    }

    #[test]
    fn a_fhir_document_reference_carries_its_own_description() {
        let doc = serde_json::json!({
            "resourceType": "DocumentReference",
            "status": "current",
            "type": {"coding": [{"system": "http://loinc.org", "code": "18748-4"}]},
            "description": "Chest X-ray",
            "content": [{"attachment": {"contentType": "image/png", "data": "iVBORw0KGgoAAAA=", "creation": "2026-10-01"}}]
        });
        let up = Upload {
            content_type: FHIR_JSON.into(),
            bytes: serde_json::to_vec(&doc).unwrap(),
            ..Upload::default()
        };
        let d = describe(up).unwrap();
        assert_eq!(d.record_type, RecordType::Imaging);
        assert_eq!(
            (d.title.as_str(), d.date.as_str()),
            ("Chest X-ray", "2026-10-01")
        );
        assert_eq!(d.content_type, "image/png");
        assert!(d.bytes.starts_with(b"\x89PNG"));
    }
}
