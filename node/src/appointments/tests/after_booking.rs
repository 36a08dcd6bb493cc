//! After booking: cancel until the cutoff, the waiting list, reschedule, forged answers,
//! the staff's agenda, reminders.

use caremesh_federation::Check;
use caremesh_federation::object::{AppointmentStatus, BookingAnswer, BookingStep};

use super::*;

#[test]
fn cancel_frees_the_seat_until_the_cutoff() {
    let w = world(1);
    let p = w.a.patient("asha", &hid(1));
    let view = w.book(&w.a, &p, &w.slot(0, 2)).unwrap();
    w.exchange();
    assert_eq!(
        w.a.app.my_appointment(&p, &view.id).unwrap().status,
        "confirmed"
    );
    // 11:00 slot, cutoff 120 minutes: at 09:30 it is too late.
    w.advance(9 * HOUR + HOUR / 2);
    let late =
        w.a.app
            .patient_step(&p, &view.id, BookingStep::Cancel)
            .unwrap_err();
    assert!(late.to_string().contains("cutoff"), "{late}");
    w.clock.set(MONDAY + 8 * HOUR);
    let sent =
        w.a.app
            .patient_step(&p, &view.id, BookingStep::Cancel)
            .unwrap();
    assert_eq!(sent.pending, Some("cancel"));
    w.exchange();
    let done = w.a.app.my_appointment(&p, &view.id).unwrap();
    assert_eq!((done.status, done.pending), ("cancelled", None));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let slots = w.f.app.slots(&w.facility_id, day, None).unwrap();
    assert_eq!(slots.slots.iter().map(|s| s.free).sum::<u16>(), 3);
}

#[test]
fn a_cancel_offers_the_place_to_the_first_in_line_who_has_fifteen_minutes() {
    let w = world(1);
    let people: Vec<Member> = (0..5)
        .map(|i| w.a.patient(&format!("p{i}"), &hid(200 + i as u32)))
        .collect();
    let views: Vec<AppointmentView> = people
        .iter()
        .enumerate()
        .map(|(i, p)| w.book(&w.a, p, &w.slot(1, i as i64 % 3)).unwrap())
        .collect();
    w.exchange();
    // p3 and p4 were refused (the day is full): they wait, p3 first.
    for i in [3, 4] {
        assert_eq!(
            w.a.app
                .my_appointment(&people[i], &views[i].id)
                .unwrap()
                .status,
            "refused"
        );
        w.a.app
            .patient_step(&people[i], &views[i].id, BookingStep::Wait)
            .unwrap();
        w.exchange();
        // One ms apart, so the line's order is theirs and not their ids'.
        w.advance(1);
    }
    let p4 = w.a.app.my_appointment(&people[4], &views[4].id).unwrap();
    assert_eq!((p4.status, p4.position), ("waiting", Some(2)));
    // p0 cancels: p3 is offered p0's slot.
    w.a.app
        .patient_step(&people[0], &views[0].id, BookingStep::Cancel)
        .unwrap();
    w.exchange();
    let offer = w.a.app.my_appointment(&people[3], &views[3].id).unwrap();
    assert_eq!(offer.status, "offered");
    assert_eq!(offer.start, views[0].start);
    assert_eq!(offer.offer_expires, Some(MONDAY + 2 + 15 * 60_000));
    // p3 lets it lapse: after 15 minutes the place goes to p4, who takes it.
    w.advance(16 * 60_000);
    assert_eq!(w.f.app.sweep_desk().unwrap(), 1);
    w.exchange();
    assert_eq!(
        w.a.app
            .my_appointment(&people[3], &views[3].id)
            .unwrap()
            .check
            .as_deref(),
        Some("offer_expired")
    );
    assert_eq!(
        w.a.app
            .my_appointment(&people[4], &views[4].id)
            .unwrap()
            .status,
        "offered"
    );
    w.a.app
        .patient_step(&people[4], &views[4].id, BookingStep::Take)
        .unwrap();
    w.exchange();
    let taken = w.a.app.my_appointment(&people[4], &views[4].id).unwrap();
    assert_eq!((taken.status, taken.start), ("confirmed", views[0].start));
}

#[test]
fn reschedule_moves_the_appointment_or_keeps_it() {
    let w = world(1);
    let p = w.a.patient("asha", &hid(1));
    let q = w.a.patient("ravi", &hid(2));
    let first = w.book(&w.a, &p, &w.slot(1, 0)).unwrap();
    w.book(&w.a, &q, &w.slot(1, 1)).unwrap();
    w.exchange();
    // To a full slot: refused, the old one stays.
    let full =
        w.a.app
            .reschedule(&p, &first.id, &w.slot(1, 1), None)
            .unwrap();
    w.exchange();
    assert_eq!(
        w.a.app.my_appointment(&p, &full.id).unwrap().status,
        "refused"
    );
    assert_eq!(
        w.a.app.my_appointment(&p, &first.id).unwrap().status,
        "confirmed"
    );
    // To a free slot: confirmed, the old one cancelled, its seat free again.
    let moved =
        w.a.app
            .reschedule(&p, &first.id, &w.slot(1, 2), None)
            .unwrap();
    w.exchange();
    assert_eq!(
        w.a.app.my_appointment(&p, &moved.id).unwrap().status,
        "confirmed"
    );
    let old = w.a.app.my_appointment(&p, &first.id).unwrap();
    assert_eq!(
        (old.status, old.check.as_deref()),
        ("cancelled", Some("rescheduled"))
    );
}

