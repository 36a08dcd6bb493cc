//! The conversation engine over a real node: directory commands answered from the node's
//! listings (`/nearby`, `/blood`, `/services`, `/symptoms`).

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::session::MemorySessions;
use caremesh_node::app::App;
use caremesh_node::bench::node_config;
use caremesh_node::chat::port::ChatNode;
use caremesh_node::http::views::FacilityInput;

fn listing(app: &App, json: serde_json::Value) {
    let admin = app.members.get("admin").unwrap().unwrap();
    let input: FacilityInput = serde_json::from_value(json).unwrap();
    let checked = input.into_facility(Default::default()).unwrap();
    app.listings
        .create(&admin, |meta| caremesh_federation::Facility {
            meta,
            ..checked
        })
        .unwrap();
}

async fn say(engine: &Engine, who: &ChatUser, text: &str) -> String {
    engine
        .handle(&Input::text(who, text))
        .await
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn directory_commands_answer_from_the_listings() {
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::open(node_config(dir.path(), "chat", &[]), true).unwrap());
    listing(
        &app,
        serde_json::json!({"kind": "blood_bank", "name": "Jankalyan Blood Bank", "lat": 18.51, "lon": 73.85, "blood_stock": {"O-": 4}}),
    );
    listing(
        &app,
        serde_json::json!({"kind": "blood_bank", "name": "Empty Blood Bank", "lat": 18.52, "lon": 73.86, "blood_stock": {"O-": 0, "A+": 2}}),
    );
    listing(
        &app,
        serde_json::json!({"kind": "hospital", "name": "Ruby Hall Clinic", "lat": 18.53, "lon": 73.88, "contact": "+91 20 6645 5100",
        "services": [{"name": "MRI brain", "price": 6500, "currency": "INR"}]}),
    );
    let engine = Engine::new(
        Arc::new(ChatNode::new(app.clone())),
        Arc::new(MemorySessions::default()),
        "chat",
    );
    let who = ChatUser::direct(Platform::Telegram, "42");

    let blood = say(&engine, &who, "/blood O-ve 18.52,73.86").await;
    assert!(
        blood.contains("Jankalyan Blood Bank") && !blood.contains("Empty Blood Bank"),
        "{blood}"
    );
    let asked = say(&engine, &who, "/blood A+").await;
    assert!(
        asked.to_lowercase().contains("location"),
        "asks where: {asked}"
    );
    let answered = say(&engine, &who, "18.52, 73.86").await;
    assert!(
        answered.contains("Empty Blood Bank") && !answered.contains("Jankalyan"),
        "{answered}"
    );
    let usage = say(&engine, &who, "/blood purple").await;
    assert!(usage.contains("O-"), "{usage}");

    let services = say(&engine, &who, "/services ruby hall").await;
    assert!(
        services.contains("MRI brain") && services.contains("6500.00") && services.contains("INR"),
        "{services}"
    );
    let none = say(&engine, &who, "/services nowhere").await;
    assert!(none.contains("nowhere"), "{none}");

    let nearby = say(&engine, &who, "/nearby hospital 18.52,73.86").await;
    assert!(
        nearby.contains("Ruby Hall Clinic")
            && nearby.contains("+91 20 6645 5100")
            && !nearby.contains("Blood"),
        "{nearby}"
    );
    let symptoms = say(&engine, &who, "/symptoms seene mein dard").await;
    assert!(symptoms.contains("emergency"), "{symptoms}");
}
