//! The engine's port implemented over the node's services, in-process.

use std::sync::Arc;

use caremesh_bots::chat::ChatUser;
use caremesh_bots::notice::Notice;
use caremesh_bots::port::{
    Account, FacilityChange, FacilityDraft, FacilityInfo, NeedDraft, NodePort, OfferDraft, Place,
    PortError, PortResult, Product, ProposalInfo, Registration, RequestInfo, Role, ServicesInfo,
    StatRow, TriageInfo, Verdict,
};
use caremesh_bots::subscribers::Subscription;
use caremesh_federation::object::Material;

use super::directory;
use super::handles::{derive_handle, link_code};
use super::records::{ChatRecords, LinkCode, Pending};
use super::views::{proposal_info, request_info};
use crate::marketplace::{Decide, NewProposal, NewRequest};
use crate::services::Services;
use crate::store::Store;
use support::store_err;

mod support;

/// How long a `/link` code works.
const CODE_TTL_MS: i64 = 10 * 60 * 1000;

/// The node, as the chat engine sees it.
pub struct ChatNode {
    pub(super) app: Services,
    pub(super) records: ChatRecords,
}

impl ChatNode {
    /// The port over the node's `services`, keeping chat records in `store`.
    pub fn new(services: &Services, store: Arc<dyn Store>) -> Self {
        Self {
            app: services.clone(),
            records: ChatRecords::new(store),
        }
    }
}

#[async_trait::async_trait]
impl NodePort for ChatNode {
    fn now_ms(&self) -> i64 {
        self.app.clock.now_ms()
    }

    async fn account(&self, who: &ChatUser) -> PortResult<Option<Account>> {
        let Some(handle) = self.records.handle_of(who).map_err(store_err)? else {
            return Ok(None);
        };
        if let Some(member) = self.app.members.get(&handle)? {
            return Ok(Some(self.account_of(&member)?));
        }
        Ok(self
            .records
            .pending(&handle)
            .map_err(store_err)?
            .map(|p| Account {
                handle,
                role: p.role,
                approved: false,
                location: p.location,
            }))
    }

    async fn register(&self, who: &ChatUser, reg: Registration) -> PortResult<Account> {
        let taken = |h: &str| -> PortResult<bool> {
            Ok(self.app.members.get(h)?.is_some()
                || self.records.pending(h).map_err(store_err)?.is_some())
        };
        let handle = derive_handle(who, &taken)?;
        if matches!(reg.role, Role::Requester | Role::Staff | Role::Admin) {
            let pending = Pending {
                who: who.clone(),
                role: Role::Requester,
                location: reg.location,
            };
            if !self
                .records
                .add_pending(&handle, &pending)
                .map_err(store_err)?
            {
                return Err(PortError::Conflict {
                    problem: format!("`{handle}` already waits for approval"),
                });
            }
            self.records.link(who, &handle).map_err(store_err)?;
            return Ok(Account {
                handle,
                role: Role::Requester,
                approved: false,
                location: reg.location,
            });
        }
        let member = self.create_member(&handle, who, reg.role, reg.location)?;
        self.account_of(&member)
    }

    async fn approve(&self, admin: &Account, handle: &str) -> PortResult<Account> {
        if admin.role != Role::Admin {
            return Err(PortError::Forbidden {
                reason: "only admins approve".into(),
            });
        }
        let pending = self
            .records
            .pending(handle)
            .map_err(store_err)?
            .ok_or_else(|| PortError::NotFound {
                what: "waiting registration".into(),
                id: handle.to_owned(),
            })?;
        let member = self.create_member(handle, &pending.who, pending.role, pending.location)?;
        self.records.remove_pending(handle).map_err(store_err)?;
        self.account_of(&member)
    }

    async fn pending(&self) -> PortResult<Vec<String>> {
        self.records.pending_handles().map_err(store_err)
    }

    async fn set_location(&self, account: &Account, lat: f64, lon: f64) -> PortResult<()> {
        self.records
            .set_location(&account.handle, (lat, lon))
            .map_err(store_err)
    }

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

    async fn local_facilities(&self) -> PortResult<Vec<FacilityInfo>> {
        Ok(directory::local_facilities(&self.app)?)
    }

