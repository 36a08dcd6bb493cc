//! `/book` and `/appointments` against a fake node, typed the way people type ("tmrw",
//! "10am", Hindi), and what the facility's answers and reminders look like in chat: a
//! calendar file and a map pin, the next free slots as buttons, a Take button.

#[path = "support/chat_world.rs"]
#[allow(dead_code)]
mod chat_world;

use caremesh_bots::notice::AppointmentNews;
use caremesh_bots::port::*;
use chat_world::*;

#[tokio::test]
async fn a_guardian_books_a_vaccination_for_a_dependant_typing_tmrw_and_10am() {
    let chat = Chat::new();
    let ravi = user("ravi");
    let amma = chat.patient_with_dependant(&ravi).await;

    let asked = chat.say(&ravi, "/book").await;
    assert_says(&asked, "Who is the appointment for?");
    let asked = chat.press(&ravi, button(&asked, "Amma")).await;
    assert_says(&asked, "What do you need?");
    let offers = chat.say(&ravi, "vaccine").await;
    let listed = text(&offers);
    assert!(
        listed.contains("City Clinic – Vaccination: 250.00 INR, 1.5 km"),
        "{listed}"
    );
    assert!(
        !listed.contains("Heart check"),
        "only what was asked: {listed}"
    );
    let days = chat.say(&ravi, "1").await;
    assert_says(&days, "Which day?");
    let slots = chat.say(&ravi, "tmrw").await;
    assert_says(&slots, "Free times on Sun 2026-11-29");
    assert_eq!(
        button(&slots, "09:30"),
        "=book-slot:2026-11-29T09:30:00+05:30"
    );
    let confirm = chat.say(&ravi, "10am").await;
    let question = text(&confirm);
    assert!(
        question.contains("Book Vaccination at City Clinic on Sun 2026-11-29 10:00 for Amma"),
        "{question}"
    );
    assert!(
        chat.port.lock().appointments.drafts.is_empty(),
        "nothing booked before yes"
    );
    let sent = chat.press(&ravi, button(&confirm, "Book")).await;
    assert_says(&sent, "Sent to City Clinic");

    let drafts = chat.port.lock().appointments.drafts.clone();
    assert_eq!(
        drafts,
        vec![BookingDraft {
            facility_id: CLINIC.into(),
            service: "Vaccination".into(),
            start: "2026-11-29T10:00:00+05:30".into(),
            health_id: Some(amma),
        }]
    );
}

#[tokio::test]
async fn booking_in_hindi_for_oneself() {
    let chat = Chat::new();
    let asha = user("asha");
    chat.patient_with_id(&asha, "asha").await;
    chat.say(&asha, "/lang hi").await;

    let asked = chat.say(&asha, "/book").await;
    assert_says(&asked, "आपको क्या चाहिए?");
    let offers = chat.say(&asha, "टीका").await;
    assert_says(&offers, "City Clinic");
    chat.say(&asha, "1").await;
    let slots = chat.say(&asha, "कल").await;
    assert_says(&slots, "खाली समय");
    let confirm = chat.say(&asha, "सुबह 9:30 बजे").await;
    assert_says(&confirm, "आप के लिए");
    let sent = chat.say(&asha, "हाँ").await;
    assert_says(&sent, "भेज दिया");
    let drafts = chat.port.lock().appointments.drafts.clone();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].start, "2026-11-29T09:30:00+05:30");
    assert_eq!(drafts[0].health_id, None, "one's own ID");
}

#[tokio::test]
async fn a_guardian_without_her_own_id_books_for_her_one_dependant_unasked() {
    let chat = Chat::new();
    let meera = user("meera");
    let [chotu] = &chat.guardian_without_own_id(&meera, &["Chotu"]).await[..] else {
        panic!("one dependant")
    };

    let asked = chat.say(&meera, "/book vaccine").await;
    assert!(
        !text(&asked).contains("Who is the appointment for?"),
        "{asked:#?}"
    );
    assert_says(&asked, "City Clinic");
    chat.say(&meera, "1").await;
    chat.say(&meera, "tmrw").await;
    let confirm = chat.say(&meera, "10am").await;
    assert_says(&confirm, "for Chotu");
    let sent = chat.press(&meera, button(&confirm, "Book")).await;
    assert_says(&sent, "Sent to City Clinic");
    let drafts = chat.port.lock().appointments.drafts.clone();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].health_id.as_ref(), Some(chotu));
}

