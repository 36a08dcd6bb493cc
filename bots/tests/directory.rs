//! The engine's directory answers against a fake node: a typed place, short cards with
//! phone and distance, map buttons and a map message.

#[path = "support/fake_port.rs"]
#[allow(dead_code)]
mod fake_port;

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::reply::{Pin, Reply};
use caremesh_bots::session::MemorySessions;
use fake_port::FakePort;

fn setup() -> (Engine, Arc<FakePort>) {
    let port = Arc::new(FakePort::default());
    let sessions = Arc::new(MemorySessions::default());
    (Engine::new(port.clone(), sessions, "Test node"), port)
}

async fn say(engine: &Engine, who: &ChatUser, text: &str) -> Vec<Reply> {
    engine.handle(&Input::text(who, text)).await
}

fn user() -> ChatUser {
    ChatUser::direct(Platform::Telegram, "77")
}

#[tokio::test]
async fn nearby_a_typed_place_answers_cards_map_buttons_and_a_pin() {
    let (engine, port) = setup();
    let r = say(&engine, &user(), "/nearby hospital near Pune").await;
    assert_eq!(
        port.lock().places_asked,
        vec!["Pune".to_owned()],
        "kind and filler dropped"
    );
    assert_eq!(r.len(), 2, "{r:?}");
    let cards = &r[0].text;
    assert!(cards.starts_with("Near Pune:"), "{cards}");
    assert!(cards.contains("1. City Hospital (hospital)"), "{cards}");
    assert!(cards.contains("☎ +91 20 1234 5678"), "{cards}");
    assert!(cards.contains("2. Rural Clinic"), "{cards}");
    let maps: Vec<&str> = r[0].all_buttons().map(|b| b.data.as_str()).collect();
    assert_eq!(maps, vec!["/map F0", "/map F1"]);
    assert_eq!(
        r[1].pin.as_deref(),
        Some(&Pin {
            lat: 18.52,
            lon: 73.85,
            title: "City Hospital".into(),
            address: "1 Station Road, Pune".into(),
        })
    );
    assert!(
        r[1].text
            .contains("openstreetmap.org/?mlat=18.52000&mlon=73.85000"),
        "{:?}",
        r[1]
    );

    let r = say(&engine, &user(), "/map F1").await;
    assert_eq!(r.len(), 1);
    assert_eq!(
        r[0].pin.as_ref().map(|p| p.title.as_str()),
        Some("Rural Clinic")
    );
    let r = say(&engine, &user(), "/map F9").await;
    assert!(r[0].text.contains("No facility `F9`"), "{r:?}");
    let r = say(&engine, &user(), "/map").await;
    assert!(r[0].text.contains("facility id"), "{r:?}");
}

#[tokio::test]
async fn nearby_an_unknown_place_says_so_and_a_typed_answer_is_looked_up() {
    let (engine, port) = setup();
    let r = say(&engine, &user(), "/nearby clinic Atlantis").await;
    assert!(
        r[0].text.contains("don't know a place called \"Atlantis\""),
        "{r:?}"
    );
    assert!(r.last().and_then(|x| x.request_location.as_ref()).is_some());
    // The dialogue now waits for a location: a place name works as the answer.
    let r = say(&engine, &user(), "pune").await;
    assert!(r[0].text.starts_with("Near Pune:"), "{r:?}");
    assert!(r[1].pin.is_some());
    assert_eq!(port.lock().places_asked, vec!["Atlantis", "pune"]);
    // Coordinates still work, without a place lookup.
    let r = say(&engine, &user(), "/nearby 18.5,73.8").await;
    assert!(r[0].text.starts_with("1. City Hospital"), "{r:?}");
    assert_eq!(port.lock().places_asked.len(), 2);
}

#[tokio::test]
async fn blood_with_a_place_and_group_spellings() {
    let (engine, port) = setup();
    // The fake has no blood banks: the answer says none, after looking Pune up.
    let r = say(&engine, &user(), "/blood o negative pune").await;
    assert!(r[0].text.contains("No facilities known"), "{r:?}");
    assert_eq!(port.lock().places_asked, vec!["pune"]);
    let r = say(&engine, &user(), "/blood pune").await;
    assert!(r[0].text.contains("blood O-"), "usage: {r:?}");
}
