//! Schedules, slots, booking, capacity, cancel, waiting list, reminders, forged answers.

use caremesh_federation::Check;
use caremesh_federation::object::{AppointmentStatus, BookingAnswer, BookingStep};

use super::*;

fn status(view: &AppointmentView) -> &'static str {
    view.status
}

#[test]
fn schedule_input_is_checked_field_by_field() {
    let w = world(1);
    let bad = |input: ScheduleInput| match w.f.app.create_schedule(&w.staff, &w.facility_id, &input)
    {
        Err(ServiceError::Invalid { field, .. }) => field.to_owned(),
        Err(ServiceError::Conflict { problem }) => format!("conflict: {problem}"),
        other => panic!("accepted: {:?}", other.map(|s| s.meta.id)),
    };
    let base = || ScheduleInput {
        service: Some("Flu shot".into()),
        kind: Some("vaccination".into()),
        ..schedule_input(1)
    };
    assert_eq!(
        bad(ScheduleInput {
            capacity: Some(0),
            ..base()
        }),
        "capacity"
    );
    assert_eq!(
        bad(ScheduleInput {
            days: vec!["someday".into()],
            ..base()
        }),
        "days"
    );
    assert_eq!(
        bad(ScheduleInput {
            start: Some("9am".into()),
            ..base()
        }),
        "start"
    );
    assert_eq!(
        bad(ScheduleInput {
            end: Some("08:00".into()),
            ..base()
        }),
        "end"
    );
    assert_eq!(
        bad(ScheduleInput {
            slot_minutes: Some(600),
            ..base()
        }),
        "slot_minutes"
    );
    assert_eq!(
        bad(ScheduleInput {
            time_zone: Some("Mars/Base".into()),
            ..base()
        }),
        "time_zone"
    );
    assert_eq!(
        bad(ScheduleInput {
            kind: Some("massage".into()),
            ..base()
        }),
        "kind"
    );
    assert_eq!(
        bad(ScheduleInput {
            specialty: Some("astrology".into()),
            ..base()
        }),
        "specialty"
    );
    assert_eq!(
        bad(ScheduleInput {
            closures: vec!["25.12.2026".into()],
            ..base()
        }),
        "closures"
    );
    // The same service at an overlapping time: refused, naming the other schedule.
    let overlap = bad(ScheduleInput {
        service: Some("GENERAL OPD".into()),
        start: Some("11:00".into()),
        end: Some("13:00".into()),
        ..base()
    });
    assert!(
        overlap.starts_with("conflict") && overlap.contains(&w.schedule.meta.id),
        "{overlap}"
    );
    // Staff of another facility, and patients, may not.
    let other =
        w.f.member("nurse", Role::Staff, Some("01JD3V5Q0000000000000000F9"));
    assert!(matches!(
        w.f.app.create_schedule(&other, &w.facility_id, &base()),
        Err(ServiceError::Forbidden { .. })
    ));
    // A schedule of this facility at another node cannot be made here.
    assert!(
        w.a.app
            .create_schedule(&w.staff, &w.facility_id, &base())
            .is_err()
    );
    // Nothing was stored for any of these.
    assert_eq!(w.f.app.schedules_of(&w.facility_id).unwrap().len(), 1);
    // The time zone defaults from the facility's country (IN).
    assert_eq!(w.schedule.time_zone, "Asia/Kolkata");
}

