//! The conversation engine against a fake node: the flows of the issue, persistence of the
//! dialogue, languages, and garbage in, help out.

#[path = "support/fake_port.rs"]
mod fake_port;
#[path = "support/replies.rs"]
#[allow(dead_code)]
mod replies;

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Event, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::port::Role;
use caremesh_bots::reply::Reply;
use caremesh_bots::session::MemorySessions;
use fake_port::FakePort;
use replies::{button_data, text};

fn setup() -> (Engine, Arc<FakePort>, Arc<MemorySessions>) {
    let port = Arc::new(FakePort::default());
    let sessions = Arc::new(MemorySessions::default());
    (
        Engine::new(port.clone(), sessions.clone(), "Test node"),
        port,
        sessions,
    )
}

fn tg(id: &str) -> ChatUser {
    ChatUser::direct(Platform::Telegram, id)
}

async fn say(engine: &Engine, who: &ChatUser, text: &str) -> Vec<Reply> {
    engine.handle(&Input::text(who, text)).await
}

async fn press(engine: &Engine, who: &ChatUser, data: &str) -> Vec<Reply> {
    engine.handle(&Input::button(who, data)).await
}

#[tokio::test]
async fn requester_waits_for_approval_then_posts_a_need_with_buttons() {
    let (engine, port, _) = setup();
    let nurse = tg("100");
    let admin = tg("1");
    port.add(&admin, "admin", Role::Admin);
    assert!(text(&say(&engine, &nurse, "/need").await).contains("not registered"));
    let r = say(&engine, &nurse, "/register").await;
    let r = press(&engine, &nurse, button_data(&r, "=role:requester")).await;
    assert!(r[0].request_location.is_some());
    let r = say(&engine, &nurse, "18.52, 73.85").await;
    assert!(text(&r).contains("approve"), "{r:?}");
    assert!(matches!(
        port.lock().notices.last(),
        Some((None, caremesh_bots::notice::Notice::Pending { .. }))
    ));
    assert!(text(&say(&engine, &nurse, "/need").await).contains("waits for an admin"));
    let r = say(&engine, &admin, "/approve u100").await;
    assert!(text(&r).contains("u100 is approved"), "{r:?}");
    let r = say(&engine, &nurse, "/need").await;
    let r = press(&engine, &nurse, button_data(&r, "=product:face-shield")).await;
    assert!(text(&r).contains("How many"));
    let r = say(&engine, &nurse, "twelve").await;
    assert!(text(&r).contains("whole number"), "{r:?}");
    let r = say(&engine, &nurse, "500").await;
    let r = press(&engine, &nurse, button_data(&r, "=need-by:7")).await;
    let r = press(&engine, &nurse, button_data(&r, "=facility:F1")).await;
    assert!(
        text(&r).contains("Posted: 500 × face-shield for F1"),
        "{r:?}"
    );
    assert_eq!(port.lock().requests.len(), 1);
}

#[tokio::test]
async fn maker_offers_and_requester_accepts_then_ship_and_receive() {
    let (engine, port, _) = setup();
    let (nurse, maker) = (tg("100"), ChatUser::direct(Platform::Matrix, "@m:hs"));
    port.add(&nurse, "nurse", Role::Requester);
    port.add(&maker, "maker", Role::Maker);
    say(&engine, &nurse, "/need").await;
    say(&engine, &nurse, "n95 mask").await;
    say(&engine, &nurse, "10").await;
    say(&engine, &nurse, "/skip").await;
    let r = say(&engine, &nurse, "City Hospital").await;
    assert!(text(&r).contains("Posted"), "{r:?}");
    let r = say(&engine, &maker, "!needs").await;
    let r = press(&engine, &maker, button_data(&r, "/offer R")).await;
    assert!(text(&r).contains("10 still needed"), "{r:?}");
    say(&engine, &maker, "4").await;
    let r = say(&engine, &maker, "petg").await;
    let r = press(&engine, &maker, button_data(&r, "=eta:3")).await;
    assert!(text(&r).contains("Offer sent: 4 × n95-mask"), "{r:?}");
    let r = say(&engine, &nurse, "/proposals").await;
    assert!(
        text(&r).contains("+91 000"),
        "requester sees the contact: {r:?}"
    );
    let r = press(&engine, &nurse, button_data(&r, "/accept ")).await;
    assert!(text(&r).contains("Accepted 4 of 4"), "{r:?}");
    let again = say(&engine, &nurse, "/accept P2").await;
    assert!(text(&again).contains("Not possible now"), "{again:?}");
    let r = say(&engine, &maker, "!shipped P2").await;
    assert!(text(&r).contains("shipped"), "{r:?}");
    let r = say(&engine, &nurse, "/received P2").await;
    assert!(text(&r).contains("confirmed"), "{r:?}");
    assert!(text(&say(&engine, &nurse, "/stats").await).contains("face-shield: 100 / 40 / 20"));
}

