//! What arrives for this node's health service, after the inbox stored it (the inbox's
//! `stored` answer means the envelope is on disk, sealed to this node's key): deposits and
//! chunks become an encrypted record, asks become consents held here, receipts, decisions
//! and erasure notices update what this node asked or sent. One object at a time, each step
//! idempotent; at start and every minute everything still stored is taken again, so a
//! crash at any point only repeats work. Processed deposits, chunks, asks, receipts and
//! notices leave the store; decisions stay (they are the home node's signed grants).

use std::sync::Arc;
use std::time::Duration;

use caremesh_federation::Object;
use caremesh_federation::object::{Consent, ConsentAsk, ConsentStatus, Erasure, Receipt};
use tokio::sync::Notify;

use super::consent::Status;
use super::ids::HealthIdRecord;
use super::notices::Notice;
use super::rules::{ARRIVING, Arrival};
use super::service::Health;
use super::uploads::{Sent, sent_key};
use crate::events::Events;
use crate::kinds::{self, Intake};
use crate::objects;
use crate::store::Space;

/// Member ids to tell about a health ID: its holder and guardians.
pub(super) fn people_of(person: &HealthIdRecord) -> Vec<String> {
    let mut tell: Vec<String> = person.holder.iter().cloned().collect();
    for g in &person.guardians {
        if !tell.contains(&g.member_id) {
            tell.push(g.member_id.clone());
        }
    }
    tell
}

