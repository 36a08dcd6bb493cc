//! The wire objects of protocol v1: facilities, supply requests, maker proposals and
//! decisions. Every field that is signed is an integer, a string, a bool, a list or a
//! `BTreeMap`: no floats (coordinates are fixed-point) and no hash maps, so the same value
//! always encodes to the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::SchemaError;

/// Coordinates travel as degrees × 10⁷ (about 1 cm), like OpenStreetMap.
pub const COORD_SCALE: f64 = 1e7;

/// Longest text field accepted in any object.
pub const MAX_TEXT: usize = 2_000;
/// Largest quantity a request or proposal may carry.
pub const MAX_QUANTITY: u32 = 10_000_000;

/// The kind of an object, signed as part of the envelope's domain-separation prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A facility listing (public).
    Facility,
    /// A supply request (public).
    Request,
    /// A maker's proposal, directed to the request's origin.
    Proposal,
    /// A requester's decision on a proposal, directed to the proposal's origin.
    Decision,
}

impl Kind {
    /// The name used on the wire and in the signing prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Facility => "facility",
            Kind::Request => "request",
            Kind::Proposal => "proposal",
            Kind::Decision => "decision",
        }
    }

    /// Public objects are relayed to every peer; directed ones only toward their addressee.
    pub fn is_public(self) -> bool {
        matches!(self, Kind::Facility | Kind::Request)
    }
}

/// The fields every object carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// A ULID, unique across the federation.
    pub id: String,
    /// The public URL of the node that owns the object; only it may publish new versions.
    pub origin: String,
    /// Grows by at least one with every update.
    pub version: u64,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds.
    pub updated_at: i64,
}

/// What a facility is.
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

/// A printing material a maker offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Material {
    #[serde(rename = "PLA")]
    Pla,
    #[serde(rename = "PETG")]
    Petg,
    #[serde(rename = "ABS")]
    Abs,
    #[serde(rename = "ASA")]
    Asa,
    #[serde(rename = "TPU")]
    Tpu,
    #[serde(rename = "nylon")]
    Nylon,
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

/// Lifecycle of a supply request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Satisfied,
    Expired,
    Cancelled,
}

/// A need posted by a facility: a product and a quantity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub meta: Meta,
    pub facility_id: String,
    /// Copied from the facility so that any node can filter by distance.
    pub facility_name: String,
    pub lat_e7: i32,
    pub lon_e7: i32,
    /// A catalog slug such as `face-shield`.
    pub product: String,
    pub quantity: u32,
    /// Unix milliseconds.
    pub needed_by: Option<i64>,
    pub note: String,
    pub status: RequestStatus,
    /// Sum of accepted proposals; never above `quantity`.
    pub accepted: u32,
    pub received: u32,
}

/// Lifecycle of a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Pending,
    Accepted,
    Deferred,
    Declined,
    Withdrawn,
    Shipped,
    Received,
    Lapsed,
}

/// A maker's offer for a request, owned by the maker's node and sent only to the request's
/// origin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub meta: Meta,
    pub request_id: String,
    pub request_origin: String,
    /// The maker's handle on their node.
    pub maker: String,
    pub material: Material,
    pub quantity: u32,
    /// Unix milliseconds.
    pub eta: Option<i64>,
    pub status: ProposalStatus,
    /// The maker's contact and address, sealed to the request origin's key (see `seal`), so
    /// nodes that route the proposal cannot read them.
    #[serde(with = "serde_bytes")]
    pub sealed_contact: Vec<u8>,
    /// The maker's location, degrees × 10⁷, for distance shown to the requester.
    pub lat_e7: Option<i32>,
    pub lon_e7: Option<i32>,
}

/// The plaintext inside `Proposal::sealed_contact`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakerContact {
    pub contact: String,
    pub address: String,
}

/// What the requester decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accept,
    Defer,
    Decline,
    /// The goods arrived (`quantity` received).
    Received,
    /// An accepted proposal passed its ETA unshipped; its quantity went back to the request.
    Lapse,
}

/// The requester's decision on one proposal. There is one decision object per proposal;
/// each new verdict is a new version of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub meta: Meta,
    pub proposal_id: String,
    pub proposal_origin: String,
    pub request_id: String,
    pub verdict: Verdict,
    pub quantity: u32,
}

/// Any wire object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Object {
    Facility(Facility),
    Request(Request),
    Proposal(Proposal),
    Decision(Decision),
}

impl Object {
    /// The common fields.
    pub fn meta(&self) -> &Meta {
        match self {
            Object::Facility(o) => &o.meta,
            Object::Request(o) => &o.meta,
            Object::Proposal(o) => &o.meta,
            Object::Decision(o) => &o.meta,
        }
    }

    /// Which kind of object this is.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Facility(_) => Kind::Facility,
            Object::Request(_) => Kind::Request,
            Object::Proposal(_) => Kind::Proposal,
            Object::Decision(_) => Kind::Decision,
        }
    }

    /// The node a directed object is for; `None` for public objects.
    pub fn addressee(&self) -> Option<&str> {
        match self {
            Object::Proposal(p) => Some(&p.request_origin),
            Object::Decision(d) => Some(&d.proposal_origin),
            Object::Facility(_) | Object::Request(_) => None,
        }
    }

    /// Checks the values a peer could get wrong: identifiers, ranges, lengths.
    pub fn validate(&self) -> Result<(), SchemaError> {
        validate_meta(self.meta())?;
        match self {
            Object::Facility(f) => validate_facility(f),
            Object::Request(r) => validate_request(r),
            Object::Proposal(p) => validate_proposal(p),
            Object::Decision(d) => validate_decision(d),
        }
    }
}

