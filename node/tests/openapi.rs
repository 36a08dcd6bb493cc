//! Every route the router registers is in `/api/v1/openapi.json`, and every documented route
//! exists on the router (answers something other than 404 / 405).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use caremesh_node::app::App;
use caremesh_node::fixtures::node_config;
use tower::ServiceExt;

/// `(method, path)` of every `.route(...)` call in the HTTP sources.
fn registered_routes() -> BTreeSet<(String, String)> {
    let constants = [
        ("INBOX_PATH", "/federation/v1/inbox"),
        ("OBJECTS_PATH", "/federation/v1/objects"),
        ("IDENTITY_PATH", "/federation/v1/identity"),
        ("READ_PATH", "/federation/v1/health/read"),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source: String = std::fs::read_to_string(path)
            .unwrap()
            .split_whitespace()
            .collect();
        for call in source.split(".route(").skip(1) {
            // The arguments run to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let end = call
                .char_indices()
                .find(|(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map(|(i, _)| i)
                .unwrap();
            let args = &call[..end];
            let (path, handlers) = args.split_once(',').unwrap();
            let path = constants
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, p)| p.to_string())
                .unwrap_or_else(|| path.trim_matches('"').to_owned());
            for method in ["get", "post", "put", "delete"] {
                let called = handlers.starts_with(&format!("{method}("))
                    || handlers.contains(&format!(".{method}("));
                if called {
                    out.insert((method.to_owned(), path.clone()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn the_document_covers_the_router_and_the_router_the_document() {
    let doc = caremesh_node::http::openapi_document();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let registered = registered_routes();
    assert!(
        registered.len() >= 25,
        "the source scan found too few routes: {registered:?}"
    );
    let missing: Vec<_> = registered.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from openapi.json: {missing:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::open(node_config(dir.path(), "openapi", &[]), true).unwrap());
    let router = caremesh_node::http::app(&app);
    for (method, path) in &documented {
        let uri = path.replace("{id}", "01JD3V5Q0000000000000000X1");
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let status = router.clone().oneshot(req).await.unwrap().status();
        let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
            || (status == StatusCode::NOT_FOUND && !path.contains("{id}") && path != "/geo");
        assert!(
            !unrouted,
            "{method} {path} is documented but the router answers {status}"
        );
    }
    // Every $ref points at a schema that exists.
    let text = doc.to_string();
    for part in text.split("#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {name}"
        );
    }
}
