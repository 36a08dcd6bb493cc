//! Record bytes through the `object_store` crate, encrypted with the segment format of
//! [`super::stream`]. A record is one object `health/records/<id>`; an upload that arrives in
//! chunks is kept as parts `health/parts/<id>/<index>` (each already the final segments of its
//! range), so it survives a restart, then joined without decrypting.

use futures::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use super::stream::{self, HEADER_LEN, Header, SEGMENT, SegmentCipher, StreamError, TAG};
use super::{Vault, VaultError};

/// Plaintext bytes of one upload chunk: four segments.
pub const CHUNK: usize = 4 * SEGMENT;

/// What was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub size: u64,
    /// Lowercase hex SHA-256 of the plaintext.
    pub sha256: String,
}

fn record_path(id: &str) -> Path {
    Path::from(format!("health/records/{id}"))
}

fn part_dir(id: &str) -> Path {
    Path::from(format!("health/parts/{id}"))
}

fn part_path(id: &str, index: u32) -> Path {
    Path::from(format!("health/parts/{id}/{index:06}"))
}

fn check_id(record_id: &str) -> Result<(), VaultError> {
    match ulid::Ulid::from_string(record_id) {
        Ok(_) => Ok(()),
        Err(_) => Err(VaultError::RecordId {
            record_id: record_id.to_owned(),
        }),
    }
}

fn blob_err(op: &'static str, record_id: &str) -> impl FnOnce(object_store::Error) -> VaultError {
    let record_id = record_id.to_owned();
    move |source| match source {
        object_store::Error::NotFound { .. } => VaultError::NotFound { record_id },
        source => VaultError::Blobs { op, source },
    }
}

fn stream_err(record_id: &str) -> impl FnOnce(StreamError) -> VaultError {
    let record_id = record_id.to_owned();
    move |problem| VaultError::Record { record_id, problem }
}

impl Vault {
    fn cipher(&self, record_id: &str, header: &Header) -> SegmentCipher {
        SegmentCipher::new(&self.record_key(record_id, header), record_id, header)
    }

    /// Encrypts and stores a whole record at once.
    pub async fn put_record(
        &self,
        record_id: &str,
        plaintext: &[u8],
    ) -> Result<StoredRecord, VaultError> {
        check_id(record_id)?;
        let header = Header::random();
        let sealed = self
            .cipher(record_id, &header)
            .seal(0, plaintext, true)
            .map_err(stream_err(record_id))?;
        let mut body = header.to_bytes().to_vec();
        body.extend_from_slice(&sealed);
        self.blobs()
            .put(&record_path(record_id), PutPayload::from(body))
            .await
            .map_err(blob_err("put record", record_id))?;
        Ok(StoredRecord {
            size: plaintext.len() as u64,
            sha256: hex::encode(Sha256::digest(plaintext)),
        })
    }

    /// Encrypts and stores chunk `index` of an upload arriving in pieces. Every chunk but the
    /// last holds [`CHUNK`] bytes; the caller keeps `header` (sealed in sled) until
    /// [`Vault::join_parts`]. Storing a chunk again replaces it with the same content.
    pub async fn put_part(
        &self,
        record_id: &str,
        header: &Header,
        index: u32,
        plaintext: &[u8],
        last: bool,
    ) -> Result<(), VaultError> {
        check_id(record_id)?;
        if !last && plaintext.len() != CHUNK {
            return Err(stream_err(record_id)(StreamError::PartSize {
                len: plaintext.len(),
            }));
        }
        let first = u64::from(index) * (CHUNK / SEGMENT) as u64;
        let sealed = self
            .cipher(record_id, header)
            .seal(first, plaintext, last)
            .map_err(stream_err(record_id))?;
        self.blobs()
            .put(&part_path(record_id, index), PutPayload::from(sealed))
            .await
            .map_err(blob_err("put part", record_id))?;
        Ok(())
    }

    /// The indexes of the parts stored for `record_id`, ascending.
    pub async fn parts(&self, record_id: &str) -> Result<Vec<u32>, VaultError> {
        check_id(record_id)?;
        let metas: Vec<_> = self
            .blobs()
            .list(Some(&part_dir(record_id)))
            .try_collect()
            .await
            .map_err(blob_err("list parts", record_id))?;
        let mut indexes: Vec<u32> = metas
            .iter()
            .filter_map(|m| m.location.filename()?.parse().ok())
            .collect();
        indexes.sort_unstable();
        Ok(indexes)
    }

