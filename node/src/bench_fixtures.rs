//! Fixed inputs for benchmarks and examples.

use caremesh_federation::Meta;
use caremesh_federation::object::{Address, Facility, FacilityKind, Ownership};

use crate::marketplace::NewRequest;

/// A hospital in Pune.
pub fn facility(meta: Meta) -> Facility {
    Facility {
        meta,
        kind: FacilityKind::Hospital,
        name: "Sassoon General Hospital (bench)".into(),
        ownership: Some(Ownership::Government),
        address: Address {
            city: "Pune".into(),
            state: "Maharashtra".into(),
            country: "IN".into(),
            ..Default::default()
        },
        lat_e7: 185_204_000,
        lon_e7: 738_567_000,
        contact: "+91 20 2612 8000".into(),
        specialties: vec!["emergency_medicine".into()],
        services: Vec::new(),
        hours: "24/7".into(),
        blood_stock: Default::default(),
        printers: Vec::new(),
        retracted: false,
    }
}

/// 200 face shields for that hospital.
pub fn request(facility_id: &str) -> NewRequest {
    NewRequest {
        facility_id: Some(facility_id.to_owned()),
        product: Some("face-shield".into()),
        quantity: Some(200),
        needed_by: None,
        note: "bench".into(),
    }
}
