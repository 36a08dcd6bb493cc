//! Signing and storing this node's own objects, and reading stored ones back.

use std::sync::Arc;

use caremesh_federation::{Envelope, Meta, NodeKey, Object, codec};
use tokio::sync::Notify;

use crate::error::ServiceError;
use crate::events::Events;
use crate::store::{NewObject, PutResult, Store, StoredObject};

/// The store record for an envelope and its decoded object.
pub fn to_new_object(envelope: &Envelope, object: &Object, from_peer: Option<&str>) -> NewObject {
    let parent = match object {
        Object::Proposal(p) => Some(p.request_id.clone()),
        Object::Decision(d) => Some(d.proposal_id.clone()),
        Object::Facility(_) | Object::Request(_) => None,
    };
    NewObject {
        id: object.meta().id.clone(),
        kind: object.kind(),
        origin: envelope.origin.clone(),
        version: object.meta().version,
        parent,
        addressee: object.addressee().map(str::to_owned),
        from_peer: from_peer.map(str::to_owned),
        // Encoding a struct of byte strings and plain fields into a Vec cannot fail.
        envelope: codec::encode("envelope", envelope).unwrap_or_default(),
    }
}

/// Decodes a stored object's envelope and body.
pub fn load(stored: &StoredObject) -> Result<(Envelope, Object), ServiceError> {
    let corrupt = |problem: String| ServiceError::Corrupt {
        id: stored.object.id.clone(),
        problem,
    };
    let envelope: Envelope =
        codec::decode("envelope", &stored.object.envelope).map_err(|e| corrupt(e.to_string()))?;
    let object = envelope.decode().map_err(|e| corrupt(e.to_string()))?;
    Ok((envelope, object))
}

/// Signs objects as this node, stores them, and wakes the outbox.
#[derive(Clone)]
pub struct Publisher {
    store: Arc<dyn Store>,
    key: NodeKey,
    origin: String,
    wake: Arc<Notify>,
    events: Events,
}

impl Publisher {
    /// A publisher for the node at `origin` signing with `key`.
    pub fn new(
        store: Arc<dyn Store>,
        key: NodeKey,
        origin: String,
        wake: Arc<Notify>,
        events: Events,
    ) -> Self {
        Self {
            store,
            key,
            origin,
            wake,
            events,
        }
    }

    /// This node's origin (public URL).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// This node's key.
    pub fn key(&self) -> &NodeKey {
        &self.key
    }

    /// The store objects go to.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Fields of a new object made now.
    pub fn new_meta(&self, now: i64) -> Meta {
        Meta {
            id: ulid::Ulid::new().to_string(),
            origin: self.origin.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// Signs and stores an object (a new one or a new version of one of ours).
    pub fn publish(&self, object: &Object) -> Result<u64, ServiceError> {
        object
            .validate()
            .map_err(|e| ServiceError::invalid(e.field, e.problem))?;
        let envelope = Envelope::seal(object, &self.key).map_err(|e| ServiceError::Corrupt {
            id: object.meta().id.clone(),
            problem: e.to_string(),
        })?;
        match self
            .store
            .put_object(to_new_object(&envelope, object, None))?
        {
            PutResult::Stored { seq } => {
                self.wake.notify_waiters();
                self.events.emit(object.clone());
                Ok(seq)
            }
            other => Err(ServiceError::conflict(format!(
                "object `{}` version {} was not stored: {other:?}",
                object.meta().id,
                object.meta().version
            ))),
        }
    }
}

/// The next version of an object's meta, updated now.
pub fn bump(meta: &Meta, now: i64) -> Meta {
    Meta {
        version: meta.version + 1,
        updated_at: now.max(meta.updated_at),
        ..meta.clone()
    }
}
