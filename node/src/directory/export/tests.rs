use std::collections::BTreeMap;

use caremesh_federation::object::{Address, Meta, Service};

use super::*;
use crate::directory::import::{ImportedFacility, parse_geojson};

fn facility(id_ref: &str, kind: FacilityKind, specialties: &[&str]) -> Facility {
    let mut fields = Facility::new(
        Meta::default(),
        kind,
        format!("Facility {id_ref}"),
        286_139_000,
        772_090_000,
    );
    fields.specialties = specialties.iter().map(|s| (*s).to_owned()).collect();
    fields.ownership = Some(Ownership::Government);
    fields.address = Address {
        street: "1 Ring Road".into(),
        city: "Delhi".into(),
        state: "Delhi".into(),
        zip: "110001".into(),
        country: "IN".into(),
    };
    fields.contact = "+91 11 2345 6789".into();
    fields.hours = "Mo-Fr 09:00-17:00; Sa 09:00-13:00".into();
    fields.services = vec![Service {
        name: "ECG".into(),
        price_minor: 20_050,
        currency: "INR".into(),
    }];
    fields.blood_stock = BTreeMap::new();
    let imported = ImportedFacility {
        source_ref: id_ref.to_owned(),
        facility: fields,
    };
    let meta = Meta {
        id: import_id(id_ref),
        origin: "https://node.example".into(),
        version: 1,
        created_at: 1,
        updated_at: 1,
    };
    imported.into_facility(meta)
}

fn sample() -> Vec<Facility> {
    let mut retracted = facility("gone", FacilityKind::Clinic, &[]);
    retracted.retracted = true;
    vec![
        facility(
            "h1",
            FacilityKind::Hospital,
            &["emergency_medicine", "pediatrics", "oxygen_supply"],
        ),
        facility("b1", FacilityKind::BloodBank, &[]),
        retracted,
    ]
}

#[test]
fn geojson_export_reads_back_through_the_importer() {
    let facilities = sample();
    let doc = to_geojson(&facilities);
    assert_eq!(
        doc["features"].as_array().map(Vec::len),
        Some(2),
        "retracted left out"
    );
    let h = &doc["features"][0]["properties"];
    assert_eq!(h["amenity"], "hospital");
    assert_eq!(
        h["healthcare:speciality"],
        "emergency;paediatrics;oxygen_supply"
    );
    assert_eq!(h["emergency"], "yes");
    assert_eq!(doc["features"][0]["geometry"]["coordinates"][1], 28.6139);
    let bytes = doc.to_string().into_bytes();
    let back = match parse_geojson(bytes.as_slice()) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    for (original, again) in facilities.iter().zip(&back.facilities) {
        assert_eq!(again.source_ref, original.meta.id);
        let f = &again.facility;
        assert_eq!(
            (f.kind, &f.name, f.lat_e7, f.lon_e7),
            (
                original.kind,
                &original.name,
                original.lat_e7,
                original.lon_e7
            )
        );
        assert_eq!(f.specialties, original.specialties);
        assert_eq!(
            (&f.address, &f.contact, &f.hours),
            (&original.address, &original.contact, &original.hours)
        );
        assert_eq!(f.ownership, original.ownership);
    }
}

#[test]
fn fhir_bundle_has_locations_and_services() {
    let bundle = to_fhir_bundle(&sample());
    assert_eq!(
        (bundle["resourceType"].as_str(), bundle["type"].as_str()),
        (Some("Bundle"), Some("collection"))
    );
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    // Hospital: location + 3 specialties + 1 service; blood bank: location + 1 service.
    assert_eq!(entries.len(), 7);
    let location = &entries[0]["resource"];
    assert_eq!(location["resourceType"], "Location");
    assert_eq!(location["name"], "Facility h1");
    assert_eq!(location["position"]["latitude"], 28.6139);
    assert_eq!(location["address"]["postalCode"], "110001");
    assert_eq!(location["telecom"][0]["system"], "phone");
    assert_eq!(location["type"][0]["coding"][0]["code"], "HOSP");
    let location_url = entries[0]["fullUrl"].as_str().unwrap_or_default();
    assert!(
        location_url.starts_with("urn:uuid:") && location_url.len() == 45,
        "{location_url}"
    );
    let service = &entries[1]["resource"];
    assert_eq!(service["resourceType"], "HealthcareService");
    assert_eq!(service["location"][0]["reference"], location_url);
    assert_eq!(
        service["specialty"][0]["coding"][0]["code"],
        "emergency_medicine"
    );
    assert!(service.get("providedBy").is_none());
    assert_eq!(
        service["availableTime"][0]["daysOfWeek"],
        json!(["mon", "tue", "wed", "thu", "fri"])
    );
    assert_eq!(service["availableTime"][1]["availableEndTime"], "13:00:00");
    let priced = &entries[4]["resource"];
    assert_eq!(
        (priced["name"].as_str(), priced["extraDetails"].as_str()),
        (Some("ECG"), Some("Price: 200.50 INR"))
    );
}

#[test]
fn fhir_hours_fall_back_to_a_comment() {
    assert_eq!(available_time("24/7").map(|t| t.len()), Some(1));
    assert!(available_time("Mo-Fr 09:00-13:00,14:00-18:00").is_some_and(|t| t.len() == 2));
    assert!(available_time("sunrise-sunset").is_none());
    assert!(available_time("Mo-Fr 25:00-26:00").is_none());
    let mut f = facility("x", FacilityKind::Clinic, &["dentistry"]);
    f.hours = "by appointment".into();
    let bundle = to_fhir_bundle(&[f]);
    let service = &bundle["entry"][1]["resource"];
    assert!(service.get("availableTime").is_none());
    assert_eq!(service["comment"], "Opening hours: by appointment");
}
