//! Deposits arriving at the home node (docs/health.md §4): a deposit's description is kept
//! sealed (`deposit:<id>`, listed in `deposits`) with the salt of the record it becomes; each
//! chunk is encrypted at once into its part of that record (the segments it will hold in
//! the final record), so nothing is kept in clear and a restart loses nothing; when every
//! part is there they are joined, the SHA-256 is checked, the record is indexed, audited and
//! told, and a receipt goes to the uploading node. A deposit still incomplete after 7 days
//! is dropped with a `timeout` receipt.

use caremesh_federation::Kind;
use caremesh_federation::health_seal::{self, Place};
use caremesh_federation::object::{
    Chunk, Deposit, DepositContent, Receipt, ReceiptContent, ReceiptStatus,
};
use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use super::audit::{Action, Entry};
use super::hid::HealthId;
use super::intake::{Taken, people_of};
use super::notices::Notice;
use super::record::{FacilityRef, RecordMeta, RecordType, RecordTypeCodes};
use super::service::Health;
use super::vault::VaultError;
use super::vault::stream::{Header, StreamError};
use crate::objects;
use crate::store::Space;

/// How long a deposit may take to arrive whole.
const DEPOSIT_TIMEOUT_MS: i64 = 7 * 24 * 3600 * 1000;
const INDEX_KEY: &str = "deposits";

/// A deposit being received.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Pending {
    pub content: DepositContent,
    /// The uploading node.
    pub origin: String,
    pub chunks: u32,
    /// The salt of the record's header: parts are encrypted under the final record's key.
    pub salt: [u8; 24],
    pub first_seen: i64,
}

fn pending_key(deposit_id: &str) -> String {
    format!("deposit:{deposit_id}")
}

impl Health {
    /// The deposit `deposit_id` being received, if any.
    pub(super) fn pending(&self, deposit_id: &str) -> Result<Option<Pending>, String> {
        let inner = &self.inner;
        inner
            .vault
            .get(
                &*inner.store,
                Space::Health,
                "deposit",
                &pending_key(deposit_id),
            )
            .map_err(|e| e.to_string())
    }

    fn pending_ids(&self) -> Result<Vec<String>, String> {
        let inner = &self.inner;
        let ids = inner
            .vault
            .get(&*inner.store, Space::Health, "deposit index", INDEX_KEY)
            .map_err(|e| e.to_string())?;
        Ok(ids.unwrap_or_default())
    }

    fn save_pending_ids(&self, ids: &[String]) -> Result<(), String> {
        let inner = &self.inner;
        inner
            .vault
            .put(&*inner.store, Space::Health, INDEX_KEY, &ids)
            .map_err(|e| e.to_string())
    }

    pub(super) async fn take_deposit(&self, deposit: &Deposit) -> Result<Taken, String> {
        let id = &deposit.meta.id;
        if self.pending(id)?.is_none() {
            let content: DepositContent = self.open_sealed(&deposit.place(), &deposit.sealed)?;
            let pending = Pending {
                content,
                origin: deposit.meta.origin.clone(),
                chunks: deposit.chunks,
                salt: Header::random().salt,
                first_seen: self.now(),
            };
            let inner = &self.inner;
            inner
                .vault
                .put(&*inner.store, Space::Health, &pending_key(id), &pending)
                .map_err(|e| e.to_string())?;
            let mut ids = self.pending_ids()?;
            ids.push(id.clone());
            self.save_pending_ids(&ids)?;
            tracing::info!(deposit_id = %id, chunks = deposit.chunks, "deposit arrived");
        }
        self.complete(id).await?;
        Ok(Taken::Remove)
    }

    pub(super) async fn take_chunk(&self, chunk: &Chunk) -> Result<Taken, String> {
        let deposit_id = &chunk.deposit_id;
        let pending = match self.pending(deposit_id)? {
            Some(p) => p,
            None => {
                // The deposit arrived first but was not taken yet: take it now.
                let stored = objects::get::<Deposit>(&*self.inner.store, deposit_id)
                    .map_err(|e| e.to_string())?;
                match stored {
                    Some(deposit) => {
                        Box::pin(self.take_deposit(&deposit)).await?;
                        let _ = self
                            .inner
                            .store
                            .remove_object(deposit_id, deposit.meta.version);
                        self.pending(deposit_id)?.ok_or("deposit vanished")?
                    }
                    None => return Ok(Taken::Keep),
                }
            }
        };
        let bytes: ByteBuf = self.open_sealed(&chunk.place(), &chunk.sealed)?;
        let header = Header { salt: pending.salt };
        let last = chunk.index + 1 == pending.chunks;
        self.inner
            .vault
            .put_part(deposit_id, &header, chunk.index, &bytes, last)
            .await
            .map_err(|e| e.to_string())?;
        self.complete(deposit_id).await?;
        Ok(Taken::Remove)
    }

