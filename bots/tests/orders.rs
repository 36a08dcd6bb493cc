//! `/order` and `/orders` against a fake node, typed the way people type ("paracetamol
//! 500mg x 10, cetirizine 2 strips", Hindi, "tomorrow 10am"): a guardian orders for a
//! dependant with a prescription on record; wrong answers get a message naming what is
//! wrong and the question stays open; the pharmacy's staff quote line by line; and what the
//! order notices say to the patient and to the staff.

#[path = "support/chat_world.rs"]
#[allow(dead_code)]
mod chat_world;

use caremesh_bots::notice::OrderNews;
use caremesh_bots::port::*;
use chat_world::*;

#[tokio::test]
async fn a_guardian_orders_for_a_dependant_with_a_prescription_typing_sloppily() {
    let chat = world();
    let ravi = user("ravi");
    let amma = chat.patient_with_dependant(&ravi).await;
    prescription_on_record(&chat, &amma);

    let asked = chat.say(&ravi, "/order").await;
    assert_says(&asked, "Who are the medicines for?");
    let wrong = chat.say(&ravi, "grandpa").await;
    assert_says(&wrong, "choose one of the buttons");
    let offers = chat.press(&ravi, button(&asked, "Amma")).await;
    assert_says(&offers, "1. Sai Medicals – 0.8 km");
    let wrong = chat.say(&ravi, "9").await;
    assert_says(&wrong, "1 to 1");
    let items = chat.say(&ravi, "1").await;
    assert_says(&items, "Which medicines");

    let wrong = chat.say(&ravi, "x 10").await;
    assert_says(&wrong, "“x 10” has no medicine name");
    let wrong = chat.say(&ravi, "crocin x 0").await;
    assert_says(&wrong, "how many must be 1 to 10000");
    let rx = chat
        .say(&ravi, "paracetamol 500mg x 10, cetirizine 2 strips")
        .await;
    assert_says(&rx, "1. Dr Rao, fever (2026-11-20)");
    let confirm = chat.press(&ravi, button(&rx, "Dr Rao")).await;
    let shown = text(&confirm);
    assert!(
        shown.contains("Send this order to Sai Medicals for Amma?"),
        "{shown}"
    );
    assert!(shown.contains("• paracetamol 500mg × 10"), "{shown}");
    assert!(shown.contains("• cetirizine × 2"), "{shown}");
    assert!(shown.contains("Prescription: attached"), "{shown}");
    let sent = chat.press(&ravi, button(&confirm, "Send")).await;
    assert_says(&sent, "Sent to Sai Medicals");

    let drafts = chat.port.lock().orders.drafts.clone();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].facility_id, PHARMACY);
    assert_eq!(drafts[0].health_id.as_deref(), Some(amma.as_str()));
    assert_eq!(drafts[0].items[1].name, "cetirizine");
    assert_eq!(drafts[0].items[1].quantity, 2);
    let rx = drafts[0]
        .prescription
        .clone()
        .expect("prescription attached");
    assert_eq!((rx.health_id, rx.record_id), (amma, "rx1".to_owned()));
}

#[tokio::test]
async fn a_guardian_without_her_own_id_orders_for_her_one_dependant_unasked() {
    let chat = world();
    let meera = user("meera");
    chat.guardian_without_own_id(&meera, &["Chotu"]).await;

    let offers = chat.say(&meera, "/order").await;
    assert!(
        !text(&offers).contains("Who are the medicines for?"),
        "{offers:#?}"
    );
    assert_says(&offers, "1. Sai Medicals – 0.8 km");
}

