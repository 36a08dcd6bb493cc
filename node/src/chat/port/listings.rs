//! This node's own listings, kept by its staff from the chat.

use std::ops::ControlFlow;

use caremesh_bots::port::{
    Account, FacilityChange, FacilityDraft, FacilityInfo, Listings, PortResult,
};
use caremesh_federation::object::{Facility, FacilityKind};

use super::ChatNode;
use crate::chat::views::facility_info;
use crate::error::ServiceError;
use crate::members::Member;
use crate::services::Services;

/// The most listings a chat shows as this node's own (a node may have imported a million).
const LOCAL_SHOWN: usize = 50;

/// This node's own listings that can post needs (not maker hubs), the first
/// [`LOCAL_SHOWN`] in id order.
pub(super) fn local_facilities(app: &Services) -> Result<Vec<FacilityInfo>, ServiceError> {
    let mut out = Vec::new();
    app.listings.visit(|f| {
        if f.meta.origin == app.node.origin && f.kind != FacilityKind::MakerHub {
            out.push(facility_info(&f, None));
        }
        if out.len() >= LOCAL_SHOWN {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    Ok(out)
}

/// `/facility new`: publishes a listing with what the dialogue collected.
fn create_facility(
    app: &Services,
    member: &Member,
    draft: FacilityDraft,
) -> Result<FacilityInfo, ServiceError> {
    let kind = draft.kind;
    let (lat_e7, lon_e7) = crate::marketplace::coords_e7(draft.lat, draft.lon)?;
    let f = app.listings.create(member, |meta| Facility {
        contact: draft.contact,
        ..Facility::new(meta, kind, draft.name, lat_e7, lon_e7)
    })?;
    Ok(facility_info(&f, None))
}

/// `/facility ID FIELD VALUE`: one change to one of this node's listings.
fn update_facility(
    app: &Services,
    member: &Member,
    id: &str,
    change: FacilityChange,
) -> Result<FacilityInfo, ServiceError> {
    if change == FacilityChange::Retract {
        let f = app.listings.retract(member, id)?;
        return Ok(facility_info(&f, None));
    }
    let old = app.listings.get(id)?;
    if let FacilityChange::Hours(hours) = &change
        && crate::directory::hours::is_open(hours, 0, 0).is_none()
    {
        return Err(ServiceError::invalid(
            "hours",
            format!("`{hours}` is not opening hours like `Mo-Fr 09:00-17:00` or `24/7`"),
        ));
    }
    let f = app.listings.update(member, id, |meta| {
        let mut f = Facility { meta, ..old };
        match change {
            FacilityChange::Contact(c) => f.contact = c,
            FacilityChange::Hours(h) => f.hours = h,
            FacilityChange::Name(n) => f.name = n,
            FacilityChange::BloodStock { group, units } => {
                f.blood_stock.insert(group.as_str().to_owned(), units);
            }
            FacilityChange::Retract => f.retracted = true,
        }
        f
    })?;
    Ok(facility_info(&f, None))
}

#[async_trait::async_trait]
impl Listings for ChatNode {
    async fn local_facilities(&self) -> PortResult<Vec<FacilityInfo>> {
        Ok(local_facilities(&self.app)?)
    }

    async fn create_facility(
        &self,
        by: &Account,
        draft: FacilityDraft,
    ) -> PortResult<FacilityInfo> {
        let info = create_facility(&self.app, &self.member(by)?, draft)?;
        Ok(info)
    }

    async fn update_facility(
        &self,
        by: &Account,
        id: &str,
        change: FacilityChange,
    ) -> PortResult<FacilityInfo> {
        let info = update_facility(&self.app, &self.member(by)?, id, change)?;
        Ok(info)
    }
}