    async fn create_request(&self, by: &Account, need: NeedDraft) -> PortResult<RequestInfo> {
        let member = self.member(by)?;
        let new = NewRequest {
            facility_id: Some(need.facility_id),
            product: Some(need.product),
            quantity: Some(i64::from(need.quantity)),
            needed_by: need.needed_by,
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
        let material: Material = serde_json::from_value(serde_json::Value::String(
            offer.material.clone(),
        ))
        .map_err(|_| PortError::Invalid {
            field: "material".into(),
            problem: format!("`{}` is unknown", offer.material),
        })?;
        let new = NewProposal {
            quantity: Some(i64::from(offer.quantity)),
            material: Some(material),
            eta: offer.eta,
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
                out.push(proposal_info(&state, Some(&request), self.now_ms()));
            }
        }
        for state in self.app.market.my_proposals(&member)? {
            out.push(self.proposal_view(&state));
        }
        Ok(out)
    }

    async fn decide(&self, by: &Account, id: &str, verdict: Verdict) -> PortResult<ProposalInfo> {
        let member = self.member(by)?;
        let verdict = match verdict {
            Verdict::Accept => caremesh_federation::object::Verdict::Accept,
            Verdict::Defer => caremesh_federation::object::Verdict::Defer,
            Verdict::Decline => caremesh_federation::object::Verdict::Decline,
        };
        let decided = self.app.market.decide(
            &member,
            id,
            Decide {
                verdict,
                quantity: None,
            },
        )?;
        Ok(proposal_info(
            &decided.state,
            Some(&decided.request),
            self.now_ms(),
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
            self.now_ms(),
        ))
    }

    async fn subscription(&self, by: &Account) -> PortResult<Option<Subscription>> {
        self.records.subscription(&by.handle).map_err(store_err)
    }

    async fn set_subscription(&self, by: &Account, sub: Subscription) -> PortResult<()> {
        self.records
            .set_subscription(&by.handle, &sub)
            .map_err(store_err)
    }

    async fn nearby(
        &self,
        at: (f64, f64),
        kind: Option<&str>,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        Ok(directory::nearby(&self.app, at, kind, limit)?)
    }

    async fn blood(
        &self,
        at: (f64, f64),
        group: &str,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        Ok(directory::blood(&self.app, at, group, limit)?)
    }

    async fn services(&self, name: &str) -> PortResult<Option<ServicesInfo>> {
        Ok(directory::services(&self.app, name)?)
    }

    async fn place(&self, text: &str) -> PortResult<Option<Place>> {
        Ok(directory::place(&self.app, text))
    }

    async fn facility(&self, id: &str) -> PortResult<Option<FacilityInfo>> {
        Ok(directory::facility(&self.app, id))
    }

    async fn create_facility(
        &self,
        by: &Account,
        draft: FacilityDraft,
    ) -> PortResult<FacilityInfo> {
        let info = directory::create_facility(&self.app, &self.member(by)?, draft)?;
        Ok(info)
    }

    async fn update_facility(
        &self,
        by: &Account,
        id: &str,
        change: FacilityChange,
    ) -> PortResult<FacilityInfo> {
        let info = directory::update_facility(&self.app, &self.member(by)?, id, change)?;
        Ok(info)
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

    async fn create_link_code(&self, by: &Account) -> PortResult<String> {
        let code = link_code();
        let link = LinkCode {
            handle: by.handle.clone(),
            expires_ms: self.now_ms() + CODE_TTL_MS,
        };
        self.records.put_code(&code, &link).map_err(store_err)?;
        Ok(code)
    }

    async fn redeem_link_code(&self, who: &ChatUser, code: &str) -> PortResult<Account> {
        let bad = || PortError::Invalid {
            field: "code".into(),
            problem: "is unknown, used or expired".into(),
        };
        let link = self
            .records
            .take_code(&code.to_uppercase())
            .map_err(store_err)?
            .ok_or_else(bad)?;
        if link.expires_ms < self.now_ms() {
            return Err(bad());
        }
        let member = self.app.members.get(&link.handle)?.ok_or_else(bad)?;
        self.records.link(who, &member.handle).map_err(store_err)?;
        self.account_of(&member)
    }

    async fn symptoms(&self, text: &str) -> PortResult<Option<TriageInfo>> {
        let a = self.app.triage.assess(text);
        Ok(Some(TriageInfo {
            specialties: a.specialties,
            urgency: a.urgency.as_str().to_owned(),
            advice: a.advice,
        }))
    }

    async fn notify_admins(&self, notice: Notice) -> PortResult<()> {
        self.records.enqueue(None, &notice).map_err(store_err)
    }

    async fn notify(&self, handle: &str, notice: Notice) -> PortResult<()> {
        self.records
            .enqueue(Some(handle), &notice)
            .map_err(store_err)
    }
}
