//! Exports of facility listings: GeoJSON with OpenStreetMap-style tags (readable back by
//! [`super::import::parse_geojson`]) and a FHIR R4 `Bundle` of `Location` and
//! `HealthcareService` resources. Retracted listings are left out of both.

use caremesh_federation::object::{Facility, FacilityKind, Ownership, from_e7};
use serde_json::{Map, Value, json};

use super::import::{import_id, osm_specialty};

/// The code system used for our specialty slugs in FHIR codings.
pub const SPECIALTY_SYSTEM: &str = "urn:caremesh:specialty";

/// A GeoJSON FeatureCollection of Points. Properties carry our field names (`id`, `kind`,
/// `specialties`, `services`, …) and the OSM tags a map tool expects (`amenity`,
/// `healthcare`, `healthcare:speciality`, `addr:*`, `phone`, `opening_hours`, `emergency`).
pub fn to_geojson(facilities: &[Facility]) -> Value {
    let features: Vec<Value> = facilities
        .iter()
        .filter(|f| !f.retracted)
        .map(geojson_feature)
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// One listing as a GeoJSON Feature (see [`to_geojson`]).
pub fn geojson_feature(f: &Facility) -> Value {
    json!({
        "type": "Feature",
        "id": f.meta.id,
        "geometry": { "type": "Point", "coordinates": [from_e7(f.lon_e7), from_e7(f.lat_e7)] },
        "properties": Value::Object(geojson_properties(f)),
    })
}

fn geojson_properties(f: &Facility) -> Map<String, Value> {
    let mut p = Map::new();
    let mut put = |key: &str, value: Value| {
        let empty = value.as_str().is_some_and(str::is_empty) || value.is_null();
        if !empty {
            p.insert(key.to_owned(), value);
        }
    };
    put("id", json!(f.meta.id));
    put("origin", json!(f.meta.origin));
    put("version", json!(f.meta.version));
    put("kind", json!(f.kind));
    put("name", json!(f.name));
    put("ownership", json!(f.ownership));
    put("specialties", json!(f.specialties));
    put("services", json!(f.services));
    put("hours", json!(f.hours));
    put("contact", json!(f.contact));
    if !f.blood_stock.is_empty() {
        put("blood_stock", json!(f.blood_stock));
    }
    for (key, value) in osm_kind_tags(f.kind) {
        put(key, json!(value));
    }
    let osm: Vec<&str> = f.specialties.iter().map(|s| to_osm_specialty(s)).collect();
    put("healthcare:speciality", json!(osm.join(";")));
    if f.specialties.iter().any(|s| s == "emergency_medicine") {
        put("emergency", json!("yes"));
    }
    put("opening_hours", json!(f.hours));
    put("phone", json!(f.contact));
    put("operator:type", json!(f.ownership.map(osm_operator_type)));
    put("addr:street", json!(f.address.street));
    put("addr:city", json!(f.address.city));
    put("addr:state", json!(f.address.state));
    put("addr:postcode", json!(f.address.zip));
    put("addr:country", json!(f.address.country));
    p
}

/// The OSM tags that say what a facility is.
fn osm_kind_tags(kind: FacilityKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        FacilityKind::Hospital => &[("amenity", "hospital"), ("healthcare", "hospital")],
        FacilityKind::Clinic => &[("amenity", "clinic"), ("healthcare", "clinic")],
        FacilityKind::NursingHome => &[
            ("amenity", "social_facility"),
            ("social_facility", "nursing_home"),
            ("healthcare", "nursing_home"),
        ],
        FacilityKind::Lab => &[("healthcare", "laboratory")],
        FacilityKind::Pharmacy => &[("amenity", "pharmacy"), ("healthcare", "pharmacy")],
        FacilityKind::BloodBank => &[("healthcare", "blood_donation")],
        FacilityKind::MakerHub => &[("leisure", "hackerspace")],
    }
}

