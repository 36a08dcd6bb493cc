//! Notices about objects addressed to this node: a facility's answer to a booking made here
//! (`super::appointment_notices`), a pharmacy's answer to an order made here and an order
//! for one of this node's pharmacies (`super::order_notices`). They are derived from the
//! store's log, past a cursor kept in the chat space (`cursor/directed`), not from the
//! in-process events: an answer stored just before a crash is still told after the
//! restart. The cursor moves on only after the notices were marked and handed over and the
//! store flushed; reading an entry again is harmless, as the `sent/` markers send each
//! notice once. Reading runs on a blocking thread: taking an order onto the counter waits
//! for a flush.

use std::sync::Arc;

use caremesh_federation::{Kind, Object};

use super::health_notices::Addressed;
use super::records::ChatRecords;
use crate::error::ServiceError;
use crate::objects;
use crate::services::Services;
use crate::store::{LogEntry, Store, StoreError};

/// Log entries read at a time.
const BATCH: usize = 256;
/// Where the cursor is kept in the chat space.
const CURSOR: &str = "cursor/directed";

/// The log follower behind directed notices.
#[derive(Clone)]
pub struct Directed {
    app: Services,
    store: Arc<dyn Store>,
    records: ChatRecords,
}

/// Notices read past the cursor, and where the cursor goes once they are handed over.
pub struct Batch {
    pub notices: Vec<Addressed>,
    pub next: u64,
}

/// Whether an object is followed here (its notices come from the log, not the event).
pub fn followed(object: &Object) -> bool {
    followed_kind(object.kind())
}

fn followed_kind(kind: Kind) -> bool {
    matches!(kind, Kind::BookingAnswer | Kind::OrderAnswer | Kind::Order)
}

impl Directed {
    /// A follower over `store`.
    pub fn new(app: Services, store: Arc<dyn Store>) -> Self {
        let records = ChatRecords::new(store.clone());
        Self {
            app,
            store,
            records,
        }
    }

    /// The cursor; on a node that never had one, the end of the log (what came before was
    /// told, or not, by the release before).
    pub fn cursor(&self) -> Result<u64, StoreError> {
        match self.records.cursor(CURSOR)? {
            Some(seq) => Ok(seq),
            None => {
                let end = self.store.last_seq()?;
                self.records.set_cursor(CURSOR, end)?;
                Ok(end)
            }
        }
    }

    /// Whether the log has entries past `cursor`.
    pub fn behind(&self, cursor: u64) -> bool {
        self.store.last_seq().is_ok_and(|last| last > cursor)
    }

    /// The notices of the next entries past `cursor` (blocking).
    pub fn read(&self, cursor: u64) -> Result<Batch, StoreError> {
        let entries = self.store.log_after(cursor, BATCH)?;
        let next = entries.last().map_or(cursor, |e| e.seq);
        let here = &self.app.node.origin;
        let notices = entries
            .iter()
            .filter(|e| followed_kind(e.kind) && e.addressee.as_ref() == Some(here))
            .flat_map(|e| self.notices_of(e))
            .collect();
        Ok(Batch { notices, next })
    }

    /// Flushes what the notices wrote (markers, held notices) if the batch `told` any, then
    /// moves the cursor. A batch that told nothing wrote nothing, so the cursor is written
    /// without a flush: lost in a crash, the entries are read again and tell nobody.
    pub fn advance(&self, next: u64, told: bool) -> Result<(), StoreError> {
        if told {
            self.store.flush()?;
        }
        self.records.set_cursor(CURSOR, next)
    }

    /// The notices one log entry becomes, read from the object's newest version (its
    /// markers name that version, so older entries of the same object add nothing).
    fn notices_of(&self, entry: &LogEntry) -> Vec<Addressed> {
        let loaded = match self.store.get_object(&entry.id) {
            Ok(Some(stored)) => objects::load(&stored).map(|(_, object)| object),
            Ok(None) => return Vec::new(),
            Err(e) => Err(ServiceError::from(e)),
        };
        match loaded {
            Ok(object) => addressed(&self.app, &object),
            Err(e) => {
                tracing::warn!(object_id = %entry.id, error = %e, "an addressed object not told");
                Vec::new()
            }
        }
    }
}

/// The notices an object addressed here becomes: answers to bookings and orders made here,
/// orders for this node's pharmacies; nothing for other kinds (they announce themselves
/// through `crate::kinds`).
fn addressed(app: &Services, object: &Object) -> Vec<Addressed> {
    if let Object::BookingAnswer(answer) = object {
        return super::appointment_notices::answered(app, answer);
    }
    if let Object::OrderAnswer(answer) = object {
        return super::order_notices::answered(app, answer);
    }
    if let Object::Order(order) = object {
        return super::order_notices::arrived(app, order);
    }
    Vec::new()
}