#[tokio::test]
async fn a_guardian_without_her_own_id_chooses_among_dependants_only() {
    let chat = Chat::new();
    let meera = user("meera");
    let numbers = chat
        .guardian_without_own_id(&meera, &["Chotu", "Munni"])
        .await;

    let asked = chat.say(&meera, "/book").await;
    assert_says(&asked, "Who is the appointment for?");
    let labels: Vec<String> = asked
        .iter()
        .flat_map(|r| r.all_buttons())
        .map(|b| b.label.clone())
        .collect();
    assert_eq!(labels, ["Chotu", "Munni"]);
    for me in ["me", "मैं"] {
        let wrong = chat.say(&meera, me).await;
        assert_says(&wrong, "Please choose one of the buttons.");
    }
    let what = chat.press(&meera, button(&asked, "Munni")).await;
    assert_says(&what, "What do you need?");
    chat.say(&meera, "vaccine").await;
    chat.say(&meera, "1").await;
    chat.say(&meera, "tmrw").await;
    let confirm = chat.say(&meera, "10am").await;
    assert_says(&confirm, "for Munni");
    chat.press(&meera, button(&confirm, "Book")).await;
    let drafts = chat.port.lock().appointments.drafts.clone();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].health_id.as_ref(), Some(&numbers[1]));
}

#[tokio::test]
async fn a_day_without_room_and_words_that_are_no_day_ask_again() {
    let chat = Chat::new();
    let asha = user("asha");
    chat.patient_with_id(&asha, "asha").await;
    chat.say(&asha, "/book cardiology").await;
    chat.say(&asha, "1").await;
    let again = chat.say(&asha, "someday").await;
    assert_says(&again, "“someday” is not a day");
    let full = chat.say(&asha, "monday").await;
    assert_says(&full, "No free slots on Mon 2026-11-30");
    let slots = chat.say(&asha, "sunday").await;
    let wrong = chat.say(&asha, "4pm").await;
    assert_says(&wrong, "No free slot at “4pm”");
    let confirm = chat.press(&asha, button(&slots, "10:30")).await;
    let no = chat.press(&asha, button(&confirm, "Cancel")).await;
    assert_says(&no, "Nothing was booked");
    assert!(chat.port.lock().appointments.drafts.is_empty());
}

#[tokio::test]
async fn a_confirmation_carries_a_calendar_file_and_a_map_pin() {
    let chat = Chat::new();
    let asha = user("asha");
    chat.port.add(&asha, "asha", Role::Patient);
    let id = booked(&chat, "asha", |a| a.status = "confirmed".into()).await;
    let told = told_of_appointment(&chat, &asha, &id, AppointmentNews::Answered).await;
    assert_says(
        &told,
        "Confirmed: Vaccination at City Clinic, Sun 2026-11-29 10:00",
    );
    let file = told
        .iter()
        .find_map(|r| r.document.as_ref())
        .expect("an .ics");
    assert_eq!(file.name, "appointment.ics");
    assert_eq!(file.content_type, "text/calendar");
    let ics = String::from_utf8(file.bytes.clone()).unwrap();
    assert!(ics.contains("DTSTART:20261129T043000Z"), "{ics}");
    let pin = told.iter().find_map(|r| r.pin.as_ref()).expect("a map pin");
    assert_eq!((pin.lat, pin.lon), (18.52, 73.85));
    assert_eq!(
        button(&told, "Cancel"),
        format!("/appointments cancel {id}")
    );

    let told = told_of_appointment(&chat, &asha, &id, AppointmentNews::Reminder).await;
    assert_says(&told, "Reminder: Vaccination at City Clinic");

    // Someone else's appointment is not read out: they hear only that there is news.
    let other = user("other");
    chat.port.add(&other, "other", Role::Patient);
    let told = told_of_appointment(&chat, &other, &id, AppointmentNews::Answered).await;
    assert!(!text(&told).contains("Vaccination"), "{told:#?}");
    assert_eq!(button(&told, "appointments"), "/appointments");
}

