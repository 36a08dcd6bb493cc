//! Per-member limits of this node's marketplace (`[marketplace]` in config): units per
//! proposal, proposals waiting for a decision, needs a day, and one waiting proposal per
//! maker per request. The admin is bound by none of the quotas. Each refusal is a 409 that
//! names its check; nothing is stored.

use caremesh_federation::object::{Proposal, ProposalStatus, Request};

use super::Marketplace;
use crate::error::ServiceError;
use crate::members::{Member, Role};
use crate::objects;

/// A day in milliseconds, the window of `max_requests_per_day`.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Waiting for the requester's decision: counts against the open-proposal quota.
fn waiting(status: ProposalStatus) -> bool {
    matches!(status, ProposalStatus::Pending | ProposalStatus::Deferred)
}

impl Marketplace {
    /// May `member` post one more need now?
    pub(super) fn check_request_quota(&self, member: &Member) -> Result<(), ServiceError> {
        if member.role == Role::Admin {
            return Ok(());
        }
        let limit = self.policy.max_requests_per_day;
        let since = self.now().saturating_sub(DAY_MS);
        // The member's own requests only (the store's owner index), not the node's.
        let posted = objects::owned::<Request>(&*self.store, &member.handle)?
            .iter()
            .filter(|r| self.is_local(&r.meta.origin) && r.meta.created_at >= since)
            .count();
        if posted >= limit as usize {
            return Err(ServiceError::conflict(format!(
                "max_requests_per_day: `{}` posted {posted} needs in the last 24 hours; this \
                 node allows {limit}",
                member.handle
            )));
        }
        Ok(())
    }

    /// May `member` offer `quantity` on `request_id`? One waiting proposal per maker per
    /// request (for the admin too), then the quotas.
    pub(super) fn check_proposal_quota(
        &self,
        member: &Member,
        request_id: &str,
        quantity: u32,
    ) -> Result<(), ServiceError> {
        for p in objects::children::<Proposal>(&*self.store, request_id)? {
            if self.is_local(&p.meta.origin)
                && p.maker == member.handle
                && waiting(self.status_of(&p)?)
            {
                return Err(ServiceError::conflict(format!(
                    "one_pending_proposal: `{}` already has proposal `{}` waiting for a \
                     decision on request `{request_id}`",
                    member.handle, p.meta.id
                )));
            }
        }
        if member.role == Role::Admin {
            return Ok(());
        }
        let units = self.policy.max_units_per_proposal;
        if quantity > units {
            return Err(ServiceError::conflict(format!(
                "max_units_per_proposal: a proposal offers at most {units} units on this node"
            )));
        }
        let limit = self.policy.max_open_proposals;
        let mut open = 0;
        for p in self.own_proposals(member)? {
            if waiting(self.status_of(&p)?) {
                open += 1;
            }
        }
        if open >= limit as usize {
            return Err(ServiceError::conflict(format!(
                "max_open_proposals: `{}` has {open} proposals waiting for a decision; this \
                 node allows {limit}",
                member.handle
            )));
        }
        Ok(())
    }
}