#[tokio::test]
async fn ordering_in_hindi_for_oneself_with_the_list_typed_after_the_command() {
    let chat = world();
    let asha = user("asha");
    chat.port.add(&asha, "asha", Role::Patient);
    chat.say(&asha, "/lang hi").await;

    let offers = chat.say(&asha, "/order डोलो 650 x १५").await;
    assert_says(&offers, "कौन सी फ़ार्मेसी?");
    let confirm = chat.say(&asha, "1").await;
    let shown = text(&confirm);
    assert!(
        shown.contains("यह ऑर्डर आप के लिए Sai Medicals को भेजें?"),
        "{shown}"
    );
    assert!(shown.contains("• डोलो 650 × 15"), "{shown}");
    assert!(shown.contains("पर्चा: नहीं"), "{shown}");
    let sent = chat.say(&asha, "हाँ").await;
    assert_says(&sent, "Sai Medicals को भेज दिया");
    let drafts = chat.port.lock().orders.drafts.clone();
    assert_eq!(
        drafts[0].items,
        vec![OrderLine {
            name: "डोलो 650".into(),
            quantity: 15
        }]
    );
    assert_eq!(drafts[0].health_id, None);
    assert_eq!(drafts[0].prescription, None);

    // "No" drops the order.
    chat.say(&asha, "/order ORS x 3").await;
    chat.say(&asha, "1").await;
    let dropped = chat.say(&asha, "नहीं").await;
    assert_says(&dropped, "कुछ ऑर्डर नहीं हुआ");
    assert_eq!(chat.port.lock().orders.drafts.len(), 1);
}

#[tokio::test]
async fn the_quote_reaches_the_patient_with_confirm_and_cancel_and_then_ready_collected() {
    let chat = world();
    let ravi = user("ravi");
    chat.port.add(&ravi, "ravi", Role::Patient);
    let id = placed(&chat, "ravi", |o| {
        o.status = "quoted".into();
        o.quote = vec![
            QuotedLine {
                name: "paracetamol 500mg".into(),
                quantity: 10,
                available: 10,
                unit_price: "2.50".into(),
            },
            QuotedLine {
                name: "cetirizine".into(),
                quantity: 2,
                available: 0,
                unit_price: "0.00".into(),
            },
        ];
        o.total = "25.00".into();
        o.pickup_at = Some("2026-11-29T10:00:00+05:30".into());
        o.message = "cetirizine tomorrow".into();
    })
    .await;

    let quote = told(&chat, &ravi, &id, OrderNews::Answered).await;
    let shown = text(&quote);
    assert!(
        shown.contains("Sai Medicals answered your order for ravi"),
        "{shown}"
    );
    assert!(
        shown.contains("• paracetamol 500mg: 10 of 10 at 2.50 each"),
        "{shown}"
    );
    assert!(shown.contains("• cetirizine: not available"), "{shown}");
    assert!(
        shown.contains("Total 25.00 INR. Pickup: Sun 2026-11-29 10:00"),
        "{shown}"
    );
    assert!(
        shown.contains("The pharmacy says: cetirizine tomorrow"),
        "{shown}"
    );
    let cancel = button(&quote, "Cancel order").to_owned();
    let confirmed = chat.press(&ravi, button(&quote, "Confirm")).await;
    assert_says(&confirmed, "Sent to Sai Medicals");
    assert_eq!(
        chat.port.lock().orders.actions,
        vec![(id.clone(), OrderAction::Confirm)]
    );
    assert!(cancel.ends_with(&id));

    // Hindi for ready; the pharmacy's reason for a cancel.
    chat.say(&ravi, "/lang hi").await;
    pharmacy_changes(&chat, &id, |o| o.status = "ready".into());
    let ready = text(&told(&chat, &ravi, &id, OrderNews::Answered).await);
    assert!(
        ready.contains("ravi का ऑर्डर Sai Medicals पर तैयार है"),
        "{ready}"
    );
    chat.say(&ravi, "/lang en").await;
    pharmacy_changes(&chat, &id, |o| o.status = "collected".into());
    let collected = text(&told(&chat, &ravi, &id, OrderNews::Answered).await);
    assert!(collected.contains("was collected"), "{collected}");
    pharmacy_changes(&chat, &id, |o| {
        o.status = "cancelled".into();
        o.message = "out of stock".into();
    });
    let cancelled = text(&told(&chat, &ravi, &id, OrderNews::Answered).await);
    assert!(
        cancelled.contains("Sai Medicals cancelled the order for ravi: out of stock"),
        "{cancelled}"
    );

    // /orders lists it, with no buttons once cancelled; a confirm now is refused.
    let mine = chat.say(&ravi, "/orders").await;
    assert_says(&mine, "Sai Medicals – ravi: cancelled");
    assert_eq!(mine.iter().flat_map(|r| r.all_buttons()).count(), 0);
    let refused = chat.say(&ravi, &format!("/orders confirm {id}")).await;
    assert_says(&refused, "only a quoted order");
}