#[tokio::test]
async fn a_refusal_offers_the_next_free_slots_and_one_press_books_it() {
    let chat = Chat::new();
    let asha = user("asha");
    chat.port.add(&asha, "asha", Role::Patient);
    let id = booked(&chat, "asha", |a| {
        a.status = "refused".into();
        a.check = Some("full".into());
        a.reason = "the slot is full".into();
        a.next_free = vec!["2026-11-29T10:30:00+05:30".into()];
    })
    .await;
    chat.say(&asha, "/lang hi").await;
    let told = told_of_appointment(&chat, &asha, &id, AppointmentNews::Answered).await;
    assert_says(&told, "बुक नहीं हो सका: the slot is full");
    let rebook = button(&told, "10:30").to_owned();
    assert_eq!(
        rebook,
        format!("/appointments rebook {id} 2026-11-29T10:30:00+05:30")
    );
    chat.press(&asha, &rebook).await;
    let drafts = chat.port.lock().appointments.drafts.clone();
    assert_eq!(drafts.last().unwrap().start, "2026-11-29T10:30:00+05:30");
    assert_eq!(button(&told, "इंतज़ार"), format!("/appointments wait {id}"));
}

#[tokio::test]
async fn cancelled_by_the_facility_says_why_and_an_offer_has_a_take_button() {
    let chat = Chat::new();
    let asha = user("asha");
    chat.port.add(&asha, "asha", Role::Patient);
    let cancelled = booked(&chat, "asha", |a| {
        a.status = "cancelled".into();
        a.check = Some("facility".into());
        a.reason = "doctor on leave".into();
    })
    .await;
    let told = told_of_appointment(&chat, &asha, &cancelled, AppointmentNews::Answered).await;
    assert_says(&told, "City Clinic cancelled Vaccination");
    assert_says(&told, "“doctor on leave”");

    let offered = booked(&chat, "asha", |a| {
        a.status = "offered".into();
        a.offer_expires = Some("2026-11-29T09:15:00+05:30".into());
    })
    .await;
    let told = told_of_appointment(&chat, &asha, &offered, AppointmentNews::Answered).await;
    assert_says(&told, "before 09:15");
    let take = button(&told, "Take").to_owned();
    chat.press(&asha, &take).await;
    let steps = chat.port.lock().appointments.steps.clone();
    assert_eq!(steps, vec![(offered, AppointmentStep::Take)]);
}

#[tokio::test]
async fn my_appointments_cancel_and_reschedule() {
    let chat = Chat::new();
    let asha = user("asha");
    chat.port.add(&asha, "asha", Role::Patient);
    let none = chat.say(&asha, "/appointments").await;
    assert_says(&none, "No appointments yet");
    let id = booked(&chat, "asha", |a| a.status = "confirmed".into()).await;

    let list = chat.say(&asha, "/appointments").await;
    assert_says(
        &list,
        "Vaccination · City Clinic · Sun 2026-11-29 10:00 · Asha · confirmed",
    );
    let cancel = button(&list, "Cancel").to_owned();
    let sent = chat.press(&asha, &cancel).await;
    assert_says(&sent, "Sent to City Clinic");
    assert_eq!(
        chat.port.lock().appointments.steps,
        vec![(id.clone(), AppointmentStep::Cancel)]
    );

    let days = chat.press(&asha, button(&list, "Reschedule")).await;
    assert_says(
        &days,
        "To which day should Vaccination at City Clinic move?",
    );
    // Days count from the facility's today (the real clock here): a day far ahead.
    let later = SlotInfo {
        start: "2099-01-05T11:00:00+05:30".into(),
        free: 2,
    };
    let key = (CLINIC.to_owned(), "2099-01-05".to_owned());
    chat.port.lock().appointments.slots.insert(key, vec![later]);
    chat.say(&asha, "2099-01-05").await;
    let confirm = chat.say(&asha, "11am").await;
    chat.press(&asha, button(&confirm, "Book")).await;
    assert_eq!(
        chat.port.lock().appointments.moved,
        vec![(id, "2099-01-05T11:00:00+05:30".to_owned())]
    );
    assert_eq!(
        chat.port.lock().appointments.drafts.len(),
        1,
        "a move is not a new booking"
    );

    let bad = chat.say(&asha, "/appointments cancel no-such").await;
    assert_says(&bad, "no-such");
}
