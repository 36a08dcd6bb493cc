//! The node's storage port. Domain services and federation code talk to a [`Store`]; sled
//! ([`sled_store::SledStore`]) is the real one, [`memory::MemoryStore`] a reference
//! implementation for tests. Both pass the same conformance suite (`store/conformance.rs`).
//!
//! Two kinds of data live here:
//! - **objects**: signed envelopes, keyed by object id, each with the version it carries;
//!   every stored version is appended to the **log**, whose sequence numbers give arrival
//!   order (the pull endpoint and each peer's outbox cursor read it);
//! - **records** in named spaces ([`Space`]): members, tokens, peers, cached identities,
//!   routes, replay nonces, transaction answers, cursors. Each value is version-tagged
//!   ([`record`]) so its format can change with a migration.

pub mod counts;
pub mod memory;
pub mod record;
pub mod sled_store;

#[cfg(test)]
mod conformance;

use std::ops::ControlFlow;

use caremesh_federation::Kind;
use serde::{Deserialize, Serialize};

/// Something the store could not do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database itself failed (disk, corruption).
    #[error("database error during {op}: {source}")]
    Db {
        op: &'static str,
        #[source]
        source: sled::Error,
    },
    /// A stored value could not be read back.
    #[error("stored {what} at `{key}` is unreadable: {problem}")]
    Corrupt {
        what: &'static str,
        key: String,
        problem: String,
    },
    /// A file kept beside the database (the directory snapshot) could not be written.
    #[error("cannot write {path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Named spaces of plain records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Space {
    Members,
    Tokens,
    Peers,
    Identities,
    Routes,
    Nonces,
    Txns,
    Cursors,
    Settings,
    /// Which local member created an object made here.
    Owners,
    /// Chat front ends: links, sessions, subscriptions, sent-notification markers.
    Chat,
    /// Triage answers of xcov19 `POST /diagnose`, by query id.
    Queries,
    /// Health IDs, profiles, consents, audit: values sealed with the records key
    /// (`health/vault.rs`), keys blinded where they would name a person.
    Health,
    /// Envelopes whose origin's key is not known yet (`federation/parking.rs`).
    Parked,
    /// Appointments and medicine orders as this node's facilities and members see them:
    /// values sealed like `Health`, keys holding ULIDs only (`appointments/records.rs`).
    Appointments,
}

/// Whether a space's writes must be on disk before the call that made them returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Someone was told the write happened (a member's token, a peer added): the
    /// store flushes before the write returns, so it survives a crash (`kill -9`).
    Acknowledged,
    /// Caches and progress markers that are rebuilt or redone after a crash (keys learned,
    /// routes, replay nonces, remembered push answers, delivery cursors), and chat state
    /// (see `Space::Chat`): written now, flushed with the next durable write, or by sled's
    /// own background flush within half a second.
    Lazy,
}

impl Space {
    /// Every space, for stores that create one tree each.
    pub const ALL: [Space; 15] = [
        Space::Members,
        Space::Tokens,
        Space::Peers,
        Space::Identities,
        Space::Routes,
        Space::Nonces,
        Space::Txns,
        Space::Cursors,
        Space::Settings,
        Space::Owners,
        Space::Chat,
        Space::Queries,
        Space::Health,
        Space::Parked,
        Space::Appointments,
    ];

    /// Whether writes to this space are flushed before they return.
    pub fn durability(self) -> Durability {
        match self {
            Space::Members | Space::Tokens | Space::Peers | Space::Settings => {
                Durability::Acknowledged
            }
            // Health IDs issued, consents granted and the audit of every read are promises
            // to a person.
            Space::Owners | Space::Health => Durability::Acknowledged,
            // xcov19 diagnoses are public, cheap to ask again and expire: an fsync per call
            // would let anyone make the disk the bottleneck.
            Space::Queries => Durability::Lazy,
            // Chat writes a record per message (sessions) and per notification (sent
            // markers); making them durable one by one would cost an fsync each.
            Space::Chat => Durability::Lazy,
            Space::Identities | Space::Routes | Space::Nonces | Space::Txns | Space::Cursors => {
                Durability::Lazy
            }
            // Parked envelopes were acknowledged to their sender: the inbox flushes them
            // once per push, before it answers, rather than once per envelope.
            Space::Parked => Durability::Lazy,
            // Written under the appointment desk's lock and flushed by it (group commit)
            // before the answer or booking that depends on a record is published.
            Space::Appointments => Durability::Lazy,
        }
    }

