//! Erasure by the holder or a guardian (docs/health.md §11): a record, or the whole health
//! ID. Nodes holding a live grant get an `erasure` notice (they keep no copy, but their
//! staff may have downloaded one); erasing the ID also revokes every grant. What remains is
//! the tombstone of the number and the audit log with its final `erased` entry.

use caremesh_federation::Kind;
use caremesh_federation::health_seal::{self, Place};
use caremesh_federation::object::{Erasure, ErasureContent};

use super::audit::{Action, Entry};
use super::consent::{Decision, Status};
use super::error::{HealthError, HealthResult};
use super::hid::HealthId;
use super::notices::Notice;
use super::service::Health;
use crate::error::ServiceError;
use crate::members::Member;

impl Health {
    /// Whether `member` erased (held or guarded, when it was erased) the ID `id`.
    pub(super) fn erased_by(&self, member: &Member, id: &HealthId) -> HealthResult<bool> {
        Ok(self
            .inner
            .ids
            .erased_members(id)?
            .is_some_and(|members| members.contains(&member.id)))
    }

    /// Erases one record of an ID the caller holds or guards.
    pub async fn erase_record(
        &self,
        member: &Member,
        hid: &str,
        record_id: &str,
    ) -> HealthResult<()> {
        let (id, _) = self.own_hid(member, hid)?;
        let inner = &self.inner;
        if !inner.records.remove(&id, record_id)? {
            return Err(ServiceError::not_found("record", record_id).into());
        }
        inner.vault.delete_record(record_id).await?;
        let entry = Entry {
            record_id: Some(record_id.to_owned()),
            ..self.entry_here(member, Action::Erased)
        };
        self.record(&id, entry)?;
        tracing::info!(record_id, "record erased");
        self.tell_erasure(&id, Some(record_id))?;
        Ok(())
    }

    /// Erases a whole health ID the caller holds or guards: grants revoked, notices sent,
    /// profile, records, consents, address and the ID itself deleted.
    pub async fn erase_id(&self, member: &Member, hid: &str) -> HealthResult<()> {
        let (id, _) = self.own_hid(member, hid)?;
        let inner = &self.inner;
        self.tell_erasure(&id, None)?;
        let now = self.now();
        for mut held in inner.consents.for_id(&id)? {
            if held.consent.status_at(now) == Status::Granted {
                held.consent.decide(Decision::Revoke, &member.handle, now)?;
                inner.consents.save(&held)?;
                self.send_decision(&mut held)?;
            }
        }
        for record in inner.records.list(&id)? {
            inner.vault.delete_record(&record.id).await?;
        }
        inner.records.delete(&id)?;
        inner.profiles.delete(&id)?;
        inner.consents.delete_all(&id)?;
        inner.ids.erase(&id, now)?;
        self.record(&id, self.entry_here(member, Action::Erased))?;
        tracing::info!("health ID erased");
        Ok(())
    }

    /// Tells every node with a live grant for `id` (and this node's staff, for grants asked
    /// here) that a record, or the whole ID, was erased.
    fn tell_erasure(&self, id: &HealthId, record_id: Option<&str>) -> HealthResult<()> {
        let inner = &self.inner;
        let now = self.now();
        let mut told: Vec<String> = Vec::new();
        for held in inner.consents.for_id(id)? {
            let consent = &held.consent;
            if consent.status_at(now) != Status::Granted {
                continue;
            }
            let node = &consent.requester.node;
            if *node == inner.here {
                inner.notices.send(Notice::Erased {
                    consent_id: consent.id.clone(),
                    record_id: record_id.map(str::to_owned),
                    member: consent.requester.member.clone(),
                });
                continue;
            }
            if told.contains(node) {
                continue;
            }
            told.push(node.clone());
            self.send_erasure(id, node, record_id)?;
        }
        Ok(())
    }

    fn send_erasure(&self, id: &HealthId, node: &str, record_id: Option<&str>) -> HealthResult<()> {
        let inner = &self.inner;
        let Some(key) = inner.transport.known_key(node) else {
            tracing::error!(
                node,
                "a grant holder's key is unknown; erasure notice not sent"
            );
            return Ok(());
        };
        let content = ErasureContent {
            health_id: id.digits(),
            record_id: record_id.map(str::to_owned),
        };
        let meta = inner.publisher.new_meta(self.now());
        let place = Place::new(Kind::Erasure, &meta.id, node);
        let sealed = health_seal::seal(&key, &place, &content)
            .map_err(|e| HealthError::corrupt(&meta.id, e))?;
        let notice = Erasure {
            meta,
            addressee: node.to_owned(),
            sealed,
        };
        inner.publisher.publish(&notice, None)?;
        Ok(())
    }
}
