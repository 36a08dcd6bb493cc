//! Proposals: made by a maker on any node, sent only to the request's home node.

use caremesh_federation::object::{
    Decision, MakerContact, Material, Proposal, ProposalStatus, Request, RequestStatus, Verdict,
};
use caremesh_federation::seal;

use super::{Marketplace, check_quantity, coords_e7};
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::objects::{self, bump};

/// What a maker gives to offer goods.
#[derive(Clone, Debug, Default)]
pub struct NewProposal {
    pub quantity: Option<i64>,
    pub material: Option<Material>,
    /// Unix milliseconds.
    pub eta: Option<i64>,
}

/// A proposal as this node sees it: the object, the requester's decision if any, and the
/// maker's contact when this node is the requester's and could open it.
#[derive(Clone, Debug)]
pub struct ProposalState {
    pub proposal: Proposal,
    pub decision: Option<Decision>,
    pub contact: Option<MakerContact>,
}

impl ProposalState {
    /// The status combining the maker's and the requester's sides.
    pub fn status(&self) -> ProposalStatus {
        let from_decision = self.decision.as_ref().map(|d| match d.verdict {
            Verdict::Accept => ProposalStatus::Accepted,
            Verdict::Defer => ProposalStatus::Deferred,
            Verdict::Decline => ProposalStatus::Declined,
            Verdict::Received => ProposalStatus::Received,
            Verdict::Lapse => ProposalStatus::Lapsed,
        });
        match (self.proposal.status, from_decision) {
            (
                _,
                Some(
                    s @ (ProposalStatus::Received
                    | ProposalStatus::Lapsed
                    | ProposalStatus::Declined),
                ),
            ) => s,
            (s @ (ProposalStatus::Shipped | ProposalStatus::Withdrawn), _) => s,
            (_, Some(s)) => s,
            (s, None) => s,
        }
    }

    /// Quantity the requester accepted (0 when not accepted).
    pub fn accepted_quantity(&self) -> u32 {
        match &self.decision {
            Some(d) if matches!(d.verdict, Verdict::Accept | Verdict::Received) => d.quantity,
            _ => 0,
        }
    }
}

impl Marketplace {
    /// A maker offers goods for a request of any node.
    #[tracing::instrument(skip_all, fields(member = %member.handle, request_id))]
    pub fn create_proposal(
        &self,
        member: &Member,
        request_id: &str,
        new: NewProposal,
    ) -> Result<Proposal, ServiceError> {
        if !matches!(member.role, Role::Maker | Role::Admin) {
            return Err(ServiceError::forbidden("only makers propose"));
        }
        let request = self.get_request(request_id)?;
        if request.status != RequestStatus::Open {
            return Err(ServiceError::conflict(format!(
                "request `{request_id}` is {:?}, not open",
                request.status
            )));
        }
        let quantity = check_quantity(new.quantity)?;
        let material = new
            .material
            .ok_or_else(|| ServiceError::invalid("material", "is required"))?;
        let now = self.now();
        if new.eta.is_some_and(|t| t < now) {
            return Err(ServiceError::invalid("eta", "is in the past"));
        }
        let _guard = self.guard();
        self.check_proposal_quota(member, request_id, quantity)?;
        let meta = self.publisher.new_meta(now);
        let sealed_contact = self.seal_contact(member, &request, &meta.id)?;
        let (lat_e7, lon_e7) = match (member.lat, member.lon) {
            (Some(lat), Some(lon)) => coords_e7(lat, lon).map(|(a, b)| (Some(a), Some(b)))?,
            _ => (None, None),
        };
        let proposal = Proposal {
            meta,
            request_id: request_id.to_owned(),
            request_origin: request.meta.origin.clone(),
            maker: member.handle.clone(),
            material,
            quantity,
            eta: new.eta,
            status: ProposalStatus::Pending,
            sealed_contact,
            lat_e7,
            lon_e7,
        };
        self.publisher.publish(&proposal, Some(&member.handle))?;
        tracing::info!(object_id = %proposal.meta.id, "proposal created");
        Ok(proposal)
    }

    /// The maker's contact sealed to the request's node, bound to proposal `proposal_id`.
    fn seal_contact(
        &self,
        member: &Member,
        request: &Request,
        proposal_id: &str,
    ) -> Result<Vec<u8>, ServiceError> {
        let key = if self.is_local(&request.meta.origin) {
            self.publisher.key().public()
        } else {
            self.identities
                .current_key(&request.meta.origin)?
                .ok_or_else(|| {
                    ServiceError::conflict(format!(
                        "the key of {} is not known yet; try again in a moment",
                        request.meta.origin
                    ))
                })?
        };
        let contact = MakerContact {
            contact: member.contact.clone(),
            address: member.address.clone(),
        };
        seal::seal_contact(&key, proposal_id, &request.meta.origin, &contact).map_err(|e| {
            ServiceError::Corrupt {
                id: proposal_id.to_owned(),
                problem: e.to_string(),
            }
        })
    }

