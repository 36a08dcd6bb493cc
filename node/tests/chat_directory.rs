//! The conversation engine over a real node: directory commands answered from the node's
//! listings (`/nearby`, `/blood`, `/map`, `/services`, `/symptoms`), places from the
//! node's gazetteer (built in, plus the operator's `places_file`).

use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::session::MemorySessions;
use caremesh_node::app::App;
use caremesh_node::chat::port::ChatNode;
use caremesh_node::fixtures::node_config;
use caremesh_node::http::FacilityInput;

fn listing(app: &App, json: serde_json::Value) {
    let admin = app.services.members.get("admin").unwrap().unwrap();
    let input: FacilityInput = serde_json::from_value(json).unwrap();
    let checked = input.into_facility(Default::default()).unwrap();
    app.services
        .listings
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
        Arc::new(ChatNode::new(&app.services, app.store.clone())),
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

#[tokio::test]
async fn typed_places_come_from_the_gazetteer_and_pins_from_the_listing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("places.csv"),
        "# local places\nname,state,lat,lon,aliases\nKothrud,Maharashtra,18.5074,73.8077,कोथरूड\n",
    )
    .unwrap();
    let mut config = node_config(dir.path(), "chat", &[]);
    config.directory.places_file = Some(dir.path().join("places.csv"));
    let app = Arc::new(App::open(config, true).unwrap());
    listing(
        &app,
        serde_json::json!({"kind": "hospital", "name": "Sahyadri Hospital", "lat": 18.5089, "lon": 73.8100,
        "contact": "+91 20 6721 3000", "address": {"street": "Karve Road", "city": "Pune", "state": "", "zip": "", "country": "IN"}}),
    );
    listing(
        &app,
        serde_json::json!({"kind": "hospital", "name": "AIIMS", "lat": 28.5672, "lon": 77.2100}),
    );
    let engine = Engine::new(
        Arc::new(ChatNode::new(&app.services, app.store.clone())),
        Arc::new(MemorySessions::default()),
        "chat",
    );
    let who = ChatUser::direct(Platform::Matrix, "@asha:localhost");

    let replies = engine
        .handle(&Input::text(&who, "!nearby hospital near कोथरूड"))
        .await;
    let cards = &replies[0].text;
    assert!(cards.starts_with("Near Kothrud:"), "{cards}");
    assert!(
        cards.contains("1. Sahyadri Hospital (hospital)\n    0.3 km · ☎ +91 20 6721 3000"),
        "{cards}"
    );
    assert!(cards.contains("2. AIIMS"), "{cards}");
    let pin = replies[1].pin.as_ref().expect("a map message");
    assert_eq!((pin.lat, pin.lon), (18.5089, 73.81));
    assert_eq!(pin.address, "Karve Road, Pune");
    let map = replies[0]
        .all_buttons()
        .nth(1)
        .expect("a map button")
        .data
        .clone();
    let aiims = engine.handle(&Input::button(&who, &map)).await;
    assert_eq!(
        aiims[0].pin.as_ref().map(|p| p.title.as_str()),
        Some("AIIMS")
    );

    let delhi = say(&engine, &who, "!nearby दिल्ली").await;
    assert!(delhi.starts_with("Near Delhi:\n1. AIIMS"), "{delhi}");
    let unknown = say(&engine, &who, "!nearby Atlantis").await;
    assert!(unknown.contains("\"Atlantis\""), "{unknown}");
}

#[test]
fn a_bad_places_file_stops_the_start_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("places.csv"),
        "name,state,lat,lon\nKothrud,Maharashtra,north,73.8\n",
    )
    .unwrap();
    let mut config = node_config(dir.path(), "chat", &[]);
    config.directory.places_file = Some(dir.path().join("places.csv"));
    let err = App::open(config, true).err().expect("refused").to_string();
    assert!(
        err.contains("line 2") && err.contains("lat `north`"),
        "{err}"
    );
}

