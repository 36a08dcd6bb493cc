//! The node's rules for the health kinds (see [`crate::kinds`]; docs/protocol.md §9).
//!
//! Passing through, a health object is admitted as the protocol's checks leave it: a relay
//! stores it sealed and forwards it, and drops it once delivered (`TRANSIENT`). Addressed to
//! this node, it meets the [`HealthGate`], which opens it and runs the checks of
//! docs/protocol.md §9.6 before anything is stored. Reads and read answers travel only on
//! the read relay and are refused by every inbox.

use caremesh_federation::Check;
use caremesh_federation::object::{
    Announcement, Chunk, Consent, ConsentAsk, Deposit, Erasure, Kind, Read, ReadAnswer, Receipt,
};

use crate::federation::inbox::Refusal;
use crate::kinds::{Admission, Announcement as Said, Indexes, Intake, KindRules};

/// Declares [`Arrival`] and [`ARRIVING`] from one list, so a health kind the intake takes
/// in is always among the kinds it picks up again at start: the variant is the list entry.
macro_rules! arrivals {
    ($( $(#[$doc:meta])* $Kind:ident, )*) => {
        /// A health object addressed to this node, for the health service's intake: one
        /// variant per kind it processes (`health/intake.rs` handles each).
        #[derive(Clone, Copy, Debug)]
        pub enum Arrival<'a> {
            $( $(#[$doc])* $Kind(&'a $Kind), )*
        }

        /// The kinds with an [`Arrival`] (made from the same list): the intake lists what is
        /// still stored of them at start and every minute, so work a crash interrupted is
        /// taken up again.
        pub const ARRIVING: [Kind; [$(stringify!($Kind)),*].len()] = [$(Kind::$Kind),*];
    };
}

arrivals! {
    /// A record on its way home.
    Deposit,
    /// A piece of a deposit.
    Chunk,
    /// The home node's answer to a deposit this node sent.
    Receipt,
    /// An ask for consent to one of this node's people's records.
    ConsentAsk,
    /// The home node's decision on an ask this node sent.
    Consent,
    /// An erasure notice from a home node.
    Erasure,
}

/// The checks of health objects addressed to this node: each opens the sealed content and
/// refuses, naming its check, what does not belong here. Synchronous: admission runs on a
/// blocking thread of the inbox.
pub trait HealthGate: Send + Sync {
    /// A home node's announcement of its prefixes: first seen wins (check `ownership`).
    fn announcement(&self, announcement: &Announcement) -> Result<(), Refusal>;
    fn deposit(&self, deposit: &Deposit, at: &Admission<'_>) -> Result<(), Refusal>;
    fn chunk(&self, chunk: &Chunk, at: &Admission<'_>) -> Result<(), Refusal>;
    fn receipt(&self, receipt: &Receipt, at: &Admission<'_>) -> Result<(), Refusal>;
    fn consent_ask(&self, ask: &ConsentAsk, at: &Admission<'_>) -> Result<(), Refusal>;
    fn consent(&self, consent: &Consent, at: &Admission<'_>) -> Result<(), Refusal>;
    fn erasure(&self, erasure: &Erasure, at: &Admission<'_>) -> Result<(), Refusal>;
}

/// The gate, or a refusal when this node has none.
fn gate<'a>(at: &Admission<'a>) -> Result<&'a dyn HealthGate, Refusal> {
    at.gates.health.as_deref().ok_or_else(|| Refusal {
        check: Check::Open,
        message: "this node keeps no health data".into(),
    })
}

macro_rules! directed_health_kind {
    ($Kind:ident, $method:ident, $what:literal) => {
        impl KindRules for $Kind {
            const TRANSIENT: bool = true;

            #[doc = concat!("Addressed here: opened and checked by the gate (", $what, ").")]
            fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
                at.if_for_us(self, || gate(at)?.$method(self, at))
            }

            /// Health objects are told in chat by the health service once processed.
            fn announce(&self, _here: &str) -> Said<'_> {
                Said::Silent
            }

            fn index(&self, _indexes: &Indexes) {}

            /// The health service takes its content in.
            fn intake(&self) -> Intake<'_> {
                Intake::Health(Arrival::$Kind(self))
            }
        }
    };
}

directed_health_kind!(Deposit, deposit, "a record on its way home");
directed_health_kind!(Chunk, chunk, "a piece of a deposit");
directed_health_kind!(Receipt, receipt, "the home node's answer to a deposit");
directed_health_kind!(ConsentAsk, consent_ask, "an ask for consent");
directed_health_kind!(Erasure, erasure, "an erasure notice");

impl KindRules for Consent {
    /// The asking node keeps the home node's signed decision: a grant is that object, and
    /// its versions make a replayed older grant a duplicate. Relays drop it once delivered,
    /// the home node once sent.
    const TRANSIENT: bool = true;

    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        at.if_for_us(self, || gate(at)?.consent(self, at))
    }

    fn announce(&self, _here: &str) -> Said<'_> {
        Said::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// The health service records the decision on its ask.
    fn intake(&self) -> Intake<'_> {
        Intake::Health(Arrival::Consent(self))
    }
}

impl KindRules for Announcement {
    const TRANSIENT: bool = false;

    /// First seen wins for each prefix (docs/protocol.md §9.1).
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        match at.gates.health.as_deref() {
            Some(gate) => gate.announcement(self),
            None => Ok(()),
        }
    }

    fn announce(&self, _here: &str) -> Said<'_> {
        Said::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

fn relay_only(kind: &str) -> Result<(), Refusal> {
    Err(Refusal {
        check: Check::Schema,
        message: format!(
            "a {kind} travels only on POST {} and is never stored",
            caremesh_federation::object::READ_PATH
        ),
    })
}

impl KindRules for Read {
    const TRANSIENT: bool = true;

    fn admit(&self, _at: &Admission<'_>) -> Result<(), Refusal> {
        relay_only("read")
    }

    fn announce(&self, _here: &str) -> Said<'_> {
        Said::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for ReadAnswer {
    const TRANSIENT: bool = true;

    fn admit(&self, _at: &Admission<'_>) -> Result<(), Refusal> {
        relay_only("read answer")
    }

    fn announce(&self, _here: &str) -> Said<'_> {
        Said::Silent
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

#[cfg(test)]
mod tests {
    use super::ARRIVING;

    #[test]
    fn arriving_kinds_are_directed_health_kinds_each_once() {
        for (i, kind) in ARRIVING.iter().enumerate() {
            assert!(crate::kinds::transient(*kind), "{kind:?} is not transient");
            assert!(!ARRIVING[..i].contains(kind), "{kind:?} twice");
        }
        assert_eq!(ARRIVING.len(), 6);
    }
}
