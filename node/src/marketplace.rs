//! The supply marketplace: requests, proposals, decisions, shipping and receipt, with the
//! rules that must hold across the federation:
//! - only the request's home node accepts proposals;
//! - `accepted` never exceeds `quantity`: acceptances are serialised on the home node and an
//!   acceptance over the remainder is capped to it (or refused when nothing remains);
//! - the maker's contact travels sealed to the requester's node only.

mod decisions;
mod listing;
mod proposals;
mod quotas;
mod rules;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};

use caremesh_federation::object::{Facility, Request, RequestStatus, to_e7};

use crate::catalog::Catalog;
use crate::clock::Clock;
use crate::config::MarketplaceSection;
use crate::error::ServiceError;
use crate::identities::Identities;
use crate::members::{self, Member, Role};
use crate::objects::{self, Publisher, bump};
use crate::store::{Space, Store};

pub use decisions::{Decide, Decided};
pub use listing::{ProductStats, RequestSearch};
pub use proposals::{NewProposal, ProposalState};

/// What a requester gives to post a need.
#[derive(Clone, Debug, Default)]
pub struct NewRequest {
    pub facility_id: Option<String>,
    pub product: Option<String>,
    pub quantity: Option<i64>,
    /// Unix milliseconds.
    pub needed_by: Option<i64>,
    pub note: String,
}

/// The marketplace service of one node.
#[derive(Clone)]
pub struct Marketplace {
    store: Arc<dyn Store>,
    publisher: Publisher,
    identities: Identities,
    clock: Arc<dyn Clock>,
    catalog: Arc<Catalog>,
    /// Serialises every change of a request's counts on this node, and the quota checks
    /// with what they admit.
    lock: Arc<Mutex<()>>,
    /// Approval of makers and per-member quotas.
    policy: MarketplaceSection,
}

impl Marketplace {
    /// The marketplace over these ports.
    pub fn new(publisher: Publisher, clock: Arc<dyn Clock>, catalog: Arc<Catalog>) -> Self {
        let store = publisher.store().clone();
        Self {
            identities: Identities::new(store.clone()),
            store,
            publisher,
            clock,
            catalog,
            lock: Arc::new(Mutex::new(())),
            policy: MarketplaceSection::default(),
        }
    }

    /// The same marketplace under this node's `[marketplace]` policy.
    pub fn with_policy(self, policy: MarketplaceSection) -> Self {
        Self { policy, ..self }
    }

