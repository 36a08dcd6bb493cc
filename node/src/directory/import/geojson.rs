//! GeoJSON FeatureCollections with OpenStreetMap health tags, as exported by Overpass turbo,
//! osmtogeojson or osmium (tags directly in `properties`, or under `properties.tags`).
//!
//! Tags read: `healthcare`, `amenity` (and `social_facility`, `leisure=hackerspace`) for the
//! kind; `healthcare:speciality` (`;`-separated) and `emergency=yes` for specialties; `name`
//! (or `name:en`), `addr:*`, `phone`/`contact:phone`, `opening_hours`, `operator:type` (or
//! `ownership`). Points are used as they are; Polygons and MultiPolygons by the average of
//! their outer rings' vertices.

use std::collections::BTreeMap;
use std::io::Read;

use caremesh_federation::object::{Facility, FacilityKind, Meta};
use serde_json::{Map, Value};

use super::{
    ImportError, ImportedFacility, RowCheck, RowError, SeenRefs, content_ref, parse_kind,
    parse_ownership,
};
use crate::specialties::{SLUGS, is_specialty};

/// The outcome of one GeoJSON import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GeoJsonImport {
    /// Accepted features, in file order.
    pub facilities: Vec<ImportedFacility>,
    /// Refused features, in file order.
    pub errors: Vec<RowError>,
    /// `healthcare:speciality` values with no equivalent in our vocabulary → how often seen.
    pub unknown_specialties: BTreeMap<String, usize>,
}

/// OSM `healthcare:speciality` values → our vocabulary. Our own slugs are accepted as well.
const OSM_SPECIALTIES: &[(&str, &str)] = &[
    ("general", "general_medicine"),
    ("internal", "general_medicine"),
    ("family_medicine", "general_medicine"),
    ("emergency", "emergency_medicine"),
    ("cardiac_surgery", "cardiology"),
    ("pneumology", "pulmonology"),
    ("paediatrics", "pediatrics"),
    ("paediatric_surgery", "pediatrics"),
    ("gynaecology", "obstetrics_gynecology"),
    ("gynecology", "obstetrics_gynecology"),
    ("obstetrics", "obstetrics_gynecology"),
    ("orthopaedics", "orthopedics"),
    ("traumatology", "trauma_care"),
    ("trauma", "trauma_care"),
    ("surgery", "general_surgery"),
    ("otolaryngology", "ent"),
    ("dermatovenereology", "dermatology"),
    ("infectious_diseases", "infectious_disease"),
    ("hepatology", "gastroenterology"),
    ("radiotherapy", "oncology"),
    ("diabetology", "endocrinology"),
    ("dental", "dentistry"),
    ("orthodontics", "dentistry"),
    ("stomatology", "dentistry"),
    ("dental_oral_maxillo_facial_surgery", "dentistry"),
    ("diagnostic_radiology", "radiology"),
    ("clinical_pathology", "pathology"),
    ("biology", "pathology"),
    ("anaesthetics", "anesthesiology"),
    ("anaesthesiology", "anesthesiology"),
    ("physiatry", "physiotherapy"),
    ("geriatry", "geriatrics"),
    ("prosthetics", "prosthetics_orthotics"),
    ("orthotics", "prosthetics_orthotics"),
];

/// Our specialty slug for an OSM `healthcare:speciality` value (or one of our own slugs).
pub fn osm_specialty(value: &str) -> Option<&'static str> {
    let value = value.trim().to_ascii_lowercase();
    if let Some(slug) = SLUGS.iter().find(|s| **s == value) {
        return Some(slug);
    }
    OSM_SPECIALTIES
        .iter()
        .find(|(osm, _)| *osm == value)
        .map(|(_, slug)| *slug)
}

/// Reads a GeoJSON FeatureCollection into memory (see [`visit_geojson`] for big files).
/// Fails only if the input cannot be read or is not a FeatureCollection; bad features
/// become errors.
pub fn parse_geojson<R: Read>(reader: R) -> Result<GeoJsonImport, ImportError> {
    let mut out = GeoJsonImport::default();
    out.unknown_specialties = visit_geojson(reader, |row| match row {
        Ok(f) => out.facilities.push(f),
        Err(e) => out.errors.push(e),
    })?;
    Ok(out)
}

/// Reads a GeoJSON FeatureCollection one feature at a time, calling `on_row` with each
/// parsed facility or refused feature in file order. Returns the `healthcare:speciality`
/// values that have no equivalent in our vocabulary, with how often each was seen.
pub fn visit_geojson<R: Read>(
    reader: R,
    mut on_row: impl FnMut(Result<ImportedFacility, RowError>),
) -> Result<BTreeMap<String, usize>, ImportError> {
    let mut unknown = BTreeMap::new();
    let mut seen = SeenRefs::default();
    stream::for_each_feature(reader, &mut |feature, number| {
        on_row(parse_feature(feature, number, &mut seen, &mut unknown));
    })?;
    Ok(unknown)
}