/// The usual OSM value for one of our slugs; our slug when OSM has no such value.
fn to_osm_specialty(slug: &str) -> &str {
    let osm = match slug {
        "general_medicine" => "general",
        "emergency_medicine" => "emergency",
        "pediatrics" => "paediatrics",
        "obstetrics_gynecology" => "gynaecology",
        "orthopedics" => "orthopaedics",
        "general_surgery" => "surgery",
        "ent" => "otolaryngology",
        "infectious_disease" => "infectious_diseases",
        "anesthesiology" => "anaesthetics",
        "trauma_care" => "trauma",
        _ => slug,
    };
    // Only emit values the importer reads back to the same slug.
    if osm_specialty(osm) == Some(slug) {
        osm
    } else {
        slug
    }
}

fn osm_operator_type(ownership: Ownership) -> &'static str {
    match ownership {
        Ownership::Government => "government",
        Ownership::Private => "private",
        Ownership::Public => "public",
        Ownership::PublicPrivate => "public_private",
        Ownership::Charity => "charitable",
    }
}

/// A FHIR R4 `Bundle` of type `collection`: per facility a `Location`, and one
/// `HealthcareService` per specialty and per priced service, each pointing at its
/// `Location` by `urn:uuid` full URL.
pub fn to_fhir_bundle(facilities: &[Facility]) -> Value {
    let entries: Vec<Value> = facilities
        .iter()
        .filter(|f| !f.retracted)
        .flat_map(fhir_entries)
        .collect();
    json!({ "resourceType": "Bundle", "type": "collection", "entry": entries })
}

/// The Bundle entries of one listing: its `Location`, then one `HealthcareService` per
/// specialty and per priced service (see [`to_fhir_bundle`]).
pub fn fhir_entries(f: &Facility) -> Vec<Value> {
    let location_url = urn(&f.meta.id);
    let mut entries = vec![json!({ "fullUrl": location_url, "resource": fhir_location(f) })];
    for slug in &f.specialties {
        let id = import_id(&format!("{}/specialty/{slug}", f.meta.id));
        let (label, _) = crate::specialties::labels(slug);
        let mut service = fhir_service(f, &id, &location_url, label);
        service["specialty"] = json!([{
            "coding": [{ "system": SPECIALTY_SYSTEM, "code": slug, "display": label }],
            "text": label,
        }]);
        entries.push(json!({ "fullUrl": urn(&id), "resource": service }));
    }
    for (i, s) in f.services.iter().enumerate() {
        let id = import_id(&format!("{}/service/{i}/{}", f.meta.id, s.name));
        let mut service = fhir_service(f, &id, &location_url, &s.name);
        let price = format!("{}.{:02}", s.price_minor / 100, (s.price_minor % 100).abs());
        service["extraDetails"] = json!(format!("Price: {price} {}", s.currency));
        entries.push(json!({ "fullUrl": urn(&id), "resource": service }));
    }
    entries
}

fn fhir_location(f: &Facility) -> Value {
    let mut location = json!({
        "resourceType": "Location",
        "id": f.meta.id,
        "identifier": [{ "system": f.meta.origin, "value": f.meta.id }],
        "status": "active",
        "mode": "instance",
        "name": f.name,
        "type": [fhir_location_type(f.kind)],
        "position": { "latitude": from_e7(f.lat_e7), "longitude": from_e7(f.lon_e7) },
    });
    let a = &f.address;
    let mut address = Map::new();
    if !a.street.is_empty() {
        address.insert("line".into(), json!([a.street]));
    }
    for (key, value) in [
        ("city", &a.city),
        ("state", &a.state),
        ("postalCode", &a.zip),
        ("country", &a.country),
    ] {
        if !value.is_empty() {
            address.insert(key.into(), json!(value));
        }
    }
    if !address.is_empty() {
        location["address"] = Value::Object(address);
    }
    if !f.contact.is_empty() {
        let phone_like = f
            .contact
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()/".contains(c));
        let system = if phone_like { "phone" } else { "other" };
        location["telecom"] = json!([{ "system": system, "value": f.contact }]);
    }
    location
}

