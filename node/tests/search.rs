//! Facility search through the local API: filters, distances, retraction.

#[path = "support/api.rs"]
mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{api, field_error};

#[tokio::test]
async fn facility_search_filters_and_orders_by_distance() {
    let api = api();
    let admin = api.admin();
    let make = |body: Value| {
        let api = &api;
        async move {
            let (s, v) = api.post_facility(&body).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["id"].as_str().unwrap().to_owned()
        }
    };
    let near = make(json!({"kind": "blood_bank", "name": "Near", "lat": 18.52, "lon": 73.86, "blood_stock": {"O-": 3}, "hours": "24/7"})).await;
    let far = make(json!({"kind": "blood_bank", "name": "Far", "lat": 18.62, "lon": 73.86, "blood_stock": {"O-": 5, "A+": 1}})).await;
    let _empty = make(json!({"kind": "blood_bank", "name": "No O-", "lat": 18.521, "lon": 73.861, "blood_stock": {"O-": 0}})).await;
    let clinic = make(json!({"kind": "clinic", "name": "Clinic", "lat": 18.5201, "lon": 73.8601, "specialties": ["dermatology"],
        "services": [{"name": "Skin biopsy", "price": 1500.5, "currency": "INR"}]})).await;
    let ids = |v: &Value| {
        v["facilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let (_, v) = api
        .get(
            "/api/v1/facilities?lat=18.52&lon=73.86&kind=blood_bank&blood_group=O-",
            None,
        )
        .await;
    assert_eq!(ids(&v), vec![near.clone(), far.clone()], "{v}");
    assert!(v["facilities"][1]["distance_km"].as_f64().unwrap() > 11.0);
    let (_, v) = api
        .get(
            "/api/v1/facilities?lat=18.52&lon=73.86&radius_km=5&blood_group=O-",
            None,
        )
        .await;
    assert_eq!(ids(&v), vec![near.clone()]);
    let (_, v) = api
        .get(
            "/api/v1/facilities?lat=18.52&lon=73.86&specialty=dermatology&service=biopsy",
            None,
        )
        .await;
    assert_eq!(ids(&v), vec![clinic.clone()]);
    assert_eq!(v["facilities"][0]["services"][0]["price"], 1500.5);
    let (_, v) = api
        .get("/api/v1/facilities?lat=18.52&lon=73.86&open_now=true", None)
        .await;
    assert_eq!(
        ids(&v),
        vec![near.clone()],
        "only the 24/7 bank is surely open"
    );
    let (_, v) = api
        .get("/api/v1/facilities?lat=18.5201&lon=73.8601&limit=1", None)
        .await;
    assert_eq!(ids(&v), vec![clinic.clone()]);
    field_error(
        &api.get("/api/v1/facilities?lat=18.52&lon=73.86&blood_group=Z", None)
            .await,
        "blood_group",
    );
    // Retracted listings leave the index.
    let (s, _) = api
        .call(
            "DELETE",
            &format!("/api/v1/facilities/{near}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = api
        .get(
            "/api/v1/facilities?lat=18.52&lon=73.86&blood_group=O-",
            None,
        )
        .await;
    assert_eq!(ids(&v), vec![far]);
}