    /// The name of the space on disk.
    pub fn name(self) -> &'static str {
        match self {
            Space::Members => "members",
            Space::Tokens => "tokens",
            Space::Peers => "peers",
            Space::Identities => "identities",
            Space::Routes => "routes",
            Space::Nonces => "nonces",
            Space::Txns => "txns",
            Space::Cursors => "cursors",
            Space::Settings => "settings",
            Space::Owners => "owners",
            Space::Chat => "chat",
            Space::Queries => "queries",
            Space::Health => "health",
            Space::Parked => "parked",
            Space::Appointments => "appointments",
        }
    }
}

/// An object version offered to the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewObject {
    pub id: String,
    pub kind: Kind,
    pub origin: String,
    pub version: u64,
    /// For proposals the request id, for decisions the proposal id: listed by `children`.
    pub parent: Option<String>,
    /// For directed objects, the node they are for.
    pub addressee: Option<String>,
    /// The peer this version came from; `None` when made here.
    pub from_peer: Option<String>,
    /// The encoded envelope, kept byte for byte (MessagePack bin; versions written as an
    /// array of numbers before still read).
    #[serde(with = "serde_bytes")]
    pub envelope: Vec<u8>,
}

/// An object version as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredObject {
    pub object: NewObject,
    /// Log sequence number of this version.
    pub seq: u64,
}

impl StoredObject {
    /// The version check shared by every store: what storing `new` over this version does;
    /// `None` stores it. Newer versions replace, equal ones must match.
    pub(crate) fn compare(&self, new: &NewObject) -> Option<PutResult> {
        let old = &self.object;
        if old.origin != new.origin || old.kind != new.kind {
            return Some(PutResult::NotOwner {
                owner: old.origin.clone(),
            });
        }
        if new.version < old.version {
            return Some(PutResult::Duplicate);
        }
        if new.version == old.version {
            return Some(if old.envelope == new.envelope {
                PutResult::Duplicate
            } else {
                PutResult::Conflict {
                    stored_version: old.version,
                }
            });
        }
        None
    }
}

/// What `put_object` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutResult {
    /// Stored as the newest version, at this log sequence number.
    Stored { seq: u64 },
    /// This version, or a newer one, is already stored.
    Duplicate,
    /// The same version is stored with different bytes: the origin equivocated.
    Conflict { stored_version: u64 },
    /// The id belongs to an object of another origin or kind.
    NotOwner { owner: String },
}

/// What remains of a removed object: enough to refuse its versions up to `version` as
/// duplicates when they arrive again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub kind: Kind,
    pub origin: String,
    pub version: u64,
}

impl Tombstone {
    /// What storing `new` over this tombstone does: `None` stores it.
    pub(crate) fn compare(&self, new: &NewObject) -> Option<PutResult> {
        if self.origin != new.origin || self.kind != new.kind {
            return Some(PutResult::NotOwner {
                owner: self.origin.clone(),
            });
        }
        (new.version <= self.version).then_some(PutResult::Duplicate)
    }
}

/// One log entry: which object version arrived at `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub seq: u64,
    pub id: String,
    pub kind: Kind,
    pub version: u64,
    pub addressee: Option<String>,
    pub from_peer: Option<String>,
    pub origin: String,
}

impl LogEntry {
    /// The log entry of an object version stored at `seq`.
    pub fn of(object: &NewObject, seq: u64) -> Self {
        LogEntry {
            seq,
            id: object.id.clone(),
            kind: object.kind,
            version: object.version,
            addressee: object.addressee.clone(),
            from_peer: object.from_peer.clone(),
            origin: object.origin.clone(),
        }
    }
}