#[tokio::test]
async fn dialogue_survives_a_new_engine_and_stale_buttons_are_named() {
    let (engine, port, sessions) = setup();
    let nurse = tg("100");
    port.add(&nurse, "nurse", Role::Requester);
    let r = say(&engine, &nurse, "/need").await;
    let old_product = button_data(&r, "=product:gloves").to_owned();
    press(&engine, &nurse, &old_product).await;
    // A restart: a new engine over the same stored sessions continues the dialogue.
    let engine = Engine::new(port.clone(), sessions, "Test node");
    let r = press(&engine, &nurse, &old_product).await;
    assert!(text(&r).contains("older question"), "{r:?}");
    let r = say(&engine, &nurse, "5").await;
    assert!(text(&r).contains("how many days"), "{r:?}");
    let r = say(&engine, &nurse, "/cancel").await;
    assert!(text(&r).contains("Nothing was saved"));
    assert!(port.lock().requests.is_empty());
    let r = press(&engine, &nurse, "=need-by:7").await;
    assert!(text(&r).contains("older question"), "{r:?}");
}

#[tokio::test]
async fn questions_of_older_sessions_are_answered_and_unreadable_ones_start_over() {
    let (engine, port, sessions) = setup();
    let nurse = tg("100");
    port.add(&nurse, "nurse", Role::Requester);
    // As the release before flows owned their state stored it: one enum, tagged `dialogue`.
    sessions.put_raw(
        &nurse,
        serde_json::json!({"lang": "en", "dialogue": {"dialogue": "need",
            "product": "gloves", "quantity": null, "within_days": null}}),
    );
    let r = say(&engine, &nurse, "5").await;
    assert!(text(&r).contains("how many days"), "{r:?}");
    let r = say(&engine, &nurse, "/skip").await;
    let r = press(&engine, &nurse, button_data(&r, "=facility:F1")).await;
    assert!(text(&r).contains("Posted: 5 × gloves"), "{r:?}");
    // `listing` is an alias of /facility: its old dialogue goes to the same flow.
    let staff = tg("200");
    port.add(&staff, "staff", Role::Staff);
    sessions.put_raw(
        &staff,
        serde_json::json!({"lang": "en", "dialogue": {"dialogue": "listing",
            "kind": "pharmacy", "name": null, "at": null}}),
    );
    let r = say(&engine, &staff, "Corner Pharmacy").await;
    assert!(r[0].request_location.is_some(), "asks where next: {r:?}");
    for broken in [
        serde_json::json!({"dialogue": "need", "quantity": "lots"}),
        serde_json::json!({"dialogue": "no-such-command"}),
        serde_json::json!({"dialogue": "stats"}),
    ] {
        sessions.put_raw(
            &nurse,
            serde_json::json!({"lang": "en", "dialogue": broken}),
        );
        let r = say(&engine, &nurse, "5").await;
        assert!(text(&r).contains("no longer be answered"), "{r:?}");
        let r = say(&engine, &nurse, "5").await;
        assert!(text(&r).contains("I answer commands"), "dropped: {r:?}");
    }
}

#[tokio::test]
async fn hindi_and_matrix_prefix_and_subscribe_mute_link() {
    let (engine, port, _) = setup();
    let maker = ChatUser::direct(Platform::Matrix, "@m:hs");
    port.add(&maker, "maker", Role::Maker);
    let r = say(&engine, &maker, "!lang hi").await;
    assert!(text(&r).contains("हिन्दी"), "{r:?}");
    let r = say(&engine, &maker, "!help").await;
    assert!(
        text(&r).contains("!need"),
        "Matrix help shows ! commands: {r:?}"
    );
    assert!(text(&r).contains("ज़रूरत"));
    say(&engine, &maker, "!lang en").await;
    let r = say(&engine, &maker, "!subscribe 40 face-shield,gloves").await;
    assert!(
        text(&r).contains("within 40 km for face-shield, gloves"),
        "{r:?}"
    );
    assert!(text(&say(&engine, &maker, "!mute").await).contains("paused"));
    assert!(port.lock().subs["maker"].muted);
    assert!(text(&say(&engine, &maker, "!subscribe").await).contains("resumed"));
    let r = say(&engine, &maker, "!link").await;
    assert!(text(&r).contains("CODE1234"));
    let phone = tg("555");
    let r = say(&engine, &phone, "/link CODE1234").await;
    assert!(text(&r).contains("this chat is now maker"), "{r:?}");
    let r = say(&engine, &phone, "/link CODE1234").await;
    assert!(
        text(&r).contains("did not work"),
        "a code works once: {r:?}"
    );
}