    /// A proposal with its decision and, where this node may read it, the maker's contact.
    pub fn proposal_state(&self, proposal: Proposal) -> Result<ProposalState, ServiceError> {
        let decision = self.decision_for(&proposal)?;
        let contact = if self.is_local(&proposal.request_origin) {
            // Sealed to whichever key was current when the maker's node sealed it.
            self.publisher.keys().keys().iter().rev().find_map(|held| {
                seal::open_contact(
                    &held.key,
                    &proposal.meta.id,
                    &proposal.request_origin,
                    &proposal.sealed_contact,
                )
                .ok()
            })
        } else {
            None
        };
        Ok(ProposalState {
            proposal,
            decision,
            contact,
        })
    }

    /// The decision on a proposal, if any: only one made by the request's node counts
    /// ([`Decision::decides`]), whatever else a peer stored under the proposal's id.
    pub(super) fn decision_for(
        &self,
        proposal: &Proposal,
    ) -> Result<Option<Decision>, ServiceError> {
        Ok(
            objects::children::<Decision>(&*self.store, &proposal.meta.id)?
                .into_iter()
                .find(|d| d.decides(proposal)),
        )
    }

    /// A proposal by id.
    pub fn get_proposal(&self, id: &str) -> Result<Proposal, ServiceError> {
        objects::get::<Proposal>(&*self.store, id)?
            .ok_or_else(|| ServiceError::not_found("proposal", id))
    }

    /// Proposals for one of this node's requests; only its requester (or admin) may look.
    pub fn list_proposals(
        &self,
        member: &Member,
        request_id: &str,
    ) -> Result<Vec<ProposalState>, ServiceError> {
        let request = self.get_request(request_id)?;
        if !self.is_local(&request.meta.origin) {
            return Err(ServiceError::forbidden(
                "proposals are listed on the request's home node",
            ));
        }
        if !self.may_manage(member, &request)? {
            return Err(ServiceError::forbidden(
                "only the request's requester sees its proposals",
            ));
        }
        objects::children::<Proposal>(&*self.store, request_id)?
            .into_iter()
            .filter(|p| p.request_origin == request.meta.origin)
            .map(|p| self.proposal_state(p))
            .collect()
    }

    /// The proposals a maker made on this node.
    pub fn my_proposals(&self, member: &Member) -> Result<Vec<ProposalState>, ServiceError> {
        self.own_proposals(member)?
            .into_iter()
            .map(|p| self.proposal_state(p))
            .collect()
    }

    /// The proposals `member` made on this node, read through the store's owner index.
    pub(super) fn own_proposals(&self, member: &Member) -> Result<Vec<Proposal>, ServiceError> {
        let mut own = objects::owned::<Proposal>(&*self.store, &member.handle)?;
        own.retain(|p| self.is_local(&p.meta.origin) && p.maker == member.handle);
        Ok(own)
    }

    /// A proposal's status with its decision, without opening the maker's contact.
    pub(super) fn status_of(&self, proposal: &Proposal) -> Result<ProposalStatus, ServiceError> {
        let decision = self.decision_for(proposal)?;
        let state = ProposalState {
            proposal: proposal.clone(),
            decision,
            contact: None,
        };
        Ok(state.status())
    }

    /// The maker marks an accepted proposal as shipped.
    pub fn mark_shipped(
        &self,
        member: &Member,
        proposal_id: &str,
    ) -> Result<ProposalState, ServiceError> {
        let proposal = self.get_proposal(proposal_id)?;
        if !self.is_local(&proposal.meta.origin) {
            return Err(ServiceError::forbidden(
                "a proposal is marked shipped on the maker's node",
            ));
        }
        if proposal.maker != member.handle && member.role != Role::Admin {
            return Err(ServiceError::forbidden(
                "only the maker marks a proposal shipped",
            ));
        }
        let state = self.proposal_state(proposal)?;
        if state.status() != ProposalStatus::Accepted {
            return Err(ServiceError::conflict(format!(
                "proposal is {:?}; only accepted ones ship",
                state.status()
            )));
        }
        let mut proposal = state.proposal;
        proposal.meta = bump(&proposal.meta, self.now())?;
        proposal.status = ProposalStatus::Shipped;
        self.publisher.publish(&proposal, None)?;
        self.proposal_state(proposal)
    }
}
