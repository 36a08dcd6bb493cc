//! JSON shapes of the local API, built from wire objects. Coordinates are degrees, prices
//! decimal, times RFC 3339.

use std::collections::BTreeMap;

use caremesh_federation::object::{
    Address, Facility, FacilityKind, Material, Ownership, Printer, ProposalStatus, Request,
    RequestStatus, Service, from_e7, to_e7,
};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::time;
use crate::directory::finder::Hit;
use crate::directory::geo_index::haversine_km;
use crate::marketplace::ProposalState;

/// Fields every object view carries.
#[derive(Serialize)]
pub struct MetaView {
    pub id: String,
    pub origin: String,
    pub version: u64,
    pub created_at: String,
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

/// A priced service in the API (decimal price).
#[derive(Serialize, Deserialize, Clone)]
pub struct ServiceView {
    pub name: String,
    pub price: f64,
    #[serde(default)]
    pub currency: String,
}

/// A printer in the API (nozzle in mm).
#[derive(Serialize, Deserialize, Clone)]
pub struct PrinterView {
    pub model: String,
    #[serde(default)]
    pub build_volume_mm: [u32; 3],
    #[serde(default)]
    pub nozzle_mm: f64,
    #[serde(default)]
    pub materials: Vec<Material>,
}

/// A facility in the API.
#[derive(Serialize)]
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
    pub blood_stock: BTreeMap<String, u32>,
    pub printers: Vec<PrinterView>,
    pub retracted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

impl FacilityView {
    /// The view of a search hit, with its distance.
    pub fn of_hit(hit: &Hit) -> Self {
        let mut view = Self::of(&hit.facility, None);
        view.distance_km = hit.distance_km.map(round_km);
        view
    }
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
}

/// An address in a facility's input: every part optional.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AddressInput {
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
}

impl From<AddressInput> for Address {
    fn from(a: AddressInput) -> Self {
        Address {
            street: a.street,
            city: a.city,
            state: a.state,
            zip: a.zip,
            country: a.country,
        }
    }
}

/// The body of `POST /api/v1/facilities` (and of updates).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityInput {
    pub kind: Option<FacilityKind>,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub ownership: Option<Ownership>,
    #[serde(default)]
    pub address: AddressInput,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub specialties: Vec<String>,
    #[serde(default)]
    pub services: Vec<ServiceView>,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub blood_stock: BTreeMap<String, u32>,
    #[serde(default)]
    pub printers: Vec<PrinterView>,
}

impl FacilityInput {
    /// Checks the input and turns it into a listing with the given meta.
    pub fn into_facility(self, meta: caremesh_federation::Meta) -> Result<Facility, ApiError> {
        let kind = self
            .kind
            .ok_or_else(|| ApiError::field("kind", "`kind` is required"))?;
        let name = self
            .name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| ApiError::field("name", "`name` is required"))?;
        let lat = self
            .lat
            .ok_or_else(|| ApiError::field("lat", "`lat` is required"))?;
        let lon = self
            .lon
            .ok_or_else(|| ApiError::field("lon", "`lon` is required"))?;
        let (lat_e7, lon_e7) = crate::marketplace::coords_e7(lat, lon)?;
        // Prices in hundredths; the listing's rules (vocabulary, prices ≥ 0) are checked by
        // `Listings` for every writer alike.
        let services = self
            .services
            .into_iter()
            .map(|s| Service {
                name: s.name,
                price_minor: (s.price * 100.0).round() as i64,
                currency: s.currency,
            })
            .collect();
        let printers = self
            .printers
            .into_iter()
            .map(|p| Printer {
                model: p.model,
                build_volume_mm: p.build_volume_mm,
                nozzle_um: (p.nozzle_mm.clamp(0.0, 10.0) * 1000.0).round() as u32,
                materials: p.materials,
            })
            .collect();
        Ok(Facility {
            meta,
            kind,
            name,
            ownership: self.ownership,
            address: self.address.into(),
            lat_e7,
            lon_e7,
            contact: self.contact,
            specialties: self.specialties,
            services,
            hours: self.hours,
            blood_stock: self.blood_stock,
            printers,
            retracted: false,
        })
    }
}

/// A request in the API.
#[derive(Serialize)]
pub struct RequestView {
    #[serde(flatten)]
    pub meta: MetaView,
    pub facility_id: String,
    pub facility_name: String,
    pub lat: f64,
    pub lon: f64,
    pub product: String,
    pub quantity: u32,
    pub needed_by: Option<String>,
    pub note: String,
    pub status: RequestStatus,
    pub accepted: u32,
    pub received: u32,
    pub remaining: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// A proposal in the API. `contact` and `address` appear only on the requester's node.
#[derive(Serialize)]
pub struct ProposalView {
    #[serde(flatten)]
    pub meta: MetaView,
    pub request_id: String,
    pub request_origin: String,
    pub maker: String,
    pub material: Material,
    pub quantity: u32,
    pub eta: Option<String>,
    pub status: ProposalStatus,
    pub accepted_quantity: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// Degrees to fixed point for callers that already checked ranges.
pub fn point_e7(lat: f64, lon: f64) -> (i32, i32) {
    (to_e7(lat), to_e7(lon))
}
