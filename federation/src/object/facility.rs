//! Facility listings: hospitals, clinics, pharmacies, blood banks, maker hubs. Public: every
//! node relays them, and any node's directory can find them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Audience, Material, Meta, ObjectKind, check_coords, check_text, field, is_slug};
use crate::error::SchemaError;

/// What a facility is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    Hospital,
    Clinic,
    NursingHome,
    Lab,
    Pharmacy,
    BloodBank,
    MakerHub,
}

/// Who runs a facility.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    Government,
    Private,
    Public,
    PublicPrivate,
    Charity,
}

/// A postal address; every part optional (empty string).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub country: String,
}

/// A priced service, in minor units of its currency (paise, cents).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    pub price_minor: i64,
    /// ISO 4217 code, e.g. `INR`.
    pub currency: String,
}

/// A printer at a maker hub.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Printer {
    pub model: String,
    /// Build volume x, y, z in millimetres.
    pub build_volume_mm: [u32; 3],
    /// Nozzle diameter in micrometres (0.4 mm = 400).
    pub nozzle_um: u32,
    pub materials: Vec<Material>,
}

/// A facility listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facility {
    pub meta: Meta,
    pub kind: FacilityKind,
    pub name: String,
    pub ownership: Option<Ownership>,
    pub address: Address,
    /// Latitude in degrees × 10⁷.
    pub lat_e7: i32,
    /// Longitude in degrees × 10⁷.
    pub lon_e7: i32,
    pub contact: String,
    pub specialties: Vec<String>,
    pub services: Vec<Service>,
    pub hours: String,
    /// Blood group (`O-`, `AB+`…) → units in stock.
    pub blood_stock: BTreeMap<String, u32>,
    pub printers: Vec<Printer>,
    /// A retracted listing stays as a tombstone so older versions cannot resurrect it.
    pub retracted: bool,
}

impl Facility {
    /// A listing with only the required fields set: no address, contact, specialties,
    /// services, hours, blood stock or printers.
    pub fn new(meta: Meta, kind: FacilityKind, name: String, lat_e7: i32, lon_e7: i32) -> Self {
        Facility {
            meta,
            kind,
            name,
            ownership: None,
            address: Address::default(),
            lat_e7,
            lon_e7,
            contact: String::new(),
            specialties: Vec::new(),
            services: Vec::new(),
            hours: String::new(),
            blood_stock: BTreeMap::new(),
            printers: Vec::new(),
            retracted: false,
        }
    }
}

public_kind!(Facility, parent(_) => None, validate(f) => {
    if f.name.trim().is_empty() {
        return Err(field("name", "is empty"));
    }
    check_text("name", &f.name)?;
    check_text("contact", &f.contact)?;
    check_text("hours", &f.hours)?;
    check_text("address.street", &f.address.street)?;
    check_text("address.city", &f.address.city)?;
    check_text("address.state", &f.address.state)?;
    check_text("address.zip", &f.address.zip)?;
    check_text("address.country", &f.address.country)?;
    check_coords(f.lat_e7, f.lon_e7)?;
    if f.specialties.len() > 64 || !f.specialties.iter().all(|s| is_slug(s)) {
        return Err(field("specialties", "must be at most 64 slugs"));
    }
    if f.services.len() > 256 {
        return Err(field("services", "has more than 256 entries"));
    }
    for service in &f.services {
        check_text("services.name", &service.name)?;
        check_text("services.currency", &service.currency)?;
    }
    if f.printers.len() > 64 {
        return Err(field("printers", "has more than 64 entries"));
    }
    for printer in &f.printers {
        check_text("printers.model", &printer.model)?;
    }
    Ok(())
});
