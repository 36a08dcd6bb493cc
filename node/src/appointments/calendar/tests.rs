use caremesh_federation::object::{BookableService, Meta, ServiceKind};

use super::*;

fn schedule(zone: &str, days: Vec<Weekday>, from: &str, to: &str, minutes: u16) -> Schedule {
    Schedule {
        meta: Meta::default(),
        facility_id: "01JD3V5Q0000000000000000F1".into(),
        service: BookableService {
            name: "OPD".into(),
            kind: ServiceKind::Consultation,
            specialty: None,
            price_minor: 0,
            currency: "INR".into(),
        },
        days,
        start_min: parse_hhmm(from).unwrap(),
        end_min: parse_hhmm(to).unwrap(),
        slot_minutes: minutes,
        capacity: 1,
        time_zone: zone.into(),
        closures: vec!["2026-12-25".into()],
        cancel_cutoff_minutes: 60,
        retracted: false,
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn rfc3339(tz: Tz, ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap()
        .with_timezone(&tz)
        .to_rfc3339()
}

#[test]
fn slots_are_local_times_in_the_schedules_zone() {
    let s = schedule("Asia/Kolkata", vec![Weekday::Mon], "09:00", "10:00", 25);
    let tz = zone(&s).unwrap();
    // 2026-11-30 is a Monday. 25-minute slots from 09:00: 09:00, 09:25; 09:50 would end
    // after 10:00.
    let slots = slots_on(&s, tz, date("2026-11-30"));
    let starts: Vec<String> = slots.iter().map(|s| rfc3339(tz, s.start)).collect();
    assert_eq!(
        starts,
        ["2026-11-30T09:00:00+05:30", "2026-11-30T09:25:00+05:30"]
    );
    assert_eq!(slots[0].end - slots[0].start, 25 * 60_000);
    assert_eq!(slot_at(&s, tz, slots[1].start), Ok(slots[1]));
}

#[test]
fn instants_off_the_schedule_say_why() {
    let s = schedule("Asia/Kolkata", vec![Weekday::Fri], "09:00", "12:00", 15);
    let tz = zone(&s).unwrap();
    let at = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    };
    // 2026-12-25 is a Friday and a closure day.
    assert!(matches!(
        slot_at(&s, tz, at("2026-12-25T09:00:00+05:30")),
        Err(OffSchedule::Closed { .. })
    ));
    assert_eq!(
        slot_at(&s, tz, at("2026-12-24T09:00:00+05:30")),
        Err(OffSchedule::NotADay { weekday: "thu" })
    );
    let off = slot_at(&s, tz, at("2026-12-18T09:07:00+05:30")).unwrap_err();
    assert_eq!(off.check(), "outside_schedule");
    assert!(off.to_string().contains("09:07"), "{off}");
    assert!(slot_at(&s, tz, at("2026-12-18T12:00:00+05:30")).is_err());
    assert!(slot_at(&s, tz, at("2026-12-18T11:45:00+05:30")).is_ok());
    assert!(slots_on(&s, tz, date("2026-12-25")).is_empty());
}

#[test]
fn daylight_saving_gaps_have_no_slots_and_repeated_hours_one() {
    let s = schedule("Europe/Berlin", vec![Weekday::Sun], "01:00", "04:00", 30);
    let tz = zone(&s).unwrap();
    // 2026-03-29: clocks go from 02:00 to 03:00; 02:00 and 02:30 do not exist.
    let spring: Vec<String> = slots_on(&s, tz, date("2026-03-29"))
        .iter()
        .map(|s| rfc3339(tz, s.start))
        .collect();
    assert_eq!(
        spring,
        [
            "2026-03-29T01:00:00+01:00",
            "2026-03-29T01:30:00+01:00",
            "2026-03-29T03:00:00+02:00",
            "2026-03-29T03:30:00+02:00"
        ]
    );
    // 2026-10-25: 02:00–03:00 happens twice; each slot is at its first occurrence.
    let autumn = slots_on(&s, tz, date("2026-10-25"));
    assert_eq!(autumn.len(), 6);
    assert_eq!(rfc3339(tz, autumn[2].start), "2026-10-25T02:00:00+02:00");
    // The second 02:00 (+01:00) is not a slot start.
    let second = autumn[2].start + 3_600_000;
    assert!(slot_at(&s, tz, second).is_err());
}

#[test]
fn slots_from_an_instant_span_days() {
    let s = schedule(
        "Asia/Kolkata",
        vec![Weekday::Mon, Weekday::Tue],
        "09:00",
        "10:00",
        30,
    );
    let tz = zone(&s).unwrap();
    let from = slots_on(&s, tz, date("2026-11-30"))[1].start;
    let next: Vec<String> = slots_from(&s, tz, from, 7)
        .take(3)
        .map(|s| rfc3339(tz, s.start))
        .collect();
    assert_eq!(
        next,
        [
            "2026-11-30T09:30:00+05:30",
            "2026-12-01T09:00:00+05:30",
            "2026-12-01T09:30:00+05:30"
        ]
    );
}

#[test]
fn times_and_zones_parse_strictly() {
    assert_eq!(parse_hhmm("09:30"), Some(570));
    assert_eq!(parse_hhmm("24:00"), Some(1440));
    for bad in ["9:30", "24:01", "09:60", "0930", "aa:bb", ""] {
        assert_eq!(parse_hhmm(bad), None, "{bad}");
    }
    assert_eq!(hhmm(570), "09:30");
    assert_eq!(country_zone("IN"), Some("Asia/Kolkata"));
    assert_eq!(country_zone("india"), Some("Asia/Kolkata"));
    assert_eq!(country_zone("US"), None);
    assert!(
        schedule("Mars/Olympus", vec![Weekday::Mon], "09:00", "10:00", 30)
            .time_zone
            .parse::<Tz>()
            .is_err()
    );
}
