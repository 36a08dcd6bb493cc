//! Marketplace objects as the chat engine shows them.

use caremesh_bots::port::{FacilityInfo, ProposalInfo, RequestInfo};
use caremesh_bots::subscribers::haversine_km;
use caremesh_federation::object::{Facility, Request, from_e7};

use crate::marketplace::ProposalState;

const DAY_MS: i64 = 86_400_000;

/// A status as a lowercase word.
pub fn word<T: std::fmt::Debug>(status: T) -> String {
    format!("{status:?}").to_lowercase()
}

/// A request, with its distance from `from`.
pub fn request_info(r: &Request, from: Option<(f64, f64)>) -> RequestInfo {
    let at = (from_e7(r.lat_e7), from_e7(r.lon_e7));
    RequestInfo {
        id: r.meta.id.clone(),
        origin: r.meta.origin.clone(),
        product: r.product.clone(),
        quantity: r.quantity,
        accepted: r.accepted,
        received: r.received,
        status: word(r.status),
        facility_name: r.facility_name.clone(),
        location: at,
        distance_km: from.map(|f| haversine_km(f, at)),
    }
}

/// A proposal in its state; `request` gives the product and the distance to the maker.
pub fn proposal_info(
    state: &ProposalState,
    request: Option<&Request>,
    now_ms: i64,
) -> ProposalInfo {
    let p = &state.proposal;
    let maker_at = p
        .lat_e7
        .zip(p.lon_e7)
        .map(|(a, b)| (from_e7(a), from_e7(b)));
    let distance_km = match (maker_at, request) {
        (Some(m), Some(r)) => Some(haversine_km(m, (from_e7(r.lat_e7), from_e7(r.lon_e7)))),
        _ => None,
    };
    ProposalInfo {
        id: p.meta.id.clone(),
        request_id: p.request_id.clone(),
        product: request.map(|r| r.product.clone()).unwrap_or_default(),
        maker: p.maker.clone(),
        material: serde_json::to_value(p.material)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| word(p.material)),
        quantity: p.quantity,
        accepted: state.accepted_quantity(),
        status: word(state.status()),
        eta_days: p
            .eta
            .map(|eta| ((eta - now_ms).max(0) + DAY_MS - 1) / DAY_MS),
        distance_km,
        contact: state.contact.as_ref().map(|c| {
            [c.contact.as_str(), c.address.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        }),
    }
}

/// A facility, with its distance from `from`.
/// An address on one line: the parts that are there, comma-separated.
fn address_line(a: &caremesh_federation::object::Address) -> String {
    [&a.street, &a.city, &a.state, &a.zip]
        .into_iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn facility_info(f: &Facility, from: Option<(f64, f64)>) -> FacilityInfo {
    let at = (from_e7(f.lat_e7), from_e7(f.lon_e7));
    FacilityInfo {
        id: f.meta.id.clone(),
        name: f.name.clone(),
        kind: serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| word(f.kind)),
        contact: f.contact.clone(),
        distance_km: from.map(|p| haversine_km(p, at)),
        lat: at.0,
        lon: at.1,
        address: address_line(&f.address),
    }
}
