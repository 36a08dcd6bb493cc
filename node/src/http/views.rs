//! JSON shapes of the local API's answers, built from wire objects. Coordinates are degrees,
//! prices decimal, times RFC 3339. Each shape is also its OpenAPI schema.

use std::collections::BTreeMap;

use caremesh_federation::object::{
    Address, Facility, FacilityKind, Material, Ownership, ProposalStatus, Request, RequestStatus,
    from_e7,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::openapi::schemas;
use super::time;
use crate::directory::finder::Hit;
use crate::directory::geo_index::haversine_km;
use crate::marketplace::ProposalState;

/// Fields every object view carries.
#[derive(Serialize, ToSchema)]
pub struct MetaView {
    /// ULID.
    pub id: String,
    /// The public URL of the node that owns the object.
    pub origin: String,
    /// Grows with each update.
    pub version: u64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl MetaView {
    fn of(meta: &caremesh_federation::Meta) -> Self {
        Self {
            id: meta.id.clone(),
            origin: meta.origin.clone(),
            version: meta.version,
            created_at: time::format(meta.created_at),
            updated_at: time::format(meta.updated_at),
        }
    }
}

/// A priced service (decimal price).
#[derive(Serialize, Deserialize, Clone, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceView {
    pub name: String,
    #[schema(minimum = 0)]
    pub price: f64,
    /// ISO 4217 code, e.g. `INR`.
    #[serde(default)]
    pub currency: String,
}

/// A 3D printer of a maker hub (nozzle in mm).
#[derive(Serialize, Deserialize, Clone, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrinterView {
    pub model: String,
    #[serde(default)]
    #[schema(schema_with = schemas::build_volume)]
    pub build_volume_mm: [u32; 3],
    /// Millimetres; kept within 0 to 10.
    #[serde(default)]
    pub nozzle_mm: f64,
    #[serde(default)]
    pub materials: Vec<Material>,
}

/// A facility listing.
#[derive(Serialize, ToSchema)]
pub struct FacilityView {
    #[serde(flatten)]
    pub meta: MetaView,
    pub kind: FacilityKind,
    pub name: String,
    pub ownership: Option<Ownership>,
    pub address: Address,
    pub lat: f64,
    pub lon: f64,
    pub contact: String,
    pub specialties: Vec<String>,
    pub services: Vec<ServiceView>,
    pub hours: String,
    #[schema(schema_with = schemas::blood_stock)]
    pub blood_stock: BTreeMap<String, u32>,
    pub printers: Vec<PrinterView>,
    pub retracted: bool,
    /// From the search point, when the search had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub distance_km: Option<f64>,
}

/// Rounds a distance for display (10 m).
pub fn round_km(km: f64) -> f64 {
    (km * 100.0).round() / 100.0
}

impl FacilityView {
    /// The view of a listing, with the distance from `from` if given.
    pub fn of(f: &Facility, from: Option<(f64, f64)>) -> Self {
        let (lat, lon) = (from_e7(f.lat_e7), from_e7(f.lon_e7));
        Self {
            meta: MetaView::of(&f.meta),
            kind: f.kind,
            name: f.name.clone(),
            ownership: f.ownership,
            address: f.address.clone(),
            lat,
            lon,
            contact: f.contact.clone(),
            specialties: f.specialties.clone(),
            services: f
                .services
                .iter()
                .map(|s| ServiceView {
                    name: s.name.clone(),
                    price: s.price_minor as f64 / 100.0,
                    currency: s.currency.clone(),
                })
                .collect(),
            hours: f.hours.clone(),
            blood_stock: f.blood_stock.clone(),
            printers: f
                .printers
                .iter()
                .map(|p| PrinterView {
                    model: p.model.clone(),
                    build_volume_mm: p.build_volume_mm,
                    nozzle_mm: f64::from(p.nozzle_um) / 1000.0,
                    materials: p.materials.clone(),
                })
                .collect(),
            retracted: f.retracted,
            distance_km: from.map(|(a, b)| round_km(haversine_km(a, b, lat, lon))),
        }
    }