#[tokio::test]
async fn staff_list_and_change_facilities_from_the_chat() {
    use caremesh_node::chat::records::ChatRecords;
    use caremesh_node::directory::search::Query;
    use caremesh_node::members::{NewMember, Role};
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::open(node_config(dir.path(), "chat", &[]), true).unwrap());
    let new = |handle: &str, role| NewMember {
        handle: handle.into(),
        role: Some(role),
        facility_id: None,
        contact: String::new(),
        address: String::new(),
        lat: None,
        lon: None,
    };
    app.services
        .members
        .create(new("meera", Role::Staff), 0)
        .unwrap();
    app.services
        .members
        .create(new("ravi", Role::Maker), 0)
        .unwrap();
    let staff = ChatUser::direct(Platform::Telegram, "501");
    let maker = ChatUser::direct(Platform::Telegram, "502");
    let records = ChatRecords::new(app.store.clone());
    records.link(&staff, "meera").unwrap();
    records.link(&maker, "ravi").unwrap();
    let engine = Engine::new(
        Arc::new(ChatNode::new(&app.services, app.store.clone())),
        Arc::new(MemorySessions::default()),
        "chat",
    );
    let press = |who: &ChatUser, data: &str| Input::button(who, data);

    let refused = say(&engine, &maker, "/facility new").await;
    assert!(
        refused.contains("Only staff of this node's facilities"),
        "{refused}"
    );

    let kinds = engine.handle(&Input::text(&staff, "/facility new")).await;
    let blood_bank = kinds[0]
        .all_buttons()
        .find(|b| b.label == "blood bank")
        .expect("kind buttons")
        .data
        .clone();
    let asked = engine.handle(&press(&staff, &blood_bank)).await;
    assert!(asked[0].text.contains("name"), "{asked:?}");
    say(&engine, &staff, "Rakt Kendra Pune").await;
    let phone = say(&engine, &staff, "Pune").await;
    assert!(phone.contains("phone"), "{phone}");
    let created = say(&engine, &staff, "+91 20 2444 0000").await;
    assert!(created.contains("Rakt Kendra Pune is listed"), "{created}");
    let id = created
        .split("(id ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("id in the answer")
        .to_owned();
    let stored = app.services.listings.get(&id).unwrap();
    assert_eq!(stored.contact, "+91 20 2444 0000");
    assert_eq!((stored.lat_e7, stored.lon_e7), (185_200_000, 738_600_000));

    let listed = say(&engine, &staff, "/facility").await;
    assert!(
        listed.contains(&format!("Rakt Kendra Pune (blood_bank) – {id}")),
        "{listed}"
    );
    let none = say(&engine, &staff, "/blood O- Pune").await;
    assert!(none.contains("No facilities"), "no stock yet: {none}");
    let stocked = say(&engine, &staff, &format!("/facility {id} blood O-ve 12")).await;
    assert!(stocked.contains("blood changed"), "{stocked}");
    let found = say(&engine, &staff, "/blood O- Pune").await;
    assert!(found.contains("Rakt Kendra Pune"), "{found}");
    let bad = say(&engine, &staff, &format!("/facility {id} hours sometimes")).await;
    assert!(bad.contains("hours") && bad.contains("sometimes"), "{bad}");
    say(&engine, &staff, &format!("/facility {id} hours 24/7")).await;
    assert_eq!(app.services.listings.get(&id).unwrap().hours, "24/7");
    let by_maker = say(&engine, &maker, &format!("/facility {id} retract")).await;
    assert!(
        by_maker.contains("Only staff of this node's facilities"),
        "{by_maker}"
    );
    let retracted = say(&engine, &staff, &format!("/facility {id} retract")).await;
    assert!(retracted.contains("retract changed"), "{retracted}");
    assert!(
        app.services
            .finder
            .index()
            .nearest(18.52, 73.86, 5, &Query::default(), None)
            .is_empty(),
        "a retracted listing leaves the index"
    );
}