/// The storage port.
///
/// Durability: record writes to an [`Durability::Acknowledged`] space are on disk when the
/// call returns. Object versions are not flushed one by one (an inbox batch stores up to 50
/// and flushes once): whoever stores them calls [`Store::flush`] before telling anyone, as
/// `objects::Publisher::publish` and the inbox do.
pub trait Store: Send + Sync + 'static {
    /// Stores an object version if it is newer than what is stored, appending it to the log.
    /// `owner`, the local member who made it, is written in the same operation (space
    /// [`Space::Owners`], keyed by object id): a reader never sees the object without its
    /// owner. Nothing is written unless the version is stored. Calls are serialised, so log
    /// order is commit order.
    fn put_object(&self, object: NewObject, owner: Option<&str>) -> Result<PutResult, StoreError>;
    /// Removes an object whose newest stored version is at most `version` (a directed object
    /// that was delivered onward or processed), leaving a [`Tombstone`]: the same or an older
    /// version offered again is a [`PutResult::Duplicate`], a newer one is stored. Its log
    /// entries stay and are skipped by readers. Returns false when nothing was removed (no
    /// such object, or a newer version is stored). Not flushed: a removal a crash takes back
    /// is done again.
    fn remove_object(&self, id: &str, version: u64) -> Result<bool, StoreError>;
    /// The newest stored version of an object.
    fn get_object(&self, id: &str) -> Result<Option<StoredObject>, StoreError>;
    /// Every object of a kind, newest version each, in id order.
    fn list_objects(&self, kind: Kind) -> Result<Vec<StoredObject>, StoreError>;
    /// Objects whose `parent` is `parent`, in id order.
    fn children(&self, parent: &str) -> Result<Vec<StoredObject>, StoreError>;
    /// Log entries with `seq > after`, oldest first, at most `limit`.
    fn log_after(&self, after: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError>;
    /// The highest sequence number in the log (0 when empty).
    fn last_seq(&self) -> Result<u64, StoreError>;

    /// A record.
    fn get(&self, space: Space, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Writes a record.
    fn put(&self, space: Space, key: &str, value: &[u8]) -> Result<(), StoreError>;
    /// Removes a record; true if it was there.
    fn delete(&self, space: Space, key: &str) -> Result<bool, StoreError>;
    /// Inserts a record only if the key is free; true if inserted.
    fn insert_new(&self, space: Space, key: &str, value: &[u8]) -> Result<bool, StoreError>;
    /// Every record of a space, in key order.
    fn scan(&self, space: Space) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    /// The records of a space whose key starts with `prefix`, in key order, reading only
    /// those (a key family such as the chat's `via/HANDLE/`).
    fn scan_prefix(&self, space: Space, prefix: &str)
    -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    /// Calls `visit` with every record of a space, in key order, without collecting them.
    fn visit(&self, space: Space, visit: &mut dyn FnMut(&str, &[u8])) -> Result<(), StoreError>;
    /// How many objects of a kind are stored: a counter (`store/counts.rs`), read on every
    /// `/metrics` scrape, so it must not walk the objects.
    fn count_objects(&self, kind: Kind) -> Result<usize, StoreError>;
    /// The objects of a kind that the local member `owner` made (their owner record names
    /// `owner`), newest version each, in id order; removed ones are left out. Reads an
    /// index written with the owner, so its cost follows the member's objects, not the
    /// node's (members' quotas ask on every publish).
    fn owned_objects(&self, owner: &str, kind: Kind) -> Result<Vec<StoredObject>, StoreError>;
    /// Calls `visit` with the objects of a kind in id order, without collecting them, until
    /// it answers `Break`.
    fn visit_objects(
        &self,
        kind: Kind,
        visit: &mut dyn FnMut(&StoredObject) -> ControlFlow<()>,
    ) -> Result<(), StoreError>;

    /// Makes everything written before this call durable. Concurrent callers share one
    /// disk sync (group commit).
    fn flush(&self) -> Result<(), StoreError>;
}

#[cfg(test)]
mod envelope_format {
    use super::{NewObject, record};
    use caremesh_federation::Kind;

    /// `NewObject` as releases before the envelope was MessagePack bin wrote it.
    #[derive(serde::Serialize)]
    struct Before {
        id: String,
        kind: Kind,
        origin: String,
        version: u64,
        parent: Option<String>,
        addressee: Option<String>,
        from_peer: Option<String>,
        envelope: Vec<u8>,
    }

    #[test]
    fn envelopes_stored_as_numbers_still_read_and_new_ones_are_bin() {
        let envelope: Vec<u8> = (0..=255).collect();
        let before = Before {
            id: "01J0000000000000000000000A".into(),
            kind: Kind::Request,
            origin: "http://a".into(),
            version: 1,
            parent: None,
            addressee: None,
            from_peer: None,
            envelope: envelope.clone(),
        };
        let old = record::encode(&before);
        let read: NewObject = record::decode("object", "k", &old).unwrap();
        assert_eq!(read.envelope, envelope);
        let new = record::encode(&read);
        assert!(new.len() < old.len(), "{} vs {}", new.len(), old.len());
        assert_eq!(
            record::decode::<NewObject>("object", "k", &new).unwrap(),
            read
        );
    }
}
