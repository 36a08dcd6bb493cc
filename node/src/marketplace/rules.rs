//! The node's rules for the marketplace's kinds: requests, proposals and decisions (see
//! [`crate::kinds`]).

use caremesh_federation::Check;
use caremesh_federation::object::{
    Decision, Proposal, ProposalStatus, Request, RequestStatus, Verdict,
};

use crate::federation::inbox::Refusal;
use crate::kinds::{Admission, Announcement, Indexes, Intake, KindRules};

fn refuse(check: Check, message: String) -> Result<(), Refusal> {
    Err(Refusal { check, message })
}

impl KindRules for Request {
    const TRANSIENT: bool = false;

    /// Requests are public; the protocol's checks are the whole rule for now.
    fn admit(&self, _at: &Admission<'_>) -> Result<(), Refusal> {
        Ok(())
    }

    /// An open need goes to the makers subscribed near it.
    fn announce(&self, _here: &str) -> Announcement<'_> {
        match self.status {
            RequestStatus::Open => Announcement::Need(self),
            RequestStatus::Satisfied | RequestStatus::Expired | RequestStatus::Cancelled => {
                Announcement::Silent
            }
        }
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for Proposal {
    const TRANSIENT: bool = false;

    /// A proposal names a request and that request's node: for this node, one of its own
    /// requests; passing through, the node that owns the request, when the request is
    /// known here. A later version keeps the request it was made for.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        if let Some(old) = at.stored::<Proposal>(&self.meta.id)?
            && (old.request_id != self.request_id || old.request_origin != self.request_origin)
        {
            return refuse(
                Check::Ownership,
                format!("proposal {} cannot move to another request", self.meta.id),
            );
        }
        match at.stored::<Request>(&self.request_id)? {
            Some(r) if r.meta.origin == self.request_origin => Ok(()),
            Some(r) => refuse(
                Check::Ownership,
                format!(
                    "request {} belongs to {}, not to request_origin {}",
                    self.request_id, r.meta.origin, self.request_origin
                ),
            ),
            None if at.is_for_us(self) => refuse(
                Check::Schema,
                format!(
                    "request_id {} is not a request of this node",
                    self.request_id
                ),
            ),
            // Passing through toward a request this node has not seen: its home node judges.
            None => Ok(()),
        }
    }

    /// A new or shipped offer for one of this node's requests goes to the request's author.
    fn announce(&self, here: &str) -> Announcement<'_> {
        if self.request_origin != here {
            return Announcement::Silent;
        }
        match self.status {
            ProposalStatus::Pending => Announcement::Offer(self),
            ProposalStatus::Shipped => Announcement::Shipped(self),
            ProposalStatus::Accepted
            | ProposalStatus::Deferred
            | ProposalStatus::Declined
            | ProposalStatus::Withdrawn
            | ProposalStatus::Received
            | ProposalStatus::Lapsed => Announcement::Silent,
        }
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}

impl KindRules for Decision {
    const TRANSIENT: bool = false;

    /// Only the node that owns the proposal's request decides on it ([`Decision::decides`]),
    /// whether the decision is for this node or only passing through. When the proposal
    /// is not known here, the request is: its node must be the decision's origin.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        if let Some(old) = at.stored::<Decision>(&self.meta.id)?
            && (old.proposal_id != self.proposal_id
                || old.proposal_origin != self.proposal_origin
                || old.request_id != self.request_id)
        {
            return refuse(
                Check::Ownership,
                format!("decision {} cannot move to another proposal", self.meta.id),
            );
        }
        if let Some(proposal) = at.stored::<Proposal>(&self.proposal_id)? {
            return if self.decides(&proposal) {
                Ok(())
            } else {
                refuse(
                    Check::Ownership,
                    format!(
                        "only {}, the request's home node, decides on proposal {}",
                        proposal.request_origin, self.proposal_id
                    ),
                )
            };
        }
        if at.is_for_us(self) {
            return refuse(
                Check::Schema,
                format!(
                    "proposal_id {} is not a proposal of this node",
                    self.proposal_id
                ),
            );
        }
        match at.stored::<Request>(&self.request_id)? {
            Some(r) if r.meta.origin != self.meta.origin => refuse(
                Check::Ownership,
                format!(
                    "only {}, the request's home node, decides on its proposals",
                    r.meta.origin
                ),
            ),
            Some(_) | None => Ok(()),
        }
    }

    /// A verdict on one of this node's proposals goes to its maker; a lapse says nothing.
    fn announce(&self, here: &str) -> Announcement<'_> {
        if self.proposal_origin != here {
            return Announcement::Silent;
        }
        match self.verdict {
            Verdict::Accept | Verdict::Defer | Verdict::Decline | Verdict::Received => {
                Announcement::Decision(self)
            }
            Verdict::Lapse => Announcement::Silent,
        }
    }

    fn index(&self, _indexes: &Indexes) {}

    /// Read from the store where it is needed.
    fn intake(&self) -> Intake<'_> {
        Intake::Stored
    }
}
