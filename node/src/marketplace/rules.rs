//! The node's rules for the marketplace's kinds: requests, proposals and decisions (see
//! [`crate::kinds`]).

use caremesh_federation::Check;
use caremesh_federation::object::{
    Decision, Proposal, ProposalStatus, Request, RequestStatus, Verdict,
};

use crate::federation::inbox::Refusal;
use crate::kinds::{Admission, Announcement, Indexes, KindRules};

fn refuse(check: Check, message: String) -> Result<(), Refusal> {
    Err(Refusal { check, message })
}

impl KindRules for Request {
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
}

impl KindRules for Proposal {
    /// A proposal for this node must name one of this node's requests.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        if !at.is_for_us(self) {
            return Ok(());
        }
        match at.stored::<Request>(&self.request_id)? {
            Some(r) if r.meta.origin == at.here => Ok(()),
            Some(_) | None => refuse(
                Check::Schema,
                format!(
                    "request_id {} is not a request of this node",
                    self.request_id
                ),
            ),
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
}

impl KindRules for Decision {
    /// A decision for this node must be on one of this node's proposals, made by the node
    /// that owns the proposal's request.
    fn admit(&self, at: &Admission<'_>) -> Result<(), Refusal> {
        if !at.is_for_us(self) {
            return Ok(());
        }
        match at.stored::<Proposal>(&self.proposal_id)? {
            Some(p) if p.meta.origin == at.here && p.request_origin == self.meta.origin => Ok(()),
            Some(_) => refuse(
                Check::Ownership,
                "only the request's home node decides on this proposal".into(),
            ),
            None => refuse(
                Check::Schema,
                format!(
                    "proposal_id {} is not a proposal of this node",
                    self.proposal_id
                ),
            ),
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
}
