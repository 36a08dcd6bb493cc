//! Decisions: made on the request's home node, sent to the proposal's node. Every change to
//! a request's `accepted` happens here, under the marketplace lock.

use caremesh_federation::object::{
    Decision, Meta, Proposal, ProposalStatus, Request, RequestStatus, Verdict,
};

use super::{Marketplace, ProposalState};
use crate::error::ServiceError;
use crate::members::Member;
use crate::objects::bump;

/// What a requester decides about a proposal.
#[derive(Clone, Copy, Debug)]
pub struct Decide {
    pub verdict: Verdict,
    /// For accept: how many to accept (default: all offered, capped to the remainder).
    /// For received: how many arrived (default: all accepted).
    pub quantity: Option<i64>,
}

/// What a decision did, for the answer to the requester.
#[derive(Clone, Debug)]
pub struct Decided {
    pub state: ProposalState,
    pub request: Request,
    /// True when the accepted quantity was cut to what remained.
    pub capped: bool,
}

impl Marketplace {
    /// Accept, defer or decline a proposal (requester on the home node).
    #[tracing::instrument(skip_all, fields(member = %member.handle, proposal_id))]
    pub fn decide(
        &self,
        member: &Member,
        proposal_id: &str,
        decide: Decide,
    ) -> Result<Decided, ServiceError> {
        let _guard = self.guard();
        let (proposal, request) = self.managed_proposal(member, proposal_id)?;
        let previous = self.decision_for(&proposal)?;
        let held = match &previous {
            Some(d) if d.verdict == Verdict::Accept => d.quantity,
            Some(d) if matches!(d.verdict, Verdict::Received) => {
                return Err(ServiceError::conflict("the goods were already received"));
            }
            _ => 0,
        };
        let (quantity, accepted, capped) = match decide.verdict {
            Verdict::Accept => self.acceptance(&proposal, &request, held, decide.quantity)?,
            Verdict::Defer if held > 0 => {
                return Err(ServiceError::conflict(
                    "an accepted proposal cannot be deferred; decline it to release it",
                ));
            }
            Verdict::Defer | Verdict::Decline => (0, release(&request, held)?, false),
            Verdict::Received | Verdict::Lapse => {
                return Err(ServiceError::invalid(
                    "verdict",
                    "must be accept, defer or decline",
                ));
            }
        };
        let decision = self.write_decision(previous, &proposal, decide.verdict, quantity)?;
        let request = if accepted != request.accepted {
            let received = request.received;
            self.republish_request(request, accepted, received)?
        } else {
            request
        };
        tracing::info!(object_id = %decision.meta.id, verdict = ?decide.verdict, quantity, "decision");
        self.decided(proposal, decision, request, capped)
    }

    /// Returns (quantity accepted for this proposal, new request total, capped).
    fn acceptance(
        &self,
        proposal: &Proposal,
        request: &Request,
        held: u32,
        asked: Option<i64>,
    ) -> Result<(u32, u32, bool), ServiceError> {
        if held > 0 {
            return Err(ServiceError::conflict("this proposal is already accepted"));
        }
        if request.status != RequestStatus::Open {
            return Err(ServiceError::conflict(format!(
                "the request is {:?}, not open",
                request.status
            )));
        }
        let remaining = request.quantity.saturating_sub(request.accepted);
        if remaining == 0 {
            return Err(ServiceError::conflict(
                "nothing remains to accept: the request is fully covered",
            ));
        }
        let want = quantity_up_to(asked, proposal.quantity, " (the quantity offered)")?;
        let quantity = want.min(remaining);
        // remaining = quantity - accepted, so this sum is at most the request's quantity.
        Ok((quantity, request.accepted + quantity, quantity < want))
    }

    /// The requester confirms goods arrived.
    pub fn mark_received(
        &self,
        member: &Member,
        proposal_id: &str,
        asked: Option<i64>,
    ) -> Result<Decided, ServiceError> {
        let _guard = self.guard();
        let (proposal, request) = self.managed_proposal(member, proposal_id)?;
        let previous = self.decision_for(&proposal)?;
        let accepted = match &previous {
            Some(d) if d.verdict == Verdict::Accept => d.quantity,
            _ => {
                return Err(ServiceError::conflict(
                    "only accepted proposals can be received",
                ));
            }
        };
        let quantity = quantity_up_to(asked, accepted, "")?;
        let decision = self.write_decision(previous, &proposal, Verdict::Received, quantity)?;
        let rec = request.received.checked_add(quantity).ok_or_else(|| {
            ServiceError::conflict("the received total would pass the largest quantity")
        })?;
        let acc = request.accepted;
        let request = self.republish_request(request, acc, rec)?;
        self.decided(proposal, decision, request, false)
    }

