//! The home node's side of a read under consent (docs/health.md §5, §7): every read, from
//! another node or from this node's own staff, is checked against the consent held here at
//! the moment it happens, and written to the person's audit log (a content read once per
//! record, node, member and 10 minutes). Reads from other nodes are answered signed and
//! sealed to the reader.

use caremesh_federation::object::{
    AnswerContent, MAX_RANGE, Object, Read, ReadAnswer, ReadContent, ReadOp, RecordFacility,
    RecordItem,
};
use caremesh_federation::request_auth::CLOCK_WINDOW_SECS;
use caremesh_federation::{Check, Envelope, health_seal};
use ed25519_dalek::VerifyingKey;

use super::audit::{Action, Entry};
use super::consent;
use super::error::HealthResult;
use super::hid::HealthId;
use super::record::RecordMeta;
use super::relay::RelayError;
use super::service::Health;
use crate::federation::inbox::Refusal;
use crate::store::{Space, record};

/// A content read is audited once per record, node and member in this window.
const READ_AUDIT_WINDOW_MS: i64 = 10 * 60 * 1000;

fn relay_refusal(check: Check, message: impl Into<String>) -> RelayError {
    RelayError::Refused(Refusal {
        check,
        message: message.into(),
    })
}

fn refused(check: &str, message: impl Into<String>) -> AnswerContent {
    AnswerContent::Refused {
        check: check.to_owned(),
        message: message.into(),
    }
}

/// A record as a read lists it.
pub(super) fn item(record: &RecordMeta) -> RecordItem {
    RecordItem {
        id: record.id.clone(),
        record_type: record.record_type.as_str().to_owned(),
        title: record.title.clone(),
        date: record.date.clone(),
        facility: RecordFacility {
            id: record.facility.id.clone(),
            name: record.facility.name.clone(),
            node: record.facility.node.clone(),
        },
        content_type: record.content_type.clone(),
        size: record.size,
        sha256: record.sha256.clone(),
        uploaded_at: record.uploaded_at,
    }
}

impl Health {
    /// Answers a read addressed here: its age, replay, opening, the consent checks and the
    /// audit; the answer is signed here and sealed to `reader_key` for this very read.
    pub(super) async fn answer_read(
        &self,
        read: &Read,
        reader_key: &VerifyingKey,
    ) -> Result<Envelope, RelayError> {
        let inner = &self.inner;
        let now = self.now();
        let window_ms = CLOCK_WINDOW_SECS * 1000;
        if (now - read.meta.created_at).abs() > window_ms {
            return Err(relay_refusal(
                Check::Clock,
                "the read was made more than 5 minutes from this node's clock",
            ));
        }
        let nonce = format!("read {} {}", read.meta.origin, read.meta.id);
        let expires = record::encode(&(now / 1000 + CLOCK_WINDOW_SECS));
        let fresh = inner
            .store
            .insert_new(Space::Nonces, &nonce, &expires)
            .map_err(|e| relay_refusal(Check::Storage, e.to_string()))?;
        if !fresh {
            return Err(relay_refusal(
                Check::Replay,
                "this read was already answered",
            ));
        }
        let content: ReadContent = inner
            .seal_keys
            .open(&read.place(), &read.sealed, now)
            .map_err(|e| relay_refusal(Check::Open, e.to_string()))?;
        let answer = self
            .consent_read(&read.meta.origin, &content)
            .await
            .map_err(|e| relay_refusal(Check::Storage, e.to_string()))?;
        let meta = inner.publisher.new_meta(now);
        let reply = ReadAnswer {
            addressee: read.meta.origin.clone(),
            sealed: Vec::new(),
            meta,
        };
        let sealed = health_seal::seal(reader_key, &reply.place(&read.meta.id), &answer)
            .map_err(|e| relay_refusal(Check::Storage, e.to_string()))?;
        let reply = ReadAnswer { sealed, ..reply };
        Envelope::seal(&Object::ReadAnswer(reply), &inner.key)
            .map_err(|e| relay_refusal(Check::Storage, e.to_string()))
    }