    /// Joins parts `0..count` behind the header into the record, checks the plaintext's
    /// SHA-256 against `sha256` and deletes the parts. On a mismatch nothing is kept.
    pub async fn join_parts(
        &self,
        record_id: &str,
        header: &Header,
        count: u32,
        sha256: &str,
    ) -> Result<StoredRecord, VaultError> {
        check_id(record_id)?;
        let mut body = header.to_bytes().to_vec();
        for index in 0..count {
            let part = self
                .blobs()
                .get(&part_path(record_id, index))
                .await
                .map_err(blob_err("read part", record_id))?
                .bytes()
                .await
                .map_err(blob_err("read part", record_id))?;
            body.extend_from_slice(&part);
        }
        let plain = self
            .cipher(record_id, header)
            .open(0, &body[HEADER_LEN..], true)
            .map_err(stream_err(record_id))?;
        let stored = StoredRecord {
            size: plain.len() as u64,
            sha256: hex::encode(Sha256::digest(&plain)),
        };
        if stored.sha256 == sha256 {
            self.blobs()
                .put(&record_path(record_id), PutPayload::from(body))
                .await
                .map_err(blob_err("put record", record_id))?;
        }
        self.delete_parts(record_id).await?;
        if stored.sha256 != sha256 {
            return Err(stream_err(record_id)(StreamError::Digest));
        }
        Ok(stored)
    }

    /// Deletes every part of `record_id`.
    pub async fn delete_parts(&self, record_id: &str) -> Result<(), VaultError> {
        for index in self.parts(record_id).await? {
            self.blobs()
                .delete(&part_path(record_id, index))
                .await
                .map_err(blob_err("delete part", record_id))?;
        }
        Ok(())
    }

    /// The plaintext length of a stored record.
    pub async fn record_size(&self, record_id: &str) -> Result<u64, VaultError> {
        check_id(record_id)?;
        let meta = self
            .blobs()
            .head(&record_path(record_id))
            .await
            .map_err(blob_err("read record", record_id))?;
        let body = meta.size.saturating_sub(HEADER_LEN as u64);
        stream::plaintext_len(body).map_err(stream_err(record_id))
    }

    /// Reads and decrypts a whole record, checking every segment.
    pub async fn read_record(&self, record_id: &str) -> Result<Vec<u8>, VaultError> {
        check_id(record_id)?;
        let bytes = self
            .blobs()
            .get(&record_path(record_id))
            .await
            .map_err(blob_err("read record", record_id))?
            .bytes()
            .await
            .map_err(blob_err("read record", record_id))?;
        let header = Header::parse(&bytes).map_err(stream_err(record_id))?;
        let body = &bytes[HEADER_LEN..];
        stream::segment_count(body.len() as u64).map_err(stream_err(record_id))?;
        self.cipher(record_id, &header)
            .open(0, body, true)
            .map_err(stream_err(record_id))
    }

    /// Reads plaintext bytes `start..end` of a record (clamped to its length), decrypting only
    /// the segments that cover them.
    pub async fn read_range(
        &self,
        record_id: &str,
        start: u64,
        end: u64,
    ) -> Result<Vec<u8>, VaultError> {
        check_id(record_id)?;
        let path = record_path(record_id);
        let meta = self
            .blobs()
            .head(&path)
            .await
            .map_err(blob_err("read record", record_id))?;
        let body_len = meta.size.saturating_sub(HEADER_LEN as u64);
        let segments = stream::segment_count(body_len).map_err(stream_err(record_id))?;
        let size = body_len - segments * TAG as u64;
        let end = end.min(size);
        if start >= end {
            return Ok(Vec::new());
        }
        let (seg, full) = (SEGMENT as u64, (SEGMENT + TAG) as u64);
        let (first, last) = (start / seg, (end - 1) / seg);
        let header_bytes = self
            .blobs()
            .get_range(&path, 0..HEADER_LEN as u64)
            .await
            .map_err(blob_err("read record", record_id))?;
        let header = Header::parse(&header_bytes).map_err(stream_err(record_id))?;
        let from = HEADER_LEN as u64 + first * full;
        let to = (HEADER_LEN as u64 + (last + 1) * full).min(meta.size);
        let sealed = self
            .blobs()
            .get_range(&path, from..to)
            .await
            .map_err(blob_err("read record", record_id))?;
        let plain = self
            .cipher(record_id, &header)
            .open(first, &sealed, last + 1 == segments)
            .map_err(stream_err(record_id))?;
        let skip = (start - first * seg) as usize;
        let take = (end - start) as usize;
        match plain.get(skip..skip + take) {
            Some(bytes) => Ok(bytes.to_vec()),
            None => Err(stream_err(record_id)(StreamError::Truncated {
                len: meta.size,
            })),
        }
    }

    /// Deletes a record's bytes (and any parts). Deleting what is not there is not an error.
    pub async fn delete_record(&self, record_id: &str) -> Result<(), VaultError> {
        check_id(record_id)?;
        match self.blobs().delete(&record_path(record_id)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(source) => {
                return Err(VaultError::Blobs {
                    op: "delete record",
                    source,
                });
            }
        }
        self.delete_parts(record_id).await
    }
}