impl Health {
    /// Takes what arrives until shutdown.
    pub async fn run_intake(self, events: Events, shutdown: Arc<Notify>) {
        let mut arrivals = events.subscribe();
        self.take_stored().await;
        loop {
            tokio::select! {
                _ = shutdown.notified() => return,
                arrival = arrivals.recv() => match arrival {
                    Ok(object) => self.take(&object).await,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => self.take_stored().await,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                _ = tokio::time::sleep(Duration::from_secs(60)) => {
                    self.take_stored().await;
                    self.expire_deposits().await;
                }
            }
        }
    }

    /// Takes every stored health object addressed here that is still waiting.
    pub async fn take_stored(&self) {
        let store = &*self.inner.store;
        let mut waiting: Vec<Object> = Vec::new();
        for kind in ARRIVING {
            let listed = match store.list_objects(kind) {
                Ok(listed) => listed,
                Err(e) => {
                    tracing::error!(kind = kind.as_str(), error = %e, "cannot list waiting health objects");
                    continue;
                }
            };
            let here = Some(self.inner.here.as_str());
            for stored in listed
                .iter()
                .filter(|s| s.object.addressee.as_deref() == here)
            {
                match objects::load(stored) {
                    Ok((_, object)) => waiting.push(object),
                    Err(e) => {
                        tracing::error!(kind = kind.as_str(), error = %e, "cannot read a waiting health object")
                    }
                }
            }
        }
        for object in waiting {
            self.take(&object).await;
        }
    }

    /// Takes one stored object, if it is a health object for this node.
    pub async fn take(&self, object: &Object) {
        if object.addressee() != Some(self.inner.here.as_str()) {
            return;
        }
        let Intake::Health(arrival) = kinds::intake(object) else {
            return;
        };
        let _one = self.inner.intake.lock().await;
        let id = object.meta().id.clone();
        let done = match arrival {
            Arrival::Deposit(d) => self.take_deposit(d).await,
            Arrival::Chunk(c) => self.take_chunk(c).await,
            Arrival::Receipt(r) => self.take_receipt(r),
            Arrival::ConsentAsk(a) => self.take_ask(a),
            Arrival::Consent(c) => self.take_decision(c),
            Arrival::Erasure(e) => self.take_erasure(e),
        };
        match done {
            Ok(Taken::Remove) => {
                if let Err(e) = self.inner.store.remove_object(&id, object.meta().version) {
                    tracing::warn!(object_id = %id, error = %e, "cannot remove a processed object");
                }
            }
            Ok(Taken::Keep) => {}
            Err(problem) => {
                tracing::warn!(object_id = %id, kind = %object.kind().as_str(), problem, "health object not processed yet")
            }
        }
    }

    fn take_receipt(&self, receipt: &Receipt) -> Result<Taken, String> {
        let inner = &self.inner;
        let content: caremesh_federation::object::ReceiptContent =
            self.open_sealed(&receipt.place(), &receipt.sealed)?;
        let key = sent_key(&receipt.deposit_id);
        let store = &*inner.store;
        let Some(mut sent) = inner
            .vault
            .get::<Sent>(store, Space::Health, "upload", &key)
            .map_err(|e| e.to_string())?
        else {
            return Ok(Taken::Remove);
        };
        let stored = content.status == caremesh_federation::object::ReceiptStatus::Stored;
        sent.stored = Some(stored);
        inner
            .vault
            .put(store, Space::Health, &key, &sent)
            .map_err(|e| e.to_string())?;
        tracing::info!(deposit_id = %receipt.deposit_id, stored, check = ?content.check, "upload answered by its home node");
        inner.notices.send(Notice::UploadAnswered {
            deposit_id: receipt.deposit_id.clone(),
            stored,
            member: sent.member,
        });
        Ok(Taken::Remove)
    }

    fn take_ask(&self, ask: &ConsentAsk) -> Result<Taken, String> {
        let inner = &self.inner;
        if inner
            .consents
            .get(&ask.meta.id)
            .map_err(|e| e.to_string())?
            .is_some()
        {
            return Ok(Taken::Remove);
        }
        let content = self.open_sealed(&ask.place(), &ask.sealed)?;
        let consent = super::gate::ask_consent(ask, &content, self.now()).map_err(|r| r.message)?;
        let Some(person) = inner
            .ids
            .get(&consent.health_id)
            .map_err(|e| e.to_string())?
        else {
            return Ok(Taken::Remove);
        };
        self.hold_ask(&consent, &person)
            .map_err(|e| e.to_string())?;
        Ok(Taken::Remove)
    }

    fn take_decision(&self, decision: &Consent) -> Result<Taken, String> {
        let inner = &self.inner;
        let Some(mut ask) = inner
            .asks
            .get(&decision.ask_id)
            .map_err(|e| e.to_string())?
        else {
            return Ok(Taken::Keep);
        };
        if decision.meta.version <= ask.version {
            return Ok(Taken::Keep);
        }
        let content: caremesh_federation::object::ConsentContent =
            self.open_sealed(&decision.place(), &decision.sealed)?;
        ask.consent.status = match content.status {
            ConsentStatus::Granted => Status::Granted,
            ConsentStatus::Denied => Status::Denied,
            ConsentStatus::Revoked => Status::Revoked,
        };
        ask.consent.decided_by = Some(content.decided_by);
        ask.consent.decided_at = Some(content.decided_at);
        ask.version = decision.meta.version;
        inner.asks.save(&ask).map_err(|e| e.to_string())?;
        tracing::info!(consent_id = %decision.ask_id, status = ?content.status, "consent decided at its home node");
        inner.notices.send(Notice::ConsentDecided {
            consent_id: decision.ask_id.clone(),
            member: ask.consent.requester.member,
        });
        Ok(Taken::Keep)
    }

    fn take_erasure(&self, erasure: &Erasure) -> Result<Taken, String> {
        let inner = &self.inner;
        let content: caremesh_federation::object::ErasureContent =
            self.open_sealed(&erasure.place(), &erasure.sealed)?;
        let Ok(id) = super::hid::HealthId::parse(&content.health_id) else {
            return Ok(Taken::Remove);
        };
        let origin = &erasure.meta.origin;
        for mut ask in inner
            .asks
            .for_id_at(&id, origin)
            .map_err(|e| e.to_string())?
        {
            match &content.record_id {
                Some(record) if !ask.erased_records.contains(record) => {
                    ask.erased_records.push(record.clone())
                }
                Some(_) => continue,
                None => ask.erased = true,
            }
            inner.asks.save(&ask).map_err(|e| e.to_string())?;
            inner.notices.send(Notice::Erased {
                consent_id: ask.consent.id.clone(),
                record_id: content.record_id.clone(),
                member: ask.consent.requester.member.clone(),
            });
        }
        tracing::info!(object_id = %erasure.meta.id, "erasure notice taken");
        Ok(Taken::Remove)
    }

    /// Opens sealed content addressed here.
    pub(super) fn open_sealed<T: serde::de::DeserializeOwned>(
        &self,
        place: &caremesh_federation::health_seal::Place,
        sealed: &[u8],
    ) -> Result<T, String> {
        self.inner
            .seal_keys
            .open(place, sealed, self.now())
            .map_err(|e| e.to_string())
    }
}

/// What becomes of a processed object.
pub(super) enum Taken {
    /// Its content now lives in the health service: the envelope goes.
    Remove,
    /// The envelope stays (a signed decision), or it is not for processing now.
    Keep,
}