    /// Joins a deposit's parts once all are there (or finishes a join a crash interrupted).
    async fn complete(&self, deposit_id: &str) -> Result<(), String> {
        let inner = &self.inner;
        let Some(pending) = self.pending(deposit_id)? else {
            return Ok(());
        };
        let parts = inner
            .vault
            .parts(deposit_id)
            .await
            .map_err(|e| e.to_string())?;
        let joined = inner.vault.record_size(deposit_id).await.is_ok();
        if parts.len() < pending.chunks as usize && !joined {
            return Ok(());
        }
        let header = Header { salt: pending.salt };
        let result = if joined && parts.is_empty() {
            Ok(())
        } else {
            inner
                .vault
                .join_parts(deposit_id, &header, pending.chunks, &pending.content.sha256)
                .await
                .map(|_| ())
        };
        match result {
            Ok(()) => self.keep_record(deposit_id, &pending).await,
            Err(VaultError::Record {
                problem: StreamError::Digest,
                ..
            }) => {
                tracing::warn!(
                    deposit_id,
                    "deposit refused: its bytes do not match its SHA-256"
                );
                self.answer_deposit(
                    deposit_id,
                    &pending,
                    Some("sha256"),
                    "the bytes do not match the SHA-256 sent",
                )?;
                self.forget(deposit_id).await
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Indexes, audits and tells a joined record, and answers its uploader.
    async fn keep_record(&self, deposit_id: &str, pending: &Pending) -> Result<(), String> {
        let inner = &self.inner;
        let content = &pending.content;
        let id = HealthId::parse(&content.health_id).map_err(|e| e.to_string())?;
        let record = RecordMeta {
            id: deposit_id.to_owned(),
            record_type: RecordType::parse(&content.record_type).unwrap_or(RecordType::Other),
            title: content.title.clone(),
            date: content.date.clone(),
            facility: FacilityRef {
                id: content.facility.id.clone(),
                name: content.facility.name.clone(),
                node: pending.origin.clone(),
            },
            content_type: content.content_type.clone(),
            size: content.size,
            sha256: content.sha256.clone(),
            uploaded_at: self.now(),
        };
        let Some(person) = inner.ids.get(&id).map_err(|e| e.to_string())? else {
            // Erased while its record was on the way.
            let _ = inner.vault.delete_record(deposit_id).await;
            self.answer_deposit(
                deposit_id,
                pending,
                Some("unknown_health_id"),
                "the health ID was erased",
            )?;
            return self.forget(deposit_id).await;
        };
        if inner
            .records
            .get(&id, deposit_id)
            .map_err(|e| e.to_string())?
            .is_none()
        {
            inner.records.add(&id, record).map_err(|e| e.to_string())?;
            let entry = Entry {
                at: self.now(),
                node: pending.origin.clone(),
                who: content.uploader.clone(),
                action: Action::Uploaded,
                record_id: Some(deposit_id.to_owned()),
                consent_id: None,
                check: None,
            };
            self.record(&id, entry).map_err(|e| e.to_string())?;
            inner.notices.send(Notice::RecordStored {
                health_id: id,
                record_id: deposit_id.to_owned(),
                tell: people_of(&person),
            });
        }
        self.answer_deposit(deposit_id, pending, None, "stored")?;
        tracing::info!(
            deposit_id,
            size = content.size,
            "record received and stored"
        );
        self.forget(deposit_id).await
    }

    /// Sends the uploading node a receipt: stored, or refused by `check`.
    fn answer_deposit(
        &self,
        deposit_id: &str,
        pending: &Pending,
        check: Option<&str>,
        message: &str,
    ) -> Result<(), String> {
        let inner = &self.inner;
        let Some(key) = inner.transport.known_key(&pending.origin) else {
            return Err("the uploading node's key is unknown".into());
        };
        let content = ReceiptContent {
            status: if check.is_none() {
                ReceiptStatus::Stored
            } else {
                ReceiptStatus::Refused
            },
            check: check.map(str::to_owned),
            message: message.to_owned(),
        };
        let meta = inner.publisher.new_meta(self.now());
        let place = Place::new(Kind::Receipt, &meta.id, &pending.origin);
        let sealed = health_seal::seal(&key, &place, &content).map_err(|e| e.to_string())?;
        let receipt = Receipt {
            meta,
            addressee: pending.origin.clone(),
            deposit_id: deposit_id.to_owned(),
            sealed,
        };
        inner
            .publisher
            .publish(&receipt, None)
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Drops a deposit's state and parts.
    async fn forget(&self, deposit_id: &str) -> Result<(), String> {
        let inner = &self.inner;
        inner
            .vault
            .delete_parts(deposit_id)
            .await
            .map_err(|e| e.to_string())?;
        inner
            .store
            .delete(Space::Health, &pending_key(deposit_id))
            .map_err(|e| e.to_string())?;
        let mut ids = self.pending_ids()?;
        ids.retain(|i| i != deposit_id);
        self.save_pending_ids(&ids)
    }

    /// Drops deposits still incomplete 7 days after they arrived.
    pub(super) async fn expire_deposits(&self) {
        let Ok(ids) = self.pending_ids() else { return };
        let now = self.now();
        for id in ids {
            let Ok(Some(pending)) = self.pending(&id) else {
                continue;
            };
            if now - pending.first_seen < DEPOSIT_TIMEOUT_MS {
                continue;
            }
            tracing::warn!(deposit_id = %id, "deposit incomplete after 7 days: dropped");
            let answered = self.answer_deposit(
                &id,
                &pending,
                Some("timeout"),
                "not all chunks arrived within 7 days",
            );
            if let Err(problem) = answered.and(self.forget(&id).await) {
                tracing::error!(deposit_id = %id, problem, "cannot drop an expired deposit");
            }
        }
    }
}
