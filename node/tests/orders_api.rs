//! Medicine orders through the HTTP API on one node, with its background work running: a
//! patient orders from a pharmacy with a prescription, the pharmacy's staff read it and
//! quote, the patient confirms, the order becomes ready and collected; bad input refused
//! naming the field, nothing stored; other people see nothing of it.

#[path = "support/api.rs"]
mod support;

use std::time::Duration;

use axum::http::StatusCode;
use base64::Engine;
use serde_json::{Value, json};
use support::{Api, api_running, field_error};

/// Polls the patient's view of an order until its status is `want`.
async fn status_becomes(api: &Api, who: &str, id: &str, want: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        let (s, v) = api.get(&format!("/api/v1/orders/{id}"), Some(who)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if v["status"] == want && v["pending"].is_null() {
            return v;
        }
        last = v;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {id} never became {want}: {last}");
}

#[tokio::test]
async fn an_order_is_quoted_confirmed_made_ready_and_collected() {
    let api = api_running();
    let (pharmacy, staff, patient) = api.pharmacy_with_people("Apollo Pharmacy").await;
    let hospital = api.facility().await;
    let other = api
        .member(json!({"handle": "ravi", "role": "patient"}))
        .await;
    let items = json!([{"name": "Metformin 500 mg", "quantity": 30}, {"name": "Amlodipine 5 mg", "quantity": 10}]);
    let paper = base64::engine::general_purpose::STANDARD.encode("Rx: Metformin 500 mg bd");

    // Bad orders: each refused naming its field, nothing stored.
    let cases = [
        ("facility_id", json!({"items": items})),
        (
            "facility_id",
            json!({"facility_id": hospital, "items": items}),
        ),
        ("items", json!({"facility_id": pharmacy, "items": []})),
        (
            "items",
            json!({"facility_id": pharmacy, "items": [{"name": "x", "quantity": 0}]}),
        ),
        (
            "prescription.content_type",
            json!({"facility_id": pharmacy, "items": items,
            "prescription": {"content_type": "text/html", "data": paper}}),
        ),
        (
            "prescription.data",
            json!({"facility_id": pharmacy, "items": items,
            "prescription": {"content_type": "application/pdf", "data": paper}}),
        ),
    ];
    for (field, body) in cases {
        field_error(&api.post("/api/v1/orders", &patient, body).await, field);
    }
    let (s, v) = api.get("/api/v1/orders", Some(&patient)).await;
    assert_eq!((s, &v["orders"]), (StatusCode::OK, &json!([])), "{v}");
    let order = json!({"facility_id": pharmacy, "items": items, "note": "evening pickup",
        "prescription": {"content_type": "text/plain", "data": paper}});
    let (s, _) = api.post("/api/v1/orders", &staff, order.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only patients order");

    let (s, v) = api.post("/api/v1/orders", &patient, order).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["prescription"].as_bool()),
        (Some("requested"), Some(true))
    );
    let id = v["id"].as_str().unwrap().to_owned();

    // The pharmacy sees it (after its desk took it) with the prescription.
    let list = format!("/api/v1/orders?facility_id={pharmacy}");
    let mut seen = Value::Null;
    for _ in 0..100 {
        let (s, v) = api.get(&list, Some(&staff)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if v["orders"].as_array().is_some_and(|o| o.len() == 1) {
            seen = v;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen["orders"][0]["id"], id.as_str(), "{seen}");
    let (s, _, bytes) = api
        .raw(
            "GET",
            &format!("/api/v1/orders/{id}/prescription"),
            Some(&staff),
            "application/json",
            vec![],
        )
        .await;
    assert_eq!(
        (s, bytes.as_slice()),
        (StatusCode::OK, b"Rx: Metformin 500 mg bd".as_slice())
    );
    let (s, _) = api.get(&list, Some(&patient)).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a patient does not read the pharmacy's orders"
    );
    let (s, _) = api.get(&format!("/api/v1/orders/{id}"), Some(&other)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another patient sees nothing");

    // The quote: one line per medicine, a pickup time not in the past.
    let quote = format!("/api/v1/orders/{id}/quote");
    field_error(
        &api.post(
            &quote,
            &staff,
            json!({"items": [{"available": 30, "unit_price": 2.5}]}),
        )
        .await,
        "items",
    );
    field_error(
        &api.post(
            &quote,
            &staff,
            json!({"items": [{"available": 30, "unit_price": 2.5},
        {"available": 10, "unit_price": 4}], "pickup_at": "2001-01-01T10:00:00Z"}),
        )
        .await,
        "pickup_at",
    );
    let (s, _) = api
        .post(&format!("/api/v1/orders/{id}/ready"), &staff, json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "not ready before the patient confirmed"
    );
    let (s, v) = api.post(&quote, &staff, json!({"items": [{"available": 30, "unit_price": 2.5},
        {"available": 5, "unit_price": 4}], "pickup_at": "2099-01-01T10:00:00Z", "message": "5 of Amlodipine"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let quoted = status_becomes(&api, &patient, &id, "quoted").await;
    assert_eq!(quoted["total"].as_f64(), Some(95.0), "{quoted}");
    assert_eq!(quoted["quote"][1]["available"], 5, "{quoted}");

    let (s, v) = api
        .post(&format!("/api/v1/orders/{id}/confirm"), &patient, json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    status_becomes(&api, &patient, &id, "confirmed").await;
    for step in ["ready", "collected"] {
        let (s, v) = api
            .post(&format!("/api/v1/orders/{id}/{step}"), &staff, json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{step}: {v}");
        status_becomes(&api, &patient, &id, step).await;
    }
    let (s, v) = api
        .post(&format!("/api/v1/orders/{id}/cancel"), &patient, json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a collected order is not cancelled: {v}"
    );
}