    /// The consent checks of one read by `node` (this node's origin for its own staff), in
    /// the order of docs/health.md §7, and what the read gets. Refusals are answers, audited
    /// as `refused` with their check.
    pub(super) async fn consent_read(
        &self,
        node: &str,
        content: &ReadContent,
    ) -> HealthResult<AnswerContent> {
        let inner = &self.inner;
        let now = self.now();
        let Ok(id) = HealthId::parse(&content.health_id) else {
            return Ok(refused("schema", "the read names no valid health ID"));
        };
        let entry = |action: Action, check: Option<&str>| Entry {
            at: now,
            node: node.to_owned(),
            who: content.member.clone(),
            action,
            record_id: content.record_id.clone(),
            consent_id: Some(content.consent_id.clone()),
            check: check.map(str::to_owned),
        };
        let issued = inner.ids.get(&id)?.is_some();
        let refuse = |check: &str, message: &str| -> HealthResult<AnswerContent> {
            if issued {
                self.record(&id, entry(Action::Refused, Some(check)))?;
            }
            Ok(refused(check, message))
        };
        let Some(held) = inner.consents.get(&content.consent_id)? else {
            return refuse("consent_unknown", "no such consent at the home node");
        };
        let record = match (content.op, content.record_id.as_deref()) {
            (ReadOp::List, _) => None,
            (ReadOp::Content, Some(record_id)) => match inner.records.get(&id, record_id)? {
                Some(record) => Some(record),
                None => return Ok(refused("not_found", "no such record")),
            },
            (ReadOp::Content, None) => {
                return Ok(refused("schema", "a content read names a record"));
            }
        };
        let read = consent::Read {
            node,
            health_id: &id,
            record: record.as_ref(),
        };
        if let Err(refusal) = held.consent.check_read(&read, now) {
            return refuse(refusal.check, &refusal.message);
        }
        if !issued {
            return Ok(refused("not_found", "this health ID was erased"));
        }
        match record {
            None => {
                let records: Vec<RecordItem> = inner
                    .records
                    .list(&id)?
                    .iter()
                    .filter(|r| held.consent.covers(r))
                    .map(item)
                    .collect();
                self.record(
                    &id,
                    Entry {
                        record_id: None,
                        ..entry(Action::Listed, None)
                    },
                )?;
                Ok(AnswerContent::Records { records })
            }
            Some(record) => {
                let answer = self.range(&record, content.offset, content.length).await?;
                self.audit_read_once(&id, entry(Action::Read, None))?;
                Ok(answer)
            }
        }
    }

    /// Bytes `offset..offset + length` (at most 1 MiB) of a stored record.
    pub(super) async fn range(
        &self,
        record: &RecordMeta,
        offset: u64,
        length: u64,
    ) -> HealthResult<AnswerContent> {
        let end = offset
            .saturating_add(length.min(MAX_RANGE))
            .min(record.size);
        let bytes = if offset >= end {
            Vec::new()
        } else {
            self.inner.vault.read_range(&record.id, offset, end).await?
        };
        Ok(AnswerContent::Content {
            content_type: record.content_type.clone(),
            size: record.size,
            offset,
            bytes,
        })
    }

    /// Audits a content read unless the same record was read by the same member of the same
    /// node within the last 10 minutes.
    pub(super) fn audit_read_once(&self, id: &HealthId, entry: Entry) -> HealthResult<()> {
        let slot = (
            entry.record_id.clone().unwrap_or_default(),
            entry.node.clone(),
            entry.who.clone(),
        );
        {
            let mut seen = self
                .inner
                .read_audits
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            seen.retain(|_, at| entry.at - *at < READ_AUDIT_WINDOW_MS);
            if seen.contains_key(&slot) {
                return Ok(());
            }
            seen.insert(slot, entry.at);
        }
        self.record(id, entry)
    }
}
