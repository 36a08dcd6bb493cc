//! The directory questions of the chat port, answered from the node's search index.

use caremesh_bots::port::{FacilityInfo, ServicesInfo};
use caremesh_federation::object::FacilityKind;

use super::views::facility_info;
use crate::app::App;
use crate::directory::search::{Found, Query};
use crate::error::ServiceError;

/// Directory hits as chat cards, nearest first.
fn cards(app: &App, at: (f64, f64), hits: Vec<Found>) -> Vec<FacilityInfo> {
    hits.iter()
        .filter_map(|hit| app.listings.get(&hit.id).ok())
        .map(|f| facility_info(&f, Some(at)))
        .collect()
}

/// Facilities near `at`, optionally of one kind (an unknown kind filters nothing).
pub(super) fn nearby(
    app: &App,
    at: (f64, f64),
    kind: Option<&str>,
    limit: usize,
) -> Vec<FacilityInfo> {
    let kind = kind.and_then(|k| serde_json::from_value(serde_json::json!(k)).ok());
    let query = Query {
        kind,
        ..Default::default()
    };
    cards(
        app,
        at,
        app.directory.nearest(at.0, at.1, limit, &query, None),
    )
}

/// Blood banks near `at` with `group` in stock.
pub(super) fn blood(app: &App, at: (f64, f64), group: &str, limit: usize) -> Vec<FacilityInfo> {
    let query = Query {
        kind: Some(FacilityKind::BloodBank),
        blood_group: Some(group.to_owned()),
        ..Default::default()
    };
    cards(
        app,
        at,
        app.directory.nearest(at.0, at.1, limit, &query, None),
    )
}

/// The services of the facility with this id, or the first whose name contains `name`.
pub(super) fn services(app: &App, name: &str) -> Result<Option<ServicesInfo>, ServiceError> {
    let wanted = name.trim().to_lowercase();
    let facility = match app.listings.get(name.trim()) {
        Ok(f) => Some(f),
        Err(_) => app
            .listings
            .list()?
            .into_iter()
            .find(|f| f.name.to_lowercase().contains(&wanted)),
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
