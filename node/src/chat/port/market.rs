//! The marketplace: the catalog, needs, offers, decisions, alerts and `/stats`.

use caremesh_bots::port::{
    Account, Market, NeedDraft, OfferDraft, PortResult, Product, ProposalInfo, RequestInfo,
    StatRow, Subscription,
};
use caremesh_bots::role::Role;
use caremesh_federation::object::Verdict;

use super::{ChatNode, store_err};
use crate::chat::views::{proposal_info, request_info};
use crate::marketplace::{Decide, NewProposal, NewRequest, ProposalState};

impl ChatNode {
    fn proposal_view(&self, state: &ProposalState) -> ProposalInfo {
        let request = self.app.market.get_request(&state.proposal.request_id).ok();
        proposal_info(state, request.as_ref(), self.app.clock.now_ms())
    }
}

#[async_trait::async_trait]
impl Market for ChatNode {
    async fn products(&self) -> PortResult<Vec<Product>> {
        Ok(self
            .app
            .catalog
            .products()
            .iter()
            .map(|p| Product {
                slug: p.slug.clone(),
                name: p.name.clone(),
            })
            .collect())
    }

    async fn create_request(&self, by: &Account, need: NeedDraft) -> PortResult<RequestInfo> {
        let member = self.member(by)?;
        let new = NewRequest {
            facility_id: Some(need.facility_id),
            product: Some(need.product),
            quantity: Some(i64::from(need.quantity)),
            needed_by: need.within_days.map(|days| self.days_from_now(days)),
            note: String::new(),
        };
        let request = self.app.market.create_request(&member, new)?;
        Ok(request_info(&request, by.location))
    }

    async fn open_requests(&self, by: &Account, limit: usize) -> PortResult<Vec<RequestInfo>> {
        Ok(self
            .app
            .market
            .open_requests_near(by.location, limit)?
            .iter()
            .map(|r| request_info(r, by.location))
            .collect())
    }

    async fn get_request(&self, id: &str) -> PortResult<RequestInfo> {
        Ok(request_info(&self.app.market.get_request(id)?, None))
    }

    async fn create_proposal(&self, by: &Account, offer: OfferDraft) -> PortResult<ProposalInfo> {
        let mut member = self.member(by)?;
        if let Some((lat, lon)) = by.location {
            (member.lat, member.lon) = (Some(lat), Some(lon));
        }
        let new = NewProposal {
            quantity: Some(i64::from(offer.quantity)),
            material: Some(offer.material),
            eta: Some(self.days_from_now(offer.eta_days)),
        };
        let proposal = self
            .app
            .market
            .create_proposal(&member, &offer.request_id, new)?;
        Ok(self.proposal_view(&self.app.market.proposal_state(proposal)?))
    }

    async fn proposals(&self, by: &Account) -> PortResult<Vec<ProposalInfo>> {
        let member = self.member(by)?;
        let mut out = Vec::new();
        for request in self.app.market.list_requests()? {
            if request.meta.origin != self.app.node.origin {
                continue;
            }
            let mine = self.app.market.owner_of(&request.meta.id)?.as_deref()
                == Some(member.handle.as_str());
            if !(mine || by.role == Role::Admin) {
                continue;
            }
            for state in self.app.market.list_proposals(&member, &request.meta.id)? {
                out.push(proposal_info(
                    &state,
                    Some(&request),
                    self.app.clock.now_ms(),
                ));
            }
        }
        for state in self.app.market.my_proposals(&member)? {
            out.push(self.proposal_view(&state));
        }
        Ok(out)
    }

    async fn decide(&self, by: &Account, id: &str, verdict: Verdict) -> PortResult<ProposalInfo> {
        let member = self.member(by)?;
        let decide = Decide {
            verdict,
            quantity: None,
        };
        let decided = self.app.market.decide(&member, id, decide)?;
        Ok(proposal_info(
            &decided.state,
            Some(&decided.request),
            self.app.clock.now_ms(),
        ))
    }

    async fn mark_shipped(&self, by: &Account, id: &str) -> PortResult<ProposalInfo> {
        let state = self.app.market.mark_shipped(&self.member(by)?, id)?;
        Ok(self.proposal_view(&state))
    }

    async fn mark_received(&self, by: &Account, id: &str) -> PortResult<ProposalInfo> {
        let decided = self.app.market.mark_received(&self.member(by)?, id, None)?;
        Ok(proposal_info(
            &decided.state,
            Some(&decided.request),
            self.app.clock.now_ms(),
        ))
    }

    async fn stats(&self) -> PortResult<Vec<StatRow>> {
        Ok(self
            .app
            .market
            .stats()?
            .into_iter()
            .map(|s| StatRow {
                product: s.product,
                needed: s.needed,
                accepted: s.accepted,
                received: s.received,
            })
            .collect())
    }

    async fn subscription(&self, by: &Account) -> PortResult<Option<Subscription>> {
        self.records.subscription(&by.handle).map_err(store_err)
    }

    async fn set_subscription(&self, by: &Account, sub: Subscription) -> PortResult<()> {
        self.records
            .set_subscription(&by.handle, &sub)
            .map_err(store_err)
    }
}