#[tokio::test]
async fn staff_quote_line_by_line_and_wrong_answers_keep_the_question() {
    let chat = world();
    let ravi = user("ravi");
    chat.port.add(&ravi, "ravi", Role::Patient);
    let nurse = user("nurse");
    chat.port.add(&nurse, "nurse", Role::Staff);
    let id = placed(&chat, "ravi", |_| {}).await;

    let new = told(&chat, &nurse, &id, OrderNews::Placed).await;
    let shown = text(&new);
    assert!(shown.contains("New medicine order for ravi"), "{shown}");
    assert!(shown.contains("• paracetamol 500mg × 10"), "{shown}");
    let open = chat.say(&nurse, "/orders").await;
    assert_says(&open, "Order for ravi: waiting for the pharmacy");

    let asked = chat.press(&nurse, button(&new, "Quote")).await;
    assert_says(&asked, "paracetamol 500mg × 10: how many do you have");
    let wrong = chat.say(&nurse, "lots").await;
    assert_says(&wrong, "I could not read “lots”");
    let wrong = chat.say(&nurse, "12 2").await;
    assert_says(&wrong, "Only 10 were ordered");
    let wrong = chat.say(&nurse, "10").await;
    assert_says(&wrong, "Add the price of one");
    let next = chat.say(&nurse, "10 @ ₹2.50").await;
    assert_says(&next, "cetirizine × 2");
    let pickup = chat.say(&nurse, "no").await;
    assert_says(&pickup, "When can it be collected?");
    let wrong = chat.say(&nurse, "someday").await;
    assert_says(&wrong, "“someday” is no time I know");
    // In the past (the fake's clock is 2026-11-28 12:00): said, and asked again.
    let confirm = chat.say(&nurse, "today 9am").await;
    let past = chat.press(&nurse, button(&confirm, "Send")).await;
    assert_says(&past, "is in the past");
    assert_says(&past, "When can it be collected?");
    let confirm = chat.say(&nurse, "tomorrow 10am").await;
    let shown = text(&confirm);
    assert!(shown.contains("• cetirizine: not available"), "{shown}");
    assert!(
        shown.contains("Total 25.00 INR. Pickup 2026-11-29 10:00"),
        "{shown}"
    );
    let sent = chat.press(&nurse, button(&confirm, "Send")).await;
    assert_says(&sent, "Quote sent");
    let quotes = chat.port.lock().orders.quotes.clone();
    let good = &quotes.last().unwrap().1;
    assert_eq!(good.lines, vec![(10, 2.5), (0, 0.0)]);
    assert_eq!(good.pickup.as_deref(), Some("2026-11-29T10:00"));

    // The patient confirmed: Ready, then Collected; a cancel asks why.
    pharmacy_changes(&chat, &id, |o| o.status = "confirmed".into());
    let news = told(&chat, &nurse, &id, OrderNews::Confirmed).await;
    assert_says(&news, "ravi confirmed the quote");
    let ready = chat.press(&nurse, button(&news, "Ready")).await;
    assert_says(&ready, "now: ready for pickup");
    let open = chat.say(&nurse, "/orders").await;
    let collected = chat.press(&nurse, button(&open, "Collected")).await;
    assert_says(&collected, "now: collected");
    let asked = chat.say(&nurse, &format!("/orders cancel {id}")).await;
    assert_says(&asked, "Why do you cancel");
    let again = chat.say(&nurse, "/skip").await;
    assert_says(&again, "Why do you cancel");
    chat.say(&nurse, "supplier did not deliver").await;
    let steps = chat.port.lock().orders.counter_steps.clone();
    assert_eq!(
        steps.last().unwrap().1,
        CounterStep::Cancel {
            reason: "supplier did not deliver".into()
        }
    );
}
