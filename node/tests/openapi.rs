//! The OpenAPI document is made from the routers themselves; here: every documented route
//! exists on the router (answers something other than 404 / 405), every operation says
//! what it answers, and every `$ref` resolves. `tests/tests/api_check.rs` runs the
//! OpenAPI tools themselves against a running node.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use caremesh_node::app::App;
use caremesh_node::fixtures::node_config;
use serde_json::Value;
use tower::ServiceExt;

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("path item")
                .iter()
                .map(move |(method, op)| (method.clone(), path.clone(), op.clone()))
        })
        .collect()
}

#[tokio::test]
async fn the_document_describes_the_router() {
    let doc: Value = serde_json::to_value(caremesh_node::http::document()).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = operations(&doc);
    assert!(ops.len() >= 28, "too few operations: {}", ops.len());
    for (method, path, op) in &ops {
        let answers = op["responses"].as_object().expect("responses");
        assert!(
            answers.keys().any(|code| code.starts_with('2')),
            "{method} {path} has no success answer"
        );
        assert!(
            answers.contains_key("default"),
            "{method} {path}: no default"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let app = App::open(node_config(dir.path(), "openapi", &[]), true).unwrap();
    let router = caremesh_node::http::app(&app);
    for (method, path, _) in &ops {
        let uri = path.replace("{id}", "01JD3V5Q0000000000000000X1");
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let status = router.clone().oneshot(req).await.unwrap().status();
        let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
            || (status == StatusCode::NOT_FOUND && !path.contains('{') && path != "/geo");
        assert!(
            !unrouted,
            "{method} {path} is documented but the router answers {status}"
        );
    }
    // Every $ref points at a schema that exists; no empty `required` list.
    let text = doc.to_string();
    for part in text.split("#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {name}"
        );
    }
    assert!(!text.contains("\"required\":[]"), "an empty required list");
}

#[tokio::test]
async fn the_node_serves_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(node_config(dir.path(), "openapi", &[]), true).unwrap();
    let req = Request::builder()
        .uri("/api/v1/openapi.json")
        .body(Body::empty())
        .unwrap();
    let resp = caremesh_node::http::app(&app).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 22)
        .await
        .unwrap();
    let served: Value = serde_json::from_slice(&bytes).expect("JSON");
    let made = serde_json::to_value(caremesh_node::http::document()).expect("JSON");
    assert_eq!(served, made);
}
