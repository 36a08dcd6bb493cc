//! xcov19's contract, over real HTTP: exactly its request shapes for `POST /diagnose` and
//! `POST /geo`, its `FacilitiesResult` answer, field-named 400s and the 404 for an unknown
//! query. Also `POST /api/v1/triage` with red flags in English and Hindi.

use caremesh_node::fixtures::{node_config, spawn_node};
use serde_json::{Value, json};

async fn post(url: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn seed(node: &caremesh_node::server::RunningNode) {
    let admin = node.app.services.members.get("admin").unwrap().unwrap();
    let token = std::fs::read_to_string(
        node.app
            .config
            .resolve(&node.app.config.api.admin_token_file),
    )
    .unwrap();
    let client = reqwest::Client::new();
    for body in [
        json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.5204, "lon": 73.8567, "ownership": "government",
               "specialties": ["emergency_medicine", "cardiology"], "contact": "+91 20 2612 8000",
               "address": {"street": "Jay Prakash Narayan Rd", "city": "Pune", "state": "MH", "zip": "411001", "country": "IN"}}),
        json!({"kind": "clinic", "name": "Skin Clinic Kothrud", "lat": 18.5074, "lon": 73.8077, "specialties": ["dermatology"]}),
        json!({"kind": "hospital", "name": "Far Heart Hospital", "lat": 19.0760, "lon": 72.8777, "specialties": ["cardiology"]}),
    ] {
        let r = client
            .post(format!("{}/api/v1/facilities", node.url))
            .bearer_auth(token.trim())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{:?}", r.text().await);
    }
    let _ = admin;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_then_geo_answers_facilities_results() {
    let dir = tempfile::tempdir().unwrap();
    let node = spawn_node(node_config(dir.path(), "xcov19", &[]))
        .await
        .unwrap();
    seed(&node).await;
    let (s, v) = post(
        &format!("{}/diagnose", node.url),
        json!({"query": "itchy red rash on my arm", "query_id": {"query_id": "q-1"}}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["response"], "ok");
    assert!(
        v["specialties"]
            .as_array()
            .unwrap()
            .contains(&json!("dermatology")),
        "{v}"
    );
    let geo = json!({"location": {"lat": 18.52, "lng": 73.85}, "cust_id": {"cust_id": "c-1"}, "query_id": {"query_id": "q-1"}});
    let (s, v) = post(&format!("{}/geo", node.url), geo).await;
    assert_eq!(s, 200, "{v}");
    let list = v.as_array().unwrap();
    assert_eq!(list[0]["name"], "Skin Clinic Kothrud", "{v}");
    for key in [
        "name",
        "address",
        "geolocation",
        "contact",
        "facility_type",
        "ownership",
        "specialties",
        "stars",
        "reviews",
        "rank",
        "estimated_time",
    ] {
        assert!(
            list[0].get(key).is_some(),
            "FacilitiesResult lacks {key}: {}",
            list[0]
        );
    }
    assert_eq!(list[0]["rank"], 1);
    assert!(list[0]["estimated_time"].as_f64().unwrap() > 0.0);
    assert!(list[0]["geolocation"]["lng"].as_f64().is_some());

    // A cardiac emergency looks for hospitals with an emergency department, nearest first.
    let (s, _) = post(
        &format!("{}/diagnose", node.url),
        json!({"query": "severe chest pain and sweating", "query_id": {"query_id": "q-2"}}),
    )
    .await;
    assert_eq!(s, 200);
    let (_, v) = post(&format!("{}/geo", node.url), json!({"location": {"lat": 18.52, "lng": 73.85}, "cust_id": {"cust_id": "c"}, "query_id": {"query_id": "q-2"}})).await;
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Sassoon General"], "{v}");
    assert_eq!(v[0]["address"]["city"], "Pune");
    assert_eq!(v[0]["ownership"], "government");
    node.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_name_the_field_and_unknown_queries_are_404() {
    let dir = tempfile::tempdir().unwrap();
    let node = spawn_node(node_config(dir.path(), "xcov19-bad", &[]))
        .await
        .unwrap();
    let geo = format!("{}/geo", node.url);
    let cases = [
        (
            json!({"location": {"lat": 18.5}, "cust_id": {"cust_id": "c"}, "query_id": {"query_id": "q"}}),
            "location.lng",
        ),
        (
            json!({"location": {"lat": 95.0, "lng": 1.0}, "cust_id": {"cust_id": "c"}, "query_id": {"query_id": "q"}}),
            "location.lat",
        ),
        (
            json!({"location": {"lat": 1.0, "lng": 1.0}, "cust_id": "c", "query_id": {"query_id": "q"}}),
            "cust_id.cust_id",
        ),
        (
            json!({"location": {"lat": 1.0, "lng": 1.0}, "cust_id": {"cust_id": "c"}}),
            "query_id.query_id",
        ),
    ];
    for (body, field) in cases {
        let (s, v) = post(&geo, body).await;
        assert_eq!((s, v["error"]["field"].as_str()), (400, Some(field)), "{v}");
    }
    let (s, v) = post(
        &format!("{}/diagnose", node.url),
        json!({"query": "", "query_id": {"query_id": "q"}}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (400, Some("query")),
        "{v}"
    );
    let (s, v) = post(&geo, json!({"location": {"lat": 1.0, "lng": 1.0}, "cust_id": {"cust_id": "c"}, "query_id": {"query_id": "never"}})).await;
    assert_eq!(s, 404, "{v}");
    let resp = reqwest::Client::new()
        .post(&geo)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    node.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triage_red_flags_in_english_and_hindi_bring_the_nearest_emergency() {
    let dir = tempfile::tempdir().unwrap();
    let node = spawn_node(node_config(dir.path(), "triage", &[]))
        .await
        .unwrap();
    seed(&node).await;
    let url = format!("{}/api/v1/triage", node.url);
    for symptoms in [
        "my father has chest pain and is sweating",
        "mere pita ko seene mein dard hai",
        "बच्चे को दौरा पड़ा",
    ] {
        let (s, v) = post(
            &url,
            json!({"symptoms": symptoms, "lat": 18.52, "lon": 73.85}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["urgency"], "emergency", "{symptoms}: {v}");
        assert_eq!(v["emergency_number"], "112");
        assert_eq!(v["nearest_emergency"][0]["name"], "Sassoon General", "{v}");
        assert!(
            v["disclaimer"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("not a diagnosis"),
            "{v}"
        );
    }
    let (s, v) = post(&url, json!({"symptoms": "toothache since yesterday"})).await;
    assert_eq!((s, v["urgency"].as_str()), (200, Some("routine")), "{v}");
    assert!(v.get("nearest_emergency").is_none());
    let (s, v) = post(&url, json!({"symptoms": "  "})).await;
    assert_eq!(
        (s, v["error"]["field"].as_str()),
        (400, Some("symptoms")),
        "{v}"
    );
    node.stop();
}
