//! Marketplace objects and listings as the chat engine shows them.

use caremesh_bots::port::{FacilityInfo, ProposalInfo, RequestInfo};
use caremesh_federation::object::{Address, Facility, Request, from_e7};

use crate::directory::geo_index::haversine_km;
use crate::marketplace::ProposalState;

const DAY_MS: i64 = 86_400_000;

/// Kilometres between two points in degrees.
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    haversine_km(a.0, a.1, b.0, b.1)
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
        status: r.status,
        facility_name: r.facility_name.clone(),
        location: at,
        distance_km: from.map(|f| km(f, at)),
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
        (Some(m), Some(r)) => Some(km(m, (from_e7(r.lat_e7), from_e7(r.lon_e7)))),
        _ => None,
    };
    ProposalInfo {
        id: p.meta.id.clone(),
        request_id: p.request_id.clone(),
        product: request.map(|r| r.product.clone()).unwrap_or_default(),
        maker: p.maker.clone(),
        material: p.material,
        quantity: p.quantity,
        accepted: state.accepted_quantity(),
        status: state.status(),
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

/// An address on one line: the parts that are there, comma-separated.
fn address_line(a: &Address) -> String {
    [&a.street, &a.city, &a.state, &a.zip]
        .into_iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A facility, with its distance from `from`.
pub fn facility_info(f: &Facility, from: Option<(f64, f64)>) -> FacilityInfo {
    let at = (from_e7(f.lat_e7), from_e7(f.lon_e7));
    FacilityInfo {
        id: f.meta.id.clone(),
        name: f.name.clone(),
        kind: f.kind,
        contact: f.contact.clone(),
        distance_km: from.map(|p| km(p, at)),
        lat: at.0,
        lon: at.1,
        address: address_line(&f.address),
    }
}
