//! Schedules, slots, booking, capacity, bad bookings.

use super::*;

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
