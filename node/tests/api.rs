//! The local API through `app(state)` with `oneshot`: happy paths and every kind of bad input
//! answered with the right status and a message naming the field.

#[path = "support/api.rs"]
mod support;

use std::sync::Arc;

use axum::http::StatusCode;
use caremesh_node::app::App;
use caremesh_node::fixtures::node_config;
use serde_json::{Value, json};
use support::{api, field_error};

#[tokio::test]
async fn bad_input_names_the_field_and_stores_nothing() {
    let api = api();
    let admin = api.admin();
    let fid = api.facility().await;
    let requester = api
        .member(json!({"handle": "asha", "role": "requester", "facility_id": fid}))
        .await;
    let post = |body: Value| {
        let api = &api;
        let requester = requester.clone();
        async move { api.post("/api/v1/requests", &requester, body.clone()).await }
    };
    field_error(
        &post(json!({"facility_id": fid, "quantity": 5})).await,
        "product",
    );
    field_error(
        &post(json!({"facility_id": fid, "product": "unicorn", "quantity": 5})).await,
        "product",
    );
    field_error(
        &post(json!({"facility_id": fid, "product": "gown", "quantity": 0})).await,
        "quantity",
    );
    field_error(
        &post(json!({"facility_id": fid, "product": "gown", "quantity": 5, "needed_by": "friday"}))
            .await,
        "needed_by",
    );
    field_error(&post(json!({"facility_id": fid, "product": "gown", "quantity": 5, "needed_by": "2001-01-01"})).await, "needed_by");
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/requests",
            Some(&requester),
            Some("{\"quantity\": "),
        )
        .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/requests",
            Some(&requester),
            Some(r#"{"facility_id":"x","product":"gown","quantity":1,"colour":"red"}"#),
        )
        .await;
    assert!(
        s == StatusCode::BAD_REQUEST && v["error"]["message"].as_str().unwrap().contains("colour"),
        "{v}"
    );
    let (s, _) = api.call("POST", "/api/v1/requests", None, Some("{}")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = api
        .call("POST", "/api/v1/requests", Some("not-a-token"), Some("{}"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = api
        .call(
            "POST",
            "/api/v1/members",
            Some(&requester),
            Some(r#"{"handle":"x","role":"admin"}"#),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    field_error(
        &api.call(
            "POST",
            "/api/v1/members",
            Some(&admin),
            Some(r#"{"handle":"bad handle!","role":"maker"}"#),
        )
        .await,
        "handle",
    );
    let (s, _) = api
        .get("/api/v1/requests/01JD3V5Q0000000000000000R1", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    field_error(
        &api.get("/api/v1/facilities?lat=abc&lon=1", None).await,
        "lat",
    );
    field_error(&api.get("/api/v1/facilities?lat=10", None).await, "lon");
    field_error(
        &api.get("/api/v1/facilities?kind=castle", None).await,
        "kind",
    );
    field_error(
        &api.call(
            "POST",
            "/api/v1/facilities",
            Some(&admin),
            Some(r#"{"kind":"clinic","name":"x","lat":91,"lon":0}"#),
        )
        .await,
        "lat",
    );
    let big = format!("{{\"note\": \"{}\"}}", "x".repeat(300_000));
    let (s, _) = api
        .call("POST", "/api/v1/requests", Some(&requester), Some(&big))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let (s, v) = api.get("/api/v1/requests", None).await;
    assert_eq!(
        (s, v["requests"].as_array().unwrap().len()),
        (StatusCode::OK, 0),
        "nothing was stored"
    );
}

#[tokio::test]
async fn acceptance_is_capped_then_refused() {
    let api = api();
    let fid = api.facility().await;
    let requester = api
        .member(json!({"handle": "asha", "role": "requester", "facility_id": fid}))
        .await;
    // One waiting proposal per maker per request: three makers offer.
    let mut makers = Vec::new();
    for handle in ["ravi", "meena", "joseph"] {
        makers.push(
            api.member(json!({"handle": handle, "role": "maker", "contact": "+91 1"}))
                .await,
        );
    }
    let maker = makers[0].clone();
    let body = json!({"facility_id": fid, "product": "face-shield", "quantity": 100, "needed_by": "2099-01-01"}).to_string();
    let (_, r) = api
        .call("POST", "/api/v1/requests", Some(&requester), Some(&body))
        .await;
    let rid = r["id"].as_str().unwrap();
    let mut ids = Vec::new();
    for (q, maker) in [80, 80, 10].into_iter().zip(&makers) {
        let (s, p) = api
            .post(
                &format!("/api/v1/requests/{rid}/proposals"),
                maker,
                json!({"quantity": q, "material": "PLA"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        ids.push(p["id"].as_str().unwrap().to_owned());
    }
    field_error(
        &api.call(
            "POST",
            &format!("/api/v1/requests/{rid}/proposals"),
            Some(&maker),
            Some(r#"{"quantity":5,"material":"wood"}"#),
        )
        .await,
        "material",
    );
    let accept = |id: String| {
        let api = &api;
        let requester = requester.clone();
        async move {
            api.call(
                "POST",
                &format!("/api/v1/proposals/{id}/decision"),
                Some(&requester),
                Some(r#"{"verdict":"accept"}"#),
            )
            .await
        }
    };
    let first = accept(ids[0].clone()).await;
    assert_eq!(
        (first.0, first.1["capped"].clone()),
        (StatusCode::OK, json!(false))
    );
    let second = accept(ids[1].clone()).await;
    assert_eq!(
        (
            second.0,
            second.1["proposal"]["accepted_quantity"].clone(),
            second.1["capped"].clone()
        ),
        (StatusCode::OK, json!(20), json!(true))
    );
    let third = accept(ids[2].clone()).await;
    assert_eq!(third.0, StatusCode::CONFLICT, "{third:?}");
    let (_, r) = api.get(&format!("/api/v1/requests/{rid}"), None).await;
    assert_eq!(
        (r["accepted"].clone(), r["status"].clone()),
        (json!(100), json!("satisfied"))
    );
    // Declining an accepted proposal releases its quantity.
    let (s, d) = api
        .call(
            "POST",
            &format!("/api/v1/proposals/{}/decision", ids[1]),
            Some(&requester),
            Some(r#"{"verdict":"decline"}"#),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(
        (
            d["request"]["accepted"].clone(),
            d["request"]["status"].clone()
        ),
        (json!(80), json!("open"))
    );
    let (s, list) = api
        .get(&format!("/api/v1/requests/{rid}/proposals"), Some(&maker))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "makers do not list a request's proposals: {list}"
    );
}

#[test]
fn concurrent_acceptances_never_exceed_the_quantity() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _guard = rt.enter();
    let app = Arc::new(App::open(node_config(dir.path(), "race", &[]), true).unwrap());
    let admin = app.services.members.get("admin").unwrap().unwrap();
    let facility = app
        .services
        .listings
        .create(&admin, caremesh_node::fixtures::facility)
        .unwrap();
    let request = app
        .services
        .market
        .create_request(&admin, caremesh_node::fixtures::request(&facility.meta.id))
        .unwrap();
    // One waiting proposal per maker per request: sixteen makers offer.
    let proposals: Vec<String> = (0..16)
        .map(|i| {
            let maker = app
                .services
                .members
                .create(
                    caremesh_node::members::NewMember {
                        handle: format!("m{i}"),
                        role: Some(caremesh_node::members::Role::Maker),
                        ..Default::default()
                    },
                    0,
                )
                .unwrap()
                .0;
            let new = caremesh_node::marketplace::NewProposal {
                quantity: Some(30),
                material: Some(caremesh_federation::object::Material::Pla),
                eta: None,
            };
            app.services
                .market
                .create_proposal(&maker, &request.meta.id, new)
                .unwrap()
                .meta
                .id
        })
        .collect();
    std::thread::scope(|s| {
        for id in &proposals {
            let (app, admin) = (app.clone(), admin.clone());
            s.spawn(move || {
                let decide = caremesh_node::marketplace::Decide {
                    verdict: caremesh_federation::object::Verdict::Accept,
                    quantity: None,
                };
                let _ = app.services.market.decide(&admin, id, decide);
            });
        }
    });
    let after = app.services.market.get_request(&request.meta.id).unwrap();
    assert_eq!(after.accepted, 200);
    let accepted: u32 = proposals
        .iter()
        .map(|id| {
            app.services
                .market
                .proposal_state(app.services.market.get_proposal(id).unwrap())
                .unwrap()
                .accepted_quantity()
        })
        .sum();
    assert_eq!(
        accepted, 200,
        "the decisions agree with the request's count"
    );
}
