//! The directory questions of the chat port, answered from the node's search index.

use std::ops::ControlFlow;

use caremesh_bots::port::{FacilityChange, FacilityDraft, FacilityInfo, Place, ServicesInfo};
use caremesh_federation::object::{Facility, FacilityKind};

use super::views::facility_info;
use crate::directory::finder::Search;
use crate::directory::import::{FacilityFields, parse_kind};
use crate::directory::search::Query;
use crate::error::ServiceError;
use crate::members::Member;
use crate::services::Services;

/// Listings near `at` that match `query`, as chat cards, nearest first.
fn cards(
    app: &Services,
    at: (f64, f64),
    query: Query,
    limit: usize,
) -> Result<Vec<FacilityInfo>, ServiceError> {
    Ok(app
        .finder
        .find(&Search::nearest(at, query, limit))?
        .iter()
        .map(|hit| facility_info(&hit.facility, Some(at)))
        .collect())
}

/// Facilities near `at`, optionally of one kind (an unknown kind filters nothing).
pub(super) fn nearby(
    app: &Services,
    at: (f64, f64),
    kind: Option<&str>,
    limit: usize,
) -> Result<Vec<FacilityInfo>, ServiceError> {
    let query = Query {
        kind: kind.and_then(parse_kind),
        ..Default::default()
    };
    cards(app, at, query, limit)
}

/// Blood banks near `at` with `group` in stock.
pub(super) fn blood(
    app: &Services,
    at: (f64, f64),
    group: &str,
    limit: usize,
) -> Result<Vec<FacilityInfo>, ServiceError> {
    let query = Query {
        kind: Some(FacilityKind::BloodBank),
        blood_group: Some(group.to_owned()),
        ..Default::default()
    };
    cards(app, at, query, limit)
}

/// The services of the facility with this id, or the first whose name contains `name`.
pub(super) fn services(app: &Services, name: &str) -> Result<Option<ServicesInfo>, ServiceError> {
    let wanted = name.trim().to_lowercase();
    let facility = match app.listings.get(name.trim()) {
        Ok(f) => Some(f),
        Err(_) => {
            // The first listing whose name contains the text, streaming: a node may hold a
            // million listings.
            let mut found = None;
            app.listings.visit(|f| {
                if f.name.to_lowercase().contains(&wanted) {
                    found = Some(f);
                    std::ops::ControlFlow::Break(())
                } else {
                    std::ops::ControlFlow::Continue(())
                }
            })?;
            found
        }
    };
    Ok(facility.map(|f| ServicesInfo {
        facility: f.name.clone(),
        services: f
            .services
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    format!("{:.2}", s.price_minor as f64 / 100.0),
                    s.currency.clone(),
                )
            })
            .collect(),
    }))
}

/// A typed place, from the gazetteer.
pub(super) fn place(app: &Services, text: &str) -> Option<Place> {
    app.places.find(text).map(|p| Place {
        name: p.name.clone(),
        lat: p.lat,
        lon: p.lon,
    })
}

/// One listing, for a map message; retracted listings are not shown.
pub(super) fn facility(app: &Services, id: &str) -> Option<FacilityInfo> {
    let f = app.listings.get(id.trim()).ok()?;
    (!f.retracted).then(|| facility_info(&f, None))
}

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
pub(super) fn create_facility(
    app: &Services,
    member: &Member,
    draft: FacilityDraft,
) -> Result<FacilityInfo, ServiceError> {
    let kind = parse_kind(&draft.kind)
        .ok_or_else(|| ServiceError::invalid("kind", format!("`{}` is not a kind", draft.kind)))?;
    let (lat_e7, lon_e7) = crate::marketplace::coords_e7(draft.lat, draft.lon)?;
    let fields = FacilityFields {
        contact: draft.contact,
        ..FacilityFields::new(kind, draft.name, lat_e7, lon_e7)
    };
    let f = app
        .listings
        .create(member, |meta| fields.into_facility(meta))?;
    Ok(facility_info(&f, None))
}

/// `/facility ID FIELD VALUE`: one change to one of this node's listings.
pub(super) fn update_facility(
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
                f.blood_stock.insert(group, units);
            }
            FacilityChange::Retract => f.retracted = true,
        }
        f
    })?;
    Ok(facility_info(&f, None))
}