fn field(name: &'static str, problem: impl Into<String>) -> SchemaError {
    SchemaError {
        field: name,
        problem: problem.into(),
    }
}

fn check_ulid(name: &'static str, value: &str) -> Result<(), SchemaError> {
    ulid::Ulid::from_string(value)
        .map(|_| ())
        .map_err(|_| field(name, "is not a ULID"))
}

fn check_text(name: &'static str, value: &str) -> Result<(), SchemaError> {
    if value.len() > MAX_TEXT {
        return Err(field(name, format!("is longer than {MAX_TEXT} bytes")));
    }
    Ok(())
}

fn check_url(name: &'static str, value: &str) -> Result<(), SchemaError> {
    let ok = (value.starts_with("http://") || value.starts_with("https://"))
        && value.len() <= 200
        && !value.ends_with('/');
    if ok {
        Ok(())
    } else {
        Err(field(
            name,
            "is not an http(s) URL without a trailing slash",
        ))
    }
}

fn check_coords(lat_e7: i32, lon_e7: i32) -> Result<(), SchemaError> {
    if !(-900_000_000..=900_000_000).contains(&lat_e7) {
        return Err(field("lat_e7", "is outside -90..90 degrees"));
    }
    if !(-1_800_000_000..=1_800_000_000).contains(&lon_e7) {
        return Err(field("lon_e7", "is outside -180..180 degrees"));
    }
    Ok(())
}

fn check_quantity(name: &'static str, q: u32, allow_zero: bool) -> Result<(), SchemaError> {
    if (q == 0 && !allow_zero) || q > MAX_QUANTITY {
        return Err(field(name, format!("must be between 1 and {MAX_QUANTITY}")));
    }
    Ok(())
}

/// A catalog or vocabulary slug: lowercase ASCII letters, digits, `-` and `_`.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn validate_meta(meta: &Meta) -> Result<(), SchemaError> {
    check_ulid("id", &meta.id)?;
    check_url("origin", &meta.origin)?;
    if meta.version == 0 {
        return Err(field("version", "must be at least 1"));
    }
    if meta.updated_at < meta.created_at {
        return Err(field("updated_at", "is before created_at"));
    }
    Ok(())
}

fn validate_facility(f: &Facility) -> Result<(), SchemaError> {
    if f.name.trim().is_empty() {
        return Err(field("name", "is empty"));
    }
    check_text("name", &f.name)?;
    check_text("contact", &f.contact)?;
    check_text("hours", &f.hours)?;
    check_coords(f.lat_e7, f.lon_e7)?;
    if f.specialties.len() > 64 || !f.specialties.iter().all(|s| is_slug(s)) {
        return Err(field("specialties", "must be at most 64 slugs"));
    }
    if f.services.len() > 256 {
        return Err(field("services", "has more than 256 entries"));
    }
    if f.printers.len() > 64 {
        return Err(field("printers", "has more than 64 entries"));
    }
    Ok(())
}

fn validate_request(r: &Request) -> Result<(), SchemaError> {
    check_ulid("facility_id", &r.facility_id)?;
    if !is_slug(&r.product) {
        return Err(field("product", "is not a catalog slug"));
    }
    check_quantity("quantity", r.quantity, false)?;
    check_text("note", &r.note)?;
    check_text("facility_name", &r.facility_name)?;
    check_coords(r.lat_e7, r.lon_e7)?;
    if r.accepted > r.quantity {
        return Err(field("accepted", "is above quantity"));
    }
    Ok(())
}

fn validate_proposal(p: &Proposal) -> Result<(), SchemaError> {
    check_ulid("request_id", &p.request_id)?;
    check_url("request_origin", &p.request_origin)?;
    check_quantity("quantity", p.quantity, false)?;
    if p.maker.is_empty() || p.maker.len() > 64 {
        return Err(field("maker", "must be 1 to 64 bytes"));
    }
    if p.sealed_contact.len() > 4_096 {
        return Err(field("sealed_contact", "is longer than 4096 bytes"));
    }
    if let (Some(lat), Some(lon)) = (p.lat_e7, p.lon_e7) {
        check_coords(lat, lon)?;
    }
    Ok(())
}

fn validate_decision(d: &Decision) -> Result<(), SchemaError> {
    check_ulid("proposal_id", &d.proposal_id)?;
    check_ulid("request_id", &d.request_id)?;
    check_url("proposal_origin", &d.proposal_origin)?;
    check_quantity("quantity", d.quantity, true)
}

/// Degrees to fixed point, rounding to the nearest step.
pub fn to_e7(degrees: f64) -> i32 {
    (degrees * COORD_SCALE).round() as i32
}

/// Fixed point back to degrees.
pub fn from_e7(value: i32) -> f64 {
    f64::from(value) / COORD_SCALE
}
