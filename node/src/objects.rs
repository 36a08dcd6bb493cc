//! Signing and storing this node's own objects, and reading stored ones back, typed by
//! kind.

use std::ops::ControlFlow;
use std::sync::Arc;

use caremesh_federation::object::ObjectKind;
use caremesh_federation::{Envelope, Meta, NodeKey, Object, codec};
use tokio::sync::Notify;

use crate::error::ServiceError;
use crate::events::Events;
use crate::store::{NewObject, PutResult, Store, StoredObject};

/// The store record for an envelope and its decoded object.
pub fn to_new_object(envelope: &Envelope, object: &Object, from_peer: Option<&str>) -> NewObject {
    NewObject {
        id: object.meta().id.clone(),
        kind: object.kind(),
        origin: envelope.origin.clone(),
        version: object.meta().version,
        parent: object.parent().map(str::to_owned),
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

/// A stored object as its kind's type.
fn typed<K: ObjectKind>(stored: &StoredObject) -> Result<K, ServiceError> {
    K::try_from(load(stored)?.1).map_err(|other| ServiceError::Corrupt {
        id: stored.object.id.clone(),
        problem: format!(
            "indexed as {} but holds a {}",
            K::KIND.as_str(),
            other.kind().as_str()
        ),
    })
}

/// The newest version of an object of kind `K`; `None` if the id is unknown or holds
/// another kind.
pub fn get<K: ObjectKind>(store: &dyn Store, id: &str) -> Result<Option<K>, ServiceError> {
    store
        .get_object(id)?
        .filter(|stored| stored.object.kind == K::KIND)
        .map(|stored| typed(&stored))
        .transpose()
}

/// Every object of kind `K`, newest version each, in id order.
pub fn list<K: ObjectKind>(store: &dyn Store) -> Result<Vec<K>, ServiceError> {
    store.list_objects(K::KIND)?.iter().map(typed).collect()
}

/// The objects of kind `K` whose parent is `parent` (a request's proposals, a proposal's
/// decision).
pub fn children<K: ObjectKind>(store: &dyn Store, parent: &str) -> Result<Vec<K>, ServiceError> {
    store
        .children(parent)?
        .iter()
        .filter(|stored| stored.object.kind == K::KIND)
        .map(typed)
        .collect()
}

/// Calls `visit` with every object of kind `K` in id order, without collecting them, until
/// it answers `Break`. Stops at the first unreadable object and returns its error.
pub fn visit<K: ObjectKind>(
    store: &dyn Store,
    visit: &mut dyn FnMut(K) -> ControlFlow<()>,
) -> Result<(), ServiceError> {
    let mut failed = None;
    store.visit_objects(K::KIND, &mut |stored| match typed(stored) {
        Ok(object) => visit(object),
        Err(e) => {
            failed = Some(e);
            ControlFlow::Break(())
        }
    })?;
    failed.map_or(Ok(()), Err)
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
