//! The node's rules for each kind of object, beside the protocol's ([`ObjectKind`]): whether
//! a federated object may be stored, what chat tells people about it, which in-process
//! indexes learn it. Each domain implements [`KindRules`] for its kinds beside its service
//! (`marketplace/rules.rs` for requests, proposals and decisions, `directory/rules.rs` for
//! facilities). The functions below dispatch on [`Object`] through the protocol's one list
//! of kinds ([`caremesh_federation::for_each_kind!`]), so a kind added to that list does not
//! compile until its rules are written, and no code matches on kinds by hand.

use std::sync::Arc;

use caremesh_federation::object::{self as wire, Decision, Object, ObjectKind, Proposal, Request};
use caremesh_federation::{Check, for_each_kind};

use crate::directory::search::Directory;
use crate::federation::inbox::Refusal;
use crate::store::Store;

/// What the node decides about one kind of object. No method has a default: every kind
/// answers every rule.
#[diagnostic::on_unimplemented(
    message = "object kind `{Self}` has no node rules",
    note = "write `impl KindRules for {Self}` beside the service of its domain \
            (`node/src/<domain>/rules.rs`, see `node/src/kinds.rs`)"
)]
pub trait KindRules: ObjectKind {
    /// Whether objects of this kind leave a node's store once they were pushed on toward
    /// their addressee (relays, the sender) or processed by it (health deposits and chunks:
    /// their content belongs at the home node only). A tombstone keeps them from being
    /// stored again.
    const TRANSIENT: bool;

    /// Admission of an object that came from a peer (pushed or pulled), addressed here or
    /// only passing through. It runs after the signature, decoding, schema and origin
    /// checks and before the object is stored or anything reads it; a refusal names its
    /// check and nothing of the object is kept.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal>;

    /// What chat tells people about this object, newly stored on the node `here` (made here
    /// or arrived from a peer).
    fn announce(&self, here: &str) -> Announcement<'_>;

    /// Brings in-process indexes up to date with this newly stored object.
    fn index(&self, indexes: &Indexes);

    /// Which service takes this object in once it is stored here and addressed to this
    /// node, beyond keeping it in the store.
    fn intake(&self) -> Intake<'_>;
}

/// What admission rules may consult besides the store, one part per domain that needs
/// more (built once at start and held by the inbox).
#[derive(Clone, Default)]
pub struct Gates {
    /// Opens and checks health objects addressed to this node; without it they are refused.
    pub health: Option<Arc<dyn crate::health::rules::HealthGate>>,
    /// Opens and checks bookings, orders and their answers addressed to this node; without
    /// it they are refused.
    pub appointments: Option<Arc<dyn crate::appointments::rules::AppointmentGate>>,
}

/// What admission rules may look at.
pub struct Admission<'a> {
    store: &'a dyn Store,
    /// This node's origin.
    pub here: &'a str,
    /// The peer that brought the object.
    pub from_peer: &'a str,
    /// The domains' gates.
    pub gates: &'a Gates,
}

impl<'a> Admission<'a> {
    /// The context of one ingest from `from_peer` on the node `here`.
    pub fn new(store: &'a dyn Store, here: &'a str, from_peer: &'a str, gates: &'a Gates) -> Self {
        Self {
            store,
            here,
            from_peer,
            gates,
        }
    }

    /// The store objects are read from.
    pub fn store(&self) -> &'a dyn Store {
        self.store
    }

    /// True when the object is directed to this node.
    pub fn is_for_us<K: ObjectKind>(&self, object: &K) -> bool {
        matches!(object.audience(), caremesh_federation::object::Audience::Directed { to } if to == self.here)
    }

    /// Runs `check` (which opens the object with its domain's gate) when the object is
    /// addressed here; one passing through stays sealed, is admitted and forwarded.
    pub fn if_for_us<K: ObjectKind>(
        &self,
        object: &K,
        check: impl FnOnce() -> Result<(), Refusal>,
    ) -> Result<(), Refusal> {
        if self.is_for_us(object) {
            check()
        } else {
            Ok(())
        }
    }

    /// A stored object of kind `K`: `None` when there is none, or the id holds another kind.
    pub fn stored<K: ObjectKind>(&self, id: &str) -> Result<Option<K>, Refusal> {
        crate::objects::get::<K>(self.store, id).map_err(|e| Refusal {
            check: Check::Storage,
            message: e.to_string(),
        })
    }
}

/// What chat says about a newly stored object.
#[derive(Clone, Copy, Debug)]
pub enum Announcement<'a> {
    /// Nothing to tell anyone.
    Silent,
    /// An open need: tell subscribed makers near it (not its own author).
    Need(&'a Request),
    /// A new offer for one of this node's requests: tell the request's author.
    Offer(&'a Proposal),
    /// An offer for one of this node's requests was shipped: tell the request's author.
    Shipped(&'a Proposal),
    /// A verdict (accept, defer, decline, received) on one of this node's proposals: tell
    /// its maker.
    Decision(&'a Decision),
}

/// Which service processes a stored object addressed to this node.
#[derive(Clone, Copy, Debug)]
pub enum Intake<'a> {
    /// None: the object is read from the store by whoever needs it.
    Stored,
    /// The health service opens it and takes its content in (`health/intake.rs`).
    Health(crate::health::rules::Arrival<'a>),
}

/// The in-process indexes kinds keep up to date.
#[derive(Clone)]
pub struct Indexes {
    /// The care directory's search index (facilities).
    pub directory: Arc<Directory>,
}

macro_rules! dispatch_rules {
    ($( $(#[$doc:meta])* $Variant:ident = $code:literal, $name:tt in $module:ident; )*) => {
        /// [`KindRules::admit`] of the object's kind.
        pub fn admit(object: &Object, at: &Admission<'_>) -> Result<(), Refusal> {
            match object {
                $( Object::$Variant(o) => <wire::$Variant as KindRules>::admit(o, at), )*
            }
        }

        /// [`KindRules::announce`] of the object's kind.
        pub fn announce<'o>(object: &'o Object, here: &str) -> Announcement<'o> {
            match object {
                $( Object::$Variant(o) => <wire::$Variant as KindRules>::announce(o, here), )*
            }
        }

        /// [`KindRules::TRANSIENT`] of a kind.
        pub fn transient(kind: wire::Kind) -> bool {
            match kind {
                $( wire::Kind::$Variant => <wire::$Variant as KindRules>::TRANSIENT, )*
            }
        }

        /// [`KindRules::index`] of the object's kind.
        pub fn index(object: &Object, indexes: &Indexes) {
            match object {
                $( Object::$Variant(o) => <wire::$Variant as KindRules>::index(o, indexes), )*
            }
        }

        /// [`KindRules::intake`] of the object's kind.
        pub fn intake(object: &Object) -> Intake<'_> {
            match object {
                $( Object::$Variant(o) => <wire::$Variant as KindRules>::intake(o), )*
            }
        }
    };
}

for_each_kind!(dispatch_rules);
