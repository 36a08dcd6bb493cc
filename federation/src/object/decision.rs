//! Decisions: the requester's verdict on a proposal. Directed: owned by the request's node
//! and sent only to the proposal's origin.

use serde::{Deserialize, Serialize};

use super::{Audience, Meta, ObjectKind, Proposal, check_quantity, check_ulid, check_origin};
use crate::error::SchemaError;

/// What the requester decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accept,
    Defer,
    Decline,
    /// The goods arrived (`quantity` received).
    Received,
    /// An accepted proposal passed its ETA unshipped; its quantity went back to the request.
    Lapse,
}

/// The requester's decision on one proposal. There is one decision object per proposal;
/// each new verdict is a new version of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub meta: Meta,
    pub proposal_id: String,
    pub proposal_origin: String,
    pub request_id: String,
    pub verdict: Verdict,
    pub quantity: u32,
}

impl Decision {
    /// True when this decision is the one that counts for `proposal`: it names the
    /// proposal, its origin and its request, and it was made by the node that owns the
    /// request. Only such a decision may change a proposal's state anywhere (admission,
    /// the proposal's status, the request's counts, the lapse of overdue acceptances).
    pub fn decides(&self, proposal: &Proposal) -> bool {
        self.proposal_id == proposal.meta.id
            && self.proposal_origin == proposal.meta.origin
            && self.request_id == proposal.request_id
            && self.meta.origin == proposal.request_origin
    }
}

impl ObjectKind for Decision {
    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn audience(&self) -> Audience<'_> {
        Audience::Directed {
            to: &self.proposal_origin,
        }
    }

    fn parent(&self) -> Option<&str> {
        Some(&self.proposal_id)
    }

    fn validate(&self) -> Result<(), SchemaError> {
        check_ulid("proposal_id", &self.proposal_id)?;
        check_ulid("request_id", &self.request_id)?;
        check_origin("proposal_origin", &self.proposal_origin)?;
        check_quantity("quantity", self.quantity, true)
    }
}