#[tokio::test]
async fn garbage_gets_specific_short_answers() {
    let (engine, port, _) = setup();
    let who = tg("7");
    let cases: Vec<(Event, &str)> = vec![
        (
            Event::Text {
                text: "/frobnicate".into(),
            },
            "don't know /frobnicate",
        ),
        (
            Event::Text {
                text: "x".repeat(10_000),
            },
            "too long (10000 characters)",
        ),
        (
            Event::Text {
                text: "hello".into(),
            },
            "I answer commands",
        ),
        (
            Event::Button {
                data: "=product:gloves".into(),
            },
            "older question",
        ),
        (
            Event::Button {
                data: "garbage".into(),
            },
            "don't recognise that button",
        ),
        (
            Event::File(caremesh_bots::chat::FileIn::new(
                "scan.pdf",
                "application/pdf",
                b"%PDF-1.4".to_vec(),
                "42-1730-0000-0011 lab report",
            )),
            "can't use this file (scan.pdf)",
        ),
        (
            Event::Text {
                text: "/offer".into(),
            },
            "not registered",
        ),
        (
            Event::Text {
                text: "/approve bob".into(),
            },
            "not registered",
        ),
    ];
    for (event, expect) in cases {
        let replies = engine
            .handle(&Input {
                from: who.clone(),
                event: event.clone(),
            })
            .await;
        let text = text(&replies);
        assert!(text.contains(expect), "{event:?} → {text}");
        assert!(text.len() < 400, "short answer for {event:?}");
    }
    port.add(&who, "maker", Role::Maker);
    assert!(text(&say(&engine, &who, "/offer NOPE").await).contains("can't find"));
    assert!(text(&say(&engine, &who, "/offer ../../etc").await).contains("Write /offer ID"));
    assert!(text(&say(&engine, &who, "/need").await).contains("Only approved requesters"));
    assert!(text(&say(&engine, &who, "/approve bob").await).contains("Only a node admin"));
    let r = say(&engine, &who, "/subscribe 99999").await;
    assert!(text(&r).contains("from 1 to 20000"), "{r:?}");
}

#[tokio::test]
async fn registration_takes_a_typed_place_like_nearby() {
    let (engine, port, _) = setup();
    let maker = tg("300");
    let r = say(&engine, &maker, "/register").await;
    let r = press(&engine, &maker, button_data(&r, "=role:maker")).await;
    assert!(text(&r).contains("type a place"), "{r:?}");
    let r = say(&engine, &maker, "Atlantis").await;
    assert!(
        text(&r).contains("don't know a place called \"Atlantis\""),
        "an unknown place is named and asked again: {r:?}"
    );
    assert!(r[0].request_location.is_some(), "{r:?}");
    let r = say(&engine, &maker, "near Pune").await;
    assert!(text(&r).contains("Done: you are u300"), "{r:?}");
    assert_eq!(
        port.lock().accounts["u300"].location,
        Some((18.52, 73.86)),
        "the gazetteer's coordinates are kept"
    );
}

#[tokio::test]
async fn hindi_words_name_kinds_roles_and_materials() {
    let (engine, port, _) = setup();
    let nurse = tg("100");
    let r = say(&engine, &nurse, "/register").await;
    assert!(r[0].all_buttons().any(|b| b.data == "=role:requester"));
    let r = say(&engine, &nurse, "नर्स").await;
    assert!(text(&r).contains("Where are you?"), "{r:?}");
    let r = say(&engine, &tg("77"), "/nearby अस्पताल के पास pune").await;
    assert!(text(&r).starts_with("Near Pune:"), "{r:?}");
    assert_eq!(
        port.lock().places_asked,
        ["pune"],
        "kind and filler dropped"
    );
    let maker = tg("300");
    port.add(&maker, "maker", Role::Maker);
    say(&engine, &nurse, "/cancel").await;
    port.add(&nurse, "nurse", Role::Requester);
    say(&engine, &nurse, "/need").await;
    say(&engine, &nurse, "gloves").await;
    say(&engine, &nurse, "5").await;
    say(&engine, &nurse, "छोड़ें").await;
    let r = say(&engine, &nurse, "F0").await;
    assert!(text(&r).contains("Posted: 5 × gloves"), "{r:?}");
    let r = say(&engine, &maker, "/offer R1").await;
    assert!(text(&r).contains("5 still needed"), "{r:?}");
    say(&engine, &maker, "5").await;
    let r = say(&engine, &maker, "wood").await;
    assert!(
        text(&r).contains("PLA, PETG, ABS, ASA, TPU, nylon"),
        "the materials are listed from the vocabulary: {r:?}"
    );
    let r = say(&engine, &maker, "नायलॉन").await;
    assert!(text(&r).contains("how many days"), "{r:?}");
}