/// The HL7 v3 ServiceDeliveryLocationRoleType code where one fits, and our kind as text.
fn fhir_location_type(kind: FacilityKind) -> Value {
    let code = match kind {
        FacilityKind::Hospital => Some(("HOSP", "Hospital")),
        FacilityKind::Pharmacy => Some(("PHARM", "Pharmacy")),
        FacilityKind::NursingHome => Some(("NCCF", "Nursing or custodial care facility")),
        FacilityKind::Clinic
        | FacilityKind::Lab
        | FacilityKind::BloodBank
        | FacilityKind::MakerHub => None,
    };
    let text = json!(kind).as_str().map(str::to_owned).unwrap_or_default();
    match code {
        Some((code, display)) => json!({
            "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                "code": code,
                "display": display,
            }],
            "text": text,
        }),
        None => json!({ "text": text }),
    }
}

/// A `HealthcareService` at a facility's location; `availableTime` when the hours are in a
/// simple OSM form, otherwise the hours as a comment (our hours are free text).
fn fhir_service(f: &Facility, id: &str, location_url: &str, name: &str) -> Value {
    let mut service = json!({
        "resourceType": "HealthcareService",
        "id": id,
        "active": true,
        "location": [{ "reference": location_url, "display": f.name }],
        "name": name,
    });
    let hours = f.hours.trim();
    match available_time(hours) {
        Some(times) => service["availableTime"] = Value::Array(times),
        None if !hours.is_empty() => {
            service["comment"] = json!(format!("Opening hours: {hours}"));
        }
        None => {}
    }
    service
}

const DAYS: [(&str, &str); 7] = [
    ("mo", "mon"),
    ("tu", "tue"),
    ("we", "wed"),
    ("th", "thu"),
    ("fr", "fri"),
    ("sa", "sat"),
    ("su", "sun"),
];

/// FHIR `availableTime` for simple OSM `opening_hours`: `24/7`, or rules such as
/// `Mo-Fr 09:00-17:00; Sa 09:00-13:00` (day lists and ranges, one or more time ranges).
/// `None` for anything else.
fn available_time(hours: &str) -> Option<Vec<Value>> {
    if hours.is_empty() {
        return None;
    }
    if hours == "24/7" {
        let all: Vec<&str> = DAYS.iter().map(|(_, d)| *d).collect();
        return Some(vec![json!({ "daysOfWeek": all, "allDay": true })]);
    }
    let mut out = Vec::new();
    for rule in hours.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (days, times) = match rule.split_once(' ') {
            Some((days, times)) => (osm_days(days)?, times.trim()),
            None => (DAYS.iter().map(|(_, d)| *d).collect(), rule),
        };
        for range in times.split(',') {
            let (start, end) = range.trim().split_once('-')?;
            out.push(json!({
                "daysOfWeek": days,
                "availableStartTime": fhir_time(start)?,
                "availableEndTime": fhir_time(end)?,
            }));
        }
    }
    Some(out)
}

/// `Mo-Fr`, `Mo,We,Fr`, `Sa` → FHIR day codes.
fn osm_days(text: &str) -> Option<Vec<&'static str>> {
    let index = |d: &str| DAYS.iter().position(|(osm, _)| d.eq_ignore_ascii_case(osm));
    let mut out = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (index(from)?, index(to)?);
                (from..=to).for_each(|i| out.push(DAYS[i].1));
            }
            None => out.push(DAYS[index(part)?].1),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// `09:30` → `09:30:00`.
fn fhir_time(text: &str) -> Option<String> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}:00"))
}

/// `urn:uuid:` form of a ULID (both are 128 bits), or of any other id's hash.
fn urn(id: &str) -> String {
    let value = ulid::Ulid::from_string(id)
        .map(u128::from)
        .unwrap_or_else(|_| {
            ulid::Ulid::from_string(&import_id(id))
                .map(u128::from)
                .unwrap_or(0)
        });
    let hex = format!("{value:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests;