    /// The answer to the requester once `decision` on `proposal` is written.
    fn decided(
        &self,
        proposal: Proposal,
        decision: Decision,
        request: Request,
        capped: bool,
    ) -> Result<Decided, ServiceError> {
        let state = ProposalState {
            decision: Some(decision),
            ..self.proposal_state(proposal)?
        };
        Ok(Decided {
            state,
            request,
            capped,
        })
    }

    fn managed_proposal(
        &self,
        member: &Member,
        proposal_id: &str,
    ) -> Result<(Proposal, Request), ServiceError> {
        let proposal = self.get_proposal(proposal_id)?;
        if !self.is_local(&proposal.request_origin) {
            return Err(ServiceError::forbidden(
                "only the request's home node decides on its proposals",
            ));
        }
        let request = self.get_request(&proposal.request_id)?;
        if request.meta.origin != proposal.request_origin {
            return Err(ServiceError::forbidden(
                "the proposal names a request of another node",
            ));
        }
        if !self.may_manage(member, &request)? {
            return Err(ServiceError::forbidden(
                "only the request's requester decides on its proposals",
            ));
        }
        Ok((proposal, request))
    }

    fn write_decision(
        &self,
        previous: Option<Decision>,
        proposal: &Proposal,
        verdict: Verdict,
        quantity: u32,
    ) -> Result<Decision, ServiceError> {
        let now = self.now();
        let meta: Meta = match &previous {
            Some(d) => bump(&d.meta, now)?,
            None => self.publisher.new_meta(now),
        };
        let decision = Decision {
            meta,
            proposal_id: proposal.meta.id.clone(),
            proposal_origin: proposal.meta.origin.clone(),
            request_id: proposal.request_id.clone(),
            verdict,
            quantity,
        };
        self.publisher.publish(&decision, None)?;
        Ok(decision)
    }
}

/// The quantity `asked` for, 1 to `most` (all of `most` when not given); `of_what` follows
/// the bound in the error.
fn quantity_up_to(asked: Option<i64>, most: u32, of_what: &str) -> Result<u32, ServiceError> {
    match asked {
        None => Ok(most),
        Some(q) if q >= 1 && q <= i64::from(most) => Ok(q as u32),
        Some(_) => Err(ServiceError::invalid(
            "quantity",
            format!("must be 1 to {most}{of_what}"),
        )),
    }
}

/// The request's accepted total once `held` (one proposal's acceptance) is released.
/// Held is part of the total; if it is not, the books are inconsistent and nothing changes.
fn release(request: &Request, held: u32) -> Result<u32, ServiceError> {
    request.accepted.checked_sub(held).ok_or_else(|| {
        ServiceError::conflict(format!(
            "request `{}` counts {} accepted, less than the {held} this proposal holds",
            request.meta.id, request.accepted
        ))
    })
}

impl Marketplace {
    /// Lapses this node's accepted proposals that are past their ETA and not shipped: their
    /// quantity returns to the request's remainder. Returns how many lapsed.
    pub fn lapse_overdue(&self) -> Result<usize, ServiceError> {
        let now = self.now();
        let mut lapsed = 0;
        for request in self.list_requests()? {
            if !self.is_local(&request.meta.origin) {
                continue;
            }
            for proposal in crate::objects::children::<Proposal>(&*self.store, &request.meta.id)? {
                // A proposal naming our request but addressed elsewhere is not ours to lapse.
                let ours = proposal.request_origin == request.meta.origin;
                if ours && proposal.eta.is_some_and(|eta| eta < now) && self.lapse_one(&proposal)? {
                    lapsed += 1;
                }
            }
        }
        Ok(lapsed)
    }

    fn lapse_one(&self, proposal: &Proposal) -> Result<bool, ServiceError> {
        let _guard = self.guard();
        let state = self.proposal_state(proposal.clone())?;
        if state.status() != ProposalStatus::Accepted {
            return Ok(false);
        }
        let held = state.accepted_quantity();
        let request = self.get_request(&proposal.request_id)?;
        self.write_decision(state.decision, proposal, Verdict::Lapse, held)?;
        let received = request.received;
        let accepted = release(&request, held)?;
        self.republish_request(request, accepted, received)?;
        tracing::info!(object_id = %proposal.meta.id, quantity = held, "accepted proposal lapsed past its ETA");
        Ok(true)
    }
}
