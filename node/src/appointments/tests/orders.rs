//! Medicine orders between a patient's node and a pharmacy's node.

use base64::Engine;
use caremesh_federation::object::{FacilityKind, OrderItem, OrderStatus, OrderStep};

use super::*;
use crate::appointments::orders::PrescriptionInput;
use crate::appointments::orders::counter::{QuoteInput, QuoteLine};

/// A pharmacy on F with its pharmacist, and its id.
fn pharmacy(w: &World) -> (Member, String) {
    let admin = w.f.member("admin2", Role::Admin, None);
    let facility =
        w.f.listings
            .create(&admin, |meta| caremesh_federation::object::Facility {
                kind: FacilityKind::Pharmacy,
                name: "Jan Aushadhi Kendra".into(),
                ..crate::fixtures::facility(meta)
            })
            .unwrap();
    let pharmacist = w.f.member("chemist", Role::Staff, Some(&facility.meta.id));
    assert!(w.f.deliver(&w.a).is_empty());
    (pharmacist, facility.meta.id)
}

fn order(facility_id: &str, prescription: Option<PrescriptionInput>) -> NewOrder {
    NewOrder {
        facility_id: Some(facility_id.into()),
        items: vec![
            OrderItem {
                name: "Metformin 500 mg".into(),
                quantity: 60,
            },
            OrderItem {
                name: "Amlodipine 5 mg".into(),
                quantity: 30,
            },
        ],
        note: Some("morning pickup".into()),
        prescription,
        ..Default::default()
    }
}

#[test]
fn an_order_is_quoted_confirmed_readied_and_collected() {
    let w = world(1);
    let (pharmacist, pharmacy_id) = pharmacy(&w);
    let p = w.a.patient("asha", &hid(1));
    let scan = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4 rx");
    let rx = PrescriptionInput {
        content_type: "application/pdf".into(),
        data: scan,
    };
    let sent =
        w.a.app
            .create_order(&p, &order(&pharmacy_id, Some(rx)))
            .unwrap();
    assert_eq!((sent.status, sent.prescription), ("requested", true));
    w.exchange();
    // The pharmacist sees it, with the prescription, and quotes.
    let (seen, file) =
        w.f.app
            .counter_order(&pharmacist, &sent.id)
            .unwrap()
            .unwrap();
    assert_eq!(seen.items.len(), 2);
    assert_eq!(file.unwrap().1, b"%PDF-1.4 rx");
    let quote = QuoteInput {
        items: vec![
            QuoteLine {
                available: 60,
                unit_price: 1.5,
            },
            QuoteLine {
                available: 20,
                unit_price: 3.0,
            },
        ],
        currency: None,
        pickup_at: Some("2026-11-30T18:00:00+05:30".into()),
        message: Some("only 20 of the amlodipine".into()),
    };
    w.f.app.quote_order(&pharmacist, &sent.id, &quote).unwrap();
    w.exchange();
    let quoted = w.a.app.my_order(&p, &sent.id).unwrap();
    assert_eq!(
        (quoted.status, quoted.total_minor),
        ("quoted", 60 * 150 + 20 * 300)
    );
    // Ready before the patient confirmed: refused.
    assert!(
        w.f.app
            .advance_order(&pharmacist, &sent.id, OrderStatus::Ready, None)
            .is_err()
    );
    w.a.app
        .order_step(&p, &sent.id, OrderStep::Confirm)
        .unwrap();
    w.exchange();
    assert_eq!(w.a.app.my_order(&p, &sent.id).unwrap().status, "confirmed");
    w.f.app
        .advance_order(&pharmacist, &sent.id, OrderStatus::Ready, None)
        .unwrap();
    w.f.app
        .advance_order(&pharmacist, &sent.id, OrderStatus::Collected, None)
        .unwrap();
    w.exchange();
    assert_eq!(w.a.app.my_order(&p, &sent.id).unwrap().status, "collected");
    // The prescription travelled once: the later versions carry none.
    let orders = super::orders_of(&w.f);
    assert_eq!(orders[0].meta.version, 2);
}

#[test]
fn bad_orders_are_refused_and_nothing_is_sent() {
    let w = world(1);
    let (_, pharmacy_id) = pharmacy(&w);
    let p = w.a.patient("asha", &hid(1));
    let field = |new: NewOrder| match w.a.app.create_order(&p, &new) {
        Err(ServiceError::Invalid { field, .. }) => field,
        other => panic!("{:?}", other.map(|o| o.id)),
    };
    assert_eq!(
        field(NewOrder {
            items: vec![],
            ..order(&pharmacy_id, None)
        }),
        "items"
    );
    // The clinic is not a pharmacy.
    assert_eq!(field(order(&w.facility_id, None)), "facility_id");
    let fake_pdf = PrescriptionInput {
        content_type: "application/pdf".into(),
        data: base64::engine::general_purpose::STANDARD.encode(b"not a pdf"),
    };
    assert_eq!(
        field(order(&pharmacy_id, Some(fake_pdf))),
        "prescription.data"
    );
    let exe = PrescriptionInput {
        content_type: "application/x-msdownload".into(),
        data: "TVo=".into(),
    };
    assert_eq!(
        field(order(&pharmacy_id, Some(exe))),
        "prescription.content_type"
    );
    assert!(super::orders_of(&w.a).is_empty());
}

#[test]
fn the_patient_may_cancel_until_collected() {
    let w = world(1);
    let (pharmacist, pharmacy_id) = pharmacy(&w);
    let p = w.a.patient("asha", &hid(1));
    let sent =
        w.a.app
            .create_order(&p, &order(&pharmacy_id, None))
            .unwrap();
    w.exchange();
    w.a.app.order_step(&p, &sent.id, OrderStep::Cancel).unwrap();
    w.exchange();
    assert_eq!(w.a.app.my_order(&p, &sent.id).unwrap().status, "cancelled");
    let staff_view = w.f.app.pharmacy_orders(&pharmacist, &pharmacy_id).unwrap();
    assert_eq!(staff_view[0].status, "cancelled");
    assert!(w.a.app.order_step(&p, &sent.id, OrderStep::Cancel).is_err());
}