    /// The view of a search hit, with its distance.
    pub fn of_hit(hit: &Hit) -> Self {
        let mut view = Self::of(&hit.facility, None);
        view.distance_km = hit.distance_km.map(round_km);
        view
    }
}

/// Facility listings, nearest first when searched from a point.
#[derive(Serialize, ToSchema)]
pub struct FacilityList {
    pub facilities: Vec<FacilityView>,
}

/// A supply request (a need).
#[derive(Serialize, ToSchema)]
pub struct RequestView {
    #[serde(flatten)]
    pub meta: MetaView,
    pub facility_id: String,
    pub facility_name: String,
    pub lat: f64,
    pub lon: f64,
    /// Catalog slug.
    pub product: String,
    pub quantity: u32,
    #[schema(format = DateTime)]
    pub needed_by: Option<String>,
    pub note: String,
    pub status: RequestStatus,
    /// Sum of accepted proposals.
    pub accepted: u32,
    pub received: u32,
    /// `quantity − accepted`, never below zero.
    pub remaining: u32,
    /// From the search point, when the search had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub distance_km: Option<f64>,
}

impl RequestView {
    /// The view of a request, with the distance from `from` if given.
    pub fn of(r: &Request, from: Option<(f64, f64)>) -> Self {
        let (lat, lon) = (from_e7(r.lat_e7), from_e7(r.lon_e7));
        Self {
            meta: MetaView::of(&r.meta),
            facility_id: r.facility_id.clone(),
            facility_name: r.facility_name.clone(),
            lat,
            lon,
            product: r.product.clone(),
            quantity: r.quantity,
            needed_by: r.needed_by.map(time::format),
            note: r.note.clone(),
            status: r.status,
            accepted: r.accepted,
            received: r.received,
            remaining: r.quantity.saturating_sub(r.accepted),
            distance_km: from.map(|(a, b)| round_km(haversine_km(a, b, lat, lon))),
        }
    }
}

/// Supply requests, nearest first from a point, else newest first.
#[derive(Serialize, ToSchema)]
pub struct RequestList {
    pub requests: Vec<RequestView>,
}

/// A maker's proposal. `contact` and `address` appear only on the requester's node.
#[derive(Serialize, ToSchema)]
pub struct ProposalView {
    #[serde(flatten)]
    pub meta: MetaView,
    pub request_id: String,
    /// The node that owns the request.
    pub request_origin: String,
    pub maker: String,
    pub material: Material,
    pub quantity: u32,
    #[schema(format = DateTime)]
    pub eta: Option<String>,
    pub status: ProposalStatus,
    pub accepted_quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub address: Option<String>,
    /// From the maker to the request, when both are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub distance_km: Option<f64>,
}

impl ProposalView {
    /// The view of a proposal; `to` is the request's location for the maker's distance.
    pub fn of(state: &ProposalState, to: Option<(i32, i32)>) -> Self {
        let p = &state.proposal;
        let distance_km = match (p.lat_e7, p.lon_e7, to) {
            (Some(a), Some(b), Some((c, d))) => Some(round_km(haversine_km(
                from_e7(a),
                from_e7(b),
                from_e7(c),
                from_e7(d),
            ))),
            _ => None,
        };
        Self {
            meta: MetaView::of(&p.meta),
            request_id: p.request_id.clone(),
            request_origin: p.request_origin.clone(),
            maker: p.maker.clone(),
            material: p.material,
            quantity: p.quantity,
            eta: p.eta.map(time::format),
            status: state.status(),
            accepted_quantity: state.accepted_quantity(),
            contact: state.contact.as_ref().map(|c| c.contact.clone()),
            address: state.contact.as_ref().map(|c| c.address.clone()),
            distance_km,
        }
    }
}

/// Proposals.
#[derive(Serialize, ToSchema)]
pub struct ProposalList {
    pub proposals: Vec<ProposalView>,
}
