use caremesh_federation::object::{Facility, FacilityKind, Ownership};

use super::*;

const OSM_SAMPLE: &str = include_str!("../../../../tests/fixtures/osm_sample.geojson");

fn sample() -> GeoJsonImport {
    match parse_geojson(OSM_SAMPLE.as_bytes()) {
        Ok(import) => import,
        Err(e) => panic!("sample refused: {e}"),
    }
}

fn by_ref<'a>(import: &'a GeoJsonImport, source_ref: &str) -> &'a Facility {
    match import
        .facilities
        .iter()
        .find(|f| f.source_ref == source_ref)
    {
        Some(f) => &f.facility,
        None => panic!("{source_ref} not imported; errors: {:?}", import.errors),
    }
}

#[test]
fn import_geojson_maps_osm_tags() {
    let import = sample();
    assert_eq!(import.facilities.len(), 9, "{:?}", import.errors);
    let civil = by_ref(&import, "node/2501234567");
    assert_eq!(civil.kind, FacilityKind::Hospital);
    assert_eq!(civil.name, "Civil Hospital");
    assert_eq!(
        civil.specialties,
        [
            "general_medicine",
            "pediatrics",
            "ophthalmology",
            "emergency_medicine"
        ]
    );
    assert_eq!(civil.address.street, "12 Mall Road");
    assert_eq!(
        (civil.address.city.as_str(), civil.address.zip.as_str()),
        ("Ludhiana", "141001")
    );
    assert_eq!(civil.contact, "+91 161 244 4193");
    assert_eq!(civil.hours, "24/7");
    assert_eq!(civil.ownership, Some(Ownership::Government));
    assert_eq!((civil.lat_e7, civil.lon_e7), (309_010_000, 758_573_000));
}

#[test]
fn import_geojson_kinds_and_implied_specialties() {
    let import = sample();
    assert_eq!(
        by_ref(&import, "node/3300000001").kind,
        FacilityKind::Pharmacy
    );
    let dentist = by_ref(&import, "node/3300000002");
    assert_eq!(
        (dentist.kind, dentist.specialties.as_slice()),
        (FacilityKind::Clinic, &["dentistry".to_owned()][..])
    );
    assert_eq!(dentist.address.zip, "110017");
    assert_eq!(by_ref(&import, "node/3300000003").kind, FacilityKind::Lab);
    let blood = by_ref(&import, "node/3300000004");
    assert_eq!(
        (blood.kind, blood.ownership),
        (FacilityKind::BloodBank, Some(Ownership::Charity))
    );
    let skin = by_ref(&import, "node/3300000005");
    assert_eq!(
        (skin.kind, skin.specialties.as_slice()),
        (FacilityKind::Clinic, &["dermatology".to_owned()][..])
    );
    assert_eq!(
        by_ref(&import, "node/3300000009").name,
        "Mohalla Clinic Kalkaji"
    );
}

#[test]
fn import_geojson_polygons_use_the_ring_average() {
    let import = sample();
    let clinic = by_ref(&import, "way/412345678");
    assert_eq!((clinic.lat_e7, clinic.lon_e7), (129_715_000, 775_945_000));
    assert_eq!(clinic.specialties, ["obstetrics_gynecology"]);
    let tata = by_ref(&import, "relation/1234567");
    assert_eq!((tata.lat_e7, tata.lon_e7), (190_050_000, 728_450_000));
    assert_eq!(tata.specialties, ["cardiology", "oncology"]);
}

#[test]
fn import_geojson_counts_unknown_specialties() {
    let import = sample();
    assert_eq!(import.unknown_specialties.get("cosmetic"), Some(&1));
    assert_eq!(import.unknown_specialties.get("homeopathy"), Some(&1));
    assert_eq!(import.unknown_specialties.len(), 2);
}

#[test]
fn import_geojson_refuses_bad_features() {
    let import = sample();
    let got: Vec<(usize, &str, Option<&str>)> = import
        .errors
        .iter()
        .map(|e| (e.row, e.field, e.source_ref.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (10, "kind", Some("node/3300000006")),
            (11, "geometry", Some("node/3300000007")),
            (12, "name", Some("node/3300000008")),
            (13, "id", Some("node/2501234567")),
            (14, "lat", Some("node/3300000010")),
        ]
    );
}

#[test]
fn import_geojson_twice_gives_identical_facilities_and_ids() {
    let (a, b) = (sample(), sample());
    assert_eq!(a, b);
    let ids: Vec<String> = a.facilities.iter().map(ImportedFacility::id).collect();
    assert_eq!(
        ids,
        b.facilities
            .iter()
            .map(ImportedFacility::id)
            .collect::<Vec<_>>()
    );
}

#[test]
fn import_geojson_refuses_documents_that_are_not_feature_collections() {
    let bad_json = parse_geojson("{ nope".as_bytes());
    assert!(
        matches!(bad_json, Err(ImportError::Json { .. })),
        "{bad_json:?}"
    );
    let point = parse_geojson(r#"{"type":"Point","coordinates":[1,2]}"#.as_bytes());
    assert!(
        matches!(point, Err(ImportError::NotFeatureCollection { .. })),
        "{point:?}"
    );
    let empty = parse_geojson(r#"{"type":"FeatureCollection","features":[]}"#.as_bytes());
    assert!(matches!(empty, Ok(GeoJsonImport { ref facilities, .. }) if facilities.is_empty()));
}

#[test]
fn import_geojson_odd_geometries_are_row_errors() {
    let doc = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"amenity":"clinic","name":"A"},
         "geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}},
        {"type":"Feature","properties":{"amenity":"clinic","name":"B"},
         "geometry":{"type":"Point","coordinates":["x","y"]}},
        {"type":"Feature","properties":{"amenity":"clinic","name":"C"},
         "geometry":{"type":"Polygon","coordinates":[]}},
        {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[1,2]}},
        {"type":"Feature","properties":{"amenity":"clinic","name":"D"},
         "geometry":{"type":"Point","coordinates":[77.1,28.1]}}
    ]}"#;
    let import = match parse_geojson(doc.as_bytes()) {
        Ok(i) => i,
        Err(e) => panic!("{e}"),
    };
    let fields: Vec<&str> = import.errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["geometry", "geometry", "geometry", "properties"]);
    assert_eq!(import.facilities.len(), 1);
    assert!(import.facilities[0].source_ref.starts_with("sha256:"));
}
