//! Staff `/agenda` and `/facility ID schedule` against a fake node: the day's list with
//! Arrived / No-show buttons, and schedules added, listed and removed in one line each.

#[path = "support/chat_world.rs"]
#[allow(dead_code)]
mod chat_world;

use caremesh_bots::port::*;
use chat_world::*;

#[tokio::test]
async fn staff_see_the_day_and_mark_arrivals() {
    let chat = Chat::new();
    let nurse = user("nurse");
    chat.port.add(&nurse, "nurse", Role::Staff);
    chat.port.lock().appointments.agenda = vec![AgendaLine {
        id: "appt9".into(),
        status: "confirmed".into(),
        service: "Vaccination".into(),
        start: "2026-11-29T10:00:00+05:30".into(),
        name: "Asha".into(),
        health_id: "42-1730-0000-0011".into(),
        no_shows: 2,
    }];
    let day = chat.say(&nurse, "/agenda").await;
    assert!(
        text(&day).contains(
            "10:00 · Vaccination · Asha (42-1730-0000-0011) · confirmed · missed 2 before"
        ),
        "{day:#?}"
    );
    let marked = chat.press(&nurse, button(&day, "Arrived")).await;
    assert_says(&marked, "Asha at 10:00: arrived");
    assert_eq!(chat.port.lock().appointments.agenda[0].status, "arrived");
    chat.say(&nurse, "/agenda 2026-11-30").await;
    assert_eq!(
        chat.port.lock().appointments.agenda_days,
        vec![None, Some("2026-11-30".to_owned())]
    );

    let patient = user("asha");
    chat.port.add(&patient, "asha", Role::Patient);
    let refused = chat.say(&patient, "/agenda").await;
    assert!(!text(&refused).contains("Vaccination"), "{refused:#?}");
}

#[tokio::test]
async fn staff_add_list_and_remove_a_schedule_in_one_line_each() {
    let chat = Chat::new();
    let nurse = user("nurse");
    chat.port.add(&nurse, "nurse", Role::Staff);
    let none = chat
        .say(&nurse, &format!("/facility {CLINIC} schedule"))
        .await;
    assert_says(&none, "No schedules yet");
    let added = chat
        .say(
            &nurse,
            &format!("/facility {CLINIC} schedule add Flu shot days=mon,wed 09:00-12:00 slot=15 capacity=3 price=150 kind=vaccination"),
        )
        .await;
    assert!(
        text(&added).contains(
            "Added: • Flu shot (vaccination): mon,wed 09:00–12:00, 15 min, 3 a slot, 150.00 INR"
        ),
        "{added:#?}"
    );
    let bad = chat
        .say(
            &nurse,
            &format!("/facility {CLINIC} schedule add OPD days=mon 09:00-12:00"),
        )
        .await;
    assert!(
        text(&bad).contains("capacity"),
        "the node names the field: {bad:#?}"
    );
    let listed = chat
        .say(&nurse, &format!("/facility {CLINIC} schedule"))
        .await;
    assert_says(&listed, "Flu shot");
    let removed = chat.press(&nurse, button(&listed, "Flu shot")).await;
    assert_says(&removed, "Removed: Flu shot");
    assert!(chat.port.lock().appointments.schedules[CLINIC].is_empty());
    let usage = chat
        .say(&nurse, &format!("/facility {CLINIC} schedule frobnicate"))
        .await;
    assert_says(&usage, "schedule add SERVICE");
}
