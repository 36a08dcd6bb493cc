//! The body of `POST /api/v1/facilities` and `PUT /api/v1/facilities/{id}`.

use std::collections::BTreeMap;

use caremesh_federation::object::{
    Address, Facility, FacilityKind, MAX_TEXT, Meta, Ownership, Printer, Service,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::openapi::schemas;
use crate::http::views::{PrinterView, ServiceView};

/// An address: every part optional.
#[derive(Deserialize, Default, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AddressInput {
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    /// ISO 3166 code, e.g. `IN`.
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

/// A listing as the API takes it: `kind`, `name`, `lat` and `lon` are required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityInput {
    #[schema(required = true, nullable = false)]
    pub kind: Option<FacilityKind>,
    /// Not blank; at most 2000 bytes.
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 2000,
        pattern = r"\S"
    )]
    pub name: Option<String>,
    #[schema(required = true, nullable = false, minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(required = true, nullable = false, minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
    pub ownership: Option<Ownership>,
    #[serde(default)]
    pub address: AddressInput,
    /// A phone number or other contact line; at most 2000 bytes.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub contact: String,
    #[serde(default)]
    #[schema(schema_with = schemas::specialties)]
    pub specialties: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 256)]
    pub services: Vec<ServiceView>,
    /// Opening hours, e.g. `Mo-Fr 09:00-17:00` or `24/7`; at most 2000 bytes.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub hours: String,
    #[serde(default)]
    #[schema(schema_with = schemas::blood_stock)]
    pub blood_stock: BTreeMap<String, u32>,
    #[serde(default)]
    #[schema(max_items = 64)]
    pub printers: Vec<PrinterView>,
}

// The schema above states the protocol's text limit as a number.
const _: () = assert!(MAX_TEXT == 2000);

fn required<T>(value: Option<T>, field: &'static str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::field(field, format!("`{field}` is required")))
}

impl FacilityInput {
    /// Checks the required fields and turns the input into a listing with the given meta;
    /// the listing's own rules are checked when it is published.
    pub fn into_facility(self, meta: Meta) -> Result<Facility, ApiError> {
        let kind = required(self.kind, "kind")?;
        let name = required(self.name.filter(|n| !n.trim().is_empty()), "name")?;
        let lat = required(self.lat, "lat")?;
        let lon = required(self.lon, "lon")?;
        let (lat_e7, lon_e7) = crate::marketplace::coords_e7(lat, lon)?;
        let mut services = Vec::with_capacity(self.services.len());
        for s in self.services {
            if !(s.price >= 0.0 && s.price.is_finite()) {
                return Err(ApiError::field(
                    "services",
                    "`services` each price must be a number ≥ 0",
                ));
            }
            services.push(Service {
                name: s.name,
                price_minor: (s.price * 100.0).round() as i64,
                currency: s.currency,
            });
        }
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
