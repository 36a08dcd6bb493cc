//! What a newcomer meets first: the node's description and a first listing with only part of
//! an address.

#[path = "support/api.rs"]
mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::api;

#[tokio::test]
async fn the_node_names_its_policy_in_words() {
    let api = api();
    let (s, v) = api.get("/api/v1/node", None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["policy"], "allowlist", "{v}");
}

#[tokio::test]
async fn a_listing_takes_a_partial_address() {
    let api = api();
    let body = json!({"kind": "clinic", "name": "Aundh Clinic", "lat": 18.56, "lon": 73.81,
        "address": {"city": "Pune", "country": "IN"}});
    let (s, v) = api.post_facility(&body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["address"]["city"], "Pune");
    assert_eq!(v["address"]["street"], "");
    let id = v["id"].as_str().expect("id");
    let (s, v) = api.get(&format!("/api/v1/facilities/{id}"), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["address"]["country"], "IN");
    // Unknown address parts are still refused, naming the problem.
    let body = json!({"kind": "clinic", "name": "X", "lat": 18.5, "lon": 73.8,
        "address": {"town": "Pune"}});
    let (s, v) = api.post_facility(&body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("town"),
        "{v}"
    );
}

#[tokio::test]
async fn a_plus_sign_in_a_query_means_plus() {
    let api = api();
    let body = json!({"kind": "blood_bank", "name": "Jankalyan", "lat": 18.51, "lon": 73.85,
        "blood_stock": {"O+": 3}});
    let (s, v) = api.post_facility(&body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // `+` in a query string decodes to a space; `%2B` is a plus.
    for group in ["O+", "O%2B", "o+"] {
        let path = format!("/api/v1/facilities?lat=18.5&lon=73.8&blood_group={group}");
        let (s, v) = api.get(&path, None).await;
        assert_eq!(s, StatusCode::OK, "{group}: {v}");
        assert_eq!(
            v["facilities"].as_array().map(Vec::len),
            Some(1),
            "{group}: {v}"
        );
    }
}