    /// This node's `[marketplace]` policy.
    pub fn policy(&self) -> &MarketplaceSection {
        &self.policy
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    fn is_local(&self, origin: &str) -> bool {
        origin == self.publisher.origin()
    }

    /// Posts a need for one of this node's facilities.
    #[tracing::instrument(skip_all, fields(member = %member.handle))]
    pub fn create_request(
        &self,
        member: &Member,
        new: NewRequest,
    ) -> Result<Request, ServiceError> {
        if !matches!(member.role, Role::Requester | Role::Staff | Role::Admin) {
            return Err(ServiceError::forbidden(
                "only requesters, staff and admins post needs",
            ));
        }
        let facility_id = new
            .facility_id
            .or_else(|| member.facility_id.clone())
            .ok_or_else(|| ServiceError::invalid("facility_id", "is required"))?;
        if !members::acts_for(&*self.store, member, &facility_id)? {
            return Err(ServiceError::forbidden(format!(
                "facility: a {} posts needs only for their own facility, not `{facility_id}`",
                member.role.as_str()
            )));
        }
        let facility = match objects::get::<Facility>(&*self.store, &facility_id)? {
            Some(f) if self.is_local(&f.meta.origin) && !f.retracted => f,
            Some(_) => {
                return Err(ServiceError::invalid(
                    "facility_id",
                    "is not a facility of this node",
                ));
            }
            None => {
                return Err(ServiceError::invalid(
                    "facility_id",
                    "is not a known facility",
                ));
            }
        };
        let product = new
            .product
            .ok_or_else(|| ServiceError::invalid("product", "is required"))?;
        if self.catalog.get(&product).is_none() {
            return Err(ServiceError::invalid(
                "product",
                format!("`{product}` is not in the catalog"),
            ));
        }
        let quantity = check_quantity(new.quantity)?;
        let now = self.now();
        if new.needed_by.is_some_and(|t| t < now) {
            return Err(ServiceError::invalid("needed_by", "is in the past"));
        }
        let _guard = self.guard();
        self.check_request_quota(member)?;
        let request = Request {
            meta: self.publisher.new_meta(now),
            facility_id,
            facility_name: facility.name.clone(),
            lat_e7: facility.lat_e7,
            lon_e7: facility.lon_e7,
            product,
            quantity,
            needed_by: new.needed_by,
            note: new.note,
            status: RequestStatus::Open,
            accepted: 0,
            received: 0,
        };
        self.publisher.publish(&request, Some(&member.handle))?;
        tracing::info!(object_id = %request.meta.id, product = %request.product, "request created");
        Ok(request)
    }

    /// A request by id.
    pub fn get_request(&self, id: &str) -> Result<Request, ServiceError> {
        objects::get::<Request>(&*self.store, id)?
            .ok_or_else(|| ServiceError::not_found("request", id))
    }

    /// Every request this node knows, local and federated.
    pub fn list_requests(&self) -> Result<Vec<Request>, ServiceError> {
        objects::list::<Request>(&*self.store)
    }

    /// The local member who made an object here.
    pub fn owner_of(&self, id: &str) -> Result<Option<String>, ServiceError> {
        Ok(self
            .store
            .get(Space::Owners, id)?
            .map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// May `member` act for the request (decide on its proposals)?
    fn may_manage(&self, member: &Member, request: &Request) -> Result<bool, ServiceError> {
        if member.role == Role::Admin {
            return Ok(true);
        }
        if self.owner_of(&request.meta.id)?.as_deref() == Some(member.handle.as_str()) {
            return Ok(true);
        }
        Ok(matches!(member.role, Role::Requester | Role::Staff)
            && member.facility_id.as_deref() == Some(request.facility_id.as_str()))
    }

    /// Publishes a new version of one of our requests with changed counts.
    fn republish_request(
        &self,
        mut request: Request,
        accepted: u32,
        received: u32,
    ) -> Result<Request, ServiceError> {
        request.meta = bump(&request.meta, self.now())?;
        request.accepted = accepted;
        request.received = received;
        request.status = match request.status {
            RequestStatus::Open | RequestStatus::Satisfied if accepted >= request.quantity => {
                RequestStatus::Satisfied
            }
            RequestStatus::Satisfied => RequestStatus::Open,
            other => other,
        };
        self.publisher.publish(&request, None)?;
        Ok(request)
    }
}

fn check_quantity(q: Option<i64>) -> Result<u32, ServiceError> {
    let q = q.ok_or_else(|| ServiceError::invalid("quantity", "is required"))?;
    if !(1..=i64::from(caremesh_federation::object::MAX_QUANTITY)).contains(&q) {
        return Err(ServiceError::invalid(
            "quantity",
            "must be a whole number from 1 to 10000000",
        ));
    }
    Ok(q as u32)
}

/// Degrees to the wire's fixed point, checked.
pub fn coords_e7(lat: f64, lon: f64) -> Result<(i32, i32), ServiceError> {
    if !lat.is_finite() || lat.abs() > 90.0 {
        return Err(ServiceError::invalid(
            "lat",
            "must be degrees between -90 and 90",
        ));
    }
    if !lon.is_finite() || lon.abs() > 180.0 {
        return Err(ServiceError::invalid(
            "lon",
            "must be degrees between -180 and 180",
        ));
    }
    Ok((to_e7(lat), to_e7(lon)))
}
