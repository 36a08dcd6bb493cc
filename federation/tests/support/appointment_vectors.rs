//! Vectors of the appointment and order kinds (docs/protocol.md §10): one value of each kind
//! for the wire snapshots.

use caremesh_federation::object::*;

use super::{ORIGIN, meta};

/// The patient's node in these vectors.
pub const PATIENT_NODE: &str = "https://patients.example";

/// The sealed field of every snapshot: its value does not matter to the encoding.
fn sealed() -> Vec<u8> {
    vec![0x5e; 48]
}

fn from_patient_node(id: &str) -> Meta {
    Meta {
        origin: PATIENT_NODE.into(),
        ..meta(id)
    }
}

pub fn schedule() -> Schedule {
    Schedule {
        meta: meta("01JD3V5Q0000000000000000S1"),
        facility_id: "01JD3V5Q0000000000000000F1".into(),
        service: BookableService {
            name: "General OPD".into(),
            kind: ServiceKind::Consultation,
            specialty: Some("general_medicine".into()),
            price_minor: 20_000,
            currency: "INR".into(),
        },
        days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri],
        start_min: 9 * 60,
        end_min: 13 * 60,
        slot_minutes: 15,
        capacity: 2,
        time_zone: "Asia/Kolkata".into(),
        closures: vec!["2026-12-25".into()],
        cancel_cutoff_minutes: 120,
        retracted: false,
    }
}

pub fn availability() -> Availability {
    Availability {
        meta: meta("01JD3V5Q0000000000000000V1"),
        schedule_id: "01JD3V5Q0000000000000000S1".into(),
        date: "2026-12-02".into(),
        taken: vec![SlotTaken {
            start: 1_796_185_800_000,
            taken: 2,
        }],
        waiting: 1,
    }
}

pub fn booking() -> Booking {
    Booking {
        meta: from_patient_node("01JD3V5Q0000000000000000B1"),
        addressee: ORIGIN.into(),
        sealed: sealed(),
    }
}

pub fn booking_answer() -> BookingAnswer {
    BookingAnswer {
        meta: meta("01JD3V5Q0000000000000000B2"),
        addressee: PATIENT_NODE.into(),
        booking_id: "01JD3V5Q0000000000000000B1".into(),
        sealed: sealed(),
    }
}

pub fn order() -> Order {
    Order {
        meta: from_patient_node("01JD3V5Q0000000000000000M1"),
        addressee: ORIGIN.into(),
        sealed: sealed(),
    }
}

pub fn order_answer() -> OrderAnswer {
    OrderAnswer {
        meta: meta("01JD3V5Q0000000000000000M2"),
        addressee: PATIENT_NODE.into(),
        order_id: "01JD3V5Q0000000000000000M1".into(),
        sealed: sealed(),
    }
}