#[test]
fn a_confirmation_from_another_node_is_refused() {
    let w = world(1);
    let p = w.a.patient("asha", &hid(1));
    let view = w.book(&w.a, &p, &w.slot(1, 0)).unwrap();
    // A hostile node H answers the booking with a confirmation of its own making.
    let h = Node::new("http://h.test", &w.clock);
    Identities::new(h.store.clone())
        .put(&w.a.identity())
        .unwrap();
    let content = caremesh_federation::object::BookingAnswerContent {
        health_id: hid(1),
        booking_version: 1,
        status: AppointmentStatus::Confirmed,
        start: view.start,
        end: view.end,
        check: None,
        reason: String::new(),
        next_free: vec![],
        offer_expires: None,
        position: None,
    };
    let meta = h.app.publisher.new_meta(MONDAY);
    let sealed = h
        .app
        .seal(
            caremesh_federation::object::Kind::BookingAnswer,
            &meta.id,
            &w.a.origin,
            &content,
        )
        .unwrap();
    h.app
        .publisher
        .publish(
            &BookingAnswer {
                meta,
                addressee: w.a.origin.clone(),
                booking_id: view.id.clone(),
                sealed,
            },
            None,
        )
        .unwrap();
    let refused = h.deliver(&w.a);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].1, Check::Ownership);
    assert_eq!(
        w.a.app.my_appointment(&p, &view.id).unwrap().status,
        "requested"
    );
    // The honest answer still gets through.
    w.exchange();
    assert_eq!(
        w.a.app.my_appointment(&p, &view.id).unwrap().status,
        "confirmed"
    );
}

#[test]
fn staff_see_the_agenda_mark_arrivals_and_no_shows_and_cancel_with_a_reason() {
    let w = world(2);
    let p = w.a.patient("asha", &hid(1));
    let q = w.a.patient("ravi", &hid(2));
    let a1 = w.book(&w.a, &p, &w.slot(0, 0)).unwrap();
    let a2 = w.book(&w.a, &q, &w.slot(0, 0)).unwrap();
    let a3 = w.book(&w.a, &p, &w.slot(1, 0)).unwrap();
    w.exchange();
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let agenda = w.f.app.agenda(&w.staff, &w.facility_id, monday).unwrap();
    assert_eq!(agenda.len(), 2);
    // Same slot: the order between the two is the booking ids', random within one ms.
    let mut shown: Vec<&str> = agenda.iter().map(|i| i.health_id.as_str()).collect();
    shown.sort();
    assert_eq!(shown[0], "42-1730-0000-0011");
    assert!(shown[1] != shown[0]);
    // No-shows are marked once the slot began; arrivals any time.
    assert!(
        w.f.app
            .mark_attendance(&w.staff, &a1.id, AppointmentStatus::NoShow)
            .is_err()
    );
    w.advance(9 * HOUR + 60_000);
    w.f.app
        .mark_attendance(&w.staff, &a1.id, AppointmentStatus::NoShow)
        .unwrap();
    w.f.app
        .mark_attendance(&w.staff, &a2.id, AppointmentStatus::Arrived)
        .unwrap();
    let tuesday = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let next = w.f.app.agenda(&w.staff, &w.facility_id, tuesday).unwrap();
    assert_eq!(
        next[0].no_shows, 1,
        "the facility sees the person's no-shows"
    );
    // The facility cancels with a reason the patient is told; a reason is required.
    assert!(matches!(
        w.f.app.cancel_by_facility(&w.staff, &a3.id, " "),
        Err(ServiceError::Invalid {
            field: "reason",
            ..
        })
    ));
    w.f.app
        .cancel_by_facility(&w.staff, &a3.id, "the doctor is ill")
        .unwrap();
    w.exchange();
    let told = w.a.app.my_appointment(&p, &a3.id).unwrap();
    assert_eq!(
        (told.status, told.reason.as_str()),
        ("cancelled", "the doctor is ill")
    );
    assert_eq!(
        w.a.app.my_appointment(&p, &a1.id).unwrap().status,
        "no_show"
    );
    // Patients do not read the agenda.
    assert!(w.f.app.agenda(&p, &w.facility_id, monday).is_err());
}

#[test]
fn reminders_go_once_per_lead_to_everyone_who_acts_for_the_person() {
    let w = world(1);
    let guardian = w.a.member("son", Role::Patient, None);
    let parent = w.a.member("kamala", Role::Patient, None);
    w.a.people
        .add(&hid(3), "Kamala Devi", &[&guardian, &parent]);
    let view =
        w.a.app
            .book(
                &guardian,
                &NewBooking {
                    facility_id: Some(w.facility_id.clone()),
                    service: Some("General OPD".into()),
                    start: Some(w.slot(1, 2)),
                    health_id: Some(hid(3)),
                    ..Default::default()
                },
            )
            .unwrap();
    assert!(
        w.a.app.due_reminders().unwrap().is_empty(),
        "not confirmed yet"
    );
    w.exchange();
    // Tuesday 11:00; the day before at 11:00 Monday.
    assert!(w.a.app.due_reminders().unwrap().is_empty());
    w.advance(11 * HOUR);
    let due = w.a.app.due_reminders().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].to, ["kamala", "son"]);
    assert_eq!(due[0].appointment.id, view.id);
    assert!(w.a.app.due_reminders().unwrap().is_empty(), "sent once");
    w.advance(22 * HOUR + HOUR / 2);
    assert_eq!(w.a.app.due_reminders().unwrap()[0].lead.as_secs(), 2 * 3600);
    assert!(w.a.app.due_reminders().unwrap().is_empty());
}