/// The tags of a feature: `properties.tags` if it is an object, else `properties`.
fn tags(feature: &Value) -> Option<&Map<String, Value>> {
    let props = feature.get("properties")?.as_object()?;
    Some(
        props
            .get("tags")
            .and_then(Value::as_object)
            .unwrap_or(props),
    )
}

/// A tag's text; numbers (a numeric `addr:postcode`) become text too.
fn tag(tags: &Map<String, Value>, key: &str) -> String {
    match tags.get(key) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The first non-empty tag among `keys`.
fn first_tag(tags: &Map<String, Value>, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| tag(tags, k))
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

/// The OSM id: `@id`, the feature's `id`, or `type`/`id` from osmtogeojson properties.
fn osm_ref(feature: &Value) -> Option<String> {
    let props = feature.get("properties").and_then(Value::as_object);
    let text = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(id) = props.and_then(|p| p.get("@id")).and_then(text) {
        return Some(id);
    }
    let typed = |id: String, ty: Option<&Value>| match ty.and_then(Value::as_str) {
        Some(t @ ("node" | "way" | "relation")) if !id.contains('/') => format!("{t}/{id}"),
        _ => id,
    };
    if let Some(id) = feature.get("id").and_then(text) {
        return Some(typed(
            id,
            props.and_then(|p| p.get("@type").or_else(|| p.get("type"))),
        ));
    }
    let id = props.and_then(|p| p.get("id")).and_then(text)?;
    Some(typed(id, props.and_then(|p| p.get("type"))))
}

fn parse_feature(
    feature: &Value,
    row: usize,
    seen: &mut SeenRefs,
    unknown: &mut BTreeMap<String, usize>,
) -> Result<ImportedFacility, RowError> {
    let id = osm_ref(feature);
    let check = RowCheck {
        row,
        source_ref: id.as_deref(),
    };
    let Some(tags) = tags(feature) else {
        return Err(check.error("properties", "is missing or not an object"));
    };
    let (lat, lon) = centroid(feature.get("geometry")).map_err(|p| check.error("geometry", p))?;
    let name = first_tag(tags, &["name", "name:en"]);
    let source_ref = id
        .clone()
        .unwrap_or_else(|| content_ref(&[&name, &lat.to_string(), &lon.to_string()]));
    let check = RowCheck {
        row,
        source_ref: Some(&source_ref),
    };
    if !seen.insert(&source_ref) {
        return Err(check.error("id", "duplicates the id of an earlier feature"));
    }
    let kind = osm_kind(tags).ok_or_else(|| {
        let found = format!(
            "amenity={:?}, healthcare={:?}",
            tag(tags, "amenity"),
            tag(tags, "healthcare")
        );
        check.error(
            "kind",
            format!("no supported health facility tag ({found})"),
        )
    })?;
    let name = check.name(&name)?;
    let (lat_e7, lon_e7) = check.coords(lat, lon)?;
    let mut f = Facility::new(Meta::default(), kind, name, lat_e7, lon_e7);
    fill_details(&check, tags, &mut f)?;
    f.specialties = specialties(tags, unknown);
    Ok(ImportedFacility {
        source_ref,
        facility: f,
    })
}

/// Address, contact, hours and ownership.
fn fill_details(
    check: &RowCheck<'_>,
    tags: &Map<String, Value>,
    f: &mut Facility,
) -> Result<(), RowError> {
    let street = [tag(tags, "addr:housenumber"), tag(tags, "addr:street")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let street = if street.is_empty() {
        tag(tags, "addr:full")
    } else {
        street
    };
    f.address.street = check.text("addr:street", &street)?;
    f.address.city = check.text(
        "addr:city",
        &first_tag(tags, &["addr:city", "addr:district"]),
    )?;
    f.address.state = check.text(
        "addr:state",
        &first_tag(tags, &["addr:state", "addr:province"]),
    )?;
    f.address.zip = check.text("addr:postcode", &tag(tags, "addr:postcode"))?;
    f.address.country = check.text("addr:country", &tag(tags, "addr:country"))?;
    let phone = first_tag(
        tags,
        &["phone", "contact:phone", "contact:mobile", "mobile"],
    );
    f.contact = check.text("phone", &phone)?;
    f.hours = check.text("opening_hours", &tag(tags, "opening_hours"))?;
    f.ownership = parse_ownership(&first_tag(tags, &["operator:type", "ownership"]));
    Ok(())
}

/// Our kind from the health tags; `healthcare` wins over `amenity`.
fn osm_kind(tags: &Map<String, Value>) -> Option<FacilityKind> {
    let healthcare = match tag(tags, "healthcare").as_str() {
        "hospital" => Some(FacilityKind::Hospital),
        "clinic"
        | "doctor"
        | "dentist"
        | "centre"
        | "physiotherapist"
        | "optometrist"
        | "audiologist"
        | "psychotherapist"
        | "podiatrist"
        | "speech_therapist"
        | "occupational_therapist"
        | "midwife"
        | "birthing_centre"
        | "birthing_center"
        | "rehabilitation"
        | "dialysis"
        | "vaccination_centre"
        | "counselling" => Some(FacilityKind::Clinic),
        "laboratory" | "sample_collection" => Some(FacilityKind::Lab),
        "blood_donation" | "blood_bank" => Some(FacilityKind::BloodBank),
        "pharmacy" => Some(FacilityKind::Pharmacy),
        "nursing_home" | "hospice" => Some(FacilityKind::NursingHome),
        _ => None,
    };
    let amenity = || match tag(tags, "amenity").as_str() {
        "hospital" => Some(FacilityKind::Hospital),
        "clinic" | "doctors" | "dentist" => Some(FacilityKind::Clinic),
        "pharmacy" => Some(FacilityKind::Pharmacy),
        "nursing_home" => Some(FacilityKind::NursingHome),
        "makerspace" => Some(FacilityKind::MakerHub),
        _ => None,
    };
    let other = || {
        if tag(tags, "social_facility") == "nursing_home" {
            Some(FacilityKind::NursingHome)
        } else if tag(tags, "leisure") == "hackerspace" {
            Some(FacilityKind::MakerHub)
        } else {
            parse_kind(&tag(tags, "kind"))
        }
    };
    healthcare.or_else(amenity).or_else(other)
}

/// Specialties from `healthcare:speciality`, the kind of practice, and `emergency=yes`.
fn specialties(tags: &Map<String, Value>, unknown: &mut BTreeMap<String, usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |slug: &str| {
        if !out.iter().any(|s| s == slug) {
            out.push(slug.to_owned());
        }
    };
    let listed = first_tag(tags, &["healthcare:speciality", "healthcare:specialty"]);
    for value in listed.split(';').map(str::trim).filter(|v| !v.is_empty()) {
        match osm_specialty(value) {
            Some(slug) => add(slug),
            None => *unknown.entry(value.to_ascii_lowercase()).or_default() += 1,
        }
    }
    let practice = match (
        tag(tags, "healthcare").as_str(),
        tag(tags, "amenity").as_str(),
    ) {
        ("dentist", _) | (_, "dentist") => Some("dentistry"),
        ("dialysis", _) => Some("dialysis"),
        ("physiotherapist", _) => Some("physiotherapy"),
        ("optometrist", _) => Some("ophthalmology"),
        _ => None,
    };
    practice.into_iter().for_each(&mut add);
    if tag(tags, "emergency") == "yes" {
        add("emergency_medicine");
    }
    out.retain(|s| is_specialty(s));
    out
}

/// (lat, lon) of a Point, or the vertex average of a (Multi)Polygon's outer rings.
fn centroid(geometry: Option<&Value>) -> Result<(f64, f64), String> {
    let Some(geometry) = geometry.filter(|g| !g.is_null()) else {
        return Err("is missing: a facility needs coordinates".to_owned());
    };
    let coords = geometry.get("coordinates").unwrap_or(&Value::Null);
    let points: Vec<(f64, f64)> = match geometry.get("type").and_then(Value::as_str) {
        Some("Point") => vec![position(coords)?],
        Some("Polygon") => outer_ring(coords)?,
        Some("MultiPolygon") => {
            let polygons = coords
                .as_array()
                .ok_or("MultiPolygon coordinates are not a list")?;
            let mut all = Vec::new();
            for polygon in polygons {
                all.extend(outer_ring(polygon)?);
            }
            all
        }
        other => {
            return Err(format!(
                "type {other:?} is not Point, Polygon or MultiPolygon"
            ));
        }
    };
    if points.is_empty() {
        return Err("has no coordinates".to_owned());
    }
    let n = points.len() as f64;
    let (lon, lat) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), (px, py)| (x + px, y + py));
    Ok((lat / n, lon / n))
}

/// A GeoJSON position `[lon, lat, …]`.
fn position(value: &Value) -> Result<(f64, f64), String> {
    match value.as_array().map(Vec::as_slice) {
        Some([lon, lat, ..]) => match (lon.as_f64(), lat.as_f64()) {
            (Some(lon), Some(lat)) => Ok((lon, lat)),
            _ => Err(format!("position {value} is not numeric")),
        },
        _ => Err(format!("position {value} is not [lon, lat]")),
    }
}

/// The vertices of a polygon's outer ring, without the closing repeat of the first one.
fn outer_ring(polygon: &Value) -> Result<Vec<(f64, f64)>, String> {
    let ring = polygon
        .as_array()
        .and_then(|rings| rings.first())
        .and_then(Value::as_array)
        .ok_or("polygon has no outer ring")?;
    let mut points = ring.iter().map(position).collect::<Result<Vec<_>, _>>()?;
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    Ok(points)
}

mod stream;

#[cfg(test)]
mod tests;
