//! Signing and storing this node's own objects, and reading stored ones back, typed by
//! kind.

use std::ops::ControlFlow;
use std::sync::Arc;

use caremesh_federation::object::ObjectKind;
use caremesh_federation::{Envelope, Keychain, Meta, NodeKey, Object, codec};
use tokio::sync::Notify;

use crate::error::ServiceError;
use crate::events::Events;
use crate::store::{NewObject, PutResult, Store, StoreError, StoredObject};

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

/// The objects of kind `K` that local member `owner` made here, in id order: read through
/// the store's owner index, so the cost follows that member's objects.
pub fn owned<K: ObjectKind>(store: &dyn Store, owner: &str) -> Result<Vec<K>, ServiceError> {
    store
        .owned_objects(owner, K::KIND)?
        .iter()
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

/// What follows storing objects: make them durable, then tell the node (the outbox wakes,
/// hooks and chat listeners get each object). Nobody hears of an object a crash could
/// still take back.
#[derive(Clone)]
pub struct Notifier {
    wake: Arc<Notify>,
    events: Events,
}

impl Notifier {
    /// Wakes `wake` (the outbox) and emits on `events`.
    pub fn new(wake: Arc<Notify>, events: Events) -> Self {
        Self { wake, events }
    }

    /// Flushes `store`, then announces `stored`. When the flush fails nothing is announced
    /// and the error says so.
    pub fn commit(&self, store: &dyn Store, stored: Vec<Object>) -> Result<(), StoreError> {
        if stored.is_empty() {
            return Ok(());
        }
        store.flush()?;
        self.announce(stored);
        Ok(())
    }

    fn announce(&self, stored: Vec<Object>) {
        self.wake.notify_waiters();
        for object in stored {
            self.events.emit(object);
        }
    }
}

/// Publishes this node's objects: sign, store with their local owner, flush, notify, in one
/// call ([`Publisher::publish`]). What it returns is on disk.
#[derive(Clone)]
pub struct Publisher {
    store: Arc<dyn Store>,
    keys: Arc<Keychain>,
    origin: String,
    notifier: Notifier,
    /// False for a bulk import ([`Publisher::bulk`]), which flushes once at the end.
    durable_each: bool,
}

impl Publisher {
    /// A publisher for the node at `origin` signing with the current one of `keys`.
    pub fn new(
        store: Arc<dyn Store>,
        keys: impl Into<Keychain>,
        origin: String,
        wake: Arc<Notify>,
        events: Events,
    ) -> Self {
        Self {
            store,
            keys: Arc::new(keys.into()),
            origin,
            notifier: Notifier::new(wake, events),
            durable_each: true,
        }
    }

    /// A publisher for bulk imports: each object is stored and emitted to in-process hooks
    /// (indexes) at once, but nothing is flushed or sent to peers until [`Publisher::finish`].
    /// For offline imports only, where nobody else is told before the import reports.
    pub fn bulk(&self) -> Self {
        Self {
            durable_each: false,
            ..self.clone()
        }
    }

    /// Ends a bulk import: flushes everything and wakes the outbox.
    pub fn finish(&self) -> Result<(), ServiceError> {
        self.store.flush()?;
        self.notifier.wake.notify_waiters();
        Ok(())
    }

    /// This node's origin (public URL).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The key this node signs with now.
    pub fn key(&self) -> &NodeKey {
        self.keys.current()
    }

    /// Every key this node holds, retired ones too (contacts sealed to them still open).
    pub fn keys(&self) -> &Keychain {
        &self.keys
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

    /// Publishes an object of ours (new, or a new version): checks its schema, signs it,
    /// stores it with `owner` (the local member who made it, for new objects) in one store
    /// operation, flushes, then wakes the outbox and tells in-process listeners. Returns its
    /// log sequence number once it is on disk.
    pub fn publish<K: ObjectKind>(
        &self,
        object: &K,
        owner: Option<&str>,
    ) -> Result<u64, ServiceError> {
        let object: Object = object.clone().into();
        let seq = self.store_signed(&object, owner)?;
        if self.durable_each {
            self.notifier.commit(&*self.store, vec![object])?;
        } else {
            self.notifier.events.emit(object);
        }
        Ok(seq)
    }

    /// Publishes several objects of ours as one durable step: each is checked, signed and
    /// stored in order, then one flush covers them all before anyone is told (an upload's
    /// deposit and chunks). Stops at the first that cannot be stored.
    pub fn publish_all(
        &self,
        objects: Vec<Object>,
        owner: Option<&str>,
    ) -> Result<(), ServiceError> {
        for object in &objects {
            self.store_signed(object, owner)?;
        }
        self.notifier.commit(&*self.store, objects)?;
        Ok(())
    }

    /// Signs an object of ours that is not stored (a health read or its answer, which
    /// travel once and are never kept), with the same checks as [`Publisher::publish`].
    pub fn sign(&self, object: &Object) -> Result<Envelope, ServiceError> {
        // Whatever reached this node from elsewhere (a peer's decision, a relayed listing)
        // is never signed here, whoever asks: this is the one place that signs.
        if object.meta().origin != self.origin {
            return Err(ServiceError::forbidden(format!(
                "object `{}` belongs to {}; this node signs only its own objects",
                object.meta().id,
                object.meta().origin
            )));
        }
        object
            .validate()
            .map_err(|e| ServiceError::invalid(e.field, e.problem))?;
        Envelope::seal(object, self.keys.current()).map_err(|e| ServiceError::Corrupt {
            id: object.meta().id.clone(),
            problem: e.to_string(),
        })
    }

    /// Signs and stores one object with its owner; not yet flushed.
    fn store_signed(&self, object: &Object, owner: Option<&str>) -> Result<u64, ServiceError> {
        let envelope = self.sign(object)?;
        match self
            .store
            .put_object(to_new_object(&envelope, object, None), owner)?
        {
            PutResult::Stored { seq } => Ok(seq),
            other => Err(ServiceError::conflict(format!(
                "object `{}` version {} was not stored: {other:?}",
                object.meta().id,
                object.meta().version
            ))),
        }
    }
}

/// The next version of an object's meta, updated now; refused once the version limit of
/// the protocol ([`caremesh_federation::object::MAX_VERSION`]) is reached.
pub fn bump(meta: &Meta, now: i64) -> Result<Meta, ServiceError> {
    meta.next_version(now).ok_or_else(|| {
        ServiceError::conflict(format!(
            "object `{}` is at version {}, the highest the protocol allows",
            meta.id, meta.version
        ))
    })
}

#[cfg(test)]
mod tests;