#[test]
fn twelve_bookings_race_for_three_seats_and_three_win() {
    let w = world(1);
    let patients: Vec<Member> = (0..12)
        .map(|i| w.a.patient(&format!("p{i}"), &hid(100 + i as u32)))
        .collect();
    for (i, p) in patients.iter().enumerate() {
        let view = w.book(&w.a, p, &w.slot(1, i as i64 % 3)).unwrap();
        assert_eq!(status(&view), "requested");
    }
    // F decides them in parallel threads, as concurrent pushes would make it.
    assert!(w.a.deliver_with(&w.f, false).is_empty());
    let ids: Vec<String> = super::bookings_of(&w.f)
        .into_iter()
        .map(|b| b.meta.id)
        .collect();
    std::thread::scope(|s| {
        for id in &ids {
            let app = w.f.app.clone();
            s.spawn(move || app.process_booking(id).unwrap());
        }
    });
    assert!(w.f.deliver(&w.a).is_empty());
    let views: Vec<AppointmentView> = patients
        .iter()
        .flat_map(|p| w.a.app.my_appointments(p).unwrap())
        .collect();
    let confirmed: Vec<&AppointmentView> =
        views.iter().filter(|v| v.status == "confirmed").collect();
    assert_eq!(confirmed.len(), 3, "{views:#?}");
    let mut starts: Vec<i64> = confirmed.iter().map(|v| v.start).collect();
    starts.sort_unstable();
    starts.dedup();
    assert_eq!(starts.len(), 3, "one per slot");
    for refused in views.iter().filter(|v| v.status == "refused") {
        assert_eq!(refused.check.as_deref(), Some("full"));
        assert!(
            !refused.next_free.is_empty(),
            "a refusal proposes free slots"
        );
    }
    // The facility's live slots say the same.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let slots =
        w.f.app
            .slots(&w.facility_id, day, Some("General OPD"))
            .unwrap();
    assert_eq!(slots.source, "live");
    assert!(slots.slots.iter().all(|s| s.free == 0), "{slots:?}");
    // A sees them once F published its availability.
    assert_eq!(w.f.app.publish_availability().unwrap(), 1);
    assert!(w.f.deliver(&w.a).is_empty());
    let seen = w.a.app.slots(&w.facility_id, day, None).unwrap();
    assert_eq!(seen.source, "published");
    assert!(seen.slots.iter().all(|s| s.free == 0), "{seen:?}");
    assert!(seen.as_of > MONDAY - 1);
}

#[test]
fn bad_bookings_are_refused_before_anything_is_sent() {
    let w = world(1);
    let p = w.a.patient("asha", &hid(1));
    let err = |start: &str| w.book(&w.a, &p, start).unwrap_err().to_string();
    // 09:30 is not on the grid; 25 Dec is a closure day; slots of the past.
    assert!(err(&w.slot(1, 0).replace("09:00", "09:30")).contains("not a slot"));
    assert!(
        err(&w.slot(25, 0)).contains("closure"),
        "{}",
        err(&w.slot(25, 0))
    );
    w.advance(10 * HOUR);
    assert!(err(&w.slot(0, 0)).contains("past"));
    assert!(err("tomorrow").contains("RFC 3339"));
    let unknown = w.a.app.book(
        &p,
        &NewBooking {
            facility_id: Some("01JD3V5Q0000000000000000X9".into()),
            service: Some("General OPD".into()),
            start: Some(w.slot(1, 0)),
            ..Default::default()
        },
    );
    assert!(matches!(
        unknown,
        Err(ServiceError::Invalid {
            field: "facility_id",
            ..
        })
    ));
    let service = w.a.app.book(
        &p,
        &NewBooking {
            facility_id: Some(w.facility_id.clone()),
            service: Some("Astrology".into()),
            start: Some(w.slot(1, 0)),
            ..Default::default()
        },
    );
    assert!(matches!(
        service,
        Err(ServiceError::Invalid {
            field: "service",
            ..
        })
    ));
    // Someone who neither holds nor guards the health ID.
    let stranger = w.a.patient("stranger", &hid(2));
    let theirs = w.a.app.book(
        &stranger,
        &NewBooking {
            facility_id: Some(w.facility_id.clone()),
            service: Some("General OPD".into()),
            start: Some(w.slot(1, 0)),
            health_id: Some(hid(1)),
            ..Default::default()
        },
    );
    assert!(matches!(theirs, Err(ServiceError::Forbidden { .. })));
    assert!(super::bookings_of(&w.a).is_empty(), "nothing was stored");
}

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
    w.clock.0.store(MONDAY + 8 * HOUR, Ordering::SeqCst);
    let sent =
        w.a.app
            .patient_step(&p, &view.id, BookingStep::Cancel)
            .unwrap();
    assert_eq!(sent.pending, Some("cancel"));
    w.exchange();
    assert_eq!(
        w.a.app.my_appointment(&p, &view.id).unwrap().status,
        "cancelled"
    );
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
